// sobottest: a fake of Sobot's JS-SDK loader (chat/frame/v2/entrance.js).
//
// A TEST DOUBLE, not Sobot. It emulates the zc(...) API documented in Sobot's
// web integration reference just well enough to drive a page in tests, and
// reports every zc call to the stand-in server that served it.
//
// Rules kept throughout: no eval, no Function constructor, no string timers,
// no HTML parsing (inner or outer HTML, adjacent HTML, document writes).
// Config values reach the page only through textContent, CSSOM style
// properties (validated) and URLSearchParams, so a config full of XSS
// payloads stays inert.
(function () {
  "use strict";

  var w = window;
  var d = document;

  // ---------------------------------------------------------------------
  // Where the loader came from.

  // The loader's own script element: document.currentScript while this
  // script runs (async or not), else the element with the reference's id.
  var script = null;
  [d.currentScript, d.getElementById("zhichiScript")].forEach(function (s) {
    if (!script && s && s.src && s.src.indexOf("/chat/frame/") >= 0) {
      script = s;
    }
  });
  if (!script) {
    console.error("sobottest: cannot find the loader's script element");
    return;
  }
  var src = new URL(script.src, d.baseURI);
  // The stand-in's base URL: everything before /chat/frame/ (normally the
  // origin; more if the handler is mounted under a prefix).
  var base = src.href.slice(0, src.href.indexOf("/chat/frame/"));
  var versionMatch = /\/chat\/frame\/(v[0-9]+)\//.exec(src.pathname);

  // Custom entry buttons carry class zhiCustomBtn; the reference also puts
  // the class on the loader's script element, so honour whatever class that
  // element has too.
  var customClasses = ["zhiCustomBtn"];
  (script.className || "").split(/\s+/).forEach(function (c) {
    if (c && customClasses.indexOf(c) < 0) {
      customClasses.push(c);
    }
  });

  // ---------------------------------------------------------------------
  // State, exposed to tests as window.__sobottest.

  var st = w.__sobottest;
  if (st && st.loaderLoaded) {
    console.warn("sobottest: loader loaded twice; the second copy does nothing");
    return;
  }
  if (!st || typeof st !== "object") {
    st = {};
  }
  w.__sobottest = st;
  st.loaderLoaded = true;
  st.base = base;
  st.sysnum = src.searchParams.get("sysnum") || "";
  st.version = versionMatch ? versionMatch[1] : "v2";
  st.calls = []; // every zc call: {name, args, page, sysnum}
  st.config = Object.create(null); // merged zc("config", ...) objects
  st.state = "collapse"; // "expand" or "collapse"
  st.initialised = false; // entry rendered, panel built
  st.ready = false; // the chat iframe has loaded once
  st.frameLoads = 0; // how many times the chat iframe has loaded
  // A page may set window.__sobottest = {offlineMessageCount: n} before the
  // loader runs.
  if (typeof st.offlineMessageCount !== "number") {
    st.offlineMessageCount = 0;
  }

  var readyCallbacks = []; // zc("frame_ready", cb), called once
  var receiveCallbacks = []; // zc("receive_message" | "zhichiReceive", cb)
  var offlineCallbacks = []; // zc("offline_message_count", cb)

  var entry = null; // the default entry button
  var panel = null; // #zc__sdk__container
  var frame = null; // the chat iframe
  var frameURL = ""; // the URL last given to frame
  var bound = new WeakSet(); // custom buttons already bound

  // ---------------------------------------------------------------------
  // Small helpers.

  // truthy reads a config flag the way the reference writes them: true, 1,
  // "1" or "true".
  function truthy(v) {
    return v === true || v === 1 || v === "1" || v === "true";
  }

  // later calls fn(arg) on a fresh task, as Sobot's callbacks are
  // asynchronous; an exception in fn is reported as uncaught, not hidden.
  function later(fn, arg) {
    if (typeof fn === "function") {
      setTimeout(function () {
        fn(arg);
      }, 0);
    }
  }

  // css sets CSSOM style properties, which a page's style-src CSP allows.
  function css(el, props) {
    Object.keys(props).forEach(function (k) {
      el.style.setProperty(k, props[k]);
    });
  }

  // themeColor is config.color ("04babc", no #) if it is six hex digits.
  function themeColor() {
    var c = st.config.color;
    return typeof c === "string" && /^[0-9a-fA-F]{6}$/.test(c) ? "#" + c : "#09aeb0";
  }

  // side is "left" for config.location 2 (左下角), else "right".
  function side() {
    return String(st.config.location) === "2" ? "left" : "right";
  }

  // domReady runs fn once the document is parsed, always on a later task, so
  // config calls made by inline scripts after the loader's element apply.
  function domReady(fn) {
    if (d.readyState === "loading") {
      d.addEventListener("DOMContentLoaded", fn, { once: true });
    } else {
      setTimeout(fn, 0);
    }
  }

  // ---------------------------------------------------------------------
  // Recording calls and reporting them to the stand-in.
  //
  // The stand-in's calls endpoint serves its own origin only, and this
  // script runs on the host page's. So the calls go through the recorder: a
  // hidden iframe of the stand-in's origin (the page's CSP must allow the
  // stand-in in frame-src, as for the chat page), to which the loader opens
  // a MessageChannel once it has loaded; it posts each batch to the endpoint
  // and acknowledges it. Nothing is posted to the host page's window.

  // toJSON turns one argument into plain JSON data: functions become
  // "[function]", undefined becomes null.
  function toJSON(v) {
    try {
      var s = JSON.stringify(v, function (k, x) {
        return typeof x === "function" ? "[function]" : x;
      });
      return s === undefined ? null : JSON.parse(s);
    } catch (e) {
      return "[unserialisable]";
    }
  }

  // The recorder gives up when it has not answered this long after its
  // iframe loaded: the page's CSP blocked it, or it broke.
  var recorderTimeout = 10000;
  var standinOrigin = new URL(base).origin;
  var recorder = null; // the recorder's iframe
  var channel = null; // our end of the MessageChannel, once the recorder is ready
  var recorderFailed = false;

  var pending = []; // recorded, not yet sent
  var inFlight = 0; // how many calls the batch in flight holds (0: none)
  var seq = 0; // the number of the last batch sent
  var recorded = 0; // calls recorded so far
  var reported = 0; // calls the recorder acknowledged (or gave up on)
  var flushWaiters = []; // {upto, resolve}

  function record(name, args) {
    var call = {
      name: name,
      args: args.map(toJSON),
      page: String(w.location.href),
      sysnum: st.sysnum,
    };
    st.calls.push(call);
    pending.push(call);
    recorded++;
    send();
  }

  // settle resolves the flush promises whose calls have all been reported.
  function settle() {
    flushWaiters = flushWaiters.filter(function (f) {
      if (reported >= f.upto || recorderFailed) {
        f.resolve();
        return false;
      }
      return true;
    });
  }

  // fail stops reporting: the calls so far and later ones are dropped, so
  // flush does not wait for ever.
  function fail(why) {
    if (recorderFailed) {
      return;
    }
    recorderFailed = true;
    console.error("sobottest: cannot report zc calls to the stand-in: " + why);
    reported += pending.length + inFlight;
    pending = [];
    inFlight = 0;
    settle();
  }

  // openRecorder frames the recorder page, hidden, once the body exists,
  // and connects to it when it has loaded.
  function openRecorder() {
    if (recorder || !d.body) {
      return;
    }
    recorder = d.createElement("iframe");
    recorder.id = "sobottest-recorder";
    recorder.title = "sobottest call recorder";
    recorder.setAttribute("aria-hidden", "true");
    recorder.tabIndex = -1;
    css(recorder, { display: "none" });
    recorder.addEventListener("load", function () {
      if (channel || recorderFailed) {
        return;
      }
      var mc = new MessageChannel();
      mc.port1.onmessage = onRecorderMessage;
      // Only the stand-in's origin gets the channel: if the frame holds
      // anything else (a CSP block page), the message is not delivered.
      recorder.contentWindow.postMessage({ sobottest: "connect" }, standinOrigin, [mc.port2]);
      var port = mc.port1;
      setTimeout(function () {
        if (channel !== port) {
          fail("the recorder (" + base + "/__sobottest/recorder.html) did not answer: " +
            "does the page's Content-Security-Policy allow " + standinOrigin + " in frame-src?");
        }
      }, recorderTimeout);
    });
    recorder.src = base + "/__sobottest/recorder.html";
    d.body.appendChild(recorder);
  }

  function onRecorderMessage(e) {
    var m = e.data;
    if (!m || typeof m !== "object") {
      return;
    }
    if (m.sobottest === "ready" && !channel && !recorderFailed) {
      channel = e.target;
      send();
    } else if (m.sobottest === "ack" && m.seq === seq && inFlight > 0) {
      if (!m.ok) {
        console.error("sobottest: the stand-in did not record " + inFlight + " zc calls");
      }
      reported += inFlight;
      inFlight = 0;
      settle();
      send();
    }
  }

  // send hands the pending calls to the recorder as one batch, one batch
  // at a time, so the server records a page's calls in the order they were
  // made.
  function send() {
    if (recorderFailed) {
      reported += pending.length;
      pending = [];
      settle();
      return;
    }
    openRecorder();
    if (!channel || inFlight > 0 || pending.length === 0) {
      return;
    }
    var batch = pending.splice(0);
    inFlight = batch.length;
    seq++;
    channel.postMessage({ sobottest: "calls", seq: seq, calls: batch });
  }

  // flush returns a Promise that settles once every call recorded so far has
  // been posted to the stand-in (or failed to be).
  st.flush = function () {
    return new Promise(function (resolve) {
      flushWaiters.push({ upto: recorded, resolve: resolve });
      settle();
      send();
    });
  };

  // ---------------------------------------------------------------------
  // The widget: entry button, custom buttons, chat panel.

  // chatURL is the stand-in's chat page (kind "h5" or "pc") carrying sysnum
  // and every config entry, so the page checks partnerid and sign the way
  // Sobot's does. Objects are sent as JSON; functions and null are left out.
  function chatURL(kind) {
    var q = new URLSearchParams();
    q.set("sysnum", st.sysnum);
    Object.keys(st.config).forEach(function (k) {
      var v = st.config[k];
      if (k === "sysnum" || v === null || v === undefined || typeof v === "function") {
        return;
      }
      if (typeof v === "object") {
        v = toJSON(v);
        v = typeof v === "string" ? v : JSON.stringify(v);
      }
      q.append(k, String(v));
    });
    return base + "/chat/" + kind + "/" + st.version + "/index.html?" + q.toString();
  }

  function init() {
    if (st.initialised) {
      return;
    }
    st.initialised = true;
    buildPanel();
    syncEntry();
    offlineCallbacks.forEach(function (cb) {
      later(cb, st.offlineMessageCount);
    });
    if (truthy(st.config.auto_expand)) {
      expand();
    }
  }

  // syncEntry shows the default entry button, or binds the custom buttons
  // when config.custom is set.
  function syncEntry() {
    if (!st.initialised) {
      return;
    }
    if (truthy(st.config.custom)) {
      if (entry) {
        entry.remove();
        entry = null;
      }
      bindCustom();
      return;
    }
    if (!entry) {
      entry = d.createElement("button");
      entry.type = "button";
      entry.id = "sobottest-entry";
      entry.title = "sobottest stand-in of the Sobot chat entry";
      entry.textContent = "在线咨询 (sobottest)";
      entry.addEventListener("click", open);
      d.body.appendChild(entry);
    }
    css(entry, {
      position: "fixed",
      bottom: "20px",
      left: side() === "left" ? "20px" : "auto",
      right: side() === "right" ? "20px" : "auto",
      "z-index": "2147483000",
      padding: "10px 16px",
      border: "0",
      "border-radius": "20px",
      color: "#fff",
      background: themeColor(),
      cursor: "pointer",
      font: "14px/1.4 system-ui, sans-serif",
      display: st.state === "expand" ? "none" : "block",
    });
  }

  // bindCustom makes every custom button, present now, open the chat.
  function bindCustom() {
    customClasses.forEach(function (cls) {
      var els = d.getElementsByClassName(cls);
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (el === script || bound.has(el)) {
          continue;
        }
        bound.add(el);
        el.addEventListener("click", function () {
          if (truthy(st.config.custom)) {
            open();
          }
        });
      }
    });
  }

  // open is what the entry does: the panel, or with config.anchor the PC
  // chat page in a new window (新窗口打开咨询页).
  function open() {
    if (truthy(st.config.anchor)) {
      w.open(chatURL("pc"), "_blank", "noopener");
      return;
    }
    expand();
  }

  function buildPanel() {
    if (panel) {
      return;
    }
    panel = d.createElement("div");
    panel.id = "zc__sdk__container";
    css(panel, {
      position: "fixed",
      bottom: "20px",
      left: side() === "left" ? "20px" : "auto",
      right: side() === "right" ? "20px" : "auto",
      width: "380px",
      "max-width": "calc(100vw - 40px)",
      height: "560px",
      "max-height": "calc(100vh - 40px)",
      "z-index": "2147483001",
      display: "none",
      "flex-direction": "column",
      background: "#fff",
      border: "1px solid #ccc",
      font: "14px/1.4 system-ui, sans-serif",
      "box-shadow": "0 4px 16px rgba(0,0,0,.2)",
    });

    var bar = d.createElement("div");
    css(bar, {
      display: "flex",
      "align-items": "center",
      "justify-content": "space-between",
      padding: "6px 10px",
      color: "#fff",
      background: themeColor(),
    });
    var title = d.createElement("span");
    title.textContent = "sobottest stand-in (not Sobot)";
    var close = d.createElement("button");
    close.type = "button";
    close.id = "sobottest-close";
    close.title = "收起";
    close.textContent = "收起";
    close.addEventListener("click", collapse);
    bar.appendChild(title);
    bar.appendChild(close);

    frame = d.createElement("iframe");
    frame.id = "sobottest-frame";
    frame.title = "sobottest chat page";
    css(frame, { border: "0", width: "100%", flex: "1" });
    frame.addEventListener("load", function () {
      st.frameLoads++;
      if (!st.ready) {
        st.ready = true;
        readyCallbacks.splice(0).forEach(function (cb) {
          later(cb);
        });
      }
    });
    frameURL = chatURL("h5");
    frame.src = frameURL;

    panel.appendChild(bar);
    panel.appendChild(frame);
    d.body.appendChild(panel);
  }

  // expand opens the panel, reloading the chat page if the config changed
  // since it was loaded or config.reload / config.refresh is set.
  function expand() {
    buildPanel();
    var url = chatURL("h5");
    if (url !== frameURL || truthy(st.config.reload) || truthy(st.config.refresh)) {
      frameURL = url;
      frame.src = url;
    }
    st.state = "expand";
    panel.style.setProperty("display", "flex");
    syncEntry();
  }

  // collapse closes the panel and tells the page, as Sobot's chat page does:
  // postMessage of {name: "zc_post_message", data: {action: "chat_collapse_window"}}.
  function collapse() {
    if (st.state !== "expand") {
      return;
    }
    st.state = "collapse";
    panel.style.setProperty("display", "none");
    syncEntry();
    w.postMessage(JSON.stringify({ name: "zc_post_message", data: { action: "chat_collapse_window" } }), "*");
  }

  st.expand = function () {
    expand();
  };
  st.collapse = function () {
    collapse();
  };

  // receive emulates an agent's message: it calls every receive_message /
  // zhichiReceive handler with msg ({img, name, msg, t}) and returns how many
  // it called. (Sobot calls them only while the panel is collapsed; the
  // stand-in always does.)
  st.receive = function (msg) {
    receiveCallbacks.forEach(function (cb) {
      later(cb, msg);
    });
    return receiveCallbacks.length;
  };

  // setOfflineMessageCount sets the count offline_message_count handlers
  // get, and calls those registered so far with it.
  st.setOfflineMessageCount = function (n) {
    st.offlineMessageCount = Number(n) || 0;
    offlineCallbacks.forEach(function (cb) {
      later(cb, st.offlineMessageCount);
    });
  };

  // ---------------------------------------------------------------------
  // The zc API.

  function dispatch(name, arg) {
    switch (name) {
      case "config":
        if (arg && typeof arg === "object") {
          Object.keys(arg).forEach(function (k) {
            st.config[k] = arg[k];
          });
        }
        syncEntry();
        break;
      case "frame_manual":
        // 手动初始化: initialise now, then report success.
        domReady(function () {
          init();
          later(arg, { code: "000000" });
        });
        break;
      case "frame_status":
        // 手动控制展开和收起聊天页面: toggle, then report the state. Before
        // the widget is initialised it only reports the state.
        if (st.initialised) {
          if (st.state === "expand") {
            collapse();
          } else {
            expand();
          }
        }
        later(arg, st.state);
        break;
      case "frame_ready":
        if (st.ready) {
          later(arg);
        } else if (typeof arg === "function") {
          readyCallbacks.push(arg);
        }
        break;
      case "receive_message":
      case "zhichiReceive":
        if (typeof arg === "function") {
          receiveCallbacks.push(arg);
        }
        break;
      case "offline_message_count":
        if (typeof arg === "function") {
          offlineCallbacks.push(arg);
          if (st.initialised) {
            later(arg, st.offlineMessageCount);
          }
        }
        break;
      case "dynamic_ready":
        // 创建动态自定义咨询入口: bind custom buttons added since.
        if (st.initialised && truthy(st.config.custom)) {
          bindCustom();
        }
        break;
      default:
      // "trace" and anything else: recorded only.
    }
  }

  // handle records and performs one call; args is the arguments of zc(...).
  function handle(args) {
    args = Array.prototype.slice.call(args);
    var name = args.length > 0 ? String(args[0]) : "";
    record(name, args.slice(1));
    try {
      dispatch(name, args[1]);
    } catch (err) {
      console.error("sobottest: zc call failed:", err);
    }
  }

  function zc() {
    handle(arguments);
  }

  // From now on a push into window.cbk is handled at once, so even a stub
  // that replaces window.zc after the loader ran (w.cbk = w.cbk || [];
  // w.cbk.push(arguments)) reaches the loader.
  var queue = [];
  queue.push = function () {
    for (var i = 0; i < arguments.length; i++) {
      handle(arguments[i]);
    }
    return 0;
  };

  // drain replays the calls queued by the stub, then installs the loader.
  function drain() {
    var q = w.cbk;
    if (q && q !== queue && typeof q.length === "number") {
      Array.prototype.slice.call(q).forEach(handle);
    }
    w.cbk = queue;
    w.zc = zc;
  }

  drain();
  domReady(function () {
    openRecorder();
    drain(); // in case a stub ran after the loader and queued more
    if (!truthy(st.config.manual)) {
      init();
    }
  });
})();
