package sobot

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageClient returns a client whose Logger writes text records to the
// returned buffer, at debug level and up.
func pageClient(t *testing.T, cfg Config) (*Client, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	cfg.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return newTestClient(t, cfg), &log
}

// TestWidgetForPageValid: a valid widget renders exactly as RenderWidget
// does, and only its notices are logged, at debug level.
func TestWidgetForPageValid(t *testing.T) {
	c, log := pageClient(t, Config{Key: NewKey(testWidgetSecret)})
	w := &Widget{Params: &Params{User: User{PartnerID: "u-1", VIPLevel: "gold"}}, Nonce: "bm9uY2U", OnReady: "app.ready"}
	want, err := c.RenderWidget(w)
	require.NoError(t, err)
	assert.Equal(t, want, c.WidgetForPage(context.Background(), w))
	assert.Equal(t, 1, strings.Count(log.String(), "\n"), log.String())
	assert.Contains(t, log.String(), "level=DEBUG")
	assert.Contains(t, log.String(), "vip_level: takes effect only when is_vip is 1")
	assert.NotContains(t, log.String(), "WARN")

	// A widget without notices logs nothing.
	log.Reset()
	w.Params.User.VIPLevel = ""
	want, err = c.RenderWidget(w)
	require.NoError(t, err)
	assert.Equal(t, want, c.WidgetForPage(context.Background(), w))
	assert.Empty(t, log.String())
}

// TestWidgetForPageLeavesOut: what a visitor's data makes invalid is left
// out, alone or with every parameter of a failed rule, and logged; the
// rest is rendered.
func TestWidgetForPageLeavesOut(t *testing.T) {
	defaults := Params{Settings: Settings{Color: "04babc", TitleMode: TitleCustom, CustomTitle: "Help"}}
	tests := []struct {
		name     string
		w        Widget
		absent   []string // config keys that must be left out
		present  []string // that must stay
		leftOut  string   // in the log's left_out
		problems string   // in the log's problems
	}{
		{"a javascript: referer", Widget{Params: &Params{User: User{PartnerID: "u", Name: "Ada"},
			Visit: VisitTrace{Previous: PreviousPage{URL: "javascript:alert(1)", Title: "Home"}}}},
			[]string{"pre_visit_url"}, []string{`"pre_visit_title":"Home"`, `"uname":"Ada"`, `"color":"04babc"`},
			"pre_visit_url", "must not use the javascript: scheme"},
		{"a card without its title", Widget{Params: &Params{User: User{PartnerID: "u"},
			Product: ProductCard{URL: "https://shop.example/p/1", Note: "9元"}}},
			[]string{"card_url", "card_note"}, []string{`"partnerid":"u"`},
			"card_title", "is required for a product card"},
		{"a title too long for the site's title_flag 2", Widget{Params: &Params{User: User{PartnerID: "u"},
			Settings: Settings{CustomTitle: strings.Repeat("长", 31)}}},
			[]string{"custom_title", "title_flag"}, []string{`"color":"04babc"`},
			"custom_title", "must be 1–30 characters"},
		{"a hostile extra name", Widget{Params: &Params{User: User{PartnerID: "u"},
			Extra: map[string]string{"pre_visit_args": "x", "visitTitle": "ok"}}},
			[]string{`"pre_visit_args"`}, []string{`"visitTitle":"ok"`},
			"pre_visit_args", "cannot be an extra parameter"},
		{"an invalid callback", Widget{Params: &Params{User: User{PartnerID: "u"}}, OnReady: "alert(1)", OnMessage: "app.msg"},
			[]string{"frame_ready"}, []string{"receive_message", "app.msg"},
			"Widget.OnReady", "must be a JavaScript function name"},
		{"an invalid trace", Widget{Params: &Params{User: User{PartnerID: "u"}},
			Traces: []Trace{{Visit: VisitTrace{Current: CurrentPage{Title: "kept"}}}, {Visit: VisitTrace{Current: CurrentPage{URL: "vbscript:x"}}}}},
			[]string{"vbscript"}, []string{`"cur_visit_title":"kept"`},
			"Widget.Traces[1].Visit.cur_visit_url", "vbscript"},
		{"buttons watched without custom buttons", Widget{Params: &Params{User: User{PartnerID: "u"}}, WatchButtons: true},
			[]string{"MutationObserver"}, []string{`"partnerid":"u"`},
			"Widget.WatchButtons", "needs custom entry buttons"},
		{"a manual init without an element", Widget{Params: &Params{User: User{PartnerID: "u"}}, ManualInit: Click{Then: "app.init"}},
			[]string{"frame_manual", "app.init"}, []string{`"partnerid":"u"`},
			"Widget.ManualInit.On", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, log := pageClient(t, Config{Key: NewKey(testWidgetSecret), Defaults: defaults})
			_, err := c.RenderWidget(&tt.w)
			require.Error(t, err, "the case must be invalid for RenderWidget")
			html := c.WidgetForPage(context.Background(), &tt.w).String()
			assertWidgetShape(t, html)
			for _, s := range tt.absent {
				assert.NotContains(t, html, s)
			}
			for _, s := range tt.present {
				assert.Contains(t, html, s)
			}
			assert.Contains(t, html, `"sign":"`+Sign(testSysNum, NewKey(testWidgetSecret), "u")+`"`, "still signed")
			assert.Contains(t, log.String(), "level=WARN")
			assert.Contains(t, log.String(), "left_out=")
			assert.Contains(t, log.String(), tt.leftOut)
			assert.Contains(t, log.String(), tt.problems)
		})
	}
}

// TestWidgetForPageRendersNothing: no widget at all when the visitor's
// identity or the page's nonce cannot be honoured; an error is logged.
func TestWidgetForPageRendersNothing(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		w    *Widget
		why  string
	}{
		{"no partnerid with a key", Config{Key: NewKey(testWidgetSecret)}, &Widget{Params: &Params{User: User{Name: "Ada"}}}, "partnerid: is required"},
		{"nil widget with a key", Config{Key: NewKey(testWidgetSecret)}, nil, "partnerid: is required"},
		{"a partnerid with a newline", Config{Key: NewKey(testWidgetSecret)}, &Widget{Params: &Params{User: User{PartnerID: "u\n2"}}}, "partnerid: must not contain control characters"},
		{"a partnerid of spaces, no key", Config{}, &Widget{Params: &Params{User: User{PartnerID: "  "}}}, "partnerid: must not be white space only"},
		{"a partnerid over 300 characters", Config{Key: NewKey(testWidgetSecret)}, &Widget{Params: &Params{User: User{PartnerID: strings.Repeat("x", 301)}}}, "must be at most 300 characters"},
		{"a bad nonce", Config{}, &Widget{Nonce: "a b", Params: &Params{User: User{Name: "x"}}}, "Widget.Nonce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, log := pageClient(t, tt.cfg)
			s := c.WidgetForPage(context.Background(), tt.w)
			assert.Empty(t, s.String())
			assert.Empty(t, s.ScriptHashes())
			assert.Contains(t, log.String(), "level=ERROR")
			assert.Contains(t, log.String(), tt.why)
		})
	}
}

// TestWidgetForPageZeroClient: a Client not made by NewClient renders
// nothing and says so on the default logger.
func TestWidgetForPageZeroClient(t *testing.T) {
	var log bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
	defer slog.SetDefault(old)
	var zero *Client
	assert.Empty(t, zero.WidgetForPage(context.Background(), &Widget{}).String())
	assert.Empty(t, (&Client{}).WidgetForPage(context.Background(), &Widget{}).String())
	assert.Contains(t, log.String(), ErrZeroClient.Error())
}

// TestWidgetForPageDoesNotModify: the caller's Widget and Params are left
// as they were.
func TestWidgetForPageDoesNotModify(t *testing.T) {
	c, _ := pageClient(t, Config{})
	p := &Params{Visit: VisitTrace{Current: CurrentPage{URL: "javascript:x"}}}
	w := &Widget{Params: p, OnReady: "bad()"}
	c.WidgetForPage(context.Background(), w)
	assert.Equal(t, Callback("bad()"), w.OnReady)
	assert.Equal(t, "javascript:x", p.Visit.Current.URL)
}

// TestSnippetRender: a Snippet writes its HTML, as a templ component does.
func TestSnippetRender(t *testing.T) {
	c := newTestClient(t, Config{})
	s := c.WidgetForPage(context.Background(), &Widget{Params: &Params{User: User{Name: "Ada"}}})
	var b strings.Builder
	require.NoError(t, s.Render(context.Background(), &b))
	assert.Equal(t, s.String(), b.String())
	assert.NotEmpty(t, b.String())
}

// TestLinkForPage: links for pages leave a visitor's invalid data out,
// or are "" when the visitor's identity cannot be honoured, and say so in
// the log; valid parameters give exactly the builder's link.
func TestLinkForPage(t *testing.T) {
	c, log := pageClient(t, Config{Key: NewKey(testWidgetSecret)})
	ctx := context.Background()
	p := &Params{User: User{PartnerID: "u", Name: "Ada"}}
	want, err := c.H5URL(p)
	require.NoError(t, err)
	assert.Equal(t, want, c.LinkForPage(ctx, KindH5, p))
	assert.Empty(t, log.String())

	for _, k := range []Kind{KindH5, KindPC} {
		log.Reset()
		bad := &Params{User: User{PartnerID: "u", Name: "Ada", Email: "\xff"}, Product: ProductCard{Note: "no title"}}
		link := c.LinkForPage(ctx, k, bad)
		want, err := c.chatURL(k, &Params{User: User{PartnerID: "u", Name: "Ada"}})
		require.NoError(t, err)
		assert.Equal(t, want, link, "%v: without email and the card", k)
		assert.Contains(t, log.String(), "level=WARN msg=\"sobot: "+k.noun()+" built without parameters that were invalid\"")
		assert.Contains(t, log.String(), "left_out=\"[email card_title]\"")
	}

	log.Reset()
	assert.Empty(t, c.LinkForPage(ctx, KindPC, &Params{User: User{PartnerID: "a\x00b"}}))
	assert.Contains(t, log.String(), "level=ERROR msg=\"sobot: PC chat link not built: the visitor's identity is invalid\"")

	log.Reset()
	lm := c.LinkForPage(ctx, KindLeaveMessage, &Params{User: User{Name: "Ada", PartnerID: "u"}, Settings: Settings{Source: SourceApp}})
	want, err = c.LeaveMessageURL(&Params{User: User{Name: "Ada"}})
	require.NoError(t, err)
	assert.Equal(t, want, lm, "partnerid and the source are left out; source=9 stays")
	assert.Contains(t, log.String(), "left_out=\"[source partnerid]\"")

	log.Reset()
	assert.Empty(t, c.LinkForPage(ctx, KindLeaveMessage, &Params{LeaveMessage: LeaveMessageFields{UID: "\xff"}}),
		"the leave-message page's visitor is its uid")
	assert.Contains(t, log.String(), "level=ERROR msg=\"sobot: leave-message link not built")

	log.Reset()
	assert.Empty(t, c.LinkForPage(ctx, KindWidget, p))
	assert.Contains(t, log.String(), "LinkForPage builds h5, pc and leave-message links")
	assert.Empty(t, (&Client{}).LinkForPage(ctx, KindH5, p))
}

// TestFuncMapContext: the template function takes the request's context
// for its log records, and refuses more arguments.
func TestFuncMapContext(t *testing.T) {
	var log bytes.Buffer
	type key struct{}
	h := &ctxHandler{Handler: slog.NewTextHandler(&log, nil), key: key{}}
	c := newTestClient(t, Config{Logger: slog.New(h)})
	tmpl := template.Must(template.New("page").Funcs(c.FuncMap()).Parse(`{{sobotWidget .W .Ctx}}`))
	ctx := context.WithValue(context.Background(), key{}, "req-7")
	require.NoError(t, tmpl.Execute(io.Discard, map[string]any{"W": Widget{OnReady: "bad()"}, "Ctx": ctx}))
	assert.Contains(t, log.String(), "request=req-7")
	err := template.Must(template.New("page").Funcs(c.FuncMap()).Parse(`{{sobotWidget .W .Ctx .Ctx}}`)).
		Execute(io.Discard, map[string]any{"W": Widget{}, "Ctx": ctx})
	assert.ErrorContains(t, err, "takes a widget and at most one context, not 3 arguments")
}

// ctxHandler adds the value of key in the record's context as "request".
type ctxHandler struct {
	slog.Handler
	key any
}

// Handle adds the request attribute.
func (h *ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	if v := ctx.Value(h.key); v != nil {
		r.AddAttrs(slog.Any("request", v))
	}
	return h.Handler.Handle(ctx, r)
}
