package sobot

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
)

// This file renders the widget for a page without ever failing it. Two
// kinds of input reach a widget: the developer's configuration (Config,
// Defaults), which NewClient checks once and refuses loudly, and a
// visitor's data (names, the Referer, the page URL, card texts), which
// arrives per request. A visitor's data is checked just as strictly, but a
// problem with it must not turn a working page into an error page: the page
// gets the widget without the parameters involved, or no widget when the
// visitor's identity (partnerid, and with it the sign) cannot be honoured,
// and every problem goes to Config.Logger.

// WidgetForPage renders w as RenderWidget does, for a page that must not
// fail because of a visitor's data. Where RenderWidget would return a
// *ValidationError, it renders the widget without what is invalid:
//
//   - a parameter whose value is invalid, or not allowed in the widget, is
//     left out (an Extra entry likewise);
//   - when a rule between parameters fails, every parameter of the rule is
//     left out (a product card without its required title loses its
//     card_* fields; custom_title too long for title_flag 2 loses both);
//   - an invalid hook (callback, element, trace, WatchButtons) is left out;
//   - nothing is rendered when partnerid is invalid or missing with a key
//     (the sign would be refused as 经验证当前用户为非法用户), when the
//     nonce is invalid (the page's CSP would block the script), or when c
//     was not made by NewClient.
//
// It logs what it left out at warning level, what it could not render at
// error level, each with the problems, and the notices of what it renders
// at debug level (when that level is enabled), to Config.Logger with ctx.
// The sobotWidget template function and Client.Middleware render through
// it.
//
// Snippet's Render method makes the result a templ component:
//
//	@client.WidgetForPage(ctx, &sobot.Widget{Params: &p, Nonce: templ.GetNonce(ctx)})
func (c *Client) WidgetForPage(ctx context.Context, w *Widget) Snippet {
	if c == nil || c.sysField.name == "" {
		slog.Default().ErrorContext(ctx, "sobot: widget not rendered", "err", ErrZeroClient)
		return Snippet{}
	}
	if w == nil {
		w = &Widget{}
	}
	var buf [48]field
	own, fs, ok := c.pageFields(ctx, w, buf[:0])
	if !ok {
		return Snippet{}
	}
	return pooledSnippet(func(b []byte) ([]byte, [2]int) { return c.appendWidgetHTML(b, &own, fs) })
}

// pageFields validates w as RenderWidget does and returns a copy of it and
// its resolved fields, ready to render; where w is invalid, without the
// invalid parts (see WidgetForPage), logged. ok is false when nothing can
// be rendered. dst is scratch space for fs.
func (c *Client) pageFields(ctx context.Context, w *Widget, dst []field) (own Widget, fs []field, ok bool) {
	own = *w
	var ps problems
	own.check(&ps)
	fs, err := c.resolve(KindWidget, own.Params, dst)
	if err != nil {
		ps = append(problemsIn(err), ps...)
	} else {
		checkWidgetFields(fs, &own, &ps)
	}
	if len(ps) == 0 {
		c.logNotices(ctx, own.Params)
		return own, fs, true
	}
	dropped, fatal := fixOptions(&own, ps)
	fs, dropped2, fatal2 := c.resolveForPage(KindWidget, own.Params, dst)
	fs, dropped3 := dropWidgetClashes(fs, &own)
	dropped = append(append(dropped, dropped2...), dropped3...)
	if !c.logLeftOut(ctx, KindWidget, dropped, append(fatal, fatal2...)) {
		return own, nil, false
	}
	return own, fs, true
}

// LinkForPage builds the chat link of kind k (KindH5, KindPC or
// KindLeaveMessage) for a page that must not fail because of a visitor's
// data, as WidgetForPage renders the widget: where the builder (H5URL,
// PCURL, LeaveMessageURL) would return a *ValidationError, it builds the
// link without the invalid parameters (every parameter of a failed rule),
// or returns "" when the visitor's identity cannot be honoured (an invalid
// partnerid, or none with a key), or for another kind. It logs what it
// left out at warning level, and why it built nothing at error level, to
// Config.Logger with ctx.
//
//	{{with .ChatLink}}<a href="{{.}}" target="_blank">Chat in a new window</a>{{end}}
func (c *Client) LinkForPage(ctx context.Context, k Kind, p *Params) string {
	if c == nil || c.sysField.name == "" {
		slog.Default().ErrorContext(ctx, "sobot: link not built", "err", ErrZeroClient)
		return ""
	}
	if k != KindH5 && k != KindPC && k != KindLeaveMessage {
		c.log.ErrorContext(ctx, "sobot: link not built", "kind", k, "problems", []string{"kind: LinkForPage builds h5, pc and leave-message links"})
		return ""
	}
	var buf [48]field
	fs, err := c.fields(k, p, buf[:0])
	if err == nil {
		return c.link(c.paths[k], fs)
	}
	var fixed problems
	if k == KindLeaveMessage {
		var own Params
		own, fixed = withFixedSource(p, SourceWeCom, "the leave-message page takes source 9 only (值固定为9)")
		p = &own
	}
	fs, dropped, fatal := c.resolveForPage(k, p, buf[:0])
	if !c.logLeftOut(ctx, k, append(fixed, dropped...), fatal) {
		return ""
	}
	if k == KindLeaveMessage {
		fs = insert(fs, field{name: "source", text: "9", row: rowByName["source"]})
	}
	return c.link(c.paths[k], fs)
}

// logLeftOut logs what a page helper left out of a build of kind k (at
// warning level) or, when fatal holds problems, that it built nothing (at
// error level), and reports whether the build goes on.
func (c *Client) logLeftOut(ctx context.Context, k Kind, dropped, fatal []Problem) bool {
	dropped, fatal = redactKey(dropped, c.key), redactKey(fatal, c.key)
	done, invalid := "built", "the visitor's identity is invalid"
	if k == KindWidget {
		done, invalid = "rendered", "the visitor's identity or the page's nonce is invalid"
	}
	if len(fatal) > 0 {
		c.log.ErrorContext(ctx, "sobot: "+k.noun()+" not "+done+": "+invalid,
			"kind", k, "problems", problemTexts(append(fatal, dropped...)))
		return false
	}
	c.log.WarnContext(ctx, "sobot: "+k.noun()+" "+done+" without parameters that were invalid",
		"kind", k, "left_out", leftOut(dropped), "problems", problemTexts(dropped))
	return true
}

// Render writes the snippet's HTML to w. With it a Snippet is a templ
// component (github.com/a-h/templ's Component interface), so a templ page
// can write @client.WidgetForPage(ctx, &widget) without this package
// importing templ.
func (s Snippet) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, s.html)
	return err
}

// logNotices logs the notices of a widget with parameters p, when the
// logger takes debug records: they are worth computing only then.
func (c *Client) logNotices(ctx context.Context, p *Params) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	if ns, err := c.Check(KindWidget, p); err == nil && len(ns) > 0 {
		texts := make([]string, len(ns))
		for i, n := range ns {
			texts[i] = n.String()
		}
		c.log.DebugContext(ctx, "sobot: Sobot ignores some of the widget's parameters", "kind", KindWidget, "notices", texts)
	}
}

// resolveForPage is resolve for pages: instead of failing, it leaves out
// each invalid field and every field of each failed rule, and returns what
// it left out. fatal lists the problems that leave nothing to render: an
// invalid visitor's identity (identityOf), or a missing partnerid where the
// build is signed.
func (c *Client) resolveForPage(k Kind, p *Params, dst []field) (fs []field, dropped, fatal []Problem) {
	var own []field
	secret := c.key.reveal()
	for _, f := range collect(p, nil) {
		var ps problems
		checkField(f, k, &ps)
		checkNoKey(f, secret, &ps)
		if len(ps) == 0 {
			own = append(own, f)
		} else if f.row != nil && f.row.Name == identityOf(k) {
			fatal = append(fatal, ps...)
		} else {
			dropped = append(dropped, ps...)
		}
	}
	fs = merge(dst[:0], c.byKind[k], own)
	for range rules {
		var failed []*rule
		checkRules(fs, k, false, func(r *rule, value, reason string) {
			dropped = append(dropped, Problem{Param: r.names[0], Value: value, Reason: reason})
			failed = append(failed, r)
		})
		if len(failed) == 0 {
			break
		}
		fs = slices.DeleteFunc(fs, func(f field) bool {
			return slices.ContainsFunc(failed, func(r *rule) bool { return slices.Contains(r.rows, f.row) })
		})
	}
	if !c.signs(k) {
		return fs, dropped, fatal
	}
	partnerid, ok := lookup(fs, "partnerid")
	if !ok {
		if len(fatal) == 0 {
			fatal = append(fatal, Problem{Param: "partnerid", Reason: partnerIDRequired})
		}
		return nil, dropped, fatal
	}
	return c.withSign(fs, partnerid), dropped, fatal
}

// identityOf names the parameter that says who the visitor is on pages of
// kind k: partnerid on the chat pages, uid on the leave-message page.
// Without a valid one a page helper builds nothing rather than send the
// visitor in as someone else, or as no one.
func identityOf(k Kind) string {
	if k == KindLeaveMessage {
		return "uid"
	}
	return "partnerid"
}

// fixOptions removes from w the hooks that ps (the problems of a render)
// find invalid, and returns the problems it fixed so and those it cannot:
// an invalid nonce, without which the page's CSP blocks the script.
func fixOptions(w *Widget, ps []Problem) (dropped, fatal []Problem) {
	var traces []int
	for _, p := range ps {
		name, ok := strings.CutPrefix(p.Param, "Widget.")
		if !ok {
			continue // a parameter's problem; resolveForPage finds it again
		}
		switch {
		case name == "Nonce":
			fatal = append(fatal, p)
			continue
		case strings.HasPrefix(name, "OnReady"):
			w.OnReady = ""
		case strings.HasPrefix(name, "OnMessage"):
			w.OnMessage = ""
		case strings.HasPrefix(name, "OnOfflineMessages"):
			w.OnOfflineMessages = ""
		case strings.HasPrefix(name, "OnCollapse"):
			w.OnCollapse = ""
		case strings.HasPrefix(name, "ManualInit"):
			w.ManualInit = Click{}
		case strings.HasPrefix(name, "StatusToggle"):
			w.StatusToggle = Click{}
		case strings.HasPrefix(name, "WatchButtons"):
			w.WatchButtons = false
		case strings.HasPrefix(name, "Traces["):
			if i, err := strconv.Atoi(strings.TrimPrefix(name[:strings.IndexByte(name, ']')], "Traces[")); err == nil {
				traces = append(traces, i)
			}
		}
		dropped = append(dropped, p)
	}
	if len(traces) > 0 {
		kept := make([]Trace, 0, len(w.Traces))
		for i, tr := range w.Traces {
			if !slices.Contains(traces, i) {
				kept = append(kept, tr)
			}
		}
		w.Traces = kept
	}
	return dropped, fatal
}

// dropWidgetClashes leaves out of fs the extra parameters that clash with
// the widget's own config keys, and WatchButtons without custom buttons:
// the widget-only checks of checkWidgetFields.
func dropWidgetClashes(fs []field, w *Widget) ([]field, []Problem) {
	var ps problems
	checkWidgetFields(fs, w, &ps)
	for _, p := range ps {
		if p.Param == "Widget.WatchButtons" {
			w.WatchButtons = false
			continue
		}
		fs = slices.DeleteFunc(fs, func(f field) bool { return f.row == nil && f.name == p.Param })
	}
	return fs, ps
}

// leftOut lists the parameters and options that ps name, once each.
func leftOut(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		if !slices.Contains(out, p.Param) {
			out = append(out, p.Param)
		}
	}
	return out
}

// problemTexts formats ps for a log record.
func problemTexts(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	return out
}
