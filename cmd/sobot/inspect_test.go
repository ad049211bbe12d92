package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// inspected is sobot inspect's JSON, decoded loosely.
type inspected map[string]any

// inspect runs sobot inspect with args in env and decodes its JSON, if it
// printed any.
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

// TestInspect: inspect prints a link's parameters, problems, notices and,
// with a key, its sign's verification as JSON.
func TestInspect(t *testing.T) {
	t.Parallel()
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
	assert.Equal(t, []any{}, out["notices"], "[] when none")
	for _, field := range []string{"kind", "sysnum", "params", "unknown", "signed", "sign_valid", "problems", "notices"} {
		assert.Contains(t, r.stdout, `"`+field+`": `)
	}

	out, r = inspect(t, nil, "--key", secret, link)
	assert.Equal(t, 0, r.code)
	assert.Equal(t, true, out["sign_valid"])
	assert.Equal(t, float64(1), out["verification"].(map[string]any)["matched_key"])

	out, r = inspect(t, map[string]string{"SOBOT_KEY": secret}, link)
	assert.Equal(t, 0, r.code, "SOBOT_KEY")
	assert.Equal(t, true, out["sign_valid"])

	out, r = inspect(t, nil, "--key", "new-key-0123456789", "--key", secret, link)
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

// TestInspectUsage: inspect takes exactly one URL.
func TestInspectUsage(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"inspect without URL", nil, "", []string{"inspect"}, 2, "", "sobot inspect: want exactly one URL\n" + usageHint},
		{"inspect two URLs", nil, "", []string{"inspect", h5, h5}, 2, "", "sobot inspect: want exactly one URL\n" + usageHint},
	})
}

// TestInspectNotices: inspect's "notices" lists what Sobot ignores in the
// link, as the library's Inspect finds it, beside "problems".
func TestInspectNotices(t *testing.T) {
	t.Parallel()
	link := "https://www.sobot.com/chat/pc/v2/index.html?card_title=Shoes&sysnum=" + sysnum + "&time=5&vip_level=3"
	parsed, err := sobot.Inspect(link)
	require.NoError(t, err)
	require.Len(t, parsed.Notices, 2)
	var want []any
	for _, n := range parsed.Notices {
		want = append(want, map[string]any{"param": n.Param, "value": n.Value, "reason": n.Reason})
	}

	out, r := inspect(t, nil, link)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "notices are in the JSON only")
	assert.Equal(t, want, out["notices"])
	assert.Len(t, out["problems"], 1, "time=5")
	assert.Regexp(t, `"problems": \[[^]]*\],\n  "notices": \[`, r.stdout, "notices right after problems")
}
