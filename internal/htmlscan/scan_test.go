package htmlscan_test

import (
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
				assert.Equal(t, tc.Hidden, s.Hidden, "hidden, %s", how)
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

// TestFindBody: the text search finds the first "</body" and a delimiter,
// in any case, and the trailing bytes that may start one.
func TestFindBody(t *testing.T) {
	tests := []struct {
		p        string
		at, from int
	}{
		{"", -1, 0},
		{"<p>x</p>", -1, 8},
		{"a</body>b</body>", 1, 16},
		{"a</BODY >", 1, 9},
		{"a</bOdY/", 1, 8},
		{"a</body\n", 1, 8},
		{"a</body\t", 1, 8},
		{"</body>", 0, 7},
		{"a</bodyx></body\f", 9, 16},
		{"a</Body></body>", 1, 15},
		{"a</body", -1, 1},
		{"a</bod", -1, 1},
		{"a<", -1, 1},
		{"a</", -1, 1},
		{"a</x", -1, 4},
		{"x</b</b", -1, 4},
		{"yyyyy</body>", 5, 12},
		{"<body>y</body>", 7, 14},
	}
	for _, tt := range tests {
		at, from := htmlscan.FindBody([]byte(tt.p))
		assert.Equal(t, tt.at, at, "at in %q", tt.p)
		assert.Equal(t, tt.from, from, "from in %q", tt.p)
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
		require.Equal(t, whole.Hidden, split.Hidden, "hidden, cut at %v", cuts)
	})
}
