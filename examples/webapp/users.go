package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// account is a customer of the shop. A real shop loads it from its user
// store after a real login; the demo has fixed accounts and no passwords, so
// that anyone can try each case in turn.
type account struct {
	// ID is the stable user id of the shop. It becomes Sobot's partnerid,
	// which keys the visitor's chat history and is what sign binds, so it
	// must never change for a user (an e-mail address can).
	ID    string
	Name  string
	Email string
	// VIP customers are routed to the VIP skill group first.
	VIP bool
}

// accounts are the demo accounts: a regular customer, a VIP, and one with
// a Chinese name, which exercises UTF-8 in links, the widget and the sign.
var accounts = []account{
	{ID: "u-1001", Name: "Alice Martin", Email: "alice@example.com"},
	{ID: "u-1002", Name: "Bob Lee", Email: "bob@example.com", VIP: true},
	{ID: "u-1003", Name: "王小明", Email: "xiaoming@example.com"},
}

// accountByID returns the account with the given id.
func accountByID(id string) (account, bool) {
	for _, a := range accounts {
		if a.ID == id {
			return a, true
		}
	}
	return account{}, false
}

// sessionCookie names the cookie that holds the logged-in account.
const sessionCookie = "shop_session"

// sessions issues and reads login cookies. A cookie holds the account id and
// an HMAC of it under a key only the server knows, so a visitor cannot
// become another account by editing the cookie: the partnerid the shop
// signs for Sobot, and with it whose chat history opens, is the server's
// word, never the browser's.
//
// The key is made per process, so a restart logs everyone out; a real shop
// uses its own session store instead.
type sessions struct {
	key    []byte
	secure bool // set the Secure attribute: the shop is served over https
}

// newSessions returns sessions with a fresh random key.
func newSessions(secure bool) sessions {
	key := make([]byte, 32)
	rand.Read(key) // never fails: crypto/rand crashes the program rather than return an error
	return sessions{key: key, secure: secure}
}

// login makes the response log the browser in as id.
func (s sessions) login(w http.ResponseWriter, id string) {
	s.set(w, id+"."+s.mac(id), 0)
}

// logout makes the response log the browser out.
func (s sessions) logout(w http.ResponseWriter) { s.set(w, "", -1) }

// set writes the session cookie; maxAge -1 deletes it, 0 makes it last
// until the browser closes.
func (s sessions) set(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.secure,
		// Lax keeps the cookie off cross-site POSTs; the shop's
		// CrossOriginProtection refuses those as well.
		SameSite: http.SameSiteLaxMode,
	})
}

// user returns the account the request's cookie logs in, if the cookie is
// there, untampered, and names a known account.
func (s sessions) user(r *http.Request) (account, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return account{}, false
	}
	// The MAC is base64url, which has no dot, so the last dot ends the id.
	i := strings.LastIndexByte(c.Value, '.')
	if i < 0 || !hmac.Equal([]byte(c.Value[i+1:]), []byte(s.mac(c.Value[:i]))) {
		return account{}, false
	}
	return accountByID(c.Value[:i])
}

// mac returns the cookie's HMAC of id.
func (s sessions) mac(id string) string {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
