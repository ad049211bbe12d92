package sobot_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

func TestLeaveMessageURL(t *testing.T) {
	full := sobot.Params{
		User:         sobot.User{Name: "小丁 哥"},
		Routing:      sobot.Routing{GroupID: "g1"},
		Settings:     sobot.Settings{Locale: sobot.LocaleEnglish},
		LeaveMessage: sobot.LeaveMessageFields{UID: "8f2a", TemplateID: "tpl-1", T: "1586414406391"},
	}
	fullWant := "https://www.sobot.com/chat/h5/v2/leavemessage.html?groupid=g1&locale=en&source=9&sysnum=" + sobot.TestSysNum +
		"&t=1586414406391&templateid=tpl-1&uid=8f2a&uname=%E5%B0%8F%E4%B8%81%20%E5%93%A5"
	sobot.AssertLinks(t, []sobot.LinkCase{
		{"every parameter", sobot.Config{}, &full, fullWant},
		{"a key does not sign", sobot.Config{Key: sobot.NewKey("s3cr3t-0123456789")}, &full, fullWant},
		{"v6 client, same page", sobot.Config{Version: sobot.V6}, &full, fullWant},
		{"nil params", sobot.Config{}, nil,
			"https://www.sobot.com/chat/h5/v2/leavemessage.html?source=9&sysnum=" + sobot.TestSysNum},
		{"source 9 may be set", sobot.Config{}, &sobot.Params{Settings: sobot.Settings{Source: sobot.SourceWeCom}},
			"https://www.sobot.com/chat/h5/v2/leavemessage.html?source=9&sysnum=" + sobot.TestSysNum},
		{"defaults apply where allowed", sobot.Config{
			BaseURL:  "https://acme.sobot.com/",
			Defaults: sobot.Params{Settings: sobot.Settings{Color: "04babc", Locale: sobot.LocaleTraditional, Source: sobot.SourceMobile}},
		}, &sobot.Params{LeaveMessage: sobot.LeaveMessageFields{UID: "u"}},
			"https://acme.sobot.com/chat/h5/v2/leavemessage.html?locale=tw&source=9&sysnum=" + sobot.TestSysNum + "&uid=u"},
	}, (*sobot.Client).LeaveMessageURL)
}

func TestLeaveMessageURLErrors(t *testing.T) {
	c := sobot.NewTestClient(t, sobot.Config{Key: sobot.NewKey("s3cr3t-0123456789")})
	_, err := c.LeaveMessageURL(&sobot.Params{
		User:         sobot.User{PartnerID: "u-1"},
		Settings:     sobot.Settings{Source: sobot.SourceMobile, Color: "04babc", Locale: "fr"},
		LeaveMessage: sobot.LeaveMessageFields{UID: "8f2a"},
	})
	assert.Equal(t, []string{
		"source: must be unset or 9: the leave-message page takes source 9 only (值固定为9)",
		"color: is not a parameter of the leave-message link (allowed: h5, pc, widget)",
		"locale: must be one of cn, en, tw",
		"partnerid: is not a parameter of the leave-message link (allowed: h5, pc, widget)",
	}, sobot.ProblemLines(t, err))
}

// TestLeaveMessageStandIn opens built links on the stand-in, which flags a
// leave-message request whose source is not 9.
func TestLeaveMessageStandIn(t *testing.T) {
	key := sobot.NewKey("s3cr3t-0123456789")
	srv := sobottest.NewServer(sobot.TestSysNum, key)
	defer srv.Close()
	c := sobot.NewTestClient(t, sobot.Config{Key: key, BaseURL: srv.URL})
	link, err := c.LeaveMessageURL(&sobot.Params{User: sobot.User{Name: "张 三+&="}, LeaveMessage: sobot.LeaveMessageFields{UID: "u1", TemplateID: "t1"}})
	require.NoError(t, err)
	body := get(t, srv, link)
	assert.Contains(t, body, `id="sobot-page">leave-message<`)
	assert.Contains(t, body, `id="param-uname">张 三&#43;&amp;=<`)
	assert.NotContains(t, body, `id="sobot-problems"`)
	assert.NotContains(t, body, `id="sobot-rejected"`)
}

// get fetches link from the stand-in and returns the body of a 200 answer.
func get(t *testing.T, srv *sobottest.Server, link string) string {
	t.Helper()
	resp, err := srv.Client().Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s\n%s", resp.Header.Get("X-Sobottest-Reason"), b)
	return strings.TrimSpace(string(b))
}
