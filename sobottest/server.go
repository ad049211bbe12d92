package sobottest

import (
	"net/http"
	"net/http/httptest"

	"github.com/sobotgo/sobot"
)

// Server is a stand-in of Sobot's web chat listening on a loopback port, for
// tests. Point the code under test at URL instead of https://www.sobot.com.
type Server struct {
	// URL is the base URL of the stand-in, of the form http://127.0.0.1:port,
	// with no trailing slash.
	URL string

	// SysNum is the account the stand-in admits.
	SysNum string

	// Handler serves the requests; its methods (Calls, WaitCalls, Reset)
	// are promoted to Server.
	*Handler

	ts *httptest.Server
}

// NewServer starts and returns a stand-in for the account sysnum on
// 127.0.0.1, like [httptest.NewServer]. With the zero Key the security key is
// off. The caller should call Close when finished.
func NewServer(sysnum string, key sobot.Key) *Server {
	h := NewHandler(sysnum, key)
	ts := httptest.NewServer(h)
	return &Server{URL: ts.URL, SysNum: sysnum, Handler: h, ts: ts}
}

// Close shuts the server down and blocks until all its requests have
// finished.
func (s *Server) Close() { s.ts.Close() }

// Client returns an HTTP client configured for requests to the server. It
// is closed when the server is.
func (s *Server) Client() *http.Client { return s.ts.Client() }
