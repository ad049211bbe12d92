package main

import (
	"bytes"
	"context"
	"encoding/json"
	"go/format"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/a-h/templ/generator"
	parser "github.com/a-h/templ/parser/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/internal/browsertest"
	"github.com/sobotgo/sobot/sobottest"
)

const (
	testSysNum = "4c349791a07b46c1a70b8ac88aa23257"
	testKey    = "test-key-0123456789"
)

// testClient returns a signing client that logs to logs.
func testClient(t *testing.T, logs *bytes.Buffer) *sobot.Client {
	t.Helper()
	client, err := sobot.NewClient(sobot.Config{SysNum: testSysNum, Key: sobot.NewKey(testKey),
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	require.NoError(t, err)
	return client
}

// servePage serves the product page to visitor v (nil: nobody logged in)
// and returns the response's nonce and body.
func servePage(t *testing.T, client *sobot.Client, v *visitor) (nonce, body string) {
	t.Helper()
	rec := httptest.NewRecorder()
	newHandler(client, func(*http.Request) *visitor { return v }).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	m := regexp.MustCompile(`script-src 'nonce-([^']+)'`).FindStringSubmatch(rec.Header().Get("Content-Security-Policy"))
	require.NotNil(t, m, "the policy has no nonce")
	return m[1], rec.Body.String()
}

// chatLink returns the href of the page's #chat-link, as the browser reads
// it, and whether the page has one.
func chatLink(t *testing.T, body string) (string, bool) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	require.NoError(t, err)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "a" {
			continue
		}
		var id, href string
		for _, a := range n.Attr {
			switch a.Key {
			case "id":
				id = a.Val
			case "href":
				href = a.Val
			}
		}
		if id == "chat-link" {
			return href, true
		}
	}
	return "", false
}

// The page holds the widget exactly as WidgetForPage renders it for the
// visitor and the product, with the response's nonce, once, at the end of
// the body; and the chat link LinkForPage builds for the visitor.
func TestPageHoldsWidgetAndLink(t *testing.T) {
	var logs bytes.Buffer
	client := testClient(t, &logs)
	v := demoVisitor(nil)
	nonce, body := servePage(t, client, v)

	ctx := context.Background()
	widget := client.WidgetForPage(ctx, &sobot.Widget{
		Params: &sobot.Params{User: sobot.User{PartnerID: "u-1001", Name: "小丁", Email: "ding@example.com"}, Product: teapot.card()},
		Nonce:  nonce,
	}).String()
	require.NotEmpty(t, widget)
	assert.Equal(t, 1, strings.Count(body, widget), "the widget as WidgetForPage renders it, in:\n%s", body)
	assert.True(t, strings.HasSuffix(body, widget+"</body></html>"), "the widget ends the body:\n%s", body)
	assert.Equal(t, 1, strings.Count(body, "zhichiScript"), "one widget")
	assert.Contains(t, widget, `"card_title":"Celadon\u0020teapot"`)
	assert.Contains(t, widget, `"sign":"`+sobot.Sign(testSysNum, sobot.NewKey(testKey), "u-1001")+`"`)

	href, ok := chatLink(t, body)
	require.True(t, ok, "no chat link in:\n%s", body)
	want, err := client.H5URL(&sobot.Params{User: sobot.User{PartnerID: "u-1001", Name: "小丁", Email: "ding@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, want, href)
	assert.Empty(t, logs.String(), "log records")
}

// A visitor who is not logged in gets neither the widget nor a link.
func TestPageWithoutVisitor(t *testing.T) {
	var logs bytes.Buffer
	_, body := servePage(t, testClient(t, &logs), nil)
	assert.NotContains(t, body, "zhichiScript")
	assert.NotContains(t, body, "<script")
	_, ok := chatLink(t, body)
	assert.False(t, ok, "chat link")
	assert.Contains(t, body, "Sign in to chat with us.")
	assert.Empty(t, logs.String(), "log records")
}

// A visitor's invalid data never fails the page: an invalid name is left
// out of the widget and of the link, an invalid partnerid leaves both out;
// the log says so.
func TestPageWithInvalidVisitorData(t *testing.T) {
	t.Run("name", func(t *testing.T) {
		var logs bytes.Buffer
		_, body := servePage(t, testClient(t, &logs), &visitor{ID: "u-2001", Name: "Ann\xffe"})
		assert.Contains(t, body, `"partnerid":"u-2001"`)
		assert.NotContains(t, body, `"uname"`)
		href, ok := chatLink(t, body)
		require.True(t, ok, "the link is built without the name")
		u, err := url.Parse(href)
		require.NoError(t, err)
		assert.Equal(t, "u-2001", u.Query().Get("partnerid"))
		assert.NotContains(t, u.Query(), "uname")
		assert.Equal(t, []string{"WARN", "WARN"}, levels(t, &logs), "one record for the link, one for the widget")
	})
	t.Run("partnerid", func(t *testing.T) {
		var logs bytes.Buffer
		_, body := servePage(t, testClient(t, &logs), &visitor{ID: strings.Repeat("u", 301), Name: "Dana"})
		assert.NotContains(t, body, "zhichiScript")
		_, ok := chatLink(t, body)
		assert.False(t, ok, "chat link")
		assert.Contains(t, body, "<h1>Celadon teapot</h1>", "the page itself")
		assert.Equal(t, []string{"ERROR", "ERROR"}, levels(t, &logs), "one record for the link, one for the widget")
	})
}

// levels returns the levels of the JSON log records in logs.
func levels(t *testing.T, logs *bytes.Buffer) []string {
	t.Helper()
	var out []string
	for line := range strings.Lines(logs.String()) {
		var rec struct{ Level string }
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		out = append(out, rec.Level)
	}
	return out
}

// The nonce comes from the request's context (templ.WithNonce), so the
// component renders the same outside a handler.
func TestComponentTakesNonceFromContext(t *testing.T) {
	var logs, page bytes.Buffer
	client := testClient(t, &logs)
	ctx := templ.WithNonce(context.Background(), "cmFuZG9tMTIzNDU2Nzg5MA")
	require.NoError(t, productPage(client, demoVisitor(nil), teapot).Render(ctx, &page))
	assert.Equal(t, 2, strings.Count(page.String(), `nonce="cmFuZG9tMTIzNDU2Nzg5MA"`), "both script elements carry the nonce")
}

// TestGeneratedCodeIsCurrent generates page_templ.go from page.templ with
// the templ generator of examples/go.mod, as `templ generate` does, and
// fails when the committed file differs: regenerate it with
//
//	go run github.com/a-h/templ/cmd/templ@v0.3.1100 generate
func TestGeneratedCodeIsCurrent(t *testing.T) {
	tf, err := parser.Parse("page.templ")
	require.NoError(t, err)
	var b bytes.Buffer
	_, err = generator.Generate(tf, &b, generator.WithFileName("page.templ"), generator.WithVersion(templ.Version()))
	require.NoError(t, err)
	want, err := format.Source(b.Bytes())
	require.NoError(t, err)
	got, err := os.ReadFile("page_templ.go")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got),
		"page_templ.go is stale: run `go run github.com/a-h/templ/cmd/templ@%s generate` in examples/templ", templ.Version())
}

// TestBrowserPage loads the page in headless Chromium against the
// stand-in: under the page's strict policy the widget loads without a
// violation or an exception, and the loader receives the visitor's signed
// config with the product card.
func TestBrowserPage(t *testing.T) {
	b := browsertest.New(t)
	standIn := sobottest.NewServer(testSysNum, sobot.NewKey(testKey))
	t.Cleanup(standIn.Close)
	client, err := sobot.NewClient(sobot.Config{SysNum: testSysNum, Key: sobot.NewKey(testKey), BaseURL: standIn.URL})
	require.NoError(t, err)
	ts := httptest.NewServer(newHandler(client, demoVisitor))
	t.Cleanup(ts.Close)

	b.Navigate(ts.URL + "/")
	b.WaitFor(`window.__sobottest && __sobottest.loaderLoaded && __sobottest.ready`)
	ctx, cancel := context.WithTimeout(context.Background(), browsertest.Timeout)
	defer cancel()
	calls, err := standIn.WaitCalls(ctx, 1)
	require.NoError(t, err)
	var cfg map[string]any
	require.Equal(t, "config", calls[0].Name)
	require.NoError(t, calls[0].Arg(0, &cfg))
	assert.Equal(t, "u-1001", cfg["partnerid"])
	assert.Equal(t, "小丁", cfg["uname"])
	assert.Equal(t, sobot.Sign(testSysNum, sobot.NewKey(testKey), "u-1001"), cfg["sign"])
	assert.Equal(t, "Celadon teapot", cfg["card_title"])
	assert.Empty(t, b.CSPViolations(), "CSP violations")
	assert.Empty(t, b.Exceptions(), "JavaScript exceptions")
}
