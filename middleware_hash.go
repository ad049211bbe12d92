package sobot

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"strings"
	"sync"
)

// This file renders the widget for pages whose Content-Security-Policy
// allows inline scripts by hash (script-src 'sha256-...'). The snippet's
// inline script holds the visitor's parameters, so its hash changes per
// visitor and per page; a static policy cannot list it. The hash variant
// splits it in two:
//
//	<script type="application/json" id="sobot-widget-config">{"config":{...},...}</script>
//	<script>(function(w,d){... the client's script ...})(window,document);</script>
//
// The data block is not a script a browser runs (no policy governs it),
// and escapes "<", so no text in it can end it. The script reads the block
// just before it, makes the zc calls, and adds the loader. It is the same
// for every page and visitor of a client, so its hash, WidgetScriptHash,
// goes into the policy once.
//
// The loader's URL is part of the script, not of the data: under a
// policy that trusts the script, HTML injected into a page could otherwise
// add a data block of its own that points the trusted script at any URL.
// For the same reason the data names no page functions: callbacks
// (OnReady, OnMessage, OnOfflineMessages, OnCollapse, Click.Then) are not
// rendered in this variant, and the page's own script registers them with
// zc(...) instead. What injected data can still do is what the widget's
// calls do: configure the widget, send traces, bind clicks to
// frame_manual, frame_status and trace. Prefer nonces where the page can
// have them.

// hashDataID is the id of the hash variant's data block.
const hashDataID = "sobot-widget-config"

// hashScriptHead and hashScriptTail surround the loader's URL (a JSON
// string) in the hash variant's script. Like the snippet's script, they
// hold no "<".
const (
	hashScriptHead = `(function(w,d){var s=d.currentScript,e=s&&s.previousElementSibling,c,l;` +
		`if(!e||e.id!=="` + hashDataID + `"||e.type!=="application/json")return;` +
		`c=JSON.parse(e.textContent);` +
		`w.zc=function(){w.cbk=w.cbk||[];w.cbk.push(arguments)};` +
		`if(c.config)zc("config",c.config);` +
		`(c.traces||[]).forEach(function(t){zc("trace",t)});` +
		`(c.clicks||[]).forEach(function(k){d.addEventListener("click",function(v){` +
		`for(var t=v.target;t&&t.classList;t=t.parentElement){if(k.id?t.id===k.id:t.classList.contains(k["class"])){` +
		`if(k.call==="trace")zc("trace",k.trace);else if(k.call==="frame_manual"||k.call==="frame_status")zc(k.call,function(){});return}}})});` +
		`if(c.watch)(function(){function h(n){return n.nodeType===1&&(n.classList.contains("` + CustomButtonClass + `")||` +
		`n.getElementsByClassName("` + CustomButtonClass + `").length!==0)}function o(){new MutationObserver(function(m){` +
		`if(m.some(function(r){return Array.prototype.some.call(r.addedNodes,h)}))zc("dynamic_ready")})` +
		`.observe(d.documentElement,{childList:true,subtree:true})}` +
		`if(d.readyState==="loading")d.addEventListener("DOMContentLoaded",o);else o()})();` +
		`l=d.createElement("script");l.id="zhichiScript";if(c.config&&c.config.custom===true)l.className="` + CustomButtonClass + `";` +
		`l.async=true;l.src=`
	hashScriptTail = `+(/^[0-9]+$/.test(c.channelid)?"&channelid="+c.channelid:"");` +
		`s.parentNode.insertBefore(l,s.nextSibling)})(window,document);`
)

// hashScripts caches each client's script and its hash sources, by its
// loader URL.
var hashScripts sync.Map

// hashScriptInfo is a client's hash-variant script and its CSP hash
// sources in SHA-256, SHA-384 and SHA-512.
type hashScriptInfo struct {
	script string
	hashes [3]string
}

// hashScriptOf returns the hash variant's script of c, and its hashes.
func (c *Client) hashScriptOf() *hashScriptInfo {
	src := c.base + "/chat/frame/" + c.version.String() + "/entrance.js?sysnum=" + string(appendQueryEscape(nil, c.sysnum))
	if s, ok := hashScripts.Load(src); ok {
		return s.(*hashScriptInfo)
	}
	b := []byte(hashScriptHead)
	// The client's own loader URL, no visitor's text: written with its
	// slashes as they are, which keeps the script, and so its hash, as it
	// was before appendJSString escaped them.
	b = appendJSONText(b, src)
	b = append(b, hashScriptTail...)
	info := &hashScriptInfo{script: string(b)}
	s256, s384, s512 := sha256.Sum256(b), sha512.Sum384(b), sha512.Sum512(b)
	for i, sum := range [][]byte{s256[:], s384[:], s512[:]} {
		info.hashes[i] = "'" + [...]string{"sha256", "sha384", "sha512"}[i] + "-" + base64.StdEncoding.EncodeToString(sum) + "'"
	}
	hashScripts.Store(src, info)
	return info
}

// hashScript returns the hash variant's script of c.
func (c *Client) hashScript() string { return c.hashScriptOf().script }

// WidgetScriptHash returns the CSP hash source ('sha256-...') of the
// script Middleware inserts into pages whose policy allows scripts by
// hash. The script is the same for every page and visitor of the client
// (it depends on the base URL, version and sysnum only), so the hash goes
// into the policy once:
//
//	script-src 'sha256-...' ORIGIN   (or 'sha256-...' 'strict-dynamic')
//
// The script adds the loader itself, so the policy may use
// 'strict-dynamic' instead of ORIGIN. In this variant the visitor's data
// travels in a <script type="application/json"> block, and the widget's
// callbacks (Widget.OnReady, ...) are not rendered: register them from the
// page's own script, zc("frame_ready", onReady).
func (c *Client) WidgetScriptHash() string {
	return c.hashScriptOf().hashes[0]
}

// hashSnippet renders w as the hash variant: the data block and the
// client's script, which carries w.Nonce if set (for a page whose
// policies want the hash and a nonce). Like WidgetForPage, it never fails: it leaves out what
// is invalid, renders nothing when the visitor's identity cannot be
// honoured, and logs to Config.Logger.
func (c *Client) hashSnippet(ctx context.Context, w *Widget) string {
	var buf [48]field
	own, fs, ok := c.pageFields(ctx, w, buf[:0])
	if !ok {
		return ""
	}
	if dropped := own.callbacks(); dropped != "" {
		c.log.WarnContext(ctx, "sobot: the widget's callbacks are not rendered under a hash-based Content-Security-Policy; register them from the page's own script with zc(...)",
			"callbacks", dropped)
	}
	var b strings.Builder
	b.Grow(2048)
	b.WriteString(`<script type="application/json" id="` + hashDataID + `">`)
	b.Write(own.appendHashData(nil, fs))
	b.WriteString("</script>\n")
	b.Write(appendScriptOpen(nil, own.Nonce))
	b.WriteString(c.hashScript())
	b.WriteString("</script>\n")
	return b.String()
}

// hasCallbacks reports whether w sets a callback.
func (w *Widget) hasCallbacks() bool { return w.callbacks() != "" }

// callbacks names the callbacks w sets, "" for none.
func (w *Widget) callbacks() string {
	var names []string
	for _, cb := range [...]struct {
		name string
		set  bool
	}{
		{"Widget.OnReady", w.OnReady != ""},
		{"Widget.OnMessage", w.OnMessage != ""},
		{"Widget.OnOfflineMessages", w.OnOfflineMessages != ""},
		{"Widget.OnCollapse", w.OnCollapse != ""},
		{"Widget.ManualInit.Then", w.ManualInit.Then != ""},
		{"Widget.StatusToggle.Then", w.StatusToggle.Then != ""},
	} {
		if cb.set {
			names = append(names, cb.name)
		}
	}
	return strings.Join(names, ", ")
}

// appendHashData appends the hash variant's data of w with its validated,
// resolved fields fs, a JSON object:
//
//	config     the zc("config", ...) object, when there is one
//	traces     the traces sent at load, in order
//	clicks     [{id | class, call: frame_manual | frame_status | trace, trace}]
//	watch      true with WatchButtons
//	channelid  the loader's channelid, as text
//
// Every string is written by appendJSString, which escapes "<", so the
// block cannot contain "</script" or "<!--".
func (w *Widget) appendHashData(b []byte, fs []field) []byte {
	if !w.ManualInit.IsZero() {
		if _, ok := lookup(fs, "manual"); !ok {
			fs = insert(fs, field{name: "manual", text: "true", row: rowByName["manual"]})
		}
	}
	b = append(b, '{')
	sep := func() {
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
	}
	if hasConfig(fs) {
		b = append(b, `"config":`...)
		b = appendConfig(b, fs)
	}
	var scratch [10]field
	n := 0
	for _, tr := range w.Traces {
		if !tr.On.IsZero() {
			continue
		}
		if n == 0 {
			sep()
			b = append(b, `"traces":[`...)
		} else {
			b = append(b, ',')
		}
		b = appendConfig(b, collect(&Params{Visit: tr.Visit}, scratch[:0]))
		n++
	}
	if n > 0 {
		b = append(b, ']')
	}
	n = 0
	click := func(on Element, call string, trace *VisitTrace) {
		if n == 0 {
			sep()
			b = append(b, `"clicks":[`...)
		} else {
			b = append(b, ',')
		}
		n++
		if on.byClass {
			b = append(b, `{"class":`...)
		} else {
			b = append(b, `{"id":`...)
		}
		b = appendJSString(b, on.name)
		b = append(b, `,"call":`...)
		b = appendJSString(b, call)
		if trace != nil {
			b = append(b, `,"trace":`...)
			b = appendConfig(b, collect(&Params{Visit: *trace}, scratch[:0]))
		}
		b = append(b, '}')
	}
	if !w.ManualInit.On.IsZero() {
		click(w.ManualInit.On, "frame_manual", nil)
	}
	if !w.StatusToggle.On.IsZero() {
		click(w.StatusToggle.On, "frame_status", nil)
	}
	for i := range w.Traces {
		if tr := &w.Traces[i]; !tr.On.IsZero() {
			click(tr.On, "trace", &tr.Visit)
		}
	}
	if n > 0 {
		b = append(b, ']')
	}
	if w.WatchButtons {
		sep()
		b = append(b, `"watch":true`...)
	}
	if v, ok := lookup(fs, "channelid"); ok {
		sep()
		b = append(b, `"channelid":`...)
		b = appendJSString(b, v)
	}
	return append(b, '}')
}
