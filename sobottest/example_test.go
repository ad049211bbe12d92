package sobottest_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

// A signed chat link is admitted; the same link with another partnerid is
// rejected, as Sobot does with its security key on.
func ExampleNewServer() {
	const sysnum = "4c349791a07b46c1a70b8ac88aa23257"
	srv := sobottest.NewServer(sysnum, sobot.NewKey("s3cret-0123456789"))
	defer srv.Close()

	// In a real test the code under test builds the link from srv.URL.
	sum := md5.Sum([]byte(sysnum + "s3cret-0123456789" + "user-42"))
	q := url.Values{"sysnum": {sysnum}, "partnerid": {"user-42"}, "sign": {hex.EncodeToString(sum[:])}}

	resp, err := srv.Client().Get(srv.URL + "/chat/h5/v2/index.html?" + q.Encode())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("signed:", resp.StatusCode)

	q.Set("partnerid", "user-43")
	resp, err = srv.Client().Get(srv.URL + "/chat/h5/v2/index.html?" + q.Encode())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("tampered:", resp.StatusCode, resp.Header.Get("X-Sobottest-Reason"))
	// Output:
	// signed: 200
	// tampered: 403 security key on: sign does not match sysnum and partnerid
}

// The handler can be mounted on a server of your own, here under a prefix:
// point the code under test at http://host:port/sobot as its base URL.
func ExampleNewHandler() {
	mux := http.NewServeMux()
	mux.Handle("/sobot/", http.StripPrefix("/sobot", sobottest.NewHandler("demo", sobot.Key{})))
	// For a demo: http.ListenAndServe("127.0.0.1:8081", mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/sobot/chat/frame/v2/entrance.js?sysnum=demo")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output:
	// 200 application/javascript; charset=utf-8
}

// A test drives a page that loads the fake loader (in a browser), then reads
// the zc calls the page made. Here the loader's report is posted by hand.
func ExampleHandler_WaitCalls() {
	srv := sobottest.NewServer("demo", sobot.Key{})
	defer srv.Close()

	// What the loader posts for zc("config", {uname: "张三"}):
	report := `[{"name":"config","args":[{"uname":"张三"}],"page":"http://127.0.0.1/shop","sysnum":"demo"}]`
	resp, err := http.Post(srv.URL+"/__sobottest/calls", "text/plain", strings.NewReader(report))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	calls, err := srv.WaitCalls(ctx, 1)
	if err != nil {
		panic(err)
	}
	var cfg map[string]string
	if err := calls[0].Arg(0, &cfg); err != nil {
		panic(err)
	}
	fmt.Println(calls[0].Name, cfg["uname"])
	// Output:
	// config 张三
}
