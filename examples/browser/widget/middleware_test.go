package widget_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
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

// streamSplits are the ways the streamed page's </body> is cut across two
// flushed writes.
var streamSplits = []struct{ name, first, second string }{
	{"lt-slash", "</", "body>"},
	{"bo-dy", "</bo", "dy>"},
	{"gt", "</body", ">"},
	{"upper-space", "</BODY", " >"},
}

// TestBrowserMiddlewareStreamed serves, through Client.Middleware, a page
// that streams: the handler flushes after every write and cuts the page's
// </body> across two writes. The browser receives the page in pieces: the
// handler waits until Chromium has asked for an image of the first piece
// before it writes the </body>, and until it has asked the stand-in for
// the widget's loader before it writes the rest, so the widget reached the
// browser before the response ended. Under a strict policy (a nonce, and
// the client's WidgetScriptHash) the widget loads without a violation or
// an exception, once, and the stand-in receives the visitor's signed
// config.
func TestBrowserMiddlewareStreamed(t *testing.T) {
	b := browsertest.New(t)
	standIn := sobottest.NewHandler(browserSysnum, sobot.NewKey(browserSecret))
	loaderAsked := make(chan struct{}, 1)
	sobotSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/entrance.js") {
			select {
			case loaderAsked <- struct{}{}:
			default:
			}
		}
		standIn.ServeHTTP(w, r)
	}))
	t.Cleanup(sobotSrv.Close)
	base := sobotSrv.URL
	client, err := sobot.NewClient(sobot.Config{SysNum: browserSysnum, Key: sobot.NewKey(browserSecret), BaseURL: base})
	require.NoError(t, err)

	rest := "; frame-src " + base + "; connect-src " + base + "; img-src 'self' " + base + "; object-src 'none'; base-uri 'none'"
	policies := map[string]func() string{
		"nonce": func() string { return "default-src 'none'; script-src 'nonce-" + newNonce() + "' " + base + rest },
		"hash": func() string {
			return "default-src 'none'; script-src " + client.WidgetScriptHash() + " 'strict-dynamic'" + rest
		},
	}
	var (
		mu    sync.Mutex
		marks = map[string]chan struct{}{} // by page query: closed when the page's image is asked for
	)
	streamErrs := make(chan error, 16)
	fail := func(err error) {
		select {
		case streamErrs <- err:
		default:
		}
	}
	shop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mark.svg" {
			mu.Lock()
			if c, ok := marks[r.URL.RawQuery]; ok {
				close(c)
				delete(marks, r.URL.RawQuery)
			}
			mu.Unlock()
			w.Header().Set("Content-Type", "image/svg+xml")
			io.WriteString(w, `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
			return
		}
		q := r.URL.Query()
		var split struct{ name, first, second string }
		for _, s := range streamSplits {
			if s.name == q.Get("split") {
				split = s
			}
		}
		policy, ok := policies[q.Get("policy")]
		if !ok || split.name == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", policy())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		rc := http.NewResponseController(w)
		write := func(s string) {
			io.WriteString(w, s)
			if err := rc.Flush(); err != nil {
				fail(err)
			}
		}
		wait := func(what string, c <-chan struct{}) {
			select {
			case <-c:
			case <-time.After(browsertest.Timeout / 3):
				fail(errors.New("the browser did not ask for " + what + " while the page was streaming"))
			}
		}
		mark := make(chan struct{})
		mu.Lock()
		marks[r.URL.RawQuery] = mark
		mu.Unlock()
		write(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>streamed</title></head><body>
<h1>Streamed</h1>
<img src="/mark.svg?` + r.URL.RawQuery + `" alt="" width="1" height="1">
`)
		wait("the first piece's image", mark)
		write("<p id=\"tail\">The rest of the page.</p>\n" + split.first)
		write(split.second)
		wait("the widget's loader", loaderAsked)
		write("\n</html>\n")
	})
	widgetFor := func(r *http.Request) *sobot.Widget {
		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: "user-42", Name: "小丁哥"}}}
	}
	ts := httptest.NewServer(client.Middleware(widgetFor)(shop))
	t.Cleanup(ts.Close)

	for _, pol := range []string{"nonce", "hash"} {
		for _, split := range streamSplits {
			t.Run(pol+"/"+split.name, func(t *testing.T) {
				select {
				case <-loaderAsked: // from an earlier page
				default:
				}
				tab := b.NewTab(t)
				page := ts.URL + "/?policy=" + pol + "&split=" + split.name
				tab.Navigate(page)
				tab.WaitFor(`window.__sobottest && __sobottest.loaderLoaded && __sobottest.ready`)
				select {
				case err := <-streamErrs:
					t.Error(err)
				default:
				}
				var loaders int
				tab.Eval(`document.querySelectorAll("#zhichiScript").length`, &loaders)
				assert.Equal(t, 1, loaders, "loader elements")
				var tail string
				tab.Eval(`document.getElementById("tail").textContent`, &tail)
				assert.Equal(t, "The rest of the page.", tail)

				ctx, cancel := context.WithTimeout(context.Background(), browsertest.Timeout)
				defer cancel()
				var cfg map[string]any
				for n := 1; cfg == nil; {
					calls, err := standIn.WaitCalls(ctx, n)
					require.NoError(t, err, "no zc(\"config\") call from %s", page)
					for _, c := range calls {
						if c.Name == "config" && c.Page == page {
							require.NoError(t, c.Arg(0, &cfg))
						}
					}
					n = len(calls) + 1
				}
				assert.Equal(t, "user-42", cfg["partnerid"])
				assert.Equal(t, "小丁哥", cfg["uname"])
				assert.Equal(t, sobot.Sign(browserSysnum, sobot.NewKey(browserSecret), "user-42"), cfg["sign"])
				assertClean(t, tab)
			})
		}
	}
}

// TestBrowserMiddlewareStreamedBig serves, through Client.Middleware, a
// big page that streams: 60 KB of listing, a script in it, flushes after
// every write, and its </body> cut across two writes, with a script after
// it that writes "</body>". The page's start is long gone when the
// </body> comes, so the widget goes in when the response ends, before the
// </body> end tag and not in the script: it loads once under a strict
// nonce policy, without a violation or an exception, and the stand-in
// receives the visitor's signed config.
func TestBrowserMiddlewareStreamedBig(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{})
	nonce := newNonce()
	policy := "default-src 'none'; script-src 'nonce-" + nonce + "' " + e.srv.URL + "; frame-src " + e.srv.URL +
		"; connect-src " + e.srv.URL + "; img-src 'self' " + e.srv.URL + "; object-src 'none'; base-uri 'none'"
	row := `<div class="product"><a href="/p/1" title="Longjing &quot;spring&quot;">Longjing</a> <span class="price">12.00</span></div>` + "\n"
	shop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		rc := http.NewResponseController(w)
		write := func(s string) {
			io.WriteString(w, s)
			_ = rc.Flush()
		}
		write(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>big</title></head><body><main>` + "\n")
		for range 4 {
			write(strings.Repeat(row, 120))
		}
		write(`<script nonce="` + nonce + `">window.rows = document.querySelectorAll(".product").length;</script>` + "\n")
		write(strings.Repeat(row, 60) + `</main><p id="tail">The rest of the page.</p></bo`)
		write("dy>\n")
		write(`<script nonce="` + nonce + `">window.after = "</body>";</script>` + "\n</html>\n")
	})
	widgetFor := func(r *http.Request) *sobot.Widget {
		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: "user-42", Name: "小丁哥"}}}
	}
	ts := httptest.NewServer(e.client.Middleware(widgetFor)(shop))
	t.Cleanup(ts.Close)

	tab := e.b.NewTab(t)
	tab.Navigate(ts.URL + "/")
	tab.WaitFor(`window.__sobottest && __sobottest.loaderLoaded && __sobottest.ready`)
	var loaders, rows int
	tab.Eval(`document.querySelectorAll("#zhichiScript").length`, &loaders)
	assert.Equal(t, 1, loaders, "loader elements")
	tab.Eval(`window.rows`, &rows)
	assert.Equal(t, 480, rows, "rows before the page's own script, which counts them")
	var after, tail string
	tab.Eval(`window.after`, &after)
	assert.Equal(t, "</body>", after, "the script after the </body> ran as written")
	tab.Eval(`document.getElementById("tail").textContent`, &tail)
	assert.Equal(t, "The rest of the page.", tail)
	var cfg map[string]any
	for _, c := range e.calls(t, tab) {
		if c.Name == "config" {
			require.NoError(t, c.Arg(0, &cfg))
		}
	}
	require.NotNil(t, cfg, "no zc(\"config\") call")
	assert.Equal(t, "user-42", cfg["partnerid"])
	assert.Equal(t, "小丁哥", cfg["uname"])
	assert.Equal(t, sobot.Sign(browserSysnum, sobot.NewKey(browserSecret), "user-42"), cfg["sign"])
	assertClean(t, tab)
}
