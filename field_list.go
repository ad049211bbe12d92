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
// has none. It visits only the rows of the groups of p that hold something
// (see groups): a per-user link reads a dozen rows, not a hundred.
func collect(p *Params, dst []field) []field {
	if p == nil {
		return dst
	}
	start, groupsUsed := len(dst), 0
	for g, grp := range groups {
		if grp.empty != nil && grp.empty(p) {
			continue
		}
		n := len(dst)
		for _, r := range groupRows[g] {
			if text, ok := r.get(p); ok {
				dst = append(dst, field{name: r.Name, text: text, row: r, src: p})
			}
		}
		if len(dst) > n {
			groupsUsed++
		}
	}
	for name, text := range p.Extra {
		dst = append(dst, field{name: name, text: text, src: p})
		groupsUsed = 2
	}
	if groupsUsed > 1 {
		slices.SortFunc(dst[start:], func(a, b field) int { return compareFields(&a, &b) })
	}
	return dst
}

// compareFields orders fields by wire name, comparing the rows' ranks where
// both have one (cheaper than comparing names, and the same order). Names
// are compared with < rather than strings.Compare, which escape analysis
// takes to leak its arguments, moving callers' field arrays to the heap.
func compareFields(a, b *field) int {
	if a.row != nil && b.row != nil {
		return a.row.rank - b.row.rank
	}
	if a.name < b.name {
		return -1
	}
	if a.name > b.name {
		return 1
	}
	return 0
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
		if c := compareFields(&base[i], &over[j]); c < 0 {
			dst = append(dst, base[i])
			i++
		} else if c > 0 {
			dst = append(dst, over[j])
			j++
		} else {
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
	return string(appendSegment(nil, &f))
}

// appendSegment appends the query segment of f to dst.
func appendSegment(dst []byte, f *field) []byte {
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
