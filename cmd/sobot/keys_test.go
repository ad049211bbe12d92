package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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

// TestShortKeyRefused: a key too short to keep secret is refused with its
// reason, the parameters' problems are still listed, and neither the key
// nor a value that repeats it is shown.
func TestShortKeyRefused(t *testing.T) {
	t.Parallel()
	r := runWith(t, withSys, "", "link", "--key", "shortkey", "time=5", "uname=x")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "key: is 8 bytes; at least 16 are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)\n"+
		"time: must be a whole number from 10 to 2880 (got \"5\")\n"+
		"partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)\n", r.stderr)
	assert.Empty(t, r.stdout)
	r = runWith(t, withSys, "", "link", "--key", "1", "time=1", "partnerid=u")
	assert.Equal(t, 1, r.code)
	assert.NotContains(t, r.stderr, `"1"`, "a value that repeats the key is redacted")
	assert.Contains(t, r.stderr, "time: must be a whole number from 10 to 2880 (got \"[REDACTED]\")\n")
}
