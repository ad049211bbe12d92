// Package chirecipe is the guide's recipe for chi
// (github.com/go-chi/chi/v5): Client.Middleware goes into the router's
// Use as it is.
package chirecipe

import (
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// guide:start

// Router returns the site's chi router: its pages, each with the
// logged-in visitor's widget.
func Router(client *sobot.Client) http.Handler {
	router := chi.NewRouter()
	router.Use(site.SecureHeaders(client.Origin())) // the CSP nonce the widget's scripts carry
	router.Use(client.Middleware(func(r *http.Request) *sobot.Widget {
		user, ok := site.CurrentUser(r)
		if !ok {
			return nil // no widget for visitors who are not logged in
		}
		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}}}
	}))
	router.Get("/", home)
	return router
}

// guide:end

// home serves the home page.
func home(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, site.HomePage)
}
