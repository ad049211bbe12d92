package sobot

import (
	"encoding/json"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fields is a JSON object of scalar values: the visitor's custom fields
// (params, customer_fields) and a ticket plugin's fields (TicketURL). The
// reference only says such a parameter "接收的值是一个json格式的字符串" (takes
// JSON text); its examples hold strings. A value may be
//
//   - a string,
//   - a number: any Go integer type, float32 or float64 (finite), or a
//     json.Number, which is sent exactly as written ("5.0" stays 5.0),
//   - a bool.
//
// Objects, arrays and null are refused: Sobot shows, searches and exports
// each custom field as one value, and what it would do with a nested one is
// not documented, so the library reports it instead of sending something
// that may be lost. Keys may not be empty. The object is sent with its keys
// in byte order, so the same Fields always gives the same link.
type Fields map[string]any

// fieldKind is what a Fields value is on the wire.
type fieldKind uint8

const (
	fieldBad fieldKind = iota
	fieldString
	fieldNumber
	fieldBool
)

// fieldKindOf returns what v is as a Fields value; fieldBad for a value of
// a type Fields does not take, or a number JSON cannot write.
func fieldKindOf(v any) fieldKind {
	switch v := v.(type) {
	case string:
		return fieldString
	case bool:
		return fieldBool
	case json.Number:
		if isJSONNumber(string(v)) && finiteNumber(string(v)) {
			return fieldNumber
		}
		return fieldBad
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fieldBad
		}
		return fieldNumber
	case float32:
		if f := float64(v); math.IsInf(f, 0) || math.IsNaN(f) {
			return fieldBad
		}
		return fieldNumber
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fieldNumber
	}
	return fieldBad
}

// appendFieldValue appends v as a JSON scalar; a value fieldKindOf refuses
// is written as null (validation reports it, so it is never sent).
func appendFieldValue(b []byte, v any) []byte {
	if fieldKindOf(v) == fieldBad {
		return append(b, "null"...)
	}
	switch v := v.(type) {
	case string:
		return appendJSONText(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case json.Number:
		return append(b, v...)
	case float64:
		return appendFloat(b, v, 64)
	case float32:
		return appendFloat(b, float64(v), 32)
	}
	rv := reflect.ValueOf(v)
	if rv.CanInt() {
		return strconv.AppendInt(b, rv.Int(), 10)
	}
	return strconv.AppendUint(b, rv.Uint(), 10)
}

// appendFloat appends f as encoding/json writes a float of that many bits.
func appendFloat(b []byte, f float64, bits int) []byte {
	var v any = f
	if bits == 32 {
		v = float32(f)
	}
	out, _ := json.Marshal(v)
	return append(b, out...)
}

// isJSONNumber reports whether s is a number in JSON's syntax.
func isJSONNumber(s string) bool {
	var n json.Number
	return s != "" && json.Unmarshal([]byte(s), &n) == nil && string(n) == s
}

// finiteNumber reports whether the JSON number s is within the range of a
// JavaScript number: a page reads 1e400 as Infinity.
func finiteNumber(s string) bool {
	f, _ := strconv.ParseFloat(s, 64)
	return !math.IsInf(f, 0)
}

// encodeFields returns m as a JSON object with its keys sorted.
func encodeFields(m Fields) string {
	keys := make([]string, 0, len(m))
	size := 2
	for k, v := range m {
		keys = append(keys, k)
		size += len(k) + 6
		if s, ok := v.(string); ok {
			size += len(s)
		} else {
			size += 8
		}
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONText(b, k)
		b = append(b, ':')
		b = appendFieldValue(b, m[k])
	}
	return string(append(b, '}'))
}

// decodeFields parses a JSON object of scalars, keeping numbers as written.
// A member named twice is refused: a page reads one of them, and which is
// not for this package to guess.
func decodeFields(s string) (Fields, error) {
	notObject := parseError(`must be a JSON object such as {"key":"value"}`)
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, notObject
	}
	raw := Fields{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notObject
		}
		k := tok.(string) // a member's name: the decoder allows nothing else here
		var v any
		if err := dec.Decode(&v); err != nil {
			if strings.Contains(err.Error(), "exceeded max depth") {
				return nil, parseError("member " + strconv.Quote(k) + " is nested too deep to read; values must be strings, numbers or booleans")
			}
			return nil, notObject
		}
		if _, twice := raw[k]; twice {
			return nil, parseError("member " + strconv.Quote(k) + " is given twice; give each member once")
		}
		raw[k] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, notObject
	}
	if _, err := dec.Token(); err != io.EOF { // nothing after it
		return nil, notObject
	}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if fieldKindOf(raw[k]) == fieldBad {
			return nil, parseError("member " + strconv.Quote(k) + " " + fieldValueReason(raw[k]))
		}
	}
	return Fields(raw), nil
}

// fieldValueReason says why v cannot be a Fields value.
func fieldValueReason(v any) string {
	switch n := v.(type) {
	case nil:
		return "is null; leave the key out instead"
	case map[string]any, []any:
		return "is an object or array; values must be strings, numbers or booleans (Sobot shows each field as one value)"
	case float64, float32:
		return "is not a finite number"
	case json.Number:
		if isJSONNumber(string(n)) {
			return "is beyond the range of numbers a page can read (it would read Infinity)"
		}
		return "is not a number in JSON's syntax"
	}
	return "is a " + reflect.TypeOf(v).String() + "; values must be strings, numbers or booleans"
}

// checkFieldsValue reports the problems of a Fields parameter: empty keys,
// values that are not JSON scalars, invalid UTF-8. Each problem names the
// member; they are in key order.
func checkFieldsValue(name string, m Fields, ps *problems) {
	bad := false
	for k, v := range m {
		bad = bad || fieldProblem(k, v) != ""
	}
	if !bad {
		return // the common case, without sorting the keys
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if why := fieldProblem(k, m[k]); why != "" {
			ps.add(name, "", why)
		}
	}
}

// fieldProblem says what is wrong with one member of a Fields, or "".
func fieldProblem(k string, v any) string {
	if k == "" {
		return "keys must not be empty"
	}
	if !utf8.ValidString(k) {
		return "keys must be valid UTF-8"
	}
	if fieldKindOf(v) == fieldBad {
		return "member " + strconv.Quote(k) + " " + fieldValueReason(v)
	}
	if s, ok := v.(string); ok && !utf8.ValidString(s) {
		return "member " + strconv.Quote(k) + " must be valid UTF-8"
	}
	return ""
}
