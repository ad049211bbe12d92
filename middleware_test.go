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
	"slices"
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
	for _, status := range []int{http.StatusOK, http.StatusCreated, 299, http.StatusBadRequest, http.StatusNotFound, http.StatusInternalServerError, 599} {
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
		// The body showed there was no place for the widget after the
		// header had gone out with Cache-Control: private.
		private bool
	}{
		{name: "HEAD", req: httptest.NewRequest(http.MethodHead, "/", nil), hdr: htmlType, noCall: true},
		{name: "frame", req: get("/", "Sec-Fetch-Dest", "iframe"), hdr: htmlType, noCall: true},
		{name: "fetch", req: get("/", "Sec-Fetch-Dest", "empty"), hdr: htmlType, noCall: true},
		{name: "JSON", hdr: []string{"Content-Type", "application/json"}, noCall: true},
		{name: "plain text", hdr: []string{"Content-Type", "text/plain; charset=utf-8"}, noCall: true},
		{name: "XHTML", hdr: []string{"Content-Type", "application/xhtml+xml"}, noCall: true},
		{name: "UTF-16", hdr: []string{"Content-Type", "text/html; charset=UTF-16"}, noCall: true},
		{name: "UTF-16LE, quoted", hdr: []string{"Content-Type", `text/html;charset="utf-16le"`}, noCall: true},
		{name: "UTF-32BE", hdr: []string{"Content-Type", "text/html; q=1; Charset=utf-32be"}, noCall: true},
		{name: "UCS-2", hdr: []string{"Content-Type", "text/html; charset=ucs-2"}, noCall: true},
		{name: "UTF-16 byte order mark", hdr: htmlType, private: true, body: []string{"\xff\xfe<html><body>x</body></html>"}},
		{name: "UTF-16BE byte order mark, written alone", hdr: htmlType, private: true, body: []string{"\xfe\xff", "<html><body>x</body></html>"}},
		{name: "empty Content-Type", hdr: []string{"Content-Type", ""}, noCall: true},
		{name: "no content", status: http.StatusNoContent, hdr: htmlType, body: []string{}, noCall: true},
		{name: "reset content", status: http.StatusResetContent, hdr: htmlType, body: []string{}, noCall: true},
		{name: "not modified", status: http.StatusNotModified, hdr: htmlType, body: []string{}, noCall: true},
		{name: "redirect", status: http.StatusFound, hdr: append(htmlType, "Location", "/x"), noCall: true},
		{name: "multiple choices", status: http.StatusMultipleChoices, hdr: htmlType, noCall: true},
		{name: "last 3xx", status: 399, hdr: htmlType, noCall: true},
		{name: "past 5xx", status: 600, hdr: htmlType, noCall: true},
		{name: "partial content", status: http.StatusPartialContent, hdr: append(htmlType, "Content-Range", "bytes 0-26/27"), noCall: true},
		{name: "content range", hdr: append(htmlType, "Content-Range", "bytes 0-26/27"), noCall: true},
		{name: "gzip", hdr: append(htmlType, "Content-Encoding", "gzip"), body: []string{"\x1f\x8b binary"}, noCall: true},
		{name: "br, upper case", hdr: append(htmlType, "Content-Encoding", "BR"), noCall: true},
		{name: "download", hdr: append(htmlType, "Content-Disposition", `attachment; filename="page.html"`), noCall: true},
		{name: "download, upper case", hdr: append(htmlType, "Content-Disposition", `Attachment`), noCall: true},
		{name: "public cache", hdr: append(htmlType, "Cache-Control", "public, max-age=60"), noCall: true},
		{name: "shared cache", hdr: append(htmlType, "Cache-Control", "max-age=0, S-MAXAGE=600"), noCall: true},
		{name: "public among others", hdr: append(htmlType, "Cache-Control", "no-transform, PUBLIC"), noCall: true},
		{name: "max-age", hdr: append(htmlType, "Cache-Control", "max-age=600"), noCall: true},
		{name: "max-age, must-revalidate", hdr: append(htmlType, "Cache-Control", "must-revalidate, max-age=60"), noCall: true},
		{name: "max-age in a second line", hdr: append(htmlType, "Cache-Control", "no-transform", "Cache-Control", `max-age="60"`), noCall: true},
		{name: "private for some fields only", hdr: append(htmlType, "Cache-Control", `private="Set-Cookie", max-age=600`), noCall: true},
		{name: "Expires", hdr: append(htmlType, "Expires", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)), noCall: true},
		{name: "Expires after Date", hdr: append(htmlType, "Date", "Mon, 02 Jan 2006 15:04:05 GMT", "Expires", "Mon, 02 Jan 2006 16:04:05 GMT"), noCall: true},
		{name: "CDN-Cache-Control", hdr: append(htmlType, "CDN-Cache-Control", "max-age=600"), noCall: true},
		{name: "Surrogate-Control", hdr: append(htmlType, "Surrogate-Control", "max-age=600"), noCall: true},
		{name: "CDN-Cache-Control over private", hdr: append(htmlType, "Cache-Control", "private", "CDN-Cache-Control", "max-age=600"), noCall: true},
		{name: "sniffed text", hdr: nil, body: []string{"hello </body>"}, noCall: true},
		{name: "sniffed, encoded", hdr: []string{"Content-Encoding", "gzip"}, body: []string{"<html><body></body>"}, noCall: true},
		{name: "no widget for this request", hdr: htmlType, noWidgt: true},
		{name: "invalid widget", hdr: htmlType, widget: &Widget{Params: &Params{Settings: Settings{HistoryMinutes: Ptr(5)}}}},
		{name: "widget without identity", hdr: htmlType, widget: &Widget{}},
		{name: "widget already there", hdr: htmlType, private: true, body: []string{`<html><body>x<script id="zhichiScript" async src="x"></script></body></html>`}},
		{name: "widget after </body>", hdr: htmlType, private: true, body: []string{`<html><body>x</body><script id="zhichiScript"></script></html>`}},
		{name: "widget id split across writes", hdr: htmlType, private: true, body: []string{`<html><body>x<script id="zhichi`, `Script"></script></body></html>`}},
		{name: "widget already there, small writes", hdr: htmlType, private: true, body: splitEvery(`<html><body><script id="zhichiScript" async src="x"></script>`+
			strings.Repeat("<p>text</p>\n", stageSize/10)+"</body></html>", 37)},
		{name: "Sobot's own integration code", hdr: htmlType, private: true, body: []string{`<html><body>x<script>(function (w, d, e, x) {
  w[e] = function () { w.cbk = w.cbk || []; w.cbk.push(arguments); };
  x = d.createElement('script'); x.async = true; x.id = 'zhichiScript';
  x.src = 'https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=abc';
  d.body.appendChild(x);
})(window, document, 'zc');</script></body></html>`}},
		{name: "no </body>", hdr: htmlType, private: true, body: []string{`<tr><td>fragment</td></tr>`}},
		{name: "</body> in a script only", hdr: htmlType, private: true, body: []string{`<p>x<script>var s = "</body>"</script>`}},
		{name: "</body> in a comment only", hdr: htmlType, private: true, body: []string{`<p>x<!-- </body> --><p>y`}},
		{name: "</body> in a textarea only", hdr: htmlType, private: true, body: []string{`<form><textarea></body></textarea></form>`}},
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
			if tt.private {
				want.Result().Header.Add("Cache-Control", "private")
			}
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
		assertEveryCut(t, e, pg, whole)
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

// TestMiddlewareHiddenFirst: a first "</body>" inside a script, a
// comment or a title is not taken; the widget goes before the real one,
// however far it is, and in whatever pieces the page comes.
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
// the wait for a later one: the widget goes before the one held, here
// known to be the place from the page's start, still in the window, and
// goes out before the handler returns.
func TestMiddlewareHoldLimit(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	tail := strings.Repeat("x", holdLimit+1)
	var sawWidget bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<body>a</body>")
		io.WriteString(w, tail)
		// The widget went out before the handler returns: the hold ended.
		sawWidget = strings.Contains(w.(interface{ Unwrap() http.ResponseWriter }).Unwrap().(*httptest.ResponseRecorder).Body.String(), snip)
		io.WriteString(w, "</body>end")
	})
	rec := e.serve(h, get("/"))
	assert.True(t, sawWidget, "widget written once the hold limit passed")
	assert.Equal(t, "<body>a"+snip+"</body>"+tail+"</body>end", rec.Body.String())

	// Up to the limit, the wait goes on, and the later </body> takes it.
	tail = strings.Repeat("x", holdLimit-len("</body>"))
	rec = e.serve(page(0, htmlType, "<body>a</body>", tail, "</body>end"), get("/"))
	assert.Equal(t, "<body>a</body>"+tail+snip+"</body>end", rec.Body.String())
}

// TestMiddlewareHoldLimitBigPage: in a page whose start is no longer
// kept, more than holdLimit bytes after a "</body>" end the wait: the
// bytes held go out, and the wait goes on from the last "</body" among
// them, which gets the widget when the page ends.
func TestMiddlewareHoldLimitBigPage(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	head := bigPage(40<<10, "</main>")
	filler := strings.Repeat("<p>after</p>", holdLimit/12+1)
	pg := head + "</body>" + filler + "</body></html>"
	got := e.serve(page(0, htmlType, head, "</body>"+filler[:100], filler[100:]+"</body></html>"), get("/")).Body.String()
	assert.True(t, got == withWidget(pg, snip), "the widget before the last </body>: at %d", strings.Index(got, widgetID))

	// Two held when the limit passes: the wait goes on from the second,
	// fewer than holdLimit bytes before the page's end.
	between := "</body>" + strings.Repeat("<p>a</p>", 60) + "</body>"
	filler = strings.Repeat("x", holdLimit-200)
	pg = head + between + filler + "</html>"
	got = e.serve(page(0, htmlType, head, between, filler+"</html>"), get("/")).Body.String()
	assert.True(t, got == withWidget(pg, snip), "the widget before the second </body>: at %d", strings.Index(got, widgetID))

	// One "</body>" only, then more than holdLimit bytes of text: it is let
	// go, and no other comes.
	text := strings.Repeat("x", holdLimit+1)
	pg = head + "</body>" + text
	got = e.serve(page(0, htmlType, head, "</body>", text), get("/")).Body.String()
	assert.True(t, got == pg, "no widget: at %d", strings.Index(got, widgetID))
}

// TestMiddlewareFlushHiddenBigPage: in a page whose start is no longer
// kept, a flush sends a held "</body>" that no reading takes as an end tag
// (it is in a script), and the widget still goes before the real one.
func TestMiddlewareFlushHiddenBigPage(t *testing.T) {
	e := newMWEnv(t)
	head := bigPage(40<<10, `</main><script>s="</body>"</script>`)
	flushed, body := e.flushBetween(t, head, "</body></html>")
	assert.True(t, flushed == head, "the script's </body> went out with the flush")
	assert.True(t, body == head+e.snippet(t, "")+"</body></html>")
}

// bigPage returns a page of about n bytes, in which the last bytes before
// "</body>" are end, markup with tags (so the window before it has a ">").
func bigPage(n int, end string) string {
	return strings.TrimSuffix(string(benchPage(n)), "</body>\n</html>\n") + end
}

// TestMiddlewareBigPage: a page whose start is far before its </body>
// gets the widget before its last </body> end tag, written at once or in
// pieces, with text, scripts and comments after it, and a "</body>" in a
// script or comment near it; a page written whole gets it when the
// </body> comes among the last searchTail bytes.
func TestMiddlewareBigPage(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	rows5K := strings.Repeat(`<p class="row">row</p>`, 5<<10/22)
	const near = `<script>var s = "</body>"; if (a < b) {}</script><!-- </body> -->`
	for _, tc := range []struct{ name, end, want string }{
		{"plain", "</main></body>\n</html>\n", "</main>" + snip + "</body>\n</html>\n"},
		{"comment after", "</main></body></html>\n<!-- generated in 3 ms -->\n", "</main>" + snip + "</body></html>\n<!-- generated in 3 ms -->\n"},
		{"script before", "<script>if (a < b) { c() }</script></body></html>", "<script>if (a < b) { c() }</script>" + snip + "</body></html>"},
		{"</body> in a script and a comment", "</main>" + near + "</body></html>", "</main>" + near + snip + "</body></html>"},
		{"</body> in a script after it", "<script>x()</script></main></body><script>d.write(\"</body>\")</script></html>", "<script>x()</script></main>" + snip + "</body><script>d.write(\"</body>\")</script></html>"},
		{"upper case", "</main></BODY></HTML>", "</main>" + snip + "</BODY></HTML>"},
		// The script's end tag is beyond the last htmlscan.Window bytes:
		// the wider window settles it.
		{"script after it, one ending 5 KB before", "<script>x()</script>" + rows5K + "</main></body><script>d.write(\"</body>\")</script></html>",
			"<script>x()</script>" + rows5K + "</main>" + snip + "</body><script>d.write(\"</body>\")</script></html>"},
		{"far after", "</main></body>" + strings.Repeat("<p>after</p>", 300), "</main>" + snip + "</body>" + strings.Repeat("<p>after</p>", 300)},
	} {
		pg := bigPage(100<<10, tc.end)
		want := pg[:len(pg)-len(tc.end)] + tc.want
		for _, pieces := range [][]string{{pg}, splitEvery(pg, 32<<10), splitEvery(pg, 1000), splitEvery(pg, 37)} {
			got := e.serve(page(0, htmlType, pieces...), get("/")).Body.String()
			assert.True(t, got == want, "%s, in pieces of %d: widget at %d, want %d", tc.name, len(pieces[0]), strings.Index(got, widgetID), strings.Index(want, widgetID))
		}
	}
}

// TestMiddlewareBigPageLeftAlone: where the bytes before a big page's
// last </body> cannot tell it from text, the page goes out without the
// widget, and the log says why: no tag among them (the page's start may
// have left an element or tag open), or a script after it whose end tag
// may end a script begun before them (and holding the </body>); so does
// a page whose </body> comes before the last searchTail bytes of a large
// write, and one whose only "</body>" is in a script.
func TestMiddlewareBigPageLeftAlone(t *testing.T) {
	var log bytes.Buffer
	c := newTestClient(t, Config{Key: NewKey(mwKey), Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	mw := c.Middleware(func(*http.Request) *Widget { return mwVisitor() })
	h := func(pieces ...string) http.Handler { return mw(page(0, htmlType, pieces...)) }
	text := "<body><p>" + strings.Repeat("plain words ", 4000) + "</body></html>"
	rec := httptest.NewRecorder()
	h(text).ServeHTTP(rec, get("/text"))
	assert.True(t, rec.Body.String() == text, "no tag in the window: left alone")
	script := bigPage(100<<10, "</main></body><script src=\"/a.js\"></script></html>")
	rec = httptest.NewRecorder()
	h(script).ServeHTTP(rec, get("/script"))
	assert.True(t, rec.Body.String() == script, "a script after the </body>, none before: left alone")
	far := "<body>" + strings.Repeat("<p>x</p>", 100) + "</body>" + strings.Repeat("<p>after</p>", 1000)
	rec = httptest.NewRecorder()
	h(far).ServeHTTP(rec, get("/far"))
	assert.True(t, rec.Body.String() == far, "</body> before the last searchTail bytes of one write")
	rec = httptest.NewRecorder()
	h(splitEvery(far, 1000)...).ServeHTTP(rec, get("/far"))
	assert.Contains(t, rec.Body.String(), widgetID, "the same page in smaller writes")
	inScript := bigPage(40<<10, `</main><script>s = "</body>";</script>`)
	rec = httptest.NewRecorder()
	h(inScript).ServeHTTP(rec, get("/in-script"))
	assert.True(t, rec.Body.String() == inScript, "its only </body> in a script")

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	require.Len(t, lines, 4)
	assert.Contains(t, lines[0], "level=WARN")
	assert.Contains(t, lines[0], "could not be told for sure")
	assert.Contains(t, lines[0], "path=/text")
	assert.Contains(t, lines[1], "level=DEBUG", "the second page is logged at debug level")
	assert.Contains(t, lines[1], "path=/script")
	assert.Contains(t, lines[2], "level=DEBUG")
	assert.Contains(t, lines[2], "no </body> among the page's last bytes")
	assert.Contains(t, lines[3], "level=DEBUG")
	assert.Contains(t, lines[3], `the page's last \"</body>\" is text`)
	assert.Contains(t, lines[3], "path=/in-script")
}

// TestMiddlewareBigPageFlush: in a big page, a flush after the </body>
// sends everything before it; the </body> and what follows wait for the
// page's end, which tells the widget's place.
func TestMiddlewareBigPageFlush(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	pg := bigPage(20<<10, "</main></body>")
	flushed, body := e.flushBetween(t, pg, "</html>")
	assert.True(t, flushed == strings.TrimSuffix(pg, "</body>"), "flushed up to the </body>")
	assert.True(t, body == withWidget(pg+"</html>", snip))
}

// TestMiddlewarePendingLimit: an end tag that may be </body> is held only
// up to the limit too.
func TestMiddlewarePendingLimit(t *testing.T) {
	e := newMWEnv(t)
	huge := `<body>a</body x="` + strings.Repeat("y", holdLimit+10) + `">`
	rec := e.serve(page(0, htmlType, huge[:20], huge[20:]), get("/"))
	assert.True(t, rec.Body.String() == huge, "the tag was let go, and no other </body> came")
}

// TestMiddlewareCSP: the widget's form and nonce satisfy every enforced
// policy of the response, and the report-only ones when a form can. In
// the policies, OWN stands for the client's WidgetScriptHash.
func TestMiddlewareCSP(t *testing.T) {
	const (
		snippet = iota // the snippet, with nonce
		hashed         // the hash variant, its script with nonce
		blocked        // nothing inserted
	)
	tests := []struct {
		name      string
		csp       []string // header pairs
		own       string   // Widget.Nonce
		callbacks bool     // the Widget has a callback
		form      int
		nonce     string
	}{
		{name: "script-src nonce", csp: []string{headerCSP, "script-src 'nonce-abc123' https://www.sobot.com"}, nonce: "abc123"},
		{name: "default-src nonce", csp: []string{headerCSP, "default-src 'self' 'nonce-Zm9vYmFy'"}, nonce: "Zm9vYmFy"},
		{name: "script-src-elem wins", csp: []string{headerCSP, "script-src 'nonce-aaa'; script-src-elem 'nonce-bbb'"}, nonce: "bbb"},
		{name: "script-src before default-src", csp: []string{headerCSP, "default-src 'nonce-aaa'; script-src 'nonce-bbb'"}, nonce: "bbb"},
		{name: "first directive counts", csp: []string{headerCSP, "script-src 'nonce-aaa'; script-src 'nonce-bbb'"}, nonce: "aaa"},
		{name: "first directive counts, blocking", csp: []string{headerCSP, "script-src 'self'; script-src 'nonce-bbb'"}, form: blocked},
		{name: "case of names and keywords", csp: []string{headerCSP, "Script-Src 'NONCE-aaa'"}, nonce: "aaa"},
		{name: "report-only", csp: []string{headerCSPReportOnly, "script-src 'nonce-ro1'"}, nonce: "ro1"},
		{name: "enforced before report-only", csp: []string{headerCSPReportOnly, "script-src 'nonce-ro1'", headerCSP, "script-src 'nonce-en1'"}, nonce: "en1"},
		{name: "a nonce both list", csp: []string{headerCSPReportOnly, "script-src 'nonce-ro1' 'nonce-both'", headerCSP, "script-src 'nonce-en1' 'nonce-both'"}, nonce: "both"},
		{name: "own nonce listed", csp: []string{headerCSP, "script-src 'nonce-aaa' 'nonce-bbb'"}, own: "bbb", nonce: "bbb"},
		{name: "own nonce not listed", csp: []string{headerCSP, "script-src 'nonce-aaa'"}, own: "zzz", nonce: "aaa"},
		{name: "second policy in a line", csp: []string{headerCSP, "img-src 'self', script-src 'nonce-p2'"}, nonce: "p2"},
		{name: "invalid nonce ignored", csp: []string{headerCSP, "script-src 'nonce-a\"b' 'nonce-ok'"}, nonce: "ok"},
		{name: "no policy", own: "mine", nonce: "mine"},
		{name: "policy without scripts", csp: []string{headerCSP, "img-src 'self'; frame-ancestors 'none'"}, own: "mine", nonce: "mine"},
		{name: "unsafe-inline", csp: []string{headerCSP, "script-src 'unsafe-inline' 'self'"}},
		{name: "report-only without inline", csp: []string{headerCSPReportOnly, "script-src 'self'"}},
		{name: "hash", csp: []string{headerCSP, "script-src OWN https://www.sobot.com"}, form: hashed},
		{name: "hash, strict-dynamic", csp: []string{headerCSP, "script-src 'strict-dynamic' OWN"}, form: hashed},
		{name: "hash in SHA-384", csp: []string{headerCSP, "script-src SHA384"}, form: hashed},
		{name: "hash in base64url", csp: []string{headerCSP, "script-src URL"}, form: hashed},
		{name: "hash with callbacks", csp: []string{headerCSP, "script-src OWN"}, callbacks: true, form: hashed},
		{name: "nonce and hash", csp: []string{headerCSP, "script-src OWN 'nonce-n1'"}, nonce: "n1"},
		{name: "other hashes only", csp: []string{headerCSP, "script-src 'sha256-AAAA' https://www.sobot.com"}, form: blocked},

		// Several policies.
		{name: "enforced self, report-only nonce", csp: []string{headerCSP, "script-src 'self'", headerCSPReportOnly, "script-src 'nonce-ro1'"}, form: blocked},
		{name: "enforced hash, report-only nonce", csp: []string{headerCSP, "script-src OWN https://www.sobot.com", headerCSPReportOnly, "script-src 'nonce-ro1'"}, form: hashed, nonce: "ro1"},
		{name: "enforced nonce, report-only hash", csp: []string{headerCSP, "script-src 'nonce-en1'", headerCSPReportOnly, "script-src OWN"}, form: hashed, nonce: "en1"},
		{name: "enforced nonce, report-only hash, callbacks", csp: []string{headerCSP, "script-src 'nonce-en1'", headerCSPReportOnly, "script-src OWN"}, callbacks: true, nonce: "en1"},
		{name: "enforced nonce and hash", csp: []string{headerCSP, "script-src 'nonce-abc123', script-src OWN"}, form: hashed, nonce: "abc123"},
		{name: "enforced nonce and hash, two lines", csp: []string{headerCSP, "script-src OWN", headerCSP, "default-src 'nonce-abc123'"}, form: hashed, nonce: "abc123"},
		{name: "enforced nonce and hash, callbacks", csp: []string{headerCSP, "script-src 'nonce-abc123', script-src OWN"}, callbacks: true, form: hashed, nonce: "abc123"},
		{name: "two enforced nonces", csp: []string{headerCSP, "script-src 'nonce-abc123', script-src 'nonce-def456'"}, form: blocked},
		{name: "enforced nonce and unsafe-inline", csp: []string{headerCSP, "script-src 'unsafe-inline', script-src 'nonce-abc123'"}, nonce: "abc123"},
		{name: "enforced nonce and other hashes", csp: []string{headerCSP, "script-src 'nonce-abc123', script-src 'sha256-AAAA'"}, form: blocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMWEnv(t)
			e.w.Nonce = tt.own
			if tt.callbacks {
				e.w.OnReady = "shop.ready"
			}
			info := e.c.hashScriptOf()
			url := strings.NewReplacer("+", "-", "/", "_", "=", "").Replace(info.hashes[0])
			csp := slices.Clone(tt.csp)
			for i := 1; i < len(csp); i += 2 {
				csp[i] = strings.NewReplacer("OWN", info.hashes[0], "SHA384", info.hashes[1], "URL", url).Replace(csp[i])
			}
			own := *e.w
			rec := e.serve(page(0, append(htmlType, csp...), mwPage), get("/"))
			body := rec.Body.String()
			assert.Equal(t, own, *e.w, "the Widget of widgetFor is not modified")
			switch tt.form {
			case snippet:
				assert.Equal(t, withWidget(mwPage, e.snippet(t, tt.nonce)), body)
			case hashed:
				assert.Contains(t, body, `<script type="application/json" id="`+hashDataID+`">`)
				open, nonces := "<script>", 0
				if tt.nonce != "" {
					open, nonces = `<script nonce="`+tt.nonce+`">`, 1
				}
				assert.Contains(t, body, "</script>\n"+open+info.script+"</script>\n</body>")
				assert.Equal(t, nonces, strings.Count(body, "nonce="), "the script alone carries the nonce")
			case blocked:
				assert.Equal(t, mwPage, body)
			}
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
	hashCSP := []string{headerCSP, "script-src " + newTestClient(t, Config{}).WidgetScriptHash()}
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
		{name: "policy without inline scripts", csp: []string{headerCSP, "script-src 'self'"}, w: mwVisitor(), log: "no form of the widget can run"},
		{name: "policies without a form in common", csp: []string{headerCSP, "script-src 'nonce-abc', script-src 'nonce-def'"}, w: mwVisitor(),
			log: "script_hash=\"" + newTestClient(t, Config{}).WidgetScriptHash()},
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
	assert.Empty(t, resp.Header.Get("Accept-Ranges"), "a range would be of the page without the widget")
	assert.Equal(t, int64(len(body)), resp.ContentLength, "the server counts the short page")

	resp, body = fetch("GET", "/site.css")
	assert.Equal(t, css, body)
	assert.Equal(t, int64(len(css)), resp.ContentLength)
	assert.NotEmpty(t, resp.Header.Get("Last-Modified"))
	assert.Equal(t, "bytes", resp.Header.Get("Accept-Ranges"))

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
	flushed, body := e.flushBetween(t, head, "</body></html>")
	assert.Equal(t, head, flushed)
	assert.Equal(t, head+e.snippet(t, "")+"</body></html>", body)
}

// flushBetween serves a page that writes first, flushes and writes rest,
// and returns what had gone out at the flush and the whole body.
func (e *mwEnv) flushBetween(t *testing.T, first, rest string) (flushed, body string) {
	t.Helper()
	w := &connWriter{ResponseRecorder: httptest.NewRecorder()}
	e.serveConn(w, htmlType, func(rw http.ResponseWriter) {
		io.WriteString(rw, first)
		require.NoError(t, http.NewResponseController(rw).Flush())
		flushed = w.Body.String()
		io.WriteString(rw, rest)
	})
	return flushed, w.Body.String()
}

// TestMiddlewareInformational: a 1xx (103, and 199, the last) goes out at
// once, and the final status decides.
func TestMiddlewareInformational(t *testing.T) {
	e := newMWEnv(t)
	for _, code := range []int{http.StatusEarlyHints, 199} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", "</style.css>; rel=preload; as=style")
			w.WriteHeader(code)
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, mwPage)
		})
		var got []int
		srv := httptest.NewServer(e.c.Middleware(e.widgetFor)(h))
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req = req.WithContext(traceInformational(req, &got))
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		assert.Equal(t, []int{code}, got)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), string(b), "after %d", code)
	}
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

// TestMiddlewareWritesAfterReturn: what is written through the wrapped
// writer after the handler returned (echo's HTTPErrorHandler writes its
// page so, when the middleware is in echo's Use) reaches the client as it
// is, status included, whether the handler wrote nothing or a page.
func TestMiddlewareWritesAfterReturn(t *testing.T) {
	for _, tc := range []struct {
		name, first, want string
	}{
		{"handler wrote nothing", "", "<html><body>error page</body></html>"},
		{"handler wrote a page", mwPage, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMWEnv(t)
			var late http.ResponseWriter
			h := e.c.Middleware(e.widgetFor)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				late = w
				if tc.first != "" {
					w.Header().Set("Content-Type", "text/html")
					io.WriteString(w, tc.first)
				}
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, get("/"))
			late.Header().Set("Content-Type", "text/html")
			late.WriteHeader(http.StatusInternalServerError)
			io.WriteString(late, "<html><body>error page</body></html>")
			if tc.first == "" {
				assert.Equal(t, http.StatusInternalServerError, rec.Code)
				assert.Equal(t, tc.want, rec.Body.String(), "written as it is, with no widget")
				return
			}
			assert.Equal(t, withWidget(mwPage, e.snippet(t, ""))+"<html><body>error page</body></html>", rec.Body.String())
		})
	}
}

// TestSetPageWidget: the widget a page's handler gives is the page's,
// nil included, instead of widgetFor's, and widgetFor is then not called;
// given late, or without the middleware, it changes nothing and says so.
func TestSetPageWidget(t *testing.T) {
	card := &Widget{Params: &Params{User: User{PartnerID: "u-7"}, Product: ProductCard{Title: "Teapot", URL: "https://shop.example/teapot"}}}
	for _, tc := range []struct {
		name      string
		widgetFor bool // the middleware has e.widgetFor, else nil
		give      bool // the handler calls SetPageWidget before writing
		w         *Widget
		want      string // a wire text the page holds, "" for no widget
		calls     int32
	}{
		{"handler's widget", true, true, card, `"card_title":"Teapot"`, 0},
		{"handler's nil", true, true, nil, "", 0},
		{"widgetFor's", true, false, nil, `"partnerid":"u-1001"`, 1},
		{"nil widgetFor, handler's widget", false, true, card, `"card_title":"Teapot"`, 0},
		{"nil widgetFor, nothing given", false, false, nil, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMWEnv(t)
			var in bool
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.give {
					in = SetPageWidget(r.Context(), tc.w)
				}
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, mwPage)
				assert.False(t, SetPageWidget(r.Context(), card), "too late once the page is written")
			})
			wf := e.widgetFor
			if !tc.widgetFor {
				wf = nil
			}
			rec := httptest.NewRecorder()
			e.c.Middleware(wf)(h).ServeHTTP(rec, get("/"))
			assert.Equal(t, tc.give, in, "in time")
			assert.Equal(t, tc.calls, e.calls.Load(), "widgetFor calls")
			if tc.want == "" {
				assert.Equal(t, mwPage, rec.Body.String())
				return
			}
			assert.Contains(t, rec.Body.String(), tc.want)
			assert.Equal(t, 1, strings.Count(rec.Body.String(), widgetID))
		})
	}
	assert.False(t, SetPageWidget(context.Background(), card), "no middleware")
}

// TestMiddlewareTwice: a handler wrapped twice (a site-wide and a route's
// middleware) gets one widget, in either rendering.
func TestMiddlewareTwice(t *testing.T) {
	for _, csp := range [][]string{nil, {headerCSP, "script-src 'nonce-abc'"}, {headerCSP, "script-src " + newTestClient(t, Config{}).WidgetScriptHash()}} {
		e := newMWEnv(t)
		mw := e.c.Middleware(e.widgetFor)
		rec := httptest.NewRecorder()
		mw(mw(page(0, append(htmlType, csp...), mwPage))).ServeHTTP(rec, get("/"))
		assert.Equal(t, 1, strings.Count(rec.Body.String(), widgetID), "policy %q:\n%s", csp, rec.Body.String())
	}
}

// TestContainsWidgetID: the loader's id counts as an id, in markup or
// script, not as a word in text.
func TestContainsWidgetID(t *testing.T) {
	for p, want := range map[string]bool{
		`<script id="zhichiScript" async>`: true,
		`<script ID='zhichiScript'>`:       true,
		`<script id=zhichiScript>`:         true,
		`<script id=zhichiScript src=x>`:   true,
		`<script id = "zhichiScript">`:     true,
		"<script\nid\n=\n'zhichiScript'>":  true,
		`x.id = 'zhichiScript';`:           true,
		`l.id="zhichiScript";`:             true,
		`x.id="zhichiScript"`:              true,
		`id="zhichiScript"`:                true,
		strings.Repeat("zhiCustomBtn S ", 10) + `<script id="zhichiScript"></script>`: true,

		"":                                     false,
		"zhichiScript":                         false,
		"Search results for: zhichiScript":     false,
		"<p>zhichiScript</p>":                  false,
		`<script id="zhichiScripts">`:          false,
		`<script id="xzhichiScript">`:          false,
		`<script id="zhichiScript'>`:           false,
		`<script id=zhichiScript`:              false, // the end of the value is not known yet
		`<a data-id="zhichiScript">`:           false,
		`<a valid="zhichiScript">`:             false,
		`<a title="zhichiScript">`:             false,
		`<p>id: "zhichiScript"</p>`:            false,
		`<p>id=&#34;zhichiScript&#34;</p>`:     false,
		`x.id = ` + "`zhichiScript`;":          false,
		`id =                  "zhichiScript"`: false, // farther than idContext
	} {
		assert.Equal(t, want, containsWidgetID([]byte(p), true), "%q", p)
	}
	// The byte before "id": a name's byte makes another name (aid, data-id,
	// $id), anything else leaves "id" a name of its own. The ends of each
	// range of name bytes, and the bytes next to them.
	for _, c := range "azAZ09-_$" {
		assert.False(t, containsWidgetID([]byte(`<p `+string(c)+`id="zhichiScript">`), true), "%q before id", c)
	}
	for _, c := range "`{@[/:" {
		assert.True(t, containsWidgetID([]byte(`<p `+string(c)+`id="zhichiScript">`), true), "%q before id", c)
	}
	// White space around "=" up to idContext bytes from "id" to the id, and
	// no more: quoted, the quote is one of them.
	for a := range 15 {
		for _, q := range []string{`"`, ""} {
			fits := idContext - len("id=") - len(q) // spaces that fit
			for b := max(0, fits-a); b <= max(0, fits-a)+1; b++ {
				v := "<p id" + strings.Repeat(" ", a) + "=" + strings.Repeat(" ", b) + q + "zhichiScript" + q + ">"
				assert.Equal(t, a+b <= fits, containsWidgetID([]byte(v), true), "%q", v)
			}
		}
	}
	// Bytes that do not start the page: what is before "id" is not known.
	assert.False(t, containsWidgetID([]byte(`id="zhichiScript"`), false))
	assert.True(t, containsWidgetID([]byte(` id="zhichiScript"`), false))
}

// TestMiddlewareWidgetIDInText: the loader's id as text in a page (a
// visitor's comment, a search) does not keep the widget out; as an id,
// found across writes, it does.
func TestMiddlewareWidgetIDInText(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	text := "<html><body><h1>Search results for: zhichiScript</h1><p>zhichiScript?</p></body></html>"
	assert.Equal(t, withWidget(text, snip), e.serve(page(0, htmlType, text), get("/")).Body.String())

	own := `<html><body><p>x</p><script id = "zhichiScript" src="/chat.js"></script></body></html>`
	assertEveryCut(t, e, own, own)

	// A flush cuts the page where the bytes kept from the first part
	// start at "id" of data-id: what came before it still counts.
	first, rest := `<html><body><p data-id="zhichiScript">0123456789`, "</p></body></html>"
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, first)
		http.NewResponseController(w).Flush()
		io.WriteString(w, rest)
	})
	assert.Equal(t, withWidget(first+rest, snip), e.serve(h, get("/")).Body.String())
}

// TestMiddlewareScriptsBeforeBody: a "</body>" in a head script is text
// of the script, whatever the script holds after it ("<!--", "<") and
// however long it is; the widget goes before the page's real </body>, or
// nowhere when the only "</body>" is in a script.
func TestMiddlewareScriptsBeforeBody(t *testing.T) {
	e := newMWEnv(t)
	snip := e.snippet(t, "")
	popup := `<head><script>function show(w,html){w.document.write('<html><body>'+html+'</body></html>')}` +
		`function isComment(s){return s.indexOf('<!--')===0}</script></head>`
	tpl := `<head><script>var tpl='<body></body>';for(var i=0;i<n;i++){f(i)}</script></head>`
	long := `<head><script>var s="<html><body></body></html>";` + strings.Repeat("var x = 1;\n", 3500) + `</script></head>`
	body := "<body><h1>Shop</h1>"
	tests := []struct {
		name   string
		pieces []string // "flush" flushes
		want   string
	}{
		{"document.write and <!-- in a script", []string{popup + body + "</body></html>"}, popup + body + snip + "</body></html>"},
		{"template in a script, flushed early", []string{tpl, "flush", body + "</body></html>"}, tpl + body + snip + "</body></html>"},
		{"template in a script, flushed early, tag by tag", append(strings.SplitAfter(tpl, ">"), "flush", body, "</body></html>"), tpl + body + snip + "</body></html>"},
		{"long head script", []string{long + body + "</body></html>"}, long + body + snip + "</body></html>"},
		{"long head script in small writes", strings.SplitAfter(long+body+"</body></html>", "\n"), long + body + snip + "</body></html>"},
		{"fragment with </body> in a script", []string{`<div><script>var a="</body>"; if (a<b) {x()}</script></div>`}, `<div><script>var a="</body>"; if (a<b) {x()}</script></div>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				for _, s := range tt.pieces {
					if s == "flush" {
						http.NewResponseController(w).Flush()
						continue
					}
					io.WriteString(w, s)
				}
			})
			got := e.serve(h, get("/")).Body.String()
			assert.True(t, got == tt.want, "widget at %d, want %d", strings.Index(got, widgetID), strings.Index(tt.want, widgetID))
		})
	}
}

// TestMiddlewareCacheControl: a page gets the widget when no shared cache
// keeps it: marked private (then its caching headers are the handler's),
// or saying nothing of freshness (then Cache-Control: private is added,
// so that no cache keeps it by heuristic).
func TestMiddlewareCacheControl(t *testing.T) {
	tests := []struct {
		name string
		hdr  []string
		want []string // the Cache-Control lines sent
	}{
		{name: "none", want: []string{"private"}},
		{name: "private", hdr: []string{"Cache-Control", "private"}, want: []string{"private"}},
		{name: "private with max-age", hdr: []string{"Cache-Control", "private, max-age=600"}, want: []string{"private, max-age=600"}},
		{name: "no-store", hdr: []string{"Cache-Control", "no-store"}, want: []string{"no-store"}},
		{name: "no-store, upper case, second line", hdr: []string{"Cache-Control", "max-age=60", "Cache-Control", "NO-STORE"}, want: []string{"max-age=60", "NO-STORE"}},
		{name: "no-cache", hdr: []string{"Cache-Control", "no-cache"}, want: []string{"no-cache", "private"}},
		{name: "max-age=0", hdr: []string{"Cache-Control", "max-age=0, must-revalidate"}, want: []string{"max-age=0, must-revalidate", "private"}},
		{name: "Expires in the past", hdr: []string{"Expires", "Thu, 01 Jan 1970 00:00:00 GMT"}, want: []string{"private"}},
		{name: "Expires 0", hdr: []string{"Expires", "0"}, want: []string{"private"}},
		{name: "CDN-Cache-Control no-store", hdr: []string{"CDN-Cache-Control", "no-store"}, want: []string{"private"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMWEnv(t)
			rec := e.serve(page(0, append(htmlType, tt.hdr...), mwPage), get("/"))
			assert.Equal(t, withWidget(mwPage, e.snippet(t, "")), rec.Body.String())
			assert.Equal(t, tt.want, rec.Result().Header.Values("Cache-Control"))
		})
	}
}

// TestMiddlewareSharedCacheLog: a page left alone for a shared cache is
// logged, as a warning the first time.
func TestMiddlewareSharedCacheLog(t *testing.T) {
	var log bytes.Buffer
	c := newTestClient(t, Config{Key: NewKey(mwKey), Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	h := c.Middleware(func(*http.Request) *Widget { return mwVisitor() })(page(0, append(htmlType, "Cache-Control", "max-age=600"), mwPage))
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), get("/shop"))
	}
	h = c.Middleware(func(*http.Request) *Widget { return mwVisitor() })(page(0, []string{"Content-Type", "text/css", "Cache-Control", "max-age=600"}, "a{}"))
	h.ServeHTTP(httptest.NewRecorder(), get("/site.css"))
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	require.Len(t, lines, 3, "a line per page, none for the stylesheet")
	assert.Contains(t, lines[0], "level=WARN")
	assert.Contains(t, lines[0], "a shared cache may keep the page")
	assert.Contains(t, lines[0], "path=/shop")
	for _, l := range lines[1:] {
		assert.Contains(t, l, "level=DEBUG")
	}
}

// TestMiddlewareCompressedLog: a page compressed inside the middleware
// (a compression middleware that sets Content-Encoding before the handler
// runs) gets no widget, and a debug record says how to order them.
func TestMiddlewareCompressedLog(t *testing.T) {
	var log bytes.Buffer
	c := newTestClient(t, Config{Key: NewKey(mwKey), Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	gzipInside := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Add("Vary", "Accept-Encoding")
			next.ServeHTTP(w, r) // a real one would wrap w in a gzip.Writer
		})
	}
	h := c.Middleware(func(*http.Request) *Widget { return mwVisitor() })(gzipInside(page(0, htmlType, mwPage)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get("/shop"))
	assert.Equal(t, mwPage, rec.Body.String())
	assert.Contains(t, log.String(), "level=DEBUG")
	assert.Contains(t, log.String(), "wrap Sobot's middleware inside it")
	assert.Contains(t, log.String(), "content_encoding=gzip")
}

// assertEveryCut serves pg written in two pieces, cut at every byte, and
// byte by byte, and checks each response is want.
func assertEveryCut(t *testing.T, e *mwEnv, pg, want string) {
	t.Helper()
	for cut := 1; cut < len(pg); cut++ {
		got := e.serve(page(0, htmlType, pg[:cut], pg[cut:]), get("/")).Body.String()
		if !assert.Equal(t, want, got, "split at %d", cut) {
			break
		}
	}
	got := e.serve(page(0, htmlType, strings.Split(pg, "")...), get("/")).Body.String()
	assert.Equal(t, want, got, "byte by byte")
}

// brokenWriter is a ResponseWriter whose first write fails (the ones after
// it succeed, so that an error dropped on the way is not made up for by a
// later one).
type brokenWriter struct {
	h      http.Header
	failed bool
}

// errBroken is brokenWriter's write error.
var errBroken = errors.New("broken pipe")

func (b *brokenWriter) Header() http.Header { return b.h }
func (b *brokenWriter) WriteHeader(int)     {}
func (b *brokenWriter) Write(p []byte) (int, error) {
	if !b.failed {
		b.failed = true
		return 0, errBroken
	}
	return len(p), nil
}

// TestMiddlewareWriteErrorsOnWrite: a write the connection refuses
// reaches the handler's Write, on every path a page's bytes take out: the
// end of sniffing a page without Content-Type, a full block of small
// writes, the bytes held after a </body> when no other comes. (Flushes and
// hijacks: TestMiddlewareWriteErrors.)
func TestMiddlewareWriteErrorsOnWrite(t *testing.T) {
	e := newMWEnv(t)
	big := strings.Repeat("<p>text</p>\n", 2*holdLimit/12)
	for name, tc := range map[string]struct {
		hdr    []string
		pieces []string
	}{
		"sniffed":       {pieces: []string{"<html><body>" + strings.Repeat("x", sniffLen)}},
		"small writes":  {hdr: htmlType, pieces: splitEvery("<html><body>"+strings.Repeat("<p>x</p>", stageSize/8+1), 64)},
		"held too long": {hdr: htmlType, pieces: []string{"<html><body>x</body>" + big}},
	} {
		var errs []error
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i+1 < len(tc.hdr); i += 2 {
				w.Header().Set(tc.hdr[i], tc.hdr[i+1])
			}
			for _, p := range tc.pieces {
				if _, err := io.WriteString(w, p); err != nil {
					errs = append(errs, err)
				}
			}
		})
		e.c.Middleware(e.widgetFor)(h).ServeHTTP(&brokenWriter{h: http.Header{}}, get("/"))
		assert.Contains(t, errs, errBroken, name)
	}
}
