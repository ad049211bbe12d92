package convert

import (
	"encoding/json"
	"fmt"
	"go/format"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sobotgo/sobot"
)

// This file writes the Go code. Params and Widget values are written by
// walking them with reflection, so the library's field names are never
// spelled here: enums and toggles are written with %#v (the constant's
// name, where the type has a GoString method), strings holding placeholders
// as expressions of the function's arguments.

const sobotPkg = "github.com/sobotgo/sobot"

// generate writes the Go file.
func (c *conversion) generate() (*Result, error) {
	c.build()
	if c.err != nil {
		return nil, c.err
	}
	if len(c.units) == 0 {
		reason := "nothing could be converted"
		for _, f := range c.findings {
			if f.Kind == Skipped || f.Kind == Dropped {
				reason += "; " + f.Finding.String()
			}
		}
		return nil, &InputError{File: c.pages[0].src.name, Reason: reason}
	}
	g := &gen{c: c, imports: map[string]bool{sobotPkg: true}, argNames: map[*placeholder]string{}, taken: newNamer()}
	c.gen = g
	funcs := newNamer()
	// Name the units first, so clients, widgets and links never clash.
	for i, cl := range c.clients {
		cl.name = "newClient"
		if i > 0 {
			cl.name += strconv.Itoa(i + 1)
		}
		funcs.unique(cl.name)
	}
	kinds := map[string]string{"widget": "Widget", "H5URL": "ChatLink", "PCURL": "PCChatLink",
		"LeaveMessageURL": "LeaveMessageLink", "MiniProgramURL": "MiniProgramLink", "TicketURL": "TicketLink"}
	for _, u := range c.units {
		u.name = funcs.unique(baseName(u.pg.src.name) + kinds[u.method])
	}
	var body strings.Builder
	for _, cl := range c.clients {
		if c.usedClient(cl) {
			body.WriteString(g.client(cl))
		}
	}
	for _, u := range c.units {
		if u.method == "widget" {
			body.WriteString(g.widget(u))
		} else {
			body.WriteString(g.link(u))
		}
	}
	var out strings.Builder
	out.WriteString(g.header())
	out.WriteString("package " + c.opts.Package + "\n\n")
	out.WriteString(g.importBlock())
	out.WriteString(body.String())
	src, err := format.Source([]byte(out.String()))
	if err != nil {
		return nil, fmt.Errorf("convert: the generated code does not format (a bug of the converter): %w\n%s", err, out.String())
	}
	res := &Result{Go: src}
	sort.SliceStable(c.findings, func(i, j int) bool {
		a, b := c.findings[i], c.findings[j]
		if a.File != b.File {
			return c.fileIndex(a.File) < c.fileIndex(b.File)
		}
		return a.Line < b.Line
	})
	for _, f := range c.findings {
		res.Findings = append(res.Findings, f.Finding)
	}
	return res, nil
}

// fileIndex returns the position of a file among the inputs.
func (c *conversion) fileIndex(name string) int {
	for i, pg := range c.pages {
		if pg.src.name == name {
			return i
		}
	}
	return len(c.pages)
}

// usedClient reports whether a unit uses the client.
func (c *conversion) usedClient(cl *clientUnit) bool {
	for _, u := range c.units {
		if u.client == cl {
			return true
		}
	}
	return false
}

// gen holds the state of writing the file.
type gen struct {
	c        *conversion
	imports  map[string]bool
	argNames map[*placeholder]string
	taken    *namer
}

// header is the file's opening comment: where it comes from, and the
// findings no code carries a comment for.
func (g *gen) header() string {
	var names []string
	for _, pg := range g.c.pages {
		names = append(names, pg.src.name)
	}
	var b strings.Builder
	b.WriteString("// Converted by sobot convert from " + oneLine(strings.Join(names, ", ")) + ": the Sobot\n")
	b.WriteString("// integration of the input, built with " + sobotPkg + ".\n")
	b.WriteString("// Review each TODO, then keep this code as your own.\n")
	var rest []string
	for _, f := range g.c.findings {
		if !f.shown && f.Kind != Placeholder {
			rest = append(rest, f.Finding.String())
		}
	}
	if len(rest) > 0 {
		b.WriteString("//\n// What the conversion noticed:\n")
		for _, r := range rest {
			b.WriteString(comment("  - "+r, "//   "))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// commentSafe makes text safe inside a Go comment: valid UTF-8, no
// control characters but tabs, no byte order mark.
func commentSafe(text string) string {
	if !strings.ContainsFunc(text, func(r rune) bool {
		return r == utf8.RuneError || r == '\uFEFF' || r < ' ' && r != '\t' && r != '\n' || r == 0x7f
	}) {
		return text
	}
	var b strings.Builder
	for i, r := range text {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(text[i:], "\uFFFD"):
			b.WriteRune(utf8.RuneError)
		case r == '\uFEFF' || r < ' ' && r != '\t' && r != '\n' || r == 0x7f:
			b.WriteString(strconv.QuoteRuneToASCII(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// comment writes text as // lines, continuation lines starting with cont.
func comment(text, cont string) string {
	text = commentSafe(text)
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i == 0 {
			b.WriteString("// " + line + "\n")
		} else {
			b.WriteString(cont + line + "\n")
		}
	}
	return b.String()
}

// importBlock writes the imports the code uses.
func (g *gen) importBlock() string {
	var std, other []string
	for p := range g.imports {
		if strings.Contains(p, ".") {
			other = append(other, p)
		} else {
			std = append(std, p)
		}
	}
	sort.Strings(std)
	sort.Strings(other)
	var b strings.Builder
	b.WriteString("import (\n")
	for _, p := range std {
		b.WriteString(strconv.Quote(p) + "\n")
	}
	if len(std) > 0 && len(other) > 0 {
		b.WriteString("\n")
	}
	for _, p := range other {
		b.WriteString(strconv.Quote(p) + "\n")
	}
	b.WriteString(")\n\n")
	return b.String()
}

// fn collects what one function uses: its arguments in order of use.
type fn struct {
	g    *gen
	args []*placeholder
	seen map[*placeholder]bool
	typ  map[*placeholder]reflect.Type
}

func (g *gen) newFn() *fn {
	return &fn{g: g, seen: map[*placeholder]bool{}, typ: map[*placeholder]reflect.Type{}}
}

// arg returns the argument name of a placeholder, adding it to the
// function's arguments with type t.
func (f *fn) arg(ph *placeholder, t reflect.Type) string {
	name, ok := f.g.argNames[ph]
	if !ok {
		base := nameFrom(ph.expr, ph.param)
		name = f.g.taken.unique(base)
		f.g.argNames[ph] = name
	}
	if !f.seen[ph] {
		f.seen[ph] = true
		f.args = append(f.args, ph)
		f.typ[ph] = t
	}
	return name
}

// signature writes the function's argument list.
func (f *fn) signature(first string) string {
	var parts []string
	if first != "" {
		parts = append(parts, first)
	}
	for _, ph := range f.args {
		t := "string"
		if f.typ[ph] != nil {
			t = f.g.typeExpr(f.typ[ph])
		}
		parts = append(parts, f.g.argNames[ph]+" "+t)
	}
	return strings.Join(parts, ", ")
}

// argDoc writes the doc comment lines listing the arguments.
func (f *fn) argDoc() string {
	if len(f.args) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("//\n// Its arguments replace values the page computed when it was served or run:\n//\n")
	width := 0
	for _, ph := range f.args {
		width = max(width, len(f.g.argNames[ph]))
	}
	for _, ph := range f.args {
		name := f.g.argNames[ph]
		b.WriteString("//\t" + name + strings.Repeat(" ", width-len(name)+2) + oneLine(ph.expr) + " (" + ph.file + ":" + strconv.Itoa(ph.line) + ")\n")
	}
	return b.String()
}

// oneLine writes s on one line, safe in a comment.
func oneLine(s string) string {
	return commentSafe(strings.Join(strings.Fields(s), " "))
}

// reportArgs records the arguments of a function as findings.
func (f *fn) reportArgs(fname string) {
	for _, ph := range f.args {
		f.g.c.find(Finding{Kind: Placeholder, File: ph.file, Line: ph.line, Col: ph.col, Param: ph.param,
			Message: "argument " + f.g.argNames[ph] + " of " + fname + " stands for " + oneLine(ph.expr) + ", which the page computed"})
	}
}

// client writes a client function.
func (g *gen) client(cl *clientUnit) string {
	f := g.newFn()
	var fields strings.Builder
	switch {
	case cl.sysnum == "":
		g.imports["os"] = true
		fields.WriteString("// TODO: the input has no loader (entrance.js?sysnum=...): set SOBOT_SYSNUM to the console's sysnum.\n")
		fields.WriteString("SysNum: os.Getenv(\"SOBOT_SYSNUM\"),\n")
	default:
		e, todos := f.stringExpr(cl.sysnum, nil)
		fields.WriteString("SysNum: " + e + "," + trailing(todos) + "\n")
	}
	if cl.signed {
		g.imports["os"] = true
		fields.WriteString("// The page sent a sign (" + cl.signWhere + "); the client computes it from the\n")
		fields.WriteString("// console's security key (安全密钥), which SOBOT_KEY holds.\n")
		fields.WriteString("Key: sobot.NewKey(os.Getenv(\"SOBOT_KEY\")),\n")
	}
	if cl.base != "" {
		e, todos := f.stringExpr(cl.base, nil)
		if strings.Contains(cl.base, hostPlaceholder) {
			todos = append(todos, "TODO: *** stands for your company's host (***为您的自定义域名)")
		}
		fields.WriteString("BaseURL: " + e + "," + trailing(todos) + "\n")
	}
	if cl.version == sobot.V6 {
		fields.WriteString("Version: sobot.V6,\n")
	}
	var b strings.Builder
	b.WriteString("// " + cl.name + " returns the client of the Sobot account of " + cl.from + ":\n")
	b.WriteString("// make it once, at start-up, and share it.\n")
	b.WriteString(f.argDoc())
	for _, p := range cl.problems {
		b.WriteString("//\n" + comment("TODO: NewClient refuses this configuration as converted: "+p, "// "))
	}
	b.WriteString("func " + cl.name + "(" + f.signature("") + ") (*sobot.Client, error) {\n")
	b.WriteString("return sobot.NewClient(sobot.Config{\n" + fields.String() + "})\n}\n\n")
	f.reportArgs(cl.name)
	return b.String()
}

// trailing writes comments for the end of a line.
func trailing(todos []string) string {
	if len(todos) == 0 {
		return ""
	}
	return " // " + commentSafe(oneLine(strings.Join(todos, "; ")))
}

// widget writes a widget function.
func (g *gen) widget(u *unit) string {
	f := g.newFn()
	lit := f.value(reflect.ValueOf(*u.widget), "", u.n)
	var b strings.Builder
	b.WriteString("// " + u.name + " is the widget of " + u.pg.src.name + ": render it per request with\n")
	b.WriteString("// client.RenderWidget (client from " + u.client.name + "), or with {{sobotWidget .}}\n")
	b.WriteString("// in a template that has client.FuncMap.\n")
	b.WriteString(f.argDoc())
	if len(u.handlers) > 0 {
		b.WriteString("//\n// The widget calls functions of the page by name. Define these in the\n")
		b.WriteString("// page's own script (they replace the functions the page passed to zc):\n")
		for _, h := range u.handlers {
			b.WriteString("//\n//\t// from " + h.where + "\n")
			src := "window." + h.name + " = " + h.src + ";"
			if h.listener {
				b.WriteString("//\t// The widget calls it with the message's data, {action: \"chat_collapse_window\"},\n")
				b.WriteString("//\t// when the visitor closes the chat. The page's own listener was:\n")
				for _, line := range strings.Split(commentSafe(h.src), "\n") {
					b.WriteString("//\t//   " + strings.TrimRight(line, " \t") + "\n")
				}
				src = "window." + h.name + " = function(data) {\n    // what the listener did for chat_collapse_window\n};"
			}
			for _, line := range strings.Split(commentSafe(src), "\n") {
				b.WriteString("//\t" + strings.TrimRight(line, " \t") + "\n")
			}
		}
	}
	b.WriteString("func " + u.name + "(" + f.signature("") + ") sobot.Widget {\n")
	for _, t := range u.n.top {
		b.WriteString(comment(t, "// "))
	}
	b.WriteString("return " + lit + "\n}\n\n")
	f.reportArgs(u.name)
	return b.String()
}

// link writes a link function.
func (g *gen) link(u *unit) string {
	f := g.newFn()
	var call string
	if u.method == "TicketURL" {
		console, todos := f.stringExpr(u.console, nil)
		call = "sobot.TicketURL(" + console + ", " + g.ticketFields(f, u.fields) + ")" + trailing(todos)
	} else {
		lit := f.value(reflect.ValueOf(u.params), "", u.n)
		call = "client." + u.method + "(" + lit + ")"
	}
	var b strings.Builder
	what := map[string]string{"H5URL": "H5 chat link", "PCURL": "PC chat link", "LeaveMessageURL": "leave-message link",
		"MiniProgramURL": "mini-program web-view link", "TicketURL": "ticket-plugin link"}[u.method]
	b.WriteString("// " + u.name + " builds the " + what + " of " + where(u.pg.src, u.off) + ":\n//\n")
	b.WriteString("//\t" + oneLine(shorten(u.link)) + "\n")
	if len(u.more) > 0 {
		b.WriteString("//\n// The same link is also at " + strings.Join(u.more, ", ") + ".\n")
	}
	if u.method == "MiniProgramURL" {
		b.WriteString("//\n// Bind it in the mini-program page, <web-view src=\"{{chatURL}}\" ...>, or build the\n")
		b.WriteString("// whole element with client.MiniProgramWebView.\n")
	}
	b.WriteString(f.argDoc())
	first := "client *sobot.Client"
	if u.method == "TicketURL" {
		first = ""
	}
	b.WriteString("func " + u.name + "(" + f.signature(first) + ") (string, error) {\n")
	for _, t := range u.n.top {
		b.WriteString(comment(t, "// "))
	}
	b.WriteString("return " + call + "\n}\n\n")
	f.reportArgs(u.name)
	return b.String()
}

// ticketFields writes the fields argument of sobot.TicketURL, in the type
// its second parameter has.
func (g *gen) ticketFields(f *fn, fields map[string]any) string {
	return f.value(fieldsArg(fields), "", newNotes())
}

// fieldsArg returns fields in the type of sobot.TicketURL's second
// parameter: a map of strings or of any value (sobot.Fields), or, when the
// parameter is an interface, a map of strings.
func fieldsArg(fields map[string]any) reflect.Value {
	t := reflect.TypeOf(sobot.TicketURL).In(1)
	if t.Kind() == reflect.Interface {
		t = reflect.TypeFor[map[string]string]()
	}
	m := reflect.MakeMap(t)
	for k, v := range fields {
		val := reflect.ValueOf(v)
		if t.Elem().Kind() == reflect.String {
			val = reflect.ValueOf(fmt.Sprint(v))
		}
		m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), val.Convert(t.Elem()))
	}
	return m
}

// ticketURL calls sobot.TicketURL with fields in the type its second
// parameter has.
func ticketURL(console string, fields map[string]any) (string, error) {
	out := reflect.ValueOf(sobot.TicketURL).Call([]reflect.Value{reflect.ValueOf(console), fieldsArg(fields)})
	err, _ := out[1].Interface().(error)
	return out[0].String(), err
}

// typeExpr writes a type as Go source, importing its package.
func (g *gen) typeExpr(t reflect.Type) string {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name()
		}
		g.imports[t.PkgPath()] = true
		return path.Base(t.PkgPath()) + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Map:
		return "map[" + g.typeExpr(t.Key()) + "]" + g.typeExpr(t.Elem())
	case reflect.Slice:
		return "[]" + g.typeExpr(t.Elem())
	case reflect.Pointer:
		return "*" + g.typeExpr(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any"
		}
	}
	return t.String()
}

// stringExpr writes text holding markers as a Go string expression, and
// the TODO comments naming the placeholders. A named string type is
// converted to (sobot.Locale(arg)) when the text is not a constant.
func (f *fn) stringExpr(s string, t reflect.Type) (string, []string) {
	parts := f.g.c.splitMarkers(s)
	if len(parts) == 1 && parts[0].ph == nil || len(parts) == 0 {
		if t != nil && t.Name() != "" && t.PkgPath() != "" {
			return fmt.Sprintf("%#v", reflect.ValueOf(s).Convert(t).Interface()), nil
		}
		return goString(s), nil
	}
	var terms, todos []string
	for _, p := range parts {
		if p.ph == nil {
			terms = append(terms, goString(p.text))
			continue
		}
		terms = append(terms, f.arg(p.ph, nil))
		todos = append(todos, "TODO: was "+oneLine(p.ph.expr)+" ("+p.ph.file+":"+strconv.Itoa(p.ph.line)+")")
	}
	e := strings.Join(terms, " + ")
	if t != nil && t.Name() != "" && t.PkgPath() != "" {
		e = f.g.typeExpr(t) + "(" + e + ")"
	}
	return e, todos
}

// goString writes s as a Go string literal: a raw string for text with
// double quotes (JSON), else a quoted one.
func goString(s string) string {
	if strings.Contains(s, `"`) && !strings.ContainsAny(s, "`\r\n") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// value writes v as a Go expression. Composite values are written one
// field or element per line; the comments and overrides of n apply by the
// field paths under p.
func (f *fn) value(v reflect.Value, p string, n *notes) string {
	e, _ := f.expr(v, p, n)
	return e
}

// expr writes v, returning also the TODO comments of placeholders of a
// value written on one line.
func (f *fn) expr(v reflect.Value, p string, n *notes) (string, []string) {
	g := f.g
	if o := n.over[p]; o != nil {
		name := f.arg(o.ph, o.typ)
		todo := []string{"TODO: was " + oneLine(o.ph.expr) + " (" + o.ph.file + ":" + strconv.Itoa(o.ph.line) + ")"}
		if o.ptr {
			return "sobot.Ptr(" + name + ")", todo
		}
		return name, todo
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "nil", nil
		}
		if v.Elem().Kind() == reflect.Struct {
			return "&" + f.structLit(v.Elem(), p, n, g.typeExpr(t.Elem())), nil
		}
		inner, todos := f.expr(v.Elem(), p, n)
		if et := t.Elem(); et.Kind() != reflect.Int || et.Name() != "int" {
			inner = g.typeExpr(et) + "(" + inner + ")"
		}
		return "sobot.Ptr(" + inner + ")", todos
	case reflect.Struct:
		switch {
		case t == reflect.TypeFor[time.Time]():
			g.imports["time"] = true
			tm := v.Interface().(time.Time)
			return fmt.Sprintf("time.UnixMilli(%d)", tm.UnixMilli()), []string{tm.UTC().Format("2006-01-02 15:04:05.000 UTC")}
		case t == reflect.TypeFor[sobot.Element]():
			return fmt.Sprintf("%#v", v.Interface()), nil
		}
		return f.structLit(v, p, n, g.typeExpr(t)), nil
	case reflect.Map:
		return f.mapLit(v, p, n), nil
	case reflect.Slice:
		return f.sliceLit(v, p, n), nil
	case reflect.String:
		return f.stringExpr(v.String(), t)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if t.PkgPath() != "" {
			return fmt.Sprintf("%#v", v.Interface()), nil
		}
		return fmt.Sprint(v.Interface()), nil
	case reflect.Float32, reflect.Float64:
		s := strconv.FormatFloat(v.Float(), 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s, nil
	case reflect.Interface:
		if v.IsNil() {
			return "nil", nil
		}
		return f.anyExpr(v.Elem(), p, n)
	}
	return fmt.Sprintf("%#v", v.Interface()), nil
}

// anyExpr writes a value held in an interface, converting where an
// untyped constant would default to another type.
func (f *fn) anyExpr(v reflect.Value, p string, n *notes) (string, []string) {
	switch x := v.Interface().(type) {
	case json.Number:
		f.g.imports["encoding/json"] = true
		return "json.Number(" + strconv.Quote(string(x)) + ")", nil
	case string, bool, int:
		return f.expr(v, p, n)
	case float64:
		return f.expr(v, p, n)
	}
	e, todos := f.expr(v, p, n)
	if v.Kind() != reflect.Struct && v.Kind() != reflect.Map && v.Kind() != reflect.Slice && v.Kind() != reflect.Pointer {
		e = f.g.typeExpr(v.Type()) + "(" + e + ")"
	}
	return e, todos
}

// under reports whether path k is inside path p.
func under(k, p string) bool {
	if p == "" {
		return true
	}
	return strings.HasPrefix(k, p+".") || strings.HasPrefix(k, p+"[")
}

// join appends a field name to a path.
func join(p, name string) string {
	if p == "" {
		return name
	}
	return p + "." + name
}

// structLit writes a struct literal: its set fields, the fields with
// comments or overrides, and the comments of absent fields.
func (f *fn) structLit(v reflect.Value, p string, n *notes, typ string) string {
	var b strings.Builder
	b.WriteString(typ + "{\n")
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		fp := join(p, sf.Name)
		fv := v.Field(i)
		for _, line := range n.lead[fp] {
			b.WriteString(comment(line, "// "))
		}
		if isEmpty(fv) && n.over[fp] == nil && !n.hasUnderOnly(fp) {
			continue
		}
		e, todos := f.expr(fv, fp, n)
		b.WriteString(sf.Name + ": " + e + "," + trailing(append(todos, n.trail[fp]...)) + "\n")
	}
	b.WriteString("}")
	return b.String()
}

// isEmpty reports whether a field need not be written: its zero value, or
// a pointer to a zero struct (an empty &sobot.Params{}).
func isEmpty(v reflect.Value) bool {
	if v.IsZero() {
		return true
	}
	return v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct && v.Elem().IsZero()
}

// hasUnderOnly reports whether n has anything strictly under path p (not
// at p itself), which makes an otherwise zero field worth writing.
func (n *notes) hasUnderOnly(p string) bool {
	for _, m := range []map[string][]string{n.lead, n.trail} {
		for k, lines := range m {
			if len(lines) > 0 && under(k, p) {
				return true
			}
		}
	}
	for k := range n.over {
		if under(k, p) {
			return true
		}
	}
	return false
}

// mapLit writes a map literal, one entry per line, keys sorted.
func (f *fn) mapLit(v reflect.Value, p string, n *notes) string {
	var b strings.Builder
	b.WriteString(f.g.typeExpr(v.Type()) + "{\n")
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		kp := p + "[" + k.String() + "]"
		for _, line := range n.lead[kp] {
			b.WriteString(comment(line, "// "))
		}
		ke, _ := f.expr(k, kp, n)
		ve, todos := f.expr(v.MapIndex(k), kp, n)
		b.WriteString(ke + ": " + ve + "," + trailing(append(todos, n.trail[kp]...)) + "\n")
	}
	b.WriteString("}")
	return b.String()
}

// sliceLit writes a slice literal, one element per line.
func (f *fn) sliceLit(v reflect.Value, p string, n *notes) string {
	var b strings.Builder
	b.WriteString(f.g.typeExpr(v.Type()) + "{\n")
	for i := 0; i < v.Len(); i++ {
		ip := p + "[" + strconv.Itoa(i) + "]"
		ev := v.Index(i)
		var e string
		var todos []string
		if ev.Kind() == reflect.Struct && ev.Type() != reflect.TypeFor[time.Time]() && ev.Type() != reflect.TypeFor[sobot.Element]() {
			e = f.structLit(ev, ip, n, "") // the element type is elided
		} else {
			e, todos = f.expr(ev, ip, n)
		}
		b.WriteString(e + "," + trailing(append(todos, n.trail[ip]...)) + "\n")
	}
	b.WriteString("}")
	return b.String()
}
