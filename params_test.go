package sobot

import (
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
