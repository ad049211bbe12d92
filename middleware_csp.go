package sobot

import (
	"net/http"
	"slices"
	"strings"
)

// This file reads a response's Content-Security-Policy headers for what
// the widget's scripts need: the nonce to carry, or whether the page's
// scripts are allowed by hash.

// insertMode is how the middleware renders the widget for a response.
type insertMode uint8

const (
	// modeNonce: the snippet, its scripts carrying the nonce chosen (none
	// when "").
	modeNonce insertMode = iota
	// modeHash: the hash variant (a data block and the client's constant
	// script), the script carrying the nonce chosen, if any.
	modeHash
	// modeBlocked: no form of the widget can run under the enforced
	// policies, so nothing is inserted.
	modeBlocked
)

// Header names of the policies: the enforced ones decide what runs, the
// report-only ones what is reported.
const (
	headerCSP           = "Content-Security-Policy"
	headerCSPReportOnly = "Content-Security-Policy-Report-Only"
)

// scriptRule is what one policy allows of the widget's inline scripts,
// through the first of script-src-elem, script-src and default-src it
// has.
type scriptRule struct {
	// open: every inline script, by 'unsafe-inline' without a nonce, a
	// hash or 'strict-dynamic' (which make browsers ignore it).
	open bool
	// nonces are the policy's valid nonces.
	nonces []string
	// ownHash: the policy lists the hash of the client's hash-variant
	// script (see Client.WidgetScriptHash).
	ownHash bool
}

// allows reports whether the rule lets the widget in form mode run with
// nonce on its scripts.
func (r *scriptRule) allows(mode insertMode, nonce string) bool {
	return r.open || nonce != "" && slices.Contains(r.nonces, nonce) || mode == modeHash && r.ownHash
}

// scriptRules appends the rules of the policies in lines (header lines,
// each with comma-separated policies) that govern script elements.
// ownHashes gives the hash sources of the client's hash-variant script,
// called only for a policy with hashes.
func scriptRules(rules []scriptRule, lines []string, ownHashes func() *[3]string) []scriptRule {
	for _, line := range lines {
		for policy := range strings.SplitSeq(line, ",") {
			sources, ok := scriptSources(policy)
			if !ok {
				continue
			}
			var r scriptRule
			var unsafeInline, dynamic, hashes bool
			for src := range strings.FieldsSeq(sources) {
				switch {
				case hasPrefixFold(src, "'nonce-") && len(src) > len("'nonce-'") && src[len(src)-1] == '\'':
					if n := src[len("'nonce-") : len(src)-1]; checkNonce(n) == "" { // else not a nonce-source: browsers ignore it
						r.nonces = append(r.nonces, n)
					}
				case hasPrefixFold(src, "'sha256-") || hasPrefixFold(src, "'sha384-") || hasPrefixFold(src, "'sha512-"):
					hashes = true
					r.ownHash = r.ownHash || isOwnHash(src, ownHashes())
				case strings.EqualFold(src, "'unsafe-inline'"):
					unsafeInline = true
				case strings.EqualFold(src, "'strict-dynamic'"):
					dynamic = true
				}
			}
			r.open = unsafeInline && !dynamic && !hashes && len(r.nonces) == 0
			rules = append(rules, r)
		}
	}
	return rules
}

// isOwnHash reports whether the hash source src is one of own, the
// client's: the algorithm in any case, the digest in base64 or base64url,
// with or without padding, as browsers match them.
func isOwnHash(src string, own *[3]string) bool {
	norm := func(s string) string {
		alg, digest, _ := strings.Cut(strings.Trim(s, "'"), "-")
		digest = strings.TrimRight(strings.NewReplacer("-", "+", "_", "/").Replace(digest), "=")
		return strings.ToLower(alg) + "-" + digest
	}
	src = norm(src)
	for _, h := range own {
		if norm(h) == src {
			return true
		}
	}
	return false
}

// scriptPolicy reads the policies of h (enforced and report-only; several
// header lines, and several comma-separated policies in one line) and
// returns the form of the widget to insert and the nonce its scripts
// carry. want is the Widget's own nonce; callbacks tells whether the
// Widget has callbacks, which the hash variant does not render;
// ownHashes gives the client's hash sources.
//
// Every enforced policy must allow the widget's scripts: they decide what
// runs. Report-only policies decide only what is reported, so a form they
// allow too is preferred. The forms are tried in this order, the first
// that the policies allow is taken:
//
//  1. the snippet, allowed by the enforced and the report-only policies;
//  2. the hash variant, allowed by both (after 3 when the Widget has
//     callbacks);
//  3. the snippet, allowed by the enforced policies;
//  4. the hash variant, allowed by the enforced policies.
//
// Each form is tried with the nonces in turn: want, then those of the
// enforced policies, then those of the report-only ones, then none. Under
// no policy, the snippet with want, for a policy the middleware cannot
// see (a <meta> element's). When no form runs under the enforced
// policies, the mode is modeBlocked.
func scriptPolicy(h http.Header, want string, callbacks bool, ownHashes func() *[3]string) (insertMode, string) {
	var buf [4]scriptRule
	enforced := scriptRules(buf[:0], h[headerCSP], ownHashes)
	n := len(enforced)
	all := scriptRules(enforced[:n:n], h[headerCSPReportOnly], ownHashes)
	if len(all) == 0 {
		return modeNonce, want
	}
	nonces := []string{want}
	for _, r := range all {
		for _, nc := range r.nonces {
			if !slices.Contains(nonces, nc) {
				nonces = append(nonces, nc)
			}
		}
	}
	if want != "" {
		nonces = append(nonces, "")
	}
	try := func(mode insertMode, rules []scriptRule) (string, bool) {
		for _, nc := range nonces {
			if !allAllow(rules, mode, nc) {
				continue
			}
			if mode == modeHash && checkNonce(nc) != "" {
				continue // the Widget's own invalid nonce; another may do
			}
			return nc, true
		}
		return "", false
	}
	order := [...]struct {
		mode  insertMode
		rules []scriptRule
	}{{modeNonce, all}, {modeHash, all}, {modeNonce, enforced}, {modeHash, enforced}}
	if callbacks {
		order[1], order[2] = order[2], order[1]
	}
	for _, o := range order {
		if nc, ok := try(o.mode, o.rules); ok {
			return o.mode, nc
		}
	}
	return modeBlocked, ""
}

// allAllow reports whether every rule allows the widget in form mode with
// nonce.
func allAllow(rules []scriptRule, mode insertMode, nonce string) bool {
	for i := range rules {
		if !rules[i].allows(mode, nonce) {
			return false
		}
	}
	return true
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
