package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestVersion: sobot version prints the module version alone, "(devel)"
// for a test binary, which has none; it takes no arguments.
func TestVersion(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"version", nil, "", []string{"version"}, 0, moduleVersion(debug.ReadBuildInfo()) + "\n", ""},
		{"a test binary is (devel)", nil, "", []string{"version"}, 0, "(devel)\n", ""},
		{"-h", nil, "", []string{"version", "-h"}, 0, usage, ""},
		{"an argument", nil, "", []string{"version", "x"}, 2, "", "sobot version: argument 1 is unexpected: sobot version takes no arguments\n" + usageHint},
		{"a flag", nil, "", []string{"version", "--json"}, 2, "", "sobot version: argument 1 is an unknown flag; the only flag is -h\n" + usageHint},
	})
}

// TestModuleVersion: the main module's version, or "(devel)" without one.
func TestModuleVersion(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "v1.2.3", moduleVersion(&debug.BuildInfo{Main: debug.Module{Path: "github.com/sobotgo/sobot", Version: "v1.2.3"}}, true))
	assert.Equal(t, "v0.0.0-20260101000000-abcdef123456+dirty",
		moduleVersion(&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260101000000-abcdef123456+dirty"}}, true))
	assert.Equal(t, "(devel)", moduleVersion(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true))
	assert.Equal(t, "(devel)", moduleVersion(&debug.BuildInfo{}, true), "no version")
	assert.Equal(t, "(devel)", moduleVersion(nil, false), "no build info")
}
