package docs

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repoRoot is the repository's root, from this package's directory.
const repoRoot = ".."

// recipesDir holds the framework recipes, one package each, from the
// repository's root. They are in the examples module, which may import
// the frameworks: the guide's type check (TestGuideExamplesCompile) cannot
// see them and skips their blocks, whose fence names the file
// ("```go examples/recipes/chi/chi.go"); this test checks them instead.
// It is here rather than in the examples module so that go test's cache
// notices a change of the guide.
const recipesDir = "examples/recipes"

// Markers around the code of a recipe file that the guide quotes.
const (
	startMarker = "// guide:start"
	endMarker   = "// guide:end"
)

// quote is a code block of the guide that quotes a file: its fence's info
// string is "go" and the file's path from the repository's root.
type quote struct {
	line int // of the opening fence, from 1
	path string
	code string
}

// guideQuotes returns the guide's code blocks that quote a file.
func guideQuotes(t *testing.T) []quote {
	t.Helper()
	f, err := os.Open("guide.md")
	require.NoError(t, err)
	defer f.Close()
	var out []quote
	var cur *quote
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```go "):
			cur = &quote{line: n, path: strings.TrimSpace(strings.TrimPrefix(line, "```go "))}
		case cur != nil && line == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.code += line + "\n"
		}
	}
	require.NoError(t, sc.Err())
	require.Nil(t, cur, "guide.md: a code block is not closed")
	return out
}

// quoted returns the code of the file at path (from the repository's root)
// that the guide quotes: the lines between its markers, without the blank
// lines at either end.
func quoted(t *testing.T, path string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(path)))
	require.NoError(t, err)
	s := string(src)
	require.Equal(t, 1, strings.Count(s, startMarker+"\n"), "%s: %q lines", path, startMarker)
	require.Equal(t, 1, strings.Count(s, endMarker+"\n"), "%s: %q lines", path, endMarker)
	_, s, _ = strings.Cut(s, startMarker+"\n")
	s, _, _ = strings.Cut(s, endMarker+"\n")
	return strings.Trim(s, "\n") + "\n"
}

// TestGuideQuotesRecipes checks the guide's framework recipes are the code
// of the recipe packages, which the examples module compiles and tests:
// every block of the guide that names a file
// ("```go examples/recipes/chi/chi.go") holds that file's code between its
// markers, and every recipe is quoted. After changing a recipe, copy its
// code into the guide.
func TestGuideQuotesRecipes(t *testing.T) {
	recipes, err := filepath.Glob(filepath.Join(repoRoot, recipesDir, "*", "*.go"))
	require.NoError(t, err)
	want := map[string]bool{} // recipe files, from the repository's root
	for _, f := range recipes {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		if strings.Contains(string(src), startMarker+"\n") {
			rel, err := filepath.Rel(repoRoot, f)
			require.NoError(t, err)
			want[filepath.ToSlash(rel)] = true
		}
	}
	require.Len(t, want, 4, "recipes: net/http, chi, echo, gin")

	got := map[string]bool{}
	for _, q := range guideQuotes(t) {
		assert.Equal(t, quoted(t, q.path), q.code, "guide.md:%d quotes %s, whose code between its markers differs", q.line, q.path)
		assert.True(t, want[q.path], "guide.md:%d quotes %s, which is not a recipe", q.line, q.path)
		got[q.path] = true
	}
	for f := range want {
		assert.True(t, got[f], "the guide does not quote %s", f)
	}
}
