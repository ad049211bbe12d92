package sobot

import (
	"net/http"
	"strings"
)

// This file reads a response's Content-Security-Policy headers for what
// the widget's scripts need: the nonce to carry, or whether the page's
// scripts are allowed by hash.

// insertMode is how the middleware renders the widget for a response.
type insertMode uint8

const (
	// modeNonce: the snippet, its scripts carrying a nonce of the policy.
	modeNonce insertMode = iota
	// modeOpen: no policy restricts inline scripts; the snippet as the
	// Widget asks (with Widget.Nonce, if set, for a policy the middleware
	// cannot see, such as a <meta> element's).
	modeOpen
	// modeHash: the policy allows inline scripts by hash only; the hash
	// variant (a data block and the client's constant script).
	modeHash
	// modeBlocked: an enforced policy allows no inline script at all; the
	// widget could not run, so nothing is inserted.
	modeBlocked
)

// Header names of the policies; both are read so that the widget raises
// no report either.
const (
	headerCSP           = "Content-Security-Policy"
	headerCSPReportOnly = "Content-Security-Policy-Report-Only"
)

// scriptPolicy reads the policies of h (enforced and report-only; several
// header lines, and several comma-separated policies in one line) and
// returns how to render the widget and the nonce to use. A policy
// restricts the widget's inline script through the first of script-src-elem,
// script-src and default-src it has; it allows every inline script with
// 'unsafe-inline' and no nonce, hash or 'strict-dynamic'.
//
// The nonce is the Widget's own (want) when a policy lists it, else the
// first valid nonce of the enforced policies, then of the report-only
// ones. Without a nonce, a policy with hashes selects the hash variant. An
// enforced policy without nonce, hash or 'unsafe-inline' blocks the widget.
func scriptPolicy(h http.Header, want string) (insertMode, string) {
	var first string
	wantListed, hashes, blocked := false, false, false
	for _, key := range [...]string{headerCSP, headerCSPReportOnly} {
		for _, line := range h[key] {
			for policy := range strings.SplitSeq(line, ",") {
				sources, ok := scriptSources(policy)
				if !ok {
					continue
				}
				var open, dynamic, hasNonce, hasHash bool
				for src := range strings.FieldsSeq(sources) {
					switch {
					case hasPrefixFold(src, "'nonce-") && len(src) > len("'nonce-'") && src[len(src)-1] == '\'':
						n := src[len("'nonce-") : len(src)-1]
						if checkNonce(n) != "" {
							continue // not a nonce-source: browsers ignore it
						}
						hasNonce = true
						if first == "" {
							first = n
						}
						wantListed = wantListed || n == want
					case hasPrefixFold(src, "'sha256-") || hasPrefixFold(src, "'sha384-") || hasPrefixFold(src, "'sha512-"):
						hasHash = true
					case strings.EqualFold(src, "'unsafe-inline'"):
						open = true
					case strings.EqualFold(src, "'strict-dynamic'"):
						dynamic = true
					}
				}
				switch {
				case hasNonce:
				case hasHash:
					hashes = true
				case open && !dynamic:
				case key == headerCSP:
					blocked = true
				}
			}
		}
	}
	if want != "" && wantListed {
		return modeNonce, want
	}
	if first != "" {
		return modeNonce, first
	}
	if hashes {
		return modeHash, ""
	}
	if blocked {
		return modeBlocked, ""
	}
	return modeOpen, want
}

// scriptSources returns the source list that governs script elements in
// one serialized policy: script-src-elem, else script-src, else
// default-src. ok is false when the policy has none of them. As CSP
// parses, directive names are case-insensitive and the first of a name
// counts.
func scriptSources(policy string) (sources string, ok bool) {
	var found [3]bool
	var value [3]string
	for d := range strings.SplitSeq(policy, ";") {
		d = strings.Trim(d, cspSpace)
		name, rest := d, ""
		if i := strings.IndexAny(d, cspSpace); i >= 0 {
			name, rest = d[:i], d[i:]
		}
		for k, n := range [...]string{"script-src-elem", "script-src", "default-src"} {
			if !found[k] && strings.EqualFold(name, n) {
				found[k], value[k] = true, rest
			}
		}
	}
	for k := range found {
		if found[k] {
			return value[k], true
		}
	}
	return "", false
}

// cspSpace is ASCII white space, which separates directive names and
// sources.
const cspSpace = " \t\n\f\r"

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
