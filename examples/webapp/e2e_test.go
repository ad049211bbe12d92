package main

import (
	"context"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
	"github.com/sobotgo/sobot/sobottest"
)

var update = flag.Bool("update", false, "write the screenshots to testdata/ instead of a temporary directory")

// TestEndToEnd drives the app in headless Chromium, as a visitor would,
// against a stand-in of Sobot with a security key: for two accounts it
// logs in with the account switcher, checks the widget loads under the
// strict CSP and hands the page's card and the signed identity to Sobot,
// and follows the chat link, which the stand-in admits for that account and
// rejects once the partnerid is edited. No CSP violation, exception or
// dialog may happen on the way.
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
	}{
		{alice, "/products/teapot", map[string]any{
			"card_title":   "Celadon teapot",
			"card_note":    "¥268.00",
			"card_url":     url.QueryEscape(app.Shop + "/products/teapot"), // URI-encoded, as the reference's example
			"card_picture": url.QueryEscape(app.Shop + "/static/teapot.svg"),
		}, "product.png"},
		{bob, "/orders/20250002", map[string]any{
			"order_code":   float64(20250002), // a number, as the reference's example writes it
			"order_status": 2.0,
			"goods_count":  3.0,
			"total_fee":    56400.0,
			"is_vip":       1.0,
		}, "order.png"},
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
