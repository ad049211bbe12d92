package main

import (
	"net/http"

	"github.com/sobotgo/sobot"
)

// This file is everything the shop tells Sobot: who the visitor is, what
// they are looking at, and who should answer them. It is the part to copy.

// Skill-group ids for the VIP route. They are made up for the demo: use the
// ids of your own skill groups from the Sobot console.
const (
	vipGroupID     = "vip-group"
	generalGroupID = "general-group"
)

// vipRoute is the smart-routing chain for VIP customers (transfer_action):
// the VIP group first, overflowing to the general group when all VIP agents
// are busy.
var vipRoute = []sobot.TransferRule{
	{Target: sobot.ToGroup, ID: vipGroupID, Spill: sobot.SpillGroupAllBusy},
	{Target: sobot.ToGroup, ID: generalGroupID},
}

// siteDefaults are the chat parameters of every page, validated once by
// sobot.NewClient: the shop's theme colour and a day of chat history.
var siteDefaults = sobot.Params{
	Settings: sobot.Settings{Color: "0f766e", HistoryMinutes: sobot.Ptr(24 * 60)},
}

// chatEntries are the ways into the chat that a page offers the logged-in
// visitor.
type chatEntries struct {
	// Widget is the JS-SDK widget: handed to the client's Middleware, or
	// rendered by the page's template (see widgetInTemplate).
	Widget sobot.Widget
	// H5URL and PCURL open the chat in a new window, mobile and desktop;
	// "" when the link could not be built (see chatFor).
	H5URL, PCURL string
	// LeaveMessageURL opens Sobot's stand-alone leave-message page; "" when
	// it could not be built.
	LeaveMessageURL string
}

// chatFor returns the chat entries of request r for account u, on a page
// whose own parameters (its product or order card) are page and whose
// visit trace is visit.
//
// Everything is built per request, for the logged-in account: with a
// security key, the links and the widget carry u's partnerid and sign, so
// they must never be cached or shown to anyone else.
//
// The account's data (its name and e-mail address, as a real shop's user
// store holds them) and the visit trace are the visitor's, and a page must
// never fail because of them: the widget (rendered through
// sobot.Client.WidgetForPage, by the middleware or by sobotWidget) and the
// links (sobot.Client.LinkForPage) leave out what is invalid, or are left
// out themselves when the partnerid is, and log it to the client's
// Config.Logger with the request's context.
func (a *app) chatFor(r *http.Request, u account, page sobot.Params, visit sobot.VisitTrace) *chatEntries {
	p := page
	p.User = sobot.User{PartnerID: u.ID, Name: u.Name, Email: u.Email}
	if u.VIP {
		p.User.VIP = sobot.On
		p.Routing.Transfer = vipRoute
	}
	// The visit trace is widget-only: the links would refuse it.
	w := p
	w.Visit = visit
	ctx := r.Context()
	return &chatEntries{
		Widget: sobot.Widget{Params: &w, Nonce: nonceOf(ctx)},
		H5URL:  a.client.LinkForPage(ctx, sobot.KindH5, &p),
		PCURL:  a.client.LinkForPage(ctx, sobot.KindPC, &p),
		// The leave-message page takes only a few parameters (uname here;
		// the card and the routing are chat-page parameters), and is never
		// signed.
		LeaveMessageURL: a.client.LinkForPage(ctx, sobot.KindLeaveMessage, &sobot.Params{User: sobot.User{Name: u.Name}}),
	}
}

// The widget reaches a page in one of two ways. Most pages leave it to the
// client's Middleware, which app.handler puts around the shop: the page's
// handler gives the page's widget with sobot.SetPageWidget, and the
// middleware inserts it before the page's </body>, its scripts carrying
// the nonce of the response's Content-Security-Policy. The order page's
// template renders it itself, {{sobotWidget . $.Ctx}}, as a page does that
// wants the widget in a place of its own, or on a site without the
// middleware.

// widgetInTemplate names the page templates that render the widget
// themselves; the middleware inserts it into the others.
var widgetInTemplate = map[string]bool{"order.html": true}

// visitTrace returns the visit trace of request r for the agent
// (pre_visit_args, cur_visit_args): the page the visitor came from, as the
// Referer names it, and the page itself, its address on the shop's public
// URL and its title.
//
// The Referer is whatever the browser, or any other client, sent:
// javascript:..., android-app://..., a path, 10 KB of text, bytes that are
// not UTF-8. It is passed on as it came, unchecked: the widget leaves out a
// value it refuses and logs it. The page's address carries the visitor's
// query string, so the same holds for it.
func (a *app) visitTrace(r *http.Request, title string) sobot.VisitTrace {
	return sobot.VisitTrace{
		Previous: sobot.PreviousPage{URL: r.Referer()},
		Current:  sobot.CurrentPage{URL: a.abs(r.URL.RequestURI()), Title: title},
	}
}

// abs returns the absolute URL of a path of the shop. The cards' links must
// be absolute, on the shop's public URL: the agent opens them from Sobot's
// workbench, not from the shop.
func (a *app) abs(path string) string { return a.public + path }

// productCard returns the product card of p (card_*): what the agent sees
// the visitor asking about.
func (a *app) productCard(p product) sobot.ProductCard {
	return sobot.ProductCard{
		Title:       p.Name,
		URL:         a.abs("/products/" + p.ID),
		Description: p.Description,
		Note:        yuan(p.PriceCents),
		Picture:     a.abs("/static/" + p.Image),
	}
}

// orderCard returns the order card of o, with its goods.
func (a *app) orderCard(o order) sobot.OrderCard {
	card := sobot.OrderCard{
		Status:     o.Status,
		Created:    o.Created,
		Code:       o.Code,
		URL:        a.abs("/orders/" + o.Code),
		GoodsCount: sobot.Ptr(o.Count()),
		TotalFee:   sobot.Ptr(o.TotalCents()),
	}
	if o.Status == sobot.OrderCustomStatus {
		card.CustomStatus = o.Custom
	}
	for _, it := range o.Items {
		card.Goods = append(card.Goods, sobot.Goods{Name: it.Product.Name, PictureURL: a.abs("/static/" + it.Product.Image)})
	}
	return card
}
