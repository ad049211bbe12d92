package sobot

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientErrors(t *testing.T) {
	_, err := NewClient(Config{BaseURL: "javascript:alert(1)", Version: 7, Defaults: Params{Settings: Settings{HistoryMinutes: Ptr(3)}}})
	assert.Equal(t, []string{
		"sysnum: is required: copy it from the console's integration code",
		"base_url: must be an http(s) URL such as https://www.sobot.com, without query, fragment, spaces or characters that need escaping",
		"version: must be V2 or V6",
		"time: must be a whole number from 10 to 2880",
	}, problemLines(t, err))
	for _, base := range []string{"https://x.example?a=1", "https://x.example#f", "ftp://x.example", "https://",
		"https://a.com/?", "https://a.com/#", "https://a.com/p q", `https://a.com/"x`, "https://a.com/<x>", "https://智齿.example"} {
		_, err := NewClient(Config{SysNum: "S", BaseURL: base})
		assert.Error(t, err, base)
	}
	_, err = NewClient(Config{SysNum: "S", BaseURL: "https://***.sobot.com"})
	assert.Equal(t, []string{`base_url: holds the reference's placeholder *** (为您的自定义域名): write your company's domain, such as https://acme.sobot.com`}, problemLines(t, err))
	_, err = NewClient(Config{SysNum: "a b"})
	assert.Error(t, err)
	_, err = NewClient(Config{SysNum: "S", BaseURL: "https://www.sobot.com/chat/h5/v2/index.html"})
	assert.Equal(t, []string{"base_url: is a page's address; give only the scheme, host and any path prefix, such as https://www.sobot.com"}, problemLines(t, err))
	for _, base := range []string{"https://x.example:99999", "https://x.example:", "https://x.example:0"} {
		_, err := NewClient(Config{SysNum: "S", BaseURL: base})
		assert.Equal(t, []string{"base_url: has an invalid port: a port is a number from 1 to 65535"}, problemLines(t, err), base)
	}
	_, err = NewClient(Config{SysNum: "S", BaseURL: "https://u:p@x.example"})
	assert.Equal(t, []string{"base_url: must not carry a user name or password (user:password@): they would be shown to agents"}, problemLines(t, err))
	for _, base := range []string{"https://x.example:8443/prefix", "http://[::1]:8080", "http://[::1]"} {
		_, err := NewClient(Config{SysNum: "S", BaseURL: base})
		assert.NoError(t, err, base)
	}
	_, err = NewClient(Config{SysNum: "S", Key: NewKey("secret-with-newline-0123\n"), Defaults: Params{User: User{PartnerID: "everyone"}}})
	assert.Equal(t, []string{
		"key: has white space at its start or end (a newline read from a file or an environment variable?); the console's key has none",
		"partnerid: identifies one visitor: set it per call, not in Config.Defaults, or every visitor would share one identity and chat history",
	}, problemLines(t, err))
	assert.NotContains(t, err.Error(), "secret-with-newline")
	_, err = NewClient(Config{SysNum: "S", Version: 5})
	assert.Equal(t, []string{"version: must be V2 or V6"}, problemLines(t, err))
	assert.Contains(t, err.Error(), `(got "Version(5)")`)
}

// TestDefaults checks per-call values override defaults, defaults apply only
// where allowed, and the client keeps its own copy of them.
func TestDefaults(t *testing.T) {
	defaults := Params{
		User:           User{Params: Fields{"site": "shop"}},
		Settings:       Settings{Color: "04babc", HistoryMinutes: Ptr(60), AttachmentButton: On},
		WidgetSettings: WidgetSettings{AutoExpand: On},
		Extra:          map[string]string{"visitTitle": "Shop"},
	}
	c := newTestClient(t, Config{SysNum: "S", Defaults: defaults})
	defaults.User.Params["site"] = "changed"
	*defaults.Settings.HistoryMinutes = 999
	defaults.Extra["visitTitle"] = "changed"

	h5, err := c.H5URL(&Params{Settings: Settings{Color: "ffffff"}, Extra: map[string]string{"channelFlag": "1"}})
	require.NoError(t, err)
	assert.Equal(t, "https://www.sobot.com/chat/h5/v2/index.html?channelFlag=1&color=ffffff&params=%7B%22site%22%3A%22shop%22%7D"+
		"&photo_flag=1&sysnum=S&time=60&visitTitle=Shop", h5)
	pc, err := c.PCURL(nil)
	require.NoError(t, err)
	assert.Equal(t, "https://www.sobot.com/chat/pc/v2/index.html?color=04babc&params=%7B%22site%22%3A%22shop%22%7D&sysnum=S&time=60&visitTitle=Shop", pc,
		"H5-only and widget-only defaults are skipped")
	// An extra parameter of the call replaces the default of that name.
	pc, err = c.PCURL(&Params{Extra: map[string]string{"visitTitle": "Cart", "a": "1", "z": "2"}})
	require.NoError(t, err)
	assert.Equal(t, "https://www.sobot.com/chat/pc/v2/index.html?a=1&color=04babc&params=%7B%22site%22%3A%22shop%22%7D&sysnum=S&time=60&visitTitle=Cart&z=2", pc)
}

// TestClientConcurrentUse builds links from many goroutines; run with -race.
func TestClientConcurrentUse(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey("k-0123456789abcdef"), Defaults: benchDefaults})
	want, err := c.H5URL(&benchUser)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				p := benchUser
				got, err := c.H5URL(&p)
				if !assert.NoError(t, err) || !assert.Equal(t, want, got, "concurrent link differs") {
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestZeroClient: a Client not made by NewClient builds nothing.
func TestZeroClient(t *testing.T) {
	var c Client
	_, err := c.H5URL(&Params{User: User{PartnerID: "u"}})
	assert.ErrorIs(t, err, ErrZeroClient)
	_, err = c.LeaveMessageURL(nil)
	assert.ErrorIs(t, err, ErrZeroClient)
	_, err = c.RenderWidget(nil)
	assert.ErrorIs(t, err, ErrZeroClient)
}

// TestKeyCheck: Key.Check says what NewClient says about a key.
func TestKeyCheck(t *testing.T) {
	assert.NoError(t, Key{}.Check())
	assert.NoError(t, NewKey(strings.Repeat("k", MinKeyLength)).Check())
	assert.Equal(t, []string{"key: is 3 bytes; at least 16 are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)"},
		problemLines(t, NewKey("abc").Check()))
	assert.Equal(t, []string{"key: has white space at its start or end (a newline read from a file or an environment variable?); the console's key has none"},
		problemLines(t, NewKey(strings.Repeat("k", MinKeyLength)+"\n").Check()))
}

// TestClientAccessors: a client tells its account, base URL, version and
// origin as NewClient normalised them, and describes itself without its
// key.
func TestClientAccessors(t *testing.T) {
	c := newTestClient(t, Config{BaseURL: "https://acme.sobot.com:8443/prefix/", Version: V6, Key: NewKey("k-0123456789abcdef")})
	assert.Equal(t, testSysNum, c.SysNum())
	assert.Equal(t, "https://acme.sobot.com:8443/prefix", c.BaseURL())
	assert.Equal(t, V6, c.Version())
	assert.Equal(t, "https://acme.sobot.com:8443", c.Origin())
	assert.True(t, c.Signed())
	assert.Equal(t, "sobot.Client(sysnum="+testSysNum+", base=https://acme.sobot.com:8443/prefix, v6, signed)", c.String())

	c = newTestClient(t, Config{})
	assert.Equal(t, DefaultBaseURL, c.BaseURL())
	assert.Equal(t, V2, c.Version())
	assert.False(t, c.Signed())
	assert.Equal(t, "sobot.Client(sysnum="+testSysNum+", base=https://www.sobot.com, v2, unsigned)", c.String())
}
