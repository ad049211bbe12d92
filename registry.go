package sobot

import (
	"maps"
	"reflect"
	"slices"
	"strings"
)

// param is one row of the table: the whole definition of a parameter.
type param struct {
	ParamInfo
	accessor
	kinds kindSet                  // where it may be used
	check check                    // semantic check of the wire text
	typed func(*Params, *problems) // check of the typed value (JSON rows); nil if none

	// Derived by the registry.
	group int // index in groups of the Params field holding it; -1 if none
	rank  int // position in name order: comparing ranks compares names
}

// paramGroup is a field of Params that holds rows.
type paramGroup struct {
	name  string
	empty func(*Params) bool // nil when the group is never skipped
}

// groups are the Params fields that hold rows, with a cheap test for "no
// parameter set" where the type allows one. collect skips the rows of empty
// groups, which keeps a typical per-user link from visiting the ~60 rows of
// settings, cards and widget options it leaves unset.
var groups = []paramGroup{
	{"User", nil}, // a per-user link always sets it
	{"Settings", func(p *Params) bool { return p.Settings.IsZero() }},
	{"Routing", func(p *Params) bool { return p.Routing.IsZero() }},
	{"Product", func(p *Params) bool { return p.Product.IsZero() }},
	{"Order", func(p *Params) bool { return p.Order.IsZero() }},
	{"Greeting", func(p *Params) bool { return p.Greeting.IsZero() }},
	{"Platform", func(p *Params) bool { return p.Platform.IsZero() }},
	{"WidgetSettings", func(p *Params) bool { return p.WidgetSettings.IsZero() }},
	{"Visit", func(p *Params) bool { return p.Visit.IsZero() }},
	{"LeaveMessage", func(p *Params) bool { return p.LeaveMessage.IsZero() }},
}

var (
	// rowByName indexes table by wire name.
	rowByName = map[string]*param{}
	// sortedRows holds the rows with an accessor in wire-name byte order,
	// the order links carry them in.
	sortedRows []*param
	// rowSign is the row of the sign the client writes.
	rowSign *param
	// groupRows holds the rows of each group, index as groups, in
	// wire-name order.
	groupRows = make([][]*param, len(groups))
)

// init indexes the table by name, wire order and Params group, and derives
// each row's public description: its Go field, kinds, allowed values.
func init() {
	for i := range table {
		r := &table[i]
		r.ParamInfo.Kinds = r.kinds.list()
		r.ParamInfo.Values = r.values
		if r.field != nil {
			r.ParamInfo.Field = fieldPath(r.field)
		}
		if r.Parent == "goods" {
			continue // members of a goods item, not parameters
		}
		rowByName[r.Name] = r
		r.group = slices.IndexFunc(groups, func(g paramGroup) bool { return strings.HasPrefix(r.Field, g.name+".") })
		if r.get != nil {
			if r.group < 0 {
				panic("sobot: row " + r.Name + " is in no Params group")
			}
			sortedRows = append(sortedRows, r)
		}
	}
	slices.SortFunc(sortedRows, func(a, b *param) int { return strings.Compare(a.Name, b.Name) })
	for _, r := range sortedRows {
		groupRows[r.group] = append(groupRows[r.group], r)
	}
	// Rank every parameter, sysnum and sign included, in name order.
	for i, n := range slices.Sorted(maps.Keys(rowByName)) {
		rowByName[n].rank = i
	}
	if len(rowByName) > maxRows {
		panic("sobot: more rows than checkRules can index")
	}
	for name, r := range rowByName {
		foldedNames[strings.ToLower(name)] = r
	}
	rowSign = rowByName["sign"]
	initRules()
	for i := range table {
		r := &table[i]
		syntax := r.says // a flag's texts, a JSON shape
		if syntax == "" {
			syntax = r.valid.says // an enum's values
		}
		r.ParamInfo.Allowed = joinNonEmpty("; ", syntax, r.check.says, ruleNotes[r.Name])
	}
}

// groupIndex returns the index in groups of the group called name.
func groupIndex(name string) int {
	return slices.IndexFunc(groups, func(g paramGroup) bool { return g.name == name })
}

// fieldPath returns the dotted path, within Params, of the field whose
// address field returns: the table states each accessor once, and its Go
// name is read off the struct rather than written beside it.
func fieldPath(field func(*Params) any) string {
	var p Params
	want := reflect.ValueOf(field(&p))
	path, ok := findField(reflect.ValueOf(&p).Elem(), want.Pointer(), want.Type().Elem())
	if !ok {
		panic("sobot: an accessor's field is not a field of Params")
	}
	return path
}

// findField searches the exported fields of the struct v, depth first, for
// the field at address addr of type t.
func findField(v reflect.Value, addr uintptr, t reflect.Type) (string, bool) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		if f.Addr().Pointer() == addr && f.Type() == t {
			return sf.Name, true
		}
		if f.Kind() == reflect.Struct && f.Type().PkgPath() == v.Type().PkgPath() {
			if sub, ok := findField(f, addr, t); ok {
				return sf.Name + "." + sub, true
			}
		}
	}
	return "", false
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}
