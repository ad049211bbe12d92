package htmlscan

import (
	"bytes"
	"math/bits"
)

// This file tells whether a "</body>" found as text near the end of a
// page is the page's last </body> end tag, without reading the page from
// its start: the middleware searches the page's last bytes as text
// (FindBody), holds the bytes from the first "</body" on, and keeps the
// few kilobytes before it (the window). Certify then reads the window and
// the held bytes in every way the page's start could have left them.
//
// The readings start right after the window's first ">" (offset r). Right
// after a ">", the tokenizer can only be in a few states (AllStarts lists
// them; a test checks the list against the scanner's own states): text, a
// comment, raw text of each raw text element, the three states of script
// data, plaintext, or a quoted attribute value of some kind of tag. Each
// reading is a scanner (a thread). Threads that reach the same state at
// the same offset read the same from there on, and are merged; in a real
// page most merge within a few tags.
//
// The true reading is one of them, so a </body> that every thread takes
// is the page's last </body> end tag. A thread that does not take it
// objects, unless it is ruled out:
//
//   - a thread inside a comment at the </body>: the widget inserted there
//     would be the comment's text, inert (it holds no "-->" or "--!>"),
//     and the page would be unchanged;
//   - once the page has ended, a thread that stays out of the data state
//     from the </body> to the page's end: if that reading were the true
//     one, a comment, script, raw text element or tag would be left open
//     to the end of the page, which is broken then already. What is
//     inserted must then be harmless in any state of the tokenizer: the
//     middleware's widget is, as the visitor's strings in it hold no byte
//     that ends a tag, an attribute or a value (see appendJSString), so
//     they stay text or a script's strings wherever the widget lands.
//
// Threads that can never come back to the data state are not run at all:
// plaintext, and the raw text or script data of an element whose end tag
// is not among the bytes read. They object before the page's end, and are
// ruled out at it, so before the page's end Certify never says Taken: it
// says whether no reading takes a </body> held (Hidden), which is as good
// as exact.

// Window is how many bytes Certify needs before the first byte held: the
// middleware keeps that many bytes of the page before it.
const Window = 512

// VerdictKind is what Certify found.
type VerdictKind uint8

const (
	// Hidden: no possible reading takes any "</body>" held as an end tag
	// (or the page's start is known, and the last one is before those
	// held).
	Hidden VerdictKind = iota
	// Unsure: the readings disagree, and those that do not take the place
	// cannot be ruled out.
	Unsure
	// Taken: Verdict.Place is the page's last </body> end tag.
	Taken
)

// Verdict is Certify's answer.
type Verdict struct {
	Kind VerdictKind
	// Place is the offset of the "<" of the last </body> end tag, for
	// Taken; -1 otherwise.
	Place int64
}

// Certify tells where the last </body> end tag of a page is, among the
// bytes from offset from on, reading only the last bytes of the page.
//
// page holds the page's bytes from offset start to the end read so far:
// the window (up to from) and the bytes held from from on. atEOF tells
// that the page has ended.
//
// When start is 0 the page is read whole with a Scanner: the answer is
// exact. Otherwise it is Taken only at the page's end, when every reading
// of the window that the page's start could have led to takes the same
// </body> or is ruled out (see the top of this file), and Unsure when
// none of the window's bytes is a ">".
func Certify(page []byte, start, from int64, atEOF bool) Verdict {
	if start == 0 {
		s := NewScanner()
		s.Scan(page)
		if s.Cand >= from {
			return Verdict{Taken, s.Cand}
		}
		return Verdict{Hidden, -1}
	}
	gt := bytes.IndexByte(page[:from-start], '>')
	if gt < 0 {
		return Verdict{Unsure, -1}
	}
	r := start + int64(gt) + 1
	region := page[r-start:]
	var ts threads
	if !ts.findPlaces(page[from-start:], from) {
		return Verdict{Unsure, -1}
	}
	ts.start(r, findClosers(region, r))
	ts.run(region, r, from)
	return ts.verdict(from, atEOF)
}

// scriptIndex is script's index in closers, after rawTextNames.
const scriptIndex = len(rawTextNames)

// closers holds, for each of rawTextNames and then script, the offset of
// the "<" of the first end tag of that name (its name and the delimiter
// after it) in the bytes read, -1 if none: before it, raw text of that
// element stays raw text.
type closers [len(rawTextNames) + 1]int64

// findClosers returns the closers of region, whose offset is r.
func findClosers(region []byte, r int64) closers {
	var c closers
	for k := range c {
		c[k] = -1
	}
	for i := 0; ; i++ {
		j := bytes.IndexByte(region[i:], '<')
		if j < 0 {
			return c
		}
		i += j
		if k := closerAt(region[i:]); k >= 0 && c[k] < 0 {
			c[k] = r + int64(i)
		}
	}
}

// closerAt returns the index in closers of the end tag p starts with, -1
// if it starts with none of theirs: "</", the name in any case, and a
// byte that ends the raw text (white space, "/" or ">").
func closerAt(p []byte) int {
	if len(p) < 4 || p[1] != '/' {
		return -1
	}
	for m := closerFirst[Lower(p[2])]; m != 0; m &= m - 1 {
		k := bits.TrailingZeros16(m)
		name := closerName(k)
		if len(p) > 2+len(name) && equalFold(p[2:2+len(name)], name) && isTagEnd(p[2+len(name)]) {
			return k
		}
	}
	return -1
}

// closerName returns the name of the element of index k in closers.
func closerName(k int) string {
	if k == scriptIndex {
		return nameScript
	}
	return rawTextNames[k]
}

// closerFirst has, for each letter, a bit for each index in closers
// whose name starts with it: most end tags need no more look.
var closerFirst = func() (t [256]uint16) {
	for k := range len(closers{}) {
		t[closerName(k)[0]] |= 1 << k
	}
	return t
}()

// AllStarts returns every state the scanner can be in right after a ">"
// that ends at offset r: the states Scan can enter on a ">" byte. Certify
// starts the threads among them that can come back to the data state.
func AllStarts(r int64) []Scanner {
	at := func(st scanState, raw string) Scanner { return startAt(r, st, raw) }
	// Text: after a tag, a bogus comment, a comment's end, or in text.
	ts := []Scanner{at(scanData, ""), at(scanComment, "")}
	ts[0].dataAt = r
	for _, name := range rawTextNames {
		ts = append(ts, at(scanRaw, name))
	}
	// Script data after <script>; escaped after "-->"'s ">" is not
	// possible, but escaped and double escaped script data keep a ">"
	// that follows no "--".
	for _, st := range [...]scanState{scanScript, scanScriptEsc, scanScriptDbl} {
		ts = append(ts, at(st, nameScript))
	}
	ts = append(ts, at(scanPlaintext, namePlaintext))
	// A quoted attribute value, which a ">" does not end, of each kind of
	// tag: what its own ">" leads to; and of an end tag, </body> or not.
	for _, q := range [...]byte{'"', '\''} {
		for _, name := range startTagKinds {
			ts = append(ts, attrStart(r, q, name))
		}
		for _, body := range [...]bool{true, false} {
			s := attrStart(r, q, nameBody)
			s.end = true
			if body {
				s.Pending = r - 1 // the tag's "<", before r
			} else {
				s.name[0] = 'p'
			}
			ts = append(ts, s)
		}
	}
	return ts
}

// startAt returns a scanner at offset r in state st, reading the text of
// the element raw if st reads raw text, that has found nothing yet.
func startAt(r int64, st scanState, raw string) Scanner {
	return Scanner{Off: r, Cand: -1, Pending: -1, dataAt: -1, st: st, raw: raw}
}

// startTagKinds are the names of the start tags whose ">" leads to
// different states (see rawElement), "p" for all the others.
var startTagKinds = append(append([]string{"p", nameScript}, rawTextNames[:]...), namePlaintext)

// attrStart returns a scanner at offset r in a value quoted with q of a
// start tag named name.
func attrStart(r int64, q byte, name string) Scanner {
	s := startAt(r, scanQuotedValue, "")
	s.quote = q
	s.nameLen = copy(s.name[:], name)
	return s
}

// maxThreads bounds the threads Certify runs at once: text, a comment,
// the raw text elements, script data's three states, and the attribute
// values of the tags that lead to them, for both quotes.
const maxThreads = 2 + len(rawTextNames) + 3 + 2*(2+len(rawTextNames))

// maxPlaces bounds the "</body" held that Certify follows: a thread's
// commentAt has a bit for each.
const maxPlaces = 64

// threads are the readings Certify follows.
type threads struct {
	t [maxThreads]thread
	n int
	// places are the offsets of the "</body" held, in order: whether each
	// thread is inside a comment is noted at each.
	places    [maxPlaces]int64
	numPlaces int
}

// thread is a reading: its scanner, and the places (bits of commentAt)
// where it was inside a comment.
type thread struct {
	Scanner
	commentAt uint64
}

// findPlaces notes the "</body" in held, whose offset is from, and
// reports whether there are at most maxPlaces of them.
func (ts *threads) findPlaces(held []byte, from int64) bool {
	for i := 0; i < len(held); {
		at := FindBody(held[i:])
		if at < 0 {
			break
		}
		if ts.numPlaces == maxPlaces {
			return false
		}
		ts.places[ts.numPlaces] = from + int64(i+at)
		ts.numPlaces++
		i += at + 1
	}
	return true
}

// start starts a thread in every state the scanner can be in at r from
// which the data state can be reached again within the bytes read, as
// closers tells: the raw text of an element whose end tag comes at c
// starts at c, nothing changing before it.
func (ts *threads) start(r int64, c closers) {
	add := func(s Scanner) {
		ts.t[ts.n] = thread{Scanner: s}
		ts.n++
	}
	at := func(st scanState, raw string) Scanner { return startAt(r, st, raw) }
	data := at(scanData, "")
	data.dataAt = r
	add(data)
	add(at(scanComment, ""))
	for k, name := range rawTextNames {
		if c[k] >= 0 {
			s := at(scanRaw, name)
			s.Off = c[k]
			add(s)
		}
	}
	if c[scriptIndex] >= 0 {
		for _, st := range [...]scanState{scanScript, scanScriptEsc, scanScriptDbl} {
			add(at(st, nameScript))
		}
	}
	// A value in a tag that a ">" turns to plaintext, or to the text of
	// an element not closed, is read like one in a tag of no kind up to
	// that ">", and stays out of the data state after it: the thread of
	// no kind stands for them. End tags lead to the data state like a
	// start tag of no kind (a </body> whose "<" is before the window is
	// not held).
	for _, q := range [...]byte{'"', '\''} {
		add(attrStart(r, q, "p"))
		for k, name := range rawTextNames {
			if c[k] >= 0 {
				add(attrStart(r, q, name))
			}
		}
		if c[scriptIndex] >= 0 {
			add(attrStart(r, q, nameScript))
		}
	}
}

// Steps between merges of threads: the first after a few tags, when the
// threads started in attribute values have left their tags, then less
// and less often.
const (
	firstStep = 64
	maxStep   = 1024
)

// run reads region, whose offset is r, with every thread, merging those
// that reach the same state, and noting at each place which are inside a
// comment. A thread that starts later than r reads from its start. from
// is the offset of the first byte held.
func (ts *threads) run(region []byte, r, from int64) {
	end := r + int64(len(region))
	pos, step, merge := r, int64(firstStep), r+firstStep
	next := 0 // the next place
	for pos < end {
		stop := min(merge, end)
		if next < ts.numPlaces {
			stop = min(stop, ts.places[next])
		} else if ts.n == 1 {
			stop = end
		}
		for k := range ts.n {
			if t := &ts.t[k]; t.Off < stop {
				t.Scan(region[t.Off-r : stop-r])
			}
		}
		pos = stop
		for ; next < ts.numPlaces && ts.places[next] == pos; next++ {
			for k := range ts.n {
				if t := &ts.t[k]; t.Off == pos && t.InComment() {
					t.commentAt |= 1 << next
				}
			}
		}
		if pos == merge {
			ts.merge(from)
			step = min(2*step, maxStep)
			merge = pos + step
		}
	}
}

// InComment reports whether the scanner is inside a comment.
func (s *Scanner) InComment() bool { return s.st == scanComment || s.st == scanCommentBang }

// merge drops the threads whose state equals an earlier one's at the same
// offset: they read the same from here on. The one kept gets the latest
// data offset of the two, and the places where both were inside a
// comment, so that it is ruled out only if both would be.
func (ts *threads) merge(from int64) {
	kept := 0
	for k := range ts.n {
		t := ts.t[k]
		dup := -1
		for j := range kept {
			if ts.t[j].Off == t.Off && ts.t[j].st == t.st && ts.t[j].sameState(&t.Scanner, from) {
				dup = j
				break
			}
		}
		if dup >= 0 {
			ts.t[dup].dataAt = max(ts.t[dup].dataAt, t.dataAt)
			ts.t[dup].commentAt &= t.commentAt
			continue
		}
		ts.t[kept] = t
		kept++
	}
	ts.n = kept
}

// verdict reads the threads' findings. The place proposed is the latest
// </body> any thread takes: one that takes it was in the data state after
// it, so no thread that takes an earlier one can be ruled out for it. The
// threads not run never take one, and are ruled out only at the page's
// end.
func (ts *threads) verdict(from int64, atEOF bool) Verdict {
	place := int64(-1)
	for _, t := range ts.t[:ts.n] {
		place = max(place, t.heldCand(from))
	}
	if place < 0 {
		return Verdict{Hidden, -1}
	}
	if !atEOF {
		return Verdict{Unsure, -1} // plaintext, at least, objects
	}
	bit := uint64(0)
	for i, p := range ts.places[:ts.numPlaces] {
		if p == place {
			bit = 1 << i
		}
	}
	for _, t := range ts.t[:ts.n] {
		if t.heldCand(from) != place && t.dataAt > place && t.commentAt&bit == 0 {
			return Verdict{Unsure, -1}
		}
	}
	return Verdict{Taken, place}
}

// heldCand returns the scanner's last </body> end tag if it is at from or
// later, -1 otherwise.
func (s *Scanner) heldCand(from int64) int64 {
	if s.Cand >= from {
		return s.Cand
	}
	return -1
}

// sameState reports whether s and o, at the same offset and in the same
// state, read the same from here on and found the same among the bytes
// held (the last </body>, a tag that may be one): the fields their state
// reads are equal. from is the offset of the first byte held.
func (s *Scanner) sameState(o *Scanner, from int64) bool {
	if s.heldCand(from) != o.heldCand(from) || s.Pending != o.Pending {
		return false
	}
	switch s.st {
	case scanMarkup:
		return s.n == o.n
	case scanComment:
		return s.n == o.n && s.begin == o.begin
	case scanTagName:
		return s.end == o.end && string(s.tagName()) == string(o.tagName()) && s.nameLen == o.nameLen
	case scanTagSpace, scanAttrName, scanAfterAttrName, scanBeforeValue, scanQuotedValue, scanUnquotedValue:
		if s.end != o.end || s.st == scanQuotedValue && s.quote != o.quote {
			return false
		}
		if s.end {
			return true
		}
		a, _ := rawElement(s.tagName())
		b, _ := rawElement(o.tagName())
		return a == b
	case scanRaw, scanRawLT:
		return s.raw == o.raw
	case scanRawEnd, scanRawEndDelim:
		return s.raw == o.raw && s.ret == o.ret && s.n == o.n
	case scanScriptDblStart, scanScriptDblEnd:
		return s.n == o.n
	}
	return true
}
