package convert

import (
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sobotgo/sobot"
)

// callbackFields are the Widget fields of the zc events with one callback,
// and the names given to a function the page wrote in place.
var callbackFields = map[string]struct{ field, name string }{
	"frame_ready":           {"OnReady", "onSobotReady"},
	"receive_message":       {"OnMessage", "onSobotMessage"},
	"zhichiReceive":         {"OnMessage", "onSobotMessage"},
	"offline_message_count": {"OnOfflineMessages", "onSobotOfflineMessages"},
	"collapse":              {"OnCollapse", "onSobotCollapse"},
	"frame_manual":          {"ManualInit", "onSobotManualInit"},
	"frame_status":          {"StatusToggle", "onSobotStatus"},
}

// buildWidget makes the widget unit of a page.
func (c *conversion) buildWidget(pg *page, loader *loaderInfo) {
	n := newNotes()
	w := &sobot.Widget{Params: &sobot.Params{}}
	u := &unit{pg: pg, method: "widget", widget: w, n: n, off: -1}
	b := newParamBuilder(c, pg, w.Params, "Params.", n, true)
	var cl *clientUnit
	if loader != nil {
		u.off = loader.ref.off
		p := loader.parsed
		cl = c.clientFor(p.SysNum, p.BaseURL, p.Version, where(pg.src, loader.ref.off)+" (the loader's URL)")
		names := make([]string, 0, len(p.Wire))
		for name := range p.Wire {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			v := &value{kind: kStr, parts: c.splitMarkers(p.Wire[name]), off: loader.ref.off}
			if name != "channelid" {
				c.findAt(pg.src, loader.ref.off, Changed, name, "was on the loader's URL: the widget sends it in zc(\"config\")").pg = pg
			}
			b.add(name, v, loader.ref.off)
		}
		if p.Sign != "" {
			b.signAt = loader.ref.off
		}
	} else if len(pg.config) > 0 {
		u.off = pg.config[0].off
	} else if len(pg.events) > 0 {
		u.off = pg.events[0].off
	}
	for _, it := range pg.config {
		b.add(it.key, it.val, it.off)
	}
	if cl == nil {
		cl = c.pageClient(pg, b, u.off)
	}
	u.client = cl
	if b.signAt >= 0 {
		cl.sign(where(pg.src, b.signAt))
	}
	if loader != nil {
		c.loaderClass(pg, loader, w, u)
	}
	c.nonce(pg, u)
	check := c.checkClient(cl)
	handlerNames := newNamer()
	for _, e := range pg.events {
		c.event(u, b, e, check, handlerNames)
	}
	for range 8 {
		_, err := check.RenderWidget(w)
		rest, progress := b.refuse(problemsOf(err))
		var left []sobot.Problem
		for _, p := range rest {
			if c.dropWidgetField(u, p) {
				progress = true
				continue
			}
			left = append(left, p)
		}
		if !progress {
			c.unattributed(pg, u.off, u, left)
			break
		}
	}
	c.notices(u, b, check, sobot.KindWidget)
	c.units = append(c.units, u)
}

// pageClient returns the client of a page without a loader: the account
// of its config's sysnum, or of its first link, or an account to fill in.
func (c *conversion) pageClient(pg *page, b *paramBuilder, off int) *clientUnit {
	if b.sysnum != nil && b.sysnum.kind == kStr {
		return c.clientFor(b.sysnum.text(c.marker), "", sobot.V2, where(pg.src, b.sysnum.off)+" (sysnum in zc(\"config\"))")
	}
	for _, u := range c.units {
		if u.pg == pg && u.client != nil {
			return u.client
		}
	}
	cl := c.clientFor("", "", sobot.V2, where(pg.src, off))
	fd := c.findAt(pg.src, off, Note, "sysnum", "the page has no loader (entrance.js?sysnum=...): the client reads the sysnum from SOBOT_SYSNUM")
	fd.pg, fd.shown = pg, true
	return cl
}

// loaderClass compares the class of the loader with the custom buttons.
func (c *conversion) loaderClass(pg *page, loader *loaderInfo, w *sobot.Widget, u *unit) {
	class, off := loader.ref.class, loader.ref.off
	if class == "" && loader.ref.target != "" {
		for _, a := range pg.loaderClass {
			if a.target == loader.ref.target && a.val.static() {
				class, off = a.val.text(nil), a.off
				break
			}
		}
	}
	class = strings.TrimSpace(class)
	if class == "" {
		return
	}
	custom, _ := w.Params.Get("custom")
	switch {
	case class != sobot.CustomButtonClass:
		fd := c.findAt(pg.src, off, Changed, "custom", "the loader has class "+strconv.Quote(class)+"; the widget's custom entry buttons have class "+sobot.CustomButtonClass+" (sobot.CustomButtonClass): give your buttons that class")
		fd.pg, fd.shown = pg, true
		u.n.top = append(u.n.top, "TODO: the page's custom buttons had class "+strconv.Quote(class)+"; the widget's have class "+sobot.CustomButtonClass+" (sobot.CustomButtonClass)")
	case custom != "true":
		fd := c.findAt(pg.src, off, Note, "custom", "the loader has class "+sobot.CustomButtonClass+" but the page does not set custom: true; the widget writes the class when Params.WidgetSettings.CustomButton is set")
		fd.pg = pg
	}
}

// nonce makes the widget carry the page's script nonce, as an argument.
func (c *conversion) nonce(pg *page, u *unit) {
	if pg.nonce == nil {
		return
	}
	v := pg.nonce
	if v.static() {
		text := v.text(nil)
		if text == "" {
			return
		}
		ph := c.addPlaceholder(pg.src.name, strconv.Quote(text)+" (a fixed nonce)", pg.src, pg.src.origOffset(pg.nonceOff))
		ph.param = "nonce"
		fd := c.findAt(pg.src, pg.nonceOff, Changed, "Widget.Nonce", "the page's nonce "+strconv.Quote(text)+" is fixed, which defeats a Content-Security-Policy: the widget takes a fresh one per response")
		fd.pg, fd.shown = pg, true
		v = &value{kind: kStr, parts: []part{{ph: ph}}, off: pg.nonceOff}
	}
	for _, ph := range v.placeholders() {
		if ph.param == "" {
			ph.param = "nonce"
		}
	}
	u.widget.Nonce = v.text(c.marker)
}

// event sets the Widget field of one zc call.
func (c *conversion) event(u *unit, b *paramBuilder, e event, check *sobot.Client, names *namer) {
	pg, w := u.pg, u.widget
	call := "zc(" + e.name + ")"
	if e.name == "collapse" {
		call = "Widget.OnCollapse"
	}
	switch e.name {
	case "trace":
		c.trace(u, e, check)
		return
	case "dynamic_ready":
		if e.cx.kind == ctxOther {
			fd := c.findAt(pg.src, e.off, Changed, call, `zc("dynamic_ready") runs in `+e.cx.what+`: the widget calls it whenever custom buttons are added to the page (Widget.WatchButtons)`)
			fd.pg, fd.shown = pg, true
		} else if e.cx.kind == ctxClick {
			fd := c.findAt(pg.src, e.off, Changed, call, `zc("dynamic_ready") runs on a click on `+elemText(e.cx.elem)+`: the widget calls it whenever custom buttons are added to the page (Widget.WatchButtons)`)
			fd.pg, fd.shown = pg, true
		}
		w.WatchButtons = true
		u.n.trail["WatchButtons"] = appendOnce(u.n.trail["WatchButtons"], `zc("dynamic_ready") at `+where(pg.src, e.off)+`, now made whenever custom buttons are added`)
		return
	}
	cf, ok := callbackFields[e.name]
	if !ok {
		return
	}
	cb, cbPath := c.callback(u, e, cf.name, names)
	switch e.name {
	case "frame_manual", "frame_status":
		if e.cx.elem.what != "" || e.cx.elem.name == "" {
			fd := c.findAt(pg.src, e.off, Dropped, call, `zc("`+e.name+`") runs on a click on `+elemText(e.cx.elem)+`, which the widget cannot bind: give the element an id and bind it with sobot.ByID`)
			fd.pg, fd.shown = pg, true
			u.n.lead[cf.field] = append(u.n.lead[cf.field], "TODO: "+cf.field+": the page called zc(\""+e.name+"\") on a click on "+elemText(e.cx.elem)+" ("+where(pg.src, e.off)+"); give the element an id and bind it: sobot.Click{On: sobot.ByID(...)}")
			return
		}
		click := sobot.Click{On: element(e.cx.elem), Then: cb}
		f := reflect.ValueOf(w).Elem().FieldByName(cf.field)
		if !f.IsZero() {
			fd := c.findAt(pg.src, e.off, Dropped, call, `a second click binding of zc("`+e.name+`"): the widget binds one element; bind the others to the same id or class`)
			fd.pg, fd.shown = pg, true
			u.n.lead[cf.field] = append(u.n.lead[cf.field], "TODO: "+cf.field+": the page also bound it to "+elemText(e.cx.elem)+" ("+where(pg.src, e.off)+")")
			return
		}
		f.Set(reflect.ValueOf(click))
		if manual, _ := w.Params.Get("manual"); e.name == "frame_manual" && manual != "true" {
			fd := c.findAt(pg.src, e.off, Changed, "manual", `the widget sends manual: true with ManualInit, so the chat starts on the click only; the page did not set it, so its chat also started at load`)
			fd.pg, fd.shown = pg, true
			u.n.trail[cf.field] = append(u.n.trail[cf.field], "sends manual: true, which the page did not")
		}
		if e.cx.cond != "" || e.cx.via != "" && e.cx.via != "addEventListener" {
			u.n.trail[cf.field] = append(u.n.trail[cf.field], "bound with "+e.cx.via+" at "+where(pg.src, e.off))
		}
		if cbPath != "" {
			u.n.trail[cf.field+".Then"] = append(u.n.trail[cf.field+".Then"], cbPath)
		}
	default:
		f := reflect.ValueOf(w).Elem().FieldByName(cf.field)
		if cb == "" {
			return
		}
		if !f.IsZero() {
			fd := c.findAt(pg.src, e.off, Note, call, "registered twice: the widget calls the later callback only")
			fd.pg = pg
		}
		f.SetString(string(cb))
		if cbPath != "" {
			u.n.trail[cf.field] = []string{cbPath}
		}
	}
}

// callback returns the callback of an event: the page's function by name,
// or a new name for a function the page wrote in place (the doc comment
// then shows its source). note is the trailing comment for the field.
func (c *conversion) callback(u *unit, e event, base string, names *namer) (cb sobot.Callback, note string) {
	pg := u.pg
	if e.cb == nil {
		return "", ""
	}
	switch {
	case e.cb.kind == kFunc && e.cb.fn.path != "":
		return sobot.Callback(e.cb.fn.path), ""
	case e.cb.kind == kFunc:
		name := names.unique(base)
		u.handlers = append(u.handlers, handler{name: name, src: e.cb.fn.src, where: where(pg.src, e.off), listener: e.name == "collapse"})
		fd := c.findAt(pg.src, e.off, Changed, "Widget."+callbackFields[e.name].field, "the page's function becomes "+name+", a function of the page the widget calls by name: define it as the doc comment shows")
		fd.pg, fd.shown = pg, true
		return sobot.Callback(name), "TODO: define " + name + " in the page (see above); it replaces the function at " + where(pg.src, e.off)
	case e.cb.kind == kDyn && callbackPath.MatchString(e.cb.ph.expr):
		return sobot.Callback(strings.TrimPrefix(e.cb.ph.expr, "window.")), ""
	}
	fd := c.findAt(pg.src, e.off, Dropped, "Widget."+callbackFields[e.name].field, "the callback "+c.jsText(e.cb)+" is not a function of the page: left out")
	fd.pg, fd.shown = pg, true
	u.n.lead[callbackFields[e.name].field] = append(u.n.lead[callbackFields[e.name].field], "TODO: the callback "+c.jsText(e.cb)+" of zc(\""+e.name+"\") ("+where(pg.src, e.off)+") is not a function of the page: left out")
	return "", ""
}

// callbackPath matches a dotted path of identifiers.
var callbackPath = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)

// element returns the sobot.Element of a selection.
func element(e elemSel) sobot.Element {
	if e.byClass {
		return sobot.ByClass(e.name)
	}
	return sobot.ByID(e.name)
}

// elemText describes a selection for messages.
func elemText(e elemSel) string {
	switch {
	case e.what != "":
		return e.what
	case e.byClass:
		return "." + e.name
	}
	return "#" + e.name
}

// trace adds one zc("trace", {...}) as a Widget.Traces entry.
func (c *conversion) trace(u *unit, e event, check *sobot.Client) {
	pg, w := u.pg, u.widget
	i := len(w.Traces)
	root := "Traces[" + strconv.Itoa(i) + "]."
	n := newNotes()
	var p sobot.Params
	b := newParamBuilder(c, pg, &p, root, n, true)
	for _, m := range e.arg.props {
		switch m.key {
		case "pre_visit_args", "cur_visit_args":
			b.add(m.key, m.val, m.off)
		default:
			b.drop("Visit", m.key, m.val, m.off, "a trace holds pre_visit_args and cur_visit_args only")
		}
	}
	if e.cx.kind == ctxClick && (e.cx.elem.what != "" || e.cx.elem.name == "") {
		fd := c.findAt(pg.src, e.off, Dropped, "zc(trace)", `zc("trace") runs on a click on `+elemText(e.cx.elem)+`, which the widget cannot bind: give the element an id`)
		fd.pg, fd.shown = pg, true
		u.n.top = append(u.n.top, "TODO: a zc(\"trace\") on a click on "+elemText(e.cx.elem)+" ("+where(pg.src, e.off)+") is left out: give the element an id and add a sobot.Trace{On: sobot.ByID(...)}")
		return
	}
	tr := sobot.Trace{}
	if e.cx.kind == ctxClick {
		tr.On = element(e.cx.elem)
	}
	for range 8 {
		tr.Visit = p.Visit
		_, err := check.RenderWidget(&sobot.Widget{Traces: []sobot.Trace{tr}})
		var ps []sobot.Problem
		for _, q := range problemsOf(err) {
			if name, ok := strings.CutPrefix(q.Param, "Widget.Traces[0].Visit."); ok {
				q.Param = name
			}
			ps = append(ps, q)
		}
		_, progress := b.refuse(ps)
		if !progress {
			break
		}
	}
	tr.Visit = p.Visit
	if tr.Visit.IsZero() {
		fd := c.findAt(pg.src, e.off, Dropped, "zc(trace)", `zc("trace") has nothing left to send: left out`)
		fd.pg, fd.shown = pg, true
		for _, lines := range n.lead {
			u.n.top = append(u.n.top, lines...)
		}
		return
	}
	w.Traces = append(w.Traces, tr)
	for k, v := range n.lead {
		u.n.lead[k] = append(u.n.lead[k], v...)
	}
	for k, v := range n.trail {
		u.n.trail[k] = append(u.n.trail[k], v...)
	}
	for k, v := range n.over {
		u.n.over[k] = v
	}
	if e.cx.cond != "" {
		u.n.trail[root+"On"] = append(u.n.trail[root+"On"], "under "+e.cx.cond+" on the page")
	}
}

// dropWidgetField leaves out a Widget option the library refuses.
func (c *conversion) dropWidgetField(u *unit, p sobot.Problem) bool {
	field, ok := strings.CutPrefix(p.Param, "Widget.")
	if !ok || strings.ContainsAny(field, "[]") {
		return false
	}
	f, ok := fieldValue(reflect.ValueOf(u.widget).Elem(), field)
	if !ok || f.IsZero() {
		return false
	}
	f.SetZero()
	top, _, _ := strings.Cut(field, ".")
	u.n.lead[top] = append(u.n.lead[top], "TODO: "+top+" left out: "+p.Reason)
	delete(u.n.trail, field)
	fd := c.findAt(u.pg.src, u.off, Dropped, p.Param, "left out: "+p.Reason)
	fd.pg, fd.shown = u.pg, true
	return true
}
