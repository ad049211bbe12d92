// Package echorecipe is the guide's recipe for echo
// (github.com/labstack/echo/v4): Client.Middleware wraps the echo server,
// an http.Handler, so that the pages of its HTTPErrorHandler get the widget
// too.
package echorecipe

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// guide:start

// Handler returns the site: its echo server, each page with the
// logged-in visitor's widget.
func Handler(client *sobot.Client) http.Handler {
	e := echo.New()
	e.Use(echo.WrapMiddleware(site.SecureHeaders(client.Origin()))) // the CSP nonce the widget's scripts carry
	e.HTTPErrorHandler = errorPage
	e.GET("/", func(c echo.Context) error { return c.HTML(http.StatusOK, site.HomePage) })

	// Around the server, not in e.Use: echo writes the page of its
	// HTTPErrorHandler after every middleware in e.Use has returned.
	return client.Middleware(func(r *http.Request) *sobot.Widget {
		user, ok := site.CurrentUser(r)
		if !ok {
			return nil // no widget for visitors who are not logged in
		}
		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}}}
	})(e)
}

// guide:end

// errorPage is the server's HTTPErrorHandler: the site's error page,
// for the status of err.
func errorPage(err error, c echo.Context) {
	code := http.StatusInternalServerError
	if he, ok := errors.AsType[*echo.HTTPError](err); ok {
		code = he.Code
	}
	if err := c.HTML(code, site.ErrorPage(code)); err != nil {
		c.Logger().Error(err)
	}
}
