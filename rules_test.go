package sobot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNotices covers every notice rule: what Sobot accepts but ignores is
// reported as a Notice, never as a Problem, and only where it applies.
func TestNotices(t *testing.T) {
	fiveRules := []TransferRule{{ToGroup, "g1", SpillGroupAllBusy}, {ToGroup, "g2", SpillGroupAllBusy},
		{ToGroup, "g3", SpillGroupAllBusy}, {ToGroup, "g4", SpillGroupAllBusy}, {ToGroup, "g5", 0}}
	tests := []struct {
		name string
		kind Kind
		p    Params
		want []string // "param: reason prefix"
	}{
		{"none", KindH5, Params{User: User{VIP: On, VIPLevel: "gold"}, Settings: Settings{TopBar: On, TitleMode: TitleAgent}}, nil},
		{"title_flag without the top bar", KindH5, Params{Settings: Settings{TitleMode: TitleAgent}},
			[]string{"title_flag: takes effect only when top_bar_flag is 1; Sobot ignores it here (top_bar_flag=1的时候才生效)"}},
		{"title_flag with the top bar off", KindH5, Params{Settings: Settings{TitleMode: TitleAgent, TopBar: Off}},
			[]string{"title_flag: takes effect only when top_bar_flag is 1"}},
		{"title_flag in the widget, which has no top bar", KindWidget, Params{Settings: Settings{TitleMode: TitleCompany}},
			[]string{"title_flag: takes effect only when top_bar_flag is 1"}},
		{"vip_level without is_vip", KindH5, Params{User: User{VIPLevel: "gold"}},
			[]string{"vip_level: takes effect only when is_vip is 1"}},
		{"vip_level with is_vip 0", KindWidget, Params{User: User{VIPLevel: "gold", VIP: Off}},
			[]string{"vip_level: takes effect only when is_vip is 1"}},
		{"status_custom with another status", KindH5, Params{Order: OrderCard{Status: OrderCompleted, CustomStatus: "x"}},
			[]string{"status_custom: takes effect only when order_status is 0"}},
		{"third-party URLs without their flags", KindH5, Params{Settings: Settings{ThirdPartyTransferURL: "https://a.example", ThirdPartyTransferNewWindow: On, ThirdPartyLeaveMessageURL: "https://b.example"}},
			[]string{"to_customsys_url: takes effect only when to_customsys_flag is 1", "to_customsys_open_style: takes effect only when to_customsys_flag is 1",
				"leave_customsys_url: takes effect only when leave_customsys_flag is 1"}},
		{"agent_mode_flag without an agent", KindPC, Params{Routing: Routing{WaitForAgent: On}},
			[]string{"agent_mode_flag: takes effect only with agentid"}},
		{"agent_mode_flag with an agent", KindPC, Params{Routing: Routing{WaitForAgent: On, AgentID: "a"}}, nil},
		{"container_style with a size", KindWidget, Params{WidgetSettings: WidgetSettings{ContainerStyle: "border:0;HEIGHT:600px"}},
			[]string{"container_style: sets height or width"}},
		{"container_style without a size", KindWidget, Params{WidgetSettings: WidgetSettings{ContainerStyle: "border:0"}}, nil},
		{"five transfer rules", KindH5, Params{Routing: Routing{Transfer: fiveRules}},
			[]string{"transfer_action: has 5 rules; Sobot's mobile SDK documents at most 4"}},
		{"four transfer rules", KindH5, Params{Routing: Routing{Transfer: fiveRules[1:]}}, nil},
		{"a product card on the PC page", KindPC, Params{Product: ProductCard{Title: "t", Note: "n"}},
			[]string{`card_title: the reference describes it under "商品卡片链接(仅H5支持)" (H5 only)`}},
		{"an order card on the PC page, named by its first field", KindPC, Params{Order: OrderCard{Code: "1"}},
			[]string{`order_status: the reference describes it under "订单卡片(用户发给客服,仅H5)" (H5 only)`}},
		{"a product card on the H5 page", KindH5, Params{Product: ProductCard{Title: "t"}}, nil},
		{"show_face on the PC page", KindPC, Params{Settings: Settings{ShowFaces: On}},
			[]string{`show_face: the reference describes it under "H5是否显示头像" (H5 only)`}},
		{"cut_flag on the H5 page", KindH5, Params{Settings: Settings{HideScreenshotTool: true}},
			[]string{"cut_flag: concerns the PC chat page (用于pc聊天页是否开启或隐藏截图工具); the H5 page ignores it"}},
		{"cut_flag on the PC page", KindPC, Params{Settings: Settings{HideScreenshotTool: true}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.p.Validate(tt.kind), "a notice is never a problem")
			var got []string
			for _, n := range tt.p.Notices(tt.kind) {
				got = append(got, n.String())
			}
			require.Len(t, got, len(tt.want), "%q", got)
			for i := range got {
				assert.True(t, strings.HasPrefix(got[i], tt.want[i]), "notice %d = %q, want prefix %q", i, got[i], tt.want[i])
			}
		})
	}
}

// TestNoticeValue: a notice shows the value it is about.
func TestNoticeValue(t *testing.T) {
	p := Params{User: User{VIPLevel: "gold"}}
	ns := p.Notices(KindH5)
	require.Len(t, ns, 1)
	assert.Equal(t, Notice{Param: "vip_level", Value: "gold", Reason: "takes effect only when is_vip is 1; Sobot ignores it here (若传入为普通客户字段则即使传入了VIP等级字段也无效)"}, ns[0])
	assert.Equal(t, `vip_level: takes effect only when is_vip is 1; Sobot ignores it here (若传入为普通客户字段则即使传入了VIP等级字段也无效) (got "gold")`, ns[0].String())
}

// TestClientCheck: Check validates as the builder of the kind does, the
// defaults merged in, and returns the notices of the result.
func TestClientCheck(t *testing.T) {
	c := newTestClient(t, Config{Key: NewKey(testWidgetSecret), Defaults: Params{Settings: Settings{TitleMode: TitleAgent}}})
	ns, err := c.Check(KindH5, &Params{User: User{PartnerID: "u"}})
	require.NoError(t, err)
	require.Len(t, ns, 1, "the default's notice")
	assert.Equal(t, "title_flag", ns[0].Param)

	_, err = c.Check(KindH5, &Params{})
	assert.Equal(t, []string{"partnerid: " + partnerIDRequired}, problemLines(t, err), "as H5URL")

	_, err = c.Check(KindLeaveMessage, &Params{Settings: Settings{Source: SourceApp}})
	assert.Equal(t, []string{"source: must be unset or 9: the leave-message page takes source 9 only (值固定为9)"}, problemLines(t, err), "as LeaveMessageURL")

	for _, k := range []Kind{0, KindTicket, kindCount} {
		_, err = c.Check(k, &Params{})
		assert.Len(t, validationProblems(t, err), 1, "kind %v", k)
	}
}

// TestRuleNotes: each rule's note reaches the Allowed text of the
// parameter it names first.
func TestRuleNotes(t *testing.T) {
	for name, want := range map[string]string{
		"status_custom":   "required when order_status is 0; takes effect only when order_status is 0",
		"card_title":      "required with any of card_url, card_desc, card_note, card_picture",
		"custom_title":    "1–30 characters when title_flag is 2",
		"locale":          "cn, en, tw; tw not on the PC chat link",
		"transfer_action": `JSON array of {"actionType","optionId","deciId","spillId"} rules; Sobot's mobile SDK documents at most 4 rules`,
		"time":            "10–2880 minutes",
		"msg_flag":        "0 (on), 1 (off)",
		"is_link":         "0 (off), any other whole number (on; sent as 1)",
		"partnerid":       "not blank; no control characters; at most 300 characters",
		"type":            "1–4",
		"source":          "0, 1, 2, 3, 4, 9, 10",
	} {
		info, ok := LookupParam(name)
		require.True(t, ok, name)
		assert.Equal(t, want, info.Allowed, name)
	}
}
