package sobot

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLinkRoundTrip: decoding a built link's query gives back exactly the
// wire values that went in, plus sysnum and sign. Run longer with
//
//	go test -run='^$' -fuzz=FuzzLinkRoundTrip -fuzztime=1m .
func FuzzLinkRoundTrip(f *testing.F) {
	f.Add("user-1", "小丁哥", "vip客户 <b>&</b>", "k", "v", "extra", "x y")
	f.Add("", "", "", "", "", "", "")
	f.Add("\u2028\u2029", "</script><script>alert(1)</script>", "%zz%20+&=#?", "\"'\\", "😀", "a=b", "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, partnerid, name, remark, key, value, extraName, extraValue string) {
		c, err := NewClient(Config{SysNum: "S", Key: NewKey("secret-0123456789"), Defaults: Params{Settings: Settings{CustomTitle: value}}})
		if err != nil {
			if utf8.ValidString(value) {
				t.Fatalf("valid default rejected: %v", err)
			}
			return
		}
		p := Params{User: User{PartnerID: partnerid, Name: name, Remark: remark, Params: Fields{key: value}},
			Extra: map[string]string{extraName: extraValue}}
		link, err := c.H5URL(&p)
		if err != nil {
			return // invalid input is reported, not encoded; TestValidate covers which
		}
		raw, ok := strings.CutPrefix(link, "https://www.sobot.com/chat/h5/v2/index.html?")
		if !ok {
			t.Fatalf("unexpected prefix: %s", link)
		}
		got, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatalf("link does not parse: %v\n%s", err, link)
		}
		want := url.Values{"sysnum": {"S"}, "sign": {Sign("S", NewKey("secret-0123456789"), partnerid)}}
		if value != "" {
			want.Set("custom_title", value)
		}
		for n, v := range p.Wire() {
			want.Set(n, v)
		}
		if got.Encode() != want.Encode() {
			t.Fatalf("round trip differs:\n got %v\nwant %v", got, want)
		}
		var back Params
		if err := back.Set("params", got.Get("params")); err != nil || back.User.Params[key] != value {
			t.Fatalf("params did not survive: %v %q", err, back.User.Params)
		}
	})
}

// FuzzSetNoPanic: no wire text makes Set, Validate or a builder panic, and
// Set reaches a fixed point: setting what Get returned gives it back.
func FuzzSetNoPanic(f *testing.F) {
	for i, r := range table {
		f.Add(i, sampleText(r))
	}
	f.Add(0, "\xff")
	f.Add(40, `[{"actionType":"to_group","optionId":"3","deciId":"","spillId":"99"}]`)
	c, err := NewClient(Config{SysNum: "S", Key: NewKey("k-0123456789abcdef")})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, i int, text string) {
		if i < 0 {
			i = -i
		}
		r := table[i%len(table)]
		var p Params
		if p.Set(r.Name, text) != nil {
			return
		}
		got, ok := p.Get(r.Name)
		if !ok {
			// Set accepted a value that means "unset", such as {} for
			// params: nothing is sent, so there is nothing to re-read.
			if fs := collect(&p, nil); len(fs) != 0 {
				t.Fatalf("%s: %q is unset for Get but sent: %+v", r.Name, text, fs)
			}
			return
		}
		var again Params
		if err := again.Set(r.Name, got); err != nil {
			t.Fatalf("%s: canonical text %q does not parse: %v", r.Name, got, err)
		}
		if g2, _ := again.Get(r.Name); g2 != got {
			t.Fatalf("%s: not a fixed point: %q then %q", r.Name, got, g2)
		}
		p.User.PartnerID = "u"
		for _, tg := range []Kind{KindH5, KindPC, KindWidget, KindLeaveMessage} {
			_ = p.Validate(tg)
		}
		_, _ = c.H5URL(&p)
		_, _ = c.PCURL(&p)
	})
}
