package sobot

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mwKey is the key of the middleware tests' client.
const mwKey = "middleware-test-key-0123456789"

// mwVisitor is the widget the tests' widgetFor returns.
func mwVisitor() *Widget {
	return &Widget{Params: &Params{User: User{PartnerID: "u-1001", Name: "小丁"}}}
}

// mwEnv is a client and a widgetFor that counts its calls.
type mwEnv struct {
	c     *Client
	calls atomic.Int32
	w     *Widget // what widgetFor returns
}

func newMWEnv(t testing.TB) *mwEnv {
	c := newTestClient(t, Config{Key: NewKey(mwKey), Defaults: Params{Settings: Settings{Color: "04babc"}},
		Logger: slog.New(slog.DiscardHandler)}) // TestMiddlewareLenient checks the records
	return &mwEnv{c: c, w: mwVisitor()}
}

func (e *mwEnv) widgetFor(*http.Request) *Widget {
	e.calls.Add(1)
	return e.w
}

// snippet is the HTML RenderWidget gives for e's widget with nonce.
func (e *mwEnv) snippet(t testing.TB, nonce string) string {
	t.Helper()
	w := *e.w
	w.Nonce = nonce
	return renderWidget(t, e.c, &w)
}

// serve runs h behind e's middleware for req and returns the recorded
// response.
func (e *mwEnv) serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.c.Middleware(e.widgetFor)(h).ServeHTTP(rec, req)
	return rec
}

// page is a handler that sets the headers hdr (pairs), answers status
// and writes body in the given pieces.
func page(status int, hdr []string, body ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Add(hdr[i], hdr[i+1])
		}
		if status != 0 {
			w.WriteHeader(status)
		}
		for _, b := range body {
			io.WriteString(w, b)
		}
	})
}

// htmlType is the usual Content-Type pair for page.
var htmlType = []string{"Content-Type", "text/html; charset=utf-8"}

const mwPage = "<!DOCTYPE html>\n<html><head><title>Shop</title></head>\n<body>\n<h1>Teapot</h1>\n</body>\n</html>\n"

// withWidget returns page with snippet inserted before the last "</body>"
// (as text: the pages of these tests have no tricks).
func withWidget(page, snippet string) string {
	i := strings.LastIndex(page, "</body>")
	return page[:i] + snippet + page[i:]
}

func get(target string, hdr ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return r
}

func TestMiddlewareInserts(t *testing.T) {
	e := newMWEnv(t)
	rec := e.serve(page(0, append(htmlType, "Content-Length", strconv.Itoa(len(mwPage)), "Etag", `"v1"`, "Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT",
		"X-Frame-Options", "DENY", "Cache-Control", "private, no-store", "Set-Cookie", "a=b"), mwPage), get("/"))

	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"partnerid":"u-1001"`)
	assert.Equal(t, int32(1), e.calls.Load(), "widgetFor calls")
	want := http.Header{
		"Content-Type":    {"text/html; charset=utf-8"},
		"X-Frame-Options": {"DENY"},
		"Cache-Control":   {"private, no-store"},
		"Set-Cookie":      {"a=b"},
	}
	assert.Equal(t, want, rec.Result().Header, "Content-Length, ETag and Last-Modified describe the page without the widget")
}

// TestMiddlewareKeepsStatus: error pages get the widget, with their status.
func TestMiddlewareKeepsStatus(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusCreated, http.StatusNotFound, http.StatusInternalServerError, 599} {
		e := newMWEnv(t)
		rec := e.serve(page(status, htmlType, mwPage), get("/"))
		assert.Equal(t, status, rec.Code)
		assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), rec.Body.String(), "status %d", status)
	}
}

// TestMiddlewareLeavesAlone: responses that must not get the widget pass
// through byte for byte, headers and status included.
func TestMiddlewareLeavesAlone(t *testing.T) {
	const body = "<html><body>x</body></html>"
	tests := []struct {
		name    string
		req     *http.Request
		status  int
		hdr     []string
		body    []string
		widget  *Widget // what widgetFor returns; mwVisitor() when nil and !noWidget
		noCall  bool    // widgetFor must not be called
		noWidgt bool
	}{
		{name: "HEAD", req: httptest.NewRequest(http.MethodHead, "/", nil), hdr: htmlType, noCall: true},
		{name: "frame", req: get("/", "Sec-Fetch-Dest", "iframe"), hdr: htmlType, noCall: true},
		{name: "fetch", req: get("/", "Sec-Fetch-Dest", "empty"), hdr: htmlType, noCall: true},
		{name: "JSON", hdr: []string{"Content-Type", "application/json"}, noCall: true},
		{name: "plain text", hdr: []string{"Content-Type", "text/plain; charset=utf-8"}, noCall: true},
		{name: "XHTML", hdr: []string{"Content-Type", "application/xhtml+xml"}, noCall: true},
		{name: "empty Content-Type", hdr: []string{"Content-Type", ""}, noCall: true},
		{name: "no content", status: http.StatusNoContent, hdr: htmlType, body: []string{}, noCall: true},
		{name: "reset content", status: http.StatusResetContent, hdr: htmlType, body: []string{}, noCall: true},
		{name: "not modified", status: http.StatusNotModified, hdr: htmlType, body: []string{}, noCall: true},
		{name: "redirect", status: http.StatusFound, hdr: append(htmlType, "Location", "/x"), noCall: true},
		{name: "partial content", status: http.StatusPartialContent, hdr: append(htmlType, "Content-Range", "bytes 0-26/27"), noCall: true},
		{name: "content range", hdr: append(htmlType, "Content-Range", "bytes 0-26/27"), noCall: true},
		{name: "gzip", hdr: append(htmlType, "Content-Encoding", "gzip"), body: []string{"\x1f\x8b binary"}, noCall: true},
		{name: "br, upper case", hdr: append(htmlType, "Content-Encoding", "BR"), noCall: true},
		{name: "download", hdr: append(htmlType, "Content-Disposition", `attachment; filename="page.html"`), noCall: true},
		{name: "download, upper case", hdr: append(htmlType, "Content-Disposition", `Attachment`), noCall: true},
		{name: "public cache", hdr: append(htmlType, "Cache-Control", "public, max-age=60"), noCall: true},
		{name: "shared cache", hdr: append(htmlType, "Cache-Control", "max-age=0, S-MAXAGE=600"), noCall: true},
		{name: "sniffed text", hdr: nil, body: []string{"hello </body>"}, noCall: true},
		{name: "sniffed, encoded", hdr: []string{"Content-Encoding", "gzip"}, body: []string{"<html><body></body>"}, noCall: true},
		{name: "no widget for this request", hdr: htmlType, noWidgt: true},
		{name: "invalid widget", hdr: htmlType, widget: &Widget{Params: &Params{Settings: Settings{HistoryMinutes: Ptr(5)}}}},
		{name: "widget without identity", hdr: htmlType, widget: &Widget{}},
		{name: "widget already there", hdr: htmlType, body: []string{`<html><body>x<script id="zhichiScript" async src="x"></script></body></html>`}},
		{name: "widget after </body>", hdr: htmlType, body: []string{`<html><body>x</body><script id="zhichiScript"></script></html>`}},
		{name: "widget id split across writes", hdr: htmlType, body: []string{`<html><body>x<script id="zhichi`, `Script"></script></body></html>`}},
		{name: "widget already there, small writes", hdr: htmlType, body: splitEvery(`<html><body><script id="zhichiScript" async src="x"></script>`+
			strings.Repeat("<p>text</p>\n", stageSize/10)+"</body></html>", 37)},
		{name: "Sobot's own integration code", hdr: htmlType, body: []string{`<html><body>x<script>(function (w, d, e, x) {
  w[e] = function () { w.cbk = w.cbk || []; w.cbk.push(arguments); };
  x = d.createElement('script'); x.async = true; x.id = 'zhichiScript';
  x.src = 'https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=abc';
  d.body.appendChild(x);
})(window, document, 'zc');</script></body></html>`}},
		{name: "no </body>", hdr: htmlType, body: []string{`<tr><td>fragment</td></tr>`}},
		{name: "</body> in a script only", hdr: htmlType, body: []string{`<p>x<script>var s = "</body>"</script>`}},
		{name: "</body> in a comment only", hdr: htmlType, body: []string{`<p>x<!-- </body> --><p>y`}},
		{name: "</body> in a textarea only", hdr: htmlType, body: []string{`<form><textarea></body></textarea></form>`}},
		{name: "empty page", hdr: htmlType, body: []string{}},
		{name: "CSP without inline scripts", hdr: append(htmlType, "Content-Security-Policy", "script-src 'self' https://www.sobot.com")},
		{name: "CSP default-src", hdr: append(htmlType, "Content-Security-Policy", "default-src 'self'")},
		{name: "CSP strict-dynamic without nonce", hdr: append(htmlType, "Content-Security-Policy", "script-src 'strict-dynamic' 'unsafe-inline'")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMWEnv(t)
			switch {
			case tt.noWidgt:
				e.w = nil
			case tt.widget != nil:
				e.w = tt.widget
			}
			req := tt.req
			if req == nil {
				req = get("/")
			}
			pieces := tt.body
			if pieces == nil {
				pieces = []string{body}
			}
			h := page(tt.status, tt.hdr, pieces...)

			want := httptest.NewRecorder()
			h.ServeHTTP(want, req)
			got := e.serve(h, req)

			assert.Equal(t, want.Code, got.Code, "status")
			assert.Equal(t, want.Result().Header, got.Result().Header, "header")
			assert.Equal(t, want.Body.String(), got.Body.String(), "body")
			if tt.noCall {
				assert.Zero(t, e.calls.Load(), "widgetFor was called")
			}
		})
	}
}

// TestMiddlewareLeavesAloneCanFail: the comparison of TestMiddlewareLeavesAlone
// sees an inserted widget.
func TestMiddlewareLeavesAloneCanFail(t *testing.T) {
	e := newMWEnv(t)
	h := page(0, htmlType, mwPage)
	want := httptest.NewRecorder()
	h.ServeHTTP(want, get("/"))
	assert.NotEqual(t, want.Body.String(), e.serve(h, get("/")).Body.String())
}

// TestMiddlewareSniffs: a page without Content-Type is sniffed as the
// server would, and served with the Content-Type the server would send.
func TestMiddlewareSniffs(t *testing.T) {
	long := mwPage + strings.Repeat("<!-- padding -->", 100) // more than sniffLen after the first piece
	tests := []struct {
		name   string
		pieces []string
	}{
		{"one write", []string{mwPage}},
		{"small writes", strings.SplitAfter(mwPage, "\n")},
		{"byte by byte", strings.Split(mwPage, "")},
		{"longer than the sniffed part", []string{long[:100], long[100:]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMWEnv(t)
			rec := e.serve(page(0, nil, tt.pieces...), get("/"))
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Equal(t, withWidget(strings.Join(tt.pieces, ""), e.snippet(t, "")), rec.Body.String())
		})
	}
}

// TestMiddlewareHeaderAfterStart: headers set after the handler started
// the response have no effect, with or without the middleware, even while
// the middleware waits for bytes to sniff.
func TestMiddlewareHeaderAfterStart(t *testing.T) {
	e := newMWEnv(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Before", "1")
		w.WriteHeader(http.StatusAccepted)
		w.Header().Set("X-After", "1")
		io.WriteString(w, mwPage[:20])
		w.WriteHeader(http.StatusTeapot) // a second status is ignored, as by the server
		io.WriteString(w, mwPage[20:])
	})
	rec := e.serve(h, get("/"))
	assert.Equal(t, http.StatusAccepted, rec.Code)
	assert.Equal(t, "1", rec.Result().Header.Get("X-Before"))
	assert.Empty(t, rec.Result().Header.Get("X-After"))
	assert.Contains(t, rec.Body.String(), `"partnerid":"u-1001"`)
}

// TestMiddlewareSplitWrites: a page whose </body> (and whatever else)
// arrives split across writes, at every point, comes out the same as
// when written at once.
func TestMiddlewareSplitWrites(t *testing.T) {
	pages := []string{
		mwPage,
		"<html><BODY>a</body>b</Body >c<!-- </body> --><script>'</body>'</script></html>",
		`<body><a title="</body>">x</a></body ` + "\n" + `class="y"></html>`,
	}
	for _, pg := range pages {
		e := newMWEnv(t)
		whole := e.serve(page(0, htmlType, pg), get("/")).Body.String()
		require.NotEqual(t, pg, whole, "the page gets the widget")
		for cut := 1; cut < len(pg); cut++ {
			got := e.serve(page(0, htmlType, pg[:cut], pg[cut:]), get("/")).Body.String()
			if !assert.Equal(t, whole, got, "split at %d", cut) {
				break
			}
		}
		got := e.serve(page(0, htmlType, strings.Split(pg, "")...), get("/")).Body.String()
		assert.Equal(t, whole, got, "byte by byte")
	}
}

// TestMiddlewareLastBody: the widget goes before the last </body>.
func TestMiddlewareLastBody(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	tests := []struct{ page, want string }{
		{"<body>a</body>b</body>c", "<body>a</body>b" + snip + "</body>c"},
		{"<body>a</BODY\t>b", "<body>a" + snip + "</BODY\t>b"},
		{"<body>a</body><!-- </body> -->", "<body>a" + snip + "</body><!-- </body> -->"},
		{"<body>a</body><script>x='</body>'</script>", "<body>a" + snip + "</body><script>x='</body>'</script>"},
		{"<body><textarea></body></textarea></body>", "<body><textarea></body></textarea>" + snip + "</body>"},
	}
	for _, tt := range tests {
		got := e.serve(page(0, htmlType, tt.page), get("/")).Body.String()
		assert.Equal(t, tt.want, got)
	}
}

// TestMiddlewareHiddenFirst: a first "</body>" inside a script or a
// comment is replaced by the real one, however far it is, and in whatever
// pieces the page comes.
func TestMiddlewareHiddenFirst(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	far := strings.Repeat("<p>filler</p>\n", holdLimit/10)
	for _, head := range []string{
		`<head><script>document.write("</body>")</script></head>`,
		`<head><!-- </body> --></head>`,
		`<head><title>a </body> b</title></head>`,
	} {
		for _, body := range []string{"<body>near", "<body>" + far} {
			pg := head + body + "</body></html>"
			want := head + body + snip + "</body></html>"
			assert.True(t, e.serve(page(0, htmlType, pg), get("/")).Body.String() == want, "%.60q... in one write", pg)
			assert.True(t, e.serve(page(0, htmlType, strings.SplitAfter(pg, ">")...), get("/")).Body.String() == want, "%.60q... tag by tag", pg)
		}
	}
}

// TestMiddlewareSmallWrites: a page written a few bytes at a time, as a
// template executed into the response writes it, comes out as when
// written at once.
func TestMiddlewareSmallWrites(t *testing.T) {
	e := newMWEnv(t)
	pg := string(benchPage(20 << 10))
	whole := e.serve(page(0, htmlType, pg), get("/")).Body.String()
	require.Equal(t, withWidget(pg, e.snippet(t, "")), whole)
	assert.True(t, e.serve(page(0, htmlType, splitEvery(pg, 37)...), get("/")).Body.String() == whole)
}

// splitEvery cuts s into pieces of n bytes, the last one shorter.
func splitEvery(s string, n int) []string {
	var pieces []string
	for i := 0; i < len(s); i += n {
		pieces = append(pieces, s[i:min(i+n, len(s))])
	}
	return pieces
}

// TestMiddlewareHoldLimit: more than holdLimit bytes after a </body> end
// the wait for a later one; the widget goes before the one held.
func TestMiddlewareHoldLimit(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	tail := strings.Repeat("x", holdLimit+1)
	var got bytes.Buffer
	var sawWidget bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<body>a</body>"+tail)
		// The widget went out before the handler returns: the hold ended.
		sawWidget = strings.Contains(w.(interface{ Unwrap() http.ResponseWriter }).Unwrap().(*httptest.ResponseRecorder).Body.String(), snip)
		io.WriteString(w, "</body>end")
	})
	rec := e.serve(h, get("/"))
	got.WriteString(rec.Body.String())
	assert.True(t, sawWidget, "widget written once the hold limit passed")
	assert.Equal(t, "<body>a"+snip+"</body>"+tail+"</body>end", got.String())

	// Up to the limit, the wait goes on.
	tail = strings.Repeat("x", holdLimit-len("</body>"))
	got.Reset()
	rec = e.serve(page(0, htmlType, "<body>a</body>"+tail, "</body>end"), get("/"))
	assert.Equal(t, "<body>a</body>"+tail+snip+"</body>end", rec.Body.String())
}

// TestMiddlewarePendingLimit: an end tag that may be </body> is held only
// up to the limit too.
func TestMiddlewarePendingLimit(t *testing.T) {
	e := newMWEnv(t)
	huge := `<body>a</body x="` + strings.Repeat("y", holdLimit+10) + `">`
	rec := e.serve(page(0, htmlType, huge[:20], huge[20:]), get("/"))
	assert.True(t, rec.Body.String() == huge, "the tag was let go, and no other </body> came")
}

// TestMiddlewareCSP: the widget's scripts carry the nonce of the
// response's policy.
func TestMiddlewareCSP(t *testing.T) {
	tests := []struct {
		name   string
		csp    []string // header pairs
		own    string   // Widget.Nonce
		nonce  string   // want
		hashed bool     // want the hash variant
	}{
		{name: "script-src nonce", csp: []string{headerCSP, "script-src 'nonce-abc123' https://www.sobot.com"}, nonce: "abc123"},
		{name: "default-src nonce", csp: []string{headerCSP, "default-src 'self' 'nonce-Zm9vYmFy'"}, nonce: "Zm9vYmFy"},
		{name: "script-src-elem wins", csp: []string{headerCSP, "script-src 'nonce-aaa'; script-src-elem 'nonce-bbb'"}, nonce: "bbb"},
		{name: "script-src before default-src", csp: []string{headerCSP, "default-src 'nonce-aaa'; script-src 'nonce-bbb'"}, nonce: "bbb"},
		{name: "first directive counts", csp: []string{headerCSP, "script-src 'nonce-aaa'; script-src 'nonce-bbb'"}, nonce: "aaa"},
		{name: "case of names and keywords", csp: []string{headerCSP, "Script-Src 'NONCE-aaa'"}, nonce: "aaa"},
		{name: "report-only", csp: []string{headerCSPReportOnly, "script-src 'nonce-ro1'"}, nonce: "ro1"},
		{name: "enforced before report-only", csp: []string{headerCSPReportOnly, "script-src 'nonce-ro1'", headerCSP, "script-src 'nonce-en1'"}, nonce: "en1"},
		{name: "own nonce listed", csp: []string{headerCSP, "script-src 'nonce-aaa' 'nonce-bbb'"}, own: "bbb", nonce: "bbb"},
		{name: "own nonce not listed", csp: []string{headerCSP, "script-src 'nonce-aaa'"}, own: "zzz", nonce: "aaa"},
		{name: "second policy in a line", csp: []string{headerCSP, "img-src 'self', script-src 'nonce-p2'"}, nonce: "p2"},
		{name: "invalid nonce ignored", csp: []string{headerCSP, "script-src 'nonce-a\"b' 'nonce-ok'"}, nonce: "ok"},
		{name: "no policy", own: "mine", nonce: "mine"},
		{name: "policy without scripts", csp: []string{headerCSP, "img-src 'self'; frame-ancestors 'none'"}, own: "mine", nonce: "mine"},
		{name: "unsafe-inline", csp: []string{headerCSP, "script-src 'unsafe-inline' 'self'"}},
		{name: "report-only without inline", csp: []string{headerCSPReportOnly, "script-src 'self'"}},
		{name: "hashes", csp: []string{headerCSP, "script-src 'sha256-AAAA' https://www.sobot.com"}, hashed: true},
		{name: "hashes, strict-dynamic", csp: []string{headerCSP, "script-src 'sha384-AAAA' 'strict-dynamic'"}, hashed: true},
		{name: "nonce and hashes", csp: []string{headerCSP, "script-src 'sha256-AAAA' 'nonce-n1'"}, nonce: "n1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMWEnv(t)
			e.w.Nonce = tt.own
			own := *e.w
			rec := e.serve(page(0, append(htmlType, tt.csp...), mwPage), get("/"))
			if tt.hashed {
				assert.Contains(t, rec.Body.String(), `<script type="application/json" id="`+hashDataID+`">`)
				assert.NotContains(t, rec.Body.String(), "nonce=")
				return
			}
			assert.Equal(t, withWidget(mwPage, e.snippet(t, tt.nonce)), rec.Body.String())
			assert.Equal(t, own, *e.w, "the Widget of widgetFor is not modified")
		})
	}
}

// TestMiddlewareNonceFromContext: widgetFor can take the nonce from the
// request, for a policy the middleware does not see.
func TestMiddlewareNonceFromContext(t *testing.T) {
	e := newMWEnv(t)
	type nonceKey struct{}
	h := e.c.Middleware(func(r *http.Request) *Widget {
		w := mwVisitor()
		w.Nonce, _ = r.Context().Value(nonceKey{}).(string)
		return w
	})(page(0, htmlType, mwPage))
	rec := httptest.NewRecorder()
	req := get("/")
	h.ServeHTTP(rec, req.WithContext(contextWith(req, nonceKey{}, "ctxNonce1")))
	assert.Contains(t, rec.Body.String(), `<script nonce="ctxNonce1">`)
	assert.Contains(t, rec.Body.String(), ` nonce="ctxNonce1"></script>`)
}

// TestMiddlewareHashVariant: under a hash-based policy the page gets the
// data block and the client's script, whose hash is WidgetScriptHash and
// whose data is the snippet's.
func TestMiddlewareHashVariant(t *testing.T) {
	e := newMWEnv(t)
	e.w = &Widget{
		Params: &Params{
			User:           User{PartnerID: "u-1001", Name: "</script><!--"},
			Settings:       Settings{ChannelID: Ptr(3)},
			WidgetSettings: WidgetSettings{CustomButton: true},
		},
		ManualInit:   Click{On: ByID("chat")},
		StatusToggle: Click{On: ByClass("toggle")},
		WatchButtons: true,
		Traces: []Trace{
			{Visit: VisitTrace{Current: CurrentPage{Title: "now"}}},
			{On: ByClass("sku"), Visit: VisitTrace{Current: CurrentPage{Title: "on click"}}},
		},
	}
	rec := e.serve(page(0, append(htmlType, headerCSP, "script-src "+e.c.WidgetScriptHash()+" 'strict-dynamic'"), mwPage), get("/"))
	body := rec.Body.String()

	open := `<script type="application/json" id="` + hashDataID + `">`
	i := strings.Index(body, open)
	require.GreaterOrEqual(t, i, 0, body)
	rest := body[i+len(open):]
	data, rest, ok := strings.Cut(rest, "</script>\n<script>")
	require.True(t, ok, body)
	script, rest, ok := strings.Cut(rest, "</script>\n")
	require.True(t, ok, body)
	assert.Equal(t, "</body>\n</html>\n", rest)
	assert.NotContains(t, data, "<")

	sum := sha256.Sum256([]byte(script))
	assert.Equal(t, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", e.c.WidgetScriptHash())
	assert.Equal(t, e.c.hashScript(), script)
	assert.NotContains(t, script, "<")
	assert.Contains(t, script, `l.src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=`+testSysNum+`"`)

	var got struct {
		Config    map[string]any   `json:"config"`
		Traces    []map[string]any `json:"traces"`
		Clicks    []map[string]any `json:"clicks"`
		Watch     bool             `json:"watch"`
		ChannelID string           `json:"channelid"`
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&got), data)
	snippet := renderWidget(t, e.c, e.w)
	assert.Equal(t, widgetConfig(t, snippet), got.Config, "the snippet's config")
	assert.Equal(t, []map[string]any{{"cur_visit_args": map[string]any{"cur_visit_title": "now"}}}, got.Traces)
	assert.Equal(t, []map[string]any{
		{"id": "chat", "call": "frame_manual"},
		{"class": "toggle", "call": "frame_status"},
		{"class": "sku", "call": "trace", "trace": map[string]any{"cur_visit_args": map[string]any{"cur_visit_title": "on click"}}},
	}, got.Clicks)
	assert.True(t, got.Watch)
	assert.Equal(t, "3", got.ChannelID)
}

// TestWidgetScriptHashPerClient: the script, and so its hash, depends on
// the client's loader URL only.
func TestWidgetScriptHashPerClient(t *testing.T) {
	a := newTestClient(t, Config{})
	b := newTestClient(t, Config{Key: NewKey(mwKey), Defaults: Params{Settings: Settings{Color: "04babc"}}})
	v6 := newTestClient(t, Config{Version: V6})
	other := newTestClient(t, Config{BaseURL: "https://sg.sobot.com"})
	assert.Equal(t, a.WidgetScriptHash(), b.WidgetScriptHash(), "key and defaults do not matter")
	assert.NotEqual(t, a.WidgetScriptHash(), v6.WidgetScriptHash())
	assert.NotEqual(t, a.WidgetScriptHash(), other.WidgetScriptHash())
	assert.Regexp(t, `^'sha256-[A-Za-z0-9+/]{43}='$`, a.WidgetScriptHash())
}

// TestMiddlewareLenient: a visitor's invalid data never fails the page:
// the widget goes in without the invalid parameters, or not at all when
// the visitor's identity cannot be signed, in both renderings; and the
// middleware's own decisions are logged to Config.Logger.
func TestMiddlewareLenient(t *testing.T) {
	hashCSP := []string{headerCSP, "script-src 'sha256-AAAA'"}
	tests := []struct {
		name    string
		csp     []string
		w       *Widget
		inserts bool
		has     string // in the page when inserted
		lacks   string
		log     string // in the log
	}{
		{name: "invalid time left out", w: &Widget{Params: &Params{User: User{PartnerID: "u-1"}, Settings: Settings{HistoryMinutes: Ptr(5)}}},
			inserts: true, has: `"partnerid":"u-1"`, lacks: `"time"`, log: "left_out=[time]"},
		{name: "invalid time left out, hash variant", csp: hashCSP, w: &Widget{Params: &Params{User: User{PartnerID: "u-1"}, Settings: Settings{HistoryMinutes: Ptr(5)}}},
			inserts: true, has: `"partnerid":"u-1"`, lacks: `"time"`, log: "left_out=[time]"},
		{name: "invalid callback left out", w: &Widget{Params: &Params{User: User{PartnerID: "u-1"}}, OnReady: "alert(1)"},
			inserts: true, has: `"partnerid":"u-1"`, lacks: "alert", log: "Widget.OnReady"},
		{name: "invalid partnerid", w: &Widget{Params: &Params{User: User{PartnerID: "u\x00"}}}, log: "widget not rendered"},
		{name: "invalid partnerid, hash variant", csp: hashCSP, w: &Widget{Params: &Params{User: User{PartnerID: "u\x00"}}}, log: "widget not rendered"},
		{name: "callbacks under a hash policy", csp: hashCSP, w: &Widget{Params: &Params{User: User{PartnerID: "u-1"}}, OnReady: "app.ready"},
			inserts: true, has: `"partnerid":"u-1"`, lacks: "app.ready", log: "callbacks=Widget.OnReady"},
		{name: "policy without inline scripts", csp: []string{headerCSP, "script-src 'self'"}, w: mwVisitor(), log: "allows no inline script"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			c := newTestClient(t, Config{Key: NewKey(mwKey), Logger: slog.New(slog.NewTextHandler(&log, nil))})
			rec := httptest.NewRecorder()
			c.Middleware(func(*http.Request) *Widget { return tt.w })(page(0, append(htmlType, tt.csp...), mwPage)).ServeHTTP(rec, get("/"))
			body := rec.Body.String()
			assert.Equal(t, http.StatusOK, rec.Code)
			if tt.inserts {
				assert.Contains(t, body, tt.has)
				assert.NotContains(t, body, tt.lacks)
			} else {
				assert.Equal(t, mwPage, body)
			}
			assert.Contains(t, log.String(), tt.log)
		})
	}
}

// TestMiddlewareFlush: a flush sends everything written so far; a </body>
// held back gets the widget then, and the rest of the page passes
// through.
func TestMiddlewareFlush(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	steps := make(chan string)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for s := range steps {
			if s == "flush" {
				http.NewResponseController(w).Flush()
				continue
			}
			io.WriteString(w, s)
		}
	})
	srv := httptest.NewServer(e.c.Middleware(e.widgetFor)(h))
	defer srv.Close()
	send := func(s ...string) {
		for _, x := range s {
			steps <- x
		}
	}
	go send("<body>progress", "flush") // the response starts with the first flush
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	read := func(want string) {
		t.Helper()
		buf := make([]byte, len(want))
		_, err := io.ReadFull(resp.Body, buf)
		require.NoError(t, err)
		assert.Equal(t, want, string(buf))
	}

	read("<body>progress")
	send("<p>more</p></bo", "flush")
	read("<p>more</p>") // "</bo" may be the start of </body>: held
	send("dy></bo", "flush")
	read(snip + "</body></bo") // the </body> held goes out with the widget, and the rest
	send("dy>after")
	close(steps)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "dy>after", string(rest), "after the widget, the page passes through")
	assert.Empty(t, resp.Header.Get("Content-Length"))
}

// TestMiddlewareResponseController: the wrapped writer keeps Hijack,
// deadlines and full duplex, and the old interfaces.
func TestMiddlewareResponseController(t *testing.T) {
	e := newMWEnv(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			http.Error(w, "deadline: "+err.Error(), 500)
			return
		}
		if err := rc.EnableFullDuplex(); err != nil {
			http.Error(w, "full duplex: "+err.Error(), 500)
			return
		}
		if _, ok := w.(http.Flusher); !ok {
			http.Error(w, "no Flusher", 500)
			return
		}
		var conn io.WriteCloser
		var brw *bufio.ReadWriter
		var err error
		if r.URL.Path == "/old" {
			conn, brw, err = w.(http.Hijacker).Hijack()
		} else {
			conn, brw, err = rc.Hijack()
		}
		if err != nil {
			http.Error(w, "hijack: "+err.Error(), 500)
			return
		}
		brw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<body>hijacked</body>")
		brw.Flush()
		conn.Close()
	})
	srv := httptest.NewServer(e.c.Middleware(e.widgetFor)(h))
	defer srv.Close()
	for _, path := range []string{"/", "/old"} {
		resp, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "<body>hijacked</body>", string(b), path)
	}
	assert.Zero(t, e.calls.Load(), "a hijacked response is not a page")
}

// TestMiddlewareFiles: http.ServeFile behind the middleware: an HTML file
// gets the widget, other files, HEAD and ranges pass through (with
// sendfile, through ReadFrom).
func TestMiddlewareFiles(t *testing.T) {
	e := newMWEnv(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "page.html"), []byte(mwPage), 0o644))
	css := strings.Repeat("body { color: red }\n", 5000)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "site.css"), []byte(css), 0o644))
	srv := httptest.NewServer(e.c.Middleware(e.widgetFor)(http.FileServer(http.Dir(dir))))
	defer srv.Close()

	fetch := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(b)
	}

	resp, body := fetch("GET", "/page.html")
	assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), body)
	assert.Empty(t, resp.Header.Get("Last-Modified"))
	assert.Equal(t, int64(len(body)), resp.ContentLength, "the server counts the short page")

	resp, body = fetch("GET", "/site.css")
	assert.Equal(t, css, body)
	assert.Equal(t, int64(len(css)), resp.ContentLength)
	assert.NotEmpty(t, resp.Header.Get("Last-Modified"))

	resp, body = fetch("GET", "/page.html", "Range", "bytes=0-9")
	assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
	assert.Equal(t, mwPage[:10], body)

	resp, _ = fetch("HEAD", "/page.html")
	assert.Equal(t, int64(len(mwPage)), resp.ContentLength)

	resp, body = fetch("GET", "/page.html", "If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	assert.Empty(t, body)
}

// TestMiddlewareReadFromDelegates: once a response passes through,
// ReadFrom hands the reader to the wrapped writer's ReadFrom.
func TestMiddlewareReadFromDelegates(t *testing.T) {
	e := newMWEnv(t)
	rf := &readFromRecorder{ResponseRecorder: httptest.NewRecorder()}
	h := e.c.Middleware(e.widgetFor)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		io.Copy(w, struct{ io.Reader }{strings.NewReader("a{}")}) // as http.ServeContent copies
	}))
	h.ServeHTTP(rf, get("/"))
	assert.True(t, rf.used, "ReadFrom of the wrapped writer")
	assert.Equal(t, "a{}", rf.Body.String())

	// A page is read through the scanner.
	rf = &readFromRecorder{ResponseRecorder: httptest.NewRecorder()}
	h = e.c.Middleware(e.widgetFor)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, struct{ io.Reader }{strings.NewReader(mwPage)})
	}))
	h.ServeHTTP(rf, get("/"))
	assert.False(t, rf.used)
	assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), rf.Body.String())
}

// readFromRecorder is a ResponseRecorder with a ReadFrom that says it was
// used.
type readFromRecorder struct {
	*httptest.ResponseRecorder
	used bool
}

func (r *readFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	r.used = true
	return io.Copy(r.ResponseRecorder, src)
}

// connWriter is a ResponseWriter over a connection the test controls: it
// records the response, fails every write with writeErr when set, and can
// be hijacked.
type connWriter struct {
	*httptest.ResponseRecorder
	writeErr error
	hijacked bool
}

func (w *connWriter) Write(p []byte) (int, error) {
	if w.writeErr != nil {
		return 0, w.writeErr
	}
	return w.ResponseRecorder.Write(p)
}

func (w *connWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	return nil, nil, nil
}

// serveConn runs handle behind e's middleware, writing to w; handle gets
// the response's header set to hdr (pairs).
func (e *mwEnv) serveConn(w *connWriter, hdr []string, handle func(http.ResponseWriter)) {
	e.c.Middleware(e.widgetFor)(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			rw.Header().Set(hdr[i], hdr[i+1])
		}
		handle(rw)
	})).ServeHTTP(w, get("/"))
}

// TestMiddlewareHijack: a handler that hijacks the connection has what it
// wrote before written first, as it wrote it: bytes gathered, held or not
// sniffed yet go out without the widget.
func TestMiddlewareHijack(t *testing.T) {
	e := newMWEnv(t)
	for _, tc := range []struct {
		name string
		hdr  []string
		body string
	}{
		{"gathered", htmlType, "<body>x"},
		{"a </body> held", htmlType, "<body>x</body>"},
		{"not sniffed yet", nil, "<html><body>x"},
		{"not sniffed yet, a </body> in it", nil, "<html><body>x</body>"},
	} {
		w := &connWriter{ResponseRecorder: httptest.NewRecorder()}
		e.serveConn(w, tc.hdr, func(rw http.ResponseWriter) {
			io.WriteString(rw, tc.body)
			_, _, err := http.NewResponseController(rw).Hijack()
			assert.NoError(t, err, tc.name)
			io.WriteString(rw, "</html>")
		})
		assert.True(t, w.hijacked, tc.name)
		assert.Equal(t, tc.body+"</html>", w.Body.String(), tc.name)
	}
}

// TestMiddlewareWriteErrors: when the connection fails, the handler gets
// the error from the call that wrote to it, a flush or a hijack included.
func TestMiddlewareWriteErrors(t *testing.T) {
	e := newMWEnv(t)
	broken := errors.New("connection reset by peer")
	for name, act := range map[string]func(http.ResponseWriter) error{
		"flush": func(w http.ResponseWriter) error { return http.NewResponseController(w).Flush() },
		"hijack": func(w http.ResponseWriter) error {
			_, _, err := http.NewResponseController(w).Hijack()
			return err
		},
	} {
		for _, hdr := range [][]string{htmlType, nil} {
			w := &connWriter{ResponseRecorder: httptest.NewRecorder(), writeErr: broken}
			var err error
			e.serveConn(w, hdr, func(rw http.ResponseWriter) {
				_, err = io.WriteString(rw, "<html><body>x</body>")
				require.NoError(t, err, "a short write is gathered, not written yet")
				err = act(rw)
			})
			assert.ErrorIs(t, err, broken, "%s, Content-Type %v", name, hdr)
			assert.False(t, w.hijacked, "%s, Content-Type %v", name, hdr)
		}
	}
}

// TestMiddlewareFlushHidden: a flush sends a held </body> that turned out
// to be inside an element, and the widget still goes before the real one.
func TestMiddlewareFlushHidden(t *testing.T) {
	e := newMWEnv(t)
	const head = `<body><script>s="</body>"</script>`
	w := &connWriter{ResponseRecorder: httptest.NewRecorder()}
	var flushed string
	e.serveConn(w, htmlType, func(rw http.ResponseWriter) {
		io.WriteString(rw, head)
		require.NoError(t, http.NewResponseController(rw).Flush())
		flushed = w.Body.String()
		io.WriteString(rw, "</body></html>")
	})
	assert.Equal(t, head, flushed)
	assert.Equal(t, head+e.snippet(t, "")+"</body></html>", w.Body.String())
}

// TestMiddlewareInformational: a 103 goes out at once, and the final
// status decides.
func TestMiddlewareInformational(t *testing.T) {
	e := newMWEnv(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, mwPage)
	})
	var got []int
	srv := httptest.NewServer(e.c.Middleware(e.widgetFor)(h))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req = req.WithContext(traceInformational(req, &got))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, []int{http.StatusEarlyHints}, got)
	assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), string(b))
}

// contextWith returns r's context with k set to v.
func contextWith(r *http.Request, k, v any) context.Context {
	return context.WithValue(r.Context(), k, v)
}

// traceInformational returns r's context with a trace that appends the
// status of each 1xx response to got.
func traceInformational(r *http.Request, got *[]int) context.Context {
	return httptrace.WithClientTrace(r.Context(), &httptrace.ClientTrace{
		Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
			*got = append(*got, code)
			return nil
		},
	})
}

// TestMiddlewarePanics: set-up mistakes panic at set-up.
func TestMiddlewarePanics(t *testing.T) {
	e := newMWEnv(t)
	assert.PanicsWithValue(t, "sobot: Middleware: widgetFor is nil; return a nil *Widget from it for pages without the widget", func() { e.c.Middleware(nil) })
	assert.Panics(t, func() { (&Client{}).Middleware(e.widgetFor) })
	assert.Panics(t, func() { (*Client)(nil).Middleware(e.widgetFor) })
	assert.Panics(t, func() { e.c.Middleware(e.widgetFor)(nil) })
}

// TestMiddlewareHandlerPanics: a handler that panics gets no widget at the
// end of its cut-off response.
func TestMiddlewareHandlerPanics(t *testing.T) {
	e := newMWEnv(t)
	rec := httptest.NewRecorder()
	h := e.c.Middleware(e.widgetFor)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<body>x</body>")
		panic(http.ErrAbortHandler)
	}))
	assert.Panics(t, func() { h.ServeHTTP(rec, get("/")) })
	assert.NotContains(t, rec.Body.String(), widgetID)
}

// TestMiddlewareTwice: a handler wrapped twice (a site-wide and a route's
// middleware) gets one widget, in either rendering.
func TestMiddlewareTwice(t *testing.T) {
	for _, csp := range [][]string{nil, {headerCSP, "script-src 'nonce-abc'"}, {headerCSP, "script-src 'sha256-AAAA'"}} {
		e := newMWEnv(t)
		mw := e.c.Middleware(e.widgetFor)
		rec := httptest.NewRecorder()
		mw(mw(page(0, append(htmlType, csp...), mwPage))).ServeHTTP(rec, get("/"))
		assert.Equal(t, 1, strings.Count(rec.Body.String(), widgetID), "policy %q:\n%s", csp, rec.Body.String())
	}
}

// TestContainsWidgetID: the search anchored on the S finds widgetID
// exactly where bytes.Contains does.
func TestContainsWidgetID(t *testing.T) {
	for _, p := range []string{
		"", "zhichiScript", "xzhichiScript", "zhichiScriptx", "zhichiScrip", "hichiScript", "SSSSSSzhichiScriptSSS",
		"zhichiscript", "zhichi Script", strings.Repeat("zhiCustomBtn S ", 10) + "zhichiScript", "zhichiSzhichiScript",
	} {
		assert.Equal(t, strings.Contains(p, widgetID), containsWidgetID([]byte(p)), "%q", p)
	}
}
