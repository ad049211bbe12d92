package convert

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tdewolff/parse/v2/js"
)

// This file evaluates the expressions of a page's scripts as far as they
// can be known without running the page: literals, objects and arrays,
// variables the page declares once, string concatenation and template
// literals, JSON.stringify, JSON.parse, encodeURIComponent and the DOM
// lookups that name an element. Anything else is a placeholder named after
// its source text.

// Evaluation bounds, against input built to make evaluation explode
// (var a = "x"; var b = a + a; var c = b + b; ...).
const (
	maxSteps     = 2_000_000 // expression evaluations per conversion
	maxStringLen = 1 << 20   // bytes of one computed string
	maxEvalDepth = 4 * MaxDepth
	// maxLiteral bounds the members of an object or array literal worth
	// evaluating; a larger one (inlined data) is an unknown value.
	maxLiteral = 10000
)

// script is one parsed script of a page.
type script struct {
	src  *source
	buf  []byte // the bytes the parser read (a copy, so offsets can be found)
	base int    // offset of buf[0] in src.text
	ast  *js.AST
}

// binding is what a variable of the page holds: its one initializer or
// assignment, or the function it declares.
type binding struct {
	sc      *script
	init    js.IExpr
	fn      *js.FuncDecl
	writes  int // assignments besides the declaration
	global  bool
	state   uint8 // 0 not evaluated, 1 in progress, 2 done
	val     *value
	reached bool // a function body walked by the scanner
}

// evaluator evaluates the expressions of one page's scripts.
type evaluator struct {
	c        *conversion
	pg       *page
	sc       *script
	bindings map[*js.Var]*binding
	depth    int
}

// offsetIn returns the offset of sub in buf, or -1 when sub is not a
// slice of buf. The parser's AST keeps slices of its input but no
// positions; this recovers them.
func offsetIn(buf, sub []byte) int {
	if len(sub) == 0 || len(buf) == 0 {
		return -1
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	if p < start || p >= start+uintptr(len(buf)) {
		return -1
	}
	return int(p - start)
}

// off returns the offset in the source text of bytes of the current script.
func (ev *evaluator) off(data []byte) int {
	if ev.sc == nil {
		return -1
	}
	if o := offsetIn(ev.sc.buf, data); o >= 0 {
		return ev.sc.base + o
	}
	return -1
}

// nodeOff returns an offset for an expression: that of its first literal
// or name.
func (ev *evaluator) nodeOff(e js.INode) int {
	for range maxEvalDepth {
		switch n := e.(type) {
		case *js.LiteralExpr:
			return ev.off(n.Data)
		case *js.Var:
			return ev.off(n.Data)
		case *js.GroupExpr:
			e = n.X
		case *js.DotExpr:
			e = n.X
		case *js.IndexExpr:
			e = n.X
		case *js.CallExpr:
			if len(n.Args.List) > 0 {
				if o := ev.nodeOff(n.Args.List[0].Value); o >= 0 {
					return o
				}
			}
			e = n.X
		case *js.BinaryExpr:
			e = n.X
		case *js.UnaryExpr:
			e = n.X
		case *js.CondExpr:
			e = n.Cond
		case *js.ObjectExpr:
			if len(n.List) == 0 || n.List[0].Name == nil {
				return -1
			}
			return ev.off(n.List[0].Name.Literal.Data)
		case *js.ArrayExpr:
			if len(n.List) == 0 || n.List[0].Value == nil {
				return -1
			}
			e = n.List[0].Value
		case *js.ExprStmt:
			e = n.Value
		default:
			return -1
		}
	}
	return -1
}

// fail stops the conversion with an input error at off.
func (ev *evaluator) fail(off int, reason string) {
	if ev.c.err != nil {
		return
	}
	src := ev.pg.src
	if ev.sc != nil {
		src = ev.sc.src
	}
	line, col := src.pos(off)
	ev.c.err = &InputError{File: src.name, Line: line, Col: col, Reason: reason}
}

// step counts an evaluation against the budget.
func (ev *evaluator) step(off int) bool {
	if ev.c.err != nil {
		return false
	}
	ev.c.steps++
	if ev.c.steps > maxSteps {
		ev.fail(off, "the scripts take too long to evaluate (more than "+strconv.Itoa(maxSteps)+" steps): is this input built to be hostile?")
		return false
	}
	return true
}

var undef = &value{kind: kUndef, off: -1, nodes: 1}

// eval evaluates an expression. Every value it returns is measured, and
// one past the bounds of a value stops the conversion.
func (ev *evaluator) eval(e js.IExpr) *value {
	v := ev.evalNode(e)
	if v.nodes == 0 && !v.measure() || v.nodes > maxNodes || v.bytes > maxBytes {
		ev.fail(ev.nodeOff(e), "a value the scripts compute grows beyond "+strconv.Itoa(maxNodes)+" members, "+strconv.Itoa(maxBytes)+" bytes or "+strconv.Itoa(maxHoles)+" placeholders in one string: is this input built to be hostile?")
		return undef
	}
	return v
}

// evalNode evaluates an expression's node.
func (ev *evaluator) evalNode(e js.IExpr) *value {
	if e == nil {
		return undef
	}
	off := ev.nodeOff(e)
	if !ev.step(off) {
		return undef
	}
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > maxEvalDepth {
		// A chain such as a+b+c+... with hundreds of terms: its value is
		// not worth knowing (the bracket limit keeps Sobot's own objects
		// far shallower), and printing it for a placeholder would cost
		// time, so it is an unknown value with a short name.
		return ev.deep(off)
	}
	switch e := e.(type) {
	case *js.LiteralExpr:
		return ev.literal(e)
	case *js.Var:
		return ev.variable(e)
	case *js.GroupExpr:
		return ev.eval(e.X)
	case *js.CommaExpr:
		var v *value = undef
		for _, x := range e.List {
			v = ev.eval(x)
		}
		return v
	case *js.ObjectExpr:
		if len(e.List) > maxLiteral {
			return ev.unknown(off, "an object literal of more than "+strconv.Itoa(maxLiteral)+" members")
		}
		return ev.object(e)
	case *js.ArrayExpr:
		if len(e.List) > maxLiteral {
			return ev.unknown(off, "an array literal of more than "+strconv.Itoa(maxLiteral)+" elements")
		}
		v := &value{kind: kArr, off: off}
		for _, el := range e.List {
			it := ev.eval(el.Value)
			if el.Spread {
				if it.kind == kArr {
					v.items = append(v.items, it.items...)
					continue
				}
				return ev.dyn(e)
			}
			v.items = append(v.items, it)
		}
		return v
	case *js.UnaryExpr:
		return ev.unary(e)
	case *js.BinaryExpr:
		return ev.binary(e)
	case *js.CondExpr:
		if t, ok := ev.eval(e.Cond).truthy(); ok {
			if t {
				return ev.eval(e.X)
			}
			return ev.eval(e.Y)
		}
		return ev.dyn(e)
	case *js.CallExpr:
		return ev.call(e)
	case *js.DotExpr:
		return ev.member(e, e.X, dotName(e))
	case *js.IndexExpr:
		key := ev.eval(e.Y)
		if !key.static() || (key.kind != kStr && key.kind != kNum) {
			return ev.dyn(e)
		}
		return ev.member(e, e.X, key.text(nil))
	case *js.TemplateExpr:
		return ev.template(e)
	case *js.FuncDecl, *js.ArrowFunc:
		return &value{kind: kFunc, fn: &fnValue{off: off}, off: off}
	}
	return ev.dyn(e)
}

// literal evaluates a literal token.
func (ev *evaluator) literal(e *js.LiteralExpr) *value {
	off := ev.off(e.Data)
	switch {
	case e.TokenType == js.StringToken:
		return &value{kind: kStr, parts: ev.c.splitMarkers(unquoteJS(e.Data, e.Data[0])), off: off}
	case e.TokenType == js.TemplateToken:
		raw := e.Data
		if len(raw) >= 2 {
			raw = raw[1 : len(raw)-1]
		}
		return &value{kind: kStr, parts: ev.c.splitMarkers(unquoteJS(raw, 0)), off: off}
	case js.IsNumeric(e.TokenType):
		f, ok := parseJSNumber(string(e.Data))
		if !ok {
			return ev.dyn(e)
		}
		return &value{kind: kNum, num: f, off: off}
	case e.TokenType == js.TrueToken:
		return &value{kind: kBool, b: true, off: off}
	case e.TokenType == js.FalseToken:
		return &value{kind: kBool, off: off}
	case e.TokenType == js.NullToken:
		return &value{kind: kNull, off: off}
	}
	return ev.dyn(e)
}

// resolve follows a variable's links to the variable it stands for.
func resolve(v *js.Var) *js.Var {
	for range 64 {
		if v.Link == nil {
			break
		}
		v = v.Link
	}
	return v
}

// bindingOf returns what the page binds v to: a declaration of this
// script, or a global of an earlier script of the page.
func (ev *evaluator) bindingOf(v *js.Var) *binding {
	v = resolve(v)
	if b := ev.bindings[v]; b != nil {
		return b
	}
	if v.Decl == js.NoDecl {
		return ev.pg.globals[string(v.Data)]
	}
	return nil
}

// variable evaluates a variable reference.
func (ev *evaluator) variable(v *js.Var) *value {
	name := string(resolve(v).Data)
	off := ev.off(v.Data)
	if strings.HasPrefix(name, ev.c.prefix) {
		if parts := ev.c.splitMarkers(name); len(parts) == 1 && parts[0].ph != nil {
			return &value{kind: kDyn, ph: parts[0].ph, off: off}
		}
	}
	b := ev.bindingOf(v)
	switch {
	case b == nil:
		switch name {
		case "undefined":
			return undef
		case "NaN":
			return &value{kind: kNum, num: math.NaN(), off: off}
		case "Infinity":
			return &value{kind: kNum, num: math.Inf(1), off: off}
		}
		return ev.dyn(v)
	case b.fn != nil:
		return &value{kind: kFunc, fn: &fnValue{path: name, off: off}, off: off}
	case b.writes > 0 && b.init != nil && b.state == 0:
		// Assigned more than once: its value depends on when it is read.
		return ev.dyn(v)
	}
	switch b.state {
	case 1:
		return ev.dyn(v) // defined in terms of itself
	case 2:
		return b.val
	}
	b.state = 1
	saved := ev.sc
	ev.sc = b.sc
	val := ev.eval(b.init)
	ev.sc = saved
	b.val, b.state = val, 2
	return val
}

// object evaluates an object literal.
func (ev *evaluator) object(e *js.ObjectExpr) *value {
	v := &value{kind: kObj, off: ev.nodeOff(e)}
	for _, p := range e.List {
		if p.Spread {
			src := ev.eval(p.Value)
			if src.kind != kObj {
				return ev.dyn(e)
			}
			for _, q := range src.props {
				v.set(q.key, q.val, q.off)
			}
			continue
		}
		if p.Name == nil {
			continue
		}
		var key string
		off := ev.off(p.Name.Literal.Data)
		switch {
		case p.Name.IsComputed():
			k := ev.eval(p.Name.Computed)
			if !k.static() || (k.kind != kStr && k.kind != kNum) {
				return ev.dyn(e)
			}
			key = k.text(nil)
			off = k.off
		case p.Name.Literal.TokenType == js.StringToken:
			key = unquoteJS(p.Name.Literal.Data, p.Name.Literal.Data[0])
		case js.IsNumeric(p.Name.Literal.TokenType):
			f, _ := parseJSNumber(string(p.Name.Literal.Data))
			key = jsNumber(f)
		default:
			key = string(p.Name.Literal.Data)
		}
		val := ev.eval(p.Value)
		if _, ok := p.Value.(*js.MethodDecl); ok {
			val = &value{kind: kFunc, fn: &fnValue{off: off}, off: off}
		}
		v.set(key, val, off)
	}
	return v
}

// unary evaluates a unary operator.
func (ev *evaluator) unary(e *js.UnaryExpr) *value {
	x := ev.eval(e.X)
	off := ev.nodeOff(e)
	switch e.Op {
	case js.NotToken:
		if t, ok := x.truthy(); ok {
			return &value{kind: kBool, b: !t, off: off}
		}
	case js.NegToken:
		if f, ok := x.toNumber(); ok {
			return &value{kind: kNum, num: -f, off: off}
		}
	case js.PosToken:
		if f, ok := x.toNumber(); ok {
			return &value{kind: kNum, num: f, off: off}
		}
	case js.VoidToken:
		return undef
	}
	return ev.dyn(e)
}

// binary evaluates a binary operator.
func (ev *evaluator) binary(e *js.BinaryExpr) *value {
	off := ev.nodeOff(e)
	switch e.Op {
	case js.EqToken:
		return ev.eval(e.Y)
	case js.OrToken, js.AndToken, js.NullishToken:
		l := ev.eval(e.X)
		t, ok := l.truthy()
		if e.Op == js.NullishToken {
			t, ok = l.kind != kNull && l.kind != kUndef, l.kind != kDyn
		}
		if !ok {
			return ev.dyn(e)
		}
		if (e.Op == js.AndToken) == t {
			return ev.eval(e.Y)
		}
		return l
	case js.AddToken:
		l, r := ev.eval(e.X), ev.eval(e.Y)
		if l.kind == kStr || r.kind == kStr || l.kind == kArr || r.kind == kArr {
			return ev.concat(e, l, r, off)
		}
		lf, lok := l.toNumber()
		rf, rok := r.toNumber()
		if lok && rok {
			return &value{kind: kNum, num: lf + rf, off: off}
		}
		return ev.dyn(e)
	case js.SubToken, js.MulToken, js.DivToken, js.ModToken:
		lf, lok := ev.eval(e.X).toNumber()
		rf, rok := ev.eval(e.Y).toNumber()
		if !lok || !rok {
			return ev.dyn(e)
		}
		var f float64
		switch e.Op {
		case js.SubToken:
			f = lf - rf
		case js.MulToken:
			f = lf * rf
		case js.DivToken:
			f = lf / rf
		default:
			f = math.Mod(lf, rf)
		}
		return &value{kind: kNum, num: f, off: off}
	}
	return ev.dyn(e)
}

// concat joins two values as strings, keeping placeholders as holes.
func (ev *evaluator) concat(e js.IExpr, l, r *value, off int) *value {
	var parts []part
	for _, x := range []*value{l, r} {
		switch x.kind {
		case kStr:
			for _, p := range x.parts {
				if p.ph != nil {
					parts = append(parts, p)
				} else {
					parts = appendText(parts, p.text)
				}
			}
		case kDyn:
			parts = append(parts, part{ph: x.ph})
		case kObj, kFunc, kElem:
			return ev.dyn(e)
		default:
			if x.hasPlaceholder() {
				return ev.dyn(e)
			}
			parts = appendText(parts, x.text(nil))
		}
	}
	n := 0
	for _, p := range parts {
		n += len(p.text)
	}
	if n > maxStringLen {
		ev.fail(off, "a string the scripts compute grows beyond "+strconv.Itoa(maxStringLen)+" bytes")
		return undef
	}
	return &value{kind: kStr, parts: parts, off: off}
}

// template evaluates a template literal without tag.
func (ev *evaluator) template(e *js.TemplateExpr) *value {
	if e.Tag != nil {
		return ev.dyn(e)
	}
	off := ev.nodeOff(e)
	var parts []part
	add := func(raw []byte) {
		for _, p := range ev.c.splitMarkers(unquoteJS(raw, 0)) {
			if p.ph != nil {
				parts = append(parts, p)
			} else {
				parts = appendText(parts, p.text)
			}
		}
	}
	for _, tp := range e.List {
		// Value holds the text before ${, with the opening ` or } and
		// the ${ itself.
		raw := tp.Value
		if len(raw) >= 1 {
			raw = raw[1:]
		}
		raw = bytes.TrimSuffix(raw, []byte("${"))
		add(raw)
		x := ev.eval(tp.Expr)
		switch {
		case x.kind == kDyn:
			parts = append(parts, part{ph: x.ph})
		case x.kind == kStr:
			parts = append(parts, x.parts...)
		case x.static():
			parts = appendText(parts, x.text(nil))
		default:
			return ev.dyn(e)
		}
	}
	tail := e.Tail
	if len(tail) >= 2 {
		tail = tail[1 : len(tail)-1]
	}
	add(tail)
	if off < 0 {
		off = ev.off(e.Tail)
	}
	return &value{kind: kStr, parts: parts, off: off}
}

// dotName returns the property name of a.b, or "".
func dotName(e *js.DotExpr) string {
	switch y := e.Y.(type) {
	case js.LiteralExpr: // the parser stores the name by value
		return string(y.Data)
	case *js.LiteralExpr:
		return string(y.Data)
	case *js.Var:
		return string(y.Data)
	}
	return ""
}

// member evaluates obj.key or obj[key].
func (ev *evaluator) member(e, obj js.IExpr, key string) *value {
	o := ev.eval(obj)
	switch o.kind {
	case kObj:
		if v := o.get(key); v != nil {
			return v
		}
		if o.static() {
			return undef
		}
	case kArr:
		if key == "length" {
			return &value{kind: kNum, num: float64(len(o.items)), off: o.off}
		}
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(o.items) {
			return o.items[i]
		}
	case kStr:
		if key == "length" && o.static() {
			return &value{kind: kNum, num: float64(len(utf16Units(o.text(nil)))), off: o.off}
		}
	case kElem:
		if key == "0" {
			return o // $(".x")[0], getElementsByClassName("x")[0]
		}
	}
	return ev.dyn(e)
}

// utf16Units returns s in UTF-16 code units, as JavaScript counts length.
func utf16Units(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, 0, 0)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// refPath returns the dotted name of a callee or reference (a, a.b.c), or "".
func refPath(e js.IExpr) string {
	switch e := e.(type) {
	case *js.Var:
		return string(resolve(e).Data)
	case *js.DotExpr:
		if p := refPath(e.X); p != "" {
			if n := dotName(e); n != "" {
				return p + "." + n
			}
		}
	case *js.GroupExpr:
		return refPath(e.X)
	}
	return ""
}

// call evaluates a function call.
func (ev *evaluator) call(e *js.CallExpr) *value {
	off := ev.nodeOff(e)
	p := strings.TrimPrefix(refPath(e.X), "window.")
	arg := func(i int) *value {
		if i < len(e.Args.List) {
			return ev.eval(e.Args.List[i].Value)
		}
		return undef
	}
	switch p {
	case "encodeURIComponent", "encodeURI":
		x := arg(0)
		if x.kind == kDyn {
			x = &value{kind: kStr, parts: []part{{ph: x.ph}}, off: x.off}
		}
		if x.kind != kStr && x.static() {
			x = str(x.text(nil), x.off)
		}
		if x.kind != kStr {
			return ev.dyn(e)
		}
		v := &value{kind: kStr, uri: x, off: off}
		for _, q := range x.parts {
			if q.ph != nil {
				v.parts = append(v.parts, q)
			} else {
				v.parts = appendText(v.parts, encodeURIComponent(q.text))
			}
		}
		return v
	case "decodeURIComponent", "decodeURI":
		x := arg(0)
		if x.kind == kStr && x.static() {
			if d, ok := decodeURIComponent(x.text(nil)); ok {
				return str(d, off)
			}
		}
		if x.uri != nil {
			return x.uri
		}
		return ev.dyn(e)
	case "JSON.stringify":
		x := arg(0)
		if x.kind == kDyn || x.kind == kStr && !x.static() {
			return &value{kind: kDyn, ph: ev.dyn(e).ph, json: x, off: off}
		}
		if t, ok := jsonText(x); ok {
			v := str(t, off)
			v.json = x
			return v
		}
		// Holes inside: the text is known only when the page runs, the
		// structure is known now.
		return &value{kind: kDyn, ph: ev.dyn(e).ph, json: x, off: off}
	case "JSON.parse":
		x := arg(0)
		if x.kind == kStr && x.static() {
			dec := json.NewDecoder(strings.NewReader(x.text(nil)))
			dec.UseNumber()
			var out any
			if dec.Decode(&out) == nil {
				return fromPlain(out, ev.c.splitMarkers, off)
			}
		}
		if x.json != nil {
			return x.json
		}
		return ev.dyn(e)
	case "String":
		x := arg(0)
		if x.kind == kStr || x.kind == kDyn {
			return x
		}
		if x.static() {
			return str(x.text(nil), off)
		}
	case "Number", "parseInt", "parseFloat", "Math.round", "Math.floor":
		x := arg(0)
		if f, ok := x.toNumber(); ok {
			if p != "Number" && p != "parseFloat" {
				f = math.Trunc(f)
			}
			return &value{kind: kNum, num: f, off: off}
		}
	case "document.getElementById":
		if x := arg(0); x.kind == kStr && x.static() {
			return &value{kind: kElem, elem: elemSel{name: x.text(nil)}, off: off}
		}
	case "document.getElementsByClassName":
		if x := arg(0); x.kind == kStr && x.static() && !strings.ContainsAny(strings.TrimSpace(x.text(nil)), " \t\n") {
			return &value{kind: kElem, elem: elemSel{byClass: true, name: strings.TrimSpace(x.text(nil))}, off: off}
		}
	case "document.querySelector", "document.querySelectorAll", "$", "jQuery":
		if x := arg(0); x.kind == kStr && x.static() {
			return &value{kind: kElem, elem: selector(x.text(nil)), off: off}
		}
		if x := arg(0); x.kind == kElem {
			return x
		}
	}
	if d, ok := e.X.(*js.DotExpr); ok {
		switch dotName(d) {
		case "toString", "trim", "toLowerCase", "toUpperCase":
			x := ev.eval(d.X)
			if x.kind == kStr && x.static() || x.kind == kNum || x.kind == kBool {
				s := x.text(nil)
				switch dotName(d) {
				case "trim":
					s = strings.TrimSpace(s)
				case "toLowerCase":
					s = strings.ToLower(s)
				case "toUpperCase":
					s = strings.ToUpper(s)
				}
				return str(s, off)
			}
			if x.kind == kStr || x.kind == kDyn {
				return x
			}
		case "join":
			x := ev.eval(d.X)
			if x.kind == kArr && x.static() {
				sep := ","
				if len(e.Args.List) > 0 {
					sep = arg(0).text(nil)
				}
				items := make([]string, len(x.items))
				for i, it := range x.items {
					if it.kind != kUndef && it.kind != kNull {
						items[i] = it.text(nil)
					}
				}
				s := strings.Join(items, sep)
				if len(s) > maxStringLen {
					ev.fail(off, "a string the scripts compute grows beyond "+strconv.Itoa(maxStringLen)+" bytes")
					return undef
				}
				return str(s, off)
			}
		}
	}
	return ev.dyn(e)
}

// selector returns the element a CSS selector picks when it is a single
// #id or .class; otherwise an elemSel that names the selector.
func selector(s string) elemSel {
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == '#' || s[0] == '.') && !strings.ContainsAny(s[1:], " >+~[]:.#,*()\"'") {
		return elemSel{byClass: s[0] == '.', name: s[1:]}
	}
	return elemSel{what: s}
}

// dyn returns a placeholder value for an expression whose value is known
// only when the page runs; the same expression text of a file gives the
// same placeholder.
func (ev *evaluator) dyn(e js.IExpr) *value {
	off := ev.nodeOff(e)
	var b bytes.Buffer
	e.JS(&b)
	expr := ev.c.restoreMarkers(strings.TrimSpace(b.String()))
	if len(expr) > 200 {
		expr = expr[:197] + "..."
	}
	src := ev.pg.src
	if ev.sc != nil {
		src = ev.sc.src
	}
	key := src.name + "\x00" + expr
	if p := ev.c.dynByExpr[key]; p != nil {
		return &value{kind: kDyn, ph: p, off: off}
	}
	line, col := src.pos(off)
	p := &placeholder{id: len(ev.c.placeholders), expr: expr, file: src.name, line: line, col: col}
	ev.c.placeholders = append(ev.c.placeholders, p)
	ev.c.dynByExpr[key] = p
	return &value{kind: kDyn, ph: p, off: off}
}

// deep returns the unknown value of an expression nested too deeply to
// evaluate.
func (ev *evaluator) deep(off int) *value {
	return ev.unknown(off, "an expression nested more than "+strconv.Itoa(maxEvalDepth)+" deep")
}

// unknown returns an unknown value that is not worth evaluating or
// printing (what says what it is), one placeholder per kind and file.
func (ev *evaluator) unknown(off int, what string) *value {
	src := ev.pg.src
	if ev.sc != nil {
		src = ev.sc.src
	}
	key := src.name + "\x00(" + what + ")"
	p := ev.c.dynByExpr[key]
	if p == nil {
		line, col := src.pos(off)
		p = &placeholder{id: len(ev.c.placeholders), expr: what, file: src.name, line: line, col: col}
		ev.c.placeholders = append(ev.c.placeholders, p)
		ev.c.dynByExpr[key] = p
	}
	return &value{kind: kDyn, ph: p, off: off, nodes: 1}
}

// restoreMarkers writes each marker in s as its placeholder's original text.
func (c *conversion) restoreMarkers(s string) string {
	if !strings.Contains(s, c.prefix) {
		return s
	}
	var b strings.Builder
	for _, p := range c.splitMarkers(s) {
		if p.ph != nil {
			b.WriteString(p.ph.expr)
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}
