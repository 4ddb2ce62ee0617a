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

	"github.com/tabserve/tabserve/bench/internal/wrk"
)

// profile runs wrk against tabserve once more while collecting a CPU profile
// from its net/http/pprof endpoint, and counts the heap allocations per
// request. It writes the profile and pprof's top tables to the raw folder.
func (h *harness) profile(ctx context.Context, o wrk.Options) error {
	base := "http://" + h.cfg.pprofAddr + "/debug/pprof"
	mallocs0, err := h.mallocs(ctx, base)
	if err != nil {
		return err
	}
	secs := int(o.Duration.Seconds())
	if secs > 2 {
		secs -= 2 // leave wrk's start and end out of the profile
	}
	type fetched struct {
		data []byte
		err  error
	}
	profc := make(chan fetched, 1)
	go func() {
		b, err := h.get(ctx, fmt.Sprintf("%s/profile?seconds=%d", base, secs))
		profc <- fetched{b, err}
	}()
	oc, err := wrk.Run(ctx, o)
	if err != nil {
		return err
	}
	prof := <-profc
	if prof.err != nil {
		return prof.err
	}
	mallocs1, err := h.mallocs(ctx, base)
	if err != nil {
		return err
	}
	file := filepath.Join(h.raw, "tabserve.cpu.pprof")
	if err := os.WriteFile(file, prof.data, 0o644); err != nil {
		return err
	}
	// The pprof requests themselves allocate a little; at thousands of
	// requests per second that is noise.
	perReq := float64(mallocs1-mallocs0) / float64(oc.Result.Requests)
	h.logf("profile: %s under %d connections (%.0f req/s); %.1f heap allocations per request",
		file, o.Connections, oc.Result.RPS(), perReq)
	for _, v := range []struct{ name, flag string }{{"flat", "-top"}, {"cum", "-cum"}} {
		args := []string{"tool", "pprof", "-top", "-nodecount=60"}
		if v.flag == "-cum" {
			args = append(args, "-cum")
		}
		args = append(args, h.tb.tabserve, file)
		cmd := exec.CommandContext(ctx, "go", args...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		top := filepath.Join(h.raw, "tabserve.cpu."+v.name+".txt")
		header := fmt.Sprintf("# %d connections, %.0f req/s, %.1f heap allocations per request\n", o.Connections, oc.Result.RPS(), perReq)
		if err := os.WriteFile(top, append([]byte(header), out...), 0o644); err != nil {
			return err
		}
		h.logf("%s:\n%s", top, firstLines(out, 25))
	}
	return nil
}

func (h *harness) get(ctx context.Context, url string) ([]byte, error) {
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

// mallocs reads the count of heap allocations so far from the text form of
// the heap profile.
func (h *harness) mallocs(ctx context.Context, base string) (uint64, error) {
	b, err := h.get(ctx, base+"/heap?debug=1")
	if err != nil {
		return 0, err
	}
	return parseMallocs(b)
}

// parseMallocs finds the "# Mallocs = N" line of a debug=1 heap profile.
func parseMallocs(b []byte) (uint64, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "# Mallocs = ")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("heap profile: malformed Mallocs line %q", sc.Text())
		}
		return n, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("heap profile has no Mallocs line")
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
