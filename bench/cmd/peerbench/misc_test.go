package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseMetric(t *testing.T) {
	text := `# HELP go_memstats_mallocs_total Total number of heap objects allocated.
# TYPE go_memstats_mallocs_total counter
go_memstats_mallocs_total 1.234567e+06
go_memstats_mallocs_total_other 5
go_gc_duration_seconds{quantile="0.5"} 2.1e-05
go_gc_duration_seconds_count 42
bad_metric x
`
	tests := []struct {
		name    string
		want    float64
		wantErr bool
	}{
		{"go_memstats_mallocs_total", 1234567, false},
		{"go_gc_duration_seconds_count", 42, false},
		{"go_memstats_frees_total", 0, true},
		{"bad_metric", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMetric([]byte(text), tt.name)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseMetric(%s) = %v, %v; want %v, error %v", tt.name, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseLscpu(t *testing.T) {
	out := "Architecture:            x86_64\nModel name:              AMD EPYC\nCPU(s):                  2\nL2 cache:                2 MiB (2 instances)\nNUMA node0 CPU(s):       0,1\n"
	l := parseLscpu([]byte(out))
	want := map[string]string{"Model name": "AMD EPYC", "CPU(s)": "2", "L2 cache": "2 MiB (2 instances)", "NUMA node0 CPU(s)": "0,1"}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("parseLscpu()[%q] = %q; want %q", k, l[k], v)
		}
	}
}

func TestParseConfig(t *testing.T) {
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, "bench"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "bench", "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return map[string]string{"ORTJS": "/ort"}[k] }
	tests := []struct {
		name    string
		args    []string
		check   func(config) bool
		wantErr bool
	}{
		{"defaults", nil, func(c config) bool {
			return slices.Equal(c.conns, []int{1, 32}) && c.runs == 3 && c.duration == 10*time.Second &&
				slices.Equal(c.peers, peerNames()) && c.ortJS == "/ort" && c.serverCPU == 0 && c.wrkCPU == 1 &&
				c.shared == filepath.Join(filepath.Dir(repo), "shared") && c.docFile == filepath.Join(repo, "BENCHMARKS.md") &&
				c.plotFile == filepath.Join(repo, "bench", "results", "bench.png")
		}, false},
		{"subset and options", []string{"-peers", "bare, flask-2w", "-conns", "4", "-duration", "2s", "-doc", "-",
			"-profile", "pprof", "-pprof-addr", "127.0.0.1:7000", "-pprof-args", "--pprof {addr}"}, func(c config) bool {
			return slices.Equal(c.peers, []string{"bare", "flask-2w"}) && slices.Equal(c.conns, []int{4}) &&
				c.duration == 2*time.Second && c.docFile == "" && slices.Equal(c.pprofArgs, []string{"--pprof", "127.0.0.1:7000"})
		}, false},
		{"unknown peer", []string{"-peers", "django"}, nil, true},
		{"unknown profiler", []string{"-profile", "gprof"}, nil, true},
		{"peer twice", []string{"-peers", "bare,bare"}, nil, true},
		{"bad conns", []string{"-conns", "1,x"}, nil, true},
		{"zero conns", []string{"-conns", "0"}, nil, true},
		{"fractional duration", []string{"-duration", "1.5s"}, nil, true},
		{"same CPU", []string{"-server-cpu", "1", "-wrk-cpu", "1"}, nil, true},
		{"no runs", []string{"-runs", "0"}, nil, true},
		{"stray argument", []string{"extra"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(append([]string{"-repo", repo}, tt.args...), getenv, io.Discard)
			if tt.wantErr {
				if err == nil {
					t.Errorf("parseConfig(%q) succeeded; want an error", tt.args)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Errorf("parseConfig(%q) = %+v, %v; not as wanted", tt.args, c, err)
			}
		})
	}
}

func TestFindRepo(t *testing.T) {
	repo := t.TempDir()
	deep := filepath.Join(repo, "bench", "cmd", "peerbench")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "bench", "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := findRepo(deep); err != nil || got != repo {
		t.Errorf("findRepo(%s) = %s, %v; want %s", deep, got, err, repo)
	}
	if _, err := findRepo(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no repository root") {
		t.Errorf("findRepo(elsewhere) error = %v; want none found", err)
	}
}
