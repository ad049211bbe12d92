// Package ginrecipe is the guide's recipe for gin
// (github.com/gin-gonic/gin): the engine's templates get the client's
// FuncMap, and a page puts the widget with {{sobotWidget .Chat .Ctx}}.
package ginrecipe

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/examples/recipes/internal/site"
)

// guide:start

// homePage is the home page's template; sobotWidget is the client's.
const homePage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Teahouse</title></head>
<body>
<h1>Tea and teaware</h1>
{{with .Chat}}{{sobotWidget . $.Ctx}}{{end}}
</body>
</html>
`

// Handler returns the site's gin engine, whose home page carries the
// logged-in visitor's widget, behind the site's security headers.
func Handler(client *sobot.Client) http.Handler {
	engine := gin.New()
	engine.SetHTMLTemplate(template.Must(template.New("home").Funcs(client.FuncMap()).Parse(homePage)))
	engine.GET("/", func(c *gin.Context) {
		ctx := c.Request.Context()
		data := gin.H{"Ctx": ctx} // the request's context, for the log records of what the widget leaves out
		if user, ok := site.CurrentUser(c.Request); ok {
			data["Chat"] = &sobot.Widget{
				Params: &sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}},
				Nonce:  site.Nonce(ctx), // the response's CSP nonce
			}
		}
		c.HTML(http.StatusOK, "home", data)
	})
	return site.SecureHeaders(client.Origin())(engine) // a gin.Engine is an http.Handler
}

// guide:end
