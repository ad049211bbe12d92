package sobottest_test

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/internal/standintest"
	"github.com/sobotgo/sobot/sobottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The account of the verdict table. The secret is longer than the one of
// the other tests, so that a client can be made with it.
const verdictSecret = "verdict-table-secret-0123456789"

// vsign is the sign of partnerid under the verdict table's account,
// computed here with crypto/md5.
func vsign(partnerid string) string {
	return standintest.MD5Sign(standintest.SysNum, verdictSecret, partnerid)
}

// enc percent-encodes s as a query value, a space as %20.
func enc(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// signedAs is the query part "partnerid=P&sign=md5(sysnum+key+P)".
func signedAs(partnerid string) string {
	return "partnerid=" + enc(partnerid) + "&sign=" + vsign(partnerid)
}

// join joins query parts with &.
func join(parts ...string) string { return strings.Join(parts, "&") }

// verdictRow is one link to a chat page of the stand-in's account, with
// the verdict both the stand-in and the library's Verify must reach.
type verdictRow struct {
	name string
	// path is the chat page; the H5 v2 page when empty.
	path string
	// query is the link's raw query, as sent.
	query string
	// reason is empty for a valid link; for a tampered one, a part of the
	// stand-in's rejection reason (X-Sobottest-Reason), so that each row is
	// rejected for the tampering it carries and not by accident.
	reason string
}

var (
	sys      = "sysnum=" + standintest.SysNum
	alice    = signedAs("alice")
	aliceSig = vsign("alice")
	bobSig   = vsign("bob")
	long301  = strings.Repeat("x", 301)
)

// verdictRows are hand-made links. Every tampered row but the few marked
// otherwise is the valid link of alice plus one change, so that nothing else
// rejects it.
var verdictRows = []verdictRow{
	// Valid, hand-made in the reference's form.
	{name: "valid/reference order", query: join(sys, "sign="+aliceSig, "partnerid=alice")},
	{name: "valid/pc v6", path: "/chat/pc/v6/index.html", query: join(sys, alice, "uname=%E5%B0%8F%E4%B8%81")},
	{name: "valid/semicolon in partnerid", query: join(sys, "partnerid=a;b", "sign="+vsign("a;b"))},
	{name: "valid/300 UTF-16 units", query: join(sys, signedAs(strings.Repeat("界", 300)))},
	{name: "valid/300 UTF-16 units in 150 emoji", query: join(sys, signedAs(strings.Repeat("😀", 150)))},

	// partnerid, sign or sysnum more than once.
	{name: "partnerid twice/signed first", query: join(sys, alice, "partnerid=bob"), reason: "partnerid appears 2 times"},
	{name: "partnerid twice/signed last", query: join(sys, "partnerid=bob", alice), reason: "partnerid appears 2 times"},
	{name: "partnerid three times/same value", query: join(sys, alice, "partnerid=alice", "partnerid=alice"), reason: "partnerid appears 3 times"},
	{name: "partnerid twice/empty second", query: join(sys, alice, "partnerid="), reason: "partnerid appears 2 times"},
	{name: "partnerid twice/bare name", query: join(sys, alice, "partnerid"), reason: "partnerid appears 2 times"},
	{name: "sign twice/valid first", query: join(sys, alice, "sign="+bobSig), reason: "sign appears 2 times"},
	{name: "sign twice/valid last", query: join(sys, "partnerid=alice", "sign="+bobSig, "sign="+aliceSig), reason: "sign appears 2 times"},
	{name: "sign twice/same value", query: join(sys, alice, "sign="+aliceSig), reason: "sign appears 2 times"},
	{name: "sysnum twice/account first", query: join(sys, alice, "sysnum=0000"), reason: "sysnum appears 2 times"},
	{name: "sysnum twice/account last", query: join("sysnum=0000", sys, alice), reason: "sysnum appears 2 times"},
	{name: "sysnum twice/same value", query: join(sys, alice, sys), reason: "sysnum appears 2 times"},
	{name: "all three twice", query: join(sys, alice, sys, signedAs("bob")), reason: "appears 2 times"},

	// Another form of a signed name beside it: a page may read that one.
	{name: "variant/PARTNERID", query: join(sys, alice, "PARTNERID=bob"), reason: `"PARTNERID" is a form of partnerid`},
	{name: "variant/PartnerId", query: join(sys, alice, "PartnerId=bob"), reason: "is a form of partnerid"},
	{name: "variant/Sign", query: join(sys, alice, "Sign="+bobSig), reason: `"Sign" is a form of sign`},
	{name: "variant/SIGN", query: join(sys, alice, "SIGN="+bobSig), reason: "is a form of sign"},
	{name: "variant/SysNum", query: join(sys, alice, "SysNum=0000"), reason: `"SysNum" is a form of sysnum`},
	{name: "variant/sysNum", query: join(sys, alice, "sysNum="+standintest.SysNum), reason: "is a form of sysnum"},
	{name: "variant/trailing space", query: join(sys, alice, "partnerid%20=bob"), reason: `"partnerid%20" is a form of partnerid`},
	{name: "variant/leading space", query: join(sys, alice, "%20partnerid=bob"), reason: "is a form of partnerid"},
	{name: "variant/plus as space", query: join(sys, alice, "partnerid+=bob"), reason: "is a form of partnerid"},
	{name: "variant/tab", query: join(sys, alice, "partnerid%09=bob"), reason: "is a form of partnerid"},
	{name: "variant/encoded letter", query: join(sys, alice, "%70artnerid=bob"), reason: "is a form of partnerid"},
	{name: "variant/all encoded", query: join(sys, alice, "%73%69%67%6e="+bobSig), reason: "is a form of sign"},
	{name: "variant/encoded twice", query: join(sys, alice, "%2570artnerid=bob"), reason: "is a form of partnerid"},
	{name: "variant/amp; from HTML", query: join(sys, alice, "amp;partnerid=bob"), reason: `"amp;partnerid" is a form of partnerid`},
	{name: "variant/amp;amp; from HTML", query: join(sys, alice, "amp;amp;partnerid=bob"), reason: "is a form of partnerid"},
	{name: "variant/AMP; sign", query: join(sys, alice, "AMP;sign="+bobSig), reason: "is a form of sign"},
	{name: "variant/amp; sysnum", query: join(sys, alice, "amp;sysnum=0000"), reason: "is a form of sysnum"},
	{name: "variant/&#38; from HTML", query: join(sys, alice, "%2338%3Bpartnerid=bob"), reason: "is a form of partnerid"},
	// A form alone, without the exact name beside it.
	{name: "variant alone/PARTNERID", query: join(sys, "PARTNERID=alice", "sign="+aliceSig), reason: "is a form of partnerid"},
	{name: "variant alone/encoded letter", query: join(sys, "%70artnerid=alice", "sign="+aliceSig), reason: "is a form of partnerid"},
	{name: "variant alone/amp; partnerid", query: join(sys, "amp;partnerid=alice", "sign="+aliceSig), reason: "is a form of partnerid"},
	{name: "variant alone/sysNum", query: join("sysNum="+standintest.SysNum, alice), reason: "is a form of sysnum"},

	// The signed partnerid is not a valid id, though the sign matches it.
	{name: "partnerid/missing", query: join(sys, "sign="+vsign("")), reason: "partnerid missing"},
	{name: "partnerid/empty", query: join(sys, signedAs("")), reason: "partnerid missing"},
	{name: "partnerid/space", query: join(sys, signedAs(" ")), reason: "white space only"},
	{name: "partnerid/spaces and tab", query: join(sys, signedAs(" \t ")), reason: "white space only"},
	{name: "partnerid/ideographic space", query: join(sys, signedAs("\u3000")), reason: "white space only"},
	{name: "partnerid/no-break space", query: join(sys, signedAs("\u00a0")), reason: "white space only"},
	{name: "partnerid/byte order mark", query: join(sys, signedAs("\ufeff")), reason: "white space only"},
	{name: "partnerid/NUL", query: join(sys, signedAs("ali\x00ce")), reason: "control character"},
	{name: "partnerid/newline", query: join(sys, signedAs("alice\n")), reason: "control character"},
	{name: "partnerid/DEL", query: join(sys, signedAs("alice\x7f")), reason: "control character"},
	{name: "partnerid/C1 control", query: join(sys, signedAs("alice\u0085")), reason: "control character"},
	{name: "partnerid/invalid UTF-8", query: join(sys, signedAs("alice\xff")), reason: "not valid UTF-8"},
	{name: "partnerid/truncated UTF-8", query: join(sys, signedAs("ali\xe7\x95ce")), reason: "not valid UTF-8"},
	{name: "partnerid/301 characters", query: join(sys, signedAs(long301)), reason: "has 301 characters"},
	{name: "partnerid/301 UTF-16 units", query: join(sys, signedAs(strings.Repeat("界", 299)+"😀")), reason: "has 301 characters"},
	{name: "partnerid/151 emoji", query: join(sys, signedAs(strings.Repeat("😀", 151))), reason: "has 302 characters"},
	{name: "partnerid/bad percent-encoding", query: join(sys, "partnerid=al%zzice", "sign="+vsign("al%zzice")), reason: "not valid percent-encoding"},
	{name: "partnerid/length extension", query: join(sys, forged("alice", "admin")), reason: "not valid UTF-8"},
	{name: "partnerid/length extension of 300", query: join(sys, forged(strings.Repeat("u", 300), "x")), reason: "not valid UTF-8"},

	// The sign.
	{name: "sign/missing", query: join(sys, "partnerid=alice"), reason: "sign missing"},
	{name: "sign/empty", query: join(sys, "partnerid=alice", "sign="), reason: "sign missing"},
	{name: "sign/upper case", query: join(sys, "partnerid=alice", "sign="+strings.ToUpper(aliceSig)), reason: "not 32 lower-case hex"},
	{name: "sign/31 digits", query: join(sys, "partnerid=alice", "sign="+aliceSig[:31]), reason: "not 32 lower-case hex"},
	{name: "sign/33 digits", query: join(sys, "partnerid=alice", "sign="+aliceSig+"0"), reason: "not 32 lower-case hex"},
	{name: "sign/leading space", query: join(sys, "partnerid=alice", "sign=%20"+aliceSig), reason: "not 32 lower-case hex"},
	{name: "sign/bad percent-encoding", query: join(sys, "partnerid=alice", "sign=%zz"+aliceSig[2:]), reason: "not 32 lower-case hex"},
	{name: "sign/another user's", query: join(sys, "partnerid=alice", "sign="+bobSig), reason: "does not match"},
	{name: "sign/another key", query: join(sys, "partnerid=alice", "sign="+standintest.MD5Sign(standintest.SysNum, "another-secret-of-the-same-size", "alice")), reason: "does not match"},
	{name: "sign/of a trimmed partnerid", query: join(sys, "partnerid=alice%20", "sign="+aliceSig), reason: "does not match"},
	{name: "sign/of a plus read as a space", query: join(sys, "partnerid=a+b", "sign="+vsign("a+b")), reason: "does not match"},

	// sysnum (the sign is the account's: Verify, which does not know the
	// account, checks the sign against the link's own sysnum).
	{name: "sysnum/missing", query: alice, reason: "sysnum missing"},
	{name: "sysnum/empty", query: join("sysnum=", alice), reason: "sysnum missing"},
	{name: "sysnum/another account", query: join("sysnum=0000", alice), reason: "sysnum is not the stand-in's account"},
	{name: "sysnum/upper case", query: join("sysnum="+strings.ToUpper(standintest.SysNum), alice), reason: "sysnum is not the stand-in's account"},
}

// forged returns the query part "partnerid=...&sign=..." of an MD5 length
// extension of partnerid's sign: the partnerid is partnerid, MD5's padding of
// sysnum+key+partnerid, then extra, and its sign is computed from the
// original sign alone, without the key. md5.Sum accepts it, so only the
// checks of the partnerid itself can refuse it.
func forged(partnerid, extra string) string {
	sum, err := hex.DecodeString(vsign(partnerid))
	if err != nil {
		panic(err)
	}
	n := len(standintest.SysNum) + len(verdictSecret) + len(partnerid) // what was signed
	pad := []byte{0x80}
	for (n+len(pad))%64 != 56 {
		pad = append(pad, 0)
	}
	pad = binary.LittleEndian.AppendUint64(pad, uint64(n)*8)

	// crypto/md5's saved state: magic, the four state words (big-endian),
	// the buffered block and the length processed.
	state := []byte("md5\x01")
	for i := range 4 {
		state = binary.BigEndian.AppendUint32(state, binary.LittleEndian.Uint32(sum[4*i:]))
	}
	state = append(state, make([]byte, md5.BlockSize)...)
	state = binary.BigEndian.AppendUint64(state, uint64(n+len(pad)))
	h := md5.New()
	if err := h.(interface{ UnmarshalBinary([]byte) error }).UnmarshalBinary(state); err != nil {
		panic(err)
	}
	h.Write([]byte(extra))
	id := partnerid + string(pad) + extra
	return "partnerid=" + enc(id) + "&sign=" + hex.EncodeToString(h.Sum(nil))
}

// clientRows are valid links built by the library's client, H5 and PC, v2
// and v6, for partnerids of every kind.
func clientRows(t *testing.T, base string) []verdictRow {
	t.Helper()
	var rows []verdictRow
	for _, version := range []sobot.Version{sobot.V2, sobot.V6} {
		client, err := sobot.NewClient(sobot.Config{SysNum: standintest.SysNum, Key: sobot.NewKey(verdictSecret), BaseURL: base, Version: version})
		require.NoError(t, err)
		for _, id := range []struct{ label, pid string }{
			{"plain", "alice"},
			{"HTML and &", `user"<1>&`},
			{"space", "Ada Lovelace"},
			{"plus", "a+b"},
			{"percent", "100%"},
			{"Chinese", "小丁"},
			{"300 characters", strings.Repeat("界", 300)},
			{"150 emoji", strings.Repeat("😀", 150)},
			{"line separators", "\u2028x\u2029"},
		} {
			pid := id.pid
			p := &sobot.Params{User: sobot.User{PartnerID: pid, Name: "小丁"}}
			h5, err := client.H5URL(p)
			require.NoError(t, err, "H5URL for %q", pid)
			pc, err := client.PCURL(p)
			require.NoError(t, err, "PCURL for %q", pid)
			for _, link := range []string{h5, pc} {
				path, query, ok := strings.Cut(strings.TrimPrefix(link, base), "?")
				require.True(t, ok, "link %s has no query", link)
				rows = append(rows, verdictRow{name: "client" + strings.TrimSuffix(path, "/index.html") + "/" + id.label, path: path, query: query})
			}
		}
	}
	return rows
}

// TestVerdictsAgree feeds every link of the table to the stand-in (over
// HTTP) and to the library (sobot.Inspect, then Verify with the key), and
// checks both reach the table's verdict: the valid links admitted and
// verified, every tampered one rejected by both.
func TestVerdictsAgree(t *testing.T) {
	key := sobot.NewKey(verdictSecret)
	srv := sobottest.NewServer(standintest.SysNum, key)
	defer srv.Close()
	// Sanity of the table: the forged sign passes md5 alone.
	for _, q := range []string{forged("alice", "admin"), forged(strings.Repeat("u", 300), "x")} {
		v, err := url.ParseQuery(q)
		require.NoError(t, err)
		require.True(t, sobot.VerifySign(standintest.SysNum, key, v.Get("partnerid"), v.Get("sign")), "the length extension is not a valid md5 forgery")
	}

	rows := append(clientRows(t, srv.URL), verdictRows...)
	for _, row := range rows {
		path := row.path
		if path == "" {
			path = "/chat/h5/v2/index.html"
		}
		link := srv.URL + path + "?" + row.query
		want := "valid"
		if row.reason != "" {
			want = "rejected"
		}
		t.Run(row.name, func(t *testing.T) {
			t.Run("stand-in", func(t *testing.T) {
				resp, err := srv.Client().Get(link)
				require.NoError(t, err)
				body := standintest.ReadBody(t, resp)
				resp.Body.Close()
				reason := resp.Header.Get("X-Sobottest-Reason")
				if want == "valid" {
					require.Equal(t, http.StatusOK, resp.StatusCode, "stand-in rejected a valid link (%s): %s", reason, link)
					assert.Equal(t, "sign verified", standintest.MustText(t, body, "sobot-security"))
					return
				}
				require.Equal(t, http.StatusForbidden, resp.StatusCode, "stand-in admitted a tampered link: %s", link)
				assert.Contains(t, reason, row.reason)
				assert.Equal(t, sobottest.RejectionText, standintest.MustText(t, body, "sobot-rejected"))
				assert.Equal(t, reason, standintest.MustText(t, body, "sobot-reason"))
			})
			t.Run("Verify", func(t *testing.T) {
				l, err := sobot.Inspect(link)
				require.NoError(t, err)
				v := l.Verify(key)
				if want == "valid" {
					assert.True(t, v.Valid, "Verify refuses a valid link: %s\n%s", link, v.Explain())
				} else {
					assert.False(t, v.Valid, "Verify accepts a link the stand-in rejects (%s): %s", row.reason, link)
				}
			})
		})
	}
}
