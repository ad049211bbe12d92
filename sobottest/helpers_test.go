package sobottest_test

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
)

// Test accounts. The sign is computed here with crypto/md5, independently of
// the root package, from the reference's formula md5(sysnum+key+partnerid).
const (
	testSysnum = "4c349791a07b46c1a70b8ac88aa23257"
	testSecret = "s3cret-key-012345"
)

func md5Sign(sysnum, secret, partnerid string) string {
	sum := md5.Sum([]byte(sysnum + secret + partnerid))
	return hex.EncodeToString(sum[:])
}

// fetch serves one request through h without a network.
func fetch(t *testing.T, h http.Handler, method, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	resp := rec.Result()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// page builds path?query.
func page(path string, q url.Values) string { return path + "?" + q.Encode() }

// elementText returns the decoded text of the element with the given id in
// a stand-in page (whose elements with ids hold text only), and whether it
// was found.
func elementText(body, id string) (string, bool) {
	re := regexp.MustCompile(`<[a-z0-9]+ id="` + regexp.QuoteMeta(html.EscapeString(id)) + `"[^>]*>([^<]*)</`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// mustText is elementText that fails the test if the element is missing.
func mustText(t *testing.T, body, id string) string {
	t.Helper()
	s, ok := elementText(body, id)
	if !ok {
		t.Fatalf("no element #%s in page:\n%s", id, body)
	}
	return s
}

// problems lists the li texts of #sobot-problems.
func problems(body string) []string {
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
