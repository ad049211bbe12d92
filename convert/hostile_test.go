package convert

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostileInput: input built to exhaust the converter gives a clear
// error (or a result), within bounded time and memory.
func TestHostileInput(t *testing.T) {
	// Each case takes well under a second; the bound is generous for shared
	// machines, and more so under the race detector.
	maxTime := 5 * time.Second
	if raceEnabled {
		maxTime = 60 * time.Second
	}
	const maxAlloc = 512 << 20 // bytes allocated per conversion, for inputs of at most 4 MiB
	big := func(unit string, size int) []byte { return bytes.Repeat([]byte(unit), size/len(unit)) }
	doubling := &strings.Builder{}
	doubling.WriteString("var a0 = \"xxxxxxxx\";\n")
	for i := 1; i <= 40; i++ {
		doubling.WriteString("var a" + itoa(i) + " = a" + itoa(i-1) + " + a" + itoa(i-1) + ";\n")
	}
	doubling.WriteString("zc(\"config\", {remark: a40});\n")
	objects := &strings.Builder{}
	objects.WriteString("var o0 = {a: 1};\n")
	for i := 1; i <= 40; i++ {
		objects.WriteString("var o" + itoa(i) + " = [o" + itoa(i-1) + ", o" + itoa(i-1) + "];\n")
	}
	objects.WriteString("zc(\"config\", {params: JSON.stringify(o40)});\n")
	selfRef := "var a = b + 'x'; var b = a + 'y'; zc(\"config\", {uname: a});"
	members := &strings.Builder{}
	members.WriteString(`zc("config", {uname: "x"}); var data = {`)
	for i := 0; members.Len() < MaxFileSize-100; i++ {
		members.WriteString("k" + itoa(i) + ": 1, ")
	}
	members.WriteString(`}; zc("config", {params: JSON.stringify(data)});`)
	calls := strings.Repeat(`zc("frame_ready", function () {});`+"\n", MaxFileSize/40)
	distinct := &strings.Builder{}
	for i := range 2 * maxUnits {
		distinct.WriteString("https://www.sobot.com/chat/h5/v2/index.html?sysnum=x&uname=u" + itoa(i) + "\n")
	}

	for _, tc := range []struct {
		name  string
		files []File
		want  string // a substring of the error; "" for success
	}{
		{"file too large", []File{{"big.html", make([]byte, MaxFileSize+1)}}, "is 4194305 bytes; convert reads files of at most 4194304 bytes (MaxFileSize)"},
		{"files too large together", []File{{"a.js", make([]byte, MaxFileSize)}, {"b.js", make([]byte, MaxFileSize)}, {"c.js", make([]byte, MaxFileSize)},
			{"d.js", make([]byte, MaxFileSize)}, {"e.js", []byte("x")}}, "more than 16777216 bytes (MaxTotalSize)"},
		{"deep array in zc", []File{{"deep.js", []byte("zc(\"config\", {params: " + strings.Repeat("[", 100000) + "})")}}, "deep.js:1:"},
		{"deep nesting without Sobot", []File{{"deep.js", []byte(strings.Repeat("(", 100000))}}, "nested more than 64 brackets deep (MaxDepth)"},
		{"deep object at the limit", []File{{"ok.js", []byte("zc(\"config\", {uname: \"x\", o: " + strings.Repeat("{a:", 60) + "1" + strings.Repeat("}", 60) + "})")}}, ""},
		{"malformed script", []File{{"bad.js", []byte("zc(\"config\", {\n  uname: \"x\"\n  color: \"04babc\"\n})")}}, "bad.js:3:3: the script is not valid JavaScript"},
		{"unterminated string", []File{{"bad.js", []byte("zc(\"config\", {uname: \"x})")}}, "bad.js:1:"},
		{"string doubling", []File{{"double.js", []byte(doubling.String())}}, "grows beyond 1048576 bytes"},
		{"shared arrays", []File{{"objects.js", []byte(objects.String())}}, "grows beyond"},
		{"variables defined by each other", []File{{"self.js", []byte(selfRef)}}, ""},
		{"unclosed template tags", []File{{"tags.html", big("{{", MaxFileSize)}}, "no Sobot integration found"},
		{"unclosed PHP tags", []File{{"tags.php", big("<?php ", MaxFileSize)}}, "no Sobot integration found"},
		{"many template placeholders", []File{{"many.html", append([]byte(`<script>zc("config", {uname: "`), append(big("{{.X}}", MaxFileSize-100), `"});</script>`...)...)}}, "has more than 10000 template tags"},
		{"placeholders in one string", []File{{"holes.html", []byte(`<script>zc("config", {uname: "` + strings.Repeat("{{.X}}-", 200) + `"});</script>`)}}, "100 placeholders in one string"},
		{"many scripts", []File{{"scripts.html", big(`<script>zc("config",{uname:"x"})</script>`, MaxFileSize)}}, "has more than 10000 scripts and event handler attributes"},
		{"many links", []File{{"links.txt", big("https://www.sobot.com/chat/h5/v2/index.html?sysnum=x&uname=a\n", MaxFileSize)}}, ""},
		{"long operator chain", []File{{"chain.js", []byte("var n = 1" + strings.Repeat(" + 1", 900) + ";\nzc(\"config\", {uname: \"x\"});")}}, ""},
		{"operator chain past the parser's limit", []File{{"chain.js", []byte("var n = 1" + strings.Repeat(" + 1", 200000) + ";\nzc(\"config\", {uname: \"x\"});")}}, "too many nested expressions"},
		{"object of many members", []File{{"members.js", []byte(members.String())}}, ""},
		{"many zc calls", []File{{"calls.js", []byte(calls)}}, ""},
		{"invalid UTF-8", []File{{"bin.js", []byte("zc(\"config\", {uname: \"\xff\xfe\"})")}}, ""},
		{"NUL bytes", []File{{"nul.html", []byte("<script>\x00zc(\"config\", {uname: \"x\"})</script>")}}, "nul.html:1:9: the script element at line 1 is not valid JavaScript: unexpected 0x00"},
		{"many distinct links", []File{{"links.txt", []byte(distinct.String())}}, ""},
		{"binary garbage", []File{{"garbage", bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, '{', '<', '"'}, 100000)}}, "no Sobot integration found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			res, err := ConvertFiles(tc.files, Options{})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			assert.Less(t, elapsed, maxTime, "time")
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(maxAlloc), "bytes allocated")
			if tc.want != "" {
				require.Error(t, err)
				var ie *InputError
				assert.True(t, errors.As(err, &ie), "an *InputError: %v", err)
				assert.Contains(t, err.Error(), tc.want)
				return
			}
			require.NoError(t, err)
			_, perr := parser.ParseFile(token.NewFileSet(), "out.go", res.Go, 0)
			assert.NoError(t, perr)
		})
	}
}

// FuzzConvert: whatever the input, Convert returns an error or Go source
// that parses, and never panics. Run with
//
//	go test -run='^$' -fuzz=FuzzConvert ./convert
func FuzzConvert(f *testing.F) {
	for _, dir := range []string{"reference", "pages"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err == nil {
				f.Add(filepath.Base(p), src)
			}
		}
	}
	f.Add("x.html", []byte(`<button id="b" onclick="zc('frame_status')">`))
	f.Add("x.js", []byte("zc(`config`, {[k]: `${a}`, ...o, m() {}})"))
	f.Fuzz(func(t *testing.T, name string, src []byte) {
		start := time.Now()
		res, err := Convert(name, src)
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("took %s", d)
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an *InputError: %v", err)
			}
			return
		}
		if _, perr := parser.ParseFile(token.NewFileSet(), "out.go", res.Go, parser.ParseComments); perr != nil {
			t.Fatalf("the output does not parse: %v\n%s", perr, res.Go)
		}
		for _, fd := range res.Findings {
			if fd.Kind < Note || fd.Kind > Skipped || fd.Message == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
