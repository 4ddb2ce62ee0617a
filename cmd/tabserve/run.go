package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// run is the whole program: main only gives it the process's context,
// arguments (with the program name first), environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		args = args[1:]
	}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "infer":
		return infer(ctx, args, stdin, stdout, stderr)
	case "inspect":
		return inspect(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "tabserve", version())
		return nil
	case "help":
		fmt.Fprint(stdout, topUsage)
		return nil
	}
	fmt.Fprint(stderr, topUsage)
	return usagef("unknown command %q", cmd)
}

const topUsage = `Usage:
  tabserve [serve] [flags]                  serve models over HTTP (the default)
  tabserve infer --model M.onnx             read an Open Inference Protocol v2 request
                                            on stdin, write the response on stdout
  tabserve inspect --model M.onnx [--json]  describe a model
  tabserve version                          print the version

Run "tabserve serve --help" for the server's settings.
`

// A usageError is a mistake in the command line or the environment; the
// process exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errHelp is returned after printing help on request; the process exits 0.
var errHelp = flag.ErrHelp

// parseFlags parses args with fs, turning its errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// version returns the module version the binary was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
