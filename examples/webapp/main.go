// Command webapp is the example shop of sobot-go: a small Go web app with
// logged-in users, per-user signed Sobot (智齿) chat links and the JS-SDK
// widget, under a strict Content-Security-Policy.
//
// Run it from the repository root:
//
//	go run ./examples/webapp
//
// and open the "shop:" address it prints. Without a Sobot account it starts
// sobottest, the repository's stand-in of Sobot, on a free loopback port,
// with a demo sysnum and a demo security key, and points the shop at it:
// links are signed and checked exactly as with a real account. Given an
// account, the same app talks to Sobot:
//
//	SOBOT_SYSNUM=4c349791a07b46c1a70b8ac88aa23257 SOBOT_KEY=... go run ./examples/webapp
//
// Flags:
//
//	-addr ADDR        address to listen on (default 127.0.0.1:8080; when that
//	                  port is taken, a free port; an address given here must be free)
//	-sysnum S         Sobot account (default $SOBOT_SYSNUM; none: the stand-in)
//	-base-url URL     Sobot host (default $SOBOT_BASE_URL, else https://www.sobot.com)
//	-v6               use Sobot's v6 chat pages instead of v2
//	-public-url URL   the shop's address as visitors reach it, for the links in
//	                  the product and order cards (default http://ADDR)
//
// The security key comes from $SOBOT_KEY only, never from a flag: command
// lines are visible to every user of the machine.
//
// An invalid configuration stops the app before it serves anything, with
// every problem listed, one per line, and exit status 1 (2 for a bad flag).
// Ctrl-C or SIGTERM shuts it down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sobotgo/sobot"
	"github.com/sobotgo/sobot/sobottest"
)

// The stand-in's account. The key is public on purpose: it exists so that
// the offline demo signs and checks links exactly as a real account does.
const (
	demoSysNum = "sobotgo-demo"
	demoKey    = "sobotgo-demo-key"
)

// defaultAddr is where the shop listens unless -addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

// shutdownTimeout bounds the wait for requests in flight at shutdown.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "webapp:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode is the process's exit status for run's error: 0 for none (and
// for -h), 2 for a bad flag, 1 for anything else.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// usageError is a bad command line; the flag package has already printed
// the usage.
type usageError struct{ error }

// configError lists every problem of the configuration.
type configError []sobot.Problem

// Error lists the problems, one per line.
func (e configError) Error() string {
	var b strings.Builder
	b.WriteString("invalid configuration:")
	for _, p := range e {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// options are the command line and environment, read but not yet checked.
type options struct {
	addr, sysnum, key, baseURL, publicURL string
	addrSet                               bool // -addr was given
	v6                                    bool
}

// parseOptions reads the flags in args and the environment through getenv.
func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("webapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", defaultAddr, "address to listen on; when the default's port is taken, a free port")
	fs.StringVar(&o.sysnum, "sysnum", getenv("SOBOT_SYSNUM"), "Sobot account (default $SOBOT_SYSNUM; none: run against the stand-in)")
	fs.StringVar(&o.baseURL, "base-url", getenv("SOBOT_BASE_URL"), "Sobot host (default $SOBOT_BASE_URL, else "+sobot.DefaultBaseURL+")")
	fs.BoolVar(&o.v6, "v6", false, "use Sobot's v6 chat pages instead of v2")
	fs.StringVar(&o.publicURL, "public-url", "", "the shop's address as visitors reach it (default http://ADDR)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: webapp [flags]   (the security key comes from $SOBOT_KEY)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return o, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	fs.Visit(func(f *flag.Flag) { o.addrSet = o.addrSet || f.Name == "addr" })
	o.key = getenv("SOBOT_KEY")
	return o, nil
}

// knobs name the flag and variable behind a configuration problem.
var knobs = map[string]string{
	"sysnum":   "-sysnum / SOBOT_SYSNUM",
	"base_url": "-base-url / SOBOT_BASE_URL",
}

// run runs the shop until ctx ends, then shuts it down gracefully. It
// prints the addresses to open on stdout, and problems on stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	// One logger for the app and its Sobot client: what a page leaves out
	// because of a visitor's data is logged by both.
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var ps configError
	cfg := sobot.Config{SysNum: o.sysnum, Key: sobot.NewKey(o.key), BaseURL: o.baseURL, Defaults: siteDefaults, Logger: log}
	if o.v6 {
		cfg.Version = sobot.V6
	}

	// Without an account, serve the stand-in on a free loopback port and
	// make it the account.
	var servers []*server
	standIn := o.sysnum == ""
	if standIn {
		if o.key != "" {
			ps = append(ps, sobot.Problem{Param: "SOBOT_KEY", Reason: "is set but no sysnum is: set SOBOT_SYSNUM (or -sysnum) too, or unset SOBOT_KEY to run against the stand-in"})
		}
		if o.baseURL != "" {
			ps = append(ps, sobot.Problem{Param: knobs["base_url"], Value: o.baseURL, Reason: "is set but no sysnum is: set SOBOT_SYSNUM (or -sysnum) too, or unset it to run against the stand-in"})
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("starting the stand-in: %w", err)
		}
		servers = append(servers, &server{ln: ln, srv: &http.Server{Handler: sobottest.NewHandler(demoSysNum, sobot.NewKey(demoKey))}})
		cfg.SysNum, cfg.Key, cfg.BaseURL = demoSysNum, sobot.NewKey(demoKey), "http://"+ln.Addr().String()
	}
	client, err := sobot.NewClient(cfg)
	var verr *sobot.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			if k, ok := knobs[p.Param]; ok {
				p.Param = k
			}
			ps = append(ps, p)
		}
	} else if err != nil {
		return err
	}
	if o.publicURL != "" {
		if u, err := url.Parse(o.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			ps = append(ps, sobot.Problem{Param: "-public-url", Value: o.publicURL, Reason: "must be the shop's http(s) address, such as https://shop.example.com"})
		}
	}
	if len(ps) > 0 {
		closeAll(servers)
		return ps
	}

	ln, err := listen(o.addr, !o.addrSet, stderr)
	if err != nil {
		closeAll(servers)
		return err
	}
	public := o.publicURL
	if public == "" {
		public = "http://" + openable(ln.Addr())
	}
	h, err := newApp(appConfig{Client: client, PublicURL: public, StandIn: standIn, Log: log})
	if err != nil {
		ln.Close()
		closeAll(servers)
		return err
	}
	servers = append(servers, &server{ln: ln, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}})

	fmt.Fprintf(stdout, "shop: http://%s/ (open this)\n", openable(ln.Addr()))
	if standIn {
		// Even the stand-in's demo key is not printed: keys never reach
		// output. It is demoKey, above, for `sobot inspect --key`.
		fmt.Fprintf(stdout, "stand-in Sobot: %s (sobottest, a test double of Sobot; sysnum %s, demo security key in examples/webapp/main.go)\n", client.BaseURL(), demoSysNum)
	} else {
		fmt.Fprintf(stdout, "Sobot: %s (sysnum %s, %s pages)\n", client.BaseURL(), client.SysNum(), client.Version())
		if !client.Signed() {
			fmt.Fprintln(stderr, "warning: SOBOT_KEY is not set, so chat links are not signed: Sobot accepts them only while the console's security key (安全密钥) is off")
		}
	}
	fmt.Fprintln(stdout, "Ctrl-C stops.")
	return serve(ctx, servers)
}

// server is an http.Server with the listener it serves.
type server struct {
	ln  net.Listener
	srv *http.Server
}

// serve serves every server until ctx ends or one fails, then shuts them
// all down, letting requests in flight finish for up to shutdownTimeout.
func serve(ctx context.Context, servers []*server) error {
	errc := make(chan error, len(servers))
	for _, s := range servers {
		go func() { errc <- s.srv.Serve(s.ln) }()
	}
	var err error
	pending := len(servers)
	select {
	case <-ctx.Done():
	case err = <-errc: // Serve returns only on failure until Shutdown
		pending--
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, s := range servers {
		err = errors.Join(err, s.srv.Shutdown(sctx))
	}
	for ; pending > 0; pending-- {
		if e := <-errc; !errors.Is(e, http.ErrServerClosed) {
			err = errors.Join(err, e)
		}
	}
	return err
}

// closeAll closes the listeners of servers that never started serving.
func closeAll(servers []*server) {
	for _, s := range servers {
		s.ln.Close()
	}
}

// listen listens on addr. With fallback (addr is the default, not the
// user's choice) it takes a free port of the same host when addr is not
// available, and says so on stderr.
func listen(addr string, fallback bool, stderr io.Writer) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || !fallback {
		return ln, err
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if splitErr != nil {
		return nil, err
	}
	ln, err2 := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err2 != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "%s is not available (%v); listening on %s instead\n", addr, err, ln.Addr())
	return ln, nil
}

// openable returns a listener's address in a form a browser can open: an
// unspecified host (":8080", "0.0.0.0:8080") becomes localhost.
func openable(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
