package sobot

import (
	"slices"
	"strings"
)

// field is one parameter ready to send: its wire name and text, the row
// that describes it (nil for Extra entries) and the Params it came from.
type field struct {
	name string
	text string
	row  *param
	src  *Params
	// seg is the precomputed "name=value" query segment of a site-wide
	// default; empty for per-call fields, which are encoded on the fly.
	seg string
}

// collect appends the set parameters of p to dst in wire-name order. A nil p
// has none.
func collect(p *Params, dst []field) []field {
	if p == nil {
		return dst
	}
	var empty [16]bool
	for g, grp := range groups {
		empty[g] = grp.empty != nil && grp.empty(p)
	}
	for _, r := range sortedRows {
		if r.group >= 0 && empty[r.group] {
			continue
		}
		if text, ok := r.get(p); ok {
			dst = append(dst, field{name: r.Name, text: text, row: r, src: p})
		}
	}
	if len(p.Extra) == 0 {
		return dst
	}
	for name, text := range p.Extra {
		dst = append(dst, field{name: name, text: text, src: p})
	}
	slices.SortFunc(dst, func(a, b field) int { return strings.Compare(a.name, b.name) })
	return dst
}

// lookup returns the text of the named field in a sorted list.
func lookup(fs []field, name string) (string, bool) {
	i, ok := slices.BinarySearchFunc(fs, name, func(f field, n string) int { return strings.Compare(f.name, n) })
	if !ok {
		return "", false
	}
	return fs[i].text, true
}

// merge appends to dst the union of two sorted lists; on equal names the
// field of over wins.
func merge(dst, base, over []field) []field {
	i, j := 0, 0
	for i < len(base) && j < len(over) {
		switch c := strings.Compare(base[i].name, over[j].name); {
		case c < 0:
			dst = append(dst, base[i])
			i++
		case c > 0:
			dst = append(dst, over[j])
			j++
		default:
			dst = append(dst, over[j])
			i++
			j++
		}
	}
	dst = append(dst, base[i:]...)
	return append(dst, over[j:]...)
}

// insert puts f into the sorted list fs at its place.
func insert(fs []field, f field) []field {
	i, _ := slices.BinarySearchFunc(fs, f.name, func(g field, n string) int { return strings.Compare(g.name, n) })
	return slices.Insert(fs, i, f)
}

// segment returns the query segment "name=value" of f, percent-encoded.
func segment(f field) string {
	return string(appendSegment(nil, f))
}

// appendSegment appends the query segment of f to dst.
func appendSegment(dst []byte, f field) []byte {
	if f.seg != "" {
		return append(dst, f.seg...)
	}
	dst = appendQueryEscape(dst, f.name)
	dst = append(dst, '=')
	return appendQueryEscape(dst, f.text)
}

// params rebuilds an independent Params from fields, through the same
// accessors that produced them. Clients use it to keep a private copy of
// their defaults that later changes to the caller's maps and pointers
// cannot reach.
func paramsOf(fs []field) *Params {
	p := &Params{}
	for _, f := range fs {
		if f.row == nil {
			if p.Extra == nil {
				p.Extra = map[string]string{}
			}
			p.Extra[f.name] = f.text
			continue
		}
		if err := f.row.set(p, f.text); err != nil {
			panic("sobot: canonical text does not parse: " + f.name + ": " + err.Error())
		}
	}
	return p
}
