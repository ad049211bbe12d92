package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sobotgo/sobot"
)

// runTicket is sobot ticket: a ticket-plugin link, the console's link with
// the ticket's fields as its params (sobot.TicketURL).
func runTicket(e *env, args []string) int {
	fs := newFlagSet("ticket")
	var paramsFile string
	fs.StringVar(&paramsFile, "params-file", "", "JSON object of the fields by name; - reads stdin")
	positional, status, done := parse(fs, args, e.stdout, e.stderr)
	if done {
		return status
	}
	if msg := emptyValueFlag(fs); msg != "" {
		return usageError(e.stderr, "ticket", msg)
	}
	if len(positional) == 0 {
		return usageError(e.stderr, "ticket", "want the console's ticket-plugin link (CONSOLE_URL), then the fields as NAME=VALUE")
	}
	console := positional[0].text
	fields, ps, bad := ticketFields(paramsFile, positional[1:], e.stdin)
	if bad != "" {
		return usageError(e.stderr, "ticket", bad)
	}
	link, err := sobot.TicketURL(console, fields)
	if err != nil {
		var verr *sobot.ValidationError
		if !errors.As(err, &verr) {
			fmt.Fprintf(e.stderr, "sobot ticket: %v\n", err)
			return exitInvalid
		}
		ps = append(ps, hideArgument(verr.Problems, console)...)
	}
	if len(ps) > 0 {
		printProblems(e.stderr, ps)
		return exitInvalid
	}
	return printResult(e.stdout, e.stderr, link)
}

// errNotFields is why a ticket's params file that is not one JSON object
// is refused.
var errNotFields = errors.New(`must hold a JSON object of the ticket's fields, such as {"order_code": "A-1001", "amount": 120}`)

// ticketFields builds a ticket's fields from the params file (when path is
// not "") and the NAME=VALUE arguments, which override the file. An
// argument's VALUE is a string; the file's values are JSON scalars kept as
// written (numbers as json.Number), null leaves a field out, and what
// sobot.Fields refuses (objects, arrays) is left for TicketURL to report.
// A NAME given twice, in the file or among the arguments, is a problem;
// usage is non-empty for a usage error.
func ticketFields(path string, args []argument, stdin io.Reader) (fields sobot.Fields, ps []sobot.Problem, usage string) {
	given, ps, usage := assign(args)
	if usage != "" {
		return nil, nil, usage
	}
	fields = sobot.Fields{}
	if path != "" {
		file, err := readParamsFile(path, stdin, errNotFields)
		if err != nil {
			return nil, nil, "--params-file " + fileName(path) + ": " + err.Error()
		}
		slices.SortStableFunc(file, func(a, b member) int { return strings.Compare(a.name, b.name) })
		seen := map[string]int{}
		for _, m := range file {
			if seen[m.name]++; seen[m.name] == 2 {
				ps = append(ps, sobot.Problem{Param: m.name, Reason: "is given more than once in the params file; give it once"})
			}
			if v := jsValue(m.value); v != nil && seen[m.name] == 1 && given.count[m.name] == 0 {
				fields[m.name] = v
			}
		}
	}
	for _, name := range given.names {
		fields[name] = given.value[name]
	}
	return fields, ps, ""
}
