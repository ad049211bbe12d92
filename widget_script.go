package sobot

// This file writes the widget's inline script: the reference's zc stub,
// zc("config", {...}) and the calls and listeners a Widget asks for. The
// JavaScript around the values is fixed text; every value is written by
// appendJSString (strings), appendQueryEscape (URI components) or as a
// validated number, boolean, identifier path or id. The fixed text holds no
// "<", so the script can never contain "</script" or "<!--" of its own.

const (
	// jsStub is the reference's stub: zc queues its arguments in
	// window.cbk until the loader replays them.
	jsStub = "\nwindow.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};\n"

	// jsOnOpen starts the click bindings: on(id, cls, f) calls f for a
	// click on, or inside, the element with that id (or class when id is
	// ""). One listener on document covers elements added later.
	jsOnOpen = `(function(d){function on(id,cls,f){d.addEventListener("click",function(e){` +
		`for(var t=e.target;t&&t.classList;t=t.parentElement){if(id?t.id===id:t.classList.contains(cls)){f();return}}})}` + "\n"
	jsOnClose = "})(document);\n"

	// jsCollapseOpen starts the listener for the chat page's close message,
	// JSON text {name: "zc_post_message", data: {action:
	// "chat_collapse_window"}}. Anything else, including text that is not
	// JSON, is ignored.
	jsCollapseOpen = `window.addEventListener("message",function(e){var m;if(typeof e.data!=="string")return;` +
		`try{m=JSON.parse(e.data)}catch(x){return}` +
		`if(m&&m.name==="zc_post_message"&&m.data&&m.data.action==="chat_collapse_window"){`
	jsCollapseClose = "}});\n"

	// jsWatch calls zc("dynamic_ready") when custom buttons are added once
	// the document is parsed; buttons parsed with the page need no call.
	jsWatch = `(function(d,c){function has(n){return n.nodeType===1&&(n.classList.contains(c)||n.getElementsByClassName(c).length!==0)}` +
		`function watch(){new MutationObserver(function(ms){if(ms.some(function(m){return Array.prototype.some.call(m.addedNodes,has)}))zc("dynamic_ready")})` +
		`.observe(d.documentElement,{childList:true,subtree:true})}` +
		`if(d.readyState==="loading")d.addEventListener("DOMContentLoaded",watch);else watch()})(document,"` + CustomButtonClass + "\");\n"
)

// appendCalls appends the inline script's text for w with the resolved
// fields fs.
func (w *Widget) appendCalls(b []byte, fs []field) []byte {
	b = append(b, jsStub...)
	if hasConfig(fs) {
		b = append(b, `zc("config",`...)
		b = appendConfig(b, fs)
		b = append(b, ");\n"...)
	}
	b = appendHandler(b, "frame_ready", w.OnReady)
	b = appendHandler(b, "receive_message", w.OnMessage)
	b = appendHandler(b, "offline_message_count", w.OnOfflineMessages)
	var scratch [10]field
	for i := range w.Traces {
		if tr := &w.Traces[i]; tr.On.IsZero() {
			b = appendTrace(b, tr.Visit, scratch[:0])
			b = append(b, ";\n"...)
		}
	}
	b = w.appendClicks(b, scratch[:0])
	if w.OnCollapse != "" {
		b = append(b, jsCollapseOpen...)
		b = appendCall(b, w.OnCollapse, "m.data")
		b = append(b, jsCollapseClose...)
	}
	if w.WatchButtons {
		b = append(b, jsWatch...)
	}
	return b
}

// appendHandler appends zc(name, function(r){cb(r)}) if cb is set.
func appendHandler(b []byte, name string, cb Callback) []byte {
	if cb == "" {
		return b
	}
	b = append(b, "zc("...)
	b = appendJSString(b, name)
	b = append(b, ',')
	b = appendFunc(b, cb)
	return append(b, ");\n"...)
}

// appendFunc appends a function expression that passes its argument to cb,
// or does nothing when cb is unset. Wrapping, rather than passing cb
// itself, looks cb up when the event fires and keeps its object as this.
func appendFunc(b []byte, cb Callback) []byte {
	if cb == "" {
		return append(b, "function(){}"...)
	}
	b = append(b, "function(r){"...)
	b = appendCall(b, cb, "r")
	return append(b, '}')
}

// appendCall appends cb(arg). cb was validated as a dotted identifier path.
func appendCall(b []byte, cb Callback, arg string) []byte {
	b = append(b, cb...)
	b = append(b, '(')
	b = append(b, arg...)
	return append(b, ')')
}

// appendTrace appends zc("trace", {...}) without a terminator.
func appendTrace(b []byte, v VisitTrace, scratch []field) []byte {
	b = append(b, `zc("trace",`...)
	b = appendConfig(b, collect(&Params{Visit: v}, scratch))
	return append(b, ')')
}

// appendClicks appends the click bindings of w, if any.
func (w *Widget) appendClicks(b []byte, scratch []field) []byte {
	start := len(b)
	b = append(b, jsOnOpen...)
	bound := false
	for _, c := range [...]struct {
		name  string
		click Click
	}{{"frame_manual", w.ManualInit}, {"frame_status", w.StatusToggle}} {
		if c.click.On.IsZero() {
			continue
		}
		b = appendOn(b, c.click.On)
		b = append(b, "zc("...)
		b = appendJSString(b, c.name)
		b = append(b, ',')
		b = appendFunc(b, c.click.Then)
		b = append(b, ")});\n"...)
		bound = true
	}
	for i := range w.Traces {
		if tr := &w.Traces[i]; !tr.On.IsZero() {
			b = appendOn(b, tr.On)
			b = appendTrace(b, tr.Visit, scratch)
			b = append(b, "});\n"...)
			bound = true
		}
	}
	if !bound {
		return b[:start] // nothing to bind: drop the helper again
	}
	return append(b, jsOnClose...)
}

// appendOn starts on(id, cls, function(){ for the element e; the caller
// writes the body and closes it with "});".
func appendOn(b []byte, e Element) []byte {
	b = append(b, "on("...)
	if e.byClass {
		b = append(b, `"",`...)
		b = appendJSString(b, e.name)
	} else {
		b = appendJSString(b, e.name)
		b = append(b, `,""`...)
	}
	return append(b, ",function(){"...)
}
