package sobot

// This file writes the object of zc("config", {...}) (and of zc("trace",
// {...})): each parameter in the JavaScript type of its row, as a JSON
// object, so that the page's script and a JSON parser read the same values.

import (
	"strconv"
	"strings"
)

// onLoaderURL reports whether f goes on the loader's URL instead of into
// the config. channelid does: the console's integration code carries it
// there, next to sysnum, so the loader knows the channel before any config
// call is replayed.
func onLoaderURL(f field) bool { return f.name == "channelid" && f.row != nil }

// hasConfig reports whether any of fs goes into the config object.
func hasConfig(fs []field) bool {
	for _, f := range fs {
		if !onLoaderURL(f) {
			return true
		}
	}
	return false
}

// appendConfig appends fs as a JSON object, keys in the order of fs. The
// members of pre_visit_args and cur_visit_args are gathered into those
// objects, placed where their first member is.
func appendConfig(b []byte, fs []field) []byte {
	b = append(b, '{')
	n := 0
	for i, f := range fs {
		if onLoaderURL(f) {
			continue
		}
		if f.row != nil && f.row.JS == JSObjectMember {
			if !firstMember(fs, i) {
				continue
			}
			b = appendKey(b, n, f.row.Parent)
			b = appendMembers(b, fs[i:], f.row.Parent)
		} else {
			b = appendKey(b, n, f.name)
			b = appendValue(b, f)
		}
		n++
	}
	return append(b, '}')
}

// appendKey appends the n-th key of an object, with its separator.
func appendKey(b []byte, n int, key string) []byte {
	if n > 0 {
		b = append(b, ',')
	}
	b = appendJSString(b, key)
	return append(b, ':')
}

// firstMember reports whether fs[i] is the first member of its object in fs.
func firstMember(fs []field, i int) bool {
	for _, g := range fs[:i] {
		if g.row != nil && g.row.JS == JSObjectMember && g.row.Parent == fs[i].row.Parent {
			return false
		}
	}
	return true
}

// appendMembers appends the object of the fields of fs whose parent is
// parent; members are strings.
func appendMembers(b []byte, fs []field, parent string) []byte {
	b = append(b, '{')
	n := 0
	for _, f := range fs {
		if f.row != nil && f.row.JS == JSObjectMember && f.row.Parent == parent {
			b = appendKey(b, n, f.name)
			b = appendJSString(b, f.text)
			n++
		}
	}
	return append(b, '}')
}

// appendValue appends f's value in its row's JavaScript type. Texts that do
// not fit the type (which validation prevents) are written as strings, so
// the output stays valid JSON whatever happens.
func appendValue(b []byte, f field) []byte {
	if f.row == nil {
		return appendJSString(b, f.text) // an extra parameter: text as given
	}
	switch f.row.JS {
	case JSNumber:
		if isSafeJSInteger(f.text) {
			return append(b, f.text...)
		}
	case JSBool:
		switch f.text {
		case "1", "true":
			return append(b, "true"...)
		case "0", "false":
			return append(b, "false"...)
		}
	case JSURIString:
		// Percent-encoding leaves only A–Z a–z 0–9 - . _ ~ and %XX, which
		// need no escaping in a string literal. It escapes !'()* too, unlike
		// encodeURIComponent; decodeURIComponent gives the same text back.
		b = append(b, '"')
		b = appendQueryEscape(b, f.text)
		return append(b, '"')
	case JSJSONString:
		if f.name == "goods" && f.src != nil {
			// The reference's widget example URI-encodes each pictureUrl
			// before JSON.stringify.
			return appendJSString(b, string(appendGoods(nil, f.src.Order.Goods, QueryEscape)))
		}
	}
	return appendJSString(b, f.text)
}

// isSafeJSInteger reports whether s is an integer in JSON's syntax (an
// optional minus, then 0 or digits without a leading zero) that a
// JavaScript number holds exactly: at most 2^53−1 in magnitude. Anything
// else is written as a string, so no digit of a long order code is lost.
func isSafeJSInteger(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || (digits[0] == '0' && (len(digits) > 1 || len(s) > 1)) || len(digits) > 16 {
		return false // leading zeros, or -0, which a JS number cannot keep
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return err == nil && n <= 1<<53-1
}
