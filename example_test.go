package sobot_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/sobotgo/sobot"
)

// A client is configured once per site: sysnum and security key from the
// console, site-wide defaults validated and encoded once.
func ExampleNewClient() {
	client, err := sobot.NewClient(sobot.Config{
		SysNum:  "4c349791a07b46c1a70b8ac88aa23257",
		Key:     sobot.NewKey("s3cr3t-0123456789"), // from 设置 → 支持渠道 → 安全密钥
		BaseURL: "https://acme.sobot.com",
		Defaults: sobot.Params{
			Settings: sobot.Settings{Color: "04babc", Locale: sobot.LocaleEnglish},
			Routing:  sobot.Routing{Mode: sobot.ModeRobotFirst},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL(), client.Signed(), client)
	// Output: https://acme.sobot.com true sobot.Client(sysnum=4c349791a07b46c1a70b8ac88aa23257, base=https://acme.sobot.com, v2, signed)
}

// A signed H5 link for the logged-in user, built per request.
func ExampleClient_H5URL() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257", Key: sobot.NewKey("s3cr3t-0123456789")})
	if err != nil {
		log.Fatal(err)
	}
	link, err := client.H5URL(&sobot.Params{
		User:    sobot.User{PartnerID: "user-1", Name: "小丁哥", VIP: sobot.On},
		Product: sobot.ProductCard{Title: "云客服", URL: "https://www.sobot.com", Note: "2000元"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link)
	// Output: https://www.sobot.com/chat/h5/v2/index.html?card_note=2000%E5%85%83&card_title=%E4%BA%91%E5%AE%A2%E6%9C%8D&card_url=https%3A%2F%2Fwww.sobot.com&is_vip=1&partnerid=user-1&sign=54b03da4b6d9f6132075a74f8ae650f4&sysnum=4c349791a07b46c1a70b8ac88aa23257&uname=%E5%B0%8F%E4%B8%81%E5%93%A5
}

// A PC (desktop) link that routes a VIP through two skill groups: the first
// overflows when all its agents are busy.
func ExampleClient_PCURL() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "S", Version: sobot.V6})
	if err != nil {
		log.Fatal(err)
	}
	link, err := client.PCURL(&sobot.Params{Routing: sobot.Routing{Transfer: []sobot.TransferRule{
		{Target: sobot.ToGroup, ID: "vip", Spill: sobot.SpillGroupAllBusy},
		{Target: sobot.ToGroup, ID: "general"},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link)
	// Output: https://www.sobot.com/chat/pc/v6/index.html?sysnum=S&transfer_action=%5B%7B%22actionType%22%3A%22to_group%22%2C%22optionId%22%3A%223%22%2C%22deciId%22%3A%22vip%22%2C%22spillId%22%3A%225%22%7D%2C%7B%22actionType%22%3A%22to_group%22%2C%22optionId%22%3A%224%22%2C%22deciId%22%3A%22general%22%7D%5D
}

// Every problem is reported at once, each named by its wire name.
func ExampleValidationError() {
	client, err := sobot.NewClient(sobot.Config{SysNum: "S", Key: sobot.NewKey("s3cr3t-0123456789")})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.PCURL(&sobot.Params{
		Settings:       sobot.Settings{HistoryMinutes: sobot.Ptr(5), Locale: sobot.LocaleTraditional},
		User:           sobot.User{Face: "javascript:alert(1)"},
		WidgetSettings: sobot.WidgetSettings{AutoExpand: sobot.On},
	})
	var verr *sobot.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// auto_expand: is widget-only; a PC chat link cannot carry it (got "true")
	// face: must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages) (got "javascript:alert(1)")
	// time: must be a whole number from 10 to 2880 (got "5")
	// locale: tw (traditional Chinese) is H5-only; the PC chat page supports cn and en (got "tw")
	// partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)
}

// Sign is md5(sysnum + key + partnerid) in lower-case hex; the key itself
// never prints.
func ExampleSign() {
	key := sobot.NewKey("s3cr3t-0123456789")
	sign := sobot.Sign("4c349791a07b46c1a70b8ac88aa23257", key, "user-1")
	fmt.Println(sign, sobot.VerifySign("4c349791a07b46c1a70b8ac88aa23257", key, "user-1", sign))
	fmt.Printf("%v %q %+v\n", key, key, sobot.Config{SysNum: "S", Key: key}.Key)
	// Output:
	// 54b03da4b6d9f6132075a74f8ae650f4 true
	// [REDACTED] [REDACTED] [REDACTED]
}

// Params.Set takes a parameter by its wire name and wire text, as the CLI
// and link inspection do.
func ExampleParams_Set() {
	var p sobot.Params
	for _, kv := range [][2]string{{"uname", "小丁哥"}, {"time", "120"}, {"msg_flag", "1"}, {"time", "soon"}} {
		if err := p.Set(kv[0], kv[1]); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(p.User.Name, *p.Settings.HistoryMinutes, p.Settings.LeaveMessageEntry)
	// Output:
	// time: must be a whole number (10–2880 minutes) (got "soon")
	// 小丁哥 120 off
}
