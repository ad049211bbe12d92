package sobot

import (
	"bufio"
	"bytes"
	"io"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/sobotgo/sobot/internal/htmlscan"
)

// Middleware returns net/http middleware that puts the widget into the
// HTML pages of the handler it wraps, right before the page's last
// </body>. One line sets it up for a whole site:
//
//	handler = client.Middleware(func(r *http.Request) *sobot.Widget {
//		user, ok := session.User(r)
//		if !ok {
//			return nil // no widget for visitors who are not logged in
//		}
//		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}}}
//	})(handler)
//
// It has the func(http.Handler) http.Handler shape, so it wraps an
// http.ServeMux as above, goes into chi's and gorilla/mux's Use as it is,
// and into echo through echo.WrapMiddleware.
//
// widgetFor gives the widget of the page being served (the visitor's
// identity, the page's cards, hooks); nil means no widget on this page
// (visitors not logged in, admin pages, excluded paths). It is called once
// per response that could take the widget, when the handler starts the
// response, and only then: not for HEAD requests, redirects, images or
// other responses left alone. The Widget it returns is not modified; it may
// be shared.
//
// The widget is rendered as Client.WidgetForPage renders it: a visitor's
// invalid data never turns a working page into an error page; the
// parameters involved are left out, or the whole widget when the visitor's
// identity cannot be signed, and every problem goes to Config.Logger.
//
// # What is left alone
//
// The response passes through unchanged, and widgetFor is not called, for:
//
//   - HEAD requests, and requests a browser makes for something other
//     than a page (a Sec-Fetch-Dest other than document: frames, fetch,
//     XMLHttpRequest, htmx);
//   - status codes without a page to show: 1xx, 204, 205, 206 and 3xx
//     (304 and redirects); other 2xx and error pages (4xx, 5xx) get the
//     widget;
//   - a Content-Type other than text/html (XHTML included: the snippet is
//     HTML); without a Content-Type, the body's first 512 bytes are sniffed
//     as the server would, and a page sniffed as text/html is served with
//     that Content-Type;
//   - a Content-Encoding other than identity (a compressed body cannot be
//     edited; put compression outside this middleware), a Content-Range,
//     and downloads (Content-Disposition: attachment);
//   - pages a shared cache may keep (Cache-Control public or s-maxage):
//     the widget holds the visitor's identity;
//   - pages that already have a widget: anything holding the text
//     zhichiScript, the id of the loader element, which RenderWidget, the
//     sobotWidget template function, this middleware (both forms) and
//     Sobot's own integration code all carry;
//   - pages without a </body> end tag, such as the HTML fragments of htmx
//     or Turbo: nothing is appended;
//   - pages whose Content-Security-Policy allows no inline script (no
//     nonce, no hash, no 'unsafe-inline'): the widget could not run, so
//     nothing is inserted, and a warning goes to Config.Logger.
//
// When the widget is inserted, the response changes only as the insertion
// needs: the widget's bytes, and the headers that described the page
// without it, Content-Length (the server then sends the new length for a
// short page, or chunks), ETag and Last-Modified (so a browser does not
// revalidate one visitor's page into another's session). The status and
// every other header and byte are the handler's.
//
// # The last </body>
//
// The page streams through: bytes go out as the handler writes them
// (small writes gathered into 4 KiB blocks, as the server gathers them
// anyway), and memory does not grow with the page. The widget goes before
// the page's last </body> end tag, in any case of letters, with white space,
// "/" or attributes before its ">".
//
// The first "</body" is found as text, at nearly the speed of copying the
// page. From there on the page is read as the HTML standard's tokenizer
// reads it: a later "</body>" inside a comment, a script, a style, a
// textarea or title, another raw text element or an attribute value does
// not count, and a </body> followed by the end of an element it was inside
// (an orphan </script>, </style>, </textarea>, </title> or "-->") is
// dropped. So a script in the head that writes "</body>" does not draw the
// widget into itself, and a fragment whose only "</body>" is inside a
// script gets no widget. Not handled: a first "</body>" inside an attribute
// value (html/template escapes "<" in attribute values, so only a
// template's own text can hold one) with no real </body> after it; <svg>
// and <math> content, read like HTML; a </body> inside a <template>.
//
// As a later </body> may follow, the bytes from a </body> on are held back
// until the next one or the end of the response. The hold is bounded: when
// more than 16 KiB follow a </body>, and when the handler flushes, the
// widget goes before the </body> held and the rest passes through. Only a
// possible start of a </body> ("</bo" at the end of a write) stays held
// through a flush.
//
// # Content-Security-Policy
//
// The handler's Content-Security-Policy and
// Content-Security-Policy-Report-Only headers, as set when it starts the
// response, decide how the widget's scripts are allowed:
//
//   - with a nonce for scripts (in script-src-elem, else script-src, else
//     default-src), the widget's script elements carry it: Widget.Nonce if
//     the policy lists it, else the policy's first nonce, so a handler
//     behind a CSP middleware needs nothing more;
//   - with hashes and no nonce, the hash variant is inserted: the
//     visitor's data in a <script type="application/json"> block, which no
//     policy governs, read by a script that is the same for every page and
//     visitor of the client, whose hash is Client.WidgetScriptHash; add it
//     to script-src once. Callbacks are not rendered in this form (see
//     WidgetScriptHash);
//   - without a policy on scripts, the widget is inserted as Widget asks,
//     with Widget.Nonce if set (for a policy in a <meta> element, which
//     the middleware cannot see).
//
// The policy must also allow the client's Origin for the loader, the chat
// frame and its requests (see Client.RenderWidget).
//
// The wrapped ResponseWriter keeps Flush, Hijack, ReadFrom (sendfile for
// files left alone) and, through Unwrap, every http.ResponseController
// method.
//
// Middleware panics if the client was not made by NewClient or widgetFor
// is nil, as http.Handle does for a nil handler: both are set-up mistakes.
func (c *Client) Middleware(widgetFor func(r *http.Request) *Widget) func(http.Handler) http.Handler {
	if c == nil || c.sysField.name == "" {
		panic("sobot: Middleware: " + ErrZeroClient.Error())
	}
	if widgetFor == nil {
		panic("sobot: Middleware: widgetFor is nil; return a nil *Widget from it for pages without the widget")
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("sobot: Middleware: nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !pageRequest(r) {
				next.ServeHTTP(w, r)
				return
			}
			iw := &insertWriter{w: w, r: r, c: c, widgetFor: widgetFor, sc: htmlscan.NewScanner()}
			next.ServeHTTP(iw, r)
			// Not deferred: after a panic the response is cut short, and
			// no widget belongs at its end.
			iw.finish()
		})
	}
}

// pageRequest reports whether r may be for a page that takes the widget:
// not HEAD, and, when the browser says what the response is for, a
// document.
func pageRequest(r *http.Request) bool {
	if r.Method == http.MethodHead {
		return false
	}
	dest := r.Header.Get("Sec-Fetch-Dest")
	return dest == "" || dest == "document"
}

// holdLimit bounds the bytes held back after a </body>; see Middleware.
const holdLimit = 16 << 10

// sniffLen is how much of a body without Content-Type is read before
// deciding, as net/http's server sniffs it (http.DetectContentType reads
// as much).
const sniffLen = 512

// writerState is what an insertWriter does with the bytes it is given.
type writerState uint8

const (
	// stateUndecided: nothing written yet.
	stateUndecided writerState = iota
	// stateSniffing: the response has no Content-Type; its first bytes
	// are gathered to sniff one, the header not written yet.
	stateSniffing
	// stateRewrite: the widget is to be inserted; bytes are scanned and
	// the last </body> onwards is held.
	stateRewrite
	// statePass: bytes go straight through.
	statePass
)

// insertWriter is the ResponseWriter the wrapped handler writes to.
type insertWriter struct {
	w         http.ResponseWriter
	r         *http.Request
	c         *Client
	widgetFor func(*http.Request) *Widget

	state    writerState
	status   int
	explicit bool // the handler called WriteHeader

	// stateSniffing: the header as the handler had it when it started the
	// response (later changes have no effect, as with the server), and
	// the body so far.
	header http.Header
	sniff  *[]byte

	// stateRewrite: the HTML to insert; the page's offset; whether the
	// scanner reads it (from the first "</body" on) or it is searched as
	// text; the bytes held back, the page from offset holdFrom to off
	// (everything before holdFrom is written); and the last bytes of the
	// page, to find the widget's id across writes.
	insert   string
	stage    *[]byte
	off      int64
	exact    bool
	sc       htmlscan.Scanner
	hold     *[]byte
	holdFrom int64
	tail     [len(widgetID) - 1]byte
	tailLen  int
}

// widgetID is the id of the widget's loader element. The snippet, the hash
// variant's script and Sobot's own integration code all carry it, so a
// page that holds it has a widget already.
const widgetID = "zhichiScript"

// widgetIDBytes is widgetID, to search for.
var widgetIDBytes = []byte(widgetID)

// containsWidgetID reports whether p holds widgetID. It looks for its
// capital S, rare in HTML, where bytes.Contains would stop at every z of
// the zhiCustomBtn class that shops put on their chat buttons.
func containsWidgetID(p []byte) bool {
	const s = len("zhichi") // the S's index in widgetID
	for i := s; i+len(widgetID)-s <= len(p); i++ {
		j := bytes.IndexByte(p[i:len(p)-(len(widgetID)-s-1)], 'S')
		if j < 0 {
			return false
		}
		if i += j; string(p[i-s:i-s+len(widgetID)]) == widgetID {
			return true
		}
	}
	return false
}

// bufs recycles sniff and hold buffers.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// putBuf returns b to bufs unless it grew past the hold limit.
func putBuf(b *[]byte) {
	if b != nil && cap(*b) <= 2*holdLimit {
		*b = (*b)[:0]
		bufs.Put(b)
	}
}

// Header returns the response's header map, the wrapped writer's.
func (iw *insertWriter) Header() http.Header { return iw.w.Header() }

// Unwrap returns the wrapped ResponseWriter, for http.ResponseController.
func (iw *insertWriter) Unwrap() http.ResponseWriter { return iw.w }

// WriteHeader starts the response with status code.
func (iw *insertWriter) WriteHeader(code int) {
	if iw.state == stateSniffing {
		return // the header is not written yet; the server would ignore a second status too
	}
	if iw.state != stateUndecided ||
		code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols || // informational: the response goes on
		code < 100 || code > 999 { // invalid: the server's panic says so
		iw.w.WriteHeader(code)
		return
	}
	iw.status, iw.explicit = code, true
	iw.decide()
}

// decide chooses what to do with the response once its status is known.
func (iw *insertWriter) decide() {
	h := iw.w.Header()
	if leaveAlone(iw.status, h) != "" {
		iw.pass()
		return
	}
	if _, typed := h["Content-Type"]; !typed {
		iw.state = stateSniffing
		iw.header = h.Clone()
		iw.sniff = bufs.Get().(*[]byte)
		return
	}
	if !isHTML(h.Get("Content-Type")) {
		iw.pass()
		return
	}
	iw.prepare("")
}

// pass lets the response through unchanged. A status the handler did not
// give is left to the wrapped writer too, which implies 200 at the first
// write (and, for the server, sniffs a missing Content-Type itself).
func (iw *insertWriter) pass() {
	iw.state = statePass
	if iw.explicit {
		iw.w.WriteHeader(iw.status)
	}
}

// prepare renders the widget for the response, and starts rewriting it
// if there is one. sniffed is the Content-Type sniffed from the body, ""
// when the handler set one.
func (iw *insertWriter) prepare(sniffed string) {
	iw.insert = iw.render()
	if iw.insert == "" {
		iw.pass()
		return
	}
	h := iw.w.Header()
	if sniffed != "" {
		h.Set("Content-Type", sniffed)
	}
	h.Del("Content-Length")
	h.Del("Etag")
	h.Del("Last-Modified")
	iw.state = stateRewrite
	iw.w.WriteHeader(iw.status)
}

// render returns the HTML to insert into this response, "" for none.
func (iw *insertWriter) render() string {
	w := iw.widgetFor(iw.r)
	if w == nil {
		return ""
	}
	ctx := iw.r.Context()
	wc := *w
	mode, nonce := scriptPolicy(iw.w.Header(), w.Nonce)
	wc.Nonce = nonce
	switch mode {
	case modeHash:
		return iw.c.hashSnippet(ctx, &wc)
	case modeBlocked:
		iw.c.log.WarnContext(ctx, "sobot: widget not inserted: the page's Content-Security-Policy allows no inline script; add a nonce ('nonce-...') or the client's WidgetScriptHash to script-src",
			"path", iw.r.URL.Path)
		return ""
	}
	return iw.c.WidgetForPage(ctx, &wc).String()
}

// leaveAlone returns why a response with status and header h is left
// alone, "" when it may take the widget. It does not look at the
// Content-Type, which may have to be sniffed.
func leaveAlone(status int, h http.Header) string {
	if status < 200 || status >= 300 && status < 400 || status >= 600 ||
		status == http.StatusNoContent || status == http.StatusResetContent || status == http.StatusPartialContent {
		return "status"
	}
	if h.Get("Content-Range") != "" {
		return "partial content"
	}
	for _, ce := range h.Values("Content-Encoding") {
		if ce = strings.Trim(ce, cspSpace); ce != "" && !strings.EqualFold(ce, "identity") {
			return "encoded"
		}
	}
	for _, cd := range h.Values("Content-Disposition") {
		if kind, _, _ := strings.Cut(cd, ";"); strings.EqualFold(strings.Trim(kind, cspSpace), "attachment") {
			return "download"
		}
	}
	for _, cc := range h.Values("Cache-Control") {
		for d := range strings.SplitSeq(cc, ",") {
			name, _, _ := strings.Cut(d, "=")
			if name = strings.Trim(name, cspSpace); strings.EqualFold(name, "public") || strings.EqualFold(name, "s-maxage") {
				return "shared cache"
			}
		}
	}
	return ""
}

// isHTML reports whether the media type of contentType is text/html.
func isHTML(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.Trim(mt, cspSpace), "text/html")
}

// Write writes p, inserting the widget when its place comes.
func (iw *insertWriter) Write(p []byte) (int, error) {
	if iw.state == stateUndecided {
		iw.status = http.StatusOK
		iw.decide()
	}
	switch iw.state {
	case stateSniffing:
		*iw.sniff = append(*iw.sniff, p...)
		if len(*iw.sniff) < sniffLen {
			return len(p), nil
		}
		if err := iw.endSniff(); err != nil {
			return 0, err
		}
		return len(p), nil
	case stateRewrite:
		if err := iw.stageWrite(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return iw.w.Write(p)
}

// stageSize is the size of the blocks small writes are gathered into
// before they are read: a handler that executes a template straight into
// the response writes a few dozen bytes at a time, and reading each piece
// on its own would cost more than the server's own buffering. The server
// buffers as much before it sends anything, and a flush sends the block.
const stageSize = 4 << 10

// stageWrite gathers p into the current block, and reads the block when
// it is full. A write of a block or more is read at once.
func (iw *insertWriter) stageWrite(p []byte) error {
	if iw.stage == nil || len(*iw.stage) == 0 {
		if len(p) >= stageSize {
			return iw.feed(p)
		}
		if iw.stage == nil {
			iw.stage = bufs.Get().(*[]byte)
		}
	}
	if len(*iw.stage)+len(p) > stageSize {
		if err := iw.unstage(); err != nil || iw.state != stateRewrite {
			if err == nil {
				_, err = iw.w.Write(p)
			}
			return err
		}
		if len(p) >= stageSize {
			return iw.feed(p)
		}
	}
	*iw.stage = append(*iw.stage, p...)
	return nil
}

// unstage reads the block gathered so far.
func (iw *insertWriter) unstage() error {
	if iw.stage == nil || len(*iw.stage) == 0 {
		return nil
	}
	b := *iw.stage
	*iw.stage = b[:0]
	err := iw.feed(b)
	if iw.state != stateRewrite {
		putBuf(iw.stage)
		iw.stage = nil
	}
	return err
}

// endSniff sniffs the Content-Type of the body gathered so far, decides,
// and writes the body on.
func (iw *insertWriter) endSniff() error {
	body := iw.sniff
	iw.sniff = nil
	defer putBuf(body)
	// The header as it was when the handler started the response.
	h := iw.w.Header()
	clear(h)
	maps.Copy(h, iw.header)
	iw.header = nil
	if ct := http.DetectContentType(*body); len(*body) > 0 && isHTML(ct) {
		iw.prepare(ct)
	} else {
		iw.pass() // the server sniffs the same bytes itself
	}
	if len(*body) == 0 {
		return nil
	}
	if iw.state == stateRewrite {
		return iw.feed(*body)
	}
	_, err := iw.w.Write(*body)
	return err
}

// feed reads p, writes what is known to come before the widget's place,
// and holds the rest.
func (iw *insertWriter) feed(p []byte) error {
	if iw.hasWidgetID(p) {
		// The page has a widget of its own.
		iw.state = statePass
		return iw.release(p)
	}
	if iw.exact {
		return iw.scan(p)
	}
	return iw.search(p)
}

// hasWidgetID reports whether widgetID is in p or starts in the bytes
// before it, and keeps p's last bytes for the next call.
func (iw *insertWriter) hasWidgetID(p []byte) bool {
	var edge [2 * (len(widgetID) - 1)]byte
	n := copy(edge[:], iw.tail[:iw.tailLen])
	n += copy(edge[n:], p)
	if bytes.Contains(edge[:n], widgetIDBytes) || containsWidgetID(p) {
		return true
	}
	if len(p) >= len(iw.tail) {
		iw.tailLen = copy(iw.tail[:], p[len(p)-len(iw.tail):])
	} else {
		keep := min(iw.tailLen, len(iw.tail)-len(p))
		copy(iw.tail[:], iw.tail[iw.tailLen-keep:iw.tailLen])
		iw.tailLen = keep + copy(iw.tail[keep:], p)
	}
	return false
}

// search reads p as text, up to the first "</body"; from there on, the
// scanner reads the page. What may be the start of a "</body" at the end
// of p is held until the next write.
func (iw *insertWriter) search(p []byte) error {
	start := iw.off
	iw.off += int64(len(p))
	if iw.hold != nil && len(*iw.hold) > 0 {
		held := *iw.hold
		var probe [2 * len(htmlscan.BodyTag)]byte
		n := copy(probe[:], held)
		n += copy(probe[n:], p)
		at, from := htmlscan.FindBody(probe[:n])
		if at == 0 { // "</body" starts in the held bytes
			return iw.startScan(iw.holdFrom, p)
		}
		if from == 0 && n == len(held)+len(p) { // p is too short to tell
			*iw.hold = append(held, p...)
			return nil
		}
		if err := iw.release(nil); err != nil {
			return err
		}
	}
	at, from := htmlscan.FindBody(p)
	if at >= 0 {
		if err := iw.write(p[:at]); err != nil {
			return err
		}
		iw.holdFrom = start + int64(at)
		return iw.startScan(iw.holdFrom, p[at:])
	}
	if err := iw.write(p[:from]); err != nil {
		return err
	}
	if from < len(p) {
		iw.holdFrom = start + int64(from)
		iw.holdBytes(p[from:])
	}
	return nil
}

// holdBytes appends b to the bytes held.
func (iw *insertWriter) holdBytes(b []byte) {
	if iw.hold == nil {
		iw.hold = bufs.Get().(*[]byte)
	}
	*iw.hold = append(*iw.hold, b...)
}

// startScan starts the scanner at offset at, where the first "</body" of
// the page starts, on the bytes held from there and then p.
func (iw *insertWriter) startScan(at int64, p []byte) error {
	iw.exact = true
	iw.sc = htmlscan.NewScanner()
	iw.sc.Off = at
	if iw.hold != nil {
		iw.sc.Scan(*iw.hold)
	}
	return iw.scan(p)
}

// scan reads p with the scanner, writes what is known to come before the
// widget's place, and holds the rest. It scans at most holdLimit bytes at
// a time, so the bytes held stay under twice that, however much one write
// brings.
func (iw *insertWriter) scan(p []byte) error {
	start := iw.sc.Off // p's offset in the page
	emit := 0          // p[:emit] is written or held; p[emit:i] is scanned and goes out next
	for i := 0; i < len(p); {
		n := min(len(p)-i, holdLimit)
		iw.sc.Scan(p[i : i+n])
		i += n
		keep := iw.sc.Off
		if iw.sc.Cand >= 0 {
			keep = iw.sc.Cand
		} else if iw.sc.Pending >= 0 {
			keep = iw.sc.Pending
		}
		if keep == iw.sc.Off {
			// Nothing to hold: what was held goes out, and p follows.
			if err := iw.release(nil); err != nil {
				return err
			}
			continue
		}
		if iw.hold == nil {
			iw.hold = bufs.Get().(*[]byte)
		}
		hold := *iw.hold // the bytes from holdFrom to p[emit]
		var err error
		if k := int(keep - start); k >= emit {
			err = iw.write(hold, p[emit:k])
			hold = append(hold[:0], p[k:i]...)
		} else {
			h := keep - iw.holdFrom
			err = iw.write(hold[:h])
			hold = append(hold[:copy(hold, hold[h:])], p[emit:i]...)
		}
		*iw.hold, iw.holdFrom, emit = hold, keep, i
		if err != nil {
			return err
		}
		if len(hold) <= holdLimit {
			continue
		}
		if iw.sc.Cand >= 0 && !iw.sc.Hidden {
			// Waited long enough for another </body>.
			if err := iw.commit(); err != nil {
				return err
			}
			_, err := iw.w.Write(p[i:])
			return err
		}
		// A </body> inside an element, or a tag that may be </body> grown
		// past the limit: not taken, and its bytes go out.
		iw.sc.Cand, iw.sc.Pending = -1, -1
		if err := iw.release(nil); err != nil {
			return err
		}
	}
	if emit == len(p) {
		return nil
	}
	_, err := iw.w.Write(p[emit:])
	return err
}

// write writes the pieces in order, stopping at the first error.
func (iw *insertWriter) write(pieces ...[]byte) error {
	for _, b := range pieces {
		if len(b) == 0 {
			continue
		}
		if _, err := iw.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// release writes the held bytes and then p, with no widget, and frees the
// hold buffer.
func (iw *insertWriter) release(p []byte) error {
	var held []byte
	if iw.hold != nil {
		held = *iw.hold
	}
	err := iw.write(held, p)
	putBuf(iw.hold)
	iw.hold = nil
	return err
}

// commit inserts the widget before the last </body> read, writes the held
// bytes, and lets the rest of the response through.
func (iw *insertWriter) commit() error {
	held := *iw.hold
	k := iw.sc.Cand - iw.holdFrom
	err := iw.write(held[:k])
	if err == nil {
		_, err = io.WriteString(iw.w, iw.insert)
	}
	if err == nil {
		err = iw.write(held[k:])
	}
	putBuf(iw.hold)
	iw.hold = nil
	iw.state = statePass
	return err
}

// finish completes the response once the handler has returned.
func (iw *insertWriter) finish() {
	switch iw.state {
	case stateSniffing:
		if iw.endSniff() != nil || iw.state != stateRewrite {
			return
		}
	case stateRewrite:
		if iw.unstage() != nil || iw.state != stateRewrite {
			return
		}
	default:
		return
	}
	putBuf(iw.stage)
	iw.stage = nil
	// Write errors here have nowhere to go: the handler has returned, and
	// the server notices a broken connection itself.
	if iw.placeFound() {
		_ = iw.commit()
		return
	}
	_ = iw.release(nil)
	iw.state = statePass
}

// placeFound reports whether the widget's place is known: a </body> end
// tag is held, and nothing after it showed that it was inside an element.
func (iw *insertWriter) placeFound() bool {
	return iw.exact && iw.sc.Cand >= 0 && !iw.sc.Hidden
}

// FlushError sends what the handler wrote so far: a </body> held back gets
// the widget now. A response not started yet starts with status 200, as
// with the server.
func (iw *insertWriter) FlushError() error {
	if iw.state == stateUndecided {
		iw.status = http.StatusOK
		iw.decide()
	}
	if iw.state == stateSniffing {
		if err := iw.endSniff(); err != nil {
			return err
		}
	}
	if iw.state == stateRewrite {
		if err := iw.unstage(); err != nil {
			return err
		}
	}
	if iw.state == stateRewrite && iw.exact && iw.sc.Cand >= 0 {
		var err error
		if iw.placeFound() {
			err = iw.commit()
		} else {
			iw.sc.Cand = -1
			err = iw.release(nil)
		}
		if err != nil {
			return err
		}
	}
	return http.NewResponseController(iw.w).Flush()
}

// Flush is FlushError for the http.Flusher interface.
func (iw *insertWriter) Flush() { _ = iw.FlushError() }

// Hijack hands the connection over to the handler: bytes held back are
// written first, without the widget, and the rest passes through.
func (iw *insertWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if iw.state == stateSniffing {
		if err := iw.endSniff(); err != nil {
			return nil, nil, err
		}
	}
	if iw.state == stateRewrite {
		// Sniffing may have led here, holding the end of its bytes.
		err := iw.unstage()
		if err == nil {
			err = iw.release(nil)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	conn, rw, err := http.NewResponseController(iw.w).Hijack()
	if err == nil {
		iw.state = statePass
		putBuf(iw.stage)
		iw.stage = nil
	}
	return conn, rw, err
}

// copyBufs recycles ReadFrom's buffers.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// ReadFrom copies src to the response. Once the response is known to pass
// through unchanged, it hands src to the wrapped writer's ReadFrom, which
// can send a file with sendfile.
func (iw *insertWriter) ReadFrom(src io.Reader) (n int64, err error) {
	if iw.state != statePass {
		bp := copyBufs.Get().(*[]byte)
		defer copyBufs.Put(bp)
		for iw.state != statePass {
			m, rerr := src.Read(*bp)
			if m > 0 {
				if _, werr := iw.Write((*bp)[:m]); werr != nil {
					return n, werr
				}
				n += int64(m)
			}
			if rerr == io.EOF {
				return n, nil
			}
			if rerr != nil {
				return n, rerr
			}
		}
	}
	m, err := io.Copy(iw.w, src) // the wrapped writer's ReadFrom, if any
	return n + m, err
}
