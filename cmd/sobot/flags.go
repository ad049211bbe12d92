package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// newFlagSet returns a flag set for a command that reports nothing itself:
// parse reports errors in the command's own short form.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args into fs, flags and other arguments in any order ("--"
// ends the flags), and returns the other arguments. On -h it prints the
// usage to stdout and returns exitOK as done; on a bad flag it reports a
// usage error and returns exitUsage.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (positional []string, status int, done bool) {
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fmt.Fprint(stdout, usage)
			return nil, exitOK, true
		case err != nil:
			return nil, usageError(stderr, fs.Name(), err.Error()), true
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(positional, rest...), exitOK, false
		}
		if len(rest) == 0 {
			return positional, exitOK, false
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// usageError reports a usage error of command cmd and returns exitUsage.
func usageError(stderr io.Writer, cmd, msg string) int {
	fmt.Fprintf(stderr, "sobot %s: %s\n"+hint, cmd, msg)
	return exitUsage
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
	extra                            listFlag
}

// register adds the common flags to fs.
func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.sysnum, "sysnum", "", "company id (sysnum); default $SOBOT_SYSNUM")
	fs.StringVar(&c.key, "key", "", "security key; default $SOBOT_KEY")
	fs.StringVar(&c.baseURL, "base-url", "", "Sobot base URL; default $SOBOT_BASE_URL or https://www.sobot.com")
	fs.StringVar(&c.paramsFile, "params-file", "", "JSON object of parameters by wire name; - reads stdin")
	fs.Var(&c.extra, "extra", "NAME=VALUE of a parameter the reference lacks (repeatable)")
}

// resolveEnv fills the flags not given from the environment.
func (c *common) resolveEnv(fs *flag.FlagSet) {
	if !isSet(fs, "sysnum") {
		c.sysnum = os.Getenv("SOBOT_SYSNUM")
	}
	if !isSet(fs, "key") {
		c.key = os.Getenv("SOBOT_KEY")
	}
	if !isSet(fs, "base-url") {
		c.baseURL = os.Getenv("SOBOT_BASE_URL")
	}
}
