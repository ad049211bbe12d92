package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asCommand, set in the environment, makes the test binary run as the
// sobot command itself, so the end-to-end test runs the real main, with
// real standard streams, exit status and environment.
const asCommand = "SOBOT_TEST_RUN_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		main()
		return // not reached: main exits
	}
	os.Exit(m.Run())
}

// sobotCmd runs the test binary as sobot with args, env added to a clean
// environment and stdin, and returns stdout, stderr and the exit status.
func sobotCmd(t *testing.T, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, args...)
	cmd.Env = append([]string{asCommand + "=1", "PATH=" + os.Getenv("PATH")}, coverEnv(t)...)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// coverEnv returns the child's GOCOVERDIR when the test binary is built
// with coverage (go test -cover): a coverage-instrumented binary that exits
// without GOCOVERDIR warns on stderr, which the tests compare byte for byte.
// The directory is the one go test gave this binary, so the child's
// coverage counts in the report, or a temporary one when the binary runs
// without it.
func coverEnv(t *testing.T) []string {
	t.Helper()
	if testing.CoverMode() == "" {
		return nil
	}
	dir := os.Getenv("GOCOVERDIR")
	if f := flag.Lookup("test.gocoverdir"); dir == "" && f != nil {
		dir = f.Value.String()
	}
	if dir == "" {
		dir = t.TempDir()
	}
	return []string{"GOCOVERDIR=" + dir}
}

// TestEndToEnd drives the command as a shell script would: build a signed
// link, pipe a params file in, read the link back and check its sign, and
// see each kind of failure with its exit status.
func TestEndToEnd(t *testing.T) {
	env := []string{"SOBOT_SYSNUM=" + sysnum, "SOBOT_KEY=" + secret}

	link, stderr, code := sobotCmd(t, env, `{"partnerid": "u-1001", "params": {"等级": "Boss"}, "time": 120}`, "link", "--params-file", "-", "uname=小丁")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	require.True(t, strings.HasSuffix(link, "\n") && strings.Count(link, "\n") == 1, "the URL alone, then a newline: %q", link)
	link = strings.TrimSuffix(link, "\n")
	assert.Contains(t, link, "&sign="+signed("u-1001")+"&")

	out, stderr, code := sobotCmd(t, env, "", "inspect", link)
	require.Equal(t, 0, code, stderr)
	var got struct {
		Kind      string            `json:"kind"`
		Params    map[string]string `json:"params"`
		SignValid *bool             `json:"sign_valid"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "h5", got.Kind)
	assert.Equal(t, map[string]string{"partnerid": "u-1001", "params": `{"等级":"Boss"}`, "time": "120", "uname": "小丁"}, got.Params)
	require.NotNil(t, got.SignValid, "SOBOT_KEY verifies")
	assert.True(t, *got.SignValid)

	tampered := strings.Replace(link, "partnerid=u-1001", "partnerid=u-1002", 1)
	out, _, code = sobotCmd(t, env, "", "inspect", tampered)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, `"sign_valid": false`)

	out, stderr, code = sobotCmd(t, env, "", "link", "time=1", "nope=2")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "nope: is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE\n"+
		"time: must be a whole number from 10 to 2880 (got \"1\")\n"+
		"partnerid: is required: the client has a security key, and Sobot rejects a signed visit without partnerid (经验证当前用户为非法用户)\n", stderr)

	_, stderr, code = sobotCmd(t, nil, "", "leave-message", "uid=1")
	assert.Equal(t, 2, code, "no SOBOT_SYSNUM in a clean environment")
	assert.Contains(t, stderr, "missing sysnum")

	out, _, code = sobotCmd(t, nil, "", "help")
	assert.Equal(t, 0, code)
	assert.Equal(t, usage, out)

	for _, o := range []string{link, out, stderr} {
		assert.NotContains(t, o, secret)
	}
}
