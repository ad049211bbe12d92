package sobot

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWXMLAttrURL: every byte special in a WXML attribute is
// percent-encoded (white space and controls, the quotes, < > \ { } ` ;
// and & before the query); the query's & stays bare, as the reference
// writes it.
func TestWXMLAttrURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://x.example/p?a=1&b=2":        "https://x.example/p?a=1&b=2",
		"https://x.example/a&b?c=1&d":        "https://x.example/a%26b?c=1&d",
		"https://x.example/&":                "https://x.example/%26",
		"\"'<>\\{}`; \x00\x1f\x7f!~":         "%22%27%3C%3E%5C%7B%7D%60%3B%20%00%1F%7F!~",
		"https://x.example/?q=\"a b\"&r='1'": "https://x.example/?q=%22a%20b%22&r=%271%27",
	} {
		assert.Equal(t, want, string(appendWXMLAttrURL(nil, in)), "%q", in)
	}
}
