// Package htmloracle compares the middleware's HTML scanner
// (internal/htmlscan) with golang.org/x/net/html's tokenizer. It lives in
// the examples module so that x/net stays out of the library's module
// graph.
package htmloracle

import (
	"bytes"
	"io"
	"testing"

	"github.com/sobotgo/sobot/internal/htmlscan/scantest"
	"github.com/stretchr/testify/assert"
	"golang.org/x/net/html"
)

// TestScannerMatchesXNet: on every page of the scanner's cases, its last
// </body> end tag is x/net/html's, except where x/net/html departs from
// the HTML standard, which the scanner follows.
func TestScannerMatchesXNet(t *testing.T) {
	for _, tc := range scantest.Cases {
		if tc.XNetDiffers {
			continue
		}
		page, want := scantest.WantScan(tc.Page)
		assert.Equal(t, want, xnetScan(t, page), "%s: x/net/html's last </body>", tc.Name)
		assert.Equal(t, want, scantest.ScanAll(page).Cand, "%s: the scanner's", tc.Name)
	}
	page, want := scantest.WantScan("<body>a</body>b⟨</body>")
	assert.NotEqual(t, int64(7), xnetScan(t, page), "the comparison sees a wrong answer")
	assert.Equal(t, int64(15), want)
}

// FuzzScannerXNet reads arbitrary pages, cut into pieces at arbitrary
// places, and checks the scanner against x/net/html's tokenizer. Run
// longer with
//
//	go test -run '^$' -fuzz '^FuzzScannerXNet$' -fuzztime 1m ./examples/internal/htmloracle
func FuzzScannerXNet(f *testing.F) {
	for _, tc := range scantest.Cases {
		page, _ := scantest.WantScan(tc.Page)
		f.Add(page, uint64(0x9e3779b97f4a7c15))
	}
	f.Fuzz(func(t *testing.T, page []byte, cutSeed uint64) {
		if scantest.XNetDepartsFromStandard(page) {
			return
		}
		got := scantest.ScanAll(page, scantest.FuzzCuts(len(page), cutSeed)...)
		if cand := xnetScan(t, page); cand != got.Cand {
			t.Fatalf("scanner: </body> at %d; x/net/html: %d", got.Cand, cand)
		}
	})
}

// xnetScan reads page with golang.org/x/net/html's tokenizer and returns
// the offset of its last </body> end tag, -1 for none.
func xnetScan(t testing.TB, page []byte) int64 {
	z := html.NewTokenizer(bytes.NewReader(page))
	cand, off := int64(-1), int64(0)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("x/net/html: %v", z.Err())
			}
			return cand
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "body" {
				cand = off
			}
		}
		off += int64(len(z.Raw()))
	}
}
