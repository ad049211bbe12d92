package sobottest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var chatPaths = map[string]string{
	"/chat/h5/v2/index.html": "h5/v2",
	"/chat/pc/v2/index.html": "pc/v2",
	"/chat/h5/v6/index.html": "h5/v6",
	"/chat/pc/v6/index.html": "pc/v6",
}

func TestChatPageAdmitsValidSign(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	for path, kind := range chatPaths {
		t.Run(kind, func(t *testing.T) {
			q := standintest.SignedQuery("user-42")
			q.Set("uname", "张三 & co")
			q.Set("params", `{"等级":"Boss"}`)
			resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, q))
			require.Equal(t, http.StatusOK, resp.StatusCode, "reason %q", resp.Header.Get("X-Sobottest-Reason"))
			assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			csp := resp.Header.Get("Content-Security-Policy")
			assert.True(t, strings.HasPrefix(csp, "default-src 'none'"), "CSP %q", csp)
			assert.NotContains(t, csp, "script-src")
			assert.Equal(t, kind, standintest.MustText(t, body, "sobot-page"))
			assert.Equal(t, "sign verified", standintest.MustText(t, body, "sobot-security"))
			assertNoElement(t, body, "sobot-rejected", "the admitted page")
			for name := range q {
				assert.Equal(t, q.Get(name), standintest.MustText(t, body, "param-"+name), "#param-%s", name)
			}
			assert.Nil(t, standintest.Problems(body))
		})
	}
}

func TestChatPageRejects(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	good := standintest.MD5Sign(standintest.SysNum, standintest.Secret, "user-1")
	cases := []struct {
		name   string
		q      url.Values
		reason string
	}{
		{"tampered partnerid", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {"user-2"}, "sign": {good}}, "does not match"},
		{"missing sign", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}}, "sign missing"},
		{"empty sign", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}, "sign": {""}}, "sign missing"},
		{"missing partnerid", url.Values{"sysnum": {standintest.SysNum}, "sign": {good}}, "partnerid missing"},
		{"upper-case sign", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}, "sign": {strings.ToUpper(good)}}, "not 32 lower-case hex digits"},
		{"sign under another key", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}, "sign": {standintest.MD5Sign(standintest.SysNum, "other", "user-1")}}, "does not match"},
		{"wrong sysnum", url.Values{"sysnum": {"0000"}, "partnerid": {"user-1"}, "sign": {standintest.MD5Sign("0000", standintest.Secret, "user-1")}}, "sysnum is not"},
		{"missing sysnum", url.Values{"partnerid": {"user-1"}, "sign": {good}}, "sysnum missing"},
		{"camel-case sysNum", url.Values{"sysNum": {standintest.SysNum}, "partnerid": {"user-1"}, "sign": {good}}, `"sysNum" is a form of sysnum`},
	}
	for _, c := range cases {
		for path, kind := range chatPaths {
			t.Run(c.name+"/"+kind, func(t *testing.T) {
				resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, c.q))
				require.Equal(t, http.StatusForbidden, resp.StatusCode)
				assert.Equal(t, sobottest.RejectionText, standintest.MustText(t, body, "sobot-rejected"))
				assert.Contains(t, resp.Header.Get("X-Sobottest-Reason"), c.reason)
				assert.Equal(t, resp.Header.Get("X-Sobottest-Reason"), standintest.MustText(t, body, "sobot-reason"), "#sobot-reason and the header")
				assertNoElement(t, body, "sobot-security", "the rejected page")
				assert.Equal(t, kind, standintest.MustText(t, body, "sobot-page"))
			})
		}
	}
}

func TestRejectionTextIsTheReferences(t *testing.T) {
	// Copied from the reference (pc/h5安全校验), ASCII comma included.
	assert.Equal(t, "经验证当前用户为非法用户,不予接入客户服务中心", sobottest.RejectionText)
}

func TestChatPageKeyOff(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	for _, q := range []url.Values{
		{"sysnum": {standintest.SysNum}},
		{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}},
		{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}, "sign": {"not-checked"}},
	} {
		resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page("/chat/h5/v2/index.html", q))
		require.Equal(t, http.StatusOK, resp.StatusCode, "%v", q)
		assert.Equal(t, "security key off", standintest.MustText(t, body, "sobot-security"), "%v", q)
	}
	resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page("/chat/pc/v2/index.html", url.Values{"sysnum": {"other"}}))
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "wrong sysnum with key off")
	assert.Equal(t, sobottest.RejectionText, standintest.MustText(t, body, "sobot-rejected"), "wrong sysnum with key off")
}

// TestSysnumOnceWithKeyOff checks that the pages that check sysnum alone
// (chat pages with the security key off, the leave-message page) refuse a
// sysnum that is missing, wrong, repeated or in another form.
func TestSysnumOnceWithKeyOff(t *testing.T) {
	off := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	on := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	for _, tc := range sysnumOnceCases {
		for _, target := range []struct {
			h    http.Handler
			path string
		}{
			{off, "/chat/h5/v2/index.html"},
			{off, "/chat/pc/v6/index.html"},
			{off, "/chat/h5/v2/leavemessage.html"},
			{on, "/chat/h5/v2/leavemessage.html"},
		} {
			link := target.path + "?" + tc.query + "&source=9&partnerid=u-1"
			resp, body := standintest.Fetch(t, target.h, http.MethodGet, link)
			require.Equal(t, http.StatusForbidden, resp.StatusCode, link)
			assert.Contains(t, resp.Header.Get("X-Sobottest-Reason"), tc.reason, link)
			assert.Equal(t, sobottest.RejectionText, standintest.MustText(t, body, "sobot-rejected"), link)
		}
	}
}

func TestPagesEscapeEverything(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	for _, payload := range standintest.XSSPayloads {
		for _, target := range []struct {
			path   string
			q      url.Values
			status int
		}{
			{"/chat/h5/v2/index.html", standintest.SignedQuery(payload), http.StatusOK},
			{"/chat/pc/v6/index.html", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {payload}, "sign": {payload}}, http.StatusForbidden},
			{"/chat/h5/v2/leavemessage.html", url.Values{"sysnum": {standintest.SysNum}, "source": {"9"}}, http.StatusOK},
		} {
			q := url.Values{}
			for k, v := range target.q {
				q[k] = v
			}
			q.Set("uname", payload)
			q.Set("x"+payload, payload)
			resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(target.path, q))
			require.Equal(t, target.status, resp.StatusCode, "%s %q", target.path, payload)
			lower := strings.ToLower(body)
			for _, bad := range []string{"<script", "<img", "<svg", "</dd><", "<!--"} {
				assert.NotContains(t, lower, bad, "%s %q: page\n%s", target.path, payload, body)
			}
			assert.Equal(t, payload, standintest.MustText(t, body, "param-uname"), "%s: #param-uname", target.path)
		}
	}
}

func TestChatPageProblems(t *testing.T) {
	// With the key off a partnerid over 300 characters is admitted, and
	// listed; with the key on it is rejected (TestVerdictsAgree).
	off := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	for _, tc := range []struct {
		partnerid, problem string
	}{
		{strings.Repeat("界", 301), "301 characters"},
		{strings.Repeat("😀", 151), "302 characters"}, // UTF-16 code units, as JavaScript counts
		{strings.Repeat("界", 300), ""},
		{strings.Repeat("😀", 150), ""},
	} {
		resp, body := standintest.Fetch(t, off, http.MethodGet, standintest.Page("/chat/h5/v2/index.html", url.Values{"sysnum": {standintest.SysNum}, "partnerid": {tc.partnerid}}))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		p := standintest.Problems(body)
		if tc.problem == "" {
			assert.Empty(t, p, "partnerid of %d runes", utf8.RuneCountInString(tc.partnerid))
		} else if assert.Len(t, p, 1) {
			assert.Contains(t, p[0], tc.problem)
		}
	}

	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))

	q := standintest.SignedQuery("user-1")
	q["uname"] = []string{"first", "second"}
	resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page("/chat/h5/v2/index.html", q))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assertOneProblem(t, body, `"uname" appears 2 times`, "repeated uname")
	assert.Equal(t, "first", standintest.MustText(t, body, "param-uname"), "repeated uname")
	assert.Equal(t, "second", standintest.MustText(t, body, "param-uname-2"), "repeated uname")
}

func TestPagesMethods(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	target := standintest.Page("/chat/h5/v2/index.html", url.Values{"sysnum": {standintest.SysNum}})
	resp, body := standintest.Fetch(t, h, http.MethodHead, target)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "HEAD")
	assert.Empty(t, body, "HEAD")
	resp, _ = standintest.Fetch(t, h, http.MethodPost, target)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "POST")
	resp, _ = standintest.Fetch(t, h, http.MethodGet, "/chat/h5/v3/index.html?sysnum="+standintest.SysNum)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "unknown page")
}

func TestLeaveMessagePage(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	const path = "/chat/h5/v2/leavemessage.html"
	q := url.Values{"sysnum": {standintest.SysNum}, "source": {"9"}, "uid": {"u-1"}, "templateid": {"tpl"}, "locale": {"cn"}}
	resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, q))
	require.Equal(t, http.StatusOK, resp.StatusCode, "no sign is needed on the leave-message page")
	assert.Equal(t, "leave-message", standintest.MustText(t, body, "sobot-page"))
	assert.Equal(t, "tpl", standintest.MustText(t, body, "param-templateid"))
	assert.Nil(t, standintest.Problems(body))
	assertNoElement(t, body, "sobot-security", "the leave-message page")

	for _, source := range []string{"", "4", "09"} {
		q := url.Values{"sysnum": {standintest.SysNum}}
		if source != "" {
			q.Set("source", source)
		}
		resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, q))
		require.Equal(t, http.StatusOK, resp.StatusCode, "source %q", source)
		assertOneProblem(t, body, "source must be 9", "source %q", source)
	}

	resp, body = standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, url.Values{"sysnum": {"nope"}, "source": {"9"}}))
	if assert.Equal(t, http.StatusForbidden, resp.StatusCode, "wrong sysnum") {
		assert.Equal(t, sobottest.RejectionText, standintest.MustText(t, body, "sobot-rejected"), "wrong sysnum")
	}
}

// assertNoElement asserts that a stand-in page, described by what, has no
// element with the id.
func assertNoElement(t *testing.T, body, id, what string) {
	t.Helper()
	_, ok := standintest.ElementText(body, id)
	assert.False(t, ok, "%s shows #%s", what, id)
}

// assertOneProblem asserts that a stand-in page lists one problem, which
// contains want.
func assertOneProblem(t *testing.T, body, want string, msgAndArgs ...any) {
	t.Helper()
	p := standintest.Problems(body)
	if assert.Len(t, p, 1, msgAndArgs...) {
		assert.Contains(t, p[0], want, msgAndArgs...)
	}
}
