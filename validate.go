package sobot

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one invalid parameter: which, with what value, and why.
type Problem struct {
	// Param is the parameter's wire name as in the reference ("time",
	// "transfer_action"), a configuration name ("sysnum", "base_url"), or
	// the Go path of a Widget option ("Widget.OnReady").
	Param string
	// Value is the offending wire value; empty when there is none (a
	// missing parameter). The security key is never reported.
	Value string
	// Reason says what is wrong, in a form that fits after "Param: ".
	Reason string
}

// Error formats the problem as "param: reason (got "value")".
func (p Problem) Error() string { return describe(p.Param, p.Value, p.Reason) }

// Notice is a parameter Sobot accepts but ignores where it is: title_flag
// without top_bar_flag=1, vip_level without is_vip=1, a product card on
// the PC page, whose section the reference marks H5 only. Builders accept
// such parameters; Params.Notices, Client.Check, Inspect and the CLI report
// them, and page rendering logs them at debug level.
type Notice struct {
	// Param is the parameter's wire name.
	Param string
	// Value is its wire value; empty when it would say nothing.
	Value string
	// Reason says what Sobot does with it, in a form that fits after
	// "Param: ".
	Reason string
}

// String formats the notice as "param: reason (got "value")".
func (n Notice) String() string { return describe(n.Param, n.Value, n.Reason) }

// describe formats a problem or notice, the value shortened to 60
// characters. A name that is not plain text (an extra parameter's name
// with a newline, an escape sequence or invalid UTF-8) is quoted, so that
// it cannot forge a line of a log or a terminal's colours.
func describe(param, value, reason string) string {
	if !plainName(param) {
		param = strconv.Quote(param)
	}
	s := param + ": " + reason
	if value != "" {
		if utf8.RuneCountInString(value) > 60 {
			value = string([]rune(value)[:57]) + "..."
		}
		s += " (got " + strconv.Quote(value) + ")"
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

// problemsIn returns the problems of a *ValidationError, or nil.
func problemsIn(err error) []Problem {
	if verr, ok := err.(*ValidationError); ok {
		return verr.Problems
	}
	return nil
}

// Validate checks p as a whole for kind k, with no site-wide defaults and
// no client: every parameter's value, the kinds it may be used with and the
// rules that tie parameters together. It returns nil or a *ValidationError
// listing every problem. Builders run the same checks (plus those that need
// the client, such as partnerid being required with a security key), so
// calling Validate first is optional. A k that is not one of the kinds is
// itself a problem.
func (p *Params) Validate(k Kind) error {
	var ps problems
	if !k.valid() {
		ps.add("kind", k.String(), "is not a Kind: validate for KindH5, KindPC, KindWidget, KindLeaveMessage or KindTicket")
		return ps.err()
	}
	fs := collect(p, nil)
	for _, f := range fs {
		checkField(f, k, &ps)
	}
	checkRules(fs, k, false, func(r *rule, value, reason string) { ps.add(r.names[0], value, reason) })
	return ps.err()
}

// Notices returns what Sobot would ignore in p for kind k (see Notice), in
// a stable order; nil when nothing. It does not validate p.
func (p *Params) Notices(k Kind) []Notice {
	return noticesOf(collect(p, nil), k)
}

// noticesOf returns the notices of the final fields fs of a build of kind
// k.
func noticesOf(fs []field, k Kind) []Notice {
	var ns []Notice
	checkRules(fs, k, true, func(r *rule, value, reason string) {
		ns = append(ns, Notice{Param: r.names[0], Value: value, Reason: reason})
	})
	return ns
}

// checkField checks one collected field on its own: the kinds it may be
// used with, then its value (checkValue).
func checkField(f field, k Kind, ps *problems) {
	if f.row != nil && !f.row.kinds.has(k) {
		ps.add(f.row.Name, f.text, kindReason(f.row, k))
		return
	}
	checkValue(f, ps)
}

// checkValue checks a field's value: a well-formed text, the row's check,
// and the typed check of a JSON-valued field; an Extra entry's name.
func checkValue(f field, ps *problems) {
	r := f.row
	if r == nil {
		checkExtra(f, ps)
		return
	}
	if !utf8.ValidString(f.text) {
		ps.add(r.Name, f.text, "must be valid UTF-8")
		return
	}
	if why := r.valid.apply(f.text); why != "" {
		ps.add(r.Name, f.text, why)
		return
	}
	if why := r.check.apply(f.text); why != "" {
		ps.add(r.Name, f.text, why)
	}
	if r.typed != nil {
		r.typed(f.src, ps)
	}
}

// kindReason explains why r may not be used with kind k.
func kindReason(r *param, k Kind) string {
	if k == KindPC && r.kinds.has(KindH5) {
		return "is H5-only; the PC chat page does not support it"
	}
	if r.kinds == widgetKinds {
		return "is widget-only; a " + k.noun() + " cannot carry it"
	}
	if k == KindWidget && !r.kinds.has(KindWidget) && r.kinds&linkKinds != 0 {
		return "is link-only; a " + k.noun() + " cannot carry it"
	}
	if r.kinds == lmKinds {
		return "is for the leave-message page only"
	}
	return "is not a parameter of the " + k.noun() + " (allowed: " + kindNamesOf(r.kinds) + ")"
}

// kindNamesOf lists the kinds of s by name, e.g. "h5, pc, widget".
func kindNamesOf(s kindSet) string {
	var names []string
	for _, k := range s.list() {
		names = append(names, k.String())
	}
	return strings.Join(names, ", ")
}

// allowsDefault reports whether a site-wide default may be applied to a
// build of kind k: its row may be used with k, and no rule forbids its
// value there (locale tw on the PC page). Defaults that do not fit are
// skipped, not reported, so one Config.Defaults serves every builder.
func allowsDefault(f field, k Kind) bool {
	if f.row == nil {
		return true
	}
	if !f.row.kinds.has(k) {
		return false
	}
	ok := true
	checkRules([]field{f}, k, false, func(r *rule, _, _ string) {
		if len(r.rows) == 1 {
			ok = false // a rule on this value alone
		}
	})
	return ok
}

// checkExtra refuses Extra entries that would override a modelled, signed
// or account parameter, and malformed names.
func checkExtra(f field, ps *problems) {
	r := rowByName[f.name]
	fold := (*param)(nil)
	if r == nil {
		fold = foldMatch(f.name)
	}
	if f.name == "" {
		ps.add("extra", f.text, "an extra parameter needs a name")
	} else if fold != nil {
		ps.add(f.name, "", "differs from the parameter "+fold.Name+" only in case; Sobot's pages may read either, so it cannot be an extra parameter")
	} else if r != nil && r.Field == "" {
		ps.add(f.name, "", "is set by the client (Config.SysNum, Config.Key); it cannot be an extra parameter")
	} else if r != nil {
		ps.add(f.name, "", "is modelled; set Params."+r.Field+" instead of an extra parameter")
	} else if !utf8.ValidString(f.name) || !utf8.ValidString(f.text) {
		ps.add(f.name, f.text, "must be valid UTF-8")
	} else if v := signedVariant(url.QueryEscape(f.name)); v != "" {
		ps.add(f.name, "", "is a form of "+v+
			" (spacing, encoding or an &amp; from HTML) that a page may read as it, which the sign does not cover; it cannot be an extra parameter")
	} else if strings.ContainsFunc(f.name, unicode.IsControl) || strings.TrimSpace(f.name) != f.name {
		ps.add(f.name, "", "must not hold control characters or white space at either end")
	}
}

// foldedNames indexes the rows' names in lower case, for foldMatch.
var foldedNames = map[string]*param{}

// foldMatch returns the row whose name equals name but for case, or nil.
func foldMatch(name string) *param {
	if len(foldedNames) == 0 {
		return nil
	}
	return foldedNames[strings.ToLower(name)]
}

// plainName reports whether name is valid UTF-8 without control or
// invisible formatting characters, white space other than inner spaces
// ("-sysnum / SOBOT_SYSNUM" is plain; "partnerid " is not).
func plainName(name string) bool {
	return utf8.ValidString(name) && strings.TrimSpace(name) == name && !strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' || unicode.Is(unicode.Cf, r)
	})
}
