package sobottest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const callsPath = "/__sobottest/calls"

// post sends body to the calls endpoint of h, as the recorder does.
func post(h http.Handler, body string) *http.Response {
	return callsRequest(h, http.MethodPost, body, map[string]string{"Content-Type": "text/plain;charset=UTF-8"})
}

func TestCallsRecordsWhatTheLoaderPosts(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	resp := post(h, `[
		{"name":"config","args":[{"partnerid":"u-1","custom":true}],"page":"http://127.0.0.1:1/a","sysnum":"`+standintest.SysNum+`"},
		{"name":"frame_ready","args":["[function]"],"page":"http://127.0.0.1:1/a","sysnum":"`+standintest.SysNum+`"}
	]`)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	assertNoCORS(t, resp)
	require.Equal(t, http.StatusNoContent, post(h, `{"name":"trace","args":[{"cur_visit_url":"x"}, null]}`).StatusCode, "single call")

	calls := h.Calls()
	var names []string
	for _, c := range calls {
		names = append(names, c.Name)
	}
	require.Equal(t, []string{"config", "frame_ready", "trace"}, names)
	assert.Equal(t, "http://127.0.0.1:1/a", calls[0].Page)
	assert.Equal(t, standintest.SysNum, calls[0].SysNum)
	var cfg struct {
		Partnerid string `json:"partnerid"`
		Custom    bool   `json:"custom"`
	}
	assert.NoError(t, calls[0].Arg(0, &cfg), "config arg")
	assert.Equal(t, "u-1", cfg.Partnerid, "config arg")
	assert.True(t, cfg.Custom, "config arg")
	var fn string
	assert.NoError(t, calls[1].Arg(0, &fn), "frame_ready arg")
	assert.Equal(t, "[function]", fn, "frame_ready arg")
	assert.Error(t, calls[1].Arg(1, &fn), "Arg past the end")
	assert.Equal(t, "null", string(calls[2].Args[1]), "null arg")

	// Calls returns a copy.
	calls[0].Name = "changed"
	assert.Equal(t, "config", h.Calls()[0].Name, "Calls shares its slice with the handler")

	// GET lists them as JSON.
	resp2, body := standintest.Fetch(t, h, http.MethodGet, callsPath)
	var listed []sobottest.Call
	require.NoError(t, json.Unmarshal([]byte(body), &listed), "GET")
	require.Equal(t, "application/json", resp2.Header.Get("Content-Type"), "GET")
	if assert.Len(t, listed, 3, "GET") {
		assert.Equal(t, "trace", listed[2].Name, "GET")
	}

	h.Reset()
	assert.Empty(t, h.Calls(), "after Reset")
}

func TestCallsRejectsBadBodies(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	for _, body := range []string{``, `nope`, `{"name":1}`, `[{"args":"x"}]`} {
		assert.Equal(t, http.StatusBadRequest, post(h, body).StatusCode, "%q", body)
	}
	big := `[{"name":"config","args":["` + strings.Repeat("x", 1<<20) + `"]}]`
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(h, big).StatusCode, "1 MiB body")
	resp, _ := standintest.Fetch(t, h, http.MethodPut, callsPath)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "PUT")
	assert.Empty(t, h.Calls(), "bad bodies recorded calls")
}

// assertNoCORS checks that a response of the calls endpoint lets no other
// origin read it.
func assertNoCORS(t *testing.T, resp *http.Response) {
	t.Helper()
	for name := range resp.Header {
		assert.False(t, strings.HasPrefix(name, "Access-Control-"), "CORS header %s: %q", name, resp.Header.Get(name))
	}
	assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Resource-Policy"))
}

// crossOrigin are the headers a browser sends on a request of a page of
// another origin, or of no usable origin.
var crossOrigin = []map[string]string{
	{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
	{"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"},
	{"Sec-Fetch-Site": "cross-site"},        // a no-cors GET (img, script) sends no Origin
	{"Origin": "http://evil.example"},       // a browser without Fetch Metadata
	{"Origin": "null"},                      // a sandboxed frame, a data: URL
	{"Origin": "https://" + callsHost},      // another scheme is another origin
	{"Origin": "http://" + callsHost + "."}, // and so is another spelling of the host
}

// callsHost is the host httptest.NewRequest gives requests.
const callsHost = "example.com"

// callsRequest serves one request to the calls endpoint with the headers.
func callsRequest(h http.Handler, method, body string, headers map[string]string) *http.Response {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, callsPath, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestCallsRefusesOtherOrigins(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	require.Equal(t, http.StatusNoContent, post(h, `{"name":"config","args":[{"partnerid":"u-secret","sign":"s"}]}`).StatusCode)

	for _, headers := range crossOrigin {
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			resp := callsRequest(h, method, `{"name":"forged"}`, headers)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, "%s %v", method, headers)
			assert.NotContains(t, string(body), "u-secret", "%s %v: the refusal carries the recorded data", method, headers)
			assert.Contains(t, resp.Header.Get("X-Sobottest-Reason"), "cross-origin request refused", "%s %v", method, headers)
			assertNoCORS(t, resp)
		}
		resp := callsRequest(h, http.MethodOptions, "", map[string]string{
			"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "a preflight gets no CORS answer")
		assertNoCORS(t, resp)
	}
	calls := h.Calls()
	require.Len(t, calls, 1, "a refused POST was recorded")
	assert.Equal(t, "config", calls[0].Name)

	// The stand-in's own origin, as a browser marks it, and the user's own
	// navigation (read only), are served.
	for _, tc := range []struct {
		method  string
		headers map[string]string
		status  int
	}{
		{http.MethodPost, map[string]string{"Origin": "http://" + callsHost, "Sec-Fetch-Site": "same-origin"}, http.StatusNoContent},
		{http.MethodGet, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
		{http.MethodGet, map[string]string{"Sec-Fetch-Site": "none"}, http.StatusOK},
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "none"}, http.StatusForbidden},
	} {
		resp := callsRequest(h, tc.method, `{"name":"same"}`, tc.headers)
		assert.Equal(t, tc.status, resp.StatusCode, "%s %v", tc.method, tc.headers)
		assertNoCORS(t, resp)
	}
	assert.Len(t, h.Calls(), 2, "the same-origin POST is recorded")
}

func TestCallsMemoryIsBounded(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	budget := sobottest.MaxRecordedBytes
	require.Greater(t, budget, 1<<20, "the budget holds at least one full POST")

	// What is counted is what a call holds.
	c := sobottest.Call{Name: "config", Args: []json.RawMessage{json.RawMessage(`"` + strings.Repeat("x", 1000) + `"`)}, Page: "http://h/p", SysNum: standintest.SysNum}
	assert.GreaterOrEqual(t, sobottest.CallSize(c), len(c.Name)+len(c.Args[0])+len(c.Page)+len(c.SysNum))

	// Large POSTs, just under the body limit, each one call.
	const posts = 40
	arg := strings.Repeat("x", 1<<20-200)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range posts {
		body := `{"name":"c` + strconv.Itoa(i) + `","args":["` + arg + `"],"page":"http://h/p","sysnum":"` + standintest.SysNum + `"}`
		require.Equal(t, http.StatusNoContent, post(h, body).StatusCode, "post %d", i)
		assert.LessOrEqual(t, h.RecordedBytes(), budget, "after post %d", i)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)

	calls := h.Calls()
	require.NotEmpty(t, calls)
	assert.Less(t, len(calls), posts, "nothing was dropped")
	assert.Equal(t, "c"+strconv.Itoa(posts-1), calls[len(calls)-1].Name, "the newest call is kept")
	assert.Equal(t, "c"+strconv.Itoa(posts-len(calls)), calls[0].Name, "the oldest calls are dropped first")
	sum := 0
	for _, c := range calls {
		sum += sobottest.CallSize(c)
	}
	assert.Equal(t, sum, h.RecordedBytes(), "the count matches the calls kept")
	assert.Greater(t, sum, budget-(1<<20)-1024, "the budget is used, not dropped to nothing")
	calls = nil

	// The heap measures it too: 40 MiB were posted, about the budget stays.
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, grown, int64(2*budget), "the heap grew by %d MiB for a budget of %d MiB", grown>>20, budget>>20)

	h.Reset()
	assert.Equal(t, 0, h.RecordedBytes())
}

func TestCallsKeepsTheNewest(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
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
	require.Equal(t, http.StatusNoContent, post(h, b.String()).StatusCode)
	calls := h.Calls()
	require.Len(t, calls, 10000)
	assert.Equal(t, "c5", calls[0].Name)
	assert.Equal(t, "c10004", calls[len(calls)-1].Name)
}

func TestWaitCalls(t *testing.T) {
	h := sobottest.NewHandler(standintest.SysNum, sobot.Key{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	done := make(chan []sobottest.Call)
	go func() {
		calls, err := h.WaitCalls(ctx, 2)
		assert.NoError(t, err)
		done <- calls
	}()
	post(h, `{"name":"config"}`)
	select {
	case <-done:
		require.Fail(t, "WaitCalls(2) returned after one call")
	case <-time.After(50 * time.Millisecond):
	}
	post(h, `{"name":"frame_ready"}`)
	select {
	case calls := <-done:
		if assert.Len(t, calls, 2) {
			assert.Equal(t, "frame_ready", calls[1].Name)
		}
	case <-ctx.Done():
		require.Fail(t, "WaitCalls did not return after the second call")
	}

	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	calls, err := h.WaitCalls(short, 3)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "WaitCalls(3) on 2 calls")
	assert.Len(t, calls, 2, "WaitCalls(3) on 2 calls")
}
