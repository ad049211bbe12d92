package sobot

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one invalid parameter: which, with what value, and why.
type Problem struct {
	// Param is the parameter's wire name as in the reference ("time",
	// "transfer_action"), or a configuration name ("sysnum", "base_url").
	Param string
	// Value is the offending wire value; empty when there is none (a
	// missing parameter). The security key is never reported.
	Value string
	// Reason says what is wrong, in a form that fits after "Param: ".
	Reason string
}

// Error formats the problem as "param: reason (got "value")".
func (p Problem) Error() string {
	s := p.Param + ": " + p.Reason
	if p.Value != "" {
		v := p.Value
		if utf8.RuneCountInString(v) > 60 {
			v = string([]rune(v)[:57]) + "..."
		}
		s += " (got " + strconv.Quote(v) + ")"
	}
	return s
}

// ValidationError lists every problem found in one call, in a stable order.
// Builders return it (wrapped in nothing) when their input is invalid; use
// errors.As to get at the list:
//
//	var verr *sobot.ValidationError
//	if errors.As(err, &verr) {
//		for _, p := range verr.Problems { ... p.Param, p.Reason ... }
//	}
type ValidationError struct {
	// Problems lists every problem found, in a stable order: each
	// parameter's own problems in wire-name order, then the problems of
	// rules that tie parameters together.
	Problems []Problem
}

// Error joins all problems, one per line after a summary.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("sobot: ")
	if len(e.Problems) == 1 {
		b.WriteString("invalid parameter: ")
		b.WriteString(e.Problems[0].Error())
		return b.String()
	}
	b.WriteString(strconv.Itoa(len(e.Problems)))
	b.WriteString(" invalid parameters:")
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems as errors, so errors.As can also find a single
// Problem.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// problems collects Problems; its zero value is ready to use.
type problems []Problem

func (ps *problems) add(param, value, reason string) {
	*ps = append(*ps, Problem{Param: param, Value: value, Reason: reason})
}

// err returns nil or a *ValidationError holding the problems.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

// Target is what a set of parameters is for; it decides which parameters
// are allowed.
type Target uint8

const (
	// TargetH5 is the H5 (mobile) chat link.
	TargetH5 Target = iota + 1
	// TargetPC is the PC (desktop) chat link.
	TargetPC
	// TargetWidget is the JS-SDK widget.
	TargetWidget
	// TargetLeaveMessage is the stand-alone leave-message page.
	TargetLeaveMessage
)

// String names the target.
func (t Target) String() string {
	switch t {
	case TargetH5:
		return "H5 chat link"
	case TargetPC:
		return "PC chat link"
	case TargetWidget:
		return "widget"
	case TargetLeaveMessage:
		return "leave-message link"
	}
	return "Target(" + strconv.Itoa(int(t)) + ")"
}

// scope is the table scope a target accepts.
func (t Target) scope() Scope {
	switch t {
	case TargetH5, TargetPC:
		return ScopeLink
	case TargetWidget:
		return ScopeWidget
	case TargetLeaveMessage:
		return ScopeLeaveMessage
	}
	return 0
}

// accepts reports whether a row may be sent to t.
func (t Target) accepts(r *param) bool {
	return r.Scope&t.scope() != 0 && !(r.H5Only && t == TargetPC)
}

// acceptsDefault reports whether a site-wide default may be applied to t:
// its row is allowed and, for PC links, its value too (locale tw is H5-only).
// Defaults that do not fit are skipped, not reported.
func (t Target) acceptsDefault(f field) bool {
	if f.row == nil {
		return true
	}
	return t.accepts(f.row) && !(t == TargetPC && f.row.slot == slotLocale && f.text == "tw")
}

// scopeReason explains why t does not accept r.
func (t Target) scopeReason(r *param) string {
	if r.H5Only && t == TargetPC && r.Scope&ScopeLink != 0 {
		return "is H5-only; the PC chat page does not support it"
	}
	switch {
	case r.Scope == ScopeWidget:
		return "is widget-only; a " + t.String() + " cannot carry it"
	case r.Scope == ScopeLink:
		return "is link-only; a " + t.String() + " cannot carry it"
	case r.Scope == ScopeLeaveMessage:
		return "is for the leave-message page only"
	}
	return "is not a parameter of the " + t.String() + " (allowed: " + r.Scope.String() + ")"
}

// Validate checks p as a whole for target t, with no site-wide defaults and
// no client: every parameter's value, the scope rules and the rules that
// tie parameters together. It returns nil or a *ValidationError listing
// every problem. Builders run the same checks (plus those that need the
// client, such as partnerid being required with a security key), so calling
// Validate first is optional.
func (p *Params) Validate(t Target) error {
	var ps problems
	fs := collect(p, nil)
	checkFields(fs, t, &ps)
	var s slots
	s.gather(fs)
	checkCombined(&s, t, &ps)
	return ps.err()
}

// checkFields checks each collected field on its own: scope, well-formed
// value, the row's check, and the typed checks of JSON-valued fields.
func checkFields(fs []field, t Target, ps *problems) {
	for _, f := range fs {
		if f.row == nil {
			checkExtra(f, ps)
			continue
		}
		r := f.row
		if t != 0 && !t.accepts(r) {
			ps.add(r.Name, f.text, t.scopeReason(r))
			continue
		}
		if !utf8.ValidString(f.text) {
			ps.add(r.Name, f.text, "must be valid UTF-8")
			continue
		}
		if r.valid != nil {
			if why := r.valid(f.text); why != "" {
				ps.add(r.Name, f.text, why)
				continue
			}
		}
		if r.check != nil {
			if why := r.check(f.text); why != "" {
				ps.add(r.Name, f.text, why)
			}
		}
		if r.typed != nil {
			r.typed(f.src, ps)
		}
	}
}

// checkExtra refuses Extra entries that would override a modelled, signed
// or account parameter, and malformed names.
func checkExtra(f field, ps *problems) {
	r := rowByName[f.name]
	fold := (*param)(nil)
	if r == nil {
		fold = foldMatch(f.name)
	}
	switch {
	case f.name == "":
		ps.add("extra", f.text, "an extra parameter needs a name")
	case fold != nil:
		ps.add(f.name, "", "differs from the parameter "+fold.Name+" only in case; Sobot's pages may read either, so it cannot be an extra parameter")
	case r != nil && r.Field == "":
		ps.add(f.name, "", "is set by the client (Config.SysNum, Config.Key); it cannot be an extra parameter")
	case r != nil:
		ps.add(f.name, "", "is modelled; set Params."+r.Field+" instead of an extra parameter")
	case !utf8.ValidString(f.name) || !utf8.ValidString(f.text):
		ps.add(f.name, f.text, "must be valid UTF-8")
	}
}

// foldMatch returns the row whose name equals name but for case, or nil.
func foldMatch(name string) *param {
	for i := range table {
		if r := &table[i]; rowByName[r.Name] == r && strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// typedChecks are the per-field checks that need the typed value rather
// than its wire text.
var typedChecks = map[string]func(*Params, *problems){
	"transfer_action": checkTransfer,
	"goods":           checkGoods,
	"params":          func(p *Params, ps *problems) { checkMap("params", p.User.Params, ps) },
	"customer_fields": func(p *Params, ps *problems) { checkMap("customer_fields", p.User.CustomerFields, ps) },
}

// checkTransfer checks the smart-routing rules: 1–4 of them, each with a
// known target, an id, a spill condition of its target's kind, and no rule
// after one that never overflows.
func checkTransfer(p *Params, ps *problems) {
	rules := p.Routing.Transfer
	if len(rules) > 4 {
		ps.add("transfer_action", "", "has "+strconv.Itoa(len(rules))+" rules; at most 4 are allowed")
	}
	for i, r := range rules {
		at := "rule " + strconv.Itoa(i+1) + ": "
		switch r.Target {
		case ToAgent:
			if r.Spill != 0 && (r.Spill < SpillAgentOffline || r.Spill > SpillAgentSmart) {
				ps.add("transfer_action", strconv.Itoa(int(r.Spill)), at+"spillId must be 1–3 for to_service")
			}
		case ToGroup:
			if r.Spill != 0 && (r.Spill < SpillGroupNoneOnline || r.Spill > SpillGroupSmart) {
				ps.add("transfer_action", strconv.Itoa(int(r.Spill)), at+"spillId must be 4–7 for to_group")
			}
		default:
			ps.add("transfer_action", string(r.Target), at+"actionType must be to_service or to_group")
		}
		if r.ID == "" {
			ps.add("transfer_action", "", at+"deciId (the agent or group id) is required")
		}
		if r.Spill == 0 && i < len(rules)-1 {
			ps.add("transfer_action", "", at+"does not overflow (no spillId), so the rules after it are never reached")
		}
	}
}

// checkGoods checks every order item has a name and an http(s) picture.
func checkGoods(p *Params, ps *problems) {
	for i, g := range p.Order.Goods {
		at := "item " + strconv.Itoa(i+1) + ": "
		if g.Name == "" {
			ps.add("goods", "", at+"name is required")
		}
		if g.PictureURL != "" {
			if why := webURL(g.PictureURL); why != "" {
				ps.add("goods", g.PictureURL, at+"pictureUrl "+why)
			}
		}
		if !utf8.ValidString(g.Name) || !utf8.ValidString(g.PictureURL) {
			ps.add("goods", "", at+"must be valid UTF-8")
		}
	}
}

// checkMap checks a JSON-object parameter has non-empty, valid UTF-8 keys
// and values.
func checkMap(name string, m map[string]string, ps *problems) {
	for k, v := range m {
		if k == "" {
			ps.add(name, "", "keys must not be empty")
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			ps.add(name, "", "keys and values must be valid UTF-8")
		}
	}
}

// slot numbers the parameters that checkCombined reads, so it can gather
// them in one pass instead of searching the field list for each.
type slot uint8

const (
	slotNone slot = iota
	slotOrderStatus
	slotStatusCustom
	slotCardTitle
	slotCardURL
	slotCardDesc
	slotCardNote
	slotCardPicture
	slotTitleFlag
	slotCustomTitle
	slotToCustomsysFlag
	slotToCustomsysURL
	slotLeaveCustomsysFlag
	slotLeaveCustomsysURL
	slotLocale
	slotPartnerID
	slotCount
)

// slotNames names each slot's parameter; index = slot.
var slotNames = [slotCount]string{"", "order_status", "status_custom", "card_title", "card_url", "card_desc",
	"card_note", "card_picture", "title_flag", "custom_title", "to_customsys_flag", "to_customsys_url",
	"leave_customsys_flag", "leave_customsys_url", "locale", "partnerid"}

// slots holds the texts of the slotted parameters of a field list.
type slots struct {
	text [slotCount]string
	set  [slotCount]bool
}

// gather fills s from fs.
func (s *slots) gather(fs []field) {
	for _, f := range fs {
		if f.row != nil && f.row.slot != slotNone {
			s.text[f.row.slot], s.set[f.row.slot] = f.text, true
		}
	}
}

// get returns a slotted parameter's text and whether it is set.
func (s *slots) get(n slot) (string, bool) { return s.text[n], s.set[n] }

// checkCombined applies the rules that tie parameters together, on the
// final (merged) set of fields, gathered in s.
func checkCombined(s *slots, t Target, ps *problems) {
	// status_custom is required with order_status 0 and ignored by Sobot
	// otherwise; the reference's own order example sends it with status 1.
	if v, _ := s.get(slotOrderStatus); v == "0" {
		if _, ok := s.get(slotStatusCustom); !ok {
			ps.add("status_custom", "", "is required when order_status is 0 (custom status)")
		}
	}
	if _, ok := s.get(slotCardTitle); !ok {
		for _, n := range [...]slot{slotCardURL, slotCardDesc, slotCardNote, slotCardPicture} {
			if _, set := s.get(n); set {
				ps.add("card_title", "", "is required for a product card ("+slotNames[n]+" is set)")
				break
			}
		}
	}
	if v, _ := s.get(slotTitleFlag); v == "2" {
		title, _ := s.get(slotCustomTitle)
		if n := textLen(title); n > 30 || strings.TrimSpace(title) == "" {
			ps.add("custom_title", title, "must be 1–30 characters, not all spaces, when title_flag is 2")
		}
	}
	for _, pair := range [...][2]slot{{slotToCustomsysFlag, slotToCustomsysURL}, {slotLeaveCustomsysFlag, slotLeaveCustomsysURL}} {
		if v, _ := s.get(pair[0]); v == "1" {
			if _, ok := s.get(pair[1]); !ok {
				ps.add(slotNames[pair[1]], "", "is required when "+slotNames[pair[0]]+" is 1")
			}
		}
	}
	if v, _ := s.get(slotLocale); v == "tw" && t == TargetPC {
		ps.add("locale", v, "tw (traditional Chinese) is H5-only; the PC chat page supports cn and en")
	}
}
