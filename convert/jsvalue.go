package convert

import (
	"encoding/json"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the values a page's JavaScript computes, as far as they
// are known when the page is read: literals, objects, arrays, functions,
// page elements, and strings with holes where a placeholder (a value known
// only when the page is served or run) goes.

type vkind uint8

const (
	kUndef vkind = iota
	kNull
	kBool
	kNum
	kStr
	kObj
	kArr
	kFunc
	kElem // a page element picked by id or class
	kDyn  // unknown until the page runs
)

// value is a JavaScript value as far as it is known.
type value struct {
	kind  vkind
	b     bool
	num   float64
	parts []part       // kStr: literal text and placeholders
	props []prop       // kObj, in insertion order
	items []*value     // kArr
	fn    *fnValue     // kFunc
	elem  elemSel      // kElem
	ph    *placeholder // kDyn
	// uri is the argument of the encodeURIComponent call that made this
	// string; json that of JSON.stringify. The parameters that want the
	// text before encoding use them.
	uri  *value
	json *value
	off  int // offset in the source text; -1 when unknown
	// idx indexes props by key once an object has many members.
	idx map[string]int
	// nodes and bytes measure v as written out (a value used twice counts
	// twice): the evaluator refuses values past maxNodes and maxBytes, so
	// that walking or printing any value takes bounded time.
	nodes, bytes int
}

// Bounds of one value, as written out.
const (
	maxNodes = 1 << 20
	maxBytes = 8 << 20
	// maxHoles bounds the placeholders of one string: a parameter's value
	// is an expression of the generated code's arguments.
	maxHoles = 100
)

// measure sets v's size from its parts and members, which are measured
// already, and reports whether it is within bounds.
func (v *value) measure() bool {
	v.nodes, v.bytes = 1, 0
	switch v.kind {
	case kStr:
		holes := 0
		for _, p := range v.parts {
			v.bytes += len(p.text)
			if p.ph != nil {
				holes++
			}
		}
		if holes > maxHoles {
			return false
		}
	case kObj:
		for _, p := range v.props {
			v.nodes += p.val.nodes
			v.bytes += p.val.bytes + len(p.key)
		}
	case kArr:
		for _, it := range v.items {
			v.nodes += it.nodes
			v.bytes += it.bytes
		}
	}
	return v.nodes <= maxNodes && v.bytes <= maxBytes
}

// prop is one member of an object.
type prop struct {
	key string
	val *value
	off int
}

// fnValue is a function: an expression of the page (node set) or a
// reference to a named function of the page (path set).
type fnValue struct {
	path string // "onReady", "app.chat.onReady" for a reference
	src  string // the function's source, for expressions
	off  int
}

// elemSel picks page elements, as sobot.ByID and sobot.ByClass do.
type elemSel struct {
	byClass bool
	name    string
	what    string // when the element cannot be named: what the page used
}

// static reports whether v holds no placeholder, function or element.
func (v *value) static() bool {
	switch v.kind {
	case kDyn, kFunc, kElem:
		return false
	case kStr:
		for _, p := range v.parts {
			if p.ph != nil {
				return false
			}
		}
	case kObj:
		for _, p := range v.props {
			if !p.val.static() {
				return false
			}
		}
	case kArr:
		for _, it := range v.items {
			if !it.static() {
				return false
			}
		}
	}
	return true
}

// hasPlaceholder reports whether v holds a placeholder anywhere.
func (v *value) hasPlaceholder() bool {
	switch v.kind {
	case kDyn:
		return true
	case kStr:
		for _, p := range v.parts {
			if p.ph != nil {
				return true
			}
		}
	case kObj:
		for _, p := range v.props {
			if p.val.hasPlaceholder() {
				return true
			}
		}
	case kArr:
		for _, it := range v.items {
			if it.hasPlaceholder() {
				return true
			}
		}
	}
	return false
}

// placeholders returns the placeholders v holds, in order, each once.
func (v *value) placeholders() []*placeholder {
	var out []*placeholder
	seen := map[*placeholder]bool{}
	var walk func(*value)
	walk = func(v *value) {
		switch v.kind {
		case kDyn:
			if !seen[v.ph] {
				seen[v.ph] = true
				out = append(out, v.ph)
			}
		case kStr:
			for _, p := range v.parts {
				if p.ph != nil && !seen[p.ph] {
					seen[p.ph] = true
					out = append(out, p.ph)
				}
			}
		case kObj:
			for _, p := range v.props {
				walk(p.val)
			}
		case kArr:
			for _, it := range v.items {
				walk(it)
			}
		}
	}
	walk(v)
	return out
}

// str returns a string value of literal text.
func str(s string, off int) *value {
	return &value{kind: kStr, parts: []part{{text: s}}, off: off, nodes: 1, bytes: len(s)}
}

// text returns a string value's literal text with each placeholder written
// as mark(p); for other kinds, the text JavaScript's String(v) gives, with
// placeholders marked.
func (v *value) text(mark func(*placeholder) string) string {
	switch v.kind {
	case kStr:
		var b strings.Builder
		for _, p := range v.parts {
			if p.ph != nil {
				b.WriteString(mark(p.ph))
			} else {
				b.WriteString(p.text)
			}
		}
		return b.String()
	case kDyn:
		return mark(v.ph)
	case kUndef:
		return "undefined"
	case kNull:
		return "null"
	case kBool:
		return strconv.FormatBool(v.b)
	case kNum:
		return jsNumber(v.num)
	case kArr:
		items := make([]string, len(v.items))
		for i, it := range v.items {
			if it.kind != kUndef && it.kind != kNull {
				items[i] = it.text(mark)
			}
		}
		return strings.Join(items, ",")
	case kObj:
		return "[object Object]"
	}
	return ""
}

// jsNumber formats f as JavaScript's Number.prototype.toString does.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1e+21, 1.5e-07
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}

// truthy returns JavaScript's ToBoolean of a static value, and whether it
// is known.
func (v *value) truthy() (bool, bool) {
	switch v.kind {
	case kUndef, kNull:
		return false, true
	case kBool:
		return v.b, true
	case kNum:
		return v.num != 0 && !math.IsNaN(v.num), true
	case kStr:
		if !v.static() {
			// A string with a hole is truthy when its known text is not
			// empty; otherwise unknown.
			return true, v.text(func(*placeholder) string { return "" }) != ""
		}
		return v.text(nil) != "", true
	case kObj, kArr, kFunc, kElem:
		return true, true
	}
	return false, false
}

// toNumber returns JavaScript's ToNumber of a static value.
func (v *value) toNumber() (float64, bool) {
	switch v.kind {
	case kNum:
		return v.num, true
	case kBool:
		if v.b {
			return 1, true
		}
		return 0, true
	case kNull:
		return 0, true
	case kUndef:
		return math.NaN(), true
	case kStr:
		if !v.static() {
			return 0, false
		}
		s := strings.TrimSpace(v.text(nil))
		if s == "" {
			return 0, true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN(), true
		}
		return f, true
	}
	return 0, false
}

// plain returns v as a Go value the way a JSON encoder would see the
// JavaScript value: string, bool, json.Number, map[string]any (keys in
// insertion order are lost, as in any Go map), []any, or nil. Placeholders
// in strings are written with mark; a whole unknown value, a function or
// an element is mark(placeholder) too when it has one, else nil. Members
// whose value is undefined or a function are left out, as JSON.stringify
// leaves them out.
func (v *value) plain(mark func(*placeholder) string) any {
	switch v.kind {
	case kStr:
		return v.text(mark)
	case kBool:
		return v.b
	case kNum:
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			return nil
		}
		return json.Number(jsNumber(v.num))
	case kObj:
		m := make(map[string]any, len(v.props))
		for _, p := range v.props {
			if p.val.kind == kUndef || p.val.kind == kFunc {
				continue
			}
			m[p.key] = p.val.plain(mark)
		}
		return m
	case kArr:
		out := make([]any, len(v.items))
		for i, it := range v.items {
			out[i] = it.plain(mark)
		}
		return out
	case kDyn:
		return mark(v.ph)
	}
	return nil
}

// fromPlain returns the value of a decoded JSON value (json.Number for
// numbers); strings are split at markers by split.
func fromPlain(x any, split func(string) []part, off int) *value {
	switch x := x.(type) {
	case string:
		v := &value{kind: kStr, parts: split(x), off: off}
		v.measure()
		return v
	case bool:
		return &value{kind: kBool, b: x, off: off, nodes: 1}
	case json.Number:
		f, _ := strconv.ParseFloat(string(x), 64)
		return &value{kind: kNum, num: f, off: off, nodes: 1}
	case float64:
		return &value{kind: kNum, num: x, off: off, nodes: 1}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		v := &value{kind: kObj, off: off}
		for _, k := range keys {
			v.props = append(v.props, prop{key: k, val: fromPlain(x[k], split, off), off: off})
		}
		v.measure()
		return v
	case []any:
		v := &value{kind: kArr, off: off}
		for _, it := range x {
			v.items = append(v.items, fromPlain(it, split, off))
		}
		v.measure()
		return v
	case nil:
		return &value{kind: kNull, off: off, nodes: 1}
	}
	return &value{kind: kUndef, off: off, nodes: 1}
}

// get returns an object's member, or nil.
func (v *value) get(key string) *value {
	if v.kind != kObj {
		return nil
	}
	if i := v.index(key); i >= 0 {
		return v.props[i].val
	}
	return nil
}

// set sets an object's member, keeping the first position of the key.
func (v *value) set(key string, val *value, off int) {
	if i := v.index(key); i >= 0 {
		v.props[i].val = val
		return
	}
	v.props = append(v.props, prop{key: key, val: val, off: off})
	if v.idx != nil {
		v.idx[key] = len(v.props) - 1
	}
}

// index returns the position of key in v.props, or -1. Past a few
// members it keeps a map, so that building an object is linear.
func (v *value) index(key string) int {
	if v.idx == nil && len(v.props) > 16 {
		v.idx = make(map[string]int, len(v.props))
		for i, p := range v.props {
			v.idx[p.key] = i
		}
	}
	if v.idx != nil {
		if i, ok := v.idx[key]; ok {
			return i
		}
		return -1
	}
	for i := range v.props {
		if v.props[i].key == key {
			return i
		}
	}
	return -1
}

// encodeURIComponent encodes s as JavaScript's encodeURIComponent does:
// everything but A–Z a–z 0–9 - _ . ! ~ * ' ( ) as UTF-8 %XX.
func encodeURIComponent(s string) string {
	const keep = "-_.!~*'()"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// decodeURIComponent decodes %XX sequences; ok is false when s is not
// validly encoded.
func decodeURIComponent(s string) (string, bool) {
	d, err := url.PathUnescape(s)
	if err != nil || !utf8.ValidString(d) {
		return s, false
	}
	return d, true
}

// jsonText returns JSON.stringify(v) for a value without placeholders,
// keys in insertion order as JavaScript keeps them.
func jsonText(v *value) (string, bool) {
	var b strings.Builder
	if !writeJSON(&b, v) {
		return "", false
	}
	return b.String(), true
}

// writeJSON writes v as JSON.stringify does; false for values it cannot
// write (placeholders, undefined at the top).
func writeJSON(b *strings.Builder, v *value) bool {
	switch v.kind {
	case kNull:
		b.WriteString("null")
	case kBool:
		b.WriteString(strconv.FormatBool(v.b))
	case kNum:
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(jsNumber(v.num))
		}
	case kStr:
		if !v.static() {
			return false
		}
		b.WriteString(jsonQuote(v.text(nil)))
	case kArr:
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			if it.kind == kUndef || it.kind == kFunc {
				b.WriteString("null")
			} else if !writeJSON(b, it) {
				return false
			}
		}
		b.WriteByte(']')
	case kObj:
		b.WriteByte('{')
		n := 0
		for _, p := range v.props {
			if p.val.kind == kUndef || p.val.kind == kFunc {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonQuote(p.key))
			b.WriteByte(':')
			if !writeJSON(b, p.val) {
				return false
			}
			n++
		}
		b.WriteByte('}')
	default:
		return false
	}
	return true
}

// jsonQuote quotes s as JSON.stringify does (no HTML escaping).
func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// unquoteJS returns the value of a JavaScript string literal (with its
// quotes) or of a template literal's raw text (without them, quote 0).
func unquoteJS(lit []byte, quote byte) string {
	s := lit
	if quote != 0 {
		if len(s) < 2 {
			return ""
		}
		s = s[1 : len(s)-1]
	}
	if !strings.ContainsRune(string(s), '\\') {
		return string(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			b.WriteByte(0)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			// line continuation
		case 'x':
			if i+2 < len(s) {
				if n, err := strconv.ParseUint(string(s[i+1:i+3]), 16, 8); err == nil {
					b.WriteRune(rune(n))
					i += 2
					continue
				}
			}
			b.WriteByte('x')
		case 'u':
			r, n := unicodeEscape(s[i+1:])
			if n == 0 {
				b.WriteByte('u')
				continue
			}
			i += n
			if utf16.IsSurrogate(r) && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2, n2 := unicodeEscape(s[i+3:]); n2 > 0 {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 2 + n2
					}
				}
			}
			b.WriteRune(r)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unicodeEscape reads XXXX or {X...} after \u, returning the rune and the
// bytes used (0 when malformed).
func unicodeEscape(s []byte) (rune, int) {
	if len(s) > 0 && s[0] == '{' {
		end := strings.IndexByte(string(s), '}')
		if end < 2 {
			return 0, 0
		}
		n, err := strconv.ParseUint(string(s[1:end]), 16, 32)
		if err != nil || n > utf8.MaxRune {
			return 0, 0
		}
		return rune(n), end + 1
	}
	if len(s) < 4 {
		return 0, 0
	}
	n, err := strconv.ParseUint(string(s[:4]), 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(n), 4
}

// parseJSNumber parses a numeric literal (decimal, 0x, 0o, 0b, legacy
// octal, with _ separators).
func parseJSNumber(lit string) (float64, bool) {
	s := strings.ReplaceAll(lit, "_", "")
	s = strings.TrimSuffix(s, "n") // BigInt
	if len(s) > 1 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			n, err := strconv.ParseUint(s[2:], base, 64)
			return float64(n), err == nil
		}
		if !strings.ContainsAny(s, ".eE89") {
			n, err := strconv.ParseUint(s[1:], 8, 64)
			return float64(n), err == nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, false
	}
	return f, true
}
