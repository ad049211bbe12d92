package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// TestLink: sobot link prints the signed chat URL alone, or every problem
// at once and nothing on stdout.
func TestLink(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"link", withSys, "", []string{"link", "partnerid=u-1", "uname=小丁 哥", "time=120"}, 0,
			h5 + "partnerid=u-1&sysnum=" + sysnum + "&time=120&uname=%E5%B0%8F%E4%B8%81%20%E5%93%A5\n", ""},
		{"JSON-valued parameter", withSys, "", []string{"link", `params={"等级":"Boss"}`}, 0,
			h5 + "params=%7B%22%E7%AD%89%E7%BA%A7%22%3A%22Boss%22%7D&sysnum=" + sysnum + "\n", ""},
		{"every problem at once", withKey, "", []string{"link", "--pc", "time=abc", "color=zz", "foo=1", "sign=x", "sysnum=y", "photo_flag=1", "is_vip=2", "--extra", "uname=x"}, 1, "",
			setLine(t, "time", "abc") +
				"foo: is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE\n" +
				"sign: is computed from the key (--key or SOBOT_KEY); it cannot be set\n" +
				"sysnum: is set with --sysnum or SOBOT_SYSNUM\n" +
				setLine(t, "is_vip", "2") +
				"uname: is a parameter of the reference; pass it as NAME=VALUE, not with --extra\n" +
				buildLines(t, sobot.Config{SysNum: sysnum, Key: sobot.NewKey(secret)}, (*sobot.Client).PCURL, "color=zz", "photo_flag=1")},
		{"widget-only parameter in a link", withSys, "", []string{"link", "tip_title=hi"}, 1, "",
			buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "tip_title=hi")},
	})
}

// TestWidget: sobot widget prints the signed HTML block with the nonce, and
// names a bad nonce by its flag.
func TestWidget(t *testing.T) {
	t.Parallel()
	r := runWith(t, withKey, "", "widget", "--nonce", "bm9uY2U", "partnerid=u-1", "color=04babc")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `<script nonce="bm9uY2U">`)
	assert.Contains(t, r.stdout, `"sign":"`+signed("u-1")+`"`)
	assert.Contains(t, r.stdout, `src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=`+sysnum+`"`)
	assert.True(t, strings.HasSuffix(r.stdout, "</script>\n") && !strings.HasSuffix(r.stdout, "\n\n"), "one trailing newline")
	assert.Empty(t, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, secret)

	r = runWith(t, withKey, "", "widget", "--v6", "partnerid=u-1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `src="https://www.sobot.com/chat/frame/v6/entrance.js?sysnum=`+sysnum+`"`)

	r = runWith(t, withKey, "", "widget", "top_bar_flag=1")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "top_bar_flag: ")
	assert.Contains(t, r.stderr, "partnerid: is required")

	r = runWith(t, withSys, "", "widget", "--nonce", "a b")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "--nonce: must be base64 or base64url text (A–Z a–z 0–9 + / - _, up to two trailing =), as CSP nonces are (got \"a b\")\n", r.stderr)
}

// TestLeaveMessage: sobot leave-message is never signed, and reports the
// page's own rules.
func TestLeaveMessage(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"leave-message", withKey, "", []string{"leave-message", "uid=8f2a", "templateid=tpl-1", "locale=en"}, 0,
			"https://www.sobot.com/chat/h5/v2/leavemessage.html?locale=en&source=9&sysnum=" + sysnum + "&templateid=tpl-1&uid=8f2a\n", ""},
		{"leave-message problems", withSys, "", []string{"leave-message", "partnerid=u", "source=4"}, 1, "",
			buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).LeaveMessageURL, "partnerid=u", "source=4")},
	})
}

// TestBadConfigHidesNoProblem: an invalid --base-url or sysnum is reported
// with every parameter problem the command's builder finds, not instead of
// them: CLI problems, then NewClient's, then the builder's, each once.
func TestBadConfigHidesNoProblem(t *testing.T) {
	t.Parallel()
	signedCfg := sobot.Config{SysNum: sysnum, Key: sobot.NewKey(secret)}
	foo := "foo: is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE\n"
	badBase := configLines(t, sobot.Config{SysNum: sysnum, BaseURL: "bad"})
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
	}{
		{"link", withSys, []string{"link", "--base-url", "bad", "time=5", "color=zz", "anchor=true", "foo=1"},
			foo + badBase + buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "time=5", "color=zz", "anchor=true")},
		{"link with a key and no partnerid", withKey, []string{"link", "--base-url", "bad", "time=5", "color=zz", "anchor=true", "foo=1"},
			foo + badBase + buildLines(t, signedCfg, (*sobot.Client).H5URL, "time=5", "color=zz", "anchor=true")},
		{"PC link", withKey, []string{"link", "--pc", "--base-url", "bad", "photo_flag=1", "partnerid=u"},
			badBase + buildLines(t, signedCfg, (*sobot.Client).PCURL, "photo_flag=1", "partnerid=u")},
		{"bad sysnum", nil, []string{"link", "--sysnum", "a b", "time=5"},
			configLines(t, sobot.Config{SysNum: "a b"}) + buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "time=5")},
		{"bad sysnum and base URL", nil, []string{"link", "--sysnum", "a b", "--base-url", "ftp://x", "time=5"},
			configLines(t, sobot.Config{SysNum: "a b", BaseURL: "ftp://x"}) + buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "time=5")},
		{"widget, and its nonce", withKey, []string{"widget", "--base-url", "bad", "--nonce", "no nonce", "top_bar_flag=1"},
			badBase + buildLines(t, signedCfg, func(c *sobot.Client, p *sobot.Params) (string, error) {
				return widgetHTML(c, p, "no nonce")
			}, "top_bar_flag=1")},
		{"leave-message, and its source", withKey, []string{"leave-message", "--base-url", "bad", "source=4", "partnerid=u"},
			badBase + buildLines(t, signedCfg, (*sobot.Client).LeaveMessageURL, "source=4", "partnerid=u")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, tt.env, "", tt.args...)
			assert.Equal(t, 1, r.code)
			assert.Empty(t, r.stdout)
			assert.Equal(t, tt.stderr, r.stderr)
			assert.Greater(t, strings.Count(r.stderr, "\n"), strings.Count(badBase, "\n"), "parameter problems too")
		})
	}
}

// TestPrintProblems: each problem is printed once, in the order found.
func TestPrintProblems(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	p := sobot.Problem{Param: "time", Value: "5", Reason: "r"}
	printProblems(&b, []sobot.Problem{p, {Param: "base_url", Reason: "r"}, p, {Param: "time", Value: "6", Reason: "r"}})
	assert.Equal(t, "time: r (got \"5\")\nbase_url: r\ntime: r (got \"6\")\n", b.String())
}

// noticeLines are the "notice: " lines of what a client of cfg finds Sobot
// would ignore in the parameters (NAME=VALUE pairs) built as kind.
func noticeLines(t *testing.T, cfg sobot.Config, k sobot.Kind, pairs ...string) string {
	t.Helper()
	c, err := sobot.NewClient(cfg)
	require.NoError(t, err)
	ns, err := c.Check(k, paramsOf(t, pairs...))
	require.NoError(t, err)
	require.NotEmpty(t, ns, "the parameters have notices")
	var b strings.Builder
	for _, n := range ns {
		b.WriteString("notice: " + n.String() + "\n")
	}
	return b.String()
}

// TestNotices: what Sobot accepts but ignores is built, and shown on
// stderr after the result as "notice: NAME: reason" lines, each as
// Client.Check finds it for what was built; exit status 0.
func TestNotices(t *testing.T) {
	t.Parallel()
	cfg := sobot.Config{SysNum: sysnum}
	rules := `[` + strings.Repeat(`{"actionType":"to_group","optionId":"3","deciId":"g1","spillId":"4"},`, 4) + `{"actionType":"to_group","optionId":"4","deciId":"g2"}]`
	widget := func(c *sobot.Client, p *sobot.Params) (string, error) { return widgetHTML(c, p, "") }
	tests := []struct {
		name  string
		args  []string
		kind  sobot.Kind
		build builder
		pairs []string
	}{
		{"vip_level without is_vip=1", []string{"link"}, sobot.KindH5, (*sobot.Client).H5URL, []string{"vip_level=3"}},
		{"a card on the PC page", []string{"link", "--pc"}, sobot.KindPC, (*sobot.Client).PCURL, []string{"card_title=Shoes", "card_url=https://shop.example/1"}},
		{"more than 4 transfer_action rules", []string{"link"}, sobot.KindH5, (*sobot.Client).H5URL, []string{"transfer_action=" + rules}},
		{"title_flag without top_bar_flag=1", []string{"widget"}, sobot.KindWidget, widget, []string{"title_flag=1"}},
		{"several", []string{"link"}, sobot.KindH5, (*sobot.Client).H5URL, []string{"vip_level=3", "cut_flag=hide", "agent_mode_flag=1"}},
		{"mini-program", []string{"mini-program"}, sobot.KindH5, (*sobot.Client).MiniProgramURL, []string{"status_custom=Shipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := sobot.NewClient(cfg)
			require.NoError(t, err)
			out, err := tt.build(c, paramsOf(t, tt.pairs...))
			require.NoError(t, err)
			r := runWith(t, withSys, "", append(tt.args, tt.pairs...)...)
			assert.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, strings.TrimRight(out, "\n")+"\n", r.stdout, "the result alone on stdout")
			assert.Equal(t, noticeLines(t, cfg, tt.kind, tt.pairs...), r.stderr)
		})
	}

	// None where Sobot takes every parameter.
	r := runWith(t, withSys, "", "link", "vip_level=3", "is_vip=1")
	assert.Equal(t, 0, r.code)
	assert.Empty(t, r.stderr)

	// Problems alone when there are problems.
	r = runWith(t, withSys, "", "link", "vip_level=3", "time=abc")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, setLine(t, "time", "abc"), r.stderr)

	// A value that holds the key is a problem, not a notice: the key
	// would reach every visitor. It is redacted.
	r = runWith(t, withKey, "", "link", "partnerid=u-1", "status_custom=is "+secret)
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "status_custom: holds the client's security key, which must never be sent: any visitor could then sign as any user (got \"is [REDACTED]\")\n", r.stderr)
}

// TestMiniProgram: sobot mini-program prints the web-view's H5 link, or
// with --webview the WXML element, as the library builds them; a bad
// handler is named by its flag.
func TestMiniProgram(t *testing.T) {
	t.Parallel()
	c, err := sobot.NewClient(sobot.Config{SysNum: sysnum, Key: sobot.NewKey(secret)})
	require.NoError(t, err)
	link, err := c.MiniProgramURL(paramsOf(t, "partnerid=u-1", "uname=小丁"))
	require.NoError(t, err)
	require.Contains(t, link, "source=10")
	element, err := c.MiniProgramWebView(paramsOf(t, "partnerid=u-1", "uname=小丁"), "msgFn")
	require.NoError(t, err)
	require.Contains(t, element, `bindmessage="msgFn"`)

	runCases(t, []cliCase{
		{"link", withKey, "", []string{"mini-program", "partnerid=u-1", "uname=小丁"}, 0, link + "\n", ""},
		{"element", withKey, "", []string{"mini-program", "--webview", "msgFn", "partnerid=u-1", "uname=小丁"}, 0, element + "\n", ""},
		{"v6", withSys, "", []string{"mini-program", "--v6"}, 0, "https://www.sobot.com/chat/h5/v6/index.html?source=10&sysnum=" + sysnum + "\n", ""},
		{"unknown flag", withSys, "", []string{"mini-program", "--pc"}, 2, "",
			"sobot mini-program: argument 1 is an unknown flag; the flags are --base-url, --extra, --key, --params-file, --sysnum, --v6, --webview and -h\n" + usageHint},
		{"bad handler", withSys, "", []string{"mini-program", "--webview", "1msg"}, 1, "",
			"--webview: must be the name of a page method such as msgFn: letters, digits, _ and $, not starting with a digit (got \"1msg\")\n"},
		{"empty handler", withSys, "", []string{"mini-program", "--webview="}, 2, "",
			"sobot mini-program: --webview is empty: give a value, or leave --webview out\n" + usageHint},
		{"another source", withKey, "", []string{"mini-program", "source=4"}, 1, "",
			buildLines(t, sobot.Config{SysNum: sysnum, Key: sobot.NewKey(secret)}, (*sobot.Client).MiniProgramURL, "source=4")},
		{"bad base URL, and handler", withKey, "", []string{"mini-program", "--base-url", "bad", "--webview", "a-b", "partnerid=u"}, 1, "",
			configLines(t, sobot.Config{SysNum: sysnum, BaseURL: "bad"}) +
				"--webview: must be the name of a page method such as msgFn: letters, digits, _ and $, not starting with a digit (got \"a-b\")\n"},
	})
}

// TestEmptyValues: an empty VALUE leaves a parameter out; --extra sends
// NAME= as it is, as the manual says.
func TestEmptyValues(t *testing.T) {
	t.Parallel()
	r := runWith(t, withSys, "", "link", "uname=", "custom_title=", "--extra", "visitTitle=")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "https://www.sobot.com/chat/h5/v2/index.html?sysnum="+sysnum+"&visitTitle=\n", r.stdout)
	assert.Empty(t, r.stderr)
}
