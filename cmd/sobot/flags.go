package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/sobotgo/sobot"
)

// listFlag is a repeatable string flag.
type listFlag []string

// String returns the values given so far, for flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ", ") }

// Set adds one value, for flag.Value.
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// repeatable marks a flag that may be given more than once.
func (l *listFlag) repeatable() {}

// keyFlag is the --key flag: repeatable, and it remembers whether any value
// was empty, which is a usage error. String never shows a key.
type keyFlag struct {
	values []string
	empty  bool
}

// String returns "": a flag.Value's String must never show a key.
func (k *keyFlag) String() string { return "" }

// repeatable marks a flag that may be given more than once.
func (k *keyFlag) repeatable() {}

// Set adds one key, for flag.Value.
func (k *keyFlag) Set(s string) error {
	k.values = append(k.values, s)
	k.empty = k.empty || s == ""
	return nil
}

// emptyKey is the usage error of an explicitly empty --key. An empty --key
// would otherwise override SOBOT_KEY and silently turn signing off.
const emptyKey = "--key is empty: give the key, or leave --key out to use SOBOT_KEY"

// keyProblem returns why the library refuses secret as a security key (too
// short, white space at either end), in NewClient's words, or "" for a key
// it takes: commands that use keys without a client hold them to the same
// rule.
func keyProblem(secret string) string {
	var verr *sobot.ValidationError
	if errors.As(sobot.NewKey(secret).Check(), &verr) {
		return verr.Problems[0].Reason
	}
	return ""
}

// argument is a command-line argument that is not a flag, with its
// position among the command's arguments (from 1), by which messages name
// it: they never repeat an argument's text, which could be a key typed in
// the wrong place.
type argument struct {
	text string
	n    int
}

// newFlagSet returns a flag set for a command that reports nothing itself:
// parse reports errors in the command's own short form.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args into fs, flags and other arguments in any order ("--"
// ends the flags), and returns the other arguments. Flags are written as
// the flag package takes them (-name or --name, a value as the next
// argument or after "="), but errors name arguments by position and never
// repeat their text. On -h it prints the usage to stdout and returns exitOK
// as done; on a bad flag it reports a usage error and returns exitUsage.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (positional []argument, status int, done bool) {
	given := map[string]bool{} // a flag that takes one text value may be given once; a switch's last value wins
	for i := 0; i < len(args); i++ {
		arg, n := args[i], i+1
		if arg == "--" {
			for j := i + 1; j < len(args); j++ {
				positional = append(positional, argument{args[j], j + 1})
			}
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			positional = append(positional, argument{arg, n})
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
		f := fs.Lookup(name)
		switch {
		case f == nil && (name == "h" || name == "help"):
			fmt.Fprint(stdout, usage)
			return nil, exitOK, true
		case f == nil:
			return nil, usageError(stderr, fs.Name(), fmt.Sprintf("argument %d is an unknown flag; %s", n, flagNames(fs))), true
		}
		isBool := false
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			isBool = true
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 == len(args) {
				return nil, usageError(stderr, fs.Name(), "--"+name+" needs a value"), true
			}
			i++
			value = args[i]
		}
		if _, repeatable := f.Value.(interface{ repeatable() }); !repeatable && !isBool && given[name] {
			return nil, usageError(stderr, fs.Name(), fmt.Sprintf("argument %d: --%s is given twice; give it once", n, name)), true
		}
		given[name] = true
		if err := fs.Set(name, value); err != nil {
			return nil, usageError(stderr, fs.Name(), fmt.Sprintf("argument %d: --%s takes no value, or =true or =false", n, name)), true
		}
	}
	return positional, exitOK, false
}

// flagNames lists fs's flags for a message: "the flags are --key, --pc
// and -h", or "the only flag is -h".
func flagNames(fs *flag.FlagSet) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	if len(names) == 0 {
		return "the only flag is -h"
	}
	return "the flags are " + strings.Join(names, ", ") + " and -h"
}

// usageError reports a usage error of command cmd and returns exitUsage.
func usageError(stderr io.Writer, cmd, msg string) int {
	fmt.Fprintf(stderr, "sobot %s: %s\n"+hint, cmd, msg)
	return exitUsage
}

// valueFlags are the flags whose explicitly empty value is a usage error,
// like an empty --key: an empty value would silently mean the flag was
// left out.
var valueFlags = []string{"sysnum", "base-url", "params-file", "nonce", "webview"}

// emptyValueFlag returns the usage error of a flag of valueFlags given
// with an empty value on fs's command line; "" if there is none.
func emptyValueFlag(fs *flag.FlagSet) string {
	for _, name := range valueFlags {
		if f := fs.Lookup(name); f != nil && isSet(fs, name) && f.Value.String() == "" {
			return "--" + name + " is empty: give a value, or leave --" + name + " out"
		}
	}
	return ""
}

// hideArgument blanks the value of each problem that repeats arg, unless
// arg is URL-shaped: an argument that is not even a URL could be a key
// typed in the wrong place, so it is not repeated.
func hideArgument(ps []sobot.Problem, arg string) []sobot.Problem {
	for i := range ps {
		if ps[i].Value == arg && !strings.Contains(arg, "://") {
			ps[i].Value = ""
		}
	}
	return ps
}

// isSet reports whether the flag called name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// common holds the flags the building commands share.
type common struct {
	sysnum, key, baseURL, paramsFile string
	keys                             keyFlag
	extra                            listFlag
}

// register adds the common flags to fs.
func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.sysnum, "sysnum", "", "company id (sysnum); default $SOBOT_SYSNUM")
	fs.Var(&c.keys, "key", "security key; default $SOBOT_KEY")
	fs.StringVar(&c.baseURL, "base-url", "", "Sobot base URL; default $SOBOT_BASE_URL or https://www.sobot.com")
	fs.StringVar(&c.paramsFile, "params-file", "", "JSON object of parameters by wire name; - reads stdin")
	fs.Var(&c.extra, "extra", "NAME=VALUE of a parameter the reference lacks (repeatable)")
}

// resolveEnv fills the flags not given from the environment, read with
// getenv. A repeated --key counts once, the last one.
func (c *common) resolveEnv(fs *flag.FlagSet, getenv func(string) string) {
	if !isSet(fs, "sysnum") {
		c.sysnum = getenv("SOBOT_SYSNUM")
	}
	if n := len(c.keys.values); n > 0 {
		c.key = c.keys.values[n-1]
	} else {
		c.key = getenv("SOBOT_KEY")
	}
	if !isSet(fs, "base-url") {
		c.baseURL = getenv("SOBOT_BASE_URL")
	}
}

// ordinal returns "1st", "2nd", "3rd", "4th", ...
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// redactor writes to w with every known key replaced by [REDACTED]: the
// keys in SOBOT_KEY and given with --key, caught even where a mistyped
// command line puts one in a value that a message repeats (--base-url
// "$SOBOT_KEY", a URL to inspect).
type redactor struct {
	w       io.Writer
	secrets []redactedKey // longest first, so a key inside another is not half-replaced
}

// redactedKey is a key to redact and the expression that finds it in any
// case.
type redactedKey struct {
	text string
	re   *regexp.Regexp
}

// redacted is what a key is replaced with, as sobot.Key prints.
const redacted = "[REDACTED]"

// newRedactor returns a redactor of w for the keys in SOBOT_KEY (read with
// getenv) and in the --key values of args (any command's, found without
// parsing, so the keys are known whatever fails to parse).
func newRedactor(w io.Writer, args []string, getenv func(string) string) *redactor {
	r := &redactor{w: w}
	r.add(getenv("SOBOT_KEY"))
	for i, arg := range args {
		switch {
		case arg == "-key" || arg == "--key":
			if i+1 < len(args) {
				r.add(args[i+1])
			}
		case strings.HasPrefix(arg, "-key=") || strings.HasPrefix(arg, "--key="):
			_, v, _ := strings.Cut(arg, "=")
			r.add(v)
		}
	}
	return r
}

// add records a secret to redact; "" is none.
func (r *redactor) add(key string) {
	if key == "" {
		return
	}
	i := 0
	for i < len(r.secrets) && len(r.secrets[i].text) >= len(key) {
		i++
	}
	s := redactedKey{text: key, re: regexp.MustCompile("(?i)" + regexp.QuoteMeta(key))}
	r.secrets = append(r.secrets[:i], append([]redactedKey{s}, r.secrets[i:]...)...)
}

// redact returns s with every known key of at least minLen bytes replaced,
// in any case: a key given as a colour comes back lowered.
func (r *redactor) redact(s string, minLen int) string {
	for _, k := range r.secrets {
		if len(k.text) >= minLen {
			s = k.re.ReplaceAllLiteralString(s, redacted)
		}
	}
	return s
}

// streamMinLen is the shortest key redacted in the whole stream: below
// sobot.MinKeyLength, so every key the library accepts is covered, and so
// are refused keys of 8 bytes or more. A shorter key ("key", "1") also
// occurs in the messages' own words and numbers ("security key", "10 to
// 2880"), which replacing would garble; values repeated from the command
// line are redacted whatever the key's length (redactString), and nothing
// else on stderr repeats user input.
const streamMinLen = 8

// Write writes p, with long keys redacted, in one Write to the underlying
// writer.
func (r *redactor) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.redact(string(p), streamMinLen)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// redactString redacts s if w is a redactor. Problem values go through it
// before sobot.Problem.Error shortens them, so a shortened key cannot slip
// past the writer's redaction.
func redactString(w io.Writer, s string) string {
	if r, ok := w.(*redactor); ok {
		return r.redact(s, 1)
	}
	return s
}

// redactName returns [REDACTED] for a parameter's name that is a known key
// in any case, however short (a key typed as NAME=VALUE), if w is a
// redactor; longer keys inside a name are the stream's to hide.
func redactName(w io.Writer, name string) string {
	if r, ok := w.(*redactor); ok {
		for _, k := range r.secrets {
			if strings.EqualFold(name, k.text) {
				return redacted
			}
		}
	}
	return name
}
