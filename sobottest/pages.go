package sobottest

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/sobotgo/sobot"
)

// RejectionText is what Sobot shows a visitor who fails the security check,
// word for word from the reference (pc/h5安全校验). Rejected pages show it in
// the element with id "sobot-rejected".
const RejectionText = "经验证当前用户为非法用户,不予接入客户服务中心"

// pageCSP lets the stand-in's pages use inline styles and nothing else: no
// script at all, so an injected one cannot run either.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

// leaveMessagePath is the reference's stand-alone leave-message page.
const leaveMessagePath = "/chat/h5/v2/leavemessage.html"

// maxPartnerIDLen is the reference's limit on partnerid ("限制300字符").
const maxPartnerIDLen = 300

// chatPages are the chat pages served, with the kind each shows in
// #sobot-page.
var chatPages = []struct{ path, kind string }{
	{"/chat/h5/v2/index.html", "h5/v2"},
	{"/chat/pc/v2/index.html", "pc/v2"},
	{"/chat/h5/v6/index.html", "h5/v6"},
	{"/chat/pc/v6/index.html", "pc/v6"},
}

//go:embed assets/page.html
var assets embed.FS

var pageTmpl = template.Must(template.ParseFS(assets, "assets/page.html"))

// pageData is what assets/page.html renders.
type pageData struct {
	Kind     string  // #sobot-page
	Reason   string  // non-empty: rejected, with this reason
	Security string  // #sobot-security, chat pages only
	Params   []param // the query, decoded
	Problems []string
	Reject   string // RejectionText
}

// param is one decoded query value and the id of the element showing it.
type param struct {
	ID, Name, Value string
}

// chatPage returns the handler of the chat page of the given kind.
func (h *Handler) chatPage(kind string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		q := r.URL.Query()
		d := pageData{Kind: kind}
		switch {
		case !h.sysnumOK(q, &d):
		case h.key.IsZero():
			d.Security = "security key off"
		case q.Get("partnerid") == "":
			d.Reason = "security key on: partnerid missing"
		case q.Get("sign") == "":
			d.Reason = "security key on: sign missing"
		case !sobot.VerifySign(h.sysnum, h.key, q.Get("partnerid"), q.Get("sign")):
			d.Reason = "security key on: sign does not match sysnum and partnerid"
		default:
			d.Security = "sign verified"
		}
		if n := utf8.RuneCountInString(q.Get("partnerid")); n > maxPartnerIDLen {
			d.Problems = append(d.Problems, "partnerid has "+strconv.Itoa(n)+" characters; the reference allows at most 300")
		}
		renderPage(w, r, q, d)
	})
}

// leaveMessagePage serves the stand-alone leave-message page. The reference
// documents no security check for it, so only sysnum is checked.
func (h *Handler) leaveMessagePage(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	q := r.URL.Query()
	d := pageData{Kind: "leave-message"}
	h.sysnumOK(q, &d)
	if src := q["source"]; len(src) == 0 || src[0] != "9" {
		d.Problems = append(d.Problems, `source must be 9 on the leave-message page ("值固定为9")`)
	}
	renderPage(w, r, q, d)
}

// sysnumOK reports whether q names the handler's account, setting d.Reason
// if not.
func (h *Handler) sysnumOK(q url.Values, d *pageData) bool {
	switch got := q["sysnum"]; {
	case len(got) == 0 || got[0] == "":
		d.Reason = "sysnum missing"
	case got[0] != h.sysnum:
		d.Reason = "sysnum is not the stand-in's account"
	default:
		return true
	}
	return false
}

// renderPage lists q's parameters and problems in d and writes the page:
// 403 if d.Reason is set, 200 otherwise.
func renderPage(w http.ResponseWriter, r *http.Request, q url.Values, d pageData) {
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		vals := q[name]
		if len(vals) > 1 {
			d.Problems = append(d.Problems, "parameter "+strconv.Quote(name)+" appears "+strconv.Itoa(len(vals))+" times")
		}
		for i, v := range vals {
			id := "param-" + name
			if i > 0 {
				id += "-" + strconv.Itoa(i+1)
			}
			d.Params = append(d.Params, param{ID: id, Name: name, Value: v})
		}
	}
	d.Reject = RejectionText

	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, d); err != nil {
		http.Error(w, "sobottest: rendering page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Security-Policy", pageCSP)
	hdr.Set("Referrer-Policy", "no-referrer")
	status := http.StatusOK
	if d.Reason != "" {
		status = http.StatusForbidden
		hdr.Set("X-Sobottest-Reason", d.Reason)
	}
	hdr.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}
