package sobot_test

import (
	"fmt"
	"log"

	"github.com/sobotgo/sobot"
)

// The chat link a mini-program's web-view opens, signed for the visitor:
// serve it from your API and bind it as src="{{chatURL}}".
func ExampleClient_MiniProgramURL() {
	client, err := sobot.NewClient(sobot.Config{
		SysNum:  "4c349791a07b46c1a70b8ac88aa23257",
		Key:     sobot.NewKey("s3cr3t-0123456789"),
		BaseURL: "https://chat.sobot.com",
	})
	if err != nil {
		log.Fatal(err)
	}
	link, err := client.MiniProgramURL(&sobot.Params{User: sobot.User{PartnerID: "u-1001"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link)
	// Output:
	// https://chat.sobot.com/chat/h5/v2/index.html?partnerid=u-1001&sign=f1b1b43ac4e2cf58bdf2121e655baa09&source=10&sysnum=4c349791a07b46c1a70b8ac88aa23257
}

// The reference's WXML element, with msgFn receiving attachment URLs on
// Android (see MiniProgramWebView for the handler's code).
func ExampleClient_MiniProgramWebView() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257", BaseURL: "https://chat.sobot.com"})
	if err != nil {
		log.Fatal(err)
	}
	wxml, err := client.MiniProgramWebView(nil, "msgFn")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wxml)
	// Output:
	// <web-view src="https://chat.sobot.com/chat/h5/v2/index.html?source=10&sysnum=4c349791a07b46c1a70b8ac88aa23257" bindmessage="msgFn"></web-view>
}
