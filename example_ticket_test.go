package sobot_test

import (
	"fmt"
	"log"

	"github.com/sobotgo/sobot"
)

// The reference's ticket-plugin example: the console's link with a product
// card's fields as params.
func ExampleTicketURL() {
	card := sobot.ProductCard{
		Title: "云客服_智齿客服",
		URL:   "http://www.sobot.com",
		Note:  "1500元",
	}
	link, err := sobot.TicketURL("https://acme.sobot.com/ticket-plugin?pluginId=7", card.Fields())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link)
	// Output:
	// https://acme.sobot.com/ticket-plugin?pluginId=7&params=%7B%22card_note%22%3A%221500%E5%85%83%22%2C%22card_title%22%3A%22%E4%BA%91%E5%AE%A2%E6%9C%8D_%E6%99%BA%E9%BD%BF%E5%AE%A2%E6%9C%8D%22%2C%22card_url%22%3A%22http%3A%2F%2Fwww.sobot.com%22%7D
}

// Ticket fields of your own (对接型字段): strings, numbers or booleans.
// Errors list every problem.
func ExampleTicketURL_fields() {
	link, err := sobot.TicketURL("https://acme.sobot.com/ticket-plugin?pluginId=7", sobot.Fields{"order_no": "A-1001", "amount": 25})
	fmt.Println(link, err)

	_, err = sobot.TicketURL("acme.sobot.com/ticket-plugin", sobot.Fields{"items": []string{"tea"}})
	fmt.Println(err)
	// Output:
	// https://acme.sobot.com/ticket-plugin?pluginId=7&params=%7B%22amount%22%3A25%2C%22order_no%22%3A%22A-1001%22%7D <nil>
	// sobot: 2 invalid parameters:
	// 	url: must be the ticket plugin's link as the console generates it: must be an absolute http:// or https:// URL (got "acme.sobot.com/ticket-plugin")
	// 	params: member "items" is a []string; values must be strings, numbers or booleans
}
