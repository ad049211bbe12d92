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
	tests := []struct {
		name    string
		console string
		fields  sobot.Fields
		want    string
	}{
		{"strings", console, sobot.Fields{"b": "2 & 3", "a": "1"},
			console + "&params=" + sobot.QueryEscape(`{"a":"1","b":"2 \u0026 3"}`)},
		{"product card", console, referenceCard.Fields(), console + "&params=" + sobot.QueryEscape(
			`{"card_desc":"云客服,在线客服系统,云呼叫中心,机器人客服,工单客服,智能客服","card_note":"1500元","card_picture":"https://img.sobot.com/console/common/face/admin.png","card_title":"云客服_智齿客服","card_url":"http://www.sobot.com"}`)},
		{"card without title", console, sobot.ProductCard{Note: "1500元"}.Fields(), console + "&params=" + sobot.QueryEscape(`{"card_note":"1500元"}`)},
		{"scalars as given", console, sobot.Fields{"n": json.Number("5.0"), "b": true, "i": 7, "f": 1.5},
			console + "&params=" + sobot.QueryEscape(`{"b":true,"f":1.5,"i":7,"n":5.0}`)},
		{"no query", "https://acme.sobot.com/t", sobot.Fields{"k": "v"}, "https://acme.sobot.com/t?params=%7B%22k%22%3A%22v%22%7D"},
		{"fragment stays last", "https://acme.sobot.com/t?x=1#top", sobot.Fields{"k": "v"},
			"https://acme.sobot.com/t?x=1&params=%7B%22k%22%3A%22v%22%7D#top"},
		{"hash route with its own query", "https://acme.sobot.com/t/#/plugin?x=1", sobot.Fields{"k": "v"},
			"https://acme.sobot.com/t/#/plugin?x=1&params=%7B%22k%22%3A%22v%22%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sobot.TicketURL(tt.console, tt.fields)
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
	got, err := sobot.TicketURL("https://acme.sobot.com/t?", sobot.Fields{"k": "v"})
	require.NoError(t, err)
	assert.Equal(t, "https://acme.sobot.com/t?params=%7B%22k%22%3A%22v%22%7D", got)
}

func TestTicketURLErrors(t *testing.T) {
	const console = "https://acme.sobot.com/t?id=1"
	const notConsole = "url: must be the ticket plugin's link as the console generates it: "
	tests := []struct {
		name    string
		console string
		fields  sobot.Fields
		want    []string
	}{
		{"not http", "ftp://acme.sobot.com/t", sobot.Fields{"k": "v"}, []string{notConsole + "must be an absolute http:// or https:// URL"}},
		{"relative", "/t?id=1", sobot.Fields{"k": "v"}, []string{notConsole + "must be an absolute http:// or https:// URL"}},
		{"no host", "https://?id=1", sobot.Fields{"k": "v"}, []string{notConsole + "must be an absolute http:// or https:// URL"}},
		{"markup", `https://acme.sobot.com/t?id=1"><script>`, sobot.Fields{"k": "v"}, []string{notConsole + `must not contain '"' (percent-encode it)`}},
		{"credentials", "https://user:pw@acme.sobot.com/t", sobot.Fields{"k": "v"}, []string{notConsole + "must not carry a user name or password (user:password@): they would be shown to agents"}},
		{"bad port", "https://acme.sobot.com:99999/t", sobot.Fields{"k": "v"}, []string{notConsole + "has an invalid port: a port is a number from 1 to 65535"}},
		{"params already there", console + "&params=%7B%7D", sobot.Fields{"k": "v"},
			[]string{"url: already carries params; pass the console's link without it"}},
		{"nil", console, nil, []string{"params: is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)"}},
		{"empty", console, sobot.Fields{}, []string{"params: is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)"}},
		{"nested", console, sobot.Fields{"a": map[string]any{"b": "c"}},
			[]string{`params: member "a" is an object or array; values must be strings, numbers or booleans (Sobot shows each field as one value)`}},
		{"null", console, sobot.Fields{"a": nil}, []string{`params: member "a" is null; leave the key out instead`}},
		{"empty key", console, sobot.Fields{"": "v"}, []string{"params: keys must not be empty"}},
		{"card with a bad picture", console, sobot.ProductCard{Picture: "javascript:alert(1)"}.Fields(),
			[]string{"card_picture: must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages)"}},
		{"everything at once", "mailto:x", sobot.Fields{"k": []int{1}}, []string{
			notConsole + "must be an absolute http:// or https:// URL",
			`params: member "k" is a []int; values must be strings, numbers or booleans`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sobot.TicketURL(tt.console, tt.fields)
			assert.Equal(t, tt.want, sobot.ProblemLines(t, err))
		})
	}
}
