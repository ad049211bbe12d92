package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// TestSigning: a key from SOBOT_KEY or --key signs chat links; the flag
// wins, the last of several, and an empty SOBOT_KEY is no key.
func TestSigning(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"link signed by SOBOT_KEY", withKey, "", []string{"link", "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "\n", ""},
		{"--key wins over SOBOT_KEY", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": "other-key-0123456789"}, "", []string{"link", "--key", secret, "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "\n", ""},
		{"empty SOBOT_KEY is no key", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": ""}, "", []string{"link", "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sysnum=" + sysnum + "\n", ""},
		{"repeated --key, the last wins", withSys, "", []string{"link", "--key", "other-key-0123456789", "--key", secret, "partnerid=u-1"}, 0,
			h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum + "\n", ""},
	})
}

// TestEmptyKey: an explicitly empty --key is a usage error in every command:
// it would silently turn signing off, or shift inspect's key numbers. An
// empty SOBOT_KEY just means no key.
func TestEmptyKey(t *testing.T) {
	t.Parallel()
	link := h5 + "partnerid=u-1&sign=" + signed("u-1") + "&sysnum=" + sysnum
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
	t.Parallel()
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
				{"mini-program", "--key", key, "--webview", key + "!", "partnerid=" + key},
				{"mini-program", "--key", key, "--webview", key, "partnerid=" + key, "source=" + key},
				{"ticket", key},
				{"ticket", key, "a=1"},
				{"ticket", "https://x.example/" + key + "?", "a=1", key},
				{"ticket", "https://x.example/t", "a=" + key, "a=" + key},
				{"version", key},
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
	r := runWith(t, withSys, "", "link", "--key=", secret, "partnerid=u")
	assert.Equal(t, 2, r.code)
	r = runWith(t, withSys, "", "link", "partnerid=u", secret)
	assert.Equal(t, "sobot link: argument 2 is not NAME=VALUE\nRun 'sobot help' for usage.\n", r.stderr)

	// A ticket field's value holding SOBOT_KEY is redacted too.
	r = runWith(t, withKey, "", "ticket", "https://x.example/t", "card_picture=javascript:"+secret)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `(got "javascript:[REDACTED]")`)

	// A known key in a value a problem repeats is redacted, not shortened.
	r = runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": long}, "", "link", "--base-url", "https://x/"+long+"?", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `(got "https://x/[REDACTED]?")`)
}

// shortKeyReason is the library's reason for refusing a key of n bytes.
func shortKeyReason(t *testing.T, n int) string {
	t.Helper()
	line := configLines(t, sobot.Config{SysNum: sysnum, Key: sobot.NewKey(strings.Repeat("k", n))})
	require.True(t, strings.HasPrefix(line, "key: "), line)
	return strings.TrimSuffix(strings.TrimPrefix(line, "key: "), "\n")
}

// TestShortKeyRefused: a key the library refuses (shorter than
// sobot.MinKeyLength, or with white space at an end) is refused by every
// command that takes one. The builders report it with the parameters'
// problems, as NewClient does (exit 1); inspect, which has no
// configuration to check, refuses it as a usage error (exit 2), naming
// where it came from. Neither the key nor a value repeating it is shown.
func TestShortKeyRefused(t *testing.T) {
	t.Parallel()
	link := h5 + "partnerid=u-1&sign=" + sobot.Sign(sysnum, sobot.NewKey("shortkey"), "u-1") + "&sysnum=" + sysnum
	short := shortKeyReason(t, 8)
	partnerid := "partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)\n"
	runCases(t, []cliCase{
		{"link --key", withSys, "", []string{"link", "--key", "shortkey", "time=5", "uname=x"}, 1, "",
			"key: " + short + "\n" + "time: must be a whole number from 10 to 2880 (got \"5\")\n" + partnerid},
		{"widget SOBOT_KEY", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": "shortkey"}, "", []string{"widget", "partnerid=u"}, 1, "", "key: " + short + "\n"},
		{"mini-program, white space", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": secret + "\n"}, "", []string{"mini-program", "partnerid=u"}, 1, "",
			configLines(t, sobot.Config{SysNum: sysnum, Key: sobot.NewKey(secret + "\n")})},
		{"one below the minimum", withSys, "", []string{"link", "--key", strings.Repeat("k", sobot.MinKeyLength-1), "partnerid=u"}, 1, "",
			"key: " + shortKeyReason(t, sobot.MinKeyLength-1) + "\n"},
		{"the minimum", withSys, "", []string{"link", "--key", strings.Repeat("k", sobot.MinKeyLength), "partnerid=u"}, 0,
			h5 + "partnerid=u&sign=" + sobot.Sign(sysnum, sobot.NewKey(strings.Repeat("k", sobot.MinKeyLength)), "u") + "&sysnum=" + sysnum + "\n", ""},
		{"inspect --key", nil, "", []string{"inspect", "--key", "shortkey", link}, 2, "", "sobot inspect: --key " + short + "\n" + usageHint},
		{"inspect, the 2nd --key", nil, "", []string{"inspect", "--key", secret, "--key", "shortkey", link}, 2, "",
			"sobot inspect: the 2nd --key " + short + "\n" + usageHint},
		{"inspect SOBOT_KEY", map[string]string{"SOBOT_KEY": "shortkey"}, "", []string{"inspect", link}, 2, "",
			"sobot inspect: SOBOT_KEY " + short + "\n" + usageHint},
		{"inspect SOBOT_KEY with white space", map[string]string{"SOBOT_KEY": " " + secret}, "", []string{"inspect", link}, 2, "",
			"sobot inspect: SOBOT_KEY " + strings.TrimSuffix(strings.TrimPrefix(configLines(t, sobot.Config{SysNum: sysnum, Key: sobot.NewKey(" " + secret)}), "key: "), "\n") + "\n" + usageHint},
	})

	// --key wins over SOBOT_KEY, which is then not checked.
	out, r := inspect(t, map[string]string{"SOBOT_KEY": "shortkey"}, "--key", secret, h5+"partnerid=u-1&sign="+signed("u-1")+"&sysnum="+sysnum)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, true, out["sign_valid"])

	// A value that repeats a refused key, however short, is redacted.
	r = runWith(t, withSys, "", "link", "--key", "1", "time=1", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.NotContains(t, r.stderr, `"1"`)
	assert.Contains(t, r.stderr, "time: must be a whole number from 10 to 2880 (got \"[REDACTED]\")\n")
	r = runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": "shortkey"}, "", "link", "--base-url", "https://x/shortkey?", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.NotContains(t, r.stderr, "shortkey")
	assert.Contains(t, r.stderr, `(got "https://x/[REDACTED]?")`)
}

// TestStreamRedaction: every key the library accepts is redacted wherever
// stderr shows it, not only in the values of problems.
func TestStreamRedaction(t *testing.T) {
	t.Parallel()
	require.LessOrEqual(t, streamMinLen, sobot.MinKeyLength, "every accepted key is redacted in the stream")
	key := strings.Repeat("k", sobot.MinKeyLength)
	var b strings.Builder
	w := newRedactor(&b, []string{"link", "--key", key}, func(string) string { return "" })
	_, err := w.Write([]byte("a message that holds " + key + "\n"))
	require.NoError(t, err)
	assert.Equal(t, "a message that holds [REDACTED]\n", b.String())

	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": key}, "", "link", "--params-file", key)
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "sobot link: --params-file [REDACTED]: no such file or directory\n"+usageHint, r.stderr)
}

// TestRedactionIgnoresCase: a key given where the library changes its
// case (a colour is lowered before it is checked) is still redacted.
func TestRedactionIgnoresCase(t *testing.T) {
	t.Parallel()
	const key = "AbCdEf0123456789XyZ"
	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": key}, "", "link", "partnerid=u", "color="+key)
	assert.Equal(t, 1, r.code)
	assert.NotContains(t, strings.ToLower(r.stderr), strings.ToLower(key))
	assert.Contains(t, r.stderr, `color: must be six hex digits`)
	assert.Contains(t, r.stderr, `[REDACTED]`)
}

// TestKeyNotOnStdout: what inspect reads from a link and what convert reads
// from a page may hold the key; stdout hides it as stderr does, and a
// building command refuses a value that holds it rather than print a link
// that carries it.
func TestKeyNotOnStdout(t *testing.T) {
	t.Parallel()
	r := runWith(t, withKey, "", "inspect", "https://www.sobot.com/chat/h5/v2/index.html?sysnum="+sysnum+"&partnerid="+secret+"&time="+secret)
	assert.NotContains(t, r.stdout+r.stderr, secret)
	assert.Contains(t, r.stdout, `"partnerid": "[REDACTED]"`)

	page := `<script>zc("config",{partnerid:"u",time:"` + secret + `",uname:"` + secret + `"})</script>` +
		`<script id="zhichiScript" src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=` + sysnum + `"></script>`
	r = runWith(t, withKey, page, "convert")
	assert.NotContains(t, r.stdout+r.stderr, secret)
	assert.Contains(t, r.stdout, "[REDACTED]")

	for _, args := range [][]string{
		{"link", "partnerid=u", "uname=" + secret},
		{"widget", "partnerid=u", "--extra", "x=" + secret},
		{"mini-program", "partnerid=u", "remark=a" + secret},
	} {
		r = runWith(t, withKey, "", args...)
		assert.Equal(t, 1, r.code, "%v", args)
		assert.Empty(t, r.stdout, "%v", args)
		assert.Contains(t, r.stderr, "holds the client's security key", "%v", args)
		assert.NotContains(t, r.stderr, secret, "%v", args)
	}
}

// TestNamesQuotedAndRedacted: a parameter's name that is not plain text is
// quoted on stderr (it cannot forge a line or colour the terminal), and a
// name that is a key, however short, is hidden.
func TestNamesQuotedAndRedacted(t *testing.T) {
	t.Parallel()
	r := runWith(t, withSys, "", "link", "\x1b[31mred\nfake: line=x")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, `"\x1b[31mred\nfake: line": is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE`+"\n", r.stderr)

	r = runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": "shortk"}, "", "link", "shortk=1", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "[REDACTED]: is not a parameter of the reference")
	assert.Contains(t, r.stderr, "key: is 6 bytes")
	assert.NotContains(t, r.stderr, "shortk")
}
