package sobot

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// leafFields lists every parameter-carrying field of Params by its dotted
// path ("User.PartnerID", "Visit.Current.URL") with its address in p. The
// Extra escape hatch is skipped; time.Time and the other non-struct types
// of this package's fields are leaves.
func leafFields(p *Params) map[string]uintptr {
	out := map[string]uintptr{}
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			path := prefix + sf.Name
			if path == "Extra" {
				continue
			}
			fv := v.Field(i)
			if sf.Type.Kind() == reflect.Struct && sf.Type.PkgPath() == t.PkgPath() {
				walk(fv, path+".")
				continue
			}
			out[path] = fv.Addr().Pointer()
		}
	}
	walk(reflect.ValueOf(p).Elem(), "")
	return out
}

// TestTableMatchesFields proves the table and the typed model cannot drift:
// every row with a Go field points at exactly that field (by address),
// every field has exactly one row, and the field's name the registry
// derived is the field's path.
func TestTableMatchesFields(t *testing.T) {
	var p Params
	fields := leafFields(&p)
	seen := map[string]string{}
	for _, r := range table {
		if r.Field == "" {
			assert.True(t, r.get == nil && (r.Name == "sysnum" || r.Name == "sign" || r.Parent == "goods"),
				"row %s: only sysnum, sign and the goods members may lack a Go field", r.Name)
			continue
		}
		addr, ok := fields[r.Field]
		if !assert.True(t, ok, "row %s: field %s does not exist", r.Name, r.Field) {
			continue
		}
		assert.NotContains(t, seen, r.Field, "field %s has two rows", r.Field)
		seen[r.Field] = r.Name
		assert.Equal(t, addr, reflect.ValueOf(r.field(&p)).Pointer(), "row %s: accessor reaches another field than %s", r.Name, r.Field)
	}
	for path := range fields {
		assert.Contains(t, seen, path, "field %s has no table row", path)
	}
}

// TestTableRows checks each row is complete and names are unique.
func TestTableRows(t *testing.T) {
	names := map[string]bool{}
	for _, r := range table {
		assert.False(t, names[r.Name], "duplicate row %s", r.Name)
		names[r.Name] = true
		assert.True(t, r.Type != "" && r.JS != "" && r.kinds != 0 && r.Chinese != "" && r.English != "", "row %s is incomplete: %+v", r.Name, r.ParamInfo)
		assert.Equal(t, r.JS == JSObjectMember, r.Parent != "", "row %s: Parent goes with JSObjectMember", r.Name)
	}
	// Every parameter of the reference's tables and examples is present,
	// including the two table rows whose names were lost (email, qq).
	for _, n := range strings.Fields(`partnerid uname realname email tel face qq remark params customer_fields
		is_vip vip_level user_label satDegree_A color locale show_manual type agentid groupid robotid msg_flag
		leave_msg_flag feedback_flag photo_flag show_evaluate to_customsys_flag to_customsys_url
		to_customsys_open_style leave_customsys_flag leave_customsys_url agent_mode_flag top_bar_flag title_flag
		custom_title guide_flag cut_flag time queueFirst transfer_action summaryparams reload emoji_state source
		is_link show_face anchor async invite tip_title submit_title first_timeout over_timeout invite_count
		invite_imgsrc container_style height width platformUnionCode refresh faqid expand_size gif auto_expand
		card_title card_url card_note card_desc card_picture order_status status_custom create_time order_code
		order_url goods_count total_fee goods robot_hello_word agent_hello_word agent_offline_title pre_abstract
		pre_visit_url pre_visit_title pre_thumbnail pre_tags cur_abstract cur_visit_url cur_visit_title
		cur_thumbnail cur_tags flowType flowCompanyId flowGroupId manual custom location invite_flag man_trace
		uid templateid t sysnum sign channelid name pictureUrl`) {
		assert.True(t, names[n], "reference parameter %s has no row", n)
		delete(names, n)
	}
	assert.Empty(t, names, "rows that are not in the reference list of this test")
	_, ok := LookupParam("name")
	assert.False(t, ok, "goods members are listed in the table but are not parameters of their own")
	_, ok = LookupParam("pcur_thumbnail")
	assert.False(t, ok, "pcur_thumbnail is the example's typo; the table's cur_thumbnail is the parameter")
}

// TestSetGetRoundTrip sets every row from a valid wire text and reads the
// same text back.
func TestSetGetRoundTrip(t *testing.T) {
	for _, r := range table {
		if r.set == nil {
			continue
		}
		text := sampleText(r)
		var p Params
		if !assert.NoError(t, p.Set(r.Name, text), "Set(%s, %q)", r.Name, text) {
			continue
		}
		got, ok := p.Get(r.Name)
		assert.True(t, ok, "Get(%s)", r.Name)
		assert.Equal(t, text, got, "Get(%s)", r.Name)
		// collect skips groups that look empty: each row must be found.
		fs := collect(&p, nil)
		if !assert.Len(t, fs, 1, "collect after Set(%s)", r.Name) {
			continue
		}
		assert.Equal(t, r.Name, fs[0].name, "collect after Set(%s)", r.Name)
		assert.Equal(t, text, fs[0].text, "collect after Set(%s)", r.Name)
		var ps problems
		checkField(fs[0], r.Kinds[0], &ps)
		assert.NoError(t, ps.err(), "sample of %s does not validate", r.Name)
	}
}

// sampleText returns a valid wire text for a row.
func sampleText(r param) string {
	switch r.Name {
	case "params", "customer_fields":
		return `{"a":"b","等级":"Boss"}`
	case "goods":
		return `[{"name":"saaadad","pictureUrl":"https://img.sobot.com/console/common/face/admin.png"}]`
	case "transfer_action":
		return `[{"actionType":"to_group","optionId":"3","deciId":"g1","spillId":"4"},{"actionType":"to_service","optionId":"2","deciId":"a1"}]`
	case "create_time":
		return "1586414406391"
	case "color":
		return "04babc"
	case "locale":
		return "en"
	case "time":
		return "120"
	case "expand_size":
		return "half"
	case "cut_flag", "emoji_state":
		return "hide"
	case "manual", "custom":
		return "true"
	case "source":
		return "10"
	}
	if len(r.values) > 0 {
		return r.values[0].Wire
	}
	if r.check.why != nil && r.check.apply("https://example.com/x") == "" {
		return "https://example.com/x"
	}
	if r.check.why != nil {
		for _, s := range []string{"1", "2", "0", "text"} {
			if r.check.apply(s) == "" {
				return s
			}
		}
	}
	return "text with spaces & 中文"
}
