package sobottest

import (
	_ "embed"
	"net/http"
	"strconv"
)

// loaderPaths are the paths of Sobot's JS-SDK loader, v2 and v6.
var loaderPaths = []string{
	"/chat/frame/v2/entrance.js",
	"/chat/frame/v6/entrance.js",
}

// entranceJS is the fake loader; see the package documentation.
//
//go:embed assets/entrance.js
var entranceJS []byte

// loader serves the fake loader if the sysnum in its URL, given once, is
// the handler's account. Otherwise it answers 403, which a browser treats as a failed
// script load, much as Sobot's loader does nothing for an unknown account.
func (h *Handler) loader(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	hdr := w.Header()
	// Allow crossorigin="anonymous" and Subresource Integrity on the script.
	hdr.Set("Access-Control-Allow-Origin", "*")
	// sysnum once, by its exact name, as on the pages: the loader finds it
	// on its own src, and a page may read another copy.
	if reason := h.checkSysnumOnly(parseQuery(r.URL.RawQuery)); reason != "" {
		hdr.Set("X-Sobottest-Reason", reason)
		http.Error(w, "sobottest: "+reason, http.StatusForbidden)
		return
	}
	hdr.Set("Content-Type", "application/javascript; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(entranceJS)))
	if r.Method == http.MethodGet {
		w.Write(entranceJS)
	}
}
