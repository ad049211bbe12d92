package sobot

import "time"

// ProductCard is the product card shown to the visitor and sent to the agent
// (商品卡片: card_*). Title is required once any card field is set. The
// reference's section heading says cards are supported on H5; its table lists
// them for links and widget alike, which this library follows.
type ProductCard struct {
	// Title is the product title (card_title), required.
	Title string
	// URL is the product page (card_url): an http(s) URL, or a WeChat
	// mini-program page path such as "pages/goods/detail?id=1" (opens only
	// inside WeChat).
	URL string
	// Description is a short summary (card_desc).
	Description string
	// Note is a label such as the price (card_note), e.g. "2000元".
	Note string
	// Picture is the thumbnail URL (card_picture), http or https.
	Picture string
}

// IsZero reports whether no card field is set.
func (c ProductCard) IsZero() bool { return c == ProductCard{} }

// Fields returns the card's set fields by wire name (card_title, card_url,
// ...), the ticket fields of the reference's ticket-plugin example:
//
//	link, err := sobot.TicketURL(consoleLink, card.Fields())
func (c ProductCard) Fields() Fields {
	f := Fields{}
	for _, fd := range collect(&Params{Product: c}, nil) {
		f[fd.name] = fd.text
	}
	return f
}

// OrderCard is the order card the visitor can send to the agent (订单卡片:
// order_status, create_time, goods ...).
type OrderCard struct {
	// Status is the order status (order_status).
	Status OrderStatus
	// CustomStatus is the status text shown when Status is
	// OrderCustomStatus (status_custom), and required then; with another
	// status it is allowed, and Sobot ignores it.
	CustomStatus string
	// Created is when the order was created (create_time, sent as Unix
	// milliseconds).
	Created time.Time
	// Code is the order number (order_code).
	Code string
	// URL is the order page (order_url): http(s) or a mini-program page path.
	URL string
	// GoodsCount is the number of items (goods_count).
	GoodsCount *int
	// TotalFee is the order amount in whole cents (total_fee): 1000 is 10.00
	// yuan. Not negative.
	TotalFee *int64
	// Goods are the order's items (goods), sent as a JSON array.
	Goods []Goods
}

// IsZero reports whether no order field is set.
func (o OrderCard) IsZero() bool {
	return o.Status == "" && o.CustomStatus == "" && o.Created.IsZero() && o.Code == "" &&
		o.URL == "" && o.GoodsCount == nil && o.TotalFee == nil && len(o.Goods) == 0
}

// Goods is one item of an order card (goods数据结构).
type Goods struct {
	// Name is the item's name (name).
	Name string `json:"name"`
	// PictureURL is the item's picture (pictureUrl), http or https.
	PictureURL string `json:"pictureUrl"`
}

// OrderStatus is an order card's status (order_status). Its value is the
// wire number as text, so OrderStatus("1") and OrderPendingPayment are the
// same; the zero value is unset.
type OrderStatus string

// OrderStatus values.
const (
	OrderCustomStatus    OrderStatus = "0" // custom text in CustomStatus
	OrderPendingPayment  OrderStatus = "1" // 待付款 awaiting payment
	OrderPendingShipment OrderStatus = "2" // 待发货 awaiting shipment
	OrderInTransit       OrderStatus = "3" // 运输中 in transit
	OrderOutForDelivery  OrderStatus = "4" // 派送中 out for delivery
	OrderCompleted       OrderStatus = "5" // 已完成 completed
	OrderPendingReview   OrderStatus = "6" // 待评价 awaiting review
	OrderCancelled       OrderStatus = "7" // 已取消 cancelled
)

// Greeting holds the welcome and offline texts (消息字段).
type Greeting struct {
	// Robot is the robot's welcome message (robot_hello_word).
	Robot string
	// Agent is the human agent's welcome message (agent_hello_word).
	Agent string
	// AgentOffline is shown when no agent is online (agent_offline_title).
	AgentOffline string
}

// IsZero reports whether no greeting is set.
func (g Greeting) IsZero() bool { return g == Greeting{} }
