package sobot

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoQuerystring checks Params encodes through go-querystring under its
// wire names, the same values the link builders send.
func TestGoQuerystring(t *testing.T) {
	type landing struct {
		Campaign string `url:"utm_campaign"`
		Chat     Params `url:"chat"`
	}
	p := Params{User: User{PartnerID: "u1", Name: "张三"}, Settings: Settings{HistoryMinutes: Ptr(30), LeaveMessageEntry: On},
		Extra: map[string]string{"visitTitle": "Shop"}}
	v, err := query.Values(landing{Campaign: "spring", Chat: p})
	require.NoError(t, err)
	assert.Equal(t, "msg_flag=0&partnerid=u1&time=30&uname=%E5%BC%A0%E4%B8%89&utm_campaign=spring&visitTitle=Shop", v.Encode())
	assert.Equal(t, map[string]string{"msg_flag": "0", "partnerid": "u1", "time": "30", "uname": "张三", "visitTitle": "Shop"}, p.Wire())
}

// TestGoQuerystringValidates: EncodeValues validates as every builder
// does, and never writes over a name of the enclosing struct.
func TestGoQuerystringValidates(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    Params
		want []string
	}{
		{"script URL, bad colour, short time", Params{User: User{Face: "javascript:alert(1)"}, Settings: Settings{Color: "zz", HistoryMinutes: Ptr(5)}}, []string{
			"color: must be six hex digits such as \"04babc\" (a leading # and upper case are accepted)",
			"face: must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages)",
			"time: must be a whole number from 10 to 2880"}},
		{"a forged sign", Params{Extra: map[string]string{"sign": "0123", "sysnum": "other"}}, []string{
			"sign: is set by the client (Config.SysNum, Config.Key); it cannot be an extra parameter",
			"sysnum: is set by the client (Config.SysNum, Config.Key); it cannot be an extra parameter"}},
		{"widget-only", Params{WidgetSettings: WidgetSettings{AutoExpand: On}}, []string{"auto_expand: is widget-only; a H5 chat link cannot carry it"}},
	} {
		_, err := query.Values(struct {
			Chat Params `url:"chat"`
		}{tt.p})
		require.Error(t, err, tt.name)
		assert.Equal(t, tt.want, problemLines(t, err), tt.name)
	}
	// The struct's own time comes first: Params does not overwrite it.
	_, err := query.Values(struct {
		Time string `url:"time"`
		Chat Params `url:"chat"`
	}{"now", Params{Settings: Settings{HistoryMinutes: Ptr(30)}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "time: is already in the query")
}

// TestNoURLTags: the parameter groups carry no url tags, which looked like
// go-querystring input but gave other wire values than the library's;
// Params (an Encoder) is the way into go-querystring.
func TestNoURLTags(t *testing.T) {
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			assert.Empty(t, f.Tag.Get("url"), "%s.%s", typ.Name(), f.Name)
			if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == typ.PkgPath() {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeOf(Params{}))
}

// TestSetValue: values as a JavaScript config writes them become their
// wire texts; the visit-trace objects set their members.
func TestSetValue(t *testing.T) {
	var p Params
	for name, v := range map[string]any{
		"msg_flag":       false, // inverted: false shows the entry, msg_flag=0
		"reload":         true,
		"invite_flag":    true,  // a JS boolean that is the wire's own: true stops invitations
		"manual":         false, // sent only when true: stays unset
		"custom":         true,
		"time":           120.0,
		"robotid":        json.Number("2"),
		"type":           3,
		"color":          "04babc",
		"total_fee":      int64(1000),
		"order_code":     float64(11111),
		"params":         map[string]any{"level": json.Number("5"), "vip": true, "来自": "北京"},
		"goods":          []any{map[string]any{"name": "tea", "pictureUrl": "https://x.example/t.png"}},
		"is_link":        2,
		"uname":          nil,
		"create_time":    "1586414406391",
		"pre_visit_args": map[string]any{"pre_visit_url": "https://a.example/", "pre_visit_title": "Home"},
		"cur_visit_args": map[string]any{"cur_thumbnail": "//cdn.example/t.png"},
	} {
		require.NoError(t, p.SetValue(name, v), name)
	}
	assert.Equal(t, map[string]string{
		"msg_flag": "0", "reload": "true", "invite_flag": "true", "custom": "true", "time": "120", "robotid": "2", "type": "3", "color": "04babc",
		"total_fee": "1000", "order_code": "11111", "params": `{"level":5,"vip":true,"来自":"北京"}`,
		"goods": `[{"name":"tea","pictureUrl":"https://x.example/t.png"}]`, "is_link": "1", "create_time": "1586414406391",
		"pre_visit_url": "https://a.example/", "pre_visit_title": "Home", "cur_thumbnail": "//cdn.example/t.png",
	}, p.Wire())
	assert.NoError(t, p.Validate(KindWidget))

	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"time", map[string]any{"a": 1}, "time: must be a string, number or boolean; only the JSON-valued parameters (params, customer_fields, goods, transfer_action) take objects or arrays"},
		{"time", 12.5, "time: must be a whole number (10–2880 minutes) (got \"12.5\")"},
		{"time", struct{}{}, "time: cannot be given as a struct {}: give a string, number, boolean, or an object or array for the JSON-valued parameters"},
		{"msg_flag", "true", `msg_flag: must be 0 or 1 (got "true")`},
		{"cur_visit_args", map[string]any{"pcur_thumbnail": "x"}, "sobot: invalid parameter: pcur_thumbnail: is the reference's example's misspelling of cur_thumbnail (its table); write cur_thumbnail"},
		{"pre_visit_args", map[string]any{"cur_tags": "x"}, "sobot: invalid parameter: cur_tags: is not a member of pre_visit_args"},
		{"pre_visit_args", "x", "pre_visit_args: must be an object of pre_* members, as in the reference's 自定义采集内容 example"},
		{"nope", 1, "nope: is not a parameter of the reference; pass it as an extra parameter"},
	} {
		err := new(Params).SetValue(tt.name, tt.v)
		require.Error(t, err, "%s %v", tt.name, tt.v)
		assert.Equal(t, tt.want, err.Error())
	}
	assert.NoError(t, new(Params).SetValue("pre_visit_args", nil))

	// Every member of a visit-args object is set or reported.
	var visit Params
	err := visit.SetValue("pre_visit_args", map[string]any{"pre_tags": "sale", "pre_visit_title": []any{"x"}, "pre_abstract": 1.5, "pre_x": "y"})
	assert.Equal(t, []string{
		"pre_visit_title: must be a string, number or boolean; only the JSON-valued parameters (params, customer_fields, goods, transfer_action) take objects or arrays",
		"pre_x: is not a member of pre_visit_args",
	}, problemLines(t, err))
	assert.Equal(t, map[string]string{"pre_abstract": "1.5", "pre_tags": "sale"}, visit.Wire())
	// JSON values that encoding/json cannot write are refused.
	assert.EqualError(t, new(Params).SetValue("params", map[string]any{"k": math.Inf(1)}), "params: is not JSON: json: unsupported value: +Inf")
}

// TestFieldsValues: params, customer_fields and ticket fields take JSON
// scalars and send them as given; nested values, null and Go values that
// are not scalars are refused, naming the member.
func TestFieldsValues(t *testing.T) {
	var p Params
	require.NoError(t, p.Set("params", `{"level":5,"vip":true,"ratio":5.0,"name":"小丁","big":12345678901234567890}`))
	got, _ := p.Get("params")
	assert.Equal(t, `{"big":12345678901234567890,"level":5,"name":"小丁","ratio":5.0,"vip":true}`, got, "numbers as given, keys sorted")
	require.NoError(t, p.Validate(KindH5))

	for _, bad := range []struct{ text, want string }{
		{`{"a":{"b":1}}`, `params: member "a" is an object or array; values must be strings, numbers or booleans (Sobot shows each field as one value)`},
		{`{"a":[1]}`, `params: member "a" is an object or array`},
		{`{"a":null}`, `params: member "a" is null; leave the key out instead`},
		{`[1]`, `params: must be a JSON object such as {"key":"value"}`},
		{`{"a":1} x`, `params: must be a JSON object such as {"key":"value"}`},
		{`{"a":1}{}`, `params: must be a JSON object such as {"key":"value"}`},
		{`{"a":1,}`, `params: must be a JSON object such as {"key":"value"}`},
		{`{"a":1e400}`, `params: member "a" is beyond the range of numbers a page can read (it would read Infinity)`},
		{`{"a":-1E+309}`, `params: member "a" is beyond the range`},
		{`{"a":1,"b":2,"a":1}`, `params: member "a" is given twice; give each member once`},
		{`{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, `params: member "a" is nested too deep to read`},
		{`{}`, `params: must hold at least one field; leave the parameter out for none`},
	} {
		err := new(Params).Set("params", bad.text)
		require.Error(t, err, bad.text)
		assert.True(t, strings.HasPrefix(err.Error(), bad.want), "%s: %v", bad.text, err)
	}

	typed := Params{User: User{CustomerFields: Fields{
		"i": int8(-3), "u": uint16(7), "f32": float32(0.5), "f": 1e21, "nan": math.NaN(), "inf": math.Inf(1),
		"n": json.Number("1.5e3"), "badn": json.Number("01"), "huge": json.Number("1e999"), "m": map[string]string{}, "nil": nil, "": "x", "\xff": "y", "s": "\xfe",
	}}}
	assert.Equal(t, []string{
		"customer_fields: keys must not be empty",
		`customer_fields: member "badn" is not a number in JSON's syntax`,
		`customer_fields: member "huge" is beyond the range of numbers a page can read (it would read Infinity)`,
		`customer_fields: member "inf" is not a finite number`,
		`customer_fields: member "m" is a map[string]string; values must be strings, numbers or booleans`,
		`customer_fields: member "nan" is not a finite number`,
		`customer_fields: member "nil" is null; leave the key out instead`,
		`customer_fields: member "s" must be valid UTF-8`,
		"customer_fields: keys must be valid UTF-8",
	}, problemLines(t, typed.Validate(KindWidget)))
	text, _ := (&Params{User: User{CustomerFields: Fields{"i": int8(-3), "u": uint16(7), "f32": float32(0.5), "f": 1e21, "n": json.Number("1.5e3"),
		"pi": math.Pi, "pi32": float32(math.Pi)}}}).Get("customer_fields")
	assert.Equal(t, `{"f":1e+21,"f32":0.5,"i":-3,"n":1.5e3,"pi":3.141592653589793,"pi32":3.1415927,"u":7}`, text, "each float as encoding/json writes its type")
}

// TestIsLinkAnyNumber: is_link reads every whole number, 0 as Off and any
// other as On ("不为0的时候默认可跳转"), and writes 1 or 0.
func TestIsLinkAnyNumber(t *testing.T) {
	for text, want := range map[string]Toggle{"0": Off, "1": On, "2": On, "-1": On, "100": On} {
		var p Params
		require.NoError(t, p.Set("is_link", text), text)
		assert.Equal(t, want, p.Settings.FollowLinks, text)
	}
	assert.EqualError(t, new(Params).Set("is_link", "yes"), `is_link: must be a whole number: 0 keeps links from opening, any other number lets them open (got "yes")`)
	l, err := Inspect("https://www.sobot.com/chat/h5/v2/index.html?sysnum=s&is_link=2")
	require.NoError(t, err)
	assert.Empty(t, l.Problems)
	assert.Equal(t, On, l.Params.Settings.FollowLinks)
}

// TestJSONMembersNeverDropped: goods items and transfer_action rules refuse
// members their structures lack, instead of dropping them; a goods item
// without a picture sends no pictureUrl.
func TestJSONMembersNeverDropped(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"goods", `[{"name":"a","price":"9"}]`, `goods: item 1: has a member "price"; goods items have name and pictureUrl only`},
		{"goods", `[{"Name":"a"}]`, `goods: item 1: has a member "Name"; goods items have name and pictureUrl only`},
		{"goods", `[{"name":1}]`, `goods: item 1: name must be a string`},
		{"transfer_action", `[{"actionType":"to_group","optionId":"4","deciId":"g","weight":"1"}]`,
			`transfer_action: rule 1: has a member "weight"; rules have actionType, optionId, deciId and spillId only`},
		{"transfer_action", `[{"actionType":"to_group","optionId":"4","deciId":7}]`, `transfer_action: rule 1: deciId must be a string`},
	} {
		err := new(Params).Set(tt.name, tt.text)
		require.Error(t, err, tt.text)
		assert.True(t, strings.HasPrefix(err.Error(), tt.want), "%s: %v", tt.text, err)
	}
	p := Params{Order: OrderCard{Goods: []Goods{{Name: "tea"}, {Name: "cup", PictureURL: "https://x.example/c.png"}}}}
	got, _ := p.Get("goods")
	assert.Equal(t, `[{"name":"tea"},{"name":"cup","pictureUrl":"https://x.example/c.png"}]`, got)
	var back Params
	require.NoError(t, back.Set("goods", got))
	assert.Equal(t, p.Order.Goods, back.Order.Goods)
}

// TestSetValueNumbers: whole numbers keep every digit, however long.
func TestSetValueNumbers(t *testing.T) {
	for v, want := range map[any]string{
		json.Number("100000000000000000000000000000"): "100000000000000000000000000000",
		json.Number("12345678901234567891"):           "12345678901234567891", // more digits than a float64 holds
		json.Number("-9007199254740993"):              "-9007199254740993",
		json.Number("-12"):                            "-12",
		json.Number("1.2e2"):                          "120",
		json.Number("1e29"):                           "100000000000000000000000000000",
		json.Number("1.5"):                            "1.5",
		1e29:                                          "100000000000000000000000000000",
		12.5:                                          "12.5",
		float32(2):                                    "2",
		uint(7):                                       "7",
		int32(-3):                                     "-3",
		uint64(1 << 63):                               "9223372036854775808",
		json.Number("1e1000"):                         "1e1000",
		json.Number("-0.0"):                           "0",
	} {
		var p Params
		require.NoError(t, p.SetValue("uname", v), "%v", v)
		got, _ := p.Get("uname")
		assert.Equal(t, want, got, "%v", v)
	}
}

// FuzzSetNoPanic: no wire text makes Set, Validate or a builder panic, and
// Set reaches a fixed point: setting what Get returned gives it back.
func FuzzSetNoPanic(f *testing.F) {
	for i, r := range table {
		f.Add(i, sampleText(r))
	}
	f.Add(0, "\xff")
	f.Add(40, `[{"actionType":"to_group","optionId":"3","deciId":"","spillId":"99"}]`)
	c := newTestClient(f, Config{SysNum: "S", Key: NewKey("k-0123456789abcdef")})
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
			require.Empty(t, collect(&p, nil), "%s: %q is unset for Get but sent", r.Name, text)
			return
		}
		var again Params
		require.NoError(t, again.Set(r.Name, got), "%s: canonical text %q does not parse", r.Name, got)
		g2, _ := again.Get(r.Name)
		require.Equal(t, got, g2, "%s: not a fixed point", r.Name)
		p.User.PartnerID = "u"
		for _, tg := range []Kind{KindH5, KindPC, KindWidget, KindLeaveMessage} {
			_ = p.Validate(tg)
		}
		_, _ = c.H5URL(&p)
		_, _ = c.PCURL(&p)
	})
}

func TestSetErrors(t *testing.T) {
	var p Params
	for _, tt := range []struct{ name, value, want string }{
		{"nope", "1", "nope: is not a parameter of the reference"},
		{"sign", "x", "sign: is set by the client"},
		{"time", "abc", `time: must be a whole number (10–2880 minutes) (got "abc")`},
		{"transfer_action", "[]", `transfer_action: must hold at least one rule`},
		{"transfer_action", "null", `transfer_action: must hold at least one rule`},
		{"goods", "[]", `goods: must hold at least one item`},
		{"params", "{}", `params: must hold at least one field`},
		{"customer_fields", "null", `customer_fields: must hold at least one field`},
		{"pcur_thumbnail", "x", `pcur_thumbnail: is not a parameter of the reference; did you mean cur_thumbnail?`},
		{"sysNum", "x", `sysNum: is not a parameter of the reference; did you mean sysnum?`},
		{"transfer_action", `[{"actionType":"to_service","optionId":"3","deciId":"a","spillId":"4"}]`,
			`transfer_action: rule 1: optionId "3" does not match actionType "to_service" with spillId (want 1); rule 1: spillId must be 1–3 for to_service`},
		{"msg_flag", "true", `msg_flag: must be 0 or 1 (got "true")`},
		{"type", "0", `type: must be one of 1, 2, 3, 4 (got "0")`},
		{"type", "256", `type: must be one of 1, 2, 3, 4 (got "256")`},
		{"params", "[1]", `params: must be a JSON object such as {"key":"value"}`},
		{"goods", "{}", `goods: must be a JSON array of {"name":...,"pictureUrl":...} objects`},
		{"transfer_action", `[{"actionType":"to_service","optionId":"3","deciId":"a","spillId":"1"}]`,
			`transfer_action: rule 1: optionId "3" does not match actionType "to_service" with spillId (want 1)`},
		{"transfer_action", `[{"actionType":"to_group","optionId":"3","deciId":"a"}]`,
			`transfer_action: rule 1: optionId "3" does not match actionType "to_group" without spillId (want 4)`},
		{"cut_flag", "show", `cut_flag: must be hide`},
	} {
		err := p.Set(tt.name, tt.value)
		require.Error(t, err, tt.name)
		assert.True(t, strings.HasPrefix(err.Error(), tt.want), "Set(%s, %s) = %v", tt.name, tt.value, err)
	}
	// Enum texts are checked by validation, like ranges, as are numbers
	// an enum field holds but the reference does not list.
	var src Params
	require.NoError(t, src.Set("source", "5"))
	assert.Equal(t, []string{"source: must be one of 0, 1, 2, 3, 4, 9, 10"}, problemLines(t, src.Validate(KindH5)))
	var mode Params
	require.NoError(t, mode.Set("type", "255"))
	assert.Equal(t, []string{"type: must be a whole number from 1 to 4"}, problemLines(t, mode.Validate(KindH5)))
	// Rules that parse are checked by validation, every problem of every rule.
	var routed Params
	require.NoError(t, routed.Set("transfer_action", `[{"actionType":"to_service","optionId":"1","deciId":"","spillId":"9"},{"actionType":"to_x","optionId":"7","deciId":""}]`))
	assert.Equal(t, []string{
		"transfer_action: rule 1: spillId must be 1–3 for to_service",
		"transfer_action: rule 1: deciId (the agent or group id) is required",
		"transfer_action: rule 2: actionType must be to_service or to_group",
		"transfer_action: rule 2: deciId (the agent or group id) is required",
	}, problemLines(t, routed.Validate(KindH5)))
	// transfer_action accepts JSON numbers as the widget's users write them.
	require.NoError(t, p.Set("transfer_action", `[{"actionType":"to_group","optionId":3,"deciId":"g","spillId":4},{"actionType":"to_group","optionId":4,"deciId":"h"}]`))
	assert.Equal(t, []TransferRule{{ToGroup, "g", SpillGroupNoneOnline}, {ToGroup, "h", 0}}, p.Routing.Transfer)
}

// TestUnset checks Unset undoes Set for Go fields, visit-args members and
// Extra entries, and leaves everything else as it was.
func TestUnset(t *testing.T) {
	var p Params
	for name, v := range map[string]any{
		"uname": "Ann", "time": 120, "msg_flag": false, "pre_visit_url": "https://a.example/",
		"cur_visit_title": "Cart", "goods": []any{map[string]any{"name": "tea"}},
	} {
		require.NoError(t, p.SetValue(name, v), name)
	}
	p.Extra = map[string]string{"shop_id": "s1"}
	for _, name := range []string{"uname", "time", "msg_flag", "pre_visit_url", "goods", "shop_id", "email", "not_set_extra"} {
		p.Unset(name)
		_, ok := p.Get(name)
		assert.False(t, ok, name)
	}
	assert.Equal(t, map[string]string{"cur_visit_title": "Cart"}, p.Wire(), "only the parameters not unset stay")
	assert.Empty(t, p.Extra, "the Extra entry is gone")
	assert.NoError(t, p.Validate(KindWidget), "unsetting leaves nothing half-set")
	p.Unset("cur_visit_title")
	assert.Empty(t, p.Wire(), "unsetting every parameter leaves none set")
}
