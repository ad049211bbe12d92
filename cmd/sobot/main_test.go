package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

const (
	sysnum = "4c349791a07b46c1a70b8ac88aa23257"
	secret = "k-cli-s3cr3t-5b1e" // must never appear in any output
	h5     = "https://www.sobot.com/chat/h5/v2/index.html?"
)

// result is what one run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runWith runs the command line with env set (and the SOBOT_ variables not
// in env cleared) and stdin as standard input.
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	for _, name := range []string{"SOBOT_SYSNUM", "SOBOT_KEY", "SOBOT_BASE_URL"} {
		t.Setenv(name, env[name])
	}
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// setLine is the library's message for Params.Set(name, value), as the CLI
// prints it: the CLI reports the library's reasons in its words.
func setLine(t *testing.T, name, value string) string {
	t.Helper()
	var p sobot.Params
	err := p.Set(name, value)
	require.Error(t, err, "%s=%s", name, value)
	var prob sobot.Problem
	require.ErrorAs(t, err, &prob)
	return prob.Error() + "\n"
}

// buildLines are the lines of the problems build finds in the parameters
// (NAME=VALUE pairs Params.Set accepts) with a client of cfg.
func buildLines(t *testing.T, cfg sobot.Config, build builder, pairs ...string) string {
	t.Helper()
	var p sobot.Params
	for _, pair := range pairs {
		name, value, _ := strings.Cut(pair, "=")
		require.NoError(t, p.Set(name, value))
	}
	c, err := sobot.NewClient(cfg)
	require.NoError(t, err)
	_, err = build(c, &p)
	return problemLines(t, err)
}

// configLines are the lines of the problems NewClient finds in cfg.
func configLines(t *testing.T, cfg sobot.Config) string {
	t.Helper()
	_, err := sobot.NewClient(cfg)
	return problemLines(t, err)
}

// problemLines formats the problems of a *sobot.ValidationError, one line
// each.
func problemLines(t *testing.T, err error) string {
	t.Helper()
	var verr *sobot.ValidationError
	require.ErrorAs(t, err, &verr)
	var b strings.Builder
	for _, p := range verr.Problems {
		b.WriteString(p.Error() + "\n")
	}
	return b.String()
}

// signed returns the sign of partnerid under secret.
func signed(partnerid string) string { return sobot.Sign(sysnum, sobot.NewKey(secret), partnerid) }

func TestRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "params.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"partnerid": "u-1", "time": 120, "uname": "file"}`), 0o600))
	badJSON := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badJSON, []byte(`[1]`), 0o600))

	withSys := map[string]string{"SOBOT_SYSNUM": sysnum}
	withKey := map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": secret}
	usageHint := "Run 'sobot help' for usage.\n"
	tests := []struct {
		name   string
		env    map[string]string
		stdin  string
		args   []string
		code   int
		stdout string // exact; "" means empty
		stderr string // exact
	}{
		// help and usage errors
		{"help", nil, "", []string{"help"}, 0, usage, ""},
		{"-h", nil, "", []string{"-h"}, 0, usage, ""},
		{"--help", nil, "", []string{"--help"}, 0, usage, ""},
		{"command -h", withSys, "", []string{"link", "-h"}, 0, usage, ""},
		{"no command", nil, "", nil, 2, "", "sobot: missing command\n" + usageHint},
		{"unknown command", nil, "", []string{"chat"}, 2, "", "sobot: unknown command; the commands are link, widget, leave-message, inspect, params and help\n" + usageHint},
		{"unknown flag", withSys, "", []string{"link", "partnerid=u", "--bogus"}, 2, "",
			"sobot link: argument 2 is an unknown flag; the flags are --base-url, --extra, --key, --params-file, --pc, --sysnum, --v6 and -h\n" + usageHint},
		{"bad flag syntax", withSys, "", []string{"widget", "---nonce=x"}, 2, "",
			"sobot widget: argument 1 is an unknown flag; the flags are --base-url, --extra, --key, --nonce, --params-file, --sysnum and -h\n" + usageHint},
		{"bad boolean flag", withSys, "", []string{"link", "--pc=maybe"}, 2, "", "sobot link: argument 1: --pc takes no value, or =true or =false\n" + usageHint},
		{"flag without its value", withSys, "", []string{"link", "--sysnum"}, 2, "", "sobot link: --sysnum needs a value\n" + usageHint},
		{"flag value that looks like a flag", nil, "", []string{"link", "--sysnum", "-s", "--pc=false", "-pc=1"}, 0,
			"https://www.sobot.com/chat/pc/v2/index.html?sysnum=-s\n", ""},
		{"missing sysnum", nil, "", []string{"link", "partnerid=u"}, 2, "", "sobot link: missing sysnum: pass --sysnum or set SOBOT_SYSNUM\n" + usageHint},
		{"not NAME=VALUE", withSys, "", []string{"link", "--pc", "partnerid"}, 2, "", "sobot link: argument 2 is not NAME=VALUE\n" + usageHint},
		{"not NAME=VALUE after --", withSys, "", []string{"link", "uname=a", "--", "partnerid"}, 2, "", "sobot link: argument 3 is not NAME=VALUE\n" + usageHint},
		{"empty NAME", withSys, "", []string{"leave-message", "=x"}, 2, "", "sobot leave-message: argument 1 is not NAME=VALUE\n" + usageHint},
		{"extra not NAME=VALUE", withSys, "", []string{"link", "--extra", "a=1", "--extra", "x"}, 2, "", "sobot link: the 2nd --extra is not NAME=VALUE\n" + usageHint},
		{"params file missing", withSys, "", []string{"link", "--params-file", filepath.Join(dir, "nope.json")}, 2, "",
			"sobot link: --params-file " + filepath.Join(dir, "nope.json") + ": no such file or directory\n" + usageHint},
		{"params file not an object", withSys, "", []string{"link", "--params-file", badJSON}, 2, "",
			"sobot link: --params-file " + badJSON + ": must hold a JSON object keyed by wire names, such as {\"partnerid\": \"u-1\", \"time\": 120}\n" + usageHint},
		{"params file on stdin not an object", withSys, "[]", []string{"link", "--params-file", "-"}, 2, "",
			"sobot link: --params-file - (stdin): must hold a JSON object keyed by wire names, such as {\"partnerid\": \"u-1\", \"time\": 120}\n" + usageHint},
		{"params unexpected argument", nil, "", []string{"params", "x"}, 2, "", "sobot params: argument 1 is unexpected: sobot params takes only --json\n" + usageHint},
		{"inspect without URL", nil, "", []string{"inspect"}, 2, "", "sobot inspect: want exactly one URL\n" + usageHint},
		{"inspect two URLs", nil, "", []string{"inspect", h5, h5}, 2, "", "sobot inspect: want exactly one URL\n" + usageHint},

		// link
		{"link", withSys, "", []string{"link", "partnerid=u-1", "uname=小丁 哥", "time=120"}, 0,
			h5 + "partnerid=u-1&sysnum=" + sysnum + "&time=120&uname=%E5%B0%8F%E4%B8%81%20%E5%93%A5\n", ""},
		{"link signed by SOBOT_KEY", withKey, "", []string{"link", "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "\n", ""},
		{"--key wins over SOBOT_KEY", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": "other"}, "", []string{"link", "--key", secret, "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "\n", ""},
		{"empty SOBOT_KEY is no key", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": ""}, "", []string{"link", "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sysnum=" + sysnum + "\n", ""},
		{"repeated --key, the last wins", map[string]string{"SOBOT_SYSNUM": sysnum}, "", []string{"link", "--key", "other", "--key", secret, "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "\n", ""},
		{"--pc --v6, flags after arguments", nil, "", []string{"link", "partnerid=u-1", "--sysnum", sysnum, "--pc", "--v6"}, 0,
			"https://www.sobot.com/chat/pc/v6/index.html?partnerid=u-1&sysnum=" + sysnum + "\n", ""},
		{"-- ends the flags", withSys, "", []string{"link", "--", "uname=--pc"}, 0,
			h5 + "sysnum=" + sysnum + "&uname=--pc\n", ""},
		{"--base-url and SOBOT_BASE_URL", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_BASE_URL": "https://env.example"}, "",
			[]string{"link", "--base-url", "https://acme.sobot.com/"}, 0, "https://acme.sobot.com/chat/h5/v2/index.html?sysnum=" + sysnum + "\n", ""},
		{"SOBOT_BASE_URL", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_BASE_URL": "https://sg.sobot.com"}, "", []string{"link"}, 0,
			"https://sg.sobot.com/chat/h5/v2/index.html?sysnum=" + sysnum + "\n", ""},
		{"--extra", withSys, "", []string{"link", "--extra", "visitTitle=Home", "--extra", "schemeId=2"}, 0,
			h5 + "schemeId=2&sysnum=" + sysnum + "&visitTitle=Home\n", ""},
		{"JSON-valued parameter", withSys, "", []string{"link", `params={"等级":"Boss"}`}, 0,
			h5 + "params=%7B%22%E7%AD%89%E7%BA%A7%22%3A%22Boss%22%7D&sysnum=" + sysnum + "\n", ""},

		// params file
		{"params file, arguments override it", withKey, "", []string{"link", "--params-file", file, "uname=arg"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "&time=120&uname=arg\n", ""},
		{"params file from stdin", withSys,
			`{"partnerid":"u-1","is_vip":1,"reload":true,"params":{"等级":"Boss"},"goods":[{"name":"n","pictureUrl":"https://x.example/p.png"}],"order_status":1,"remark":null}`,
			[]string{"link", "--params-file", "-"}, 0,
			h5 + "goods=%5B%7B%22name%22%3A%22n%22%2C%22pictureUrl%22%3A%22https%3A%2F%2Fx.example%2Fp.png%22%7D%5D&is_vip=1&order_status=1" +
				"&params=%7B%22%E7%AD%89%E7%BA%A7%22%3A%22Boss%22%7D&partnerid=u-1&reload=true&sysnum=" + sysnum + "\n", ""},
		{"params file problems", withSys, `{"uname":{"a":1},"nope":"1","time":"5"}`, []string{"link", "--params-file", "-"}, 1, "",
			"uname: must be a string, number or boolean in the params file; only JSON-valued parameters take objects or arrays\n" +
				"nope: is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE\n" +
				buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "time=5")},

		// invalid parameters: all of them, nothing on stdout
		{"every problem at once", withKey, "", []string{"link", "--pc", "time=abc", "color=zz", "foo=1", "sign=x", "sysnum=y", "photo_flag=1", "is_vip=2", "--extra", "uname=x"}, 1, "",
			setLine(t, "time", "abc") +
				"foo: is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE\n" +
				"sign: is computed from the key (--key or SOBOT_KEY); it cannot be set\n" +
				"sysnum: is set with --sysnum or SOBOT_SYSNUM\n" +
				setLine(t, "is_vip", "2") +
				"uname: is a parameter of the reference; pass it as NAME=VALUE, not with --extra\n" +
				buildLines(t, sobot.Config{SysNum: sysnum, Key: sobot.NewKey(secret)}, (*sobot.Client).PCURL, "color=zz", "photo_flag=1")},
		{"sign and sysnum with --extra", withSys, "", []string{"link", "--extra", "sign=x", "--extra", "sysnum=y"}, 1, "",
			"sign: is computed from the key (--key or SOBOT_KEY); it cannot be set\n" +
				"sysnum: is set with --sysnum or SOBOT_SYSNUM\n"},
		{"widget-only parameter in a link", withSys, "", []string{"link", "tip_title=hi"}, 1, "",
			buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "tip_title=hi")},
		{"bad sysnum and base URL", nil, "", []string{"link", "--sysnum", "a b", "--base-url", "ftp://x", "time=5"}, 1, "",
			configLines(t, sobot.Config{SysNum: "a b", BaseURL: "ftp://x"}) + buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "time=5")},

		// leave-message
		{"leave-message", withKey, "", []string{"leave-message", "uid=8f2a", "templateid=tpl-1", "locale=en"}, 0,
			"https://www.sobot.com/chat/h5/v2/leavemessage.html?locale=en&source=9&sysnum=" + sysnum + "&templateid=tpl-1&uid=8f2a\n", ""},
		{"leave-message problems", withSys, "", []string{"leave-message", "partnerid=u", "source=4"}, 1, "",
			buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).LeaveMessageURL, "partnerid=u", "source=4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runWith(t, tt.env, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, r.code, "stderr: %s", r.stderr)
			assert.Equal(t, tt.stdout, r.stdout)
			assert.Equal(t, tt.stderr, r.stderr)
			assert.NotContains(t, r.stdout+r.stderr, secret)
		})
	}
}

func TestWidget(t *testing.T) {
	env := map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": secret}
	r := runWith(t, env, "", "widget", "--nonce", "bm9uY2U", "partnerid=u-1", "color=04babc")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `<script nonce="bm9uY2U">`)
	assert.Contains(t, r.stdout, `"sign":"`+signed("u-1")+`"`)
	assert.Contains(t, r.stdout, `src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=`+sysnum+`"`)
	assert.True(t, strings.HasSuffix(r.stdout, "</script>\n") && !strings.HasSuffix(r.stdout, "\n\n"), "one trailing newline")
	assert.NotContains(t, r.stdout+r.stderr, secret)

	r = runWith(t, env, "", "widget", "top_bar_flag=1")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "top_bar_flag: ")
	assert.Contains(t, r.stderr, "partnerid: is required")
}

// inspected is sobot inspect's JSON, decoded loosely.
type inspected map[string]any

func inspect(t *testing.T, env map[string]string, args ...string) (inspected, result) {
	t.Helper()
	r := runWith(t, env, "", append([]string{"inspect"}, args...)...)
	if r.stdout == "" {
		return nil, r
	}
	var out inspected
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	return out, r
}

func TestInspect(t *testing.T) {
	link := h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "&time=5&visitTitle=Home"

	out, r := inspect(t, nil, link)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "h5", out["kind"])
	assert.Equal(t, sysnum, out["sysnum"])
	assert.Equal(t, map[string]any{"partnerid": "u-1", "time": "5", "visitTitle": "Home"}, out["params"])
	assert.Equal(t, []any{"visitTitle"}, out["unknown"])
	assert.Equal(t, true, out["signed"])
	assert.Contains(t, out, "sign_valid")
	assert.Nil(t, out["sign_valid"], "null without a key")
	assert.NotContains(t, out, "verification")
	assert.Equal(t, []any{map[string]any{"param": "time", "value": "5", "reason": "must be a whole number from 10 to 2880"}}, out["problems"])
	for _, field := range []string{"kind", "sysnum", "params", "unknown", "signed", "sign_valid"} {
		assert.Contains(t, r.stdout, `"`+field+`": `)
	}

	out, r = inspect(t, nil, "--key", secret, link)
	assert.Equal(t, 0, r.code)
	assert.Equal(t, true, out["sign_valid"])
	assert.Equal(t, float64(1), out["verification"].(map[string]any)["matched_key"])

	out, r = inspect(t, map[string]string{"SOBOT_KEY": secret}, link)
	assert.Equal(t, 0, r.code, "SOBOT_KEY")
	assert.Equal(t, true, out["sign_valid"])

	out, r = inspect(t, nil, "--key", "new-key", "--key", secret, link)
	assert.Equal(t, 0, r.code, "a key being rotated out")
	assert.Equal(t, float64(2), out["verification"].(map[string]any)["matched_key"])
	assert.Contains(t, out["explanation"], "key #2, a key being rotated out")

	edited := strings.Replace(link, "partnerid=u-1", "partnerid=u-2", 1)
	out, r = inspect(t, map[string]string{"SOBOT_KEY": "ignored"}, "--key", secret, edited)
	assert.Equal(t, 1, r.code, "a bad sign still prints the JSON, and exits 1")
	assert.Equal(t, false, out["sign_valid"])
	v := out["verification"].(map[string]any)
	assert.Nil(t, v["matched_key"])
	assert.Equal(t, `md5("`+sysnum+`" + <key> + "u-2")`, v["signed_text"])
	assert.Equal(t, signed("u-2"), v["expected_sign"])
	assert.Equal(t, signed("u-1"), v["received_sign"])
	assert.Contains(t, v["causes"].([]any)[0], "partnerid changed after signing")
	assert.Contains(t, out["explanation"], "likely causes:")
	assert.NotContains(t, r.stdout+r.stderr, secret)

	out, r = inspect(t, nil, "--key", secret, h5+"sysnum="+sysnum+"&partnerid=u-1")
	assert.Equal(t, 1, r.code, "unsigned chat link, key given")
	assert.Equal(t, false, out["signed"])
	assert.Equal(t, false, out["sign_valid"])

	out, r = inspect(t, nil, "--key", secret, "https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum="+sysnum+"&source=9&uid=u")
	assert.Equal(t, 0, r.code, "leave-message links are not signed")
	assert.Equal(t, "leave-message", out["kind"])
	assert.Nil(t, out["sign_valid"])

	out, r = inspect(t, nil, "https://acme.sobot.com/ticket?id=1&params=%7B%22k%22%3A%22v%22%7D")
	assert.Equal(t, 0, r.code)
	assert.Equal(t, "ticket", out["kind"])
	assert.Equal(t, "https://acme.sobot.com/ticket?id=1", out["base_url"])
	assert.Equal(t, map[string]any{"params": `{"k":"v"}`}, out["params"])

	out, r = inspect(t, nil, "https://www.sobot.com/chat/frame/v6/entrance.js?sysnum="+sysnum)
	assert.Equal(t, 0, r.code)
	assert.Equal(t, "widget-loader", out["kind"])
	assert.Equal(t, "v6", out["version"])

	_, r = inspect(t, nil, "https://www.sobot.com/about")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.True(t, strings.HasPrefix(r.stderr, "url: is not a Sobot chat"), r.stderr)
}

func TestParams(t *testing.T) {
	r := runWith(t, nil, "", "params")
	require.Equal(t, 0, r.code)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	assert.Len(t, lines, len(sobot.ParamTable())+1)
	assert.Regexp(t, `^NAME +TYPE +KINDS +FIELD +ALLOWED +DESCRIPTION +CHINESE$`, lines[0])
	assert.Regexp(t, `^partnerid +String +h5,pc,widget +User\.PartnerID +not blank; no control characters; at most 300 characters +Visitor id.* {2,}用户id,限制300字符$`, lines[1])
	assertAligned(t, lines)
	for i, info := range sobot.ParamTable() {
		assert.True(t, strings.HasPrefix(lines[i+1], tableName(info)+" "), lines[i+1])
		assert.True(t, strings.HasSuffix(lines[i+1], "  "+orDash(oneLine(info.Chinese))), "the reference's description last: %s", lines[i+1])
	}

	r = runWith(t, nil, "", "params", "--json")
	require.Equal(t, 0, r.code)
	var rows []paramRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.Len(t, rows, len(sobot.ParamTable()))
	for i, info := range sobot.ParamTable() {
		assert.Equal(t, info.Name, rows[i].Name, "--json keeps the wire name")
		assert.Equal(t, info.Parent, rows[i].Parent)
		assert.Equal(t, info.Field, rows[i].Field)
		assert.Equal(t, info.Chinese, rows[i].Chinese)
	}
	assert.Equal(t, []string{"h5", "pc", "widget", "leave-message"}, rows[1].Kinds, "uname")
}

// assertAligned checks that every column of a text table starts where its
// heading does, counted in characters, after at least two spaces.
func assertAligned(t *testing.T, lines []string) {
	t.Helper()
	var starts []int
	head := []rune(lines[0])
	for i := range head {
		if head[i] != ' ' && (i == 0 || head[i-1] == ' ') {
			starts = append(starts, i)
		}
	}
	for _, l := range lines[1:] {
		row := []rune(l)
		for _, c := range starts[1:] {
			if !assert.Greater(t, len(row), c, "short row: %s", l) {
				break
			}
			assert.True(t, row[c] != ' ' && row[c-1] == ' ' && row[c-2] == ' ', "column at %d not aligned: %s", c, l)
		}
	}
}

// TestParamsMembers: rows describing the members of goods items print as
// goods[].name; pre_/cur_ visit members, parameters of their own, keep
// their names. The columns stay aligned.
func TestParamsMembers(t *testing.T) {
	rows := []sobot.ParamInfo{
		{Name: "goods", Field: "Order.Goods", Type: sobot.TypeJSON, JS: sobot.JSJSONString, Kinds: []sobot.Kind{sobot.KindH5, sobot.KindPC, sobot.KindWidget}, Allowed: "JSON array", Chinese: "商品详情数组", English: "Order items"},
		{Name: "name", Type: sobot.TypeString, JS: sobot.JSObjectMember, Kinds: []sobot.Kind{sobot.KindH5, sobot.KindPC, sobot.KindWidget}, Parent: "goods", Chinese: "商品名称", English: "Item name"},
		{Name: "pictureUrl", Type: sobot.TypeString, JS: sobot.JSObjectMember, Parent: "goods", Allowed: "http(s) URL", Chinese: "商品图片链接", English: "Item picture"},
		{Name: "pre_visit_url", Field: "Visit.Previous.URL", Type: sobot.TypeString, JS: sobot.JSObjectMember, Kinds: []sobot.Kind{sobot.KindWidget}, Parent: "pre_visit_args", Chinese: "来源页url", English: "Referring page URL"},
		{Name: "odd", Type: sobot.TypeString, Chinese: "换\t行\n", English: "tab\tand newline\n"},
	}
	var b strings.Builder
	require.NoError(t, writeTable(&b, rows))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, len(rows)+1)
	assertAligned(t, lines)
	assert.Regexp(t, `^goods +JSON `, lines[1])
	assert.Regexp(t, `^goods\[\]\.name +String +h5,pc,widget +- +- +Item name +商品名称$`, lines[2])
	assert.Regexp(t, `^goods\[\]\.pictureUrl +String +- +- +http\(s\) URL +Item picture +商品图片链接$`, lines[3])
	assert.Regexp(t, `^pre_visit_url +String +widget +Visit\.Previous\.URL `, lines[4])
	assert.Regexp(t, `^odd .* tab and newline  +换 行 $`, lines[5])

	assert.Equal(t, []string{}, paramRows(rows[2:3])[0].Kinds, "no kinds is [] in JSON")
	assert.Equal(t, "name", paramRows(rows[1:2])[0].Name, "--json keeps the wire name")
	assert.Equal(t, "goods", paramRows(rows[1:2])[0].Parent)

	// A member is not a parameter, on the command line or in --extra.
	assert.Contains(t, unsettable(rows[1]), "is not a parameter but a member of each goods item (goods[].name): set it inside goods")
	assert.Empty(t, unsettable(rows[3]))
}

// TestDocMatchesUsage: the package documentation, which is the manual,
// shows the same command lines as sobot help.
func TestDocMatchesUsage(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	_, block, _ := strings.Cut(usage, "Usage:\n")
	block, _, _ = strings.Cut(block, "\n\nNAME is")
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, "  sobot ") {
			line = line[2:]
		}
		if line != "" && !strings.Contains(string(doc), "//\t"+line+"\n") {
			t.Errorf("doc.go lacks the usage line %q", line)
		}
	}
}
