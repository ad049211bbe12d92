package convert

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTemplateTags: each template syntax is a placeholder (its value is
// written into the page) or a statement (removed); text that only looks
// like one stays.
func TestTemplateTags(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		exprs     []string // the placeholders, in order
		stmts     int
		text      string // the text after replacement, markers as <1>, <2>...
	}{
		{"go template", `a{{.User.ID}}b`, []string{"{{.User.ID}}"}, 0, "a<0>b"},
		{"go trim markers", `{{- .Name -}}`, []string{"{{- .Name -}}"}, 0, "<0>"},
		{"go control", `{{if .X}}a{{else}}b{{end}}`, nil, 3, "ab"},
		{"go comment", `a{{/* note */}}b`, nil, 0, "ab"},
		{"handlebars block", `{{#if x}}a{{/if}}`, nil, 2, "a"},
		{"handlebars raw", `{{{html}}}`, []string{"{{{html}}}"}, 0, "<0>"},
		{"handlebars comment", `{{!-- c --}}x`, nil, 0, "x"},
		{"jinja", `{% if u %}{{ u.id|e }}{% endif %}{# c #}`, []string{"{{ u.id|e }}"}, 2, "<0>"},
		{"php echo", `<?= $uid ?>|<?php echo $u->name; ?>|<?php $x = 1; ?>`, []string{"<?= $uid ?>", "<?php echo $u->name; ?>"}, 1, "<0>|<1>|"},
		{"erb and ejs", `<%= user.id %><%- raw %><% if (x) { %><%# c %>`, []string{"<%= user.id %>", "<%- raw %>"}, 1, "<0><1>"},
		{"jsp", `<%@ page x %>${user.id}<%-- c --%>`, []string{"${user.id}"}, 1, "<0>"},
		{"thymeleaf", `[[${user.id}]]`, []string{"[[${user.id}]]"}, 0, "<0>"},
		{"same expression twice", `{{.ID}}-{{.ID}}`, []string{"{{.ID}}"}, 0, "<0>-<0>"},
		{"js template literal", "`user-${id}` ${el}", []string{"${el}"}, 0, "`user-${id}` <0>"},
		{"unclosed", `a {{ b`, nil, 0, "a {{ b"},
		{"too long", "{{" + strings.Repeat("x", maxExprLen+1) + "}}", nil, 0, "{{" + strings.Repeat("x", maxExprLen+1) + "}}"},
		{"email is not razor", `me@example.com`, nil, 0, "me@example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newConversion(Options{})
			c.prefix = "P"
			s, err := c.newSource("x.html", []byte(tc.src))
			require.NoError(t, err)
			var exprs []string
			for _, p := range c.placeholders {
				exprs = append(exprs, p.expr)
			}
			assert.Equal(t, tc.exprs, exprs)
			assert.Equal(t, tc.stmts, s.statements)
			text := string(s.text)
			for i := range c.placeholders {
				text = strings.ReplaceAll(text, c.marker(c.placeholders[i]), "<"+itoa(i)+">")
			}
			assert.Equal(t, tc.text, text)
		})
	}
}

// TestRazor: @Model.X is a placeholder in Razor files only.
func TestRazor(t *testing.T) {
	c := newConversion(Options{})
	c.prefix = "P"
	_, err := c.newSource("x.cshtml", []byte(`uid: "@Model.UserId", at @media and me@example.com, @(User.Name)`))
	require.NoError(t, err)
	var exprs []string
	for _, p := range c.placeholders {
		exprs = append(exprs, p.expr)
	}
	assert.Equal(t, []string{"@Model.UserId", "@(User.Name)"}, exprs)
}

// TestPositions: positions in the replaced text map back to the original.
func TestPositions(t *testing.T) {
	c := newConversion(Options{})
	c.prefix = "P"
	src := "line one {{.A}}\nline {{if .B}}two{{end}} {{.C}}\n"
	s, err := c.newSource("x.html", []byte(src))
	require.NoError(t, err)
	i := strings.Index(string(s.text), "two")
	line, col := s.pos(i)
	assert.Equal(t, 2, line)
	assert.Equal(t, strings.Index("line {{if .B}}two", "two")+1, col)
	line, col = s.pos(strings.Index(string(s.text), c.marker(c.placeholders[1])))
	assert.Equal(t, [2]int{2, strings.Index("line {{if .B}}two{{end}} {{.C}}", "{{.C}}") + 1}, [2]int{line, col})
}

// TestNames: arguments are named after what the expression reads.
func TestNames(t *testing.T) {
	for _, tc := range []struct{ expr, param, want string }{
		{"{{.User.ID}}", "", "userID"},
		{"{{ user.name|urlencode }}", "", "userName"},
		{"<?= $uid ?>", "", "uid"},
		{"<?php echo htmlspecialchars($user->email); ?>", "", "userEmail"},
		{"${vip.levelId}", "", "vipLevelID"},
		{"window.currentUser.id", "", "currentUserID"},
		{"location.href", "", "locationHref"},
		{"{{.}}", "partnerid", "partnerid"},
		{"{{.Type}}", "", "typeValue"}, // type is a keyword
		{"<%= @order.url %>", "", "orderURL"},
		{"{{ 42 }}", "", "value"},
	} {
		assert.Equal(t, tc.want, nameFrom(tc.expr, tc.param), tc.expr)
	}
	for _, tc := range []struct{ file, want string }{
		{"stdin", "page"},
		{"templates/product-detail.html", "productDetail"},
		{"04_link_page.html", "linkPage"},
		{"type.js", "type"}, // the functions are typeWidget, typeChatLink, ...
		{"测试.html", "page"},
	} {
		assert.Equal(t, tc.want, baseName(tc.file), tc.file)
	}
}

// TestKindOf: files are read by their extension, or by what they hold.
func TestKindOf(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"a.js", "<p>", "script"},
		{"a.txt", "<p>", "links"},
		{"stdin", "  <!DOCTYPE html>", "html"},
		{"stdin", `zc("config", {})`, "script"},
		{"stdin", "https://www.sobot.com/chat/h5/v2/index.html?sysnum=x", "links"},
		{"page.tmpl", `{{define "x"}}<script>zc()</script>{{end}}`, "html"},
		{"stdin", "", "links"},
	} {
		assert.Equal(t, tc.want, kindOf(tc.name, []byte(tc.src)), "%s %q", tc.name, tc.src)
	}
}

// TestValues: the evaluator computes what JavaScript computes, and leaves
// what the page computes at run time as placeholders.
func TestValues(t *testing.T) {
	for _, tc := range []struct {
		name, script string // the script defines v
		want         string // JSON of the value, placeholders as <expr>
	}{
		{"numbers", `var v = [1, .5e1, 0x10, 0o7, 0b11, 1_000, -2, +"3"];`, `[1,5,16,7,3,1000,-2,3]`},
		{"minified booleans", `var v = [!0, !1, void 0, null];`, `[true,false,null,null]`},
		{"strings", `var v = ['a\'b', "\u4e2d\x41", "\uD83D\uDE00", ` + "`t${1+1}`" + `];`, `["a'b","中A","😀","t2"]`},
		{"concatenation", `var a = "x"; var v = a + 1 + "-" + true;`, `"x1-true"`},
		{"arithmetic", `var v = [1 + 2, 7 % 4, 2 * 3 - 1, 1 / 4];`, `[3,3,5,0.25]`},
		{"objects", `var o = {a: 1, 'b': 2, "c": 3, 4: 4, ["e"]: 5,}; var v = {...o, a: 0, f: o.c, g: o["b"]};`, `{"4":4,"a":0,"b":2,"c":3,"e":5,"f":3,"g":2}`},
		{"json", `var v = [JSON.stringify({b: [1, "x"], a: null}), JSON.parse('{"k": [true]}')];`, `["{\"b\":[1,\"x\"],\"a\":null}",{"k":[true]}]`},
		{"uri", `var v = [encodeURIComponent("a b/é!'()*"), decodeURIComponent("%E4%B8%AD")];`, `["a%20b%2F%C3%A9!'()*","中"]`},
		{"conditions", `var t = true; var v = [t ? "y" : "n", t && "and", null || "or", undefined ?? "nullish"];`, `["y","and","or","nullish"]`},
		{"methods", `var v = [" x ".trim(), [1, 2].join("-"), (5).toString(), "ab".length, [1, 2].length];`, `["x","1-2","5",2,2]`},
		{"placeholders", `var v = [user.id, "u-" + user.id, ` + "`${user.name}!`" + `, window.currentUser.id, getId()];`, `["<user.id>","u-<user.id>","<user.name>!","<window.currentUser.id>","<getId()>"]`},
		{"assigned twice", `var x = 1; x = 2; var v = x;`, `"<x>"`},
		{"declared then assigned", `var x; x = "late"; var v = x;`, `"late"`},
		{"defined by itself", `var x = x + 1; var v = x;`, `"<x + 1>"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, err := convertFiles([]File{{Name: "x.js", Src: []byte(tc.script + "\nzc(\"config\", {v: v});")}}, Options{})
			require.NoError(t, err)
			require.Len(t, c.pages[0].config, 1)
			got, err := marshalJSON(c.pages[0].config[0].val.plain(func(p *placeholder) string { return "<" + p.expr + ">" }))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
}

// TestScriptLinks: links are found in a script's strings however the
// script writes them.
func TestScriptLinks(t *testing.T) {
	for _, tc := range []struct{ name, script, want string }{
		{"literal", `a.href = "https://www.sobot.com/chat/h5/v2/index.html?sysnum=s";`, "https://www.sobot.com/chat/h5/v2/index.html?sysnum=s"},
		{"JSON-escaped slashes", `var cfg = {"url": "https:\/\/www.sobot.com\/chat\/h5\/v2\/index.html?sysnum=s"};`, "https://www.sobot.com/chat/h5/v2/index.html?sysnum=s"},
		{"concatenation", `var S = "s"; open("https://www.sobot.com/chat/pc/v2/index.html?sysnum=" + S + "&groupid=g");`, "https://www.sobot.com/chat/pc/v2/index.html?sysnum=s&groupid=g"},
		{"template literal", "open(`https://www.sobot.com/chat/pc/v6/index.html?sysnum=s&uname=${'x'}`);", "https://www.sobot.com/chat/pc/v6/index.html?sysnum=s&uname=x"},
		{"protocol-relative", `x.src = "//www.sobot.com/chat/frame/v2/entrance.js?sysnum=s";`, "//www.sobot.com/chat/frame/v2/entrance.js?sysnum=s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, err := convertFiles([]File{{Name: "x.js", Src: []byte(tc.script)}}, Options{})
			require.NoError(t, err)
			require.Len(t, c.pages[0].links, 1)
			assert.Equal(t, tc.want, c.pages[0].links[0].text)
		})
	}
}

// TestJSHelpers pins the small JavaScript equivalents.
func TestJSHelpers(t *testing.T) {
	for f, want := range map[float64]string{0: "0", 1: "1", -1.5: "-1.5", 1e21: "1e+21", 1e-7: "1e-7", 123456789012: "123456789012", math.Inf(1): "Infinity"} {
		assert.Equal(t, want, jsNumber(f))
	}
	assert.Equal(t, "a%20b!'()*~%E4%B8%AD", encodeURIComponent("a b!'()*~中"))
	assert.Equal(t, "tab\there", unquoteJS([]byte(`"tab\there"`), '"'))
	assert.Equal(t, `x\y`, unquoteJS([]byte(`'x\\y'`), '\''))
	assert.Equal(t, "line continues", unquoteJS([]byte("'line \\\ncontinues'"), '\''))
	assert.Equal(t, "a&b <&params=x> ¶", unescapeAttr("a&amp;b &lt;&params=x&gt; &para;"))
	assert.Equal(t, "function () {\n  a();\n}", dedent("function () {\n      a();\n    }"))
	spans := urlSpans("see https://x.com/chat/h5/v2/index.html?a=1, and //y.com/chat/pc/v2/index.html.", "P")
	require.Len(t, spans, 2)
	s := "see https://x.com/chat/h5/v2/index.html?a=1, and //y.com/chat/pc/v2/index.html."
	assert.Equal(t, "https://x.com/chat/h5/v2/index.html?a=1", s[spans[0][0]:spans[0][1]])
	assert.Equal(t, "//y.com/chat/pc/v2/index.html", s[spans[1][0]:spans[1][1]])
}

// TestLoaderClass: the loader's class is the class attribute of its
// element, or the className its bootstrap sets on the element it loads;
// other elements' classes are not taken for it.
func TestLoaderClass(t *testing.T) {
	const loader = `https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=s`
	for _, tc := range []struct{ name, page, want string }{
		{"attribute", `<script id="zhichiScript" class="chat-btn" async src="` + loader + `"></script>`, `the loader has class "chat-btn"`},
		{"bootstrap", `<script>(function (w, d, e, x) { x = d.createElement("script"); x.className = "chat-btn"; x.src = "` + loader + `"; })(window, document, "zc");</script>`, `the loader has class "chat-btn"`},
		{"another element", `<script src="` + loader + `" async></script><script>menu.className = "open";</script>`, ""},
		{"custom buttons", `<script>(function (w, d, e, x) { x = d.createElement("script"); x.className = "zhiCustomBtn"; x.src = "` + loader + `"; })(window, document, "zc"); zc("config", {custom: true});</script>`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Convert("x.html", []byte(tc.page))
			require.NoError(t, err)
			var got string
			for _, f := range res.Findings {
				if f.Param == "custom" && f.Kind == Changed {
					got = f.Message
				}
			}
			if tc.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tc.want)
			}
		})
	}
}

// TestNoSignInOutput: a sign written into a page, static or computed, is
// never copied into the generated code, its comments or its findings.
func TestNoSignInOutput(t *testing.T) {
	const sign = "0123456789abcdef0123456789abcdef"
	page := `<a href="https://www.sobot.com/chat/h5/v2/index.html?sysnum=s&partnerid=u-1&sign=` + sign + `">chat</a>
<a href="https://www.sobot.com/chat/h5/index.html?sysNum=s&partnerid=u-1&sign=` + sign + `">old chat</a>
<script>zc("config", {partnerid: "u-1", sign: "` + sign + `"});</script>`
	res, err := Convert("x.html", []byte(page))
	require.NoError(t, err)
	assert.NotContains(t, string(res.Go), sign)
	for _, f := range res.Findings {
		assert.NotContains(t, f.String(), sign)
	}
	assert.Contains(t, string(res.Go), "&sign=...")
	assert.Contains(t, string(res.Go), `Key: sobot.NewKey(os.Getenv("SOBOT_KEY"))`)
}

// TestConvertConcurrently: conversions share no state (run with -race).
func TestConvertConcurrently(t *testing.T) {
	pages := rtCases(t, "pages", nil)
	done := make(chan error, len(pages)*2)
	for range 2 {
		for _, p := range pages {
			go func() {
				_, err := ConvertFiles([]File{{Name: p.files[0].Name, Src: p.files[0].Src}}, Options{})
				done <- err
			}()
		}
	}
	for range len(pages) * 2 {
		assert.NoError(t, <-done)
	}
}

// TestNamer: names are unique, and asking for one base name many times is
// cheap.
func TestNamer(t *testing.T) {
	n := newNamer()
	assert.Equal(t, "a", n.unique("a"))
	assert.Equal(t, "a2", n.unique("a"))
	assert.Equal(t, "a23", n.unique("a23"))
	for range 20 {
		n.unique("a")
	}
	assert.Equal(t, "a24", n.unique("a"), "a23 was taken")
	for range 100000 {
		n.unique("value")
	}
	assert.Equal(t, "value100001", n.unique("value"))
}
