package widget_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

// TestBrowserMiddlewareCSP serves a page through Client.Middleware under
// strict policies, in headless Chromium: with the nonce of a CSP
// middleware, with the client's WidgetScriptHash (host source and
// 'strict-dynamic'), and under two policies, one of each. Each time the widget loads without a violation or an
// exception, and the loader receives the same calls: the hash variant's
// script does what the snippet's does.
func TestBrowserMiddlewareCSP(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{Settings: sobot.Settings{ChannelID: sobot.Ptr(7)}})
	base := e.srv.URL
	rest := "; frame-src " + base + "; connect-src " + base + "; img-src " + base + "; object-src 'none'; base-uri 'none'"
	policies := map[string]func(nonce string) string{
		"/nonce": func(n string) string { return "default-src 'none'; script-src 'nonce-" + n + "' " + base + rest },
		"/hash-host": func(string) string {
			return "default-src 'none'; script-src " + e.client.WidgetScriptHash() + " " + base + rest
		},
		"/hash-dynamic": func(string) string {
			return "default-src 'none'; script-src " + e.client.WidgetScriptHash() + " 'strict-dynamic'" + rest
		},
		// Two enforced policies, one by nonce and one by hash: the hash
		// variant's script carries the nonce too.
		"/nonce-and-hash": func(n string) string {
			return "default-src 'none'; script-src 'nonce-" + n + "' " + base + rest + ", " +
				"default-src 'none'; script-src " + e.client.WidgetScriptHash() + " " + base + rest
		},
	}
	trace := sobot.VisitTrace{Current: sobot.CurrentPage{Title: "Shoes", Tags: "</script>\u2028"}}
	widgetFor := func(r *http.Request) *sobot.Widget {
		return &sobot.Widget{
			Params:       browserParams(),
			StatusToggle: sobot.Click{On: sobot.ByClass("chat-toggle")},
			WatchButtons: true,
			Traces:       []sobot.Trace{{Visit: trace}, {On: sobot.ByID("sku-1"), Visit: trace}},
		}
	}
	shop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>shop</title></head><body>
<button id="toggle" class="chat-toggle">Toggle chat</button>
<button class="sku" id="sku-1">Shoes</button>
<div id="root"></div>
</body></html>`)
	})
	withCSP := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pol, ok := policies[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Security-Policy", pol(newNonce()))
			next.ServeHTTP(w, r)
		})
	}
	ts := httptest.NewServer(withCSP(e.client.Middleware(widgetFor)(shop)))
	t.Cleanup(ts.Close)

	got := map[string][]sobottest.Call{}
	for _, path := range []string{"/nonce", "/hash-host", "/hash-dynamic", "/nonce-and-hash"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			tab := e.b.NewTab(t)
			tab.Navigate(ts.URL + path)
			tab.WaitFor(`window.__sobottest && __sobottest.ready`)
			var loader struct{ Src, Class string }
			tab.Eval(`({Src: document.getElementById("zhichiScript").src, Class: document.getElementById("zhichiScript").className})`, &loader)
			want := struct{ Src, Class string }{base + "/chat/frame/v2/entrance.js?sysnum=" + browserSysnum + "&channelid=7", sobot.CustomButtonClass}
			if loader != want {
				t.Errorf("loader %+v, want %+v", loader, want)
			}
			tab.Click("#toggle")
			tab.Click("#sku-1")
			tab.Eval(`(function () { var b = document.createElement("button"); b.className = "zhiCustomBtn"; document.body.appendChild(b); return true; })()`, nil)
			tab.WaitFor(`__sobottest.calls.some(function (c) { return c.name === "dynamic_ready"; })`)
			for _, c := range e.calls(t, tab) {
				if strings.HasSuffix(c.Page, path) {
					got[path] = append(got[path], c)
				}
			}
			assertClean(t, tab)
		})
	}
	want := callsText(t, got["/nonce"])
	if len(got["/nonce"]) < 5 {
		t.Fatalf("calls with the nonce: %s", want)
	}
	for _, path := range []string{"/hash-host", "/hash-dynamic", "/nonce-and-hash"} {
		if g := callsText(t, got[path]); g != want {
			t.Errorf("calls on %s:\n%s\nwith the nonce:\n%s", path, g, want)
		}
	}
}

// callsText returns the names and arguments of calls, one per line.
func callsText(t *testing.T, calls []sobottest.Call) string {
	t.Helper()
	var b strings.Builder
	for _, c := range calls {
		args := make([]any, len(c.Args))
		for i := range c.Args {
			if err := json.Unmarshal(c.Args[i], &args[i]); err != nil {
				t.Fatal(err)
			}
		}
		b.WriteString(c.Name + " " + jsonText(t, args) + "\n")
	}
	return b.String()
}
