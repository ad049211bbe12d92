package chirecipe_test

import (
	"testing"

	chirecipe "github.com/sobotgo/sobot/examples/recipes/chi"
	"github.com/sobotgo/sobot/examples/recipes/internal/recipetest"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// The logged-in customer's page gets the widget; a visitor who is not
// logged in gets the page as the handler wrote it.
func TestWidgetLandsInPage(t *testing.T) {
	client := recipetest.Client(t)
	recipetest.Check(t, client, chirecipe.Router(client), site.HomePage)
}
