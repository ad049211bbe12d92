package sobot

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// widgetUpdate reports whether -update was given: rewrite the golden files
// instead of comparing with them. The flag is shared with any other golden
// test of the package; whichever file registers it first defines it.
var widgetUpdate = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	update := flag.Bool("update", false, "rewrite the golden files under testdata")
	return func() bool { return *update }
}()

// TestWidgetGolden compares the HTML of representative widgets with
// testdata/widget/*.golden. After an intended change of the output, run
//
//	go test -run TestWidgetGolden -update .
//
// and review the diff of the golden files.
func TestWidgetGolden(t *testing.T) {
	siteDefaults := Params{
		Settings:       Settings{Color: "04babc", Locale: LocaleChinese, HistoryMinutes: Ptr(120), LeaveMessageButton: On, FeedbackButton: On},
		Routing:        Routing{Mode: ModeRobotFirst, RobotID: Ptr(2)},
		WidgetSettings: WidgetSettings{Location: BottomRight},
	}
	cases := []struct {
		name string
		cfg  Config
		w    Widget
	}{
		{"minimal", Config{}, Widget{}},
		{"signed_identity_card", Config{Key: NewKey(testWidgetSecret), Defaults: siteDefaults}, Widget{
			Nonce: "rAnd0mN0nce+/A==",
			Params: &Params{
				User:    User{PartnerID: "user-42", Name: "小丁哥", Email: "dingmao@163.com", Params: Fields{"等级": "Boss"}},
				Product: ProductCard{Title: "云客服_智齿客服", URL: "http://www.sobot.com", Note: "1500,2000", Picture: "https://img.sobot.com/console/common/face/admin.png"},
			},
		}},
		{"custom_buttons_v6_channel", Config{Version: V6, BaseURL: "https://acme.sobot.com", Defaults: Params{Settings: Settings{ChannelID: Ptr(2)}}}, Widget{
			Nonce:        "bm9uY2U",
			Params:       &Params{WidgetSettings: WidgetSettings{CustomButton: true, OpenInNewWindow: Off}},
			WatchButtons: true,
			StatusToggle: Click{On: ByClass("chat-toggle"), Then: "app.chat.onStatus"},
		}},
		{"manual_init_callbacks", Config{Key: NewKey(testWidgetSecret)}, Widget{
			Params:            &Params{User: User{PartnerID: "user-42"}},
			ManualInit:        Click{On: ByID("customBtn"), Then: "app.chat.onInit"},
			OnReady:           "app.chat.onReady",
			OnMessage:         "app.chat.onMessage",
			OnOfflineMessages: "app.chat.onOfflineCount",
			OnCollapse:        "app.chat.onCollapse",
		}},
		{"order_visit_traces", Config{}, Widget{
			Params: &Params{
				Order: OrderCard{Status: OrderPendingPayment, Created: time.UnixMilli(1586414406391), Code: "11111", URL: "http://www.sobot.com",
					GoodsCount: Ptr(2), TotalFee: Ptr[int64](1000), Goods: []Goods{{Name: "saaadad", PictureURL: "https://img.sobot.com/console/common/face/admin.png"}}},
				WidgetSettings: WidgetSettings{CollectTrace: On},
				Visit: VisitTrace{
					Previous: PreviousPage{URL: "https://shop.example/list", Title: "List"},
					Current:  CurrentPage{URL: "https://shop.example/item/1", Title: "Item 1", Tags: "shoes"},
				},
			},
			Traces: []Trace{{On: ByClass("sku"), Visit: VisitTrace{Current: CurrentPage{Abstract: "scrolled to the reviews"}}}},
		}},
		{"hostile_text", Config{}, Widget{Params: &Params{User: User{
			Name:   "</script><script>alert(1)</script>",
			Remark: "<!-- \"quotes\" 'single' \\back\\ \u2028\u2029 \U0001F600 &amp;",
		}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := renderWidget(t, newTestClient(t, tc.cfg), &tc.w)
			path := filepath.Join("testdata", "widget", tc.name+".golden")
			if widgetUpdate() {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -run TestWidgetGolden -update . to create it")
			assert.Equal(t, string(want), got, "%s differs", path)
		})
	}
}
