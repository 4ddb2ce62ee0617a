// Command bareserver is the benchmark's HTTP ceiling: a plain net/http server
// that reads each request body and answers every POST with one constant JSON
// reply, so a peer's cost above it is its own work (decoding, validation,
// inference, encoding), not Go's HTTP stack.
//
// Usage:
//
//	bareserver -addr 127.0.0.1:8080 -reply FILE
//
// FILE holds the reply body; for a fair comparison, the reply of the server
// being measured, so that both send the same bytes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bareserver:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bareserver", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	replyFile := fs.String("reply", "", "file holding the constant reply body (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *replyFile == "" {
		return errors.New("-reply is required")
	}
	reply, err := os.ReadFile(*replyFile)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           newHandler(reply),
		ReadHeaderTimeout: 5 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler answers GET /health and POST /api/v1/predict; the latter drains
// the body and writes reply.
func newHandler(reply []byte) http.Handler {
	length := strconv.Itoa(len(reply))
	health := []byte(`{"status":"healthy","model_loaded":true,"model_version":"constant"}`)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(health)
	})
	mux.HandleFunc("POST /api/v1/predict", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, "read error", http.StatusBadRequest)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", length)
		w.Write(reply)
	})
	return mux
}
