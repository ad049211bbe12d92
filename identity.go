package sobot

// User is the visitor's identity and CRM data (用户身份和资料字段, CRM对接):
// what the agent sees about the visitor in the Sobot workbench.
//
// Empty strings and nil maps are not sent.
type User struct {
	// PartnerID is the visitor's stable id in your system (partnerid), at most
	// 300 characters. Sobot keys chat history on it, and with the security
	// key on it is what sign binds; never truncate it: a longer id is
	// rejected by validation.
	PartnerID string
	// Name is the nickname shown to agents (uname).
	Name string
	// RealName is the visitor's real name (realname).
	RealName string
	// Email is the visitor's e-mail address (email). The reference table lost
	// this row's name; the CRM example names it email.
	Email string
	// Tel is a phone number (tel).
	Tel string
	// Face is the URL of the visitor's avatar (face), http or https.
	Face string
	// QQ is the visitor's QQ number (qq). The reference table lost this row's
	// name; the CRM example names it qq.
	QQ string
	// Remark is a note about the visitor for agents (remark).
	Remark string
	// Params are free-form attributes shown in the workbench's custom-field
	// area and searchable in session statistics (params): strings, numbers
	// or booleans (see Fields). Sent as a JSON object with keys sorted.
	Params Fields
	// CustomerFields are values for customer fields configured in the
	// console (customer_fields), keyed by the field id the console shows
	// (for example customField4 or a 32-hex id): strings, numbers or
	// booleans (see Fields). Sent as a JSON object with keys sorted.
	CustomerFields Fields
	// VIP marks the visitor as a VIP customer (is_vip: On sends 1, Off 0).
	// Smart routing can use it together with VIPLevel.
	VIP Toggle
	// VIPLevel is the id or parameter name of the VIP level configured under
	// 设置 → 自定义字段 → 客户字段 (vip_level). Ignored by Sobot unless VIP is On.
	VIPLevel string
	// Label is the id or parameter name of a customer label (user_label).
	Label string
	// SelfEvaluation lets the visitor rate the service after the agent ends
	// the session (satDegree_A).
	SelfEvaluation Toggle
}

// IsZero reports whether no field of u is set.
func (u User) IsZero() bool {
	return u.PartnerID == "" && u.Name == "" && u.RealName == "" && u.Email == "" && u.Tel == "" &&
		u.Face == "" && u.QQ == "" && u.Remark == "" && len(u.Params) == 0 && len(u.CustomerFields) == 0 &&
		u.VIP == Unset && u.VIPLevel == "" && u.Label == "" && u.SelfEvaluation == Unset
}
