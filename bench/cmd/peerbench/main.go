// Command peerbench measures tabserve side by side with the servers people
// would otherwise use for the same model: the seed tutorial's Flask app under
// gunicorn (2 and 4 sync workers), its FastAPI version under uvicorn, a node
// server with onnxruntime-node, and a bare Go net/http handler that returns a
// constant reply (the HTTP ceiling).
//
// It builds tabserve, then starts each server in turn on loopback pinned to
// one CPU, checks that it predicts the same labels as onnxruntime on known
// rows, drives it with wrk (pinned to another CPU) at each connection count
// with rotating valid request bodies, three times, and writes the figures to
// bench/results (JSON, a markdown table and a PNG plot) and into the marked
// section of BENCHMARKS.md.
//
// Usage, from the repository root:
//
//	bench/run.sh [flags]
//
// Run bench/run.sh -h for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2) // already explained
	default:
		fmt.Fprintln(os.Stderr, "peerbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	h := &harness{cfg: cfg, out: stdout}
	return h.run(ctx)
}
