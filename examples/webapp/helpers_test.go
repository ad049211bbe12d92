package main

import (
	"bufio"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test account of the stand-ins the tests start themselves. The app's
// own demo account is tested through run without a sysnum.
const (
	testSysNum = "4c349791a07b46c1a70b8ac88aa23257"
	testKey    = "test-key-0123456789"
)

var (
	alice = mustAccount("u-1001")
	bob   = mustAccount("u-1002") // the VIP
	wang  = mustAccount("u-1003") // 王小明
)

func mustAccount(id string) account {
	a, ok := accountByID(id)
	if !ok {
		panic("no account " + id)
	}
	return a
}

// env is a getenv for run.
type env map[string]string

func (e env) get(name string) string { return e[name] }

// runningApp is the app started by startRun.
type runningApp struct {
	Shop    string // the "shop:" URL, without the trailing slash
	StandIn string // the "stand-in Sobot:" URL; "" with an account
	stderr  *syncBuffer
	stop    func() error
}

// startRun starts run in-process, as main does, and waits until it prints
// the shop's address. The app is stopped (and must stop cleanly) when the
// test ends; Stop stops it earlier.
func startRun(t *testing.T, args []string, getenv env) *runningApp {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := new(syncBuffer)
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, getenv.get, pw, stderr)
		pw.CloseWithError(io.EOF)
		done <- err
	}()

	app := &runningApp{stderr: stderr}
	lines := make(chan string)
	go func() {
		// Read every line, so run never blocks writing to stdout.
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// Read up to the last line run prints at start-up.
	timeout := time.After(10 * time.Second)
	for started := false; !started; {
		select {
		case line, ok := <-lines:
			if !ok {
				cancel()
				t.Fatalf("run ended before it started: %v\nstderr:\n%s", <-done, stderr)
			}
			if strings.Contains(line, demoKey) || strings.Contains(line, testKey) {
				t.Errorf("start-up output shows a key: %q", line)
			}
			if rest, ok := strings.CutPrefix(line, "shop: "); ok {
				u, _, _ := strings.Cut(rest, " ")
				app.Shop = strings.TrimSuffix(u, "/")
			}
			if rest, ok := strings.CutPrefix(line, "stand-in Sobot: "); ok {
				app.StandIn, _, _ = strings.Cut(rest, " ")
			}
			started = line == "Ctrl-C stops."
		case <-timeout:
			cancel()
			t.Fatalf("run did not start within 10s\nstderr:\n%s", stderr)
		}
	}
	if app.Shop == "" {
		t.Fatal(`run printed no "shop:" line`)
	}
	go func() {
		for range lines {
		}
	}()

	var once sync.Once
	var stopErr error
	app.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(shutdownTimeout + 5*time.Second):
				stopErr = context.DeadlineExceeded
			}
		})
		return stopErr
	}
	t.Cleanup(func() {
		if err := app.stop(); err != nil {
			t.Errorf("run did not stop cleanly: %v\nstderr:\n%s", err, stderr)
		}
	})
	return app
}

// Stop stops the app and returns run's error.
func (a *runningApp) Stop() error { return a.stop() }

// syncBuffer is a strings.Builder safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// browser is an HTTP client with its own cookies, like one visitor's
// browser, that does not follow redirects so tests can see them.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// get fetches u and returns the response with its body read.
func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

// login posts the account switcher's form as a browser on shop does,
// expecting a redirect to next.
func login(t *testing.T, c *http.Client, shop string, a account, next string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, shop+"/login", strings.NewReader(url.Values{"user": {a.ID}, "next": {next}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != next {
		t.Fatalf("login as %s: %s, Location %q; want 303 to %q", a.ID, resp.Status, resp.Header.Get("Location"), next)
	}
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// attr returns the unescaped value of attribute name of the element with
// the given id in page, or "" if there is none. The shop's templates write
// id before the other attributes.
func attr(page, id, name string) string {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*?\s` + regexp.QuoteMeta(name) + `="([^"]*)"`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// text returns the unescaped text of the element with the given id in page
// (an element without children, such as the stand-in's #param-NAME), and
// whether there is one.
func text(page, id string) (string, bool) {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}
