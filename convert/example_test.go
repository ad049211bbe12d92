package convert_test

import (
	"errors"
	"fmt"

	"github.com/sobotgo/sobot/convert"
)

// A hand-written integration: the console's loader, a zc("config") with a
// Go template placeholder, and a value the library refuses.
func ExampleConvert() {
	page := []byte(`<script src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=4c349791a07b46c1a70b8ac88aa23257" id="zhichiScript" async></script>
<script>
  zc("config", {
    partnerid: "{{.User.ID}}",
    msg_flag: false, // the leave-message entry shown (inverted flag)
    locale: 'en',
    time: 5,
  });
</script>`)
	res, err := convert.Convert("chat.html", page)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(res.Go))
	for _, f := range res.Findings {
		fmt.Println(f.Kind, f)
	}
	// Output:
	// // Converted by sobot convert from chat.html: the Sobot
	// // integration of the input, built with github.com/sobotgo/sobot.
	// // Review each TODO, then keep this code as your own.
	//
	// package chat
	//
	// import (
	// 	"github.com/sobotgo/sobot"
	// )
	//
	// // newClient returns the client of the Sobot account of chat.html:1 (the loader's URL):
	// // make it once, at start-up, and share it.
	// func newClient() (*sobot.Client, error) {
	// 	return sobot.NewClient(sobot.Config{
	// 		SysNum: "4c349791a07b46c1a70b8ac88aa23257",
	// 	})
	// }
	//
	// // chatWidget is the widget of chat.html: render it per request with
	// // client.RenderWidget (client from newClient), or with {{sobotWidget .}}
	// // in a template that has client.FuncMap.
	// //
	// // Its arguments replace values the page computed when it was served or run:
	// //
	// //	userID  {{.User.ID}} (chat.html:4)
	// func chatWidget(userID string) sobot.Widget {
	// 	return sobot.Widget{
	// 		Params: &sobot.Params{
	// 			User: sobot.User{
	// 				PartnerID: userID, // TODO: was {{.User.ID}} (chat.html:4)
	// 			},
	// 			Settings: sobot.Settings{
	// 				Locale:            sobot.LocaleEnglish,
	// 				LeaveMessageEntry: sobot.On,
	// 				// TODO: time: 5 left out (chat.html:7): must be a whole number from 10 to 2880
	// 			},
	// 		},
	// 	}
	// }
	// placeholder chat.html:4: partnerid: argument userID of chatWidget stands for {{.User.ID}}, which the page computed
	// dropped chat.html:7: time: 5 left out: must be a whole number from 10 to 2880
}

// Several files give one Go file: one client for the account they share,
// a function per widget and per link. Here a script builds a PC chat link
// by concatenation, with the visitor's id from the page.
func ExampleConvertFiles() {
	script := []byte(`function openChat() {
  window.open("https://www.sobot.com/chat/pc/v2/index.html?sysnum=4c349791a07b46c1a70b8ac88aa23257&partnerid=" + encodeURIComponent(shop.user.id));
}`)
	links := []byte("https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum=4c349791a07b46c1a70b8ac88aa23257&source=9&templateid=tpl-1\n")
	res, err := convert.ConvertFiles([]convert.File{{Name: "chat.js", Src: script}, {Name: "links.txt", Src: links}}, convert.Options{Package: "support"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(res.Go))
	// Output:
	// // Converted by sobot convert from chat.js, links.txt: the Sobot
	// // integration of the input, built with github.com/sobotgo/sobot.
	// // Review each TODO, then keep this code as your own.
	//
	// package support
	//
	// import (
	// 	"github.com/sobotgo/sobot"
	// )
	//
	// // newClient returns the client of the Sobot account of chat.js:2 (a link):
	// // make it once, at start-up, and share it.
	// func newClient() (*sobot.Client, error) {
	// 	return sobot.NewClient(sobot.Config{
	// 		SysNum: "4c349791a07b46c1a70b8ac88aa23257",
	// 	})
	// }
	//
	// // chatPCChatLink builds the PC chat link of chat.js:2:
	// //
	// //	https://www.sobot.com/chat/pc/v2/index.html?sysnum=4c349791a07b46c1a70b8ac88aa23257&partnerid=shop.user.id
	// //
	// // Its arguments replace values the page computed when it was served or run:
	// //
	// //	userID  shop.user.id (chat.js:2)
	// func chatPCChatLink(client *sobot.Client, userID string) (string, error) {
	// 	return client.PCURL(&sobot.Params{
	// 		User: sobot.User{
	// 			PartnerID: userID, // TODO: was shop.user.id (chat.js:2)
	// 		},
	// 	})
	// }
	//
	// // linksLeaveMessageLink builds the leave-message link of links.txt:1:
	// //
	// //	https://www.sobot.com/chat/h5/v2/leavemessage.html?sysnum=4c349791a07b46c1a70b8ac88aa23257&source=9&templateid=tpl-1
	// func linksLeaveMessageLink(client *sobot.Client) (string, error) {
	// 	return client.LeaveMessageURL(&sobot.Params{
	// 		Settings: sobot.Settings{
	// 			Source: sobot.SourceWeCom,
	// 		},
	// 		LeaveMessage: sobot.LeaveMessageFields{
	// 			TemplateID: "tpl-1",
	// 		},
	// 	})
	// }
}

// Input that cannot be converted is an *InputError that says where.
func ExampleInputError() {
	_, err := convert.Convert("chat.js", []byte("zc(\"config\", {\n  uname: \"x\"\n  color: \"04babc\"\n})"))
	var ie *convert.InputError
	if errors.As(err, &ie) {
		fmt.Println(ie.File, ie.Line, ie.Col)
		fmt.Println(err)
	}
	_, err = convert.Convert("app.js", []byte(`console.log("no chat here")`))
	fmt.Println(errors.Is(err, convert.ErrNothingFound))
	// Output:
	// chat.js 3 3
	// chat.js:3:3: the script is not valid JavaScript: unexpected color in object literal
	// true
}

// Findings say what the generated code does differently; their kind tells
// a tool which ones change what is sent.
func ExampleFinding() {
	res, err := convert.Convert("chat.js", []byte(`zc("config", {uname: "x", powered: false, pcur_thumbnail: "https://shop.example.com/t.png"})`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Findings {
		if f.Kind == convert.Extra || f.Kind == convert.Changed || f.Kind == convert.Dropped {
			fmt.Printf("%s: %s\n", f.Kind, f)
		}
	}
	// Output:
	// extra: chat.js:1: powered: is not a parameter of the reference: sent as given, in Params.Extra, as the string "false" where the page sent a boolean
	// changed: chat.js:1: pcur_thumbnail: sent as cur_thumbnail, the name in the reference's table (its example misspells it pcur_thumbnail)
}
