// Package sobottest is a stand-in for Sobot's (智齿) web chat pages and
// JS-SDK loader, for tests and offline demos, in the spirit of
// net/http/httptest.
//
// It is a TEST DOUBLE, not Sobot. It serves no chat, talks to no Sobot
// service and checks only what Sobot's web integration reference documents:
//
//   - the H5 and PC chat pages (/chat/h5/v2/index.html, /chat/pc/v2/index.html
//     and their v6 forms) admit a request only if its sysnum is the server's
//     and, when a security key is set, it carries partnerid and a sign equal to
//     md5(sysnum+key+partnerid) (pc/h5安全校验), strictly: see Security check.
//     A rejected request gets status 403 and a page whose element with id
//     "sobot-rejected" reads exactly 经验证当前用户为非法用户,不予接入客户服务中心
//     (Sobot itself answers 200 with a pop-up; 403 makes the failure visible
//     to plain HTTP tests). An admitted request gets status 200 and a page
//     listing every query parameter it received, decoded, for assertions;
//   - the leave-message page (/chat/h5/v2/leavemessage.html) checks sysnum and
//     lists a visible problem unless source is 9;
//   - the loader (/chat/frame/v2/entrance.js, /chat/frame/v6/entrance.js) is a
//     small script that emulates the documented zc(...) API well enough to
//     drive a page in a browser, and reports every zc call back to the server
//     (through a recorder page of the stand-in's own origin), where
//     [Handler.Calls] and [Handler.WaitCalls] read them.
//
// Everything else (the look of the pages, the widget's styling, messages,
// agents, robots, tickets) is not emulated. A test that passes against the
// stand-in shows that the links and snippets are well formed and signed; it
// does not show that Sobot will render them as intended.
//
// # Security check
//
// The check is written from the reference alone, independently of the
// sobot package's Inspect and Verify, and it is strict where Sobot's
// behaviour is unknown: a page may read its query with URLSearchParams, with
// decodeURIComponent, with a server's form parser, case-insensitively, the
// first value or the last, so a request is admitted only if every such
// reading gives the same signed values. The query is split on "&" only and
// decoded as a form ("+" is a space). With the security key on, a chat page
// rejects a request when
//
//   - partnerid, sign or sysnum appears more than once, whatever the values;
//   - another form of one of these names appears, alone or beside it: another
//     case (PARTNERID, Sign, sysNum), white space or control characters around
//     it (partnerid%20, partnerid+), percent-encoding of any of its letters,
//     once or more (%70artnerid, %2570artnerid), or what "&amp;" leaves when a
//     link is copied out of HTML (amp;partnerid, and #38;);
//   - sysnum is missing or not the stand-in's account;
//   - partnerid is missing or empty, white space only (Go's unicode.IsSpace
//     or JavaScript's trim, which includes U+FEFF), holds a control character
//     (NUL, newline, DEL, C1), is not valid UTF-8 once percent-decoded, is not
//     valid percent-encoding, or is longer than 300 UTF-16 code units, as
//     JavaScript counts (the reference's 限制300字符). These also refuse an
//     MD5 length extension of a valid sign, whose padding holds 0x80 and NUL
//     bytes;
//   - sign is missing, not 32 lower-case hex digits, or not
//     md5(sysnum+key+partnerid) (compared with sobot.VerifySign).
//
// With the key off, and on the leave-message page and the loader, only
// sysnum is checked, by the same rules: once, by its exact name, the
// stand-in's account. X-Sobottest-Reason and #sobot-reason say which rule a
// request broke.
//
// # Pages
//
// Both kinds of page are built with html/template and served with
//
//	Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'
//
// so the stand-in runs no script of its own in them and cannot run an
// injected one. Elements a test can rely on:
//
//	#sobot-page      "h5/v2", "pc/v2", "h5/v6", "pc/v6" or "leave-message"
//	#sobot-rejected  the rejection text (rejected requests only)
//	#sobot-reason    why the request was rejected (stand-in detail, not Sobot's)
//	#sobot-security  "sign verified" or "security key off" (admitted chat pages)
//	#param-NAME      the decoded value of query parameter NAME; a repeated
//	                 parameter's later values are #param-NAME-2, #param-NAME-3, ...
//	#sobot-problems  a list (li elements) of documented rules the request broke
//	                 without being rejected: a repeated parameter, a partnerid
//	                 over 300 characters (key off), a leave-message source
//	                 other than 9
//
// The rejection reason is also sent in the X-Sobottest-Reason header.
//
// # Loader
//
// A page loads the fake loader exactly as it loads Sobot's, with the
// reference's stub (calls made before it loads are queued in window.cbk) or
// with a script element whose id is "zhichiScript". The loader reads sysnum
// from its own src, replays the queued calls, then handles calls as they are
// made. It keeps its state in window.__sobottest:
//
//	calls                     every zc call: {name, args, page, sysnum}
//	config                    the merged zc("config", ...) objects
//	state                     "expand" or "collapse"
//	loaderLoaded              the loader has run
//	initialised               the entry and the (hidden) panel exist
//	ready, frameLoads         the chat iframe has loaded once; how many times
//	sysnum, version, base     from the loader's src ("v2" or "v6"; base URL)
//	offlineMessageCount       0 unless the page preset it or called the setter
//	expand(), collapse()      open or close the chat panel
//	receive(msg)              call the receive_message / zhichiReceive handlers
//	setOfflineMessageCount(n) set the count and call offline_message_count handlers
//	flush()                   a Promise that settles once every call so far has
//	                          been recorded by the server (or failed to be)
//
// It renders an entry button (id "sobottest-entry") unless config has custom
// true, in which case clicks on elements of class zhiCustomBtn (or the class
// given to the loader's script element, as in the reference) open the panel;
// zc("dynamic_ready") binds elements added later. With manual true nothing is
// initialised until zc("frame_manual", cb), which calls cb({code: "000000"}).
// The panel is a div with id "zc__sdk__container" holding a close button
// (id "sobottest-close") and an iframe (id "sobottest-frame") showing the
// stand-in's H5 chat page with sysnum and every config entry as query
// parameters (objects as JSON), so the page checks partnerid and sign as
// above; the iframe is reloaded on expand if the config changed, or always
// with reload or refresh true. auto_expand true opens the panel at
// initialisation. zc("frame_status", cb) toggles the panel, as the
// reference's heading 手动控制展开和收起聊天页面 describes, and calls cb with
// the new state (before initialisation it only reports "collapse");
// zc("frame_ready", cb) calls cb once the iframe has first loaded, which
// happens at initialisation; zc("offline_message_count", cb) calls cb with 0
// (or the count set with setOfflineMessageCount) at initialisation, or at
// once if later; config.color and config.location (2 = bottom left) style
// the entry and panel; callbacks always run on a later task; collapsing posts
// JSON.stringify({name: "zc_post_message", data: {action: "chat_collapse_window"}})
// to the page's window. With anchor true the entry opens the PC chat page in
// a new window instead. zc("trace", ...) and names the loader does not know
// are only recorded.
//
// The loader initialises the widget (entry, and the panel with its iframe,
// hidden) once the document has been parsed, so config calls made by inline
// scripts that follow the loader's script element still apply; and from then
// on a push into window.cbk is handled at once, so a stub defined after the
// loader ran still reaches it. It never evaluates strings or parses HTML:
// config values reach the page only through textContent, CSSOM style
// properties (the colour checked to be six hex digits) and URLSearchParams.
//
// # Recorded calls
//
// The calls hold the visitors' partnerids and signs, so the stand-in keeps
// them to its own origin. /__sobottest/calls (POST records a JSON array of
// calls, GET lists them as JSON) answers no CORS, and refuses, with 403 and
// no data, any request a browser marks as coming from another origin
// (Sec-Fetch-Site other than same-origin, or an Origin header that is not
// the stand-in's; Sec-Fetch-Site none, the user's own navigation, may read).
// Programs such as tests send neither header and are served. Origin is
// compared with the request's Host, so a proxy in front of the stand-in must
// pass Host through.
//
// The loader runs in the host page, on the host's origin, so it reports
// calls through the recorder: it frames /__sobottest/recorder.html (hidden,
// id "sobottest-recorder"), whose own script, on the stand-in's origin,
// takes a MessageChannel from the page that framed it (checking the
// message's source and the parent's origin as the browser reports it),
// posts each batch of calls to the endpoint in order, and acknowledges it.
// It drops calls that are malformed or claim a page of another origin.
// Nothing is posted to the host page's window. A page with a
// Content-Security-Policy must therefore allow the stand-in's origin in
// script-src (the loader) and frame-src (the chat page and the recorder) —
// as it would have to allow Sobot's, which needs connect-src as well. If the
// recorder does not answer within 10 seconds of loading (a CSP that blocks
// it), the loader logs an error and flush stops waiting.
//
// The handler keeps the newest 10000 calls and at most 8 MiB of them,
// counting their names, pages, sysnums and JSON arguments plus a small
// overhead per call; past either bound the oldest are dropped. One POST
// holds at most 1 MiB.
//
// # Usage
//
//	func TestChatLink(t *testing.T) {
//		srv := sobottest.NewServer("4c349791a07b46c1a70b8ac88aa23257", sobot.NewKey("test-key-0123456789"))
//		defer srv.Close()
//		link := buildLink(srv.URL, ...) // the code under test, pointed at srv.URL
//		resp, err := srv.Client().Get(link)
//		...
//		// status 200 and #param-partnerid in the body: the link was admitted.
//	}
//
// For a demo, mount the handler on a loopback port of your choice:
//
//	http.ListenAndServe("127.0.0.1:8081", sobottest.NewHandler(sysnum, key))
package sobottest
