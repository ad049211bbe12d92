// sobottest: the recorder page's script (/__sobottest/recorder.html).
//
// A TEST DOUBLE, not Sobot. The fake loader runs in the host page, on the
// host's origin; the stand-in's calls endpoint serves the stand-in's origin
// only. The loader therefore frames this page (hidden), opens a
// MessageChannel to it, and sends it the zc calls it sees; this page posts
// them, in order, to the endpoint of its own origin and acknowledges each
// batch on the channel.
//
// It takes a channel only from the page that framed it, and only if that
// page's origin is the one the browser reports for its parent; it posts only
// well-formed calls made on that origin. Messages never touch the DOM.
(function () {
  "use strict";

  var w = window;

  // parentOrigin is the origin of the page that framed this one, as the
  // browser reports it: location.ancestorOrigins (Chromium, Safari), else
  // the referrer's origin. "" when there is none.
  function parentOrigin() {
    if (w.parent === w) {
      return "";
    }
    var a = w.location.ancestorOrigins;
    if (a && a.length > 0) {
      return String(a[0]);
    }
    try {
      return document.referrer ? new URL(document.referrer).origin : "";
    } catch (e) {
      return "";
    }
  }

  var expected = parentOrigin();
  if (expected === "" || expected === "null") {
    console.error("sobottest recorder: not framed by a page with an origin; recording nothing");
    return;
  }

  // valid reports whether c is a call as the loader records it, made on a
  // page of the framing origin.
  function valid(c) {
    if (!c || typeof c !== "object" || typeof c.name !== "string" || !Array.isArray(c.args) ||
        typeof c.page !== "string" || typeof c.sysnum !== "string") {
      return false;
    }
    try {
      return new URL(c.page).origin === expected;
    } catch (e) {
      return false;
    }
  }

  var port = null; // the loader's channel
  var queue = []; // batches received, not yet posted: {seq, calls}
  var sending = false;

  // send posts the queued batches to the endpoint one at a time, so the
  // stand-in records them in the order the page made the calls, and
  // acknowledges each once its POST is done (ok false if it failed).
  function send() {
    if (sending || queue.length === 0) {
      return;
    }
    var batch = queue.shift();
    sending = true;
    var done = function (ok) {
      sending = false;
      port.postMessage({ sobottest: "ack", seq: batch.seq, ok: ok });
      send();
    };
    if (batch.calls.length === 0) {
      done(true);
      return;
    }
    var body = JSON.stringify(batch.calls);
    try {
      fetch("calls", {
        method: "POST",
        body: body,
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        // keepalive lets the last calls reach the server while the page
        // unloads; it is limited to 64 KiB per request.
        keepalive: body.length < 16384,
      }).then(function (res) {
        if (!res.ok) {
          console.error("sobottest recorder: posting calls: HTTP " + res.status);
        }
        return res.ok;
      }, function (err) {
        console.error("sobottest recorder: posting calls:", err);
        return false;
      }).then(done);
    } catch (err) {
      console.error("sobottest recorder: posting calls:", err);
      done(false);
    }
  }

  function onBatch(e) {
    var m = e.data;
    if (!m || typeof m !== "object" || m.sobottest !== "calls" || typeof m.seq !== "number" || !Array.isArray(m.calls)) {
      return;
    }
    var calls = m.calls.filter(valid);
    if (calls.length !== m.calls.length) {
      console.error("sobottest recorder: dropped " + (m.calls.length - calls.length) + " malformed or foreign calls");
    }
    queue.push({ seq: m.seq, calls: calls });
    send();
  }

  w.addEventListener("message", function (e) {
    // Only the framing page, on the origin the browser reports for it, and
    // only once.
    if (port || e.source !== w.parent || e.origin !== expected) {
      return;
    }
    var m = e.data;
    if (!m || typeof m !== "object" || m.sobottest !== "connect" || !e.ports || e.ports.length !== 1) {
      return;
    }
    port = e.ports[0];
    port.onmessage = onBatch;
    port.postMessage({ sobottest: "ready" });
  });
})();
