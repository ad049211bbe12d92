package sobot

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"strconv"
	"sync"
)

// CustomButtonClass is the class of custom entry buttons (不使用默认咨询入口):
// with Params.WidgetSettings.CustomButton set, Sobot's loader opens the chat when an
// element of this class is clicked, instead of showing its own button.
//
//	<button class="zhiCustomBtn">Chat with us</button>
const CustomButtonClass = "zhiCustomBtn"

// Widget is the JS-SDK widget of one page view: the visitor's parameters,
// the response's CSP nonce and the page's hooks into the widget. Build one
// per request and render it with Client.RenderWidget, Client.WriteWidget or the
// template function of Client.FuncMap. The zero Widget renders the
// site-wide defaults alone; a client with a key refuses it, as every signed
// widget needs the visitor's partnerid (Params.User.PartnerID), which
// Config.Defaults cannot hold.
//
// Hooks name JavaScript functions of the page (see Callback) and page
// elements (see Element); no field takes JavaScript source.
type Widget struct {
	// Params are this page's parameters (identity, cards, visit trace, ...)
	// applied over Config.Defaults, as for links. Link-only parameters
	// (to_customsys_open_style, top_bar_flag) are rejected. nil means the
	// defaults alone.
	//
	// Params.Settings.ChannelID goes on the loader's URL, where the
	// console's integration code puts it, not into zc("config", ...).
	Params *Params

	// Nonce is this response's CSP nonce. Every script element of the
	// widget carries nonce="Nonce", so the page works under
	// Content-Security-Policy: script-src 'nonce-Nonce'. It must be base64
	// or base64url text (A–Z a–z 0–9 + / - _, up to two trailing =), as
	// CSP's nonce-source allows; make it with at least 128 random bits per
	// response. Empty means no nonce attribute.
	Nonce string

	// ManualInit defers the widget's initialisation to a click (手动初始化):
	// the config gets manual: true, and a click on ManualInit.On calls
	// zc("frame_manual", ManualInit.Then). Then receives Sobot's result,
	// {code: "000000"} on success.
	ManualInit Click

	// StatusToggle binds the reference's 手动控制展开和收起聊天页面: a click on
	// StatusToggle.On calls zc("frame_status", StatusToggle.Then), which
	// expands or collapses the chat; Then receives the state, "expand" or
	// "collapse".
	StatusToggle Click

	// WatchButtons calls zc("dynamic_ready") whenever elements of class
	// CustomButtonClass are added to the page after it loaded (创建动态自定义
	// 咨询入口), so custom buttons rendered by scripts work too. It needs
	// custom entry buttons (Params.WidgetSettings.CustomButton, here or in the
	// defaults).
	WatchButtons bool

	// OnReady is called once the chat page has loaded (frame_ready).
	OnReady Callback
	// OnMessage is called with {img, name, msg, t} when an agent writes
	// while the chat is collapsed (receive_message; zhichiReceive is the
	// same event, so only receive_message is registered).
	OnMessage Callback
	// OnOfflineMessages is called with the number of unread offline
	// messages when the visitor comes back (offline_message_count).
	OnOfflineMessages Callback
	// OnCollapse is called with {action: "chat_collapse_window"} when the
	// visitor closes the chat page (关闭聊天页面时的回调): the widget listens
	// for the zc_post_message postMessage and parses it as JSON, ignoring
	// anything else. Any frame can post such a message, so treat the call
	// as a UI hint, not as proof of anything.
	OnCollapse Callback

	// Traces send browsing traces by hand (手动发送浏览轨迹): each is a
	// zc("trace", {pre_visit_args: {...}, cur_visit_args: {...}}) call, made
	// when Trace.On is clicked, or right away when On is zero. For the
	// page's own trace, set Params.Visit instead.
	Traces []Trace
}

// Click binds a widget call to clicks on page elements.
type Click struct {
	// On picks the elements; required when Then is set.
	On Element
	// Then receives the call's result; optional.
	Then Callback
}

// IsZero reports whether c binds nothing.
func (c Click) IsZero() bool { return c == Click{} }

// Trace is one manual browsing trace (zc("trace", ...)).
type Trace struct {
	// On picks the elements whose clicks send the trace; zero sends it
	// once, as the page loads.
	On Element
	// Visit is the trace; at least one field must be set.
	Visit VisitTrace
}

// Element picks page elements by DOM id or class name, for the calls a
// Widget binds to clicks. The widget listens for clicks on the document and
// looks for the element from the click's target upwards, so elements
// rendered after the widget, or by scripts, work as well. The zero Element
// picks nothing.
type Element struct {
	byClass bool
	name    string
	set     bool
}

// ByID picks the element whose id attribute is id.
func ByID(id string) Element { return Element{name: id, set: true} }

// ByClass picks every element with class name class.
func ByClass(class string) Element { return Element{name: class, byClass: true, set: true} }

// IsZero reports whether e picks nothing.
func (e Element) IsZero() bool { return !e.set }

// GoString returns the Go expression of e: sobot.ByID("x"),
// sobot.ByClass("x"), or sobot.Element{} for the zero Element.
func (e Element) GoString() string {
	switch {
	case !e.set:
		return "sobot.Element{}"
	case e.byClass:
		return "sobot.ByClass(" + strconv.Quote(e.name) + ")"
	}
	return "sobot.ByID(" + strconv.Quote(e.name) + ")"
}

// String returns "#id", ".class" or "" for the zero Element, for messages.
func (e Element) String() string {
	switch {
	case !e.set:
		return ""
	case e.byClass:
		return "." + e.name
	}
	return "#" + e.name
}

// Callback names a JavaScript function of the page that a widget event
// calls, as an identifier or a dotted path: "onChatReady",
// "app.chat.onReady". It is looked up when the event happens, not when the
// widget loads, so the function may be defined by a script further down
// the page; a method is called on its object (this is app.chat). Only
// ASCII identifiers are accepted, and no JavaScript reserved word, eval,
// arguments, __proto__, constructor or prototype; anything else is a
// validation error. Callbacks are part of your page's code: never build
// one from user input.
type Callback string

// Snippet is a rendered widget: an HTML block of two script elements, the
// inline one that queues zc(...) calls and the loader.
//
// Put it in the page's body. For a hash-based Content-Security-Policy, add
// ScriptHashes to script-src before writing the response; see Client.RenderWidget
// for the policy the widget needs.
type Snippet struct {
	html   string
	script string // the inline script's text, what a CSP hash covers
}

// HTML returns the snippet as trusted HTML for html/template.
func (s Snippet) HTML() template.HTML { return template.HTML(s.html) }

// String returns the snippet's HTML.
func (s Snippet) String() string { return s.html }

// ScriptHashes returns the CSP hash source ('sha256-...') of each inline
// script of the snippet, in order, for script-src. The inline script holds
// the visitor's parameters, so its hash changes with them: compute the
// policy per response.
func (s Snippet) ScriptHashes() []string {
	if s.script == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(s.script))
	return []string{"'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"}
}

// RenderWidget validates w and renders the widget's HTML: an inline script that
// defines zc, queueing calls in window.cbk exactly as the reference's stub
// does, then makes zc("config", {...}) and the calls w asks for; and the
// loader,
//
//	<script id="zhichiScript" async src="BASE/chat/frame/v2/entrance.js?sysnum=..."></script>
//
// (v6 with Config.Version V6; &channelid=N with Params.Settings.ChannelID;
// class="zhiCustomBtn" with custom entry buttons, as the reference's
// example has it). A nil w renders the defaults alone (with a key, a
// validation error: the visitor's partnerid is required). It returns a
// *ValidationError listing every problem of w and its parameters.
//
// Each parameter is written in the JavaScript type the reference's
// examples use (ParamInfo.JS): numbers, booleans, strings, JSON text in a
// string as JSON.stringify gives, card and order URLs passed through
// percent-encoding as encodeURIComponent would, and the visit trace in
// pre_visit_args / cur_visit_args objects. Every string is written as an
// escaped JSON string literal, so text such as </script>, quotes or
// U+2028 cannot end the script or the string; the config object is valid
// JSON.
//
// With a security key the config carries partnerid and sign (see Sign);
// build the widget per request for the logged-in visitor and do not cache
// the HTML across visitors.
//
// The page's Content-Security-Policy must allow, with ORIGIN the client's
// Origin (scheme, host and port; not BaseURL, whose path prefix, if any,
// would make the source match that path only):
//
//	script-src  'nonce-NONCE' ORIGIN   (or the ScriptHashes and ORIGIN)
//	frame-src   ORIGIN                 (the chat page)
//	connect-src ORIGIN                 (the chat's requests)
//	img-src     ORIGIN                 (icons and avatars)
//
// With 'strict-dynamic' in script-src, use the nonce: the nonce'd loader
// may then load Sobot's further scripts without ORIGIN in script-src.
func (c *Client) RenderWidget(w *Widget) (Snippet, error) {
	var err error
	sn := pooledSnippet(func(b []byte) ([]byte, [2]int) {
		var script [2]int
		b, script, err = c.appendWidget(b, w)
		return b, script
	})
	if err != nil {
		return Snippet{}, err
	}
	return sn, nil
}

// pooledSnippet returns the Snippet that render appends to an empty buffer
// from widgetBufs, with the bounds of its inline script's text; the
// buffer goes back to the pool. A render that appends nothing gives the
// zero Snippet.
func pooledSnippet(render func(b []byte) ([]byte, [2]int)) Snippet {
	bp := widgetBufs.Get().(*[]byte)
	defer putWidgetBuf(bp)
	b, script := render((*bp)[:0])
	*bp = b
	if len(b) == 0 {
		return Snippet{}
	}
	html := string(b)
	return Snippet{html: html, script: html[script[0]:script[1]]}
}

// WriteWidget renders the widget as Widget does and writes it to dst in one
// Write. On a validation error nothing is written.
func (c *Client) WriteWidget(dst io.Writer, w *Widget) error {
	bp := widgetBufs.Get().(*[]byte)
	defer putWidgetBuf(bp)
	b, _, err := c.appendWidget((*bp)[:0], w)
	if err != nil {
		return err
	}
	*bp = b
	_, err = dst.Write(b)
	return err
}

// widgetBufs recycles render buffers: a widget is rendered per request, and
// its size is stable for a site.
var widgetBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// putWidgetBuf returns a buffer to the pool unless it grew unusually large,
// so one huge widget does not pin memory.
func putWidgetBuf(bp *[]byte) {
	if cap(*bp) <= 64<<10 {
		widgetBufs.Put(bp)
	}
}

// appendWidget validates w, appends its HTML to b and returns the bounds of
// the inline script's text within b.
func (c *Client) appendWidget(b []byte, w *Widget) ([]byte, [2]int, error) {
	if w == nil {
		w = &Widget{}
	}
	var ps problems
	w.check(&ps)
	var buf [48]field
	fs, err := c.resolve(KindWidget, w.Params, buf[:0])
	if err != nil {
		verr, ok := err.(*ValidationError)
		if !ok {
			return b, [2]int{}, err
		}
		ps = append(verr.Problems, ps...)
	} else {
		checkWidgetFields(fs, w, &ps)
	}
	if err := redactKey(ps, c.key).err(); err != nil {
		return b, [2]int{}, err
	}
	b, script := c.appendWidgetHTML(b, w, fs)
	return b, script, nil
}

// appendWidgetHTML appends the HTML of w with its validated, resolved
// fields fs, and returns the bounds of the inline script's text within b.
func (c *Client) appendWidgetHTML(b []byte, w *Widget, fs []field) ([]byte, [2]int) {
	if !w.ManualInit.IsZero() {
		if _, ok := lookup(fs, "manual"); !ok {
			fs = insert(fs, field{name: "manual", text: "true", row: rowByName["manual"]})
		}
	}
	var script [2]int
	b = appendScriptOpen(b, w.Nonce)
	script[0] = len(b)
	b = w.appendCalls(b, fs)
	script[1] = len(b)
	b = append(b, "</script>\n"...)
	return c.appendLoader(b, fs, w.Nonce), script
}

// appendScriptOpen appends an inline script's start tag.
func appendScriptOpen(b []byte, nonce string) []byte {
	b = append(b, "<script"...)
	b = appendNonce(b, nonce)
	return append(b, '>')
}

// appendNonce appends the nonce attribute, if any. The nonce was checked
// to hold base64 characters only, which need no escaping in an attribute.
func appendNonce(b []byte, nonce string) []byte {
	if nonce == "" {
		return b
	}
	b = append(b, ` nonce="`...)
	b = append(b, nonce...)
	return append(b, '"')
}

// appendLoader appends the loader element. It is a parser-inserted element
// rather than one created by the inline script, as the reference's
// bootstrap does, so that it carries the nonce (and with it the trust of
// 'strict-dynamic'), works wherever the snippet is placed, even in head,
// and shows the loader's URL in the page's source. Sobot's loader finds
// its sysnum (and the custom button class) on the element with id
// zhichiScript, which this is.
func (c *Client) appendLoader(b []byte, fs []field, nonce string) []byte {
	b = append(b, `<script id="zhichiScript"`...)
	if v, _ := lookup(fs, "custom"); v == "true" {
		b = append(b, ` class="`+CustomButtonClass+`"`...)
	}
	b = append(b, ` async src="`...)
	b = append(b, template.HTMLEscapeString(c.base)...)
	b = append(b, "/chat/frame/"...)
	b = append(b, c.version.String()...)
	b = append(b, "/entrance.js?sysnum="...)
	// Percent-encoded text has no character HTML would interpret.
	b = appendQueryEscape(b, c.sysnum)
	if v, ok := lookup(fs, "channelid"); ok {
		b = append(b, "&amp;channelid="...)
		b = appendQueryEscape(b, v)
	}
	b = append(b, '"')
	b = appendNonce(b, nonce)
	return append(b, "></script>\n"...)
}
