package convert

import (
	"bytes"
	"html"
	"path"
	"regexp"
	"strings"

	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
	"github.com/tdewolff/parse/v2/js"
)

// page is what one input file holds of Sobot.
type page struct {
	src     *source
	ev      *evaluator
	globals map[string]*binding

	config       []configItem // zc("config", ...) members, in order
	events       []event      // the other zc calls
	links        []*linkRef   // Sobot URLs: chat links, the loader, ...
	loaderClass  []classAssign
	nonce        *value // the first nonce attribute of a script element
	nonceOff     int
	zcCalls      int
	scripts      int  // scripts parsed, bounded by maxPerFile
	tooManyLinks bool // Sobot URLs past maxPerFile were not read
}

// configItem is one member of a zc("config", {...}) object.
type configItem struct {
	key string
	val *value
	off int
}

// event is a zc call other than config.
type event struct {
	name string // frame_ready, frame_manual, trace, ...
	cx   ctx
	cb   *value // the callback argument, if any
	arg  *value // trace's object
	off  int
}

// linkRef is a Sobot URL found in the input.
type linkRef struct {
	text   string // the URL, placeholders as markers
	off    int
	where  string // "href", "src", "text", "script", ...
	tag    string // the element of an attribute
	class  string // the class attribute of a <script src> loader
	attrs  []attr // the element's attributes
	target string // for x.src = "...": x, whose className is the loader's class
}

// classAssign is x.className = "..." in a script.
type classAssign struct {
	target string // x
	val    *value
	off    int
}

// attr is one attribute of an element.
type attr struct {
	key, val string
	off      int
}

// read reads one file into a page.
func (c *conversion) read(f File) error {
	s, err := c.newSource(f.Name, f.Src)
	if err != nil {
		return err
	}
	pg := &page{src: s, globals: map[string]*binding{}, nonceOff: -1}
	pg.ev = &evaluator{c: c, pg: pg, bindings: map[*js.Var]*binding{}}
	if s.statements > 0 {
		line, col := s.origPos(s.firstStmt)
		c.find(Finding{Kind: Note, File: s.name, Line: line, Col: col,
			Message: "template statements ({{if}}, {% for %}, <?php ... ?>, ...) were removed: every branch of the page is read as if present"})
	}
	switch kindOf(f.Name, s.text) {
	case "script":
		if sc := c.parseScript(pg, s.text, 0, "the script"); sc != nil {
			c.walkScript(pg, sc)
		}
	case "links":
		pg.findLinks(&value{kind: kStr, parts: c.splitMarkers(string(s.text)), off: 0}, "text", s)
	default:
		c.readHTML(pg)
	}
	if c.err != nil {
		return c.err
	}
	c.pages = append(c.pages, pg)
	return nil
}

// kindOf says how to read a file: "html", "script" or "links".
func kindOf(name string, text []byte) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".mjs", ".cjs", ".ts":
		return "script"
	case ".txt", ".url", ".urls":
		return "links"
	}
	t := bytes.TrimSpace(text)
	lower := bytes.ToLower(t)
	switch {
	case len(t) == 0:
		return "links"
	case t[0] == '<', bytes.Contains(lower, []byte("<script")), bytes.Contains(lower, []byte("<a ")),
		bytes.Contains(lower, []byte("<web-view")):
		return "html"
	case bytes.HasPrefix(lower, []byte("http://")), bytes.HasPrefix(lower, []byte("https://")):
		return "links"
	}
	return "script"
}

// scriptTypes are the type attributes of script elements that hold
// JavaScript.
var scriptTypes = map[string]bool{
	"": true, "text/javascript": true, "application/javascript": true, "module": true,
	"text/ecmascript": true, "application/ecmascript": true, "text/jscript": true,
}

// readHTML reads a page or template: its script elements, event handler
// attributes, and Sobot URLs in attributes and text.
func (c *conversion) readHTML(pg *page) {
	// The lexer lowers tag and attribute names in place: give it a copy.
	buf := make([]byte, len(pg.src.text), len(pg.src.text)+1)
	copy(buf, pg.src.text)
	l := htmllex.NewLexer(parse.NewInputBytes(buf))
	var tag string
	var attrs []attr
	inScript, inStyle := false, false
	var scriptAttrs []attr
	for c.err == nil {
		tt, data := l.Next()
		switch tt {
		case htmllex.ErrorToken:
			return
		case htmllex.StartTagToken:
			tag, attrs = string(l.Text()), nil
		case htmllex.AttributeToken:
			raw := l.AttrVal()
			off := offsetIn(buf, raw)
			val := string(raw)
			if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
				val, off = val[1:len(val)-1], off+1
			} else if len(val) == 1 && (val[0] == '"' || val[0] == '\'') {
				val = ""
			}
			attrs = append(attrs, attr{key: string(l.AttrKey()), val: unescapeAttr(val), off: off})
		case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
			c.element(pg, tag, attrs)
			inScript = tag == "script" && tt == htmllex.StartTagCloseToken
			inStyle = tag == "style" && tt == htmllex.StartTagCloseToken
			if inScript {
				scriptAttrs = attrs
			}
		case htmllex.EndTagToken:
			inScript, inStyle = false, false
		case htmllex.TextToken:
			off := offsetIn(buf, data)
			switch {
			case inScript:
				typ := strings.ToLower(strings.TrimSpace(attrValue(scriptAttrs, "type")))
				if scriptTypes[typ] && attrValue(scriptAttrs, "src") == "" {
					line, _ := pg.src.pos(off)
					what := "the script element at line " + itoa(line)
					if sc := c.parseScript(pg, data, off, what); sc != nil {
						c.walkScript(pg, sc)
					}
				} else if mentionsSobot(data) {
					pg.findLinks(&value{kind: kStr, parts: c.splitMarkers(string(data)), off: off}, "text", pg.src)
				}
			case inStyle:
			default:
				text := string(data)
				if strings.Contains(text, "&") {
					text = html.UnescapeString(text)
				}
				pg.findLinks(&value{kind: kStr, parts: c.splitMarkers(text), off: off}, "text", pg.src)
			}
		}
	}
}

// attrValue returns the value of the attribute key, or "".
func attrValue(attrs []attr, key string) string {
	for _, a := range attrs {
		if a.key == key {
			return a.val
		}
	}
	return ""
}

// entityRef matches a character reference ended by a semicolon.
var entityRef = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// unescapeAttr decodes the character references of an attribute value as
// a browser does: only those ended by ';' (so "&params=" stays, where a
// lenient decoder would read "&para" as ¶).
func unescapeAttr(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entityRef.ReplaceAllStringFunc(s, html.UnescapeString)
}

// element handles a start tag with its attributes.
func (c *conversion) element(pg *page, tag string, attrs []attr) {
	elem := elemSel{what: "<" + tag + ">"}
	if id := attrValue(attrs, "id"); id != "" && !strings.Contains(id, c.prefix) {
		elem = elemSel{name: id}
	} else if cls := strings.Fields(attrValue(attrs, "class")); len(cls) > 0 && !strings.Contains(cls[0], c.prefix) {
		elem = elemSel{byClass: true, name: cls[0]}
	}
	for _, a := range attrs {
		switch {
		case strings.HasPrefix(a.key, "on") && len(a.key) > 2:
			event := a.key[2:]
			cx := ctx{kind: ctxClick, elem: elem, via: "the " + a.key + " attribute"}
			if event != "click" {
				cx = ctx{kind: ctxOther, what: "the " + a.key + " attribute of <" + tag + ">"}
			}
			c.handlerAttr(pg, a.val, a.off, cx, "the "+a.key+" attribute of <"+tag+">")
		case strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.val)), "javascript:"):
			body := strings.TrimSpace(a.val)[len("javascript:"):]
			c.handlerAttr(pg, body, a.off+len("javascript:"), ctx{kind: ctxClick, elem: elem, via: "a javascript: URL"}, "the "+a.key+" of <"+tag+">")
		case tag == "script" && a.key == "nonce" && pg.nonce == nil:
			pg.nonce = &value{kind: kStr, parts: c.splitMarkers(a.val), off: a.off}
			pg.nonceOff = a.off
		default:
			v := &value{kind: kStr, parts: c.splitMarkers(a.val), off: a.off}
			n := len(pg.links)
			pg.findLinks(v, a.key, pg.src)
			for _, l := range pg.links[n:] {
				l.tag, l.attrs = tag, attrs
				if tag == "script" {
					l.class = attrValue(attrs, "class")
				}
			}
		}
	}
}

// handlerAttr reads an event handler attribute as a function body.
func (c *conversion) handlerAttr(pg *page, body string, off int, cx ctx, what string) {
	if !mentionsSobot([]byte(body)) {
		return
	}
	const open = "(function(event){\n"
	text := []byte(open + body + "\n})")
	sc := c.parseScript(pg, text, off-len(open), what)
	if sc == nil {
		return
	}
	ev := pg.ev
	saved := ev.sc
	ev.sc = sc
	c.collectBindings(pg, sc)
	s := &scanner{ev: ev, visited: map[*js.FuncDecl]bool{}}
	// The script is one expression statement: the function; walk its body.
	if es, ok := sc.ast.List[0].(*js.ExprStmt); ok {
		if body, fd := s.fnArg(es.Value); body != nil {
			s.enter(body, fd, cx, 0)
		}
	}
	ev.sc = saved
}

// sobotPath matches the paths of Sobot's pages and loader.
var sobotPath = regexp.MustCompile(`/chat/(h5|pc)/(v[0-9]+/)?(index|leavemessage)\.html|/chat/frame/v[0-9]+/entrance\.js`)

// findLinks records the Sobot URLs in a string value: chat, leave-message
// and ticket links and the loader's URL.
func (pg *page) findLinks(v *value, where string, src *source) {
	c := pg.ev.c
	text := v.text(c.marker)
	if !strings.Contains(text, "/chat/") && !strings.Contains(text, "params=") && !strings.Contains(text, "¶ms=") {
		return
	}
	spans := urlSpans(text, c.prefix)
	if where != "text" {
		// An attribute's value or a script's string that is a URL is one
		// URL, whatever it holds (the reference's goods link has quotes
		// and brackets in its query).
		if t := strings.TrimSpace(text); len(spans) > 0 && strings.Index(text, t) == spans[0][0] {
			spans = [][2]int{{spans[0][0], spans[0][0] + len(t)}}
		}
	}
	for _, span := range spans {
		if len(pg.links) >= maxPerFile {
			if !pg.tooManyLinks {
				pg.tooManyLinks = true
				line, col := src.pos(v.off)
				c.find(Finding{Kind: Skipped, File: src.name, Line: line, Col: col,
					Message: "more than " + itoa(maxPerFile) + " Sobot URLs in one file: the rest are not read"})
			}
			return
		}
		u := text[span[0]:span[1]]
		if !sobotPath.MatchString(u) && !isTicketLink(u) {
			continue
		}
		off := v.off
		if off >= 0 && v.static() && where != "script" {
			off += span[0]
		}
		pg.links = append(pg.links, &linkRef{text: u, off: off, where: where})
	}
	if strings.Contains(text, "¶ms=") {
		line, col := src.pos(v.off)
		c.find(Finding{Kind: Skipped, File: src.name, Line: line, Col: col, Param: "params",
			Message: `"¶ms=" is where "&params=" was meant (an HTML page read "&para" as ¶, as the reference's own text shows it): not converted; write "&params=" after the ticket plugin's link`})
	}
}

// isTicketLink reports whether u looks like a ticket plugin's link with
// params: a params parameter holding a JSON object.
func isTicketLink(u string) bool {
	for _, sep := range []string{"?params=", "&params="} {
		if i := strings.Index(u, sep); i >= 0 {
			rest := u[i+len(sep):]
			return strings.HasPrefix(rest, "{") || strings.HasPrefix(strings.ToUpper(rest), "%7B")
		}
	}
	return false
}

// urlSpans returns the spans of the http(s) URLs in text, including
// protocol-relative ones and those whose host is a placeholder. It scans
// text once.
func urlSpans(text, prefix string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(text); i++ {
		if !urlStart(text[i:], prefix) {
			continue
		}
		start, end := i, i
		for end < len(text) && !strings.ContainsRune(" \t\r\n\"'<>`", rune(text[end])) {
			end++
		}
		// A URL in prose may end with punctuation that is not part of it.
		for end > start && strings.ContainsRune(".,;:)]，。", rune(text[end-1])) {
			end--
		}
		if end > start {
			spans = append(spans, [2]int{start, end})
		}
		i = max(end, start+1) - 1
	}
	return spans
}

// urlStart reports whether a URL starts at the beginning of s: a scheme,
// "//", or a placeholder followed by a Sobot path.
func urlStart(s, prefix string) bool {
	switch s[0] {
	case 'h', 'H':
		l := strings.ToLower(s[:min(len(s), 8)])
		return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
	case '/':
		return strings.HasPrefix(s, "//")
	}
	return prefix != "" && strings.HasPrefix(s, prefix) && strings.HasPrefix(afterMarker(s, prefix), "/chat/")
}

// afterMarker returns what follows the marker at the start of s.
func afterMarker(s, prefix string) string {
	s = s[len(prefix):]
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && s[i] == 'Z' {
		return s[i+1:]
	}
	return s
}
