package sobot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
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
	for _, out := range outputs {
		assert.NotContains(t, out, secret)
		assert.NotContains(t, out, "9f8e7d")
	}
	assert.Contains(t, fmt.Sprintf("%v", key), "[REDACTED]")
	assert.Equal(t, `sobot.NewKey("[REDACTED]")`, fmt.Sprintf("%#v", key))
	assert.Equal(t, "", NewKey("").String())
	assert.True(t, NewKey("").IsZero())
}
