package widget_test

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowserWidgetLegacyCharsets serves the widget in pages declared GBK,
// Big5 and Shift_JIS, with visitor names built to break out of a
// JavaScript string there: a character whose last byte, followed by the
// backslash of \", reads as one character in the page's encoding, so that
// the backslash vanishes and the quote ends the string. The widget is pure
// ASCII, so nothing runs, and Sobot's stand-in receives each name exactly.
func TestBrowserWidgetLegacyCharsets(t *testing.T) {
	e := newBrowserEnv(t, sobot.Params{})
	payloads := []string{
		"中\"});document.documentElement.id=`pwned`//", // 0xAD 0x5C is one GBK character
		"許\"});document.documentElement.id=`pwned`//", // 許 ends in 0x5C in Big5
		"ソ\"});document.documentElement.id=`pwned`//", // ソ ends in 0x5C in Shift_JIS
		"表\\\"});document.documentElement.id=`pwned`//",
	}
	tmpl := template.Must(template.New("page").Funcs(e.client.FuncMap()).Parse(
		`<!DOCTYPE html><html><head><title>legacy</title></head><body><p>x</p>{{sobotWidget .}}</body></html>`))
	for _, charset := range []string{"gbk", "big5", "shift_jis"} {
		for i, name := range payloads {
			t.Run(charset+"/"+string(rune('a'+i)), func(t *testing.T) {
				nonce := newNonce()
				ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset="+charset)
					w.Header().Set("Content-Security-Policy", noncePolicy(e.srv.URL, nonce, sobot.Snippet{}))
					var b strings.Builder
					require.NoError(t, tmpl.Execute(&b, sobot.Widget{Nonce: nonce,
						Params: &sobot.Params{User: sobot.User{PartnerID: "u-1", Name: name}}}))
					for j := 0; j < b.Len(); j++ {
						require.Less(t, b.String()[j], byte(0x80), "the page is ASCII, so its bytes mean the same in %s", charset)
					}
					_, _ = w.Write([]byte(b.String()))
				}))
				defer ts.Close()
				e.srv.Reset()
				tab := e.b.NewTab(t)
				tab.Navigate(ts.URL)
				tab.WaitFor(`window.__sobottest && window.__sobottest.initialised === true`)
				var id string
				tab.Eval(`document.documentElement.id`, &id)
				assert.Empty(t, id, "the visitor's name ran as script")
				configs := callsNamed(e.calls(t, tab), "config")
				require.Len(t, configs, 1)
				var cfg map[string]any
				require.NoError(t, configs[0].Arg(0, &cfg))
				assert.Equal(t, name, cfg["uname"])
				assertClean(t, tab)
			})
		}
	}
}
