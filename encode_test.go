package sobot

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQueryEscape: the unreserved bytes of RFC 3986 stay as they are;
// every other byte is %XX in upper-case hex, a space %20.
func TestQueryEscape(t *testing.T) {
	for s, want := range map[string]string{
		"": "",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~",
		" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}":                                    "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D",
		"\x00\x1f\x7f\x80\xff":                                               "%00%1F%7F%80%FF",
		"小丁 a":                                                               "%E5%B0%8F%E4%B8%81%20a",
	} {
		assert.Equal(t, want, QueryEscape(s), "%q", s)
		assert.Equal(t, len(want), escapedLen(s), "escapedLen(%q)", s)
	}
}

// TestJSString: each escape appendJSString writes, byte for byte.
func TestJSString(t *testing.T) {
	for s, want := range map[string]string{
		"":                   `""`,
		"plain 中文 😀":         `"plain\u0020\u4e2d\u6587\u0020\ud83d\ude00"`, // ASCII only: safe in a GBK or Big5 page
		`"\`:                 `"\u0022\\"`,                                  // no quote: inert inside an attribute value
		"a b/c":              `"a\u0020b\u002fc"`,                           // no separator of attributes
		"=`\f\v":             "\"=`\\u000c\\u000b\"",
		"\n\r\t":             `"\n\r\t"`,
		"\x00\x1f\x7f":       `"\u0000\u001f\u007f"`,
		"<>&'":               `"\u003c\u003e\u0026\u0027"`,
		"\u2028\u2029":       `"\u2028\u2029"`,
		"\x80a\xffb\xe4\xb8": `"\ufffda\ufffdb\ufffd\ufffd"`,
		"\u007e\u0080\u00ff": `"~\u0080\u00ff"`, // U+0080 and up as \u escapes
	} {
		assert.Equal(t, want, string(appendJSString(nil, s)), "%q", s)
	}
}

// FuzzJSString holds appendJSString, the escaper every string of the
// widget goes through, and appendJSONText, the one of the JSON parameters'
// wire text, to encoding/json: their output is a JSON string that decodes
// to what json.Marshal's output decodes to (invalid UTF-8 bytes become
// U+FFFD alike), and holds none of the characters that could end a script
// element or a JavaScript string in HTML; appendJSString's is pure ASCII,
// safe in a page of any ASCII-compatible encoding. Run longer with
//
//	go test -run='^$' -fuzz=FuzzJSString -fuzztime=1m .
func FuzzJSString(f *testing.F) {
	for _, s := range []string{"", "plain", `"\`, "</script><!--", "&'<>", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "中文😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSString(nil, s)
		var back, want string
		require.NoError(t, json.Unmarshal(got, &back), "%q: output %s is not JSON", s, got)
		std, _ := json.Marshal(s)
		require.NoError(t, json.Unmarshal(std, &want))
		require.Equal(t, want, back, "%q: decodes as encoding/json's output does", s)
		require.Equal(t, -1, strings.IndexAny(string(got), "<>&'"), "%q: output %s holds one of <>&'", s, got)
		inside := got[1 : len(got)-1]
		require.Equal(t, -1, bytes.IndexAny(inside, "\" \t\n\f\r/"), "%q: the inside of %s holds a byte that ends an HTML attribute, its value or a tag", s, got)
		for i, c := range got {
			require.Less(t, c, byte(0x80), "%q: output %s is not ASCII at %d: a page in GBK or Big5 could read its bytes with the next ones", s, got, i)
		}
		text := appendJSONText(nil, s)
		var fromText string
		require.NoError(t, json.Unmarshal(text, &fromText), "%q: appendJSONText gives %s", s, text)
		require.Equal(t, want, fromText, "%q: appendJSONText gives %s", s, text)
		require.False(t, strings.ContainsAny(string(text), "<>&'\u2028\u2029"), "%q: appendJSONText output %s holds a character to escape", s, text)
	})
}

// FuzzQueryEscape holds QueryEscape to net/url: what it writes decodes
// back with url.QueryUnescape and url.PathUnescape, and holds only
// unreserved bytes and %XX escapes.
func FuzzQueryEscape(f *testing.F) {
	for _, s := range []string{"", "a b+c&d=e", "中文", "%zz", "~-._", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := QueryEscape(s)
		for _, unescape := range []func(string) (string, error){url.QueryUnescape, url.PathUnescape} {
			back, err := unescape(got)
			require.NoError(t, err, "%q: %q", s, got)
			require.Equal(t, s, back, "%q: %q decoded", s, got)
		}
		require.Empty(t, strings.Trim(got, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%"),
			"%q: %q holds a byte that is neither unreserved nor an escape", s, got)
		require.Equal(t, len(got), escapedLen(s), "%q: escapedLen against the length written", s)
	})
}

// BenchmarkJSString measures appendJSString against encoding/json on a
// typical value (a visitor's name and remark): writing into the widget's
// buffer in place is why a widget takes a few allocations, not one per
// string.
func BenchmarkJSString(b *testing.B) {
	const s = "小丁哥 <vip> 每次响应不能超过5秒钟 & more"
	buf := make([]byte, 0, 256)
	b.Run("appendJSString", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = appendJSString(buf[:0], s)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, _ := json.Marshal(s)
			buf = append(buf[:0], out...)
		}
	})
}
