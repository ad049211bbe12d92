package sobot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// check is a semantic check of a parameter's wire text and what it
// accepts, in words: the registry builds ParamInfo.Allowed from the says of
// a row's checks, so the table never describes a rule it does not apply.
type check struct {
	// says describes what is accepted, e.g. "at most 300 characters".
	says string
	// why returns why s is invalid, or "" when it is fine; nil accepts
	// everything.
	why func(s string) string
}

// apply returns why s fails c, or "".
func (c check) apply(s string) string {
	if c.why == nil {
		return ""
	}
	return c.why(s)
}

// oneOf accepts exactly the given texts.
func oneOf(allowed ...string) check {
	list := strings.Join(allowed, ", ")
	return check{says: list, why: func(s string) string {
		for _, a := range allowed {
			if s == a {
				return ""
			}
		}
		return "must be one of " + list
	}}
}

// enumCheck accepts the wire texts of an enum: as a range when they are
// consecutive numbers (type 1–4), else as a list.
func enumCheck(wires []string) check {
	lo, err1 := strconv.ParseInt(wires[0], 10, 64)
	hi, err2 := strconv.ParseInt(wires[len(wires)-1], 10, 64)
	if err1 == nil && err2 == nil && hi-lo+1 == int64(len(wires)) && lo != 0 {
		return between(lo, hi)
	}
	return oneOf(wires...)
}

// between accepts whole numbers from lo to hi.
func between(lo, hi int64) check {
	return check{says: itoa(lo) + "–" + itoa(hi), why: func(s string) string {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < lo || n > hi {
			return "must be a whole number from " + itoa(lo) + " to " + itoa(hi)
		}
		return ""
	}}
}

// inUnit names the unit of a number check's values, for the table:
// "10–2880 minutes".
func inUnit(c check, unit string) check {
	c.says += " " + unit
	return c
}

// notNegative accepts whole numbers from 0 up.
var notNegative = check{says: "whole number ≥ 0", why: func(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err != nil || n < 0 {
		return "must be a whole number, not negative"
	}
	return ""
}}

// maxChars accepts texts of at most n characters, counted as JavaScript
// and Java count them (UTF-16 code units: an emoji counts two), so a text
// that passes here is not cut by Sobot's pages or servers.
func maxChars(n int) check {
	return check{says: "at most " + strconv.Itoa(n) + " characters", why: func(s string) string {
		if l := textLen(s); l > n {
			return "must be at most " + strconv.Itoa(n) + " characters, has " + strconv.Itoa(l)
		}
		return ""
	}}
}

// all accepts what every check accepts, reporting the first refusal.
func all(checks ...check) check {
	says := make([]string, 0, len(checks))
	for _, c := range checks {
		says = append(says, c.says)
	}
	return check{says: strings.Join(says, "; "), why: func(s string) string {
		for _, c := range checks {
			if why := c.apply(s); why != "" {
				return why
			}
		}
		return ""
	}}
}

// noControl refuses control characters (a newline or NUL in an id is a bug
// upstream, and Sobot would sign and store it as it is).
var noControl = check{says: "no control characters", why: func(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return "must not contain control characters"
	}
	return ""
}}

// notBlank refuses a text of white space only, which is set but empty to
// the eye (a partnerid of spaces would sign one shared "user"). U+FEFF
// counts as white space, as JavaScript's trim strips it.
var notBlank = check{says: "not blank", why: func(s string) string {
	if strings.TrimFunc(s, isBlank) == "" {
		return "must not be white space only"
	}
	return ""
}}

// isBlank reports whether JavaScript's trim strips r: white space or U+FEFF.
func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

// textLen returns the length of s in UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// hexColor accepts six hex digits (the wire form: no '#', lower case).
var hexColor = check{says: "six hex digits (a leading # and upper case are normalised)", why: func(s string) string {
	if len(s) != 6 || strings.Trim(s, "0123456789abcdef") != "" {
		return `must be six hex digits such as "04babc" (a leading # and upper case are accepted)`
	}
	return ""
}}

// unixMillis accepts Unix times in milliseconds between 2001-09-09 and 2286,
// which catches seconds passed by mistake.
var unixMillis = check{says: "Unix milliseconds (13 digits)", why: func(s string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1e12 || n >= 1e13 {
		return "must be Unix time in milliseconds (13 digits); seconds or other units are not accepted"
	}
	return ""
}}

// partnerID is what the reference and the signing allow in partnerid: at
// most 300 characters (限制300字符), not blank, no control characters.
var partnerID = all(notBlank, noControl, maxChars(300))
