package sobot

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// LinkKind is the kind of link Inspect read.
type LinkKind uint8

const (
	// KindH5 is an H5 chat link (/chat/h5/v2/index.html, v6 likewise).
	KindH5 LinkKind = iota + 1
	// KindPC is a PC chat link (/chat/pc/v2/index.html, v6 likewise).
	KindPC
	// KindLeaveMessage is a stand-alone leave-message link
	// (/chat/h5/v2/leavemessage.html).
	KindLeaveMessage
	// KindTicket is a ticket-plugin link: the console's link with params.
	KindTicket
	// KindWidgetLoader is the JS-SDK loader's URL
	// (/chat/frame/v2/entrance.js?sysnum=..., v6 likewise).
	KindWidgetLoader
)

// String returns "h5", "pc", "leave-message", "ticket" or "widget-loader".
func (k LinkKind) String() string {
	switch k {
	case KindH5:
		return "h5"
	case KindPC:
		return "pc"
	case KindLeaveMessage:
		return "leave-message"
	case KindTicket:
		return "ticket"
	case KindWidgetLoader:
		return "widget-loader"
	}
	return "LinkKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText returns the kind's String, so it reads well in JSON.
func (k LinkKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// pages are the paths Inspect recognises, by the end of the URL's path; what
// comes before is the base URL.
var pages = []struct {
	suffix  string
	kind    LinkKind
	version Version
}{
	{"/chat/h5/v2/index.html", KindH5, V2},
	{"/chat/h5/v6/index.html", KindH5, V6},
	{"/chat/pc/v2/index.html", KindPC, V2},
	{"/chat/pc/v6/index.html", KindPC, V6},
	{leaveMessagePath, KindLeaveMessage, V2},
	{"/chat/h5/v6/leavemessage.html", KindLeaveMessage, V6},
	{"/chat/frame/v2/entrance.js", KindWidgetLoader, V2},
	{"/chat/frame/v6/entrance.js", KindWidgetLoader, V6},
}

// ParsedLink is a Sobot link read back into typed values by Inspect.
type ParsedLink struct {
	// Kind is what the link opens.
	Kind LinkKind
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
	// reference lacks are in Params.Extra.
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
	// finds (scope, ranges, rules between parameters). The sign is checked
	// by Verify, not here.
	Problems []Problem
	// ambiguous lists the signed parameters (partnerid, sysnum, sign) the
	// link carries more than once: no sign can be trusted then.
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
// http(s) URL or not a link of the kinds above. Check the sign with Verify.
func Inspect(rawURL string) (*ParsedLink, error) {
	s := strings.TrimSpace(rawURL)
	beforeFrag, _, _ := strings.Cut(s, "#")
	page, query, _ := strings.Cut(beforeFrag, "?")
	u, err := url.Parse(page)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, urlProblem(rawURL, "must be an absolute http(s) URL")
	}
	l := &ParsedLink{Wire: map[string]string{}}
	var pairs []queryPair
	for _, pg := range pages {
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
			return nil, urlProblem(rawURL, `has "¶ms=" where "&params=" was meant: an HTML page read "&para" as the ¶ entity (the reference's own text shows it so); write "&params="`)
		default:
			return nil, urlProblem(rawURL, "is not a Sobot chat (/chat/h5|pc/v2|v6/index.html), leave-message (/chat/h5/v2/leavemessage.html) or widget loader (/chat/frame/v2|v6/entrance.js) link, nor a ticket-plugin link with params")
		}
	}
	l.read(pairs)
	l.validate()
	return l, nil
}

// urlProblem is the error of a link Inspect cannot read.
func urlProblem(rawURL, reason string) error {
	return problems{{Param: "url", Value: rawURL, Reason: reason}}.err()
}

// read fills l from the query's pairs.
func (l *ParsedLink) read(pairs []queryPair) {
	var ps problems
	count := map[string]int{}
	for _, q := range pairs {
		count[q.name]++
	}
	for _, q := range pairs {
		switch n := count[q.name]; {
		case n < 0:
			continue // a later copy of a repeated parameter
		case n > 1:
			ps.add(q.name, "", "appears "+strconv.Itoa(n)+" times; the first value is read here, but a page may read another: keep one")
			count[q.name] = -1
			if q.name == "partnerid" || q.name == "sysnum" || q.name == "sign" {
				l.ambiguous = append(l.ambiguous, q.name)
			}
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
	}
	slices.Sort(l.Unknown)
	l.Problems = append(l.Problems, ps...)
}

// validate adds the problems validation for the link's kind finds.
func (l *ParsedLink) validate() {
	var err error
	switch l.Kind {
	case KindH5:
		err = l.Params.Validate(TargetH5)
	case KindPC:
		err = l.Params.Validate(TargetPC)
	case KindWidgetLoader:
		err = l.Params.Validate(TargetWidget)
	case KindTicket:
		err = l.Params.Validate(0)
	case KindLeaveMessage:
		own, fixed := withFixedSource(&l.Params, SourceWeCom, "the leave-message page takes source 9 only (值固定为9)")
		if _, ok := l.Wire["source"]; !ok {
			fixed.add("source", "", "is missing: the leave-message page takes source=9 (值固定为9)")
		}
		err = joinProblems(fixed, own.Validate(TargetLeaveMessage))
	}
	l.Problems = append(l.Problems, problemsIn(err)...)
}

// problemsIn returns the problems of a *ValidationError, or nil.
func problemsIn(err error) []Problem {
	var verr *ValidationError
	if errors.As(err, &verr) {
		return verr.Problems
	}
	return nil
}

// queryPair is one name=value of a query, percent-decoded where possible.
type queryPair struct {
	name, value string
	badEscape   bool // name or value is not valid percent-encoding; kept raw
}

// parseQuery splits a raw query on & (not ;) and decodes each part as forms
// are decoded. Unlike url.ParseQuery it keeps the order and the parts it
// cannot decode, so they can be reported.
func parseQuery(query string) []queryPair {
	var out []queryPair
	for seg := range strings.SplitSeq(query, "&") {
		if seg == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(seg, "=")
		name, errName := url.QueryUnescape(rawName)
		value, errValue := url.QueryUnescape(rawValue)
		q := queryPair{name: name, value: value}
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

// Verification is the outcome of ParsedLink.Verify: whether the sign holds
// and, when it does not, why, in terms a support engineer can act on.
type Verification struct {
	// Valid reports whether the link carries partnerid and a sign that
	// matches its sysnum and partnerid under one of the keys: what Sobot
	// requires once the security key is on.
	Valid bool
	// Key is the index, among the keys given to Verify, of the key the sign
	// matches; -1 when it matches none. A match with a later key means the
	// link was built with a key being rotated out.
	Key int
	// SignedText is what the sign covers, with the key as a placeholder:
	// md5("<sysnum>" + <key> + "<partnerid>").
	SignedText string
	// Expected is the sign the first (non-zero) key gives for the link's
	// sysnum and partnerid; "" when no key was given. It admits that partnerid as
	// much as the key does: keep it out of tickets and chats.
	Expected string
	// Received is the link's sign; "" when it has none.
	Received string
	// Causes lists the likely reasons for a mismatch, the most likely
	// first; empty when Valid.
	Causes []string
	// Unsigned reports a link of a kind Sobot never checks (leave-message
	// and ticket-plugin links without a sign): there is nothing to verify,
	// and Valid is false only because no sign holds.
	Unsigned bool
}

// Verify checks the link's sign against each key in turn (the current key
// first, then any being rotated out), comparing in constant time, and
// reports which matched. Zero keys are skipped but keep their place, so
// Verification.Key indexes keys as given.
//
// When none matches it explains why as far as the link tells: a missing
// partnerid or sign, a sign in upper-case hex or not 32 hex digits, a
// partnerid or sysnum that differs from what was signed only by encoding or
// spaces, and otherwise the three usual causes: partnerid changed after
// signing, the key rotated (or another environment's), another sysnum.
//
// Leave-message and ticket-plugin links carry no sign, by design: for them
// Verify reports Unsigned.
func (l *ParsedLink) Verify(keys ...Key) Verification {
	if l.Sign == "" && (l.Kind == KindLeaveMessage || l.Kind == KindTicket) {
		return Verification{Key: -1, Unsigned: true}
	}
	partnerid, hasPID := l.Params.Get("partnerid")
	v := Verification{Key: -1, Received: l.Sign,
		SignedText: "md5(" + strconv.Quote(l.SysNum) + " + <key> + " + strconv.Quote(partnerid) + ")"}
	if len(l.ambiguous) > 0 {
		// The first values may verify, but Sobot may read others: a sign
		// for one user must not admit another.
		for _, name := range l.ambiguous {
			v.Causes = append(v.Causes, name+" appears more than once: Sobot may read another value than the one that was signed; a link must carry each of partnerid, sysnum and sign once")
		}
		return v
	}
	first := slices.IndexFunc(keys, func(k Key) bool { return !k.IsZero() })
	if first < 0 {
		v.Causes = []string{"no security key was given to verify with"}
		return v
	}
	v.Expected = Sign(l.SysNum, keys[first], partnerid)
	v.Key = matchKey(keys, l.SysNum, partnerid, l.Sign)
	v.Valid = v.Key >= 0 && hasPID
	if v.Valid {
		return v
	}
	if !hasPID {
		v.Causes = append(v.Causes, "the link has no partnerid: with the security key on, Sobot rejects a visit without one (经验证当前用户为非法用户); build the link with the user's partnerid")
	}
	if l.Sign == "" {
		v.Causes = append(v.Causes, "the link has no sign: with the security key on, Sobot rejects it; build the link with the account's security key")
		return v
	}
	if v.Key >= 0 {
		return v // the sign is right; only partnerid is missing
	}
	if lower := strings.ToLower(l.Sign); lower != l.Sign {
		if i := matchKey(keys, l.SysNum, partnerid, lower); i >= 0 {
			v.Causes = append(v.Causes, "the sign is upper-case hex; in lower case it matches key #"+strconv.Itoa(i+1)+", and lower case is what Sobot emits and is known to accept: write md5 sums in lower-case hex")
			return v
		}
	}
	if !isLowerHex32(strings.ToLower(l.Sign)) {
		v.Causes = append(v.Causes, "the sign is not 32 hex digits (it has "+strconv.Itoa(len(l.Sign))+" characters): it was cut or altered on the way, by a length limit or a client rewriting the link")
	}
	for _, alt := range variants(partnerid) {
		if i := matchKey(keys, l.SysNum, alt, l.Sign); i >= 0 {
			v.Causes = append(v.Causes, "the sign matches partnerid "+strconv.Quote(alt)+" under key #"+strconv.Itoa(i+1)+", but the link carries "+
				strconv.Quote(partnerid)+": partnerid was re-encoded after signing; sign exactly the partnerid the link carries")
			return v
		}
	}
	for _, alt := range variants(l.SysNum) {
		if i := matchKey(keys, alt, partnerid, l.Sign); i >= 0 {
			v.Causes = append(v.Causes, "the sign matches sysnum "+strconv.Quote(alt)+" under key #"+strconv.Itoa(i+1)+", but the link carries "+
				strconv.Quote(l.SysNum)+": sign with the sysnum exactly as the link carries it")
			return v
		}
	}
	if len(v.Causes) > 0 {
		return v
	}
	v.Causes = append(v.Causes,
		"partnerid changed after signing: the link was edited, or its sign was copied from another user's link",
		"the sign was made with another key: the security key was changed in the console (give the previous key too, to check), or the link was built with another environment's key",
		"the sign was made for another sysnum than the link's "+strconv.Quote(l.SysNum)+": the link was built for another Sobot account or environment")
	return v
}

// matchKey returns the index of the first non-zero key under which sign is
// valid for sysnum and partnerid, or -1.
func matchKey(keys []Key, sysnum, partnerid, sign string) int {
	for i, k := range keys {
		if !k.IsZero() && VerifySign(sysnum, k, partnerid, sign) {
			return i
		}
	}
	return -1
}

// isLowerHex32 reports whether s is 32 lower-case hex digits, the form of a
// sign.
func isLowerHex32(s string) bool {
	return len(s) == 32 && strings.Trim(s, "0123456789abcdef") == ""
}

// variants returns the forms a value commonly takes when it is encoded or
// trimmed differently between signing and sending, other than s itself.
func variants(s string) []string {
	var out []string
	add := func(v string) {
		if v != s && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	add(strings.TrimSpace(s))
	add(strings.ReplaceAll(s, " ", "+")) // a + decoded as a space
	if dec, err := url.QueryUnescape(s); err == nil {
		add(dec) // encoded twice
	}
	add(url.QueryEscape(s)) // signed in its encoded form
	add(url.PathEscape(s))
	add(QueryEscape(s))
	return out
}

// Explain describes the verification in a few lines: the outcome, and for
// a mismatch the signed text (the key as a placeholder), the expected and
// received signs and the likely causes. It never contains the key.
func (v Verification) Explain() string {
	var b strings.Builder
	switch {
	case v.Unsigned:
		return "not signed: Sobot checks no sign on leave-message and ticket-plugin links"
	case v.Valid && v.Key == 0:
		b.WriteString("sign valid: it matches the current key (#1)")
		return b.String()
	case v.Valid:
		b.WriteString("sign valid, but under key #" + strconv.Itoa(v.Key+1) + ", a key being rotated out: links built from now on must use the current key")
		return b.String()
	}
	b.WriteString("sign not valid: Sobot shows 经验证当前用户为非法用户 when the security key is on\n")
	b.WriteString("  signed text:   " + v.SignedText + "\n")
	if v.Expected != "" {
		b.WriteString("  expected sign: " + v.Expected + " (current key)\n")
	}
	received := v.Received
	if received == "" {
		received = "(none)"
	}
	b.WriteString("  received sign: " + received + "\n")
	b.WriteString("likely causes:")
	for _, c := range v.Causes {
		b.WriteString("\n  - " + c)
	}
	return b.String()
}
