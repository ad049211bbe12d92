package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot/convert"
)

// TestConvert runs sobot convert on standard input and files: the result
// alone on stdout, findings that change what is sent on stderr, exit
// statuses as for the other commands.
func TestConvert(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "product.html")
	require.NoError(t, os.WriteFile(page, []byte(`<script src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=`+sysnum+`" id="zhichiScript" async></script>
<script>zc("config", {partnerid: "{{.User.ID}}", time: 5, visitTitle: "Home"});</script>`), 0o644))
	script := filepath.Join(dir, "links.js")
	require.NoError(t, os.WriteFile(script, []byte(`window.open("https://www.sobot.com/chat/pc/v2/index.html?sysnum=`+sysnum+`&partnerid=" + uid);`), 0o644))
	broken := filepath.Join(dir, "broken.js")
	require.NoError(t, os.WriteFile(broken, []byte("zc(\"config\", {\n  uname: \"x\"\n  color: \"04babc\"\n})"), 0o644))
	plain := filepath.Join(dir, "plain.js")
	require.NoError(t, os.WriteFile(plain, []byte(`console.log("hello")`), 0o644))

	for _, tc := range []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     []string // substrings of stdout; nil for empty
		stderr     string   // exact stderr
		stderrHave []string // or substrings of it
	}{
		{name: "stdin", args: []string{"convert"}, stdin: `zc("config", {uname: "小丁", msg_flag: false})`,
			stdout: []string{"package chat\n", "func pageWidget() sobot.Widget {", `Name: "小丁"`, "LeaveMessageEntry: sobot.On"}},
		{name: "dash is stdin", args: []string{"convert", "--package", "support", "-"}, stdin: `zc("config", {uname: "x"})`,
			stdout: []string{"package support\n"}},
		{name: "files into one output", args: []string{"convert", page, script},
			stdout: []string{"func productWidget(userID string) sobot.Widget {", "func linksPCChatLink(client *sobot.Client, uid string) (string, error) {"},
			stderrHave: []string{
				"product.html:2: time: 5 left out: must be a whole number from 10 to 2880\n",
				"product.html:2: visitTitle: is not a parameter of the reference: sent as given, in Params.Extra\n",
			}},
		{name: "invalid JavaScript", args: []string{"convert", broken}, code: 1,
			stderr: broken + ":3:3: the script is not valid JavaScript: unexpected color in object literal\n"},
		{name: "nothing of Sobot", args: []string{"convert", plain}, code: 1,
			stderr: plain + ": no Sobot integration found (no entrance.js loader, zc(...) call or Sobot link)\n"},
		{name: "too large", args: []string{"convert"}, stdin: strings.Repeat(" ", convert.MaxFileSize+1), code: 1,
			stderr: "stdin: is larger than 4194304 bytes, the most sobot convert reads from one file\n"},
		{name: "missing file", args: []string{"convert", filepath.Join(dir, "none.html")}, code: 2,
			stderr: "sobot convert: argument 1: " + filepath.Join(dir, "none.html") + ": no such file or directory\n" + hint},
		{name: "bad package", args: []string{"convert", "--package", "my-chat"}, code: 2,
			stderr: "sobot convert: --package must be a Go package name, such as chat\n" + hint},
		{name: "unknown flag", args: []string{"convert", "--pc"}, code: 2,
			stderr: "sobot convert: argument 1 is an unknown flag; the flags are --package and -h\n" + hint},
		{name: "stdin twice", args: []string{"convert", "-", "-"}, stdin: `zc("config", {uname: "x"})`, code: 2,
			stderr: "sobot convert: argument 2 reads standard input a second time\n" + hint},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWith(t, nil, tc.stdin, tc.args...)
			assert.Equal(t, tc.code, r.code, "stderr: %s", r.stderr)
			if tc.stdout == nil {
				assert.Empty(t, r.stdout)
			} else {
				for _, s := range tc.stdout {
					assert.Contains(t, r.stdout, s)
				}
				_, err := parser.ParseFile(token.NewFileSet(), "out.go", r.stdout, parser.ParseComments)
				assert.NoError(t, err, "stdout is Go:\n%s", r.stdout)
			}
			if tc.stderrHave != nil {
				for _, s := range tc.stderrHave {
					assert.Contains(t, r.stderr, s)
				}
			} else {
				assert.Equal(t, tc.stderr, r.stderr)
			}
		})
	}
}

// TestConvertKeepsKeysOut: a sign written into a page is never copied into
// the output, which reads the key from SOBOT_KEY and never holds it.
func TestConvertKeepsKeysOut(t *testing.T) {
	page := `<script src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=` + sysnum + `" id="zhichiScript" async></script>
<script>zc("config", {partnerid: "u-1", sign: "0123456789abcdef0123456789abcdef"});</script>`
	r := runWith(t, map[string]string{"SOBOT_KEY": secret}, page, "convert")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, "0123456789abcdef0123456789abcdef", "the page's sign is not copied")
	assert.Contains(t, r.stdout, `Key: sobot.NewKey(os.Getenv("SOBOT_KEY")),`)
	assert.NotContains(t, r.stdout+r.stderr, secret)
}
