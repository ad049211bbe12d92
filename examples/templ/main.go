// Command templ serves a product page written in templ
// (github.com/a-h/templ) with the Sobot widget and a chat link on it:
//
//	@client.WidgetForPage(ctx, &sobot.Widget{Params: ..., Nonce: templ.GetNonce(ctx)})
//
// A sobot.Snippet has templ's Render(ctx, io.Writer) error method, so the
// widget is a templ component as it is; the library does not import templ.
// The page is page.templ; page_templ.go is generated from it, and is
// regenerated after an edit with, from this directory:
//
//	go run github.com/a-h/templ/cmd/templ@v0.3.1100 generate
//
// (the version of templ in examples/go.mod; TestGeneratedCodeIsCurrent
// fails while page_templ.go is stale). Run the page with
//
//	go run ./examples/templ
//
// Without SOBOT_SYSNUM it talks to sobottest, the repository's stand-in of
// Sobot, started on a loopback port with a demo account; with
// SOBOT_SYSNUM, SOBOT_KEY and SOBOT_BASE_URL, to that account. The demo has
// one visitor, always logged in: a real site takes the visitor from its
// session.
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/a-h/templ"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

// The stand-in's demo account.
const (
	demoSysNum = "sobotgo-demo"
	demoKey    = "sobotgo-demo-key"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	flag.Parse()
	cfg := sobot.Config{SysNum: os.Getenv("SOBOT_SYSNUM"), Key: sobot.NewKey(os.Getenv("SOBOT_KEY")), BaseURL: os.Getenv("SOBOT_BASE_URL")}
	if cfg.SysNum == "" {
		standIn := sobottest.NewServer(demoSysNum, sobot.NewKey(demoKey))
		defer standIn.Close()
		cfg = sobot.Config{SysNum: demoSysNum, Key: sobot.NewKey(demoKey), BaseURL: standIn.URL}
		fmt.Println("stand-in Sobot:", standIn.URL)
	}
	client, err := sobot.NewClient(cfg)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("page: http://%s/\n", ln.Addr())
	log.Fatal(http.Serve(ln, newHandler(client, demoVisitor)))
}

// visitor is the logged-in customer, as the site's user store has them.
type visitor struct {
	ID, Name, Email string
}

// sobotUser is v's identity for Sobot: the partnerid the widget and links
// are signed for, and the name and e-mail address the agent sees.
func (v *visitor) sobotUser() sobot.User {
	return sobot.User{PartnerID: v.ID, Name: v.Name, Email: v.Email}
}

// demoVisitor stands for the site's session lookup, which returns nil for
// a visitor who is not logged in: in the demo, the same customer always is.
func demoVisitor(*http.Request) *visitor {
	return &visitor{ID: "u-1001", Name: "小丁", Email: "ding@example.com"}
}

// product is the article the page shows.
type product struct {
	ID, Name, Description, Price string
}

// teapot is the page's product.
var teapot = product{ID: "teapot", Name: "Celadon teapot", Description: "Hand-thrown celadon teapot, 450 ml.", Price: "¥268.00"}

// card returns p's product card, which the agent sees with the chat.
func (p product) card() sobot.ProductCard {
	return sobot.ProductCard{Title: p.Name, Note: p.Price, Description: p.Description}
}

// newHandler returns the site: the product page at "/", for the visitor
// that visitorOf finds (nil: nobody is logged in), behind withCSP.
func newHandler(client *sobot.Client, visitorOf func(*http.Request) *visitor) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store") // the page holds the visitor's signed identity
		templ.Handler(productPage(client, visitorOf(r), teapot)).ServeHTTP(w, r)
	})
	return withCSP(client.Origin(), mux)
}

// withCSP gives every response a fresh nonce and a strict
// Content-Security-Policy that allows the widget (Sobot's origin for the
// loader, the chat frame and its requests). The nonce goes into the
// request's context with templ.WithNonce: templ.GetNonce finds it there,
// for the widget and for templ's own scripts.
func withCSP(sobotOrigin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := rand.Text() // 26 base32 characters: 130 random bits, valid in a nonce
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"' "+sobotOrigin+
			"; frame-src "+sobotOrigin+"; connect-src "+sobotOrigin+"; img-src 'self' "+sobotOrigin+
			"; object-src 'none'; base-uri 'none'")
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
	})
}
