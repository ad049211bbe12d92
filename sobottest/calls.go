package sobottest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// callsPath is where the fake loader posts the zc calls it sees.
const callsPath = "/__sobottest/calls"

const (
	// maxCallsBody bounds one POST to callsPath.
	maxCallsBody = 1 << 20
	// maxCalls bounds the calls kept; the oldest are dropped past it, so a
	// long-running demo does not grow without end.
	maxCalls = 10000
)

// Call is one call of zc(...) made by a page that loaded the fake loader,
// as the loader reported it.
type Call struct {
	// Name is the first argument, such as "config" or "frame_ready".
	Name string `json:"name"`
	// Args are the other arguments as JSON. A function, anywhere in an
	// argument, is the string "[function]"; an undefined argument is null;
	// an argument JSON cannot represent (a cycle) is "[unserialisable]".
	Args []json.RawMessage `json:"args"`
	// Page is document.location.href of the page that made the call.
	Page string `json:"page"`
	// SysNum is the sysnum in the loader's src.
	SysNum string `json:"sysnum"`
}

// Arg decodes argument i (0 is the first after the name) into v, with
// [json.Unmarshal].
func (c Call) Arg(i int, v any) error {
	if i < 0 || i >= len(c.Args) {
		return fmt.Errorf("sobottest: zc(%q) call has %d arguments after the name, no argument %d", c.Name, len(c.Args), i)
	}
	return json.Unmarshal(c.Args[i], v)
}

// Calls returns the zc calls recorded so far, oldest first. Calls from one
// page are in the order the page made them.
func (h *Handler) Calls() []Call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Call(nil), h.calls...)
}

// WaitCalls waits until at least n calls have been recorded, then returns
// them as Calls does. If ctx ends first it returns the calls recorded so far
// and ctx's error.
func (h *Handler) WaitCalls(ctx context.Context, n int) ([]Call, error) {
	for {
		h.mu.Lock()
		calls, changed := append([]Call(nil), h.calls...), h.changed
		h.mu.Unlock()
		if len(calls) >= n {
			return calls, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return calls, ctx.Err()
		}
	}
}

// Reset forgets the recorded calls.
func (h *Handler) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = nil
	h.notifyLocked()
}

// record appends calls, dropping the oldest past maxCalls.
func (h *Handler) record(calls []Call) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, calls...)
	if over := len(h.calls) - maxCalls; over > 0 {
		h.calls = append([]Call(nil), h.calls[over:]...)
	}
	h.notifyLocked()
}

// notifyLocked wakes every WaitCalls. h.mu must be held.
func (h *Handler) notifyLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// callsEndpoint records the calls POSTed by the loader (a JSON array of
// Call, or one Call) and lists the recorded ones on GET.
//
// The loader posts from the host page's origin with a text/plain body, a
// CORS "simple" request, so the endpoint allows every origin.
func (h *Handler) callsEndpoint(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Origin", "*")
	switch r.Method {
	case http.MethodOptions:
		hdr.Set("Access-Control-Allow-Methods", "GET, POST")
		hdr.Set("Access-Control-Allow-Headers", "Content-Type")
		w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodGet, http.MethodHead:
		body, err := json.Marshal(h.Calls())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		hdr.Set("Content-Type", "application/json")
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodGet {
			w.Write(body)
		}
		return
	}
	if !allowMethods(w, r, http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallsBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, "sobottest: calls body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "sobottest: reading calls: "+err.Error(), http.StatusBadRequest)
		return
	}
	calls, err := decodeCalls(body)
	if err != nil {
		http.Error(w, "sobottest: "+err.Error(), http.StatusBadRequest)
		return
	}
	h.record(calls)
	w.WriteHeader(http.StatusNoContent)
}

// decodeCalls parses a JSON array of calls or a single call.
func decodeCalls(body []byte) ([]Call, error) {
	var calls []Call
	if err := json.Unmarshal(body, &calls); err == nil {
		return calls, nil
	}
	var c Call
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("calls body is neither a JSON array of calls nor a call: %v", err)
	}
	return []Call{c}, nil
}
