package sobot

import (
	"unicode/utf16"
	"unicode/utf8"
)

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

// appendJSString appends s as a double-quoted string literal for the
// widget's script: valid JSON, and safe inside an HTML <script> element
// or attribute in any page encoding. Quotes, backslashes, control
// characters, <, >, &, ', spaces, slashes and every character outside
// ASCII are escaped (\uXXXX, a surrogate pair beyond U+FFFF, or a short
// escape for \\, \n, \r and \t; a slash is \u002f, as \/ would still
// hold one), so the output is pure ASCII: the page
// around it may not be UTF-8, and on a GBK or Big5 page a raw character's
// last byte followed by a backslash reads as one character, and the
// backslash vanishes. And it holds no byte that ends an HTML tag, an
// attribute's name or its value: wherever the HTML tokenizer reads it
// (text, a comment, a tag), it stays inert, which Client.Middleware needs
// where it cannot read a page whole (see htmlscan.Certify). Invalid UTF-8
// bytes become U+FFFD, as encoding/json makes them.
func appendJSString(dst []byte, s string) []byte { return appendQuoted(dst, s, true) }

// appendJSONText appends s as a JSON string for the wire text of the
// JSON-valued parameters (params, goods, transfer_action): escaped as
// appendJSString escapes, but characters outside ASCII kept as UTF-8, since
// links percent-encode every byte and the widget's script re-escapes the
// whole text.
func appendJSONText(dst []byte, s string) []byte { return appendQuoted(dst, s, false) }

// appendQuoted is appendJSString, or appendJSONText without ascii.
func appendQuoted(dst []byte, s string, ascii bool) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\\' || c == '"' && !ascii:
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\'' || c == 0x7f || ascii && (c == '"' || c == ' ' || c == '/'):
				dst = appendUnicodeEscape(dst, rune(c))
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			dst = appendUnicodeEscape(dst, r) // an invalid byte is \ufffd
		case !ascii:
			dst = append(dst, s[i:i+size]...)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			dst = appendUnicodeEscape(appendUnicodeEscape(dst, hi), lo)
		default:
			dst = appendUnicodeEscape(dst, r)
		}
		i += size
	}
	return append(dst, '"')
}

// appendUnicodeEscape appends \uXXXX for r, at most U+FFFF.
func appendUnicodeEscape(dst []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
}
