package main

import (
	"errors"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"

	"github.com/sobotgo/sobot/convert"
)

// runConvert runs sobot convert [--package P] [FILE ...]: it reads HTML
// pages, templates, scripts and Sobot links (standard input when no FILE
// is given, or for "-") and prints the Go code that builds the same with
// the library (see package convert). What the code does differently, and
// every value it takes as an argument, is a comment in the code; the
// findings that change what is sent (parameters left out, renamed or sent
// as extra parameters, calls not converted) are also printed on stderr,
// one "FILE:LINE: NAME: reason" line each, with exit status 0. Input that
// cannot be converted (too large, nested too deeply, a script mentioning
// Sobot that is not valid JavaScript, nothing of Sobot in it) is one such
// line and exit status 1.
func runConvert(e *env, args []string) int {
	stdin, stdout, stderr := e.stdin, e.stdout, e.stderr
	fset := newFlagSet("convert")
	pkg := fset.String("package", "chat", "package clause of the generated file")
	positional, status, done := parse(fset, args, stdout, stderr)
	if done {
		return status
	}
	if !token.IsIdentifier(*pkg) || *pkg == "_" {
		return usageError(stderr, "convert", "--package must be a Go package name, such as chat")
	}
	if len(positional) == 0 {
		positional = []argument{{text: "-"}}
	}
	var files []convert.File
	stdinRead := false
	for _, a := range positional {
		if a.text == "-" && stdinRead {
			return usageError(stderr, "convert", fmt.Sprintf("argument %d reads standard input a second time", a.n))
		}
		src, err := readInput(a.text, stdin)
		if errors.Is(err, errTooLarge) {
			fmt.Fprintf(stderr, "%s: %v\n", inputName(a.text), err)
			return exitInvalid
		}
		if err != nil {
			return usageError(stderr, "convert", fmt.Sprintf("argument %d: %v", a.n, err))
		}
		stdinRead = stdinRead || a.text == "-"
		files = append(files, convert.File{Name: a.text, Src: src})
	}
	res, err := convert.ConvertFiles(files, convert.Options{Package: *pkg})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	if _, err := stdout.Write(res.Go); err != nil {
		fmt.Fprintf(stderr, "sobot convert: %v\n", err)
		return exitInvalid
	}
	for _, f := range res.Findings {
		switch f.Kind {
		case convert.Extra, convert.Changed, convert.Dropped, convert.Skipped:
			fmt.Fprintln(stderr, f)
		}
	}
	return exitOK
}

// errTooLarge is the error of an input larger than convert reads.
var errTooLarge = fmt.Errorf("is larger than %d bytes, the most sobot convert reads from one file", convert.MaxFileSize)

// readInput reads a file ("-" is stdin), at most one byte more than
// convert.MaxFileSize, so a huge input is refused without being held in
// memory.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			var perr *fs.PathError
			if errors.As(err, &perr) {
				return nil, fmt.Errorf("%s: %w", name, perr.Err)
			}
			return nil, err
		}
		defer f.Close()
		r = f
	}
	src, err := io.ReadAll(io.LimitReader(r, convert.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inputName(name), err)
	}
	if len(src) > convert.MaxFileSize {
		return nil, errTooLarge
	}
	return src, nil
}

// inputName names an input in messages: "stdin" for "-".
func inputName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}
