package sobot

import "net/url"

// Params is everything one chat entry can carry: the visitor's identity,
// settings, routing, cards and traces, grouped as the reference groups them.
// The zero value sets nothing. Each field's doc names its wire parameter.
//
// A Params is a plain value: build one per request (or use Config.Defaults
// for site-wide settings) and pass a pointer to a builder. Builders never
// modify it.
type Params struct {
	User           User               // identity and CRM fields
	Settings       Settings           // system settings for links and widget
	Routing        Routing            // reception mode, targets, smart routing
	Product        ProductCard        // product card (card_*)
	Order          OrderCard          // order card with goods
	Greeting       Greeting           // welcome and offline texts
	Platform       Platform           // e-commerce platform overflow
	WidgetSettings WidgetSettings     // widget-only settings
	Visit          VisitTrace         // widget-only visit trace
	LeaveMessage   LeaveMessageFields // leave-message-page-only fields

	// Extra carries parameters this library does not model, by wire name,
	// sent as given. Names of modelled parameters, sysnum and sign are
	// refused by validation, so Extra cannot silently override them.
	Extra map[string]string
}

// Set sets the parameter with the given wire name from its wire text, the
// text that would appear in a link ("1", "120", JSON text for params,
// goods or transfer_action). It reports syntax errors as a Problem; ranges
// and cross-parameter rules are checked by Validate and the builders. A name
// the reference lacks is an error: put such parameters in Extra.
func (p *Params) Set(name, value string) error {
	r := rowByName[name]
	fold := (*param)(nil)
	if r == nil {
		fold = foldMatch(name)
	}
	switch {
	case name == "pcur_thumbnail":
		return Problem{Param: name, Reason: "is not a parameter of the reference; did you mean cur_thumbnail? (an example of the reference misspells it, its table does not)"}
	case fold != nil:
		return Problem{Param: name, Reason: "is not a parameter of the reference; did you mean " + fold.Name + "?"}
	case r == nil:
		return Problem{Param: name, Reason: "is not a parameter of the reference; pass it as an extra parameter"}
	case r.set == nil:
		return Problem{Param: name, Reason: "is set by the client (Config.SysNum, Config.Key), not by Params"}
	}
	if err := r.set(p, value); err != nil {
		reason := err.Error()
		switch {
		case r.Allowed == "":
		case err == errNotAllowed:
			reason = "must be one of " + r.Allowed
		case err == errNotNumber:
			reason += " (" + r.Allowed + ")"
		}
		return Problem{Param: name, Value: value, Reason: reason}
	}
	return nil
}

// Get returns the wire text of the parameter with the given wire name and
// whether it is set. Extra entries are not consulted.
func (p *Params) Get(name string) (string, bool) {
	if r := rowByName[name]; r != nil && r.get != nil {
		return r.get(p)
	}
	return "", false
}

// Wire returns every set parameter, Extra included, as wire name → wire
// text: what a link built from p alone would carry besides sysnum and sign.
func (p *Params) Wire() map[string]string {
	fs := collect(p, nil)
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		m[f.name] = f.text
	}
	return m
}

// EncodeValues adds p's wire parameters to v, which makes Params a
// github.com/google/go-querystring Encoder: a Params field inside your own
// query struct encodes as Sobot's flat wire names (the field's own name is
// not used):
//
//	type landing struct {
//		Campaign string       `url:"utm_campaign"`
//		Chat     sobot.Params `url:"chat"`
//	}
//	v, _ := query.Values(landing{...}) // utm_campaign=...&uname=...&time=...
//
// The fields' url tags carry the same wire names, for reference.
func (p Params) EncodeValues(_ string, v *url.Values) error {
	for _, f := range collect(&p, nil) {
		v.Set(f.name, f.text)
	}
	return nil
}
