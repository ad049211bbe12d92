package sobot

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// candMark marks, in the pages of scannerCases, where the last </body>
// end tag starts; it is removed before scanning.
const candMark = "⟨"

// scannerCases are pages and what the scanner, reading them from their
// start, must find in them: the last </body> end tag (at candMark; none
// without one), and whether what follows it shows it was inside an
// element (hidden). xnetDiffers marks the pages where
// golang.org/x/net/html's tokenizer departs from the HTML standard, which
// the scanner follows.
var scannerCases = []struct {
	name        string
	page        string
	hidden      bool
	xnetDiffers bool
}{
	{name: "empty", page: ""},
	{name: "plain page", page: "<!DOCTYPE html><html><body><p>hi</p>⟨</body></html>\n"},
	{name: "upper case", page: "<HTML><BODY>hi⟨</BODY></HTML>"},
	{name: "mixed case", page: "<html><body>hi⟨</bOdY></html>"},
	{name: "space before >", page: "<body>hi⟨</body >"},
	{name: "newline and tab before >", page: "<body>hi⟨</body\n\t>"},
	{name: "slash before >", page: "<body>hi⟨</body/>"},
	{name: "attributes on the end tag", page: `<body>hi⟨</body class="x>y">`},
	{name: "last of several", page: "<body>a</body>b</body>c⟨</body>d"},
	{name: "no end tag", page: "<html><body><p>no end"},
	{name: "fragment", page: `<tr><td>htmx row</td></tr>`},
	{name: "longer name", page: "<body>x</bodyx></body-x></bodies>"},
	{name: "unfinished end tag", page: "<body>x</body"},
	{name: "unfinished end tag with space", page: "<body>x</body "},
	{name: "end tag in a comment", page: "<body>x⟨</body><!-- </body> -->"},
	{name: "comment ending --!>", page: "<body></body><!-- a --!> ⟨</body><!-- b </body> -->"},
	{name: "comment <!-->", page: "<body><!-->⟨</body>"},
	{name: "comment <!--->", page: "<body><!--->⟨</body>"},
	{name: "comment with dashes", page: "<body><!-- a -- b --- c ---->⟨</body>"},
	{name: "unclosed comment", page: "<body>⟨</body><!-- </body>"},
	{name: "doctype", page: `<!DOCTYPE html PUBLIC "</body>">⟨</body>`},
	{name: "bogus comment", page: "<body><?xml </body>?><! </body>>⟨</body>"},
	{name: "bogus end tag", page: "<body></ </body>>⟨</body>"},
	{name: "empty end tag", page: "<body></>⟨</body>"},
	{name: "cdata is a bogus comment", page: "<body><![CDATA[ x </body ]]>"},
	{name: "less-than in text", page: "<body>1 < 2 <3 <=4⟨</body>"},
	{name: "end tag in a script", page: `<body><script>document.write("</body>")</script>⟨</body>`},
	{name: "only in a script", page: `<body><script>var s = "</body>";</script>`},
	{name: "script end tag in a string", page: `<body><script>var s = "</scriptx></body>";</script>⟨</body>`},
	{name: "script closed upper case", page: `<body><SCRIPT>x</SCRIPT >⟨</body>`},
	{name: "self-closing script is still a script", page: `<body><script/></body></script>⟨</body>`},
	{name: "script escape", page: `<body><script><!-- </body> --></script>⟨</body>`},
	{name: "script double escape", page: `<body><script><!-- <script> </script> </body> --></script>⟨</body>`},
	{name: "script double escape ended by -->", page: `<body><script><!-- <script> --> </script>⟨</body>`},
	{name: "script escaped end tag", page: `<body><script><!-- x </script>⟨</body>`},
	{name: "script escaped less-than", page: `<body><script><!-- a<1 <script> </script> </body> --></script>`, xnetDiffers: true},
	{name: "style", page: `<body><style>a::after{content:"</body>"}</style>⟨</body>`},
	{name: "textarea", page: `<body><textarea></body></textarea>⟨</body>`},
	{name: "title", page: `<title></body></title><body>⟨</body>`},
	{name: "xmp iframe noembed noframes noscript", page: `<xmp></body></xmp><iframe></body></iframe><noembed></body></noembed>` +
		`<noframes></body></noframes><noscript></body></noscript>⟨</body>`},
	{name: "raw text needs its own end tag", page: `<body><textarea></title></body></textarea>⟨</body>`},
	{name: "plaintext", page: `<body><plaintext></body>`},
	{name: "end tag in a quoted attribute", page: `<body><a title="</body>" data-x='</body>'>x</a>⟨</body>`},
	{name: "greater-than in a quoted attribute", page: `<body><a title="a > </body>">x</a>⟨</body>`},
	{name: "unquoted attribute", page: `<body><a title=</body>>x</a>⟨</body>`},
	{name: "quote inside an attribute name", page: `<body><a b"c="</body>">⟨</body>`},
	{name: "equals first in a name", page: `<body><a ="</body>">x⟨</body>`},
	{name: "quote in an unquoted value", page: `<body><a b=c"d e="</body>">⟨</body>`},
	{name: "space around =", page: `<body><a b = "</body>">⟨</body>`},
	{name: "raw end tag with attributes", page: `<body><script></script title="</body>">⟨</body>`},

	// What follows a </body> read from the data state shows where it was.
	{name: "followed by a script's end tag", page: `document.write("⟨</body>");</script><p>`, hidden: true},
	{name: "followed by a style's end tag", page: `a::after{content:"⟨</body>"}</STYLE >`, hidden: true},
	{name: "followed by a textarea's end tag", page: `⟨</body></textarea>`, hidden: true},
	{name: "followed by a title's end tag", page: `⟨</body></title>`, hidden: true},
	{name: "followed by a comment's end", page: `old footer ⟨</body> -->`, hidden: true},
	{name: "a later </body> starts afresh", page: `x</body></script>⟨</body></html>`},
	{name: "script opened after it", page: `⟨</body><script>x</script>`},
	{name: "comment opened after it", page: `⟨</body><!-- x -->`},
	{name: "other end tags", page: `⟨</body></html></div>`},
}

// scanAll feeds page to a new scanner in pieces ending at the given
// offsets, and returns the scanner.
func scanAll(page []byte, cuts ...int) scanner {
	s := newScanner()
	start := 0
	for _, c := range append(cuts, len(page)) {
		s.scan(page[start:c])
		start = c
	}
	return s
}

// wantScan returns the page of a scannerCases entry without its mark and
// the candidate's offset, -1 without one.
func wantScan(page string) ([]byte, int64) {
	at := strings.Index(page, candMark)
	if at < 0 {
		return []byte(page), -1
	}
	return []byte(strings.Replace(page, candMark, "", 1)), int64(at)
}

func TestScannerCases(t *testing.T) {
	for _, tc := range scannerCases {
		t.Run(tc.name, func(t *testing.T) {
			page, want := wantScan(tc.page)
			check := func(t *testing.T, s scanner, how string) {
				t.Helper()
				assert.Equal(t, want, s.cand, "last </body>, %s", how)
				assert.Equal(t, tc.hidden, s.hidden, "hidden, %s", how)
			}
			check(t, scanAll(page), "in one write")
			for cut := 1; cut < len(page); cut++ {
				check(t, scanAll(page, cut), "split at "+strconv.Itoa(cut))
			}
			bytewise := make([]int, 0, len(page))
			for cut := 1; cut < len(page); cut++ {
				bytewise = append(bytewise, cut)
			}
			check(t, scanAll(page, bytewise...), "byte by byte")

			if !tc.xnetDiffers {
				assert.Equal(t, want, xnetScan(t, page), "x/net/html's last </body>")
			}
		})
	}
}

// TestScannerCasesCanFail shows that the checks above see a wrong answer.
func TestScannerCasesCanFail(t *testing.T) {
	page, want := wantScan("<body>a</body>b⟨</body>")
	require.Equal(t, int64(15), want)
	s := scanAll(page)
	assert.NotEqual(t, int64(7), s.cand, "the first </body> is not the last")
	assert.NotEqual(t, int64(7), xnetScan(t, page))
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
		s := scanAll([]byte(tt.prefix))
		assert.Equal(t, tt.pending, s.pending, "%q", tt.prefix)
	}
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
		at, from := findBody([]byte(tt.p))
		assert.Equal(t, tt.at, at, "at in %q", tt.p)
		assert.Equal(t, tt.from, from, "from in %q", tt.p)
	}
}
