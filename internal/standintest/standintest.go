// Package standintest holds what tests of the sobottest stand-in share,
// in the sobottest package and in the real-browser tests of the examples
// module: test accounts, an independent md5 sign, and readers of the
// stand-in's pages.
package standintest

import (
	"crypto/md5"
	"encoding/hex"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Test accounts. The sign is computed here with crypto/md5, independently of
// the root package, from the reference's formula md5(sysnum+key+partnerid).
const (
	SysNum = "4c349791a07b46c1a70b8ac88aa23257"
	Secret = "s3cret-key-012345"
)

// MD5Sign returns md5(sysnum + secret + partnerid) in lower-case hex.
func MD5Sign(sysnum, secret, partnerid string) string {
	sum := md5.Sum([]byte(sysnum + secret + partnerid))
	return hex.EncodeToString(sum[:])
}

// SignedQuery returns the query of a chat page for partnerid on the test
// account, signed with its secret.
func SignedQuery(partnerid string) url.Values {
	return url.Values{
		"sysnum":    {SysNum},
		"partnerid": {partnerid},
		"sign":      {MD5Sign(SysNum, Secret, partnerid)},
	}
}

// Fetch serves one request through h without a network and returns the
// response and its body.
func Fetch(t testing.TB, h http.Handler, method, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	resp := rec.Result()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// ReadBody reads resp's body, failing the test on an error.
func ReadBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// Page builds path?query.
func Page(path string, q url.Values) string { return path + "?" + q.Encode() }

// ElementText returns the decoded text of the element with the given id in
// a stand-in page (whose elements with ids hold text only), and whether it
// was found.
func ElementText(body, id string) (string, bool) {
	re := regexp.MustCompile(`<[a-z0-9]+ id="` + regexp.QuoteMeta(html.EscapeString(id)) + `"[^>]*>([^<]*)</`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// MustText is ElementText that fails the test if the element is missing.
func MustText(t testing.TB, body, id string) string {
	t.Helper()
	s, ok := ElementText(body, id)
	require.True(t, ok, "no element #%s in page:\n%s", id, body)
	return s
}

// Problems lists the li texts of #sobot-problems.
func Problems(body string) []string {
	start := strings.Index(body, `<ul id="sobot-problems">`)
	if start < 0 {
		return nil
	}
	end := strings.Index(body[start:], "</ul>")
	var out []string
	for _, m := range regexp.MustCompile(`<li>([^<]*)</li>`).FindAllStringSubmatch(body[start:start+end], -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// XSSPayloads try to run script from a parameter's name or value. Each one
// that ran would set window.__xss or open a dialog; none may reach a page as
// markup. They avoid NUL and CR, which an HTML parser drops or rewrites on
// its own.
var XSSPayloads = []string{
	`<script>window.__xss=1</script>`,
	`</script><script>window.__xss=1</script>`,
	`</SCRIPT ><script>alert(1)</script>`,
	`<!--<script>window.__xss=1</script>-->`,
	`</dd><script>window.__xss=1</script>`,
	`<img src=x onerror="window.__xss=1">`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=window.__xss=1>`,
	`" onmouseover="window.__xss=1" x="`,
	`javascript:window.__xss=1`,
	`JaVaScRiPt:alert(1)//`,
	`";window.__xss=1;//`,
	`';window.__xss=1;//`,
	`\";window.__xss=1;//`,
	`\\';alert(1);//`,
	"\u2028window.__xss=1\u2029",
	"\u2028\u2029<!--",
	"`${window.__xss=1}`",
	`{{.Kind}}`,
	`}));window.__xss=1;((`,
	`</script><iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:window.__xss=1" id="xss">x</a>`,
	"\U0001F600</script><script>window.__xss=1</script>",
}
