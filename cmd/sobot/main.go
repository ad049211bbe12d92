package main

import (
	"fmt"
	"io"
	"os"
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
  sobot convert [--package P] [FILE ...]               Go code for a hand-written integration
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

convert reads HTML pages, templates, scripts and Sobot links (stdin when no
FILE) and prints Go code that builds the same with the library; what it
changes is a TODO comment in the code, and on stderr when it changes what is
sent. Input it cannot read (too large, nested too deeply, invalid
JavaScript, nothing of Sobot) is exit status 1.

convert reads HTML pages, templates, scripts and Sobot links (stdin when no
FILE) and prints Go code that builds the same with the library. What the code
does differently is a TODO comment in it, and a line on stderr when it changes
what is sent; input it cannot read (too large, nested too deeply, invalid
JavaScript, nothing of Sobot) is exit status 1.

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
  sobot convert templates/product.html static/chat.js > chat.go
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs the command line args (without the program name) and returns
// the exit status. It reads the environment for SOBOT_SYSNUM, SOBOT_KEY and
// SOBOT_BASE_URL.
//
// Nothing written to stderr holds a key: messages name arguments by
// position rather than repeat them, and stderr is redacted of every key
// known from SOBOT_KEY and --key besides.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stderr = newRedactor(stderr, args)
	if len(args) == 0 {
		fmt.Fprint(stderr, "sobot: missing command\n"+hint)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "link":
		return runLink(rest, stdin, stdout, stderr)
	case "widget":
		return runWidget(rest, stdin, stdout, stderr)
	case "leave-message":
		return runLeaveMessage(rest, stdin, stdout, stderr)
	case "inspect":
		return runInspect(rest, stdout, stderr)
	case "params":
		return runParams(rest, stdout, stderr)
	case "convert":
		return runConvert(rest, stdin, stdout, stderr)
	}
	// The text is not repeated: it could be a key, mistyped.
	fmt.Fprint(stderr, "sobot: unknown command; the commands are link, widget, leave-message, inspect, params, convert and help\n"+hint)
	return exitUsage
}

// hint ends every usage error.
const hint = "Run 'sobot help' for usage.\n"
