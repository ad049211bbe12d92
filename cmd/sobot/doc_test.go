package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocMatchesUsage: the package documentation, which is the manual,
// shows the same command lines as sobot help.
func TestDocMatchesUsage(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	_, block, _ := strings.Cut(usage, "Usage:\n")
	block, _, _ = strings.Cut(block, "\n\nNAME is")
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, "  sobot ") {
			line = line[2:]
		}
		if line != "" {
			assert.Contains(t, string(doc), "//\t"+line+"\n", "doc.go lacks a usage line")
		}
	}
}
