package sobottest

import (
	"net/http"
	"sync"

	"github.com/sobotgo/sobot"
)

// Handler serves the stand-in's pages, loader and call recorder for one
// Sobot account (sysnum) and security key. It must be mounted at the root of
// its origin, or behind [http.StripPrefix]: it serves Sobot's own paths.
// A Handler is safe for concurrent use.
type Handler struct {
	sysnum string
	key    sobot.Key
	mux    *http.ServeMux

	mu        sync.Mutex
	calls     []Call
	callBytes int           // the sum of callSize over calls
	changed   chan struct{} // closed and replaced whenever calls changes
}

// NewHandler returns the stand-in for the account sysnum. With the zero Key
// the security key is off and chat pages admit unsigned requests, as Sobot
// does when 安全密钥 is switched off.
func NewHandler(sysnum string, key sobot.Key) *Handler {
	h := &Handler{sysnum: sysnum, key: key, changed: make(chan struct{})}
	mux := http.NewServeMux()
	for _, p := range chatPages {
		mux.Handle(p.path, h.chatPage(p.kind))
	}
	mux.Handle(leaveMessagePath, http.HandlerFunc(h.leaveMessagePage))
	for _, p := range loaderPaths {
		mux.Handle(p, http.HandlerFunc(h.loader))
	}
	mux.Handle(callsPath, http.HandlerFunc(h.callsEndpoint))
	mux.Handle(recorderPath, http.HandlerFunc(recorderPage))
	mux.Handle(recorderScriptPath, http.HandlerFunc(recorderScript))
	h.mux = mux
	return h
}

// ServeHTTP implements [http.Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	// The pages are framed and the loader is loaded by other origins.
	hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.mux.ServeHTTP(w, r)
}

// allowMethods answers 405 and reports false unless r's method is one of
// methods.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	allow := ""
	for i, m := range methods {
		if i > 0 {
			allow += ", "
		}
		allow += m
	}
	w.Header().Set("Allow", allow)
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}
