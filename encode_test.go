package sobot

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

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
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q: output %s is not JSON: %v", s, got, err)
		}
		std, _ := json.Marshal(s)
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		if back != want {
			t.Fatalf("%q: decodes to %q, encoding/json's to %q", s, back, want)
		}
		if i := strings.IndexAny(string(got), "<>&'"); i >= 0 {
			t.Fatalf("%q: output %s holds %q", s, got, got[i])
		}
		for i, c := range got {
			if c >= 0x80 {
				t.Fatalf("%q: output %s is not ASCII at %d: a page in GBK or Big5 could read its bytes with the next ones", s, got, i)
			}
		}
		text := appendJSONText(nil, s)
		var fromText string
		if err := json.Unmarshal(text, &fromText); err != nil || fromText != want {
			t.Fatalf("%q: appendJSONText gives %s, which decodes to %q, %v", s, text, fromText, err)
		}
		if strings.ContainsAny(string(text), "<>&'\u2028\u2029") {
			t.Fatalf("%q: appendJSONText output %s holds a character to escape", s, text)
		}
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
			if back, err := unescape(got); err != nil || back != s {
				t.Fatalf("%q: %q decodes to %q, %v", s, got, back, err)
			}
		}
		if strings.Trim(got, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") != "" {
			t.Fatalf("%q: %q holds a byte that is neither unreserved nor an escape", s, got)
		}
		if escapedLen(s) != len(got) {
			t.Fatalf("%q: escapedLen %d, written %d", s, escapedLen(s), len(got))
		}
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
