package sobot

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzScanner reads arbitrary pages, cut into pieces at arbitrary places,
// and checks the scanner against golang.org/x/net/html's tokenizer: the
// same last </body> end tag, the same widget marker, wherever the cuts
// fall. Run longer with
//
//	go test -run '^$' -fuzz '^FuzzScanner$' -fuzztime 1m .
func FuzzScanner(f *testing.F) {
	for _, tc := range scannerCases {
		page, _ := wantScan(tc.page)
		f.Add(page, uint64(0x9e3779b97f4a7c15))
	}
	for _, s := range []string{
		"<body></body>", "</BODY\f>", "<!---->", "<!--!-->", "<!-- --!->", "<a b='</body>' c=\"x\" d=e></body>",
		"<script><!--<script></script>--></script></body>", "<title>a</TITLE/></body>", "<plaintext></body>",
		"<script id=zhichiScript>", "<script\nid\n=\n\"zhichiScript\"\n></script>", "<script id=\"zhichi&#83;cript\">",
	} {
		f.Add([]byte(s), uint64(7))
	}
	f.Fuzz(func(t *testing.T, page []byte, cutSeed uint64) {
		whole := scanAll(page)
		cuts := fuzzCuts(len(page), cutSeed)
		split := scanAll(page, cuts...)
		if whole.marker != split.marker || !whole.marker && whole.cand != split.cand {
			t.Fatalf("cut at %v: marker %v, </body> at %d; in one piece: %v, %d", cuts, split.marker, split.cand, whole.marker, whole.cand)
		}
		if xnetDepartsFromStandard(page) {
			return
		}
		cand, marker := xnetScan(t, page)
		if marker && bytes.ContainsRune(page, '&') {
			// x/net/html decodes character references in the id
			// (zhichi&#83;cript); the scanner compares the bytes.
			return
		}
		if marker != whole.marker || !marker && cand != whole.cand {
			t.Fatalf("scanner: marker %v, </body> at %d; x/net/html: %v, %d", whole.marker, whole.cand, marker, cand)
		}
	})
}

// fuzzCuts returns up to 8 increasing cut offsets in (0, n) drawn from
// seed.
func fuzzCuts(n int, seed uint64) []int {
	var cuts []int
	at := 0
	for k := 0; k < 8 && n > 1; k++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		at += 1 + int(seed>>33)%max(1, n/4)
		if at >= n {
			break
		}
		cuts = append(cuts, at)
	}
	return cuts
}

// xnetDepartsFromStandard reports whether page may reach the one place
// where x/net/html's tokenizer departs from the HTML standard: in escaped
// script data (after "<!--" in a script), a "<" that starts neither an end
// tag nor a name sends it back to plain script data, where the standard
// stays escaped, so that a later <script> no longer double-escapes.
// That needs "<!--" and a second "<script".
func xnetDepartsFromStandard(page []byte) bool {
	lower := bytes.ToLower(page)
	return bytes.Contains(lower, []byte("<!--")) && bytes.Count(lower, []byte("<script")) >= 2
}

// FuzzMiddleware serves arbitrary pages, written in arbitrary pieces,
// through the middleware: the response is the page with the widget
// inserted once, right before the page's last </body> end tag, or the page
// unchanged when it has none or already has a widget. Nothing is lost,
// added or moved. Run longer with
//
//	go test -run '^$' -fuzz '^FuzzMiddleware$' -fuzztime 1m .
func FuzzMiddleware(f *testing.F) {
	for _, tc := range scannerCases {
		page, _ := wantScan(tc.page)
		f.Add(page, uint64(0x9e3779b97f4a7c15))
	}
	f.Add([]byte(mwPage), uint64(3))
	e := newMWEnv(f)
	snippet := e.snippet(f, "")
	f.Fuzz(func(t *testing.T, pg []byte, cutSeed uint64) {
		cuts := fuzzCuts(len(pg), cutSeed)
		pieces := make([]string, 0, len(cuts)+1)
		at := 0
		for _, c := range append(cuts, len(pg)) {
			pieces = append(pieces, string(pg[at:c]))
			at = c
		}
		got := e.serve(page(0, htmlType, pieces...), get("/")).Body.String()

		s := scanAll(pg)
		if s.marker || s.cand < 0 {
			if got != string(pg) {
				t.Fatalf("page changed (marker %v, </body> at %d) in pieces %q:\n%q", s.marker, s.cand, pieces, got)
			}
			return
		}
		want := string(pg[:s.cand]) + snippet + string(pg[s.cand:])
		if len(pg)-int(s.cand) <= holdLimit && got != want {
			t.Fatalf("pieces %q:\n got %q\nwant %q", pieces, got, want)
		}
		i := strings.Index(got, snippet)
		if i < 0 || got[:i]+got[i+len(snippet):] != string(pg) {
			t.Fatalf("pieces %q: not the page with the widget once:\n%q", pieces, got)
		}
	})
}
