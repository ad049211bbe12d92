// Package sobot puts Sobot (智齿) customer-service chat on Go web pages: it
// models every parameter of Sobot's web integration reference as typed Go
// values, validates them against the reference, signs per-user access
// (sign = md5(sysnum + key + partnerid)), and builds every link and widget
// snippet the reference documents.
//
// A Client is configured once per site and is safe for concurrent use:
//
//	client, err := sobot.NewClient(sobot.Config{
//		SysNum: os.Getenv("SOBOT_SYSNUM"),
//		Key:    sobot.NewKey(os.Getenv("SOBOT_KEY")),
//		Defaults: sobot.Params{Settings: sobot.Settings{Color: "04babc"}},
//	})
//	...
//	link, err := client.H5URL(&sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}})
//
// What the client builds, each from the same typed Params:
//
//   - H5URL, PCURL: signed chat links (链接部署方式);
//   - Widget, WriteWidget, FuncMap: the JS-SDK widget (JS-SDK部署方式): the
//     entrance.js loader, zc("config", {...}) and the other documented
//     zc(...) calls, as html/template-safe HTML with a CSP nonce;
//   - LeaveMessageURL: the stand-alone leave-message page (独立接入留言页);
//   - MiniProgramURL, MiniProgramWebView: the H5 link for a WeChat
//     mini-program's web-view;
//   - TicketURL (a function): a ticket-plugin link with params (工单插件接入).
//
// Inspect reads any of these links back into typed values, and
// ParsedLink.Verify checks its sign against one or more keys and explains a
// mismatch. The sobot command (cmd/sobot) does all of this from the shell;
// package sobottest is a stand-in of Sobot's pages for tests and demos.
//
// Every builder validates its input first and returns a *ValidationError
// listing every problem, each naming the parameter by its wire name.
//
// Parameters are grouped as the reference groups them: User (identity and
// CRM), Settings, Routing, ProductCard and OrderCard, Greeting, Platform,
// WidgetSettings and VisitTrace. ParamTable lists every parameter with its
// wire name, Go field, scope, allowed values and the reference's own
// description.
//
// Choices where the reference is unclear or contradicts itself:
//   - The table rows whose names were lost are email and qq, as the CRM
//     example names them.
//   - The current page's thumbnail is cur_thumbnail (the table), not
//     pcur_thumbnail (an example).
//   - Links carry flags as the table's types say ("1"/"0" for String and
//     Number flags, "true"/"false" for Boolean ones); the widget writes each
//     parameter in the JS type of the reference's examples.
//   - Query values are percent-encoded with %20 for spaces, so they decode
//     the same with decodeURIComponent and url.ParseQuery; parameters are in
//     byte order of their names, as url.Values.Encode orders them.
package sobot

import (
	"errors"
	"net/url"
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

// Config configures a Client. Only SysNum is required.
type Config struct {
	// SysNum is the company id from the console's integration code
	// (sysnum), e.g. "4c349791a07b46c1a70b8ac88aa23257".
	SysNum string
	// Key is the security key (安全密钥). When set, every chat link and
	// widget is signed and needs a partnerid; leave it zero when the
	// console's security key is off. A key with white space at either end
	// is refused.
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
}

// Client builds signed Sobot links and widgets. It is immutable after
// NewClient and safe for concurrent use.
type Client struct {
	sysnum  string
	key     Key
	base    string
	version Version
	// byTarget holds, per Target, the validated defaults it accepts
	// (acceptsDefault), sorted, with their query segments precomputed, so
	// building a link copies no default it then drops.
	byTarget [TargetLeaveMessage + 1][]field
	sysField field // the sysnum field, precomputed
}

// NewClient validates cfg and prepares a Client. It returns a
// *ValidationError listing every problem in the configuration, including
// the defaults (named by their wire names).
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
	if k := cfg.Key.reveal(); k != strings.TrimSpace(k) {
		// The key itself is never shown.
		ps.add("key", "", "has white space at its start or end (a newline read from a file or an environment variable?); the console's key has none")
	}
	if cfg.Defaults.User.PartnerID != "" {
		ps.add("partnerid", cfg.Defaults.User.PartnerID, "identifies one visitor: set it per call, not in Config.Defaults, or every visitor would share one identity and chat history")
	}
	fs := collect(&cfg.Defaults, nil)
	checkFields(fs, 0, &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	own := paramsOf(fs)
	defaults := collect(own, nil)
	for i := range defaults {
		defaults[i].seg = segment(defaults[i])
	}
	c := &Client{sysnum: cfg.SysNum, key: cfg.Key, base: base, version: cfg.Version}
	for t := TargetH5; t <= TargetLeaveMessage; t++ {
		for _, f := range defaults {
			if t.acceptsDefault(f) {
				c.byTarget[t] = append(c.byTarget[t], f)
			}
		}
	}
	c.sysField = field{name: "sysnum", text: cfg.SysNum, row: rowByName["sysnum"]}
	c.sysField.seg = segment(c.sysField)
	return c, nil
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
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || !validPort(u) {
		return why
	}
	if strings.Contains(u.Path, "/chat/") {
		return "is a page's address; give only the scheme, host and any path prefix, such as https://www.sobot.com"
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

// validPort reports whether u's port, if any, is a number from 1 to 65535
// (an empty port after ":" is not).
func validPort(u *url.URL) bool {
	if !strings.Contains(u.Host, ":") || strings.HasSuffix(u.Host, "]") {
		return true
	}
	n, err := strconv.Atoi(u.Port())
	return err == nil && n >= 1 && n <= 65535
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

// resolve validates p for target t and returns the final fields: the
// defaults t accepts, overridden by p's fields, plus sign when the client has
// a key and t is a chat page or the widget. sysnum is not included. dst is scratch space for the result.
func (c *Client) resolve(t Target, p *Params, dst []field) ([]field, error) {
	if c == nil || c.sysField.name == "" {
		return nil, ErrZeroClient
	}
	var scratch [32]field
	own := collect(p, scratch[:0])
	var ps problems
	checkFields(own, t, &ps)
	fs := merge(dst[:0], c.byTarget[t], own)
	var s slots
	s.gather(fs)
	checkCombined(&s, t, &ps)
	// The reference's security check covers the chat pages (links and
	// widget); the leave-message page names its visitor by uid and is
	// never signed.
	if !c.key.IsZero() && t != TargetLeaveMessage {
		partnerid, ok := s.get(slotPartnerID)
		if !ok {
			ps.add("partnerid", "", "is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)")
		}
		if err := ps.err(); err != nil {
			return nil, err
		}
		sign := string(appendSign(make([]byte, 0, 32), c.sysnum, c.key, partnerid))
		fs = insert(fs, field{name: "sign", text: sign, row: rowByName["sign"]})
	}
	return fs, ps.err()
}
