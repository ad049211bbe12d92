package sobot

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspectKinds(t *testing.T) {
	q := "?sysnum=" + testSysNum + "&partnerid=u-1"
	tests := []struct {
		link    string
		kind    Kind
		version Version
		base    string
	}{
		{"https://www.sobot.com/chat/h5/v2/index.html" + q, KindH5, V2, "https://www.sobot.com"},
		{"https://www.sobot.com/chat/h5/v6/index.html" + q, KindH5, V6, "https://www.sobot.com"},
		{"https://acme.sobot.com/chat/pc/v2/index.html" + q + "#x", KindPC, V2, "https://acme.sobot.com"},
		{"http://127.0.0.1:8080/prefix/chat/pc/v6/index.html" + q, KindPC, V6, "http://127.0.0.1:8080/prefix"},
		{"https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum=" + testSysNum + "&source=9&uid=u", KindLeaveMessage, V2, "https://www.sobot.com"},
		{"https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=" + testSysNum, KindWidget, V2, "https://www.sobot.com"},
		{"https://www.soboten.com/chat/frame/v6/entrance.js?sysnum=" + testSysNum + "&channelid=3", KindWidget, V6, "https://www.soboten.com"},
		{"https://acme.sobot.com/ticket?id=1&params=%7B%22k%22%3A%22v%22%7D", KindTicket, V2, "https://acme.sobot.com/ticket?id=1"},
		{"  https://www.sobot.com/chat/h5/v2/index.html" + q + "\n", KindH5, V2, "https://www.sobot.com"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			l, err := Inspect(tt.link)
			require.NoError(t, err)
			assert.Equal(t, tt.kind, l.Kind)
			assert.Equal(t, tt.version, l.Version)
			assert.Equal(t, tt.base, l.BaseURL)
			assert.Empty(t, l.Problems)
			if tt.kind != KindTicket {
				assert.Equal(t, testSysNum, l.SysNum)
			}
		})
	}
}

// TestInspectReferenceLinks reads the links the reference writes by hand:
// JSON and URLs left unencoded, and &params= on a ticket-plugin link.
func TestInspectReferenceLinks(t *testing.T) {
	l, err := Inspect(`https://acme.sobot.com/chat/h5/v2/index.html?sysnum=4c349791a07b46c1a70b8ac88aa23257&order_status=1&create_time=1586414406391&order_code=121212&order_url=http://www.sobot.com&goods_count=2&total_fee=1000&goods=[{"name":"saaadad","pictureUrl":"https://img.sobot.com/console/common/face/admin.png"}]`)
	require.NoError(t, err)
	assert.Empty(t, l.Problems)
	assert.Equal(t, OrderPendingPayment, l.Params.Order.Status)
	assert.Equal(t, int64(1586414406391), l.Params.Order.Created.UnixMilli())
	assert.Equal(t, []Goods{{Name: "saaadad", PictureURL: "https://img.sobot.com/console/common/face/admin.png"}}, l.Params.Order.Goods)
	assert.Equal(t, "http://www.sobot.com", l.Params.Order.URL)
	assert.Equal(t, 1000, int(*l.Params.Order.TotalFee))

	l, err = Inspect(`https://acme.sobot.com/ticket/plugin?id=7&params={"card_title":"云客服_智齿客服","card_url":"http://www.sobot.com","card_note":"1500元"}`)
	require.NoError(t, err)
	assert.Equal(t, KindTicket, l.Kind)
	assert.Equal(t, "https://acme.sobot.com/ticket/plugin?id=7", l.BaseURL)
	assert.Equal(t, Fields{"card_title": "云客服_智齿客服", "card_url": "http://www.sobot.com", "card_note": "1500元"}, l.Params.User.Params)

	_, err = Inspect(`https://acme.sobot.com/ticket/plugin?id=7¶ms={"card_title":"x"}`)
	assert.ErrorContains(t, err, `has "¶ms=" where "&params=" was meant`)
}

func TestInspectProblems(t *testing.T) {
	tests := []struct {
		name     string
		link     string
		wire     map[string]string
		unknown  []string
		problems []string
	}{
		{"values Set refuses are reported and kept",
			"https://www.sobot.com/chat/h5/v2/index.html?sysnum=S&time=abc&is_vip=yes&uname=a",
			map[string]string{"time": "abc", "is_vip": "yes", "uname": "a"}, nil,
			[]string{"time: must be a whole number (10–2880 minutes)", "is_vip: must be 1 or 0"}},
		{"a sysnum NewClient would refuse",
			"https://www.sobot.com/chat/h5/v2/index.html?sysnum=a%20b&source=10",
			map[string]string{"source": "10"}, nil,
			[]string{"sysnum: must not contain spaces or control characters"}},
		{"range and scope as validation sees them",
			"https://www.sobot.com/chat/pc/v2/index.html?sysnum=S&time=5&photo_flag=1&tip_title=hi",
			map[string]string{"time": "5", "photo_flag": "1", "tip_title": "hi"}, nil,
			[]string{"photo_flag: is H5-only; the PC chat page does not support it", "time: must be a whole number from 10 to 2880",
				"tip_title: is widget-only; a PC chat link cannot carry it"}},
		{"unknown parameters are listed and kept",
			"https://www.sobot.com/chat/h5/v2/index.html?sysnum=S&visitTitle=Home&channelid=3&zz=",
			map[string]string{"visitTitle": "Home", "channelid": "3", "zz": ""}, []string{"visitTitle", "zz"}, nil},
		{"repeated and badly encoded",
			"https://www.sobot.com/chat/h5/v2/index.html?sysnum=S&uname=a&uname=b&remark=100%&uname=c",
			map[string]string{"uname": "a", "remark": "100%"}, nil,
			[]string{"uname: appears 3 times; the first value is read here, but a page may read another: keep one",
				"remark: is not percent-encoded correctly: % must start %XX (write a literal % as %25)"}},
		{"missing sysnum",
			"https://www.sobot.com/chat/h5/v2/index.html?partnerid=u",
			map[string]string{"partnerid": "u"}, nil,
			[]string{"sysnum: is missing: Sobot cannot tell which account the link is for"}},
		{"leave-message without source",
			"https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum=S&uid=u&partnerid=p",
			map[string]string{"uid": "u", "partnerid": "p"}, nil,
			[]string{"source: is missing: the leave-message page takes source=9 (值固定为9)",
				"partnerid: is not a parameter of the leave-message link (allowed: h5, pc, widget)"}},
		{"leave-message with another source",
			"https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum=S&source=4",
			map[string]string{"source": "4"}, nil,
			[]string{"source: must be unset or 9: the leave-message page takes source 9 only (值固定为9)"}},
		{"ticket params not an object of strings",
			"https://acme.sobot.com/t?params=%5B1%5D",
			map[string]string{"params": "[1]"}, nil,
			[]string{`params: must be a JSON object such as {"key":"value"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Inspect(tt.link)
			require.NoError(t, err)
			assert.Equal(t, tt.wire, l.Wire)
			assert.Equal(t, tt.unknown, l.Unknown)
			var got []string
			for _, p := range l.Problems {
				got = append(got, p.Param+": "+p.Reason)
			}
			assert.Equal(t, tt.problems, got)
			for _, name := range tt.unknown {
				assert.Equal(t, tt.wire[name], l.Params.Extra[name], "unknown %s kept in Extra", name)
			}
		})
	}
}

func TestInspectErrors(t *testing.T) {
	for _, link := range []string{
		"", "not a link", "/chat/h5/v2/index.html?sysnum=S", "ftp://www.sobot.com/chat/h5/v2/index.html?sysnum=S",
		"https://www.sobot.com/", "https://www.sobot.com/chat/h5/index.html?sysNum=S", "https://acme.sobot.com/t?id=1#/x",
		"https://www.sobot.com/chat/h5/v2/index.html\x7f?sysnum=S",
	} {
		_, err := Inspect(link)
		var verr *ValidationError
		if assert.ErrorAs(t, err, &verr, "%q", link) {
			assert.Equal(t, "url", verr.Problems[0].Param)
		}
	}
}

// FuzzInspectRoundTrip: random Params, set through Params.Set from generated
// wire values, survive H5URL and Inspect with the same wire values and a
// valid sign. Run longer with
//
//	go test -run='^$' -fuzz=FuzzInspectRoundTrip -fuzztime=1m .
func FuzzInspectRoundTrip(f *testing.F) {
	var linkRows []*param
	for i := range table {
		if r := &table[i]; r.set != nil && r.kinds.has(KindH5) {
			linkRows = append(linkRows, r)
		}
	}
	for i, r := range linkRows {
		f.Add("u-1", []byte{byte(i)}, sampleText(*r), "", "")
	}
	f.Add("张 三+&=%", []byte{0, 1, 2, 3, 4}, "a\x00b+c\x00%zz\x00\u2028\x00{}", "visitTitle", "Home & 首页")
	f.Add("u", []byte{255, 7, 7}, `[{"name":"n","pictureUrl":"https://x.example/p?a=1&b=2"}]`, "", "")
	key := NewKey("fuzz-key-01234567")
	c := newTestClient(f, Config{SysNum: testSysNum, Key: key, BaseURL: "https://acme.sobot.com/base"})
	f.Fuzz(func(t *testing.T, partnerid string, picks []byte, values, extraName, extraValue string) {
		p := Params{User: User{PartnerID: partnerid}}
		vals := strings.Split(values, "\x00")
		for i, pick := range picks {
			_ = p.Set(linkRows[int(pick)%len(linkRows)].Name, vals[i%len(vals)]) // refused values are simply not set
		}
		if extraName != "" {
			p.Extra = map[string]string{extraName: extraValue}
		}
		link, err := c.H5URL(&p)
		if err != nil {
			return // invalid Params are reported by the builder, not encoded
		}
		l, err := Inspect(link)
		require.NoError(t, err, link)
		assert.Equal(t, KindH5, l.Kind)
		assert.Equal(t, "https://acme.sobot.com/base", l.BaseURL)
		assert.Equal(t, testSysNum, l.SysNum)
		want := p.Wire()
		assert.Equal(t, want, l.Params.Wire(), link)
		assert.Equal(t, want, l.Wire, link)
		assert.Empty(t, l.Problems, link)
		v := l.Verify(key)
		require.True(t, v.Valid, "sign does not verify: %s\n%s", link, v.Explain())
		again, err := c.H5URL(&l.Params)
		require.NoError(t, err)
		assert.Equal(t, link, again, "rebuilt from what Inspect read")
		require.True(t, utf8.ValidString(link), "link is not UTF-8: %q", link)
	})
}

// TestInspectHTMLEscapedLink: a URL copied from HTML source (&amp;) is
// read, and the mistake is named.
func TestInspectHTMLEscapedLink(t *testing.T) {
	l, err := Inspect("https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=S&amp;channelid=2")
	require.NoError(t, err)
	assert.Equal(t, []string{"amp;channelid"}, l.Unknown)
	require.NotEmpty(t, l.Problems)
	assert.Equal(t, "amp;channelid: looks copied from HTML, where & is written &amp;: the link's parameter is channelid; replace &amp; with &", l.Problems[0].Error())
}

// TestInspectLimits: a link over MaxLinkLength bytes or MaxLinkParams
// parameters is refused at once, with the limit in the reason; one at the
// limits is read.
func TestInspectLimits(t *testing.T) {
	base := "https://www.sobot.com/chat/h5/v2/index.html?sysnum=s"
	long := base + "&remark=" + strings.Repeat("a", MaxLinkLength-len(base)-len("&remark="))
	require.Len(t, long, MaxLinkLength)
	_, err := Inspect(long)
	assert.NoError(t, err)
	_, err = Inspect(long + "a")
	assert.Equal(t, []string{"url: is 2097153 bytes; Inspect reads links of at most 2097152 bytes (MaxLinkLength), which is more than any browser sends"}, problemLines(t, err))

	many := base + strings.Repeat("&x=1", MaxLinkParams-1)
	_, err = Inspect(many)
	assert.NoError(t, err)
	_, err = Inspect(many + "&x=1")
	assert.Equal(t, []string{"url: has 1001 parameters; Inspect reads at most 1000 (MaxLinkParams), far more than any Sobot link carries"}, problemLines(t, err))
	assert.NotContains(t, err.Error(), "x=1", "the refused link is not repeated")
	_, err = Inspect(many + strings.Repeat("&", 5000))
	assert.NoError(t, err, "empty pieces between & are no parameters")
}

// inspectShapes are links of about 1 MB of different shapes, for the cost
// of Inspect: many parameters, one huge encoded value, repeated parameters
// with problems.
func inspectShapes() map[string]string {
	base := "https://www.sobot.com/chat/h5/v2/index.html?sysnum=abc&partnerid=u1&sign=0123456789abcdef0123456789abcdef"
	var many, repeated strings.Builder
	many.WriteString(base)
	for i := 0; many.Len() < 1<<20-2000; i++ {
		many.WriteString("&x" + itoa(int64(i)) + "=" + strings.Repeat("v", 1500))
	}
	repeated.WriteString(base)
	for range 990 {
		repeated.WriteString("&card_title=" + strings.Repeat("%22", 330))
	}
	return map[string]string{
		"many parameters": many.String(),
		"one huge value":  base + "&remark=" + strings.Repeat("%E4%B8%AD", (1<<20-200)/9),
		"repeated":        repeated.String(),
		"JSON":            base + "&params=" + QueryEscape(`{"k":"`+strings.Repeat("值", 100000)+`"}`),
	}
}

// TestInspectCost: inspecting a link allocates less than 10 times its
// size, whatever its shape. (BenchmarkInspect1MB shows the time.)
func TestInspectCost(t *testing.T) {
	for name, link := range inspectShapes() {
		require.Greater(t, len(link), 1<<19, name)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Inspect(link)
		runtime.ReadMemStats(&after)
		require.NoError(t, err, name)
		allocs := after.TotalAlloc - before.TotalAlloc
		assert.Positive(t, allocs, name)
		assert.Less(t, allocs, uint64(10*len(link)), "%s: %d bytes allocated for a %d-byte link", name, allocs, len(link))
	}
}

// BenchmarkInspect1MB inspects links of about 1 MB (inspectShapes).
func BenchmarkInspect1MB(b *testing.B) {
	for name, link := range inspectShapes() {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(link)))
			for b.Loop() {
				if _, err := Inspect(link); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestInspectPagesAreBuilt: Inspect recognises exactly the pages the
// builders build, for every kind and version, and no other.
func TestInspectPagesAreBuilt(t *testing.T) {
	for _, v := range []Version{V2, V6} {
		c := newTestClient(t, Config{Version: v})
		h5, err := c.H5URL(&Params{})
		require.NoError(t, err)
		pc, err := c.PCURL(&Params{})
		require.NoError(t, err)
		lm, err := c.LeaveMessageURL(&Params{})
		require.NoError(t, err)
		for link, want := range map[string]Kind{h5: KindH5, pc: KindPC, lm: KindLeaveMessage,
			c.BaseURL() + pagePath(KindWidget, v) + "?sysnum=" + testSysNum: KindWidget} {
			l, err := Inspect(link)
			require.NoError(t, err, link)
			assert.Equal(t, want, l.Kind, link)
		}
	}
	_, err := Inspect("https://www.sobot.com/chat/h5/v6/leavemessage.html?sysnum=s&source=9")
	assert.Error(t, err, "no builder makes a v6 leave-message page")
	assert.Len(t, inspectedPages, 7)
}
