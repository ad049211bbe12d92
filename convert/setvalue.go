package convert

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sobotgo/sobot"
)

// setValue sets the parameter name of p from v, a value as a JavaScript
// config object holds it (string, bool, json.Number, map[string]any or
// []any). It is the one place a JavaScript value becomes a parameter, and
// the library does the work (Params.SetValue: a whole number becomes an
// integer, an object or array JSON text), except for booleans.
//
// A JavaScript boolean is the wire's boolean: msg_flag: false is
// msg_flag=0 (the entry shown, 0开启), invite_flag: true is invite_flag=true
// (invitations off, true关闭). Params.SetValue maps true to the text of
// sobot.On instead, which inverts the two inverted flags; so a boolean is
// turned into the flag's wire text here: the text of the pair "1"/"0" or
// "true"/"false" that the row accepts, found by trying them with Set; false
// leaves a parameter that takes only one word (manual: true) unset.
func setValue(p *sobot.Params, name string, v any) error {
	b, ok := v.(bool)
	if !ok {
		return p.SetValue(name, v)
	}
	var takes []string
	for _, t := range []string{"1", "0", "true", "false"} {
		var probe sobot.Params
		if probe.Set(name, t) == nil {
			takes = append(takes, t)
		}
	}
	switch strings.Join(takes, ",") {
	case "1,0":
		return p.Set(name, map[bool]string{true: "1", false: "0"}[b])
	case "true,false":
		return p.Set(name, strconv.FormatBool(b))
	case "true", "1":
		if b {
			return p.Set(name, takes[0])
		}
		return nil
	}
	return p.SetValue(name, v)
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
