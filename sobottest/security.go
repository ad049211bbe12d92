package sobottest

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sobotgo/sobot"
)

// The stand-in's security check is written here from the reference alone
// (pc/h5安全校验), independently of the library's Inspect and Verify: it is
// the double the library is tested against, so it must not share the
// library's reading of a link. Only the md5 comparison is the library's
// (sobot.VerifySign).
//
// It is strict where Sobot's behaviour is unknown. A page may read a query
// with URLSearchParams, with decodeURIComponent on hand-split parts, with a
// server's form parser, case-insensitively, first value or last: a link is
// admitted only if every such reading gives the same signed values.

// The parameters the sign binds: md5(sysnum + key + partnerid) = sign.
const (
	nameSysnum    = "sysnum"
	namePartnerID = "partnerid"
	nameSign      = "sign"
)

// signedNames are the parameters that must each appear once, by exactly
// this name, in a signed request.
var signedNames = []string{nameSysnum, namePartnerID, nameSign}

// maxPartnerIDLen is the reference's limit on partnerid ("限制300字符"),
// counted in UTF-16 code units, as JavaScript's length counts.
const maxPartnerIDLen = 300

// queryPair is one name=value part of a raw query.
type queryPair struct {
	rawName, rawValue string
	// name and value are form-decoded ("+" is a space, %XX a byte); when
	// badEscape is set they are the raw text.
	name, value string
	// badEscape reports a "%" not followed by two hex digits in the name or
	// the value: readers disagree on such a part (URLSearchParams keeps it,
	// decodeURIComponent throws, a form parser drops it).
	badEscape bool
}

// parseQuery splits a raw query on "&" only (";" is an ordinary byte to a
// browser) and decodes each part. Unlike url.ParseQuery it keeps every part,
// in order, including those it cannot decode.
func parseQuery(raw string) []queryPair {
	var out []queryPair
	for seg := range strings.SplitSeq(raw, "&") {
		if seg == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(seg, "=")
		p := queryPair{rawName: rawName, rawValue: rawValue}
		var okName, okValue bool
		p.name, okName = formDecode(rawName)
		p.value, okValue = formDecode(rawValue)
		if !okName || !okValue {
			p.name, p.value, p.badEscape = rawName, rawValue, true
		}
		out = append(out, p)
	}
	return out
}

// formDecode decodes s as an HTML form does: "+" is a space and %XX is the
// byte XX. It reports false if a "%" is not followed by two hex digits.
func formDecode(s string) (string, bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return s, false
			}
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// lenientDecode decodes the %XX escapes and "+" of s and keeps anything
// else as it is, as URLSearchParams does (but byte-wise, without UTF-8
// replacement).
func lenientDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// isBlank reports whether r is white space to either JavaScript's trim()
// (which also strips U+FEFF) or Go's unicode.IsSpace (which also has U+0085).
func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

// invisible reports whether r is white space or a control character: what
// a name may carry around it without a reader seeing it.
func invisible(r rune) bool { return isBlank(r) || unicode.IsControl(r) }

// htmlAmpersands are what "&" leaves at the start of a parameter's name
// when a link is copied out of HTML source ("&amp;partnerid=...").
var htmlAmpersands = []string{"amp;", "#38;", "#038;", "#x26;"}

// variantOf returns the signed name that rawName (a name as it appears in
// the raw query) stands for without being it: the name in another case, with
// white space or control characters around it, percent-encoded (once or
// more), or behind what "&amp;" leaves when a link is copied out of HTML. It
// returns "" when rawName is exactly a signed name, or no form of one.
func variantOf(rawName string) string {
	s := rawName
	for range 8 { // enough for any nesting a link carries by accident
		prev := s
		s = strings.TrimFunc(lenientDecode(s), invisible)
		for cut := true; cut; {
			cut = false
			for _, amp := range htmlAmpersands {
				if len(s) >= len(amp) && strings.EqualFold(s[:len(amp)], amp) {
					s, cut = strings.TrimFunc(s[len(amp):], invisible), true
				}
			}
		}
		if s == prev {
			break
		}
	}
	for _, name := range signedNames {
		if rawName != name && strings.EqualFold(s, name) {
			return name
		}
	}
	return ""
}

// quoteName quotes a parameter's name from the query for a reason, in
// ASCII and at most about 40 characters, so that it is safe in a header.
func quoteName(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strconv.QuoteToASCII(s)
}

// readSigned returns the parts named names in pairs, at most one each, or
// why the query cannot be trusted: one of names appears more than once, or
// a variant of one (see variantOf) appears, so that some page could read
// another value than the one the stand-in checks. A missing name has no
// entry.
func readSigned(pairs []queryPair, names ...string) (map[string]*queryPair, string) {
	got := make(map[string]*queryPair, len(names))
	count := make(map[string]int, len(names))
	for i := range pairs {
		p := &pairs[i]
		for _, name := range names {
			switch {
			case p.rawName == name:
				count[name]++
				got[name] = p
			case variantOf(p.rawName) == name:
				return nil, quoteName(p.rawName) + " is a form of " + name + " (case, encoding, spacing or an &amp; from HTML) that a page may read as " + name + ": send " + name + " once, by its exact name"
			}
		}
	}
	for _, name := range names {
		if n := count[name]; n > 1 {
			return nil, name + " appears " + strconv.Itoa(n) + " times and a page may read any of them: send it once"
		}
	}
	return got, ""
}

// checkSysnum returns why p (the sysnum part, or nil) does not name the
// account, or "".
func (h *Handler) checkSysnum(p *queryPair) string {
	switch {
	case p == nil || p.value == "" && !p.badEscape:
		return "sysnum missing"
	case p.badEscape || p.value != h.sysnum:
		return "sysnum is not the stand-in's account"
	}
	return ""
}

// checkSysnumOnly reads sysnum from pairs as the loader and the pages do
// with the security key off: once, by its exact name, the handler's account.
func (h *Handler) checkSysnumOnly(pairs []queryPair) string {
	got, reason := readSigned(pairs, nameSysnum)
	if reason != "" {
		return reason
	}
	return h.checkSysnum(got[nameSysnum])
}

// checkChat is the security check of a chat page (pc/h5安全校验). It returns
// what #sobot-security shows for an admitted request, or why the request is
// rejected.
//
// With the key off only sysnum is checked. With the key on, partnerid, sign
// and sysnum must each appear once, by their exact names; partnerid must be
// a valid id (not empty, not white space only, no control characters, valid
// UTF-8, at most 300 UTF-16 code units); sign must be 32 lower-case hex
// digits equal to md5(sysnum + key + partnerid).
func (h *Handler) checkChat(pairs []queryPair) (security, reason string) {
	if h.key.IsZero() {
		if reason := h.checkSysnumOnly(pairs); reason != "" {
			return "", reason
		}
		return "security key off", ""
	}
	const on = "security key on: "
	got, reason := readSigned(pairs, signedNames...)
	if reason != "" {
		return "", on + reason
	}
	if reason := h.checkSysnum(got[nameSysnum]); reason != "" {
		return "", reason
	}
	pid := got[namePartnerID]
	if pid == nil || pid.value == "" && !pid.badEscape {
		return "", on + "partnerid missing"
	}
	if why := partnerIDProblem(pid); why != "" {
		return "", on + "partnerid " + why
	}
	sign := got[nameSign]
	switch {
	case sign == nil || sign.value == "" && !sign.badEscape:
		return "", on + "sign missing"
	case sign.badEscape || !isLowerHex32(sign.value):
		return "", on + "sign is not 32 lower-case hex digits"
	case !sobot.VerifySign(h.sysnum, h.key, pid.value, sign.value):
		return "", on + "sign does not match sysnum and partnerid"
	}
	return "sign verified", ""
}

// partnerIDProblem returns why the partnerid part p is not an id Sobot can
// take, or "". Any of these would let readers disagree on the id, or a
// forged sign pass: an MD5 length extension of a signed id appends padding
// (0x80, NUL bytes, the length) that no valid id holds.
func partnerIDProblem(p *queryPair) string {
	v := p.value
	switch {
	case p.badEscape:
		return "is not valid percent-encoding (a % not followed by two hex digits)"
	case !utf8.ValidString(v):
		return "is not valid UTF-8 once percent-decoded"
	case strings.TrimFunc(v, isBlank) == "":
		return "is white space only"
	case strings.ContainsFunc(v, unicode.IsControl):
		i := strings.IndexFunc(v, unicode.IsControl)
		r, _ := utf8.DecodeRuneInString(v[i:])
		return "contains the control character " + strconv.QuoteRuneToASCII(r)
	}
	if n := utf16Len(v); n > maxPartnerIDLen {
		return "has " + strconv.Itoa(n) + " characters (UTF-16 code units, as JavaScript counts); the reference allows at most 300 (限制300字符)"
	}
	return ""
}

// utf16Len is the length of s in UTF-16 code units, as JavaScript's
// String length counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// isLowerHex32 reports whether s is 32 lower-case hex digits, the form of
// an md5 sign.
func isLowerHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
