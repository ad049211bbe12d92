package htmlscan

import "bytes"

// CommentTracker follows a page's "<!--" and comment closers as text, to
// tell whether a comment may be open at a given offset. A real comment
// starts at a "<!--" read as markup, so at one of those the tracker sees,
// and ends at its first closer: "-->" starting 2 bytes after it or later
// (<!--> and <!---> end there), or "--!>" starting 4 bytes after it or
// later (<!--!> does not end it). So no comment is open where a closer
// valid for the last "<!--" has come: if a real comment started earlier,
// that closer is valid for it too.
//
// It finds "<!--" and "--!>" by their "!" with bytes.IndexByte, rare in
// HTML; only while a "<!--" may be open are its dashes looked at.
type CommentTracker struct {
	// Off is the number of bytes read.
	Off int64
	// open is the offset of the last "<!--", -1 for none; closed tells
	// whether a closer valid for it came.
	open   int64
	closed bool
	// last holds the last bytes read, for openers and closers cut across
	// pieces.
	last    [3]byte
	lastLen int
}

// NewCommentTracker returns a tracker at the start of a page.
func NewCommentTracker() CommentTracker { return CommentTracker{open: -1} }

// MayBeOpen reports whether a comment may be open after the bytes read.
func (t *CommentTracker) MayBeOpen() bool { return t.open >= 0 && !t.closed }

// Track reads the next piece of the page.
func (t *CommentTracker) Track(p []byte) {
	if len(p) == 0 {
		return
	}
	// First what starts in the bytes kept from before and ends in p.
	var edge [2 * len(t.last)]byte
	n := copy(edge[:], t.last[:t.lastLen])
	n += copy(edge[n:], p[:min(len(p), len(t.last))])
	base := t.Off - int64(t.lastLen)
	for i := range t.lastLen {
		t.event(edge[:n], i, base, t.lastLen)
	}
	t.scan(p, t.Off)
	t.Off += int64(len(p))
	if len(p) >= len(t.last) {
		t.lastLen = copy(t.last[:], p[len(p)-len(t.last):])
	} else {
		keep := min(t.lastLen, len(t.last)-len(p))
		copy(t.last[:], t.last[t.lastLen-keep:t.lastLen])
		t.lastLen = keep + copy(t.last[keep:], p)
	}
}

// Openers and closers as the tracker sees them.
const (
	commentOpen  = "<!--"
	commentClose = "-->"
	commentBang  = "--!>"
)

// event reads the opener or closer that starts at p[i], if any, lies whole
// in p and ends at p[after] or later; base is p's offset.
func (t *CommentTracker) event(p []byte, i int, base int64, after int) {
	at := base + int64(i)
	has := func(s string) bool {
		return i+len(s) <= len(p) && i+len(s) > after && string(p[i:i+len(s)]) == s
	}
	switch {
	case has(commentOpen):
		t.open, t.closed = at, false
	case t.open < 0:
	case has(commentClose) && at >= t.open+2, has(commentBang) && at >= t.open+4:
		t.closed = true
	}
}

// scan reads the openers and closers that lie whole in p, whose offset is
// base. While no comment may be open, only a "<!--" matters: it is found
// by its "!". While one may be, its closer or a later "<!--": found by
// their first "-".
func (t *CommentTracker) scan(p []byte, base int64) {
	for i := 0; i < len(p); {
		if !t.MayBeOpen() {
			j := bytes.IndexByte(p[i:], '!')
			if j < 0 {
				return
			}
			i += j
			if i > 0 {
				t.event(p, i-1, base, 0)
			}
			i++
			continue
		}
		j := bytes.IndexByte(p[i:], '-')
		if j < 0 {
			return
		}
		i += j
		if i >= 2 {
			t.event(p, i-2, base, 0) // the "-" may be an opener's first
		}
		t.event(p, i, base, 0)
		i++
	}
}
