package convert

import (
	"encoding/json"
	"strings"

	"github.com/sobotgo/sobot"
)

// setValue sets the parameter name of p from v, a value as a JavaScript
// config object holds it (string, bool, json.Number, map[string]any or
// []any). It is the one place a JavaScript value becomes a parameter, and
// the library does the work: Params.SetValue turns a boolean into its
// flag's wire text (the wire's own boolean: msg_flag: false is msg_flag=0,
// the entry shown), a whole number into an integer, an object or array
// into JSON text.
func setValue(p *sobot.Params, name string, v any) error {
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
