package sobot_test

import (
	"html"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

func TestMiniProgramURL(t *testing.T) {
	key := sobot.NewKey("s3cr3t-0123456789")
	sign := sobot.Sign(sobot.TestSysNum, key, "u-1")
	sobot.AssertLinks(t, []sobot.LinkCase{
		{"unsigned", sobot.Config{}, nil,
			"https://www.sobot.com/chat/h5/v2/index.html?source=10&sysnum=" + sobot.TestSysNum},
		{"signed", sobot.Config{Key: key}, &sobot.Params{User: sobot.User{PartnerID: "u-1"}},
			"https://www.sobot.com/chat/h5/v2/index.html?partnerid=u-1&sign=" + sign + "&source=10&sysnum=" + sobot.TestSysNum},
		{"source 10 may be set; v6", sobot.Config{Version: sobot.V6}, &sobot.Params{Settings: sobot.Settings{Source: sobot.SourceMiniProgram}},
			"https://www.sobot.com/chat/h5/v6/index.html?source=10&sysnum=" + sobot.TestSysNum},
		{"overrides a default source", sobot.Config{Defaults: sobot.Params{Settings: sobot.Settings{Source: sobot.SourceMobile}}}, nil,
			"https://www.sobot.com/chat/h5/v2/index.html?source=10&sysnum=" + sobot.TestSysNum},
	}, (*sobot.Client).MiniProgramURL)
}

func TestMiniProgramURLErrors(t *testing.T) {
	c := sobot.NewTestClient(t, sobot.Config{Key: sobot.NewKey("s3cr3t-0123456789")})
	_, err := c.MiniProgramURL(&sobot.Params{Settings: sobot.Settings{Source: sobot.SourceApp, HistoryMinutes: sobot.Ptr(5)}})
	assert.Equal(t, []string{
		"source: must be unset or 10: a mini-program web-view link has source 10 (微信小程序)",
		"time: must be a whole number from 10 to 2880",
		"partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)",
	}, sobot.ProblemLines(t, err))
}

func TestMiniProgramWebView(t *testing.T) {
	c := sobot.NewTestClient(t, sobot.Config{BaseURL: "https://chat.sobot.com"})
	got, err := c.MiniProgramWebView(nil, "msgFn")
	require.NoError(t, err)
	// The reference's own example, with its sysnum.
	assert.Equal(t, `<web-view src="https://chat.sobot.com/chat/h5/v2/index.html?source=10&sysnum=`+sobot.TestSysNum+`" bindmessage="msgFn"></web-view>`, got)

	got, err = c.MiniProgramWebView(nil, "")
	require.NoError(t, err)
	assert.Equal(t, `<web-view src="https://chat.sobot.com/chat/h5/v2/index.html?source=10&sysnum=`+sobot.TestSysNum+`"></web-view>`, got)

	for _, h := range []string{"on$Message_2", "_x", "$"} {
		_, err := c.MiniProgramWebView(nil, h)
		assert.NoError(t, err, h)
	}
	for _, h := range []string{"2fast", "msg-fn", `a" onload="x`, "{{h}}", "处理"} {
		_, err := c.MiniProgramWebView(nil, h)
		assert.Equal(t, []string{"bindmessage: must be the name of a page method such as msgFn: letters, digits, _ and $, not starting with a digit"},
			sobot.ProblemLines(t, err), h)
	}
	_, err = c.MiniProgramWebView(&sobot.Params{Settings: sobot.Settings{Source: sobot.SourceApp}}, "1")
	assert.Len(t, sobot.ProblemLines(t, err), 2, "handler and source problems together")
}

// TestMiniProgramWebViewEscapes: a base URL holding the characters special
// in WXML that a base URL may hold (quotes, braces, brackets and spaces are
// refused by NewClient) and a partnerid holding all of them still give a src
// that reads as one URL whichever way the attribute is decoded, and that the
// URL opens the same page.
func TestMiniProgramWebViewEscapes(t *testing.T) {
	c := sobot.NewTestClient(t, sobot.Config{BaseURL: `https://x.example/a;h&amp;i`, Key: sobot.NewKey("k-0123456789abcdef")})
	p := &sobot.Params{User: sobot.User{PartnerID: `"><script>{{x}}&amp;`}}
	got, err := c.MiniProgramWebView(p, "msgFn")
	require.NoError(t, err)
	src, ok := strings.CutPrefix(got, `<web-view src="`)
	require.True(t, ok)
	src, _, ok = strings.Cut(src, `" bindmessage="msgFn"></web-view>`)
	require.True(t, ok, got)
	assert.NotContainsf(t, src, `"`, "quote")
	for _, special := range []string{"<", ">", "'", "{", "}", "\\", ";", " ", "`"} {
		assert.NotContains(t, src, special)
	}
	assert.Equal(t, src, html.UnescapeString(src), "no entity to decode: exparser and glass-easel read the same text")
	assert.Equal(t, `https://x.example/a%3Bh%26amp%3Bi/chat/h5/v2/index.html?partnerid=%22%3E%3Cscript%3E%7B%7Bx%7D%7D%26amp%3B&sign=`+
		sobot.Sign(sobot.TestSysNum, sobot.NewKey("k-0123456789abcdef"), `"><script>{{x}}&amp;`)+`&source=10&sysnum=`+sobot.TestSysNum, src)
}

// TestMiniProgramStandIn: the web-view's src opens the stand-in's H5 page
// with the sign verified.
func TestMiniProgramStandIn(t *testing.T) {
	key := sobot.NewKey("s3cr3t-0123456789")
	srv := sobottest.NewServer(sobot.TestSysNum, key)
	defer srv.Close()
	c := sobot.NewTestClient(t, sobot.Config{Key: key, BaseURL: srv.URL})
	el, err := c.MiniProgramWebView(&sobot.Params{User: sobot.User{PartnerID: "u 1+2"}}, "msgFn")
	require.NoError(t, err)
	src, _, _ := strings.Cut(strings.TrimPrefix(el, `<web-view src="`), `"`)
	body := get(t, srv, src)
	assert.Contains(t, body, `id="sobot-security">sign verified<`)
	assert.Contains(t, body, `id="param-source">10<`)
}
