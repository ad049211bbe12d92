package sobot

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The link benchmarks build one signed per-user H5 link (8 identity fields)
// on a client preset with 20 site-wide settings, the work a handler does per
// page view. BenchmarkH5URLBaseline builds the same URL by hand with
// url.Values and crypto/md5, the way one would without this package. Run:
//
//	go test -run='^$' -bench='H5URL' -benchmem -count=10 . | tee new.txt
//	benchstat new.txt

// benchDefaults are the 20 site-wide settings.
var benchDefaults = Params{
	Settings: Settings{
		Color: "04babc", Locale: LocaleChinese, DelayedTransferButton: On, LeaveMessageEntry: On,
		LeaveMessageButton: On, FeedbackButton: On, AttachmentButton: On, EvaluateOnClose: Off,
		RobotGuide: On, HistoryMinutes: Ptr(120), HideEmoji: true, Source: SourceMobile,
		FollowLinks: On, ShowFaces: On, TopBar: On, TitleMode: TitleCompany,
		CustomTitle: "智齿客服 Help Center",
	},
	Routing:  Routing{Mode: ModeRobotFirst, RobotID: Ptr(2), GroupID: "4r3e2w1q"},
	Greeting: Greeting{Robot: "您好,我是智能客服,请问有什么可以帮您?"},
}

// benchUser is the per-request identity.
var benchUser = Params{User: User{
	PartnerID: "user-4f1c2a9e-1234", Name: "小丁哥", RealName: "丁丁猫", Email: "dingmao@163.com",
	Tel: "18888888888", Face: "https://img.sobot.com/console/common/face/admin.png",
	Remark: "vip客户,每次响应不能超过5秒钟", Params: Fields{"等级": "Boss"},
}}

// benchKey is the key of the link benchmarks' client.
const benchKey = "s3cr3t-key-012345"

// newLinkBenchClient is the site's client: signed, with the 20 defaults.
func newLinkBenchClient(tb testing.TB) *Client {
	return newTestClient(tb, Config{Key: NewKey(benchKey), Defaults: benchDefaults})
}

func BenchmarkH5URL(b *testing.B) {
	c := newLinkBenchClient(b)
	p := benchUser
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.H5URL(&p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkH5URLBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		baselineH5URL()
	}
}

// baselineH5URL builds the benchmark's link by hand: url.Values, crypto/md5,
// encoding/json, and %20 for spaces as the package writes them.
func baselineH5URL() string {
	const sysnum, key = testSysNum, benchKey
	u := benchUser.User
	v := url.Values{}
	v.Set("sysnum", sysnum)
	v.Set("color", "04babc")
	v.Set("locale", "cn")
	v.Set("show_manual", "1")
	v.Set("msg_flag", "0")
	v.Set("leave_msg_flag", "1")
	v.Set("feedback_flag", "1")
	v.Set("photo_flag", "1")
	v.Set("show_evaluate", "0")
	v.Set("guide_flag", "1")
	v.Set("time", strconv.Itoa(120))
	v.Set("emoji_state", "hide")
	v.Set("source", "4")
	v.Set("is_link", "1")
	v.Set("show_face", "1")
	v.Set("top_bar_flag", "1")
	v.Set("title_flag", "1")
	v.Set("custom_title", "智齿客服 Help Center")
	v.Set("type", "3")
	v.Set("robotid", strconv.Itoa(2))
	v.Set("groupid", "4r3e2w1q")
	v.Set("robot_hello_word", "您好,我是智能客服,请问有什么可以帮您?")
	v.Set("partnerid", u.PartnerID)
	v.Set("uname", u.Name)
	v.Set("realname", u.RealName)
	v.Set("email", u.Email)
	v.Set("tel", u.Tel)
	v.Set("face", u.Face)
	v.Set("remark", u.Remark)
	params, _ := json.Marshal(u.Params)
	v.Set("params", string(params))
	sum := md5.Sum([]byte(sysnum + key + u.PartnerID))
	v.Set("sign", hex.EncodeToString(sum[:]))
	return "https://www.sobot.com/chat/h5/v2/index.html?" + strings.ReplaceAll(v.Encode(), "+", "%20")
}

// TestBenchmarkLinksAgree keeps the benchmark honest: both build the same URL.
func TestBenchmarkLinksAgree(t *testing.T) {
	got, err := newLinkBenchClient(t).H5URL(&benchUser)
	require.NoError(t, err)
	want := baselineH5URL()
	// encoding/json escapes differently from the package (both valid JSON
	// for the same object); compare decoded queries.
	gu, _ := url.Parse(got)
	wu, _ := url.Parse(want)
	assert.Equal(t, wu.Query().Encode(), gu.Query().Encode(), "links differ:\n got %s\nwant %s", got, want)
}

// TestLinkAllocs: a signed per-user link takes the 4 allocations the
// README's performance table gives; a link buffer sized short of the link
// would take one more.
func TestLinkAllocs(t *testing.T) {
	c := newLinkBenchClient(t)
	p := benchUser
	var err error
	assert.Equal(t, 4.0, testing.AllocsPerRun(100, func() { _, err = c.H5URL(&p) }))
	require.NoError(t, err)
}

// BenchmarkLinkString measures what link's unsafe.String saves over
// string(b) for a link of the benchmark's size: the copy and one
// allocation of about a kilobyte per link. link builds b exactly sized and
// never writes it again, which is what makes sharing it safe (as
// strings.Builder does).
func BenchmarkLinkString(b *testing.B) {
	link := []byte(baselineH5URL())
	var s string
	b.Run("unsafe.String", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s = unsafe.String(unsafe.SliceData(link), len(link))
		}
	})
	b.Run("string(b)", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s = string(link)
		}
	})
	_ = s
}
