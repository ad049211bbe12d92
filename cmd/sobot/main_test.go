package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sobotgo/sobot"
)

// The account and key the tests use.
const (
	sysnum = "4c349791a07b46c1a70b8ac88aa23257"
	secret = "k-cli-s3cr3t-5b1e" // must never appear in any output
	h5     = "https://www.sobot.com/chat/h5/v2/index.html?"
)

// Environments the tests run commands in.
var (
	withSys = map[string]string{"SOBOT_SYSNUM": sysnum}
	withKey = map[string]string{"SOBOT_SYSNUM": sysnum, "SOBOT_KEY": secret}
)

// usageHint ends every usage error.
const usageHint = "Run 'sobot help' for usage.\n"

// result is what one run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runWith runs the command line with env as the whole environment and
// stdin as standard input. It touches no process state, so tests using it
// run in parallel.
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(name string) string { return env[name] }
	code := run(args, getenv, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// cliCase is one command line and everything it must produce, exactly.
type cliCase struct {
	name   string
	env    map[string]string
	stdin  string
	args   []string
	code   int
	stdout string // exact; "" means empty
	stderr string // exact
}

// runCases runs each case as a parallel subtest and checks its exit
// status, stdout and stderr exactly, and that no output holds the key.
func runCases(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, tt.env, tt.stdin, tt.args...)
			assert.Equal(t, tt.code, r.code, "stderr: %s", r.stderr)
			assert.Equal(t, tt.stdout, r.stdout)
			assert.Equal(t, tt.stderr, r.stderr)
			assert.NotContains(t, r.stdout+r.stderr, secret)
		})
	}
}

// setLine is the library's message for Params.Set(name, value), as the CLI
// prints it: the CLI reports the library's reasons in its words.
func setLine(t *testing.T, name, value string) string {
	t.Helper()
	var p sobot.Params
	return problemLine(t, p.Set(name, value), "%s=%s", name, value)
}

// problemLine is the line the CLI prints for err, the sobot.Problem a
// Params.Set or Params.SetValue call returned.
func problemLine(t *testing.T, err error, msgAndArgs ...any) string {
	t.Helper()
	require.Error(t, err, msgAndArgs...)
	var prob sobot.Problem
	require.ErrorAs(t, err, &prob)
	return prob.Error() + "\n"
}

// paramsOf returns the Params of NAME=VALUE pairs that Params.Set accepts.
func paramsOf(t *testing.T, pairs ...string) *sobot.Params {
	t.Helper()
	var p sobot.Params
	for _, pair := range pairs {
		name, value, _ := strings.Cut(pair, "=")
		require.NoError(t, p.Set(name, value))
	}
	return &p
}

// buildLines are the lines of the problems build finds in the parameters
// (NAME=VALUE pairs Params.Set accepts) with a client of cfg.
func buildLines(t *testing.T, cfg sobot.Config, build builder, pairs ...string) string {
	t.Helper()
	c, err := sobot.NewClient(cfg)
	require.NoError(t, err)
	_, err = build(c, paramsOf(t, pairs...))
	return problemLines(t, err)
}

// configLines are the lines of the problems NewClient finds in cfg.
func configLines(t *testing.T, cfg sobot.Config) string {
	t.Helper()
	_, err := sobot.NewClient(cfg)
	return problemLines(t, err)
}

// problemLines formats the problems of a *sobot.ValidationError, one line
// each.
func problemLines(t *testing.T, err error) string {
	t.Helper()
	var verr *sobot.ValidationError
	require.ErrorAs(t, err, &verr)
	var b strings.Builder
	for _, p := range verr.Problems {
		b.WriteString(p.Error() + "\n")
	}
	return b.String()
}

// signed returns the sign of partnerid under secret.
func signed(partnerid string) string { return sobot.Sign(sysnum, sobot.NewKey(secret), partnerid) }

// TestCommands: help and its spellings print the usage; a missing or
// unknown command is a usage error that does not repeat what was typed.
func TestCommands(t *testing.T) {
	t.Parallel()
	runCases(t, []cliCase{
		{"help", nil, "", []string{"help"}, 0, usage, ""},
		{"help with a command", nil, "", []string{"help", "link"}, 0, usage, ""},
		{"help with an unknown topic", nil, "", []string{"help", "foo"}, 2, "",
			"sobot help: takes at most one argument, a command: link, widget, leave-message, mini-program, ticket, inspect, params, convert, version and help\n" + usageHint},
		{"help with two topics", nil, "", []string{"help", "link", "widget"}, 2, "",
			"sobot help: takes at most one argument, a command: link, widget, leave-message, mini-program, ticket, inspect, params, convert, version and help\n" + usageHint},
		{"-h", nil, "", []string{"-h"}, 0, usage, ""},
		{"-help", nil, "", []string{"-help"}, 0, usage, ""},
		{"--help", nil, "", []string{"--help"}, 0, usage, ""},
		{"command -h", withSys, "", []string{"link", "-h"}, 0, usage, ""},
		{"command --help", withSys, "", []string{"inspect", "--help"}, 0, usage, ""},
		{"no command", nil, "", nil, 2, "", "sobot: missing command\n" + usageHint},
		{"unknown command", nil, "", []string{"chat"}, 2, "", "sobot: unknown command; the commands are link, widget, leave-message, mini-program, ticket, inspect, params, convert, version and help\n" + usageHint},
	})
}

// TestEnvironmentIsGiven: run reads the environment only through the
// function it is given, never from the process.
func TestEnvironmentIsGiven(t *testing.T) {
	t.Setenv("SOBOT_SYSNUM", "from-the-process")
	t.Setenv("SOBOT_KEY", secret)
	t.Setenv("SOBOT_BASE_URL", "https://process.example")
	r := runWith(t, map[string]string{"SOBOT_SYSNUM": sysnum}, "", "link", "uname=a")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, h5+"sysnum="+sysnum+"&uname=a\n", r.stdout, "no key, sysnum or base URL from the process")

	r = runWith(t, nil, "", "link", "uname=a")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "sobot link: missing sysnum: pass --sysnum or set SOBOT_SYSNUM\n"+usageHint, r.stderr)
}
