package sobot

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestH5URL(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey("s3cr3t-0123456789"), Defaults: Params{Settings: Settings{Color: "#04BABC", HistoryMinutes: Ptr(120)}}})
	got, err := c.H5URL(&Params{User: User{PartnerID: "user-1", Name: "张 三+&=", Params: Fields{"来自": "北京"}}})
	require.NoError(t, err)
	const want = "https://www.sobot.com/chat/h5/v2/index.html?color=04babc" +
		"&params=%7B%22%E6%9D%A5%E8%87%AA%22%3A%22%E5%8C%97%E4%BA%AC%22%7D&partnerid=user-1" +
		"&sign=54b03da4b6d9f6132075a74f8ae650f4&sysnum=4c349791a07b46c1a70b8ac88aa23257&time=120" +
		"&uname=%E5%BC%A0%20%E4%B8%89%2B%26%3D"
	assert.Equal(t, want, got)
	q, err := url.ParseQuery(strings.SplitN(got, "?", 2)[1])
	require.NoError(t, err)
	assert.Equal(t, "张 三+&=", q.Get("uname"))
	assert.Equal(t, `{"来自":"北京"}`, q.Get("params"))
}

func TestChatURLForms(t *testing.T) {
	p := &Params{User: User{PartnerID: "u"}}
	tests := []struct {
		name string
		cfg  Config
		pc   bool
		want string
	}{
		{"default host", Config{}, false, "https://www.sobot.com/chat/h5/v2/index.html?partnerid=u&sysnum=S"},
		{"pc", Config{}, true, "https://www.sobot.com/chat/pc/v2/index.html?partnerid=u&sysnum=S"},
		{"company subdomain", Config{BaseURL: "https://acme.sobot.com/"}, false, "https://acme.sobot.com/chat/h5/v2/index.html?partnerid=u&sysnum=S"},
		{"tencent cloud v6", Config{BaseURL: "https://www.soboten.com", Version: V6}, false, "https://www.soboten.com/chat/h5/v6/index.html?partnerid=u&sysnum=S"},
		{"international pc v6", Config{BaseURL: "https://sg.sobot.com", Version: V6}, true, "https://sg.sobot.com/chat/pc/v6/index.html?partnerid=u&sysnum=S"},
		{"custom domain with path", Config{BaseURL: "http://chat.example.com/sobot"}, false, "http://chat.example.com/sobot/chat/h5/v2/index.html?partnerid=u&sysnum=S"},
		{"loopback stand-in", Config{BaseURL: "http://127.0.0.1:8080"}, false, "http://127.0.0.1:8080/chat/h5/v2/index.html?partnerid=u&sysnum=S"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.SysNum = "S"
			c := newTestClient(t, tt.cfg)
			build := c.H5URL
			if tt.pc {
				build = c.PCURL
			}
			got, err := build(p)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			u, _ := url.Parse(tt.want)
			assert.Equal(t, u.Scheme+"://"+u.Host, c.Origin())
		})
	}
}

func TestSignedLinkNeedsPartnerID(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey("k-0123456789abcdef")})
	_, err := c.H5URL(&Params{User: User{Name: "x"}})
	assert.Equal(t, []string{"partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)"}, problemLines(t, err))
	unsigned := newTestClient(t, Config{})
	link, err := unsigned.H5URL(&Params{User: User{Name: "x"}})
	require.NoError(t, err)
	assert.NotContains(t, link, "sign=")
	assert.False(t, unsigned.Signed())
	assert.Equal(t, "", unsigned.Sign("u"))
}

// TestLinkMatchesURLValues is the oracle test: the link's query equals what
// url.Values.Encode gives for the same wire values, %20 for +.
func TestLinkMatchesURLValues(t *testing.T) {
	c := newTestClient(t, Config{SysNum: "S", Key: NewKey("k-0123456789abcdef"), Defaults: benchDefaults})
	p := benchUser
	p.Routing.Transfer = []TransferRule{{ToAgent, "a 1", SpillAgentOffline}, {ToGroup, "g&2", 0}}
	p.Order = OrderCard{Status: OrderCompleted, Code: "SO-1", TotalFee: Ptr[int64](1000), GoodsCount: Ptr(2),
		Goods: []Goods{{Name: "袜子 <L>", PictureURL: "https://img.example/a.png?x=1&y=2"}}}
	link, err := c.H5URL(&p)
	require.NoError(t, err)
	v := url.Values{"sysnum": {"S"}, "sign": {Sign("S", NewKey("k-0123456789abcdef"), p.User.PartnerID)}}
	for _, fs := range [][]field{c.byKind[KindH5], collect(&p, nil)} {
		for _, f := range fs {
			v.Set(f.name, f.text)
		}
	}
	want := "https://www.sobot.com/chat/h5/v2/index.html?" + strings.ReplaceAll(v.Encode(), "+", "%20")
	// url.Values leaves some characters unescaped that the package escapes
	// (e.g. '*'); compare after normalising both through ParseQuery.
	gq, err := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
	require.NoError(t, err)
	assert.Equal(t, v, gq)
	assert.Equal(t, len(strings.Split(want, "&")), len(strings.Split(link, "&")))
	keys := []string{}
	for _, kv := range strings.Split(strings.SplitN(link, "?", 2)[1], "&") {
		keys = append(keys, strings.SplitN(kv, "=", 2)[0])
	}
	assert.IsIncreasing(t, keys, "parameters are in byte order of their names")
}

// TestH5OnlyDefaultValue: a default whose value is H5-only (locale tw) is
// skipped on PC links like H5-only parameters are, not reported.
func TestH5OnlyDefaultValue(t *testing.T) {
	c := newTestClient(t, Config{SysNum: "S", Defaults: Params{Settings: Settings{Locale: LocaleTraditional}}})
	pc, err := c.PCURL(nil)
	require.NoError(t, err)
	assert.Equal(t, "https://www.sobot.com/chat/pc/v2/index.html?sysnum=S", pc)
	h5, err := c.H5URL(nil)
	require.NoError(t, err)
	assert.Equal(t, "https://www.sobot.com/chat/h5/v2/index.html?locale=tw&sysnum=S", h5)
	_, err = c.PCURL(&Params{Settings: Settings{Locale: LocaleTraditional}})
	assert.Error(t, err, "set per call, it is reported")
}

// FuzzLinkRoundTrip: decoding a built link's query gives back exactly the
// wire values that went in, plus sysnum and sign. Run longer with
//
//	go test -run='^$' -fuzz=FuzzLinkRoundTrip -fuzztime=1m .
func FuzzLinkRoundTrip(f *testing.F) {
	f.Add("user-1", "小丁哥", "vip客户 <b>&</b>", "k", "v", "extra", "x y")
	f.Add("", "", "", "", "", "", "")
	f.Add("\u2028\u2029", "</script><script>alert(1)</script>", "%zz%20+&=#?", "\"'\\", "😀", "a=b", "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, partnerid, name, remark, key, value, extraName, extraValue string) {
		c, err := NewClient(Config{SysNum: "S", Key: NewKey("secret-0123456789"), Defaults: Params{Settings: Settings{CustomTitle: value}}})
		if err != nil {
			require.False(t, utf8.ValidString(value), "valid default rejected: %v", err)
			return
		}
		p := Params{User: User{PartnerID: partnerid, Name: name, Remark: remark, Params: Fields{key: value}},
			Extra: map[string]string{extraName: extraValue}}
		link, err := c.H5URL(&p)
		if err != nil {
			return // invalid input is reported, not encoded; TestValidate covers which
		}
		raw, ok := strings.CutPrefix(link, "https://www.sobot.com/chat/h5/v2/index.html?")
		require.True(t, ok, "unexpected prefix: %s", link)
		got, err := url.ParseQuery(raw)
		require.NoError(t, err, "link does not parse:\n%s", link)
		want := url.Values{"sysnum": {"S"}, "sign": {Sign("S", NewKey("secret-0123456789"), partnerid)}}
		if value != "" {
			want.Set("custom_title", value)
		}
		for n, v := range p.Wire() {
			want.Set(n, v)
		}
		require.Equal(t, want.Encode(), got.Encode(), "round trip differs")
		var back Params
		require.NoError(t, back.Set("params", got.Get("params")), "params did not survive")
		require.Equal(t, value, back.User.Params[key], "params did not survive")
	})
}
