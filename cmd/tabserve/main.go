// Command tabserve serves scikit-learn models exported to ONNX over HTTP,
// evaluates them from the command line, and describes them.
//
//	tabserve [serve] [flags]      serve models over HTTP (the default)
//	tabserve infer --model M.onnx  run an Open Inference Protocol request from stdin
//	tabserve inspect --model M.onnx [--json]  describe a model
//
// Run "tabserve serve --help" for the server's settings.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	code := exitCode(err)
	if code != 0 {
		fmt.Fprintln(os.Stderr, "tabserve:", err)
	}
	os.Exit(code)
}

// exitCode maps run's error to the process's exit status: 0 for success
// or a help request, 2 for a usage error, 1 for anything else.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		return 2
	default:
		return 1
	}
}
