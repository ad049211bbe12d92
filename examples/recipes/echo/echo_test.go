package echorecipe_test

import (
	"net/http"
	"testing"

	echorecipe "github.com/sobotgo/sobot/examples/recipes/echo"
	"github.com/sobotgo/sobot/examples/recipes/internal/recipetest"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// The logged-in customer's page gets the widget; a visitor who is not
// logged in gets the page as the handler wrote it.
func TestWidgetLandsInPage(t *testing.T) {
	client := recipetest.Client(t)
	recipetest.Check(t, client, echorecipe.Handler(client), site.HomePage)
}

// The page of echo's HTTPErrorHandler, written after the server's
// middleware chain has returned, gets the widget too, whole.
func TestWidgetLandsInErrorPage(t *testing.T) {
	client := recipetest.Client(t)
	recipetest.CheckPage(t, client, echorecipe.Handler(client), "/nope", http.StatusNotFound, site.ErrorPage(http.StatusNotFound))
}
