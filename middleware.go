package sobot

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
// http.ServeMux as above and goes into chi's and gorilla/mux's Use as it
// is. Wrap an echo server whole (echo.Echo is an http.Handler) rather than
// adding it with echo.WrapMiddleware: echo writes the page of its
// HTTPErrorHandler after the middleware in its Use have returned, and
// that page then passes through without the widget.
//
// widgetFor gives the widget of the page being served (the visitor's
// identity, the page's cards, hooks); nil means no widget on this page
// (visitors not logged in, admin pages, excluded paths). It is called once
// per response that could take the widget, when the handler starts the
// response, and only then: not for HEAD requests, redirects, images or
// other responses left alone. The Widget it returns is not modified; it may
// be shared. A nil widgetFor gives no widget to the pages whose handler
// does not give one with SetPageWidget.
//
// A page's handler knows more than the request does (the product shown,
// the order): it gives its page's widget with SetPageWidget(r.Context(),
// w) before it writes the page, and that widget, or nil for none, is the
// page's instead of widgetFor's.
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
//   - a charset in which ASCII is not written as ASCII, as the widget is:
//     UTF-16 and UTF-32 (Content-Type charset=utf-16 and the like, or a
//     UTF-16 byte order mark, which comes too late to keep the header from
//     changing as for an insertion);
//   - a Content-Encoding other than identity, a Content-Range, and
//     downloads (Content-Disposition: attachment). A compressed body
//     cannot be edited: put compression middleware outside this one
//     (compress(client.Middleware(widgetFor)(handler))). A compression
//     middleware inside it, which sets Content-Encoding before the handler
//     writes, leaves every page without the widget; such pages are logged
//     at debug level;
//   - pages a shared cache may keep, as the widget holds the visitor's
//     identity and sign: a page gets the widget only when Cache-Control
//     has private (for the whole response, not private="field") or
//     no-store, or when it says nothing of freshness (no Cache-Control
//     public, max-age or s-maxage above 0, Expires in the future,
//     CDN-Cache-Control or Surrogate-Control without no-store or private,
//     which CDNs obey before Cache-Control). In the second case the
//     middleware adds Cache-Control: private, so that no cache keeps the
//     page by heuristic. A page left alone for a cache is logged: as a
//     warning the first time for the middleware, at debug level after;
//   - pages that already have a widget: those holding zhichiScript, the
//     id of the loader element, as an id, in markup (id="zhichiScript",
//     id='zhichiScript', id=zhichiScript) or script (x.id =
//     "zhichiScript"), as RenderWidget, the sobotWidget template
//     function, this middleware (both forms) and Sobot's own integration
//     code write it; the word in a page's text (a visitor's comment)
//     does not count;
//   - pages without a </body> end tag, such as the HTML fragments of htmx
//     or Turbo: nothing is appended;
//   - pages whose Content-Security-Policy headers let neither form of the
//     widget run (see below): nothing is inserted, and a warning goes to
//     Config.Logger.
//
// When the widget is inserted, the response changes only as the insertion
// needs: the widget's bytes; the headers that described the page without
// it, Content-Length (the server then sends the new length for a short
// page, or chunks), ETag and Last-Modified (so a browser does not
// revalidate one visitor's page into another's session), Accept-Ranges
// (a range would be of the page without the widget); and
// Cache-Control: private for a page that said nothing of freshness. The
// status and every other header and byte are the handler's. The headers
// go out before the body is read: a page that turns out to have no place
// for the widget (no </body>, a widget of its own) goes out with them
// changed all the same.
//
// # The last </body>
//
// The page streams through: bytes go out as the handler writes them
// (small writes gathered into 4 KiB blocks, as the server gathers them
// anyway), and memory does not grow with the page. The widget goes before
// the page's last </body> end tag, in any case of letters, with white space,
// "/" or attributes before its ">". A "</body>" inside a comment, a script
// (whatever else the script holds: "<!--", "<"), a style, a textarea or
// title, another raw text element or an attribute value is text, not an
// end tag: a script in the head that writes "</body>" does not draw the
// widget into itself, and a fragment whose only "</body>" is inside a
// script gets no widget.
//
// The page is not read whole for that. The last 4 KiB of each write (all
// of a small one) are searched for "</body" as text, at memory speed, and
// the bytes from the first one found are held back. When the page ends, the
// bytes before it (the last 512, then up to 16 KiB, or the whole page if
// it is that short) are read as the HTML standard's tokenizer reads them,
// from every state the page's start could have left the tokenizer in. The
// widget goes in when each reading takes the same held "</body>" as an end
// tag, or is inside a comment there (the widget would be the comment's
// text, and the page unchanged), or leaves an element, comment or tag open
// from before it to the page's end; such a page is broken already, and the
// widget lies inert in it, as the visitor's strings in the widget hold no
// byte that ends a tag, an attribute or a value.
//
// So some pages get no widget:
//
//   - a page whose last </body> comes before the last 4 KiB of the write
//     that brings it (more than 4 KiB of markup after it, written at
//     once): logged at debug level, as for a fragment without </body>;
//   - a page whose bytes before its last </body> cannot tell it from text:
//     no tag among them ("<p>", 20 KB of text, "</body>": an element or tag
//     opened before them may still be open), or a script after the
//     </body> and no script ending in the 16 KiB before it (the script's
//     end tag could end one begun earlier, holding the "</body>"). Logged
//     as a warning the first time for the middleware, at debug level
//     after.
//
// Put the widget into such pages with the template helper (Client.FuncMap's
// sobotWidget) and give them no widget here (SetPageWidget(ctx, nil)).
//
// As a later </body> may follow, the bytes from a "</body" on are held
// back until the response ends. The hold is bounded: when more than 16 KiB
// follow it, the widget goes before it if the page so far tells that it is
// the place (its start is still among the bytes kept), and else the bytes
// held go out, the wait going on from the last "</body" among them. A flush
// sends everything before the first "</body" held; the bytes from it on
// wait for the response's end, unless the page so far tells that the
// widget goes among them (then it goes in) or that none of them is an end
// tag (then they go out). Not handled, as they need the tree builder:
// <svg> and <math> content, read like HTML, and a </body> inside a
// <template>.
//
// # Content-Security-Policy
//
// The handler's Content-Security-Policy and
// Content-Security-Policy-Report-Only headers, as set when it starts the
// response, decide how the widget's scripts are allowed. A policy governs
// them through script-src-elem, else script-src, else default-src. The
// widget comes in one of two forms:
//
//   - the snippet, its script elements carrying a nonce: Widget.Nonce if
//     the policies list it, else one of theirs, so a handler behind a CSP
//     middleware needs nothing more;
//   - the hash variant: the visitor's data in a
//     <script type="application/json"> block, which no policy governs,
//     read by a script that is the same for every page and visitor of the
//     client, whose hash is Client.WidgetScriptHash; add it to script-src
//     once. The script carries a nonce too when a policy needs one.
//     Callbacks are not rendered in this form (see WidgetScriptHash).
//
// Every enforced policy must allow the form inserted (browsers run only
// what all of them allow); the report-only policies only decide what is
// reported, so a form they allow too is preferred: the snippet, then the
// hash variant, then the snippet allowed by the enforced policies alone,
// then the hash variant so; a Widget with callbacks prefers the snippet
// allowed by the enforced policies to the hash variant allowed by all. A
// policy with 'unsafe-inline' and no nonce, hash or 'strict-dynamic'
// allows either form. When no form can run under the enforced policies
// (no nonce they all list, no 'unsafe-inline', no WidgetScriptHash in
// those that hash), nothing is inserted and a warning goes to
// Config.Logger. Without a policy on scripts, the snippet is inserted
// with Widget.Nonce if set (for a policy in a <meta> element, which the
// middleware cannot see).
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
	warned := new(mwWarned)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("sobot: Middleware: nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !pageRequest(r) {
				next.ServeHTTP(w, r)
				return
			}
			iw := &insertWriter{w: w, c: c, widgetFor: widgetFor, warned: warned}
			iw.r = r.WithContext(context.WithValue(r.Context(), pageWidgetKey{}, iw))
			next.ServeHTTP(iw, iw.r)
			// Not deferred: after a panic the response is cut short, and
			// no widget belongs at its end.
			iw.finish()
		})
	}
}

// pageWidgetKey is the context key of the insertWriter of the response a
// request's handler writes, for SetPageWidget.
type pageWidgetKey struct{}

// SetPageWidget gives w as the widget of the page whose request has the
// context ctx, for the Client.Middleware serving it: w, or no widget for a
// nil w, instead of what the middleware's widgetFor gives. The page's
// handler calls it, from its own goroutine, before it writes the page:
// the middleware renders the widget when the response starts. It reports
// whether it was in time: false when no Middleware serves the request, or
// the response has started.
//
//	func product(w http.ResponseWriter, r *http.Request) {
//		p := findProduct(r)
//		sobot.SetPageWidget(r.Context(), &sobot.Widget{Params: &sobot.Params{
//			User:    visitor(r),
//			Product: sobot.ProductCard{Title: p.Name, URL: p.URL, Picture: p.Image},
//		}})
//		tmpl.Execute(w, p)
//	}
func SetPageWidget(ctx context.Context, w *Widget) bool {
	iw, ok := ctx.Value(pageWidgetKey{}).(*insertWriter)
	if !ok || iw.state != stateUndecided {
		return false
	}
	iw.page, iw.pageSet = w, true
	return true
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

// headerGet is h.Get for a key in canonical form, as the keys of a
// response's header are (Header().Set canonicalizes them): read straight
// from the map, as this runs for every response.
func headerGet(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// mwWarned is a middleware's record of the warnings it gave once: later
// ones go at debug level.
type mwWarned struct {
	// shared: a page left alone for a shared cache.
	shared atomic.Bool
	// unsure: a page whose last </body> could not be told for sure.
	unsure atomic.Bool
}

// warnOnce returns the level of a record warned of once: a warning the
// first time (given is then set), debug after.
func warnOnce(given *atomic.Bool) slog.Level {
	if given.CompareAndSwap(false, true) {
		return slog.LevelWarn
	}
	return slog.LevelDebug
}

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
	// page is the widget SetPageWidget gave, if pageSet.
	page    *Widget
	pageSet bool
	warned  *mwWarned

	state    writerState
	status   int
	explicit bool // the handler called WriteHeader

	// stateSniffing: the header as the handler had it when it started the
	// response (later changes have no effect, as with the server), and
	// the body so far.
	header http.Header
	sniff  *[]byte

	// stateRewrite: the HTML to insert; the block being gathered; the
	// bytes of the page read so far (off); buf, the page from bufFrom to
	// off: the window, bytes written that Certify reads, then the bytes
	// held back, from holdFrom (everything before is written); whether
	// the bytes held start with a "</body" (cand), else they may be the
	// start of one; and the last bytes of the page, to find the widget's
	// id across writes.
	insert   string
	stage    *[]byte
	off      int64
	buf      *[]byte
	bufFrom  int64
	holdFrom int64
	cand     bool
	tail     [idContext + len(widgetID)]byte
	tailLen  int
}

// widgetID is the id of the widget's loader element. The snippet, the hash
// variant's script and Sobot's own integration code all give it, in
// markup (id="zhichiScript") or script (x.id = 'zhichiScript'), so a page
// where it is an id has a widget already.
const widgetID = "zhichiScript"

// idContext is how many bytes before widgetID widgetIDAt looks at.
const idContext = 16

// containsWidgetID reports whether p holds widgetID as the loader's id,
// as far as the bytes around it in p tell (see widgetIDAt); start tells
// whether p starts the page. It looks for the id's capital S, rare in
// HTML, where bytes.Index would stop at every z of the zhiCustomBtn class
// that shops put on their chat buttons.
func containsWidgetID(p []byte, start bool) bool {
	const s = len("zhichi") // the S's index in widgetID
	for i := s; i+len(widgetID)-s <= len(p); i++ {
		j := bytes.IndexByte(p[i:len(p)-(len(widgetID)-s-1)], 'S')
		if j < 0 {
			return false
		}
		if i += j; string(p[i-s:i-s+len(widgetID)]) == widgetID && widgetIDAt(p, i-s, start) {
			return true
		}
	}
	return false
}

// widgetIDAt reports whether the widgetID at p[at:] is the value of an
// id: an attribute (id="zhichiScript", id='zhichiScript',
// id=zhichiScript, in any case of letters, with white space around "=")
// or a script's property (x.id = "zhichiScript"), as opposed to the word
// in text, which any visitor can put into a page. It needs the byte after
// the id (the closing quote, or the end of an unquoted value), and looks
// at no more than idContext bytes before it, and the byte before "id"
// (not a letter, digit, "-", "_" or "$": data-id is not id), which p has
// unless start tells that p starts the page.
func widgetIDAt(p []byte, at int, start bool) bool {
	end := at + len(widgetID)
	if end >= len(p) {
		return false
	}
	i := at
	var quote byte
	if i > 0 && (p[i-1] == '"' || p[i-1] == '\'') {
		i--
		quote = p[i]
	}
	switch c := p[end]; {
	case quote != 0 && c != quote,
		quote == 0 && !htmlSpace(c) && c != '>':
		return false
	}
	stop := max(0, at-idContext)
	for i > stop && htmlSpace(p[i-1]) {
		i--
	}
	if i <= stop || p[i-1] != '=' {
		return false
	}
	i-- // the "="
	for i > stop && htmlSpace(p[i-1]) {
		i--
	}
	if i-2 < stop || htmlscan.Lower(p[i-2]) != 'i' || htmlscan.Lower(p[i-1]) != 'd' {
		return false
	}
	if i -= 2; i == 0 {
		return start
	}
	c := p[i-1]
	return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '$')
}

// htmlSpace reports whether c is HTML's white space.
func htmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// bufs recycles sniff and hold buffers.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// putBuf returns b to bufs unless it grew past what a page's window and
// hold take.
func putBuf(b *[]byte) {
	if b != nil && cap(*b) <= 2*holdLimit+2*maxWindow {
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
	if why := leaveAlone(iw.status, h); why != "" {
		iw.logLeftAlone(why, h)
		iw.pass()
		return
	}
	if _, typed := h["Content-Type"]; !typed {
		iw.state = stateSniffing
		iw.header = h.Clone()
		iw.sniff = bufs.Get().(*[]byte)
		return
	}
	if ct := headerGet(h, "Content-Type"); !isHTML(ct) || !asciiCharset(ct) {
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

// logLeftAlone logs why an HTML page is left alone, when the reason may
// surprise: a page a shared cache may keep is logged as a warning the
// first time for this middleware, and at debug level after that; a
// compressed page at debug level, with a hint, as it is most often a
// compression middleware inside this one (a site that serves compressed
// files as they are would get a warning per file).
func (iw *insertWriter) logLeftAlone(why string, h http.Header) {
	if (why != reasonSharedCache && why != reasonEncoded) || !isHTML(h.Get("Content-Type")) {
		return
	}
	if why == reasonEncoded {
		iw.c.log.DebugContext(iw.r.Context(), "sobot: widget not inserted: the page is compressed already (Content-Encoding); if a compression middleware does it, wrap Sobot's middleware inside it, with the compression outermost",
			"path", iw.r.URL.Path, "content_encoding", h.Get("Content-Encoding"))
		return
	}
	iw.c.log.Log(iw.r.Context(), warnOnce(&iw.warned.shared), "sobot: widget not inserted: a shared cache may keep the page (Cache-Control public, max-age, s-maxage, Expires, CDN-Cache-Control or Surrogate-Control), and the widget holds the visitor's identity; send Cache-Control: private on pages that are to get it (later pages are logged at debug level)",
		"path", iw.r.URL.Path)
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
	// The keys in canonical form, deleted from the map straight.
	for _, key := range [...]string{"Content-Length", "Etag", "Last-Modified", "Accept-Ranges"} {
		delete(h, key)
	}
	if cacheRule(h) == cacheNone {
		h["Cache-Control"] = append(h["Cache-Control"], "private")
	}
	iw.state = stateRewrite
	iw.w.WriteHeader(iw.status)
}

// render returns the HTML to insert into this response, "" for none.
func (iw *insertWriter) render() string {
	w := iw.page
	if !iw.pageSet && iw.widgetFor != nil {
		w = iw.widgetFor(iw.r)
	}
	if w == nil {
		return ""
	}
	ctx := iw.r.Context()
	wc := *w
	mode, nonce := scriptPolicy(iw.w.Header(), w.Nonce, w.hasCallbacks(), func() *[3]string { return &iw.c.hashScriptOf().hashes })
	wc.Nonce = nonce
	switch mode {
	case modeHash:
		return iw.c.hashSnippet(ctx, &wc)
	case modeBlocked:
		iw.c.log.WarnContext(ctx, "sobot: widget not inserted: no form of the widget can run under the page's Content-Security-Policy; every enforced policy must allow it: a nonce they all list, 'unsafe-inline' alone, or the client's WidgetScriptHash in script-src",
			"path", iw.r.URL.Path, "script_hash", iw.c.WidgetScriptHash())
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
	if headerGet(h, "Content-Range") != "" {
		return "partial content"
	}
	for _, ce := range h["Content-Encoding"] {
		if ce = strings.Trim(ce, cspSpace); ce != "" && !strings.EqualFold(ce, "identity") {
			return reasonEncoded
		}
	}
	for _, cd := range h["Content-Disposition"] {
		if kind, _, _ := strings.Cut(cd, ";"); strings.EqualFold(strings.Trim(kind, cspSpace), "attachment") {
			return "download"
		}
	}
	if cacheRule(h) == cacheShared {
		return reasonSharedCache
	}
	return ""
}

// leaveAlone's reasons that logLeftAlone logs.
const (
	reasonEncoded     = "encoded"
	reasonSharedCache = "shared cache"
)

// cacheKind is what caches may do with a response, as far as the widget
// is concerned.
type cacheKind uint8

const (
	// cacheNone: the response says nothing about freshness; a cache could
	// still keep it with a heuristic freshness, unless it is marked private.
	cacheNone cacheKind = iota
	// cachePrivate: Cache-Control private or no-store; no shared cache
	// keeps it.
	cachePrivate
	// cacheShared: a shared cache may keep it and serve it to others.
	cacheShared
)

// cacheRule reads h's caching headers (RFC 9111, and RFC 9213's
// CDN-Cache-Control and Surrogate-Control, which CDNs obey in preference
// to Cache-Control):
//
//   - a CDN-Cache-Control or Surrogate-Control without no-store or
//     private: cacheShared, whatever Cache-Control says;
//   - Cache-Control private (without field names, which would make only
//     those fields private) or no-store: cachePrivate;
//   - Cache-Control public, a max-age or s-maxage above 0, or an Expires
//     later than the response's Date (now without one): cacheShared;
//   - anything else, including max-age=0 and an Expires in the past (the
//     response is stale at once): cacheNone.
func cacheRule(h http.Header) cacheKind {
	for _, key := range [...]string{"Cdn-Cache-Control", "Surrogate-Control"} {
		if v := h[key]; len(v) > 0 {
			if private, _ := cacheDirectives(v); !private {
				return cacheShared
			}
		}
	}
	private, fresh := cacheDirectives(h["Cache-Control"])
	switch {
	case private:
		return cachePrivate
	case fresh:
		return cacheShared
	}
	if v := headerGet(h, "Expires"); v != "" {
		exp, err := http.ParseTime(v)
		now, derr := http.ParseTime(headerGet(h, "Date"))
		if derr != nil {
			now = time.Now()
		}
		if err == nil && exp.After(now) {
			return cacheShared
		}
	}
	return cacheNone
}

// cacheDirectives reads the directives of Cache-Control-like header
// lines: private is an unqualified private or a no-store; fresh a public,
// or a max-age or s-maxage above 0.
func cacheDirectives(lines []string) (private, fresh bool) {
	for _, line := range lines {
		for d := range strings.SplitSeq(line, ",") {
			name, arg, hasArg := strings.Cut(d, "=")
			name = strings.ToLower(strings.Trim(name, cspSpace))
			switch name {
			case "no-store":
				private = true
			case "private":
				private = private || !hasArg
			case "public":
				fresh = true
			case "max-age", "s-maxage":
				n, err := strconv.Atoi(strings.Trim(strings.Trim(arg, cspSpace), `"`))
				fresh = fresh || err == nil && n > 0
			}
		}
	}
	return private, fresh
}

// asciiCharset reports whether the charset contentType declares, if any,
// writes ASCII as ASCII, as the widget's bytes are: not UTF-16 or UTF-32
// (by any of their names), where they would turn into other characters.
func asciiCharset(contentType string) bool {
	_, params, _ := strings.Cut(contentType, ";")
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(param, "=")
		if !strings.EqualFold(strings.Trim(name, cspSpace), "charset") {
			continue
		}
		value = strings.ToLower(strings.Trim(strings.Trim(value, cspSpace), `"`))
		switch {
		case strings.HasPrefix(value, "utf-16"), strings.HasPrefix(value, "utf-32"),
			strings.HasPrefix(value, "ucs-"), strings.HasPrefix(value, "iso-10646-ucs-"),
			strings.HasPrefix(value, "unicode"), value == "csunicode":
			return false
		}
	}
	return true
}

// utf16BOM reports whether p starts with a UTF-16 byte order mark, which
// browsers follow before any declared charset.
func utf16BOM(p []byte) bool {
	return len(p) >= 2 && (p[0] == 0xFE && p[1] == 0xFF || p[0] == 0xFF && p[1] == 0xFE)
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
// and holds the rest. A page with a widget of its own, or in UTF-16 after
// all, passes through.
func (iw *insertWriter) feed(p []byte) error {
	if iw.hasWidgetID(p) || iw.off == 0 && utf16BOM(p) {
		iw.state = statePass
		return iw.release(p)
	}
	return iw.scan(p)
}

// hasWidgetID reports whether the loader's id (see containsWidgetID) is
// in the page, with the bytes around it, as far as p and the bytes before
// it tell, and keeps p's last bytes for the next call: an id whose
// context is cut by the end of a write is found with the next one.
func (iw *insertWriter) hasWidgetID(p []byte) bool {
	var edge [2*len(iw.tail) + 1]byte
	n := copy(edge[:], iw.tail[:iw.tailLen])
	n += copy(edge[n:], p)
	before := iw.off // the page's bytes before p
	if containsWidgetID(edge[:n], before == int64(iw.tailLen)) || containsWidgetID(p, before == 0) {
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

// maxWindow is how many bytes before a "</body" held the middleware keeps
// when it can (from the write that brought it, or gathered from small
// writes): Certify reads its last htmlscan.Window bytes first, and all of
// them when those do not tell.
const maxWindow = 16 << 10

// searchTail is how much of the end of each piece the handler writes is
// searched for a "</body": a page's last </body> comes among the last
// bytes it writes, and searching only those keeps a page written in large
// pieces (a buffered template) near the cost of the server's own copying.
// Small writes are gathered into blocks of stageSize, searched whole.
const searchTail = 4 << 10

// scan reads p, writes what is known to come before the widget's place,
// and holds the rest: the bytes from the first "</body" found on, or a
// possible start of one at p's end.
func (iw *insertWriter) scan(p []byte) error {
	if !iw.cand {
		return iw.advance(iw.holdStart(p), p)
	}
	// A "</body" is held: so is everything after it, read at most
	// holdLimit bytes at a time, so that the bytes held stay under twice
	// that, however much one write brings.
	for len(p) > 0 {
		n := min(len(p), holdLimit)
		if err := iw.readHeld(p[:n]); err != nil {
			return err
		}
		p = p[n:]
		switch {
		case iw.state != stateRewrite:
			return iw.write(p) // the widget is in: the rest passes through
		case !iw.cand:
			return iw.scan(p)
		}
	}
	return nil
}

// readHeld holds q, the page's next bytes, after a "</body" held. When
// more than holdLimit bytes follow the "</body", the widget goes in if
// Certify finds its place now; else the wait goes on from the last
// "</body" held, or, if that is the first, the bytes held go out.
func (iw *insertWriter) readHeld(q []byte) error {
	if err := iw.advance(iw.holdFrom, q); err != nil {
		return err
	}
	if iw.off-iw.holdFrom <= holdLimit {
		return nil
	}
	if v := iw.certify(false); v.Kind == htmlscan.Taken {
		return iw.commit(v.Place)
	}
	held := (*iw.buf)[iw.holdFrom-iw.bufFrom:]
	if last := htmlscan.LastBody(held); last > 0 {
		return iw.advance(iw.holdFrom+int64(last), nil)
	}
	return iw.releaseHeld()
}

// holdStart returns the offset from which the page is held after q, when
// no "</body" is held yet: a "</body" that the bytes held (the start of
// one) and q make, the first in q's last searchTail bytes, or the start
// of one at q's end; the end of q if none. It sets cand for a "</body".
func (iw *insertWriter) holdStart(q []byte) int64 {
	if iw.holdFrom < iw.off {
		var edge [len(htmlscan.BodyTag) + 1]byte
		n := copy(edge[:], (*iw.buf)[iw.holdFrom-iw.bufFrom:])
		n += copy(edge[n:], q)
		yes, maybe := htmlscan.BodyAt(edge[:n])
		iw.cand = yes
		if yes || maybe {
			return iw.holdFrom
		}
	}
	from := max(0, len(q)-searchTail)
	if at := htmlscan.FindBody(q[from:]); at >= 0 {
		iw.cand = true
		return iw.off + int64(from+at)
	}
	return iw.off + int64(htmlscan.Partial(q))
}

// advance writes the page up to offset k (from holdFrom, at most to the
// end of q, the page's next bytes), and keeps in buf the window before k
// and the bytes from k. From a write of maxWindow bytes or more, the
// window copied is htmlscan.Window bytes, or maxWindow when bytes of q are
// held (a "</body" or the start of one); smaller writes are gathered, up
// to twice maxWindow.
func (iw *insertWriter) advance(k int64, q []byte) error {
	if iw.buf == nil {
		iw.buf = bufs.Get().(*[]byte)
		iw.bufFrom = iw.off
	}
	buf := *iw.buf
	qOff := iw.off
	var err error
	if k <= qOff {
		err = iw.write(buf[iw.holdFrom-iw.bufFrom : k-iw.bufFrom])
	} else {
		err = iw.write(buf[iw.holdFrom-iw.bufFrom:], q[:k-qOff])
	}
	iw.holdFrom, iw.off = k, qOff+int64(len(q))
	if inQ := k - qOff; inQ >= maxWindow {
		// A large write: its last bytes before k are the window.
		w := int64(htmlscan.Window)
		if k < iw.off {
			w = maxWindow // something is held: a "</body", or the start of one
		}
		buf = append(buf[:0], q[inQ-w:]...)
		iw.bufFrom = k - w
	} else {
		buf = append(buf, q...)
		// Dropped a window's bytes at a time, so that each is moved
		// once or twice.
		if drop := k - maxWindow - iw.bufFrom; drop >= maxWindow {
			buf = buf[:copy(buf, buf[drop:])]
			iw.bufFrom += drop
		}
	}
	*iw.buf = buf
	return err
}

// releaseHeld writes the bytes held, but for the start of a "</body" at
// their end, which stays held.
func (iw *insertWriter) releaseHeld() error {
	iw.cand = false
	held := (*iw.buf)[iw.holdFrom-iw.bufFrom:]
	return iw.advance(iw.holdFrom+int64(htmlscan.Partial(held)), nil)
}

// certify tells where the widget goes among the bytes held: Certify over
// the last htmlscan.Window bytes of the window and the bytes held, then,
// if that does not tell, over all the window (from the page's start if buf
// still has it).
func (iw *insertWriter) certify(atEOF bool) htmlscan.Verdict {
	buf, bufFrom := *iw.buf, iw.bufFrom
	if start := iw.holdFrom - htmlscan.Window; start > bufFrom {
		v := htmlscan.Certify(buf[start-bufFrom:], start, iw.holdFrom, atEOF)
		if v.Kind != htmlscan.Unsure {
			return v
		}
	}
	return htmlscan.Certify(buf, bufFrom, iw.holdFrom, atEOF)
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

// release writes the bytes held and then p, with no widget, and frees
// the buffer.
func (iw *insertWriter) release(p []byte) error {
	var held []byte
	if iw.buf != nil {
		held = (*iw.buf)[iw.holdFrom-iw.bufFrom:]
	}
	err := iw.write(held, p)
	iw.freeBuf()
	return err
}

// freeBuf returns the window and hold buffer to the pool, once its bytes
// are written.
func (iw *insertWriter) freeBuf() {
	putBuf(iw.buf)
	iw.buf = nil
	iw.cand = false
	iw.bufFrom, iw.holdFrom = iw.off, iw.off
}

// commit inserts the widget before the </body> at offset place, writes
// the bytes held, and lets the rest of the response through.
func (iw *insertWriter) commit(place int64) error {
	held := (*iw.buf)[iw.holdFrom-iw.bufFrom:]
	k := place - iw.holdFrom
	err := iw.write(held[:k])
	if err == nil {
		_, err = io.WriteString(iw.w, iw.insert)
	}
	if err == nil {
		err = iw.write(held[k:])
	}
	iw.freeBuf()
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
		// Nothing written (or nothing to rewrite): what comes after the
		// handler returned, such as the error page a framework writes
		// then, passes through as it is written.
		iw.state = statePass
		return
	}
	putBuf(iw.stage)
	iw.stage = nil
	iw.state = statePass
	// Write errors here have nowhere to go: the handler has returned, and
	// the server notices a broken connection itself.
	if !iw.cand {
		_ = iw.release(nil)
		iw.c.log.DebugContext(iw.r.Context(), "sobot: widget not inserted: no </body> among the page's last bytes", "path", iw.r.URL.Path)
		return
	}
	switch v := iw.certify(true); v.Kind {
	case htmlscan.Taken:
		_ = iw.commit(v.Place)
	case htmlscan.Unsure:
		_ = iw.release(nil)
		iw.logUnsure()
	default:
		_ = iw.release(nil)
		iw.c.log.DebugContext(iw.r.Context(), "sobot: widget not inserted: the page's last \"</body>\" is text (in a script, a comment, an attribute...), not an end tag",
			"path", iw.r.URL.Path)
	}
}

// logUnsure logs a page left without the widget because the place of its
// last </body> could not be told for sure: as a warning the first time
// for the middleware, at debug level after.
func (iw *insertWriter) logUnsure() {
	iw.c.log.Log(iw.r.Context(), warnOnce(&iw.warned.unsure), "sobot: widget not inserted: the page's last </body> could not be told for sure from the bytes before it (a script, style, textarea or comment near the end may hold it); put the widget into such pages with the template helper (Client.FuncMap's sobotWidget, or Client.WidgetForPage) (later pages are logged at debug level)",
		"path", iw.r.URL.Path)
}

// FlushError sends what the handler wrote so far. A response not started
// yet starts with status 200, as with the server. Bytes from a "</body"
// on stay held, unless the page so far tells that none of those held is
// the page's last </body> end tag (they go out), or where the widget goes
// (it goes in): a later </body> may still come, and the page's end
// settles it.
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
	if err := iw.flushHeld(); err != nil {
		return err
	}
	return http.NewResponseController(iw.w).Flush()
}

// flushHeld writes the bytes held before a flush, when Certify tells, from
// the page so far, that the widget's place is among them (with the
// widget) or that none is (without).
func (iw *insertWriter) flushHeld() error {
	if iw.state != stateRewrite || !iw.cand {
		return nil
	}
	switch v := iw.certify(false); v.Kind {
	case htmlscan.Taken:
		return iw.commit(v.Place)
	case htmlscan.Hidden:
		return iw.releaseHeld()
	}
	return nil
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
