package sobot_test

import (
	"fmt"
	"log"

	"github.com/sobotgo/sobot"
)

// Reading a link back: its kind, account and parameters, and what cannot be
// read.
func ExampleInspect() {
	link, err := sobot.Inspect("https://www.sobot.com/chat/pc/v2/index.html?sysnum=4c349791a07b46c1a70b8ac88aa23257&partnerid=u-1001&time=5&visitTitle=Home")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Kind, link.Version, link.SysNum)
	fmt.Println(link.Params.User.PartnerID, *link.Params.Settings.HistoryMinutes)
	fmt.Println("unknown:", link.Unknown)
	for _, p := range link.Problems {
		fmt.Println("problem:", p)
	}
	// Output:
	// pc v2 4c349791a07b46c1a70b8ac88aa23257
	// u-1001 5
	// unknown: [visitTitle]
	// problem: time: must be a whole number from 10 to 2880 (got "5")
}

// Why does this user see 非法用户? Verify with the current key and the one
// being rotated out, and read the explanation.
func ExampleParsedLink_Verify() {
	current, previous := sobot.NewKey("new-secret-012345"), sobot.NewKey("old-secret-012345")
	client, err := sobot.NewClient(sobot.Config{SysNum: "4c349791a07b46c1a70b8ac88aa23257", Key: previous})
	if err != nil {
		log.Fatal(err)
	}
	built, err := client.H5URL(&sobot.Params{User: sobot.User{PartnerID: "u-1001"}})
	if err != nil {
		log.Fatal(err)
	}
	link, err := sobot.Inspect(built)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Verify(current, previous).Explain())

	link.Params.User.PartnerID = "u-1002" // edited after signing
	fmt.Println(link.Verify(current, previous).Explain())
	// Output:
	// sign valid, but under key #2, a key being rotated out: links built from now on must use the current key
	// sign not valid: Sobot shows 经验证当前用户为非法用户 when the security key is on
	//   signed text:   md5("4c349791a07b46c1a70b8ac88aa23257" + <key> + "u-1002")
	//   expected sign: a06070643979b2053d356c28dbdefc85 (current key)
	//   received sign: 9767e725a6662645ddfe6f54ee29e1fa
	// likely causes:
	//   - partnerid changed after signing: the link was edited, or its sign was copied from another user's link
	//   - the sign was made with another key: the security key was changed in the console (give the previous key too, to check), or the link was built with another environment's key
	//   - the sign was made for another sysnum than the link's "4c349791a07b46c1a70b8ac88aa23257": the link was built for another Sobot account or environment
}
