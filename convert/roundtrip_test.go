package convert

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The round trip: every case is converted, the generated code of all cases
// is built as one program in a temporary module (which uses this
// repository through a replace directive) and run, and what it builds is
// compared, as values, with what the input holds. A difference is allowed
// only for a parameter or call that a finding of the conversion names.

// Round-trip constants: the key and sysnum the generated programs read
// from the environment.
const (
	rtKey    = "round-trip-key-0123456789abcdef"
	rtSysNum = "0f0e0d0c0b0a09080706050403020100"
)

// rtCase is one input of the round trip.
type rtCase struct {
	name  string
	files []File
	// samples gives the value of a string argument, by argument name;
	// others get "v-" + name.
	samples map[string]string
}

// referenceExpectations are the outcomes the reference's examples are
// held to: "exact" (the generated code builds exactly what the example
// does), "named" (it differs only where a finding says so), or the text
// of the error converting it gives.
var referenceExpectations = map[string]string{
	"01_miniprogram_webview.wxml":  "exact",
	"02_miniprogram_msgfn.js":      "no Sobot integration found",
	"03_wx_downloadfile.js":        "no Sobot integration found",
	"04_link_page.html":            "exact",
	"05_jssdk_page.html":           "exact",
	"06_config_basic.js":           "exact",
	"07_auto_init_page.html":       "exact",
	"08_manual_init.js":            "not valid JavaScript",
	"09_custom_client.js":          "exact",
	"10_custom_button_page.html":   "exact",
	"11_dynamic_ready.html":        "named",
	"12_receive_message.js":        "exact",
	"13_offline_message_count.js":  "exact",
	"14_locale.js":                 "exact",
	"15_product_card.js":           "exact",
	"16_order_card_widget.js":      "exact",
	"17_order_card_link.html":      "exact",
	"18_crm.js":                    "exact",
	"19_params.js":                 "exact",
	"20_customer_fields.js":        "exact",
	"21_reception_mode.js":         "exact",
	"22_transfer_action.js":        "exact",
	"23_is_vip.js":                 "exact",
	"24_user_label.js":             "exact",
	"25_invite.js":                 "exact",
	"26_auto_expand.js":            "exact",
	"27_invite_flag.js":            "exact",
	"28_man_trace.js":              "exact",
	"29_visit_args.js":             "named",
	"30_manual_trace.js":           "named",
	"31_leave_message_evaluate.js": "not valid JavaScript",
	"32_robotid.js":                "exact",
	"33_time.js":                   "exact",
	"34_to_customsys.js":           "exact",
	"35_anchor.js":                 "exact",
	"36_frame_status.js":           "exact",
	"37_frame_ready.js":            "exact",
	"38_collapse_onmessage.js":     "exact",
	"39_reload.js":                 "exact",
	"40_emoji_state.js":            "exact",
	"41_is_link.js":                "exact",
	"42_show_face.js":              "exact",
	"43_leave_message_link.txt":    "exact",
	"44_ticket_params.txt":         "no Sobot integration found",
}

// pageSamples are the string arguments of the realistic pages that must
// hold a valid value (URLs); the others get "v-" + name.
var pageSamples = map[string]map[string]string{
	"product.gohtml": {"productURL": "https://shop.example.com/p/1", "productImage": "https://img.example.com/p/1.png"},
	"order.php":      {"orderStatus": "1"},
	"spa.js":         {"userAvatar": "https://img.example.com/u/1.png", "locationHref": "https://shop.example.com/list?page=2"},
}

// pageExpectations are the outcomes of the realistic pages.
var pageExpectations = map[string]string{
	"help.jinja":     "exact",
	"order.php":      "exact",
	"product.gohtml": "named",
	"snippet.html":   "named",
	"spa.js":         "exact",
	"vip.jsp":        "named",
}

// rtCases returns the cases of a testdata directory.
func rtCases(t *testing.T, dir string, samples map[string]map[string]string) []rtCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	require.NoError(t, err)
	var cases []rtCase
	for _, p := range paths {
		if strings.HasSuffix(p, ".md") {
			continue
		}
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		name := filepath.Base(p)
		cases = append(cases, rtCase{name: name, files: []File{{Name: name, Src: src}}, samples: samples[name]})
	}
	return cases
}

// rtResult is the outcome of one case.
type rtResult struct {
	c       *conversion
	res     *Result
	err     error
	pkg     string
	samples map[*placeholder]string // string arguments' values
	diffs   []rtDiff
}

// rtDiff is one difference between the input and what the code builds.
type rtDiff struct {
	param string // the parameter or call it concerns
	msg   string
	named bool // a finding names param
}

func (d rtDiff) String() string { return d.param + ": " + d.msg }

// outcome is "exact", "named" or "differs".
func (r *rtResult) outcome() string {
	out := "exact"
	for _, d := range r.diffs {
		if !d.named {
			return "differs"
		}
		out = "named"
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program: not in -short mode")
	}
	start := time.Now()
	ref := rtCases(t, "reference", nil)
	pages := rtCases(t, "pages", pageSamples)
	require.Len(t, ref, len(referenceExpectations), "every reference example has an expectation")
	require.Len(t, pages, len(pageExpectations), "every page has an expectation")
	all := append(append([]rtCase{}, ref...), pages...)

	dir := t.TempDir()
	results := make([]*rtResult, len(all))
	var runs []string
	for i, tc := range all {
		r := &rtResult{pkg: fmt.Sprintf("case%02d", i)}
		results[i] = r
		r.c, r.res, r.err = convertFiles(tc.files, Options{Package: r.pkg})
		if r.err != nil {
			continue
		}
		harness := writeHarness(t, r, tc.samples)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, r.pkg), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, r.pkg, "code.go"), fillHost(r.res.Go), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, r.pkg, "run.go"), []byte(harness), 0o644))
		runs = append(runs, r.pkg)
	}
	outputs := buildAndRun(t, dir, runs)
	exact := []string{}
	for i, tc := range all {
		r := results[i]
		want := referenceExpectations[tc.name]
		if i >= len(ref) {
			want = pageExpectations[tc.name]
		}
		t.Run(tc.name, func(t *testing.T) {
			if r.err != nil {
				assert.Contains(t, r.err.Error(), want, "converting gives an error")
				return
			}
			require.Contains(t, outputs, r.pkg)
			compareCase(t, r, outputs[r.pkg])
			for _, d := range r.diffs {
				t.Logf("difference: %s (named by a finding: %v)", d, d.named)
			}
			assert.Equal(t, want, r.outcome(), "%s", r.res.Go)
		})
		if i < len(ref) && r.err == nil && r.outcome() == "exact" {
			exact = append(exact, tc.name)
		}
	}
	t.Logf("reference examples that convert and round-trip exactly: %d of %d: %s", len(exact), len(ref), strings.Join(exact, ", "))
	t.Logf("round trip of %d cases in %s", len(all), time.Since(start).Round(time.Millisecond))
}

// fillHost does what the generated code's TODO asks of its user: it writes
// a company's host where the reference has its placeholder ***, which
// NewClient refuses. Links compared with the input's get the same host.
func fillHost(code []byte) []byte {
	return bytes.ReplaceAll(code, []byte("//"+hostPlaceholder+"."), []byte("//acme."))
}

// moduleRoot returns the repository's root directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	return filepath.Dir(wd)
}

// buildAndRun writes the temporary module's go.mod and main package, builds
// it once and runs it. It returns each case's output lines.
func buildAndRun(t *testing.T, dir string, pkgs []string) map[string][]map[string]string {
	t.Helper()
	root := moduleRoot(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	// The repository's own requirements, so that its go.sum covers them.
	reqs := regexp.MustCompile(`(?s)require \((.*?)\)`).FindAllSubmatch(mod, -1)
	var gomod strings.Builder
	gomod.WriteString("module roundtrip\n\ngo 1.26\n\nrequire github.com/sobotgo/sobot v0.0.0\n\n")
	for _, r := range reqs {
		gomod.WriteString("require (" + string(r[1]) + ")\n\n")
	}
	gomod.WriteString("replace github.com/sobotgo/sobot => " + root + "\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod.String()), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))

	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"encoding/json\"\n\t\"os\"\n\n")
	for _, p := range pkgs {
		main.WriteString("\t\"roundtrip/" + p + "\"\n")
	}
	main.WriteString(")\n\nfunc main() {\n\tout := map[string][]map[string]string{}\n")
	for _, p := range pkgs {
		main.WriteString("\tout[\"" + p + "\"] = " + p + ".Run()\n")
	}
	main.WriteString("\tjson.NewEncoder(os.Stdout).Encode(out)\n}\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(main.String()), 0o644))

	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	bin := filepath.Join(dir, "roundtrip.bin")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Env = dir, env
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the generated code:\n%s", out)

	run := exec.Command(bin)
	run.Env = append(os.Environ(), "SOBOT_KEY="+rtKey, "SOBOT_SYSNUM="+rtSysNum)
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	require.NoError(t, run.Run(), "running the generated code: %s", stderr.String())
	var res map[string][]map[string]string
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res))
	return res
}

// writeHarness returns a file of the case's package whose Run calls every
// generated function with sample arguments and reports what they build.
func writeHarness(t *testing.T, r *rtResult, samples map[string]string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "code.go", r.res.Go, 0)
	require.NoError(t, err, "%s", r.res.Go)
	imports := map[string]bool{"github.com/sobotgo/sobot": false}
	r.samples = map[*placeholder]string{}
	argOf := map[string]*placeholder{}
	for ph, name := range r.c.gen.argNames {
		argOf[name] = ph
	}
	args := func(fd *ast.FuncDecl) []string {
		var out []string
		for _, field := range fd.Type.Params.List {
			for _, n := range field.Names {
				if n.Name != "client" {
					out = append(out, n.Name+"_")
				}
			}
		}
		return out
	}
	var b strings.Builder
	b.WriteString("func Run() (out []map[string]string) {\n")
	b.WriteString("\tadd := func(fn, kind, text string, err error) {\n\t\tm := map[string]string{\"func\": fn, \"kind\": kind, \"text\": text}\n\t\tif err != nil {\n\t\t\tm[\"error\"] = err.Error()\n\t\t}\n\t\tout = append(out, m)\n\t}\n")
	clients := map[string]bool{}
	for _, cl := range r.c.clients {
		clients[cl.name] = true
	}
	decls := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			decls[fd.Name.Name] = fd
		}
	}
	// Arguments as variables, so that each name has one value.
	declared := map[string]bool{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		for _, field := range fd.Type.Params.List {
			typ := exprString(fset, field.Type)
			for _, n := range field.Names {
				if n.Name == "client" || declared[n.Name] {
					continue
				}
				declared[n.Name] = true
				v, imp := sampleValue(n.Name, typ, samples)
				if imp != "" {
					imports[imp] = true
				}
				if typ == "string" {
					s, _ := strconv.Unquote(v)
					r.samples[argOf[n.Name]] = s
				}
				b.WriteString("\tvar " + n.Name + "_ " + typ + " = " + v + "\n\t_ = " + n.Name + "_\n")
			}
		}
	}
	for _, cl := range r.c.clients {
		fd := decls[cl.name]
		if fd == nil {
			continue
		}
		b.WriteString("\t" + cl.name + "_, err := " + cl.name + "(" + strings.Join(args(fd), ", ") + ")\n")
		b.WriteString("\tif err != nil {\n\t\tadd(\"" + cl.name + "\", \"client\", \"\", err)\n\t\treturn\n\t}\n")
	}
	for _, u := range r.c.units {
		fd := decls[u.name]
		require.NotNil(t, fd, "function %s", u.name)
		a := args(fd)
		switch {
		case u.method == "widget":
			b.WriteString("\t{\n\t\tw := " + u.name + "(" + strings.Join(a, ", ") + ")\n")
			b.WriteString("\t\ts, err := " + u.client.name + "_.RenderWidget(&w)\n")
			b.WriteString("\t\tadd(\"" + u.name + "\", \"widget\", s.String(), err)\n\t}\n")
		case u.method == "TicketURL":
			b.WriteString("\t{\n\t\tl, err := " + u.name + "(" + strings.Join(a, ", ") + ")\n")
			b.WriteString("\t\tadd(\"" + u.name + "\", \"link\", l, err)\n\t}\n")
		default:
			b.WriteString("\t{\n\t\tl, err := " + u.name + "(" + strings.Join(append([]string{u.client.name + "_"}, a...), ", ") + ")\n")
			b.WriteString("\t\tadd(\"" + u.name + "\", \"link\", l, err)\n\t}\n")
		}
	}
	b.WriteString("\treturn out\n}\n")
	var head strings.Builder
	head.WriteString("package " + r.pkg + "\n\nimport (\n")
	for imp := range imports {
		head.WriteString("\t\"" + imp + "\"\n")
	}
	head.WriteString(")\n\nvar _ = sobot.On\n\n")
	return head.String() + b.String()
}

// exprString prints a type expression.
func exprString(_ *token.FileSet, e ast.Expr) string { return types.ExprString(e) }

// sampleValue returns the Go expression of an argument's sample value and
// the import it needs.
func sampleValue(name, typ string, samples map[string]string) (string, string) {
	switch typ {
	case "string":
		if s, ok := samples[name]; ok {
			return strconv.Quote(s), ""
		}
		return strconv.Quote("v-" + name), ""
	case "sobot.Toggle":
		return "sobot.On", ""
	case "int":
		return "30", ""
	case "int64":
		return "100", ""
	case "bool":
		return "true", ""
	case "time.Time":
		return "time.UnixMilli(1586414406391)", "time"
	case "map[string]string":
		return `map[string]string{"k": "v"}`, ""
	case "[]sobot.Goods":
		return `[]sobot.Goods{{Name: "n", PictureURL: "https://img.example.com/g.png"}}`, ""
	case "[]sobot.TransferRule":
		return `[]sobot.TransferRule{{Target: sobot.ToGroup, ID: "g"}}`, ""
	case "sobot.ReceptionMode", "sobot.TitleMode", "sobot.Location", "sobot.Spill":
		return "1", ""
	}
	return "*new(" + typ + ")", ""
}

// compareCase compares what the case's input holds with what its
// generated code built, recording the differences in r.diffs.
func compareCase(t *testing.T, r *rtResult, outs []map[string]string) {
	t.Helper()
	named := map[string]bool{}
	for _, f := range r.res.Findings {
		switch f.Kind {
		case Extra, Changed, Dropped, Skipped:
			named[f.Param] = true
		}
	}
	diff := func(param, format string, a ...any) {
		r.diffs = append(r.diffs, rtDiff{param: param, msg: fmt.Sprintf(format, a...), named: named[param]})
	}
	byFunc := map[string]map[string]string{}
	for _, o := range outs {
		if o["error"] != "" {
			diff(o["func"], "the generated code fails: %s", o["error"])
			continue
		}
		byFunc[o["func"]] = o
	}
	mark := func(ph *placeholder) string {
		if s, ok := r.samples[ph]; ok {
			return s
		}
		return "\x00dynamic:" + ph.expr
	}
	for _, u := range r.c.units {
		o := byFunc[u.name]
		if o == nil {
			continue
		}
		if u.method == "widget" {
			compareWidget(r, u, o["text"], mark, diff)
		} else {
			compareLink(u, o["text"], mark, diff)
		}
	}
	// Every Sobot link of the input has a function (or a finding).
	for _, pg := range r.c.pages {
		for _, l := range pg.links {
			if !linkConverted(r, l) {
				diff("link", "%s has no function", l.text)
			}
		}
	}
}

// linkConverted reports whether a link of the input became a unit or the
// loader, or a finding says why not.
func linkConverted(r *rtResult, l *linkRef) bool {
	for _, u := range r.c.units {
		if u.link == withoutSign(r.c.restoreMarkers(l.text)) || u.method == "widget" && strings.Contains(l.text, "/entrance.js") {
			return true
		}
	}
	for _, f := range r.res.Findings {
		if f.Kind == Skipped && strings.Contains(f.Message, shorten(withoutSign(r.c.restoreMarkers(l.text)))) {
			return true
		}
	}
	return strings.Contains(l.text, "/entrance.js")
}

var (
	reLoader   = regexp.MustCompile(`<script id="zhichiScript"(?: class="([^"]*)")? async src="([^"]*)"(?: nonce="([^"]*)")?></script>`)
	reHandler  = regexp.MustCompile(`zc\("(frame_ready|receive_message|offline_message_count)",function\(__sobotR\)\{([A-Za-z0-9_$.]+)\(__sobotR\)\}\)`)
	reClick    = regexp.MustCompile(`__sobotOn\("([^"]*)","([^"]*)",function\(\)\{zc\("(frame_manual|frame_status|trace)",`)
	reInline   = regexp.MustCompile(`<script(?: nonce="([^"]*)")?>`)
	reTraceAll = regexp.MustCompile(`zc\("trace",`)
)

// compareWidget compares a page's zc calls and loader with a rendered widget.
func compareWidget(r *rtResult, u *unit, htmlText string, mark func(*placeholder) string, diff func(string, string, ...any)) {
	pg := u.pg
	// The loader.
	m := reLoader.FindStringSubmatch(htmlText)
	if m == nil {
		diff("loader", "no loader element in %q", htmlText)
		return
	}
	rendered, err := sobot.Inspect(html.UnescapeString(m[2]))
	if err != nil {
		diff("loader", "the rendered loader does not inspect: %v", err)
		return
	}
	var orig *sobot.ParsedLink
	origClass := ""
	for _, l := range pg.links {
		if strings.Contains(l.text, "/entrance.js") {
			text := (&value{kind: kStr, parts: r.c.splitMarkers(l.text)}).text(mark)
			if strings.HasPrefix(text, "//") {
				text = "https:" + text
			}
			orig, _ = sobot.Inspect(text)
			origClass = l.class
			break
		}
	}
	if orig != nil {
		orig.BaseURL = string(fillHost([]byte(orig.BaseURL)))
		for _, a := range pg.loaderClass {
			if origClass == "" && a.val.static() && a.target != "" && a.target == loaderTarget(pg) {
				origClass = a.val.text(nil)
			}
		}
		if orig.BaseURL != rendered.BaseURL || orig.SysNum != rendered.SysNum || orig.Version != rendered.Version {
			diff("sysnum", "loader %s %s %s, rendered %s %s %s", orig.BaseURL, orig.SysNum, orig.Version, rendered.BaseURL, rendered.SysNum, rendered.Version)
		}
		if orig.Wire["channelid"] != rendered.Wire["channelid"] {
			diff("channelid", "loader channelid %q, rendered %q", orig.Wire["channelid"], rendered.Wire["channelid"])
		}
		if strings.TrimSpace(origClass) != m[1] {
			diff("custom", "loader class %q, rendered %q", origClass, m[1])
		}
	} else if rendered.SysNum != rtSysNum && u.client.sysnum == "" {
		diff("sysnum", "rendered sysnum %q", rendered.SysNum)
	}
	// The nonce.
	wantNonce := ""
	if pg.nonce != nil {
		wantNonce = pg.nonce.text(mark)
	}
	if in := reInline.FindStringSubmatch(htmlText); in == nil || in[1] != wantNonce && !strings.HasPrefix(wantNonce, "\x00") || m[3] != in[1] {
		diff("Widget.Nonce", "the page's nonce %q, rendered %q", wantNonce, m[3])
	}

	// The config.
	want := map[string]any{}
	wantOff := map[string]*value{}
	for _, it := range pg.config {
		key := it.key
		if key == "pre_visit_args" || key == "cur_visit_args" {
			if it.val.kind == kObj {
				for _, p := range it.val.props {
					want[p.key] = p.val.plain(mark)
					wantOff[p.key] = p.val
				}
				continue
			}
		}
		want[key] = wantValue(it.val, mark)
		wantOff[key] = it.val
	}
	if orig != nil {
		for k, v := range orig.Wire {
			if k != "channelid" {
				want[k] = v
			}
		}
	}
	got := map[string]any{}
	if i := strings.Index(htmlText, `zc("config",`); i >= 0 {
		dec := json.NewDecoder(strings.NewReader(htmlText[i+len(`zc("config",`):]))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			diff("config", "the rendered config is not JSON: %v", err)
		}
		for k, v := range obj {
			if k == "pre_visit_args" || k == "cur_visit_args" {
				for mk, mv := range v.(map[string]any) {
					got[mk] = mv
				}
				continue
			}
			got[k] = v
		}
	}
	if sign, ok := got["sign"]; ok {
		pid, _ := got["partnerid"].(string)
		sum := md5.Sum([]byte(rendered.SysNum + rtKey + pid))
		if sign != hex.EncodeToString(sum[:]) {
			diff("sign", "the rendered sign %v is not md5(sysnum+key+partnerid)", sign)
		}
		delete(got, "sign")
	}
	delete(want, "sign")
	if os.Getenv("ROUNDTRIP_VERBOSE") != "" {
		fmt.Printf("%s %s\n  want %v\n  got  %v\n", pg.src.name, u.name, want, got)
	}
	compareMaps(want, got, wantOff, diff)

	// The calls.
	wantCalls := map[string]bool{}
	for _, e := range pg.events {
		wantCalls[callKey(e, r)] = true
	}
	gotCalls := map[string]bool{}
	for _, h := range reHandler.FindAllStringSubmatch(htmlText, -1) {
		gotCalls["zc("+h[1]+")"] = true
		gotCalls["zc("+h[1]+")="+h[2]] = true
	}
	for _, c := range reClick.FindAllStringSubmatch(htmlText, -1) {
		sel := "#" + c[1]
		if c[1] == "" {
			sel = "." + c[2]
		}
		gotCalls["zc("+c[3]+")@"+sel] = true
	}
	if strings.Contains(htmlText, `zc("dynamic_ready")`) {
		gotCalls["zc(dynamic_ready)"] = true
	}
	if strings.Contains(htmlText, "zc_post_message") {
		gotCalls["Widget.OnCollapse"] = true
	}
	loadTraces := len(reTraceAll.FindAllStringIndex(htmlText, -1)) - strings.Count(htmlText, `function(){zc("trace",`)
	for i := 0; i < loadTraces; i++ {
		gotCalls["zc(trace)"] = true
	}
	for k := range wantCalls {
		if !gotCalls[k] {
			diff(callParam(k), "the page calls %s; the widget does not", k)
		}
	}
	for k := range gotCalls {
		if !wantCalls[k] && !strings.Contains(k, "=") && !wantCalls[k+"="] {
			if _, isName := wantCallsHasPrefix(wantCalls, k); !isName {
				diff(callParam(k), "the widget calls %s; the page does not", k)
			}
		}
	}
	compareTraces(r, pg, htmlText, mark, diff)
}

// loaderTarget is the variable the page's script sets the loader's src on.
func loaderTarget(pg *page) string {
	for _, l := range pg.links {
		if strings.Contains(l.text, "/entrance.js") {
			return l.target
		}
	}
	return ""
}

// wantValue is the plain value of a page's value: for JSON.stringify(x)
// whose text is known only at run time, x itself.
func wantValue(v *value, mark func(*placeholder) string) any {
	if v.kind == kDyn && v.json != nil {
		return v.json.plain(mark)
	}
	return v.plain(mark)
}

// wantCallsHasPrefix reports whether a wanted call names a callback for k.
func wantCallsHasPrefix(want map[string]bool, k string) (string, bool) {
	for w := range want {
		if strings.HasPrefix(w, k+"=") {
			return w, true
		}
	}
	return "", false
}

// callKey names a zc call of the page as compareWidget names rendered ones.
func callKey(e event, r *rtResult) string {
	name := e.name
	if name == "zhichiReceive" {
		name = "receive_message"
	}
	if name == "collapse" {
		return "Widget.OnCollapse"
	}
	key := "zc(" + name + ")"
	if e.cx.kind == ctxClick && name != "dynamic_ready" {
		key += "@" + elemText(e.cx.elem)
	}
	if e.cb != nil && e.cb.kind == kFunc && e.cb.fn.path != "" && e.cx.kind == ctxLoad {
		key += "=" + e.cb.fn.path
	}
	return key
}

// callParam is the name findings give a call.
func callParam(key string) string {
	key, _, _ = strings.Cut(key, "@")
	key, _, _ = strings.Cut(key, "=")
	return key
}

// compareTraces compares the page's trace objects with the rendered ones,
// member by member.
func compareTraces(r *rtResult, pg *page, htmlText string, mark func(*placeholder) string, diff func(string, string, ...any)) {
	want := map[string]any{}
	for _, e := range pg.events {
		if e.name != "trace" {
			continue
		}
		for _, p := range e.arg.props {
			if p.val.kind == kObj {
				for _, m := range p.val.props {
					want[m.key] = m.val.plain(mark)
				}
			}
		}
	}
	got := map[string]any{}
	for _, loc := range reTraceAll.FindAllStringIndex(htmlText, -1) {
		dec := json.NewDecoder(strings.NewReader(htmlText[loc[1]:]))
		dec.UseNumber()
		var obj map[string]map[string]any
		if dec.Decode(&obj) != nil {
			diff("zc(trace)", "a rendered trace is not JSON")
			continue
		}
		for _, members := range obj {
			for k, v := range members {
				got[k] = v
			}
		}
	}
	compareMaps(want, got, nil, diff)
}

// compareMaps compares wanted and built parameters, as values.
func compareMaps(want, got map[string]any, vals map[string]*value, diff func(string, string, ...any)) {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		w, inWant := want[k]
		g, inGot := got[k]
		switch {
		case !inGot:
			diff(k, "the input has %v; the code does not send it", w)
		case !inWant:
			diff(k, "the code sends %v; the input does not", g)
		case vals != nil && vals[k] != nil && !vals[k].static() && !hasSample(w):
			// A value the page computes, with a type of its own: compared
			// for presence only.
		case !looseEqual(w, g):
			diff(k, "the input has %#v; the code sends %#v", w, g)
		}
	}
}

// hasSample reports whether a plain value holds no unknown placeholder.
func hasSample(v any) bool {
	switch v := v.(type) {
	case string:
		return !strings.Contains(v, "\x00dynamic:")
	case map[string]any:
		for _, x := range v {
			if !hasSample(x) {
				return false
			}
		}
	case []any:
		for _, x := range v {
			if !hasSample(x) {
				return false
			}
		}
	}
	return true
}

// compareLink compares a link of the input with the one its code built.
func compareLink(u *unit, built string, mark func(*placeholder) string, diff func(string, string, ...any)) {
	origText := (&value{kind: kStr, parts: u.pg.ev.c.splitMarkers(u.pg.links[0].text)}).text(mark)
	for _, l := range u.pg.links {
		if withoutSign(u.pg.ev.c.restoreMarkers(l.text)) == u.link {
			origText = (&value{kind: kStr, parts: u.pg.ev.c.splitMarkers(l.text)}).text(mark)
		}
	}
	if strings.HasPrefix(origText, "//") {
		origText = "https:" + origText
	}
	orig, err := sobot.Inspect(origText)
	if err != nil {
		diff("url", "the input's link does not inspect: %v", err)
		return
	}
	got, err := sobot.Inspect(built)
	if err != nil {
		diff("url", "the built link does not inspect: %v", err)
		return
	}
	orig.BaseURL = string(fillHost([]byte(orig.BaseURL)))
	if orig.Kind != got.Kind || orig.BaseURL != got.BaseURL || orig.SysNum != got.SysNum || orig.Version != got.Version {
		diff("url", "%s %s %s %s, built %s %s %s %s", orig.Kind, orig.BaseURL, orig.SysNum, orig.Version, got.Kind, got.BaseURL, got.SysNum, got.Version)
	}
	if got.Sign != "" {
		sum := md5.Sum([]byte(got.SysNum + rtKey + got.Wire["partnerid"]))
		if got.Sign != hex.EncodeToString(sum[:]) {
			diff("sign", "the built sign is not md5(sysnum+key+partnerid)")
		}
	}
	want, have := map[string]any{}, map[string]any{}
	for k, v := range orig.Wire {
		want[k] = v
	}
	for k, v := range got.Wire {
		have[k] = v
	}
	if orig.Kind == sobot.KindTicket {
		want, have = jsonObject(orig.Wire["params"]), jsonObject(got.Wire["params"])
	}
	compareMaps(want, have, nil, diff)
}

// jsonObject decodes a JSON object, or returns nil.
func jsonObject(s string) map[string]any {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return nil
	}
	return m
}

// looseEqual compares two JSON-like values as JavaScript reads them:
// equal strings (also after percent-decoding, and as JSON text), numbers
// equal to numeric strings, booleans equal to 1 and 0.
func looseEqual(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if s, isStr := b.(string); isStr {
			bm, ok = jsonObject(s), jsonObject(s) != nil
		}
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			if w, ok := bm[k]; !ok || !looseEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if s, isStr := b.(string); isStr {
			ok = json.Unmarshal([]byte(s), &bs) == nil
		}
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !looseEqual(a[i], bs[i]) {
				return false
			}
		}
		return true
	case string:
		if bs, ok := b.(string); ok {
			if a == bs {
				return true
			}
			if da, ok := decodeURIComponent(a); ok {
				if db, ok := decodeURIComponent(bs); ok && da == db {
					return true
				}
			}
			var ja, jb any
			da, db := json.NewDecoder(strings.NewReader(a)), json.NewDecoder(strings.NewReader(bs))
			da.UseNumber()
			db.UseNumber()
			if strings.HasPrefix(strings.TrimSpace(a), "{") || strings.HasPrefix(strings.TrimSpace(a), "[") {
				if da.Decode(&ja) == nil && db.Decode(&jb) == nil {
					return looseEqual(ja, jb)
				}
			}
			return false
		}
		if bm, ok := b.(map[string]any); ok {
			return looseEqual(bm, a)
		}
		if bs, ok := b.([]any); ok {
			return looseEqual(bs, a)
		}
	}
	x, xok := jsNum(a)
	y, yok := jsNum(b)
	return xok && yok && x == y
}

// jsNum is JavaScript's ToNumber of a primitive, as == applies it.
func jsNum(v any) (float64, bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case string:
		if strings.TrimSpace(v) == "" {
			return 0, true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

// TestLooseEqual pins the comparison the round trip relies on: it must
// tell apart what JavaScript tells apart.
func TestLooseEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want bool
	}{
		{"15", json.Number("15"), true},
		{json.Number("1"), true, true},
		{json.Number("0"), false, true},
		{false, "0", true},
		{true, "true", false}, // "true" == true is false in JavaScript
		{"1", "1.0", false},   // strings compare as strings
		{json.Number("1"), json.Number("2"), false},
		{"http%3A%2F%2Fwww.sobot.com", "http%3A%2F%2Fwww.sobot.com", true},
		{"a%27b", "a'b", true}, // the library also escapes '
		{`{"a":"1","b":"2"}`, `{"b":"2","a":"1"}`, true},
		{map[string]any{"a": "1"}, `{"a":"1"}`, true},
		{map[string]any{"a": "1"}, `{"a":"2"}`, false},
		{[]any{"x"}, `["x","y"]`, false},
		{"v-user", "v-user2", false},
		{nil, "", false},
	} {
		assert.Equal(t, tc.want, looseEqual(tc.a, tc.b), "%#v == %#v", tc.a, tc.b)
	}
}
