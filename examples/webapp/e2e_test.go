package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
	"github.com/sobotgo/sobot/sobottest"
)

var update = flag.Bool("update", false, "write the screenshots to testdata/ instead of a temporary directory")

// TestEndToEnd drives the app in headless Chromium, as a visitor would,
// against a stand-in of Sobot with a security key: for two accounts it
// logs in with the account switcher, checks the widget is on the page
// once, loads under the strict CSP and hands the page's card and the
// signed identity to Sobot, once, and follows the chat link, which the
// stand-in admits for that account and rejects once the partnerid is
// edited. The product page gets its widget from the client's Middleware,
// the order page from its template (sobotWidget): both ways are covered.
// No CSP violation, exception or dialog may happen on the way.
//
// It is skipped without Chromium (unless CI=true) and in -short mode, as
// browsertest.New decides for every browser test.
func TestEndToEnd(t *testing.T) {
	b := browsertest.New(t)
	sobotSrv := sobottest.NewServer(testSysNum, sobot.NewKey(testKey))
	defer sobotSrv.Close()
	app := startRun(t, []string{"-addr", "127.0.0.1:0", "-sysnum", testSysNum, "-base-url", sobotSrv.URL}, env{"SOBOT_KEY": testKey})

	ctx, cancel := context.WithTimeout(b.Context(), browsertest.Timeout)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 860))
	cancel()
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		who        account
		path       string
		card       map[string]any // expected in zc("config", ...), as JSON decodes it
		screenshot string
		way        string // how the widget reaches the page
	}{
		{alice, "/products/teapot", map[string]any{
			"card_title":   "Celadon teapot",
			"card_note":    "¥268.00",
			"card_url":     url.QueryEscape(app.Shop + "/products/teapot"), // URI-encoded, as the reference's example
			"card_picture": url.QueryEscape(app.Shop + "/static/teapot.svg"),
		}, "product.png", "middleware"},
		{bob, "/orders/20250002", map[string]any{
			"order_code":   float64(20250002), // a number, as the reference's example writes it
			"order_status": 2.0,
			"goods_count":  3.0,
			"total_fee":    56400.0,
			"is_vip":       1.0,
		}, "order.png", "template"},
	} {
		// Log in with the account switcher, then open the page.
		b.Navigate(app.Shop + "/")
		b.Click(`button[name="user"][value="` + tc.who.ID + `"]`)
		b.WaitVisible(`button.current[value="` + tc.who.ID + `"]`)
		b.Navigate(app.Shop + tc.path)

		// The widget loads and initialises, its chat page included.
		b.WaitFor(`window.__sobottest && window.__sobottest.loaderLoaded && window.__sobottest.ready`)
		cfg := waitConfig(t, sobotSrv, app.Shop+tc.path, tc.who.ID)
		want := map[string]any{
			"partnerid": tc.who.ID,
			"uname":     tc.who.Name,
			"sign":      sobot.Sign(testSysNum, sobot.NewKey(testKey), tc.who.ID),
		}
		for k, v := range tc.card {
			want[k] = v
		}
		for k, v := range want {
			if cfg[k] != v {
				t.Errorf("%s %s: zc config %s = %#v, want %#v", tc.who.Name, tc.path, k, cfg[k], v)
			}
		}
		if _, routed := cfg["transfer_action"]; routed != tc.who.VIP {
			t.Errorf("%s %s: transfer_action in config = %v, want %v (VIP only)", tc.who.Name, tc.path, routed, tc.who.VIP)
		}
		// One widget, and one config call from it, with no violation.
		var loaders, scripts int
		b.Eval(`document.querySelectorAll("#zhichiScript").length`, &loaders)
		b.Eval(`document.querySelectorAll("script:not([src])").length`, &scripts)
		if loaders != 1 || scripts != 1 {
			t.Errorf("%s %s (%s): %d loader elements and %d inline scripts, want the widget's one each", tc.who.Name, tc.path, tc.way, loaders, scripts)
		}
		b.Eval(`window.__sobottest.flush().then(() => true)`, nil)
		if n := configCalls(sobotSrv, app.Shop+tc.path); n != 1 {
			t.Errorf("%s %s (%s): %d zc(\"config\") calls, want 1", tc.who.Name, tc.path, tc.way, n)
		}
		if v := b.CSPViolations(); len(v) > 0 {
			t.Errorf("%s %s (%s): CSP violations: %+v", tc.who.Name, tc.path, tc.way, v)
		}
		// The widget's chat page, which the stand-in's loader built from
		// the config, is admitted too.
		var frameSrc string
		b.Eval(`document.getElementById("sobottest-frame").src`, &frameSrc)
		resp, page := get(t, sobotSrv.Client(), frameSrc)
		if got, _ := text(page, "param-partnerid"); resp.StatusCode != http.StatusOK || got != tc.who.ID {
			t.Errorf("%s: the widget's chat page %s: %s, partnerid %q", tc.who.Name, frameSrc, resp.Status, got)
		}

		if tc.screenshot != "" {
			b.Click("#sobottest-entry")
			b.WaitFor(`window.__sobottest.state === "expand"`)
			b.Screenshot(screenshotPath(t, tc.screenshot))
			b.Click("#sobottest-close")
		}

		// The chat link opens the chat as this account...
		var h5 string
		b.Eval(`document.getElementById("chat-h5").href`, &h5)
		b.Navigate(h5)
		for id, want := range map[string]string{"sobot-security": "sign verified", "param-partnerid": tc.who.ID, "param-uname": tc.who.Name} {
			if got := elementText(b, id); got != want {
				t.Errorf("%s: chat link: #%s = %q, want %q", tc.who.Name, id, got, want)
			}
		}
		// ...and as nobody else.
		u, err := url.Parse(h5)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("partnerid", tc.who.ID+"0")
		u.RawQuery = q.Encode()
		b.Navigate(u.String())
		if got := elementText(b, "sobot-rejected"); got != sobottest.RejectionText {
			t.Errorf("%s: tampered chat link: #sobot-rejected = %q, want %q", tc.who.Name, got, sobottest.RejectionText)
		}
	}

	if v := b.CSPViolations(); len(v) > 0 {
		t.Errorf("CSP violations: %+v", v)
	}
	if e := b.Exceptions(); len(e) > 0 {
		t.Errorf("JavaScript exceptions: %+v", e)
	}
	if d := b.Dialogs(); len(d) > 0 {
		t.Errorf("dialogs: %+v", d)
	}
}

// waitConfig waits until the stand-in has recorded a zc("config", ...) call
// made by page for partnerid, and returns its object.
func waitConfig(t *testing.T, srv *sobottest.Server, page, partnerid string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for n := 1; ; {
		calls, err := srv.WaitCalls(ctx, n)
		for _, c := range calls {
			var cfg map[string]any
			if c.Name == "config" && c.Page == page && c.Arg(0, &cfg) == nil && cfg["partnerid"] == partnerid {
				return cfg
			}
		}
		if err != nil {
			t.Fatalf("no zc(\"config\") call from %s for %s: %v; calls: %+v", page, partnerid, err, calls)
		}
		n = len(calls) + 1
	}
}

// configCalls returns how many zc("config", ...) calls the stand-in
// recorded from page.
func configCalls(srv *sobottest.Server, page string) int {
	n := 0
	for _, c := range srv.Calls() {
		if c.Name == "config" && c.Page == page {
			n++
		}
	}
	return n
}

// elementText returns the text of the element with the given id, or "" if
// the page has none.
func elementText(b *browsertest.Browser, id string) string {
	var s string
	b.Eval(`(document.getElementById(`+strconv.Quote(id)+`) || {}).textContent || ""`, &s)
	return s
}

// screenshotPath is where the screenshot called name goes: testdata/ with
// -update, a temporary directory otherwise, so that ordinary runs leave the
// tree alone.
func screenshotPath(t *testing.T, name string) string {
	dir := t.TempDir()
	if *update {
		dir = "testdata"
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	t.Logf("screenshot: %s", path)
	return path
}

// TestLoginRedirectStaysOnShop checks in headless Chromium that the
// redirect after login never leaves the shop's origin, for hostile values
// of next that the browser itself reads as another site (it drops tabs and
// newlines and takes "\" for "/"). Each value names a second site on
// loopback. For each, Chromium's own URL parser resolves the Location the
// shop answers, as it does when following the redirect; then the account
// switcher is submitted with that next, and the browser must land on the
// shop's home page, the second site never asked for anything.
//
// The second step alone would not catch an open redirect: the shop's CSP
// (form-action 'self') makes Chromium refuse a form's redirect to another
// origin. The guard must not rest on that.
func TestLoginRedirectStaysOnShop(t *testing.T) {
	b := browsertest.New(t)
	shop, _ := newTestShop(t)
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><title>elsewhere</title><p id="left-the-shop">another site</p>`)
	}))
	defer other.Close()
	host := strings.TrimPrefix(other.URL, "http://")

	b.Navigate(shop + "/")
	var who account
	cur := "" // the account logged in
	for _, next := range []string{
		"/\t/" + host + "/",
		"/\n/" + host + "/",
		"/\r\n/" + host + "/",
		"\t//" + host + "/",
		"/\\" + host + "/",
		"/\t\\" + host + "/",
		"\\\\" + host + "/",
		"///" + host + "/",
		"/%09/" + host + "/",
		"/%5C" + host + "/",
		"http:" + host + "/",
		"\uff0f\uff0f" + host + "/",
	} {
		// What the shop answers, unparsed (http.Client would parse it).
		req, err := http.NewRequest(http.MethodPost, shop+"/login", strings.NewReader(url.Values{"user": {alice.ID}, "next": {next}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		readBody(t, resp)
		loc := resp.Header.Get("Location")
		assert.Equal(t, "/", loc, "next %q: Location", next)
		var origin string
		b.Eval(`new URL(`+jsString(t, loc)+`, location.href).origin`, &origin)
		if !assert.Equal(t, shop, origin, "next %q: Location %q leads the browser to another origin", next, loc) {
			continue
		}

		// Submit the account switcher with it, as the other account than
		// the one logged in, so that the page after the redirect differs
		// from the page before.
		if who = alice; cur == alice.ID {
			who = bob
		}
		cur = who.ID
		b.Navigate(shop + "/products/teapot")
		b.Eval(`document.querySelector('form.accounts input[name="next"]').value = `+jsString(t, next), nil)
		clickAndWaitLoad(t, b, `button[name="user"][value="`+who.ID+`"]`)
		var href string
		b.Eval(`location.href`, &href)
		assert.Equal(t, shop+"/", href, "next %q: the redirect after login went elsewhere", next)
	}
	assert.Zero(t, hits.Load(), "the other site was asked for a page")
	assert.Empty(t, b.CSPViolations(), "CSP violations")
	assert.Empty(t, b.Exceptions(), "JavaScript exceptions")
	assert.Empty(t, b.Dialogs(), "dialogs")
}

// clickAndWaitLoad clicks the element that selector picks, which leads to
// another page (here by submitting a form), and waits until that page has
// loaded, whatever it is.
func clickAndWaitLoad(t *testing.T, b *browsertest.Browser, selector string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), browsertest.Timeout)
	defer cancel()
	loads := chromedp.Events(ctx, cdppage.LoadEventFired) // subscribed before the click
	b.Click(selector)
	for _, err := range loads {
		require.NoError(t, err, "waiting for the page that %s leads to", selector)
		break
	}
}

// jsString returns s as a JavaScript string literal.
func jsString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// TestHostileRefererInBrowser opens a product page in headless Chromium
// with hostile and exotic Referers: each time the page renders, the widget
// loads under the strict CSP and hands its config to the stand-in, whose
// visit trace carries the Referer exactly as the shop received it or leaves
// it out (and the log says so); nothing of it runs.
//
// Chromium itself sends only Referers it has cleaned, even one set through
// DevTools (Network.setExtraHTTPHeaders, Fetch.continueRequest): it drops
// javascript:, data:, android-app:, relative and protocol-relative ones and
// control characters, and percent-encodes quotes and angle brackets. Other
// clients, and proxies, send anything; so the test puts the raw values on
// the page's request in a wrapper in front of the shop. The first visit's
// Referer is the browser's own, from a link of the shop's home page: the
// shop sets no Referrer-Policy, and Chromium's default
// (strict-origin-when-cross-origin) sends the whole URL within the shop.
func TestHostileRefererInBrowser(t *testing.T) {
	b := browsertest.New(t)
	const path = "/products/longjing"
	var (
		override atomic.Pointer[string] // the Referer to put on the page's request
		mu       sync.Mutex
		received string // the Referer of the page's last request
	)
	shop := startTestShop(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				if ref := override.Load(); ref != nil {
					r.Header.Set("Referer", *ref)
				}
				mu.Lock()
				received = r.Referer()
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	})
	title := "Longjing green tea, 250 g · Teahouse"

	// check opens page (shop's path with a query of its own, so that its
	// config call is told apart from the others) and checks the widget's
	// config. kept says the Referer must be in the trace; otherwise it may
	// be left out, and then the log must say so.
	check := func(name, page string, kept bool) {
		t.Helper()
		b.WaitFor(`window.__sobottest && window.__sobottest.loaderLoaded && window.__sobottest.ready`)
		cfg := waitConfig(t, shop.StandIn, page, wang.ID)
		mu.Lock()
		ref := received
		mu.Unlock()
		assert.Equal(t, map[string]any{"cur_visit_url": page, "cur_visit_title": title}, cfg["cur_visit_args"], "%s: cur_visit_args", name)
		var docTitle string
		b.Eval(`document.title`, &docTitle)
		assert.Equal(t, title, docTitle, "%s: document title", name)
		logs := shop.Logs.Take(t)
		if prev, ok := cfg["pre_visit_args"]; ok || kept {
			assert.Equal(t, map[string]any{"pre_visit_url": ref}, prev, "%s: pre_visit_args", name)
			assert.Empty(t, logs, "%s: log", name)
			return
		}
		if assert.Len(t, logs, 1, "%s: log records", name) {
			assert.Equal(t, []any{"pre_visit_url"}, logs[0]["left_out"], "%s: left_out", name)
		}
	}

	// Log in, and follow the home page's link to the product: the Referer
	// is Chromium's own.
	b.Navigate(shop.URL + "/")
	clickAndWaitLoad(t, b, `button[name="user"][value="`+wang.ID+`"]`)
	shop.Logs.Take(t)
	clickAndWaitLoad(t, b, `a[href="`+path+`"]`)
	check("link from the home page", shop.URL+path, true)
	mu.Lock()
	assert.Equal(t, shop.URL+"/", received, "the Referer Chromium sent from the home page")
	mu.Unlock()

	// Raw Referers, as other clients send them.
	for i, tc := range hostileReferers {
		override.Store(&tc.referer)
		page := shop.URL + path + "?case=" + strconv.Itoa(i)
		b.Navigate(page)
		check(tc.name, page, tc.kept)
	}
	override.Store(nil)

	assert.Empty(t, b.CSPViolations(), "CSP violations")
	assert.Empty(t, b.Exceptions(), "JavaScript exceptions")
	assert.Empty(t, b.Dialogs(), "dialogs: a Referer's script ran")
}
