package sobot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const inspectSysNum = "4c349791a07b46c1a70b8ac88aa23257"

func TestInspectKinds(t *testing.T) {
	q := "?sysnum=" + inspectSysNum + "&partnerid=u-1"
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
		{"https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum=" + inspectSysNum + "&source=9&uid=u", KindLeaveMessage, V2, "https://www.sobot.com"},
		{"https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=" + inspectSysNum, KindWidget, V2, "https://www.sobot.com"},
		{"https://www.soboten.com/chat/frame/v6/entrance.js?sysnum=" + inspectSysNum + "&channelid=3", KindWidget, V6, "https://www.soboten.com"},
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
				assert.Equal(t, inspectSysNum, l.SysNum)
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

func TestVerify(t *testing.T) {
	current, old := NewKey("k-cur-7f3a-012345"), NewKey("k-old-91b2-012345")
	link := func(key Key, partnerid string) *ParsedLink {
		t.Helper()
		c := newTestClient(t, Config{SysNum: inspectSysNum, Key: key})
		s, err := c.H5URL(&Params{User: User{PartnerID: partnerid}})
		require.NoError(t, err)
		l, err := Inspect(s)
		require.NoError(t, err)
		return l
	}
	edited := func(l *ParsedLink, f func(*ParsedLink)) *ParsedLink { f(l); return l }
	generic := []string{
		"partnerid changed after signing: the link was edited, or its sign was copied from another user's link",
		"the sign was made with another key: the security key was changed in the console (give the previous key too, to check), or the link was built with another environment's key",
		`the sign was made for another sysnum than the link's "4c349791a07b46c1a70b8ac88aa23257": the link was built for another Sobot account or environment`,
	}
	tests := []struct {
		name   string
		link   *ParsedLink
		keys   []Key
		valid  bool
		key    int
		causes []string
	}{
		{"current key", link(current, "u-1"), []Key{current, old}, true, 0, nil},
		{"rotated-out key", link(old, "u-1"), []Key{current, old}, true, 1, nil},
		{"zero keys keep their place", link(old, "u-1"), []Key{{}, current, {}, old}, true, 3, nil},
		{"no key", link(current, "u-1"), nil, false, -1, []string{"no security key was given to verify with"}},
		{"unknown key", link(current, "u-1"), []Key{old}, false, -1, generic},
		{"partnerid edited", edited(link(current, "u-1"), func(l *ParsedLink) { l.Params.User.PartnerID = "u-2" }), []Key{current}, false, -1, generic},
		{"upper-case hex", edited(link(current, "u-1"), func(l *ParsedLink) { l.Sign = strings.ToUpper(l.Sign) }), []Key{old, current}, false, -1,
			[]string{"the sign is upper-case hex; in lower case it matches key #2, and lower case is what Sobot emits and is known to accept: write md5 sums in lower-case hex"}},
		{"truncated", edited(link(current, "u-1"), func(l *ParsedLink) { l.Sign = l.Sign[:20] }), []Key{current}, false, -1,
			[]string{"the sign is not 32 hex digits (it has 20 characters): it was cut or altered on the way, by a length limit or a client rewriting the link"}},
		{"no sign", link(Key{}, "u-1"), []Key{current}, false, -1,
			[]string{"the link has no sign: with the security key on, Sobot rejects it; build the link with the account's security key"}},
		{"no partnerid", edited(link(Key{}, ""), func(l *ParsedLink) { l.Sign = Sign(l.SysNum, current, "") }), []Key{current}, false, 0,
			[]string{"the link has no partnerid: with the security key on, Sobot rejects a visit without one (经验证当前用户为非法用户); build the link with the user's partnerid"}},
		{"+ read as a space", edited(link(current, "a+b"), func(l *ParsedLink) { l.Params.User.PartnerID = "a b" }), []Key{current}, false, -1,
			[]string{`the sign matches partnerid "a+b" under key #1, but the link carries "a b": partnerid was re-encoded after signing; sign exactly the partnerid the link carries`}},
		{"signed encoded", edited(link(current, "张 三"), func(l *ParsedLink) { l.Sign = Sign(l.SysNum, current, "%E5%BC%A0%20%E4%B8%89") }), []Key{current}, false, -1,
			[]string{`the sign matches partnerid "%E5%BC%A0%20%E4%B8%89" under key #1, but the link carries "张 三": partnerid was re-encoded after signing; sign exactly the partnerid the link carries`}},
		{"sysnum with a space", edited(link(current, "u"), func(l *ParsedLink) { l.SysNum += " " }), []Key{current}, false, -1,
			[]string{`the sign matches sysnum "4c349791a07b46c1a70b8ac88aa23257" under key #1, but the link carries "4c349791a07b46c1a70b8ac88aa23257 ": sign with the sysnum exactly as the link carries it`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.link.Verify(tt.keys...)
			assert.Equal(t, tt.valid, v.Valid)
			assert.Equal(t, tt.key, v.Key)
			assert.Equal(t, tt.causes, v.Causes)
			assert.Equal(t, tt.link.Sign, v.Received)
			pid, _ := tt.link.Params.Get("partnerid")
			assert.Equal(t, `md5("`+tt.link.SysNum+`" + <key> + "`+pid+`")`, v.SignedText)
			explained := v.Explain()
			for _, secret := range []string{"k-cur-7f3a", "k-old-91b2"} {
				assert.NotContains(t, explained, secret)
			}
			if !v.Valid && len(tt.keys) > 0 {
				assert.Equal(t, Sign(tt.link.SysNum, tt.keys[firstKey(tt.keys)], pid), v.Expected)
				assert.Contains(t, explained, "expected sign: "+v.Expected)
				for _, c := range v.Causes {
					assert.Contains(t, explained, "  - "+c)
				}
			}
		})
	}
}

// firstKey returns the index of the first non-zero key.
func firstKey(keys []Key) int {
	for i, k := range keys {
		if !k.IsZero() {
			return i
		}
	}
	return -1
}

func TestVerifyExplainValid(t *testing.T) {
	assert.Equal(t, "sign valid: it matches the current key (#1)", Verification{Valid: true, Key: 0}.Explain())
	assert.Equal(t, "sign valid, but under key #2, a key being rotated out: links built from now on must use the current key",
		Verification{Valid: true, Key: 1}.Explain())
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
	c := newTestClient(f, Config{SysNum: inspectSysNum, Key: key, BaseURL: "https://acme.sobot.com/base"})
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
		assert.Equal(t, inspectSysNum, l.SysNum)
		want := p.Wire()
		assert.Equal(t, want, l.Params.Wire(), link)
		assert.Equal(t, want, l.Wire, link)
		assert.Empty(t, l.Problems, link)
		if v := l.Verify(key); !v.Valid {
			t.Fatalf("sign does not verify: %s\n%s", link, v.Explain())
		}
		again, err := c.H5URL(&l.Params)
		require.NoError(t, err)
		assert.Equal(t, link, again, "rebuilt from what Inspect read")
		if !utf8.ValidString(link) {
			t.Fatalf("link is not UTF-8: %q", link)
		}
	})
}

// TestVerifyUnsignedKinds: links Sobot never checks are reported as such,
// not as failed signs.
func TestVerifyUnsignedKinds(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey("k-0123456789abcdef")})
	lm, err := c.LeaveMessageURL(&Params{LeaveMessage: LeaveMessageFields{UID: "u"}})
	require.NoError(t, err)
	ticket, err := TicketURL("https://www.com/ticket/plugin?id=1", Fields{"a": "b"})
	require.NoError(t, err)
	for _, link := range []string{lm, ticket} {
		l, err := Inspect(link)
		require.NoError(t, err)
		v := l.Verify(NewKey("k-0123456789abcdef"))
		assert.True(t, v.Unsigned, link)
		assert.False(t, v.Valid, link)
		assert.Empty(t, v.Causes, link)
		assert.Equal(t, "not signed: Sobot checks no sign on leave-message and ticket-plugin links", v.Explain())
	}
	h5, err := c.H5URL(&Params{User: User{PartnerID: "u"}})
	require.NoError(t, err)
	l, err := Inspect(h5)
	require.NoError(t, err)
	assert.False(t, l.Verify(NewKey("k-0123456789abcdef")).Unsigned)
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

// TestVerifyRepeatedSignedParameters: a sign that holds for the first of
// two partnerids (or sysnums) is not valid: Sobot may read the other.
func TestVerifyRepeatedSignedParameters(t *testing.T) {
	key := NewKey("k-0123456789abcdef")
	good := Sign("S1", key, "a")
	for _, q := range []string{
		"sysnum=S1&partnerid=a&partnerid=b&sign=" + good,
		"sysnum=S1&sysnum=S2&partnerid=a&sign=" + good,
		"sysnum=S1&partnerid=a&sign=" + good + "&sign=" + good,
	} {
		l, err := Inspect("https://www.sobot.com/chat/h5/v2/index.html?" + q)
		require.NoError(t, err)
		v := l.Verify(key)
		assert.False(t, v.Valid, q)
		require.Len(t, v.Causes, 1, q)
		assert.Contains(t, v.Causes[0], "appears 2 times", q)
	}
	l, err := Inspect("https://www.sobot.com/chat/h5/v2/index.html?sysnum=S1&partnerid=a&sign=" + good)
	require.NoError(t, err)
	assert.True(t, l.Verify(key).Valid)
}
