package sobot

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzWidgetStrings puts one string into every free-text parameter of a
// widget (and, inside an http URL, into the URI-encoded ones) and checks
// that the snippet keeps its shape (two script elements, no "<" in the
// inline script, no "<!--") and that its config and trace objects, parsed
// as JSON, give back exactly the strings put in.
//
//	go test -run '^$' -fuzz FuzzWidgetStrings -fuzztime 30s .
func FuzzWidgetStrings(f *testing.F) {
	for _, s := range []string{
		"", "plain", "智齿客服", "</script>", "</SCRIPT >", "<!--", "<!-- <script>", "-->", "<script>alert(1)</script>",
		`"`, `'`, `\`, `\"`, `"};alert(1);//`, "\u2028", "\u2029", "a\u2028b\u2029c", "\U0001F600", "\ufffd", "\x00", "\x7f",
		"\r\n\t", "&amp;", "&lt;/script&gt;", "]]>", "${alert(1)}", "`", "javascript:alert(1)", "<img src=x onerror=alert(1)>",
		"\xff\xfe", "%3C%2Fscript%3E", "\\u003c/script\\u003e",
		"0", "11111", "-7", "007", "9007199254740991", "9007199254740992",
	} {
		f.Add(s)
	}
	c := newTestClient(f, Config{Key: NewKey(testWidgetSecret), Defaults: Params{Settings: Settings{Color: "04babc"}}})
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			t.Skip("an empty string means unset")
		}
		link := "https://e.example/p?q=" + url.QueryEscape(s)
		p := &Params{
			User: User{PartnerID: "user-1", Name: s, RealName: s, Tel: s, Email: s, QQ: s, Remark: s,
				Params: Fields{"k": s}, CustomerFields: Fields{"customField1": s}},
			Product:        ProductCard{Title: s, Description: s, Note: s, URL: link, Picture: link},
			Order:          OrderCard{Status: OrderCustomStatus, CustomStatus: s, Code: s, Goods: []Goods{{Name: s, PictureURL: link}}},
			Greeting:       Greeting{Robot: s, Agent: s, AgentOffline: s},
			WidgetSettings: WidgetSettings{InviteText: s, InviteButton: s},
			Visit:          VisitTrace{Previous: PreviousPage{Title: s, Tags: s}, Current: CurrentPage{Abstract: s, URL: link}},
			Extra:          map[string]string{"x_extra": s},
		}
		snip, err := c.RenderWidget(&Widget{Params: p, Traces: []Trace{{Visit: p.Visit}}})
		if !utf8.ValidString(s) {
			require.Error(t, err, "invalid UTF-8 %q accepted", s)
			return
		}
		require.NoError(t, err, "%q", s)
		html := snip.String()
		assertWidgetShape(t, html)
		for i := 0; i < len(html); i++ {
			require.Less(t, html[i], byte(0x80), "%q: the snippet is not ASCII at %d, unsafe in a GBK or Big5 page:\n%s", s, i, html)
		}
		require.NotContains(t, strings.ToLower(html[:strings.Index(html, "</script>")]), "</script", "early </script in\n%s", html)

		cfg := widgetConfig(t, html)
		for _, name := range []string{"uname", "realname", "tel", "email", "qq", "remark", "card_title", "card_desc", "card_note",
			"status_custom", "robot_hello_word", "agent_hello_word", "agent_offline_title", "tip_title", "submit_title", "x_extra"} {
			assert.Equal(t, s, cfg[name], "config[%q]", name)
		}
		// order_code is a number when it is an exact integer, as the
		// reference's example writes it, and the text otherwise.
		if isSafeJSInteger(s) {
			assert.Equal(t, json.Number(s), cfg["order_code"])
		} else {
			assert.Equal(t, s, cfg["order_code"])
		}
		for _, name := range []string{"card_url", "card_picture"} {
			got, err := url.PathUnescape(cfg[name].(string))
			assert.NoError(t, err, "config[%q] = %q", name, cfg[name])
			assert.Equal(t, link, got, "config[%q] = %q, decoded", name, cfg[name])
		}
		wantJSON(t, cfg, "params", map[string]string{"k": s})
		wantJSON(t, cfg, "customer_fields", map[string]string{"customField1": s})
		var goods []Goods
		wantJSON(t, cfg, "goods", &goods)
		if assert.Len(t, goods, 1) && assert.Equal(t, s, goods[0].Name, "goods name") {
			pic, err := url.PathUnescape(goods[0].PictureURL)
			assert.NoError(t, err, "goods pictureUrl %q", goods[0].PictureURL)
			assert.Equal(t, link, pic, "goods pictureUrl %q, decoded", goods[0].PictureURL)
		}
		wantVisit := map[string]any{
			"pre_visit_args": map[string]any{"pre_visit_title": s, "pre_tags": s},
			"cur_visit_args": map[string]any{"cur_abstract": s, "cur_visit_url": link},
		}
		for k, v := range wantVisit {
			assertEqualJSON(t, v, cfg[k], "config[%q]", k)
		}
		trace, ok := widgetScriptLine(t, html, `zc("trace",`)
		if assert.True(t, ok, "no trace call in\n%s", html) {
			assertEqualJSON(t, wantVisit, widgetDecodeObject(t, trace), "trace %s", trace)
		}
	})
}

// wantJSON decodes the JSON text in cfg[name] and compares it with want,
// or decodes into want when it is a pointer.
func wantJSON(t *testing.T, cfg map[string]any, name string, want any) {
	t.Helper()
	text, _ := cfg[name].(string)
	if ptr, ok := want.(*[]Goods); ok {
		assert.NoError(t, json.Unmarshal([]byte(text), ptr), "config[%q] = %q is not JSON", name, text)
		return
	}
	var got map[string]string
	if assert.NoError(t, json.Unmarshal([]byte(text), &got), "config[%q] = %q", name, text) {
		assertEqualJSON(t, want, got, "config[%q] = %q", name, text)
	}
}

// assertEqualJSON asserts that two values have the same JSON encoding.
func assertEqualJSON(t *testing.T, want, got any, msgAndArgs ...any) {
	t.Helper()
	jw, err := json.Marshal(want)
	require.NoError(t, err)
	jg, err := json.Marshal(got)
	if assert.NoError(t, err, msgAndArgs...) {
		assert.Equal(t, string(jw), string(jg), msgAndArgs...)
	}
}
