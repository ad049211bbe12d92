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

// callsPath is where the recorder page posts the zc calls the fake loader
// sees; GET lists them.
const callsPath = "/__sobottest/calls"

const (
	// maxCallsBody bounds one POST to callsPath.
	maxCallsBody = 1 << 20
	// maxCalls bounds the calls kept; the oldest are dropped past it, so a
	// long-running demo does not grow without end.
	maxCalls = 10000
	// maxCallsBytes bounds the memory of the calls kept, as counted by
	// callSize; the oldest are dropped past it. It is larger than one POST
	// may be, so a POST's own calls are kept.
	maxCallsBytes = 8 << 20
	// callOverhead is what callSize counts for a call besides its text: the
	// Call itself and its slice and string headers, rounded up.
	callOverhead = 128
	// argOverhead is what callSize counts for each argument besides its
	// JSON text.
	argOverhead = 24
)

// callSize is the memory a recorded call holds, as counted against
// maxCallsBytes: its strings and JSON arguments plus fixed overheads.
func callSize(c *Call) int {
	n := callOverhead + len(c.Name) + len(c.Page) + len(c.SysNum)
	for _, a := range c.Args {
		n += argOverhead + len(a)
	}
	return n
}

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
// page are in the order the page made them. The handler keeps the newest
// 10000 calls, and no more than 8 MiB of them (their names, pages, sysnums
// and JSON arguments, with a small overhead per call): past either bound the
// oldest are dropped.
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
	clear(h.calls)
	h.calls, h.callBytes = nil, 0
	h.notifyLocked()
}

// record appends calls, then drops the oldest past maxCalls or
// maxCallsBytes.
func (h *Handler) record(calls []Call) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range calls {
		h.callBytes += callSize(&calls[i])
	}
	h.calls = append(h.calls, calls...)
	drop := 0
	for drop < len(h.calls) && (len(h.calls)-drop > maxCalls || h.callBytes > maxCallsBytes) {
		h.callBytes -= callSize(&h.calls[drop])
		drop++
	}
	if drop > 0 {
		// Clear the dropped calls so the array holds none of their text;
		// the next append that outgrows it moves the rest to a new one.
		clear(h.calls[:drop])
		h.calls = h.calls[drop:]
	}
	h.notifyLocked()
}

// notifyLocked wakes every WaitCalls. h.mu must be held.
func (h *Handler) notifyLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// sameOrigin reports whether r comes from the stand-in's own origin, or from
// no web page at all, and if not, why. A browser says where a request comes
// from in Sec-Fetch-Site and, for a POST or a cross-origin fetch, in Origin;
// a program (a Go test, curl) sends neither, and no page can make a browser
// send a request without them. Sec-Fetch-Site "none" (the address bar, a
// bookmark) is the user's own request and may read.
func sameOrigin(r *http.Request) (bool, string) {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin":
	case "none":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return false, "Sec-Fetch-Site none on a " + r.Method
		}
	default:
		return false, "Sec-Fetch-Site " + strconv.Quote(site)
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		if origin != scheme+"://"+r.Host {
			return false, "Origin " + strconv.QuoteToASCII(origin) + " is not the stand-in's"
		}
	}
	return true, ""
}

// callsEndpoint records the calls POSTed by the recorder page (a JSON array
// of Call, or one Call) and lists the recorded ones on GET.
//
// The calls hold the visitors' partnerids and signs, so the endpoint serves
// its own origin only, for reading and for writing: no CORS headers, and a
// request a browser marks as coming from another origin is refused. The fake
// loader, which runs in the host page's origin, reaches it through the
// recorder page (recorderPage).
func (h *Handler) callsEndpoint(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cross-Origin-Resource-Policy", "same-origin")
	hdr.Set("Vary", "Origin, Sec-Fetch-Site")
	if !allowMethods(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
		return
	}
	if ok, why := sameOrigin(r); !ok {
		hdr.Set("X-Sobottest-Reason", "cross-origin request refused: "+why)
		http.Error(w, "sobottest: the calls endpoint serves its own origin only", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodPost {
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
