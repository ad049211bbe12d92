package sobot_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/sobotgo/sobot"
)

// One line puts the widget on every page of a site: the function gives
// the logged-in visitor's widget, or nil for pages without one. The page
// below comes from a handler behind a CSP middleware; the widget's scripts
// carry the nonce of its policy.
func ExampleClient_Middleware() {
	client, err := sobot.NewClient(sobot.Config{
		SysNum: "4c349791a07b46c1a70b8ac88aa23257",
		Key:    sobot.NewKey("s3cret-0123456789"),
	})
	if err != nil {
		panic(err)
	}
	shop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "script-src 'nonce-cmFuZG9tMTIzNDU2Nzg5MA' https://www.sobot.com")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html>\n<title>Teapot</title>\n<h1>Teapot</h1>\n</body>\n")
	})

	handler := client.Middleware(func(r *http.Request) *sobot.Widget {
		user := r.Header.Get("X-User") // in a real site: the session's user
		if user == "" || r.URL.Path == "/admin" {
			return nil // visitors who are not logged in, and admin pages, get no widget
		}
		return &sobot.Widget{Params: &sobot.Params{User: sobot.User{PartnerID: user}}}
	})(shop)

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/teapot", nil)
	req.Header.Set("X-User", "u-1001")
	handler.ServeHTTP(rec, req)
	fmt.Print(rec.Body)
	// Output:
	// <!DOCTYPE html>
	// <title>Teapot</title>
	// <h1>Teapot</h1>
	// <script nonce="cmFuZG9tMTIzNDU2Nzg5MA">
	// window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
	// zc("config",{"partnerid":"u-1001","sign":"d5fed33e93328e275c56ce14731395f8"});
	// </script>
	// <script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257" nonce="cmFuZG9tMTIzNDU2Nzg5MA"></script>
	// </body>
}

// A site whose policy allows scripts by hash lists the client's constant
// script once; the middleware then inserts the visitor's data as a JSON
// block and that script.
func ExampleClient_WidgetScriptHash() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257"})
	if err != nil {
		panic(err)
	}
	fmt.Println("script-src " + client.WidgetScriptHash() + " " + client.Origin())
	// Output:
	// script-src 'sha256-yplzp4u3hM/Hpnh1HBHHtVu6c2bx/EVzwXP3r6bqX98=' https://www.sobot.com
}

// A page's handler knows what the visitor is looking at: it gives its
// page's widget, with the product card, before it writes the page, and the
// middleware inserts that widget. Pages whose handler gives none get
// widgetFor's (here, with a nil widgetFor, none).
func ExampleSetPageWidget() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257"})
	if err != nil {
		panic(err)
	}
	product := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sobot.SetPageWidget(r.Context(), &sobot.Widget{Params: &sobot.Params{
			Product: sobot.ProductCard{Title: "Teapot", URL: "https://shop.example/teapot"},
		}})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<h1>Teapot</h1>\n</body>\n")
	})

	rec := httptest.NewRecorder()
	client.Middleware(nil)(product).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/teapot", nil))
	fmt.Print(rec.Body)
	// Output:
	// <h1>Teapot</h1>
	// <script>
	// window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
	// zc("config",{"card_title":"Teapot","card_url":"https%3A%2F%2Fshop.example%2Fteapot"});
	// </script>
	// <script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257"></script>
	// </body>
}
