// Package scantest holds the pages the HTML scanner of package htmlscan is
// tested with and what it must find in them, shared by the scanner's own
// tests, the middleware's tests and the comparison with
// golang.org/x/net/html in the examples module (which keeps that module
// out of the library's module graph).
package scantest

import (
	"bytes"
	"strings"

	"github.com/sobotgo/sobot/internal/htmlscan"
)

// CandMark marks, in the pages of scannerCases, where the last </body>
// end tag starts; it is removed before scanning.
const CandMark = "⟨"

// Cases are pages and what the scanner, reading them from their
// start, must find in them: the last </body> end tag (at CandMark; none
// without one). XNetDiffers marks the pages where
// golang.org/x/net/html's tokenizer departs from the HTML standard, which
// the scanner follows.
var Cases = []struct {
	Name        string
	Page        string
	XNetDiffers bool
}{
	{Name: "empty", Page: ""},
	{Name: "plain page", Page: "<!DOCTYPE html><html><body><p>hi</p>⟨</body></html>\n"},
	{Name: "upper case", Page: "<HTML><BODY>hi⟨</BODY></HTML>"},
	{Name: "mixed case", Page: "<html><body>hi⟨</bOdY></html>"},
	{Name: "space before >", Page: "<body>hi⟨</body >"},
	{Name: "newline and tab before >", Page: "<body>hi⟨</body\n\t>"},
	{Name: "slash before >", Page: "<body>hi⟨</body/>"},
	{Name: "attributes on the end tag", Page: `<body>hi⟨</body class="x>y">`},
	{Name: "last of several", Page: "<body>a</body>b</body>c⟨</body>d"},
	{Name: "no end tag", Page: "<html><body><p>no end"},
	{Name: "fragment", Page: `<tr><td>htmx row</td></tr>`},
	{Name: "longer name", Page: "<body>x</bodyx></body-x></bodies>"},
	{Name: "unfinished end tag", Page: "<body>x</body"},
	{Name: "unfinished end tag with space", Page: "<body>x</body "},
	{Name: "end tag in a comment", Page: "<body>x⟨</body><!-- </body> -->"},
	{Name: "comment ending --!>", Page: "<body></body><!-- a --!> ⟨</body><!-- b </body> -->"},
	{Name: "comment <!-->", Page: "<body><!-->⟨</body>"},
	{Name: "comment <!--->", Page: "<body><!--->⟨</body>"},
	{Name: "comment with dashes", Page: "<body><!-- a -- b --- c ---->⟨</body>"},
	{Name: "unclosed comment", Page: "<body>⟨</body><!-- </body>"},
	{Name: "doctype", Page: `<!DOCTYPE html PUBLIC "</body>">⟨</body>`},
	{Name: "bogus comment", Page: "<body><?xml </body>?><! </body>>⟨</body>"},
	{Name: "bogus end tag", Page: "<body></ </body>>⟨</body>"},
	{Name: "empty end tag", Page: "<body></>⟨</body>"},
	{Name: "cdata is a bogus comment", Page: "<body><![CDATA[ x </body ]]>"},
	{Name: "less-than in text", Page: "<body>1 < 2 <3 <=4⟨</body>"},
	{Name: "end tag in a script", Page: `<body><script>document.write("</body>")</script>⟨</body>`},
	{Name: "only in a script", Page: `<body><script>var s = "</body>";</script>`},
	{Name: "script end tag in a string", Page: `<body><script>var s = "</scriptx></body>";</script>⟨</body>`},
	{Name: "script closed upper case", Page: `<body><SCRIPT>x</SCRIPT >⟨</body>`},
	{Name: "self-closing script is still a script", Page: `<body><script/></body></script>⟨</body>`},
	{Name: "script escape", Page: `<body><script><!-- </body> --></script>⟨</body>`},
	{Name: "script double escape", Page: `<body><script><!-- <script> </script> </body> --></script>⟨</body>`},
	{Name: "script double escape ended by -->", Page: `<body><script><!-- <script> --> </script>⟨</body>`},
	{Name: "script escaped end tag", Page: `<body><script><!-- x </script>⟨</body>`},
	{Name: "script escaped less-than", Page: `<body><script><!-- a<1 <script> </script> </body> --></script>`, XNetDiffers: true},
	{Name: "style", Page: `<body><style>a::after{content:"</body>"}</style>⟨</body>`},
	{Name: "textarea", Page: `<body><textarea></body></textarea>⟨</body>`},
	{Name: "title", Page: `<title></body></title><body>⟨</body>`},
	{Name: "xmp iframe noembed noframes noscript", Page: `<xmp></body></xmp><iframe></body></iframe><noembed></body></noembed>` +
		`<noframes></body></noframes><noscript></body></noscript>⟨</body>`},
	{Name: "raw text needs its own end tag", Page: `<body><textarea></title></body></textarea>⟨</body>`},
	{Name: "plaintext", Page: `<body><plaintext></body>`},
	{Name: "end tag in a quoted attribute", Page: `<body><a title="</body>" data-x='</body>'>x</a>⟨</body>`},
	{Name: "greater-than in a quoted attribute", Page: `<body><a title="a > </body>">x</a>⟨</body>`},
	{Name: "unquoted attribute", Page: `<body><a title=</body>>x</a>⟨</body>`},
	{Name: "quote inside an attribute name", Page: `<body><a b"c="</body>">⟨</body>`},
	{Name: "equals first in a name", Page: `<body><a ="</body>">x⟨</body>`},
	{Name: "quote in an unquoted value", Page: `<body><a b=c"d e="</body>">⟨</body>`},
	{Name: "space around =", Page: `<body><a b = "</body>">⟨</body>`},
	{Name: "raw end tag with attributes", Page: `<body><script></script title="</body>">⟨</body>`},

	// An end tag is one whatever follows it: orphan end tags and "-->"
	// in text change nothing.
	{Name: "followed by a script's end tag", Page: `document.write("⟨</body>");</script><p>`},
	{Name: "followed by a style's end tag", Page: `a::after{content:"⟨</body>"}</STYLE >`},
	{Name: "followed by a textarea's end tag", Page: `⟨</body></textarea>`},
	{Name: "followed by a comment's end", Page: `old footer ⟨</body> -->`},
	{Name: "script opened after it", Page: `⟨</body><script>x</script>`},
	{Name: "comment opened after it", Page: `⟨</body><!-- x -->`},
	{Name: "other end tags", Page: `⟨</body></html></div>`},

	// Scripts in the head that hold "</body>" and then what hides or
	// opens markup: found by a review of the middleware.
	{Name: "document.write then <!-- in a script", Page: `<html><head><script>function show(w,html){w.document.write('<html><body>'+html+'</body></html>')}` +
		`function isComment(s){return s.indexOf('<!--')===0}</script></head><body><p>x</p>⟨</body></html>`},
	{Name: "template and less-than in a script", Page: `<html><head><script>var tpl='<body></body>';for(var i=0;i<n;i++){f(i)}</script></head><body>⟨</body></html>`},
	{Name: "long script", Page: `<head><script>var s="<html><body></body></html>";` + strings.Repeat("var x = 1;\n", 3500) + `</script></head><body>⟨</body>`},
	{Name: "fragment, only in a script", Page: `<div><script>var a="</body>"; if (a<b) {x()}</script></div>`},
	{Name: "in a comment, then <!-- in text", Page: `<!-- </body> --><p>a <!-- b --> c</p>⟨</body>`},
	// "<!--" and "<script" double-escape: the script goes on past </script>.
	{Name: "script with <!-- and <script> in strings", Page: `<script>if(s=="<!--"){d.write("<script>x<\/script>")}</script></body>`},
	{Name: "tag cut nowhere: attribute values with >", Page: `<a href="/x?a>b" title='c>d' data-e=f>g</a>⟨</body data-x=">">`},
	{Name: "self-closing slashes", Page: `<br/><img src=x / ><a/b="</body>">⟨</body/>`},
	{Name: "attribute value after slash", Page: `<a b/="</body>">⟨</body>`},
	{Name: "unquoted value with quotes", Page: `<a b=c'd e='</body>'>⟨</body>`},
	{Name: "end tag with a quoted >", Page: `<body></p a=">"></body x='>'>y⟨</body>`},
	{Name: "upper-case raw text elements", Page: `<SCRIPT>"</body>"</SCRIPT><TextArea></body></TEXTAREA>⟨</BODY>`},
	{Name: "plaintext", Page: `<PlainText></body>`},
	{Name: "name longer than any raw element", Page: `<scriptscript></body>x⟨</body>`},
}

// ScanAll feeds page to a new scanner in pieces ending at the given
// offsets, and returns the scanner.
func ScanAll(page []byte, cuts ...int) htmlscan.Scanner {
	s := htmlscan.NewScanner()
	start := 0
	for _, c := range append(cuts, len(page)) {
		s.Scan(page[start:c])
		start = c
	}
	return s
}

// WantScan returns the page of a Cases entry without its mark and
// the candidate's offset, -1 without one.
func WantScan(page string) ([]byte, int64) {
	at := strings.Index(page, CandMark)
	if at < 0 {
		return []byte(page), -1
	}
	return []byte(strings.Replace(page, CandMark, "", 1)), int64(at)
}

// FuzzCuts returns up to 8 increasing cut offsets in (0, n) drawn from
// seed.
func FuzzCuts(n int, seed uint64) []int {
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

// XNetDepartsFromStandard reports whether page may reach the one place
// where x/net/html's tokenizer departs from the HTML standard: in escaped
// script data (after "<!--" in a script), a "<" that starts neither an end
// tag nor a name sends it back to plain script data, where the standard
// stays escaped, so that a later <script> no longer double-escapes.
// That needs "<!--" and a second "<script".
func XNetDepartsFromStandard(page []byte) bool {
	lower := bytes.ToLower(page)
	return bytes.Contains(lower, []byte("<!--")) && bytes.Count(lower, []byte("<script")) >= 2
}

// LastInData returns the last offset of page at which the scanner, reading
// it from its start, is in the data state: a page is left open (in a
// comment, an element's text or a tag) from there to its end.
func LastInData(page []byte) int {
	s := htmlscan.NewScanner()
	last := 0
	for i := range page {
		s.Scan(page[i : i+1])
		if s.InData() {
			last = i + 1
		}
	}
	return last
}

// InCommentAt reports whether the scanner, reading page from its start, is
// inside a comment at offset x.
func InCommentAt(page []byte, x int) bool {
	s := htmlscan.NewScanner()
	s.Scan(page[:x])
	return s.InComment()
}
