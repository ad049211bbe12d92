package convert

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sobotgo/sobot"
)

// conversion is the state of one ConvertFiles call.
type conversion struct {
	opts         Options
	prefix       string
	placeholders []*placeholder
	dynByExpr    map[string]*placeholder
	findings     []*finding
	pages        []*page
	clients      []*clientUnit
	units        []*unit
	steps        int
	err          error
	gen          *gen // set by generate
	tooMany      bool // links past maxUnits were skipped
}

// maxUnits bounds the functions of one conversion (distinct links, and the
// widgets of the pages).
const maxUnits = 500

// finding is a Finding with where the generated code shows it.
type finding struct {
	Finding
	pg    *page
	shown bool // written as a comment next to the code it concerns
}

func newConversion(opts Options) *conversion {
	if opts.Package == "" {
		opts.Package = "chat"
	}
	return &conversion{opts: opts, dynByExpr: map[string]*placeholder{}}
}

// find records a finding.
// Past maxFindings, findings are counted, not kept: the last one says how
// many more there were.
func (c *conversion) find(f Finding) *finding {
	fd := &finding{Finding: f}
	switch {
	case len(c.findings) < maxFindings:
		c.findings = append(c.findings, fd)
	case len(c.findings) == maxFindings:
		c.findings = append(c.findings, &finding{Finding: Finding{Kind: Note, File: f.File, Message: "more findings than " + itoa(maxFindings) + ": the rest are not listed"}})
	}
	return fd
}

// maxFindings bounds the findings of one conversion.
const maxFindings = 1000

// findAt records a finding at an offset of a source's text.
func (c *conversion) findAt(src *source, off int, kind FindingKind, param, msg string) *finding {
	line, col := src.pos(off)
	return c.find(Finding{Kind: kind, File: src.name, Line: line, Col: col, Param: param, Message: msg})
}

// where returns "file:line" for an offset of a source's text.
func where(src *source, off int) string {
	line, _ := src.pos(off)
	if line == 0 {
		return src.name
	}
	return src.name + ":" + strconv.Itoa(line)
}

// empty reports whether no file held anything of Sobot.
func (c *conversion) empty() bool {
	for _, pg := range c.pages {
		if len(pg.config) > 0 || len(pg.events) > 0 || len(pg.links) > 0 || pg.zcCalls > 0 {
			return false
		}
	}
	return true
}

// notes are the comments and placeholder expressions the generated code
// carries, by the path of the Go field they concern ("Params.User.Name",
// "Params.Extra[visitTitle]", "OnReady").
type notes struct {
	lead  map[string][]string  // comment lines above the field, or in its place when it is absent
	trail map[string][]string  // comments at the end of the field's line
	over  map[string]*override // fields whose value is a placeholder of a non-string type
	top   []string             // comment lines at the top of the function's body
}

func newNotes() *notes {
	return &notes{lead: map[string][]string{}, trail: map[string][]string{}, over: map[string]*override{}}
}

// override writes a field as a placeholder argument of the field's type.
type override struct {
	ph  *placeholder
	typ reflect.Type // the argument's type
	ptr bool         // the field is a pointer: write sobot.Ptr(arg)
}

// unit is one generated function besides the clients.
type unit struct {
	name     string
	pg       *page
	off      int
	client   *clientUnit
	method   string // "widget", or the client method / function that builds a link
	widget   *sobot.Widget
	params   *sobot.Params
	console  string         // TicketURL's console link (markers allowed)
	fields   map[string]any // TicketURL's fields, as the link's JSON has them
	n        *notes
	handlers []handler
	link     string // the link as the page had it, for the doc comment
	more     []string
}

// handler is a JavaScript function the page must define for a callback.
type handler struct {
	name, src, where string
	listener         bool // src is the page's message listener, not the callback itself
}

// clientUnit is one Sobot account: one generated client function.
type clientUnit struct {
	name      string
	sysnum    string // markers allowed; "" when unknown
	base      string // markers allowed; "" for the default
	version   sobot.Version
	signed    bool
	signWhere string
	from      string
	key       string
	problems  []string
}

// build turns every page into units.
func (c *conversion) build() {
	for _, pg := range c.pages {
		c.buildPage(pg)
	}
}

// loaderOf returns the page's loader: the first Sobot URL that is the
// widget's entrance.js.
type loaderInfo struct {
	ref    *linkRef
	parsed *sobot.ParsedLink
}

// buildPage makes the units of one page: its links and its widget.
func (c *conversion) buildPage(pg *page) {
	var loader *loaderInfo
	seen := map[string]*unit{}
	for _, l := range pg.links {
		u := l.text
		if strings.HasPrefix(u, "//") {
			u = "https:" + u
		}
		parsed, err := sobot.Inspect(u)
		if err != nil {
			reason := err.Error()
			var verr *sobot.ValidationError
			if errors.As(err, &verr) && len(verr.Problems) > 0 {
				reason = verr.Problems[0].Reason
			}
			c.findAt(pg.src, l.off, Skipped, "", "the link "+shorten(withoutSign(c.restoreMarkers(l.text)))+" was not converted: it "+reason).pg = pg
			continue
		}
		if parsed.Kind == sobot.KindWidget {
			if loader == nil {
				loader = &loaderInfo{ref: l, parsed: parsed}
			} else if parsed.SysNum != loader.parsed.SysNum || parsed.BaseURL != loader.parsed.BaseURL {
				c.findAt(pg.src, l.off, Skipped, "", "a second widget loader, for another account or host, was not converted: a page loads one widget").pg = pg
			}
			continue
		}
		if prev := seen[l.text]; prev != nil {
			if len(prev.more) < 20 {
				prev.more = append(prev.more, where(pg.src, l.off))
			}
			continue
		}
		if len(c.units) >= maxUnits {
			if !c.tooMany {
				c.tooMany = true
				c.findAt(pg.src, l.off, Skipped, "", "more than "+strconv.Itoa(maxUnits)+" distinct links: this one and those after it are not converted; convert fewer pages at once").pg = pg
			}
			continue
		}
		seen[l.text] = c.buildLink(pg, l, parsed)
	}
	if loader != nil || len(pg.config) > 0 || len(pg.events) > 0 {
		c.buildWidget(pg, loader)
	}
}

// signParam matches the value of a sign parameter in a link.
var signParam = regexp.MustCompile(`([?&#](?:amp;)?sign=)[^&#\s]*`)

// withoutSign writes a link with its sign's value as "...": a sign admits
// its partnerid to the chat, and is never copied into the generated code
// or its findings.
func withoutSign(link string) string {
	return signParam.ReplaceAllString(link, "${1}...")
}

// shorten abbreviates long text for messages.
func shorten(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// clientFor returns the client unit of an account, making it on first use.
func (c *conversion) clientFor(sysnum, base string, version sobot.Version, from string) *clientUnit {
	if base == sobot.DefaultBaseURL {
		base = ""
	}
	key := sysnum + "\x00" + base + "\x00" + version.String()
	for _, cl := range c.clients {
		if cl.key == key {
			return cl
		}
	}
	cl := &clientUnit{sysnum: sysnum, base: base, version: version, from: from, key: key}
	c.clients = append(c.clients, cl)
	return cl
}

// sign records that a client must sign: the page sent a sign.
func (cl *clientUnit) sign(at string) {
	if !cl.signed {
		cl.signed, cl.signWhere = true, at
	}
}

// checkClient makes a client to validate with, with the account's values
// where they are known and valid, and a stand-in otherwise.
func (c *conversion) checkClient(cl *clientUnit) *sobot.Client {
	cfg := sobot.Config{SysNum: "0123456789abcdef0123456789abcdef", Version: cl.version}
	if cl.sysnum != "" && !strings.Contains(cl.sysnum, c.prefix) {
		cfg.SysNum = cl.sysnum
	}
	if cl.base != "" && !strings.Contains(cl.base, c.prefix) {
		// The reference's placeholder host has a TODO of its own where the
		// code sets BaseURL; the rest of the address is still checked.
		cfg.BaseURL = strings.ReplaceAll(cl.base, hostPlaceholder, "acme")
	}
	if cl.signed {
		cfg.Key = sobot.NewKey("a stand-in key, to validate as a signing client does")
	}
	client, err := sobot.NewClient(cfg)
	if err != nil {
		for _, p := range problemsOf(err) {
			cl.problems = appendOnce(cl.problems, p.Error())
		}
		cfg.SysNum, cfg.BaseURL = "0123456789abcdef0123456789abcdef", ""
		client, _ = sobot.NewClient(cfg)
	}
	return client
}

// hostPlaceholder is the reference's stand-in for a company's own host
// (https://***.sobot.com, "***为您的自定义域名"): NewClient refuses it, and
// the generated code leaves it for the user to fill in, with a TODO.
const hostPlaceholder = "***"

// appendOnce appends s unless list has it.
func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// problemsOf returns the problems of a validation error (or the error as
// one problem).
func problemsOf(err error) []sobot.Problem {
	if err == nil {
		return nil
	}
	var verr *sobot.ValidationError
	if errors.As(err, &verr) {
		return verr.Problems
	}
	var p sobot.Problem
	if errors.As(err, &p) {
		return []sobot.Problem{p}
	}
	return []sobot.Problem{{Reason: err.Error()}}
}

// paramBuilder fills a sobot.Params from the values of a page.
type paramBuilder struct {
	c      *conversion
	pg     *page
	p      *sobot.Params
	root   string // path of p's fields: "Params." in a widget, "" in a link
	n      *notes
	set    map[string]*setInfo
	widget bool
	signAt int // offset of a sign the page sent; -1 for none
	sysnum *value
}

// setInfo is how a parameter was set.
type setInfo struct {
	off     int
	val     *value
	dynamic bool
	extra   bool
}

func newParamBuilder(c *conversion, pg *page, p *sobot.Params, root string, n *notes, widget bool) *paramBuilder {
	return &paramBuilder{c: c, pg: pg, p: p, root: root, n: n, set: map[string]*setInfo{}, widget: widget, signAt: -1}
}

// paramsType is the type of sobot.Params, whose fields the table's Field
// paths name.
var paramsType = reflect.TypeFor[sobot.Params]()

// fieldType returns the type of the field at a dotted path of Params.
func fieldType(path string) (reflect.Type, bool) {
	t := paramsType
	for _, name := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil, false
		}
		f, ok := t.FieldByName(name)
		if !ok {
			return nil, false
		}
		t = f.Type
	}
	return t, true
}

// fieldValue returns the settable field at a dotted path of v.
func fieldValue(v reflect.Value, path string) (reflect.Value, bool) {
	for _, name := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		v = v.FieldByName(name)
		if !v.IsValid() {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// jsText writes a value as the page wrote it, for comments.
func (c *conversion) jsText(v *value) string {
	if v == nil {
		return "undefined"
	}
	var s string
	switch v.kind {
	case kStr:
		s = strconv.Quote(v.text(func(p *placeholder) string { return p.expr }))
	case kDyn:
		s = v.ph.expr
	case kFunc:
		s = "a function"
	case kElem:
		s = "an element"
	case kObj, kArr:
		b, err := marshalJSON(v.plain(func(p *placeholder) string { return p.expr }))
		if err != nil {
			return "an object"
		}
		s = string(b)
	default:
		s = v.text(nil)
	}
	return shorten(s)
}

// add sets one parameter from a page's value.
func (b *paramBuilder) add(name string, v *value, off int) {
	c := b.c
	if v == nil || v.kind == kUndef {
		return
	}
	if v.kind == kNull {
		c.findAt(b.pg.src, off, Note, name, "is null on the page: left out").pg = b.pg
		return
	}
	if n := len(v.placeholders()); n > maxHoles {
		b.drop("Extra", name, str("...", off), off, "holds "+strconv.Itoa(n)+" placeholders; a parameter of the generated code holds at most "+strconv.Itoa(maxHoles))
		return
	}
	switch name {
	case "pre_visit_args", "cur_visit_args":
		if v.kind != kObj {
			b.drop("Visit", name, v, off, "is not an object of "+strings.TrimSuffix(name, "visit_args")+"* members")
			return
		}
		for _, p := range v.props {
			b.add(p.key, p.val, p.off)
		}
		return
	case "pcur_thumbnail":
		fd := c.findAt(b.pg.src, off, Changed, name, "sent as cur_thumbnail, the name in the reference's table (its example misspells it pcur_thumbnail)")
		fd.pg, fd.shown = b.pg, true
		b.n.trail[b.root+"Visit.Current.Thumbnail"] = append(b.n.trail[b.root+"Visit.Current.Thumbnail"], "pcur_thumbnail on the page: the reference's table names it cur_thumbnail")
		name = "cur_thumbnail"
	case "sign":
		if b.signAt < 0 {
			b.signAt = off
		}
		fd := c.findAt(b.pg.src, off, Changed, name, "the page's sign is not copied: the client signs with Config.Key (set SOBOT_KEY to the console's security key)")
		fd.pg, fd.shown = b.pg, true
		return
	case "sysnum":
		b.sysnum = v
		fd := c.findAt(b.pg.src, off, Note, name, "is the account's: it goes to Config.SysNum")
		fd.pg, fd.shown = b.pg, true
		return
	}
	info, known := sobot.LookupParam(name)
	if !known || info.Field == "" {
		b.extra(name, v, off)
		return
	}
	typ, ok := fieldType(info.Field)
	if !ok {
		b.extra(name, v, off)
		return
	}
	for _, ph := range v.placeholders() {
		if ph.param == "" {
			ph.param = name
		}
	}
	x := b.plainFor(info, v, off)
	wholly := v.kind == kDyn && v.json == nil
	if wholly && typ.Kind() != reflect.String || v.hasPlaceholder() && !dynamicFits(typ) {
		b.override(info, typ, v, off)
		return
	}
	if err := setValue(b.p, name, x); err != nil {
		if v.hasPlaceholder() {
			b.override(info, typ, v, off)
			return
		}
		b.drop(info.Field, name, v, off, reasonOf(err))
		return
	}
	if s, ok := x.(string); ok && info.Type != sobot.TypeJSON && !v.hasPlaceholder() {
		if got, _ := b.p.Get(name); got != s {
			path := b.root + info.Field
			b.n.trail[path] = append(b.n.trail[path], "sent as "+strconv.Quote(shorten(got)))
			fd := c.findAt(b.pg.src, off, Changed, name, "sent as "+strconv.Quote(shorten(got))+", the form the library writes; the page had "+strconv.Quote(shorten(s)))
			fd.pg, fd.shown = b.pg, true
		}
	}
	if prev := b.set[name]; prev != nil && !prev.extra && c.jsText(prev.val) != c.jsText(v) {
		fd := c.findAt(b.pg.src, off, Note, name, "is set twice: the later value "+c.jsText(v)+" is kept, as Sobot's config keeps it")
		fd.pg = b.pg
	}
	b.set[name] = &setInfo{off: off, val: v, dynamic: v.hasPlaceholder()}
}

// dynamicFits reports whether a field of type t can hold a value with
// placeholders as markers: strings, and the JSON parameters whose members
// are strings.
func dynamicFits(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
		return true
	case reflect.Map:
		return t.Elem().Kind() == reflect.String || t.Elem().Kind() == reflect.Interface
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Struct
	}
	return false
}

// reasonOf returns the reason of a problem error, without the parameter's
// name.
func reasonOf(err error) string {
	var p sobot.Problem
	if errors.As(err, &p) {
		return p.Reason
	}
	return err.Error()
}

// plainFor returns the Go value setValue takes for a page's value: JSON
// parameters from JSON.stringify's argument or parsed from their text,
// URL parameters from encodeURIComponent's argument.
func (b *paramBuilder) plainFor(info sobot.ParamInfo, v *value, off int) any {
	mark := b.c.marker
	switch {
	case info.Type == sobot.TypeJSON:
		src := v
		if v.json != nil {
			src = v.json
		} else if v.kind == kStr {
			dec := json.NewDecoder(strings.NewReader(v.text(mark)))
			dec.UseNumber()
			var out any
			if dec.Decode(&out) == nil && !dec.More() {
				src = fromPlain(out, b.c.splitMarkers, v.off)
			}
		}
		if info.Name == "goods" && src.kind == kArr {
			// Each pictureUrl as the page had it before encoding; the page's
			// own values are left as they are.
			items := make([]*value, len(src.items))
			for i, it := range src.items {
				items[i] = it
				if pic := it.get("pictureUrl"); pic != nil && it.kind == kObj {
					cp := *it
					cp.props, cp.idx = append([]prop(nil), it.props...), nil
					cp.set("pictureUrl", b.unencoded(pic, "goods", off), pic.off)
					items[i] = &cp
				}
			}
			cp := *src
			cp.items = items
			src = &cp
		}
		return src.plain(mark)
	case info.JS == sobot.JSURIString:
		return b.unencoded(v, info.Name, off).plain(mark)
	}
	return v.plain(mark)
}

// unencoded returns the text a URL parameter had before the page
// percent-encoded it: encodeURIComponent's argument, or a literal the
// page wrote encoded. The widget encodes these parameters itself.
func (b *paramBuilder) unencoded(v *value, name string, off int) *value {
	if v.uri != nil {
		return v.uri
	}
	if !b.widget || v.kind != kStr || !v.static() {
		return v
	}
	s := v.text(nil)
	lower := strings.ToLower(s)
	if strings.Contains(s, "://") || !(strings.Contains(lower, "%3a%2f%2f") || strings.HasPrefix(lower, "%2f")) {
		return v
	}
	d, ok := decodeURIComponent(s)
	if !ok {
		return v
	}
	b.c.findAt(b.pg.src, off, Note, name, "was written percent-encoded; the widget percent-encodes it itself, so the code holds it decoded").pg = b.pg
	out := str(d, v.off)
	return out
}

// override makes a field a placeholder argument of the field's own type,
// for a value the page computes that is not a string (time: {{.Minutes}}).
func (b *paramBuilder) override(info sobot.ParamInfo, typ reflect.Type, v *value, off int) {
	phs := v.placeholders()
	if v.json != nil && v.json.hasPlaceholder() {
		phs = v.json.placeholders() // JSON.stringify(x): the page computed x
	}
	if len(phs) == 0 {
		b.drop(info.Field, info.Name, v, off, "cannot be computed here")
		return
	}
	ph := phs[0]
	clone := &placeholder{id: -1, expr: ph.expr, file: ph.file, line: ph.line, col: ph.col, param: info.Name}
	o := &override{ph: clone, typ: typ}
	if typ.Kind() == reflect.Pointer {
		o.typ, o.ptr = typ.Elem(), true
	}
	path := b.root + info.Field
	b.n.over[path] = o
	if len(phs) > 1 || v.kind != kDyn {
		b.n.trail[path] = append(b.n.trail[path], "the page computed it as "+b.c.jsText(v))
	}
	b.set[info.Name] = &setInfo{off: off, val: v, dynamic: true}
}

// drop leaves a parameter out, saying why at its field.
func (b *paramBuilder) drop(field, name string, v *value, off int, reason string) {
	path := b.root + field
	at := where(b.pg.src, off)
	b.n.lead[path] = append(b.n.lead[path], "TODO: "+name+": "+b.c.jsText(v)+" left out ("+at+"): "+reason)
	fd := b.c.findAt(b.pg.src, off, Dropped, name, b.c.jsText(v)+" left out: "+reason)
	fd.pg, fd.shown = b.pg, true
	delete(b.set, name)
}

// extra sends a parameter the reference lacks through Params.Extra.
func (b *paramBuilder) extra(name string, v *value, off int) {
	var text, was string
	switch v.kind {
	case kStr, kDyn:
		text = v.text(b.c.marker)
	case kBool, kNum:
		text = v.text(nil)
		was = "a " + map[vkind]string{kBool: "boolean", kNum: "number"}[v.kind]
	case kObj, kArr:
		j, err := marshalJSON(v.plain(b.c.marker))
		if err != nil {
			b.drop("Extra", name, v, off, "is not a parameter of the reference, and its value cannot be sent as text")
			return
		}
		text, was = string(j), "an "+map[vkind]string{kObj: "object", kArr: "array"}[v.kind]
	default:
		b.drop("Extra", name, v, off, "is not a parameter of the reference, and its value ("+b.c.jsText(v)+") cannot be sent as text")
		return
	}
	if b.p.Extra == nil {
		b.p.Extra = map[string]string{}
	}
	b.p.Extra[name] = text
	msg := "is not a parameter of the reference: sent as given, in Params.Extra"
	if was != "" {
		msg += ", as the string " + strconv.Quote(shorten(text)) + " where the page sent " + was
	}
	path := b.root + "Extra[" + name + "]"
	b.n.trail[path] = append(b.n.trail[path], name+" "+msg+" ("+where(b.pg.src, off)+")")
	fd := b.c.findAt(b.pg.src, off, Extra, name, msg)
	fd.pg, fd.shown = b.pg, true
	b.set[name] = &setInfo{off: off, val: v, extra: true}
}

// unset removes a parameter the library refused, by its wire name.
func (b *paramBuilder) unset(name string) bool {
	info := b.set[name]
	if info == nil {
		return false
	}
	if info.extra {
		delete(b.p.Extra, name)
		if len(b.p.Extra) == 0 {
			b.p.Extra = nil
		}
		delete(b.n.trail, b.root+"Extra["+name+"]")
		return true
	}
	row, ok := sobot.LookupParam(name)
	if !ok || row.Field == "" {
		return false
	}
	b.p.Unset(name)
	delete(b.n.over, b.root+row.Field)
	return true
}

// refuse handles the problems the library finds in the parameters: each
// refused parameter set from a literal is left out with the library's
// reason; problems of parameters the page computes are left to run time.
// It returns the problems it could not attribute to one parameter.
func (b *paramBuilder) refuse(ps []sobot.Problem) (rest []sobot.Problem, progress bool) {
	for _, p := range ps {
		info := b.set[p.Param]
		switch {
		case info != nil && info.dynamic:
			// The page computes it: the library validates the real value
			// when the page is built.
		case info != nil:
			field := "Extra"
			if row, ok := sobot.LookupParam(p.Param); ok && row.Field != "" && !info.extra {
				field = row.Field
			}
			if b.unset(p.Param) {
				b.drop(field, p.Param, info.val, info.off, p.Reason)
				progress = true
			}
		default:
			rest = append(rest, p)
		}
	}
	return rest, progress
}

// buildLink makes the unit of a chat, leave-message or ticket link.
func (c *conversion) buildLink(pg *page, l *linkRef, parsed *sobot.ParsedLink) *unit {
	n := newNotes()
	u := &unit{pg: pg, off: l.off, n: n, link: withoutSign(c.restoreMarkers(l.text))}
	base := parsed.BaseURL
	cl := c.clientFor(parsed.SysNum, base, parsed.Version, where(pg.src, l.off)+" (a link)")
	u.client = cl
	if parsed.Sign != "" {
		cl.sign(where(pg.src, l.off))
		fd := c.findAt(pg.src, l.off, Changed, "sign", "the link's sign is not copied: the client signs with Config.Key (set SOBOT_KEY to the console's security key)")
		fd.pg, fd.shown = pg, true
	}
	if parsed.Kind == sobot.KindTicket {
		return c.buildTicket(pg, l, parsed, u)
	}
	u.params = &sobot.Params{}
	b := newParamBuilder(c, pg, u.params, "", n, false)
	names := make([]string, 0, len(parsed.Wire))
	for name := range parsed.Wire {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.add(name, &value{kind: kStr, parts: c.splitMarkers(parsed.Wire[name]), off: l.off}, l.off)
	}
	switch parsed.Kind {
	case sobot.KindH5:
		u.method = "H5URL"
		if l.tag == "web-view" {
			u.method = "MiniProgramURL"
		}
	case sobot.KindPC:
		u.method = "PCURL"
	case sobot.KindLeaveMessage:
		u.method = "LeaveMessageURL"
		if parsed.Version == sobot.V6 {
			c.findAt(pg.src, l.off, Changed, "", "a v6 leave-message link: the library builds the one page the reference documents, /chat/h5/v2/leavemessage.html").pg = pg
		}
	}
	check := c.checkClient(cl)
	validated := map[string]bool{}
	for range 8 {
		_, err := c.buildWith(check, u)
		ps := problemsOf(err)
		for _, p := range ps {
			validated[p.Param+"\x00"+p.Reason] = true
		}
		rest, progress := b.refuse(ps)
		if !progress {
			c.unattributed(pg, l.off, u, rest)
			break
		}
	}
	// Problems of reading the link itself (repeated or badly encoded
	// parameters), which building it does not find again.
	for _, p := range parsed.Problems {
		if !validated[p.Param+"\x00"+p.Reason] {
			c.findAt(pg.src, l.off, Note, p.Param, "in the link: "+p.Reason).pg = pg
		}
	}
	c.notices(u, b, check, kindFor(u.method))
	c.units = append(c.units, u)
	return u
}

// kindFor returns the sobot.Kind a unit's builder validates for.
func kindFor(method string) sobot.Kind {
	switch method {
	case "widget":
		return sobot.KindWidget
	case "PCURL":
		return sobot.KindPC
	case "LeaveMessageURL":
		return sobot.KindLeaveMessage
	}
	return sobot.KindH5
}

// notices records what Sobot would accept but ignore in a unit's
// parameters (vip_level without is_vip=1, ...), at the fields concerned.
func (c *conversion) notices(u *unit, b *paramBuilder, check *sobot.Client, k sobot.Kind) {
	notices, err := check.Check(k, b.p)
	if err != nil {
		return // the problems are reported already
	}
	for _, n := range notices {
		off := u.off
		path := b.root + "Extra[" + n.Param + "]"
		if info := b.set[n.Param]; info != nil {
			off = info.off
			if row, ok := sobot.LookupParam(n.Param); ok && row.Field != "" {
				path = b.root + row.Field
			}
		}
		b.n.trail[path] = append(b.n.trail[path], "notice: "+n.Reason)
		fd := c.findAt(u.pg.src, off, Note, n.Param, n.Reason)
		fd.pg, fd.shown = u.pg, true
	}
}

// buildWith builds a link unit with a client, to validate it.
func (c *conversion) buildWith(client *sobot.Client, u *unit) (string, error) {
	switch u.method {
	case "PCURL":
		return client.PCURL(u.params)
	case "LeaveMessageURL":
		return client.LeaveMessageURL(u.params)
	case "MiniProgramURL":
		return client.MiniProgramURL(u.params)
	}
	return client.H5URL(u.params)
}

// unattributed records problems that no single parameter of the page
// causes (partnerid required by a key, say): the generated code does not
// validate until they are fixed.
func (c *conversion) unattributed(pg *page, off int, u *unit, ps []sobot.Problem) {
	for _, p := range ps {
		msg := p.Error()
		u.n.top = append(u.n.top, "TODO: the library refuses this as converted: "+msg)
		fd := c.findAt(pg.src, off, Dropped, p.Param, "the generated code does not validate yet: "+p.Reason)
		fd.pg, fd.shown = pg, true
	}
}

// buildTicket makes the unit of a ticket-plugin link.
func (c *conversion) buildTicket(pg *page, l *linkRef, parsed *sobot.ParsedLink, u *unit) *unit {
	u.method = "TicketURL"
	u.console = parsed.BaseURL
	u.client = nil
	raw := parsed.Wire["params"]
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || len(obj) == 0 {
		c.findAt(pg.src, l.off, Skipped, "params", "the ticket link's params are not a JSON object: not converted").pg = pg
		return nil
	}
	u.fields = obj
	if _, err := ticketURL(u.console, u.fields); err != nil {
		for _, p := range problemsOf(err) {
			u.n.top = append(u.n.top, "TODO: the library refuses this as converted: "+p.Error())
			fd := c.findAt(pg.src, l.off, Dropped, p.Param, "the generated code does not validate yet: "+p.Reason)
			fd.pg, fd.shown = pg, true
		}
	}
	c.units = append(c.units, u)
	return u
}

// itoa formats n in base 10.
func itoa(n int) string { return strconv.Itoa(n) }
