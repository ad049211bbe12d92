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
// error (a usage error for the caller, which names the file).
func readParamsFile(path string, stdin io.Reader, into *entries) ([]sobot.Problem, error) {
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
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, errors.New(`must hold a JSON object keyed by wire names, such as {"partnerid": "u-1", "time": 120}`)
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

// fileName names a params file in messages.
func fileName(path string) string {
	if path == "-" {
		return "- (stdin)"
	}
	return path
}

// wireText turns one params-file value into wire text: a string as it is,
// a boolean as its row's wire text (see boolText), an integral number
// (120, 120.0, 1.2e2) as an integer and another number as written, an
// object or array as compact JSON text for the JSON-valued parameters. null
// leaves the parameter unset. why says what is wrong otherwise.
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
	case 't', 'f':
		text, set := boolText(name, raw[0] == 't')
		return text, set, ""
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
	if s, ok := integerText(string(raw)); ok {
		return s, true, ""
	}
	return string(raw), true, "" // not integral: as written, for validation to report
}

// boolText is the wire text of a JSON boolean for the parameter name, as
// the reference's JS config writes flags (msg_flag: true, manual: true).
// Each flag row takes one pair of wire texts: true is "1" where the row
// takes 1 and 0 and "true" where it takes true and false; false is "0" or
// "false". On a row that takes only true (manual, custom), false leaves the
// parameter unset (set is false). Other rows get "true" or "false" as
// written, which their validation judges. The row's texts are found by
// trying them with Params.Set, which accepts exactly a flag's two texts.
func boolText(name string, b bool) (text string, set bool) {
	literal := strconv.FormatBool(b)
	if _, known := sobot.LookupParam(name); !known {
		return literal, true
	}
	var takes []string
	for _, v := range []string{"1", "0", "true", "false", "2"} {
		var p sobot.Params
		if p.Set(name, v) == nil {
			takes = append(takes, v)
		}
	}
	switch strings.Join(takes, ",") {
	case "1,0":
		if b {
			return "1", true
		}
		return "0", true
	case "true,false":
		return literal, true
	case "true", "1": // one text only: false leaves it unset
		return takes[0], b
	}
	return literal, true
}

// integerText returns the integer a JSON number (well-formed, as
// encoding/json checked) denotes, in plain decimal, if the number is
// integral: 120.0 and 1.2e2 give "120". ok is false for a number that is
// not integral, or whose integer would have more than 30 digits.
func integerText(num string) (text string, ok bool) {
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	mant, expText, hasExp := strings.Cut(strings.ToLower(num), "e")
	exp := 0
	if hasExp {
		e, err := strconv.Atoi(strings.TrimPrefix(expText, "+"))
		if err != nil || e > 100 || e < -100 {
			return "", false
		}
		exp = e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	exp -= len(frac)
	for exp < 0 && strings.HasSuffix(digits, "0") {
		digits = digits[:len(digits)-1]
		exp++
	}
	switch {
	case digits == "":
		return "0", true // 0, 0.0, -0e5
	case exp < 0, len(digits)+exp > 30:
		return "", false
	}
	text = digits + strings.Repeat("0", exp)
	if neg {
		text = "-" + text
	}
	return text, true
}

// paramsFrom builds Params from the params file, the NAME=VALUE arguments
// (which override the file) and the --extra arguments. Problems with the
// parameters are returned for the caller to report with the builder's;
// usage is non-empty for a usage error. Messages name arguments by
// position, never by their text.
func paramsFrom(c *common, args []argument, stdin io.Reader) (p *sobot.Params, ps []sobot.Problem, usage string) {
	var all entries
	if c.paramsFile != "" {
		fileProblems, err := readParamsFile(c.paramsFile, stdin, &all)
		if err != nil {
			return nil, nil, "--params-file " + fileName(c.paramsFile) + ": " + err.Error()
		}
		ps = append(ps, fileProblems...)
	}
	given := map[string]int{}
	for _, arg := range args {
		name, value, ok := splitAssignment(arg.text)
		if !ok {
			return nil, nil, fmt.Sprintf("argument %d is not NAME=VALUE", arg.n)
		}
		if given[name]++; given[name] == 2 {
			ps = append(ps, sobot.Problem{Param: name, Reason: "is given more than once; give it once"})
		}
		all.set(name, value)
	}
	p = &sobot.Params{}
	for _, name := range all.names {
		if why := setParam(p, name, all.text[name]); why != nil {
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

// setParam sets one NAME=VALUE on p and returns its problem, if any.
func setParam(p *sobot.Params, name, value string) *sobot.Problem {
	info, known := sobot.LookupParam(name)
	if !known {
		if m, ok := memberRow(name); ok {
			return &sobot.Problem{Param: name, Reason: "is not a parameter but a member of each " + m.Parent + " item (" + tableName(m) +
				"): set it inside " + m.Parent + "; pass a parameter of that name with --extra NAME=VALUE"}
		}
		return &sobot.Problem{Param: name, Reason: "is not a parameter of the reference (see 'sobot params'); pass other parameters with --extra NAME=VALUE"}
	}
	if why := unsettable(info); why != "" {
		return &sobot.Problem{Param: name, Reason: why}
	}
	if err := p.Set(name, value); err != nil {
		prob := sobot.Problem{Param: name, Value: value, Reason: err.Error()}
		errors.As(err, &prob)
		return &prob
	}
	return nil
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
