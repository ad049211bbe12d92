package standin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The browser tests drive the fake loader in headless Chromium through
// internal/browsertest, which skips them in -short mode and when no Chromium
// is installed, unless CI=true.

// newBrowser starts a headless Chromium for the test.
func newBrowser(t *testing.T) *browsertest.Browser {
	t.Helper()
	return browsertest.New(t)
}

// loaderState is what a failing tab shows of a host page: its logs and the
// fake loader's state.
const loaderState = `({log: window.__log, st: window.__sobottest, csp: window.__csp, msgs: window.__msgs})`

// openHost loads the host page at url in the tab, set to show loaderState
// when it fails.
func openHost(t *testing.T, tab *browsertest.Tab, url string) {
	t.Helper()
	tab.ShowOnFailure(loaderState)
	tab.Navigate(url)
}

// eval evaluates a JavaScript expression, awaiting a Promise, and returns
// its value.
func eval[T any](t *testing.T, tab *browsertest.Tab, js string) T {
	t.Helper()
	var v T
	tab.Eval(js, &v)
	return v
}

// hostPage is a page of the application under test, on its own origin, with
// a strict CSP that allows the stand-in only where the fake loader needs it:
// script-src for the loader, frame-src for the chat page and the recorder.
// Not connect-src: the loader reports calls through the recorder, and must
// not need the page's permission to connect.
type hostPage struct {
	standin string // the stand-in's origin
	nonce   string
	loader  string // the loader's URL
	body    string // HTML after the shared preamble; {{nonce}} and {{loader}} are replaced
	connect bool   // allow the stand-in in connect-src too
}

const hostPreamble = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>host page</title><link rel="icon" href="data:,"></head>
<body>
<button class="zhiCustomBtn" id="custom1">咨询</button>
<button class="myBtn" id="custom2">咨询 2</button>
<div id="root"></div>
<script nonce="{{nonce}}">
window.__msgs = [];
window.__csp = [];
window.__log = {ready: 0, offline: [], received: [], manual: [], status: []};
window.addEventListener("message", function (e) { window.__msgs.push(e.data); });
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
</script>
`

func (p hostPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	connect := "'none'"
	if p.connect {
		connect = p.standin
	}
	w.Header().Set("Content-Security-Policy", fmt.Sprintf(
		"default-src 'none'; script-src 'nonce-%s' %s; connect-src %s; frame-src %s; img-src data:",
		p.nonce, p.standin, connect, p.standin))
	page := strings.NewReplacer("{{nonce}}", p.nonce, "{{loader}}", p.loader).Replace(hostPreamble + p.body + "</body></html>")
	fmt.Fprint(w, page)
}

// referenceStub is the loader stub from Sobot's reference, with the script
// element's class set as in its custom-button example.
const referenceStub = `(function (w, d, e, x) {
  w[e] = function () {
    w.cbk = w.cbk || [];
    w.cbk.push(arguments);
  };
  x = d.createElement("script");
  x.async = true;
  x.id = "zhichiScript";
  x.className = "myBtn";
  x.src = "{{loader}}";
  d.body.appendChild(x);
})(window, document, "zc");
`

// serveHost starts the stand-in and a host page whose body is body.
func serveHost(t *testing.T, key sobot.Key, version, body string) (*sobottest.Server, string) {
	t.Helper()
	return serveHostPage(t, key, hostPage{loader: "/chat/frame/" + version + "/entrance.js?sysnum=" + standintest.SysNum, body: body})
}

// serveHostPage starts the stand-in and the host page p, whose loader is
// p.loader on the stand-in.
func serveHostPage(t *testing.T, key sobot.Key, p hostPage) (*sobottest.Server, string) {
	t.Helper()
	srv := sobottest.NewServer(standintest.SysNum, key)
	t.Cleanup(srv.Close)
	p.standin, p.nonce, p.loader = srv.URL, "n0nce", srv.URL+p.loader
	host := httptest.NewServer(p)
	t.Cleanup(host.Close)
	return srv, host.URL + "/"
}

// jsJSON is v as JSON that is safe inside an inline script element
// (encoding/json escapes <, > and &).
func jsJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const xssUname = `"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`

// widgetState is what the tests read back from the page.
type widgetState struct {
	Initialised      bool   `json:"initialised"`
	State            string `json:"state"`
	Entry            bool   `json:"entry"`
	EntryDisplay     string `json:"entryDisplay"`
	EntryLeft        string `json:"entryLeft"`
	Container        bool   `json:"container"`
	ContainerDisplay string `json:"containerDisplay"`
	FrameSrc         string `json:"frameSrc"`
	XSS              string `json:"xss"`
	CSP              []string
}

const readWidget = `(function () {
  var st = window.__sobottest || {};
  var entry = document.getElementById("sobottest-entry");
  var box = document.getElementById("zc__sdk__container");
  var frame = document.getElementById("sobottest-frame");
  return {
    initialised: !!st.initialised,
    state: st.state || "",
    entry: !!entry,
    entryDisplay: entry ? getComputedStyle(entry).display : "",
    entryLeft: entry ? entry.style.left : "",
    container: !!box,
    containerDisplay: box ? getComputedStyle(box).display : "",
    frameSrc: frame ? frame.src : "",
    xss: typeof window.__xss,
    CSP: window.__csp || [],
  };
})()`

func widget(t *testing.T, tab *browsertest.Tab) widgetState {
	t.Helper()
	return eval[widgetState](t, tab, readWidget)
}

// checkClean fails the test if an XSS payload ran or the loader broke the
// host page's CSP.
func checkClean(t *testing.T, w widgetState) {
	t.Helper()
	if w.XSS != "undefined" {
		t.Errorf("window.__xss is %s: an XSS payload ran", w.XSS)
	}
	if len(w.CSP) != 0 {
		t.Errorf("CSP violations on the host page: %q", w.CSP)
	}
}

// callNames lists the names of calls.
func callNames(calls []sobottest.Call) []string {
	var names []string
	for _, c := range calls {
		names = append(names, c.Name)
	}
	return names
}

// flushCalls waits until the page has posted its calls, then returns what
// the stand-in recorded.
func flushCalls(t *testing.T, tab *browsertest.Tab, srv *sobottest.Server) []sobottest.Call {
	t.Helper()
	n := eval[int](t, tab, `window.__sobottest.flush().then(function () { return window.__sobottest.calls.length; })`)
	ctx, cancel := context.WithTimeout(t.Context(), browsertest.Timeout)
	defer cancel()
	calls, err := srv.WaitCalls(ctx, n)
	if err != nil {
		t.Fatalf("stand-in recorded %d of %d calls: %v", len(calls), n, err)
	}
	return calls
}

// checkFrame fetches the chat page the widget framed and checks that the
// stand-in admits it and shows want's parameters.
func checkFrame(t *testing.T, srv *sobottest.Server, frameSrc, kind string, want map[string]string) {
	t.Helper()
	if !strings.HasPrefix(frameSrc, srv.URL+"/chat/h5/") {
		t.Fatalf("iframe src %q is not the stand-in's H5 page", frameSrc)
	}
	resp, err := srv.Client().Get(frameSrc)
	if err != nil {
		t.Fatal(err)
	}
	body := standintest.ReadBody(t, resp)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("iframe page: status %d, reason %q", resp.StatusCode, resp.Header.Get("X-Sobottest-Reason"))
	}
	if got := standintest.MustText(t, body, "sobot-page"); got != kind {
		t.Errorf("iframe page kind %q, want %q", got, kind)
	}
	for name, v := range want {
		if got := standintest.MustText(t, body, "param-"+name); got != v {
			t.Errorf("iframe page #param-%s %q, want %q", name, got, v)
		}
	}
}

func TestBrowserLoaderWithReferenceStub(t *testing.T) {
	b := newBrowser(t)
	for _, version := range []string{"v2", "v6"} {
		t.Run(version, func(t *testing.T) {
			partnerid := `user"<1>&`
			config := map[string]any{
				"partnerid": partnerid,
				"sign":      standintest.MD5Sign(standintest.SysNum, standintest.Secret, partnerid),
				"uname":     xssUname,
				"email":     `<script>window.__xss=3</script>`,
				"tel":       `javascript:window.__xss=4`,
				"color":     `04babc;background:url(javascript:window.__xss=5)`,
				"location":  2,
				"params":    `{"等级":"<b>Boss</b>"}`,
				"pre_visit_args": map[string]any{
					"pre_visit_title": xssUname,
				},
			}
			srv, hostURL := serveHost(t, sobot.NewKey(standintest.Secret), version, `<script nonce="{{nonce}}">
`+referenceStub+`
zc("config", `+jsJSON(t, config)+`);
zc("frame_ready", function () { __log.ready++; });
zc("offline_message_count", function (n) { __log.offline.push(n); });
zc("receive_message", function (m) { __log.received.push(["receive_message", m]); });
zc("zhichiReceive", function (m) { __log.received.push(["zhichiReceive", m]); });
zc("trace", {cur_visit_args: {cur_visit_title: `+jsJSON(t, xssUname)+`}});
</script>
`)
			tab := b.NewTab(t)
			openHost(t, tab, hostURL)
			tab.WaitFor(`window.__sobottest && window.__sobottest.ready && __log.ready === 1 && __log.offline.length === 1`)

			w := widget(t, tab)
			checkClean(t, w)
			if !w.Initialised || w.State != "collapse" || !w.Entry || w.EntryDisplay == "none" {
				t.Errorf("after load: %+v", w)
			}
			if w.EntryLeft != "20px" {
				t.Errorf("location 2 puts the entry at left %q, want 20px", w.EntryLeft)
			}
			if !w.Container || w.ContainerDisplay != "none" {
				t.Errorf("panel should exist, hidden: %+v", w)
			}
			if off := eval[[]int](t, tab, `__log.offline`); !slices.Equal(off, []int{0}) {
				t.Errorf("offline_message_count got %v, want [0]", off)
			}
			if !strings.Contains(w.FrameSrc, "/chat/h5/"+version+"/index.html?") {
				t.Errorf("iframe src %q: want the %s H5 page", w.FrameSrc, version)
			}
			checkFrame(t, srv, w.FrameSrc, "h5/"+version, map[string]string{
				"sysnum":         standintest.SysNum,
				"partnerid":      partnerid,
				"uname":          xssUname,
				"email":          `<script>window.__xss=3</script>`,
				"location":       "2",
				"params":         `{"等级":"<b>Boss</b>"}`,
				"pre_visit_args": `{"pre_visit_title":` + mustJSONText(t, xssUname) + `}`,
			})

			// The entry opens the panel.
			tab.Click("#sobottest-entry")
			tab.WaitFor(`window.__sobottest.state === "expand"`)
			if w := widget(t, tab); w.ContainerDisplay == "none" || w.EntryDisplay != "none" {
				t.Errorf("expanded: panel display %q, entry display %q", w.ContainerDisplay, w.EntryDisplay)
			}

			// frame_status toggles and reports; collapsing posts the message.
			tab.Eval(`zc("frame_status", function (s) { __log.status.push(s); })`, nil)
			tab.WaitFor(`__log.status.length === 1 && __msgs.length > 0`)
			if got := eval[[]string](t, tab, `__log.status`); !slices.Equal(got, []string{"collapse"}) {
				t.Errorf("frame_status reported %q", got)
			}
			var msg struct {
				Name string `json:"name"`
				Data struct {
					Action string `json:"action"`
				} `json:"data"`
			}
			raw := eval[string](t, tab, `__msgs[0]`)
			if err := json.Unmarshal([]byte(raw), &msg); err != nil || msg.Name != "zc_post_message" || msg.Data.Action != "chat_collapse_window" {
				t.Errorf("collapse posted %q (%v)", raw, err)
			}
			if w := widget(t, tab); w.State != "collapse" || w.ContainerDisplay != "none" || w.EntryDisplay == "none" {
				t.Errorf("collapsed: %+v", w)
			}

			// Test hooks.
			if n := eval[int](t, tab, `__sobottest.receive({img: "i", name: "客服", msg: `+jsJSON(t, xssUname)+`, t: "1"})`); n != 2 {
				t.Errorf("receive called %d handlers, want 2", n)
			}
			tab.Eval(`__sobottest.setOfflineMessageCount(3)`, nil)
			tab.WaitFor(`__log.received.length === 2 && __log.offline.length === 2`)
			if got := eval[string](t, tab, `__log.received[1][0] + " " + __log.received[1][1].msg`); got != "zhichiReceive "+xssUname {
				t.Errorf("zhichiReceive got %q", got)
			}
			if off := eval[[]int](t, tab, `__log.offline`); !slices.Equal(off, []int{0, 3}) {
				t.Errorf("offline_message_count got %v, want [0 3]", off)
			}

			// A call made after the loader loaded.
			tab.Eval(`zc("trace", {after: "load"})`, nil)

			calls := flushCalls(t, tab, srv)
			want := []string{"config", "frame_ready", "offline_message_count", "receive_message", "zhichiReceive", "trace", "frame_status", "trace"}
			if got := callNames(calls); !slices.Equal(got, want) {
				t.Fatalf("recorded calls %q, want %q", got, want)
			}
			for _, c := range calls {
				if c.Page != hostURL || c.SysNum != standintest.SysNum {
					t.Errorf("call %s: page %q sysnum %q", c.Name, c.Page, c.SysNum)
				}
			}
			var got map[string]any
			if err := calls[0].Arg(0, &got); err != nil {
				t.Fatal(err)
			}
			if got["partnerid"] != partnerid || got["uname"] != xssUname || got["location"] != float64(2) {
				t.Errorf("recorded config %v", got)
			}
			var fn string
			if err := calls[1].Arg(0, &fn); err != nil || fn != "[function]" {
				t.Errorf("frame_ready recorded %q (%v)", fn, err)
			}
			checkClean(t, widget(t, tab))
		})
	}
}

// mustJSONText is s as a JSON string literal without HTML escaping, as
// JSON.stringify writes it.
func mustJSONText(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestBrowserTamperedSignIsFramedButRejected(t *testing.T) {
	b := newBrowser(t)
	config := map[string]any{"partnerid": "user-2", "sign": standintest.MD5Sign(standintest.SysNum, standintest.Secret, "user-1")}
	srv, hostURL := serveHost(t, sobot.NewKey(standintest.Secret), "v2", `<script nonce="{{nonce}}">
`+referenceStub+`
zc("config", `+jsJSON(t, config)+`);
</script>
`)
	tab := b.Tab
	openHost(t, tab, hostURL)
	tab.WaitFor(`window.__sobottest && window.__sobottest.ready`)
	w := widget(t, tab)
	resp, err := srv.Client().Get(w.FrameSrc)
	if err != nil {
		t.Fatal(err)
	}
	body := standintest.ReadBody(t, resp)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || standintest.MustText(t, body, "sobot-rejected") != sobottest.RejectionText {
		t.Errorf("tampered partnerid framed with status %d", resp.StatusCode)
	}
}

func TestBrowserCustomButtons(t *testing.T) {
	b := newBrowser(t)
	srv, hostURL := serveHost(t, sobot.Key{}, "v2", `<script nonce="{{nonce}}">
`+referenceStub+`
zc("config", {custom: true, uname: "u"});
</script>
`)
	tab := b.Tab
	openHost(t, tab, hostURL)
	tab.WaitFor(`window.__sobottest && window.__sobottest.initialised`)
	if w := widget(t, tab); w.Entry {
		t.Fatalf("custom: true still renders the default entry: %+v", w)
	}

	// zhiCustomBtn, and the class given to the loader's script element.
	for _, id := range []string{"custom1", "custom2"} {
		tab.Click("#" + id)
		tab.WaitFor(`window.__sobottest.state === "expand"`)
		tab.Eval(`__sobottest.collapse()`, nil)
	}

	// A button added later works only after dynamic_ready.
	tab.Eval(`(function () {
  var b = document.createElement("button");
  b.className = "zhiCustomBtn";
  b.id = "dyn";
  b.textContent = "动态";
  document.getElementById("root").appendChild(b);
})()`, nil)
	tab.Click("#dyn")
	tab.Eval(`new Promise(function (r) { setTimeout(r, 100); })`, nil)
	if w := widget(t, tab); w.State != "collapse" {
		t.Fatalf("unbound dynamic button opened the panel")
	}
	tab.Eval(`zc("dynamic_ready")`, nil)
	tab.Click("#dyn")
	tab.WaitFor(`window.__sobottest.state === "expand"`)

	checkFrame(t, srv, widget(t, tab).FrameSrc, "h5/v2", map[string]string{"uname": "u", "custom": "true"})
	checkClean(t, widget(t, tab))
	if got := callNames(flushCalls(t, tab, srv)); !slices.Equal(got, []string{"config", "dynamic_ready"}) {
		t.Errorf("recorded %q", got)
	}
}

func TestBrowserManualInit(t *testing.T) {
	b := newBrowser(t)
	srv, hostURL := serveHost(t, sobot.Key{}, "v2", `<script nonce="{{nonce}}">
`+referenceStub+`
zc("config", {manual: true});
zc("frame_ready", function () { __log.ready++; });
</script>
`)
	tab := b.Tab
	openHost(t, tab, hostURL)
	tab.WaitFor(`window.__sobottest && window.__sobottest.loaderLoaded && document.readyState === "complete"`)
	tab.Eval(`new Promise(function (r) { setTimeout(r, 200); })`, nil)
	if w := widget(t, tab); w.Initialised || w.Entry || w.Container {
		t.Fatalf("manual: true initialised on its own: %+v", w)
	}

	tab.Eval(`zc("frame_manual", function (res) { __log.manual.push(res); })`, nil)
	tab.WaitFor(`__log.manual.length === 1 && __log.ready === 1`)
	if code := eval[string](t, tab, `__log.manual[0].code`); code != "000000" {
		t.Errorf("frame_manual result code %q", code)
	}
	if w := widget(t, tab); !w.Initialised || !w.Entry || !w.Container {
		t.Errorf("after frame_manual: %+v", w)
	}
	checkClean(t, widget(t, tab))
	if got := callNames(flushCalls(t, tab, srv)); !slices.Equal(got, []string{"config", "frame_ready", "frame_manual"}) {
		t.Errorf("recorded %q", got)
	}
}

// TestBrowserLoaderElementFirst covers a page that puts the loader's script
// element before the inline stub and config calls, as an SDK emitting a
// nonce'd external script might.
func TestBrowserLoaderElementFirst(t *testing.T) {
	b := newBrowser(t)
	srv, hostURL := serveHost(t, sobot.Key{}, "v6", `<script id="zhichiScript" src="{{loader}}" nonce="{{nonce}}"></script>
<script nonce="{{nonce}}">
window.zc = function () { window.cbk = window.cbk || []; window.cbk.push(arguments); };
zc("config", {partnerid: "p-1", auto_expand: true});
zc("frame_ready", function () { __log.ready++; });
</script>
`)
	tab := b.Tab
	openHost(t, tab, hostURL)
	tab.WaitFor(`window.__sobottest && window.__sobottest.ready && __log.ready === 1`)
	w := widget(t, tab)
	if w.State != "expand" {
		t.Errorf("auto_expand: state %q", w.State)
	}
	checkFrame(t, srv, w.FrameSrc, "h5/v6", map[string]string{"partnerid": "p-1", "auto_expand": "true"})
	checkClean(t, w)
	if got := callNames(flushCalls(t, tab, srv)); !slices.Equal(got, []string{"config", "frame_ready"}) {
		t.Errorf("recorded %q", got)
	}
}

// TestBrowserPagesRunNoScript opens the stand-in's pages with payloads in
// every parameter.
func TestBrowserPagesRunNoScript(t *testing.T) {
	b := newBrowser(t)
	srv := sobottest.NewServer(standintest.SysNum, sobot.NewKey(standintest.Secret))
	defer srv.Close()
	tab := b.Tab

	for _, payload := range standintest.XSSPayloads {
		q := standintest.SignedQuery(payload)
		q.Set("uname", payload)
		q.Set(payload, payload)
		tab.Navigate(srv.URL + standintest.Page("/chat/h5/v2/index.html", q))
		got := eval[map[string]string](t, tab, `({
  uname: document.getElementById("param-uname").textContent,
  security: document.getElementById("sobot-security").textContent,
  xss: typeof window.__xss,
  scripts: String(document.scripts.length),
})`)
		if got["uname"] != payload || got["security"] != "sign verified" || got["xss"] != "undefined" || got["scripts"] != "0" {
			t.Errorf("payload %q: page shows %q", payload, got)
		}
	}

	q := url.Values{"sysnum": {standintest.SysNum}, "partnerid": {"u-2"}, "sign": {standintest.MD5Sign(standintest.SysNum, standintest.Secret, "u-1")}}
	tab.Navigate(srv.URL + standintest.Page("/chat/pc/v2/index.html", q))
	if got := eval[string](t, tab, `document.getElementById("sobot-rejected").innerText`); got != sobottest.RejectionText {
		t.Errorf("rejected page shows %q", got)
	}
}

// TestBrowserCallsAreSameOrigin checks that the loader's calls reach the
// stand-in through the recorder while the host page, of another origin,
// can neither read the recorded calls (partnerids and signs) nor post its
// own, whether with fetch or by navigating to the endpoint.
func TestBrowserCallsAreSameOrigin(t *testing.T) {
	b := newBrowser(t)
	sign := standintest.MD5Sign(standintest.SysNum, standintest.Secret, "u-secret")
	// The page allows the stand-in in connect-src, so that its own requests
	// reach the stand-in and the stand-in must refuse them.
	srv, hostURL := serveHostPage(t, sobot.NewKey(standintest.Secret), hostPage{
		loader:  "/chat/frame/v2/entrance.js?sysnum=" + standintest.SysNum,
		connect: true,
		body: `<script nonce="{{nonce}}">
` + referenceStub + `
zc("config", {partnerid: "u-secret", sign: "` + sign + `"});
</script>
`})
	tab := b.Tab
	openHost(t, tab, hostURL)
	tab.WaitFor(`window.__sobottest && window.__sobottest.ready`)
	calls := flushCalls(t, tab, srv)
	require.Equal(t, []string{"config"}, callNames(calls))
	assert.Equal(t, hostURL, calls[0].Page)

	endpoint := srv.URL + "/__sobottest/calls"
	got := eval[map[string]string](t, tab, `(async function () {
  var out = {};
  try {
    var r = await fetch(`+jsJSON(t, endpoint)+`);
    out.read = await r.text();
  } catch (e) {
    out.readError = String(e);
  }
  try {
    var p = await fetch(`+jsJSON(t, endpoint)+`, {method: "POST", mode: "no-cors",
      body: JSON.stringify([{name: "forged", args: [], page: location.href, sysnum: "x"}])});
    out.post = p.type;
  } catch (e) {
    out.postError = String(e);
  }
  return out;
})()`)
	assert.NotContains(t, got, "read", "the host page read the calls: %q", got["read"])
	assert.Contains(t, got["readError"], "TypeError", "the cross-origin read fails")
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	after, _ := srv.WaitCalls(ctx, 2)
	assert.Equal(t, []string{"config"}, callNames(after), "a cross-origin POST was recorded")

	// A top-level navigation from the host page is cross-site too.
	// The page goes away under the harness's waits, so poll by hand.
	tab.Eval(`location.href = `+jsJSON(t, endpoint)+`; true`, nil)
	text := ""
	for deadline := time.Now().Add(browsertest.Timeout); text == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(tab.Context(), 5*time.Second)
		text, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.href === `+jsJSON(t, endpoint)+
			` && document.readyState === "complete" && document.body ? document.body.textContent : ""`))
		cancel()
	}
	assert.NotContains(t, text, "u-secret")
	assert.Contains(t, text, "serves its own origin only")
}

// TestBrowserRecorderChecksOrigins frames the recorder from a host page
// by hand, as the loader does, and sends it calls: it posts those made on
// the host's origin and drops calls that claim another page's origin or are
// malformed.
func TestBrowserRecorderChecksOrigins(t *testing.T) {
	b := newBrowser(t)
	srv, hostURL := serveHost(t, sobot.Key{}, "v2", "")
	tab := b.Tab
	openHost(t, tab, hostURL)
	acks := eval[[]map[string]any](t, tab, `(async function () {
  var standin = `+jsJSON(t, srv.URL)+`;
  var f = document.createElement("iframe");
  var loaded = new Promise(function (r) { f.addEventListener("load", r, {once: true}); });
  f.src = standin + "/__sobottest/recorder.html";
  document.body.appendChild(f);
  await loaded;
  var mc = new MessageChannel();
  var acks = [];
  var ready = new Promise(function (r) {
    mc.port1.onmessage = function (e) {
      if (e.data.sobottest === "ready") { r(); } else { acks.push(e.data); }
    };
  });
  f.contentWindow.postMessage({sobottest: "connect"}, standin, [mc.port2]);
  await ready;
  mc.port1.postMessage({sobottest: "calls", seq: 1, calls: [
    {name: "mine", args: [{a: 1}], page: location.href, sysnum: "s"},
    {name: "foreign", args: [], page: "http://other.example/", sysnum: "s"},
    {name: "malformed", args: "x", page: location.href, sysnum: "s"},
  ]});
  mc.port1.postMessage({sobottest: "calls", seq: 2, calls: [{name: "second", args: [], page: location.href, sysnum: "s"}]});
  await new Promise(function (r) {
    var iv = setInterval(function () { if (acks.length === 2) { clearInterval(iv); r(); } }, 10);
  });
  return acks;
})()`)
	require.Len(t, acks, 2)
	assert.Equal(t, map[string]any{"sobottest": "ack", "seq": float64(1), "ok": true}, acks[0])
	assert.Equal(t, map[string]any{"sobottest": "ack", "seq": float64(2), "ok": true}, acks[1])
	calls := srv.Calls()
	assert.Equal(t, []string{"mine", "second"}, callNames(calls))
	for _, c := range calls {
		assert.Equal(t, hostURL, c.Page)
	}
}
