package main

import (
	"strconv"
	"time"

	"github.com/sobotgo/sobot"
)

// product is an article of the shop.
type product struct {
	ID          string
	Name        string
	Description string
	PriceCents  int64  // in fen: 8900 is ¥89.00
	Image       string // file name under static/
}

// products is the shop's catalogue.
var products = []product{
	{ID: "teapot", Name: "Celadon teapot", Description: "Hand-thrown celadon teapot, 450 ml, with a stainless steel infuser.", PriceCents: 26800, Image: "teapot.svg"},
	{ID: "longjing", Name: "Longjing green tea, 250 g", Description: "First-flush West Lake Longjing, picked before Qingming.", PriceCents: 18800, Image: "tea.svg"},
	{ID: "cups", Name: "Tea cups, set of 4", Description: "Thin porcelain cups, 80 ml each, in a gift box.", PriceCents: 8900, Image: "cups.svg"},
}

// productByID returns the product with the given id.
func productByID(id string) (product, bool) {
	for _, p := range products {
		if p.ID == id {
			return p, true
		}
	}
	return product{}, false
}

// order is an order placed by an account.
type order struct {
	Code    string
	Owner   string // account id: only the owner may see the order
	Status  sobot.OrderStatus
	Custom  string // the status text when Status is sobot.OrderCustomStatus
	Created time.Time
	Items   []orderItem
}

// orderItem is one line of an order.
type orderItem struct {
	Product product
	Qty     int
}

// cst is China Standard Time, in which the shop records its orders.
var cst = time.FixedZone("CST", 8*60*60)

// orders are the demo orders, one per account, in three different states.
var orders = []order{
	{Code: "20250001", Owner: "u-1001", Status: sobot.OrderInTransit, Created: time.Date(2025, 3, 8, 10, 24, 0, 0, cst),
		Items: []orderItem{{mustProduct("teapot"), 1}, {mustProduct("cups"), 2}}},
	{Code: "20250002", Owner: "u-1002", Status: sobot.OrderPendingShipment, Created: time.Date(2025, 3, 9, 16, 5, 0, 0, cst),
		Items: []orderItem{{mustProduct("longjing"), 3}}},
	// A custom status shows the card's status_custom text.
	{Code: "20250003", Owner: "u-1003", Status: sobot.OrderCustomStatus, Custom: "预售中 (pre-sale)", Created: time.Date(2025, 3, 10, 9, 30, 0, 0, cst),
		Items: []orderItem{{mustProduct("longjing"), 1}, {mustProduct("teapot"), 1}}},
}

// mustProduct returns a product of the catalogue, for the order table above.
func mustProduct(id string) product {
	p, ok := productByID(id)
	if !ok {
		panic("catalog: no product " + id)
	}
	return p
}

// ordersOf returns the orders of account id.
func ordersOf(id string) []order {
	var out []order
	for _, o := range orders {
		if o.Owner == id {
			out = append(out, o)
		}
	}
	return out
}

// orderOf returns order code if it belongs to account id. An order of
// another account is reported as missing, so that its existence is not
// revealed either.
func orderOf(id, code string) (order, bool) {
	for _, o := range ordersOf(id) {
		if o.Code == code {
			return o, true
		}
	}
	return order{}, false
}

// Count returns the number of items in the order.
func (o order) Count() int {
	n := 0
	for _, it := range o.Items {
		n += it.Qty
	}
	return n
}

// TotalCents returns the order's amount in fen.
func (o order) TotalCents() int64 {
	var sum int64
	for _, it := range o.Items {
		sum += it.Product.PriceCents * int64(it.Qty)
	}
	return sum
}

// StatusText returns the order's status for people.
func (o order) StatusText() string {
	if o.Status == sobot.OrderCustomStatus {
		return o.Custom
	}
	return statusText[o.Status]
}

// statusText names the order states the shop uses.
var statusText = map[sobot.OrderStatus]string{
	sobot.OrderPendingPayment:  "awaiting payment",
	sobot.OrderPendingShipment: "awaiting shipment",
	sobot.OrderInTransit:       "in transit",
	sobot.OrderOutForDelivery:  "out for delivery",
	sobot.OrderCompleted:       "completed",
}

// yuan formats an amount in fen as "¥268.00".
func yuan(cents int64) string {
	frac := strconv.FormatInt(100+cents%100, 10)[1:]
	return "¥" + strconv.FormatInt(cents/100, 10) + "." + frac
}
