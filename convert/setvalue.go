package convert

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/sobotgo/sobot"
)

// setValue sets the parameter name of p from v, a value as a JavaScript
// config object holds it: string, bool, json.Number, map[string]any or
// []any (for the JSON-valued parameters). It is the one place that turns
// a JavaScript value into the parameter's wire text; it stands in for
// (*sobot.Params).SetValue until the library has it.
//
// A boolean becomes its flag's wire text: true is "1" where the flag takes
// 1 and 0 and "true" where it takes true and false, false is "0" or
// "false" (so msg_flag: false, the entry shown, is msg_flag=0); false
// leaves a parameter that takes only one word (manual: true, cut_flag:
// "hide") unset. A whole number is written as an integer (120.0 is "120"),
// any other number as JavaScript writes it, for validation to judge; an
// object or array as JSON text.
func setValue(p *sobot.Params, name string, v any) error {
	var text string
	switch v := v.(type) {
	case string:
		text = v
	case bool:
		t, set := flagText(name, v)
		if !set {
			return nil
		}
		text = t
	case json.Number:
		text = numberText(string(v))
	case float64:
		text = numberText(strconv.FormatFloat(v, 'g', -1, 64))
	case map[string]any, []any:
		b, err := marshalJSON(v)
		if err != nil {
			return err
		}
		text = string(b)
	case nil:
		return nil
	default:
		return fmt.Errorf("%s: cannot take a %T", name, v)
	}
	return p.Set(name, text)
}

// flagText returns the wire text of a boolean for the parameter name, and
// whether the parameter is set at all. The row's texts are found by trying
// them with Params.Set, which accepts exactly a flag's wire texts.
func flagText(name string, b bool) (string, bool) {
	literal := strconv.FormatBool(b)
	var takes []string
	for _, t := range []string{"1", "0", "true", "false", "2"} {
		var p sobot.Params
		if p.Set(name, t) == nil {
			takes = append(takes, t)
		}
	}
	switch strings.Join(takes, ",") {
	case "1,0":
		if b {
			return "1", true
		}
		return "0", true
	case "true", "1": // one word only: false leaves it unset
		return takes[0], b
	}
	return literal, true
}

// numberText writes a JSON number as an integer when it is whole (120.0,
// 1.2e2), else as written.
func numberText(num string) string {
	f, err := strconv.ParseFloat(num, 64)
	if err == nil && f == float64(int64(f)) && f > -1<<53 && f < 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return num
}

// marshalJSON encodes v without HTML escaping, keys sorted.
func marshalJSON(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
