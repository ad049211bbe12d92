package sobot

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	long := strings.Repeat("智", 300)
	tests := []struct {
		name   string
		target Kind
		p      Params
		want   []string // "param: reason prefix"; nil for valid
	}{
		{"empty", KindH5, Params{}, nil},
		{"time low", KindH5, Params{Settings: Settings{HistoryMinutes: Ptr(9)}}, []string{"time: must be a whole number from 10 to 2880"}},
		{"time bounds", KindH5, Params{Settings: Settings{HistoryMinutes: Ptr(10)}, Routing: Routing{FAQGroupID: Ptr(0)}}, nil},
		{"time max", KindWidget, Params{Settings: Settings{HistoryMinutes: Ptr(2880)}}, nil},
		{"time high", KindWidget, Params{Settings: Settings{HistoryMinutes: Ptr(2881)}}, []string{"time: must be a whole number from 10 to 2880"}},
		{"type", KindH5, Params{Routing: Routing{Mode: 5}}, []string{"type: must be a whole number from 1 to 4"}},
		{"source", KindH5, Params{Settings: Settings{Source: "8"}}, []string{"source: must be one of 0, 1, 2, 3, 4, 9, 10"}},
		{"source ok", KindH5, Params{Settings: Settings{Source: SourceMiniProgram}}, nil},
		// The enums' values are their wire numbers: "4" is the mobile site.
		{"source as wire text", KindH5, Params{Settings: Settings{Source: "4"}}, nil},
		{"locale", KindH5, Params{Settings: Settings{Locale: "fr"}}, []string{"locale: must be one of cn, en, tw"}},
		{"locale tw H5", KindH5, Params{Settings: Settings{Locale: LocaleTraditional}}, nil},
		{"locale tw PC", KindPC, Params{Settings: Settings{Locale: LocaleTraditional}}, []string{"locale: tw (traditional Chinese) is H5-only"}},
		{"color ok", KindH5, Params{Settings: Settings{Color: "#04BABC"}}, nil},
		{"color bad", KindH5, Params{Settings: Settings{Color: "04babz"}}, []string{"color: must be six hex digits"}},
		{"color short", KindH5, Params{Settings: Settings{Color: "fff"}}, []string{"color: must be six hex digits"}},
		{"partnerid 300", KindH5, Params{User: User{PartnerID: long}}, nil},
		{"partnerid 301", KindH5, Params{User: User{PartnerID: long + "x"}}, []string{"partnerid: must be at most 300 characters, has 301"}},
		{"partnerid blank", KindH5, Params{User: User{PartnerID: "  "}}, []string{"partnerid: must not be white space only"}},
		{"partnerid control", KindH5, Params{User: User{PartnerID: "a\x00b\nc"}}, []string{"partnerid: must not contain control characters"}},
		{"partnerid emoji", KindH5, Params{User: User{PartnerID: strings.Repeat("😀", 151)}}, []string{"partnerid: must be at most 300 characters, has 302"}},
		{"extra differing in case", KindH5, Params{Extra: map[string]string{"sysNum": "x", "PartnerID": "y", "visitTitle": "ok"}}, []string{
			"PartnerID: differs from the parameter partnerid only in case", "sysNum: differs from the parameter sysnum only in case"}},
		{"card pre-encoded", KindH5, Params{Product: ProductCard{Title: "t", URL: "https%3A%2F%2Fx.com", Picture: "https%3A%2F%2Fx.com%2Fa.png"}}, []string{
			"card_picture: must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages); it looks percent-encoded: pass the plain URL",
			"card_url: must be an http:// or https:// URL or a mini-program page path such as pages/goods/detail?id=1; it looks percent-encoded"}},
		{"card paths that are not pages", KindH5, Params{Product: ProductCard{Title: "t", URL: "javascript%3Aalert(1)"}}, []string{"card_url: must be an http"}},
		{"order path backslash", KindH5, Params{Order: OrderCard{URL: `/\evil.example`}}, []string{"order_url: must not contain"}},
		{"order path query", KindH5, Params{Order: OrderCard{URL: "/pages/order/detail?id=1&from=chat"}}, nil},
		{"is_vip", KindH5, Params{User: User{VIP: 5}}, []string{"is_vip: must be one of 1, 0"}},
		{"custom status", KindH5, Params{Order: OrderCard{Status: OrderCustomStatus, CustomStatus: "已揽收"}}, nil},
		{"custom status missing", KindH5, Params{Order: OrderCard{Status: OrderCustomStatus}}, []string{"status_custom: is required when order_status is 0"}},
		// The reference's own order example sends status_custom with status 1;
		// Sobot reads it only with status 0.
		{"custom status with another status", KindWidget, Params{Order: OrderCard{Status: OrderPendingPayment, CustomStatus: "自定义状态"}}, nil},
		{"custom status alone", KindH5, Params{Order: OrderCard{CustomStatus: "x"}}, nil},
		{"order status", KindH5, Params{Order: OrderCard{Status: "8"}}, []string{"order_status: must be one of 0, 1, 2, 3, 4, 5, 6, 7"}},
		{"total_fee", KindH5, Params{Order: OrderCard{TotalFee: Ptr[int64](-1)}}, []string{"total_fee: must be a whole number, not negative"}},
		{"create_time seconds", KindH5, Params{Order: OrderCard{Created: time.Unix(0, 0).Add(1586414406 * time.Millisecond)}}, []string{"create_time: must be Unix time in milliseconds"}},
		{"create_time ok", KindH5, Params{Order: OrderCard{Created: time.UnixMilli(1586414406391)}}, nil},
		{"javascript face", KindH5, Params{User: User{Face: "javascript:alert(1)"}}, []string{"face: must be an absolute http:// or https:// URL"}},
		{"data picture", KindH5, Params{Product: ProductCard{Title: "t", Picture: "data:image/png;base64,AAAA"}}, []string{"card_picture: must be an absolute http"}},
		{"card mini-program path", KindH5, Params{Product: ProductCard{Title: "t", URL: "pages/goods/detail?id=1"}}, nil},
		{"card javascript", KindH5, Params{Product: ProductCard{Title: "t", URL: "JavaScript:alert(1)"}}, []string{"card_url: must be an http:// or https:// URL or a mini-program page path"}},
		{"card protocol-relative", KindH5, Params{Product: ProductCard{Title: "t", URL: "//evil.example"}}, []string{"card_url: must be an http"}},
		{"card title required", KindH5, Params{Product: ProductCard{URL: "https://shop.example/1"}}, []string{"card_title: is required for a product card"}},
		{"order url", KindH5, Params{Order: OrderCard{URL: "vbscript:x"}}, []string{"order_url: must be an http"}},
		{"goods", KindH5, Params{Order: OrderCard{Goods: []Goods{{Name: "", PictureURL: "javascript:1"}}}}, []string{"goods: item 1: name is required", "goods: item 1: pictureUrl must be an absolute http"}},
		{"redirect urls", KindH5, Params{Settings: Settings{ThirdPartyTransfer: On, ThirdPartyTransferURL: "ftp://x", ThirdPartyLeaveMessage: On}}, []string{
			"to_customsys_url: must be an absolute http", "leave_customsys_url: is required when leave_customsys_flag is 1"}},
		{"invite image", KindWidget, Params{WidgetSettings: WidgetSettings{InviteImage: "data:,x"}}, []string{"invite_imgsrc: must be an absolute http"}},
		{"visit url", KindWidget, Params{Visit: VisitTrace{Current: CurrentPage{URL: "javascript:x", Thumbnail: "https://x.example/t.png"}}}, []string{"cur_visit_url: must not use the javascript: scheme"}},
		{"title 2", KindH5, Params{Settings: Settings{TitleMode: TitleCustom, CustomTitle: strings.Repeat("字", 30)}}, nil},
		{"title 2 empty", KindH5, Params{Settings: Settings{TitleMode: TitleCustom}}, []string{"custom_title: must be 1–30 characters, not all spaces, when title_flag is 2"}},
		{"title 2 spaces", KindH5, Params{Settings: Settings{TitleMode: TitleCustom, CustomTitle: "   "}}, []string{"custom_title: must be 1–30 characters"}},
		{"title 2 emoji counted as JavaScript does", KindH5, Params{Settings: Settings{TitleMode: TitleCustom, CustomTitle: strings.Repeat("😀", 16)}}, []string{"custom_title: must be 1–30 characters"}},
		{"title 2 long", KindH5, Params{Settings: Settings{TitleMode: TitleCustom, CustomTitle: strings.Repeat("字", 31)}}, []string{"custom_title: must be 1–30 characters"}},
		{"title_flag", KindH5, Params{Settings: Settings{TitleMode: 4}}, []string{"title_flag: must be a whole number from 1 to 3"}},
		{"flowType", KindH5, Params{Platform: Platform{Flow: "9"}}, []string{"flowType: must be one of 0, 1, 2, 3"}},
		{"flowType off", KindH5, Params{Platform: Platform{Flow: FlowOff}}, nil},
		{"transfer ok", KindH5, Params{Routing: Routing{Transfer: []TransferRule{
			{Target: ToGroup, ID: "g1", Spill: SpillGroupNoneOnline}, {Target: ToAgent, ID: "a1", Spill: SpillAgentBusy}, {Target: ToGroup, ID: "g2"}}}}, nil},
		{"transfer too many", KindH5, Params{Routing: Routing{Transfer: []TransferRule{
			{ToGroup, "1", 4}, {ToGroup, "2", 5}, {ToGroup, "3", 6}, {ToGroup, "4", 7}, {ToGroup, "5", 0}}}}, nil}, // a notice: the reference sets no limit
		{"transfer kinds", KindH5, Params{Routing: Routing{Transfer: []TransferRule{
			{ToAgent, "a", SpillGroupAllBusy}, {ToGroup, "g", SpillAgentBusy}, {"to_robot", "r", 1}, {ToGroup, "", 0}}}}, []string{
			"transfer_action: rule 1: spillId must be 1–3 for to_service",
			"transfer_action: rule 2: spillId must be 4–7 for to_group",
			"transfer_action: rule 3: actionType must be to_service or to_group",
			"transfer_action: rule 4: deciId (the agent or group id) is required"}},
		{"transfer deciId not UTF-8", KindH5, Params{Routing: Routing{Transfer: []TransferRule{{ToGroup, "g\xff", 0}}}}, []string{
			"transfer_action: rule 1: deciId must be valid UTF-8"}},
		{"transfer unreachable", KindH5, Params{Routing: Routing{Transfer: []TransferRule{{ToGroup, "g", 0}, {ToAgent, "a", 0}}}}, []string{
			"transfer_action: rule 1: does not overflow (no spillId), so the rules after it are never reached"}},
		{"widget-only in link", KindH5, Params{WidgetSettings: WidgetSettings{OpenInNewWindow: On}, Visit: VisitTrace{Previous: PreviousPage{Title: "x"}}}, []string{
			"anchor: is widget-only; a H5 chat link cannot carry it", "pre_visit_title: is widget-only"}},
		{"link-only in widget", KindWidget, Params{Settings: Settings{TopBar: On, ThirdPartyTransferNewWindow: On}}, []string{
			"to_customsys_open_style: is link-only; a widget cannot carry it", "top_bar_flag: is link-only"}},
		{"H5-only on PC", KindPC, Params{Settings: Settings{AttachmentButton: On}}, []string{"photo_flag: is H5-only"}},
		{"leave-message only", KindH5, Params{LeaveMessage: LeaveMessageFields{TemplateID: "x"}}, []string{"templateid: is for the leave-message page only"}},
		{"extra overrides", KindH5, Params{Extra: map[string]string{"uname": "x", "sign": "y", "sysnum": "z", "visitTitle": "ok"}}, []string{
			"sign: is set by the client", "sysnum: is set by the client", "uname: is modelled; set Params.User.Name"}},
		{"utf-8", KindH5, Params{User: User{Name: "\xff", Params: Fields{"k": "\xfe"}}}, []string{
			`params: member "k" must be valid UTF-8`, "uname: must be valid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemLines(t, tt.p.Validate(tt.target))
			require.Len(t, got, len(tt.want), "problems: %q", got)
			for i := range tt.want {
				assert.True(t, strings.HasPrefix(got[i], tt.want[i]), "problem %d = %q, want prefix %q", i, got[i], tt.want[i])
			}
		})
	}
}

// TestValidateReportsEverything checks problems are all reported at once, in
// a stable order, and are reachable with errors.As both as the list and as
// single problems.
func TestValidateReportsEverything(t *testing.T) {
	p := Params{
		User:           User{Face: "javascript:x", VIP: 9},
		Settings:       Settings{HistoryMinutes: Ptr(1), Color: "red"},
		WidgetSettings: WidgetSettings{AutoExpand: On},
	}
	err := p.Validate(KindH5)
	require.Equal(t, []string{
		"auto_expand: is widget-only; a H5 chat link cannot carry it",
		"color: must be six hex digits such as \"04babc\" (a leading # and upper case are accepted)",
		"face: must be an absolute http:// or https:// URL or a protocol-relative //host/... one (a relative path would point into Sobot's pages)",
		"is_vip: must be one of 1, 0",
		"time: must be a whole number from 10 to 2880",
	}, problemLines(t, err))
	var one Problem
	require.True(t, errors.As(err, &one))
	assert.Equal(t, "auto_expand", one.Param)
	assert.Equal(t, `time: must be a whole number from 10 to 2880 (got "1")`, err.(*ValidationError).Problems[4].Error())
	assert.True(t, strings.HasPrefix(err.Error(), "sobot: 5 invalid parameters:\n\t"), err.Error())
}

// TestValueBoundaries: the ends of each range the reference gives are
// accepted, and the values just past them are refused, by Set or by
// validation.
func TestValueBoundaries(t *testing.T) {
	for _, tt := range []struct {
		name    string
		ok, bad []string
	}{
		{"time", []string{"10", "2880"}, []string{"9", "2881"}},
		{"type", []string{"1", "4"}, []string{"0", "5"}},
		{"title_flag", []string{"1", "3"}, []string{"0", "4"}},
		{"order_status", []string{"1", "7"}, []string{"8", "-1"}},
		{"robotid", []string{"0"}, []string{"-1"}},
		{"total_fee", []string{"0"}, []string{"-1"}},
		{"create_time", []string{"1000000000000", "9999999999999"}, []string{"999999999999", "10000000000000"}},
		{"partnerid", []string{strings.Repeat("x", 300), strings.Repeat("😀", 150)}, []string{strings.Repeat("x", 301), strings.Repeat("😀", 150) + "x"}},
		{"color", []string{"04babc"}, []string{"04bab", "04babcd"}},
	} {
		for _, text := range tt.ok {
			var p Params
			require.NoError(t, p.Set(tt.name, text), "%s=%.20s", tt.name, text)
			for _, line := range problemLines(t, p.Validate(KindH5)) {
				assert.False(t, strings.HasPrefix(line, tt.name+": "), "%s=%.20s: %s", tt.name, text, line)
			}
		}
		for _, text := range tt.bad {
			var p Params
			if p.Set(tt.name, text) != nil {
				continue // refused by Set
			}
			assertProblem(t, p.Validate(KindH5), tt.name, "", "%s=%.20s", tt.name, text)
		}
	}
	// custom_title takes 1 to 30 characters with title_flag 2.
	for n, ok := range map[int]bool{1: true, 30: true, 31: false} {
		p := Params{Settings: Settings{TopBar: On, TitleMode: TitleCustom, CustomTitle: strings.Repeat("字", n)}}
		if ok {
			assert.NoError(t, p.Validate(KindH5), "%d characters", n)
		} else {
			assertProblem(t, p.Validate(KindH5), "custom_title", "1–30 characters", "%d characters", n)
		}
	}
}

// TestExtraLookAlikes: an extra parameter may not be a form of partnerid,
// sign or sysnum that a page may read as it (the review's repro), nor hold
// control characters or white space at either end.
func TestExtraLookAlikes(t *testing.T) {
	for _, name := range []string{"partnerid ", "partnerid\x00", "amp;partnerid", "sign\t", "%70artnerid", "ſign", "sysnum\u00a0", " x", "a\nb"} {
		err := (&Params{Extra: map[string]string{name: "victim"}}).Validate(KindH5)
		require.Error(t, err, "%q", name)
		lines := problemLines(t, err)
		require.Len(t, lines, 1, "%q", name)
	}
	assert.NoError(t, (&Params{Extra: map[string]string{"visitTitle": "ok", "x-y_z.1": "ok"}}).Validate(KindH5))
	c := newTestClient(t, Config{Key: NewKey(testWidgetSecret)})
	_, err := c.H5URL(&Params{User: User{PartnerID: "u"}, Extra: map[string]string{"partnerid ": "victim"}})
	assert.ErrorContains(t, err, `"partnerid ": is a form of partnerid`)
}

// TestProblemNameQuoted: a name that is not plain text is quoted in the
// message, so that it cannot forge a line of a log or colour a terminal.
func TestProblemNameQuoted(t *testing.T) {
	for name, want := range map[string]string{
		"a\nfake: line":   `"a\nfake: line": r`,
		"\x1b[31mred":     `"\x1b[31mred": r`,
		"na\xffme":        `"na\xffme": r`,
		"a b":             `a b: r`,
		" a":              `" a": r`,
		"a\u00a0b":        `"a\u00a0b": r`,
		"zero\u200bwidth": `"zero\u200bwidth": r`,
		"uname":           `uname: r`,
		"客户":              `客户: r`,
		"":                `: r`,
	} {
		assert.Equal(t, want, Problem{Param: name, Reason: "r"}.Error(), "%q", name)
		assert.Equal(t, want, Notice{Param: name, Reason: "r"}.String(), "%q", name)
	}
}
