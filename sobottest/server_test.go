package sobottest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServer(t *testing.T) {
	srv := sobottest.NewServer(standintest.SysNum, sobot.NewKey(standintest.Secret))
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), "URL %q, want http://127.0.0.1:port", srv.URL)
	assert.False(t, strings.HasSuffix(srv.URL, "/"), "URL %q, want http://127.0.0.1:port", srv.URL)
	assert.Equal(t, standintest.SysNum, srv.SysNum)
	resp, err := srv.Client().Get(srv.URL + standintest.Page("/chat/pc/v2/index.html", standintest.SignedQuery("u-9")))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "signed link")
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))

	// Handler's methods are Server's.
	assert.Equal(t, http.StatusNoContent, post(srv, `{"name":"config"}`).StatusCode, "recording through Server")
	assert.Len(t, srv.Calls(), 1, "recording through Server")

	srv.Close()
	_, err = http.Get(srv.URL + "/chat/h5/v2/index.html")
	assert.Error(t, err, "server still answers after Close")
}
