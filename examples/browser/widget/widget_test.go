package widget_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
	"github.com/sobotgo/sobot/sobottest"
)

// These tests render pages through html/template with the widget, load
// them in headless Chromium (internal/browsertest: skipped without a
// browser, failed under CI=true) and drive the stand-in loader of
// sobottest.

const (
	browserSysnum = "4c349791a07b46c1a70b8ac88aa23257"
	browserSecret = "browser-s3cret-0123"
)

// browserEnv is one browser test's world: the stand-in, a signing client
// whose base URL is the stand-in, and a browser.
type browserEnv struct {
	srv    *sobottest.Server
	client *sobot.Client
	b      *browsertest.Browser
}

// newBrowserEnv starts the browser first, so that a test without one skips
// before starting anything else.
func newBrowserEnv(t *testing.T, defaults sobot.Params) *browserEnv {
	t.Helper()
	b := browsertest.New(t)
	srv := sobottest.NewServer(browserSysnum, sobot.NewKey(browserSecret))
	t.Cleanup(srv.Close)
	client, err := sobot.NewClient(sobot.Config{SysNum: browserSysnum, Key: sobot.NewKey(browserSecret), BaseURL: srv.URL, Defaults: defaults})
	if err != nil {
		t.Fatal(err)
	}
	return &browserEnv{srv: srv, client: client, b: b}
}

// browserPage is a shop page: an app script of the page (nonce'd) whose
// callbacks record what the widget reports in app.chat.events, some
// buttons, and the widget.
const browserPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>shop</title></head>
<body>
{{- if .App}}
<script nonce="{{.Nonce}}">
(function () {
  var events = [];
  function log(name) { return function (r) { events.push([name, r === undefined ? null : r]); }; }
  window.app = {chat: {events: events, onReady: log("ready"), onMessage: log("message"), onOffline: log("offline"),
    onCollapse: log("collapse"), onStatus: log("status"), onInit: log("init")}};
  // Globals named like the short locals scripts tend to declare: the
  // widget's own names must not shadow them.
  window.r = window.app.chat.onReady; window.e = window.app.chat.onMessage;
  window.m = window.app.chat.onCollapse; window.on = window.app.chat.onStatus; window.d = window.app.chat.onInit;
})();
</script>
{{- end}}
<button id="customBtn">Chat</button>
<button id="toggle" class="chat-toggle"><span id="toggle-inner">Toggle chat</span></button>
<button class="sku" id="sku-1">Shoes</button>
<div id="root"></div>
{{sobotWidget .Chat}}
</body></html>`

// browserPageData is what browserPage renders.
type browserPageData struct {
	App   bool
	Nonce string
	Chat  sobot.Widget
}

// policy builds the response's Content-Security-Policy from its nonce and
// the widget's snippet.
type policy func(base, nonce string, s sobot.Snippet) string

// noncePolicy is the strict policy the widget documents, with the nonce.
func noncePolicy(base, nonce string, _ sobot.Snippet) string {
	return "default-src 'none'; script-src 'nonce-" + nonce + "' " + base + "; frame-src " + base +
		"; connect-src " + base + "; img-src " + base + "; base-uri 'none'"
}

// serve starts a loopback server whose "/" renders browserPage for a fresh
// nonce, with the Widget chat(nonce) and the policy pol, and returns its
// URL. Each response gets its own nonce, as a real site's would.
func (e *browserEnv) serve(t *testing.T, app bool, chat func(nonce string) sobot.Widget, pol policy) string {
	t.Helper()
	tmpl := template.Must(template.New("page").Funcs(e.client.FuncMap()).Parse(browserPage))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		nonce := newNonce()
		data := browserPageData{App: app, Nonce: nonce, Chat: chat(nonce)}
		snippet, err := e.client.RenderWidget(&data.Chat)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var body strings.Builder
		if err := tmpl.Execute(&body, data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Security-Policy", pol(e.srv.URL, nonce, snippet))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body.String()))
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/"
}

// newNonce returns 128 random bits in base64, as a site should make them.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// calls flushes the loader's pending reports and returns the calls the
// stand-in recorded.
func (e *browserEnv) calls(t *testing.T, tab *browsertest.Tab) []sobottest.Call {
	t.Helper()
	tab.Eval(`window.__sobottest.flush().then(() => true)`, nil)
	return e.srv.Calls()
}

// callsNamed returns the calls named name.
func callsNamed(calls []sobottest.Call, name string) []sobottest.Call {
	var out []sobottest.Call
	for _, c := range calls {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// events returns app.chat.events of the page.
func events(t *testing.T, tab *browsertest.Tab) [][]any {
	t.Helper()
	var ev [][]any
	tab.Eval(`window.app.chat.events`, &ev)
	return ev
}

// waitEvent waits until the page's app recorded an event named name.
func waitEvent(t *testing.T, tab *browsertest.Tab, name string) {
	t.Helper()
	tab.WaitFor(`window.app.chat.events.some(function (e) { return e[0] === ` + jsonText(t, name) + `; })`)
}

// jsonText returns v as JSON text.
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertClean fails the test if the tab saw a CSP violation, an uncaught
// exception or a dialog.
func assertClean(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	if v := tab.CSPViolations(); len(v) != 0 {
		t.Errorf("CSP violations: %+v", v)
	}
	if ex := tab.Exceptions(); len(ex) != 0 {
		t.Errorf("uncaught exceptions: %+v", ex)
	}
	if d := tab.Dialogs(); len(d) != 0 {
		t.Errorf("dialogs: %+v", d)
	}
}

// browserParams are the visitor's parameters of the widget tests: identity,
// a product card, typed settings of every JS type, and a visit trace.
func browserParams() *sobot.Params {
	return &sobot.Params{
		User: sobot.User{PartnerID: "user-42", Name: "小丁哥", Email: "dingmao@163.com", VIP: sobot.On,
			Params: sobot.Fields{"等级": "Boss"}},
		Settings: sobot.Settings{Color: "04babc", HistoryMinutes: sobot.Ptr(120), LeaveMessageButton: sobot.On,
			LeaveMessageEntry: sobot.On, Source: sobot.SourceDesktop},
		Routing: sobot.Routing{Mode: sobot.ModeRobotFirst},
		Product: sobot.ProductCard{Title: "云客服_智齿客服", URL: "https://shop.example/p/1?a=b&c=d%20e",
			Picture: "https://img.sobot.com/console/common/face/admin.png"},
		Order: sobot.OrderCard{Status: sobot.OrderPendingPayment, Created: time.UnixMilli(1586414406391), Code: "0011111",
			TotalFee: sobot.Ptr[int64](1000), Goods: []sobot.Goods{{Name: "saaadad", PictureURL: "https://img.sobot.com/a.png?x=1"}}},
		WidgetSettings: sobot.WidgetSettings{CustomButton: true, Location: sobot.BottomRight, AutoInvite: sobot.On},
		Visit:          sobot.VisitTrace{Current: sobot.CurrentPage{Title: "Shoes", URL: "https://shop.example/p/1"}},
	}
}

// TestBrowserWidget loads a page with a strict nonce CSP and the widget
// with every hook, and checks the loader, the config's values and types as
// the loader received them, each callback, the click bindings, dynamic
// buttons and the signed chat page.
func TestBrowserWidget(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{Settings: sobot.Settings{ChannelID: sobot.Ptr(7), Locale: sobot.LocaleEnglish}})
	trace := sobot.VisitTrace{Previous: sobot.PreviousPage{Title: "List"}, Current: sobot.CurrentPage{Title: "Shoes", Tags: "</script>\u2028"}}
	page := e.serve(t, true, func(nonce string) sobot.Widget {
		return sobot.Widget{
			Params: browserParams(), Nonce: nonce,
			OnReady: "r", OnMessage: "e", OnOfflineMessages: "app.chat.onOffline",
			OnCollapse:   "m",
			StatusToggle: sobot.Click{On: sobot.ByClass("chat-toggle"), Then: "on"},
			WatchButtons: true,
			Traces:       []sobot.Trace{{On: sobot.ByID("sku-1"), Visit: trace}},
		}
	}, noncePolicy)
	tab := e.b.Tab
	tab.Navigate(page)
	waitEvent(t, tab, "ready") // frame_ready: the loader initialised and the chat page loaded

	e.checkLoader(t, tab)
	e.checkConfig(t, tab)
	e.checkSignedChatPage(t, tab)
	e.checkCallbacks(t, tab)
	e.checkTraceClick(t, tab)
	e.checkDynamicButtons(t, tab)
	assertClean(t, tab)
}

// checkLoader checks the loader element and the sysnum the loader read
// from it.
func (e *browserEnv) checkLoader(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	var got struct {
		Sysnum, Src, Class string
	}
	tab.Eval(`({Sysnum: __sobottest.sysnum, Src: document.getElementById("zhichiScript").src, Class: document.getElementById("zhichiScript").className})`, &got)
	wantSrc := e.srv.URL + "/chat/frame/v2/entrance.js?sysnum=" + browserSysnum + "&channelid=7"
	if got.Sysnum != browserSysnum || got.Src != wantSrc || got.Class != sobot.CustomButtonClass {
		t.Errorf("loader: %+v, want sysnum %s, src %s, class %s", got, browserSysnum, wantSrc, sobot.CustomButtonClass)
	}
}

// checkConfig checks the config the stand-in recorded, value by value and
// type by type, and what the page sees.
func (e *browserEnv) checkConfig(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	configs := callsNamed(e.calls(t, tab), "config")
	if len(configs) != 1 || configs[0].SysNum != browserSysnum {
		t.Fatalf("config calls %+v, want one for %s", configs, browserSysnum)
	}
	var got map[string]any
	if err := configs[0].Arg(0, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"partnerid": "user-42", "sign": sobot.Sign(browserSysnum, sobot.NewKey(browserSecret), "user-42"),
		"uname": "小丁哥", "email": "dingmao@163.com", "is_vip": 1.0, "params": `{"等级":"Boss"}`,
		"color": "04babc", "locale": "en", "time": 120.0, "leave_msg_flag": true, "msg_flag": false, "source": "0", "type": 3.0,
		"card_title": "云客服_智齿客服", "card_url": "https%3A%2F%2Fshop.example%2Fp%2F1%3Fa%3Db%26c%3Dd%2520e",
		"card_picture": "https%3A%2F%2Fimg.sobot.com%2Fconsole%2Fcommon%2Fface%2Fadmin.png",
		"order_status": 1.0, "create_time": "1586414406391", "order_code": "0011111", "total_fee": 1000.0,
		"goods":  `[{"name":"saaadad","pictureUrl":"https%3A%2F%2Fimg.sobot.com%2Fa.png%3Fx%3D1"}]`,
		"custom": true, "location": 1.0, "invite": 1.0,
		"cur_visit_args": map[string]any{"cur_visit_title": "Shoes", "cur_visit_url": "https://shop.example/p/1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("config as the loader got it:\n%v\nwant\n%v", got, want)
	}
	// The page itself sees the JavaScript types, and the URI-encoded
	// card URL decodes back with decodeURIComponent.
	var types []string
	tab.Eval(`(function (c) { return [typeof c.time, typeof c.leave_msg_flag, typeof c.card_url, typeof c.cur_visit_args,
		decodeURIComponent(c.card_url), JSON.parse(c.goods)[0].name, decodeURIComponent(JSON.parse(c.goods)[0].pictureUrl)]; })(__sobottest.config)`, &types)
	wantTypes := []string{"number", "boolean", "string", "object", "https://shop.example/p/1?a=b&c=d%20e", "saaadad", "https://img.sobot.com/a.png?x=1"}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("in the page: %q, want %q", types, wantTypes)
	}
}

// checkSignedChatPage opens the chat page the widget framed and checks the
// stand-in verified its sign.
func (e *browserEnv) checkSignedChatPage(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	var src string
	tab.Eval(`document.getElementById("sobottest-frame").src`, &src)
	chat := e.b.NewTab(t)
	chat.Navigate(src)
	var security string
	chat.Eval(`document.getElementById("sobot-security").textContent`, &security)
	if security != "sign verified" {
		t.Errorf("the chat page the widget opened says %q, want sign verified (%s)", security, src)
	}
}

// checkCallbacks drives the stand-in's events and the status toggle, and
// checks each callback got its value.
func (e *browserEnv) checkCallbacks(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	tab.Eval(`__sobottest.receive({img: "", name: "Agent", msg: "hi", t: "1"}); __sobottest.setOfflineMessageCount(3); true`, nil)
	waitEvent(t, tab, "message")
	tab.WaitFor(`app.chat.events.some(function (e) { return e[0] === "offline" && e[1] === 3; })`)

	tab.Click("#toggle-inner") // a click inside the bound element counts
	tab.WaitFor(`__sobottest.state === "expand"`)
	waitEvent(t, tab, "status")
	tab.Click("#toggle")
	tab.WaitFor(`__sobottest.state === "collapse"`)
	waitEvent(t, tab, "collapse")

	got := map[string][]any{}
	for _, ev := range events(t, tab) {
		got[ev[0].(string)] = append(got[ev[0].(string)], ev[1])
	}
	want := map[string][]any{
		"ready":    {nil},
		"message":  {map[string]any{"img": "", "name": "Agent", "msg": "hi", "t": "1"}},
		"offline":  {0.0, 3.0},
		"status":   {"expand", "collapse"},
		"collapse": {map[string]any{"action": "chat_collapse_window"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("callbacks got\n%v\nwant\n%v", got, want)
	}
}

// checkTraceClick clicks the traced element and checks the trace call's
// object.
func (e *browserEnv) checkTraceClick(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	tab.Click("#sku-1")
	traces := callsNamed(e.calls(t, tab), "trace")
	if len(traces) != 1 {
		t.Fatalf("trace calls %+v, want 1", traces)
	}
	var got map[string]map[string]string
	if err := traces[0].Arg(0, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"pre_visit_args": {"pre_visit_title": "List"},
		"cur_visit_args": {"cur_visit_title": "Shoes", "cur_tags": "</script>\u2028"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trace %v, want %v", got, want)
	}
}

// checkDynamicButtons adds a custom button after load and checks it is
// bound through dynamic_ready.
func (e *browserEnv) checkDynamicButtons(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	tab.Eval(`(function () { var b = document.createElement("button"); b.id = "dyn"; b.className = "zhiCustomBtn";
		b.textContent = "咨询"; document.getElementById("root").appendChild(b); return true; })()`, nil)
	tab.WaitFor(`__sobottest.calls.some(function (c) { return c.name === "dynamic_ready"; })`)
	if n := len(callsNamed(e.calls(t, tab), "dynamic_ready")); n != 1 {
		t.Errorf("%d dynamic_ready calls, want 1", n)
	}
	tab.Click("#dyn")
	tab.WaitFor(`__sobottest.state === "expand"`)
}

// TestBrowserWidgetManualInit checks 手动初始化: nothing starts until the
// bound button is clicked, then frame_manual reports success to the page.
func TestBrowserWidgetManualInit(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{})
	page := e.serve(t, true, func(nonce string) sobot.Widget {
		return sobot.Widget{
			Params:     &sobot.Params{User: sobot.User{PartnerID: "user-7"}},
			Nonce:      nonce,
			ManualInit: sobot.Click{On: sobot.ByID("customBtn"), Then: "d"},
			OnReady:    "app.chat.onReady",
		}
	}, noncePolicy)
	tab := e.b.Tab
	tab.Navigate(page)
	tab.WaitFor(`window.__sobottest && __sobottest.loaderLoaded`)
	var before bool
	tab.Eval(`__sobottest.initialised || document.getElementById("zc__sdk__container") !== null`, &before)
	if before {
		t.Fatal("the widget initialised before the button was clicked")
	}
	tab.Click("#customBtn")
	waitEvent(t, tab, "init")
	waitEvent(t, tab, "ready")
	var got map[string]any
	tab.Eval(`app.chat.events.filter(function (e) { return e[0] === "init"; })[0][1]`, &got)
	if got["code"] != "000000" {
		t.Errorf("frame_manual result %v, want code 000000", got)
	}
	calls := e.calls(t, tab)
	if c := callsNamed(calls, "config"); len(c) != 1 || !strings.Contains(string(c[0].Args[0]), `"manual":true`) {
		t.Errorf("config calls %+v, want one with manual: true", c)
	}
	if len(callsNamed(calls, "frame_manual")) != 1 {
		t.Errorf("frame_manual calls: %+v", calls)
	}
	assertClean(t, tab)
}

// TestBrowserWidgetCSP loads the widget under the policies the widget
// documents and checks it runs without a violation; the control case shows
// the check sees one when the nonce is missing. The cases share the
// browser, each in a tab of its own.
func TestBrowserWidgetCSP(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{Settings: sobot.Settings{Color: "04babc"}})
	hashPolicy := func(base, _ string, s sobot.Snippet) string {
		return "default-src 'none'; script-src " + strings.Join(s.ScriptHashes(), " ") + " " + base +
			"; frame-src " + base + "; connect-src " + base + "; img-src " + base
	}
	strictDynamic := func(base, nonce string, _ sobot.Snippet) string {
		return "default-src 'none'; script-src 'nonce-" + nonce + "' 'strict-dynamic'; frame-src " + base +
			"; connect-src " + base + "; img-src " + base + "; object-src 'none'; base-uri 'none'"
	}
	for _, tc := range []struct {
		name      string
		withNonce bool
		pol       policy
		violation bool
	}{
		{"nonce and host", true, noncePolicy, false},
		{"nonce and strict-dynamic", true, strictDynamic, false},
		{"hashes and host", false, hashPolicy, false},
		{"control: nonce policy, widget without nonce", false, noncePolicy, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := e.serve(t, false, func(nonce string) sobot.Widget {
				w := sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: "user-1"}}}
				if tc.withNonce {
					w.Nonce = nonce
				}
				return w
			}, tc.pol)
			tab := e.b.NewTab(t)
			tab.Navigate(page)
			violations := tab.CSPViolations()
			if tc.violation {
				if len(violations) == 0 {
					t.Error("no violation reported")
				}
				return
			}
			tab.WaitFor(`window.__sobottest && __sobottest.ready`)
			if v := tab.CSPViolations(); len(v) != 0 {
				t.Errorf("CSP violations: %+v", v)
			}
			if ex := tab.Exceptions(); len(ex) != 0 {
				t.Errorf("exceptions: %+v", ex)
			}
		})
	}
}
