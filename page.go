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
	s, err := c.RenderWidget(w)
	if err == nil {
		c.logNotices(ctx, w.Params)
		return s
	}
	own := *w
	var ps problems
	dropped, fatal := fixOptions(&own, problemsIn(err))
	ps = append(ps, dropped...)
	var buf [48]field
	fs, dropped, fatal2 := c.resolveForPage(KindWidget, own.Params, buf[:0])
	ps = append(ps, dropped...)
	fatal = append(fatal, fatal2...)
	fs, dropped = dropWidgetClashes(fs, &own)
	ps = append(ps, dropped...)
	if len(fatal) > 0 {
		c.log.ErrorContext(ctx, "sobot: widget not rendered: the visitor's identity or the page's nonce is invalid",
			"kind", KindWidget, "problems", problemTexts(append(fatal, ps...)))
		return Snippet{}
	}
	c.log.WarnContext(ctx, "sobot: widget rendered without parameters that were invalid",
		"kind", KindWidget, "left_out", leftOut(ps), "problems", problemTexts(ps))
	b, script := c.appendWidgetHTML(nil, &own, fs)
	html := string(b)
	return Snippet{html: html, script: html[script[0]:script[1]]}
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
// invalid or missing partnerid where the build is signed.
func (c *Client) resolveForPage(k Kind, p *Params, dst []field) (fs []field, dropped, fatal []Problem) {
	var own []field
	for _, f := range collect(p, nil) {
		var ps problems
		checkField(f, k, &ps)
		switch {
		case len(ps) == 0:
			own = append(own, f)
		case f.row == rowPartnerID:
			fatal = append(fatal, ps...)
		default:
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
