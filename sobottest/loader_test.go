package sobottest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoaderServed(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	for _, path := range []string{"/chat/frame/v2/entrance.js", "/chat/frame/v6/entrance.js"} {
		resp, body := standintest.Fetch(t, h, http.MethodGet, path+"?sysnum="+standintest.SysNum)
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "application/javascript"), "%s: Content-Type %q", path, resp.Header.Get("Content-Type"))
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"), path)
		assert.Regexp(t, `(window|w)\.__sobottest`, body, "%s: body is not the fake loader", path)
		resp, body = standintest.Fetch(t, h, http.MethodHead, path+"?sysnum="+standintest.SysNum)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "%s HEAD", path)
		assert.Empty(t, body, "%s HEAD", path)
	}
}

// sysnumOnceCases are queries whose sysnum is ambiguous or wrong, for
// every request that reads only sysnum: the loader, and the pages with the
// security key off. A reader of the first value and a reader of the last
// are each admitted by one of the "twice" rows.
var sysnumOnceCases = []struct {
	query, reason string
}{
	{"", "sysnum missing"},
	{"sysnum=", "sysnum missing"},
	{"sysnum=other", "sysnum is not the stand-in's account"},
	{"sysnum=" + standintest.SysNum + "&sysnum=other", "sysnum appears 2 times"},
	{"sysnum=other&sysnum=" + standintest.SysNum, "sysnum appears 2 times"},
	{"sysnum=" + standintest.SysNum + "&sysnum=" + standintest.SysNum, "sysnum appears 2 times"},
	{"sysnum=" + standintest.SysNum + "&channelid=2&sysnum=" + standintest.SysNum + "&sysnum=" + standintest.SysNum, "sysnum appears 3 times"},
	{"sysNum=" + standintest.SysNum, `"sysNum" is a form of sysnum`},
	{"sysnum=" + standintest.SysNum + "&SYSNUM=other", "is a form of sysnum"},
	{"SYSNUM=other&sysnum=" + standintest.SysNum, "is a form of sysnum"},
	{"sysnum=" + standintest.SysNum + "&sysnum%20=other", "is a form of sysnum"},
	{"sysnum=" + standintest.SysNum + "&%73ysnum=other", "is a form of sysnum"},
	{"sysnum=" + standintest.SysNum + "&amp;sysnum=other", "is a form of sysnum"},
}

func TestLoaderRefusesOtherAccounts(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	for _, path := range []string{"/chat/frame/v2/entrance.js", "/chat/frame/v6/entrance.js"} {
		for _, tc := range sysnumOnceCases {
			target := path + "?" + tc.query
			resp, _ := standintest.Fetch(t, h, http.MethodGet, target)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, target)
			assert.Contains(t, resp.Header.Get("X-Sobottest-Reason"), tc.reason, target)
			assert.NotContains(t, resp.Header.Get("Content-Type"), "javascript", target)
		}
		resp, _ := standintest.Fetch(t, h, http.MethodGet, path+"?sysnum="+standintest.SysNum+"&channelid=2")
		assert.Equal(t, http.StatusOK, resp.StatusCode, "sysnum once, with channelid")
	}
}

// TestLoaderSourceStaysInert guards the rule of the loader and the
// recorder that config values never reach an HTML parser or a JavaScript
// compiler.
func TestLoaderSourceStaysInert(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	_, loader := standintest.Fetch(t, h, http.MethodGet, "/chat/frame/v2/entrance.js?sysnum="+standintest.SysNum)
	resp, recorder := standintest.Fetch(t, h, http.MethodGet, "/__sobottest/recorder.js")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, recorder, "sobottest recorder")
	for _, body := range []string{loader, recorder} {
		for _, pattern := range []string{
			`\beval\s*\(`,
			`\bFunction\s*\(`,
			`\.innerHTML\b`,
			`\.outerHTML\b`,
			`insertAdjacentHTML`,
			`document\.write`,
			`setTimeout\s*\(\s*["'\x60]`,
			`setInterval\s*\(\s*["'\x60]`,
			`\.setAttribute\s*\(\s*["'](style|on)`,
			`\.cssText\b`,
			`createContextualFragment`,
			`DOMParser`,
		} {
			assert.NotRegexp(t, pattern, body, "a script matches %s", pattern)
		}
	}
}

func TestRecorderServed(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	resp, body := standintest.Fetch(t, h, http.MethodGet, "/__sobottest/recorder.html")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	csp := resp.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "default-src 'none'")
	assert.Contains(t, csp, "script-src 'self'")
	assert.Contains(t, csp, "connect-src 'self'")
	assert.Empty(t, resp.Header.Get("X-Frame-Options"), "any page that loads the loader must be able to frame the recorder")
	assert.Contains(t, body, `<script src="recorder.js"></script>`)
	assert.NotContains(t, body, "<script>", "no inline script")

	resp, _ = standintest.Fetch(t, h, http.MethodGet, "/__sobottest/recorder.js")
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "application/javascript"))
	resp, _ = standintest.Fetch(t, h, http.MethodPost, "/__sobottest/recorder.html")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
