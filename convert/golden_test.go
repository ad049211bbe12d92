package convert

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// TestGolden pins the generated code and the findings of every reference
// example and page: testdata/golden/NAME.golden holds the Go source, then
// the findings, or the error. After a deliberate change (a new library
// version printing constants differently, say), regenerate them with
//
//	go test ./convert -run TestGolden -update
//
// and review the diff.
func TestGolden(t *testing.T) {
	for _, dir := range []string{"reference", "pages"} {
		for _, tc := range rtCases(t, dir, nil) {
			t.Run(tc.name, func(t *testing.T) {
				res, err := ConvertFiles(tc.files, Options{})
				var b strings.Builder
				if err != nil {
					b.WriteString("error: " + err.Error() + "\n")
				} else {
					b.Write(res.Go)
					b.WriteString("\n-- findings --\n")
					for _, f := range res.Findings {
						b.WriteString(f.Kind.String() + ": " + f.String() + "\n")
					}
				}
				path := filepath.Join("testdata", "golden", tc.name+".golden")
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
					return
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./convert -run TestGolden -update to create it")
				assert.Equal(t, string(want), b.String())
			})
		}
	}
}

// TestGuideExample keeps the guide's walk-through true: the code section 5
// of docs/guide.md shows for its template is what Convert prints.
func TestGuideExample(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "docs", "guide.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(guide), "## 5. From a hand-written integration")
	require.True(t, ok, "the guide has its section 5")
	block := func(after, fence string) string {
		_, rest, ok := strings.Cut(section, after)
		require.True(t, ok, "%q", after)
		_, rest, ok = strings.Cut(rest, fence+"\n")
		require.True(t, ok, "%q", fence)
		code, _, ok := strings.Cut(rest, "```\n")
		require.True(t, ok)
		return code
	}
	page := block("For this template", "```html")
	shown := block("`sobot convert product.html` prints", "```go")
	shown, _, _ = strings.Cut(shown, "\n// What remains is yours")
	res, err := Convert("product.html", []byte(page))
	require.NoError(t, err)
	_, got, ok := strings.Cut(string(res.Go), "\n// newClient")
	require.True(t, ok)
	assert.Equal(t, strings.TrimSpace(shown), strings.TrimSpace("// newClient"+got))

	// The count of examples that round-trip exactly, as TestRoundTrip
	// holds them, is the one the guide and the README give.
	exact := 0
	for _, want := range referenceExpectations {
		if want == "exact" {
			exact++
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	flat := func(b []byte) string { return strings.Join(strings.Fields(string(b)), " ") }
	claim := fmt.Sprintf("%d of the reference's %d", exact, len(referenceExpectations))
	assert.Contains(t, flat(readme), claim+" examples round-trip exactly")
	assert.Contains(t, flat([]byte(section)), fmt.Sprintf("Of the reference's %d examples, %d convert and round-trip exactly", len(referenceExpectations), exact))
}

// BenchmarkConvert converts each realistic page: the cost of one file.
func BenchmarkConvert(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join("testdata", "pages", "*"))
	require.NoError(b, err)
	for _, p := range paths {
		src, err := os.ReadFile(p)
		require.NoError(b, err)
		b.Run(filepath.Base(p), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Convert(filepath.Base(p), src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
