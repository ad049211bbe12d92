package sobot

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSysNum is the account of the tests' clients (the reference's
// example sysnum).
const testSysNum = "4c349791a07b46c1a70b8ac88aa23257"

// newTestClient returns a client for cfg, on testSysNum unless cfg names a
// sysnum, failing the test on error.
func newTestClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	if cfg.SysNum == "" {
		cfg.SysNum = testSysNum
	}
	c, err := NewClient(cfg)
	require.NoError(t, err)
	return c
}

// validationProblems returns the problems of a *ValidationError, failing
// the test for any other error.
func validationProblems(t testing.TB, err error) []Problem {
	t.Helper()
	var verr *ValidationError
	require.True(t, errors.As(err, &verr), "error %v (%T) is not a *ValidationError", err, err)
	return verr.Problems
}

// problemLines returns the "param: reason" lines of a *ValidationError;
// nil for a nil error.
func problemLines(t testing.TB, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var out []string
	for _, p := range validationProblems(t, err) {
		out = append(out, p.Param+": "+p.Reason)
	}
	return out
}

// assertProblem asserts that err is a *ValidationError with a problem for
// param whose reason contains reason, and reports whether it has one.
func assertProblem(t testing.TB, err error, param, reason string, msgAndArgs ...any) bool {
	t.Helper()
	ps := validationProblems(t, err)
	for _, p := range ps {
		if p.Param == param && strings.Contains(p.Reason, reason) {
			return true
		}
	}
	return assert.Fail(t, fmt.Sprintf("no problem for %s mentioning %q in %v", param, reason, ps), msgAndArgs...)
}

// linkCase is a link a builder must make, with a test client of Config
// (newTestClient), from Params.
type linkCase struct {
	Name   string
	Config Config
	Params *Params
	Want   string
}

// assertLinks builds every case with build, each in a subtest.
func assertLinks(t *testing.T, cases []linkCase, build func(*Client, *Params) (string, error)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			got, err := build(newTestClient(t, tc.Config), tc.Params)
			require.NoError(t, err)
			assert.Equal(t, tc.Want, got)
		})
	}
}
