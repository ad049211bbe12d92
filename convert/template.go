package convert

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// This file replaces the template engine's placeholders of a page
// ({{.User.ID}}, <?= $uid ?>, ${user.name}, ...) by markers before the page
// is read as HTML and JavaScript. A marker is a JavaScript identifier that
// is also URL-safe, so it reads the same bare (uname: {{.Name}}), inside a
// string ("user-{{.ID}}") and inside a link's query; values holding markers
// become arguments of the generated code. Template statements ({{if}},
// {% for %}, <?php ... ?>) are removed: the page is read with every branch
// present.

// placeholder is a value the page computes when it is served or run.
type placeholder struct {
	id    int
	expr  string // the original text: "{{.User.ID}}", "window.currentUser.id"
	file  string
	line  int
	col   int
	param string // the parameter or field it first fed, for naming
}

// edit is one replacement in a file's text.
type edit struct {
	newStart, newEnd   int // the replacement in the new text
	origStart, origEnd int // what it replaced in the original
}

// source is one input file with its placeholders replaced by markers.
type source struct {
	name       string
	orig       []byte
	text       []byte // orig with markers; what the readers see
	edits      []edit // sorted by newStart
	lineStarts []int  // offsets in orig where lines start
	statements int    // template statements removed
	firstStmt  int    // orig offset of the first one
}

// maxExprLen bounds a placeholder expression: an opening delimiter without
// a close within this many bytes is read as text.
const maxExprLen = 4096

// closer finds the next occurrence of a delimiter at or after a position,
// caching the answer, so that scanning a file costs linear time however
// many unmatched openers it holds.
type closer struct {
	text []byte
	sep  []byte
	next int
	none bool
}

// from returns the offset of the first occurrence of sep at or after i, or -1.
func (c *closer) from(i int) int {
	if c.none {
		return -1
	}
	if c.next >= i && c.next > 0 {
		return c.next
	}
	j := bytes.Index(c.text[i:], c.sep)
	if j < 0 {
		c.none = true
		return -1
	}
	c.next = i + j
	return c.next
}

// delimiter is one template syntax: open ... close.
type delimiter struct {
	open, close string
	kind        tagKind
	razor       bool // only in Razor files
}

type tagKind uint8

const (
	tagExpr    tagKind = iota // its value is written into the page
	tagStmt                   // control flow or code: removed
	tagComment                // removed
	tagMaybe                  // {{ }}: expression unless it starts with a control keyword
	tagPHP                    // <?php ... ?>: expression when it echoes
)

// delimiters in the order they are tried at a position (longest first).
var delimiters = []delimiter{
	{"{{!--", "--}}", tagComment, false},
	{"{{{", "}}}", tagExpr, false},
	{"{{", "}}", tagMaybe, false},
	{"{%", "%}", tagStmt, false},
	{"{# ", "#}", tagComment, false},
	{"<?=", "?>", tagExpr, false},
	{"<?php", "?>", tagPHP, false},
	{"<?", "?>", tagStmt, false},
	{"<%--", "--%>", tagComment, false},
	{"<%#", "%>", tagComment, false},
	{"<%==", "%>", tagExpr, false},
	{"<%=", "%>", tagExpr, false},
	{"<%-", "%>", tagExpr, false},
	{"<%", "%>", tagStmt, false},
	{"[[${", "}]]", tagExpr, false},
	{"[(${", "})]", tagExpr, false},
	{"${", "}", tagExpr, false},
	{"#{", "}", tagExpr, false},
	{"@(", ")", tagExpr, true},
}

// delimitersByByte lists, for each first byte of an opening delimiter, the
// indexes in delimiters of those starting with it, in order.
var delimitersByByte = func() (m [256][]int) {
	for i, d := range delimiters {
		m[d.open[0]] = append(m[d.open[0]], i)
	}
	return m
}()

// goControl are the words that start a Go template or Handlebars action
// that writes nothing.
var goControl = map[string]bool{
	"if": true, "else": true, "end": true, "range": true, "with": true, "define": true,
	"block": true, "template": true, "break": true, "continue": true,
}

// maxPerFile bounds the template tags, script elements and Sobot URLs of
// one file: real pages have dozens; a file with more is refused (tags,
// scripts) or read in part (URLs), so that hostile input cannot make the
// conversion slow.
const maxPerFile = 10000

// newSource replaces the placeholders of one file, registering them with
// c. More than maxPerFile template tags is an input error.
func (c *conversion) newSource(name string, orig []byte) (*source, error) {
	s := &source{name: name, orig: orig, firstStmt: -1}
	s.lineStarts = append(s.lineStarts, 0)
	for i, b := range orig {
		if b == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	razor := strings.HasSuffix(name, ".cshtml") || strings.HasSuffix(name, ".razor") || strings.HasSuffix(name, ".vbhtml")
	closers := make([]closer, len(delimiters))
	for i, d := range delimiters {
		closers[i] = closer{text: orig, sep: []byte(d.close)}
	}
	var out bytes.Buffer
	out.Grow(len(orig))
	inBacktick := false
	last := 0
	for i := 0; i < len(orig); i++ {
		b := orig[i]
		switch {
		case b == '`' && (i == 0 || orig[i-1] != '\\'):
			inBacktick = !inBacktick
			continue
		case b == '<' && inBacktick && hasPrefix(orig[i:], "</script"):
			inBacktick = false
		case b != '{' && b != '<' && b != '$' && b != '#' && b != '[' && b != '@':
			continue
		}
		if len(s.edits) > maxPerFile {
			line, col := s.origPos(i)
			return nil, &InputError{File: name, Line: line, Col: col, Reason: "has more than " + strconv.Itoa(maxPerFile) + " template tags ({{...}}, <?...?>, ${...}, ...)"}
		}
		if razor && b == '@' {
			if end, ok := razorExpr(orig, i); ok {
				out.Write(orig[last:i])
				s.replace(&out, c.marker(c.addPlaceholder(name, string(orig[i:end]), s, i)), i, end)
				last = end
				i = end - 1
				continue
			}
		}
		for _, k := range delimitersByByte[b] {
			d := delimiters[k]
			if (d.razor && !razor) || !hasPrefix(orig[i:], d.open) {
				continue
			}
			if inBacktick && d.open == "${" {
				break // a JavaScript template literal's own substitution
			}
			j := closers[k].from(i + len(d.open))
			if j < 0 || (d.kind != tagStmt && d.kind != tagPHP && j-i > maxExprLen) {
				continue
			}
			end := j + len(d.close)
			inner := string(orig[i+len(d.open) : j])
			kind := d.kind
			switch kind {
			case tagMaybe:
				kind = goTemplateKind(inner)
			case tagPHP:
				kind = tagStmt
				if t := strings.TrimSpace(inner); strings.HasPrefix(t, "echo ") || strings.HasPrefix(t, "print ") {
					kind = tagExpr
				}
			}
			out.Write(orig[last:i])
			switch kind {
			case tagExpr:
				s.replace(&out, c.marker(c.addPlaceholder(name, string(orig[i:end]), s, i)), i, end)
			case tagStmt:
				if s.statements == 0 {
					s.firstStmt = i
				}
				s.statements++
				s.replace(&out, "", i, end)
			default:
				s.replace(&out, "", i, end)
			}
			last = end
			i = end - 1
			break
		}
	}
	if last == 0 {
		s.text = orig
		return s, nil
	}
	out.Write(orig[last:])
	s.text = out.Bytes()
	return s, nil
}

// hasPrefix reports whether b starts with s.
func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

// replace writes repl in place of orig[start:end], recording the edit.
func (s *source) replace(out *bytes.Buffer, repl string, start, end int) {
	n := out.Len()
	out.WriteString(repl)
	s.edits = append(s.edits, edit{newStart: n, newEnd: n + len(repl), origStart: start, origEnd: end})
}

// goTemplateKind classifies the inside of {{ ... }}.
func goTemplateKind(inner string) tagKind {
	t := strings.TrimSpace(strings.Trim(strings.TrimSpace(inner), "-~"))
	switch {
	case t == "":
		return tagComment
	case strings.HasPrefix(t, "/*"), strings.HasPrefix(t, "!"):
		return tagComment
	case strings.HasPrefix(t, "#"), strings.HasPrefix(t, "/"), strings.HasPrefix(t, "^"), strings.HasPrefix(t, ">"):
		return tagStmt // Handlebars blocks and partials
	}
	word := t
	if i := strings.IndexAny(t, " \t\r\n("); i >= 0 {
		word = t[:i]
	}
	if goControl[word] {
		return tagStmt
	}
	return tagExpr
}

// razorExpr reports the end of a Razor expression at i: @Model.Name,
// @ViewBag.X, @user.Id (an identifier path), or @(...) handled as a
// delimiter. Emails and @media are not expressions: the character before
// @ must not be a word character, and the path must start with a letter.
func razorExpr(b []byte, i int) (int, bool) {
	if i > 0 && isWordByte(b[i-1]) {
		return 0, false
	}
	j := i + 1
	if j >= len(b) || !(b[j] >= 'A' && b[j] <= 'Z' || b[j] >= 'a' && b[j] <= 'z') {
		return 0, false
	}
	for j < len(b) && (isWordByte(b[j]) || b[j] == '.' && j+1 < len(b) && isWordByte(b[j+1])) {
		j++
	}
	word := string(b[i+1 : j])
	if word == "media" || word == "import" || word == "keyframes" || word == "font-face" || word == "charset" || word == "supports" {
		return 0, false
	}
	return j, true
}

// isWordByte reports whether c is an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// origOffset maps an offset in s.text back to s.orig: the start of the
// placeholder for an offset inside a marker.
func (s *source) origOffset(n int) int {
	i := sort.Search(len(s.edits), func(i int) bool { return s.edits[i].newEnd > n })
	if i < len(s.edits) && s.edits[i].newStart <= n {
		return s.edits[i].origStart
	}
	if i == 0 {
		return n
	}
	e := s.edits[i-1]
	return e.origEnd + (n - e.newEnd)
}

// pos returns the line and column (from 1, in bytes) of an offset in s.text.
func (s *source) pos(n int) (line, col int) {
	if n < 0 {
		return 0, 0
	}
	o := s.origOffset(n)
	return s.origPos(o)
}

// origPos returns the line and column of an offset in s.orig.
func (s *source) origPos(o int) (line, col int) {
	l := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > o })
	return l, o - s.lineStarts[l-1] + 1
}

// chooseMarkerPrefix returns a marker prefix that occurs in none of the
// files, so markers cannot be confused with the input's own text.
func chooseMarkerPrefix(files []File) string {
	prefix := "zzSobotTpl"
	for {
		clash := false
		for _, f := range files {
			if bytes.Contains(f.Src, []byte(prefix)) {
				clash = true
				break
			}
		}
		if !clash {
			return prefix
		}
		prefix += "Q"
	}
}

// marker returns the marker of a placeholder: prefix, id, "Z" — letters
// and digits only, so it survives URL encoding and reads as an identifier.
func (c *conversion) marker(p *placeholder) string {
	return c.prefix + strconv.Itoa(p.id) + "Z"
}

// addPlaceholder registers a placeholder found at offset off of s.orig.
// The same expression in one file is one placeholder: it has one value.
func (c *conversion) addPlaceholder(file, expr string, s *source, off int) *placeholder {
	key := file + "\x00" + expr
	if p := c.dynByExpr[key]; p != nil {
		return p
	}
	line, col := s.origPos(off)
	p := &placeholder{id: len(c.placeholders), expr: expr, file: file, line: line, col: col}
	c.placeholders = append(c.placeholders, p)
	c.dynByExpr[key] = p
	return p
}

// splitMarkers splits s into literal text and placeholders.
func (c *conversion) splitMarkers(s string) []part {
	if c.prefix == "" || !strings.Contains(s, c.prefix) {
		return []part{{text: s}}
	}
	var parts []part
	for {
		i := strings.Index(s, c.prefix)
		if i < 0 {
			break
		}
		j := i + len(c.prefix)
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		id, err := strconv.Atoi(s[j:k])
		if err != nil || k >= len(s) || s[k] != 'Z' || id >= len(c.placeholders) {
			parts = appendText(parts, s[:j])
			s = s[j:]
			continue
		}
		parts = appendText(parts, s[:i])
		parts = append(parts, part{ph: c.placeholders[id]})
		s = s[k+1:]
	}
	return appendText(parts, s)
}

// appendText appends literal text to parts, merging with a literal before it.
func appendText(parts []part, t string) []part {
	if t == "" {
		return parts
	}
	if n := len(parts); n > 0 && parts[n-1].ph == nil {
		parts[n-1].text += t
		return parts
	}
	return append(parts, part{text: t})
}

// part is a piece of a string value: literal text, or a placeholder.
type part struct {
	text string
	ph   *placeholder
}
