package main

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// TestBadConfigHidesNoProblem: an invalid --base-url or sysnum is reported
// with every parameter problem the command's builder finds, not instead of
// them: CLI problems, then NewClient's, then the builder's, each once.
func TestBadConfigHidesNoProblem(t *testing.T) {
	withSys := map[string]string{"SOBOT_SYSNUM": sysnum}
	withKey := map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": secret}
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
		{"widget, and its nonce", withKey, []string{"widget", "--base-url", "bad", "--nonce", "no nonce", "top_bar_flag=1"},
			badBase + buildLines(t, signedCfg, func(c *sobot.Client, p *sobot.Params) (string, error) {
				return widgetHTML(c, p, "no nonce")
			}, "top_bar_flag=1")},
		{"leave-message, and its source", withKey, []string{"leave-message", "--base-url", "bad", "source=4", "partnerid=u"},
			badBase + buildLines(t, signedCfg, (*sobot.Client).LeaveMessageURL, "source=4", "partnerid=u")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runWith(t, tt.env, "", tt.args...)
			assert.Equal(t, 1, r.code)
			assert.Empty(t, r.stdout)
			assert.Equal(t, tt.stderr, r.stderr)
			assert.Greater(t, strings.Count(r.stderr, "\n"), strings.Count(badBase, "\n"), "parameter problems too")
		})
	}

	var b bytes.Buffer
	p := sobot.Problem{Param: "time", Value: "5", Reason: "r"}
	printProblems(&b, []sobot.Problem{p, {Param: "base_url", Reason: "r"}, p, {Param: "time", Value: "6", Reason: "r"}})
	assert.Equal(t, "time: r (got \"5\")\nbase_url: r\ntime: r (got \"6\")\n", b.String(), "each problem once, in the order found")
}

// TestEmptyKey: an explicitly empty --key is a usage error in every command:
// it would silently turn signing off, or shift inspect's key numbers. An
// empty SOBOT_KEY just means no key.
func TestEmptyKey(t *testing.T) {
	link := h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum
	withKey := map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": secret}
	for _, args := range [][]string{
		{"link", "--key=", "partnerid=u-1"},
		{"link", "--key", "", "partnerid=u-1"},
		{"link", "--key", "", "--key", secret, "partnerid=u-1"},
		{"widget", "-key=", "partnerid=u-1"},
		{"leave-message", "--key="},
		{"inspect", "--key", "", "--key", secret, link},
		{"inspect", "--key=", link},
		{"inspect", "--key=", "--key=", "one", "two"},
	} {
		r := runWith(t, withKey, "", args...)
		assert.Equal(t, 2, r.code, "%q", args)
		assert.Empty(t, r.stdout, "%q", args)
		assert.Equal(t, "sobot "+args[0]+": --key is empty: give the key, or leave --key out to use SOBOT_KEY\nRun 'sobot help' for usage.\n", r.stderr, "%q", args)
	}

	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": ""}, "", "link", "partnerid=u-1")
	assert.Equal(t, 0, r.code)
	assert.Equal(t, h5+"partnerid=u-1&sysnum="+sysnum+"\n", r.stdout, "empty SOBOT_KEY: no key")
	out, r := inspect(t, map[string]string{"SOBOT_KEY": ""}, link)
	assert.Equal(t, 0, r.code)
	assert.Nil(t, out["sign_valid"], "empty SOBOT_KEY: no key")
}

// TestNoKeyEcho runs many malformed command lines that carry the key in a
// wrong place and checks that no output holds it, or a long piece of it:
// messages name arguments by position, and stderr is redacted of the keys
// in SOBOT_KEY and --key.
func TestNoKeyEcho(t *testing.T) {
	long := strings.Repeat("k-cli-long-s3cr3t-", 5) // longer than a problem shows of a value
	link := h5 + "partnerid=u-1&sysnum=" + sysnum
	for _, key := range []string{secret, "-" + secret, long} {
		for _, env := range []map[string]string{
			{"SOBOT_SYSNUM": sysnum},                     // the key is in the arguments only
			{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": key},   // and in the environment
			{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": "new"}, // another key in the environment
		} {
			for _, args := range [][]string{
				{key},
				{"link", key},
				{"link", "--key=", key, "partnerid=u"},
				{"link", "--key", "", key, "partnerid=u"},
				{"link", "partnerid=u", key},
				{"link", "--", key},
				{"link", "--key", key, "--key", key, key},
				{"link", "--key=" + key, "--bogus=" + key},
				{"link", "--" + key},
				{"link", "--pc=" + key},
				{"link", "--v6=" + key, "partnerid=u"},
				{"link", "--extra", key},
				{"link", "--key", key, "--base-url", key},
				{"link", "--key", key, "--base-url", "https://x/" + key + "?"},
				{"link", "--key", key, "--sysnum", key + " x"},
				{"link", "--key", key, "--params-file", key},
				{"link", "--key", key, "--params-file", "-", "uname=" + key, "time=" + key},
				{"widget", "--key", key, "--nonce", key + "!", "partnerid=" + key},
				{"leave-message", "--key", key, "templateid=" + key, "--extra", key + "=1", "source=4"},
				{"inspect", key},
				{"inspect", "--key", key, key},
				{"inspect", "--key=", key},
				{"inspect", "--key", "", "--key", key, link},
				{"inspect", "--key", key, link, key},
				{"inspect", "--key", key, strings.Replace(link, "u-1", key, 1)},
				{"inspect", "--key", key, "https://www.sobot.com/" + key},
				{"params", key},
				{"params", "--json=" + key},
			} {
				stdin := `{"uname": "` + key + `", "time": "` + key + `", "` + key + `": 1}`
				r := runWith(t, env, stdin, args...)
				assert.NotEqual(t, 0, r.code, "%q", args)
				assert.NotContains(t, r.stderr, key[:12], "%q with %v", args, env)
				if args[0] != "inspect" || r.code != 1 { // inspect prints the link it reads
					assert.NotContains(t, r.stdout, key[:12], "%q with %v", args, env)
				}
			}
		}
	}

	// The argument is named by its position among the command's.
	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, "", "link", "--key=", secret, "partnerid=u")
	assert.Equal(t, 2, r.code)
	r = runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, "", "link", "partnerid=u", secret)
	assert.Equal(t, "sobot link: argument 2 is not NAME=VALUE\nRun 'sobot help' for usage.\n", r.stderr)

	// A known key in a value a problem repeats is redacted, not shortened.
	r = runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": long}, "", "link", "--base-url", "https://x/"+long+"?", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `(got "https://x/[REDACTED]?")`)
}

// TestParamsFileJSValues: a params file takes the values of the reference's
// JS config: booleans become each flag row's wire text, integral numbers
// integers.
func TestParamsFileJSValues(t *testing.T) {
	env := map[string]string{"SOBOT_SYSNUM": sysnum}
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
		r := runWith(t, env, tt.file, "link", "--params-file", "-")
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
		r := runWith(t, env, file, "widget", "--params-file", "-")
		require.Equal(t, 0, r.code, "%s: %s", file, r.stderr)
		assert.Contains(t, r.stdout, `zc("config",{`+want+`});`, file)
	}
	for _, file := range []string{`{"manual": false}`, `{"custom": false}`} {
		r := runWith(t, env, file, "widget", "--params-file", "-")
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
		r := runWith(t, env, file, "widget", "--params-file", "-")
		if strings.Contains(file, "time") {
			r = runWith(t, env, file, "link", "--params-file", "-")
		}
		assert.Equal(t, 1, r.code, file)
		assert.Equal(t, want, r.stderr, file)
	}
}

func TestIntegerText(t *testing.T) {
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

// TestMemberAsParameter: a goods member given as a parameter is pointed
// to goods.
func TestMemberAsParameter(t *testing.T) {
	var member sobot.ParamInfo
	for _, r := range sobot.ParamTable() {
		if isMember(r) {
			member = r
			break
		}
	}
	if member.Name == "" {
		t.Skip("the table has no member rows")
	}
	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, "", "link", member.Name+"=x")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, member.Name+": is not a parameter but a member of each "+member.Parent+" item ("+member.Parent+"[]."+member.Name+
		"): set it inside "+member.Parent+"; pass a parameter of that name with --extra NAME=VALUE\n", r.stderr)
}

// TestShortKeyRefused: a key too short to keep secret is refused with its
// reason, the parameters' problems are still listed, and neither the key
// nor a value that repeats it is shown.
func TestShortKeyRefused(t *testing.T) {
	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, "", "link", "--key", "shortkey", "time=5", "uname=x")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "key: is 8 bytes; at least 16 are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)\n"+
		"time: must be a whole number from 10 to 2880 (got \"5\")\n"+
		"partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)\n", r.stderr)
	assert.Empty(t, r.stdout)
	r = runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, "", "link", "--key", "1", "time=1", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.NotContains(t, r.stderr, `"1"`, "a value that repeats the key is redacted")
	assert.Contains(t, r.stderr, "time: must be a whole number from 10 to 2880 (got \"[REDACTED]\")\n")
}

// TestRepeatsAndEmptyFlags: a NAME given twice is a problem, not a silent
// override, and an explicitly empty --params-file or --nonce is a usage
// error like an empty --key; a bad nonce is named by its flag.
func TestRepeatsAndEmptyFlags(t *testing.T) {
	env := map[string]string{"SOBOT_SYSNUM": sysnum}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"link", "--key", secret, "partnerid=a", "partnerid=b"}, 1, "partnerid: is given more than once; give it once\n"},
		{[]string{"link", "--extra", "a=1", "--extra", "a=2"}, 1, "a: is given more than once with --extra; give it once\n"},
		{[]string{"link", "--params-file="}, 2, "sobot link: --params-file is empty: give a value, or leave --params-file out\nRun 'sobot help' for usage.\n"},
		{[]string{"widget", "--nonce", ""}, 2, "sobot widget: --nonce is empty: give a value, or leave --nonce out\nRun 'sobot help' for usage.\n"},
		{[]string{"widget", "--nonce", "a b"}, 1, "--nonce: must be base64 or base64url text (A–Z a–z 0–9 + / - _, up to two trailing =), as CSP nonces are (got \"a b\")\n"},
	} {
		r := runWith(t, env, "", tc.args...)
		assert.Equal(t, tc.code, r.code, "%q", tc.args)
		assert.Empty(t, r.stdout, "%q", tc.args)
		assert.Equal(t, tc.stderr, r.stderr, "%q", tc.args)
	}
}
