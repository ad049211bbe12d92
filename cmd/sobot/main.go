package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Exit statuses; see the package documentation.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

// main runs sobot with the process's arguments, environment and standard
// streams, and exits with its status.
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

// commands are the subcommands, in the order the usage lists them. They
// are set in init: help reads the list.
var commands []command

func init() {
	commands = []command{
		{"link", runLink},
		{"widget", runWidget},
		{"leave-message", runLeaveMessage},
		{"mini-program", runMiniProgram},
		{"ticket", runTicket},
		{"inspect", runInspect},
		{"params", runParams},
		{"convert", runConvert},
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
	// Both streams hide the keys: stdout carries what inspect reads from a
	// link and what convert reads from a page, either of which may hold one.
	errs := newRedactor(stderr, args, getenv)
	e := &env{getenv: getenv, stdin: stdin, stdout: &redactor{w: stdout, secrets: errs.secrets}, stderr: errs}
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

// runHelp is sobot help [COMMAND]: the usage, on stdout. A COMMAND that
// is not one is a usage error, as it is in the command's place.
func runHelp(e *env, args []string) int {
	if len(args) > 1 || len(args) == 1 && !slices.ContainsFunc(commands, func(c command) bool { return c.name == args[0] }) {
		fmt.Fprint(e.stderr, "sobot help: takes at most one argument, a command: "+commandNames()+"\n"+hint)
		return exitUsage
	}
	fmt.Fprint(e.stdout, usage)
	return exitOK
}

// hint ends every usage error.
const hint = "Run 'sobot help' for usage.\n"
