package main

import (
	"errors"
	"net/http"
	"slices"

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
	// Widget is the JS-SDK widget, rendered by {{sobotWidget .Widget}}.
	Widget sobot.Widget
	// H5URL and PCURL open the chat in a new window, mobile and desktop;
	// "" when the link could not be built (see chatLink).
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
// never fail because of them: the widget (rendered by sobotWidget, through
// sobot.Client.WidgetForPage) leaves out what is invalid, or is left out
// itself when the partnerid is, and logs it to the client's Config.Logger;
// the links do the same through chatLink.
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
	return &chatEntries{
		Widget: sobot.Widget{Params: &w, Nonce: nonceOf(r.Context())},
		H5URL:  a.chatLink(r, "h5", a.client.H5URL, p),
		PCURL:  a.chatLink(r, "pc", a.client.PCURL, p),
		// The leave-message page takes only a few parameters (uname here;
		// the card and the routing are chat-page parameters), and is never
		// signed.
		LeaveMessageURL: a.chatLink(r, "leave-message", a.client.LeaveMessageURL, sobot.Params{User: sobot.User{Name: u.Name}}),
	}
}

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

// droppable are the visitor's parameters a chat link can do without: when
// one of them is invalid (a name that is not valid UTF-8, say), the link is
// built without it. Without a valid partnerid, a signed link cannot be
// built at all.
var droppable = []string{"uname", "email"}

// chatLink returns the chat link that build (a strict builder of the
// client, such as H5URL) makes of p, for the page of request r, which must
// not fail because of the visitor's data. When build refuses p, the link
// is built again without the droppable parameters it names, and logged at
// warning level; when that cannot be done, or fails too, the link is left
// out of the page (""), and logged at error level. link names the link in
// the log.
func (a *app) chatLink(r *http.Request, link string, build func(*sobot.Params) (string, error), p sobot.Params) string {
	u, err := build(&p)
	if err == nil {
		return u
	}
	ctx := r.Context()
	if left, ok := dropInvalid(&p, err); ok {
		if u, err2 := build(&p); err2 == nil {
			a.log.WarnContext(ctx, "chat link built without parameters that were invalid",
				"path", r.URL.Path, "link", link, "left_out", left, "problems", problemTexts(err))
			return u
		}
	}
	a.log.ErrorContext(ctx, "chat link left out of the page: its parameters are invalid",
		"path", r.URL.Path, "link", link, "problems", problemTexts(err))
	return ""
}

// dropInvalid clears in p the parameters that the problems of err (a
// *sobot.ValidationError) name and returns their names, when they are all
// droppable; otherwise it reports false.
func dropInvalid(p *sobot.Params, err error) ([]string, bool) {
	var verr *sobot.ValidationError
	if !errors.As(err, &verr) {
		return nil, false
	}
	var names []string
	for _, pr := range verr.Problems {
		if !slices.Contains(droppable, pr.Param) {
			return nil, false
		}
		if !slices.Contains(names, pr.Param) {
			names = append(names, pr.Param)
		}
	}
	for _, name := range names {
		if err := p.Set(name, ""); err != nil {
			return nil, false
		}
	}
	return names, true
}

// problemTexts lists the problems of err for a log record, one text each:
// the problems of a *sobot.ValidationError, or err itself.
func problemTexts(err error) []string {
	var verr *sobot.ValidationError
	if !errors.As(err, &verr) {
		return []string{err.Error()}
	}
	out := make([]string, len(verr.Problems))
	for i, pr := range verr.Problems {
		out[i] = pr.Error()
	}
	return out
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
