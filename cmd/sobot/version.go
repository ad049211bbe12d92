package main

import (
	"fmt"
	"runtime/debug"
)

// runVersion is sobot version: the version of the module sobot was built
// from.
func runVersion(e *env, args []string) int {
	fs := newFlagSet("version")
	positional, status, done := parse(fs, args, e.stdout, e.stderr)
	if done {
		return status
	}
	if len(positional) > 0 {
		return usageError(e.stderr, "version", fmt.Sprintf("argument %d is unexpected: sobot version takes no arguments", positional[0].n))
	}
	return printResult(e.stdout, e.stderr, moduleVersion(debug.ReadBuildInfo()))
}

// devel is the version of a build without one, as the go command calls
// it.
const devel = "(devel)"

// moduleVersion returns the main module's version in the build info
// (v1.2.3 for go install ...@v1.2.3, a pseudo-version for a commit), or
// "(devel)" when the binary has none: built from a checkout without
// version control information, or without build info at all.
func moduleVersion(info *debug.BuildInfo, ok bool) string {
	if !ok || info.Main.Version == "" {
		return devel
	}
	return info.Main.Version
}
