package sobot

import (
	"encoding/json"
	"net/url"
	"strings"
)

// TicketURL returns a ticket-plugin link (工单插件): consoleURL, the link the
// Sobot console generates for a ticket plugin, with params appended as the
// reference describes ("在链接后面加上params参数"): a JSON object whose keys
// are fields that exist under 工单自定义字段 → 对接型字段.
//
// params is one of:
//   - a ProductCard or *ProductCard: its card_* fields, as the reference's
//     example sends them, validated as a product card (card_title required,
//     http(s) URLs);
//   - a map[string]string of field keys to values;
//   - any other value that encoding/json renders as a JSON object of strings
//     (a struct with json tags, map[string]any, json.RawMessage).
//
// The object is sent with keys sorted, percent-encoded like every value this
// library writes. consoleURL is kept byte for byte: params is added to its
// query, or, when its fragment carries a query of its own (a hash-routed
// page such as ".../#/ticket?x=1"), to the fragment's query, since that is
// the end of the link the page reads.
//
// It returns a *ValidationError listing every problem: a consoleURL that is
// not an absolute http(s) URL with a host, or that already carries params
// (Param "url"); params that are nil, empty, not a JSON object of strings, or
// an invalid card (Param "params" or the card's wire names).
func TicketURL(consoleURL string, params any) (string, error) {
	var ps problems
	checkTicketBase(consoleURL, &ps)
	fields := ticketFields(params, &ps)
	if err := ps.err(); err != nil {
		return "", err
	}
	seg := "params=" + QueryEscape(encodeStringMap(fields))
	base, frag, hasFrag := strings.Cut(consoleURL, "#")
	if hasFrag && strings.Contains(frag, "?") {
		return consoleURL + querySep(frag) + seg, nil
	}
	link := base + querySep(base) + seg
	if hasFrag {
		link += "#" + frag
	}
	return link, nil
}

// querySep returns what joins a new query segment to s: "?" when s has no
// query yet, "" when it ends in ? or &, "&" otherwise.
func querySep(s string) string {
	switch {
	case !strings.Contains(s, "?"):
		return "?"
	case strings.HasSuffix(s, "?"), strings.HasSuffix(s, "&"):
		return ""
	}
	return "&"
}

// checkTicketBase requires an absolute http(s) URL with a host and no params
// parameter of its own.
func checkTicketBase(s string, ps *problems) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		ps.add("url", s, "must be the ticket plugin's http(s) link as the console generates it")
		return
	}
	if _, _, ok := cutTicketParams(s); ok {
		ps.add("url", s, "already carries params; pass the console's link without it")
	}
}

// ticketFields returns params as the ticket plugin's fields, adding problems
// to ps when it is not a usable JSON object of strings.
func ticketFields(params any, ps *problems) map[string]string {
	var fields map[string]string
	switch v := params.(type) {
	case nil:
	case map[string]string:
		fields = v
	case *ProductCard:
		if v != nil {
			fields = cardFields(*v, ps)
		}
	case ProductCard:
		fields = cardFields(v, ps)
	default:
		raw, err := json.Marshal(v)
		if err == nil {
			err = json.Unmarshal(raw, &fields)
		}
		if err != nil || fields == nil {
			ps.add("params", "", "must be a JSON object of strings, such as a ProductCard or a map[string]string of 对接型字段")
			return nil
		}
	}
	if len(fields) == 0 {
		ps.add("params", "", "is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)")
		return nil
	}
	checkMap("params", fields, ps)
	return fields
}

// cardFields returns a product card's set fields by wire name, adding the
// card's problems, as a chat link would report them, to ps.
func cardFields(card ProductCard, ps *problems) map[string]string {
	p := Params{Product: card}
	*ps = append(*ps, problemsIn(p.Validate(TargetH5))...)
	return p.Wire()
}
