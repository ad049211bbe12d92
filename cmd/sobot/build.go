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

// plan is what a building command builds, known once its flags are
// parsed.
type plan struct {
	version sobot.Version // the client's page generation
	kind    sobot.Kind    // what is built, for its notices (Client.Check)
	build   builder
}

// runLink is sobot link: a signed H5 chat URL, or PC with --pc.
func runLink(e *env, args []string) int {
	fs := newFlagSet("link")
	pc := fs.Bool("pc", false, "PC (desktop) chat URL instead of H5")
	v6 := fs.Bool("v6", false, "the v6 chat pages instead of v2")
	return runBuild(e, fs, args, func() plan {
		pl := plan{kind: sobot.KindH5, build: (*sobot.Client).H5URL}
		if *pc {
			pl = plan{kind: sobot.KindPC, build: (*sobot.Client).PCURL}
		}
		if *v6 {
			pl.version = sobot.V6
		}
		return pl
	})
}

// runWidget is sobot widget: the widget's HTML block.
func runWidget(e *env, args []string) int {
	fs := newFlagSet("widget")
	nonce := fs.String("nonce", "", "the response's CSP nonce for the script elements")
	v6 := fs.Bool("v6", false, "the v6 loader (/chat/frame/v6/entrance.js) instead of v2")
	return runBuild(e, fs, args, func() plan {
		pl := plan{kind: sobot.KindWidget, build: func(c *sobot.Client, p *sobot.Params) (string, error) {
			return widgetHTML(c, p, *nonce)
		}}
		if *v6 {
			pl.version = sobot.V6
		}
		return pl
	})
}

// widgetHTML renders the widget's HTML block: the zc stub and config, and
// the loader. A bad nonce is named by its flag.
func widgetHTML(c *sobot.Client, p *sobot.Params, nonce string) (string, error) {
	s, err := c.RenderWidget(&sobot.Widget{Params: p, Nonce: nonce})
	return s.String(), renameParam(err, "Widget.Nonce", "--nonce")
}

// runLeaveMessage is sobot leave-message: the leave-message URL.
func runLeaveMessage(e *env, args []string) int {
	fs := newFlagSet("leave-message")
	return runBuild(e, fs, args, func() plan {
		return plan{kind: sobot.KindLeaveMessage, build: (*sobot.Client).LeaveMessageURL}
	})
}

// runMiniProgram is sobot mini-program: the H5 chat URL for a WeChat
// mini-program's web-view, or with --webview the WXML element.
func runMiniProgram(e *env, args []string) int {
	fs := newFlagSet("mini-program")
	handler := fs.String("webview", "", "print the <web-view> WXML element, its bindmessage the page method `HANDLER`")
	v6 := fs.Bool("v6", false, "the v6 chat pages instead of v2")
	return runBuild(e, fs, args, func() plan {
		// MiniProgramURL builds an H5 link (with source=10): its notices
		// are an H5 link's.
		pl := plan{kind: sobot.KindH5, build: (*sobot.Client).MiniProgramURL}
		if *v6 {
			pl.version = sobot.V6
		}
		if *handler != "" {
			pl.build = func(c *sobot.Client, p *sobot.Params) (string, error) {
				s, err := c.MiniProgramWebView(p, *handler)
				return s, renameParam(err, "bindmessage", "--webview")
			}
		}
		return pl
	})
}

// renameParam renames, in the problems of err (a *sobot.ValidationError),
// the parameter from to to: the flag that set it.
func renameParam(err error, from, to string) error {
	var verr *sobot.ValidationError
	if errors.As(err, &verr) {
		for i := range verr.Problems {
			if verr.Problems[i].Param == from {
				verr.Problems[i].Param = to
			}
		}
	}
	return err
}

// runBuild parses the common flags and the parameters, makes the client
// and prints what the plan builds, then the notices of what Sobot would
// ignore in it; or every problem found on the way.
func runBuild(e *env, fs *flag.FlagSet, args []string, planned func() plan) int {
	stdout, stderr := e.stdout, e.stderr
	var c common
	c.register(fs)
	positional, status, done := parse(fs, args, stdout, stderr)
	if done {
		return status
	}
	if c.keys.empty {
		return usageError(stderr, fs.Name(), emptyKey)
	}
	if msg := emptyValueFlag(fs); msg != "" {
		return usageError(stderr, fs.Name(), msg)
	}
	c.resolveEnv(fs, e.getenv)
	if c.sysnum == "" {
		return usageError(stderr, fs.Name(), "missing sysnum: pass --sysnum or set SOBOT_SYSNUM")
	}
	p, ps, bad := paramsFrom(&c, positional, e.stdin)
	if bad != "" {
		return usageError(stderr, fs.Name(), bad)
	}
	pl := planned()
	cfg := sobot.Config{SysNum: c.sysnum, Key: sobot.NewKey(c.key), BaseURL: c.baseURL, Version: pl.version}
	client, err := sobot.NewClient(cfg)
	var out string
	if err == nil {
		out, err = pl.build(client, p)
	}
	if err != nil {
		var verr *sobot.ValidationError
		if !errors.As(err, &verr) {
			fmt.Fprintf(stderr, "sobot %s: %v\n", fs.Name(), err)
			return exitInvalid
		}
		ps = append(ps, verr.Problems...)
		if client == nil {
			ps = append(ps, paramProblems(cfg, pl.build, p)...)
		}
	}
	if len(ps) > 0 {
		printProblems(stderr, ps)
		return exitInvalid
	}
	if status := printResult(stdout, stderr, out); status != exitOK {
		return status
	}
	notices, _ := client.Check(pl.kind, p) // no error: the build validated p as Check does
	printNotices(stderr, notices)
	return exitOK
}

// paramProblems returns the problems build finds in p, for when the
// configuration is invalid and there is no client to build with: it builds
// with a stand-in client that differs only in a valid sysnum and base URL,
// which no parameter check depends on, and a valid key if it has one. So
// the problems are exactly the builder's: Params.Validate's for its
// target, partnerid required with a key, and the builder's own (the
// leave-message page's source, the widget's nonce, the web-view's
// handler).
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
		prob.Param, prob.Value = redactName(stderr, prob.Param), redactString(stderr, prob.Value)
		fmt.Fprintln(stderr, prob.Error())
	}
}

// noticePrefix starts each notice's line on stderr, which sets notices
// apart from problems ("NAME: reason") for a reader and for grep.
const noticePrefix = "notice: "

// printNotices prints one "notice: NAME: reason" line per notice, known
// keys redacted from the values as for problems.
func printNotices(stderr io.Writer, ns []sobot.Notice) {
	for _, n := range ns {
		n.Param, n.Value = redactName(stderr, n.Param), redactString(stderr, n.Value)
		fmt.Fprintln(stderr, noticePrefix+n.String())
	}
}

// printResult writes a command's result and a newline to stdout. A result
// that cannot be written (a full disk, a closed pipe) is a failure: exit
// 1 with the reason on stderr, so that link=$(sobot link ...) never takes
// an empty result for a success.
func printResult(stdout, stderr io.Writer, out string) int {
	if _, err := fmt.Fprintln(stdout, strings.TrimRight(out, "\n")); err != nil {
		fmt.Fprintf(stderr, "sobot: writing the result: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
