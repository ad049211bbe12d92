package main

import (
	"errors"
	"flag"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

// testShop is the app served on a loopback port by startTestShop.
type testShop struct {
	// URL is the shop's base URL, without a trailing slash; it is also the
	// app's public URL.
	URL string
	// StandIn is the stand-in of Sobot the shop's client points at, with a
	// security key.
	StandIn *sobottest.Server
	// Handler is the app's handler, for requests no HTTP client sends
	// (control characters in a header).
	Handler http.Handler
	// Logs are what the app and its Sobot client logged.
	Logs *logRecords
}

// startTestShop serves the app on a loopback port, pointed at a stand-in of
// its own with a security key, the app and its client logging to one
// logRecords. wrap, if not nil, wraps the app's handler for the server (not
// for Handler).
func startTestShop(t *testing.T, wrap func(http.Handler) http.Handler) *testShop {
	t.Helper()
	standIn := sobottest.NewServer(testSysNum, sobot.NewKey(testKey))
	t.Cleanup(standIn.Close)
	logs := new(logRecords)
	client, err := sobot.NewClient(sobot.Config{SysNum: testSysNum, Key: sobot.NewKey(testKey), BaseURL: standIn.URL, Defaults: siteDefaults, Logger: logs.Logger()})
	require.NoError(t, err)
	// The public URL is the listener's, known before the server starts.
	ts := httptest.NewUnstartedServer(nil)
	h, err := newApp(appConfig{Client: client, PublicURL: "http://" + ts.Listener.Addr().String(), StandIn: true, Log: logs.Logger()})
	require.NoError(t, err)
	ts.Config.Handler = h
	if wrap != nil {
		ts.Config.Handler = wrap(h)
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return &testShop{URL: ts.URL, StandIn: standIn, Handler: h, Logs: logs}
}

// newTestShop is startTestShop for tests that need only the shop's URL and
// its stand-in.
func newTestShop(t *testing.T) (shop string, standIn *sobottest.Server) {
	t.Helper()
	s := startTestShop(t, nil)
	return s.URL, s.StandIn
}

var (
	nonceSource = regexp.MustCompile(`script-src 'nonce-([^']+)'`)
	nonceAttr   = regexp.MustCompile(`<script[^>]*\snonce="([^"]*)"`)
	scriptTag   = regexp.MustCompile(`<script\b`)
)

// Every response, whatever its status, carries a strict policy with a
// nonce of its own, and every script element of a page carries that nonce.
func TestEveryResponseHasStrictCSPWithFreshNonce(t *testing.T) {
	shop, standIn := newTestShop(t)
	c := browser(t)
	login(t, c, shop, alice, "/")
	seen := map[string]string{}
	for _, path := range []string{"/", "/products/teapot", "/orders/20250001", "/static/shop.css", "/nope", "/products/nope", "/products/teapot"} {
		resp, body := get(t, c, shop+path)
		csp := resp.Header.Get("Content-Security-Policy")
		m := nonceSource.FindStringSubmatch(csp)
		if m == nil {
			t.Errorf("%s: Content-Security-Policy %q has no script-src nonce", path, csp)
			continue
		}
		nonce := m[1]
		if len(nonce) < 22 {
			t.Errorf("%s: nonce %q is shorter than 128 bits of base32/64", path, nonce)
		}
		if prev, dup := seen[nonce]; dup {
			t.Errorf("%s: nonce %q was already used for %s", path, nonce, prev)
		}
		seen[nonce] = path
		if want := contentSecurityPolicy(nonce, standIn.URL); csp != want {
			t.Errorf("%s: Content-Security-Policy\n got %q\nwant %q", path, csp, want)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		scripts := len(scriptTag.FindAllString(body, -1))
		attrs := nonceAttr.FindAllStringSubmatch(body, -1)
		if len(attrs) != scripts {
			t.Errorf("%s: %d script elements, %d with a nonce", path, scripts, len(attrs))
		}
		for _, a := range attrs {
			if a[1] != nonce {
				t.Errorf("%s: script nonce %q, header nonce %q", path, a[1], nonce)
			}
		}
		if resp.StatusCode == http.StatusOK && scripts != 2 {
			t.Errorf("%s: %d script elements, want the widget's two", path, scripts)
		}
	}
}

// The policy allows exactly what the widget needs from Sobot and no inline
// script without the nonce.
func TestContentSecurityPolicy(t *testing.T) {
	got := contentSecurityPolicy("N0NCE", "https://www.sobot.com")
	directives := map[string]string{}
	for d := range strings.SplitSeq(got, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	for name, want := range map[string]string{
		"default-src": "'self'",
		"script-src":  "'nonce-N0NCE' https://www.sobot.com",
		"frame-src":   "https://www.sobot.com",
		"connect-src": "https://www.sobot.com",
		"img-src":     "'self' https://www.sobot.com",
		"object-src":  "'none'",
		"base-uri":    "'none'",
	} {
		if directives[name] != want {
			t.Errorf("%s = %q, want %q (policy %q)", name, directives[name], want, got)
		}
	}
	if strings.Contains(got, "unsafe") {
		t.Errorf("policy %q allows unsafe-*", got)
	}
}

// With a base URL that has a path prefix, the policy allows Sobot's origin,
// not the prefix: a CSP source with a path would match that path only.
func TestContentSecurityPolicyWithPathPrefix(t *testing.T) {
	client, err := sobot.NewClient(sobot.Config{SysNum: testSysNum, Key: sobot.NewKey(testKey), BaseURL: "https://acme.sobot.com:8443/prefix"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := newApp(appConfig{Client: client, PublicURL: "http://shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	got := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(got, "frame-src https://acme.sobot.com:8443;") || strings.Contains(got, "/prefix") {
		t.Errorf("policy %q: want Sobot's origin https://acme.sobot.com:8443, without the path", got)
	}
}

func TestLogin(t *testing.T) {
	shop, _ := newTestShop(t)
	c := browser(t)

	_, body := get(t, c, shop+"/products/cups")
	if strings.Contains(body, `id="chat-h5"`) || strings.Contains(body, "zhichiScript") {
		t.Error("a visitor who is not logged in gets chat links or the widget; they would be unsigned")
	}

	login(t, c, shop, wang, "/products/cups")
	_, body = get(t, c, shop+"/products/cups")
	if !strings.Contains(body, `class="current" aria-pressed="true">王小明`) {
		t.Error("after logging in as 王小明, the account switcher does not show it as current")
	}
	if h5 := attr(body, "chat-h5", "href"); !strings.Contains(h5, "partnerid=u-1003") {
		t.Errorf("chat link %q is not for u-1003", h5)
	}

	// Switching accounts replaces the identity.
	login(t, c, shop, bob, "/")
	_, body = get(t, c, shop+"/products/cups")
	if h5 := attr(body, "chat-h5", "href"); !strings.Contains(h5, "partnerid=u-1002") || strings.Contains(h5, "u-1003") {
		t.Errorf("after switching to Bob, chat link %q", h5)
	}

	// An edited cookie logs nobody in.
	u, _ := url.Parse(shop)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			mac := ck.Value[strings.LastIndexByte(ck.Value, '.'):]
			c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: alice.ID + mac, Path: "/"}})
		}
	}
	_, body = get(t, c, shop+"/products/cups")
	if strings.Contains(body, `id="chat-h5"`) {
		t.Error("a cookie with another account's id and Bob's MAC still logs in")
	}

	// Logging out ends the session.
	login(t, c, shop, alice, "/")
	req, _ := http.NewRequest(http.MethodPost, shop+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %s, want 303", resp.Status)
	}
	if _, body = get(t, c, shop+"/"); strings.Contains(body, "Signed in as") {
		t.Error("still signed in after logout")
	}
}

func TestLoginRejects(t *testing.T) {
	shop, _ := newTestShop(t)
	post := func(form url.Values, site string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, shop+"/login", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		resp, err := browser(t).Do(req)
		require.NoError(t, err)
		readBody(t, resp)
		return resp
	}
	resp := post(url.Values{"user": {"u-9999"}}, "same-origin")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "unknown account")
	resp = post(url.Values{"user": {alice.ID}}, "cross-site")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "cross-site login")
	assert.Empty(t, resp.Cookies(), "cross-site login")
	// The form's next reaches localPath as the browser encoded it; the
	// redirect goes home for every hostile one.
	for _, next := range append(hostileNext, "") {
		resp := post(url.Values{"user": {alice.ID}, "next": {next}}, "same-origin")
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "next %q", next)
		assert.Equal(t, "/", resp.Header.Get("Location"), "next %q", next)
	}
}

// hostileNext are values of the login form's next that point off the shop,
// or that a browser could read so: each must redirect home.
var hostileNext = []string{
	// Tab, CR and LF, which browsers remove from a URL, leaving //host.
	"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example",
	"\t//evil.example", "/\t\t/evil.example/path", "/\x00/evil.example", "/\x7f/evil.example",
	"/\u0085/evil.example", // NEL, a C1 control
	// Backslashes, which browsers read as "/".
	"/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\t\\evil.example", "/products/teapot\\x",
	// Network-path references and absolute URLs.
	"//evil.example", "///evil.example", "////evil.example/", "//evil.example/@shop", "//user:pass@evil.example",
	"http://evil.example/", "https://evil.example/", "HTTPS://evil.example", "http:evil.example", "http:/evil.example",
	"javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "mailto:a@evil.example",
	// Relative references, which would resolve against /login.
	"evil.example", "./evil.example", "../evil.example", "?next=//evil.example", "#frag", " /products/teapot",
	// Percent-encoded variants, and ones a decoder would turn into them.
	"/%09/evil.example", "/%0a/evil.example", "/%0D%0A/evil.example", "/%5Cevil.example", "/%5C/evil.example",
	"/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%zz", "/#%09x",
	// Unicode look-alikes of "/" and ":" that are not them.
	"\uff0f\uff0fevil.example", "\u2215\u2215evil.example", "\u2044evil.example", "https\uff1a//evil.example",
}

// localPath accepts only a path of the shop, and returns it as net/url
// writes it, never the input as it came.
func TestLocalPath(t *testing.T) {
	for _, next := range hostileNext {
		assert.Equal(t, "/", localPath(next), "localPath(%q)", next)
	}
	for next, want := range map[string]string{
		"/":                              "/",
		"/products/teapot":               "/products/teapot",
		"/orders/20250001?tab=items#top": "/orders/20250001?tab=items#top",
		"/search?q=a%20b&x=%2F%2F":       "/search?q=a%20b&x=%2F%2F",
		"/a b":                           "/a%20b",
		"/茶":                             "/%E8%8C%B6",
		"/\uff0f\uff0fevil.example":      "/%EF%BC%8F%EF%BC%8Fevil.example", // a path segment here, not a host
		"/@evil.example":                 "/@evil.example",
		"/javascript:alert(1)":           "/javascript:alert(1)",
		"/a/../b":                        "/a/../b", // http.Redirect cleans it to /b
	} {
		assert.Equal(t, want, localPath(next), "localPath(%q)", next)
	}
}

func TestNotFound(t *testing.T) {
	shop, _ := newTestShop(t)
	anon := browser(t)
	c := browser(t)
	login(t, c, shop, alice, "/")
	for _, tc := range []struct {
		c    *http.Client
		path string
	}{
		{c, "/nope"},
		{c, "/products/nope"},
		{c, "/products/"},
		{c, "/orders/20250002"}, // Bob's
		{anon, "/orders/20250001"},
		{c, "/static/nope.css"},
		{c, "/static/"},
	} {
		if resp, _ := get(t, tc.c, shop+tc.path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s, want 404", tc.path, resp.Status)
		}
	}
	if resp, _ := get(t, c, shop+"/orders/20250001"); resp.StatusCode != http.StatusOK {
		t.Errorf("Alice's own order: %s", resp.Status)
	}
}

// Each account's chat links are signed for that account and admitted by the
// stand-in, carry the page's card, and route only the VIP; an edited link
// is rejected.
func TestChatLinksAreSignedPerUser(t *testing.T) {
	shop, standIn := newTestShop(t)
	for _, tc := range []struct {
		who  account
		path string
		want map[string]string // stand-in's #param-NAME
	}{
		{alice, "/products/teapot", map[string]string{"card_title": "Celadon teapot", "card_note": "¥268.00", "card_url": shop + "/products/teapot"}},
		{bob, "/products/cups", map[string]string{"card_title": "Tea cups, set of 4", "is_vip": "1"}},
		{wang, "/orders/20250003", map[string]string{"order_code": "20250003", "order_status": "0", "status_custom": "预售中 (pre-sale)", "goods_count": "2", "total_fee": "45600"}},
	} {
		c := browser(t)
		login(t, c, shop, tc.who, tc.path)
		_, body := get(t, c, shop+tc.path)
		for _, link := range []string{"chat-h5", "chat-pc"} {
			href := attr(body, link, "href")
			if !strings.HasPrefix(href, standIn.URL+"/chat/") {
				t.Errorf("%s %s: %s link %q is not on the stand-in", tc.who.Name, tc.path, link, href)
				continue
			}
			resp, page := get(t, standIn.Client(), href)
			if got, _ := text(page, "sobot-security"); resp.StatusCode != http.StatusOK || got != "sign verified" {
				t.Errorf("%s %s: %s link: %s, security %q; want 200, sign verified", tc.who.Name, tc.path, link, resp.Status, got)
			}
			want := map[string]string{"partnerid": tc.who.ID, "uname": tc.who.Name, "email": tc.who.Email}
			for k, v := range tc.want {
				want[k] = v
			}
			for name, v := range want {
				if got, _ := text(page, "param-"+name); got != v {
					t.Errorf("%s %s: %s link: %s = %q, want %q", tc.who.Name, tc.path, link, name, got, v)
				}
			}
			_, routed := text(page, "param-transfer_action")
			if routed != tc.who.VIP {
				t.Errorf("%s %s: %s link: transfer_action present = %v, want %v (VIP only)", tc.who.Name, tc.path, link, routed, tc.who.VIP)
			}

			// The same link claiming another user is refused.
			u, _ := url.Parse(href)
			q := u.Query()
			q.Set("partnerid", "u-1002")
			if tc.who.ID == "u-1002" {
				q.Set("partnerid", "u-1001")
			}
			u.RawQuery = q.Encode()
			resp, page = get(t, standIn.Client(), u.String())
			if got, _ := text(page, "sobot-rejected"); resp.StatusCode != http.StatusForbidden || got != sobottest.RejectionText {
				t.Errorf("%s: tampered %s link: %s, %q; want 403 and the rejection text", tc.who.Name, link, resp.Status, got)
			}
		}

		lm := attr(body, "leave-message", "href")
		resp, page := get(t, standIn.Client(), lm)
		if got, _ := text(page, "param-uname"); resp.StatusCode != http.StatusOK || got != tc.who.Name || strings.Contains(page, `id="sobot-problems"`) {
			t.Errorf("%s: leave-message link %q: %s, uname %q; want 200, no problems", tc.who.Name, lm, resp.Status, got)
		}
	}
}

// The widget carries the visitor's signed identity and the page's card.
func TestWidgetCarriesIdentityAndCard(t *testing.T) {
	shop, standIn := newTestShop(t)
	c := browser(t)
	login(t, c, shop, bob, "/orders/20250002")
	resp, body := get(t, c, shop+"/orders/20250002")
	nonce := nonceSource.FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))[1]
	sign := sobot.Sign(testSysNum, sobot.NewKey(testKey), bob.ID)
	for _, want := range []string{
		`"partnerid":"u-1002"`, `"sign":"` + sign + `"`, `"uname":"Bob\u0020Lee"`, `"is_vip":1`, `"transfer_action":"[{`,
		`"order_code":20250002`, `"goods":"[{`, `"total_fee":56400`, `"color":"0f766e"`,
		`<script id="zhichiScript" async src="` + standIn.URL + `/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `" nonce="` + nonce + `"></script>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("order page lacks %s", want)
		}
	}
}

func TestRunAgainstBuiltInStandIn(t *testing.T) {
	app := startRun(t, []string{"-addr", "127.0.0.1:0"}, env{})
	if !strings.HasPrefix(app.StandIn, "http://127.0.0.1:") {
		t.Fatalf("stand-in URL %q, want a loopback URL", app.StandIn)
	}
	c := browser(t)
	login(t, c, app.Shop, wang, "/products/longjing")
	_, body := get(t, c, app.Shop+"/products/longjing")
	if !strings.Contains(body, "Offline demo") {
		t.Error("the page does not say it runs against the stand-in")
	}
	href := attr(body, "chat-h5", "href")
	if want := app.StandIn + "/chat/h5/v2/index.html?"; !strings.HasPrefix(href, want) {
		t.Fatalf("chat link %q, want one starting %q", href, want)
	}
	// The demo account has a key, so the built-in stand-in checks signs.
	l, err := sobot.Inspect(href)
	if err != nil {
		t.Fatal(err)
	}
	if v := l.Verify(sobot.NewKey(demoKey)); !v.Valid || l.SysNum != demoSysNum {
		t.Errorf("chat link %q: sysnum %q, %s", href, l.SysNum, v.Explain())
	}
	resp, page := get(t, http.DefaultClient, href)
	if got, _ := text(page, "param-uname"); resp.StatusCode != http.StatusOK || got != "王小明" {
		t.Errorf("built-in stand-in: %s, uname %q", resp.Status, got)
	}
	if err := app.Stop(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	if _, err := http.Get(app.Shop + "/"); err == nil {
		t.Error("the shop still answers after shutdown")
	}
	if _, err := http.Get(app.StandIn + "/"); err == nil {
		t.Error("the stand-in still answers after shutdown")
	}
}

// With an account, the app signs with SOBOT_KEY and talks to the given
// base URL (here a stand-in that plays the real Sobot).
func TestRunWithAccount(t *testing.T) {
	standIn := sobottest.NewServer(testSysNum, sobot.NewKey(testKey))
	defer standIn.Close()
	app := startRun(t, []string{"-addr", "127.0.0.1:0", "-sysnum", testSysNum, "-v6"}, env{"SOBOT_KEY": testKey, "SOBOT_BASE_URL": standIn.URL})
	if app.StandIn != "" {
		t.Errorf("started a stand-in of its own (%s) although an account was given", app.StandIn)
	}
	c := browser(t)
	login(t, c, app.Shop, alice, "/")
	_, body := get(t, c, app.Shop+"/products/teapot")
	href := attr(body, "chat-h5", "href")
	resp, page := get(t, standIn.Client(), href)
	if got, _ := text(page, "sobot-page"); resp.StatusCode != http.StatusOK || got != "h5/v6" {
		t.Errorf("chat link %q: %s on page %q, want 200 on h5/v6", href, resp.Status, got)
	}
	if strings.Contains(body, "Offline demo") {
		t.Error("the page claims to run against the stand-in")
	}
}

// run gives the Sobot client the app's logger: what the widget leaves out
// of a page because of the visitor's data is logged with the app's own
// records, on stderr.
func TestRunLogsWhatPagesLeaveOut(t *testing.T) {
	app := startRun(t, []string{"-addr", "127.0.0.1:0"}, env{})
	c := browser(t)
	login(t, c, app.Shop, alice, "/")
	req, err := http.NewRequest(http.MethodGet, app.Shop+"/products/cups", nil)
	require.NoError(t, err)
	req.Header.Set("Referer", "javascript:alert(1)")
	resp, err := c.Do(req)
	require.NoError(t, err)
	body := readBody(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `id="zhichiScript"`, "the page lost its widget")
	assert.Regexp(t, `level=WARN msg="sobot: widget rendered without parameters that were invalid" .*left_out=\[pre_visit_url\]`, app.stderr.String())
}

func TestRunWarnsWithoutKey(t *testing.T) {
	standIn := sobottest.NewServer(testSysNum, sobot.Key{})
	defer standIn.Close()
	app := startRun(t, []string{"-addr", "127.0.0.1:0", "-sysnum", testSysNum, "-base-url", standIn.URL}, env{})
	if !strings.Contains(app.stderr.String(), "not signed") {
		t.Errorf("stderr %q does not warn that links are unsigned", app.stderr)
	}
}

func TestRunInvalidConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  env
		want []string // one line each, in order
	}{
		{"account", []string{"-sysnum", "a b", "-base-url", "ftp://sobot.com", "-public-url", "shop"}, env{}, []string{
			`-sysnum / SOBOT_SYSNUM: must not contain spaces or control characters (got "a b")`,
			`-base-url / SOBOT_BASE_URL: must be an http(s) URL such as https://www.sobot.com, without query, fragment, spaces or characters that need escaping (got "ftp://sobot.com")`,
			`-public-url: must be the shop's http(s) address, such as https://shop.example.com (got "shop")`,
		}},
		{"key without account", nil, env{"SOBOT_KEY": "k", "SOBOT_BASE_URL": "https://www.sobot.com"}, []string{
			`SOBOT_KEY: is set but no sysnum is: set SOBOT_SYSNUM (or -sysnum) too, or unset SOBOT_KEY to run against the stand-in`,
			`-base-url / SOBOT_BASE_URL: is set but no sysnum is: set SOBOT_SYSNUM (or -sysnum) too, or unset it to run against the stand-in (got "https://www.sobot.com")`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			err := run(t.Context(), append([]string{"-addr", "127.0.0.1:0"}, tc.args...), tc.env.get, &stdout, &stderr)
			var cerr configError
			if !errors.As(err, &cerr) {
				t.Fatalf("run = %v, want a configError", err)
			}
			want := "invalid configuration:\n  " + strings.Join(tc.want, "\n  ")
			if err.Error() != want {
				t.Errorf("error:\n%s\nwant:\n%s", err, want)
			}
			if exitCode(err) != 1 {
				t.Errorf("exit code %d, want 1", exitCode(err))
			}
			if stdout.Len() > 0 {
				t.Errorf("printed %q although the configuration is invalid", stdout.String())
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"-h"}, 0},
		{[]string{"-nope"}, 2},
		{[]string{"extra"}, 2},
	} {
		var stdout, stderr strings.Builder
		err := run(t.Context(), tc.args, env{}.get, &stdout, &stderr)
		if got := exitCode(err); got != tc.code || err == nil {
			t.Errorf("%q: run = %v, exit code %d; want an error and %d", tc.args, err, got, tc.code)
		}
		if tc.code == 0 && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%q: run = %v, want flag.ErrHelp", tc.args, err)
		}
		if !strings.Contains(stderr.String(), "SOBOT_KEY") {
			t.Errorf("%q: usage %q does not mention SOBOT_KEY", tc.args, stderr.String())
		}
	}
}

// The default port, when taken, is replaced by a free one; a port the user
// asked for is not.
func TestRunPortTaken(t *testing.T) {
	// Hold the default address; if something else holds it already, it is
	// taken all the same.
	if ln, err := net.Listen("tcp", defaultAddr); err == nil {
		defer ln.Close()
	}
	app := startRun(t, nil, env{})
	if strings.HasSuffix(app.Shop, ":8080") {
		t.Errorf("shop on %s although %s is taken", app.Shop, defaultAddr)
	}
	if !strings.Contains(app.stderr.String(), defaultAddr+" is not available") {
		t.Errorf("stderr %q does not say the default address is taken", app.stderr)
	}

	var stdout, stderr strings.Builder
	if err := run(t.Context(), []string{"-addr", defaultAddr}, env{}.get, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("-addr %s taken: run = %v, want the listen error", defaultAddr, err)
	}
}

func TestOpenable(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:80": "127.0.0.1:80",
		"0.0.0.0:80":   "localhost:80",
		"[::]:80":      "localhost:80",
		"[::1]:80":     "[::1]:80",
	} {
		addr, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := openable(addr); got != want {
			t.Errorf("openable(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestYuan(t *testing.T) {
	for cents, want := range map[int64]string{0: "¥0.00", 5: "¥0.05", 8900: "¥89.00", 26801: "¥268.01"} {
		if got := yuan(cents); got != want {
			t.Errorf("yuan(%d) = %s, want %s", cents, got, want)
		}
	}
}

// The widget reaches the pages in two ways: the client's Middleware
// inserts it into every page but the order page, whose template renders it
// with sobotWidget. Without the middleware, only the order page has it;
// with it, every page has it once, signed, its scripts carrying the
// response's nonce, and the order page's widget is rendered once: the
// middleware does not render one of its own (a Referer the widget refuses
// is logged once).
func TestWidgetPaths(t *testing.T) {
	standIn := sobottest.NewServer(testSysNum, sobot.NewKey(testKey))
	t.Cleanup(standIn.Close)
	logs := new(logRecords)
	client, err := sobot.NewClient(sobot.Config{SysNum: testSysNum, Key: sobot.NewKey(testKey), BaseURL: standIn.URL, Defaults: siteDefaults, Logger: logs.Logger()})
	require.NoError(t, err)
	a, err := newShop(appConfig{Client: client, PublicURL: "http://shop.example", Log: logs.Logger()})
	require.NoError(t, err)
	withMiddleware := a.handler()
	without := withSecurityHeaders(client.Origin(), a.routes())
	session := loginCookie(t, withMiddleware, bob)
	get := func(h http.Handler, path string) (nonce, body string) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(session)
		req.Header.Set("Referer", "javascript:alert(1)")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, path)
		return nonceSource.FindStringSubmatch(rec.Header().Get("Content-Security-Policy"))[1], rec.Body.String()
	}
	for path, inTemplate := range map[string]bool{"/": false, "/products/teapot": false, "/orders/20250002": true} {
		t.Run(path, func(t *testing.T) {
			logs.Take(t)
			_, body := get(without, path)
			assert.Equal(t, inTemplate, strings.Contains(body, "zhichiScript"), "the widget without the middleware")
			logs.Take(t)

			nonce, body := get(withMiddleware, path)
			assert.Equal(t, 1, strings.Count(body, `<script id="zhichiScript"`), "loader elements")
			assert.Equal(t, 2, strings.Count(body, `<script nonce="`+nonce+`"`)+strings.Count(body, `" nonce="`+nonce+`"></script>`), "the widget's scripts with the nonce")
			cfg := widgetConfig(t, body)
			require.NotNil(t, cfg)
			assert.Equal(t, bob.ID, cfg["partnerid"])
			assert.Equal(t, sobot.Sign(testSysNum, sobot.NewKey(testKey), bob.ID), cfg["sign"])
			assert.Regexp(t, `</script>\s*</body>\s*</html>\s*$`, body, "the widget ends the body")
			recs := logs.Take(t)
			if assert.Len(t, recs, 1, "log records: the widget is rendered once") {
				assert.Equal(t, []any{"pre_visit_url"}, recs[0]["left_out"])
			}
		})
	}
}
