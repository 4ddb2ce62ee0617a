// Package wrk runs the wrk HTTP load generator with a script that POSTs
// rotating JSON bodies, and reads the summary that script prints.
package wrk

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// script is the Lua script given to wrk with -s: it POSTs the bodies of the
// file named after "--" (one JSON body a line) in turn with Content-Type
// application/json, and prints the summary line that Parse reads.
//
//go:embed rotate.lua
var script string

// summaryPrefix starts the line that the script's done function prints.
const summaryPrefix = "WRK_JSON "

// Result is the summary of one wrk run, as the script prints it.
type Result struct {
	Requests   int64   `json:"requests"`
	DurationUS int64   `json:"duration_us"`
	Bytes      int64   `json:"bytes"`
	Errors     Errors  `json:"errors"`
	Latency    Latency `json:"latency_us"`
}

// Errors counts the failed requests of a run by kind; Status counts replies
// whose status is not 2xx or 3xx.
type Errors struct {
	Connect int64 `json:"connect"`
	Read    int64 `json:"read"`
	Write   int64 `json:"write"`
	Status  int64 `json:"status"`
	Timeout int64 `json:"timeout"`
}

// Total is the number of errors of all kinds.
func (e Errors) Total() int64 { return e.Connect + e.Read + e.Write + e.Status + e.Timeout }

// Latency holds a run's latency statistics in microseconds.
type Latency struct {
	Min   float64 `json:"min"`
	Mean  float64 `json:"mean"`
	Stdev float64 `json:"stdev"`
	Max   float64 `json:"max"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	P999  float64 `json:"p999"`
}

// RPS is the run's throughput in requests per second.
func (r Result) RPS() float64 {
	if r.DurationUS <= 0 {
		return 0
	}
	return float64(r.Requests) / (float64(r.DurationUS) / 1e6)
}

// Parse reads the summary line that the script prints from wrk's output. It is an
// error if there is none, if there is more than one, or if the summary is
// malformed or impossible (no requests, no time, latencies out of order).
func Parse(out []byte) (Result, error) {
	var found []byte
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line, ok := bytes.CutPrefix(bytes.TrimSpace(sc.Bytes()), []byte(summaryPrefix))
		if !ok {
			continue
		}
		if found != nil {
			return Result{}, errors.New("wrk output has more than one summary line")
		}
		found = bytes.Clone(line)
	}
	if err := sc.Err(); err != nil {
		return Result{}, fmt.Errorf("read wrk output: %w", err)
	}
	if found == nil {
		return Result{}, errors.New("wrk output has no summary line (was the script's done function run?)")
	}
	dec := json.NewDecoder(bytes.NewReader(found))
	dec.DisallowUnknownFields()
	var r Result
	if err := dec.Decode(&r); err != nil {
		return Result{}, fmt.Errorf("parse wrk summary: %w", err)
	}
	if dec.More() {
		return Result{}, errors.New("parse wrk summary: trailing data")
	}
	if err := r.check(); err != nil {
		return Result{}, fmt.Errorf("wrk summary: %w", err)
	}
	return r, nil
}

func (r Result) check() error {
	l := r.Latency
	switch {
	case r.Requests <= 0:
		return fmt.Errorf("no requests completed (%d)", r.Requests)
	case r.DurationUS <= 0:
		return fmt.Errorf("duration %d µs", r.DurationUS)
	case r.Bytes < 0:
		return fmt.Errorf("bytes %d", r.Bytes)
	}
	for _, v := range []float64{l.Min, l.Mean, l.Stdev, l.Max, l.P50, l.P90, l.P99, l.P999} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("latency value %v", v)
		}
	}
	if !(l.Min <= l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.P999 && l.P999 <= l.Max) {
		return fmt.Errorf("latency percentiles out of order: min %v p50 %v p90 %v p99 %v p99.9 %v max %v",
			l.Min, l.P50, l.P90, l.P99, l.P999, l.Max)
	}
	return nil
}

// Options says how to run wrk.
type Options struct {
	Bin         string        // wrk executable
	URL         string        // target, e.g. http://127.0.0.1:8080/api/v1/predict
	Connections int           // open connections (-c)
	Threads     int           // threads (-t); at most Connections
	Duration    time.Duration // run time (-d), whole seconds
	Timeout     time.Duration // per-request timeout (--timeout), whole seconds
	ScriptFile  string        // the file WriteScript wrote
	BodiesFile  string        // JSON bodies, one a line
	CPU         int           // CPU to pin wrk to with taskset; -1 for none
}

// Args returns the command line that runs wrk as o says.
func (o Options) Args() ([]string, error) {
	if o.Connections < 1 || o.Threads < 1 {
		return nil, fmt.Errorf("connections %d and threads %d must be positive", o.Connections, o.Threads)
	}
	threads := min(o.Threads, o.Connections)
	secs := func(name string, d time.Duration) (string, error) {
		if d < time.Second || d%time.Second != 0 {
			return "", fmt.Errorf("%s %v is not a whole number of seconds", name, d)
		}
		return strconv.FormatInt(int64(d/time.Second), 10) + "s", nil
	}
	dur, err := secs("duration", o.Duration)
	if err != nil {
		return nil, err
	}
	timeout, err := secs("timeout", o.Timeout)
	if err != nil {
		return nil, err
	}
	var args []string
	if o.CPU >= 0 {
		args = append(args, "taskset", "-c", strconv.Itoa(o.CPU))
	}
	args = append(args, o.Bin,
		"-t", strconv.Itoa(threads), "-c", strconv.Itoa(o.Connections),
		"-d", dur, "--timeout", timeout,
		"-s", o.ScriptFile, o.URL, "--", o.BodiesFile)
	return args, nil
}

// Outcome is a finished run of wrk.
type Outcome struct {
	Result Result        // the parsed summary
	Output []byte        // all that wrk printed
	CPU    time.Duration // CPU time wrk used (user + system)
}

// Run runs wrk as o says. On error, the Outcome still holds what wrk printed.
func Run(ctx context.Context, o Options) (Outcome, error) {
	args, err := o.Args()
	if err != nil {
		return Outcome{}, err
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.WaitDelay = 5 * time.Second
	// Should the harness die without cancelling ctx, so does wrk.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	oc := Outcome{Output: out}
	if st := cmd.ProcessState; st != nil {
		oc.CPU = st.UserTime() + st.SystemTime()
	}
	if err != nil {
		return oc, fmt.Errorf("%s: %w\n%s", filepath.Base(o.Bin), err, tail(out, 1000))
	}
	if oc.Result, err = Parse(out); err != nil {
		return oc, err
	}
	return oc, nil
}

// WriteScript writes the Lua script that Run needs into dir and returns its
// path. The script POSTs the bodies of Options.BodiesFile in turn, with
// Content-Type application/json, and prints the summary that Parse reads.
func WriteScript(dir string) (string, error) {
	path := filepath.Join(dir, "rotate.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return "", err
	}
	return path, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
