package convert

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// This file walks a page's scripts for what concerns Sobot: the zc(...)
// calls and the context they run in (page load, a click on an element,
// something else), the loader's URL, and chat links built as strings.

type ctxKind uint8

const (
	ctxLoad  ctxKind = iota // runs as the page loads
	ctxClick                // runs on a click on elem
	ctxOther                // runs some other time: what says when
)

// ctx is when the statements being walked run.
type ctx struct {
	kind ctxKind
	elem elemSel
	what string // for ctxOther: "function openChat", "a scroll handler"
	cond string // set under if, loops and try: the statement kind
	via  string // for ctxClick: how the page binds the click
}

// scanner walks one script of a page.
type scanner struct {
	ev       *evaluator
	visited  map[*js.FuncDecl]bool
	deepSeen bool // a part nested too deeply was skipped
}

// parseScript parses JavaScript text at offset base of the page's source
// text. A script that does not parse, or nests too deeply, is an input
// error when it mentions Sobot (the conversion would miss part of the
// integration) and is skipped with a finding otherwise.
func (c *conversion) parseScript(pg *page, text []byte, base int, what string) *script {
	if pg.scripts++; pg.scripts > maxPerFile {
		if c.err == nil {
			line, col := pg.src.pos(base)
			c.err = &InputError{File: pg.src.name, Line: line, Col: col, Reason: "has more than " + strconv.Itoa(maxPerFile) + " scripts and event handler attributes"}
		}
		return nil
	}
	if reason, at := depthExceeded(text); reason != "" {
		c.scriptProblem(pg, text, base+at, reason, what)
		return nil
	}
	buf := make([]byte, len(text), len(text)+1)
	copy(buf, text)
	ast, err := parseJS(buf)
	if err != nil {
		off := base
		if perr, ok := err.(*parse.Error); ok {
			off = base + lineColOffset(text, perr.Line, perr.Column)
			err = errorMessage(perr.Message)
		}
		c.scriptProblem(pg, text, off, "not valid JavaScript: "+err.Error(), what)
		return nil
	}
	return &script{src: pg.src, buf: buf, base: base, ast: ast}
}

// parseJS parses a script, turning a panic of the parser into an error.
func parseJS(buf []byte) (ast *js.AST, err error) {
	defer func() {
		if r := recover(); r != nil {
			ast, err = nil, errorMessage("the JavaScript parser failed on this script")
		}
	}()
	return js.Parse(parse.NewInputBytes(buf), js.Options{})
}

type errorMessage string

func (e errorMessage) Error() string { return string(e) }

// scriptProblem reports a script that cannot be read.
func (c *conversion) scriptProblem(pg *page, text []byte, off int, reason, what string) {
	line, col := pg.src.pos(off)
	if mentionsSobot(text) {
		if c.err == nil {
			c.err = &InputError{File: pg.src.name, Line: line, Col: col, Reason: what + " is " + reason}
		}
		return
	}
	c.find(Finding{Kind: Skipped, File: pg.src.name, Line: line, Col: col,
		Message: what + " was not read: it is " + reason + "; it does not mention Sobot"})
}

// mentionsSobot reports whether a script's text mentions Sobot: a zc call,
// the loader, or a Sobot page.
func mentionsSobot(text []byte) bool {
	return bytes.Contains(text, []byte("zc(")) || bytes.Contains(text, []byte("zc (")) ||
		bytes.Contains(bytes.ToLower(text), []byte("sobot")) || bytes.Contains(text, []byte("zhichi")) ||
		bytes.Contains(text, []byte("/chat/"))
}

// lineColOffset returns the offset of a 1-based line and column in text.
func lineColOffset(text []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	// The parser counts columns in characters.
	rest := text[off:]
	n := 0
	for i := range string(rest) {
		if n == col-1 {
			return off + i
		}
		n++
	}
	return off + len(rest)
}

// depthExceeded scans a script's brackets, skipping strings and comments,
// and reports where they first nest deeper than MaxDepth.
func depthExceeded(text []byte) (string, int) {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '(', '[', '{':
			depth++
			if depth > MaxDepth {
				return "nested more than " + strconv.Itoa(MaxDepth) + " brackets deep (MaxDepth)", i
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case '"', '\'', '`':
			for i++; i < len(text) && text[i] != c; i++ {
				if text[i] == '\\' {
					i++
				} else if text[i] == '\n' && c != '`' {
					break
				}
			}
		case '/':
			if i+1 < len(text) && text[i+1] == '/' {
				for i < len(text) && text[i] != '\n' {
					i++
				}
			} else if i+1 < len(text) && text[i+1] == '*' {
				end := bytes.Index(text[i+2:], []byte("*/"))
				if end < 0 {
					return "", 0 // the parser reports the open comment
				}
				i += end + 3
			}
		}
	}
	return "", 0
}

// walkScript walks a parsed script of the page at page load.
func (c *conversion) walkScript(pg *page, sc *script) {
	ev := pg.ev
	ev.sc = sc
	c.collectBindings(pg, sc)
	s := &scanner{ev: ev, visited: map[*js.FuncDecl]bool{}}
	s.stmts(sc.ast.List, ctx{kind: ctxLoad})
	// zc calls in functions nothing recognisable calls.
	for _, st := range sc.ast.List {
		if fd, ok := st.(*js.FuncDecl); ok && !s.visited[fd] {
			name := "?"
			if fd.Name != nil {
				name = string(fd.Name.Data)
			}
			s.stmts(fd.Body.List, ctx{kind: ctxOther, what: "function " + name + ", which the page does not call at load or from a click handler this converter recognises"})
		}
	}
}

// collectBindings records the variables a script declares or assigns.
func (c *conversion) collectBindings(pg *page, sc *script) {
	ev := pg.ev
	top := map[*js.Var]bool{}
	for _, v := range sc.ast.BlockStmt.Scope.Declared {
		top[resolve(v)] = true
	}
	get := func(v *js.Var) *binding {
		v = resolve(v)
		b := ev.bindings[v]
		if b == nil {
			b = &binding{sc: sc}
			if v.Decl == js.NoDecl {
				// A global assigned without declaration: shared by the
				// page's later scripts.
				if g := pg.globals[string(v.Data)]; g != nil {
					b = g
				} else {
					b.global = true
					pg.globals[string(v.Data)] = b
				}
			}
			ev.bindings[v] = b
			if top[v] {
				b.global = true
				pg.globals[string(v.Data)] = b
			}
		}
		return b
	}
	var visit func(n js.INode, depth int)
	visit = func(n js.INode, depth int) {
		if n == nil || depth > maxEvalDepth {
			return
		}
		switch n := n.(type) {
		case *js.VarDecl:
			for _, be := range n.List {
				if v, ok := be.Binding.(*js.Var); ok {
					b := get(v)
					if be.Default != nil {
						if b.init == nil {
							b.init = be.Default
						} else {
							b.writes++
						}
					}
				}
				visit(be.Default, depth+1)
			}
			return
		case *js.FuncDecl:
			if n.Name != nil {
				get(n.Name).fn = n
			}
			visitStmts(n.Body.List, func(x js.INode) { visit(x, depth+1) })
			return
		case *js.BinaryExpr:
			if v, ok := n.X.(*js.Var); ok && n.Op == js.EqToken {
				b := get(v)
				if b.init == nil {
					b.init = n.Y
				} else {
					b.writes++
				}
			} else if ok && isAssignOp(n.Op) {
				get(v).writes++
			}
		}
		children(n, func(x js.INode) { visit(x, depth+1) })
	}
	for _, st := range sc.ast.List {
		visit(st, 0)
	}
}

// isAssignOp reports whether op is a compound assignment (+=, ...).
func isAssignOp(op js.TokenType) bool {
	switch op {
	case js.AddEqToken, js.SubEqToken, js.MulEqToken, js.DivEqToken, js.ModEqToken, js.ExpEqToken,
		js.LtLtEqToken, js.GtGtEqToken, js.GtGtGtEqToken, js.BitAndEqToken, js.BitOrEqToken,
		js.BitXorEqToken, js.AndEqToken, js.OrEqToken, js.NullishEqToken:
		return true
	}
	return false
}

// visitStmts calls f for each statement.
func visitStmts(list []js.IStmt, f func(js.INode)) {
	for _, s := range list {
		f(s)
	}
}

// children calls f for each direct child node of n that may hold
// expressions or statements.
func children(n js.INode, f func(js.INode)) {
	switch n := n.(type) {
	case *js.BlockStmt:
		visitStmts(n.List, f)
	case *js.ExprStmt:
		each(f, n.Value)
	case *js.IfStmt:
		each(f, n.Cond, n.Body, n.Else)
	case *js.DoWhileStmt:
		each(f, n.Body, n.Cond)
	case *js.WhileStmt:
		each(f, n.Cond, n.Body)
	case *js.ForStmt:
		each(f, n.Init, n.Cond, n.Post, n.Body)
	case *js.ForInStmt:
		each(f, n.Value, n.Body)
	case *js.ForOfStmt:
		each(f, n.Value, n.Body)
	case *js.SwitchStmt:
		each(f, n.Init)
		for i := range n.List {
			each(f, n.List[i].Cond)
			visitStmts(n.List[i].List, f)
		}
	case *js.ReturnStmt:
		each(f, n.Value)
	case *js.ThrowStmt:
		each(f, n.Value)
	case *js.TryStmt:
		each(f, n.Body, n.Catch, n.Finally)
	case *js.LabelledStmt:
		each(f, n.Value)
	case *js.WithStmt:
		each(f, n.Cond, n.Body)
	case *js.VarDecl:
		for _, be := range n.List {
			each(f, be.Default)
		}
	case *js.FuncDecl:
		f(&n.Body)
	case *js.ArrowFunc:
		f(&n.Body)
	case *js.MethodDecl:
		f(&n.Body)
	case *js.ClassDecl:
		for _, el := range n.List {
			each(f, el.Method, el.Init)
		}
	case *js.GroupExpr:
		each(f, n.X)
	case *js.CommaExpr:
		for _, x := range n.List {
			each(f, x)
		}
	case *js.ObjectExpr:
		for _, p := range n.List {
			if p.Name != nil {
				each(f, p.Name.Computed)
			}
			each(f, p.Value)
		}
	case *js.ArrayExpr:
		for _, el := range n.List {
			each(f, el.Value)
		}
	case *js.UnaryExpr:
		each(f, n.X)
	case *js.BinaryExpr:
		each(f, n.X, n.Y)
	case *js.CondExpr:
		each(f, n.Cond, n.X, n.Y)
	case *js.CallExpr:
		each(f, n.X)
		for _, a := range n.Args.List {
			each(f, a.Value)
		}
	case *js.NewExpr:
		each(f, n.X)
		if n.Args != nil {
			for _, a := range n.Args.List {
				each(f, a.Value)
			}
		}
	case *js.DotExpr:
		each(f, n.X)
	case *js.IndexExpr:
		each(f, n.X, n.Y)
	case *js.TemplateExpr:
		each(f, n.Tag)
		for _, p := range n.List {
			each(f, p.Expr)
		}
	case *js.YieldExpr:
		each(f, n.X)
	}
}

// each calls f for each of nodes that is set: not nil, nor a nil pointer
// (the parser leaves an absent else, catch or finally block nil).
func each(f func(js.INode), nodes ...js.INode) {
	for _, n := range nodes {
		switch x := n.(type) {
		case nil:
		case *js.BlockStmt:
			if x != nil {
				f(x)
			}
		case *js.MethodDecl:
			if x != nil {
				f(x)
			}
		default:
			f(n)
		}
	}
}

// stmts walks statements in a context.
func (s *scanner) stmts(list []js.IStmt, cx ctx) {
	for _, st := range list {
		s.node(st, cx, 0)
	}
}

// node walks one statement or expression.
func (s *scanner) node(n js.INode, cx ctx, depth int) {
	if n == nil || s.ev.c.err != nil {
		return
	}
	if depth > maxEvalDepth {
		// Code nested this deep (long operator chains in minified code)
		// is not read further; a Sobot call there is reported.
		if !s.deepSeen {
			s.deepSeen = true
			off := s.ev.nodeOff(n)
			s.ev.c.findAt(s.ev.sc.src, off, Skipped, "", "part of the script nests more than "+strconv.Itoa(maxEvalDepth)+" levels deep and was not read").pg = s.ev.pg
		}
		return
	}
	next := func(x js.INode) { s.node(x, cx, depth+1) }
	switch n := n.(type) {
	case *js.FuncDecl:
		if n.Name != nil {
			return // a declaration runs when called
		}
		s.funcBody(&n.Body, ctx{kind: ctxOther, what: "a function the page passes on or stores", cond: cx.cond}, depth)
		return
	case *js.ArrowFunc:
		s.funcBody(&n.Body, ctx{kind: ctxOther, what: "a function the page passes on or stores", cond: cx.cond}, depth)
		return
	case *js.MethodDecl:
		s.funcBody(&n.Body, ctx{kind: ctxOther, what: "a method of an object of the page", cond: cx.cond}, depth)
		return
	case *js.IfStmt, *js.ForStmt, *js.ForInStmt, *js.ForOfStmt, *js.WhileStmt, *js.DoWhileStmt, *js.SwitchStmt:
		inner := cx
		if inner.cond == "" {
			inner.cond = condName(n)
		}
		children(n, func(x js.INode) { s.node(x, inner, depth+1) })
		return
	case *js.CallExpr:
		if s.call(n, cx, depth) {
			return
		}
	case *js.BinaryExpr:
		if n.Op == js.EqToken && s.assign(n, cx, depth) {
			return
		}
		if n.Op == js.AddToken && s.stringRoot(n) {
			return
		}
	case *js.LiteralExpr:
		if n.TokenType == js.StringToken || n.TokenType == js.TemplateToken {
			s.stringRoot(n)
		}
		return
	case *js.TemplateExpr:
		if s.stringRoot(n) {
			return
		}
	}
	children(n, next)
}

// condName names the statement a call sits under, for findings.
func condName(n js.INode) string {
	switch n.(type) {
	case *js.IfStmt:
		return "an if statement"
	case *js.SwitchStmt:
		return "a switch statement"
	}
	return "a loop"
}

// funcBody walks a function's body in a context.
func (s *scanner) funcBody(body *js.BlockStmt, cx ctx, depth int) {
	for _, st := range body.List {
		s.node(st, cx, depth+1)
	}
}

// fnArg returns the body of a function given as an argument (a function
// expression, or the name of a function the page declares), and the
// declaration, if any.
func (s *scanner) fnArg(e js.IExpr) (*js.BlockStmt, *js.FuncDecl) {
	switch f := e.(type) {
	case *js.FuncDecl:
		return &f.Body, f
	case *js.ArrowFunc:
		return &f.Body, nil
	case *js.GroupExpr:
		return s.fnArg(f.X)
	case *js.Var:
		if b := s.ev.bindingOf(f); b != nil && b.fn != nil {
			return &b.fn.Body, b.fn
		}
	}
	return nil, nil
}

// enter walks a function's body once per declaration (recursion guard).
func (s *scanner) enter(body *js.BlockStmt, fd *js.FuncDecl, cx ctx, depth int) {
	if fd != nil {
		if s.visited[fd] {
			return
		}
		s.visited[fd] = true
		defer func() { s.visited[fd] = false }()
		if fd.Name != nil {
			if b := s.ev.bindingOf(fd.Name); b != nil {
				b.reached = true
			}
		}
	}
	s.funcBody(body, cx, depth)
	if fd != nil {
		s.visited[fd] = true // reached: not reported as unreached
	}
}

// call walks a call; true when it handled its arguments itself.
func (s *scanner) call(n *js.CallExpr, cx ctx, depth int) bool {
	ev := s.ev
	p := strings.TrimPrefix(refPath(n.X), "window.")
	args := n.Args.List
	argText := func(i int) string {
		if i < len(args) {
			if v := ev.eval(args[i].Value); v.kind == kStr && v.static() {
				return v.text(nil)
			}
		}
		return ""
	}
	switch {
	case p == "zc":
		s.ev.pg.zcCall(s, n, cx)
		return true
	case p == "$" || p == "jQuery":
		// $(function () {...}): runs when the DOM is ready.
		if len(args) == 1 {
			if body, fd := s.fnArg(args[0].Value); body != nil {
				s.enter(body, fd, cx, depth)
				return true
			}
		}
	case p == "setTimeout" || p == "requestAnimationFrame" || p == "setInterval":
		if len(args) >= 1 {
			if body, fd := s.fnArg(args[0].Value); body != nil {
				inner := cx
				if inner.cond == "" && p != "requestAnimationFrame" {
					inner.cond = p
				}
				s.enter(body, fd, inner, depth)
				return true
			}
		}
	}
	// An immediately invoked function: (function(){...})() or !function(){...}().
	if body, fd := s.fnArg(n.X); body != nil {
		if _, isVar := n.X.(*js.Var); !isVar {
			s.enter(body, fd, cx, depth)
			for _, a := range args {
				s.node(a.Value, cx, depth+1)
			}
			return true
		}
		// A call of a function the page declares: walk it as if inlined.
		s.enter(body, fd, cx, depth)
		for _, a := range args {
			s.node(a.Value, cx, depth+1)
		}
		return true
	}
	// x.call(...) and x.apply(...) of a function.
	if d, ok := n.X.(*js.DotExpr); ok && (dotName(d) == "call" || dotName(d) == "apply") {
		if body, fd := s.fnArg(d.X); body != nil {
			s.enter(body, fd, cx, depth)
			return true
		}
	}
	// Event bindings: x.addEventListener(type, f), $(x).on(type, f), x.click(f), ...
	d, ok := n.X.(*js.DotExpr)
	if !ok {
		return false
	}
	method := dotName(d)
	var event string
	var handler js.IExpr
	switch method {
	case "addEventListener", "on", "bind", "one", "attachEvent":
		if len(args) >= 2 {
			event = strings.TrimPrefix(argText(0), "on")
			handler = args[len(args)-1].Value
		}
	case "click", "ready":
		if len(args) == 1 {
			event, handler = method, args[0].Value
		}
	}
	if handler == nil {
		return false
	}
	body, fd := s.fnArg(handler)
	if body == nil {
		return false
	}
	target := ev.eval(d.X)
	targetPath := strings.TrimPrefix(refPath(d.X), "window.")
	switch {
	case event == "DOMContentLoaded" || event == "load" || event == "ready" && (targetPath == "" || targetPath == "document" || target.kind == kDyn):
		s.enter(body, fd, cx, depth)
	case event == "message" && (targetPath == "" || targetPath == "window" || targetPath == "self" || targetPath == "top"):
		s.ev.pg.messageListener(s, body, handler, cx)
	case event == "click":
		inner := ctx{kind: ctxClick, cond: cx.cond, via: method}
		switch {
		case cx.kind != ctxLoad:
			inner = ctx{kind: ctxOther, what: "a click handler bound inside " + cx.what}
		case target.kind == kElem:
			inner.elem = target.elem
		default:
			inner.elem = elemSel{what: ev.c.restoreMarkers(exprText(d.X))}
		}
		s.enter(body, fd, inner, depth)
	default:
		what := "a " + event + " handler"
		if event == "" {
			what = "an event handler"
		}
		s.enter(body, fd, ctx{kind: ctxOther, what: what, cond: cx.cond}, depth)
	}
	return true
}

// assign walks an assignment; true when it handled it.
func (s *scanner) assign(n *js.BinaryExpr, cx ctx, depth int) bool {
	lhs := strings.TrimPrefix(refPath(n.X), "window.")
	d, isDot := n.X.(*js.DotExpr)
	switch {
	case lhs == "onload" || lhs == "document.onreadystatechange":
		if body, fd := s.fnArg(n.Y); body != nil {
			s.enter(body, fd, cx, depth)
			return true
		}
	case lhs == "onmessage":
		if body, _ := s.fnArg(n.Y); body != nil {
			s.ev.pg.messageListener(s, body, n.Y, cx)
			return true
		}
	case isDot && dotName(d) == "onclick":
		if body, fd := s.fnArg(n.Y); body != nil {
			target := s.ev.eval(d.X)
			inner := ctx{kind: ctxClick, cond: cx.cond, via: "onclick"}
			switch {
			case cx.kind != ctxLoad:
				inner = ctx{kind: ctxOther, what: "a click handler bound inside " + cx.what}
			case target.kind == kElem:
				inner.elem = target.elem
			default:
				inner.elem = elemSel{what: s.ev.c.restoreMarkers(exprText(d.X))}
			}
			s.enter(body, fd, inner, depth)
			return true
		}
	case isDot && (dotName(d) == "className" || dotName(d) == "class"):
		if target := refPath(d.X); target != "" {
			if v := s.ev.eval(n.Y); v.kind == kStr {
				s.ev.pg.loaderClass = append(s.ev.pg.loaderClass, classAssign{target: target, val: v, off: v.off})
			}
		}
		return true
	case isDot && dotName(d) == "src":
		// The loader's bootstrap: x.src = ".../entrance.js?sysnum=...";
		// x.className is then the loader's class.
		n0 := len(s.ev.pg.links)
		if s.stringRoot(n.Y) {
			for _, l := range s.ev.pg.links[n0:] {
				l.target = refPath(d.X)
			}
			return true
		}
	}
	return false
}

// stringRoot evaluates an expression that computes a string (a literal,
// a concatenation, a template literal) and records a Sobot link it holds.
// It reports whether the expression was a string.
func (s *scanner) stringRoot(e js.IExpr) bool {
	if !mayHoldLink(e, 0) {
		return false
	}
	v := s.ev.eval(e)
	if v.kind != kStr {
		return false
	}
	s.ev.pg.findLinks(v, "script", s.ev.sc.src)
	return true
}

// mayHoldLink reports whether a string expression has a literal part that
// a Sobot link would have: a page's path or a ticket link's params. Only
// such expressions are evaluated, so the strings of a large unrelated
// script cost no evaluation.
func mayHoldLink(e js.INode, depth int) bool {
	if depth > maxEvalDepth {
		return false
	}
	switch n := e.(type) {
	case *js.LiteralExpr:
		return (n.TokenType == js.StringToken || n.TokenType == js.TemplateToken) && linkText(n.Data)
	case *js.TemplateExpr:
		for _, p := range n.List {
			if linkText(p.Value) {
				return true
			}
		}
		return linkText(n.Tail)
	case *js.BinaryExpr:
		return n.Op == js.AddToken && (mayHoldLink(n.X, depth+1) || mayHoldLink(n.Y, depth+1))
	case *js.GroupExpr:
		return mayHoldLink(n.X, depth+1)
	}
	return false
}

// linkText reports whether a literal's source text has a part of a Sobot
// link, written plainly or with JSON's escaped slashes.
func linkText(b []byte) bool {
	return bytes.Contains(b, []byte("/chat/")) || bytes.Contains(b, []byte(`\/chat\/`)) || bytes.Contains(b, []byte("params="))
}

// exprText returns an expression's source as the parser prints it.
func exprText(e js.INode) string {
	var b bytes.Buffer
	e.JS(&b)
	return strings.TrimSpace(b.String())
}
