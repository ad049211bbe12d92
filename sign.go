package sobot

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
)

// redacted is what every printed form of a Key shows instead of the secret.
const redacted = "[REDACTED]"

// Key is the security key ("安全密钥") of a Sobot account, used only to compute
// sign. The secret cannot be read back out of a Key: String, GoString, every
// fmt verb, encoding/json, encoding (text) and log/slog all print [REDACTED],
// so a Key can sit in a Config that is logged or dumped without leaking.
//
// Printers that ignore these methods and walk the value by reflection
// (fmt on a Key in an unexported struct field, go-spew and so testify's
// failure diffs, debuggers' pretty-printers) find only a function behind a
// pointer: the secret lives in a closure, which no reflection-based printer
// can read.
//
// The zero Key means "no security key": links are then not signed.
type Key struct {
	box *keyBox
}

// keyBox holds the secret where reflection cannot print it.
type keyBox struct {
	secret func() string
}

// NewKey wraps the secret security key copied from the Sobot console
// (设置 → 支持渠道 → 安全密钥). An empty secret gives the zero Key.
// NewClient refuses a key shorter than MinKeyLength.
func NewKey(secret string) Key {
	if secret == "" {
		return Key{}
	}
	return Key{box: &keyBox{secret: func() string { return secret }}}
}

// IsZero reports whether k holds no secret, i.e. links will not be signed.
func (k Key) IsZero() bool { return k.box == nil }

// reveal returns the secret, for signing only.
func (k Key) reveal() string {
	if k.box == nil {
		return ""
	}
	return k.box.secret()
}

// String returns [REDACTED] (or "" for the zero Key), never the secret.
func (k Key) String() string {
	if k.IsZero() {
		return ""
	}
	return redacted
}

// GoString returns a redacted Go expression, for %#v.
func (k Key) GoString() string {
	if k.IsZero() {
		return "sobot.Key{}"
	}
	return `sobot.NewKey("` + redacted + `")`
}

// Format prints the redacted form for every verb, so %x, %q or %v cannot
// reveal the secret.
func (k Key) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, k.GoString())
		return
	}
	fmt.Fprint(f, k.String())
}

// MarshalText returns the redacted form; a Key is never serialised.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MarshalJSON returns the redacted form as a JSON string.
func (k Key) MarshalJSON() ([]byte, error) { return []byte(`"` + k.String() + `"`), nil }

// LogValue makes log/slog print the redacted form.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Sign returns Sobot's per-user access signature for partnerid:
//
//	sign = lower-case hex of md5(sysnum + key + partnerid), over UTF-8 bytes
//
// What it protects: with the console's security key switched on, Sobot only
// admits a visitor whose sign matches the partnerid in the same request, so a
// visitor cannot edit the link to chat (and read history) as another user.
// What it does not protect: the partnerid travels in clear; a sign never
// expires, so a leaked link stays valid until the key is rotated; and MD5 is
// only as strong as the key's secrecy (use a long random key).
//
// With the zero Key it is md5(sysnum + partnerid), which Sobot never
// accepts; Client.Sign returns "" instead. Sign and VerifySign compute with
// any key; Key.Check (and NewClient) refuse one too short to keep secret.
func Sign(sysnum string, key Key, partnerid string) string {
	var dst [md5.Size * 2]byte
	appendSign(dst[:0], sysnum, key, partnerid)
	return string(dst[:])
}

// appendSign appends the 32 hex digits of the sign to dst without allocating
// for typical lengths.
func appendSign(dst []byte, sysnum string, key Key, partnerid string) []byte {
	var stack [256]byte
	msg := append(append(append(stack[:0], sysnum...), key.reveal()...), partnerid...)
	sum := md5.Sum(msg)
	var hexSum [md5.Size * 2]byte
	hex.Encode(hexSum[:], sum[:])
	return append(dst, hexSum[:]...)
}

// VerifySign reports whether sign is the valid signature of partnerid for
// sysnum under key. The comparison runs in constant time. Sobot emits and
// expects lower-case hex; an upper-case sign does not verify.
func VerifySign(sysnum string, key Key, partnerid, sign string) bool {
	var want [md5.Size * 2]byte
	appendSign(want[:0], sysnum, key, partnerid)
	return subtle.ConstantTimeCompare(want[:], []byte(sign)) == 1
}
