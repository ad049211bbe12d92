package sobot

import "unicode/utf8"

// unreserved marks the bytes a query component keeps as they are: RFC 3986's
// unreserved set A–Z a–z 0–9 - . _ ~. Everything else is percent-encoded, a
// space as %20 (never +), so Sobot's pages decode values with
// decodeURIComponent and Go's url.ParseQuery alike.
var unreserved = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['.'], t['_'], t['~'] = true, true, true, true
	return t
}()

// appendQueryEscape appends s percent-encoded for a query name or value.
// Runs of unreserved bytes are copied at once.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved[c] {
			dst = append(append(dst, s[start:i]...), '%', hex[c>>4], hex[c&15])
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// escapedLen returns the length of s after appendQueryEscape.
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreserved[s[i]] {
			n += 2
		}
	}
	return n
}

// QueryEscape percent-encodes s the way this library writes query values:
// every byte outside A–Z a–z 0–9 - . _ ~ becomes %XX (a space is %20).
func QueryEscape(s string) string {
	return string(appendQueryEscape(make([]byte, 0, len(s)+len(s)/2), s))
}

// appendJSString appends s as a double-quoted string literal that is both
// valid JSON and safe inside an HTML <script> element or attribute: quotes,
// backslashes, control characters, <, >, &, ' and U+2028/U+2029 are
// escaped as \uXXXX or short escapes. Invalid UTF-8 bytes become U+FFFD, as
// encoding/json does.
func appendJSString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\'' || c == 0x7f:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
