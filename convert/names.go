package convert

import (
	"go/token"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// This file names the generated code's functions and arguments.

// noise are words of template expressions that say how a value is written,
// not what it is.
var noise = map[string]bool{
	"window": true, "document": true, "this": true, "self": true, "echo": true, "print": true,
	"php": true, "js": true, "html": true, "urlquery": true, "printf": true, "json": true,
	"tojson": true, "escape": true, "e": true, "h": true, "raw": true, "safe": true, "json_encode": true,
	"htmlspecialchars": true, "addslashes": true, "urlencode": true, "rawurlencode": true,
	"encodeURIComponent": true, "JSON": true, "stringify": true, "toString": true, "Html": true,
	"Raw": true, "Model": true, "ViewBag": true, "ViewData": true, "out": true, "value": true,
	"c": true, "fn": true, "escapejs": true, "escape_javascript": true, "j": true, "t": true,
	"Encode": true, "JavaScriptStringEncode": true, "HttpUtility": true, "Json": true,
	"default": true, "upper": true, "lower": true, "trim": true, "strip": true, "data": true,
}

// initialisms are written in upper case inside a Go name.
var initialisms = map[string]string{
	"id": "ID", "url": "URL", "uid": "UID", "uri": "URI", "qq": "QQ", "vip": "VIP", "html": "HTML",
	"json": "JSON", "api": "API", "ip": "IP", "uuid": "UUID", "sku": "SKU",
}

// reservedNames may not be argument names: Go's keywords and predeclared
// names, and the names the generated code uses.
var reservedNames = map[string]bool{
	"client": true, "sobot": true, "os": true, "time": true, "json": true, "err": true,
	"string": true, "int": true, "int64": true, "bool": true, "len": true, "new": true, "make": true,
	"nil": true, "true": true, "false": true, "any": true, "error": true, "append": true, "copy": true,
	"cap": true, "close": true, "delete": true, "max": true, "min": true, "print": true, "println": true,
	"real": true, "imag": true, "complex": true, "panic": true, "recover": true, "byte": true, "rune": true,
	"iota": true, "clear": true, "uint8": true, "float64": true,
}

// words splits an expression into its identifier-like words.
func words(expr string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range expr {
		if r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			cur.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	return out
}

// nameFrom derives a Go identifier from a placeholder's expression, or
// from its parameter's wire name when the expression says nothing.
func nameFrom(expr, param string) string {
	// A pipe or filter says how to write the value: keep what comes first.
	inner := expr
	for _, sep := range []string{"|", "??", "||"} {
		if i := strings.Index(inner, sep); i > 0 {
			inner = inner[:i]
		}
	}
	var ws []string
	for _, w := range words(inner) {
		if noise[w] || w[0] >= '0' && w[0] <= '9' {
			continue
		}
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		ws = words(param)
	}
	if len(ws) > 2 {
		ws = ws[len(ws)-2:]
	}
	if len(ws) == 2 && strings.EqualFold(ws[0], ws[1]) {
		ws = ws[1:]
	}
	var b strings.Builder
	for i, w := range ws {
		for j, sub := range strings.Split(w, "_") {
			if sub == "" {
				continue
			}
			b.WriteString(camel(sub, i == 0 && j == 0))
		}
	}
	name := b.String()
	if reservedNames[name] || token.IsKeyword(name) {
		name += "Value"
	}
	if !token.IsIdentifier(name) {
		name = "value"
	}
	return name
}

// camel writes a word for a camelCase name: lower-cased when first,
// capitalised otherwise, initialisms in upper case.
func camel(w string, first bool) string {
	if up, ok := initialisms[strings.ToLower(w)]; ok {
		if first {
			return strings.ToLower(up)
		}
		return up
	}
	// Split Go-style names (UserID) keep their case after the first letter.
	r := []rune(w)
	if first {
		// A leading run of capitals (URLPath, ID) is lowered as one.
		i := 0
		for i < len(r) && unicode.IsUpper(r[i]) {
			i++
		}
		if i > 1 && i < len(r) {
			i--
		}
		for j := 0; j < i || j == 0; j++ {
			r[j] = unicode.ToLower(r[j])
		}
		return string(r)
	}
	if lower := strings.ToLower(w); len(lower) > 2 && strings.HasSuffix(lower, "id") && w[len(w)-2:] == "Id" {
		return string(unicode.ToUpper(r[0])) + string(r[1:len(r)-2]) + "ID"
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// baseName returns the name the functions of a file start with: its base
// name without extension, in camelCase ("product-detail.html" gives
// productDetail); "page" for stdin.
func baseName(file string) string {
	if file == "stdin" {
		return "page"
	}
	b := path.Base(file)
	if i := strings.IndexByte(b, '.'); i > 0 {
		b = b[:i]
	}
	var sb strings.Builder
	first := true
	for _, w := range words(strings.NewReplacer("-", " ", ".", " ", "_", " ").Replace(b)) {
		if first && w[0] >= '0' && w[0] <= '9' {
			continue // 04_link_page.html is linkPage
		}
		sb.WriteString(camel(w, first))
		first = false
	}
	name := sb.String()
	if name == "" || !token.IsIdentifier(name+"Widget") {
		name = "page"
	}
	return name
}

// namer hands out names unique in one scope.
type namer struct {
	taken map[string]bool
	next  map[string]int // per base name, the next number to try
}

func newNamer() *namer { return &namer{taken: map[string]bool{}, next: map[string]int{}} }

// unique returns name, or name2, name3, ... when it is taken, and takes
// it. Asking for one base name many times costs linear time.
func (n *namer) unique(name string) string {
	out := name
	i := max(n.next[name], 2)
	for n.taken[out] {
		out = name + strconv.Itoa(i)
		i++
	}
	n.next[name] = i
	n.taken[out] = true
	return out
}
