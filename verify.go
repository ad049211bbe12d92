package sobot

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
// reports which matched. Zero keys, and keys NewClient refuses (Key.Check:
// a short key is found by trying every key against one link, so a sign made
// with it proves nothing), are skipped but keep their place, so
// Verification.Key indexes keys as given.
//
// A link is never valid when it names partnerid, sysnum or sign more than
// once or in another form a page may read (PARTNERID, "partnerid ",
// amp;partnerid), when its partnerid is not one the reference allows
// (blank, control characters, invalid UTF-8, over 300 characters), or when
// it has no sysnum.
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
		for _, why := range l.ambiguous {
			v.Causes = append(v.Causes, why+"; a link must carry each of partnerid, sysnum and sign exactly once")
		}
		return v
	}
	if why := partnerIDProblem(partnerid); hasPID && why != "" {
		// A sign over such a partnerid proves nothing: Sobot may refuse,
		// trim or cut it, and a partnerid past 300 characters is where an
		// MD5 length extension would hide its forged tail.
		v.Causes = append(v.Causes, "the link's partnerid "+why+": Sobot does not take it as it is, so its sign cannot be trusted")
		return v
	}
	if l.SysNum == "" {
		v.Causes = append(v.Causes, "the link has no sysnum: Sobot cannot tell which account it is for, so no sign can hold")
		return v
	}
	// A key NewClient refuses proves nothing: anyone can find it from one
	// link. It keeps its place, unused.
	usable := make([]Key, len(keys))
	var unused []string
	for i, k := range keys {
		if err := k.Check(); err != nil {
			unused = append(unused, "key #"+strconv.Itoa(i+1)+" is not used: "+problemsIn(err)[0].Reason)
			continue
		}
		usable[i] = k
	}
	keys = usable
	first := slices.IndexFunc(keys, func(k Key) bool { return !k.IsZero() })
	if first < 0 {
		v.Causes = append(unused, "no security key was given to verify with")
		return v
	}
	v.Expected = Sign(l.SysNum, keys[first], partnerid)
	v.Key = matchKey(keys, l.SysNum, partnerid, l.Sign)
	v.Valid = v.Key >= 0 && hasPID
	if v.Valid {
		return v
	}
	v.Causes = append(v.Causes, unused...)
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

// partnerIDProblem returns why s is not a partnerid the reference allows,
// or "".
func partnerIDProblem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	return partnerID.apply(s)
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
	if v.Unsigned {
		return "not signed: Sobot checks no sign on leave-message and ticket-plugin links"
	}
	if v.Valid && v.Key == 0 {
		return "sign valid: it matches the current key (#1)"
	}
	if v.Valid {
		return "sign valid, but under key #" + strconv.Itoa(v.Key+1) + ", a key being rotated out: links built from now on must use the current key"
	}
	var b strings.Builder
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
