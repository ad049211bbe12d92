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
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200; reason %q", resp.StatusCode, resp.Header.Get("X-Sobottest-Reason"))
			}
			if got := resp.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			if got := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(got, "default-src 'none'") || strings.Contains(got, "script-src") {
				t.Errorf("CSP %q: want default-src 'none' and no script source", got)
			}
			if got := standintest.MustText(t, body, "sobot-page"); got != kind {
				t.Errorf("#sobot-page %q, want %q", got, kind)
			}
			if got := standintest.MustText(t, body, "sobot-security"); got != "sign verified" {
				t.Errorf("#sobot-security %q", got)
			}
			if _, ok := standintest.ElementText(body, "sobot-rejected"); ok {
				t.Error("admitted page shows #sobot-rejected")
			}
			for name := range q {
				if got := standintest.MustText(t, body, "param-"+name); got != q.Get(name) {
					t.Errorf("#param-%s %q, want %q", name, got, q.Get(name))
				}
			}
			if p := standintest.Problems(body); p != nil {
				t.Errorf("problems %q, want none", p)
			}
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
				if resp.StatusCode != http.StatusForbidden {
					t.Fatalf("status %d, want 403", resp.StatusCode)
				}
				if got := standintest.MustText(t, body, "sobot-rejected"); got != sobottest.RejectionText {
					t.Errorf("#sobot-rejected %q, want %q", got, sobottest.RejectionText)
				}
				if got := resp.Header.Get("X-Sobottest-Reason"); !strings.Contains(got, c.reason) {
					t.Errorf("reason %q, want it to contain %q", got, c.reason)
				}
				if got := standintest.MustText(t, body, "sobot-reason"); got != resp.Header.Get("X-Sobottest-Reason") {
					t.Errorf("#sobot-reason %q differs from header", got)
				}
				if _, ok := standintest.ElementText(body, "sobot-security"); ok {
					t.Error("rejected page shows #sobot-security")
				}
				if got := standintest.MustText(t, body, "sobot-page"); got != kind {
					t.Errorf("#sobot-page %q", got)
				}
			})
		}
	}
}

func TestRejectionTextIsTheReferences(t *testing.T) {
	// Copied from the reference (pc/h5安全校验), ASCII comma included.
	const want = "经验证当前用户为非法用户,不予接入客户服务中心"
	if sobottest.RejectionText != want {
		t.Fatalf("RejectionText %q, want %q", sobottest.RejectionText, want)
	}
}

func TestChatPageKeyOff(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	for _, q := range []url.Values{
		{"sysnum": {standintest.SysNum}},
		{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}},
		{"sysnum": {standintest.SysNum}, "partnerid": {"user-1"}, "sign": {"not-checked"}},
	} {
		resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page("/chat/h5/v2/index.html", q))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%v: status %d, want 200", q, resp.StatusCode)
		}
		if got := standintest.MustText(t, body, "sobot-security"); got != "security key off" {
			t.Errorf("%v: #sobot-security %q", q, got)
		}
	}
	resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page("/chat/pc/v2/index.html", url.Values{"sysnum": {"other"}}))
	if resp.StatusCode != http.StatusForbidden || standintest.MustText(t, body, "sobot-rejected") != sobottest.RejectionText {
		t.Fatalf("wrong sysnum with key off: status %d", resp.StatusCode)
	}
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
			if resp.StatusCode != target.status {
				t.Fatalf("%s %q: status %d, want %d", target.path, payload, resp.StatusCode, target.status)
			}
			lower := strings.ToLower(body)
			for _, bad := range []string{"<script", "<img", "<svg", "</dd><", "<!--"} {
				if strings.Contains(lower, bad) {
					t.Errorf("%s %q: page contains %q:\n%s", target.path, payload, bad, body)
				}
			}
			if got := standintest.MustText(t, body, "param-uname"); got != payload {
				t.Errorf("%s: #param-uname %q, want %q", target.path, got, payload)
			}
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
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if p := standintest.Problems(body); len(p) != 1 || !strings.Contains(p[0], `"uname" appears 2 times`) {
		t.Errorf("repeated uname: problems %q", p)
	}
	if a, b := standintest.MustText(t, body, "param-uname"), standintest.MustText(t, body, "param-uname-2"); a != "first" || b != "second" {
		t.Errorf("repeated uname shown as %q, %q", a, b)
	}
}

func TestPagesMethods(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	target := standintest.Page("/chat/h5/v2/index.html", url.Values{"sysnum": {standintest.SysNum}})
	resp, body := standintest.Fetch(t, h, http.MethodHead, target)
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD: status %d, body %q", resp.StatusCode, body)
	}
	resp, _ = standintest.Fetch(t, h, http.MethodPost, target)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
	resp, _ = standintest.Fetch(t, h, http.MethodGet, "/chat/h5/v3/index.html?sysnum="+standintest.SysNum)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: status %d, want 404", resp.StatusCode)
	}
}

func TestLeaveMessagePage(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.NewKey(standintest.Secret))
	const path = "/chat/h5/v2/leavemessage.html"
	q := url.Values{"sysnum": {standintest.SysNum}, "source": {"9"}, "uid": {"u-1"}, "templateid": {"tpl"}, "locale": {"cn"}}
	resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, q))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200 (no sign is needed on the leave-message page)", resp.StatusCode)
	}
	if got := standintest.MustText(t, body, "sobot-page"); got != "leave-message" {
		t.Errorf("#sobot-page %q", got)
	}
	if got := standintest.MustText(t, body, "param-templateid"); got != "tpl" {
		t.Errorf("#param-templateid %q", got)
	}
	if p := standintest.Problems(body); p != nil {
		t.Errorf("problems %q, want none", p)
	}
	if _, ok := standintest.ElementText(body, "sobot-security"); ok {
		t.Error("leave-message page claims a security check")
	}

	for _, source := range []string{"", "4", "09"} {
		q := url.Values{"sysnum": {standintest.SysNum}}
		if source != "" {
			q.Set("source", source)
		}
		resp, body := standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, q))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("source %q: status %d", source, resp.StatusCode)
		}
		if p := standintest.Problems(body); len(p) != 1 || !strings.Contains(p[0], "source must be 9") {
			t.Errorf("source %q: problems %q", source, p)
		}
	}

	resp, body = standintest.Fetch(t, h, http.MethodGet, standintest.Page(path, url.Values{"sysnum": {"nope"}, "source": {"9"}}))
	if resp.StatusCode != http.StatusForbidden || standintest.MustText(t, body, "sobot-rejected") != sobottest.RejectionText {
		t.Errorf("wrong sysnum: status %d", resp.StatusCode)
	}
}
