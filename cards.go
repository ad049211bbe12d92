package sobot

import "time"

// ProductCard is the product card shown to the visitor and sent to the agent
// (商品卡片: card_*). Title is required once any card field is set. The
// reference's section heading says cards are supported on H5; its table lists
// them for links and widget alike, which this library follows.
type ProductCard struct {
	// Title is the product title (card_title), required.
	Title string `url:"card_title,omitempty"`
	// URL is the product page (card_url): an http(s) URL, or a WeChat
	// mini-program page path such as "pages/goods/detail?id=1" (opens only
	// inside WeChat).
	URL string `url:"card_url,omitempty"`
	// Description is a short summary (card_desc).
	Description string `url:"card_desc,omitempty"`
	// Note is a label such as the price (card_note), e.g. "2000元".
	Note string `url:"card_note,omitempty"`
	// Picture is the thumbnail URL (card_picture), http or https.
	Picture string `url:"card_picture,omitempty"`
}

// IsZero reports whether no card field is set.
func (c ProductCard) IsZero() bool { return c == ProductCard{} }

// OrderCard is the order card the visitor can send to the agent (订单卡片:
// order_status, create_time, goods ...).
type OrderCard struct {
	// Status is the order status (order_status).
	Status OrderStatus `url:"order_status,omitempty"`
	// CustomStatus is the status text shown when Status is
	// OrderCustomStatus (status_custom), and required then; with another
	// status it is allowed, and Sobot ignores it.
	CustomStatus string `url:"status_custom,omitempty"`
	// Created is when the order was created (create_time, sent as Unix
	// milliseconds).
	Created time.Time `url:"create_time,omitempty"`
	// Code is the order number (order_code).
	Code string `url:"order_code,omitempty"`
	// URL is the order page (order_url): http(s) or a mini-program page path.
	URL string `url:"order_url,omitempty"`
	// GoodsCount is the number of items (goods_count).
	GoodsCount *int `url:"goods_count,omitempty"`
	// TotalFee is the order amount in whole cents (total_fee): 1000 is 10.00
	// yuan. Not negative.
	TotalFee *int64 `url:"total_fee,omitempty"`
	// Goods are the order's items (goods), sent as a JSON array.
	Goods []Goods `url:"goods,omitempty"`
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
	Robot string `url:"robot_hello_word,omitempty"`
	// Agent is the human agent's welcome message (agent_hello_word).
	Agent string `url:"agent_hello_word,omitempty"`
	// AgentOffline is shown when no agent is online (agent_offline_title).
	AgentOffline string `url:"agent_offline_title,omitempty"`
}
