package main

import (
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
	})
}

// TestParamsFileJSValues: a params file takes the values of the reference's
// JS config: booleans become each flag row's wire text, integral numbers
// integers.
func TestParamsFileJSValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want string // the parameter's wire text in the link; "" for unset
	}{
		{`{"msg_flag": false}`, "0"}, // JS false: the entry shown, wire 0
		{`{"msg_flag": true}`, "1"},
		{`{"leave_msg_flag": true}`, "1"},
		{`{"leave_msg_flag": false}`, "0"},
		{`{"is_vip": true}`, "1"},
		{`{"reload": true}`, "true"},
		{`{"reload": false}`, "false"},
		{`{"satDegree_A": true}`, "true"},
		{`{"time": 120.0}`, "120"},
		{`{"time": 1.2e2}`, "120"},
		{`{"time": 12000E-2}`, "120"},
		{`{"time": 120}`, "120"},
		{`{"order_status": 0.0, "status_custom": "x"}`, "0"},
		{`{"uname": true}`, "true"},
		{`{"uname": 1.5}`, "1.5"},
	}
	for _, tt := range tests {
		r := runWith(t, withSys, tt.file, "link", "--params-file", "-")
		require.Equal(t, 0, r.code, "%s: %s", tt.file, r.stderr)
		u, err := url.Parse(strings.TrimSuffix(r.stdout, "\n"))
		require.NoError(t, err)
		q := u.Query()
		for name := range q {
			if name != "sysnum" && name != "status_custom" {
				assert.Equal(t, tt.want, q.Get(name), "%s: %s", tt.file, r.stdout)
			}
		}
	}

	// Widget-only flags, written in the widget's JS types.
	for file, want := range map[string]string{
		`{"manual": true}`:                            `"manual":true`,
		`{"custom": true, "msg_flag": true}`:          `"custom":true,"msg_flag":true`,
		`{"invite_flag": false, "auto_expand": true}`: `"auto_expand":true,"invite_flag":false`,
	} {
		r := runWith(t, withSys, file, "widget", "--params-file", "-")
		require.Equal(t, 0, r.code, "%s: %s", file, r.stderr)
		assert.Contains(t, r.stdout, `zc("config",{`+want+`});`, file)
	}
	for _, file := range []string{`{"manual": false}`, `{"custom": false}`} {
		r := runWith(t, withSys, file, "widget", "--params-file", "-")
		require.Equal(t, 0, r.code, "%s: %s", file, r.stderr)
		assert.NotContains(t, r.stdout, `zc("config"`, "false leaves a true-only row unset: %s", file)
	}

	// What is not a row's value is reported as written.
	for file, want := range map[string]string{
		`{"time": 120.5}`:     setLine(t, "time", "120.5"),
		`{"time": 1e400}`:     setLine(t, "time", "1e400"),
		`{"time": true}`:      setLine(t, "time", "true"),
		`{"is_vip": 2.0}`:     setLine(t, "is_vip", "2"),
		`{"location": false}`: setLine(t, "location", "false"),
		`{"cut_flag": true}`:  setLine(t, "cut_flag", "true"),
	} {
		r := runWith(t, withSys, file, "widget", "--params-file", "-")
		if strings.Contains(file, "time") {
			r = runWith(t, withSys, file, "link", "--params-file", "-")
		}
		assert.Equal(t, 1, r.code, file)
		assert.Equal(t, want, r.stderr, file)
	}
}

func TestIntegerText(t *testing.T) {
	t.Parallel()
	for num, want := range map[string]string{
		"120": "120", "120.0": "120", "1.2e2": "120", "1.2E+2": "120", "12000e-2": "120", "0": "0", "-0.0": "0",
		"0e5": "0", "-7": "-7", "-7.000": "-7", "1e29": "1" + strings.Repeat("0", 29), "0.5e1": "5", "007": "7",
	} {
		got, ok := integerText(num)
		assert.True(t, ok, num)
		assert.Equal(t, want, got, num)
	}
	for _, num := range []string{"120.5", "1.25e1", "1e-1", "1e30", "1e400", "1e-400", "1e99999999999999999999", "0.1"} {
		_, ok := integerText(num)
		assert.False(t, ok, num)
	}
}
