package sobottest

import (
	_ "embed"
	"net/http"
	"strconv"
)

// The fake loader runs in the host page, on the host's origin, and the
// calls endpoint serves the stand-in's origin only. So the loader reports
// calls through the recorder: a hidden iframe of the stand-in's origin that
// the loader opens a MessageChannel to, and that posts the calls to the
// endpoint from its own origin. A host page then needs the stand-in in
// frame-src, as it does for the chat page, and nothing in connect-src.
const (
	recorderPath       = "/__sobottest/recorder.html"
	recorderScriptPath = "/__sobottest/recorder.js"
)

// recorderCSP lets the recorder page run its own script and post to its own
// origin, and nothing else.
const recorderCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"

var (
	//go:embed assets/recorder.html
	recorderHTML []byte
	//go:embed assets/recorder.js
	recorderJS []byte
)

// recorderPage serves the recorder page. Any page may frame it, as any page
// may load the loader; the page's script accepts a channel from its parent
// only, checking the parent's origin, and posts only calls made on that
// origin.
func recorderPage(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "text/html; charset=utf-8", recorderHTML, recorderCSP)
}

// recorderScript serves the recorder page's script.
func recorderScript(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "application/javascript; charset=utf-8", recorderJS, "")
}

// serveAsset writes a static asset for GET and HEAD.
func serveAsset(w http.ResponseWriter, r *http.Request, contentType string, body []byte, csp string) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", contentType)
	if csp != "" {
		hdr.Set("Content-Security-Policy", csp)
	}
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}
