package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// ticketLink is the library's ticket-plugin link for console and fields.
func ticketLink(t *testing.T, console string, fields sobot.Fields) string {
	t.Helper()
	link, err := sobot.TicketURL(console, fields)
	require.NoError(t, err)
	return link + "\n"
}

// ticketLines are the lines of the problems TicketURL finds.
func ticketLines(t *testing.T, console string, fields sobot.Fields) string {
	t.Helper()
	_, err := sobot.TicketURL(console, fields)
	return problemLines(t, err)
}

// TestTicket: sobot ticket prints the console's link with the fields as
// params, as TicketURL builds it: arguments are strings, a params file's
// values JSON scalars as written; every problem at once, exit 1.
func TestTicket(t *testing.T) {
	t.Parallel()
	const console = "https://acme.sobot.com/ticket/plugin?id=7"
	notFields := "must hold a JSON object of the ticket's fields, such as {\"order_code\": \"A-1001\", \"amount\": 120}\n"
	runCases(t, []cliCase{
		{"fields as arguments", nil, "", []string{"ticket", console, "order_code=A-1001", "note=小丁 & co"}, 0,
			ticketLink(t, console, sobot.Fields{"order_code": "A-1001", "note": "小丁 & co"}), ""},
		{"fields from a file, arguments override it", nil, `{"amount": 120.50, "paid": true, "count": 3, "note": null, "order_code": "file"}`,
			[]string{"ticket", "--params-file", "-", console, "order_code=A-1001"}, 0,
			ticketLink(t, console, sobot.Fields{"amount": json.Number("120.50"), "paid": true, "count": json.Number("3"), "order_code": "A-1001"}), ""},
		{"a number as an argument is text", nil, "", []string{"ticket", console, "count=3"}, 0,
			ticketLink(t, console, sobot.Fields{"count": "3"}), ""},
		{"a card field is checked as the card's parameter", nil, "", []string{"ticket", console, "card_url=javascript:alert(1)"}, 1, "",
			ticketLines(t, console, sobot.Fields{"card_url": "javascript:alert(1)"})},
		{"no fields", nil, "", []string{"ticket", console}, 1, "", ticketLines(t, console, nil)},
		{"an object in the file", nil, `{"a": {"b": 1}, "c": [1]}`, []string{"ticket", "--params-file", "-", console}, 1, "",
			ticketLines(t, console, sobot.Fields{"a": map[string]any{"b": json.Number("1")}, "c": []any{json.Number("1")}})},
		{"the link already carries params", nil, "", []string{"ticket", console + "&params=%7B%7D", "a=1"}, 1, "",
			ticketLines(t, console+"&params=%7B%7D", sobot.Fields{"a": "1"})},
		{"not a link, and not repeated", nil, "", []string{"ticket", "not-a-link", "a=1"}, 1, "",
			"url: must be the ticket plugin's link as the console generates it: " + urlReason(t, "not-a-link") + "\n"},
		{"a NAME twice", nil, "", []string{"ticket", console, "a=1", "a=2"}, 1, "", "a: is given more than once; give it once\n"},
		{"a NAME twice in the file", nil, `{"a": 1, "a": 2}`, []string{"ticket", "--params-file", "-", console}, 1, "",
			"a: is given more than once in the params file; give it once\n"},
		{"no link", nil, "", []string{"ticket"}, 2, "",
			"sobot ticket: want the console's ticket-plugin link (CONSOLE_URL), then the fields as NAME=VALUE\n" + usageHint},
		{"not NAME=VALUE", nil, "", []string{"ticket", console, "a=1", "b"}, 2, "", "sobot ticket: argument 3 is not NAME=VALUE\n" + usageHint},
		{"params file not an object", nil, "[1]", []string{"ticket", "--params-file", "-", console}, 2, "",
			"sobot ticket: --params-file - (stdin): " + notFields + usageHint},
		{"empty --params-file", nil, "", []string{"ticket", "--params-file=", console}, 2, "",
			"sobot ticket: --params-file is empty: give a value, or leave --params-file out\n" + usageHint},
		{"unknown flag", nil, "", []string{"ticket", "--key", secret, console}, 2, "",
			"sobot ticket: argument 1 is an unknown flag; the flags are --params-file and -h\n" + usageHint},
	})
}

// urlReason is why TicketURL refuses a console link, after "url: ... as the
// console generates it: ".
func urlReason(t *testing.T, console string) string {
	t.Helper()
	_, err := sobot.TicketURL(console, sobot.Fields{"a": "1"})
	var verr *sobot.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Len(t, verr.Problems, 1)
	require.Equal(t, console, verr.Problems[0].Value, "the library repeats the link")
	const prefix = "must be the ticket plugin's link as the console generates it: "
	require.Contains(t, verr.Problems[0].Reason, prefix)
	return verr.Problems[0].Reason[len(prefix):]
}
