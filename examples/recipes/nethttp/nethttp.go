// Package httprecipe is the guide's recipe for plain net/http: the widget
// on every page of an http.ServeMux, through Client.Middleware.
package httprecipe

import (
	"io"
	"net/http"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// guide:start

// Handler returns the site's handler: its pages, each with the logged-in
// visitor's widget, behind the site's security headers.
func Handler(client *sobot.Client) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", home)

	withWidget := client.Middleware(func(r *http.Request) *sobot.Widget {
		user, ok := site.CurrentUser(r)
		if !ok {
			return nil // no widget for visitors who are not logged in
		}
		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}}}
	})
	// The widget's scripts carry the nonce of the policy SecureHeaders sets.
	return site.SecureHeaders(client.Origin())(withWidget(mux))
}

// guide:end

// home serves the home page.
func home(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, site.HomePage)
}
