package sobot

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUserIsZero: a User is zero until any one of its fields is set.
func TestUserIsZero(t *testing.T) {
	assert.True(t, User{}.IsZero())
	assert.True(t, User{Params: Fields{}, CustomerFields: Fields{}}.IsZero(), "empty maps set nothing")
	for name, u := range map[string]User{
		"PartnerID":      {PartnerID: "u"},
		"Name":           {Name: "n"},
		"RealName":       {RealName: "r"},
		"Email":          {Email: "a@b.c"},
		"Tel":            {Tel: "1"},
		"Face":           {Face: "https://img.example/f.png"},
		"QQ":             {QQ: "1"},
		"Remark":         {Remark: "r"},
		"Params":         {Params: Fields{"k": "v"}},
		"CustomerFields": {CustomerFields: Fields{"customField1": "v"}},
		"VIP":            {VIP: Off},
		"VIPLevel":       {VIPLevel: "1"},
		"Label":          {Label: "l"},
		"SelfEvaluation": {SelfEvaluation: On},
	} {
		assert.False(t, u.IsZero(), name)
	}
}
