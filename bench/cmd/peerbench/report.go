package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tabserve/tabserve/bench/internal/wrk"
)

// report is everything one run of the harness measured: it is written to
// results/latest.json and rendered as markdown and a plot.
type report struct {
	Date     string       `json:"date"`
	Machine  machine      `json:"machine"`
	Settings settings     `json:"settings"`
	Peers    []peerResult `json:"peers"`
	Targets  []target     `json:"targets,omitempty"`
	// WrkCommand is how wrk ran, at the largest connection count.
	WrkCommand string `json:"wrk_command"`
}

type settings struct {
	DurationS  int     `json:"duration_s"`
	WarmupS    int     `json:"warmup_s"`
	Runs       int     `json:"runs"`
	Conns      []int   `json:"connections"`
	WrkThreads int     `json:"wrk_threads"`
	TimeoutS   int     `json:"wrk_timeout_s"`
	ServerCPU  int     `json:"server_cpu"`
	WrkCPU     int     `json:"wrk_cpu"`
	Bodies     int     `json:"request_bodies"`
	Pinning    string  `json:"pinning"`
	QuietCPU   float64 `json:"quiet_cpu"`
	MaxOther   float64 `json:"max_other_cpu"`
	Retries    int     `json:"retries"`
}

type peerResult struct {
	Name          string         `json:"name"`
	Title         string         `json:"title"`
	Short         string         `json:"short"`
	Constant      bool           `json:"constant_reply,omitempty"`
	Command       string         `json:"command"`
	StartupMS     float64        `json:"startup_ms"`
	RSSKiB        int64          `json:"rss_kib"` // sum of VmRSS over the server's processes
	PSSKiB        int64          `json:"pss_kib"` // sum of Pss: shared pages counted once
	Processes     int            `json:"processes"`
	ReplyBytes    int            `json:"reply_bytes"`
	LabelsChecked int            `json:"labels_checked"`
	Series        []series       `json:"series"`
	Profile       *profileResult `json:"profile,omitempty"`
}

// series is one peer at one connection count: its runs, and their medians.
type series struct {
	Conns int         `json:"connections"`
	Runs  []runResult `json:"runs"`
	// Discarded are runs during which other processes used too much CPU;
	// each was run again.
	Discarded []runResult `json:"discarded,omitempty"`
	RPS       spread      `json:"rps"`
	P50       spread      `json:"p50_us"`
	P99       spread      `json:"p99_us"`
	// CPU is the server's CPU time per request, in microseconds: at a
	// saturating connection count, what a request costs.
	CPU spread `json:"cpu_us_per_request"`
	// Ratios of the median throughput to the bare handler's and to Flask's
	// (2 workers) at the same connection count, and of the median p99 to
	// Flask's; nil when that peer was not measured.
	RPSVsBare   *float64 `json:"rps_vs_bare,omitempty"`
	RPSVsFlask  *float64 `json:"rps_vs_flask,omitempty"`
	P99VsFlask  *float64 `json:"p99_vs_flask,omitempty"`
	P50OverBare *float64 `json:"p50_over_bare_us,omitempty"`
	OtherCPU    float64  `json:"other_cpu_max"` // most CPUs used by other processes in a run
}

type runResult struct {
	RPS         float64     `json:"rps"`
	Requests    int64       `json:"requests"`
	Latency     wrk.Latency `json:"latency_us"`
	Errors      wrk.Errors  `json:"errors"`
	SocketError int64       `json:"socket_errors"`
	ServerCPU   float64     `json:"server_cpu"` // CPUs used by the server's processes
	WrkCPU      float64     `json:"wrk_cpu"`
	OtherCPU    float64     `json:"other_cpu"` // CPUs used by everything else
	QuietWaitS  float64     `json:"quiet_wait_s"`
}

// spread is the median of a set of runs and its range.
type spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

func spreadOf(v []float64) spread {
	if len(v) == 0 {
		return spread{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return spread{Median: m, Min: s[0], Max: s[len(s)-1]}
}

// target is one of issue 5's goals for tabserve.
type target struct {
	Goal string `json:"goal"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

func (r *report) peer(name string) *peerResult {
	for i := range r.Peers {
		if r.Peers[i].Name == name {
			return &r.Peers[i]
		}
	}
	return nil
}

func (p *peerResult) at(conns int) *series {
	if p == nil {
		return nil
	}
	for i := range p.Series {
		if p.Series[i].Conns == conns {
			return &p.Series[i]
		}
	}
	return nil
}

// finish computes the medians, spreads, ratios and targets.
func (r *report) finish() {
	for i := range r.Peers {
		for j := range r.Peers[i].Series {
			s := &r.Peers[i].Series[j]
			var rps, p50, p99, cpu []float64
			s.OtherCPU = 0
			for _, run := range s.Runs {
				rps = append(rps, run.RPS)
				p50 = append(p50, run.Latency.P50)
				p99 = append(p99, run.Latency.P99)
				if run.RPS > 0 {
					cpu = append(cpu, run.ServerCPU/run.RPS*1e6)
				}
				s.OtherCPU = max(s.OtherCPU, run.OtherCPU)
			}
			s.RPS, s.P50, s.P99, s.CPU = spreadOf(rps), spreadOf(p50), spreadOf(p99), spreadOf(cpu)
		}
	}
	ratio := func(a, b float64) *float64 {
		if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
			return nil
		}
		v := a / b
		return &v
	}
	bare, flask := r.peer("bare"), r.peer(flaskBaseline)
	for i := range r.Peers {
		for j := range r.Peers[i].Series {
			s := &r.Peers[i].Series[j]
			s.RPSVsBare, s.RPSVsFlask, s.P99VsFlask, s.P50OverBare = nil, nil, nil, nil
			if b := bare.at(s.Conns); b != nil {
				s.RPSVsBare = ratio(s.RPS.Median, b.RPS.Median)
				d := s.P50.Median - b.P50.Median
				s.P50OverBare = &d
			}
			if f := flask.at(s.Conns); f != nil {
				s.RPSVsFlask = ratio(s.RPS.Median, f.RPS.Median)
				s.P99VsFlask = ratio(s.P99.Median, f.P99.Median)
			}
		}
	}
	r.Targets = r.targets()
}

// targets checks issue 5's goals, as far as the peers they need were measured.
func (r *report) targets() []target {
	ts := r.peer("tabserve")
	if ts == nil {
		return nil
	}
	var out []target
	conns := r.Settings.Conns
	hi, lo := slices.Max(conns), slices.Min(conns)
	if s, b := ts.at(hi), r.peer("bare").at(hi); s != nil && b != nil {
		v := s.RPS.Median / b.RPS.Median
		out = append(out, target{
			Goal: fmt.Sprintf("at %d connections, tabserve's throughput is at least 80%% of the bare handler's", hi),
			Got:  fmt.Sprintf("%.0f%% (%s vs %s req/s)", 100*v, fmtRPS(s.RPS.Median), fmtRPS(b.RPS.Median)),
			Met:  v >= 0.8,
		})
	}
	if s, f := ts.at(hi), r.peer(flaskBaseline).at(hi); s != nil && f != nil {
		v := s.P99.Median / f.P99.Median
		out = append(out, target{
			Goal: fmt.Sprintf("at %d connections, tabserve's p99 is at most a tenth of Flask's (2 workers)", hi),
			Got:  fmt.Sprintf("%s vs %s: %.3f of it", fmtLatency(s.P99.Median), fmtLatency(f.P99.Median), v),
			Met:  v <= 0.1,
		})
	}
	if s, b := ts.at(lo), r.peer("bare").at(lo); s != nil && b != nil && lo == 1 {
		d := s.P50.Median - b.P50.Median
		out = append(out, target{
			Goal: "at 1 connection, tabserve's p50 is within 20 µs of the bare handler's",
			Got:  fmt.Sprintf("%s vs %s: %+.0f µs", fmtLatency(s.P50.Median), fmtLatency(b.P50.Median), d),
			Met:  d <= 20,
		})
	}
	return out
}

// markdown renders the report's tables.
func (r *report) markdown() string {
	var b strings.Builder
	m, st := r.Machine, r.Settings
	fmt.Fprintf(&b, "Measured %s on %s (%d CPUs", r.Date, m.CPU, m.CPUs)
	if m.Hypervisor != "" {
		fmt.Fprintf(&b, ", %s guest", m.Hypervisor)
	}
	warmup := "without warm-up"
	if st.WarmupS > 0 {
		warmup = fmt.Sprintf("after a %d s warm-up (%d connections)", st.WarmupS, slices.Max(st.Conns))
	}
	fmt.Fprintf(&b, "), Linux %s, %s. Pinning: %s. Each cell: %d %s of %d s %s, "+
		"request bodies cycling through %s rows of loans.csv; "+
		"the figure is the median, the range in brackets is the spread over the runs.",
		m.Kernel, m.Go, st.Pinning, st.Runs, plural(st.Runs, "run", "runs"), st.DurationS, warmup,
		fmtThousands(int64(st.Bodies)))
	if st.MaxOther > 0 {
		fmt.Fprintf(&b, " The machine is shared: a run during which other processes used more than %.2f CPUs "+
			"was run again (at most %d %s, keeping the least disturbed attempt).", st.MaxOther, st.Retries, plural(st.Retries, "time", "times"))
	}
	b.WriteString("\n\n")

	b.WriteString("| System | Conns | req/s | p50 | p99 | × bare | × Flask 2w (req/s) | p99 ÷ Flask 2w | server CPU per request |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range r.Peers {
		for _, s := range p.Series {
			fmt.Fprintf(&b, "| %s | %d | %s [%s–%s] | %s | %s | %s | %s | %s | %s |\n",
				p.Short, s.Conns,
				fmtRPS(s.RPS.Median), fmtRPS(s.RPS.Min), fmtRPS(s.RPS.Max),
				fmtLatencySpread(s.P50), fmtLatencySpread(s.P99),
				fmtRatio(s.RPSVsBare), fmtRatio(s.RPSVsFlask), fmtFraction(s.P99VsFlask), fmtCPUSpread(s.CPU))
		}
	}

	b.WriteString("\n| System | What runs | Start-up to ready | RSS after the runs | PSS | Reply | Labels checked | Most CPU used elsewhere in a kept run (runs redone) |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range r.Peers {
		other, redone := 0.0, 0
		for _, s := range p.Series {
			other = max(other, s.OtherCPU)
			redone += len(s.Discarded)
		}
		labels := strconv.Itoa(p.LabelsChecked)
		if p.Constant {
			labels += " (constant reply)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.1f MiB (%d %s) | %.1f MiB | %d B | %s | %.2f CPUs (%d) |\n",
			p.Short, p.Title, fmtMillis(p.StartupMS), float64(p.RSSKiB)/1024, p.Processes,
			plural(p.Processes, "process", "processes"), float64(p.PSSKiB)/1024, p.ReplyBytes, labels, other, redone)
	}

	b.WriteString("\nMachine:\n\n")
	fmt.Fprintf(&b, "- CPU: %s, %d CPUs, %s thread(s) per core", m.CPU, m.CPUs, m.ThreadsPerCore)
	if m.Hypervisor != "" {
		fmt.Fprintf(&b, ", %s guest", m.Hypervisor)
	}
	fmt.Fprintf(&b, "; caches %s; memory %s\n", m.Caches, m.Memory)
	fmt.Fprintf(&b, "- Linux %s; %s; %s\n", m.Kernel, m.Go, m.Wrk)
	if m.Node != "" {
		fmt.Fprintf(&b, "- node %s, onnxruntime-node %s\n", m.Node, m.ORT)
	}
	if len(m.Python) > 0 {
		var mods []string
		for _, k := range []string{"flask", "flask_cors", "gunicorn", "fastapi", "pydantic", "uvicorn", "sklearn", "joblib", "numpy"} {
			if v := m.Python[k]; v != "" {
				mods = append(mods, k+" "+v)
			}
		}
		fmt.Fprintf(&b, "- Python %s (Debian packages): %s\n", m.Python["python"], strings.Join(mods, ", "))
	}
	fmt.Fprintf(&b, "- load average before and after: %s; %s\n", m.LoadBefore, m.LoadAfter)

	b.WriteString("\nCommands, as the harness ran them from the repository root ($PORT: a free port; $TMP: its scratch folder, holding the builds, rotate.lua and the bodies):\n\n```\n")
	for _, p := range r.Peers {
		fmt.Fprintf(&b, "%s\n", p.Command)
	}
	fmt.Fprintf(&b, "%s\n```\n", r.WrkCommand)

	for _, p := range r.Peers {
		pr := p.Profile
		if pr == nil {
			continue
		}
		fmt.Fprintf(&b, "\nProfile of %s (%s, %d connections, %s req/s while profiled", p.Short, pr.Profiler, pr.Conns, fmtRPS(pr.RPS))
		if pr.AllocsPerRq != nil && pr.GCPerSecond != nil {
			fmt.Fprintf(&b, "; %.1f heap allocations per request, %.0f GC cycles per second", *pr.AllocsPerRq, *pr.GCPerSecond)
		}
		fmt.Fprintf(&b, "): bench/results/raw/%s.\n", strings.Join(pr.Files, ", "))
	}

	if len(r.Targets) > 0 {
		b.WriteString("\nIssue 5's targets for tabserve:\n\n")
		for _, t := range r.Targets {
			mark := "missed"
			if t.Met {
				mark = "met"
			}
			fmt.Fprintf(&b, "- **%s**: %s — %s.\n", mark, t.Goal, t.Got)
		}
	}
	return b.String()
}

// Markers delimit the section of BENCHMARKS.md that the harness rewrites.
const (
	docBegin = "<!-- peerbench:begin (generated by bench/run.sh; do not edit by hand) -->"
	docEnd   = "<!-- peerbench:end -->"
)

// replaceSection replaces what lies between docBegin and docEnd in doc.
func replaceSection(doc []byte, section string) ([]byte, error) {
	i := bytes.Index(doc, []byte(docBegin))
	j := bytes.Index(doc, []byte(docEnd))
	if i < 0 || j < 0 || j < i {
		return nil, fmt.Errorf("no %q ... %q section", docBegin, docEnd)
	}
	if bytes.Count(doc, []byte(docBegin)) != 1 || bytes.Count(doc, []byte(docEnd)) != 1 {
		return nil, fmt.Errorf("more than one %q section", docBegin)
	}
	var out bytes.Buffer
	out.Write(doc[:i+len(docBegin)])
	out.WriteString("\n" + strings.TrimSpace(section) + "\n")
	out.Write(doc[j:])
	return out.Bytes(), nil
}

// write saves the report as JSON, markdown and a plot, rewrites the doc's
// section, and prints the tables.
func (h *harness) write(r *report) error {
	cfg := h.cfg
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	md := r.markdown()
	plotRel, err := filepath.Rel(filepath.Dir(cfg.docFile), cfg.plotFile)
	if err != nil || cfg.docFile == "" {
		plotRel = cfg.plotFile
	}
	files := []struct {
		name string
		data []byte
	}{
		{filepath.Join(cfg.outDir, "latest.json"), append(js, '\n')},
		{filepath.Join(cfg.outDir, "latest.md"), []byte(md)},
	}
	for _, f := range files {
		if err := os.WriteFile(f.name, f.data, 0o644); err != nil {
			return err
		}
	}
	if err := writePlot(r, cfg.plotFile); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if cfg.docFile != "" {
		doc, err := os.ReadFile(cfg.docFile)
		switch {
		case os.IsNotExist(err):
			h.logf("(%s does not exist: not updated)", cfg.docFile)
		case err != nil:
			return err
		default:
			section := md + "\n![Throughput and p99 latency per system](" + filepath.ToSlash(plotRel) + ")\n"
			updated, err := replaceSection(doc, section)
			if err != nil {
				return fmt.Errorf("%s: %w", cfg.docFile, err)
			}
			if err := os.WriteFile(cfg.docFile, updated, 0o644); err != nil {
				return err
			}
		}
	}
	h.logf("\n%s\nwrote %s, latest.md, %s; raw outputs in %s", md, filepath.Join(cfg.outDir, "latest.json"), cfg.plotFile, h.raw)
	return nil
}

// fmtRPS formats a throughput with thousands separators.
func fmtRPS(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmtThousands(int64(math.Round(v)))
}

// fmtThousands formats n with thousands separators: 20,000.
func fmtThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fmtLatency formats microseconds: "85 µs", "1.24 ms", "48.1 ms".
func fmtLatency(us float64) string {
	if math.IsNaN(us) {
		return "–"
	}
	f := latencyUnit(us)
	return f(us)
}

// fmtLatencySpread formats a median latency and its range in the median's
// unit: "85 µs [80–91]", "1.24 ms [1.10–1.31]".
func fmtLatencySpread(s spread) string {
	if math.IsNaN(s.Median) {
		return "–"
	}
	f := latencyUnit(s.Median)
	number := func(us float64) string { v, _, _ := strings.Cut(f(us), " "); return v }
	return fmt.Sprintf("%s [%s–%s]", f(s.Median), number(s.Min), number(s.Max))
}

// fmtCPUSpread formats CPU microseconds per request and their range:
// "12.8 µs [12.7–13.0]", "524 µs [493–527]".
func fmtCPUSpread(s spread) string {
	if math.IsNaN(s.Median) {
		return "–"
	}
	prec := 1
	if s.Median >= 100 {
		prec = 0
	}
	return fmt.Sprintf("%.*f µs [%.*f–%.*f]", prec, s.Median, prec, s.Min, prec, s.Max)
}

// latencyUnit returns the format for latencies near us (in microseconds).
func latencyUnit(us float64) func(float64) string {
	switch {
	case us < 1000:
		return func(v float64) string { return fmt.Sprintf("%.0f µs", v) }
	case us < 10000:
		return func(v float64) string { return fmt.Sprintf("%.2f ms", v/1000) }
	default:
		return func(v float64) string { return fmt.Sprintf("%.1f ms", v/1000) }
	}
}

func fmtMillis(ms float64) string {
	if ms < 10 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// fmtRatio formats a ratio: "0.93×", "27×".
func fmtRatio(v *float64) string {
	switch {
	case v == nil:
		return "–"
	case *v >= 10:
		return fmt.Sprintf("%.0f×", *v)
	default:
		return fmt.Sprintf("%.2f×", *v)
	}
}

func fmtFraction(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f", *v)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
