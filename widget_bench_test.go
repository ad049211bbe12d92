package sobot

import (
	"html/template"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The benchmarks render a per-user widget (identity and a product card,
// signed, with a nonce) over a site-wide configuration of 23 defaults, with
// the library and with two hand-written html/template equivalents:
//
//	go test -run '^$' -bench Widget -benchmem .
//
// TestWidgetBenchBaselinesAgree checks that all of them produce the same
// config, so the figures compare equal work.

// widgetBenchDefaults is a site-wide configuration of 23 settings.
var widgetBenchDefaults = Params{
	Settings: Settings{Color: "04babc", Locale: LocaleChinese, HistoryMinutes: Ptr(120), LeaveMessageButton: On, FeedbackButton: On,
		AttachmentButton: On, EvaluateOnClose: On, RobotGuide: On, HideEmoji: true, ShowFaces: On, FollowLinks: On, DelayedTransferButton: On},
	Routing:        Routing{Mode: ModeRobotFirst, RobotID: Ptr(2), GroupID: "4r3e2w1q"},
	WidgetSettings: WidgetSettings{Location: BottomLeft, AutoInvite: On, InviteText: "欢迎咨询", InviteButton: "开始聊天吧", InviteFirstDelay: Ptr(2), InviteCount: Ptr(5), ExpandSize: ExpandHalf},
	Greeting:       Greeting{Robot: "您好,我是智能客服"},
}

// widgetBenchUser is the per-request part.
type widgetBenchUser struct {
	ID, Name, Email                   string
	CardTitle, CardURL, CardPic, Note string
	Nonce                             string
}

var widgetBenchVisitor = widgetBenchUser{
	ID: "user-42", Name: "小丁哥", Email: "dingmao@163.com",
	CardTitle: "云客服_智齿客服", CardURL: "https://shop.example/p/1?ref=chat", CardPic: "https://img.sobot.com/console/common/face/admin.png", Note: "1500元",
	Nonce: "cmFuZG9tMTIzNDU2Nzg5MA",
}

// newWidgetBenchClient is the site's client: signed, with the defaults.
func newWidgetBenchClient(tb testing.TB) *Client {
	return newTestClient(tb, Config{Key: NewKey(testWidgetSecret), Defaults: widgetBenchDefaults})
}

// widgetBenchFor is the per-request Widget of u.
func widgetBenchFor(u *widgetBenchUser) *Widget {
	return &Widget{
		Params: &Params{
			User:    User{PartnerID: u.ID, Name: u.Name, Email: u.Email},
			Product: ProductCard{Title: u.CardTitle, URL: u.CardURL, Picture: u.CardPic, Note: u.Note},
		},
		Nonce: u.Nonce,
	}
}

func BenchmarkWidget(b *testing.B) {
	c := newWidgetBenchClient(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.RenderWidget(widgetBenchFor(&widgetBenchVisitor)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteWidget(b *testing.B) {
	c := newWidgetBenchClient(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.WriteWidget(io.Discard, widgetBenchFor(&widgetBenchVisitor)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWidgetAllocs: a per-user widget takes the allocations the README's
// performance table gives: 4 to render, 3 to write.
func TestWidgetAllocs(t *testing.T) {
	c := newWidgetBenchClient(t)
	var err error
	assert.Equal(t, 4.0, testing.AllocsPerRun(100, func() { _, err = c.RenderWidget(widgetBenchFor(&widgetBenchVisitor)) }))
	require.NoError(t, err)
	assert.Equal(t, 3.0, testing.AllocsPerRun(100, func() { err = c.WriteWidget(io.Discard, widgetBenchFor(&widgetBenchVisitor)) }))
	require.NoError(t, err)
}

// widgetBaselineFields is the hand-written template's data: the site's settings
// and the visitor's, as a developer would pass them.
type widgetBaselineFields struct {
	Nonce, Loader                                                       string
	Color, Locale, GroupID, InviteText, InviteButton, ExpandSize, Robot string
	EmojiState, ShowManual, Guide                                       string
	Time, Mode, RobotID, Location, Invite, FirstTimeout, InviteCount    int
	ShowEvaluate, ShowFace, IsLink                                      int
	LeaveMsg, Feedback, Photo                                           bool
	PartnerID, Sign, Name, Email, CardTitle, CardURL, CardPic, Note     string
}

// widgetBaselineTmpl writes the same widget field by field, as the reference's
// examples do, letting html/template escape each value for JavaScript.
var widgetBaselineTmpl = template.Must(template.New("widget").Parse(`<script nonce="{{.Nonce}}">
window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
zc("config",{"card_note":{{.Note}},"card_picture":{{.CardPic}},"card_title":{{.CardTitle}},"card_url":{{.CardURL}},"color":{{.Color}},"email":{{.Email}},"emoji_state":{{.EmojiState}},"expand_size":{{.ExpandSize}},"feedback_flag":{{.Feedback}},"first_timeout":{{.FirstTimeout}},"groupid":{{.GroupID}},"guide_flag":{{.Guide}},"invite":{{.Invite}},"invite_count":{{.InviteCount}},"is_link":{{.IsLink}},"leave_msg_flag":{{.LeaveMsg}},"locale":{{.Locale}},"location":{{.Location}},"partnerid":{{.PartnerID}},"photo_flag":{{.Photo}},"robot_hello_word":{{.Robot}},"robotid":{{.RobotID}},"show_evaluate":{{.ShowEvaluate}},"show_face":{{.ShowFace}},"show_manual":{{.ShowManual}},"sign":{{.Sign}},"submit_title":{{.InviteButton}},"time":{{.Time}},"tip_title":{{.InviteText}},"type":{{.Mode}},"uname":{{.Name}}});
</script>
<script id="zhichiScript" async src="{{.Loader}}" nonce="{{.Nonce}}"></script>
`))

// widgetBaselineSite holds the site's settings, prepared once like the
// library's defaults.
var widgetBaselineSite = widgetBaselineFields{
	Loader: DefaultBaseURL + "/chat/frame/v2/entrance.js?sysnum=" + testSysNum,
	Color:  "04babc", Locale: "cn", GroupID: "4r3e2w1q", InviteText: "欢迎咨询", InviteButton: "开始聊天吧", ExpandSize: "half",
	Robot: "您好,我是智能客服", EmojiState: "hide", ShowManual: "1", Guide: "1",
	Time: 120, Mode: 3, RobotID: 2, Location: 2, Invite: 1, FirstTimeout: 2, InviteCount: 5, ShowEvaluate: 1, ShowFace: 1, IsLink: 1,
	LeaveMsg: true, Feedback: true, Photo: true,
}

// widgetBaselineData adds the visitor to the site's settings: the sign and the
// URI-encoded card URLs are computed per request, as in the library.
func widgetBaselineData(u *widgetBenchUser) *widgetBaselineFields {
	d := widgetBaselineSite
	d.Nonce, d.PartnerID, d.Name, d.Email = u.Nonce, u.ID, u.Name, u.Email
	d.Sign = Sign(testSysNum, NewKey(testWidgetSecret), u.ID)
	d.CardTitle, d.Note = u.CardTitle, u.Note
	d.CardURL, d.CardPic = url.QueryEscape(u.CardURL), url.QueryEscape(u.CardPic)
	return &d
}

func BenchmarkWidgetBaselineTemplate(b *testing.B) {
	b.ReportAllocs()
	var sb strings.Builder
	for b.Loop() {
		sb.Reset()
		if err := widgetBaselineTmpl.Execute(&sb, widgetBaselineData(&widgetBenchVisitor)); err != nil {
			b.Fatal(err)
		}
	}
}

// widgetBaselineMapTmpl is the other common hand-written form: the config as a
// map that html/template marshals to JSON in one go.
var widgetBaselineMapTmpl = template.Must(template.New("widget").Parse(`<script nonce="{{.Nonce}}">
window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
zc("config",{{.Config}});
</script>
<script id="zhichiScript" async src="{{.Loader}}" nonce="{{.Nonce}}"></script>
`))

// widgetBaselineSiteMap is the site's part of the config map, prepared once.
var widgetBaselineSiteMap = map[string]any{
	"color": "04babc", "locale": "cn", "groupid": "4r3e2w1q", "tip_title": "欢迎咨询", "submit_title": "开始聊天吧", "expand_size": "half",
	"robot_hello_word": "您好,我是智能客服", "emoji_state": "hide", "show_manual": "1", "guide_flag": "1",
	"time": 120, "type": 3, "robotid": 2, "location": 2, "invite": 1, "first_timeout": 2, "invite_count": 5, "show_evaluate": 1, "show_face": 1, "is_link": 1,
	"leave_msg_flag": true, "feedback_flag": true, "photo_flag": true,
}

// widgetBaselineMapData copies the site's map and adds the visitor.
func widgetBaselineMapData(u *widgetBenchUser) map[string]any {
	cfg := make(map[string]any, len(widgetBaselineSiteMap)+8)
	for k, v := range widgetBaselineSiteMap {
		cfg[k] = v
	}
	cfg["partnerid"], cfg["uname"], cfg["email"] = u.ID, u.Name, u.Email
	cfg["sign"] = Sign(testSysNum, NewKey(testWidgetSecret), u.ID)
	cfg["card_title"], cfg["card_note"] = u.CardTitle, u.Note
	cfg["card_url"], cfg["card_picture"] = url.QueryEscape(u.CardURL), url.QueryEscape(u.CardPic)
	return map[string]any{"Nonce": u.Nonce, "Loader": widgetBaselineSite.Loader, "Config": cfg}
}

func BenchmarkWidgetBaselineTemplateMap(b *testing.B) {
	b.ReportAllocs()
	var sb strings.Builder
	for b.Loop() {
		sb.Reset()
		if err := widgetBaselineMapTmpl.Execute(&sb, widgetBaselineMapData(&widgetBenchVisitor)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWidgetBenchBaselinesAgree checks the benchmarks compare equal work:
// the baselines' config objects decode to the library's.
func TestWidgetBenchBaselinesAgree(t *testing.T) {
	want := widgetConfig(t, renderWidget(t, newWidgetBenchClient(t), widgetBenchFor(&widgetBenchVisitor)))
	for _, tc := range []struct {
		name string
		tmpl *template.Template
		data any
	}{
		{"fields", widgetBaselineTmpl, widgetBaselineData(&widgetBenchVisitor)},
		{"map", widgetBaselineMapTmpl, widgetBaselineMapData(&widgetBenchVisitor)},
	} {
		var sb strings.Builder
		require.NoError(t, tc.tmpl.Execute(&sb, tc.data), tc.name)
		assert.Equal(t, want, widgetConfig(t, sb.String()), "%s baseline config", tc.name)
	}
}
