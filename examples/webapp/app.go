package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/sobotgo/sobot"
)

// files holds the page templates and the static assets (style sheet,
// pictures), embedded so the binary runs from anywhere.
//
//go:embed templates static
var files embed.FS

// appConfig is what newApp needs.
type appConfig struct {
	// Client is the Sobot client: the account, its key, its base URL.
	Client *sobot.Client
	// PublicURL is the shop's base URL as browsers and Sobot's agents reach
	// it, without a trailing slash; the cards' links point there.
	PublicURL string
	// StandIn says that Client points at the sobottest stand-in; the pages
	// then say so.
	StandIn bool
	// Log receives request errors, and what a page leaves out because of
	// a visitor's data (see chatFor); nil discards them. Give Client the
	// same logger (sobot.Config.Logger), so that what the widget leaves out
	// is logged in the same place.
	Log *slog.Logger
}

// app serves the shop.
type app struct {
	client   *sobot.Client
	public   string
	standIn  bool
	log      *slog.Logger
	sessions sessions
	pages    map[string]*template.Template // by file name under templates/
	static   fs.FS
}

// newApp returns the shop's handler: pages, login, static files, behind
// the security headers and cross-origin protection (see app.handler).
func newApp(cfg appConfig) (http.Handler, error) {
	a, err := newShop(cfg)
	if err != nil {
		return nil, err
	}
	return a.handler(), nil
}

// newShop returns the shop for cfg, its templates parsed.
func newShop(cfg appConfig) (*app, error) {
	if cfg.Client == nil {
		return nil, errors.New("newApp: no Sobot client")
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &app{
		client:   cfg.Client,
		public:   strings.TrimRight(cfg.PublicURL, "/"),
		standIn:  cfg.StandIn,
		log:      log,
		sessions: newSessions(strings.HasPrefix(cfg.PublicURL, "https://")),
		pages:    map[string]*template.Template{},
	}
	var err error
	if a.static, err = fs.Sub(files, "static"); err != nil {
		return nil, err
	}
	// The client's FuncMap adds {{sobotWidget . ctx}}, bound to the client.
	funcs := a.client.FuncMap()
	funcs["yuan"] = yuan
	for _, name := range []string{"home.html", "product.html", "order.html"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name)
		if err != nil {
			return nil, err
		}
		a.pages[name] = t
	}

	return a, nil
}

// handler returns the shop's handler: its routes, with the widget put on
// the pages by the client's Middleware, behind the security headers.
func (a *app) handler() http.Handler {
	// The middleware takes the nonce of the policy withSecurityHeaders
	// sets, and the widget the page's handler gives (see render); other
	// responses get none.
	withWidget := a.client.Middleware(nil)
	return withSecurityHeaders(a.client.Origin(), withWidget(a.routes()))
}

// routes returns the shop's pages, login, and static files, behind the
// cross-origin protection.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /products/{id}", a.productPage)
	mux.HandleFunc("GET /orders/{code}", a.orderPage)
	mux.HandleFunc("POST /login", a.login)
	mux.HandleFunc("POST /logout", a.logout)
	mux.HandleFunc("GET /static/{file}", a.staticFile)
	// CrossOriginProtection refuses cross-site POSTs (login CSRF) by the
	// browser's Sec-Fetch-Site and Origin headers.
	return http.NewCrossOriginProtection().Handler(mux)
}

// page is what the templates render.
type page struct {
	Title    string
	Path     string    // the request's path, where login returns to
	User     *account  // nil when nobody is logged in
	Accounts []account // for the account switcher
	Chat     *chatEntries
	// Widget is the chat's widget on pages whose template renders it
	// (widgetInTemplate), nil elsewhere; Ctx is the request's context,
	// which sobotWidget takes for its log records.
	Widget *sobot.Widget
	Ctx    context.Context
	// One of these, depending on the page.
	Product  *product
	Order    *order
	Products []product
	Orders   []order
	StandIn  bool // the client points at the stand-in, not at Sobot
}

// DocTitle is the page's title as the browser shows it, and as the chat's
// visit trace reports it.
func (p page) DocTitle() string { return p.Title + " · Teahouse" }

// home lists the catalogue and the visitor's orders.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	p := page{Title: "Teahouse", Products: products}
	a.render(w, r, "home.html", p, sobot.Params{})
}

// productPage shows a product; its chat carries the product card.
func (a *app) productPage(w http.ResponseWriter, r *http.Request) {
	prod, ok := productByID(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	a.render(w, r, "product.html", page{Title: prod.Name, Product: &prod}, sobot.Params{Product: a.productCard(prod)})
}

// orderPage shows one of the visitor's orders; its chat carries the order
// card. Orders of other accounts, and all orders to a visitor who is not
// logged in, are not found.
func (a *app) orderPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.user(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	o, ok := orderOf(u.ID, r.PathValue("code"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	a.render(w, r, "order.html", page{Title: "Order " + o.Code, Order: &o}, sobot.Params{Order: a.orderCard(o)})
}

// login logs the browser in as the account of the form's user field, then
// returns to the form's next path.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	u, ok := accountByID(r.PostFormValue("user"))
	if !ok {
		http.Error(w, "no such account", http.StatusBadRequest)
		return
	}
	a.sessions.login(w, u.ID)
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// logout logs the browser out.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	a.sessions.logout(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// staticFile serves a file of static/.
func (a *app) staticFile(w http.ResponseWriter, r *http.Request) {
	http.ServeFileFS(w, r, a.static, r.PathValue("file"))
}

// localPath returns next written out again as a path of this site, for the
// redirect after login, or "/" when next is anything else: a login form
// must not send the browser to another site (an open redirect).
//
// next is parsed with net/url and accepted only as a path-absolute
// reference (RFC 3986: "/" not followed by a second "/") with no scheme,
// host or user info, and with no control character or backslash anywhere,
// as sent or percent-decoded. Browsers drop tabs and newlines from a URL
// and read a backslash as "/", so "/", TAB, "/evil.example" and
// "/", backslash, "evil.example" are both //evil.example to them: another
// site. What is returned is the parsed URL serialised again by net/url,
// never next as it came.
func localPath(next string) string {
	const home = "/"
	if hasURLTrap(next) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" ||
		!pathAbsolute(u.Path) || hasURLTrap(u.Path) || hasURLTrap(u.Fragment) {
		return home
	}
	// The serialised form is checked again: it is what the browser reads.
	if s := u.String(); pathAbsolute(s) && !hasURLTrap(s) {
		return s
	}
	return home
}

// pathAbsolute reports whether s starts with exactly one "/": a path of the
// same site, not a network-path reference (//host) to another.
func pathAbsolute(s string) bool {
	return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//")
}

// hasURLTrap reports whether s holds a control character (C0, DEL or C1:
// browsers remove tab, CR and LF anywhere in a URL, and other controls at
// its ends) or a backslash (which they read as "/").
func hasURLTrap(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) })
}

// render fills in what every page shows (the visitor, the account switcher,
// and for a logged-in visitor the chat, carrying the page's own parameters
// chat and its visit trace) and writes the page; the widget goes to the
// template or to the middleware (see widgetInTemplate). It renders into a
// buffer first, so that an error (a bug in a template) becomes a clean 500
// rather than half a page. A visitor's data never makes it fail: the chat
// leaves out what is invalid, and logs it.
func (a *app) render(w http.ResponseWriter, r *http.Request, name string, p page, chat sobot.Params) {
	p.Path = r.URL.Path
	p.Accounts = accounts
	p.StandIn = a.standIn
	if u, ok := a.sessions.user(r); ok {
		p.User = &u
		p.Orders = ordersOf(u.ID)
		p.Chat = a.chatFor(r, u, chat, a.visitTrace(r, p.DocTitle()))
		if widgetInTemplate[name] {
			p.Widget, p.Ctx = &p.Chat.Widget, r.Context()
		} else {
			sobot.SetPageWidget(r.Context(), &p.Chat.Widget)
		}
	}
	var buf bytes.Buffer
	if err := a.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		a.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The page holds the visitor's signed chat links: no shared cache may
	// keep it.
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// fail logs err and answers 500 without details, which are the shop's
// business, not the visitor's.
func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("rendering page", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
