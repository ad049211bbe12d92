package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/sobotgo/sobot"
)

// runParams is sobot params: the reference table as text or JSON.
func runParams(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("params")
	asJSON := fs.Bool("json", false, "print JSON instead of a text table")
	positional, status, done := parse(fs, args, stdout, stderr)
	if done {
		return status
	}
	if len(positional) > 0 {
		return usageError(stderr, "params", fmt.Sprintf("argument %d is unexpected: sobot params takes only --json", positional[0].n))
	}
	rows := sobot.ParamTable()
	if *asJSON {
		return printJSON(stdout, stderr, paramRows(rows))
	}
	if err := writeTable(stdout, rows); err != nil {
		fmt.Fprintf(stderr, "sobot params: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

// writeTable writes rows as an aligned text table: one row per line, the
// reference's Chinese description last.
func writeTable(w io.Writer, rows []sobot.ParamInfo) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tKINDS\tFIELD\tALLOWED\tDESCRIPTION\tCHINESE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", tableName(r), r.Type, orDash(strings.Join(kindList(r.Kinds), ",")), orDash(r.Field),
			orDash(r.Allowed), orDash(oneLine(r.English)), orDash(oneLine(r.Chinese)))
	}
	return tw.Flush()
}

// tableName is a row's name in the text table: the wire name, or for a
// member of the elements of a JSON array parameter (a row with a Parent and
// no Go field of its own, such as goods' name) "goods[].name". The members
// of pre_visit_args and cur_visit_args are wire names of their own and keep
// them.
func tableName(r sobot.ParamInfo) string {
	if isMember(r) {
		return r.Parent + "[]." + r.Name
	}
	return r.Name
}

// oneLine keeps a description on its row: tabs and line breaks, which
// would break the table, become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return ' '
		}
		return r
	}, s)
}

// orDash returns s, or "-" for an empty s.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// paramRow is one row of sobot params --json.
type paramRow struct {
	Name    string   `json:"name"`
	Field   string   `json:"field,omitempty"`
	Type    string   `json:"type"`
	JS      string   `json:"js"`
	Kinds   []string `json:"kinds"`
	Parent  string   `json:"parent,omitempty"`
	Default string   `json:"default,omitempty"`
	Allowed string   `json:"allowed,omitempty"`
	Chinese string   `json:"chinese"`
	English string   `json:"english"`
	Source  string   `json:"source,omitempty"`
}

// paramRows converts the table for JSON.
func paramRows(rows []sobot.ParamInfo) []paramRow {
	out := make([]paramRow, len(rows))
	for i, r := range rows {
		out[i] = paramRow{Name: r.Name, Field: r.Field, Type: string(r.Type), JS: string(r.JS),
			Kinds: kindList(r.Kinds), Parent: r.Parent,
			Default: r.SobotDefault, Allowed: r.Allowed, Chinese: r.Chinese, English: r.English, Source: r.Source}
	}
	return out
}

// kindList names the kinds a row may be used with; empty, not nil, for
// none.
func kindList(kinds []sobot.Kind) []string {
	out := []string{}
	for _, k := range kinds {
		out = append(out, k.String())
	}
	return out
}

// printJSON writes v as indented JSON, HTML characters unescaped.
func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "sobot: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
