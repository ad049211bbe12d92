// Package site stands for what the recipes' site already has before it
// adds Sobot: who is logged in, a Content-Security-Policy with a nonce per
// response, and a page. The recipes call it as a site calls its own code.
package site

import (
	"context"
	"crypto/rand"
	"net/http"
)

// User is a logged-in customer.
type User struct {
	ID, Name string
}

// SessionCookie names the cookie that CurrentUser reads.
const SessionCookie = "session"

// users are the site's customers, by id.
var users = map[string]User{
	"u-1001": {ID: "u-1001", Name: "小丁"},
	"u-1002": {ID: "u-1002", Name: "Bob Lee"},
}

// CurrentUser returns the customer logged in on r. It stands for a
// session lookup: it takes the cookie's value as the user's id, which a
// real site must never do (see the example shop's signed session cookie).
func CurrentUser(r *http.Request) (User, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return User{}, false
	}
	u, ok := users[c.Value]
	return u, ok
}

// nonceKey is the context key of the response's CSP nonce.
type nonceKey struct{}

// Nonce returns the response's CSP nonce that SecureHeaders put in ctx.
func Nonce(ctx context.Context) string {
	s, _ := ctx.Value(nonceKey{}).(string)
	return s
}

// SecureHeaders returns middleware that gives every response a fresh
// nonce and a strict Content-Security-Policy that allows the widget:
// scripts with the nonce and from Sobot's origin (the client's Origin),
// Sobot's chat frame, its requests and its pictures. The nonce goes into
// the request's context (Nonce).
func SecureHeaders(sobotOrigin string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			nonce := rand.Text() // 26 base32 characters: 130 random bits, valid in a nonce
			w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"' "+sobotOrigin+
				"; frame-src "+sobotOrigin+"; connect-src "+sobotOrigin+"; img-src 'self' "+sobotOrigin+
				"; object-src 'none'; base-uri 'none'")
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce)))
		})
	}
}

// HomePage is the site's home page, as its templates render it.
const HomePage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Teahouse</title></head>
<body>
<h1>Tea and teaware</h1>
</body>
</html>
`

// ErrorPage is the site's error page for status code.
func ErrorPage(code int) string {
	return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Teahouse</title></head>
<body>
<h1>` + http.StatusText(code) + `</h1>
</body>
</html>
`
}
