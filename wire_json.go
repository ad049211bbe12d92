package sobot

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the wire forms of the JSON-valued parameters goods and
// transfer_action (Fields, for params and customer_fields, has its own
// file). Their wire text is canonical: members in a fixed order, strings
// escaped by appendJSString, so the same value always gives the same link.
// Reading them back refuses every member the typed value cannot hold:
// nothing is dropped without a word.

// appendGoods appends goods as the reference's JSON array; picture maps each
// pictureUrl (the widget URI-encodes it as the reference's example does). An
// item without a picture has no pictureUrl member: the reference's goods
// structure lists it, but an empty address would only show a broken image.
func appendGoods(b []byte, goods []Goods, picture func(string) string) []byte {
	b = append(b, '[')
	for i, g := range goods {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONText(b, g.Name)
		if g.PictureURL != "" {
			b = append(b, `,"pictureUrl":`...)
			b = appendJSONText(b, picture(g.PictureURL))
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// goodsShape describes goods' JSON, for messages.
const goodsShape = `JSON array of {"name":...,"pictureUrl":...} objects`

// decodeGoods parses goods' JSON text. Members other than name and
// pictureUrl, and members that are not strings, are errors.
func decodeGoods(s string) ([]Goods, error) {
	goods, reasons, err := decodeObjects(s, goodsShape, "item", decodeGoodsItem)
	if err == nil && len(reasons) > 0 {
		return nil, parseError(strings.Join(reasons, "; "))
	}
	return goods, err
}

// decodeGoodsItem reads one goods item's members and says what is wrong
// with them.
func decodeGoodsItem(item map[string]json.RawMessage) (Goods, []string) {
	var g Goods
	var why []string
	for _, k := range slices.Sorted(maps.Keys(item)) {
		var dst *string
		switch k {
		case "name":
			dst = &g.Name
		case "pictureUrl":
			dst = &g.PictureURL
		default:
			why = append(why, "has a member "+strconv.Quote(k)+"; goods items have name and pictureUrl only")
			continue
		}
		if json.Unmarshal(item[k], dst) != nil {
			why = append(why, k+" must be a string")
		}
	}
	return g, why
}

// decodeObjects parses s, a JSON array of objects of the given shape, into
// values read by decode, which says what is wrong with each object; every
// reason comes back prefixed by what and the object's number ("item 2:
// ..."). The error is for text that is not such an array.
func decodeObjects[T any](s, shape, what string, decode func(map[string]json.RawMessage) (T, []string)) ([]T, []string, error) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return nil, nil, jsonShapeError(shape)
	}
	out := make([]T, len(items))
	var reasons []string
	for i, item := range items {
		var why []string
		out[i], why = decode(item)
		for _, w := range why {
			reasons = append(reasons, what+" "+strconv.Itoa(i+1)+": "+w)
		}
	}
	return out, reasons, nil
}

// checkGoods checks every order item has a name and, if any, a picture
// address (pictureURL).
func checkGoods(p *Params, ps *problems) {
	for i, g := range p.Order.Goods {
		at := "item " + strconv.Itoa(i+1) + ": "
		if g.Name == "" {
			ps.add("goods", "", at+"name is required")
		}
		if g.PictureURL != "" {
			if why := pictureURL.apply(g.PictureURL); why != "" {
				ps.add("goods", g.PictureURL, at+"pictureUrl "+why)
			}
		}
		if !utf8.ValidString(g.Name) {
			ps.add("goods", "", at+"name must be valid UTF-8")
		}
	}
}

// encodeTransferRules returns rules as transfer_action's JSON text, written
// as the reference's example: every member a string, in the order
// actionType, optionId, deciId, spillId; spillId only on overflowing rules.
func encodeTransferRules(rules []TransferRule) string {
	b := []byte{'['}
	for i, r := range rules {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"actionType":`...)
		b = appendJSONText(b, string(r.Target))
		b = append(b, `,"optionId":"`...)
		b = strconv.AppendInt(b, int64(r.optionID()), 10)
		b = append(b, `","deciId":`...)
		b = appendJSONText(b, r.ID)
		if r.Spill != 0 {
			b = append(b, `,"spillId":"`...)
			b = strconv.AppendInt(b, int64(r.Spill), 10)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	return string(append(b, ']'))
}

// transferShape describes transfer_action's JSON, for messages.
const transferShape = `JSON array of {"actionType","optionId","deciId","spillId"} objects`

// decodeTransferRules parses transfer_action's JSON text. optionId and
// spillId may be JSON strings (as the reference writes them) or numbers.
// Besides the rules of checkTransfer it rejects what the typed rules cannot
// express: a member the reference's rules do not have, an optionId that
// contradicts actionType and spillId, a spillId that is not a number. Every
// problem of every rule is reported, in one error.
func decodeTransferRules(s string) ([]TransferRule, error) {
	rules, reasons, err := decodeObjects(s, transferShape, "rule", decodeTransferRule)
	if err != nil || len(reasons) == 0 {
		return rules, err
	}
	var ps problems
	checkTransfer(&Params{Routing: Routing{Transfer: rules}}, &ps)
	for _, p := range ps {
		reasons = append(reasons, p.Reason)
	}
	return nil, parseError(strings.Join(reasons, "; "))
}

// decodeTransferRule reads one rule's members and says what is wrong with
// them.
func decodeTransferRule(item map[string]json.RawMessage) (TransferRule, []string) {
	var r TransferRule
	var why []string
	var optionID string
	for _, k := range slices.Sorted(maps.Keys(item)) {
		v := item[k]
		switch k {
		case "actionType":
			if json.Unmarshal(v, (*string)(&r.Target)) != nil {
				why = append(why, "actionType must be a string")
			}
		case "deciId":
			if json.Unmarshal(v, &r.ID) != nil {
				why = append(why, "deciId must be a string")
			}
		case "optionId":
			optionID = numberText(v)
		case "spillId":
			n, err := strconv.Atoi(numberText(v))
			if err != nil || n < 1 || n > 255 {
				why = append(why, "spillId must be a number from 1 to 7")
			} else {
				r.Spill = Spill(n)
			}
		default:
			why = append(why, "has a member "+strconv.Quote(k)+"; rules have actionType, optionId, deciId and spillId only")
		}
	}
	if n, err := strconv.Atoi(optionID); (r.Target == ToAgent || r.Target == ToGroup) && (err != nil || n != r.optionID()) {
		with := " without spillId"
		if r.Spill != 0 {
			with = " with spillId"
		}
		why = append(why, "optionId "+strconv.Quote(optionID)+" does not match actionType "+
			strconv.Quote(string(r.Target))+with+" (want "+strconv.Itoa(r.optionID())+")")
	}
	return r, why
}

// numberText returns a JSON string's content or a JSON number's text, ""
// for anything else.
func numberText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return string(n)
	}
	return ""
}

// transferNoticeLimit is the number of transfer_action rules Sobot's mobile
// SDK documentation allows; the web reference states no limit.
const transferNoticeLimit = 4

// checkTransfer checks the smart-routing rules: each with a known target,
// an id, a spill condition of its target's kind, and no rule after one
// that never overflows.
func checkTransfer(p *Params, ps *problems) {
	rules := p.Routing.Transfer
	for i, r := range rules {
		at := "rule " + strconv.Itoa(i+1) + ": "
		switch r.Target {
		case ToAgent:
			if r.Spill != 0 && (r.Spill < SpillAgentOffline || r.Spill > SpillAgentSmart) {
				ps.add("transfer_action", strconv.Itoa(int(r.Spill)), at+"spillId must be 1–3 for to_service")
			}
		case ToGroup:
			if r.Spill != 0 && (r.Spill < SpillGroupNoneOnline || r.Spill > SpillGroupSmart) {
				ps.add("transfer_action", strconv.Itoa(int(r.Spill)), at+"spillId must be 4–7 for to_group")
			}
		default:
			ps.add("transfer_action", string(r.Target), at+"actionType must be to_service or to_group")
		}
		if strings.TrimSpace(r.ID) == "" {
			ps.add("transfer_action", "", at+"deciId (the agent or group id) is required")
		} else if !utf8.ValidString(r.ID) {
			ps.add("transfer_action", "", at+"deciId must be valid UTF-8")
		}
		if r.Spill == 0 && i < len(rules)-1 {
			ps.add("transfer_action", "", at+"does not overflow (no spillId), so the rules after it are never reached")
		}
	}
}
