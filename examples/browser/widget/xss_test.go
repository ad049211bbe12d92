package widget_test

import (
	"encoding/json"
	"html/template"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
	"github.com/sobotgo/sobot/internal/standintest"
)

// xssWire returns, for every string parameter of the scope, the wire text
// carrying payload that target accepts: the payload itself, or an http URL
// holding it for URL parameters, or JSON holding it for JSON parameters.
// Parameters that accept neither (colours, enums, switches) are left out.
func xssWire(t *testing.T, target sobot.Kind, payload string) map[string]string {
	t.Helper()
	link := "https://xss.example/?q=" + sobot.QueryEscape(payload)
	// order_status 0 lets status_custom carry text, and needs it.
	wire := map[string]string{"order_status": "0", "status_custom": "x"}
	for _, r := range sobot.ParamTable() {
		if r.Field == "" || !r.Allows(target) || r.Name == "order_status" {
			continue
		}
		for _, v := range xssValues(t, r, payload, link) {
			trial := maps.Clone(wire)
			trial[r.Name] = v
			if p, err := paramsFromWire(trial); err == nil && p.Validate(target) == nil {
				wire = trial
				break
			}
		}
	}
	for _, name := range []string{"partnerid", "uname", "remark", "card_title", "card_url", "status_custom", "params", "goods", "transfer_action"} {
		quoted := jsonText(t, payload)
		if v := wire[name]; !strings.Contains(v, payload) && !strings.Contains(v, link) && !strings.Contains(v, quoted[1:len(quoted)-1]) {
			t.Fatalf("%s carries no payload; the selection of string parameters is broken", name)
		}
	}
	// The library writes JSON parameters in a canonical form (member order,
	// escapes): compare with that.
	p, err := paramsFromWire(wire)
	if err != nil {
		t.Fatal(err)
	}
	return p.Wire()
}

// xssValues are the candidate wire texts of row r for payload.
func xssValues(t *testing.T, r sobot.ParamInfo, payload, link string) []string {
	switch r.Name {
	case "params", "customer_fields":
		return []string{jsonText(t, map[string]string{payload: payload})}
	case "goods":
		return []string{jsonText(t, []sobot.Goods{{Name: payload, PictureURL: link}})}
	case "transfer_action":
		return []string{jsonText(t, []map[string]string{{"actionType": "to_group", "optionId": "4", "deciId": payload}})}
	}
	if r.Type != sobot.TypeString {
		return nil
	}
	return []string{payload, link}
}

// paramsFromWire sets each parameter from its wire text.
func paramsFromWire(wire map[string]string) (*sobot.Params, error) {
	p := &sobot.Params{}
	for name, v := range wire {
		if err := p.Set(name, v); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// xssServe serves page, executed with data and the client's template
// functions, at "/" with no Content-Security-Policy: a policy would block
// an injected script and hide an encoding bug from the sentinel.
func xssServe(t *testing.T, client *sobot.Client, page string, data any) string {
	t.Helper()
	tmpl := template.Must(template.New("page").Funcs(client.FuncMap()).Parse(page))
	var body strings.Builder
	if err := tmpl.Execute(&body, data); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body.String()))
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/"
}

// assertInert fails the test if anything of a payload ran in the tab.
func assertInert(t *testing.T, tab *browsertest.Tab, payload string) {
	t.Helper()
	var ran bool
	tab.Eval(`typeof window.__xss !== "undefined" || document.getElementById("xss") !== null`, &ran)
	if ran {
		t.Errorf("payload %q ran or injected markup", payload)
	}
	if d := tab.Dialogs(); len(d) != 0 {
		t.Errorf("payload %q opened dialogs: %+v", payload, d)
	}
}

// TestBrowserWidgetXSS puts each payload into every string parameter of
// the widget, a manual trace and an extra parameter, loads the page, and
// checks nothing ran, the page holds exactly the widget's two scripts, and
// the loader received every value exactly. Each payload is a subtest, named
// by its index in standintest.XSSPayloads, with a tab of its own.
func TestBrowserWidgetXSS(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{})
	for i, payload := range standintest.XSSPayloads {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			wire := xssWire(t, sobot.KindWidget, payload)
			p, err := paramsFromWire(wire)
			if err != nil {
				t.Fatal(err)
			}
			p.Extra = map[string]string{"x_extra": payload}
			chat := sobot.Widget{Params: p, Traces: []sobot.Trace{{Visit: sobot.VisitTrace{Current: sobot.CurrentPage{Title: payload}}}}}
			page := xssServe(t, e.client, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>xss</title></head><body>
<p>{{.Payload}}</p>
{{sobotWidget .Chat}}
</body></html>`, map[string]any{"Payload": payload, "Chat": chat})

			tab := e.b.NewTab(t)
			tab.Navigate(page)
			tab.WaitFor(`window.__sobottest && __sobottest.ready`)
			tab.Eval(`__sobottest.expand(); true`, nil)
			assertInert(t, tab, payload)
			var scripts int
			tab.Eval(`document.scripts.length`, &scripts)
			if scripts != 2 {
				t.Errorf("payload %q: %d script elements, want the widget's 2", payload, scripts)
			}

			var cfg map[string]any
			tab.Eval(`__sobottest.config`, &cfg)
			checkXSSConfig(t, payload, wire, cfg)
			var title string
			tab.Eval(`__sobottest.calls.filter(function (c) { return c.name === "trace"; })[0].args[0].cur_visit_args.cur_visit_title`, &title)
			if title != payload {
				t.Errorf("payload %q: the trace's title is %q", payload, title)
			}
		})
	}
}

// checkXSSConfig compares the config the loader received with the wire
// texts put in, decoding what the widget encodes on purpose.
func checkXSSConfig(t *testing.T, payload string, wire map[string]string, cfg map[string]any) {
	t.Helper()
	if cfg["x_extra"] != payload {
		t.Errorf("payload %q: x_extra = %q", payload, cfg["x_extra"])
	}
	for name, want := range wire {
		r, _ := sobot.LookupParam(name)
		got := cfg[name]
		switch {
		case r.JS == sobot.JSObjectMember:
			got = cfg[r.Parent].(map[string]any)[name]
		case r.JS == sobot.JSURIString:
			got, _ = url.PathUnescape(got.(string))
		case r.JS == sobot.JSNumber:
			// A number row whose text is no number (an order code such
			// as "SO-1") is written as a string, as it is.
			if _, isText := got.(string); !isText {
				got = jsonText(t, got)
			}
		case name == "goods":
			got = goodsWire(t, got.(string))
		}
		if got != want {
			t.Errorf("payload %q: %s = %q, want %q", payload, name, got, want)
		}
	}
}

// goodsWire undoes the widget's URI-encoding of each pictureUrl in the
// goods JSON text and returns the goods' wire text, as a link carries it.
func goodsWire(t *testing.T, text string) string {
	t.Helper()
	var goods []sobot.Goods
	if err := json.Unmarshal([]byte(text), &goods); err != nil {
		t.Fatalf("goods %q: %v", text, err)
	}
	for i := range goods {
		goods[i].PictureURL, _ = url.PathUnescape(goods[i].PictureURL)
	}
	p := sobot.Params{Order: sobot.OrderCard{Goods: goods}}
	w, _ := p.Get("goods")
	return w
}

// TestBrowserChatLinkXSS puts each payload into every string parameter of
// a signed H5 chat link, renders the link into an href with html/template,
// clicks it, and checks nothing ran on either page and the stand-in's chat
// page admitted the visitor and received every value exactly. Each payload
// is a subtest, named by its index in standintest.XSSPayloads, with a tab of its own.
func TestBrowserChatLinkXSS(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{})
	for i, payload := range standintest.XSSPayloads {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			wire := xssWire(t, sobot.KindH5, payload)
			p, err := paramsFromWire(wire)
			if err != nil {
				t.Fatal(err)
			}
			link, err := e.client.H5URL(p)
			if err != nil {
				t.Fatal(err)
			}
			page := xssServe(t, e.client, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>xss</title></head><body>
<a id="chat" href="{{.Link}}" title="{{.Payload}}">{{.Payload}}</a>
</body></html>`, map[string]any{"Link": link, "Payload": payload})

			tab := e.b.NewTab(t)
			tab.Navigate(page)
			var href string
			tab.Eval(`document.getElementById("chat").href`, &href)
			if href != link {
				t.Errorf("payload %q: href\n%s\nwant the link\n%s", payload, href, link)
			}
			tab.Click("#chat")
			tab.WaitVisible("#sobot-security")
			assertInert(t, tab, payload)

			var got map[string]string
			tab.Eval(`(function () { var m = {}; document.querySelectorAll("#sobot-params dd").forEach(function (d) {
			m[d.id.slice("param-".length)] = d.textContent; }); m["@security"] = document.getElementById("sobot-security").textContent;
			return m; })()`, &got)
			want := map[string]string{"@security": "sign verified", "sysnum": browserSysnum,
				"sign": sobot.Sign(browserSysnum, sobot.NewKey(browserSecret), wire["partnerid"])}
			for k, v := range wire {
				want[k] = v
			}
			for _, k := range diffKeys(got, want) {
				t.Errorf("payload %q: the chat page received %s = %q, want %q", payload, k, got[k], want[k])
			}
		})
	}
}

// diffKeys lists the keys whose values differ between a and b.
func diffKeys(a, b map[string]string) []string {
	var keys []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// anyContextPrefixes end a page in each state the HTML tokenizer can be in
// where Client.Middleware may insert the widget of a page broken to its
// end (see htmlscan.Certify): inside a tag, an attribute's name or value
// (quoted either way or not), a comment, a script, raw text, RCDATA and
// foreign content.
var anyContextPrefixes = []string{
	``, `<div`, `<div `, `<div a`, `<div a `, `<div a=`, `<div a=x`, `<div a="`, `<div a='`, `<div a="x" `,
	`<div a=""`, `</div `, `</div a="`, `<div/`, `<!-- `, `<!x `, `<? `,
	`<script>var s = "`, `<script>var s = '`, `<script>/*`, `<script><!-- <script>`, `<script><!--`,
	`<style>`, `<textarea>`, `<title>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>`,
	`<svg><style>`, `<svg><desc a="`, `<math><mtext><style>`, `<select><option a='`, `<template><div a=`, `<table><tr a="`,
}

// anyContextPayloads try to add an attribute or a tag to the element the
// widget lands in, or to end it, in each of those states: they set
// window.__xss or give an element the id xss if they do.
var anyContextPayloads = []string{
	`x id=xss autofocus tabindex=1 onfocus=window.__xss=1 x`,
	`x/id=xss/autofocus/tabindex=1/onfocus=window.__xss=1/x`,
	`x" id="xss" autofocus tabindex="1" onfocus="window.__xss=1" x="`,
	`x' id='xss' autofocus tabindex='1' onfocus='window.__xss=1' x='`,
	"x\tid=xss\nautofocus\ftabindex=1 onfocus=window.__xss=1",
	`x><img id=xss src=x onerror=window.__xss=1>`,
	`--><img id=xss src=x onerror=window.__xss=1>`,
	`</style></textarea></title></script><img id=xss src=x onerror=window.__xss=1>`,
	"`onfocus=window.__xss=1 id=xss`",
	`x=y id=xss`,
}

// TestBrowserWidgetAnyContext renders a widget whose visitor's strings
// hold anyContextPayloads, puts it after each of anyContextPrefixes (a page
// broken from there on), and checks that nothing the visitor wrote ran or
// became markup: the visitor's strings hold no byte that ends a tag, an
// attribute or a value, so the middleware may insert the widget where the
// page's end leaves a reading broken to its end.
func TestBrowserWidgetAnyContext(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{})
	p := &sobot.Params{User: sobot.User{PartnerID: "u-1", Name: anyContextPayloads[0], Remark: anyContextPayloads[1]}, Extra: map[string]string{}}
	for i, payload := range anyContextPayloads {
		p.Extra["x_"+strconv.Itoa(i)] = payload
	}
	snippet, err := e.client.RenderWidget(&sobot.Widget{Params: p, Traces: []sobot.Trace{{Visit: sobot.VisitTrace{Current: sobot.CurrentPage{Title: anyContextPayloads[2]}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, prefix := range anyContextPrefixes {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			page := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ctx</title></head><body><p>before</p>" +
				prefix + snippet.String() + "</body></html>"
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write([]byte(page))
			}))
			t.Cleanup(ts.Close)
			tab := e.b.NewTab(t)
			tab.Navigate(ts.URL + "/")
			// Focus lands on an autofocus element after the load; give it
			// the time, then look.
			time.Sleep(150 * time.Millisecond)
			var injected []string
			// The stand-in's recorder frame, which its loader adds, has a
			// tabindex of its own.
			tab.Eval(`Array.prototype.filter.call(document.querySelectorAll("*"), function (el) {
				return el.id !== "sobottest-recorder" &&
					Array.prototype.some.call(el.attributes, function (a) { return /^on|^autofocus$|^tabindex$/.test(a.name); });
			}).map(function (el) { return el.outerHTML.slice(0, 300); })`, &injected)
			if len(injected) > 0 {
				t.Errorf("after %q: elements with an event handler, autofocus or tabindex attribute: %q", prefix, injected)
			}
			assertInert(t, tab, prefix)
		})
	}
}
