package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// errUsage reports a bad command line (already explained on stderr).
var errUsage = errors.New("invalid command line")

// config is the harness's configuration, from flags and the environment.
type config struct {
	repo      string // repository root (holds go.mod and bench/)
	shared    string // the shared folder: models/, data/
	outDir    string // where latest.json, latest.md and bench.png go
	plotFile  string
	docFile   string // BENCHMARKS.md, whose marked section is rewritten; "" for none
	ortJS     string // folder holding node_modules/onnxruntime-node; "" to use the cache
	peers     []string
	conns     []int
	duration  time.Duration
	warmup    time.Duration
	runs      int
	threads   int // wrk threads, at most the connection count
	timeout   time.Duration
	serverCPU int
	wrkCPU    int
	bodyRows  int // rows of loans.csv turned into request bodies; 0 for all

	tabserveBin  string   // prebuilt binary for the tabserve slot; "" to build ./cmd/tabserve
	tabserveArgs []string // extra arguments for tabserve
	profile      string   // "perf" or "pprof": profile tabserve under load; "" for none
	pprofAddr    string   // address tabserve serves net/http/pprof on, when profile is set
	pprofArgs    []string // the arguments that make tabserve serve pprof at pprofAddr

	maxOther  float64       // a run during which other processes used more CPUs than this is run again...
	retries   int           // ... at most this many times
	quietCPU  float64       // wait before each run until other processes use at most this many CPUs
	quietWait time.Duration // ... but no longer than this
	startWait time.Duration // how long a server may take to answer /health
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("peerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg                               config
		peers, conns, tsArgs, pprofArgs   string
		repo, shared, out, plot, doc, ort string
	)
	fs.StringVar(&repo, "repo", "", "repository root (default: found from the working directory)")
	fs.StringVar(&shared, "shared", "", "folder holding models/ and data/ (default: REPO/../shared)")
	fs.StringVar(&out, "out", "", "output folder (default: REPO/bench/results)")
	fs.StringVar(&plot, "plot", "", "PNG plot to write (default: OUT/bench.png)")
	fs.StringVar(&doc, "doc", "", `markdown file whose "peerbench" section is rewritten (default: REPO/BENCHMARKS.md; "-" for none)`)
	fs.StringVar(&ort, "ortjs", getenv("ORTJS"), "folder with node_modules/onnxruntime-node 1.30.0 (env ORTJS; default: installed into the user cache)")
	fs.StringVar(&peers, "peers", strings.Join(peerNames(), ","), "servers to measure, in order")
	fs.StringVar(&conns, "conns", "1,32", "wrk connection counts")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "time of each measured wrk run (whole seconds)")
	fs.DurationVar(&cfg.warmup, "warmup", 5*time.Second, "warm-up run before the measured ones (whole seconds; 0 for none)")
	fs.IntVar(&cfg.runs, "runs", 3, "measured runs per server and connection count")
	fs.IntVar(&cfg.threads, "threads", 2, "wrk threads (at most the connection count)")
	fs.DurationVar(&cfg.timeout, "timeout", 5*time.Second, "wrk per-request timeout (whole seconds)")
	fs.IntVar(&cfg.serverCPU, "server-cpu", 0, "CPU the servers are pinned to (-1: no pinning)")
	fs.IntVar(&cfg.wrkCPU, "wrk-cpu", 1, "CPU wrk is pinned to (-1: no pinning)")
	fs.IntVar(&cfg.bodyRows, "rows", 0, "rows of loans.csv used as request bodies (0: all)")
	fs.StringVar(&cfg.tabserveBin, "tabserve-bin", "", "use this binary in the tabserve slot instead of building ./cmd/tabserve (it must accept --addr HOST:PORT)")
	fs.StringVar(&tsArgs, "tabserve-args", "", "extra arguments for tabserve, space-separated")
	fs.StringVar(&cfg.profile, "profile", "", `after timing, profile tabserve under load with "perf" (perf record; the bare handler too, as the baseline) or "pprof" (tabserve's /debug/pprof, see -pprof-args); results in OUT/raw`)
	fs.StringVar(&cfg.pprofAddr, "pprof-addr", "127.0.0.1:6061", "address tabserve serves /debug/pprof on, with -profile pprof")
	fs.StringVar(&pprofArgs, "pprof-args", "--pprof-addr {addr}", "tabserve arguments that enable pprof, with -profile pprof; {addr} is replaced by -pprof-addr")
	fs.Float64Var(&cfg.maxOther, "max-other-cpu", 0.05, "run again a run during which other processes used more than this many CPUs (0: never)")
	fs.IntVar(&cfg.retries, "retries", 5, "most times a run is run again for -max-other-cpu (then the least disturbed attempt is kept)")
	fs.Float64Var(&cfg.quietCPU, "quiet-cpu", 0.1, "before each run, wait until other processes use at most this many CPUs (0: don't wait)")
	fs.DurationVar(&cfg.quietWait, "quiet-wait", 2*time.Minute, "longest wait for a quiet machine before each run")
	fs.DurationVar(&cfg.startWait, "start-timeout", 60*time.Second, "how long a server may take to answer GET /health")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "peerbench: unexpected arguments %q\n", fs.Args())
		return config{}, errUsage
	}
	bad := func(format string, a ...any) (config, error) {
		fmt.Fprintf(stderr, "peerbench: "+format+"\n", a...)
		return config{}, errUsage
	}

	var err error
	if repo == "" {
		wd, err := os.Getwd()
		if err != nil {
			return config{}, err
		}
		if repo, err = findRepo(wd); err != nil {
			return bad("%v (use -repo)", err)
		}
	}
	if cfg.repo, err = filepath.Abs(repo); err != nil {
		return config{}, err
	}
	orDefault := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	cfg.shared = filepath.Clean(orDefault(shared, filepath.Join(cfg.repo, "..", "shared")))
	cfg.outDir = orDefault(out, filepath.Join(cfg.repo, "bench", "results"))
	cfg.plotFile = orDefault(plot, filepath.Join(cfg.outDir, "bench.png"))
	cfg.docFile = orDefault(doc, filepath.Join(cfg.repo, "BENCHMARKS.md"))
	if cfg.docFile == "-" {
		cfg.docFile = ""
	}
	cfg.ortJS = ort
	cfg.tabserveArgs = strings.Fields(tsArgs)
	cfg.pprofArgs = strings.Fields(strings.ReplaceAll(pprofArgs, "{addr}", cfg.pprofAddr))

	known := peerNames()
	for _, p := range strings.Split(peers, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !slices.Contains(known, p) {
			return bad("unknown peer %q (known: %s)", p, strings.Join(known, ", "))
		}
		if slices.Contains(cfg.peers, p) {
			return bad("peer %q listed twice", p)
		}
		cfg.peers = append(cfg.peers, p)
	}
	if len(cfg.peers) == 0 {
		return bad("no peers to measure")
	}
	if cfg.conns, err = parseInts(conns); err != nil {
		return bad("-conns: %v", err)
	}
	switch {
	case cfg.runs < 1:
		return bad("-runs %d: want at least 1", cfg.runs)
	case cfg.threads < 1:
		return bad("-threads %d: want at least 1", cfg.threads)
	case !wholeSeconds(cfg.duration) || cfg.duration == 0:
		return bad("-duration %v: want a positive whole number of seconds", cfg.duration)
	case !wholeSeconds(cfg.warmup):
		return bad("-warmup %v: want a whole number of seconds", cfg.warmup)
	case !wholeSeconds(cfg.timeout) || cfg.timeout == 0:
		return bad("-timeout %v: want a positive whole number of seconds", cfg.timeout)
	case cfg.serverCPU >= 0 && cfg.serverCPU == cfg.wrkCPU:
		return bad("-server-cpu and -wrk-cpu are both %d: the server and wrk would compete for one CPU", cfg.serverCPU)
	case cfg.retries < 0 || cfg.maxOther < 0 || cfg.quietCPU < 0:
		return bad("-retries, -max-other-cpu and -quiet-cpu must not be negative")
	case cfg.bodyRows < 0:
		return bad("-rows %d: want 0 (all) or more", cfg.bodyRows)
	case cfg.profile != "" && cfg.profile != "perf" && cfg.profile != "pprof":
		return bad("%v, not %q", errNoProfiler, cfg.profile)
	case cfg.profile == "pprof" && len(cfg.pprofArgs) == 0:
		return bad("-profile pprof needs -pprof-args")
	}
	return cfg, nil
}

// findRepo walks up from dir to the folder that holds bench/go.mod.
func findRepo(dir string) (string, error) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "bench", "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no repository root (a folder with bench/go.mod) at or above %s", dir)
		}
		d = parent
	}
}

// parseInts parses a comma-separated list of distinct positive integers.
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		if slices.Contains(out, n) {
			return nil, fmt.Errorf("%d listed twice", n)
		}
		out = append(out, n)
	}
	return out, nil
}

func wholeSeconds(d time.Duration) bool { return d >= 0 && d%time.Second == 0 }
