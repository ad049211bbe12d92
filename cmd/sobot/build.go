package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sobotgo/sobot"
)

// builder builds a command's result from a client and parameters.
type builder func(c *sobot.Client, p *sobot.Params) (string, error)

// runLink is sobot link: a signed H5 chat URL, or PC with --pc.
func runLink(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("link")
	pc := fs.Bool("pc", false, "PC (desktop) chat URL instead of H5")
	v6 := fs.Bool("v6", false, "the v6 chat pages instead of v2")
	return runBuild(fs, args, stdin, stdout, stderr, func(cfg *sobot.Config) {
		if *v6 {
			cfg.Version = sobot.V6
		}
	}, func(c *sobot.Client, p *sobot.Params) (string, error) {
		if *pc {
			return c.PCURL(p)
		}
		return c.H5URL(p)
	})
}

// runWidget is sobot widget: the widget's HTML block.
func runWidget(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("widget")
	nonce := fs.String("nonce", "", "the response's CSP nonce for the script elements")
	return runBuild(fs, args, stdin, stdout, stderr, nil, func(c *sobot.Client, p *sobot.Params) (string, error) {
		return widgetHTML(c, p, *nonce)
	})
}

// widgetHTML renders the widget's HTML block: the zc stub and config, and
// the loader.
func widgetHTML(c *sobot.Client, p *sobot.Params, nonce string) (string, error) {
	s, err := c.RenderWidget(&sobot.Widget{Params: p, Nonce: nonce})
	var verr *sobot.ValidationError
	if errors.As(err, &verr) {
		for i := range verr.Problems {
			if verr.Problems[i].Param == "Widget.Nonce" {
				verr.Problems[i].Param = "--nonce" // the flag that set it
			}
		}
	}
	return s.String(), err
}

// runLeaveMessage is sobot leave-message: the leave-message URL.
func runLeaveMessage(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("leave-message")
	return runBuild(fs, args, stdin, stdout, stderr, nil, (*sobot.Client).LeaveMessageURL)
}

// runBuild parses the common flags and the parameters, makes the client
// (configure adjusts its Config) and prints what build returns, or every
// problem found on the way.
func runBuild(fs *flag.FlagSet, args []string, stdin io.Reader, stdout, stderr io.Writer, configure func(*sobot.Config), build builder) int {
	var c common
	c.register(fs)
	positional, status, done := parse(fs, args, stdout, stderr)
	if done {
		return status
	}
	if c.keys.empty {
		return usageError(stderr, fs.Name(), emptyKey)
	}
	for _, name := range []string{"params-file", "nonce"} {
		if f := fs.Lookup(name); f != nil && isSet(fs, name) && f.Value.String() == "" {
			return usageError(stderr, fs.Name(), "--"+name+" is empty: give a value, or leave --"+name+" out")
		}
	}
	c.resolveEnv(fs)
	if c.sysnum == "" {
		return usageError(stderr, fs.Name(), "missing sysnum: pass --sysnum or set SOBOT_SYSNUM")
	}
	p, ps, bad := paramsFrom(&c, positional, stdin)
	if bad != "" {
		return usageError(stderr, fs.Name(), bad)
	}
	cfg := sobot.Config{SysNum: c.sysnum, Key: sobot.NewKey(c.key), BaseURL: c.baseURL}
	if configure != nil {
		configure(&cfg)
	}
	client, err := sobot.NewClient(cfg)
	var out string
	if err == nil {
		out, err = build(client, p)
	}
	if err != nil {
		var verr *sobot.ValidationError
		if !errors.As(err, &verr) {
			fmt.Fprintf(stderr, "sobot %s: %v\n", fs.Name(), err)
			return exitInvalid
		}
		ps = append(ps, verr.Problems...)
		if client == nil {
			ps = append(ps, paramProblems(cfg, build, p)...)
		}
	}
	if len(ps) > 0 {
		printProblems(stderr, ps)
		return exitInvalid
	}
	fmt.Fprintln(stdout, strings.TrimRight(out, "\n"))
	return exitOK
}

// paramProblems returns the problems build finds in p, for when the
// configuration is invalid and there is no client to build with: it builds
// with a stand-in client that differs only in a valid sysnum and base URL,
// which no parameter check depends on, and a valid key if it has one. So the problems are exactly the
// builder's: Params.Validate's for its target, partnerid required with a
// key, and the builder's own (the leave-message page's source, the widget's
// nonce).
func paramProblems(cfg sobot.Config, build builder, p *sobot.Params) []sobot.Problem {
	cfg.SysNum, cfg.BaseURL = "sysnum", ""
	if !cfg.Key.IsZero() {
		// Signing needs a key, not this one: only its presence changes
		// what the parameters must hold (partnerid).
		cfg.Key = sobot.NewKey(strings.Repeat("k", sobot.MinKeyLength))
	}
	client, err := sobot.NewClient(cfg)
	if err == nil {
		_, err = build(client, p)
	}
	var verr *sobot.ValidationError
	if !errors.As(err, &verr) {
		return nil
	}
	return verr.Problems
}

// printProblems prints one "NAME: reason" line per problem, each once, in
// the order found. Known keys are redacted from the values before they are
// shortened for the message.
func printProblems(stderr io.Writer, ps []sobot.Problem) {
	type key struct{ param, value, reason string }
	seen := make(map[key]bool, len(ps))
	for _, prob := range ps {
		k := key{prob.Param, prob.Value, prob.Reason}
		if seen[k] {
			continue
		}
		seen[k] = true
		prob.Value = redactString(stderr, prob.Value)
		fmt.Fprintln(stderr, prob.Error())
	}
}
