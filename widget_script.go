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

	// jsOnOpen starts the click bindings: __sobotOn(id, cls, f) calls f
	// for a click on, or inside, the element with that id (or class when id
	// is ""). One listener on document covers elements added later.
	//
	// Every name this script declares starts with jsPrefix, which callback
	// names may not: a callback is looked up in the scope of these
	// functions, so a local named like it (r, e, on...) would shadow it.
	jsOnOpen = `(function(__sobotDoc){function __sobotOn(__sobotId,__sobotClass,__sobotF){` +
		`__sobotDoc.addEventListener("click",function(__sobotE){` +
		`for(var __sobotT=__sobotE.target;__sobotT&&__sobotT.classList;__sobotT=__sobotT.parentElement){` +
		`if(__sobotId?__sobotT.id===__sobotId:__sobotT.classList.contains(__sobotClass)){__sobotF();return}}})}` + "\n"
	jsOnClose = "})(document);\n"

	// jsCollapseOpen starts the listener for the chat page's close message,
	// JSON text {name: "zc_post_message", data: {action:
	// "chat_collapse_window"}}. Anything else, including text that is not
	// JSON, is ignored.
	jsCollapseOpen = `window.addEventListener("message",function(__sobotE){var __sobotM;if(typeof __sobotE.data!=="string")return;` +
		`try{__sobotM=JSON.parse(__sobotE.data)}catch(__sobotX){return}` +
		`if(__sobotM&&__sobotM.name==="zc_post_message"&&__sobotM.data&&__sobotM.data.action==="chat_collapse_window"){`
	jsCollapseClose = "}});\n"

	// jsWatch calls zc("dynamic_ready") when custom buttons are added once
	// the document is parsed; buttons parsed with the page need no call.
	jsWatch = `(function(__sobotDoc,__sobotClass){function __sobotHas(__sobotN){return __sobotN.nodeType===1&&` +
		`(__sobotN.classList.contains(__sobotClass)||__sobotN.getElementsByClassName(__sobotClass).length!==0)}` +
		`function __sobotWatch(){new MutationObserver(function(__sobotMs){if(__sobotMs.some(function(__sobotM){` +
		`return Array.prototype.some.call(__sobotM.addedNodes,__sobotHas)}))zc("dynamic_ready")})` +
		`.observe(__sobotDoc.documentElement,{childList:true,subtree:true})}` +
		`if(__sobotDoc.readyState==="loading")__sobotDoc.addEventListener("DOMContentLoaded",__sobotWatch);else __sobotWatch()})(document,"` + CustomButtonClass + "\");\n"

	// jsPrefix starts every name the script declares; see jsOnOpen.
	jsPrefix = "__sobot"
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
		b = appendCall(b, w.OnCollapse, "__sobotM.data")
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
	b = append(b, "function(__sobotR){"...)
	b = appendCall(b, cb, "__sobotR")
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

// appendOn starts __sobotOn(id, cls, function(){ for the element e; the caller
// writes the body and closes it with "});".
func appendOn(b []byte, e Element) []byte {
	b = append(b, "__sobotOn("...)
	if e.byClass {
		b = append(b, `"",`...)
		b = appendJSString(b, e.name)
	} else {
		b = appendJSString(b, e.name)
		b = append(b, `,""`...)
	}
	return append(b, ",function(){"...)
}
