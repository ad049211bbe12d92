package sobot_test

import (
	"fmt"
	"html/template"
	"log/slog"
	"os"
	"strings"

	"github.com/sobotgo/sobot"
)

// The widget of one page view: the signed-in visitor, a product card and
// the response's CSP nonce, over the site's defaults.
func ExampleClient_RenderWidget() {
	client, err := sobot.NewClient(sobot.Config{
		SysNum:   "4c349791a07b46c1a70b8ac88aa23257",
		Key:      sobot.NewKey("s3cret-0123456789"),
		Defaults: sobot.Params{Settings: sobot.Settings{Color: "04babc"}},
	})
	if err != nil {
		panic(err)
	}
	snippet, err := client.RenderWidget(&sobot.Widget{
		Params: &sobot.Params{
			User:    sobot.User{PartnerID: "user-42", Name: "Ada"},
			Product: sobot.ProductCard{Title: "Blue shoes", URL: "https://shop.example/p/1"},
		},
		Nonce:   "cmFuZG9tMTIzNDU2Nzg5MA",
		OnReady: "shop.chatReady",
	})
	if err != nil {
		panic(err)
	}
	fmt.Print(snippet)
	// Output:
	// <script nonce="cmFuZG9tMTIzNDU2Nzg5MA">
	// window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
	// zc("config",{"card_title":"Blue\u0020shoes","card_url":"https%3A%2F%2Fshop.example%2Fp%2F1","color":"04babc","partnerid":"user-42","sign":"9a703024f5412f11d97bd88c4743f043","uname":"Ada"});
	// zc("frame_ready",function(__sobotR){shop.chatReady(__sobotR)});
	// </script>
	// <script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257" nonce="cmFuZG9tMTIzNDU2Nzg5MA"></script>
}

// Without templates, a handler writes the widget straight into the
// response; nothing is written when the widget is invalid.
func ExampleClient_WriteWidget() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257", Version: sobot.V6})
	if err != nil {
		panic(err)
	}
	w := os.Stdout // an http.ResponseWriter in a handler
	if err := client.WriteWidget(w, &sobot.Widget{Params: &sobot.Params{User: sobot.User{Name: "Ada"}, Settings: sobot.Settings{Locale: sobot.LocaleEnglish}}}); err != nil {
		panic(err)
	}
	err = client.WriteWidget(w, &sobot.Widget{Params: &sobot.Params{Settings: sobot.Settings{HistoryMinutes: sobot.Ptr(5)}}})
	fmt.Println(err)
	// Output:
	// <script>
	// window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
	// zc("config",{"locale":"en","uname":"Ada"});
	// </script>
	// <script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v6/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257"></script>
	// sobot: invalid parameter: time: must be a whole number from 10 to 2880 (got "5")
}

// A template renders the widget with the sobotWidget function; the page's
// data carries a sobot.Widget per request.
func ExampleClient_FuncMap() {
	// What the page helpers leave out goes to Config.Logger; here to
	// stdout, without the time, so that the example's output is stable.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257", Logger: logger})
	if err != nil {
		panic(err)
	}
	page := template.Must(template.New("page").Funcs(client.FuncMap()).Parse(
		`<button class="zhiCustomBtn">Chat with us</button>
{{sobotWidget .Chat}}`))

	// The visitor's Referer is their data: a javascript: one is left out,
	// and logged, instead of failing the page.
	err = page.Execute(os.Stdout, map[string]any{
		"Chat": sobot.Widget{
			Params: &sobot.Params{
				WidgetSettings: sobot.WidgetSettings{CustomButton: true},
				Visit:          sobot.VisitTrace{Previous: sobot.PreviousPage{URL: "javascript:alert(1)"}},
			},
			Nonce: "bm9uY2U",
		},
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// <button class="zhiCustomBtn">Chat with us</button>
	// level=WARN msg="sobot: widget rendered without parameters that were invalid" kind=widget left_out=[pre_visit_url] problems="[pre_visit_url: must not use the javascript: scheme, which can run or embed content where the trace is shown (got \"javascript:alert(1)\")]"
	// <script nonce="bm9uY2U">
	// window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
	// zc("config",{"custom":true});
	// </script>
	// <script id="zhichiScript" class="zhiCustomBtn" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257" nonce="bm9uY2U"></script>
}

// For a hash-based Content-Security-Policy, build the snippet before
// writing the response and put its hashes into script-src.
func ExampleSnippet_ScriptHashes() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257"})
	if err != nil {
		panic(err)
	}
	snippet, err := client.RenderWidget(&sobot.Widget{Params: &sobot.Params{User: sobot.User{Name: "Ada"}}})
	if err != nil {
		panic(err)
	}
	origin := client.Origin() // not BaseURL: a CSP source with a path matches that path only
	fmt.Println("Content-Security-Policy: script-src " + strings.Join(snippet.ScriptHashes(), " ") + " " + origin +
		"; frame-src " + origin + "; connect-src " + origin + "; img-src " + origin)
	// Output:
	// Content-Security-Policy: script-src 'sha256-VCvLUXdnCO42gjRwfr1Z5HHEvTpI4wdnn0Q58N02uEU=' https://www.sobot.com; frame-src https://www.sobot.com; connect-src https://www.sobot.com; img-src https://www.sobot.com
}

// Manual initialisation from your own button, with callbacks of the page:
// the widget starts when #chatBtn is clicked.
func ExampleWidget_manualInit() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257"})
	if err != nil {
		panic(err)
	}
	err = client.WriteWidget(os.Stdout, &sobot.Widget{
		ManualInit: sobot.Click{On: sobot.ByID("chatBtn"), Then: "app.chat.onInit"},
		OnMessage:  "app.chat.onMessage",
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// <script>
	// window.zc=function(){window.cbk=window.cbk||[];window.cbk.push(arguments)};
	// zc("config",{"manual":true});
	// zc("receive_message",function(__sobotR){app.chat.onMessage(__sobotR)});
	// (function(__sobotDoc){function __sobotOn(__sobotId,__sobotClass,__sobotF){__sobotDoc.addEventListener("click",function(__sobotE){for(var __sobotT=__sobotE.target;__sobotT&&__sobotT.classList;__sobotT=__sobotT.parentElement){if(__sobotId?__sobotT.id===__sobotId:__sobotT.classList.contains(__sobotClass)){__sobotF();return}}})}
	// __sobotOn("chatBtn","",function(){zc("frame_manual",function(__sobotR){app.chat.onInit(__sobotR)})});
	// })(document);
	// </script>
	// <script id="zhichiScript" async src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257"></script>
}
