package sobottest

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"sort"
	"strconv"
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
		pairs := parseQuery(r.URL.RawQuery)
		d := pageData{Kind: kind}
		d.Security, d.Reason = h.checkChat(pairs)
		if h.key.IsZero() {
			// Not checked with the key off, but shown.
			for _, p := range pairs {
				if n := utf16Len(p.value); p.rawName == namePartnerID && n > maxPartnerIDLen {
					d.Problems = append(d.Problems, "partnerid has "+strconv.Itoa(n)+" characters; the reference allows at most 300")
				}
			}
		}
		renderPage(w, r, pairs, d)
	})
}

// leaveMessagePage serves the stand-alone leave-message page. The reference
// documents no security check for it, so only sysnum is checked.
func (h *Handler) leaveMessagePage(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	pairs := parseQuery(r.URL.RawQuery)
	d := pageData{Kind: "leave-message"}
	d.Reason = h.checkSysnumOnly(pairs)
	source := ""
	for _, p := range pairs {
		if p.name == "source" {
			source = p.value
			break
		}
	}
	if source != "9" {
		d.Problems = append(d.Problems, `source must be 9 on the leave-message page ("值固定为9")`)
	}
	renderPage(w, r, pairs, d)
}

// renderPage lists the query's parameters and d's problems and writes the
// page: 403 if d.Reason is set, 200 otherwise.
func renderPage(w http.ResponseWriter, r *http.Request, pairs []queryPair, d pageData) {
	count := map[string]int{}
	for _, p := range pairs {
		count[p.name]++
	}
	seen := map[string]int{}
	for _, p := range pairs {
		seen[p.name]++
		id := "param-" + p.name
		if i := seen[p.name]; i > 1 {
			id += "-" + strconv.Itoa(i)
		}
		d.Params = append(d.Params, param{ID: id, Name: p.name, Value: p.value})
	}
	// By name, a repeated parameter's values in the query's order.
	sort.SliceStable(d.Params, func(i, j int) bool { return d.Params[i].Name < d.Params[j].Name })
	for _, p := range d.Params {
		if n := count[p.Name]; n > 1 && p.ID == "param-"+p.Name {
			d.Problems = append(d.Problems, "parameter "+strconv.Quote(p.Name)+" appears "+strconv.Itoa(n)+" times")
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
