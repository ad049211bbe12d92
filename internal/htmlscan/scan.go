package htmlscan

import "bytes"

// This file reads a page as the HTML standard's tokenizer (13.2.5) does,
// to tell which "</body" are end tags: Certify runs a scanner from each
// state a page's start could have left the tokenizer in, and one from the
// page's first byte when it has it.
//
// The scanner follows the tokenizer from where it starts, so the context
// of every "</body" after it is known: one inside
// a comment, a script (its <!-- escapes included), a style, a textarea or
// title, another raw text element or an attribute value is text, not an
// end tag. It keeps a few dozen bytes of state whatever the page's size,
// and reads pieces of any size, so a tag split across writes is found as
// well.
//
// It is fast because most bytes are never visited one by one. In the
// states where one byte or one sequence matters, bytes.IndexByte skips to
// it: "<" in text, script data and raw text, "-" in comments, ">" in bogus
// comments, the closing quote in a quoted attribute value. Text and the
// tags that lie whole in the piece being read are read by a tight loop
// (data), which visits the bytes of names and unquoted values and skips
// quoted values; only a tag cut by the end of a piece, comments and other
// markup go through the state machine.
//
// What the scanner does not follow: the tree builder's choices, which need
// the whole document. Inside <svg> and <math> it still takes <script>,
// <style> and <title> as raw text elements and does not know CDATA
// sections, and a </body> in a <template> counts like any other.

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
	nameBody      = "body"
	nameScript    = "script"
	namePlaintext = "plaintext"
	// maxName is the longest name that matters (plaintext); longer names
	// are only counted.
	maxName = len(namePlaintext)
)

// rawTextNames are the raw text and RCDATA elements other than script
// and plaintext, whose text ends only at their own end tag.
var rawTextNames = [...]string{"style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"}

// Scanner reads a page and reports where its </body> end tags are.
type Scanner struct {
	Off int64 // bytes read so far

	// Cand is the offset of the "<" of the last complete </body> end tag
	// read, or -1.
	Cand int64
	// Pending is the offset of the "<" of a tag that may still turn out
	// to be a </body> end tag (the bytes read so far are "<", "</", or
	// "</bo" and the like, or a whole "</body" whose ">" has not come), or
	// -1. The middleware holds the bytes from there until it knows.
	Pending int64

	// dataAt is the last offset at which the scanner was in the data
	// state as far as it noted, or -1: Certify rules out a reading that
	// stays out of it from the </body> on to the page's end. It may be
	// later than the truth by the length of a raw text element's start tag
	// (data reads such a tag whole), never earlier.
	dataAt int64

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
}

// InData reports whether the scanner is in the data state: reading text,
// where the next "<" starts a tag.
func (s *Scanner) InData() bool { return s.st == scanData }

// NewScanner returns a scanner at the start of a page.
func NewScanner() Scanner { return Scanner{Cand: -1, Pending: -1} }

// isSpace reports whether c is white space between HTML attributes (CR
// included: the input stream turns it into LF).
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isTagEnd reports whether c ends a tag's name: white space, "/" or ">".
func isTagEnd(c byte) bool { return isSpace(c) || c == '/' || c == '>' }

// equalFold reports whether p starts with name (lower case), in any case
// of ASCII letters.
func equalFold(p []byte, name string) bool {
	for k := range len(name) {
		if Lower(p[k]) != name[k] {
			return false
		}
	}
	return true
}

// Lower returns c in Lower case if it is an ASCII letter.
func Lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Scan reads the next piece of the page.
func (s *Scanner) Scan(p []byte) {
	base := s.Off
	i := 0
	for i < len(p) {
		switch s.st {
		case scanData:
			// Text, and the tags that lie whole in p; the state machine
			// takes over at anything else.
			var ok bool
			i, ok = s.data(p, i, base)
			s.dataAt = base + int64(i)
			if ok {
				continue
			}
			s.Pending = base + int64(i)
			s.st = scanTagOpen
			i++

		case scanTagOpen:
			switch c := p[i]; {
			case isAlpha(c):
				s.Pending = -1
				s.startTag(false, c)
				i++
			case c == '/':
				s.st = scanEndTagOpen
				i++
			case c == '!':
				s.Pending = -1
				s.st, s.n = scanMarkup, 0
				i++
			case c == '?':
				s.Pending = -1
				s.st = scanBogus
				i++
			default: // text; reconsume
				s.Pending = -1
				s.st = scanData
			}

		case scanEndTagOpen:
			switch c := p[i]; {
			case isAlpha(c):
				if Lower(c) != nameBody[0] {
					s.Pending = -1
				}
				s.startTag(true, c)
			case c == '>': // "</>" is nothing at all
				s.Pending = -1
				s.st = scanData
			default:
				s.Pending = -1
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
				if isTagEnd(c) {
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
			}

		case scanAttrName:
			for i < len(p) {
				c := p[i]
				if isSpace(c) || c == '/' || c == '>' || c == '=' {
					s.st = scanAfterAttrName // reconsume
					break
				}
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
			if c == '"' || c == '\'' {
				s.st, s.quote = scanQuotedValue, c
				i++
			} else {
				s.st = scanUnquotedValue // reconsume: c is the value's first byte
			}

		case scanQuotedValue:
			j := bytes.IndexByte(p[i:], s.quote)
			if j < 0 {
				i = len(p)
				continue
			}
			i += j + 1
			s.st = scanTagSpace

		case scanUnquotedValue:
			for i < len(p) && !isSpace(p[i]) && p[i] != '>' {
				i++
			}
			if i < len(p) {
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
			if Lower(p[i]) != s.raw[s.n] {
				s.st = s.ret
				continue
			}
			i++
			if s.n++; s.n == len(s.raw) {
				s.st = scanRawEndDelim
			}

		case scanRawEndDelim:
			c := p[i]
			if !isTagEnd(c) {
				s.st = s.ret
				continue
			}
			// The end tag of the element: read on as a tag, from its
			// delimiter.
			s.end = true
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
			i = s.escaped(p, i, scanScriptEsc)

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
			if s.scriptWord(p[i], scanScriptDbl, scanScriptEsc) {
				i++
			}

		case scanScriptDbl, scanScriptDblDash, scanScriptDblDashDash:
			i = s.escaped(p, i, scanScriptDbl)

		case scanScriptDblLT:
			if p[i] == '/' {
				s.st, s.n = scanScriptDblEnd, 0
				i++
			} else {
				s.st = scanScriptDbl
			}

		case scanScriptDblEnd:
			if s.scriptWord(p[i], scanScriptEsc, scanScriptDbl) {
				i++
			}

		case scanPlaintext:
			i = len(p)
		}
	}
	s.Off = base + int64(i)
	if s.st == scanData {
		s.dataAt = s.Off
	}
}

// escaped reads p[i] or, from state base, the next "-" or "<" (the only
// bytes that matter there) in escaped or double escaped script data:
// base is scanScriptEsc or scanScriptDbl, followed in order by its dash,
// dash-dash and "<" states. It returns the index after the byte read.
func (s *Scanner) escaped(p []byte, i int, base scanState) int {
	if s.st == base {
		j := indexDashOrLT(p[i:])
		if j < 0 {
			return len(p)
		}
		i += j
	}
	switch c := p[i]; {
	case c == '-':
		s.st = min(s.st+1, base+2)
	case c == '<':
		s.st = base + 3
	case c == '>' && s.st == base+2:
		s.st = scanScript
	default:
		s.st = base
	}
	return i + 1
}

// scriptWord reads c after "<" (or "</") in escaped (or double escaped)
// script data, where "script" and a delimiter switch between the two: on
// the delimiter, the state becomes match; on a byte that does not match,
// fail, c to be read again there. It reports whether c was read.
func (s *Scanner) scriptWord(c byte, match, fail scanState) bool {
	switch {
	case s.n == len(nameScript) && isTagEnd(c):
		s.st = match
	case s.n == len(nameScript) || Lower(c) != nameScript[s.n]:
		s.st = fail
		return false
	default:
		s.n++
	}
	return true
}

// startTag starts a start or end tag whose name begins with c.
func (s *Scanner) startTag(end bool, c byte) {
	s.st = scanTagName
	s.end = end
	s.name[0], s.nameLen = Lower(c), 1
}

// addName adds c to the tag's name. An end tag stops being a possible
// </body> as soon as its name is not a prefix of "body".
func (s *Scanner) addName(c byte) {
	if s.nameLen < maxName {
		s.name[s.nameLen] = Lower(c)
	}
	if s.end && s.Pending >= 0 && (s.nameLen >= len(nameBody) || Lower(c) != nameBody[s.nameLen]) {
		s.Pending = -1
	}
	s.nameLen = min(s.nameLen+1, maxName+1)
}

// tagName returns the tag's name as read, "" when it is longer than any
// name that matters.
func (s *Scanner) tagName() []byte {
	if s.nameLen > maxName {
		return nil
	}
	return s.name[:s.nameLen]
}

// nameEnd is called when the tag's name is complete.
func (s *Scanner) nameEnd() {
	if s.end && string(s.tagName()) != nameBody {
		s.Pending = -1
	}
}

// rawElement returns the element name whose end tag ends the text that
// follows a start tag named name, and the state that reads it; "" when
// markup follows as usual.
func rawElement(name []byte) (string, scanState) {
	switch string(name) {
	case nameScript:
		return nameScript, scanScript
	case namePlaintext:
		return namePlaintext, scanPlaintext
	}
	for _, raw := range rawTextNames {
		if string(name) == raw {
			return raw, scanRaw
		}
	}
	return "", scanData
}

// tagEnd is called at the ">" that ends a tag.
func (s *Scanner) tagEnd() {
	if !s.end {
		s.raw, s.st = rawElement(s.tagName())
		return
	}
	s.st = scanData
	if s.Pending >= 0 { // the name was "body"
		s.Cand, s.Pending = s.Pending, -1
	}
}

// Byte classes of the tag reader: white space; white space and "/",
// skipped before an attribute's name; the bytes that end a tag's name, an
// attribute's name, and an unquoted attribute value.
var space, spaceSlash, nameStop, attrNameStop, valueStop [256]bool

func init() {
	for _, c := range []byte(" \t\n\f\r") {
		space[c], spaceSlash[c] = true, true
		nameStop[c], attrNameStop[c], valueStop[c] = true, true, true
	}
	spaceSlash['/'] = true
	nameStop['/'], nameStop['>'] = true, true
	attrNameStop['/'], attrNameStop['>'], attrNameStop['='] = true, true, true
	valueStop['>'] = true
}

// data reads text and the tags that lie whole in p, from p[i] on, in the
// data state. It returns where it stopped, with ok: at len(p); or after
// the start tag of a raw text element, the scanner in its state. Or it
// returns, with ok false, the index of a "<" for the state machine:
// not followed by a letter or "/" and a letter (comments, doctypes, bogus
// comments and text are the state machine's), or starting a tag that p
// cuts. base is p's offset in the page.
//
// It follows the states of the HTML standard's tokenizer from the tag
// name state to the ">" that emits the tag, as the state machine does,
// without storing them: names and unquoted values are skipped a byte at
// a time, quoted values and text with indexByte.
func (s *Scanner) data(p []byte, i int, base int64) (next int, ok bool) {
	for {
		k := indexByte(p[i:], '<')
		if k < 0 {
			return len(p), true
		}
		i += k
		j := i + 1
		end := false
		if j < len(p) && p[j] == '/' {
			end = true
			j++
		}
		if j >= len(p) || !isAlpha(p[j]) {
			return i, false
		}
		name := j
		for j < len(p) && !nameStop[p[j]] {
			j++
		}
		nameEnd := j
		for {
			// Before an attribute's name; "/" (the self-closing start tag
			// state) leads back here unless ">" follows.
			for j < len(p) && spaceSlash[p[j]] {
				j++
			}
			if j >= len(p) {
				return i, false
			}
			if p[j] == '>' {
				break
			}
			// An attribute's name: its first byte may be "=".
			j++
			for j < len(p) && !attrNameStop[p[j]] {
				j++
			}
			for j < len(p) && space[p[j]] {
				j++
			}
			if j >= len(p) {
				return i, false
			}
			if p[j] != '=' {
				continue // "/", ">" or the next attribute's name
			}
			// Its value.
			j++
			for j < len(p) && space[p[j]] {
				j++
			}
			if j >= len(p) {
				return i, false
			}
			switch q := p[j]; q {
			case '"', '\'':
				k := indexByte(p[j+1:], q)
				if k < 0 {
					return i, false
				}
				j += k + 2
			case '>': // no value: the ">" ends the tag
			default:
				for j < len(p) && !valueStop[p[j]] {
					j++
				}
			}
		}
		// p[j] is the ">" that ends the tag.
		n := nameEnd - name
		if end {
			if n == len(nameBody) && equalFold(p[name:], nameBody) {
				s.Cand = base + int64(i)
			}
		} else if n < 16 && rawLens[Lower(p[name])]&(1<<n) != 0 {
			var buf [maxName]byte
			for k := range n {
				buf[k] = Lower(p[name+k])
			}
			s.raw, s.st = rawElement(buf[:n])
			if s.st != scanData {
				return j + 1, true
			}
		}
		i = j + 1
	}
}

// rawLens has, for each first letter of the names of raw text elements,
// a bit for the length of each: most tags need no more look.
var rawLens = func() (t [256]uint16) {
	for _, name := range append([]string{nameScript, namePlaintext}, rawTextNames[:]...) {
		t[name[0]] |= 1 << len(name)
	}
	return t
}()

// indexDashOrLT returns the index of the first "-" or "<" in p, -1 if
// none: the bytes that matter in escaped script data.
func indexDashOrLT(p []byte) int {
	lt := bytes.IndexByte(p, '<')
	if lt < 0 {
		lt = len(p)
	}
	if d := bytes.IndexByte(p[:lt], '-'); d >= 0 {
		return d
	}
	if lt == len(p) {
		return -1
	}
	return lt
}

// indexByte is bytes.IndexByte, faster when c is near, as in attribute
// values and the text between tags: it looks at the first bytes itself,
// sparing a call for most of them.
func indexByte(b []byte, c byte) int {
	const near = 8
	for i := range min(len(b), near) {
		if b[i] == c {
			return i
		}
	}
	if len(b) > near {
		if j := bytes.IndexByte(b[near:], c); j >= 0 {
			return near + j
		}
	}
	return -1
}
