package main

import (
	"context"
	"crypto/rand"
	"net/http"
)

// nonceKey is the context key of the response's CSP nonce.
type nonceKey struct{}

// nonceOf returns the CSP nonce that withSecurityHeaders put in ctx.
func nonceOf(ctx context.Context) string {
	s, _ := ctx.Value(nonceKey{}).(string)
	return s
}

// withSecurityHeaders gives every response a fresh CSP nonce and a strict
// Content-Security-Policy (see contentSecurityPolicy). The nonce goes into
// the request's context, where the page handlers find it for the widget.
// sobotOrigin is the client's Origin (scheme, host and port), not its
// BaseURL: a CSP source with a path matches only that path.
func withSecurityHeaders(sobotOrigin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// rand.Text gives 26 base32 characters (130 random bits), which
		// are valid in a CSP nonce as they are.
		nonce := rand.Text()
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy(nonce, sobotOrigin))
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce)))
	})
}

// contentSecurityPolicy returns the shop's policy. Scripts run only with
// the response's nonce (the widget's inline script and its loader carry it)
// or from Sobot; no inline script without the nonce, no eval. Sobot's
// origin is allowed where the widget needs it: its loader (script-src), the
// chat page (frame-src), the chat's requests (connect-src) and its icons
// and avatars (img-src). Everything else stays on the shop's own origin.
func contentSecurityPolicy(nonce, sobotOrigin string) string {
	return "default-src 'self'; " +
		"script-src 'nonce-" + nonce + "' " + sobotOrigin + "; " +
		"style-src 'self'; " +
		"img-src 'self' " + sobotOrigin + "; " +
		"frame-src " + sobotOrigin + "; " +
		"connect-src " + sobotOrigin + "; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}
