package sobot

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testWidgetSecret is the key of the widget tests' signed clients.
const testWidgetSecret = "s3cret-key-012345"

// renderWidget renders w, failing the test on error.
func renderWidget(t testing.TB, c *Client, w *Widget) string {
	t.Helper()
	s, err := c.RenderWidget(w)
	require.NoError(t, err, "RenderWidget")
	return s.String()
}

// widgetScriptLine returns the line of the inline script that starts with
// prefix, without the prefix and the trailing ");" or ")});".
func widgetScriptLine(t testing.TB, html, prefix string) (string, bool) {
	t.Helper()
	for line := range strings.SplitSeq(html, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			rest = strings.TrimSuffix(rest, ";")
			rest = strings.TrimSuffix(rest, ")")
			rest = strings.TrimSuffix(rest, ")}")
			return rest, true
		}
	}
	return "", false
}

// widgetConfig decodes the object of the snippet's zc("config", ...) call,
// which must be valid JSON, keeping numbers as json.Number.
func widgetConfig(t testing.TB, html string) map[string]any {
	t.Helper()
	obj, ok := widgetScriptLine(t, html, `zc("config",`)
	require.True(t, ok, "no config call in\n%s", html)
	return widgetDecodeObject(t, obj)
}

// widgetDecodeObject decodes a JSON object, numbers as json.Number.
func widgetDecodeObject(t testing.TB, obj string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(obj))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m), "config object is not JSON:\n%s", obj)
	require.False(t, dec.More(), "trailing text after the config object: %s", obj)
	return m
}

// TestWidgetJSTypes pins the JavaScript type of every widget parameter to
// what the reference's examples use, including where its tables say
// otherwise (see the README's Widget section): it fails if a row's JS type
// or its encoding changes, and if a widget parameter has no case.
func TestWidgetJSTypes(t *testing.T) {
	num := func(s string) any { return json.Number(s) }
	cases := []struct {
		name string
		wire string            // the wire text set with Params.Set
		with map[string]string // other parameters the rule needs
		want any               // the decoded config value
	}{
		{name: "partnerid", wire: "u-1", want: "u-1"},
		{name: "uname", wire: "智齿", want: "智齿"},
		{name: "realname", wire: "丁丁猫", want: "丁丁猫"},
		{name: "email", wire: "a@b.c", want: "a@b.c"},
		{name: "tel", wire: "18888888888", want: "18888888888"},
		{name: "face", wire: "https://img.sobot.com/a.png", want: "https://img.sobot.com/a.png"},
		{name: "qq", wire: "2345678", want: "2345678"},
		{name: "remark", wire: "vip", want: "vip"},
		{name: "params", wire: `{"等级":"Boss"}`, want: `{"等级":"Boss"}`},
		{name: "customer_fields", wire: `{"customField4":"x"}`, want: `{"customField4":"x"}`},
		{name: "is_vip", wire: "1", want: num("1")},
		{name: "vip_level", wire: "05bc", want: "05bc"},
		{name: "user_label", wire: "05bd", want: "05bd"},
		{name: "satDegree_A", wire: "true", want: true},
		{name: "color", wire: "04babc", want: "04babc"},
		{name: "locale", wire: "en", want: "en"},
		{name: "show_manual", wire: "1", want: "1"},
		{name: "type", wire: "3", want: num("3")}, // table: String; example: type:3
		{name: "agentid", wire: "1q2w3e4r", want: "1q2w3e4r"},
		{name: "groupid", wire: "4r3e2w1q", want: "4r3e2w1q"},
		{name: "robotid", wire: "2", want: num("2")},
		{name: "msg_flag", wire: "0", want: false},      // table: String 1/0; example: msg_flag:false
		{name: "leave_msg_flag", wire: "1", want: true}, // table: String; example: true
		{name: "feedback_flag", wire: "0", want: false},
		{name: "photo_flag", wire: "1", want: true},
		{name: "show_evaluate", wire: "0", want: num("0")}, // table: String; example: show_evaluate: 0
		{name: "to_customsys_flag", wire: "1", want: true, with: map[string]string{"to_customsys_url": "https://www.sobot.com"}},
		{name: "to_customsys_url", wire: "https://www.sobot.com", want: "https://www.sobot.com"},
		{name: "leave_customsys_flag", wire: "1", want: "1", with: map[string]string{"leave_customsys_url": "https://x.example"}},
		{name: "leave_customsys_url", wire: "https://x.example", want: "https://x.example"},
		{name: "agent_mode_flag", wire: "0", want: "0"},
		{name: "title_flag", wire: "2", want: "2", with: map[string]string{"custom_title": "Help"}},
		{name: "custom_title", wire: "Help", want: "Help"},
		{name: "guide_flag", wire: "1", want: "1"},
		{name: "cut_flag", wire: "hide", want: "hide"},
		{name: "time", wire: "15", want: num("15")}, // table: String; example: time:15
		{name: "queueFirst", wire: "1", want: "1"},
		{name: "transfer_action", wire: `[{"actionType":"to_group","optionId":"4","deciId":"g1"}]`, want: `[{"actionType":"to_group","optionId":"4","deciId":"g1"}]`},
		{name: "summaryparams", wire: "s", want: "s"},
		{name: "reload", wire: "true", want: true},
		{name: "emoji_state", wire: "hide", want: "hide"},
		{name: "source", wire: "4", want: "4"},
		{name: "is_link", wire: "0", want: num("0")},
		{name: "show_face", wire: "1", want: num("1")},
		{name: "anchor", wire: "true", want: true}, // table: String; example: anchor:true
		{name: "async", wire: "1", want: "1"},
		{name: "invite", wire: "1", want: num("1")}, // table: String; example: invite:1
		{name: "tip_title", wire: "欢迎咨询", want: "欢迎咨询"},
		{name: "submit_title", wire: "开始聊天吧", want: "开始聊天吧"},
		{name: "first_timeout", wire: "2", want: num("2")},
		{name: "over_timeout", wire: "10", want: num("10")},
		{name: "invite_count", wire: "5", want: num("5")},
		{name: "invite_imgsrc", wire: "https://img.example/logo.png", want: "https://img.example/logo.png"},
		{name: "container_style", wire: "border:0", want: "border:0"},
		{name: "height", wire: "600px", want: "600px"},
		{name: "width", wire: "400px", want: "400px"},
		{name: "refresh", wire: "false", want: false},
		{name: "faqid", wire: "7", want: num("7")},
		{name: "expand_size", wire: "half", want: "half"},
		{name: "gif", wire: "1", want: num("1")},
		{name: "auto_expand", wire: "true", want: true}, // table: String; example: auto_expand:true
		{name: "card_title", wire: "云客服_智齿客服", want: "云客服_智齿客服"},
		// The card example: card_url:encodeURIComponent("http://www.sobot.com").
		{name: "card_url", wire: "http://www.sobot.com", want: "http%3A%2F%2Fwww.sobot.com", with: map[string]string{"card_title": "t"}},
		{name: "card_note", wire: "1500,2000", want: "1500,2000", with: map[string]string{"card_title": "t"}},
		{name: "card_desc", wire: "云客服", want: "云客服", with: map[string]string{"card_title": "t"}},
		{name: "card_picture", wire: "https://img.sobot.com/console/common/face/admin.png", want: "https%3A%2F%2Fimg.sobot.com%2Fconsole%2Fcommon%2Fface%2Fadmin.png", with: map[string]string{"card_title": "t"}},
		{name: "order_status", wire: "1", want: num("1")},
		{name: "status_custom", wire: "自定义状态", want: "自定义状态", with: map[string]string{"order_status": "0"}},
		// The order example writes create_time:"1586414406391", a string; one table says Number.
		{name: "create_time", wire: "1586414406391", want: "1586414406391"},
		// The example writes order_code: 11111, a number; codes a JS number
		// cannot hold exactly (leading zeros, letters, beyond 2^53−1) stay
		// strings, as the message table types them.
		{name: "order_code", wire: "11111", want: num("11111")},
		{name: "order_code", wire: "0011111", want: "0011111"},
		{name: "order_code", wire: "9007199254740991", want: num("9007199254740991")},
		{name: "order_code", wire: "9007199254740992", want: "9007199254740992"},
		{name: "order_code", wire: "SO-2024-001", want: "SO-2024-001"},
		{name: "order_code", wire: "-0", want: "-0"},
		{name: "order_url", wire: "http://www.sobot.com", want: "http%3A%2F%2Fwww.sobot.com"},
		{name: "goods_count", wire: "2", want: num("2")},
		{name: "total_fee", wire: "1000", want: num("1000")},
		// The example: goods: JSON.stringify([{"name":..., "pictureUrl": encodeURIComponent(...)}]).
		{name: "goods", wire: `[{"name":"saaadad","pictureUrl":"https://img.sobot.com/console/common/face/admin.png"}]`,
			want: `[{"name":"saaadad","pictureUrl":"https%3A%2F%2Fimg.sobot.com%2Fconsole%2Fcommon%2Fface%2Fadmin.png"}]`},
		{name: "robot_hello_word", wire: "hi", want: "hi"},
		{name: "agent_hello_word", wire: "hello", want: "hello"},
		{name: "agent_offline_title", wire: "offline", want: "offline"},
		{name: "pre_abstract", wire: "a", want: map[string]any{"pre_abstract": "a"}},
		{name: "pre_visit_url", wire: "https://p.example/", want: map[string]any{"pre_visit_url": "https://p.example/"}},
		{name: "pre_visit_title", wire: "t", want: map[string]any{"pre_visit_title": "t"}},
		{name: "pre_thumbnail", wire: "https://p.example/t.png", want: map[string]any{"pre_thumbnail": "https://p.example/t.png"}},
		{name: "pre_tags", wire: "x,y", want: map[string]any{"pre_tags": "x,y"}},
		{name: "cur_abstract", wire: "a", want: map[string]any{"cur_abstract": "a"}},
		{name: "cur_visit_url", wire: "https://c.example/", want: map[string]any{"cur_visit_url": "https://c.example/"}},
		{name: "cur_visit_title", wire: "t", want: map[string]any{"cur_visit_title": "t"}},
		{name: "cur_thumbnail", wire: "https://c.example/t.png", want: map[string]any{"cur_thumbnail": "https://c.example/t.png"}},
		{name: "cur_tags", wire: "z", want: map[string]any{"cur_tags": "z"}},
		{name: "platformUnionCode", wire: "p1", want: "p1"},
		{name: "flowType", wire: "2", want: num("2")},
		{name: "flowCompanyId", wire: "c1", want: "c1"},
		{name: "flowGroupId", wire: "g1", want: "g1"},
		{name: "manual", wire: "true", want: true},
		{name: "custom", wire: "true", want: true},
		{name: "location", wire: "2", want: num("2")},
		{name: "invite_flag", wire: "true", want: true},
		{name: "man_trace", wire: "true", want: true},
	}
	covered := map[string]bool{"channelid": true} // on the loader URL; see TestWidgetLoader
	c := newTestClient(t, Config{})
	for _, tc := range cases {
		covered[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			var p Params
			for name, wire := range tc.with {
				require.NoError(t, p.Set(name, wire))
			}
			require.NoError(t, p.Set(tc.name, tc.wire))
			cfg := widgetConfig(t, renderWidget(t, c, &Widget{Params: &p}))
			key := tc.name
			if r, _ := LookupParam(tc.name); r.JS == JSObjectMember {
				key = r.Parent
			}
			assert.Equal(t, tc.want, cfg[key], "config[%q]", key)
		})
	}
	for _, r := range ParamTable() {
		if r.Allows(KindWidget) && r.Field != "" {
			assert.True(t, covered[r.Name], "widget parameter %s has no case", r.Name)
		}
	}
}

// TestWidgetVisitArgsGrouped checks the reference's 自定义采集内容 shape: the
// pre_* and cur_* rows in two objects, not as top-level keys.
func TestWidgetVisitArgsGrouped(t *testing.T) {
	c := newTestClient(t, Config{})
	p := &Params{Visit: VisitTrace{
		Previous: PreviousPage{Abstract: "pa", URL: "https://p.example/", Title: "pt", Thumbnail: "https://p.example/t.png", Tags: "ptag"},
		Current:  CurrentPage{Abstract: "ca", URL: "https://c.example/", Title: "ct", Thumbnail: "https://c.example/t.png", Tags: "ctag"},
	}, User: User{Name: "n"}}
	got := widgetConfig(t, renderWidget(t, c, &Widget{Params: p}))
	want := map[string]any{
		"uname": "n",
		"pre_visit_args": map[string]any{"pre_abstract": "pa", "pre_visit_url": "https://p.example/", "pre_visit_title": "pt",
			"pre_thumbnail": "https://p.example/t.png", "pre_tags": "ptag"},
		"cur_visit_args": map[string]any{"cur_abstract": "ca", "cur_visit_url": "https://c.example/", "cur_visit_title": "ct",
			"cur_thumbnail": "https://c.example/t.png", "cur_tags": "ctag"},
	}
	assert.Equal(t, want, got)
}

func TestWidgetLoader(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		w    Widget
		want string
	}{
		{"default", Config{}, Widget{},
			`<script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `"></script>`},
		{"v6 and base URL", Config{Version: V6, BaseURL: "https://acme.sobot.com/"}, Widget{},
			`<script id="zhichiScript" async src="https://acme.sobot.com/chat/frame/v6/entrance.js?sysnum=` + testSysNum + `"></script>`},
		{"path prefix", Config{BaseURL: "https://chat.example.com/sobot"}, Widget{},
			`<script id="zhichiScript" async src="https://chat.example.com/sobot/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `"></script>`},
		{"base URL escaped", Config{BaseURL: "https://chat.example.com/a&amp;b"}, Widget{},
			`<script id="zhichiScript" async src="https://chat.example.com/a&amp;amp;b/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `"></script>`},
		{"channelid from defaults", Config{Defaults: Params{Settings: Settings{ChannelID: Ptr(2)}}}, Widget{},
			`<script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `&amp;channelid=2"></script>`},
		{"channelid per call wins", Config{Defaults: Params{Settings: Settings{ChannelID: Ptr(2)}}}, Widget{Params: &Params{Settings: Settings{ChannelID: Ptr(5)}}},
			`<script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `&amp;channelid=5"></script>`},
		{"custom button class", Config{}, Widget{Params: &Params{WidgetSettings: WidgetSettings{CustomButton: true}}, Nonce: "n0nce"},
			`<script id="zhichiScript" class="zhiCustomBtn" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=` + testSysNum + `" nonce="n0nce"></script>`},
		{"sysnum escaped", Config{SysNum: `a"b&c`}, Widget{},
			`<script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=a%22b%26c"></script>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			html := renderWidget(t, newTestClient(t, tc.cfg), &tc.w)
			assert.True(t, strings.HasSuffix(html, "</script>\n"+tc.want+"\n"), "loader:\n%s\nwant it to end with\n%s", html, tc.want)
		})
	}
	t.Run("channelid not in config", func(t *testing.T) {
		c := newTestClient(t, Config{Defaults: Params{Settings: Settings{ChannelID: Ptr(2), Color: "04babc"}}})
		assert.NotContains(t, widgetConfig(t, renderWidget(t, c, nil)), "channelid")
		html := renderWidget(t, newTestClient(t, Config{Defaults: Params{Settings: Settings{ChannelID: Ptr(2)}}}), nil)
		assert.NotContains(t, html, `zc("config"`, "config call without config parameters")
	})
}

// TestWidgetStub pins the stub: it must queue into window.cbk exactly as the
// reference's bootstrap does, since Sobot's loader replays that queue.
func TestWidgetStub(t *testing.T) {
	html := renderWidget(t, newTestClient(t, Config{}), nil)
	const want = "<script>\nwindow.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};\n</script>\n"
	assert.True(t, strings.HasPrefix(html, want), "snippet:\n%s\nwant it to start with\n%s", html, want)
}

func TestWidgetNonce(t *testing.T) {
	c := newTestClient(t, Config{})
	for _, nonce := range []string{"abc", "R4nd0m+/==", "url-safe_nonce", "MTIzNDU2Nzg5MDEyMzQ1Ng=="} {
		html := renderWidget(t, c, &Widget{Nonce: nonce, Params: &Params{WidgetSettings: WidgetSettings{CustomButton: true}}})
		scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1)
		require.Len(t, scripts, 2, "script elements of\n%s", html)
		for _, s := range scripts {
			assert.Contains(t, s, ` nonce="`+nonce+`"`, "nonce %q: script element without it", nonce)
		}
	}
	for _, nonce := range []string{"a b", `a"b`, "a'b", "a<b", "abc===", "=", "==", "a=b", "ä", "a\nb", "a;b"} {
		_, err := c.RenderWidget(&Widget{Nonce: nonce})
		assertProblem(t, err, "Widget.Nonce", "base64", "nonce %q", nonce)
	}
}

func TestWidgetCallbackNames(t *testing.T) {
	c := newTestClient(t, Config{})
	for _, name := range []Callback{"f", "onChatReady", "app.chat.onReady", "$", "_x.$y", "a1.b2", "window.app.onReady"} {
		_, err := c.RenderWidget(&Widget{OnReady: name})
		assert.NoError(t, err, "%q", name)
	}
	for _, name := range []Callback{
		"a b", "a.", ".a", "a..b", "1a", "a-b", "a()", "alert(1)", "a;b", "a[0]", "a/**/", "a\u2028b", "é", "a.b c",
		"this.x", "new", "app.function", "eval", "arguments", "a.__proto__", "constructor", "Object.prototype.f",
		"x.constructor.constructor", "null", "true", "let", "await", "yield", "</script>",
	} {
		_, err := c.RenderWidget(&Widget{OnMessage: name})
		assertProblem(t, err, "Widget.OnMessage", "", "%q", name)
	}
}

// TestWidgetOptionProblems checks that each misuse of a Widget option is a
// Problem naming the option, and that all of them come in one error,
// together with the parameters' problems.
func TestWidgetOptionProblems(t *testing.T) {
	c := newTestClient(t, Config{})
	cases := []struct {
		name   string
		w      Widget
		param  string
		reason string
	}{
		{"then without on", Widget{ManualInit: Click{Then: "f"}}, "Widget.ManualInit.On", "required"},
		{"status then without on", Widget{StatusToggle: Click{Then: "f"}}, "Widget.StatusToggle.On", "required"},
		{"bad then", Widget{StatusToggle: Click{On: ByID("b"), Then: "f()"}}, "Widget.StatusToggle.Then", "function name"},
		{"empty id", Widget{ManualInit: Click{On: ByID("")}}, "Widget.ManualInit.On", "non-empty"},
		{"class with space", Widget{ManualInit: Click{On: ByClass("a b")}}, "Widget.ManualInit.On", "spaces"},
		{"id with control", Widget{StatusToggle: Click{On: ByID("a\x00")}}, "Widget.StatusToggle.On", "control"},
		{"invalid UTF-8 id", Widget{StatusToggle: Click{On: ByID("a\xff")}}, "Widget.StatusToggle.On", "UTF-8"},
		{"empty trace", Widget{Traces: []Trace{{On: ByID("x")}}}, "Widget.Traces[0].Visit", "no field"},
		{"trace URL", Widget{Traces: []Trace{{}, {Visit: VisitTrace{Current: CurrentPage{URL: "javascript:alert(1)"}}}}}, "Widget.Traces[1].Visit.cur_visit_url", "javascript: scheme"},
		{"trace element", Widget{Traces: []Trace{{On: ByClass(""), Visit: VisitTrace{Current: CurrentPage{Tags: "t"}}}}}, "Widget.Traces[0].On", "non-empty"},
		{"watch without custom", Widget{WatchButtons: true}, "Widget.WatchButtons", "custom"},
		{"extra __proto__", Widget{Params: &Params{Extra: map[string]string{"__proto__": "x"}}}, "__proto__", "extra"},
		{"extra pre_visit_args", Widget{Params: &Params{Extra: map[string]string{"pre_visit_args": "x"}}}, "pre_visit_args", "extra"},
		{"link-only to_customsys_open_style", Widget{Params: &Params{Settings: Settings{ThirdPartyTransferNewWindow: On}}}, "to_customsys_open_style", "link-only"},
		{"link-only top_bar_flag", Widget{Params: &Params{Settings: Settings{TopBar: On}}}, "top_bar_flag", "link-only"},
		{"leave-message only", Widget{Params: &Params{LeaveMessage: LeaveMessageFields{UID: "u"}}}, "uid", "leave-message"},
		{"javascript card URL", Widget{Params: &Params{Product: ProductCard{Title: "t", URL: "javascript:alert(1)"}}}, "card_url", "URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.RenderWidget(&tc.w)
			assertProblem(t, err, tc.param, tc.reason)
		})
	}
	t.Run("all at once", func(t *testing.T) {
		_, err := c.RenderWidget(&Widget{Nonce: "a b", OnReady: "1", Params: &Params{Settings: Settings{TopBar: On}}})
		var params []string
		for _, p := range validationProblems(t, err) {
			params = append(params, p.Param)
		}
		assert.Equal(t, []string{"top_bar_flag", "Widget.Nonce", "Widget.OnReady"}, params)
	})
	t.Run("watch with custom from defaults", func(t *testing.T) {
		c := newTestClient(t, Config{Defaults: Params{WidgetSettings: WidgetSettings{CustomButton: true}}})
		_, err := c.RenderWidget(&Widget{WatchButtons: true})
		assert.NoError(t, err)
	})
}

func TestWidgetSigned(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey(testWidgetSecret)})
	cfg := widgetConfig(t, renderWidget(t, c, &Widget{Params: &Params{User: User{PartnerID: "user-42"}}}))
	assert.Equal(t, "user-42", cfg["partnerid"])
	assert.Equal(t, Sign(testSysNum, NewKey(testWidgetSecret), "user-42"), cfg["sign"])
	_, err := c.RenderWidget(&Widget{})
	assertProblem(t, err, "partnerid", "required", "no partnerid with a key")
	unsigned := newTestClient(t, Config{})
	cfg = widgetConfig(t, renderWidget(t, unsigned, &Widget{Params: &Params{User: User{PartnerID: "user-42"}}}))
	assert.NotContains(t, cfg, "sign", "unsigned client wrote sign")
	html := renderWidget(t, c, &Widget{Params: &Params{User: User{PartnerID: "user-42"}}})
	assert.NotContains(t, html, testWidgetSecret, "the snippet contains the key")
}

// TestWidgetDefaults checks the merge: per-call values win, and link-only
// defaults are left out of the widget instead of failing it.
func TestWidgetDefaults(t *testing.T) {
	c := newTestClient(t, Config{Defaults: Params{
		Settings:       Settings{Color: "04babc", Locale: LocaleEnglish, TopBar: On, HistoryMinutes: Ptr(120)},
		WidgetSettings: WidgetSettings{Location: BottomLeft},
	}})
	cfg := widgetConfig(t, renderWidget(t, c, &Widget{Params: &Params{Settings: Settings{Color: "FF0000"}}}))
	want := map[string]any{"color": "ff0000", "locale": "en", "time": json.Number("120"), "location": json.Number("2")}
	assert.Equal(t, want, cfg)
}

func TestWidgetCalls(t *testing.T) {
	c := newTestClient(t, Config{})
	cases := []struct {
		name string
		w    Widget
		want []string // lines of the inline script, in order
	}{
		{"handlers", Widget{OnReady: "app.onReady", OnMessage: "onMsg", OnOfflineMessages: "app.n"}, []string{
			`zc("frame_ready",function(__sobotR){app.onReady(__sobotR)});`,
			`zc("receive_message",function(__sobotR){onMsg(__sobotR)});`,
			`zc("offline_message_count",function(__sobotR){app.n(__sobotR)});`,
		}},
		{"manual init", Widget{ManualInit: Click{On: ByID("customBtn"), Then: "app.inited"}}, []string{
			`zc("config",{"manual":true});`,
			jsOnOpen[:len(jsOnOpen)-1],
			`__sobotOn("customBtn","",function(){zc("frame_manual",function(__sobotR){app.inited(__sobotR)})});`,
			`})(document);`,
		}},
		{"status toggle without callback", Widget{StatusToggle: Click{On: ByClass("chat-toggle")}}, []string{
			jsOnOpen[:len(jsOnOpen)-1],
			`__sobotOn("","chat-toggle",function(){zc("frame_status",function(){})});`,
			`})(document);`,
		}},
		{"traces", Widget{Traces: []Trace{
			{Visit: VisitTrace{Current: CurrentPage{Title: "now"}}},
			{On: ByID("sku-1"), Visit: VisitTrace{Previous: PreviousPage{Tags: "a"}, Current: CurrentPage{Tags: "b"}}},
		}}, []string{
			`zc("trace",{"cur_visit_args":{"cur_visit_title":"now"}});`,
			jsOnOpen[:len(jsOnOpen)-1],
			`__sobotOn("sku-1","",function(){zc("trace",{"cur_visit_args":{"cur_tags":"b"},"pre_visit_args":{"pre_tags":"a"}})});`,
			`})(document);`,
		}},
		{"collapse", Widget{OnCollapse: "app.closed"}, []string{
			jsCollapseOpen + "app.closed(__sobotM.data)" + jsCollapseClose[:len(jsCollapseClose)-1],
		}},
		{"watch", Widget{WatchButtons: true, Params: &Params{WidgetSettings: WidgetSettings{CustomButton: true}}}, []string{
			`zc("config",{"custom":true});`,
			jsWatch[:len(jsWatch)-1],
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			html := renderWidget(t, c, &tc.w)
			lines := strings.Split(html, "\n")
			// lines[0] is <script>, lines[1] the stub; the calls follow.
			assert.Equal(t, tc.want, lines[2:len(lines)-3], "script lines")
		})
	}
}

// TestWidgetHTMLShape checks what makes the snippet safe in a page: two
// script elements, nothing else, and an inline script without any "<".
func TestWidgetHTMLShape(t *testing.T) {
	nasty := "</script><script>alert(1)</script><!--'\"\\\u2028\u2029\U0001F600&amp;]]>"
	c := newTestClient(t, Config{Key: NewKey(testWidgetSecret)})
	p := &Params{
		User: User{PartnerID: nasty, Name: nasty, Params: Fields{nasty: nasty}},
		// A URL may not hold such text as it is; percent-encoded, it may.
		Product: ProductCard{Title: nasty, URL: "https://e.example/?q=" + QueryEscape(nasty)},
		Order:   OrderCard{Goods: []Goods{{Name: nasty, PictureURL: "https://e.example/" + QueryEscape(nasty)}}},
		Visit:   VisitTrace{Current: CurrentPage{Title: nasty}},
		Extra:   map[string]string{nasty: nasty},
	}
	s, err := c.RenderWidget(&Widget{Params: p, Traces: []Trace{{On: ByID(nasty[2:8]), Visit: p.Visit}}})
	require.NoError(t, err)
	assertWidgetShape(t, s.String())
}

// assertWidgetShape fails unless html is exactly an inline script without
// "<" followed by the loader element.
func assertWidgetShape(t testing.TB, html string) {
	t.Helper()
	shape := regexp.MustCompile(`^<script( nonce="[^"]*")?>([^<]*)</script>\n<script id="zhichiScript"( class="zhiCustomBtn")? async src="[^"<]*"( nonce="[^"]*")?></script>\n$`)
	assert.Regexp(t, shape, html, "snippet has an unexpected shape")
	assert.NotContains(t, html, "<!--")
}

func TestSnippetScriptHashes(t *testing.T) {
	c := newTestClient(t, Config{})
	s, err := c.RenderWidget(&Widget{Nonce: "abc", Params: &Params{User: User{Name: "n"}}})
	require.NoError(t, err)
	html := s.String()
	body := html[strings.Index(html, ">")+1 : strings.Index(html, "</script>")]
	sum := sha256.Sum256([]byte(body))
	want := []string{"'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"}
	assert.Equal(t, want, s.ScriptHashes())
	assert.Nil(t, (Snippet{}).ScriptHashes(), "zero Snippet")
	assert.Equal(t, template.HTML(html), s.HTML(), "HTML() differs from String()")
}

// widgetFailWriter fails every write.
type widgetFailWriter struct{}

func (widgetFailWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriteWidget(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey(testWidgetSecret)})
	w := &Widget{Params: &Params{User: User{PartnerID: "u"}}, Nonce: "abc", OnReady: "f"}
	var buf bytes.Buffer
	require.NoError(t, c.WriteWidget(&buf, w))
	assert.Equal(t, renderWidget(t, c, w), buf.String())
	buf.Reset()
	assert.Error(t, c.WriteWidget(&buf, &Widget{}), "invalid widget")
	assert.Empty(t, buf.String(), "an invalid widget writes nothing")
	assert.ErrorIs(t, c.WriteWidget(widgetFailWriter{}, w), io.ErrClosedPipe, "failing writer")
}

func TestFuncMap(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey(testWidgetSecret)})
	tmpl := template.Must(template.New("page").Funcs(c.FuncMap()).Parse(`<body><p>{{.Name}}</p>{{sobotWidget .Chat}}</body>`))
	w := Widget{Params: &Params{User: User{PartnerID: "u", Name: "<b>"}}, Nonce: "abc"}
	want := "<body><p>&lt;b&gt;</p>" + renderWidget(t, c, &w) + "</body>"
	for _, data := range []any{
		struct {
			Name string
			Chat Widget
		}{"<b>", w},
		struct {
			Name string
			Chat *Widget
		}{"<b>", &w},
		map[string]any{"Name": "<b>", "Chat": w},
	} {
		var buf bytes.Buffer
		require.NoError(t, tmpl.Execute(&buf, data), "%T", data)
		assert.Equal(t, want, buf.String(), "%T", data)
	}
	// A visitor's invalid data does not stop the page: the widget is
	// left out (no identity to sign) and the problems are logged.
	var logged bytes.Buffer
	c = newTestClient(t, Config{Key: NewKey(testWidgetSecret), Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	tmpl = template.Must(template.New("page").Funcs(c.FuncMap()).Parse(`<body>{{sobotWidget .Chat}}</body>`))
	var page bytes.Buffer
	require.NoError(t, tmpl.Execute(&page, map[string]any{"Chat": Widget{Nonce: "a b"}}))
	assert.Equal(t, "<body></body>", page.String())
	assert.Contains(t, logged.String(), "level=ERROR")
	assert.Contains(t, logged.String(), "Widget.Nonce")
	assert.Contains(t, logged.String(), `msg="sobot: widget not rendered: the visitor's identity or the page's nonce is invalid"`)
	assert.Contains(t, logged.String(), "partnerid")
	// A nil *Widget renders the defaults alone, as Client.RenderWidget(nil)
	// does: with this client's key, that lacks partnerid.
	logged.Reset()
	page.Reset()
	require.NoError(t, tmpl.Execute(&page, struct{ Chat *Widget }{}))
	assert.Equal(t, "<body></body>", page.String())
	assert.Contains(t, logged.String(), "partnerid: is required")
	// So does a plain nil, a map's missing entry (a visitor logged out).
	logged.Reset()
	page.Reset()
	require.NoError(t, tmpl.Execute(&page, map[string]any{}))
	assert.Equal(t, "<body></body>", page.String())
	assert.Contains(t, logged.String(), "partnerid: is required")
	anon := newTestClient(t, Config{})
	page.Reset()
	require.NoError(t, template.Must(template.New("page").Funcs(anon.FuncMap()).Parse(`{{sobotWidget .Chat}}`)).Execute(&page, map[string]any{}))
	assert.Equal(t, renderWidget(t, anon, nil), page.String(), "without a key, the defaults alone")
	assert.ErrorContains(t, tmpl.Execute(io.Discard, map[string]any{"Chat": "text"}), "takes a sobot.Widget", "a string for the widget")
}

// TestWidgetManualFromDefaults checks ManualInit does not duplicate a
// manual: true that the defaults already set.
func TestWidgetManualFromDefaults(t *testing.T) {
	c := newTestClient(t, Config{Defaults: Params{WidgetSettings: WidgetSettings{Manual: true}}})
	html := renderWidget(t, c, &Widget{ManualInit: Click{On: ByID("b")}})
	assert.Equal(t, 1, strings.Count(html, `"manual"`), "manual appears once in\n%s", html)
}

// TestWidgetGoodsOrder checks goods keeps its order and that the widget,
// unlike a link, URI-encodes each pictureUrl.
func TestWidgetGoodsOrder(t *testing.T) {
	c := newTestClient(t, Config{})
	p := &Params{Order: OrderCard{Status: OrderPendingPayment, Created: time.UnixMilli(1586414406391), Goods: []Goods{
		{Name: "b", PictureURL: "https://img.example/b.png?x=1&y=2"},
		{Name: "a"},
	}}}
	cfg := widgetConfig(t, renderWidget(t, c, &Widget{Params: p}))
	var goods []Goods
	require.NoError(t, json.Unmarshal([]byte(cfg["goods"].(string)), &goods))
	for i, g := range goods {
		pic, err := url.QueryUnescape(g.PictureURL)
		assert.NoError(t, err, "goods[%d]", i)
		assert.Equal(t, p.Order.Goods[i], Goods{Name: g.Name, PictureURL: pic}, "goods[%d] URI-decoded", i)
	}
	assert.Contains(t, cfg["goods"], "https%3A%2F%2F", "pictureUrl not URI-encoded")
}

// TestElementString covers the zero Element and the two kinds, in messages
// (String) and as Go code (GoString, which %#v and the converter print).
func TestElementString(t *testing.T) {
	for _, tc := range []struct {
		e          Element
		want, code string
		zero       bool
	}{
		{Element{}, "", "sobot.Element{}", true},
		{ByID("a"), "#a", `sobot.ByID("a")`, false},
		{ByClass("b"), ".b", `sobot.ByClass("b")`, false},
		{ByID(""), "#", `sobot.ByID("")`, false},
		{ByClass(`q"\`), `.q"\`, `sobot.ByClass("q\"\\")`, false},
	} {
		assert.Equal(t, tc.want, tc.e.String(), "%#v", tc.e)
		assert.Equal(t, tc.code, fmt.Sprintf("%#v", tc.e))
		assert.Equal(t, tc.zero, tc.e.IsZero(), "%#v", tc.e)
	}
	assert.True(t, (Click{}).IsZero())
	assert.False(t, (Click{Then: "f"}).IsZero())
}

// TestWidgetScriptNamesCannotShadowCallbacks: callbacks are looked up in the
// scope of the script's own functions, so every name the script declares
// must be one a callback cannot use (see jsPrefix). Callbacks named like the
// short locals such scripts tend to use (r, e, d, on, ...) must be accepted
// and reach the page's function.
func TestWidgetScriptNamesCannotShadowCallbacks(t *testing.T) {
	c := newTestClient(t, Config{SysNum: "S"})
	w := Widget{
		Params:       &Params{WidgetSettings: WidgetSettings{CustomButton: true}},
		ManualInit:   Click{On: ByID("b"), Then: "d"},
		StatusToggle: Click{On: ByClass("s"), Then: "on"},
		WatchButtons: true,
		OnReady:      "r", OnMessage: "e", OnOfflineMessages: "t", OnCollapse: "m",
		Traces: []Trace{{On: ByID("x"), Visit: VisitTrace{Current: CurrentPage{Tags: "a"}}}},
	}
	html := renderWidget(t, c, &w)
	decl := regexp.MustCompile(`function\s*([A-Za-z_$][\w$]*)?\s*\(([^)]*)\)|var\s+([A-Za-z_$][\w$]*)|catch\(([^)]*)\)`)
	for _, m := range decl.FindAllStringSubmatch(html, -1) {
		for _, group := range m[1:] {
			for _, name := range strings.Split(group, ",") {
				if name = strings.TrimSpace(name); name != "" {
					assert.True(t, strings.HasPrefix(name, jsPrefix), "the script declares %q, which would shadow a callback of that name: %s", name, m[0])
				}
			}
		}
	}
	for _, call := range []string{"{d(__sobotR)}", "{on(__sobotR)}", "{r(__sobotR)}", "{e(__sobotR)}", "{t(__sobotR)}", "{m(__sobotM.data)}"} {
		assert.Contains(t, html, call, "missing callback call")
	}
	var ps problems
	checkCallback("Widget.OnReady", "__sobotR", &ps)
	checkCallback("Widget.OnCollapse", "app.__sobotM", &ps)
	assert.Len(t, ps, 2, "names starting with %s must be refused", jsPrefix)
}

// TestIsIdentifier: ASCII letters, _ and $ anywhere, digits after the
// first byte; the bytes next to each range are not.
func TestIsIdentifier(t *testing.T) {
	for c := range 128 {
		b := byte(c)
		letter := b == '_' || b == '$' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
		digit := '0' <= b && b <= '9'
		assert.Equal(t, letter, isIdentifier(string(b)), "%q alone", b)
		assert.Equal(t, letter || digit, isIdentifier("x"+string(b)), "%q after x", b)
	}
	assert.False(t, isIdentifier(""))
}
