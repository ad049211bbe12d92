package sobot

import (
	"bytes"
	"testing"
)

// FuzzScanner reads arbitrary pages, cut into pieces at arbitrary places,
// and checks the scanner against golang.org/x/net/html's tokenizer: the
// same last </body> end tag, wherever the cuts fall. Run longer with
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
	} {
		f.Add([]byte(s), uint64(7))
	}
	f.Fuzz(func(t *testing.T, page []byte, cutSeed uint64) {
		whole := scanAll(page)
		cuts := fuzzCuts(len(page), cutSeed)
		split := scanAll(page, cuts...)
		if whole.cand != split.cand || whole.hidden != split.hidden {
			t.Fatalf("cut at %v: </body> at %d, hidden %v; in one piece: %d, %v", cuts, split.cand, split.hidden, whole.cand, whole.hidden)
		}
		if xnetDepartsFromStandard(page) {
			return
		}
		if cand := xnetScan(t, page); cand != whole.cand {
			t.Fatalf("scanner: </body> at %d; x/net/html: %d", whole.cand, cand)
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
// through the middleware, and compares the response with wantWidgetAt,
// which reads the whole page at once: the widget inserted once at the
// place it gives, or the page unchanged. Nothing is lost, added or moved,
// wherever the writes are cut. Run longer with
//
//	go test -run '^$' -fuzz '^FuzzMiddleware$' -fuzztime 1m .
func FuzzMiddleware(f *testing.F) {
	for _, tc := range scannerCases {
		page, _ := wantScan(tc.page)
		f.Add(page, uint64(0x9e3779b97f4a7c15))
	}
	f.Add([]byte(mwPage), uint64(3))
	f.Add([]byte(`<body><script id="zhichiScript"></script></body>`), uint64(5))
	f.Add([]byte(`<script>d.write("</body>")</script><p>fragment`), uint64(5))
	e := newMWEnv(f)
	snippet := e.snippet(f, "")
	f.Fuzz(func(t *testing.T, pg []byte, cutSeed uint64) {
		if len(pg) > holdLimit {
			return // the hold limit moves the place; TestMiddlewareHoldLimit covers it
		}
		cuts := fuzzCuts(len(pg), cutSeed)
		pieces := make([]string, 0, len(cuts)+1)
		at := 0
		for _, c := range append(cuts, len(pg)) {
			pieces = append(pieces, string(pg[at:c]))
			at = c
		}
		got := e.serve(page(0, htmlType, pieces...), get("/")).Body.String()
		want := string(pg)
		if place := wantWidgetAt(pg); place >= 0 {
			want = want[:place] + snippet + want[place:]
		}
		if got != want {
			t.Fatalf("pieces %q:\n got %q\nwant %q", pieces, got, want)
		}
	})
}

// wantWidgetAt returns where the widget goes in page, read whole, or -1:
// no widget when the page has the widget's id; else the scanner reads
// from the first "</body" and a delimiter (any case), found as text; its
// last </body> end tag is the place, unless what follows shows it inside
// an element.
func wantWidgetAt(page []byte) int {
	if bytes.Contains(page, widgetIDBytes) {
		return -1
	}
	folded := make([]byte, len(page)) // ASCII only: bytes.ToLower would rewrite invalid UTF-8
	for i, c := range page {
		folded[i] = lower(c)
	}
	first := -1
	for i := 0; ; i++ {
		j := bytes.Index(folded[i:], []byte(bodyTag))
		if j < 0 {
			return -1
		}
		i += j
		if k := i + len(bodyTag); k < len(page) && isTagEnd(page[k]) {
			first = i
			break
		}
	}
	s := newScanner()
	s.off = int64(first)
	s.scan(page[first:])
	if s.cand < 0 || s.hidden {
		return -1
	}
	return int(s.cand)
}
