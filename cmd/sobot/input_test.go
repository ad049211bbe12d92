package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// TestArguments: NAME=VALUE arguments and --extra: each must be
// NAME=VALUE, named by position when not; a NAME given twice is a problem.
func TestArguments(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"not NAME=VALUE", withSys, "", []string{"link", "--pc", "partnerid"}, 2, "", "sobot link: argument 2 is not NAME=VALUE\n" + usageHint},
		{"not NAME=VALUE after --", withSys, "", []string{"link", "uname=a", "--", "partnerid"}, 2, "", "sobot link: argument 3 is not NAME=VALUE\n" + usageHint},
		{"empty NAME", withSys, "", []string{"leave-message", "=x"}, 2, "", "sobot leave-message: argument 1 is not NAME=VALUE\n" + usageHint},
		{"extra not NAME=VALUE", withSys, "", []string{"link", "--extra", "a=1", "--extra", "x"}, 2, "", "sobot link: the 2nd --extra is not NAME=VALUE\n" + usageHint},
		{"--extra", withSys, "", []string{"link", "--extra", "visitTitle=Home", "--extra", "schemeId=2"}, 0,
			h5 + "schemeId=2&sysnum=" + sysnum + "&visitTitle=Home\n", ""},
		{"sign and sysnum with --extra", withSys, "", []string{"link", "--extra", "sign=x", "--extra", "sysnum=y"}, 1, "",
			"sign: is computed from the key (--key or SOBOT_KEY); it cannot be set\n" +
				"sysnum: is set with --sysnum or SOBOT_SYSNUM\n"},
		{"NAME twice", withSys, "", []string{"link", "--key", secret, "partnerid=a", "partnerid=b"}, 1, "", "partnerid: is given more than once; give it once\n"},
		{"--extra NAME twice", withSys, "", []string{"link", "--extra", "a=1", "--extra", "a=2"}, 1, "", "a: is given more than once with --extra; give it once\n"},
	})
}

// TestMemberAsParameter: a goods member given as a parameter is pointed
// to goods.
func TestMemberAsParameter(t *testing.T) {
	t.Parallel()
	var member sobot.ParamInfo
	for _, r := range sobot.ParamTable() {
		if isMember(r) {
			member = r
			break
		}
	}
	require.NotEmpty(t, member.Name, "the table has member rows")
	r := runWith(t, withSys, "", "link", member.Name+"=x")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, member.Name+": is not a parameter but a member of each "+member.Parent+" item ("+member.Parent+"[]."+member.Name+
		"): set it inside "+member.Parent+"; pass a parameter of that name with --extra NAME=VALUE\n", r.stderr)
}

// TestParamsFile: a params file, or stdin, holds a JSON object keyed by
// wire names; NAME=VALUE arguments override it.
func TestParamsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "params.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"partnerid": "u-1", "time": 120, "uname": "file"}`), 0o600))
	badJSON := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badJSON, []byte(`[1]`), 0o600))
	notObject := "must hold a JSON object keyed by wire names, such as {\"partnerid\": \"u-1\", \"time\": 120}\n"

	runCases(t, []cliCase{
		{"params file missing", withSys, "", []string{"link", "--params-file", filepath.Join(dir, "nope.json")}, 2, "",
			"sobot link: --params-file " + filepath.Join(dir, "nope.json") + ": no such file or directory\n" + usageHint},
		{"params file not an object", withSys, "", []string{"link", "--params-file", badJSON}, 2, "",
			"sobot link: --params-file " + badJSON + ": " + notObject + usageHint},
		{"params file on stdin not an object", withSys, "[]", []string{"link", "--params-file", "-"}, 2, "",
			"sobot link: --params-file - (stdin): " + notObject + usageHint},
		{"params file with a byte-order mark", withSys, "\uFEFF{\"uname\":\"a\"}", []string{"link", "--params-file", "-"}, 2, "",
			"sobot link: --params-file - (stdin): starts with a byte-order mark, which JSON does not allow: save it as UTF-8 without BOM\n" + usageHint},
		{"params file, arguments override it", withKey, "", []string{"link", "--params-file", file, "uname=arg"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "&time=120&uname=arg\n", ""},
		{"params file from stdin", withSys,
			`{"partnerid":"u-1","is_vip":1,"reload":true,"params":{"等级":"Boss"},"goods":[{"name":"n","pictureUrl":"https://x.example/p.png"}],"order_status":1,"remark":null}`,
			[]string{"link", "--params-file", "-"}, 0,
			h5 + "goods=%5B%7B%22name%22%3A%22n%22%2C%22pictureUrl%22%3A%22https%3A%2F%2Fx.example%2Fp.png%22%7D%5D&is_vip=1&order_status=1" +
				"&params=%7B%22%E7%AD%89%E7%BA%A7%22%3A%22Boss%22%7D&partnerid=u-1&reload=true&sysnum=" + sysnum + "\n", ""},
		{"params file with something after the object", withSys, `{"uname": "a"} {}`, []string{"link", "--params-file", "-"}, 2, "",
			"sobot link: --params-file - (stdin): " + notObject + usageHint},
		{"params file of invalid JSON", withSys, `{"uname": "a",}`, []string{"link", "--params-file", "-"}, 2, "",
			"sobot link: --params-file - (stdin): " + notObject + usageHint},
		{"params file problems, in name order", withSys, `{"uname":{"a":1},"nope":"1","time":"5"}`, []string{"link", "--params-file", "-"}, 1, "",
			"nope: is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE\n" +
				setValueLine(t, "uname", map[string]any{"a": 1}) +
				buildLines(t, sobot.Config{SysNum: sysnum}, (*sobot.Client).H5URL, "time=5")},
		{"a NAME given twice in the file", withSys, `{"uname": "a", "time": 20, "uname": "b", "uname": "c"}`, []string{"link", "--params-file", "-"}, 1, "",
			"uname: is given more than once in the params file; give it once\n"},
		{"a NAME=VALUE overrides a bad value in the file", withSys, `{"time": "5", "uname": {"a": 1}}`, []string{"link", "--params-file", "-", "time=20", "uname=x"}, 0,
			h5 + "sysnum=" + sysnum + "&time=20&uname=x\n", ""},
	})
}

// setValueLine is the library's message for Params.SetValue(name, v), as
// the CLI prints it.
func setValueLine(t *testing.T, name string, v any) string {
	t.Helper()
	var p sobot.Params
	return problemLine(t, p.SetValue(name, v), "%s=%v", name, v)
}

// builtParam returns the wire text of the parameter name in the link a
// successful run printed, and whether the link carries it.
func builtParam(t *testing.T, r result, name string) (string, bool) {
	t.Helper()
	require.Equal(t, 0, r.code, r.stderr)
	u, err := url.Parse(strings.TrimSuffix(r.stdout, "\n"))
	require.NoError(t, err)
	v, ok := u.Query()[name]
	if !ok {
		return "", false
	}
	return v[0], true
}

// TestParamsFileJSValues: a params file takes the values of the reference's
// JS config: a boolean is its flag's wire text, the same boolean the JS
// config writes (msg_flag: false is msg_flag=0, whose entry is shown), a
// whole number an integer, null nothing.
func TestParamsFileJSValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string // the command, before --params-file -
		file string
		name string // the parameter to look at in the link
		want string // its wire text; "" for unset
	}{
		{[]string{"link"}, `{"msg_flag": false}`, "msg_flag", "0"}, // 系统提示的留言引导 false开启; 1关闭 0开启
		{[]string{"link"}, `{"msg_flag": true}`, "msg_flag", "1"},
		{[]string{"link"}, `{"leave_msg_flag": true}`, "leave_msg_flag", "1"},
		{[]string{"link"}, `{"leave_msg_flag": false}`, "leave_msg_flag", "0"},
		{[]string{"link"}, `{"is_vip": true}`, "is_vip", "1"},
		{[]string{"link"}, `{"is_link": false}`, "is_link", "0"},
		{[]string{"link"}, `{"reload": true}`, "reload", "true"},
		{[]string{"link"}, `{"reload": false}`, "reload", "false"},
		{[]string{"link"}, `{"satDegree_A": true}`, "satDegree_A", "true"},
		{[]string{"link", "--pc"}, `{"cut_flag": true}`, "cut_flag", "hide"},
		{[]string{"link", "--pc"}, `{"cut_flag": false}`, "cut_flag", ""},
		{[]string{"link"}, `{"time": 120.0}`, "time", "120"},
		{[]string{"link"}, `{"time": 1.2e2}`, "time", "120"},
		{[]string{"link"}, `{"time": 12000E-2}`, "time", "120"},
		{[]string{"link"}, `{"time": 120}`, "time", "120"},
		{[]string{"link"}, `{"order_status": 0.0, "status_custom": "x"}`, "order_status", "0"},
		{[]string{"link"}, `{"order_status": -0.0, "status_custom": "x"}`, "order_status", "0"},
		{[]string{"link"}, `{"uname": true}`, "uname", "true"},
		{[]string{"link"}, `{"uname": 1.5}`, "uname", "1.5"},
		{[]string{"link"}, `{"uname": null}`, "uname", ""},
		{[]string{"link"}, `{"params": {"n": 1.50, "等级": "Boss"}}`, "params", `{"n":1.50,"等级":"Boss"}`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, withSys, tt.file, append(tt.args, "--params-file", "-")...)
			got, set := builtParam(t, r, tt.name)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want != "", set)
		})
	}

	// Widget-only flags, written in the widget's JS types: the boolean
	// written is the boolean read.
	for file, want := range map[string]string{
		`{"manual": true}`:                            `"manual":true`,
		`{"custom": true, "msg_flag": true}`:          `"custom":true,"msg_flag":true`,
		`{"invite_flag": true}`:                       `"invite_flag":true`, // the reference's example: true关闭
		`{"invite_flag": false, "auto_expand": true}`: `"auto_expand":true,"invite_flag":false`,
	} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, withSys, file, "widget", "--params-file", "-")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, `zc("config",{`+want+`});`)
		})
	}
	for _, file := range []string{`{"manual": false}`, `{"custom": false}`} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, withSys, file, "widget", "--params-file", "-")
			require.Equal(t, 0, r.code, r.stderr)
			assert.NotContains(t, r.stdout, `zc("config"`, "false leaves a true-only flag unset")
		})
	}

	// What is not a parameter's value is reported as written.
	for _, tc := range []struct {
		cmd, file, want string
	}{
		{"link", `{"time": 120.5}`, setLine(t, "time", "120.5")},
		{"link", `{"time": 1e400}`, setLine(t, "time", "1e400")},
		{"link", `{"time": true}`, setLine(t, "time", "true")},
		{"widget", `{"is_vip": 2.0}`, setLine(t, "is_vip", "2")},
		{"widget", `{"location": false}`, setLine(t, "location", "false")},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, withSys, tc.file, tc.cmd, "--params-file", "-")
			assert.Equal(t, 1, r.code)
			assert.Empty(t, r.stdout)
			assert.Equal(t, tc.want, r.stderr)
		})
	}
}

// referenceVisitArgs is the reference's 自定义采集内容 example, as JSON:
// zc("config", {pre_visit_args: {...}, cur_visit_args: {...}}), with its
// misspelt 'pcur_thumbnail'.
const referenceVisitArgs = `{
	"pre_visit_args": {
		"pre_abstract": "来源页的摘要 没有 则不传",
		"pre_visit_url": "来源页的url 没有 则不传",
		"pre_visit_title": "来源来的标题 没有 则不传",
		"pre_thumbnail": "来源页的缩略图 没有 则不传",
		"pre_tags": "来源页的标签 没有 则不传"
	},
	"cur_visit_args": {
		"cur_abstract": "当前页的摘要 没有 则不传",
		"cur_visit_url": "当前页的url 没有 则不传",
		"cur_visit_title": "当前页的标题 没有 则不传",
		"pcur_thumbnail": "当前页的缩略图 没有 则不传",
		"cur_tags": "当前页的标签 没有 则不传"
	}
}`

// TestParamsFileVisitArgs: a params file for the widget takes the
// reference's pre_visit_args and cur_visit_args objects; the example's
// misspelt pcur_thumbnail is reported as such, and the objects are for the
// widget alone.
func TestParamsFileVisitArgs(t *testing.T) {
	t.Parallel()
	c, err := sobot.NewClient(sobot.Config{SysNum: sysnum})
	require.NoError(t, err)
	// fromExample returns the parameters and the problems the library
	// finds in the example's objects, set in name order as the CLI does.
	fromExample := func(file string) (*sobot.Params, string) {
		var example map[string]any
		require.NoError(t, json.Unmarshal([]byte(file), &example))
		var p sobot.Params
		var lines string
		for _, name := range []string{"cur_visit_args", "pre_visit_args"} {
			if err := p.SetValue(name, example[name]); err != nil {
				lines += problemLines(t, err)
			}
		}
		return &p, lines
	}

	// As the reference writes it: pcur_thumbnail, then what the widget
	// finds in the placeholders (a description where a URL goes).
	p, pcur := fromExample(referenceVisitArgs)
	require.Equal(t, "pcur_thumbnail: ", pcur[:len("pcur_thumbnail: ")], "the library refuses pcur_thumbnail alone")
	require.Equal(t, 1, strings.Count(pcur, "\n"))
	_, err = c.RenderWidget(&sobot.Widget{Params: p})
	r := runWith(t, withSys, referenceVisitArgs, "widget", "--params-file", "-")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, pcur+problemLines(t, err), r.stderr)

	// With the table's cur_thumbnail and URLs, every member reaches the
	// widget.
	fixed := strings.NewReplacer(`"pcur_thumbnail"`, `"cur_thumbnail"`,
		"来源页的url 没有 则不传", "https://shop.example/list", "当前页的url 没有 则不传", "https://shop.example/item/1",
		"来源页的缩略图 没有 则不传", "https://shop.example/list.png", "当前页的缩略图 没有 则不传", "https://shop.example/1.png").Replace(referenceVisitArgs)
	want, none := fromExample(fixed)
	require.Empty(t, none)
	require.Len(t, want.Wire(), 10, "all ten members")
	html, err := c.RenderWidget(&sobot.Widget{Params: want})
	require.NoError(t, err)
	r = runWith(t, withSys, fixed, "widget", "--params-file", "-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, strings.TrimRight(html.String(), "\n")+"\n", r.stdout, "the block, then one newline")
	assert.Contains(t, r.stdout, `"cur_thumbnail":"https:\u002f\u002fshop.example\u002f1.png"`)
	assert.Empty(t, r.stderr)

	// A NAME=VALUE overrides a member; a member given twice is a problem.
	r = runWith(t, withSys, fixed, "widget", "--params-file", "-", "cur_tags=override")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"cur_tags":"override"`)
	r = runWith(t, withSys, `{"cur_visit_args": {"cur_tags": "a"}, "cur_tags": "b"}`, "widget", "--params-file", "-")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "cur_tags: is given more than once in the params file; give it once\n", r.stderr)

	// Visit traces are widget-only.
	r = runWith(t, withSys, fixed, "link", "--params-file", "-")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	_, err = c.H5URL(want)
	assert.Equal(t, problemLines(t, err), r.stderr)
	assert.Equal(t, 10, strings.Count(r.stderr, "widget-only"), r.stderr)

	// Not an object; and on the command line, the object is not a NAME.
	r = runWith(t, withSys, `{"pre_visit_args": "x"}`, "widget", "--params-file", "-")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, setValueLine(t, "pre_visit_args", "x"), r.stderr)
	r = runWith(t, withSys, "", "widget", `cur_visit_args={"cur_tags":"a"}`)
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "cur_visit_args: is an object of the reference's JS config: give it in a params file, or its members (cur_visit_url, ...) as NAME=VALUE\n", r.stderr)
}

// TestParamsFileText: a params file that is not valid UTF-8, or holds half
// a surrogate pair, is refused rather than read with U+FFFD in its place
// (two invalid partnerids would then sign alike).
func TestParamsFileText(t *testing.T) {
	t.Parallel()
	for _, file := range []string{`{"partnerid":"u` + "\xff" + `"}`, `{"partnerid":"u\ud800"}`, `{"partnerid":"u\udc00x"}`,
		`{"partnerid":"u\ud800\ud800"}`, `{"uname":"\ud800"}`} {
		r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, file, "link", "--params-file", "-")
		assert.Equal(t, 2, r.code, "%q", file)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "--params-file - (stdin): ", "%q", file)
	}
	for _, file := range []string{`{"uname":"\ud83d\ude00"}`, `{"uname":"a\\ud800"}`, `{"uname":"\u4e2d"}`} {
		r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, file, "link", "--params-file", "-")
		assert.Equal(t, 0, r.code, "%q: %s", file, r.stderr)
	}
}
