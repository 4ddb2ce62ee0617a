package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tabserve/tabserve/internal/oip"
	"github.com/tabserve/tabserve/internal/onnx"
)

// maxRequest bounds the request infer reads from stdin: 1 GiB.
const maxRequest = 1 << 30

// infer evaluates an Open Inference Protocol v2 request read from stdin
// and writes the v2 response to stdout.
func infer(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tabserve infer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modelPath := fs.String("model", "", "the ONNX model `file` (required)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tabserve infer --model M.onnx < request.json\n\n"+
			"Reads an Open Inference Protocol v2 inference request (JSON) on stdin and\n"+
			"writes the v2 response on stdout. JSON null in a floating-point input is NaN.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("infer: --model is required")
	}
	m, err := onnx.LoadFile(*modelPath)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(stdin, maxRequest+1))
	if err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	if len(body) > maxRequest {
		return errors.New("request: larger than 1 GiB")
	}
	req, err := oip.DecodeRequest(body)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	outs, err := oip.Infer(ctx, m, req)
	if err != nil {
		return fmt.Errorf("infer: %w", err)
	}
	resp := oip.Response{ModelName: modelName(*modelPath, m), ID: req.ID, Outputs: outs}
	if _, err := stdout.Write(append(resp.AppendJSON(nil), '\n')); err != nil {
		return err
	}
	return nil
}

// modelName is the name a response gives the model: its graph's name, or
// else the file's.
func modelName(path string, m *onnx.Model) string {
	if n := m.Info().GraphName; n != "" {
		return n
	}
	return path
}
