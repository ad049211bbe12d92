package sobot_test

import (
	"fmt"
	"log"

	"github.com/sobotgo/sobot"
)

// A leave-message link for a customer known to Sobot by uid, with the
// leave-message template to show. It is not signed, even with a key.
func ExampleClient_LeaveMessageURL() {
	client, err := sobot.NewClient(sobot.Config{
		SysNum: "ed22902866fb4f6e9bc7f0fa259aaa74",
		Key:    sobot.NewKey("s3cr3t-0123456789"),
	})
	if err != nil {
		log.Fatal(err)
	}
	link, err := client.LeaveMessageURL(&sobot.Params{
		User:         sobot.User{Name: "小丁"},
		Routing:      sobot.Routing{GroupID: "g1"},
		Settings:     sobot.Settings{Locale: sobot.LocaleChinese},
		LeaveMessage: sobot.LeaveMessageFields{UID: "8f2a", TemplateID: "tpl-1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link)
	// Output:
	// https://www.sobot.com/chat/h5/v2/leavemessage.html?groupid=g1&locale=cn&source=9&sysnum=ed22902866fb4f6e9bc7f0fa259aaa74&templateid=tpl-1&uid=8f2a&uname=%E5%B0%8F%E4%B8%81
}
