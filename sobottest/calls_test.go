package sobottest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

const callsPath = "/__sobottest/calls"

func post(t *testing.T, h http.Handler, body string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, callsPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestCallsRecordsWhatTheLoaderPosts(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	resp := post(t, h, `[
		{"name":"config","args":[{"partnerid":"u-1","custom":true}],"page":"http://127.0.0.1:1/a","sysnum":"`+testSysnum+`"},
		{"name":"frame_ready","args":["[function]"],"page":"http://127.0.0.1:1/a","sysnum":"`+testSysnum+`"}
	]`)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d, want 204", resp.StatusCode)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q", got)
	}
	if resp := post(t, h, `{"name":"trace","args":[{"cur_visit_url":"x"}, null]}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("single call: status %d", resp.StatusCode)
	}

	calls := h.Calls()
	var names []string
	for _, c := range calls {
		names = append(names, c.Name)
	}
	if want := []string{"config", "frame_ready", "trace"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("names %q, want %q", names, want)
	}
	if calls[0].Page != "http://127.0.0.1:1/a" || calls[0].SysNum != testSysnum {
		t.Errorf("page %q sysnum %q", calls[0].Page, calls[0].SysNum)
	}
	var cfg struct {
		Partnerid string `json:"partnerid"`
		Custom    bool   `json:"custom"`
	}
	if err := calls[0].Arg(0, &cfg); err != nil || cfg.Partnerid != "u-1" || !cfg.Custom {
		t.Errorf("config arg: %+v, %v", cfg, err)
	}
	var fn string
	if err := calls[1].Arg(0, &fn); err != nil || fn != "[function]" {
		t.Errorf("frame_ready arg %q, %v", fn, err)
	}
	if err := calls[1].Arg(1, &fn); err == nil {
		t.Error("Arg past the end: no error")
	}
	if string(calls[2].Args[1]) != "null" {
		t.Errorf("null arg recorded as %s", calls[2].Args[1])
	}

	// Calls returns a copy.
	calls[0].Name = "changed"
	if h.Calls()[0].Name != "config" {
		t.Error("Calls shares its slice with the handler")
	}

	// GET lists them as JSON.
	resp2, body := fetch(t, h, http.MethodGet, callsPath)
	var listed []sobottest.Call
	if err := json.Unmarshal([]byte(body), &listed); err != nil || resp2.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET: %v, %q", err, resp2.Header.Get("Content-Type"))
	}
	if len(listed) != 3 || listed[2].Name != "trace" {
		t.Errorf("GET listed %+v", listed)
	}

	h.Reset()
	if got := h.Calls(); len(got) != 0 {
		t.Errorf("after Reset: %d calls", len(got))
	}
}

func TestCallsRejectsBadBodies(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	for _, body := range []string{``, `nope`, `{"name":1}`, `[{"args":"x"}]`} {
		if resp := post(t, h, body); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", body, resp.StatusCode)
		}
	}
	big := `[{"name":"config","args":["` + strings.Repeat("x", 1<<20) + `"]}]`
	if resp := post(t, h, big); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MiB body: status %d, want 413", resp.StatusCode)
	}
	if resp, _ := fetch(t, h, http.MethodPut, callsPath); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT: status %d, want 405", resp.StatusCode)
	}
	if got := h.Calls(); len(got) != 0 {
		t.Errorf("bad bodies recorded %d calls", len(got))
	}
}

func TestCallsPreflight(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	resp, _ := fetch(t, h, http.MethodOptions, callsPath)
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("OPTIONS: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestCallsKeepsTheNewest(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	var b strings.Builder
	b.WriteString("[")
	const n = 10005
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"name":"c` + strconv.Itoa(i) + `"}`)
	}
	b.WriteString("]")
	if resp := post(t, h, b.String()); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
	calls := h.Calls()
	if len(calls) != 10000 || calls[0].Name != "c5" || calls[len(calls)-1].Name != "c10004" {
		t.Errorf("kept %d calls, %q..%q", len(calls), calls[0].Name, calls[len(calls)-1].Name)
	}
}

func TestWaitCalls(t *testing.T) {
	h := sobottest.NewHandler(testSysnum, sobot.Key{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	done := make(chan []sobottest.Call)
	go func() {
		calls, err := h.WaitCalls(ctx, 2)
		if err != nil {
			t.Error(err)
		}
		done <- calls
	}()
	post(t, h, `{"name":"config"}`)
	select {
	case <-done:
		t.Fatal("WaitCalls(2) returned after one call")
	case <-time.After(50 * time.Millisecond):
	}
	post(t, h, `{"name":"frame_ready"}`)
	select {
	case calls := <-done:
		if len(calls) != 2 || calls[1].Name != "frame_ready" {
			t.Errorf("WaitCalls returned %+v", calls)
		}
	case <-ctx.Done():
		t.Fatal("WaitCalls did not return after the second call")
	}

	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	calls, err := h.WaitCalls(short, 3)
	if !errors.Is(err, context.DeadlineExceeded) || len(calls) != 2 {
		t.Errorf("WaitCalls(3) on 2 calls: %d calls, %v", len(calls), err)
	}
}
