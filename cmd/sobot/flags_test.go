package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFlags: flags and NAME=VALUE arguments come in any order, "--" ends
// the flags, and a bad flag is a usage error that names the argument by
// its position.
func TestFlags(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"unknown flag", withSys, "", []string{"link", "partnerid=u", "--bogus"}, 2, "",
			"sobot link: argument 2 is an unknown flag; the flags are --base-url, --extra, --key, --params-file, --pc, --sysnum, --v6 and -h\n" + usageHint},
		{"bad flag syntax", withSys, "", []string{"widget", "---nonce=x"}, 2, "",
			"sobot widget: argument 1 is an unknown flag; the flags are --base-url, --extra, --key, --nonce, --params-file, --sysnum, --v6 and -h\n" + usageHint},
		{"bad boolean flag", withSys, "", []string{"link", "--pc=maybe"}, 2, "", "sobot link: argument 1: --pc takes no value, or =true or =false\n" + usageHint},
		{"flag without its value", withSys, "", []string{"link", "--sysnum"}, 2, "", "sobot link: --sysnum needs a value\n" + usageHint},
		{"flag value that looks like a flag", nil, "", []string{"link", "--sysnum", "-s", "--pc=false", "-pc=1"}, 0,
			"https://www.sobot.com/chat/pc/v2/index.html?sysnum=-s\n", ""},
		{"--pc --v6, flags after arguments", nil, "", []string{"link", "partnerid=u-1", "--sysnum", sysnum, "--pc", "--v6"}, 0,
			"https://www.sobot.com/chat/pc/v6/index.html?partnerid=u-1&sysnum=" + sysnum + "\n", ""},
		{"-- ends the flags", withSys, "", []string{"link", "--", "uname=--pc"}, 0,
			h5 + "sysnum=" + sysnum + "&uname=--pc\n", ""},
		{"missing sysnum", nil, "", []string{"link", "partnerid=u"}, 2, "", "sobot link: missing sysnum: pass --sysnum or set SOBOT_SYSNUM\n" + usageHint},
		{"--base-url and SOBOT_BASE_URL", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_BASE_URL": "https://env.example"}, "",
			[]string{"link", "--base-url", "https://acme.sobot.com/"}, 0, "https://acme.sobot.com/chat/h5/v2/index.html?sysnum=" + sysnum + "\n", ""},
		{"SOBOT_BASE_URL", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_BASE_URL": "https://sg.sobot.com"}, "", []string{"link"}, 0,
			"https://sg.sobot.com/chat/h5/v2/index.html?sysnum=" + sysnum + "\n", ""},
		{"--sysnum wins over SOBOT_SYSNUM", map[string]string{"SOBOT_SYSNUM": "other"}, "", []string{"link", "--sysnum", sysnum}, 0,
			h5 + "sysnum=" + sysnum + "\n", ""},
		{"empty --params-file", withSys, "", []string{"link", "--params-file="}, 2, "",
			"sobot link: --params-file is empty: give a value, or leave --params-file out\n" + usageHint},
		{"empty --nonce", withSys, "", []string{"widget", "--nonce", ""}, 2, "",
			"sobot widget: --nonce is empty: give a value, or leave --nonce out\n" + usageHint},
		{"empty --base-url", map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_BASE_URL": "https://sg.sobot.com"}, "", []string{"link", "--base-url", ""}, 2, "",
			"sobot link: --base-url is empty: give a value, or leave --base-url out\n" + usageHint},
		{"empty --sysnum", withSys, "", []string{"leave-message", "--sysnum="}, 2, "",
			"sobot leave-message: --sysnum is empty: give a value, or leave --sysnum out\n" + usageHint},
		{"params unexpected argument", nil, "", []string{"params", "x"}, 2, "", "sobot params: argument 1 is unexpected: sobot params takes only --json\n" + usageHint},
	})
}

// TestFlagGivenTwice: a flag that takes one text value is a usage error
// when given twice (which value was meant?); --key and --extra repeat by
// design, and a switch's last value wins as with the flag package.
func TestFlagGivenTwice(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"widget", "--sysnum", sysnum, "--nonce", "a", "--nonce", "b"},
		{"link", "--sysnum", sysnum, "--sysnum", sysnum},
		{"link", "--sysnum", sysnum, "--params-file", "-", "--params-file=-"},
		{"link", "--sysnum", sysnum, "--base-url", "https://a.sobot.com", "--base-url", "https://b.sobot.com"},
		{"mini-program", "--sysnum", sysnum, "--webview", "f", "--webview", "g"},
	} {
		r := runWith(t, nil, "{}", args...)
		assert.Equal(t, 2, r.code, "%q", args)
		assert.Contains(t, r.stderr, "is given twice; give it once", "%q", args)
		assert.Empty(t, r.stdout)
	}
}

// TestResultNotWritten: a result that cannot be written to stdout is a
// failure, not an empty success.
func TestResultNotWritten(t *testing.T) {
	t.Parallel()
	var stderr strings.Builder
	code := run([]string{"link", "--sysnum", sysnum}, func(string) string { return "" }, strings.NewReader(""), failingWriter{}, &stderr)
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "sobot: writing the result: disk full\n", stderr.String())
	code = run([]string{"version"}, func(string) string { return "" }, strings.NewReader(""), failingWriter{}, &stderr)
	assert.Equal(t, exitInvalid, code)
}

// failingWriter fails every write.
type failingWriter struct{}

// Write fails.
func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
