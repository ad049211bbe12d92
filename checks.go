package sobot

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// checker inspects a parameter's wire text and returns why it is invalid, or
// "" when it is fine.
type checker func(string) string

// oneOf accepts exactly the given texts.
func oneOf(allowed ...string) checker {
	return func(s string) string {
		for _, a := range allowed {
			if s == a {
				return ""
			}
		}
		return "must be one of " + strings.Join(allowed, ", ")
	}
}

// between accepts whole numbers from lo to hi.
func between(lo, hi int64) checker {
	return func(s string) string {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < lo || n > hi {
			return "must be a whole number from " + itoa(lo) + " to " + itoa(hi)
		}
		return ""
	}
}

// notNegative accepts whole numbers from 0 up.
func notNegative(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err != nil || n < 0 {
		return "must be a whole number, not negative"
	}
	return ""
}

// maxChars accepts texts of at most n characters, counted as JavaScript
// and Java count them (UTF-16 code units: an emoji counts two), so a text
// that passes here is not cut by Sobot's pages or servers.
func maxChars(n int) checker {
	return func(s string) string {
		if l := textLen(s); l > n {
			return "must be at most " + strconv.Itoa(n) + " characters, has " + strconv.Itoa(l)
		}
		return ""
	}
}

// all accepts what every checker accepts, reporting the first refusal.
func all(checks ...checker) checker {
	return func(s string) string {
		for _, c := range checks {
			if why := c(s); why != "" {
				return why
			}
		}
		return ""
	}
}

// noControl refuses control characters (a newline or NUL in an id is a bug
// upstream, and Sobot would sign and store it as it is).
func noControl(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return "must not contain control characters"
	}
	return ""
}

// notBlank refuses a text of white space only, which is set but empty to
// the eye (a partnerid of spaces would sign one shared "user").
func notBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return "must not be white space only"
	}
	return ""
}

// textLen returns the length of s in UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// hexColor accepts six hex digits (the wire form: no '#', lower case).
func hexColor(s string) string {
	if len(s) != 6 || strings.Trim(s, "0123456789abcdef") != "" {
		return `must be six hex digits such as "04babc" (a leading # and upper case are accepted)`
	}
	return ""
}

// webURL accepts absolute http and https URLs with a host. Other schemes
// (javascript:, data:, ...) would run or embed content in Sobot's pages or
// the agent's workbench.
func webURL(s string) string {
	if plainWebURL(s) {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http:// or https:// URL" + encodedHint(s)
	}
	return ""
}

// plainWebURL is webURL's fast path, for the common URL that url.Parse
// would accept without question: http or https, a host of letters, digits,
// dots and hyphens, and no control, space or percent bytes anywhere. Anything
// else goes through url.Parse.
func plainWebURL(s string) bool {
	var rest string
	switch {
	case len(s) > 8 && strings.EqualFold(s[:8], "https://"):
		rest = s[8:]
	case len(s) > 7 && strings.EqualFold(s[:7], "http://"):
		rest = s[7:]
	default:
		return false
	}
	host := true
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c <= ' ' || c == 0x7f || c == '%':
			return false
		case c == '/' || c == '?' || c == '#':
			if i == 0 {
				return false
			}
			host = false
		case host && !(c == '.' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'):
			return false
		}
	}
	return true
}

// pageURL accepts an http(s) URL or a WeChat mini-program page path such as
// "pages/goods/detail?id=1" or "/pages/index/index": path segments of
// letters, digits, _ - and . (no scheme, host, backslash or percent-escape,
// so nothing a browser could read as another origin or script), then an
// optional query without spaces, quotes or angle brackets.
func pageURL(s string) string {
	if webURL(s) == "" || miniProgramPath.MatchString(s) {
		return ""
	}
	return "must be an http:// or https:// URL or a mini-program page path such as pages/goods/detail?id=1" + encodedHint(s)
}

// miniProgramPath matches a mini-program page path with an optional query.
var miniProgramPath = regexp.MustCompile(`^/?[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*(\?[^\s\\"'<>` + "`" + `]*)?$`)

// encodedHint explains a URL given percent-encoded, as the reference
// suggests for its JavaScript (encodeURIComponent): the library encodes
// values itself.
func encodedHint(s string) string {
	if l := strings.ToLower(s); strings.HasPrefix(l, "http%3a") || strings.HasPrefix(l, "https%3a") {
		return "; it looks percent-encoded: pass the plain URL, the library encodes it"
	}
	return ""
}

// unixMillis accepts Unix times in milliseconds between 2001-09-09 and 2286,
// which catches seconds passed by mistake.
func unixMillis(s string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1e12 || n >= 1e13 {
		return "must be Unix time in milliseconds (13 digits); seconds or other units are not accepted"
	}
	return ""
}
