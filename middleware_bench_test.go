package sobot

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The benchmarks serve a shop page through the middleware and through the
// bare handler:
//
//	go test -run '^$' -bench 'Middleware|PassThrough' -benchmem .
//
// BenchmarkMiddleware and BenchmarkPassThrough write to a ResponseWriter
// that discards, so they show the middleware's own cost (its bytes
// allocated per response do not depend on the page's size: compare 10KB
// with 10MB). BenchmarkMiddlewareHTTP serves a 100 KB page over loopback
// HTTP, as a site does, with and without the middleware.

// benchPage returns a shop page of about n bytes: a head with a style and
// a script, product rows with attributes and English text, and the
// closing tags. It is dense in tags and attributes (a tag every 35 bytes),
// which the scanner reads one by one: text and quoted values it skips.
func benchPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>Teahouse</title>
<link rel="stylesheet" href="/static/site.css">
<style>.product{display:flex}.price::after{content:" 元"}</style>
<script nonce="abc">window.shop = {cart: [], add: function (id) { if (this.cart.length < 10) this.cart.push(id); }};</script>
</head>
<body class="shop">
<header><nav><a href="/">Home</a> <a href="/orders">Orders</a></nav></header>
<main>
`)
	for i := 0; b.Len() < n-200; i++ {
		fmt.Fprintf(&b, `<div class="product" data-id="%d"><a href="/products/%d?ref=list&amp;page=2" title="Longjing tea &quot;spring&quot;">`+
			`<img src="/static/p%d.jpg" alt="Longjing" width="120" height="120"></a><h2>西湖龙井 %d</h2>`+
			"<p>Pan-fired green tea from Hangzhou, picked early in spring: a smooth body and a sweet, lasting finish. Enjoy it any time.</p>"+
			`<span class="price">%d.00</span> <button class="zhiCustomBtn" onclick="shop.add(%d)">咨询</button></div>`+"\n", i, i, i%9, i, 100+i%50, i)
	}
	b.WriteString("</main>\n<footer>© Teahouse</footer>\n</body>\n</html>\n")
	return []byte(b.String())
}

// discardWriter is a ResponseWriter that counts and drops the body.
type discardWriter struct {
	h http.Header
	n int
}

func (d *discardWriter) Header() http.Header { return d.h }
func (d *discardWriter) WriteHeader(int)     {}
func (d *discardWriter) Write(p []byte) (int, error) {
	d.n += len(p)
	return len(p), nil
}

// pageHandler writes pg in 32 KiB pieces, as a buffered template does.
func pageHandler(pg []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		for i := 0; i < len(pg); i += 32 << 10 {
			w.Write(pg[i:min(i+32<<10, len(pg))])
		}
	})
}

// benchSizes are the page sizes of the in-memory benchmarks.
var benchSizes = []struct {
	name string
	n    int
}{{"10KB", 10 << 10}, {"100KB", 100 << 10}, {"10MB", 10 << 20}}

// benchWidget is the widget of the benchmarks' visitor.
var benchWidget = &Widget{Params: &Params{User: User{PartnerID: "u-1001", Name: "小丁"}}}

// serveDiscard serves req through h b.N times into a discardWriter.
func serveDiscard(b *testing.B, h http.Handler, size int) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &discardWriter{h: http.Header{}}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

func BenchmarkMiddleware(b *testing.B) {
	c := newTestClient(b, Config{Key: NewKey(mwKey)})
	mw := c.Middleware(func(*http.Request) *Widget { return benchWidget })
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			pg := benchPage(sz.n)
			serveDiscard(b, mw(pageHandler(pg)), len(pg))
		})
	}
}

func BenchmarkPassThrough(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			pg := benchPage(sz.n)
			serveDiscard(b, pageHandler(pg), len(pg))
		})
	}
}

// BenchmarkMiddlewareNoWidget: a page whose widgetFor says no widget
// costs a call and a wrapper.
func BenchmarkMiddlewareNoWidget(b *testing.B) {
	c := newTestClient(b, Config{Key: NewKey(mwKey)})
	pg := benchPage(100 << 10)
	serveDiscard(b, c.Middleware(func(*http.Request) *Widget { return nil })(pageHandler(pg)), len(pg))
}

// httpPair returns the 100 KB page of the HTTP benchmarks and two loopback
// servers of it: the bare handler, and the handler behind the middleware.
func httpPair(b *testing.B) (pg []byte, bare, with *httptest.Server) {
	c := newTestClient(b, Config{Key: NewKey(mwKey)})
	pg = benchPage(100 << 10)
	bare = httptest.NewServer(pageHandler(pg))
	b.Cleanup(bare.Close)
	with = httptest.NewServer(c.Middleware(func(*http.Request) *Widget { return benchWidget })(pageHandler(pg)))
	b.Cleanup(with.Close)
	return pg, bare, with
}

// fetch gets url with client and reads the body whole.
func fetch(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// BenchmarkMiddlewareHTTP serves a 100 KB page over loopback HTTP/1.1 and
// reads it whole, as a site does, from two servers in turn: one with the
// bare handler and one with the middleware. Taking turns keeps the
// comparison fair on a busy machine. It reports the time per request of
// each, and the middleware's overhead in percent.
func BenchmarkMiddlewareHTTP(b *testing.B) {
	pg, bare, with := httpPair(b)
	get := func(srv *httptest.Server) time.Duration {
		start := time.Now()
		if err := fetch(srv.Client(), srv.URL); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	get(bare)
	get(with)
	var tBare, tWith time.Duration
	b.SetBytes(2 * int64(len(pg)))
	b.ReportAllocs()
	for b.Loop() {
		tBare += get(bare)
		tWith += get(with)
	}
	n := float64(b.N)
	b.ReportMetric(float64(tBare.Nanoseconds())/n, "bare-ns/req")
	b.ReportMetric(float64(tWith.Nanoseconds())/n, "mw-ns/req")
	b.ReportMetric(100*(float64(tWith)/float64(tBare)-1), "overhead-%")
}

// BenchmarkMiddlewareThroughput measures what a busy server can serve:
// eight clients fetch a 100 KB page over loopback HTTP/1.1 as fast as the
// two cores allow, 64 requests a round, from the bare handler and from the
// middleware in turn. It reports the requests per second of each, and
// the middleware's loss of throughput in percent.
func BenchmarkMiddlewareThroughput(b *testing.B) {
	pg, bare, with := httpPair(b)
	const workers, perRound = 8, 64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	round := func(url string) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		var next atomic.Int32
		var failed atomic.Value
		for range workers {
			wg.Go(func() {
				for next.Add(1) <= perRound {
					if err := fetch(client, url); err != nil {
						failed.Store(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if err, ok := failed.Load().(error); ok {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	round(bare.URL)
	round(with.URL)
	var tBare, tWith time.Duration
	b.SetBytes(2 * perRound * int64(len(pg)))
	for b.Loop() {
		tBare += round(bare.URL)
		tWith += round(with.URL)
	}
	n := float64(perRound * b.N)
	b.ReportMetric(n/tBare.Seconds(), "bare-req/s")
	b.ReportMetric(n/tWith.Seconds(), "mw-req/s")
	b.ReportMetric(100*(1-tBare.Seconds()/tWith.Seconds()), "loss-%")
}

// TestMiddlewareMemoryFlat: the bytes a response allocates do not grow
// with the page: a 10 MB page allocates a few KiB at most, and (without
// the race detector, whose sync.Pool drops buffers at random) no more than
// a 10 KB one, give or take a buffer.
func TestMiddlewareMemoryFlat(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey(mwKey)})
	mw := c.Middleware(func(*http.Request) *Widget { return benchWidget })
	perResponse := func(size int) (bytes, allocs float64) {
		pg := benchPage(size)
		h := mw(pageHandler(pg))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		w := &discardWriter{h: http.Header{}}
		const runs = 100    // a buffer regrown once (a pool emptied by the GC) weighs little
		h.ServeHTTP(w, req) // warm the pools
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range runs {
			clear(w.h)
			h.ServeHTTP(w, req)
		}
		runtime.ReadMemStats(&after)
		require.GreaterOrEqual(t, w.n, runs*size, "bytes written for %d pages of %d", runs, size)
		return float64(after.TotalAlloc-before.TotalAlloc) / runs, float64(after.Mallocs-before.Mallocs) / runs
	}
	smallB, smallN := perResponse(10 << 10)
	bigB, bigN := perResponse(10 << 20)
	t.Logf("per response: 10 KB page %.0f B in %.1f allocations, 10 MB page %.0f B in %.1f allocations", smallB, smallN, bigB, bigN)
	assert.LessOrEqual(t, bigB, float64(64<<10), "bytes a 10 MB page allocates per response")
	if !raceEnabled {
		assert.LessOrEqual(t, bigB, smallB+1024, "bytes per response: a 10 MB page against a 10 KB one")
		assert.LessOrEqual(t, bigN, smallN+2, "allocations per response: a 10 MB page against a 10 KB one")
	}
}
