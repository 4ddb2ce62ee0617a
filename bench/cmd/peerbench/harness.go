package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tabserve/tabserve/bench/internal/proc"
	"github.com/tabserve/tabserve/bench/internal/wrk"
)

// host is where every server listens: loopback only.
const host = "127.0.0.1"

type harness struct {
	cfg config
	out io.Writer

	tmp, raw   string // scratch folder; raw outputs (logs, wrk output, profiles)
	tb         *toolbox
	rows       []knownRow
	scriptFile string
	bodiesFile string
	client     *http.Client
	wrkCommand string // for the report
}

func (h *harness) logf(format string, a ...any) { fmt.Fprintf(h.out, format+"\n", a...) }

func (h *harness) run(ctx context.Context) (err error) {
	cfg := h.cfg
	if err := checkTools(ctx, cfg.peers, cfg.profile); err != nil {
		return err
	}
	if h.tmp, err = os.MkdirTemp("", "peerbench-"); err != nil {
		return err
	}
	defer os.RemoveAll(h.tmp)
	h.raw = filepath.Join(cfg.outDir, "raw")
	if err := os.MkdirAll(h.raw, 0o755); err != nil {
		return err
	}
	h.client = &http.Client{Timeout: 10 * time.Second}
	if err := h.prepareInputs(); err != nil {
		return err
	}
	if err := h.prepareTools(ctx); err != nil {
		return err
	}
	rep := &report{
		Date:     time.Now().UTC().Format(time.RFC3339),
		Settings: h.settings(),
	}
	rep.Machine = machineInfo(ctx, cfg.repo, slices.Contains(cfg.peers, "node-ort"), h.tb.nodeModules)
	h.logf("machine: %s; %d CPUs; Linux %s; %s", rep.Machine.CPU, rep.Machine.CPUs, rep.Machine.Kernel, rep.Machine.Go)
	h.logf("pinning: %s", rep.Settings.Pinning)

	for _, name := range cfg.peers {
		p, _ := peerByName(name)
		res, err := h.measure(ctx, p)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rep.Peers = append(rep.Peers, res)
	}
	rep.Machine.LoadAfter = loadAvg()
	rep.WrkCommand = h.wrkCommand
	rep.finish()
	return h.write(rep)
}

// prepareInputs writes the request bodies and wrk's script, and picks the
// known rows.
func (h *harness) prepareInputs() error {
	f, err := os.Open(filepath.Join(h.cfg.shared, "data", "loans.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	bodies, err := csvBodies(f, features, h.cfg.bodyRows)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	h.bodiesFile = filepath.Join(h.tmp, "bodies.txt")
	if err := os.WriteFile(h.bodiesFile, []byte(strings.Join(bodies, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	h.cfg.bodyRows = len(bodies)
	if h.scriptFile, err = wrk.WriteScript(h.tmp); err != nil {
		return err
	}
	expected, err := os.ReadFile(filepath.Join(h.cfg.shared, "models", "loan_approval_v1.expected.json"))
	if err != nil {
		return err
	}
	h.rows, err = knownRows(expected, 3, 0.8)
	return err
}

// prepareTools builds the Go servers and finds onnxruntime-node, as far as
// the chosen peers need them.
func (h *harness) prepareTools(ctx context.Context) error {
	cfg := h.cfg
	h.tb = &toolbox{repo: cfg.repo, shared: cfg.shared, tabserveArgs: cfg.tabserveArgs}
	if slices.Contains(cfg.peers, "tabserve") {
		if cfg.profile == "pprof" {
			h.tb.tabserveArgs = append(h.tb.tabserveArgs, cfg.pprofArgs...)
		}
		switch {
		case cfg.tabserveBin != "":
			bin, err := filepath.Abs(cfg.tabserveBin)
			if err != nil {
				return err
			}
			h.tb.tabserve = bin
			h.logf("tabserve: using %s (not built)", bin)
		default:
			h.tb.tabserve = filepath.Join(h.tmp, "tabserve")
			h.logf("building tabserve: go build -o %s ./cmd/tabserve", h.tb.tabserve)
			if err := goBuild(ctx, cfg.repo, h.tb.tabserve, "./cmd/tabserve"); err != nil {
				return fmt.Errorf("%w\n(no tabserve to build? use -tabserve-bin, or leave it out with -peers)", err)
			}
		}
	}
	if slices.Contains(cfg.peers, "bare") {
		h.tb.bare = filepath.Join(h.tmp, "bareserver")
		if err := goBuild(ctx, filepath.Join(cfg.repo, "bench"), h.tb.bare, "./cmd/bareserver"); err != nil {
			return err
		}
		// Until tabserve has answered, the bare handler sends its built-in
		// reply, of tabserve's shape.
		h.tb.replyFile = filepath.Join(h.tmp, "reply.json")
		if err := os.WriteFile(h.tb.replyFile, []byte(defaultReply), 0o644); err != nil {
			return err
		}
	}
	if slices.Contains(cfg.peers, "node-ort") {
		mods, err := ortModules(ctx, cfg.ortJS, h.out)
		if err != nil {
			return err
		}
		h.tb.nodeModules = mods
	}
	return nil
}

// defaultReply is the bare handler's reply when tabserve is not measured
// first: tabserve's reply shape for the first known row.
const defaultReply = `{"prediction":"denied","probability":0.9687957,"probabilities":{"approved":0.031204263,"denied":0.9687957},"model_version":"loan_approval_v1","timestamp":"2026-11-28T12:00:00.123456Z"}`

func goBuild(ctx context.Context, dir, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s in %s: %w\n%s", pkg, dir, err, b)
	}
	return nil
}

func (h *harness) settings() settings {
	cfg := h.cfg
	pin := func(cpu int) string {
		if cpu < 0 {
			return "not pinned"
		}
		return "taskset -c " + strconv.Itoa(cpu)
	}
	return settings{
		DurationS:  int(cfg.duration / time.Second),
		WarmupS:    int(cfg.warmup / time.Second),
		Runs:       cfg.runs,
		Conns:      cfg.conns,
		WrkThreads: cfg.threads,
		TimeoutS:   int(cfg.timeout / time.Second),
		ServerCPU:  cfg.serverCPU,
		WrkCPU:     cfg.wrkCPU,
		Bodies:     cfg.bodyRows,
		Pinning: fmt.Sprintf("server (and all its processes): %s; wrk: %s, %d threads (fewer when there are fewer connections)",
			pin(cfg.serverCPU), pin(cfg.wrkCPU), cfg.threads),
		QuietCPU: cfg.quietCPU,
		MaxOther: cfg.maxOther,
		Retries:  cfg.retries,
	}
}

// measure starts one peer, checks it, times it and stops it.
func (h *harness) measure(ctx context.Context, p peer) (peerResult, error) {
	cfg := h.cfg
	port, err := freePort(host)
	if err != nil {
		return peerResult{}, err
	}
	base := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	spec := p.spec(h.tb, host, port)
	spec.CPU = cfg.serverCPU
	spec.Log = filepath.Join(h.raw, p.name+".log")
	res := peerResult{Name: p.name, Title: p.title, Short: p.short, Constant: p.constant,
		Command: h.display(spec, port)}

	h.logf("\n== %s: %s", p.name, res.Command)
	srv, err := proc.Start(spec)
	if err != nil {
		return res, err
	}
	defer srv.Stop(5 * time.Second)
	fail := func(err error) (peerResult, error) {
		return res, fmt.Errorf("%w\nlast lines of %s:\n%s", err, spec.Log, srv.LogTail(2000))
	}

	startup, err := waitReady(ctx, h.client, base+"/health", srv.Started(), srv.Exited(), cfg.startWait)
	if err != nil {
		return fail(err)
	}
	res.StartupMS = float64(startup.Microseconds()) / 1e3
	h.logf("ready after %.1f ms (GET /health)", res.StartupMS)

	v, err := verify(ctx, h.client, base+"/api/v1/predict", h.rows, p.constant)
	if err != nil {
		return fail(fmt.Errorf("known rows: %w", err))
	}
	res.ReplyBytes = len(v.firstReply)
	res.LabelsChecked = v.checked
	h.logf("known rows: %d labels as expected; reply %d bytes: %s", v.checked, len(v.firstReply), bytes.TrimSpace(v.firstReply))
	if p.name == "tabserve" && h.tb.replyFile != "" {
		// The bare handler answers with tabserve's own reply: same size.
		if err := os.WriteFile(h.tb.replyFile, v.firstReply, 0o644); err != nil {
			return res, err
		}
	}

	opts := wrk.Options{
		Bin: "wrk", URL: base + "/api/v1/predict", Threads: cfg.threads, Timeout: cfg.timeout,
		ScriptFile: h.scriptFile, BodiesFile: h.bodiesFile, CPU: cfg.wrkCPU,
	}
	busiest := opts
	busiest.Connections, busiest.Duration = slices.Max(cfg.conns), cfg.duration
	if args, err := busiest.Args(); err == nil {
		h.wrkCommand = h.display(proc.Spec{Args: args, CPU: -1}, port)
	}
	if cfg.warmup > 0 {
		o := opts
		o.Connections, o.Duration = slices.Max(cfg.conns), cfg.warmup
		oc, err := wrk.Run(ctx, o)
		if err != nil {
			return fail(fmt.Errorf("warm-up: %w", err))
		}
		if err := checkErrors(oc.Result); err != nil {
			return fail(fmt.Errorf("warm-up: %w", err))
		}
	}
	if res.Series, err = h.runSeries(ctx, p.name, srv, opts); err != nil {
		return fail(err)
	}

	select {
	case <-srv.Exited():
		return fail(errors.New("server exited during the runs"))
	default:
	}
	u, err := proc.TreeUsage(srv.Pid())
	if err != nil {
		return fail(fmt.Errorf("usage: %w", err))
	}
	res.RSSKiB, res.PSSKiB, res.Processes = u.RSSKiB, u.PSSKiB, len(u.Pids)
	h.logf("after the runs: RSS %.1f MiB, PSS %.1f MiB, in %d process(es)",
		float64(u.RSSKiB)/1024, float64(u.PSSKiB)/1024, len(u.Pids))

	// The bare handler's profile is the baseline that tabserve's is read
	// against: what they share is HTTP and the kernel.
	if (p.name == "tabserve" || p.name == "bare") && cfg.profile != "" {
		if res.Profile, err = h.profile(ctx, p.name, base, srv.Pid(), busiest); err != nil {
			return fail(fmt.Errorf("profile: %w", err))
		}
	}
	return res, nil
}

// runSeries times the server cfg.runs times at each connection count,
// running again a run that other processes disturbed.
func (h *harness) runSeries(ctx context.Context, name string, srv *proc.Process, opts wrk.Options) ([]series, error) {
	cfg := h.cfg
	series := make([]series, len(cfg.conns))
	for i, c := range cfg.conns {
		series[i].Conns = c
	}
	for r := range cfg.runs {
		for i, c := range cfg.conns {
			// Run until other processes leave the run alone, or the
			// retries are spent: then keep the least disturbed attempt.
			var attempts []runResult
			for attempt := 0; ; attempt++ {
				run, err := h.timedRun(ctx, name, srv, opts, c, r)
				if err != nil {
					return nil, err
				}
				h.logf("%-9s c=%-3d run %d/%d: %9.0f req/s  p50 %s  p99 %s  (server %.2f CPU, wrk %.2f, others %.2f)",
					name, c, r+1, cfg.runs, run.RPS, fmtLatency(run.Latency.P50), fmtLatency(run.Latency.P99),
					run.ServerCPU, run.WrkCPU, run.OtherCPU)
				attempts = append(attempts, run)
				if cfg.maxOther == 0 || run.OtherCPU <= cfg.maxOther || attempt == cfg.retries {
					break
				}
				h.logf("  other processes used %.2f CPUs (more than %.2f): running it again", run.OtherCPU, cfg.maxOther)
			}
			best := 0
			for k, a := range attempts {
				if a.OtherCPU < attempts[best].OtherCPU {
					best = k
				}
			}
			series[i].Runs = append(series[i].Runs, attempts[best])
			series[i].Discarded = append(series[i].Discarded, slices.Delete(attempts, best, best+1)...)
		}
	}
	return series, nil
}

// timedRun runs wrk once with c connections and accounts for the CPU time
// of the server, wrk and everything else on the machine meanwhile.
func (h *harness) timedRun(ctx context.Context, name string, srv *proc.Process, opts wrk.Options, c, r int) (runResult, error) {
	waited, err := h.waitQuiet(ctx, srv.Pid())
	if err != nil {
		return runResult{}, err
	}
	opts.Connections, opts.Duration = c, h.cfg.duration
	before, err := proc.TreeUsage(srv.Pid())
	if err != nil {
		return runResult{}, err
	}
	busy0, _, err := proc.CPUTimes()
	if err != nil {
		return runResult{}, err
	}
	start := time.Now()
	oc, err := wrk.Run(ctx, opts)
	wall := time.Since(start)
	rawFile := filepath.Join(h.raw, fmt.Sprintf("%s-c%d-run%d.txt", name, c, r+1))
	if werr := os.WriteFile(rawFile, oc.Output, 0o644); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return runResult{}, err
	}
	busy1, _, err := proc.CPUTimes()
	if err != nil {
		return runResult{}, err
	}
	after, err := proc.TreeUsage(srv.Pid())
	if err != nil {
		return runResult{}, err
	}
	if err := checkErrors(oc.Result); err != nil {
		return runResult{}, fmt.Errorf("c=%d run %d: %w", c, r+1, err)
	}
	server := after.CPU - before.CPU
	other := max(0, busy1-busy0-server-oc.CPU)
	cores := func(d time.Duration) float64 { return d.Seconds() / wall.Seconds() }
	return runResult{
		RPS:         oc.Result.RPS(),
		Requests:    oc.Result.Requests,
		Latency:     oc.Result.Latency,
		Errors:      oc.Result.Errors,
		ServerCPU:   cores(server),
		WrkCPU:      cores(oc.CPU),
		OtherCPU:    cores(other),
		QuietWaitS:  waited.Seconds(),
		SocketError: oc.Result.Errors.Total() - oc.Result.Errors.Status,
	}, nil
}

// checkErrors refuses a run in which the server answered anything but 2xx or
// 3xx: that would time an error path.
func checkErrors(r wrk.Result) error {
	if r.Errors.Status > 0 {
		return fmt.Errorf("%d of %d replies were not 2xx/3xx", r.Errors.Status, r.Requests)
	}
	return nil
}

// waitQuiet waits until the processes other than the server use at most
// cfg.quietCPU CPUs over a second, or cfg.quietWait has passed, and returns
// how long it waited.
func (h *harness) waitQuiet(ctx context.Context, pid int) (time.Duration, error) {
	if h.cfg.quietCPU <= 0 {
		return 0, nil
	}
	start := time.Now()
	const window = time.Second
	told := false
	for {
		u0, err := proc.TreeUsage(pid)
		if err != nil {
			return 0, err
		}
		b0, _, err := proc.CPUTimes()
		if err != nil {
			return 0, err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(window):
		}
		u1, err := proc.TreeUsage(pid)
		if err != nil {
			return 0, err
		}
		b1, _, err := proc.CPUTimes()
		if err != nil {
			return 0, err
		}
		other := (b1 - b0 - (u1.CPU - u0.CPU)).Seconds() / window.Seconds()
		waited := time.Since(start)
		if other <= h.cfg.quietCPU {
			if told {
				h.logf("  machine quiet after %.0f s", waited.Seconds())
			}
			return waited, nil
		}
		if waited >= h.cfg.quietWait {
			h.logf("  machine still busy (%.2f CPUs used elsewhere) after %.0f s; measuring anyway", other, waited.Seconds())
			return waited, nil
		}
		if !told {
			h.logf("  waiting for a quiet machine (%.2f CPUs used elsewhere)", other)
			told = true
		}
	}
}

// display renders how a server or wrk was started as a shell command line:
// environment, working folder and pinning included, with the port, the
// scratch folder, the repository, the shared folder and -ortjs written as
// $PORT, $TMP, . , ../shared and $ORTJS.
func (h *harness) display(s proc.Spec, port int) string {
	pairs := []string{
		":" + strconv.Itoa(port), ":$PORT",
		"PORT=" + strconv.Itoa(port), "PORT=$PORT",
		h.tmp, "$TMP",
		h.cfg.shared, "../shared",
		h.cfg.repo + "/", "",
	}
	if h.cfg.ortJS != "" {
		pairs = append(pairs, h.cfg.ortJS, "$ORTJS")
	}
	r := strings.NewReplacer(pairs...)
	var parts []string
	if s.Dir != "" {
		parts = append(parts, "cd "+s.Dir+" &&")
	}
	parts = append(parts, s.Env...)
	if s.CPU >= 0 {
		parts = append(parts, "taskset", "-c", strconv.Itoa(s.CPU))
	}
	for _, a := range s.Args {
		if a == strconv.Itoa(port) {
			a = "$PORT"
		}
		parts = append(parts, a)
	}
	if s.Dir != "" {
		return "(" + r.Replace(strings.Join(parts, " ")) + ")"
	}
	return r.Replace(strings.Join(parts, " "))
}
