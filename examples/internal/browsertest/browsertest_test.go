package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve starts a loopback server that answers each path with its page, sent
// with the given Content-Security-Policy header when csp is not empty.
func serve(t *testing.T, csp string, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCSPViolationIsReportedAndBlocks(t *testing.T) {
	srv := serve(t, "script-src 'nonce-abc'", map[string]string{
		"/": `<!doctype html><title>csp</title>
<script>window.withoutNonce = true;</script>
<script nonce="abc">window.withNonce = true;</script>`,
		"/clean": `<!doctype html><title>clean</title><script nonce="abc">window.ok = 1;</script>`,
	})
	b := New(t)

	// A page that breaks no policy must report nothing: this guards the
	// positive checks below against a harness that reports everything.
	b.Navigate(srv.URL + "/clean")
	if v := b.CSPViolations(); len(v) != 0 {
		t.Fatalf("clean page: CSPViolations = %+v, want none", v)
	}

	b.Navigate(srv.URL + "/")
	var ranWithout, ranWith bool
	b.Eval(`window.withoutNonce === true`, &ranWithout)
	b.Eval(`window.withNonce === true`, &ranWith)
	if ranWithout {
		t.Error("the inline script without the nonce ran despite the CSP")
	}
	if !ranWith {
		t.Error("the inline script with the nonce did not run")
	}

	v := b.CSPViolations()
	if len(v) != 1 {
		t.Fatalf("CSPViolations = %+v, want exactly one (for the script without the nonce); tab: %v", v, b.Tab)
	}
	got := v[0]
	if !strings.HasPrefix(got.Directive, "script-src") || got.BlockedURI != "inline" ||
		got.Disposition != "enforce" || got.Policy != "script-src 'nonce-abc'" ||
		got.DocumentURI != srv.URL+"/" || got.SourceFile != srv.URL+"/" || got.Line != 2 {
		t.Errorf("violation = %+v, want an enforced script-src block of the inline script at %s/ line 2", got, srv.URL)
	}

	// Cross-check through a second channel: Chromium also logs the violation
	// over CDP, independent of the script the harness injects.
	found := false
	for _, m := range b.Console() {
		if m.Type == "error" && strings.Contains(m.Text, "Content Security Policy") {
			found = true
		}
	}
	if !found {
		t.Errorf("no console error about the Content Security Policy; console: %+v", b.Console())
	}
}

func TestCSPViolationAfterLoad(t *testing.T) {
	// A violation caused by an action after the load is recorded as well,
	// and violations of an earlier document are kept after a navigation.
	// 'report-sample' makes the browser include the start of the script.
	srv := serve(t, "script-src 'nonce-abc' 'report-sample'", map[string]string{
		"/": `<!doctype html><title>late</title>
<button id="go" style="width:100px;height:40px">go</button>
<script nonce="abc">
document.getElementById("go").addEventListener("click", () => {
	const s = document.createElement("script");
	s.textContent = "window.injected = true";
	document.body.appendChild(s);
});
</script>`,
		"/blank": `<!doctype html><title>blank</title>`,
	})
	b := New(t)
	b.Navigate(srv.URL + "/")
	if v := b.CSPViolations(); len(v) != 0 {
		t.Fatalf("before the click: CSPViolations = %+v, want none", v)
	}
	b.Click("#go")
	v := b.CSPViolations()
	if len(v) != 1 || !strings.Contains(v[0].Sample, "window.injected") {
		t.Fatalf("CSPViolations = %+v, want the injected script's violation", v)
	}
	b.Navigate(srv.URL + "/blank")
	if v := b.CSPViolations(); len(v) != 1 {
		t.Fatalf("after navigating away: CSPViolations = %+v, want the one of the first page", v)
	}
}

func TestReportOnlyCSP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy-Report-Only", "script-src 'none'")
		_, _ = w.Write([]byte(`<!doctype html><script>window.ran = true;</script>`))
	}))
	defer srv.Close()
	b := New(t)
	b.Navigate(srv.URL)
	var ran bool
	b.Eval(`window.ran === true`, &ran)
	if !ran {
		t.Error("a report-only policy blocked the script")
	}
	v := b.CSPViolations()
	if len(v) != 1 || v[0].Disposition != "report" {
		t.Fatalf("CSPViolations = %+v, want one with disposition report", v)
	}
}

func TestAlertIsRecordedAndDismissed(t *testing.T) {
	srv := serve(t, "", map[string]string{
		"/": `<!doctype html><title>alert</title>
<script>alert(1); window.afterAlert = true;</script>
<button id="ask" style="width:100px;height:40px"
  onclick="window.answers = [confirm('sure?'), prompt('name?', 'x')]">ask</button>`,
	})
	b := New(t)
	if d := b.Dialogs(); len(d) != 0 {
		t.Fatalf("Dialogs before any page = %+v", d)
	}
	// Navigate returns only because the harness dismisses the alert: an
	// open alert holds the load event back.
	b.Navigate(srv.URL + "/")
	var after bool
	b.Eval(`window.afterAlert === true`, &after)
	if !after {
		t.Error("the script did not continue after the alert")
	}
	d := b.Dialogs()
	if len(d) != 1 || d[0].Type != "alert" || d[0].Message != "1" || d[0].URL != srv.URL+"/" {
		t.Fatalf("Dialogs = %+v, want the alert(1) of %s/", d, srv.URL)
	}

	// confirm and prompt are dismissed too: they answer false and null.
	b.Click("#ask")
	var answers []any
	b.Eval(`window.answers`, &answers)
	if len(answers) != 2 || answers[0] != false || answers[1] != nil {
		t.Errorf("answers = %#v, want [false, nil]", answers)
	}
	d = b.Dialogs()
	if len(d) != 3 || d[1].Type != "confirm" || d[1].Message != "sure?" || d[2].Type != "prompt" || d[2].Message != "name?" {
		t.Errorf("Dialogs = %+v, want alert, confirm, prompt", d)
	}
}

func TestExceptionIsRecorded(t *testing.T) {
	srv := serve(t, "", map[string]string{
		"/":     `<!doctype html><script>throw new Error("boom");</script><script>Promise.reject(new TypeError("nope"));</script>`,
		"/fine": `<!doctype html><script>console.log("hello", 42);</script>`,
	})
	b := New(t)
	b.Navigate(srv.URL + "/fine")
	if e := b.Exceptions(); len(e) != 0 {
		t.Fatalf("Exceptions on a fine page = %+v", e)
	}
	var logged bool
	for _, m := range b.Console() {
		logged = logged || (m.Type == "log" && m.Text == "hello 42")
	}
	if !logged {
		t.Errorf("console.log not recorded; console: %+v", b.Console())
	}

	b.Navigate(srv.URL + "/")
	b.WaitFor(`true`) // let the rejection be reported
	e := b.Exceptions()
	if len(e) != 2 {
		t.Fatalf("Exceptions = %+v, want the throw and the rejection", e)
	}
	if !strings.Contains(e[0].Text, "Error: boom") || e[0].URL != srv.URL+"/" {
		t.Errorf("first exception = %+v, want Error: boom on %s/", e[0], srv.URL)
	}
	if !strings.Contains(e[1].Text, "TypeError: nope") {
		t.Errorf("second exception = %+v, want TypeError: nope", e[1])
	}
}

func TestWaitClickScreenshot(t *testing.T) {
	srv := serve(t, "", map[string]string{
		"/": `<!doctype html><body style="height:3000px">
<button id="b" hidden onclick="document.title = 'clicked'">b</button>
<script>setTimeout(() => { document.getElementById("b").hidden = false; window.ready = true; }, 50);</script>`,
	})
	b := New(t)
	b.Navigate(srv.URL + "/")
	b.WaitFor(`window.ready === true`)
	b.WaitVisible("#b")
	b.Click("#b")
	var title string
	b.Eval(`document.title`, &title)
	if title != "clicked" {
		t.Errorf("title = %q after the click, want clicked", title)
	}
	var n int
	b.Eval(`Promise.resolve(6 * 7)`, &n)
	if n != 42 {
		t.Errorf("Eval of a promise = %d, want 42", n)
	}

	path := filepath.Join(t.TempDir(), "page.png")
	b.Screenshot(path)
	png, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot is not a PNG: % x", png[:min(8, len(png))])
	}
}

func TestTabsRecordSeparately(t *testing.T) {
	srv := serve(t, "", map[string]string{
		"/alert": `<!doctype html><script>alert("second tab")</script>`,
		"/quiet": `<!doctype html><p>quiet</p>`,
	})
	b := New(t)
	tab := b.NewTab(t)
	b.Navigate(srv.URL + "/quiet")
	tab.Navigate(srv.URL + "/alert")
	if d := tab.Dialogs(); len(d) != 1 || d[0].Message != "second tab" {
		t.Errorf("second tab Dialogs = %+v", d)
	}
	if d := b.Dialogs(); len(d) != 0 {
		t.Errorf("first tab Dialogs = %+v, want none", d)
	}
}

// fakeTB records how the harness gives up, instead of ending the real test.
// Everything else, Cleanup and TempDir among it, goes to the real test.
// Run the code that may give up in a goroutine of its own (see fail).
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Skip(args ...any) {
	f.skipped, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatal(args ...any) {
	f.failed, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

// fail runs do in a goroutine, as a test of its own would, and reports
// whether it gave up through f rather than returning.
func fail(f *fakeTB, do func()) bool {
	gaveUp := true
	done := make(chan struct{})
	go func() {
		defer close(done)
		do()
		gaveUp = false
	}()
	<-done
	return gaveUp
}

func TestMissingBrowser(t *testing.T) {
	t.Setenv("CHROMIUM", filepath.Join(t.TempDir(), "no-such-chromium"))
	const (
		skip    = "skip"
		missing = "fail: missing browser"
		badCI   = "fail: CI is not a boolean"
	)
	for _, tc := range []struct {
		ci, want string
	}{
		{"", skip},
		{"false", skip},
		{"0", skip},
		{"FALSE", skip},
		{"true", missing},
		{"1", missing},
		{"TRUE", missing},
		{"True", missing},
		{"yes", badCI},
		{"on", badCI},
		{" true", badCI},
		{"true\n", badCI},
		{"ture", badCI},
	} {
		t.Setenv("CI", tc.ci)
		f := &fakeTB{TB: t}
		// chromium is where New decides, outside -short mode (which
		// TestNewSkipsInShortMode covers).
		require.True(t, fail(f, func() { chromium(f, false) }), "CI=%q: chromium returned for a missing executable", tc.ci)
		switch tc.want {
		case skip:
			assert.True(t, f.skipped && !f.failed, "CI=%q: skipped=%v failed=%v, want a skip", tc.ci, f.skipped, f.failed)
			assert.Contains(t, f.msg, "no-such-chromium", "CI=%q", tc.ci)
		case missing:
			assert.True(t, f.failed && !f.skipped, "CI=%q: skipped=%v failed=%v, want a failure", tc.ci, f.skipped, f.failed)
			assert.Contains(t, f.msg, "no-such-chromium", "CI=%q", tc.ci)
		case badCI:
			assert.True(t, f.failed && !f.skipped, "CI=%q: skipped=%v failed=%v, want a failure", tc.ci, f.skipped, f.failed)
			assert.Contains(t, f.msg, "is neither true nor false", "CI=%q", tc.ci)
		}
	}
}

func TestShortModeSkips(t *testing.T) {
	// In short mode the browser is never looked for: even CI=true with no
	// browser skips. A CI value that is not a boolean still fails.
	t.Setenv("CHROMIUM", filepath.Join(t.TempDir(), "no-such-chromium"))
	for ci, wantFail := range map[string]bool{"": false, "true": false, "false": false, "yes": true} {
		t.Setenv("CI", ci)
		f := &fakeTB{TB: t}
		require.True(t, fail(f, func() { chromium(f, true) }), "CI=%q: chromium returned in short mode", ci)
		if wantFail {
			assert.True(t, f.failed && !f.skipped, "CI=%q: skipped=%v failed=%v, want a failure", ci, f.skipped, f.failed)
		} else {
			assert.True(t, f.skipped && !f.failed, "CI=%q: skipped=%v failed=%v, want a skip", ci, f.skipped, f.failed)
			assert.Contains(t, f.msg, "-short", "CI=%q", ci)
		}
	}
}

// shortChildEnv tells the test binary that it runs as the child process of
// TestNewSkipsInShortMode.
const shortChildEnv = "BROWSERTEST_SHORT_CHILD"

// TestNewSkipsInShortMode runs New in a child process under -test.short and
// checks that the test is skipped before any browser starts, so every
// package's browser tests follow -short through New alone.
func TestNewSkipsInShortMode(t *testing.T) {
	if os.Getenv(shortChildEnv) == "1" {
		New(t)
		t.Fatal("New returned a browser in -short mode")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNewSkipsInShortMode$", "-test.count=1", "-test.short", "-test.v")
	cmd.Env = append(os.Environ(), shortChildEnv+"=1", "CI=true")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child process; output:\n%s", out)
	assert.Contains(t, string(out), "--- SKIP: TestNewSkipsInShortMode")
	assert.Contains(t, string(out), "skipped in -short mode")
}

// TestNewTabFailsItsTest checks that a tab from NewTab reports to the test
// it was opened for; TestNewTabInSubtest checks the same with real subtests.
func TestNewTabFailsItsTest(t *testing.T) {
	srv := serve(t, "", map[string]string{
		"/": `<!doctype html><script>window.step = 3;</script>`,
	})
	b := New(t)
	f := &fakeTB{TB: t}
	tab := b.NewTab(f)
	tab.Navigate(srv.URL + "/")
	if !fail(f, func() { tab.Eval(`notDefined()`, nil) }) {
		t.Fatal("Eval of a throwing expression returned")
	}
	if !f.failed || !strings.Contains(f.msg, "notDefined is not defined") {
		t.Errorf("the tab's test: failed=%v msg=%q, want the ReferenceError", f.failed, f.msg)
	}
	if strings.Contains(f.msg, "page state") {
		t.Errorf("message %q shows a page state nobody asked for", f.msg)
	}
	// The failure went to the tab's test only: the browser's test goes on,
	// and so do both tabs.
	if t.Failed() {
		t.Fatal("the browser's test failed along with the tab's")
	}
	var step int
	if fail(f, func() { tab.Eval(`window.step`, &step) }) {
		t.Fatalf("the tab broke after the failure: %s", f.msg)
	}
	b.Eval(`6 * 7`, nil)
	if step != 3 {
		t.Errorf("window.step = %d after the failure, want 3", step)
	}
}

func TestShowOnFailure(t *testing.T) {
	srv := serve(t, "", map[string]string{
		"/": `<!doctype html><script>window.log = ["loaded", 2];</script>`,
	})
	b := New(t)
	for _, tc := range []struct {
		expr, want string
	}{
		// JSON.stringify leaves functions out.
		{`({log: window.log, fn: () => 1})`, "\npage state: {\"log\":[\"loaded\",2]}"},
		{`Promise.resolve(window.log.length)`, "\npage state: 2"},
		{`undefined`, "\npage state: undefined"},
		{`nope.nope`, "\npage state unavailable: exception"},
	} {
		f := &fakeTB{TB: t}
		tab := b.NewTab(f)
		tab.Navigate(srv.URL + "/")
		tab.ShowOnFailure(tc.expr)
		if !fail(f, func() { tab.Eval(`notDefined()`, nil) }) {
			t.Fatalf("%s: Eval of a throwing expression returned", tc.expr)
		}
		if !strings.HasPrefix(f.msg, "browsertest: eval") || !strings.Contains(f.msg, "notDefined is not defined") ||
			!strings.Contains(f.msg, tc.want) {
			t.Errorf("ShowOnFailure(%s): message %q, want the eval's error, then %q", tc.expr, f.msg, tc.want)
		}
	}
}

// childEnv tells the test binary that it runs as the child process of
// TestNewTabInSubtest.
const childEnv = "BROWSERTEST_SUBTEST_CHILD"

// TestNewTabInSubtest runs itself in a child process, where a subtest's tab
// fails, and checks the real testing package's verdict: the failure is the
// subtest's, and the parent test goes on with the browser.
func TestNewTabInSubtest(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		b := New(t)
		t.Run("child", func(t *testing.T) {
			tab := b.NewTab(t)
			tab.Eval(`throw new Error("child boom")`, nil)
			t.Log("child went on after the failure")
		})
		var n int
		b.Eval(`6 * 7`, &n)
		t.Logf("parent went on: %d", n)
		return
	}
	chromium(t, testing.Short()) // skip, or fail under CI=true, as the child would

	cmd := exec.Command(os.Args[0], "-test.run=^TestNewTabInSubtest$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child process: %v, want it to fail; output:\n%s", err, out)
	}
	// Without -v the output nests each test's messages under its verdict:
	//
	//	--- FAIL: TestNewTabInSubtest (0.53s)
	//	    --- FAIL: TestNewTabInSubtest/child (0.11s)
	//	        browsertest_test.go:N: browsertest: eval ...: Error: child boom
	//	                at <anonymous>:1:7
	//	    browsertest_test.go:M: parent went on: 42
	//
	// Had the tab failed the parent, the subtest's message would be the
	// testing package's "subtest may have called FailNow on a parent test"
	// and the parent would have stopped.
	text := string(out)
	_, child, ok := strings.Cut(text, "\n    --- FAIL: TestNewTabInSubtest/child ")
	if !ok {
		t.Fatalf("the subtest did not fail; output:\n%s", text)
	}
	first := strings.SplitN(child, "\n", 3)[1]
	if !strings.HasPrefix(first, "        browsertest_test.go:") || !strings.Contains(first, "child boom") {
		t.Errorf("the subtest's first message is %q, want the eval's failure reported at the call in the test; output:\n%s", first, text)
	}
	if !strings.Contains(text, "parent went on: 42") || strings.Contains(text, "child went on") {
		t.Errorf("want the subtest stopped and the parent going on; output:\n%s", text)
	}
	if strings.Contains(text, "FailNow on a parent") || strings.Contains(text, "panic") {
		t.Errorf("the testing package reports a misuse; output:\n%s", text)
	}
}
