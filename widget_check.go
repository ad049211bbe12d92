package sobot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file validates the options of a Widget. Its problems are named by
// the option's Go path ("Widget.OnReady", "Widget.Traces[0].On"), the
// parameters' by their wire names, as everywhere else.

// check adds the problems of w's own options (not of its Params) to ps.
func (w *Widget) check(ps *problems) {
	if why := checkNonce(w.Nonce); why != "" {
		ps.add("Widget.Nonce", w.Nonce, why)
	}
	for _, cb := range [...]struct {
		name string
		cb   Callback
	}{
		{"Widget.OnReady", w.OnReady},
		{"Widget.OnMessage", w.OnMessage},
		{"Widget.OnOfflineMessages", w.OnOfflineMessages},
		{"Widget.OnCollapse", w.OnCollapse},
	} {
		checkCallback(cb.name, cb.cb, ps)
	}
	checkClick("Widget.ManualInit", w.ManualInit, ps)
	checkClick("Widget.StatusToggle", w.StatusToggle, ps)
	for i, tr := range w.Traces {
		at := "Widget.Traces[" + strconv.Itoa(i) + "]"
		if !tr.On.IsZero() {
			checkElement(at+".On", tr.On, ps)
		}
		checkTrace(at, tr.Visit, ps)
	}
}

// checkWidgetFields adds the problems of the resolved fields that only the
// widget has to ps.
func checkWidgetFields(fs []field, w *Widget, ps *problems) {
	for _, f := range fs {
		if f.row == nil && isWidgetObjectKey(f.name) {
			ps.add(f.name, f.text, "is a key the widget's config writes itself (or would not keep); it cannot be an extra parameter")
		}
	}
	if custom, _ := lookup(fs, "custom"); w.WatchButtons && custom != "true" {
		ps.add("Widget.WatchButtons", "", "needs custom entry buttons: set Params.WidgetSettings.CustomButton (custom: true)")
	}
}

// isWidgetObjectKey reports whether an extra parameter's name would clash
// in the config object: with the visit-trace objects the widget builds, or
// __proto__, which a JavaScript object literal takes as its prototype.
func isWidgetObjectKey(name string) bool {
	return name == "pre_visit_args" || name == "cur_visit_args" || name == "__proto__"
}

// checkClick checks a click binding: Then needs On.
func checkClick(name string, c Click, ps *problems) {
	if c.On.IsZero() {
		if c.Then != "" {
			ps.add(name+".On", "", "is required: name the element to bind with sobot.ByID or sobot.ByClass")
		}
		return
	}
	checkElement(name+".On", c.On, ps)
	checkCallback(name+".Then", c.Then, ps)
}

// checkTrace checks one manual trace: something to send, and each value as
// the visit-trace parameters are checked (http(s) URLs, valid UTF-8).
func checkTrace(at string, v VisitTrace, ps *problems) {
	if v.IsZero() {
		ps.add(at+".Visit", "", "sets no field; a trace needs at least one")
		return
	}
	var own problems
	var scratch [10]field
	for _, f := range collect(&Params{Visit: v}, scratch[:0]) {
		checkField(f, KindWidget, &own)
	}
	for _, p := range own {
		ps.add(at+".Visit."+p.Param, p.Value, p.Reason)
	}
}

// checkNonce accepts CSP's nonce-source value: base64 or base64url
// characters, then at most two '='. Anything else could not match a
// policy, and could break out of the attribute.
func checkNonce(s string) string {
	body := strings.TrimRight(s, "=")
	if s == "" {
		return ""
	}
	if body == "" || len(s)-len(body) > 2 || strings.TrimLeft(body, base64Chars) != "" {
		return "must be base64 or base64url text (A–Z a–z 0–9 + / - _, up to two trailing =), as CSP nonces are"
	}
	return ""
}

// base64Chars are the characters of base64 and base64url, without '='.
const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"

// checkElement accepts a non-empty id or class without spaces or control
// characters: HTML ids and class names have none, so such a name could
// never match.
func checkElement(name string, e Element, ps *problems) {
	if e.name == "" {
		ps.add(name, "", "needs a non-empty id or class name")
	} else if !utf8.ValidString(e.name) {
		ps.add(name, e.name, "must be valid UTF-8")
	} else if strings.IndexFunc(e.name, isSpaceOrControl) >= 0 {
		ps.add(name, e.name, "must not contain spaces or control characters: an id or class name has none")
	}
}

// isSpaceOrControl reports whether r is white space or a control character.
func isSpaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// checkCallback accepts an unset callback or a dotted path of ASCII
// identifiers that are not reserved.
func checkCallback(name string, cb Callback, ps *problems) {
	if cb == "" {
		return
	}
	for seg := range strings.SplitSeq(string(cb), ".") {
		if !isIdentifier(seg) {
			ps.add(name, string(cb), "must be a JavaScript function name such as onChatReady or app.chat.onReady (ASCII identifiers joined by dots)")
			return
		}
		if reservedJS[seg] {
			ps.add(name, string(cb), seg+" is a reserved word or a property that reaches into prototypes; it cannot be part of a callback")
			return
		}
		if strings.HasPrefix(seg, jsPrefix) {
			ps.add(name, string(cb), "names starting with "+jsPrefix+" are the widget's own; use another name")
			return
		}
	}
}

// isIdentifier reports whether s is an ASCII JavaScript identifier.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || c == '$' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// reservedJS are the names a callback path may not use: the reserved words
// of ECMAScript (strict mode included), the literals, eval and arguments,
// and the properties that lead into prototypes.
var reservedJS = func() map[string]bool {
	m := map[string]bool{}
	for w := range strings.FieldsSeq(`await break case catch class const continue debugger default delete do
		else enum export extends false finally for function if implements import in instanceof
		interface let new null package private protected public return static super switch this
		throw true try typeof var void while with yield eval arguments
		__proto__ constructor prototype`) {
		m[w] = true
	}
	return m
}()
