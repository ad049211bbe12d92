package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/sobotgo/sobot"
)

// entries are parameters by wire name in the order first given, with their
// wire text; a later value for a name replaces the earlier one in place.
type entries struct {
	names []string
	text  map[string]string
}

// set records name=text.
func (e *entries) set(name, text string) {
	if e.text == nil {
		e.text = map[string]string{}
	}
	if _, ok := e.text[name]; !ok {
		e.names = append(e.names, name)
	}
	e.text[name] = text
}

// splitAssignment splits a NAME=VALUE argument.
func splitAssignment(arg string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(arg, "=")
	return name, value, ok && name != ""
}

// readParamsFile reads a params file ("-" is stdin): a JSON object keyed
// by wire names. Values that cannot be turned into wire text are returned
// as problems; an unreadable file or one that is not a JSON object is an
// error (a usage error for the caller).
func readParamsFile(path string, stdin io.Reader, into *entries) ([]sobot.Problem, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("%s: must hold a JSON object keyed by wire names, such as {\"partnerid\": \"u-1\", \"time\": 120}", displayName(path))
	}
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	slices.Sort(names)
	var ps []sobot.Problem
	for _, name := range names {
		text, set, why := wireText(name, obj[name])
		switch {
		case why != "":
			ps = append(ps, sobot.Problem{Param: name, Reason: why})
		case set:
			into.set(name, text)
		}
	}
	return ps, nil
}

// displayName names a params file in messages.
func displayName(path string) string {
	if path == "-" {
		return "--params-file - (stdin)"
	}
	return path
}

// wireText turns one params-file value into wire text: a string as it is,
// a number or boolean as written, an object or array as compact JSON text
// for the JSON-valued parameters. null leaves the parameter unset. why says
// what is wrong otherwise.
func wireText(name string, raw json.RawMessage) (text string, set bool, why string) {
	raw = bytes.TrimSpace(raw)
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, "is not a valid JSON string"
		}
		return s, true, ""
	case 'n':
		return "", false, ""
	case '{', '[':
		if info, ok := sobot.LookupParam(name); ok && info.Type != sobot.TypeJSON {
			return "", false, "must be a string, number or boolean in the params file; only JSON-valued parameters take objects or arrays"
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", false, "is not valid JSON"
		}
		return b.String(), true, ""
	}
	return string(raw), true, "" // number, true or false, as written
}

// paramsFrom builds Params from the params file, the NAME=VALUE arguments
// (which override the file) and the --extra arguments. Problems with the
// parameters are returned for the caller to report with the builder's;
// usage is non-empty for a usage error.
func paramsFrom(c *common, args []string, stdin io.Reader) (p *sobot.Params, ps []sobot.Problem, usage string) {
	var all entries
	if c.paramsFile != "" {
		fileProblems, err := readParamsFile(c.paramsFile, stdin, &all)
		if err != nil {
			return nil, nil, "--params-file: " + err.Error()
		}
		ps = append(ps, fileProblems...)
	}
	for _, arg := range args {
		name, value, ok := splitAssignment(arg)
		if !ok {
			return nil, nil, fmt.Sprintf("argument %q is not NAME=VALUE", arg)
		}
		all.set(name, value)
	}
	p = &sobot.Params{}
	for _, name := range all.names {
		if why := setParam(p, name, all.text[name]); why != nil {
			ps = append(ps, *why)
		}
	}
	for _, arg := range c.extra {
		name, value, ok := splitAssignment(arg)
		if !ok {
			return nil, nil, fmt.Sprintf("--extra %q is not NAME=VALUE", arg)
		}
		if _, known := sobot.LookupParam(name); known {
			ps = append(ps, sobot.Problem{Param: name, Reason: "is a parameter of the reference; pass it as NAME=VALUE, not with --extra"})
			continue
		}
		if p.Extra == nil {
			p.Extra = map[string]string{}
		}
		p.Extra[name] = value
	}
	return p, ps, ""
}

// setParam sets one NAME=VALUE on p and returns its problem, if any.
func setParam(p *sobot.Params, name, value string) *sobot.Problem {
	info, known := sobot.LookupParam(name)
	switch {
	case !known:
		return &sobot.Problem{Param: name, Reason: "is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE"}
	case name == "sysnum":
		return &sobot.Problem{Param: name, Reason: "is set with --sysnum or SOBOT_SYSNUM"}
	case info.Field == "":
		return &sobot.Problem{Param: name, Reason: "is computed from the key (--key or SOBOT_KEY); it cannot be set"}
	}
	if err := p.Set(name, value); err != nil {
		prob := sobot.Problem{Param: name, Value: value, Reason: err.Error()}
		errors.As(err, &prob)
		return &prob
	}
	return nil
}
