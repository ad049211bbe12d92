package sobot

import (
	"maps"
	"slices"
	"strings"
)

// TicketURL returns a ticket-plugin link (工单插件): consoleURL, the link the
// Sobot console generates for a ticket plugin, with params appended as the
// reference describes ("在链接后面加上params参数"): a JSON object of fields,
// whose keys must exist under 工单自定义字段 → 对接型字段.
//
// fields are the ticket's fields (see Fields for the values allowed). The
// reference's example sends a product card's card_* fields: pass
// ProductCard.Fields(). Keys named like a product card's parameters get
// that parameter's checks (card_url an http(s) URL or mini-program path,
// card_picture an http(s) or protocol-relative URL); a ticket does not need
// card_title, since its fields stand on their own.
//
// The object is sent with keys sorted, percent-encoded like every value this
// library writes. consoleURL is kept byte for byte: params is added to its
// query, or, when its fragment carries a query of its own (a hash-routed
// page such as ".../#/ticket?x=1"), to the fragment's query, since that is
// the end of the link the page reads.
//
// It returns a *ValidationError listing every problem: a consoleURL that is
// not an absolute http(s) URL with a host, holds what a URL may not contain
// (spaces, quotes, < >, user:password@, a bad port), or already carries
// params (Param "url"); fields that are empty or hold a value Fields does
// not allow (Param "params"), or a card field that fails its check (its
// wire name).
func TicketURL(consoleURL string, fields Fields) (string, error) {
	var ps problems
	checkTicketBase(consoleURL, &ps)
	checkTicketFields(fields, &ps)
	if err := ps.err(); err != nil {
		return "", err
	}
	seg := "params=" + QueryEscape(encodeFields(fields))
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

// checkTicketBase requires an absolute http(s) URL with a host, holding
// nothing a URL may not contain, and no params parameter of its own.
func checkTicketBase(s string, ps *problems) {
	if why := urlProblem(s, false); why != "" {
		ps.add("url", s, "must be the ticket plugin's link as the console generates it: "+why)
		return
	}
	if _, _, ok := cutTicketParams(s); ok {
		ps.add("url", s, "already carries params; pass the console's link without it")
	}
}

// checkTicketFields checks a ticket's fields: at least one, values Fields
// allows, and card fields as their parameters are checked.
func checkTicketFields(fields Fields, ps *problems) {
	if len(fields) == 0 {
		ps.add("params", "", "is empty; pass the ticket fields to fill (keys from 工单自定义字段 → 对接型字段)")
		return
	}
	checkFieldsValue("params", fields, ps)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		text, isText := fields[k].(string)
		if r := rowByName[k]; r != nil && isText && r.group == groupIndex("Product") {
			if why := r.check.apply(text); why != "" {
				ps.add(k, text, why)
			}
		}
	}
}
