package sobot

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// This file holds the accessors of the JSON-valued parameters (params,
// customer_fields, goods, transfer_action) and of color. Their wire text is
// canonical: keys in a fixed order, strings escaped by appendJSString, so
// the same value always gives the same link and sign-independent caches
// stay valid.

// stringMap is a JSON object of strings, keys sorted (params,
// customer_fields).
func stringMap(f func(*Params) *map[string]string) accessor {
	return nonEmpty(jsonText(func(m map[string]string) bool { return len(m) > 0 }, encodeStringMap, f), "{}", "field")
}

// encodeStringMap returns m as a JSON object with sorted keys.
func encodeStringMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	size := 2
	for k, v := range m {
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSString(b, k)
		b = append(b, ':')
		b = appendJSString(b, m[k])
	}
	return string(append(b, '}'))
}

// goodsList is the order card's goods array.
func goodsList(f func(*Params) *[]Goods) accessor {
	return jsonText(func(g []Goods) bool { return len(g) > 0 }, func(g []Goods) string {
		return string(appendGoods(nil, g, func(s string) string { return s }))
	}, f)
}

// appendGoods appends goods as the reference's JSON array; picture maps each
// pictureUrl (the widget URI-encodes it as the reference's example does).
func appendGoods(b []byte, goods []Goods, picture func(string) string) []byte {
	b = append(b, '[')
	for i, g := range goods {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSString(b, g.Name)
		b = append(b, `,"pictureUrl":`...)
		b = appendJSString(b, picture(g.PictureURL))
		b = append(b, '}')
	}
	return append(b, ']')
}

// transferRules is transfer_action, written as the reference's example:
// every member a string, in the order actionType, optionId, deciId,
// spillId; spillId only on overflowing rules.
func transferRules(f func(*Params) *[]TransferRule) accessor {
	a := jsonText(func(r []TransferRule) bool { return len(r) > 0 }, encodeTransferRules, f)
	a.set = func(p *Params, s string) error {
		rules, err := decodeTransferRules(s)
		if err != nil {
			return err
		}
		*f(p) = rules
		return nil
	}
	return a
}

// nonEmpty wraps a JSON accessor's set so that an empty array or object
// (or null) is an error instead of silently meaning "unset": nothing would
// be sent.
func nonEmpty(a accessor, empty, what string) accessor {
	set := a.set
	a.set = func(p *Params, s string) error {
		if t := strings.TrimSpace(s); t == empty || t == "null" {
			return parseError("must hold at least one " + what + "; leave the parameter out for none")
		}
		return set(p, s)
	}
	return a
}

// encodeTransferRules returns rules as transfer_action's JSON text.
func encodeTransferRules(rules []TransferRule) string {
	b := []byte{'['}
	for i, r := range rules {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"actionType":`...)
		b = appendJSString(b, string(r.Target))
		b = append(b, `,"optionId":"`...)
		b = strconv.AppendInt(b, int64(r.optionID()), 10)
		b = append(b, `","deciId":`...)
		b = appendJSString(b, r.ID)
		if r.Spill != 0 {
			b = append(b, `,"spillId":"`...)
			b = strconv.AppendInt(b, int64(r.Spill), 10)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	return string(append(b, ']'))
}

// wireRule is one transfer_action entry as sent; numbers may be JSON
// strings (as the reference writes them) or JSON numbers.
type wireRule struct {
	ActionType string      `json:"actionType"`
	OptionID   json.Number `json:"optionId"`
	DeciID     string      `json:"deciId"`
	SpillID    json.Number `json:"spillId"`
}

// UnmarshalJSON accepts optionId and spillId as strings or numbers.
func (w *wireRule) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	num := func(name string) (json.Number, error) {
		v, ok := raw[name]
		if !ok {
			return "", nil
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			return json.Number(s), nil
		}
		var n json.Number
		err := json.Unmarshal(v, &n)
		return n, err
	}
	var err error
	if w.OptionID, err = num("optionId"); err != nil {
		return err
	}
	if w.SpillID, err = num("spillId"); err != nil {
		return err
	}
	if v, ok := raw["actionType"]; ok {
		if err := json.Unmarshal(v, &w.ActionType); err != nil {
			return err
		}
	}
	if v, ok := raw["deciId"]; ok {
		return json.Unmarshal(v, &w.DeciID)
	}
	return nil
}

// decodeTransferRules parses transfer_action's JSON text. Besides the
// rules of checkTransfer it rejects what the typed rules cannot express: an
// optionId that contradicts actionType or spillId, a spillId that is not a
// number. Every problem of every rule is reported, in one error.
func decodeTransferRules(s string) ([]TransferRule, error) {
	var wire []wireRule
	if err := json.Unmarshal([]byte(s), &wire); err != nil {
		return nil, parseError(`must be a JSON array of {"actionType","optionId","deciId","spillId"} objects`)
	}
	rules := make([]TransferRule, len(wire))
	var reasons []string
	for i, w := range wire {
		at := "rule " + strconv.Itoa(i+1) + ": "
		r := TransferRule{Target: TransferTarget(w.ActionType), ID: w.DeciID}
		if w.SpillID != "" {
			n, err := strconv.Atoi(string(w.SpillID))
			if err != nil || n < 1 || n > 255 {
				reasons = append(reasons, at+"spillId must be a number from 1 to 7")
			} else {
				r.Spill = Spill(n)
			}
		}
		if n, err := strconv.Atoi(string(w.OptionID)); (r.Target == ToAgent || r.Target == ToGroup) && (err != nil || n != r.optionID()) {
			with := " without spillId"
			if r.Spill != 0 {
				with = " with spillId"
			}
			reasons = append(reasons, at+"optionId "+strconv.Quote(string(w.OptionID))+" does not match actionType "+
				strconv.Quote(w.ActionType)+with+" (want "+strconv.Itoa(r.optionID())+")")
		}
		rules[i] = r
	}
	if len(reasons) == 0 {
		return rules, nil
	}
	var ps problems
	checkTransfer(&Params{Routing: Routing{Transfer: rules}}, &ps)
	for _, p := range ps {
		reasons = append(reasons, p.Reason)
	}
	return nil, parseError(strings.Join(reasons, "; "))
}

// color is the theme colour: a leading '#' is dropped and letters lowered,
// since Sobot wants the bare lower-case form.
func color(f func(*Params) *string) accessor {
	a := text(f)
	a.get = func(p *Params) (string, bool) {
		c := *f(p)
		return strings.ToLower(strings.TrimPrefix(c, "#")), c != ""
	}
	return a
}
