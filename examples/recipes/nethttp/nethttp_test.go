package httprecipe_test

import (
	"testing"

	"github.com/sobotgo/sobot/examples/recipes/internal/recipetest"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
	httprecipe "github.com/sobotgo/sobot/examples/recipes/nethttp"
)

// The logged-in customer's page gets the widget; a visitor who is not
// logged in gets the page as the handler wrote it.
func TestWidgetLandsInPage(t *testing.T) {
	client := recipetest.Client(t)
	recipetest.Check(t, client, httprecipe.Handler(client), site.HomePage)
}
