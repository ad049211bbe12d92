package sobot

import (
	"strconv"
	"strings"
)

// This file holds the rules that tie parameters together, each one named
// line over the merged fields of a build (site-wide defaults and the call's
// own parameters). A rule that fails is a Problem; a notice rule marks what
// Sobot accepts but ignores, reported as a Notice. Pages rendered leniently
// (Client.WidgetForPage) drop every parameter a failed rule involves.

var rules = []rule{
	// Problems: what the reference requires or forbids.
	requiredWhen("status_custom", "order_status", "0"),
	requiredWithAny("card_title", "card_url", "card_desc", "card_note", "card_picture"),
	lengthWhen("custom_title", 30, "title_flag", "2"),
	requiredWhen("to_customsys_url", "to_customsys_flag", "1"),
	requiredWhen("leave_customsys_url", "leave_customsys_flag", "1"),
	valueNotOn("locale", "tw", KindPC, "tw (traditional Chinese) is H5-only; the PC chat page supports cn and en"),

	// Notices: what Sobot ignores.
	ignoredUnless("title_flag", "top_bar_flag", "1", "top_bar_flag=1的时候才生效"),
	ignoredUnless("vip_level", "is_vip", "1", "若传入为普通客户字段则即使传入了VIP等级字段也无效"),
	ignoredUnless("status_custom", "order_status", "0", "当order_status=0的时候,取该字段作为订单卡片的状态"),
	ignoredUnless("to_customsys_url", "to_customsys_flag", "1", ""),
	ignoredUnless("to_customsys_open_style", "to_customsys_flag", "1", ""),
	ignoredUnless("leave_customsys_url", "leave_customsys_flag", "1", ""),
	ignoredWithout("agent_mode_flag", "agentid"),
	noSizeInStyle("container_style"),
	atMostRules("transfer_action", transferNoticeLimit),
	h5SectionOnPC("商品卡片链接(仅H5支持)", "card_title", "card_url", "card_desc", "card_note", "card_picture"),
	h5SectionOnPC("订单卡片(用户发给客服,仅H5)", "order_status", "status_custom", "create_time", "order_code", "order_url", "goods_count", "total_fee", "goods"),
	h5SectionOnPC("H5是否显示头像", "show_face"),
	pcPageOnly("cut_flag", "用于pc聊天页是否开启或隐藏截图工具"),
}

// rule is one rule between parameters.
type rule struct {
	names  []string // the parameters it involves; problems name the first
	notice bool     // Sobot ignores the combination rather than refusing it
	note   string   // added to the first parameter's ParamInfo.Allowed
	// test reports the failure of the rule on v, with the value and reason
	// of the problem or notice.
	test func(v ruleView) (value, reason string, failed bool)
	rows []*param // names, resolved by initRules
}

// maxRuleNames bounds the parameters one rule involves.
const maxRuleNames = 8

// ruleView is what a rule's test sees: the texts of the rule's own
// parameters and the kind built. It is a value holding no pointer into the
// build's fields, so that calling a rule's test, an unknown function to
// the compiler, does not move those fields to the heap.
type ruleView struct {
	kind Kind
	text [maxRuleNames]string
	set  [maxRuleNames]bool
}

// get returns the text of the rule's i-th parameter and whether it is set.
func (v ruleView) get(i int) (string, bool) { return v.text[i], v.set[i] }

// ruleNotes holds, by parameter, the notes of the rules naming it first.
var ruleNotes = map[string]string{}

// initRules resolves the rules' parameter names and collects their notes.
func initRules() {
	for i := range rules {
		r := &rules[i]
		if len(r.names) > maxRuleNames {
			panic("sobot: a rule involves more than maxRuleNames parameters")
		}
		for _, n := range r.names {
			row := rowByName[n]
			if row == nil {
				panic("sobot: a rule names an unknown parameter " + n)
			}
			r.rows = append(r.rows, row)
		}
		if r.note != "" {
			ruleNotes[r.names[0]] = joinNonEmpty("; ", ruleNotes[r.names[0]], r.note)
		}
	}
}

// checkRules reports to add the failed rules (notices with notice) of the
// final, sorted fields fs of a build of kind k. It indexes fs by row first,
// so that each rule finds its parameters without searching.
func checkRules(fs []field, k Kind, notice bool, add func(r *rule, value, reason string)) {
	var at [maxRows]uint16 // 1 + the index in fs of each row's field, by rank; 0 when absent
	for i := range fs {
		if r := fs[i].row; r != nil {
			at[r.rank] = uint16(i + 1)
		}
	}
	for i := range rules {
		r := &rules[i]
		if r.notice != notice {
			continue
		}
		v := ruleView{kind: k}
		for i, row := range r.rows {
			if j := at[row.rank]; j != 0 {
				v.text[i], v.set[i] = fs[j-1].text, true
			}
		}
		if value, reason, failed := r.test(v); failed {
			add(r, value, reason)
		}
	}
}

// Each constructor below computes its texts once: a rule's test runs on
// every build and must not allocate unless it fails.

// requiredWhen: target is required when cond is set to value.
func requiredWhen(target, cond, value string) rule {
	reason := "is required when " + cond + " is " + value
	return rule{names: []string{target, cond}, note: "required when " + cond + " is " + value,
		test: func(v ruleView) (string, string, bool) {
			c, _ := v.get(1)
			_, ok := v.get(0)
			if c == value && !ok {
				return "", reason, true
			}
			return "", "", false
		}}
}

// requiredWithAny: target is required once any of others is set (a product
// card needs its title).
func requiredWithAny(target string, others ...string) rule {
	return rule{names: append([]string{target}, others...), note: "required with any of " + strings.Join(others, ", "),
		test: func(v ruleView) (string, string, bool) {
			if _, ok := v.get(0); ok {
				return "", "", false
			}
			for i, name := range others {
				if _, set := v.get(i + 1); set {
					return "", "is required for a product card (" + name + " is set)", true
				}
			}
			return "", "", false
		}}
}

// lengthWhen: target must be 1 to max characters, not all spaces, when cond
// is value (custom_title with title_flag 2).
func lengthWhen(target string, max int, cond, value string) rule {
	limits := "1–" + strconv.Itoa(max) + " characters"
	reason := "must be " + limits + ", not all spaces, when " + cond + " is " + value
	return rule{names: []string{target, cond}, note: limits + " when " + cond + " is " + value,
		test: func(v ruleView) (string, string, bool) {
			c, _ := v.get(1)
			t, _ := v.get(0)
			if c == value && (textLen(t) > max || strings.TrimSpace(t) == "") {
				return t, reason, true
			}
			return "", "", false
		}}
}

// valueNotOn: name may not take value on kind k.
func valueNotOn(name, value string, k Kind, reason string) rule {
	return rule{names: []string{name}, note: value + " not on the " + k.noun(),
		test: func(v ruleView) (string, string, bool) {
			t, _ := v.get(0)
			if v.kind == k && t == value {
				return t, reason, true
			}
			return "", "", false
		}}
}

// ignoredUnless notices name set while cond is not value: Sobot ignores it
// then. quote is the reference's own words, if any.
func ignoredUnless(name, cond, value, quote string) rule {
	reason := "takes effect only when " + cond + " is " + value + "; Sobot ignores it here"
	if quote != "" {
		reason += " (" + quote + ")"
	}
	return rule{names: []string{name, cond}, notice: true, note: "takes effect only when " + cond + " is " + value,
		test: func(v ruleView) (string, string, bool) {
			t, ok := v.get(0)
			c, _ := v.get(1)
			return t, reason, ok && c != value
		}}
}

// ignoredWithout notices name set without cond: it qualifies cond.
func ignoredWithout(name, cond string) rule {
	reason := "takes effect only with " + cond + "; Sobot ignores it here"
	return rule{names: []string{name, cond}, notice: true, note: "takes effect only with " + cond,
		test: func(v ruleView) (string, string, bool) {
			t, ok := v.get(0)
			_, has := v.get(1)
			return t, reason, ok && !has
		}}
}

// noSizeInStyle notices a height or width inside name's CSS, which the
// reference says the style does not support (不支持设置height,width).
func noSizeInStyle(name string) rule {
	const reason = "sets height or width, which Sobot does not support in container_style (不支持设置height,width): use the height and width parameters"
	return rule{names: []string{name}, notice: true, note: "no height or width (use the height and width parameters)",
		test: func(v ruleView) (string, string, bool) {
			t, _ := v.get(0)
			l := strings.ToLower(t)
			return t, reason, strings.Contains(l, "height") || strings.Contains(l, "width")
		}}
}

// atMostRules notices more smart-routing rules than Sobot's mobile SDK
// documents; the web reference states no limit.
func atMostRules(name string, n int) rule {
	return rule{names: []string{name}, notice: true, note: "Sobot's mobile SDK documents at most " + strconv.Itoa(n) + " rules",
		test: func(v ruleView) (string, string, bool) {
			t, _ := v.get(0)
			count := strings.Count(t, `"actionType"`)
			if count <= n {
				return "", "", false
			}
			return "", "has " + strconv.Itoa(count) + " rules; Sobot's mobile SDK documents at most " + strconv.Itoa(n) +
				" (the web reference states no limit), so the later ones may be ignored", true
		}}
}

// h5SectionOnPC notices, on a PC link, parameters the reference describes
// under an H5-only heading although its table allows them on links.
func h5SectionOnPC(heading string, names ...string) rule {
	reason := "the reference describes it under \"" + heading + "\" (H5 only), though its table allows it on links: the PC chat page may ignore it"
	return rule{names: names, notice: true,
		test: func(v ruleView) (string, string, bool) {
			if v.kind != KindPC {
				return "", "", false
			}
			for i := range names {
				if t, ok := v.get(i); ok {
					return t, reason, true
				}
			}
			return "", "", false
		}}
}

// pcPageOnly notices, on an H5 link, a parameter of the PC chat page.
func pcPageOnly(name, quote string) rule {
	reason := "concerns the PC chat page (" + quote + "); the H5 page ignores it"
	return rule{names: []string{name}, notice: true,
		test: func(v ruleView) (string, string, bool) {
			t, ok := v.get(0)
			return t, reason, ok && v.kind == KindH5
		}}
}

// maxRows bounds the number of rows checkRules can index.
const maxRows = 128
