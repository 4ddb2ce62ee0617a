package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tabserve/tabserve/bench/internal/wrk"
)

// profile runs wrk against a Go peer once more while profiling it — with
// perf (no help from the server needed; kernel time included) or from
// tabserve's net/http/pprof endpoint — and, where it serves Prometheus
// metrics, counts its heap allocations per request and GC cycles per second.
// Everything goes to the raw folder; the summary is returned for the report.
func (h *harness) profile(ctx context.Context, name, base string, pid int, o wrk.Options) (*profileResult, error) {
	secs := int(o.Duration.Seconds())
	if secs > 2 {
		secs -= 2 // leave wrk's start and end out of the profile
	}
	if _, err := h.waitQuiet(ctx, pid); err != nil {
		return nil, err
	}
	before, metricsErr := h.goMetrics(ctx, base)
	var (
		file string
		wait func() error
	)
	switch h.cfg.profile {
	case "perf":
		file = filepath.Join(h.raw, name+".perf.data")
		// Record the server's CPU as a whole: attached to a Go process by
		// id, perf has missed the thread that did the work.
		target := []string{"-p", strconv.Itoa(pid)}
		if h.cfg.serverCPU >= 0 {
			target = []string{"-C", strconv.Itoa(h.cfg.serverCPU)}
		}
		args := append([]string{"record", "-F", "999", "-g"}, target...)
		args = append(args, "-o", file, "--", "sleep", strconv.Itoa(secs))
		cmd := exec.CommandContext(ctx, "perf", args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("perf record: %w", err)
		}
		wait = func() error {
			if err := cmd.Wait(); err != nil {
				return fmt.Errorf("perf record: %w\n%s", err, out.Bytes())
			}
			return nil
		}
	case "pprof":
		if name != "tabserve" {
			return nil, nil // only tabserve serves pprof
		}
		file = filepath.Join(h.raw, name+".cpu.pprof")
		errc := make(chan error, 1)
		go func() {
			b, err := h.get(ctx, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", h.cfg.pprofAddr, secs))
			if err == nil {
				err = os.WriteFile(file, b, 0o644)
			}
			errc <- err
		}()
		wait = func() error { return <-errc }
	default:
		return nil, fmt.Errorf("unknown profiler %q", h.cfg.profile)
	}
	oc, err := wrk.Run(ctx, o)
	if werr := wait(); err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	res := &profileResult{
		Profiler: h.cfg.profile,
		Conns:    o.Connections,
		RPS:      oc.Result.RPS(),
		Requests: oc.Result.Requests,
		Files:    []string{filepath.Base(file)},
	}
	header := fmt.Sprintf("# %s under %d connections, %.0f req/s", name, o.Connections, res.RPS)
	if after, err := h.goMetrics(ctx, base); err == nil && metricsErr == nil {
		allocs := (after.mallocs - before.mallocs) / float64(oc.Result.Requests)
		gcs := (after.gcs - before.gcs) / (float64(oc.Result.DurationUS) / 1e6)
		res.AllocsPerRq, res.GCPerSecond = &allocs, &gcs
		header += fmt.Sprintf(", %.1f heap allocations per request, %.1f GC cycles per second", allocs, gcs)
	}
	h.logf("profile of %s: %s", name, header[2:])
	header += "\n"

	var reports [][]string
	if h.cfg.profile == "perf" {
		// Recorded on the server's CPU, the samples are the server's but for
		// a fraction of a percent (the flat report names each process);
		// perf's --pid and --comms filters lose samples of threads that
		// existed before the recording, or kernel samples.
		reports = [][]string{
			{"perf", "report", "-i", file, "--stdio", "--no-children", "--sort", "comm,dso,sym", "-g", "none", "--percent-limit", "0.3"},
			{"perf", "report", "-i", file, "--stdio", "--children", "--sort", "sym", "-g", "none", "--percent-limit", "0.5"},
		}
	} else {
		// Where the heap allocations come from, counted since start-up.
		allocs := filepath.Join(h.raw, name+".allocs.pprof")
		b, err := h.get(ctx, "http://"+h.cfg.pprofAddr+"/debug/pprof/allocs")
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(allocs, b, 0o644); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, filepath.Base(allocs))
		reports = [][]string{
			{"go", "tool", "pprof", "-top", "-nodecount=60", h.tb.tabserve, file},
			{"go", "tool", "pprof", "-top", "-cum", "-nodecount=60", h.tb.tabserve, file},
			{"go", "tool", "pprof", "-top", "-nodecount=40", "-sample_index=alloc_objects", h.tb.tabserve, allocs},
		}
	}
	for i, args := range reports {
		out, err := exec.CommandContext(ctx, args[0], args[1:]...).Output()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
		}
		txt := fmt.Sprintf("%s.%s.%s.txt", name, h.cfg.profile, []string{"flat", "cum", "allocs"}[i])
		if err := os.WriteFile(filepath.Join(h.raw, txt), append([]byte(header), out...), 0o644); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, txt)
		h.logf("%s:\n%s", txt, firstLines(stripComments(out), 30))
	}
	return res, nil
}

// profileResult summarises a profiling run.
type profileResult struct {
	Profiler    string   `json:"profiler"`
	Conns       int      `json:"connections"`
	RPS         float64  `json:"rps"` // lower than in the timed runs: the profiler costs
	Requests    int64    `json:"requests"`
	AllocsPerRq *float64 `json:"heap_allocs_per_request,omitempty"` // from /metrics, if served
	GCPerSecond *float64 `json:"gc_cycles_per_second,omitempty"`
	Files       []string `json:"files"` // in results/raw
}

type goMetrics struct{ mallocs, gcs float64 }

// goMetrics reads the Go runtime's allocation and GC counts from tabserve's
// Prometheus metrics.
func (h *harness) goMetrics(ctx context.Context, base string) (goMetrics, error) {
	b, err := h.get(ctx, base+"/metrics")
	if err != nil {
		return goMetrics{}, err
	}
	var m goMetrics
	if m.mallocs, err = parseMetric(b, "go_memstats_mallocs_total"); err != nil {
		return goMetrics{}, err
	}
	if m.gcs, err = parseMetric(b, "go_gc_duration_seconds_count"); err != nil {
		return goMetrics{}, err
	}
	return m, nil
}

// parseMetric returns the value of an unlabelled sample in the Prometheus
// text format.
func parseMetric(b []byte, name string) (float64, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != name {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return 0, fmt.Errorf("metric %s: %w", name, err)
		}
		return v, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no metric %s", name)
}

func (h *harness) get(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	client := *h.client
	client.Timeout = 0 // a profile takes as long as it was asked to
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d: %s", url, resp.StatusCode, firstLines(b, 5))
	}
	return b, nil
}

func stripComments(b []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.Lines(b) {
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue
		}
		out.Write(line)
	}
	return out.Bytes()
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// errNoProfiler reports an unknown -profile value.
var errNoProfiler = errors.New(`-profile: want "perf" or "pprof"`)
