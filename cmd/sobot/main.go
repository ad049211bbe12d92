package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit statuses; see the package documentation.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

// usage is what sobot help prints.
const usage = `sobot builds and reads Sobot (智齿) chat links.

Usage:
  sobot link [--pc] [--v6] [COMMON] [NAME=VALUE ...]   signed chat URL (H5 unless --pc)
  sobot widget [--nonce N] [COMMON] [NAME=VALUE ...]   HTML block: loader + zc("config", ...)
  sobot leave-message [COMMON] [NAME=VALUE ...]        leave-message URL
  sobot inspect [--key K] URL                          the link's parameters as JSON
  sobot params [--json]                                the reference table
  sobot help                                           this text

COMMON: --sysnum S (or SOBOT_SYSNUM), --key K (or SOBOT_KEY; the flag wins),
        --base-url URL (or SOBOT_BASE_URL; default https://www.sobot.com),
        --params-file FILE ('-' = stdin: a JSON object keyed by wire names)
        --extra NAME=VALUE (repeatable): a parameter the reference lacks

NAME is a wire name as in 'sobot params'; VALUE is its text on the wire (JSON
text for params, customer_fields, goods, transfer_action). A params file may
also hold values as the reference's JS config writes them (msg_flag: false,
time: 120.0). NAME=VALUE arguments override the params file. With a key,
chat URLs and widgets are signed and need partnerid; leave-message URLs are
never signed. Prefer SOBOT_KEY to --key, which other users can see in the
process list; an empty --key is a usage error.

inspect --key may be repeated: the current key first, then keys being
rotated out. Its JSON: kind, version, base_url, sysnum, params, unknown,
signed, sign_valid (null without a key), sign, problems, and with a key
verification and explanation.

Exit status: 0 success (the result on stdout); 1 invalid parameters (one
"NAME: reason" line per problem on stderr) or, for inspect with a key, a
sign that does not hold; 2 usage error.

Examples:
  export SOBOT_SYSNUM=4c349791a07b46c1a70b8ac88aa23257 SOBOT_KEY=...
  sobot link partnerid=u-1001 uname=小丁 time=120
  sobot widget --nonce "$NONCE" partnerid=u-1001 color=04babc
  sobot leave-message uid=8f2a templateid=tpl-1 locale=en
  echo '{"partnerid": "u-1001", "time": 120}' | sobot link --params-file -
  sobot inspect --key "$SOBOT_KEY" --key "$OLD_KEY" "$URL"
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// env is what a command runs with besides its arguments: the environment
// variables, read through getenv and never from the process directly, and
// the standard streams.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is a subcommand: its name and what runs it with the arguments
// after the name.
type command struct {
	name string
	run  func(e *env, args []string) int
}

// commands are the subcommands, in the order the usage lists them.
// Initialised in init: the commands print the usage, which names them.
var commands []command

// init fills commands.
func init() {
	commands = []command{
		{"link", runLink},
		{"widget", runWidget},
		{"leave-message", runLeaveMessage},
		{"mini-program", runMiniProgram},
		{"ticket", runTicket},
		{"inspect", runInspect},
		{"params", runParams},
		{"version", runVersion},
		{"help", runHelp},
	}
}

// run runs the command line args (without the program name) and returns
// the exit status. getenv gives the environment: SOBOT_SYSNUM, SOBOT_KEY
// and SOBOT_BASE_URL.
//
// Nothing written to stderr holds a key: messages name arguments by
// position rather than repeat them, and stderr is redacted of every key
// known from SOBOT_KEY and --key besides.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: newRedactor(stderr, args, getenv)}
	if len(args) == 0 {
		fmt.Fprint(e.stderr, "sobot: missing command\n"+hint)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(e, rest)
		}
	}
	// The text is not repeated: it could be a key, mistyped.
	fmt.Fprint(e.stderr, "sobot: unknown command; the commands are "+commandNames()+"\n"+hint)
	return exitUsage
}

// commandNames lists the commands for a message: "link, widget, ... and help".
func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " and " + names[last]
}

// runHelp is sobot help: the usage, on stdout. Arguments are ignored.
func runHelp(e *env, _ []string) int {
	fmt.Fprint(e.stdout, usage)
	return exitOK
}

// hint ends every usage error.
const hint = "Run 'sobot help' for usage.\n"
