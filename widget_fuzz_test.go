package sobot

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
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
			if err == nil {
				t.Fatalf("invalid UTF-8 %q accepted", s)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		html := snip.String()
		assertWidgetShape(t, html)
		for i := 0; i < len(html); i++ {
			if html[i] >= 0x80 {
				t.Fatalf("%q: the snippet is not ASCII at %d, unsafe in a GBK or Big5 page:\n%s", s, i, html)
			}
		}
		if strings.Contains(strings.ToLower(html[:strings.Index(html, "</script>")]), "</script") {
			t.Fatalf("early </script in\n%s", html)
		}

		cfg := widgetConfig(t, html)
		for _, name := range []string{"uname", "realname", "tel", "email", "qq", "remark", "card_title", "card_desc", "card_note",
			"status_custom", "robot_hello_word", "agent_hello_word", "agent_offline_title", "tip_title", "submit_title", "x_extra"} {
			if cfg[name] != s {
				t.Errorf("config[%q] = %q, want %q", name, cfg[name], s)
			}
		}
		// order_code is a number when it is an exact integer, as the
		// reference's example writes it, and the text otherwise.
		if n, isNumber := cfg["order_code"].(json.Number); isNumber {
			if !isSafeJSInteger(s) || string(n) != s {
				t.Errorf("config[order_code] = %s, want %q", n, s)
			}
		} else if cfg["order_code"] != s || isSafeJSInteger(s) {
			t.Errorf("config[order_code] = %#v, want %q", cfg["order_code"], s)
		}
		for _, name := range []string{"card_url", "card_picture"} {
			if got, err := url.PathUnescape(cfg[name].(string)); err != nil || got != link {
				t.Errorf("config[%q] = %q decodes to %q (%v), want %q", name, cfg[name], got, err, link)
			}
		}
		wantJSON(t, cfg, "params", map[string]string{"k": s})
		wantJSON(t, cfg, "customer_fields", map[string]string{"customField1": s})
		var goods []Goods
		wantJSON(t, cfg, "goods", &goods)
		if len(goods) != 1 || goods[0].Name != s {
			t.Errorf("goods = %+v, want name %q", goods, s)
		} else if pic, err := url.PathUnescape(goods[0].PictureURL); err != nil || pic != link {
			t.Errorf("goods pictureUrl %q decodes to %q, want %q", goods[0].PictureURL, pic, link)
		}
		wantVisit := map[string]any{
			"pre_visit_args": map[string]any{"pre_visit_title": s, "pre_tags": s},
			"cur_visit_args": map[string]any{"cur_abstract": s, "cur_visit_url": link},
		}
		for k, v := range wantVisit {
			if !equalJSON(cfg[k], v) {
				t.Errorf("config[%q] = %v, want %v", k, cfg[k], v)
			}
		}
		trace, ok := widgetScriptLine(t, html, `zc("trace",`)
		if !ok || !equalJSON(map[string]any(widgetDecodeObject(t, trace)), wantVisit) {
			t.Errorf("trace %s, want %v", trace, wantVisit)
		}
	})
}

// wantJSON decodes the JSON text in cfg[name] and compares it with want,
// or decodes into want when it is a pointer.
func wantJSON(t *testing.T, cfg map[string]any, name string, want any) {
	t.Helper()
	text, _ := cfg[name].(string)
	if ptr, ok := want.(*[]Goods); ok {
		if err := json.Unmarshal([]byte(text), ptr); err != nil {
			t.Errorf("config[%q] = %q is not JSON: %v", name, text, err)
		}
		return
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(text), &got); err != nil || !equalJSON(got, want) {
		t.Errorf("config[%q] = %q, want JSON of %v", name, text, want)
	}
}

// equalJSON compares two values by their JSON encoding.
func equalJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
