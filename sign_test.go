package sobot

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Vectors computed independently with md5sum over the UTF-8 bytes.
var signVectors = []struct{ sysnum, key, partnerid, sign string }{
	{"4c349791a07b46c1a70b8ac88aa23257", "s3cr3t", "user-1", "9133a81ef39eb0a4e18ccd63595bc779"},
	{"4c349791a07b46c1a70b8ac88aa23257", "s3cr3t-0123456789", "user-1", "54b03da4b6d9f6132075a74f8ae650f4"},
	{"abc", "key", "", "11e74c87d199c94fd4c02322b42391dd"},
	{"sys", "KEY", "用户42", "0b58278c8b16779fe205a586201133d0"},
}

func TestSign(t *testing.T) {
	for _, v := range signVectors {
		key := NewKey(v.key)
		assert.Equal(t, v.sign, Sign(v.sysnum, key, v.partnerid))
		assert.True(t, VerifySign(v.sysnum, key, v.partnerid, v.sign))
		assert.False(t, VerifySign(v.sysnum, key, v.partnerid, strings.ToUpper(v.sign)), "upper-case hex must not verify")
		assert.False(t, VerifySign(v.sysnum, key, v.partnerid+"x", v.sign), "changed partnerid must not verify")
		assert.False(t, VerifySign(v.sysnum, key, v.partnerid, v.sign[:31]), "short sign must not verify")
	}
	long := strings.Repeat("长", 300) // larger than appendSign's stack buffer
	assert.Len(t, Sign("s", NewKey("k"), long), 32)
	assert.True(t, VerifySign("s", NewKey("k"), long, Sign("s", NewKey("k"), long)))
}

// recordingT is an assert.TestingT that keeps the failure messages.
type recordingT struct{ messages []string }

// Errorf records a failure message.
func (r *recordingT) Errorf(format string, args ...any) {
	r.messages = append(r.messages, fmt.Sprintf(format, args...))
}

// secretForms are the ways a printer could show a secret: as it is, in
// hex (fmt's %x and %X), in base64, or a recognisable part of it.
func secretForms(secret string) []string {
	return []string{secret, hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret))),
		base64.StdEncoding.EncodeToString([]byte(secret)), secret[len(secret)/2:]}
}

// TestKeyNeverPrinted checks every way a Key (alone or inside a Config or
// Client) can be printed, marshalled or logged shows no secret.
func TestKeyNeverPrinted(t *testing.T) {
	const secret = "TOPSECRET-9f8e7d"
	key := NewKey(secret)
	cfg := Config{SysNum: "abc", Key: key}
	client, err := NewClient(cfg)
	require.NoError(t, err)
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		outputs = append(outputs, fmt.Sprintf(verb, key), fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, client), fmt.Sprintf(verb, &cfg))
	}
	outputs = append(outputs, fmt.Sprint(key), fmt.Sprintln(cfg), key.String(), key.GoString())
	for _, v := range []any{key, cfg, map[string]Key{"k": key}} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		outputs = append(outputs, string(b))
	}
	text, _ := key.MarshalText()
	outputs = append(outputs, string(text))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("config", "key", key, "cfg", cfg)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "key", key)
	outputs = append(outputs, logs.String())
	// Errors never carry the key either.
	_, err = client.H5URL(&Params{User: User{Name: secret}, Extra: map[string]string{"sign": "x"}})
	require.Error(t, err)
	outputs = append(outputs, err.Error())
	// Nor do printers that walk the value by reflection and ignore its
	// methods, such as testify's failure diff (go-spew with methods off).
	var diff recordingT
	assert.Equal(&diff, cfg, Config{SysNum: "abc", Key: NewKey("another-key-0123456")})
	assert.Equal(&diff, client, &Client{})
	require.NotEmpty(t, diff.messages)
	outputs = append(outputs, diff.messages...)
	for _, out := range outputs {
		for _, form := range secretForms(secret) {
			assert.NotContains(t, out, form)
		}
	}
	assert.Contains(t, fmt.Sprintf("%v", key), "[REDACTED]")
	assert.Equal(t, `sobot.NewKey("[REDACTED]")`, fmt.Sprintf("%#v", key))
	assert.Equal(t, "", NewKey("").String())
	assert.True(t, NewKey("").IsZero())
}

// TestKeyTooShort: NewClient refuses a key shorter than MinKeyLength, and
// no problem echoes a setting that holds the key.
func TestKeyTooShort(t *testing.T) {
	_, err := NewClient(Config{SysNum: "s", Key: NewKey("four")})
	assert.Equal(t, []string{"key: is 4 bytes; at least 16 are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)"},
		problemLines(t, err))
	_, err = NewClient(Config{SysNum: "s", Key: NewKey(strings.Repeat("k", MinKeyLength))})
	assert.NoError(t, err)
	_, err = NewClient(Config{SysNum: "s", Key: NewKey(strings.Repeat("k", MinKeyLength-1))})
	assert.Error(t, err)

	const secret = "pasted-KEY-0123456789"
	_, err = NewClient(Config{SysNum: "s", Key: NewKey(secret), BaseURL: secret, Defaults: Params{User: User{Face: secret}, Extra: map[string]string{"x": "\xff" + secret}}})
	ps := validationProblems(t, err)
	require.Len(t, ps, 5, "base_url, face and x, and face and x hold the key")
	for _, p := range ps {
		assert.NotContains(t, p.Error(), secret)
		assert.NotContains(t, p.Error(), secret[len(secret)/2:])
	}
	assert.Equal(t, Problem{Param: "base_url", Value: "[REDACTED]", Reason: ps[0].Reason}, ps[0])

	// A piece of the key of minSecretPiece bytes is hidden; a shorter one
	// says too little of it to hide.
	for _, piece := range []string{secret[2 : 2+minSecretPiece], secret[2 : 2+minSecretPiece-1]} {
		_, err = NewClient(Config{SysNum: "s", Key: NewKey(secret), BaseURL: piece})
		ps = validationProblems(t, err)
		require.Len(t, ps, 1, piece)
		want := "[REDACTED]"
		if len(piece) < minSecretPiece {
			want = piece
		}
		assert.Equal(t, want, ps[0].Value, piece)
	}

	// A short key, such as a placeholder, leaves the package's own words
	// whole, and is hidden where a setting is the key or holds it.
	for _, short := range []string{"a", "key", "Key-123"} {
		_, err = NewClient(Config{SysNum: "s", Key: NewKey(short), BaseURL: short, Defaults: Params{User: User{Face: "https://x.example/" + short + " "}}})
		ps = validationProblems(t, err)
		require.Len(t, ps, 3, short)
		assert.Equal(t, Problem{Param: "base_url", Value: "[REDACTED]", Reason: ps[0].Reason}, ps[0], short)
		assert.Equal(t, Problem{Param: "key", Reason: "is " + strconv.Itoa(len(short)) + " bytes; at least 16 are needed: a short key is recovered from a single signed link by trying every key (use the console's generated key)"}, ps[1], short)
		assert.Equal(t, "face", ps[2].Param, short)
		assert.Contains(t, ps[2].Value, "/[REDACTED] ", short)
		assert.NotContains(t, ps[0].Reason+ps[2].Reason, "[REDACTED]", short)
	}
}

// TestKeyNotEchoed: the key pasted into a setting or a parameter, even
// changed in case (a colour is lowered) or as a member's name, never comes
// back in an error, from NewClient or from a builder.
func TestKeyNotEchoed(t *testing.T) {
	const secret = "AbCdEf0123456789XyZ"
	key := NewKey(secret)
	_, err := NewClient(Config{SysNum: "s", Key: key, BaseURL: secret, Defaults: Params{
		Settings: Settings{Color: secret},
		User:     User{Params: Fields{secret: nil}},
		Extra:    map[string]string{secret: "\xff"},
	}})
	require.Error(t, err)
	c := newTestClient(t, Config{Key: key})
	_, err2 := c.H5URL(&Params{User: User{PartnerID: "u", Email: secret + "\xff", CustomerFields: Fields{"k" + secret: []int{1}}},
		Settings: Settings{Color: secret}})
	require.Error(t, err2)
	_, err3 := c.RenderWidget(&Widget{Nonce: secret + "!", Params: &Params{User: User{PartnerID: "u"}}})
	require.Error(t, err3)
	for _, err := range []error{err, err2, err3} {
		for _, form := range append(secretForms(secret), strings.ToLower(secret), strings.ToLower(secret[4:])) {
			assert.NotContains(t, err.Error(), form)
		}
		assert.Contains(t, err.Error(), "[REDACTED]")
	}
}

// TestKeyNeverSent: a parameter that holds the key, in its value or as an
// extra parameter's name, is refused by every builder (the key would reach
// every visitor); the page helpers leave it out, and neither the error nor
// the log shows the key.
func TestKeyNeverSent(t *testing.T) {
	const secret = "K3y-0123456789abcdef"
	var logged bytes.Buffer
	c := newTestClient(t, Config{Key: NewKey(secret), Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	for _, p := range []*Params{
		{User: User{PartnerID: "u", Name: "is " + secret}},
		{User: User{PartnerID: "u", Params: Fields{"k": secret}}},
		{User: User{PartnerID: "u"}, Extra: map[string]string{"x": secret}},
		{User: User{PartnerID: "u"}, Extra: map[string]string{secret: "1"}},
	} {
		_, err := c.H5URL(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "holds the client's security key")
		assert.NotContains(t, err.Error(), secret)
		_, err = c.RenderWidget(&Widget{Params: p})
		assert.ErrorContains(t, err, "holds the client's security key")
		_, err = c.LeaveMessageURL(&Params{User: User{Name: p.User.Name}, Extra: p.Extra})
		if p.User.Name != "" || p.Extra["x"] != "" {
			assert.ErrorContains(t, err, "holds the client's security key")
		}
		link := c.LinkForPage(context.Background(), KindH5, p)
		assert.NotEmpty(t, link, "the page's link is built without it")
		assert.NotContains(t, link, secret)
		assert.NotContains(t, string(c.WidgetForPage(context.Background(), &Widget{Params: p}).HTML()), secret)
	}
	assert.Contains(t, logged.String(), "holds the client's security key")
	assert.NotContains(t, logged.String(), secret)
	_, err := NewClient(Config{SysNum: "s", Key: NewKey(secret), Defaults: Params{Greeting: Greeting{Robot: secret}}})
	assert.ErrorContains(t, err, "holds the client's security key")
}
