package sobot

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file checks the URL-valued parameters. Sobot decodes them and shows
// or follows them in its chat pages and the agent's workbench, so every form
// refuses what a URL may not contain (see urlTextProblem) and script-capable
// schemes; beyond that each form accepts what the reference allows:
//
//	webURL      absolute http(s) URL                        to_customsys_url, leave_customsys_url
//	pictureURL  http(s) or protocol-relative (//host/...)   face, card_picture, invite_imgsrc, goods' pictureUrl
//	pageURL     http(s) URL or mini-program page path       card_url, order_url (跳转链接必须使用http或https开头)
//	traceURL    any URL or relative reference, but no       pre_/cur_visit_url, pre_/cur_thumbnail
//	            javascript:, data: or vbscript:             (the reference sets no format: a Referer
//	                                                        may be android-app://..., a path, //cdn/...)

// webURL accepts absolute http and https URLs with a host.
var webURL = check{says: "http(s) URL", why: func(s string) string {
	if plainWebURL(s) {
		return ""
	}
	return urlProblem(s, false)
}}

// pictureURL accepts absolute http(s) URLs and protocol-relative ones
// (//cdn.example/x.png), which real sites use for images. A relative path
// would resolve against Sobot's pages, where the picture is shown.
var pictureURL = check{says: "http(s) or protocol-relative (//host/...) URL", why: func(s string) string {
	if plainWebURL(s) {
		return ""
	}
	return urlProblem(s, true)
}}

// traceURL accepts what a visit trace may hold: any URL or relative
// reference (a Referer such as android-app://com.google.android.gm/, a path
// /products/1, //cdn.example/x.png), as browsers send them: with | ^ { }
// and a % that starts no escape left as they are. It refuses the schemes
// that run or embed content where the value is shown, and what could end
// a quoted attribute or markup there.
var traceURL = check{says: "any URL or relative reference except javascript:, data: and vbscript:", why: func(s string) string {
	if plainWebURL(s) {
		return ""
	}
	if why := urlTextProblem(s, true); why != "" {
		return why
	}
	u, err := url.Parse(escapeStrayPercents(s))
	if err != nil {
		return "must be a URL or a relative reference (" + parseErrorText(err) + ")"
	}
	if scriptSchemes[u.Scheme] {
		return "must not use the " + u.Scheme + ": scheme, which can run or embed content where the trace is shown"
	}
	return authorityProblem(u)
}}

// scriptSchemes are the schemes that can run script or embed content in a
// page that shows or follows the URL.
var scriptSchemes = map[string]bool{"javascript": true, "data": true, "vbscript": true}

// pageURL accepts an http(s) URL or a WeChat mini-program page path such as
// "pages/goods/detail?id=1" or "/pages/index/index": path segments of
// letters, digits, _ - and . (no scheme, host, backslash or percent-escape,
// so nothing a browser could read as another origin or script), then an
// optional query holding nothing a URL may not contain.
var pageURL = check{says: "http(s) URL or mini-program page path", why: func(s string) string {
	if plainWebURL(s) {
		return ""
	}
	if why := urlTextProblem(s, false); why != "" {
		return why
	}
	if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return authorityProblem(u)
	}
	if path, _, _ := strings.Cut(s, "?"); miniProgramPath.MatchString(path) {
		return ""
	}
	return "must be an http:// or https:// URL or a mini-program page path such as pages/goods/detail?id=1" + encodedHint(s)
}}

// miniProgramPath matches a mini-program page path.
var miniProgramPath = regexp.MustCompile(`^/?[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$`)

// urlProblem returns why s is not an absolute http(s) URL (or, with
// protocolRelative, a //host/... one), or "".
func urlProblem(s string, protocolRelative bool) string {
	if why := urlTextProblem(s, false); why != "" {
		return why
	}
	u, err := url.Parse(s)
	if err != nil {
		return "must be an absolute http:// or https:// URL (" + parseErrorText(err) + ")" + encodedHint(s)
	}
	relative := u.Scheme == "" && protocolRelative && strings.HasPrefix(s, "//") && u.Host != ""
	if !relative && (u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
		want := "an absolute http:// or https:// URL"
		if protocolRelative {
			want += " or a protocol-relative //host/... one (a relative path would point into Sobot's pages)"
		}
		return "must be " + want + encodedHint(s)
	}
	return authorityProblem(u)
}

// authorityProblem refuses credentials and bad ports in u's authority.
func authorityProblem(u *url.URL) string {
	if u.User != nil {
		return "must not carry a user name or password (user:password@): they would be shown to agents"
	}
	if !validPort(u) {
		return "has an invalid port: a port is a number from 1 to 65535"
	}
	return ""
}

// urlTextProblem refuses what a URL may not contain as it is: white space,
// control and invisible formatting characters, invalid UTF-8, the quotes
// and angle brackets that could end an attribute or start markup where
// Sobot shows the value (" ' < > and `; RFC 3986 allows ' in a URL, but a
// real one writes it %27 where it is shown), the backslash, and, unless
// browserSent, the other characters RFC 3986 excludes ({ } | ^) and a %
// that does not start a %XX escape. Browsers send those last ones as they
// are in a Referer or a page's address, which a visit trace takes as it is.
func urlTextProblem(s string, browserSent bool) string {
	refused := `"'<>\` + "`{}|^"
	if browserSent {
		refused = `"'<>\` + "`"
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f {
				return "must not contain spaces or control characters (percent-encode them)"
			}
			if strings.IndexByte(refused, c) >= 0 {
				return "must not contain " + strconv.QuoteRune(rune(c)) + " (percent-encode it)"
			}
			if c == '%' && !browserSent && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
				return "has a % that does not start a %XX escape (write a literal % as %25)"
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "must be valid UTF-8"
		}
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return "must not contain spaces, control or invisible formatting characters (percent-encode them)"
		}
		i += size
	}
	return ""
}

// escapeStrayPercents returns s with each % that does not start a %XX
// escape written %25, so that net/url reads a browser's URL as it means it.
func escapeStrayPercents(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			b.WriteString("25")
		}
	}
	return b.String()
}

// isHex reports whether c is a hex digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// parseErrorText is url.Parse's error without the input, which the
// problem already shows.
func parseErrorText(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return err.Error()
}

// plainWebURL is the URL checks' fast path, for the common URL that the
// slow path (urlTextProblem, url.Parse, authorityProblem) accepts without
// question: http or https, a host of letters, digits, dots and hyphens, no
// user info or port, and after it only bytes urlTextProblem accepts and no
// percent sign at all. FuzzURLFastPath holds it to the slow path.
func plainWebURL(s string) bool {
	var rest string
	if len(s) > 8 && strings.EqualFold(s[:8], "https://") {
		rest = s[8:]
	} else if len(s) > 7 && strings.EqualFold(s[:7], "http://") {
		rest = s[7:]
	} else {
		return false
	}
	host := true
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c <= ' ' || c >= 0x7f || c == '%' || strings.IndexByte(`"'<>\`+"`{}|^", c) >= 0 {
			return false
		}
		if c == '/' || c == '?' || c == '#' {
			if i == 0 {
				return false
			}
			host = false
		} else if host && !(c == '.' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// validPort reports whether u's port, if any, is a number from 1 to 65535
// (an empty port after ":" is not).
func validPort(u *url.URL) bool {
	if !strings.Contains(u.Host, ":") || strings.HasSuffix(u.Host, "]") {
		return true
	}
	n, err := strconv.Atoi(u.Port())
	return err == nil && n >= 1 && n <= 65535
}

// encodedHint explains a URL given percent-encoded, as the reference
// suggests for its JavaScript (encodeURIComponent): the library encodes
// values itself.
func encodedHint(s string) string {
	if l := strings.ToLower(s); strings.HasPrefix(l, "http%3a") || strings.HasPrefix(l, "https%3a") {
		return "; it looks percent-encoded: pass the plain URL, the library encodes it"
	}
	return ""
}
