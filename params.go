package sobot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

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
	r, err := settable(name)
	if err != nil {
		return err
	}
	if err := r.set(p, value); err != nil {
		reason := err.Error()
		if err == errNotNumber && r.Allowed != "" {
			reason += " (" + r.Allowed + ")"
		}
		return Problem{Param: name, Value: value, Reason: reason}
	}
	return nil
}

// settable returns the row of a parameter Params can set, or the Problem
// of a name it cannot.
func settable(name string) (*param, error) {
	r := rowByName[name]
	if name == "pcur_thumbnail" {
		return nil, Problem{Param: name, Reason: "is not a parameter of the reference; did you mean cur_thumbnail? (an example of the reference misspells it, its table does not)"}
	}
	if r == nil && foldMatch(name) != nil {
		return nil, Problem{Param: name, Reason: "is not a parameter of the reference; did you mean " + foldMatch(name).Name + "?"}
	}
	if r == nil {
		return nil, Problem{Param: name, Reason: "is not a parameter of the reference; pass it as an extra parameter"}
	}
	if r.set == nil {
		return nil, Problem{Param: name, Reason: "is set by the client (Config.SysNum, Config.Key), not by Params"}
	}
	return r, nil
}

// SetValue sets a parameter from a value as a JavaScript config object
// holds it, so that values can be pasted from the reference's
// zc("config", {...}) examples or read from JSON:
//
//   - a string is the wire text, as for Set;
//   - a bool is the flag's wire text that the JavaScript value stands
//     for: "1" and "0" for the flags that take 1 and 0 (msg_flag: false is
//     msg_flag=0, which shows the entry, as the reference's example
//     means), "true" and "false" for those that take true and false; false
//     leaves a flag sent only when true (manual, custom, cut_flag=hide)
//     unset;
//   - a number (float64, json.Number or any Go integer) that is whole is
//     its decimal text (120.0 is "120"); other numbers are written as given
//     and refused by validation where a whole number is required;
//   - an object or array (map[string]any, []any) is JSON text for the
//     JSON-valued parameters (params, customer_fields, goods,
//     transfer_action);
//   - the objects pre_visit_args and cur_visit_args set their members
//     (pre_visit_url, cur_thumbnail, ...);
//   - nil leaves the parameter unset.
//
// Errors are Problems naming the parameter (or the member of a visit-args
// object).
func (p *Params) SetValue(name string, v any) error {
	if name == "pre_visit_args" || name == "cur_visit_args" {
		return p.setVisitArgs(name, v)
	}
	r, err := settable(name)
	if err != nil {
		return err
	}
	text, set, why := r.valueText(v)
	if why != "" {
		return Problem{Param: name, Reason: why}
	}
	if !set {
		return nil
	}
	return p.Set(name, text)
}

// valueText returns the wire text of a JS config value for r, whether it
// sets the parameter, and why the value cannot be its value.
func (r *param) valueText(v any) (text string, set bool, why string) {
	switch v := v.(type) {
	case nil:
		return "", false, ""
	case string:
		return v, true, ""
	case bool:
		if r.jsTrue == "" {
			return strconv.FormatBool(v), true, "" // not a flag: validation judges
		}
		if v {
			return r.jsTrue, true, ""
		}
		if r.jsFalse == "" {
			return "", false, "" // a flag sent only when true
		}
		return r.jsFalse, true, ""
	case map[string]any, []any:
		if r.Type != TypeJSON {
			return "", false, "must be a string, number or boolean; only the JSON-valued parameters (params, customer_fields, goods, transfer_action) take objects or arrays"
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return "", false, "is not JSON: " + err.Error()
		}
		return strings.TrimSuffix(b.String(), "\n"), true, ""
	}
	if num, ok := numberValue(v); ok {
		return num, true, ""
	}
	return "", false, fmt.Sprintf("cannot be given as a %T: give a string, number, boolean, or an object or array for the JSON-valued parameters", v)
}

// numberValue returns the decimal text of a number value: a whole number
// without a fraction or exponent, every digit kept (120.0 is "120", an
// integer json.Number as written however long), another number in the
// shortest form that reads back the same.
func numberValue(v any) (string, bool) {
	var f float64
	switch v := v.(type) {
	case json.Number:
		if isDecimalInteger(string(v)) {
			return string(v), true
		}
		g, err := v.Float64()
		if err != nil {
			return string(v), true // not a number: validation says so
		}
		f = g
	case float64:
		f = v
	case float32:
		f = float64(v)
	case int:
		return itoa(int64(v)), true
	case int64:
		return itoa(v), true
	case int32:
		return itoa(int64(v)), true
	case uint:
		return strconv.FormatUint(uint64(v), 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	default:
		return "", false
	}
	if f == math.Trunc(f) && !math.IsInf(f, 0) {
		return strconv.FormatFloat(f+0, 'f', -1, 64), true // +0 turns -0 into 0
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

// isDecimalInteger reports whether s is an optional minus and digits.
func isDecimalInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// setVisitArgs sets the members of a pre_visit_args or cur_visit_args
// object, as the reference's 自定义采集内容 example writes it. Every member
// is tried; the errors are joined.
func (p *Params) setVisitArgs(name string, v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return nil
		}
		return Problem{Param: name, Reason: "must be an object of " + strings.TrimSuffix(name, "_visit_args") + "_* members, as in the reference's 自定义采集内容 example"}
	}
	var ps problems
	for _, member := range slices.Sorted(maps.Keys(obj)) {
		r := rowByName[member]
		if member == "pcur_thumbnail" && name == "cur_visit_args" {
			ps.add(member, "", "is the reference's example's misspelling of cur_thumbnail (its table); write cur_thumbnail")
			continue
		}
		if r == nil || r.Parent != name {
			ps.add(member, "", "is not a member of "+name)
			continue
		}
		if err := p.SetValue(member, obj[member]); err != nil {
			ps = append(ps, problemList(err)...)
		}
	}
	return ps.err()
}

// problemList returns err's problems: those of a *ValidationError, or err
// itself when it is one Problem.
func problemList(err error) []Problem {
	if ps := problemsIn(err); ps != nil {
		return ps
	}
	if p, ok := err.(Problem); ok {
		return []Problem{p}
	}
	return []Problem{{Reason: err.Error()}}
}

// Unset leaves the parameter with the given wire name unset, as if it had
// never been set: the inverse of Set, for a Go field or a member of a
// visit-args object. A name that is not a parameter of the reference
// unsets the Extra entry of that name, if any. Unsetting an unset
// parameter does nothing.
func (p *Params) Unset(name string) {
	r := rowByName[name]
	if r == nil || r.field == nil {
		delete(p.Extra, name)
		return
	}
	reflect.ValueOf(r.field(p)).Elem().SetZero()
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
// p is validated as for an H5 chat link first, as every builder validates;
// the returned error is the *ValidationError. It never writes sysnum or
// sign (a link built this way is not signed: use Client.H5URL for that),
// and refuses to write a name v already holds, such as one of your
// struct's own fields, rather than overwrite or repeat it.
func (p Params) EncodeValues(_ string, v *url.Values) error {
	if err := p.Validate(KindH5); err != nil {
		return err
	}
	fs := collect(&p, nil)
	var ps problems
	for _, f := range fs {
		if _, taken := (*v)[f.name]; taken {
			ps.add(f.name, f.text, "is already in the query (a field of the enclosing struct?); a query must carry each parameter once")
		}
	}
	if err := ps.err(); err != nil {
		return err
	}
	for _, f := range fs {
		v.Set(f.name, f.text)
	}
	return nil
}
