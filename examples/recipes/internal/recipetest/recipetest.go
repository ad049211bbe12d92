// Package recipetest checks that a recipe's site puts the widget in its
// page.
package recipetest

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// Client returns a signing client for the recipes' tests.
func Client(t *testing.T) *sobot.Client {
	t.Helper()
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257", Key: sobot.NewKey("test-key-0123456789")})
	require.NoError(t, err)
	return client
}

// nonceSource finds the nonce of a Content-Security-Policy.
var nonceSource = regexp.MustCompile(`script-src 'nonce-([^']+)'`)

// Check checks the home page of the site h, made with client: see
// CheckPage.
func Check(t *testing.T, client *sobot.Client, h http.Handler, page string) {
	t.Helper()
	CheckPage(t, client, h, "/", http.StatusOK, page)
}

// CheckPage serves GET path of the site h, made with client, over HTTP,
// and checks the response has the status and is an HTML page:
//
//   - to a visitor who is not logged in, the page comes as page, with no
//     widget;
//   - to a logged-in customer, the page is page with the customer's widget
//     (exactly as Client.WidgetForPage renders it, with the nonce of the
//     response's policy) once, right before </body>.
func CheckPage(t *testing.T, client *sobot.Client, h http.Handler, path string, status int, page string) {
	t.Helper()
	ts := httptest.NewServer(h)
	defer ts.Close()
	get := func(user string) (nonce, body string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		require.NoError(t, err)
		if user != "" {
			req.AddCookie(&http.Cookie{Name: site.SessionCookie, Value: user})
		}
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, status, resp.StatusCode, "GET %s as %q:\n%s", path, user, b)
		mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		require.NoError(t, err)
		assert.Equal(t, "text/html", mt)
		m := nonceSource.FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
		require.NotNil(t, m, "GET %s as %q: no nonce in the policy %q", path, user, resp.Header.Get("Content-Security-Policy"))
		return m[1], string(b)
	}

	_, body := get("")
	assert.Equal(t, page, body, "the page of a visitor who is not logged in")

	nonce, body := get("u-1001")
	widget := client.WidgetForPage(context.Background(), &sobot.Widget{
		Params: &sobot.Params{User: sobot.User{PartnerID: "u-1001", Name: "小丁"}},
		Nonce:  nonce,
	}).String()
	require.NotEmpty(t, widget)
	require.Equal(t, 1, strings.Count(body, widget), "the customer's widget, once, in:\n%s", body)
	before, after, _ := strings.Cut(body, widget)
	assert.Equal(t, page, before+after, "the page around the widget")
	assert.True(t, strings.HasPrefix(strings.TrimLeft(after, " \t\r\n"), "</body>"), "the widget is right before </body>:\n%s", body)
	assert.Equal(t, 1, strings.Count(body, "zhichiScript"), "one widget")
}
