// Package docs holds the user guide, guide.md. Its tests keep the guide
// true: every Go example in it must type-check against the real API, and
// its parameter table must match sobot.ParamTable.
package docs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/sobotgo/sobot"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guideImports are the packages every example may use without importing
// them: the examples are fragments, as in prose, not whole files.
var guideImports = []string{
	"context", "crypto/rand", "errors", "fmt", "html/template", "log", "net/http", "net/url", "os", "strings", "testing", "time",
	"github.com/sobotgo/sobot", "github.com/sobotgo/sobot/convert", "github.com/sobotgo/sobot/sobottest",
}

// guideScope declares what the examples may use without declaring it: the
// client of the guide's set-up, a handler's w and r, the logged-in user,
// the response's nonce and the visitor's identity the guide's introduction
// makes per request.
const guideScope = `
var (
	client  *sobot.Client
	w       http.ResponseWriter
	r       *http.Request
	user    struct{ ID, Name, Email string; VIP bool }
	nonce   string
	visitor sobot.User
)
`

// example is one Go code block of the guide.
type example struct {
	line int // of the opening fence, from 1
	code string
}

// readGuide returns the text of guide.md.
func readGuide(t *testing.T) []byte {
	t.Helper()
	return readDoc(t, "guide.md")
}

// readDoc returns the text of the document at path.
func readDoc(t *testing.T, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	return src
}

// goExamples returns the ```go blocks of the document at path.
func goExamples(t *testing.T, path string) []example {
	t.Helper()
	src := readDoc(t, path)
	var out []example
	var cur *example
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur = &example{line: n}
		case cur != nil && strings.TrimSpace(line) == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.code += line + "\n"
		}
	}
	require.Nil(t, cur, "%s: a go block is not closed", path)
	return out
}

// TestGuideExamplesCompile type-checks every Go example of the guide
// against the packages as built now, so a renamed field or method breaks
// the test, not the reader. An example made of declarations (func, type,
// var, const) is checked as a file; any other is checked as the body of a
// function. Unused variables and imports are allowed: fragments show one
// step and stop.
func TestGuideExamplesCompile(t *testing.T) {
	examples := goExamples(t, "guide.md")
	require.GreaterOrEqual(t, len(examples), 30, "go examples in guide.md: the guide has one per section")
	checkExamples(t, "guide.md", examples, guideScope)
}

// TestReadmeExamplesCompile does the same for the README's examples, with
// the names its snippets take from the reader's application.
func TestReadmeExamplesCompile(t *testing.T) {
	examples := goExamples(t, "../README.md")
	require.GreaterOrEqual(t, len(examples), 8, "go examples in README.md")
	checkExamples(t, "README.md", examples, guideScope+readmeScope)
}

// readmeScope declares what the README's snippets take from the reader's
// application: the handler being wrapped, its session lookup, a nonce
// maker, the product shown, the link a customer reported, keys.
const readmeScope = `
var (
	handler   http.Handler
	session   interface{ User(*http.Request) (struct{ ID, Name, Email string }, bool) }
	newNonce  func() string
	p         struct{ Name, URL, Image, Price string }
	reported  string
	consoleLink string
	currentKey, previousKey sobot.Key
)
`

// checkExamples type-checks examples of the document name with scope.
func checkExamples(t *testing.T, name string, examples []example, scope string) {
	t.Helper()
	exports := exportData(t, guideImports)
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, os.ErrNotExist
		}
		return os.Open(file)
	})

	var header strings.Builder
	header.WriteString("package guide\n\nimport (\n")
	for _, p := range guideImports {
		header.WriteString("\t" + strconv.Quote(p) + "\n")
	}
	header.WriteString(")\n" + scope)
	headerLines := strings.Count(header.String(), "\n")

	for _, ex := range examples {
		// An example that parses as declarations (func, type, var, const)
		// is a file; any other is the body of a function.
		src := header.String() + ex.code
		offset := ex.line - headerLines // guide line = file line + offset
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			src = header.String() + "func _() {\n" + ex.code + "}\n"
			offset--
			f, err = parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		}
		if err != nil {
			assert.Failf(t, "example does not parse", "%s:%d: %s\n%s", name, ex.line, shift(name, err, offset), ex.code)
			continue
		}
		var errs []string
		conf := types.Config{Importer: imp, Error: func(err error) {
			msg := err.Error()
			if strings.Contains(msg, "declared and not used") || strings.Contains(msg, "imported and not used") {
				return
			}
			errs = append(errs, shift(name, err, offset))
		}}
		conf.Check("guide", fset, []*ast.File{f}, nil)
		assert.Empty(t, errs, "%s:%d: example does not compile:\n%s", name, ex.line, ex.code)
	}
}

// shift formats a parser's or type checker's error with the position in
// the document name rather than in the generated file.
func shift(name string, err error, offset int) string {
	at := func(pos token.Position, msg string) string {
		return name + ":" + strconv.Itoa(pos.Line+offset) + ": " + msg
	}
	switch e := err.(type) {
	case types.Error:
		return at(e.Fset.Position(e.Pos), e.Msg)
	case scanner.ErrorList:
		msgs := make([]string, len(e))
		for i, se := range e {
			msgs[i] = at(se.Pos, se.Msg)
		}
		return strings.Join(msgs, "; ")
	}
	return err.Error()
}

// exportData returns the export data file of each package in pkgs and their
// dependencies, as the go command builds them (from its cache when it can).
func exportData(t *testing.T, pkgs []string) map[string]string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to type-check the guide")
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Export"}, pkgs...)
	out, err := exec.Command(goCmd, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		require.NoError(t, err, "go list -export:\n%s", stderr)
	}
	files := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct{ ImportPath, Export string }
		require.NoError(t, dec.Decode(&p))
		files[p.ImportPath] = p.Export
	}
	return files
}

// TestGuideParameterTable checks the guide's parameter table (参数一览表)
// lists every parameter of sobot.ParamTable with its Go field and scope,
// and no other.
func TestGuideParameterTable(t *testing.T) {
	_, table, ok := bytes.Cut(readGuide(t), []byte("<!-- param-table -->"))
	require.True(t, ok, "guide.md has no <!-- param-table --> marker before its parameter table")
	table, _, _ = bytes.Cut(table, []byte("<!-- /param-table -->"))
	rows := map[string]string{}
	for line := range strings.Lines(string(table)) {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) < 3 || !strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[0]), "`")
		rows[name] = strings.TrimSpace(cells[1]) + " | " + strings.TrimSpace(cells[2])
	}
	for _, p := range sobot.ParamTable() {
		field := "`Params." + p.Field + "`"
		switch {
		case p.Parent == "goods":
			field = "`Goods` member"
		case p.Field == "":
			field = "(client)"
		}
		var kinds []string
		for _, k := range p.Kinds {
			kinds = append(kinds, k.String())
		}
		want := field + " | " + strings.Join(kinds, ", ")
		got, ok := rows[p.Name]
		if !assert.True(t, ok, "parameter %s is missing from the guide's table; want a row `%s` | %s", p.Name, p.Name, want) {
			continue
		}
		assert.Equal(t, want, got, "parameter %s in the guide's table", p.Name)
		delete(rows, p.Name)
	}
	assert.Empty(t, rows, "the guide's table lists parameters sobot.ParamTable does not")
}

// referenceSections are the headings of Sobot's web integration reference;
// the guide has a section for each, under its Chinese heading.
var referenceSections = []string{
	"接入说明", "相关限制及注意事项", "小程序内嵌入H5打开附件(安卓)", "链接部署方式", "JS-SDK部署方式", "部署约定",
	"组件对接", "自动初始化", "手动初始化咨询组件", "自定义客户端", "不使用默认咨询入口", "创建动态自定义咨询入口",
	"未读消息、离线消息", "适配多语言", "商品卡片链接", "订单卡片", "CRM对接", "基本信息对接", "客户自定义字段对接",
	"接待模式", "VIP智能路由接待", "是否为VIP用户", "客户标签", "多种邀请方式", "设置自动邀请访客", "设置自动强制弹窗",
	"允许客服主动邀请会话", "网站访问统计", "开启浏览轨迹采集", "自定义采集内容", "手动发送浏览轨迹",
	"留言、评价、附件等功能", "多机器人客服接入", "常用功能配置", "控制显示历史聊天记录的时间范围", "转人工时跳转指定URL",
	"新窗口打开咨询页", "手动控制展开和收起聊天页面", "获取聊天页面加载完成后的回调", "关闭聊天页面时的回调",
	"每次展开聊天页面是否重新加载", "是否隐藏转人工后的emoji按钮", "是否自动跳转聊天中的网址", "H5是否显示头像",
	"pc/h5安全校验", "独立接入留言页", "工单插件接入", "平台电商对接", "参数一览表",
}

// TestGuideCoversEveryReferenceSection checks each heading of the reference
// starts a section of the guide ("### 接入说明 — Integration overview").
func TestGuideCoversEveryReferenceSection(t *testing.T) {
	headings := map[string]bool{}
	for line := range strings.Lines(string(readGuide(t))) {
		if title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "##") {
			if chinese, english, ok := strings.Cut(title, " — "); ok && strings.TrimSpace(english) != "" {
				headings[strings.TrimSpace(chinese)] = true
			}
		}
	}
	for _, s := range referenceSections {
		assert.True(t, headings[s], "the guide has no section headed %q (with an English heading after \" — \")", s)
	}
}
