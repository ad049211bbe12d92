package sobot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerify(t *testing.T) {
	current, old := NewKey("k-cur-7f3a-012345"), NewKey("k-old-91b2-012345")
	link := func(key Key, partnerid string) *ParsedLink {
		t.Helper()
		c := newTestClient(t, Config{SysNum: testSysNum, Key: key})
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
		assert.False(t, l.Signed(), link)
		assert.True(t, v.Unsigned, link)
		assert.False(t, v.Valid, link)
		assert.Empty(t, v.Causes, link)
		assert.Equal(t, "not signed: Sobot checks no sign on leave-message and ticket-plugin links", v.Explain())
	}
	h5, err := c.H5URL(&Params{User: User{PartnerID: "u"}})
	require.NoError(t, err)
	l, err := Inspect(h5)
	require.NoError(t, err)
	assert.True(t, l.Signed())
	assert.False(t, l.Verify(NewKey("k-0123456789abcdef")).Unsigned)
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

// TestVerifyUntrustedLinks: a sign that holds for the first values is not
// valid while the link also names partnerid, sysnum or sign in a form a
// page may read instead, or while the signed partnerid is not one the
// reference allows; Explain says why.
func TestVerifyUntrustedLinks(t *testing.T) {
	key := NewKey("k-0123456789abcdef")
	c := newTestClient(t, Config{Key: key})
	for _, tt := range []struct {
		name, partnerid, tail, cause string
	}{
		{"upper-case name", "alice", "&PARTNERID=bob", `"PARTNERID" is a form of partnerid`},
		{"mixed-case sign", "alice", "&Sign=0123", `"Sign" is a form of sign`},
		{"space after the name", "alice", "&partnerid%20=bob", `"partnerid%20" is a form of partnerid`},
		{"plus for a space", "alice", "&partnerid+=bob", `"partnerid+" is a form of partnerid`},
		{"encoded twice", "alice", "&%2570artnerid=bob", `"%2570artnerid" is a form of partnerid`},
		{"from HTML", "alice", "&amp;partnerid=bob", `"amp;partnerid" is a form of partnerid`},
		{"from HTML, numeric", "alice", "&%2338;sysnum=other", `"%2338;sysnum" is a form of sysnum`},
		{"a second sysnum", "alice", "&sysnum=other", "sysnum appears 2 times"},
		{"blank partnerid", "   ", "", "the link's partnerid must not be white space only"},
		{"byte order mark", "\ufeff", "", "the link's partnerid must not be white space only"},
		{"NUL", "a\x00b", "", "the link's partnerid must not contain control characters"},
		{"over 300", strings.Repeat("a", 301), "", "the link's partnerid must be at most 300 characters, has 301"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var link string
			if partnerIDProblem(tt.partnerid) != "" {
				// The builders refuse such a partnerid: build its link by
				// hand, correctly signed.
				link = "https://www.sobot.com/chat/h5/v2/index.html?partnerid=" + QueryEscape(tt.partnerid) +
					"&sign=" + Sign(testSysNum, key, tt.partnerid) + "&sysnum=" + testSysNum
			} else {
				var err error
				link, err = c.H5URL(&Params{User: User{PartnerID: tt.partnerid}})
				require.NoError(t, err)
			}
			l, err := Inspect(link + tt.tail)
			require.NoError(t, err)
			v := l.Verify(key)
			assert.False(t, v.Valid)
			require.NotEmpty(t, v.Causes)
			assert.Contains(t, v.Causes[0], tt.cause)
			assert.Contains(t, v.Explain(), tt.cause)
			untampered, err := Inspect(link)
			require.NoError(t, err)
			assert.Equal(t, tt.tail != "", untampered.Verify(key).Valid, "without the tail, the link verifies unless its partnerid is invalid")
		})
	}
	// An invalid UTF-8 partnerid.
	l, err := Inspect("https://www.sobot.com/chat/h5/v2/index.html?partnerid=%FF&sign=" + Sign(testSysNum, key, "\xff") + "&sysnum=" + testSysNum)
	require.NoError(t, err)
	v := l.Verify(key)
	assert.False(t, v.Valid)
	assert.Equal(t, []string{"the link's partnerid is not valid UTF-8: Sobot does not take it as it is, so its sign cannot be trusted"}, v.Causes)
}

// TestVerifyRefusedKeysAndSysnum: a key NewClient refuses is not used to
// verify (it keeps its place), and a link without sysnum never verifies.
func TestVerifyRefusedKeysAndSysnum(t *testing.T) {
	short := NewKey("k")
	good := NewKey("k-0123456789abcdef")
	link := "https://www.sobot.com/chat/h5/v2/index.html?partnerid=u&sign=" + Sign(testSysNum, short, "u") + "&sysnum=" + testSysNum
	l, err := Inspect(link)
	require.NoError(t, err)
	v := l.Verify(short)
	assert.False(t, v.Valid, "a sign made with a key anyone can find proves nothing")
	assert.Equal(t, []string{"key #1 is not used: is 1 bytes; at least 16 are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)",
		"no security key was given to verify with"}, v.Causes)

	signed, err := newTestClient(t, Config{Key: good}).H5URL(&Params{User: User{PartnerID: "u"}})
	require.NoError(t, err)
	l, err = Inspect(signed)
	require.NoError(t, err)
	v = l.Verify(short, good)
	assert.True(t, v.Valid)
	assert.Equal(t, 1, v.Key, "the refused key keeps its place")
	assert.Empty(t, v.Causes)

	noSysnum := "https://www.sobot.com/chat/h5/v2/index.html?partnerid=u&sign=" + Sign("", good, "u")
	l, err = Inspect(noSysnum)
	require.NoError(t, err)
	v = l.Verify(good)
	assert.False(t, v.Valid)
	assert.Equal(t, []string{"the link has no sysnum: Sobot cannot tell which account it is for, so no sign can hold"}, v.Causes)
}
