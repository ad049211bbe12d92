package ginrecipe_test

import (
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	ginrecipe "github.com/sobotgo/sobot/examples/recipes/gin"
	"github.com/sobotgo/sobot/examples/recipes/internal/recipetest"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

func init() { gin.SetMode(gin.TestMode) } // no debug banner in the test's output

// The logged-in customer's page gets the widget from the template; a
// visitor who is not logged in gets the page without it.
func TestWidgetLandsInPage(t *testing.T) {
	client := recipetest.Client(t)
	page := strings.Replace(site.HomePage, "</h1>\n", "</h1>\n\n", 1) // the template's line of the widget, empty
	recipetest.Check(t, client, ginrecipe.Handler(client), page)
}
