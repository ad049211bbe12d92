package htmlscan

import "bytes"

// FindBody searches p as text for the first "</body" followed by white
// space, "/" or ">", in any case of letters, and returns its index, -1 if
// none. Every </body> end tag starts so, and so do some "</body>" that
// are text (in a script, a comment...): Certify tells them apart.
//
// It looks for the letter y, rare in HTML, and checks the bytes before
// and after it: most of p is searched by bytes.IndexByte at memory speed.
func FindBody(p []byte) int {
	at := -1
	for _, y := range [2]byte{'y', 'Y'} {
		end := len(p) - 1 // the y needs a byte after it
		if at >= 0 {
			end = at + len(BodyTag) - 1 // only an earlier one matters
		}
		for i := len(BodyTag) - 1; i < end; i++ {
			j := bytes.IndexByte(p[i:end], y)
			if j < 0 {
				break
			}
			if i += j; bodyTagAt(p, i-len(BodyTag)+1) {
				at = i - len(BodyTag) + 1
				break
			}
		}
	}
	return at
}

// Partial returns the index of a trailing part of p that may be the start
// of a "</body" and its delimiter ("<", "</B", a whole "</body" whose next
// byte has not come), len(p) if none.
func Partial(p []byte) int {
	for k := max(0, len(p)-len(BodyTag)); k < len(p); k++ {
		if p[k] == '<' && bodyPrefix(p[k:]) {
			return k
		}
	}
	return len(p)
}

// LastBody returns the index of the last "</body" and delimiter in p, as
// FindBody finds them, -1 if none.
func LastBody(p []byte) int {
	last := -1
	for i := 0; i < len(p); {
		at := FindBody(p[i:])
		if at < 0 {
			break
		}
		last = i + at
		i += at + 1
	}
	return last
}

// BodyAt reports whether p starts with "</body" and a delimiter, as far
// as p goes: yes when p holds all of them, maybe when p is a start of
// them.
func BodyAt(p []byte) (yes, maybe bool) {
	if len(p) > len(BodyTag) {
		return bodyTagAt(p, 0), false
	}
	return false, len(p) > 0 && bodyPrefix(p)
}

// BodyTag is the start of a </body> end tag, without its delimiter.
const BodyTag = "</body"

// bodyTagAt reports whether p[i:] starts with "</body" in any case and a
// delimiter.
func bodyTagAt(p []byte, i int) bool {
	return i+len(BodyTag) < len(p) && equalFold(p[i:], BodyTag) && isTagEnd(p[i+len(BodyTag)])
}

// bodyPrefix reports whether p, shorter than "</body" and a delimiter,
// may be their start.
func bodyPrefix(p []byte) bool {
	for k, c := range p {
		if k == len(BodyTag) {
			return isTagEnd(c)
		}
		if Lower(c) != BodyTag[k] {
			return false
		}
	}
	return true
}
