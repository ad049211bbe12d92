package sobot

import (
	"strings"
	"testing"

	"github.com/sobotgo/sobot/internal/htmlscan"
	"github.com/sobotgo/sobot/internal/htmlscan/scantest"
	"github.com/stretchr/testify/require"
)

// FuzzMiddleware serves arbitrary pages, written in arbitrary pieces,
// through the middleware, and compares the response with wantWidgetAt,
// which reads the whole page at once: the page unchanged, or the widget
// inserted once, at the place wantWidgetAt gives, or before a "</body"
// inside a comment or from which the page is left open to its end (where
// Certify may place it, inert, even after the page's last real </body>:
// "</body><style>'></body>" may get it before the second). A page shorter than htmlscan.Window is read whole, and gets the
// widget exactly where wantWidgetAt says. Nothing is lost, added or moved,
// wherever the writes are cut. Run longer with
//
//	go test -run '^$' -fuzz '^FuzzMiddleware$' -fuzztime 1m .
func FuzzMiddleware(f *testing.F) {
	for _, tc := range scantest.Cases {
		page, _ := scantest.WantScan(tc.Page)
		f.Add(page, uint64(0x9e3779b97f4a7c15))
	}
	f.Add([]byte(mwPage), uint64(3))
	f.Add([]byte(`<body><script id="zhichiScript"></script></body>`), uint64(5))
	f.Add([]byte(`<body><p>zhichiScript</p><script>x.ID = 'zhichiScript';</script></body>`), uint64(5))
	f.Add([]byte(`<body><a data-id="zhichiScript" title='id=zhichiScript'>x</a></body>`), uint64(5))
	f.Add([]byte(`<script>d.write("</body>")</script><p>fragment`), uint64(5))
	f.Add([]byte(strings.Repeat("<p>filler</p>", 100)+`<div title="a</body>`), uint64(7))
	f.Add([]byte(strings.Repeat("<p>filler</p>", 100)+`</body></html><!-- x -->`), uint64(7))
	f.Add([]byte(`<!-- `+strings.Repeat("<p>filler</p>", 100)+`</body> -->`), uint64(7))
	e := newMWEnv(f)
	snippet := e.snippet(f, "")
	f.Fuzz(func(t *testing.T, pg []byte, cutSeed uint64) {
		if len(pg) > holdLimit {
			return // the hold limit moves the place; TestMiddlewareHoldLimit covers it
		}
		cuts := scantest.FuzzCuts(len(pg), cutSeed)
		pieces := make([]string, 0, len(cuts)+1)
		at := 0
		for _, c := range append(cuts, len(pg)) {
			pieces = append(pieces, string(pg[at:c]))
			at = c
		}
		got := e.serve(page(0, htmlType, pieces...), get("/")).Body.String()
		place := wantWidgetAt(pg)
		if got == string(pg) {
			require.False(t, place >= 0 && len(pg) <= htmlscan.Window, "a short page gets the widget at %d; pieces %q", place, pieces)
			return
		}
		i := strings.Index(got, snippet)
		require.True(t, i >= 0 && got[:i]+got[i+len(snippet):] == string(pg), "only the widget is added, once; pieces %q", pieces)
		if i != place {
			yes, _ := htmlscan.BodyAt(pg[i:])
			require.True(t, yes && (scantest.LastInData(pg) <= i || scantest.InCommentAt(pg, i)),
				"the widget at %d, the scanner's place %d: only before a \"</body\" inside a comment, or from which the page is left open; pieces %q", i, place, pieces)
		}
	})
}

// wantWidgetAt returns where the widget goes in page, read whole, or -1:
// no widget when the page has the loader's id; else before the last
// </body> end tag the scanner finds, reading the page from its start.
func wantWidgetAt(page []byte) int {
	if containsWidgetID(page, true) {
		return -1
	}
	s := htmlscan.NewScanner()
	s.Scan(page)
	return int(s.Cand)
}
