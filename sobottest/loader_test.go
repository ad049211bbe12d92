package sobottest_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

func TestLoaderServed(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.NewKey(testSecret))
	for _, path := range []string{"/chat/frame/v2/entrance.js", "/chat/frame/v6/entrance.js"} {
		resp, body := fetch(t, h, http.MethodGet, path+"?sysnum="+testSysnum)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "application/javascript") {
			t.Errorf("%s: Content-Type %q", path, got)
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q", path, got)
		}
		if !strings.Contains(body, "window.__sobottest") && !strings.Contains(body, "w.__sobottest") {
			t.Errorf("%s: body is not the fake loader", path)
		}
		if resp, body := fetch(t, h, http.MethodHead, path+"?sysnum="+testSysnum); resp.StatusCode != http.StatusOK || body != "" {
			t.Errorf("%s HEAD: %d %q", path, resp.StatusCode, body)
		}
	}
}

func TestLoaderRefusesOtherAccounts(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	for _, target := range []string{
		"/chat/frame/v2/entrance.js",
		"/chat/frame/v2/entrance.js?sysnum=other",
		"/chat/frame/v6/entrance.js?sysNum=" + testSysnum,
	} {
		resp, _ := fetch(t, h, http.MethodGet, target)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", target, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "javascript") {
			t.Errorf("%s: refused with Content-Type %q", target, ct)
		}
	}
}

// TestLoaderSourceStaysInert guards the loader's rule that config values
// never reach an HTML parser or a JavaScript compiler.
func TestLoaderSourceStaysInert(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	_, body := fetch(t, h, http.MethodGet, "/chat/frame/v2/entrance.js?sysnum="+testSysnum)
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
		if loc := regexp.MustCompile(pattern).FindStringIndex(body); loc != nil {
			t.Errorf("loader matches %s: %q", pattern, body[loc[0]:min(loc[1]+40, len(body))])
		}
	}
}
