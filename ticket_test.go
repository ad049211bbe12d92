package sobot_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// referenceCard is the product card of the reference's ticket-plugin example.
var referenceCard = sobot.ProductCard{
	Title:       "云客服_智齿客服",
	URL:         "http://www.sobot.com",
	Description: "云客服,在线客服系统,云呼叫中心,机器人客服,工单客服,智能客服",
	Note:        "1500元",
	Picture:     "https://img.sobot.com/console/common/face/admin.png",
}

func TestTicketURL(t *testing.T) {
	const console = "https://acme.sobot.com/ticket-plugin/index.html?sysNum=abc&pluginId=7"
	type fields struct {
		Order string `json:"order_no"`
		Level string `json:"等级"`
	}
	tests := []struct {
		name    string
		console string
		params  any
		want    string
	}{
		{"map", console, map[string]string{"b": "2 & 3", "a": "1"},
			console + "&params=" + sobot.QueryEscape(`{"a":"1","b":"2 \u0026 3"}`)},
		{"product card", console, referenceCard, console + "&params=" + sobot.QueryEscape(
			`{"card_desc":"云客服,在线客服系统,云呼叫中心,机器人客服,工单客服,智能客服","card_note":"1500元","card_picture":"https://img.sobot.com/console/common/face/admin.png","card_title":"云客服_智齿客服","card_url":"http://www.sobot.com"}`)},
		{"card pointer", console, &sobot.ProductCard{Title: "t"}, console + "&params=%7B%22card_title%22%3A%22t%22%7D"},
		{"struct with json tags", console, fields{Order: "A1", Level: "Boss"},
			console + "&params=" + sobot.QueryEscape(`{"order_no":"A1","等级":"Boss"}`)},
		{"map[string]any", console, map[string]any{"k": "v"}, console + "&params=%7B%22k%22%3A%22v%22%7D"},
		{"raw JSON", console, json.RawMessage(`{"k": "v"}`), console + "&params=%7B%22k%22%3A%22v%22%7D"},
		{"no query", "https://acme.sobot.com/t", map[string]string{"k": "v"}, "https://acme.sobot.com/t?params=%7B%22k%22%3A%22v%22%7D"},
		{"fragment stays last", "https://acme.sobot.com/t?x=1#top", map[string]string{"k": "v"},
			"https://acme.sobot.com/t?x=1&params=%7B%22k%22%3A%22v%22%7D#top"},
		{"hash route with its own query", "https://acme.sobot.com/t/#/plugin?x=1", map[string]string{"k": "v"},
			"https://acme.sobot.com/t/#/plugin?x=1&params=%7B%22k%22%3A%22v%22%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sobot.TicketURL(tt.console, tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			back, err := sobot.Inspect(got)
			require.NoError(t, err)
			assert.Equal(t, sobot.KindTicket, back.Kind)
			assert.Equal(t, tt.console, back.BaseURL, "the console's link comes back as it was")
			assert.Empty(t, back.Problems)
			again, err := sobot.TicketURL(back.BaseURL, back.Params.User.Params)
			require.NoError(t, err)
			assert.Equal(t, got, again)
		})
	}
}

func TestTicketURLEmptyQuery(t *testing.T) {
	got, err := sobot.TicketURL("https://acme.sobot.com/t?", map[string]string{"k": "v"})
	require.NoError(t, err)
	assert.Equal(t, "https://acme.sobot.com/t?params=%7B%22k%22%3A%22v%22%7D", got)
}

func TestTicketURLErrors(t *testing.T) {
	const console = "https://acme.sobot.com/t?id=1"
	tests := []struct {
		name    string
		console string
		params  any
		want    []string
	}{
		{"not http", "ftp://acme.sobot.com/t", map[string]string{"k": "v"},
			[]string{"url: must be the ticket plugin's http(s) link as the console generates it"}},
		{"relative", "/t?id=1", map[string]string{"k": "v"},
			[]string{"url: must be the ticket plugin's http(s) link as the console generates it"}},
		{"no host", "https://?id=1", map[string]string{"k": "v"},
			[]string{"url: must be the ticket plugin's http(s) link as the console generates it"}},
		{"params already there", console + "&params=%7B%7D", map[string]string{"k": "v"},
			[]string{"url: already carries params; pass the console's link without it"}},
		{"nil", console, nil, []string{"params: is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)"}},
		{"empty map", console, map[string]string{}, []string{"params: is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)"}},
		{"nil card pointer", console, (*sobot.ProductCard)(nil), []string{"params: is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)"}},
		{"array", console, []string{"a"}, []string{"params: must be a JSON object of strings, such as a ProductCard or a map[string]string of 对接型字段"}},
		{"string", console, `{"k":"v"}`, []string{"params: must be a JSON object of strings, such as a ProductCard or a map[string]string of 对接型字段"}},
		{"number values", console, map[string]any{"n": 1}, []string{"params: must be a JSON object of strings, such as a ProductCard or a map[string]string of 对接型字段"}},
		{"empty key", console, map[string]string{"": "v"}, []string{"params: keys must not be empty"}},
		{"card without title, bad picture", console, sobot.ProductCard{Picture: "javascript:alert(1)"},
			[]string{"card_picture: must be an absolute http:// or https:// URL", "card_title: is required for a product card (card_picture is set)"}},
		{"everything at once", "mailto:x", []int{1}, []string{
			"url: must be the ticket plugin's http(s) link as the console generates it",
			"params: must be a JSON object of strings, such as a ProductCard or a map[string]string of 对接型字段"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sobot.TicketURL(tt.console, tt.params)
			assert.Equal(t, tt.want, sobot.ProblemLines(t, err))
		})
	}
}
