package sobot

import "bytes"

// This file is the middleware's HTML scanner. It follows the tokenizer of
// the HTML standard (13.2.5) as far as the question it answers needs: where
// are the </body> end tags, and does a script start tag carry the widget's
// id? It reads a page fed in pieces of any size, so a tag split across
// writes is found all the same, and it keeps no copy of what it read: its
// state is a few dozen bytes whatever the page's size.
//
// What it follows, as the standard (and golang.org/x/net/html's Tokenizer)
// does: comments (<!-- ... -->, with <!--> and --!>), doctypes, bogus
// comments (<!x>, <?x>, </ x>), tags with their quoted and unquoted
// attribute values (a ">" or "</body>" inside a value is text), and the
// elements whose content is text until their own end tag: script (with
// its <!-- <script> escapes), style, xmp, iframe, noembed, noframes,
// noscript (raw text), textarea and title (RCDATA), and plaintext (text to
// the end).
//
// What it does not: the tree builder's choices, which need the whole
// document. Inside <svg> and <math> it still takes <script>, <style> and
// <title> as raw text elements and does not know CDATA sections; a
// </body> in a <template> counts like any other.

// scanState is the tokenizer state the scanner is in between two bytes.
type scanState uint8

const (
	scanData               scanState = iota // text
	scanTagOpen                             // after "<"
	scanEndTagOpen                          // after "</"
	scanMarkup                              // after "<!" (n: dashes seen)
	scanBogus                               // bogus comment or doctype, to ">"
	scanComment                             // after "<!--" (n: dashes, begin: nothing read yet)
	scanCommentBang                         // after "--!" in a comment
	scanTagName                             // in a tag's name
	scanTagSpace                            // in a tag, between attributes
	scanAttrName                            // in an attribute's name
	scanAfterAttrName                       // after an attribute's name
	scanBeforeValue                         // after "="
	scanQuotedValue                         // in a quoted value (quote)
	scanUnquotedValue                       // in an unquoted value
	scanRaw                                 // raw text or RCDATA (raw: the element)
	scanRawLT                               // after "<" in raw text
	scanRawEnd                              // after "</" + n bytes of raw, in raw text or script data (ret)
	scanRawEndDelim                         // after "</" + raw: a delimiter ends the element
	scanScript                              // script data
	scanScriptLT                            // after "<"
	scanScriptEscStart                      // after "<!"
	scanScriptEscStartDash                  // after "<!-"
	scanScriptEsc                           // script data escaped
	scanScriptEscDash                       // after "-"
	scanScriptEscDashDash                   // after "--"
	scanScriptEscLT                         // after "<"
	scanScriptDblStart                      // after "<" + n bytes of "script"
	scanScriptDbl                           // script data double escaped
	scanScriptDblDash                       // after "-"
	scanScriptDblDashDash                   // after "--"
	scanScriptDblLT                         // after "<"
	scanScriptDblEnd                        // after "</" + n bytes of "script"
	scanPlaintext                           // everything to the end is text
)

// Element names the scanner acts on.
const (
	nameBody   = "body"
	nameScript = "script"
	// maxName is the longest name that matters (plaintext); longer names
	// are only counted.
	maxName = len("plaintext")
)

// Marker ids: a script element with one of these ids means the page
// already has a widget. zhichiScript is the loader element of the
// snippet (and of Sobot's own integration code); hashDataID is the data
// block of the middleware's hash-policy variant.
var widgetMarkerIDs = [...]string{"zhichiScript", hashDataID}

// scanner reads a page and reports where its </body> end tags are.
type scanner struct {
	off int64 // bytes read so far

	// cand is the offset of the "<" of the last complete </body> end tag
	// read, or -1.
	cand int64
	// pending is the offset of the "<" of a tag that may still turn out
	// to be a </body> end tag (the bytes read so far are "<", "</", or
	// "</bo" and the like, or a whole "</body" whose ">" has not come), or
	// -1. The middleware holds the bytes from there until it knows.
	pending int64
	// marker is set when a script start tag with a widget id was read.
	marker bool

	st    scanState
	ret   scanState // where scanRawEnd and scanRawEndDelim return on a mismatch
	n     int       // bytes of a keyword matched, or dashes seen
	begin bool      // scanComment: nothing read after "<!--" but dashes
	quote byte      // scanQuotedValue: the quote
	raw   string    // the element whose end tag ends raw text

	// The current tag.
	end     bool          // an end tag
	name    [maxName]byte // its name, lower-cased, first maxName bytes
	nameLen int           // its length, counted to maxName+1

	// A script start tag's attributes, read for its id.
	script   bool    // the tag is a script start tag
	attr     [2]byte // the attribute's name, lower-cased, first 2 bytes
	attrLen  int     // its length, counted to 3
	attrIsID bool    // the attribute is the tag's first id
	inID     bool    // the value being read is the tag's first id
	idSeen   bool    // the tag had an id attribute (later ones are ignored)
	idLen    int     // bytes of the id value read
	idMatch  [2]bool // the id value read so far is a prefix of widgetMarkerIDs[i]
}

// newScanner returns a scanner at the start of a page.
func newScanner() scanner { return scanner{cand: -1, pending: -1} }

// isSpace reports whether c is white space between HTML attributes (CR
// included: the input stream turns it into LF).
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// lower returns c in lower case if it is an ASCII letter.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scan reads the next piece of the page. It stops early when it reads a
// widget marker: the rest of the page does not matter then.
func (s *scanner) scan(p []byte) {
	base := s.off
	i := 0
	for i < len(p) && !s.marker {
		switch s.st {
		case scanData:
			j := bytes.IndexByte(p[i:], '<')
			if j < 0 {
				i = len(p)
				continue
			}
			i += j
			s.pending = base + int64(i)
			s.st = scanTagOpen
			i++

		case scanTagOpen:
			switch c := p[i]; {
			case isAlpha(c):
				s.pending = -1
				s.startTag(false, c)
				i++
			case c == '/':
				s.st = scanEndTagOpen
				i++
			case c == '!':
				s.pending = -1
				s.st, s.n = scanMarkup, 0
				i++
			case c == '?':
				s.pending = -1
				s.st = scanBogus
				i++
			default: // text; reconsume
				s.pending = -1
				s.st = scanData
			}

		case scanEndTagOpen:
			switch c := p[i]; {
			case isAlpha(c):
				if lower(c) != nameBody[0] {
					s.pending = -1
				}
				s.startTag(true, c)
			case c == '>': // "</>" is nothing at all
				s.pending = -1
				s.st = scanData
			default:
				s.pending = -1
				s.st = scanBogus
			}
			i++

		case scanMarkup:
			// "<!--" starts a comment; anything else after "<!" (a
			// doctype, "<![CDATA[" outside foreign content, "<!x") is
			// read to the next ">".
			if p[i] != '-' {
				s.st = scanBogus // reconsume: the byte may be the ">"
				continue
			}
			i++
			if s.n++; s.n == 2 {
				s.st, s.n, s.begin = scanComment, 0, true
			}

		case scanBogus:
			j := bytes.IndexByte(p[i:], '>')
			if j < 0 {
				i = len(p)
				continue
			}
			i += j + 1
			s.st = scanData

		case scanComment:
			// A comment ends at "-->" or "--!>"; right after "<!--", also
			// at ">" or "->" (<!--> and <!--->). Between dashes only a
			// "-" matters.
			if s.n == 0 && !s.begin {
				j := bytes.IndexByte(p[i:], '-')
				if j < 0 {
					i = len(p)
					continue
				}
				i += j
			}
			c := p[i]
			i++
			switch {
			case c == '-':
				s.n = min(s.n+1, 2)
				continue
			case c == '>' && (s.n == 2 || s.begin):
				s.st = scanData
				continue
			case c == '!' && s.n == 2:
				s.st = scanCommentBang
				continue
			}
			s.n, s.begin = 0, false

		case scanCommentBang:
			c := p[i]
			i++
			switch c {
			case '>':
				s.st = scanData
			case '-':
				s.st, s.n, s.begin = scanComment, 1, false
			default:
				s.st, s.n, s.begin = scanComment, 0, false
			}

		case scanTagName:
			for i < len(p) {
				c := p[i]
				if isSpace(c) || c == '/' || c == '>' {
					s.nameEnd()
					s.st = scanTagSpace // reconsume
					break
				}
				s.addName(c)
				i++
			}

		case scanTagSpace:
			// Between attributes: "/" and white space are skipped, ">"
			// ends the tag, anything else starts an attribute's name
			// (even "=", as its first byte).
			c := p[i]
			i++
			switch {
			case isSpace(c) || c == '/':
			case c == '>':
				s.tagEnd()
			default:
				s.st = scanAttrName
				s.attr[0], s.attrLen, s.attrIsID = lower(c), 1, false
			}

		case scanAttrName:
			for i < len(p) {
				c := p[i]
				if isSpace(c) || c == '/' || c == '>' || c == '=' {
					s.attrNameEnd()
					s.st = scanAfterAttrName // reconsume
					break
				}
				if s.attrLen < len(s.attr) {
					s.attr[s.attrLen] = lower(c)
				}
				s.attrLen = min(s.attrLen+1, len(s.attr)+1)
				i++
			}

		case scanAfterAttrName:
			c := p[i]
			switch {
			case isSpace(c):
				i++
			case c == '/':
				s.st = scanTagSpace
				i++
			case c == '=':
				s.st = scanBeforeValue
				i++
			default: // an attribute without a value; reconsume
				s.st = scanTagSpace
			}

		case scanBeforeValue:
			c := p[i]
			switch {
			case isSpace(c):
				i++
				continue
			case c == '>': // no value; reconsume
				s.st = scanTagSpace
				continue
			}
			s.valueStart()
			if c == '"' || c == '\'' {
				s.st, s.quote = scanQuotedValue, c
				i++
			} else {
				s.st = scanUnquotedValue // reconsume: c is the value's first byte
			}

		case scanQuotedValue:
			j := bytes.IndexByte(p[i:], s.quote)
			if j < 0 {
				j = len(p) - i
			}
			if s.inID {
				s.idBytes(p[i : i+j])
			}
			if i += j; i < len(p) {
				i++
				s.valueEnd()
				s.st = scanTagSpace
			}

		case scanUnquotedValue:
			start := i
			for i < len(p) && !isSpace(p[i]) && p[i] != '>' {
				i++
			}
			if s.inID {
				s.idBytes(p[start:i])
			}
			if i < len(p) {
				s.valueEnd()
				s.st = scanTagSpace // reconsume the space or ">"
			}

		case scanRaw:
			j := bytes.IndexByte(p[i:], '<')
			if j < 0 {
				i = len(p)
				continue
			}
			i += j + 1
			s.st = scanRawLT

		case scanRawLT:
			if p[i] == '/' {
				s.st, s.n, s.ret = scanRawEnd, 0, scanRaw
				i++
			} else {
				s.st = scanRaw // reconsume
			}

		case scanRawEnd:
			// "</" in raw text: the element's own name and a delimiter
			// end it; anything else is text, reconsumed where we were.
			if lower(p[i]) != s.raw[s.n] {
				s.st = s.ret
				continue
			}
			i++
			if s.n++; s.n == len(s.raw) {
				s.st = scanRawEndDelim
			}

		case scanRawEndDelim:
			c := p[i]
			if !isSpace(c) && c != '/' && c != '>' {
				s.st = s.ret
				continue
			}
			// The end tag of the element: read on as a tag, from its
			// delimiter.
			s.end, s.script = true, false
			s.nameLen = copy(s.name[:], s.raw)
			s.st = scanTagSpace

		case scanScript:
			j := bytes.IndexByte(p[i:], '<')
			if j < 0 {
				i = len(p)
				continue
			}
			i += j + 1
			s.st = scanScriptLT

		case scanScriptLT:
			switch p[i] {
			case '/':
				s.st, s.n, s.ret = scanRawEnd, 0, scanScript
				i++
			case '!':
				s.st = scanScriptEscStart
				i++
			default:
				s.st = scanScript
			}

		case scanScriptEscStart, scanScriptEscStartDash:
			if p[i] != '-' {
				s.st = scanScript
				continue
			}
			i++
			if s.st == scanScriptEscStart {
				s.st = scanScriptEscStartDash
			} else {
				s.st = scanScriptEscDashDash
			}

		case scanScriptEsc, scanScriptEscDash, scanScriptEscDashDash:
			c := p[i]
			i++
			switch {
			case c == '-':
				s.st = min(s.st+1, scanScriptEscDashDash)
			case c == '<':
				s.st = scanScriptEscLT
			case c == '>' && s.st == scanScriptEscDashDash:
				s.st = scanScript
			default:
				s.st = scanScriptEsc
			}

		case scanScriptEscLT:
			switch c := p[i]; {
			case c == '/':
				s.st, s.n, s.ret = scanRawEnd, 0, scanScriptEsc
				i++
			case isAlpha(c):
				s.st, s.n = scanScriptDblStart, 0 // reconsume
			default:
				s.st = scanScriptEsc // reconsume
			}

		case scanScriptDblStart:
			// "<script" and a delimiter in escaped script data: a </script>
			// no longer ends the element until "-->" or the next
			// </script>.
			c := p[i]
			if s.n == len(nameScript) {
				if isSpace(c) || c == '/' || c == '>' {
					s.st = scanScriptDbl
					i++
				} else {
					s.st = scanScriptEsc
				}
				continue
			}
			if lower(c) != nameScript[s.n] {
				s.st = scanScriptEsc
				continue
			}
			s.n++
			i++

		case scanScriptDbl, scanScriptDblDash, scanScriptDblDashDash:
			c := p[i]
			i++
			switch {
			case c == '-':
				s.st = min(s.st+1, scanScriptDblDashDash)
			case c == '<':
				s.st = scanScriptDblLT
			case c == '>' && s.st == scanScriptDblDashDash:
				s.st = scanScript
			default:
				s.st = scanScriptDbl
			}

		case scanScriptDblLT:
			if p[i] == '/' {
				s.st, s.n = scanScriptDblEnd, 0
				i++
			} else {
				s.st = scanScriptDbl
			}

		case scanScriptDblEnd:
			c := p[i]
			if s.n == len(nameScript) {
				if isSpace(c) || c == '/' || c == '>' {
					s.st = scanScriptEsc
					i++
				} else {
					s.st = scanScriptDbl
				}
				continue
			}
			if lower(c) != nameScript[s.n] {
				s.st = scanScriptDbl
				continue
			}
			s.n++
			i++

		case scanPlaintext:
			i = len(p)
		}
	}
	s.off = base + int64(i)
	if s.marker {
		s.off = base + int64(len(p))
	}
}

// startTag starts a start or end tag whose name begins with c.
func (s *scanner) startTag(end bool, c byte) {
	s.st = scanTagName
	s.end, s.script = end, false
	s.name[0], s.nameLen = lower(c), 1
	s.idSeen, s.inID = false, false
}

// addName adds c to the tag's name. An end tag stops being a possible
// </body> as soon as its name is not a prefix of "body".
func (s *scanner) addName(c byte) {
	if s.nameLen < maxName {
		s.name[s.nameLen] = lower(c)
	}
	if s.end && s.pending >= 0 && (s.nameLen >= len(nameBody) || lower(c) != nameBody[s.nameLen]) {
		s.pending = -1
	}
	s.nameLen = min(s.nameLen+1, maxName+1)
}

// tagName returns the tag's name as read, "" when it is longer than any
// name that matters.
func (s *scanner) tagName() []byte {
	if s.nameLen > maxName {
		return nil
	}
	return s.name[:s.nameLen]
}

// nameEnd is called when the tag's name is complete.
func (s *scanner) nameEnd() {
	name := s.tagName()
	if s.end {
		if string(name) != nameBody {
			s.pending = -1
		}
		return
	}
	s.script = string(name) == nameScript
}

// rawElement returns the element name whose end tag ends the text that
// follows a start tag named name, and the state that reads it; "" when
// markup follows as usual.
func rawElement(name []byte) (string, scanState) {
	switch string(name) {
	case "script":
		return "script", scanScript
	case "style":
		return "style", scanRaw
	case "xmp":
		return "xmp", scanRaw
	case "iframe":
		return "iframe", scanRaw
	case "noembed":
		return "noembed", scanRaw
	case "noframes":
		return "noframes", scanRaw
	case "noscript":
		return "noscript", scanRaw
	case "textarea":
		return "textarea", scanRaw
	case "title":
		return "title", scanRaw
	case "plaintext":
		return "plaintext", scanPlaintext
	}
	return "", scanData
}

// tagEnd is called at the ">" that ends a tag.
func (s *scanner) tagEnd() {
	if s.end {
		if s.pending >= 0 { // the name was "body"
			s.cand, s.pending = s.pending, -1
		}
		s.st = scanData
		return
	}
	if s.script && s.idSeen && (s.idMatch[0] && s.idLen == len(widgetMarkerIDs[0]) || s.idMatch[1] && s.idLen == len(widgetMarkerIDs[1])) {
		s.marker = true
	}
	s.raw, s.st = rawElement(s.tagName())
}

// attrNameEnd is called when an attribute's name is complete; it notes
// whether the attribute is a script tag's first id, whose value (empty
// unless one follows) is the element's id.
func (s *scanner) attrNameEnd() {
	if s.script && !s.idSeen && s.attrLen == 2 && s.attr == [2]byte{'i', 'd'} {
		s.attrIsID, s.idSeen = true, true
		s.idLen, s.idMatch = 0, [2]bool{true, true}
	}
}

// valueStart is called when an attribute's value starts.
func (s *scanner) valueStart() { s.inID = s.attrIsID }

// valueEnd is called when an attribute's value ends.
func (s *scanner) valueEnd() { s.inID = false }

// idBytes reads more of a script tag's id value.
func (s *scanner) idBytes(b []byte) {
	for k, id := range widgetMarkerIDs {
		s.idMatch[k] = s.idMatch[k] && s.idLen+len(b) <= len(id) && string(b) == id[s.idLen:s.idLen+len(b)]
	}
	s.idLen += len(b)
}
