package convert

import (
	"bytes"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// This file reads the zc(...) calls of a page: the reference's config, the
// callbacks, the calls bound to clicks and the browsing traces.

// maxCalls bounds the zc calls of a file, and the members of its configs;
// real pages make a handful.
const maxCalls = 1000

// zcCall records one zc(...) call made in context cx.
func (pg *page) zcCall(s *scanner, n *js.CallExpr, cx ctx) {
	ev := s.ev
	c := ev.c
	pg.zcCalls++
	args := n.Args.List
	off := ev.nodeOff(n)
	if pg.zcCalls > maxCalls {
		if pg.zcCalls == maxCalls+1 {
			c.findAt(ev.sc.src, off, Skipped, "zc", "more than "+itoa(maxCalls)+" zc calls in one file: this one and those after it are not read").pg = pg
		}
		return
	}
	if len(args) == 0 {
		return
	}
	first := ev.eval(args[0].Value)
	if first.kind != kStr || !first.static() {
		c.findAt(ev.sc.src, off, Skipped, "zc", "zc is called with a computed first argument ("+c.jsText(first)+"): not converted").pg = pg
		return
	}
	name := first.text(nil)
	call := "zc(" + name + ")"
	arg := func(i int) *value {
		if i < len(args) {
			return ev.eval(args[i].Value)
		}
		return nil
	}
	skip := func(why string) {
		c.findAt(ev.sc.src, off, Skipped, call, `zc("`+name+`") `+why+": not converted").pg = pg
	}
	if cx.kind == ctxOther && name != "dynamic_ready" {
		skip("runs in " + cx.what)
		return
	}
	if cx.cond != "" && cx.kind != ctxOther {
		c.findAt(ev.sc.src, off, Note, call, `zc("`+name+`") runs under `+cx.cond+`: converted as if it always runs`).pg = pg
	}
	switch name {
	case "config":
		if cx.kind != ctxLoad {
			skip("runs on a click; the widget's config is set when the page loads")
			return
		}
		v := arg(1)
		if v == nil || v.kind != kObj {
			skip("is not given an object literal (" + c.jsText(v) + ")")
			return
		}
		for _, p := range v.props {
			if len(pg.config) >= maxCalls {
				c.findAt(ev.sc.src, p.off, Skipped, p.key, "more than "+itoa(maxCalls)+" config members in one file: this one and those after it are not read").pg = pg
				break
			}
			pg.config = append(pg.config, configItem(p))
		}
	case "frame_ready", "receive_message", "zhichiReceive", "offline_message_count":
		if cx.kind != ctxLoad {
			skip("is registered from a click handler; the widget registers it when the page loads")
			return
		}
		e := event{name: name, cx: cx, off: off}
		s.callbackArg(&e, args, 1)
		pg.events = append(pg.events, e)
	case "frame_manual", "frame_status":
		if cx.kind != ctxClick {
			skip("runs as the page loads; the widget makes it on a click only (Widget." + map[string]string{"frame_manual": "ManualInit", "frame_status": "StatusToggle"}[name] + ")")
			return
		}
		e := event{name: name, cx: cx, off: off}
		s.callbackArg(&e, args, 1)
		pg.events = append(pg.events, e)
	case "trace":
		v := arg(1)
		if v == nil || v.kind != kObj {
			skip("is not given an object literal (" + c.jsText(v) + ")")
			return
		}
		pg.events = append(pg.events, event{name: name, cx: cx, arg: v, off: off})
	case "dynamic_ready":
		pg.events = append(pg.events, event{name: name, cx: cx, off: off})
	default:
		skip("is not a call the reference documents")
	}
}

// callbackArg reads the callback argument i of a zc call into e.
func (s *scanner) callbackArg(e *event, args []js.Arg, i int) {
	if i >= len(args) {
		return
	}
	x := args[i].Value
	for {
		g, ok := x.(*js.GroupExpr)
		if !ok {
			break
		}
		x = g.X
	}
	ev := s.ev
	switch f := x.(type) {
	case *js.FuncDecl:
		e.cb = &value{kind: kFunc, fn: &fnValue{src: s.argSource(args, i), off: ev.nodeOff(x)}, off: e.off}
		s.enter(&f.Body, nil, ctx{kind: ctxOther, what: "the callback of zc(\"" + e.name + "\")"}, 0)
	case *js.ArrowFunc:
		e.cb = &value{kind: kFunc, fn: &fnValue{src: s.argSource(args, i), off: ev.nodeOff(x)}, off: e.off}
		s.enter(&f.Body, nil, ctx{kind: ctxOther, what: "the callback of zc(\"" + e.name + "\")"}, 0)
	default:
		p := refPath(x)
		if p == "" {
			e.cb = ev.eval(x)
			return
		}
		if v, ok := x.(*js.Var); ok {
			if b := ev.bindingOf(v); b != nil && b.fn != nil && !b.global {
				// A function local to the page's code is not reachable by
				// name: it is treated as an expression.
				e.cb = &value{kind: kFunc, fn: &fnValue{src: exprText(b.fn), off: ev.nodeOff(x)}, off: e.off}
				return
			}
		}
		e.cb = &value{kind: kFunc, fn: &fnValue{path: strings.TrimPrefix(p, "window."), off: ev.nodeOff(x)}, off: e.off}
	}
}

// argSource returns the source text of argument i as the page wrote it,
// found by lexing from the end of argument i-1 when that is a literal; it
// falls back to the parser's printing of the argument.
func (s *scanner) argSource(args []js.Arg, i int) string {
	fallback := func() string { return exprText(args[i].Value) }
	if i == 0 {
		return fallback()
	}
	lit, ok := args[i-1].Value.(*js.LiteralExpr)
	if !ok {
		return fallback()
	}
	sc := s.ev.sc
	start := offsetIn(sc.buf, lit.Data)
	if start < 0 {
		return fallback()
	}
	start += len(lit.Data)
	// A handler longer than maxSource is shown as the parser prints it.
	end := min(len(sc.buf), start+maxSource)
	rest := make([]byte, end-start, end-start+1)
	copy(rest, sc.buf[start:end])
	l := js.NewLexer(parse.NewInputBytes(rest))
	pos, depth, from, to := 0, 0, -1, -1
	sawComma := false
	for to < 0 {
		tt, data := l.Next()
		if tt == js.ErrorToken {
			return fallback()
		}
		tokStart := pos
		pos += len(data)
		switch tt {
		case js.WhitespaceToken, js.LineTerminatorToken, js.CommentToken, js.CommentLineTerminatorToken:
			continue
		case js.CommaToken:
			if depth == 0 {
				if !sawComma {
					sawComma = true
					continue
				}
				to = tokStart
				continue
			}
		case js.OpenParenToken, js.OpenBraceToken, js.OpenBracketToken, js.TemplateStartToken:
			depth++
		case js.CloseParenToken, js.CloseBraceToken, js.CloseBracketToken, js.TemplateEndToken:
			if depth == 0 {
				to = tokStart
				continue
			}
			depth--
		}
		if !sawComma {
			return fallback()
		}
		if from < 0 {
			from = tokStart
		}
	}
	if from < 0 {
		return fallback()
	}
	text := bytes.TrimSpace(rest[from:to])
	// Check the text is the argument: it parses as one expression.
	check := append(append([]byte("("), text...), ')')
	if _, err := parseJS(check); err != nil {
		return fallback()
	}
	return dedent(string(text))
}

// maxSource bounds the original text of a function shown in the
// generated code's comments.
const maxSource = 16 << 10

// dedent removes the indentation the function's continuation lines share.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) < 2 {
		return s
	}
	common := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return s
	}
	last := lines[len(lines)-1]
	lastIndent := len(last) - len(strings.TrimLeft(last, " \t"))
	cut := min(common, lastIndent)
	for i := 1; i < len(lines); i++ {
		if len(lines[i]) >= cut {
			lines[i] = lines[i][cut:]
		}
	}
	return strings.Join(lines, "\n")
}

// messageListener reads a message event listener: the reference's
// 关闭聊天页面时的回调 (it looks for zc_post_message) becomes OnCollapse;
// another listener is walked as code that runs at another time.
func (pg *page) messageListener(s *scanner, body *js.BlockStmt, fn js.IExpr, cx ctx) {
	found, at := false, -1
	var visit func(n js.INode, depth int)
	visit = func(n js.INode, depth int) {
		if found || n == nil || depth > maxEvalDepth {
			return
		}
		if lit, ok := n.(*js.LiteralExpr); ok && lit.TokenType == js.StringToken {
			v := unquoteJS(lit.Data, lit.Data[0])
			found = v == "zc_post_message" || v == "chat_collapse_window"
			at = s.ev.off(lit.Data)
			return
		}
		children(n, func(x js.INode) { visit(x, depth+1) })
	}
	visit(body, 0)
	if !found {
		s.enter(body, nil, ctx{kind: ctxOther, what: "a message listener"}, 0)
		return
	}
	off := s.ev.nodeOff(fn)
	if off < 0 {
		off = at
	}
	if cx.kind != ctxLoad {
		s.ev.c.findAt(s.ev.sc.src, off, Skipped, "Widget.OnCollapse", "the listener for the chat's close message is added in "+cx.what+": not converted").pg = pg
		return
	}
	pg.events = append(pg.events, event{name: "collapse", cx: cx, off: off,
		cb: &value{kind: kFunc, fn: &fnValue{src: exprText(fn), off: off}, off: off}})
}
