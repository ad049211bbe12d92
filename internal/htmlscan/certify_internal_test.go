package htmlscan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// pieces are what randomPage builds pages from: the bytes and words the
// tokenizer's states turn on, and some text.
var pieces = []string{
	"<", ">", "/", "!", "-", "--", "=", "\"", "'", " ", "\n", "?", "a", "x", "<!--", "-->", "--!>", "<!", "</",
	"body", "BODY", "script", "Script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
	"plaintext", "p", "div", "<p>", "</p>", "<a href=\"x\">", "<body>", "</body>", "</body ", "<script>", "</script>",
	"<style>", "</style>", "<textarea>", "</textarea>", "<title>", "</title>", "<noscript>", "</noscript>", "<xmp>", "</xmp>",
	"<!-- c -->", "<!DOCTYPE html>", "<br/>", "text ", "<scriptx>", "</scriptx>",
	"<script", "<style", "<xmp", "<iframe", "<noembed", "<noframes", "<noscript", "<textarea", "<title", "<plaintext",
	"<p", "</body", "</p", "</script", " a=\"", " b='", "\">", "'>", "<SCRIPT a=\">\">",
}

// randomPage returns a page of n pieces.
func randomPage(rng *rand.Rand, n int) []byte {
	var b []byte
	for range n {
		b = append(b, pieces[rng.IntN(len(pieces))]...)
	}
	return b
}

// statesAfterGT returns the scanner's state right after each ">" of
// page, the page read from its start in pieces cut there.
func statesAfterGT(page []byte) (states []Scanner) {
	s := NewScanner()
	at := 0
	for i, c := range page {
		if c != '>' {
			continue
		}
		s.Scan(page[at : i+1])
		at = i + 1
		states = append(states, s)
	}
	return states
}

// sameStart reports whether a and b are the same thread start: the same
// state, reading the same from here on, with a tag that may be </body>
// pending in both or neither (the offset of its "<" aside).
func sameStart(a, b Scanner) bool {
	if (a.Pending >= 0) != (b.Pending >= 0) {
		return false
	}
	a.Cand, b.Cand = -1, -1
	b.Pending, b.Off = a.Pending, a.Off
	return a.st == b.st && a.sameState(&b, 0)
}

// TestThreadStartsComplete: right after every ">" of many random pages,
// the scanner, reading the page from its start, is in one of the states
// AllStarts lists; each of those states is reached, and no two are the
// same.
func TestThreadStartsComplete(t *testing.T) {
	starts := AllStarts(1)
	for i := range starts {
		for j := range i {
			if sameStart(starts[i], starts[j]) {
				t.Fatalf("thread starts %d and %d are the same: %+v", j, i, starts[i])
			}
		}
	}
	seen := make([]bool, len(starts))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		page := randomPage(rng, 1+rng.IntN(60))
	states:
		for _, s := range statesAfterGT(page) {
			for i, start := range starts {
				if sameStart(start, s) {
					seen[i] = true
					continue states
				}
			}
			t.Fatalf("after the \">\" ending at %d of %q: state %+v is not a thread start", s.Off, page, s)
		}
	}
	for i, ok := range seen {
		if !ok {
			t.Errorf("thread start %+v never reached", starts[i])
		}
	}
}

// checkCertify certifies page[:end] with the window from ws and the
// first held byte at from, and checks a Taken verdict against the
// scanner reading page[:end] whole: the same </body>, or, at the page's
// end, a page that the scanner leaves outside the data state from that
// </body> on.
func checkCertify(t *testing.T, page []byte, ws, from, end int, atEOF bool) Verdict {
	t.Helper()
	v := Certify(page[ws:end], int64(ws), int64(from), atEOF)
	if v.Kind != Taken {
		return v
	}
	if v.Place < int64(from) || v.Place >= int64(end) {
		t.Fatalf("place %d outside the held bytes [%d, %d)", v.Place, from, end)
	}
	s := NewScanner()
	s.Scan(page[:end])
	if s.Cand == v.Place {
		return v
	}
	if atEOF && lastInData(page[:end]) <= v.Place {
		return v // broken after the place: an element left open to the end
	}
	if inCommentAt(page, v.Place) {
		return v // the widget would be a comment's text
	}
	t.Fatalf("%q (window from %d, held from %d, end %d, eof %v): Certify takes %d, the scanner %d",
		page[:end], ws, from, end, atEOF, v.Place, s.Cand)
	return v
}

// lastInData returns the last offset at which the scanner, reading page
// from its start, is in the data state.
func lastInData(page []byte) int64 {
	s := NewScanner()
	last := int64(0)
	for i := range page {
		s.Scan(page[i : i+1])
		if s.InData() {
			last = int64(i + 1)
		}
	}
	return last
}

// inCommentAt reports whether the scanner, reading page from its start,
// is inside a comment at offset x.
func inCommentAt(page []byte, x int64) bool {
	s := NewScanner()
	s.Scan(page[:x])
	return s.InComment()
}

// FuzzCertify certifies arbitrary pages with arbitrary windows: a place
// Certify takes is the scanner's, reading the page whole (or the page is
// left open to its end after it). Run longer with
//
//	go test -run '^$' -fuzz '^FuzzCertify$' -fuzztime 1m ./internal/htmlscan
func FuzzCertify(f *testing.F) {
	for _, s := range certifySeeds() {
		f.Add([]byte(s), uint64(len(s)/3), uint64(0))
	}
	f.Fuzz(func(t *testing.T, page []byte, wsSeed, endSeed uint64) {
		if len(page) == 0 {
			return
		}
		end := len(page)
		atEOF := endSeed%4 != 0
		if !atEOF {
			end = 1 + int(endSeed>>2)%len(page)
		}
		// Held from the first "</body" in page[ws:end], as the middleware
		// holds; the window from ws.
		ws := int(wsSeed % uint64(end))
		at := FindBody(page[ws:end])
		if at < 0 {
			return
		}
		checkCertify(t, page, ws, ws+at, end, atEOF)
	})
}

// certifySeeds are hostile and ordinary pages for FuzzCertify.
func certifySeeds() []string {
	filler := strings.Repeat(`<div class="row"><a href="/x?a=1&b=2" title='t'>item</a></div>`+"\n", 60)
	return []string{
		"<body>x</body>",
		"<p>a</p></body></html>",
		`<script>var s="</body>";` + filler + `</script></body>`,
		`<script>if(a<b){s="<!--";t="<script>"}` + filler + `d.write("</body>")</script></body>`,
		"<style>" + filler + "</body></style></body>",
		"<textarea>" + filler + "</body></textarea></body>",
		"<!--" + filler + "</body>--></body>",
		"<noembed>" + filler + "</body>",
		`<a title="` + filler + `</body>">x</a></body>`,
		`<a title='>` + filler + `</body>'>`,
		filler + "</body></html><!-- </body> -->",
		filler + "</body><!-- x -->",
		filler + "</body></html>\n<!-- generated -->\n",
		filler + "<!-- </body> -->",
		"<script><!--" + filler + "<script></script></body>--></script></body>",
		filler + "</body><script>x</script>",
		filler + `</body class="a>b">`,
	}
}

// TestCertifySeeds: Certify takes the place on the ordinary seed pages
// with a window cut from their end, and is checked on all of them.
func TestCertifySeeds(t *testing.T) {
	for _, s := range certifySeeds() {
		page := []byte(s)
		for ws := 0; ws < len(page); ws += 7 {
			at := FindBody(page[ws:])
			if at >= 0 {
				checkCertify(t, page, ws, ws+at, len(page), true)
				checkCertify(t, page, ws, ws+at, len(page), false)
			}
		}
	}
}

// shopPage returns a shop page of about n bytes, dense in tags and
// attributes, ending in "</body></html>".
func shopPage(n int) []byte {
	var page []byte
	for i := 0; len(page) < n; i++ {
		page = fmt.Appendf(page, `<div class="product" data-id="%d"><a href="/products/%d?ref=list&amp;page=2" title="Longjing tea &quot;spring&quot;">`+
			`<img src="/static/p%d.jpg" alt="Longjing" width="120" height="120"></a><h2>西湖龙井 %d</h2>`+
			"<p>Pan-fired green tea from Hangzhou, picked early in spring: a smooth body and a sweet, lasting finish.</p>"+
			`<span class="price">%d.00</span> <button class="zhiCustomBtn" onclick="shop.add(%d)">咨询</button></div>`+"\n", i, i, i%9, i, 100+i%50, i)
	}
	return append(page, "</main>\n<footer>© Teahouse</footer>\n</body>\n</html>\n"...)
}

// BenchmarkCertify certifies the </body> of a shop page from the window
// before it, as the middleware does at the page's end.
func BenchmarkCertify(b *testing.B) {
	page := shopPage(100 << 10)
	from := int64(LastBody(page))
	start := from - Window
	for b.Loop() {
		if v := Certify(page[start:], start, from, true); v.Kind != Taken {
			b.Fatal(v)
		}
	}
}
