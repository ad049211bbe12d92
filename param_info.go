package sobot

// WireType is the reference's type column: String, Number, Boolean, or JSON
// for the parameters whose String value holds JSON.
type WireType string

// Wire types.
const (
	TypeString  WireType = "String"
	TypeNumber  WireType = "Number"
	TypeBoolean WireType = "Boolean"
	TypeJSON    WireType = "JSON"
)

// JSType is how the widget writes a parameter in zc("config", {...}): the
// type the reference's examples use, or its table type where no example
// shows the parameter.
type JSType string

// JS types.
const (
	JSString JSType = "string"  // a JS string
	JSNumber JSType = "number"  // a JS number
	JSBool   JSType = "boolean" // true or false
	// JSURIString is a string passed through encodeURIComponent first, as
	// the reference's examples do for card_url, card_picture and order_url.
	JSURIString JSType = "uri-encoded string"
	// JSJSONString is JSON text in a JS string, as JSON.stringify gives.
	JSJSONString JSType = "JSON string"
	// JSObjectMember is a member of the object named by ParamInfo.Parent:
	// pre_visit_args or cur_visit_args, or each item of goods.
	JSObjectMember JSType = "object member"
)

// ParamInfo describes one parameter of Sobot's web integration reference.
// ParamTable lists them all; the library's encoding, parsing, validation,
// the CLI and the docs are driven by the same rows.
type ParamInfo struct {
	// Name is the wire name, exactly as in the reference.
	Name string
	// Field is the Go field in Params, e.g. "User.PartnerID"; "" for
	// sysnum (Config.SysNum), sign (computed) and goods' members.
	Field string
	// Type is the reference's type; JS is how the widget writes it.
	Type WireType
	JS   JSType
	// Kinds lists where the parameter may be used.
	Kinds []Kind
	// Parent is, for JSObjectMember, the enclosing object
	// (pre_visit_args, cur_visit_args, goods).
	Parent string
	// SobotDefault is what Sobot does when the parameter is unset, where
	// the reference says.
	SobotDefault string
	// Allowed says what values are accepted, in words: the syntax the
	// parameter's type takes, the checks validation applies to it, and the
	// rules that tie it to other parameters.
	Allowed string
	// Values are the wire texts a flag or enum takes, with their Go
	// values; nil for free text and numbers.
	Values []AllowedValue
	// Chinese is the reference's description; English the same in English.
	Chinese string
	English string
	// Source says where the row comes from when not the reference's
	// tables.
	Source string
}

// AllowedValue is one wire text of a flag or enum parameter and the Go
// value that sends it.
type AllowedValue struct {
	// Wire is the text on the wire, e.g. "1", "en".
	Wire string
	// Go is the Go expression that sends it, e.g. "sobot.On",
	// "sobot.LocaleEnglish", "true".
	Go string
}

// Allows reports whether the parameter may be used with kind k.
func (i ParamInfo) Allows(k Kind) bool {
	for _, a := range i.Kinds {
		if a == k {
			return true
		}
	}
	return false
}

// ParamTable returns a copy of the parameter table, in the reference's order:
// identity, system, message, platform fields, then those found only in its
// examples or elsewhere.
func ParamTable() []ParamInfo {
	out := make([]ParamInfo, len(table))
	for i := range table {
		out[i] = table[i].info()
	}
	return out
}

// LookupParam returns the row for a wire name.
func LookupParam(name string) (ParamInfo, bool) {
	if r := rowByName[name]; r != nil {
		return r.info(), true
	}
	return ParamInfo{}, false
}

// info returns a copy of r's description that shares nothing with the
// table.
func (r *param) info() ParamInfo {
	i := r.ParamInfo
	i.Kinds = append([]Kind(nil), i.Kinds...)
	i.Values = append([]AllowedValue(nil), i.Values...)
	return i
}
