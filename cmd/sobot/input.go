package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sobotgo/sobot"
)

// splitAssignment splits a NAME=VALUE argument.
func splitAssignment(arg string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(arg, "=")
	return name, value, ok && name != ""
}

// errNotParams is why a params file that is not one JSON object is
// refused.
var errNotParams = errors.New(`must hold a JSON object keyed by wire names, such as {"partnerid": "u-1", "time": 120}`)

// member is one name and value of a JSON object, the value still JSON.
type member struct {
	name  string
	value json.RawMessage
}

// readParamsFile reads a params file ("-" is stdin) and returns the members
// of its JSON object in the order written. An unreadable file is an error,
// and one that is not a JSON object is notObject (a usage error for the
// caller, which names the file).
func readParamsFile(path string, stdin io.Reader, notObject error) ([]member, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		var perr *fs.PathError
		if errors.As(err, &perr) {
			err = perr.Err // the caller names the file
		}
		return nil, err
	}
	if why := textProblem(data); why != "" {
		return nil, errors.New(why)
	}
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		// Some editors on Windows start a UTF-8 file so; JSON may not.
		return nil, errors.New("starts with a byte-order mark, which JSON does not allow: save it as UTF-8 without BOM")
	}
	members, ok := objectMembers(data)
	if !ok {
		return nil, notObject
	}
	return members, nil
}

// textProblem says why data is not a text encoding/json would read as
// it is: invalid UTF-8, or a \u escape of half a surrogate pair. The
// decoder turns both into U+FFFD without a word, which would change a
// value (even a partnerid, so that two ids sign alike); "" when the text
// is fine.
func textProblem(data []byte) string {
	if !utf8.Valid(data) {
		return "is not valid UTF-8: save it as UTF-8"
	}
	high := false // the last escape was a high surrogate
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' || i+1 == len(data) {
			if high {
				return lonelySurrogate
			}
			continue
		}
		i++ // the escaped byte
		if data[i] != 'u' || i+4 >= len(data) {
			if high {
				return lonelySurrogate
			}
			continue
		}
		r, err := strconv.ParseUint(string(data[i+1:i+5]), 16, 16)
		i += 4
		switch {
		case err != nil:
		case r >= 0xd800 && r < 0xdc00:
			if high {
				return lonelySurrogate
			}
			high = true
			continue
		case r >= 0xdc00 && r < 0xe000:
			if !high {
				return lonelySurrogate
			}
		default:
			if high {
				return lonelySurrogate
			}
		}
		high = false
	}
	if high {
		return lonelySurrogate
	}
	return ""
}

// lonelySurrogate is textProblem's reason for half a surrogate pair.
const lonelySurrogate = "holds a \\u escape of half a UTF-16 surrogate pair, which is no character"

// objectMembers returns the members of the JSON object data, in the order
// written and repeats included, which decoding into a map would hide; ok
// is false when data is not one JSON object.
func objectMembers(data []byte) (members []member, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		name, _ := tok.(string) // object keys are strings
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, false
		}
		members = append(members, member{name, value})
	}
	if _, err := dec.Token(); err != nil { // the closing }
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false // something after the object
	}
	return members, true
}

// jsValue decodes a JSON value as a JS config holds it, for
// Params.SetValue: numbers as json.Number, so they keep their digits.
func jsValue(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v) // raw is one valid JSON value: objectMembers decoded it
	return v
}

// fileName names a params file in messages.
func fileName(path string) string {
	if path == "-" {
		return "- (stdin)"
	}
	return path
}

// visitArgs are the objects of the reference's JS config that hold the
// members of a visit trace (pre_visit_url, cur_thumbnail, ...). A params
// file may hold them as the reference's example writes them.
var visitArgs = []string{"pre_visit_args", "cur_visit_args"}

// assignments are NAME=VALUE arguments by name in the order first given,
// each with its last value.
type assignments struct {
	names []string
	value map[string]string
	count map[string]int // how many times each name was given
}

// add records name=value.
func (a *assignments) add(name, value string) {
	if a.value == nil {
		a.value, a.count = map[string]string{}, map[string]int{}
	}
	if a.count[name] == 0 {
		a.names = append(a.names, name)
	}
	a.count[name]++
	a.value[name] = value
}

// assign reads NAME=VALUE arguments. A name given twice is a problem;
// usage is non-empty for an argument that is not NAME=VALUE.
func assign(args []argument) (given assignments, ps []sobot.Problem, usage string) {
	for _, arg := range args {
		name, value, ok := splitAssignment(arg.text)
		if !ok {
			return given, nil, fmt.Sprintf("argument %d is not NAME=VALUE", arg.n)
		}
		if given.add(name, value); given.count[name] == 2 {
			ps = append(ps, sobot.Problem{Param: name, Reason: "is given more than once; give it once"})
		}
	}
	return given, ps, ""
}

// paramsFrom builds Params from the params file, the NAME=VALUE arguments
// (which override the file) and the --extra arguments. Problems with the
// parameters are returned for the caller to report with the builder's;
// usage is non-empty for a usage error. Messages name arguments by
// position, never by their text.
func paramsFrom(c *common, args []argument, stdin io.Reader) (p *sobot.Params, ps []sobot.Problem, usage string) {
	var file []member
	if c.paramsFile != "" {
		var err error
		if file, err = readParamsFile(c.paramsFile, stdin, errNotParams); err != nil {
			return nil, nil, "--params-file " + fileName(c.paramsFile) + ": " + err.Error()
		}
	}
	given, ps, usage := assign(args)
	if usage != "" {
		return nil, nil, usage
	}
	p = &sobot.Params{}
	ps = append(ps, setFromFile(p, file, given.count)...)
	for _, name := range given.names {
		if why := setParam(p, name, given.value[name]); why != nil {
			ps = append(ps, *why)
		}
	}
	extraGiven := map[string]int{}
	for i, arg := range c.extra {
		name, value, ok := splitAssignment(arg)
		if !ok {
			return nil, nil, fmt.Sprintf("the %s --extra is not NAME=VALUE", ordinal(i+1))
		}
		if extraGiven[name]++; extraGiven[name] == 2 {
			ps = append(ps, sobot.Problem{Param: name, Reason: "is given more than once with --extra; give it once"})
		}
		if info, known := sobot.LookupParam(name); known {
			why := unsettable(info)
			if why == "" {
				why = "is a parameter of the reference; pass it as NAME=VALUE, not with --extra"
			}
			ps = append(ps, sobot.Problem{Param: name, Reason: why})
			continue
		}
		if p.Extra == nil {
			p.Extra = map[string]string{}
		}
		p.Extra[name] = value
	}
	return p, ps, ""
}

// setFromFile sets on p the parameters of a params file, in name order,
// but not those given as NAME=VALUE (given counts them), which override
// the file. It returns the problems: a name the file gives twice (also
// once at the top and once inside pre_visit_args or cur_visit_args), a
// name that is not a parameter, and what Params.SetValue refuses.
func setFromFile(p *sobot.Params, file []member, given map[string]int) []sobot.Problem {
	var ps []sobot.Problem
	seen := map[string]int{}
	first := func(name string) bool { // reports a repeat
		if seen[name]++; seen[name] == 2 {
			ps = append(ps, sobot.Problem{Param: name, Reason: "is given more than once in the params file; give it once"})
		}
		return seen[name] == 1
	}
	file = slices.Clone(file)
	slices.SortStableFunc(file, func(a, b member) int { return strings.Compare(a.name, b.name) })
	for _, m := range file {
		if !first(m.name) || given[m.name] > 0 {
			continue
		}
		if slices.Contains(visitArgs, m.name) {
			members, ok := objectMembers(m.value)
			if !ok { // not an object: SetValue says what it must be
				ps = append(ps, problemsOf(p.SetValue(m.name, jsValue(m.value)))...)
				continue
			}
			obj := map[string]any{}
			for _, mm := range members {
				if first(mm.name) && given[mm.name] == 0 {
					obj[mm.name] = jsValue(mm.value)
				}
			}
			ps = append(ps, problemsOf(p.SetValue(m.name, obj))...)
			continue
		}
		if why := nameProblem(m.name); why != nil {
			ps = append(ps, *why)
			continue
		}
		ps = append(ps, problemsOf(p.SetValue(m.name, jsValue(m.value)))...)
	}
	return ps
}

// problemsOf returns the problems of an error from Params.Set or SetValue:
// a sobot.Problem or a *sobot.ValidationError; nil for nil.
func problemsOf(err error) []sobot.Problem {
	var verr *sobot.ValidationError
	var prob sobot.Problem
	switch {
	case err == nil:
		return nil
	case errors.As(err, &verr):
		return verr.Problems
	case errors.As(err, &prob):
		return []sobot.Problem{prob}
	}
	return []sobot.Problem{{Reason: err.Error()}}
}

// setParam sets one NAME=VALUE on p and returns its problem, if any.
func setParam(p *sobot.Params, name, value string) *sobot.Problem {
	if why := nameProblem(name); why != nil {
		return why
	}
	if err := p.Set(name, value); err != nil {
		prob := sobot.Problem{Param: name, Value: value, Reason: err.Error()}
		errors.As(err, &prob)
		return &prob
	}
	return nil
}

// nameProblem returns the problem of a name that cannot be given as a
// parameter: one the reference lacks, a member of goods items, a visit-args
// object (which only a params file holds), or a row that is not set by
// parameters; nil for a parameter.
func nameProblem(name string) *sobot.Problem {
	info, known := sobot.LookupParam(name)
	switch {
	case known:
		if why := unsettable(info); why != "" {
			return &sobot.Problem{Param: name, Reason: why}
		}
		return nil
	case slices.Contains(visitArgs, name):
		return &sobot.Problem{Param: name, Reason: "is an object of the reference's JS config: give it in a params file, or its members (" +
			strings.TrimSuffix(name, "_visit_args") + "_visit_url, ...) as NAME=VALUE"}
	}
	if m, ok := memberRow(name); ok {
		return &sobot.Problem{Param: name, Reason: "is not a parameter but a member of each " + m.Parent + " item (" + tableName(m) +
			"): set it inside " + m.Parent + "; pass a parameter of that name with --extra NAME=VALUE"}
	}
	return &sobot.Problem{Param: name, Reason: "is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE"}
}

// unsettable says why a row of the reference cannot be given as a
// parameter, neither as NAME=VALUE nor with --extra; "" if it can.
func unsettable(info sobot.ParamInfo) string {
	switch {
	case info.Name == "sysnum":
		return "is set with --sysnum or SOBOT_SYSNUM"
	case isMember(info):
		return "is not a parameter but a member of each " + info.Parent + " item (" + tableName(info) + "): set it inside " + info.Parent
	case info.Field == "":
		return "is computed from the key (--key or SOBOT_KEY); it cannot be set"
	}
	return ""
}

// isMember reports whether a row describes a member of the items of a
// JSON array parameter (goods' name and pictureUrl) rather than a
// parameter: it has a Parent and no Go field of its own. The members of
// pre_visit_args and cur_visit_args are parameters with fields.
func isMember(info sobot.ParamInfo) bool { return info.Parent != "" && info.Field == "" }

// memberRow returns the table's member row called name, if any.
func memberRow(name string) (sobot.ParamInfo, bool) {
	for _, r := range sobot.ParamTable() {
		if isMember(r) && r.Name == name {
			return r, true
		}
	}
	return sobot.ParamInfo{}, false
}
