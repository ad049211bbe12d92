// Package convert turns a hand-written Sobot integration into Go code that
// builds the same thing with package sobot: the migration path for sites
// that already run Sobot's console integration code, a hand-written
// zc("config", {...}) and chat links assembled in templates.
//
// Convert reads HTML pages, template files (Go templates, Jinja, PHP, ERB,
// JSP, ...), JavaScript files and bare chat, leave-message and ticket links,
// and returns gofmt-formatted Go source:
//
//   - a function returning the *sobot.Client of the page's integration
//     code: sysnum, host and page generation (v2/v6) from the loader's URL
//     or the links, and Config.Key when the page sends a sign;
//   - per page, a function returning the sobot.Widget: its Params with typed
//     fields (toggles as sobot.On/sobot.Off with inverted wire flags
//     handled, enums, cards, goods, transfer_action rules, the visit
//     trace), the callbacks and the click bindings of frame_manual,
//     frame_status and trace;
//   - per link, a function building it with the client (H5URL, PCURL,
//     LeaveMessageURL) or sobot.TicketURL.
//
// The page's JavaScript is parsed as JavaScript (object literals with
// unquoted or single-quoted keys, comments, trailing commas, variables,
// JSON.stringify and encodeURIComponent calls, string concatenation), not
// matched with patterns. Values the page computes at run time (template
// placeholders such as {{.User.ID}} or <?= $uid ?>, window.currentUser.id)
// become arguments of the generated functions, each with a TODO naming the
// original expression. A sign found on the page is never copied: the
// generated client signs with Config.Key.
//
// Everything that does not carry over unchanged is said twice: as a comment
// in the generated code at the place it concerns, and as a Finding.
//
// Input is bounded, so that hostile input gives a clear error in bounded
// time and memory:
//
//   - MaxFileSize bytes per file, MaxTotalSize bytes in all;
//   - brackets (object and array literals, calls, function bodies) nested
//     at most MaxDepth deep in a script, and at most 1000 nested
//     expressions (the JavaScript parser's own limit);
//   - at most 10000 template tags and 10000 scripts (elements and event
//     handler attributes) per file;
//   - a value the scripts compute of at most 1<<20 members and 8 MiB,
//     with at most 100 placeholders in one string;
//   - at most 2,000,000 evaluation steps per call.
//
// Input past these, a script that mentions Sobot but is not valid
// JavaScript, and input with nothing of Sobot is an *InputError naming the
// file and position. Past 10000 Sobot URLs or 1000 zc calls or config
// members in a file, or 500 distinct links in a call, the rest are skipped
// with a finding; so are scripts that neither parse nor mention Sobot, and
// code nested more than 256 levels deep. An object or array literal of
// more than 10000 members (inlined data) is not evaluated: it is a value
// the page computes. At most 1000 findings are listed.
package convert

import (
	"errors"
	"fmt"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the input Convert accepts. Real pages are far below them; they
// keep hostile input from taking unbounded time or memory.
const (
	// MaxFileSize is the largest file Convert reads, in bytes.
	MaxFileSize = 4 << 20
	// MaxTotalSize is the most Convert reads in one call, in bytes.
	MaxTotalSize = 16 << 20
	// MaxDepth is how deeply brackets (object and array literals, calls,
	// function bodies) may nest in a script.
	MaxDepth = 64
)

// File is one input: a page, a template, a script or a list of links.
type File struct {
	// Name names the file in comments, findings and errors, and chooses
	// how it is read by its extension: .js, .mjs and .ts are scripts;
	// .txt, .url and .urls lists of links; any other name (.html, .tmpl,
	// .php, .vue, ...) or none is sniffed: a page when it holds markup, a
	// script when it parses as one, links otherwise. Name "-" or "" reads
	// as "stdin".
	Name string
	// Src is the file's content, UTF-8.
	Src []byte
}

// Options adjust the generated code.
type Options struct {
	// Package is the package clause of the generated file; "chat" when
	// empty.
	Package string
}

// Result is the outcome of a conversion.
type Result struct {
	// Go is one gofmt-formatted Go source file.
	Go []byte
	// Findings lists, in input order, everything the generated code does
	// not carry over unchanged; each is also a comment in Go.
	Findings []Finding
}

// FindingKind classifies a Finding.
type FindingKind uint8

// Finding kinds.
const (
	// Note is information only: the generated code builds the same.
	Note FindingKind = iota + 1
	// Placeholder is a value the page computes at run time, which became
	// an argument of a generated function.
	Placeholder
	// Extra is a parameter the reference lacks, sent as text through
	// Params.Extra.
	Extra
	// Changed is a parameter the generated code sends differently: under
	// another name, in another form, or signed with Config.Key instead of
	// the page's sign.
	Changed
	// Dropped is a parameter or call the generated code leaves out,
	// because the library refuses it (the reason quotes the library's
	// problem) or cannot express it.
	Dropped
	// Skipped is a part of the input that was not converted: a zc call in
	// a context the widget cannot reproduce, a script that does not
	// parse, a link of a form the library does not build.
	Skipped
)

// String returns the kind's name in lower case.
func (k FindingKind) String() string {
	switch k {
	case Note:
		return "note"
	case Placeholder:
		return "placeholder"
	case Extra:
		return "extra"
	case Changed:
		return "changed"
	case Dropped:
		return "dropped"
	case Skipped:
		return "skipped"
	}
	return fmt.Sprintf("FindingKind(%d)", uint8(k))
}

// Finding is one thing the generated code does differently from the input,
// or a value it takes as an argument.
type Finding struct {
	Kind FindingKind
	// File, Line and Col locate it in the input (Line and Col from 1;
	// Col counts bytes); Line is 0 when it concerns the whole file.
	File      string
	Line, Col int
	// Param is the wire name of the parameter concerned ("time",
	// "transfer_action"), a Widget field ("Widget.OnReady"), a zc call
	// ("zc(frame_status)"), or "" for the file as a whole.
	Param string
	// Message says what happened, quoting the library's problem where
	// there is one.
	Message string
}

// String formats the finding as "file:line: param: message".
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	b.WriteString(": ")
	if f.Param != "" {
		b.WriteString(f.Param)
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	return b.String()
}

// InputError is input Convert cannot read: too large, nested too deeply,
// a script that mentions Sobot but is not valid JavaScript, or a file with
// nothing of Sobot in it.
type InputError struct {
	File      string
	Line, Col int // 0 when the error concerns the whole file
	Reason    string
}

// Error returns "file:line:col: reason".
func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Reason)
	}
	return e.File + ": " + e.Reason
}

// ErrNothingFound is wrapped by the *InputError of a conversion that found
// no Sobot loader, zc call or Sobot link in its input.
var ErrNothingFound = errors.New("no Sobot integration found (no entrance.js loader, zc(...) call or Sobot link)")

// Convert converts one file; name is as File.Name. See ConvertFiles.
func Convert(name string, src []byte) (*Result, error) {
	return ConvertFiles([]File{{Name: name, Src: src}}, Options{})
}

// ConvertFiles converts the files into one Go file: one client per Sobot
// account found, one widget function per page with a widget, one function
// per distinct link. Findings are in file order.
//
// It returns an *InputError when the input is past a limit of the package
// documentation, a script that mentions zc or Sobot does not parse, or no
// file holds anything of Sobot (wrapping ErrNothingFound) or anything
// that converts. Scripts that do not parse and do not mention Sobot are
// skipped with a finding. An opts.Package that is not a Go package name
// is an error too.
func ConvertFiles(files []File, opts Options) (*Result, error) {
	_, res, err := convertFiles(files, opts)
	return res, err
}

// convertFiles is ConvertFiles, returning also the conversion's state for
// tests.
func convertFiles(files []File, opts Options) (*conversion, *Result, error) {
	total := 0
	for i := range files {
		files[i].Name = displayName(files[i].Name)
		if len(files[i].Src) > MaxFileSize {
			return nil, nil, &InputError{File: files[i].Name, Reason: fmt.Sprintf("is %d bytes; convert reads files of at most %d bytes (MaxFileSize)", len(files[i].Src), MaxFileSize)}
		}
		total += len(files[i].Src)
		if total > MaxTotalSize {
			return nil, nil, &InputError{File: files[i].Name, Reason: fmt.Sprintf("the files add up to more than %d bytes (MaxTotalSize): convert fewer at once", MaxTotalSize)}
		}
	}
	if opts.Package != "" && (!token.IsIdentifier(opts.Package) || opts.Package == "_") {
		return nil, nil, fmt.Errorf("convert: Options.Package %q is not a Go package name", opts.Package)
	}
	c := newConversion(opts)
	c.prefix = chooseMarkerPrefix(files)
	for _, f := range files {
		if err := c.read(f); err != nil {
			return nil, nil, err
		}
	}
	if c.empty() {
		name := "stdin"
		if len(files) > 0 {
			name = files[0].Name
		}
		reason := ErrNothingFound.Error() + inputErrSuffix(files)
		for _, f := range c.findings {
			if f.Kind == Skipped {
				reason += "; " + f.Finding.String()
			}
		}
		return nil, nil, &InputError{File: name, Reason: reason}
	}
	res, err := c.generate()
	return c, res, err
}

// Unwrap lets errors.Is find ErrNothingFound.
func (e *InputError) Unwrap() error {
	if strings.HasPrefix(e.Reason, ErrNothingFound.Error()) {
		return ErrNothingFound
	}
	return nil
}

// inputErrSuffix names the other files when several were searched.
func inputErrSuffix(files []File) string {
	if len(files) < 2 {
		return ""
	}
	return fmt.Sprintf(" in any of the %d files", len(files))
}

// displayName is how a file is named in output: "stdin" for "-" or "",
// control characters and invalid UTF-8 escaped, since the name goes into
// comments of the generated code.
func displayName(name string) string {
	if name == "" || name == "-" {
		return "stdin"
	}
	name = filepath.ToSlash(name)
	if !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || r == '\uFEFF' }) {
		q := strconv.QuoteToASCII(name)
		name = q[1 : len(q)-1]
	}
	return name
}
