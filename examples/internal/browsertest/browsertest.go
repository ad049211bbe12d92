// Package browsertest is a small harness for tests that drive a real headless
// Chromium through github.com/chromedp/chromedp.
//
// [New] starts one browser for one test and stops it when the test ends. Each
// [Tab] records, from the moment it opens, what a test about script injection
// or Content Security Policy needs to see: console messages, uncaught
// exceptions, CSP violations and JavaScript dialogs. Dialogs are dismissed at
// once, so an alert(1) used as an XSS sentinel never blocks the page; it is
// only recorded.
//
// [New] skips the test in -short mode: every real-browser test of the
// repository follows that one rule by starting its browser with New. When no
// browser is installed, New skips the test too, except under CI=true, where a
// missing browser is a broken setup and fails the test. CI is read as
// [strconv.ParseBool] reads it, empty meaning not CI; any other value (CI=yes)
// fails the test, so that a misspelt CI never turns failures into skips.
//
// The methods of a Tab fail the test the tab belongs to (t.Fatal) on error,
// so they must be called from that test's goroutine. The first tab, embedded
// in the Browser, belongs to the test that called [New]; [Browser.NewTab]
// opens a tab for another test, typically a subtest:
//
//	b := browsertest.New(t)
//	for _, tc := range cases {
//		t.Run(tc.name, func(t *testing.T) {
//			tab := b.NewTab(t) // fails this subtest, closes when it ends
//			tab.Navigate(tc.url)
//			...
//		})
//	}
//
// A subtest must not use a tab of its parent: the tab would call FailNow on
// the parent from the subtest's goroutine, which the testing package reports
// as a misuse rather than as the subtest's failure.
//
// Each call gives up after [Timeout], so a hung browser fails the test
// instead of hanging it. [Tab.ShowOnFailure] adds the state of the page to the
// message of such a failure. Closing a tab, or the browser, when its test ends
// is bounded as well: past [CloseTimeout] the browser process is killed.
//
// Pages must be served from loopback (net/http/httptest): the browser runs with
// its background networking turned off, and the machine has no other network.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Timeout bounds the start of the browser and every single call of a Tab
// method, so that a hung browser fails the test rather than hanging it.
const Timeout = 30 * time.Second

// CloseTimeout bounds closing a tab, or the browser, when the test that owns
// it ends. A browser that has not closed by then is hung: it is killed, and
// the test goes on to its other clean-ups. A healthy browser closes in well
// under a second.
const CloseTimeout = 10 * time.Second

// closeTimeout is CloseTimeout; tests of the bound shorten it.
var closeTimeout = CloseTimeout

// Browser is a headless Chromium owned by one test. It embeds its first tab,
// so b.Navigate and the other Tab methods act on that tab.
type Browser struct {
	*Tab
}

// Tab is one page of a Browser together with everything recorded on it since
// it opened. Its recordings survive navigations.
type Tab struct {
	t    testing.TB
	ctx  context.Context // chromedp context of this tab, without a timeout
	proc *os.Process     // the browser's main process, shared by its tabs

	mu         sync.Mutex
	state      string // expression set by ShowOnFailure
	console    []ConsoleMessage
	exceptions []Exception
	dialogs    []Dialog
	csp        []CSPViolation
	bad        []string // CSP reports the harness could not decode
}

// ConsoleMessage is a console API call (console.log, console.error, ...) or a
// browser log entry, such as the "Refused to execute inline script" error
// that Chromium writes for a CSP violation.
type ConsoleMessage struct {
	// Type is the console method ("log", "error", ...) or the level of a
	// browser log entry ("verbose", "info", "warning", "error").
	Type string
	// Source is where a browser log entry came from, such as "security" or
	// "network"; it is empty for console API calls.
	Source string
	// Text is the message, its arguments joined by spaces.
	Text string
}

// Exception is an uncaught JavaScript exception or an unhandled promise
// rejection.
type Exception struct {
	// Text is what DevTools shows, such as "Uncaught Error: boom".
	Text string
	// URL, Line and Column locate the throw; Line and Column start at 0.
	URL    string
	Line   int64
	Column int64
}

// Dialog is a JavaScript dialog that the page opened. The harness dismissed
// it: an alert is closed, confirm returned false and prompt returned null.
type Dialog struct {
	// Type is "alert", "confirm", "prompt" or "beforeunload".
	Type string
	// Message is the text the page passed to the dialog.
	Message string
	// URL is the address of the frame that opened it.
	URL string
}

// CSPViolation is one securitypolicyviolation event, as the page saw it. The
// fields mirror the SecurityPolicyViolationEvent of the DOM.
type CSPViolation struct {
	// Directive is the effective directive that blocked, such as
	// "script-src-elem".
	Directive string `json:"directive"`
	// Policy is the whole policy that was violated.
	Policy string `json:"policy"`
	// BlockedURI is "inline", "eval", or the address of the blocked resource.
	BlockedURI string `json:"blockedURI"`
	// Sample is the first characters of the blocked inline script or style.
	Sample string `json:"sample"`
	// Disposition is "enforce", or "report" for a report-only policy (which
	// blocks nothing).
	Disposition string `json:"disposition"`
	// DocumentURI is the address of the document that had the policy.
	DocumentURI string `json:"documentURI"`
	// SourceFile and Line locate the violation when the browser knows it.
	SourceFile string `json:"sourceFile"`
	Line       int    `json:"line"`
}

// cspBinding is the name of the CDP binding through which the injected script
// reports CSP violations. A binding sends a CDP event straight away, so a
// report is not lost when the page navigates, as an in-page array would be.
const cspBinding = "__browsertestCSP"

// cspScript runs in every document before the page's own scripts. It keeps a
// reference to the binding, so that later page code cannot take it away, and
// listens in the capture phase on document, which every violation of the
// document reaches (the event bubbles and is composed).
const cspScript = `(() => {
	const report = globalThis.` + cspBinding + `;
	if (typeof report !== "function") return;
	document.addEventListener("securitypolicyviolation", (e) => {
		report(JSON.stringify({
			directive: e.effectiveDirective || e.violatedDirective,
			policy: e.originalPolicy,
			blockedURI: e.blockedURI,
			sample: e.sample,
			disposition: e.disposition,
			documentURI: e.documentURI,
			sourceFile: e.sourceFile,
			line: e.lineNumber,
		}));
	}, true);
})();`

// New starts a headless Chromium for the test, opens its first tab, and stops
// the browser when the test ends. It skips the test in -short mode, and when
// no browser is found, unless the environment has CI=true, where a missing
// browser fails the test instead. A CI value [strconv.ParseBool] does not
// accept fails the test.
func New(t testing.TB) *Browser {
	t.Helper()
	path := chromium(t, testing.Short())
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()), // fresh profile: no state leaks between tests
		chromedp.Headless,
		chromedp.NoSandbox, // root in a container has no usable sandbox
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// The machine has no network but loopback: turn off everything that
		// would try to reach one (and then stall or log noise).
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	// allocCancel kills the browser and waits for it to exit; it runs before
	// t.TempDir removes the profile, since cleanups run last-in first-out.
	var first *Tab
	t.Cleanup(func() {
		closeBounded(t, "browser", allocCancel, func() {
			if first != nil {
				first.kill()
			}
		})
	})

	// The first tab starts the browser. If that hangs, kill it after Timeout.
	hung := time.AfterFunc(Timeout, allocCancel)
	defer hung.Stop()
	first = openTab(t, allocCtx, true)
	return &Browser{Tab: first}
}

// NewTab opens another tab in the same browser, with its own recordings, for
// the test t: its methods fail t, and it closes when t ends. t is the test
// that called [New] or one of its subtests (at any depth), since the browser
// stops when the test that started it ends.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	// A chromedp context derived from a tab that runs opens a new tab in the
	// same browser.
	return openTab(t, b.ctx, false)
}

// ciEnv is the environment variable that says the tests run in CI.
const ciEnv = "CI"

// inCI reports whether the environment says the tests run in CI: CI holds
// a value strconv.ParseBool reads as true. Unset or empty is not CI; any
// other value is an error, so that CI=yes or a typo cannot quietly turn a
// broken setup into skipped tests.
func inCI() (bool, error) {
	v := os.Getenv(ciEnv)
	if v == "" {
		return false, nil
	}
	ci, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("browsertest: %s=%q is neither true nor false: set it to true (or 1) in CI, false (or 0, or leave it empty) elsewhere", ciEnv, v)
	}
	return ci, nil
}

// chromium returns the path of the browser to use, or ends the test: it
// fails on a CI value that is not a boolean, skips in short mode, and skips
// when there is no browser, or fails under CI=true, where a missing browser
// is a broken setup.
func chromium(t testing.TB, short bool) string {
	t.Helper()
	ci, err := inCI()
	if err != nil {
		t.Fatalf("%v", err)
	}
	if short {
		t.Skip("browsertest: real-browser test skipped in -short mode")
	}
	path, err := findChromium()
	if err != nil {
		if ci {
			t.Fatalf("browsertest: %v (%s=%s, so a missing browser is an error)", err, ciEnv, os.Getenv(ciEnv))
		}
		t.Skipf("browsertest: %v", err)
	}
	return path
}

// closeBounded runs closeFn and waits for it at most closeTimeout. Past
// that, it calls kill, which kills the browser process, and waits as long
// again; if closeFn still has not returned, it fails t and leaves it behind.
// Only a browser that does not die when killed can make that happen.
func closeBounded(t testing.TB, what string, closeFn, kill func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		closeFn()
	}()
	timer := time.NewTimer(closeTimeout)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
	}
	t.Logf("browsertest: the %s did not close within %v: killing the browser", what, closeTimeout)
	kill()
	timer.Reset(closeTimeout)
	select {
	case <-done:
	case <-timer.C:
		t.Errorf("browsertest: the %s did not close within %v of killing the browser; giving up on it", what, closeTimeout)
	}
}

// openTab opens a tab under parent, hooks the recorders into it, and returns
// it. parent is the allocator context for the first tab (which then starts the
// browser) or the context of an open tab.
func openTab(t testing.TB, parent context.Context, first bool) *Tab {
	t.Helper()
	tab := &Tab{t: t}
	// WithListener sees every event from the first one, in order, and before
	// the command whose reply follows the event returns. So a recording is in
	// place by the time the action that caused it returns.
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithListener(tab.record))
	tab.ctx = ctx
	t.Cleanup(func() { closeBounded(t, "tab", cancel, tab.kill) })

	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: starting the browser tab: %v", err)
	}
	if c := chromedp.FromContext(ctx); c != nil && c.Browser != nil {
		tab.proc = c.Browser.Process()
	}

	// Dismiss each dialog from a goroutine: the listener may not send
	// commands, and an open dialog blocks the page, and with it the action
	// that triggered it, until someone answers.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, err := range dialogs {
			if err != nil {
				return // the tab closed
			}
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	t.Cleanup(func() {
		closeBounded(t, "tab", func() {
			if first {
				// Close the browser gracefully, for a bounded time; cancel
				// below stops it for good either way.
				cctx, ccancel := context.WithTimeout(ctx, closeTimeout)
				_ = chromedp.Cancel(cctx)
				ccancel()
			}
			cancel() // closes the tab (chromedp bounds each step) or stops the browser
			<-done
		}, tab.kill)
	})

	tctx, tcancel := context.WithTimeout(ctx, Timeout)
	defer tcancel()
	if _, err := chromedp.Call(tctx, runtime.AddBinding, runtime.AddBindingParams{Name: cspBinding}); err != nil {
		t.Fatalf("browsertest: adding the CSP binding: %v", err)
	}
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspScript}); err != nil {
		t.Fatalf("browsertest: injecting the CSP listener: %v", err)
	}
	return tab
}

// kill kills the browser's main process, the last resort against a browser
// that does not close. Its helper processes exit once it is gone.
func (tab *Tab) kill() {
	if tab.proc != nil {
		_ = tab.proc.Kill()
	}
}

// record is the tab's CDP listener. It runs in chromedp's read loop, so it only
// appends under the lock and never sends a command.
func (tab *Tab) record(ev any) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		tab.console = append(tab.console, ConsoleMessage{Type: string(ev.Type), Text: argsText(ev.Args)})
	case *log.EventEntryAdded:
		e := ev.Entry
		tab.console = append(tab.console, ConsoleMessage{Type: string(e.Level), Source: string(e.Source), Text: e.Text})
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text // "Uncaught"; the error itself is in the exception object
		if d.Exception != nil && d.Exception.Description != "" {
			desc, _, _ := strings.Cut(d.Exception.Description, "\n") // drop the stack
			text += " " + desc
		} else if d.Exception != nil && len(d.Exception.Value) > 0 {
			text += " " + string(d.Exception.Value) // e.g. throw "x"
		}
		tab.exceptions = append(tab.exceptions, Exception{Text: text, URL: d.URL, Line: d.LineNumber, Column: d.ColumnNumber})
	case *page.EventJavascriptDialogOpening:
		tab.dialogs = append(tab.dialogs, Dialog{Type: string(ev.Type), Message: ev.Message, URL: ev.URL})
	case *runtime.EventBindingCalled:
		if ev.Name != cspBinding {
			return
		}
		var v CSPViolation
		if err := json.Unmarshal([]byte(ev.Payload), &v); err != nil {
			tab.bad = append(tab.bad, ev.Payload)
			return
		}
		tab.csp = append(tab.csp, v)
	}
}

// argsText renders console arguments roughly as DevTools does: strings as they
// are, other values by their JSON value or description.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal([]byte(a.Value), &s) == nil:
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		case a.Description != "":
			s = a.Description
		case len(a.Value) > 0:
			s = string(a.Value)
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// findChromium returns the browser to use: $CHROMIUM when set, else Debian's
// /usr/bin/chromium, else the first usual name on PATH.
func findChromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium found (install Debian's chromium package, or set CHROMIUM)")
}

// Context returns the chromedp context of the tab, for actions the harness
// does not wrap. It has no timeout of its own; derive one with
// context.WithTimeout. Dialogs and recordings keep working for such actions.
func (tab *Tab) Context() context.Context { return tab.ctx }

// ShowOnFailure sets a JavaScript expression that describes the state of the
// page, such as `({step: window.step, log: window.log})`. When a method of the
// tab fails the test, the harness evaluates it, waits for it when it is a
// promise, and adds its JSON.stringify text to the failure message, so that a
// wait that timed out shows how far the page got. The empty string, the
// default, adds nothing. The expression should not change the page.
func (tab *Tab) ShowOnFailure(expr string) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	tab.state = expr
}

// stateTimeout bounds the evaluation of the ShowOnFailure expression, which
// runs when something already went wrong and may hang as well.
const stateTimeout = 5 * time.Second

// fatalf fails the tab's test with the message, followed by the page's state
// when ShowOnFailure set an expression for it.
func (tab *Tab) fatalf(format string, args ...any) {
	tab.t.Helper()
	msg := fmt.Sprintf(format, args...)
	tab.mu.Lock()
	expr := tab.state
	tab.mu.Unlock()
	if expr != "" {
		msg += "\n" + tab.pageState(expr)
	}
	tab.t.Fatalf("%s", msg)
}

// pageState evaluates the ShowOnFailure expression for a failure message.
func (tab *Tab) pageState(expr string) string {
	ctx, cancel := context.WithTimeout(tab.ctx, stateTimeout)
	defer cancel()
	// The newline keeps a trailing // comment of expr from eating the rest.
	js := "(async () => JSON.stringify(await (" + expr + "\n)))()"
	text, err := chromedp.Run(ctx, chromedp.Evaluate[*string](js, chromedp.EvalAwaitPromise))
	switch {
	case err != nil:
		return fmt.Sprintf("page state unavailable: %v", err)
	case text == nil: // JSON.stringify(undefined)
		return "page state: undefined"
	default:
		return "page state: " + *text
	}
}

// do runs the actions with the per-call Timeout and fails the test on error.
func (tab *Tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tab.fatalf("browsertest: %s: %v", what, err)
	}
}

// Navigate loads url in the tab and waits for its load event. Dialogs opened
// while the page loads are dismissed and recorded.
func (tab *Tab) Navigate(url string) {
	tab.t.Helper()
	tab.do("navigate to "+url, chromedp.Navigate(url))
}

// Eval evaluates the JavaScript expression in the page, waits for it when it
// is a promise, and decodes its JSON value into out (a pointer, or nil to
// ignore the value). An exception in the expression fails the test.
func (tab *Tab) Eval(expr string, out any) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tab.fatalf("browsertest: eval %q: %v", expr, err)
	}
	if out == nil {
		return
	}
	if len(raw) == 0 { // undefined has no JSON value
		raw = []byte("null")
	}
	if err := json.Unmarshal(raw, out); err != nil {
		tab.fatalf("browsertest: eval %q: decoding %s into %T: %v", expr, raw, out, err)
	}
}

// Click waits until the first element that matches the CSS selector is
// visible, then clicks it with the mouse.
func (tab *Tab) Click(selector string) {
	tab.t.Helper()
	tab.do("click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// WaitVisible waits until an element that matches the CSS selector is
// visible.
func (tab *Tab) WaitVisible(selector string) {
	tab.t.Helper()
	tab.do("wait for "+selector, chromedp.WaitVisible(chromedp.CSS(selector)))
}

// WaitFor waits until the JavaScript expression is truthy in the page.
func (tab *Tab) WaitFor(expr string) {
	tab.t.Helper()
	tab.do("wait for "+expr, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(Timeout)))
}

// Screenshot writes a PNG of the whole page, beyond the viewport, to path.
func (tab *Tab) Screenshot(path string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		tab.fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tab.fatalf("browsertest: screenshot: %v", err)
	}
}

// settle lets the page run the tasks it has queued. Chromium fires
// securitypolicyviolation events from a task of their own, so a violation of
// the page just loaded can still be pending when Navigate returns. The reports
// those tasks send arrive before the reply to this evaluation.
func (tab *Tab) settle() {
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	// Errors are ignored: the page may be gone or navigating, and then there
	// is nothing to wait for.
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
		`new Promise((resolve) => setTimeout(() => setTimeout(resolve, 0), 0))`,
		chromedp.EvalAwaitPromise))
}

// CSPViolations returns the Content-Security-Policy violations seen so far,
// in every document the tab loaded, after letting pending ones arrive. A
// report the harness cannot decode fails the test rather than being lost.
func (tab *Tab) CSPViolations() []CSPViolation {
	tab.t.Helper()
	tab.settle()
	tab.mu.Lock()
	bad := append([]string(nil), tab.bad...)
	csp := append([]CSPViolation(nil), tab.csp...)
	tab.mu.Unlock()
	if len(bad) > 0 {
		tab.fatalf("browsertest: undecodable CSP reports: %q", bad)
	}
	return csp
}

// Exceptions returns the uncaught exceptions seen so far.
func (tab *Tab) Exceptions() []Exception {
	tab.settle()
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]Exception(nil), tab.exceptions...)
}

// Dialogs returns the dialogs opened so far; all of them were dismissed.
func (tab *Tab) Dialogs() []Dialog {
	tab.settle()
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]Dialog(nil), tab.dialogs...)
}

// Console returns the console messages and browser log entries seen so far.
func (tab *Tab) Console() []ConsoleMessage {
	tab.settle()
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]ConsoleMessage(nil), tab.console...)
}

// String returns a one-line summary of the recordings, for failure messages.
func (tab *Tab) String() string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return fmt.Sprintf("console=%+v exceptions=%+v dialogs=%+v csp=%+v", tab.console, tab.exceptions, tab.dialogs, tab.csp)
}
