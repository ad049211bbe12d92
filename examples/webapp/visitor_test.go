package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// hostileReferers are Referer headers a page may receive, with whether the
// widget's visit trace may carry them (exactly as they came) or must leave
// them out. Browsers send few of them; other clients send anything.
var hostileReferers = []struct {
	name, referer string
	kept          bool
}{
	{"javascript", "javascript:alert(1)", false},
	{"data", "data:text/html,<script>alert(1)</script>", false},
	{"android app", "android-app://com.google.android.gm/", true},
	{"relative path", "/products/cups?from=mail", true},
	{"protocol-relative", "//cdn.example/x", true},
	{"quotes and script", `https://mail.example/?q="><script>alert(1)</script>'`, false},
	{"10 KB", "https://search.example/?q=" + strings.Repeat("longjing+", 10<<10/9), true},
	{"invalid UTF-8", "https://mail.example/\xff\xfe\xc3", false},
	{"control characters", "https://mail.example/\x00\x01\x1b[31m\x7f", false},
	{"tab and newline", "https://mail.example/a\tb\nc", false},
}

// A hostile or exotic Referer never takes a page down: the page renders
// with its widget, whose visit trace carries the Referer exactly or leaves
// it out, and the log names what was left out. The requests go to the
// app's handler directly, as no HTTP client sends control characters.
func TestHostileRefererRendersPage(t *testing.T) {
	shop := startTestShop(t, nil)
	session := loginCookie(t, shop.Handler, alice)
	wantCurrent := map[string]any{"cur_visit_url": shop.URL + "/products/teapot", "cur_visit_title": "Celadon teapot · Teahouse"}
	shop.Logs.Take(t)
	for _, tc := range hostileReferers {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/products/teapot", nil)
			req.AddCookie(session)
			req.Header.Set("Referer", tc.referer)
			rec := httptest.NewRecorder()
			shop.Handler.ServeHTTP(rec, req)
			body := rec.Body.String()

			require.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, 2, strings.Count(body, "<script"), "script elements: the widget's two, and no other")
			assert.NotContains(t, body, "alert(1)", "the Referer is written into the page")
			cfg := widgetConfig(t, body)
			require.NotNil(t, cfg, "the page has no widget")
			assert.Equal(t, alice.ID, cfg["partnerid"])
			assert.Equal(t, sobot.Sign(testSysNum, sobot.NewKey(testKey), alice.ID), cfg["sign"])
			assert.Equal(t, wantCurrent, cfg["cur_visit_args"])

			logs := shop.Logs.Take(t)
			if tc.kept {
				assert.Equal(t, map[string]any{"pre_visit_url": tc.referer}, cfg["pre_visit_args"])
				assert.Empty(t, logs)
				return
			}
			assert.NotContains(t, cfg, "pre_visit_args")
			require.Len(t, logs, 1, "log records")
			assert.Equal(t, "WARN", logs[0]["level"])
			assert.Equal(t, []any{"pre_visit_url"}, logs[0]["left_out"])
			if problems, _ := logs[0]["problems"].([]any); assert.Len(t, problems, 1, "problems") {
				assert.Regexp(t, `^pre_visit_url: `, problems[0])
			}
		})
	}
}

// The page's own address carries the visitor's query string; one the
// trace refuses is left out of it, and logged, like a Referer.
func TestHostileQueryRendersPage(t *testing.T) {
	shop := startTestShop(t, nil)
	req := httptest.NewRequest(http.MethodGet, `/products/cups?q="><script>alert(1)</script>`, nil)
	req.AddCookie(loginCookie(t, shop.Handler, wang))
	shop.Logs.Take(t)
	rec := httptest.NewRecorder()
	shop.Handler.ServeHTTP(rec, req)

	require.Equal(t, http.StatusOK, rec.Code)
	assert.NotContains(t, rec.Body.String(), "alert(1)")
	cfg := widgetConfig(t, rec.Body.String())
	require.NotNil(t, cfg, "the page has no widget")
	assert.Equal(t, map[string]any{"cur_visit_title": "Tea cups, set of 4 · Teahouse"}, cfg["cur_visit_args"])
	logs := shop.Logs.Take(t)
	require.Len(t, logs, 1, "log records")
	assert.Equal(t, []any{"cur_visit_url"}, logs[0]["left_out"])

	// A query it accepts is carried as the page's address.
	_, body := get(t, loggedIn(t, shop, wang), shop.URL+"/products/cups?utm_source=mail&q=%E8%8C%B6")
	assert.Equal(t, map[string]any{"cur_visit_url": shop.URL + "/products/cups?utm_source=mail&q=%E8%8C%B6", "cur_visit_title": "Tea cups, set of 4 · Teahouse"},
		widgetConfig(t, body)["cur_visit_args"])
}

// A visitor who arrives from another page of the shop has it as the
// previous page of the trace; the title of each page is its document title.
func TestVisitTraceFollowsTheVisitor(t *testing.T) {
	shop := startTestShop(t, nil)
	c := loggedIn(t, shop, bob)
	req, err := http.NewRequest(http.MethodGet, shop.URL+"/orders/20250002", nil)
	require.NoError(t, err)
	req.Header.Set("Referer", shop.URL+"/")
	resp, err := c.Do(req)
	require.NoError(t, err)
	body := readBody(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	cfg := widgetConfig(t, body)
	assert.Equal(t, map[string]any{"pre_visit_url": shop.URL + "/"}, cfg["pre_visit_args"])
	assert.Equal(t, map[string]any{"cur_visit_url": shop.URL + "/orders/20250002", "cur_visit_title": "Order 20250002 · Teahouse"}, cfg["cur_visit_args"])
	assert.Contains(t, body, "<title>Order 20250002 · Teahouse</title>")
	assert.Empty(t, shop.Logs.Take(t))
}

// An account whose data the links refuse (a real shop's user store may hold
// anything) never makes the page fail: the chat links are built without
// the invalid name or e-mail address, or left out with an invalid
// partnerid, as the widget is, and the log says what was left out.
func TestInvalidAccountDataNeverFailsPage(t *testing.T) {
	badName := account{ID: "u-2001", Name: "Ann\xffe", Email: "ann@example.com"}
	badEmail := account{ID: "u-2002", Name: "Carl", Email: "carl\xc3@example.com"}
	badID := account{ID: strings.Repeat("u", 301), Name: "Dana", Email: "dana@example.com"} // partnerid is at most 300 characters
	withAccounts(t, badName, badEmail, badID)
	shop := startTestShop(t, nil)

	type leftOut map[string][]any // link (or "widget") -> the parameters left out of it
	for _, tc := range []struct {
		who    account
		warned leftOut  // built without these
		failed []string // links left out, or "widget"
	}{
		{badName, leftOut{"h5": {"uname"}, "pc": {"uname"}, "leave-message": {"uname"}, "widget": {"uname"}}, nil},
		{badEmail, leftOut{"h5": {"email"}, "pc": {"email"}, "widget": {"email"}}, nil},
		{badID, nil, []string{"h5", "pc", "widget"}},
	} {
		t.Run(tc.who.Name, func(t *testing.T) {
			c := loggedIn(t, shop, tc.who)
			shop.Logs.Take(t)
			resp, body := get(t, c, shop.URL+"/products/teapot")
			require.Equal(t, http.StatusOK, resp.StatusCode)

			// The links: built without what is invalid, and admitted by
			// the stand-in; or not on the page.
			for id, link := range map[string]string{"chat-h5": "h5", "chat-pc": "pc", "leave-message": "leave-message"} {
				href := attr(body, id, "href")
				if slices.Contains(tc.failed, link) {
					assert.Empty(t, href, "%s link", link)
					continue
				}
				require.NotEmpty(t, href, "%s link", link)
				u, err := url.Parse(href)
				require.NoError(t, err)
				for _, name := range tc.warned[link] {
					assert.NotContains(t, u.Query(), name, "%s link %s", link, href)
				}
				resp, page := get(t, shop.StandIn.Client(), href)
				assert.Equal(t, http.StatusOK, resp.StatusCode, "%s link %s", link, href)
				assert.NotContains(t, page, `id="sobot-problems"`, "%s link %s", link, href)
				if link != "leave-message" {
					got, _ := text(page, "sobot-security")
					assert.Equal(t, "sign verified", got, "%s link %s", link, href)
				}
			}

			// The widget: rendered without what is invalid, or not at all.
			cfg := widgetConfig(t, body)
			if slices.Contains(tc.failed, "widget") {
				assert.Nil(t, cfg, "widget config")
				assert.NotContains(t, body, "zhichiScript")
			} else {
				require.NotNil(t, cfg, "the page has no widget")
				assert.Equal(t, tc.who.ID, cfg["partnerid"])
				for _, name := range tc.warned["widget"] {
					assert.NotContains(t, cfg, name)
				}
			}

			// The log: one record per link or widget, of its kind, naming
			// what was left out of it.
			warned, failed := leftOut{}, []string(nil)
			for _, rec := range shop.Logs.Take(t) {
				name, _ := rec["kind"].(string) // h5, pc, leave-message or widget
				switch rec["level"] {
				case "WARN":
					left, _ := rec["left_out"].([]any)
					warned[name] = left
				case "ERROR":
					failed = append(failed, name)
				}
				assert.NotEmpty(t, rec["problems"], "log record %v", rec)
			}
			if tc.warned == nil {
				tc.warned = leftOut{}
			}
			assert.Equal(t, tc.warned, warned, "warnings")
			assert.ElementsMatch(t, tc.failed, failed, "errors")
		})
	}
}

// loggedIn returns a browser logged into shop as a.
func loggedIn(t *testing.T, shop *testShop, a account) *http.Client {
	t.Helper()
	c := browser(t)
	login(t, c, shop.URL, a, "/")
	return c
}
