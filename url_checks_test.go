package sobot

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestURLForms: each URL form accepts what the reference allows for its
// parameters and refuses what a URL may not contain, credentials, bad
// ports and script-capable schemes.
func TestURLForms(t *testing.T) {
	const (
		web     = 1 << iota // webURL: to_customsys_url, leave_customsys_url
		picture             // pictureURL: face, card_picture, invite_imgsrc, goods' pictureUrl
		page                // pageURL: card_url, order_url
		trace               // traceURL: visit trace
		all     = web | picture | page | trace
		none    = 0
	)
	forms := []struct {
		bit int
		c   check
	}{{web, webURL}, {picture, pictureURL}, {page, pageURL}, {trace, traceURL}}
	tests := []struct {
		url string
		ok  int // the forms that accept it
	}{
		{"https://example.com/a?b=c#d", all},
		{"http://EXAMPLE.com:8080/x", all},
		{"HTTPS://example.com", all},
		{"https://例子.测试/路径?q=值", all},
		{"https://[::1]:8443/x", all},
		{"https://example.com/a%20b", all},
		{"//cdn.example/x.png", picture | trace},
		{"/products/1", page | trace}, // a mini-program path, or a relative referer
		{"pages/goods/detail?id=1", page | trace},
		{"android-app://com.google.android.gm/", trace},
		{"ftp://example.com/x", trace},
		{"?q=1", trace},
		{"https://example.com/a b", none},
		{`https://example.com/"x"`, none},
		{"https://example.com/it's", none},
		{"https://example.com/<script>", none},
		{`https://example.com/a\b`, none},
		{"https://example.com/{a}", trace},
		{"https://example.com/a|b", trace}, // as browsers send them
		{"https://example.com/a^b", trace},
		{"https://example.com/?utm=a|b&f={%22c%22:1}", trace},
		{"https://example.com/50%off", trace},
		{"https://example.com/`", none},
		{"https://example.com/\t", none},
		{"https://example.com/\u00a0", none},
		{"https://example.com/\u2028", none},
		{"https://example.com/\u200b", none},
		{"https://example.com/\x7f", none},
		{"https://example.com/\xff", none},
		{"https://example.com/\x80", none},
		{"https://example.com/%zz", trace},
		{"https://example.com/100%", trace},
		{"https://example.com/%4", trace},
		{"https://user:pw@example.com/", none},
		{"https://user@example.com/", none},
		{"https://example.com:99999/", none},
		{"https://example.com:0/", none},
		{"https://example.com:/", none},
		{"javascript:alert(1)", none},
		{"JavaScript:alert(1)", none},
		{"data:text/html,<b>", none},
		{"data:image/png;base64,AAAA", none},
		{"vbscript:msgbox", none},
		// Broken but harmless: a visit trace takes what the page had.
		{"https://", trace},
		{"https:///path", trace},
		{"//", trace},
		{"//user@cdn.example/x", none},
		{"https%3A%2F%2Fexample.com", trace}, // a relative path to a trace; encoded twice elsewhere
	}
	for _, tt := range tests {
		for _, f := range forms {
			got := f.c.apply(tt.url)
			if want := tt.ok&f.bit != 0; want {
				assert.Empty(t, got, "%q must be accepted by form %d", tt.url, f.bit)
			} else {
				assert.NotEmpty(t, got, "%q must be refused by form %d", tt.url, f.bit)
			}
		}
	}
}

// TestURLReasons: the refusals say what to do.
func TestURLReasons(t *testing.T) {
	for _, tt := range []struct {
		c         check
		url, want string
	}{
		{webURL, "https://example.com/a b", "must not contain spaces or control characters (percent-encode them)"},
		{webURL, `https://example.com/"`, `must not contain '"' (percent-encode it)`},
		{webURL, "https://example.com/%g0", "has a % that does not start a %XX escape (write a literal % as %25)"},
		{webURL, "https://example.com/%4", "has a % that does not start a %XX escape (write a literal % as %25)"},
		{webURL, "https://example.com/\x80", "must be valid UTF-8"},
		{webURL, "https://a:b@example.com", "must not carry a user name or password (user:password@): they would be shown to agents"},
		{webURL, "https://example.com:65536", "has an invalid port: a port is a number from 1 to 65535"},
		{webURL, "//cdn.example/x", "must be an absolute http:// or https:// URL"},
		{webURL, "http://[::1", "must be an absolute http:// or https:// URL (missing ']' in host)"},
		{webURL, "https%3A%2F%2Fx.com%2Fa.png", "must be an absolute http:// or https:// URL; it looks percent-encoded: pass the plain URL, the library encodes it"},
		{pictureURL, "/img/a.png", "must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages)"},
		{pictureURL, "https%3A%2F%2Fx.com%2Fa.png", "must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages); it looks percent-encoded: pass the plain URL, the library encodes it"},
		{pageURL, "//cdn.example/x", "must be an http:// or https:// URL or a mini-program page path such as pages/goods/detail?id=1"},
		{traceURL, "data:,x", "must not use the data: scheme, which can run or embed content where the trace is shown"},
		{traceURL, "http://[::1", "must be a URL or a relative reference (missing ']' in host)"},
	} {
		assert.Equal(t, tt.want, tt.c.apply(tt.url), tt.url)
	}
}

// FuzzURLFastPath holds plainWebURL, the URL checks' fast path, to the
// slow path it stands for (urlTextProblem, net/url, authorityProblem):
// whatever the fast path accepts, the slow path accepts as an absolute
// http(s) URL with a host. Run longer with
//
//	go test -run='^$' -fuzz=FuzzURLFastPath -fuzztime=1m .
func FuzzURLFastPath(f *testing.F) {
	for _, s := range []string{"https://example.com/a?b=c#d", "http://a", "HTTPS://x.y/", "https://x/%41",
		"https://x/a b", "https://x:1/", "https://u@x/", "https://x/#a#b", "https://x/?a=<", "https://x./..//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainWebURL(s) {
			return
		}
		require.Empty(t, urlProblem(s, false), "fast path accepts %q, slow path refuses", s)
		u, err := url.Parse(s)
		require.NoError(t, err, "fast path accepts %q, net/url refuses", s)
		require.Contains(t, []string{"http", "https"}, u.Scheme, "fast path accepts %q", s)
		require.NotEmpty(t, u.Host, "fast path accepts %q without a host", s)
		require.Nil(t, u.User, "fast path accepts %q with credentials", s)
		require.NotContains(t, u.Host, ":", "fast path accepts %q with a port", s)
	})
}

// BenchmarkURLCheck measures the fast path against the slow path it
// shortcuts, for the typical URL of a card or avatar: the fast path is why
// a per-user link or widget with URLs still takes few allocations.
func BenchmarkURLCheck(b *testing.B) {
	const s = "https://img.sobot.com/console/common/face/admin.png?size=64"
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if pictureURL.apply(s) != "" {
				b.Fatal("refused")
			}
		}
	})
	b.Run("net/url", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if urlProblem(s, true) != "" {
				b.Fatal("refused")
			}
		}
	})
}

// TestWebURL checks the fast path agrees with url.Parse on what it accepts.
func TestWebURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"https://img.sobot.com/console/common/face/admin.png", true},
		{"HTTP://EXAMPLE.COM", true},
		{"https://example.com:8443/x", true},
		{"https://[::1]/x", true},
		{"https://user@example.com/", false},
		{"https://example.com/a%20b", true},
		{"https://", false},
		{"https:///path", false},
		{"https://exa mple.com", false},
		{"https://example.com/%zz", false},
		{"https://example.com/\n", false},
		{"javascript://example.com/%0Aalert(1)", false},
		{"ftp://example.com", false},
		{"//example.com", false},
		{"example.com", false},
	} {
		assert.Equal(t, tt.ok, webURL.apply(tt.url) == "", tt.url)
	}
}

// TestCharClasses: the byte classes at the ends of their ranges and next to
// them: hex digits, and ports 1 to 65535.
func TestCharClasses(t *testing.T) {
	for c := range 256 {
		want := strings.IndexByte("0123456789abcdefABCDEF", byte(c)) >= 0
		assert.Equal(t, want, isHex(byte(c)), "%q", c)
	}
	for port, ok := range map[string]bool{"0": false, "1": true, "65535": true, "65536": false} {
		u, err := url.Parse("https://x.example:" + port + "/")
		require.NoError(t, err)
		assert.Equal(t, ok, validPort(u), port)
	}
}
