package sobottest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
)

func TestServer(t *testing.T) {
	srv := sobottest.NewServer(standintest.SysNum, sobot.NewKey(standintest.Secret))
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || strings.HasSuffix(srv.URL, "/") {
		t.Errorf("URL %q, want http://127.0.0.1:port", srv.URL)
	}
	if srv.SysNum != standintest.SysNum {
		t.Errorf("SysNum %q", srv.SysNum)
	}
	resp, err := srv.Client().Get(srv.URL + standintest.Page("/chat/pc/v2/index.html", standintest.SignedQuery("u-9")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("signed link: status %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}

	// Handler's methods are Server's.
	if resp := post(t, srv, `{"name":"config"}`); resp.StatusCode != http.StatusNoContent || len(srv.Calls()) != 1 {
		t.Errorf("recording through Server: %d, %d calls", resp.StatusCode, len(srv.Calls()))
	}

	srv.Close()
	if _, err := http.Get(srv.URL + "/chat/h5/v2/index.html"); err == nil {
		t.Error("server still answers after Close")
	}
}
