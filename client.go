package sobot

import (
	"errors"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// DefaultBaseURL is the base URL used when Config.BaseURL is empty.
const DefaultBaseURL = "https://www.sobot.com"

// Version selects the generation of Sobot's chat pages.
type Version uint8

const (
	// V2 is the generation the reference documents (/chat/h5/v2/...), the
	// default.
	V2 Version = iota
	// V6 is the newer generation (/chat/h5/v6/...), which takes the same
	// query parameters.
	V6
)

// String returns "v2" or "v6".
func (v Version) String() string {
	switch v {
	case V2:
		return "v2"
	case V6:
		return "v6"
	}
	return "Version(" + strconv.Itoa(int(v)) + ")"
}

// MinKeyLength is the shortest security key NewClient accepts, in bytes.
// A sign is md5(sysnum + key + partnerid) and a signed link shows sysnum,
// partnerid and sign, so a short key is recovered by trying every key
// against one link: a 4-character key falls in well under a second.
const MinKeyLength = 16

// Config configures a Client. Only SysNum is required.
type Config struct {
	// SysNum is the company id from the console's integration code
	// (sysnum), e.g. "4c349791a07b46c1a70b8ac88aa23257".
	SysNum string
	// Key is the security key (安全密钥). When set, every chat link and
	// widget is signed and needs a partnerid; leave it zero when the
	// console's security key is off. A key shorter than MinKeyLength, or
	// with white space at either end, is refused.
	Key Key
	// BaseURL is the Sobot host the pages are served from, without a
	// trailing slash: DefaultBaseURL when empty. Company subdomains
	// (https://acme.sobot.com), Tencent Cloud (https://www.soboten.com),
	// international hosts (https://sg.sobot.com, https://us.sobot.com, ...)
	// and custom domains work alike; a path prefix is kept. A page's
	// address (with /chat/ in its path) is refused. For CSP sources, use
	// Client.Origin.
	BaseURL string
	// Version is the chat page generation, V2 by default.
	Version Version
	// Defaults are site-wide parameters applied to every link and widget
	// the client builds; per-call Params override them field by field. A
	// default is applied only where its parameter is allowed (a widget-only
	// default is skipped in links, an H5-only one in PC links), so one
	// Defaults can serve every builder. Defaults are validated and encoded
	// once, by NewClient. They may not hold a partnerid, which names one
	// visitor: set it per call.
	Defaults Params
	// Logger receives what the page helpers (Client.WidgetForPage,
	// Client.LinkForPage, the sobotWidget template function,
	// Client.Middleware) leave out of a page or link
	// because of a visitor's data, at warning level, or could not render at
	// all, at error level, each with the problems; and the notices of what
	// they render, at debug level. nil means slog.Default(). The builders
	// that return errors log nothing.
	Logger *slog.Logger
}

// Client builds signed Sobot links and widgets. It is immutable after
// NewClient and safe for concurrent use.
type Client struct {
	sysnum  string
	key     Key
	base    string
	version Version
	log     *slog.Logger
	// byKind holds, per Kind, the validated defaults it accepts
	// (allowsDefault), sorted, with their query segments precomputed, so
	// building a link copies no default it then drops.
	byKind   [kindCount][]field
	sysField field             // the sysnum field, precomputed
	paths    [kindCount]string // pagePath of each kind for the client's version
}

// NewClient validates cfg and prepares a Client. It returns a
// *ValidationError listing every problem in the configuration, including
// the defaults (named by their wire names). No problem shows the key, not
// even where it was pasted into another setting.
func NewClient(cfg Config) (*Client, error) {
	var ps problems
	checkSysNum(cfg.SysNum, &ps)
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if why := checkBaseURL(base); why != "" {
		ps.add("base_url", cfg.BaseURL, why)
	}
	if cfg.Version > V6 {
		ps.add("version", cfg.Version.String(), "must be V2 or V6")
	}
	checkKey(cfg.Key, &ps)
	if cfg.Defaults.User.PartnerID != "" {
		ps.add("partnerid", cfg.Defaults.User.PartnerID, "identifies one visitor: set it per call, not in Config.Defaults, or every visitor would share one identity and chat history")
	}
	secret := cfg.Key.reveal()
	if len(secret) < MinKeyLength {
		secret = "" // refused above; a short text would be found everywhere
	}
	fs := collect(&cfg.Defaults, nil)
	for _, f := range fs {
		checkValue(f, &ps) // each default goes only to the kinds that take it, below
		checkNoKey(f, secret, &ps)
	}
	if err := redactKey(ps, cfg.Key).err(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	own := paramsOf(fs)
	defaults := collect(own, nil)
	for i := range defaults {
		defaults[i].seg = segment(defaults[i])
	}
	c := &Client{sysnum: cfg.SysNum, key: cfg.Key, base: base, version: cfg.Version, log: logger}
	for k := KindH5; k < kindCount; k++ {
		c.paths[k] = pagePath(k, c.version)
		for _, f := range defaults {
			if allowsDefault(f, k) {
				c.byKind[k] = append(c.byKind[k], f)
			}
		}
	}
	c.sysField = field{name: "sysnum", text: cfg.SysNum, row: rowByName["sysnum"]}
	c.sysField.seg = segment(c.sysField)
	return c, nil
}

// Check reports whether NewClient takes k: nil for a key of at least
// MinKeyLength bytes without white space at either end, and for the zero
// Key (no signing); else a *ValidationError whose one Problem (Param
// "key") says why, without the key. Tools that verify signs with a key
// but build no client (a sign checked with a key anyone could guess proves
// nothing) hold it to the same rule.
func (k Key) Check() error {
	var ps problems
	checkKey(k, &ps)
	return ps.err()
}

// checkKey refuses a key too short to keep secret or with white space at
// either end. The key itself is never shown.
func checkKey(k Key, ps *problems) {
	if k.IsZero() {
		return
	}
	secret := k.reveal()
	if len(secret) < MinKeyLength {
		ps.add("key", "", "is "+strconv.Itoa(len(secret))+" bytes; at least "+strconv.Itoa(MinKeyLength)+
			" are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)")
		return
	}
	if secret != strings.TrimSpace(secret) {
		ps.add("key", "", "has white space at its start or end (a newline read from a file or an environment variable?); the console's key has none")
	}
}

// redactKey hides the key wherever a problem shows it: a key pasted into
// a setting or a parameter comes back in the problem's value, in a reason
// that names a member, even as a name, and sometimes changed (a colour is
// lowered). Any text that contains the key, in any case, or that is a
// piece of the key of at least minSecretPiece bytes, is replaced by
// [REDACTED]: no error of this package echoes the key.
//
// A key shorter than minSecretPiece is refused (see checkKey) and guards
// nothing, but may be a real key cut short: it is hidden in values, and
// in names and reasons where it is the whole text. Hiding its every
// occurrence there would garble the package's own words ("a short key"
// with the key "key").
func redactKey(ps problems, k Key) problems {
	secret := k.reveal()
	if secret == "" {
		return ps
	}
	words := redactText
	if len(secret) < minSecretPiece {
		words = redactWhole
	}
	for i := range ps {
		p := &ps[i]
		if p.Param != "key" && rowByName[p.Param] == nil { // else a name of the package's own
			p.Param = words(p.Param, secret)
		}
		p.Value, p.Reason = redactText(p.Value, secret), words(p.Reason, secret)
	}
	return ps
}

// redactWhole returns [REDACTED] when s, trimmed, is secret in any case,
// and s otherwise.
func redactWhole(s, secret string) string {
	if strings.EqualFold(strings.TrimSpace(s), secret) {
		return redacted
	}
	return s
}

// minSecretPiece is the shortest piece of a key that redactText hides.
const minSecretPiece = 8

// redactText returns s with every case-insensitive occurrence of secret
// replaced by [REDACTED], or [REDACTED] alone when s, trimmed, is a piece
// of the secret of at least minSecretPiece bytes. It runs on error paths
// only, where compiling an expression costs nothing that matters.
func redactText(s, secret string) string {
	if t := strings.TrimSpace(s); len(t) >= minSecretPiece && strings.Contains(strings.ToLower(secret), strings.ToLower(t)) {
		return redacted
	}
	return regexp.MustCompile("(?i)"+regexp.QuoteMeta(secret)).ReplaceAllLiteralString(s, redacted)
}

// checkSysNum requires a sysnum of printable, non-space characters.
func checkSysNum(s string, ps *problems) {
	if s == "" {
		ps.add("sysnum", "", "is required: copy it from the console's integration code")
		return
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			ps.add("sysnum", s, "must not contain spaces or control characters")
			return
		}
	}
}

// checkBaseURL requires an absolute http(s) URL with a host and no query,
// fragment, user info, or bytes that would need escaping: page paths are
// appended to it as they are, in links and in the widget's script src.
func checkBaseURL(s string) string {
	const why = "must be an http(s) URL such as https://www.sobot.com, without query, fragment, spaces or characters that need escaping"
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("?#\"'<>\\`{}|^", r) }) {
		return why
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return why
	}
	if why := authorityProblem(u); why != "" {
		return why
	}
	if strings.Contains(u.Path, "/chat/") {
		return "is a page's address; give only the scheme, host and any path prefix, such as https://www.sobot.com"
	}
	if strings.Contains(u.Host, "*") {
		return "holds the reference's placeholder *** (为您的自定义域名): write your company's domain, such as https://acme.sobot.com"
	}
	return ""
}

// String describes the client without its key, e.g.
// "sobot.Client(sysnum=..., base=https://www.sobot.com, v2, signed)".
func (c *Client) String() string {
	signed := "unsigned"
	if c.Signed() {
		signed = "signed"
	}
	return "sobot.Client(sysnum=" + c.sysnum + ", base=" + c.base + ", " + c.version.String() + ", " + signed + ")"
}

// ErrZeroClient is returned by the builders of a Client that was not made
// by NewClient (a zero Client has no sysnum and no base URL).
var ErrZeroClient = errors.New("sobot: the Client was not made by NewClient")

// Origin returns the scheme and host (with port) of the base URL, e.g.
// "https://www.sobot.com": the source to allow for Sobot in a page's
// Content-Security-Policy (script-src, frame-src, connect-src, img-src). A
// CSP source with a path matches that path only, so use Origin, not
// BaseURL, when the base URL has a path prefix.
func (c *Client) Origin() string {
	u, err := url.Parse(c.base)
	if err != nil {
		return c.base // NewClient validated it; unreachable
	}
	return u.Scheme + "://" + u.Host
}

// SysNum returns the client's sysnum.
func (c *Client) SysNum() string { return c.sysnum }

// BaseURL returns the base URL pages are built on, without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// Version returns the chat page generation the client builds for.
func (c *Client) Version() Version { return c.version }

// Signed reports whether the client signs (has a security key).
func (c *Client) Signed() bool { return !c.key.IsZero() }

// Sign returns the sign for partnerid under the client's key and sysnum, or
// "" when the client has no key.
func (c *Client) Sign(partnerid string) string {
	if c.key.IsZero() {
		return ""
	}
	return Sign(c.sysnum, c.key, partnerid)
}

// resolve validates p for kind k and returns the final fields: the
// defaults k accepts, overridden by p's fields, plus sign when the client has
// a key and k is a chat page or the widget. sysnum is not included. dst is
// scratch space for the result.
func (c *Client) resolve(k Kind, p *Params, dst []field) ([]field, error) {
	if c == nil || c.sysField.name == "" {
		return nil, ErrZeroClient
	}
	var scratch [32]field
	own := collect(p, scratch[:0])
	var ps problems
	secret := c.key.reveal()
	for _, f := range own {
		checkField(f, k, &ps)
		checkNoKey(f, secret, &ps)
	}
	fs := merge(dst[:0], c.byKind[k], own)
	checkRules(fs, k, false, func(r *rule, value, reason string) { ps.add(r.names[0], value, reason) })
	if !c.signs(k) {
		return fs, redactKey(ps, c.key).err()
	}
	partnerid, ok := lookup(fs, "partnerid")
	if !ok {
		ps.add("partnerid", "", partnerIDRequired)
	}
	if err := redactKey(ps, c.key).err(); err != nil {
		return nil, err
	}
	return c.withSign(fs, partnerid), nil
}

// checkNoKey refuses a parameter whose name or value holds the key:
// whatever a link or widget carries reaches every visitor, and the key is
// what stops a visitor from signing as another user. (redactKey then hides
// the key in the problem.)
func checkNoKey(f field, secret string, ps *problems) {
	if secret != "" && (strings.Contains(f.text, secret) || strings.Contains(f.name, secret)) {
		ps.add(f.name, f.text, "holds the client's security key, which must never be sent: any visitor could then sign as any user")
	}
}

// partnerIDRequired is the problem of a signed build without partnerid.
const partnerIDRequired = "is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)"

// signs reports whether builds of kind k carry a sign: with a key, the
// reference's security check covers the chat pages (links and widget); the
// leave-message page names its visitor by uid and is never signed.
func (c *Client) signs(k Kind) bool {
	return !c.key.IsZero() && k != KindLeaveMessage
}

// withSign inserts the sign of partnerid into the sorted fields fs.
func (c *Client) withSign(fs []field, partnerid string) []field {
	sign := string(appendSign(make([]byte, 0, 32), c.sysnum, c.key, partnerid))
	return insert(fs, field{name: "sign", text: sign, row: rowSign})
}

// Check validates p for kind k exactly as that kind's builder does (the
// defaults merged in, partnerid required with a key) and returns, besides
// any *ValidationError, the notices of what Sobot would ignore in the
// result. Use it in tests or at start-up to see the notices, which the
// builders do not report.
func (c *Client) Check(k Kind, p *Params) ([]Notice, error) {
	if !k.valid() || k == KindTicket {
		return nil, problems{{Param: "kind", Value: k.String(), Reason: "is not a kind a Client builds: check for KindH5, KindPC, KindWidget or KindLeaveMessage (TicketURL validates ticket links)"}}.err()
	}
	var buf [48]field
	fs, err := c.fields(k, p, buf[:0])
	if err != nil {
		return nil, err
	}
	return noticesOf(fs, k), nil
}

// fields returns the validated final fields of a build of kind k, as that
// kind's builder writes them (besides sysnum).
func (c *Client) fields(k Kind, p *Params, dst []field) ([]field, error) {
	if k == KindLeaveMessage {
		return c.leaveMessageFields(p, dst)
	}
	return c.resolve(k, p, dst)
}
