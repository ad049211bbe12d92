package sobot

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Limits on what Inspect reads. A real chat link is a few hundred bytes to
// a few kilobytes with a few dozen parameters; browsers refuse URLs over 2
// MiB. Past these limits Inspect refuses the link at once, before reading
// it, so a hostile input costs nothing.
const (
	// MaxLinkLength is the longest link Inspect reads, in bytes.
	MaxLinkLength = 2 << 20
	// MaxLinkParams is the most query parameters Inspect reads.
	MaxLinkParams = 1000
)

// inspectedPages are the pages Inspect recognises, by the end of the URL's
// path (what comes before is the base URL): exactly the pages the builders
// build, for every kind and version.
var inspectedPages = func() []inspectedPage {
	var out []inspectedPage
	for _, v := range []Version{V2, V6} {
		for _, k := range []Kind{KindH5, KindPC, KindWidget, KindLeaveMessage} {
			path := pagePath(k, v)
			if !slices.ContainsFunc(out, func(p inspectedPage) bool { return p.suffix == path }) {
				out = append(out, inspectedPage{path, k, v})
			}
		}
	}
	return out
}()

// inspectedPage is one page Inspect recognises.
type inspectedPage struct {
	suffix  string
	kind    Kind
	version Version
}

// ParsedLink is a Sobot link read back into typed values by Inspect.
type ParsedLink struct {
	// Kind is what the link opens: KindH5, KindPC, KindLeaveMessage,
	// KindTicket, or KindWidget for the widget loader's URL.
	Kind Kind
	// Version is the page generation in the link's path; V2 for ticket
	// links.
	Version Version
	// BaseURL is what Config.BaseURL was for the link: its scheme, host and
	// any path prefix. For a ticket link it is the console's link without
	// params, what TicketURL takes.
	BaseURL string
	// SysNum is the link's sysnum; "" when it has none (ticket links carry
	// the account in the console's own form).
	SysNum string
	// Params holds every parameter that Params.Set accepted; parameters the
	// reference lacks are in Params.Extra. For a ticket link, the ticket's
	// fields are in Params.User.Params.
	Params Params
	// Wire is every parameter as received, decoded, by wire name: those in
	// Params, those that failed to parse, and the unknown ones, but not
	// sysnum and sign. A repeated parameter's first value is kept. For a
	// ticket link it holds params only: the console's own query is part of
	// BaseURL.
	Wire map[string]string
	// Unknown lists, sorted, the parameters the reference lacks.
	Unknown []string
	// Sign is the link's sign; "" when it has none.
	Sign string
	// Problems lists what is wrong with the link: values Params.Set refused
	// (kept in Wire, not in Params), repeated or badly percent-encoded
	// parameters, a missing sysnum, and what validation for the link's kind
	// finds (kinds, ranges, rules between parameters). The sign is checked
	// by Verify, not here.
	Problems []Problem
	// Notices lists what Sobot ignores in the link (see Notice).
	Notices []Notice
	// ambiguous says, per signed parameter (partnerid, sysnum, sign), why
	// the link does not name it once: no sign can be trusted then.
	ambiguous []string
}

// Signed reports whether the link carries a sign.
func (l *ParsedLink) Signed() bool { return l.Sign != "" }

// Inspect reads a link back into typed values: H5 and PC chat links (v2 and
// v6), leave-message links, ticket-plugin links and the widget loader's URL,
// whether built by this library or by hand in the reference's form (JSON
// left unencoded, as in the reference's goods example, or "&params=" added to
// a console link). Values are percent-decoded as forms are, so "+" reads as a
// space; this library writes "+" as %2B and spaces as %20.
//
// Each parameter goes through Params.Set, so what Inspect returns rebuilds
// the same link: for a link this library built, Params.Wire() equals the
// Params it was built from, and the Client of the same sysnum, base URL and
// key builds it again. What cannot be read is listed in ParsedLink.Problems,
// never dropped silently.
//
// It returns a *ValidationError (Param "url") only when rawURL is not an
// http(s) URL, not a link of the kinds above, or longer than MaxLinkLength
// bytes or MaxLinkParams parameters. Its cost is linear in the link's
// length. Check the sign with Verify.
func Inspect(rawURL string) (*ParsedLink, error) {
	if len(rawURL) > MaxLinkLength {
		return nil, linkError("", "is "+strconv.Itoa(len(rawURL))+" bytes; Inspect reads links of at most "+strconv.Itoa(MaxLinkLength)+" bytes (MaxLinkLength), which is more than any browser sends")
	}
	s := strings.TrimSpace(rawURL)
	if n := countParams(s); n > MaxLinkParams {
		return nil, linkError("", "has "+strconv.Itoa(n)+" parameters; Inspect reads at most "+strconv.Itoa(MaxLinkParams)+" (MaxLinkParams), far more than any Sobot link carries")
	}
	beforeFrag, _, _ := strings.Cut(s, "#")
	page, query, _ := strings.Cut(beforeFrag, "?")
	u, err := url.Parse(page)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, linkError(rawURL, "must be an absolute http(s) URL")
	}
	l := &ParsedLink{Wire: map[string]string{}}
	var pairs []queryPair
	for _, pg := range inspectedPages {
		if strings.HasSuffix(page, pg.suffix) {
			l.Kind, l.Version, l.BaseURL = pg.kind, pg.version, strings.TrimSuffix(page, pg.suffix)
			pairs = parseQuery(query)
			break
		}
	}
	if l.Kind == 0 {
		rest, raw, ok := cutTicketParams(s)
		switch {
		case ok:
			l.Kind, l.Version, l.BaseURL = KindTicket, V2, rest
			pairs = parseQuery("params=" + raw)
		case strings.Contains(s, "¶ms="):
			return nil, linkError(rawURL, `has "¶ms=" where "&params=" was meant: an HTML page read "&para" as the ¶ entity (the reference's own text shows it so); write "&params="`)
		default:
			return nil, linkError(rawURL, "is not a Sobot chat (/chat/h5|pc/v2|v6/index.html), leave-message (/chat/h5/v2/leavemessage.html) or widget loader (/chat/frame/v2|v6/entrance.js) link, nor a ticket-plugin link with params")
		}
	}
	l.read(pairs)
	l.validate()
	return l, nil
}

// linkError is the error of a link Inspect cannot read.
func linkError(rawURL, reason string) error {
	return problems{{Param: "url", Value: rawURL, Reason: reason}}.err()
}

// signedNames are the parameters a sign covers or depends on.
var signedNames = [...]string{"partnerid", "sysnum", "sign"}

// read fills l from the query's pairs.
func (l *ParsedLink) read(pairs []queryPair) {
	var ps problems
	count := make(map[string]int, len(pairs))
	for _, q := range pairs {
		count[q.name]++
	}
	l.findAmbiguous(pairs, count)
	for _, q := range pairs {
		n := count[q.name]
		if n < 0 {
			continue // a later copy of a repeated parameter
		}
		if n > 1 {
			ps.add(q.name, "", "appears "+strconv.Itoa(n)+" times; the first value is read here, but a page may read another: keep one")
			count[q.name] = -1
		}
		if q.badEscape {
			ps.add(q.name, q.value, "is not percent-encoded correctly: % must start %XX (write a literal % as %25)")
		}
		switch q.name {
		case "sysnum":
			l.SysNum = q.value
			continue
		case "sign":
			l.Sign = q.value
			continue
		}
		l.Wire[q.name] = q.value
		if name, ok := strings.CutPrefix(q.name, "amp;"); ok {
			ps.add(q.name, "", "looks copied from HTML, where & is written &amp;: the link's parameter is "+name+"; replace &amp; with &")
		}
		if _, known := rowByName[q.name]; !known {
			if l.Params.Extra == nil {
				l.Params.Extra = map[string]string{}
			}
			l.Params.Extra[q.name] = q.value
			l.Unknown = append(l.Unknown, q.name)
			continue
		}
		if q.value == "" || q.badEscape {
			continue // empty means unset; a badly encoded value is reported above
		}
		if err := l.Params.Set(q.name, q.value); err != nil {
			p := Problem{Param: q.name, Value: q.value, Reason: err.Error()}
			errors.As(err, &p)
			ps = append(ps, p)
		}
	}
	if l.SysNum == "" && l.Kind != KindTicket {
		ps.add("sysnum", "", "is missing: Sobot cannot tell which account the link is for")
	} else if l.SysNum != "" {
		checkSysNum(l.SysNum, &ps) // as NewClient checks Config.SysNum
	}
	slices.Sort(l.Unknown)
	l.Problems = append(l.Problems, ps...)
}

// findAmbiguous records each signed parameter the link does not name
// exactly once: repeated, or beside a variant of its name that a page may
// read as the same parameter (PARTNERID, Sign, "partnerid " with a space,
// amp;partnerid copied from HTML).
func (l *ParsedLink) findAmbiguous(pairs []queryPair, count map[string]int) {
	for _, name := range signedNames {
		if n := count[name]; n > 1 {
			l.ambiguous = append(l.ambiguous, name+" appears "+strconv.Itoa(n)+" times: Sobot may read another value than the one that was signed")
		}
	}
	for _, q := range pairs {
		if canon := signedVariant(q.rawName); canon != "" {
			l.ambiguous = append(l.ambiguous, strconv.Quote(q.rawName)+" is a form of "+canon+
				" (case, encoding, spacing or an &amp; from HTML) that a page may read as "+canon+", which the sign does not cover")
		}
	}
	slices.Sort(l.ambiguous)
	l.ambiguous = slices.Compact(l.ambiguous)
}

// htmlAmpersands are what "&" leaves at the start of a parameter's name
// when a link is copied out of HTML source ("&amp;partnerid=...").
var htmlAmpersands = [...]string{"amp;", "#38;", "#038;", "#x26;"}

// signedVariant returns the signed parameter that the raw (undecoded)
// query name stands for without being it: the name in another case, with
// white space or control characters around it, percent-encoded once or
// more, or behind what "&amp;" leaves when a link is copied out of HTML.
// It returns "" when raw is exactly a signed name, or no form of one.
func signedVariant(raw string) string {
	s := raw
	for range 8 { // more nesting than any link carries by accident
		prev := s
		if dec, err := url.QueryUnescape(s); err == nil {
			s = dec
		}
		s = strings.TrimFunc(s, invisible)
		for _, amp := range htmlAmpersands {
			if len(s) >= len(amp) && strings.EqualFold(s[:len(amp)], amp) {
				s = strings.TrimFunc(s[len(amp):], invisible)
			}
		}
		if s == prev {
			break
		}
	}
	for _, name := range signedNames {
		if raw != name && strings.EqualFold(s, name) {
			return name
		}
	}
	return ""
}

// invisible reports whether r is white space (to Go or to JavaScript's
// trim, which also strips U+FEFF) or a control character.
func invisible(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' || unicode.IsControl(r) }

// validate adds the problems validation for the link's kind finds, and its
// notices.
func (l *ParsedLink) validate() {
	p := &l.Params
	if l.Kind == KindLeaveMessage {
		own, fixed := withFixedSource(p, SourceWeCom, "the leave-message page takes source 9 only (值固定为9)")
		if _, ok := l.Wire["source"]; !ok {
			fixed.add("source", "", "is missing: the leave-message page takes source=9 (值固定为9)")
		}
		l.Problems = append(l.Problems, fixed...)
		p = &own
	}
	l.Problems = append(l.Problems, problemsIn(p.Validate(l.Kind))...)
	l.Notices = p.Notices(l.Kind)
}

// queryPair is one name=value of a query, percent-decoded where possible.
type queryPair struct {
	rawName     string // the name as it appears in the query
	name, value string
	badEscape   bool // name or value is not valid percent-encoding; kept raw
}

// parseQuery splits a raw query on & (not ;) and decodes each part as forms
// are decoded. Unlike url.ParseQuery it keeps the order and the parts it
// cannot decode, so they can be reported.
func parseQuery(query string) []queryPair {
	out := make([]queryPair, 0, strings.Count(query, "&")+1)
	for seg := range strings.SplitSeq(query, "&") {
		if seg == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(seg, "=")
		name, errName := url.QueryUnescape(rawName)
		value, errValue := url.QueryUnescape(rawValue)
		q := queryPair{rawName: rawName, name: name, value: value}
		if errName != nil {
			q.name, q.badEscape = rawName, true
		}
		if errValue != nil {
			q.value, q.badEscape = rawValue, true
		}
		out = append(out, q)
	}
	return out
}

// cutTicketParams finds the params parameter of a ticket-plugin link, in the
// fragment's query when the fragment has one (a hash-routed page) and in the
// query otherwise, and returns the link without it and its raw value.
func cutTicketParams(link string) (rest, raw string, ok bool) {
	base, frag, hasFrag := strings.Cut(link, "#")
	if hasFrag {
		if page, query, found := strings.Cut(frag, "?"); found {
			if q, raw, ok := cutParam(query, "params"); ok {
				return base + "#" + page + joinQuery(q), raw, true
			}
		}
	}
	page, query, found := strings.Cut(base, "?")
	if !found {
		return "", "", false
	}
	q, raw, ok := cutParam(query, "params")
	if !ok {
		return "", "", false
	}
	rest = page + joinQuery(q)
	if hasFrag {
		rest += "#" + frag
	}
	return rest, raw, true
}

// cutParam removes the first parameter called name from a raw query and
// returns the query without it and the parameter's raw value.
func cutParam(query, name string) (rest, raw string, ok bool) {
	segs := strings.Split(query, "&")
	for i, seg := range segs {
		n, v, _ := strings.Cut(seg, "=")
		if dn, err := url.QueryUnescape(n); err == nil && dn == name {
			return strings.Join(slices.Delete(segs, i, i+1), "&"), v, true
		}
	}
	return query, "", false
}

// joinQuery returns "?" + query, or "" for an empty query.
func joinQuery(query string) string {
	if query == "" {
		return ""
	}
	return "?" + query
}

// countParams counts the parameters of link s as a query reader does: the
// pieces between & that are not empty.
func countParams(s string) int {
	n := 0
	for piece := range strings.SplitSeq(s, "&") {
		if piece != "" {
			n++
		}
	}
	return n
}
