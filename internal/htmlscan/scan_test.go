package htmlscan_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/sobotgo/sobot/internal/htmlscan"
	"github.com/sobotgo/sobot/internal/htmlscan/scantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScannerCases(t *testing.T) {
	for _, tc := range scantest.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			page, want := scantest.WantScan(tc.Page)
			check := func(t *testing.T, s htmlscan.Scanner, how string) {
				t.Helper()
				assert.Equal(t, want, s.Cand, "last </body>, %s", how)
			}
			check(t, scantest.ScanAll(page), "in one write")
			for cut := 1; cut < len(page); cut++ {
				check(t, scantest.ScanAll(page, cut), "split at "+strconv.Itoa(cut))
			}
			bytewise := make([]int, 0, len(page))
			for cut := 1; cut < len(page); cut++ {
				bytewise = append(bytewise, cut)
			}
			check(t, scantest.ScanAll(page, bytewise...), "byte by byte")

		})
	}
}

// TestScannerCasesCanFail shows that the checks above see a wrong answer.
func TestScannerCasesCanFail(t *testing.T) {
	page, want := scantest.WantScan("<body>a</body>b⟨</body>")
	require.Equal(t, int64(15), want)
	s := scantest.ScanAll(page)
	assert.NotEqual(t, int64(7), s.Cand, "the first </body> is not the last")
}

// TestScannerPending: the bytes of a tag that may be </body> are pending
// until the tag is known, and no longer.
func TestScannerPending(t *testing.T) {
	tests := []struct {
		prefix  string
		pending int64
	}{
		{"x<", 1},
		{"x</", 1},
		{"x</B", 1},
		{"x</bod", 1},
		{"x</body", 1},
		{"x</body ", 1},
		{`x</body a="`, 1},
		{"x</body>", -1},
		{"x</bodx", -1},
		{"x</bodyy", -1},
		{"x</p", -1},
		{"x<b", -1},
		{"x<!", -1},
		{"x< ", -1},
		{"<script>x<", -1},
		{"<script>x</", -1},
		{"<!-- <", -1},
	}
	for _, tt := range tests {
		s := scantest.ScanAll([]byte(tt.prefix))
		assert.Equal(t, tt.pending, s.Pending, "%q", tt.prefix)
	}
}

// FuzzScanner reads arbitrary pages, cut into pieces at arbitrary places:
// the same last </body> end tag, wherever the cuts fall. (The examples
// module compares it with golang.org/x/net/html's tokenizer.) Run longer
// with
//
//	go test -run '^$' -fuzz '^FuzzScanner$' -fuzztime 1m ./internal/htmlscan
func FuzzScanner(f *testing.F) {
	for _, tc := range scantest.Cases {
		page, _ := scantest.WantScan(tc.Page)
		f.Add(page, uint64(0x9e3779b97f4a7c15))
	}
	for _, s := range []string{
		"<body></body>", "</BODY\f>", "<!---->", "<!--!-->", "<!-- --!->", "<a b='</body>' c=\"x\" d=e></body>",
		"<script><!--<script></script>--></script></body>", "<title>a</TITLE/></body>", "<plaintext></body>",
	} {
		f.Add([]byte(s), uint64(7))
	}
	f.Fuzz(func(t *testing.T, page []byte, cutSeed uint64) {
		whole := scantest.ScanAll(page)
		cuts := scantest.FuzzCuts(len(page), cutSeed)
		split := scantest.ScanAll(page, cuts...)
		require.Equal(t, whole.Cand, split.Cand, "</body> cut at %v", cuts)
	})
}

// BenchmarkScanner reads a 100 KB shop page, dense in tags and attributes,
// in one piece.
func BenchmarkScanner(b *testing.B) {
	var page []byte
	for i := 0; len(page) < 100<<10; i++ {
		page = fmt.Appendf(page, `<div class="product" data-id="%d"><a href="/products/%d?ref=list&amp;page=2" title="Longjing tea &quot;spring&quot;">`+
			`<img src="/static/p%d.jpg" alt="Longjing" width="120" height="120"></a><h2>西湖龙井 %d</h2>`+
			"<p>Pan-fired green tea from Hangzhou, picked early in spring: a smooth body and a sweet, lasting finish.</p>"+
			`<span class="price">%d.00</span> <button class="zhiCustomBtn" onclick="shop.add(%d)">咨询</button></div>`+"\n", i, i, i%9, i, 100+i%50, i)
	}
	page = append(page, "</body></html>"...)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if s := scantest.ScanAll(page); s.Cand < 0 {
			b.Fatal("no </body>")
		}
	}
}
