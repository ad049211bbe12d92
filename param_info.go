package sobot

import (
	"maps"
	"slices"
	"sort"
	"strings"
)

// Scope says where a parameter may be used. Scopes combine as bits.
type Scope uint8

const (
	// ScopeLink: chat links (链接), H5 and PC.
	ScopeLink Scope = 1 << iota
	// ScopeWidget: the JS-SDK widget's zc("config", ...) (组件).
	ScopeWidget
	// ScopeLeaveMessage: the stand-alone leave-message page (独立接入留言页).
	ScopeLeaveMessage
)

// String lists the scopes, e.g. "link,widget".
func (s Scope) String() string {
	var parts []string
	for _, n := range [...]struct {
		bit  Scope
		name string
	}{{ScopeLink, "link"}, {ScopeWidget, "widget"}, {ScopeLeaveMessage, "leave-message"}} {
		if s&n.bit != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, ",")
}

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
// ParamTable lists them all; the library's encoding, parsing, validation, the
// CLI and the docs are driven by the same rows.
type ParamInfo struct {
	Name         string   // wire name, exactly as in the reference
	Field        string   // Go field in Params, e.g. "User.PartnerID"; "" for sysnum (Config), sign (computed) and goods members
	Type         WireType // the reference's type
	JS           JSType   // how the widget writes it
	Scope        Scope    // where it may be used
	H5Only       bool     // the reference restricts it to H5 pages
	Parent       string   // for JSObjectMember: the enclosing object (pre_visit_args, cur_visit_args, goods)
	SobotDefault string   // Sobot's default where the reference gives one
	Allowed      string   // allowed values or range, human-readable
	Chinese      string   // the reference's description
	English      string   // the same in English
	Source       string   // where the row comes from when not the reference's tables
}

// param is one table row: its description and its accessor.
type param struct {
	ParamInfo
	accessor
	check checker                  // semantic check of the wire text; nil if none
	typed func(*Params, *problems) // check of the typed value (JSON rows); nil if none
	group int                      // index in groups of the Params field holding it; -1 if none
	rank  int                      // position in name order: comparing ranks compares names
	slot  slot                     // where checkCombined reads it; 0 if it does not
}

// groups are the Params fields that hold rows, with a cheap test for "no
// parameter set" where the type allows one. collect skips the rows of empty
// groups, which keeps a typical per-user link from visiting the ~60 rows of
// settings, cards and widget options it leaves unset.
var groups = []struct {
	name  string
	empty func(*Params) bool
}{
	{"User", nil}, // a per-user link always sets it
	{"Settings", func(p *Params) bool { return p.Settings == Settings{} }},
	{"Routing", func(p *Params) bool { return p.Routing.IsZero() }},
	{"Product", func(p *Params) bool { return p.Product.IsZero() }},
	{"Order", func(p *Params) bool { return p.Order.IsZero() }},
	{"Greeting", func(p *Params) bool { return p.Greeting == Greeting{} }},
	{"Platform", func(p *Params) bool { return p.Platform == Platform{} }},
	{"WidgetSettings", func(p *Params) bool { return p.WidgetSettings == WidgetSettings{} }},
	{"Visit", func(p *Params) bool { return p.Visit.IsZero() }},
	{"LeaveMessage", func(p *Params) bool { return p.LeaveMessage == LeaveMessageFields{} }},
}

const (
	both   = ScopeLink | ScopeWidget
	bothLM = ScopeLink | ScopeWidget | ScopeLeaveMessage
	fromEx = "the reference's examples (not in its tables)"
	public = "public use (not in the reference)"
)

// ParamTable returns a copy of the parameter table, in the reference's order:
// identity, system, message, platform fields, then those found only in its
// examples or elsewhere.
func ParamTable() []ParamInfo {
	out := make([]ParamInfo, len(table))
	for i := range table {
		out[i] = table[i].ParamInfo
	}
	return out
}

// LookupParam returns the row for a wire name.
func LookupParam(name string) (ParamInfo, bool) {
	if r := rowByName[name]; r != nil {
		return r.ParamInfo, true
	}
	return ParamInfo{}, false
}

var (
	// rowByName indexes table by wire name.
	rowByName = map[string]*param{}
	// sortedRows holds the rows with an accessor in wire-name byte order,
	// the order links carry them in.
	sortedRows []*param
	// groupRows holds the rows of each group, index as groups, in
	// wire-name order.
	groupRows = make([][]*param, len(groups))
)

// init indexes the table (params_table.go) by name, wire order, Params
// group and combined-check slot.
func init() {
	for i := range table {
		r := &table[i]
		if r.Parent == "goods" {
			continue // members of a goods item, not parameters
		}
		rowByName[r.Name] = r
		r.group = -1
		for g := range groups {
			if strings.HasPrefix(r.Field, groups[g].name+".") {
				r.group = g
			}
		}
		if r.get != nil {
			sortedRows = append(sortedRows, r)
		}
	}
	for name, c := range typedChecks {
		rowByName[name].typed = c
	}
	for s, name := range slotNames {
		if s != 0 {
			rowByName[name].slot = slot(s)
		}
	}
	sort.Slice(sortedRows, func(i, j int) bool { return sortedRows[i].Name < sortedRows[j].Name })
	for _, r := range sortedRows {
		if r.group < 0 {
			panic("sobot: row " + r.Name + " is in no Params group")
		}
		groupRows[r.group] = append(groupRows[r.group], r)
	}
	// Rank every parameter, sysnum and sign included, in name order.
	names := slices.Sorted(maps.Keys(rowByName))
	for i, n := range names {
		rowByName[n].rank = i
	}
}
