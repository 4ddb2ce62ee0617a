package main

import (
	"math"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/bench/internal/wrk"
)

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want spread
	}{
		{"one", []float64{5}, spread{5, 5, 5}},
		{"odd, unsorted", []float64{9, 1, 4}, spread{4, 1, 9}},
		{"even", []float64{4, 1, 3, 10}, spread{3.5, 1, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spreadOf(tt.in); got != tt.want {
				t.Errorf("spreadOf(%v) = %+v; want %+v", tt.in, got, tt.want)
			}
		})
	}
	if got := spreadOf(nil); !math.IsNaN(got.Median) {
		t.Errorf("spreadOf(nil) = %+v; want NaNs", got)
	}
}

// runs makes runs with the given throughputs and p50/p99 latencies.
func runs(v ...[3]float64) []runResult {
	var out []runResult
	for _, x := range v {
		out = append(out, runResult{RPS: x[0], Latency: wrk.Latency{P50: x[1], P99: x[2]}, ServerCPU: 0.9})
	}
	return out
}

func testReport() *report {
	return &report{
		Date:     "2026-11-28T12:00:00Z",
		Settings: settings{Conns: []int{1, 32}, Runs: 3, DurationS: 10, WarmupS: 5, Bodies: 100, Pinning: "p"},
		Peers: []peerResult{
			{Name: "tabserve", Short: "tabserve", Series: []series{
				{Conns: 1, Runs: runs([3]float64{9000, 70, 200}, [3]float64{9500, 65, 180}, [3]float64{8000, 80, 300})},
				{Conns: 32, Runs: runs([3]float64{45000, 600, 2000}, [3]float64{44000, 650, 2500}, [3]float64{46000, 550, 1500})},
			}},
			{Name: "bare", Title: "bare handler", Short: "Go bare", Constant: true, Series: []series{
				{Conns: 1, Runs: runs([3]float64{12000, 50, 100})},
				{Conns: 32, Runs: runs([3]float64{50000, 500, 1000})},
			}},
			{Name: "flask-2w", Short: "Flask 2w", Series: []series{
				{Conns: 1, Runs: runs([3]float64{1000, 900, 2000})},
				{Conns: 32, Runs: runs([3]float64{1000, 16000, 30000})},
			}},
		},
	}
}

func TestFinish(t *testing.T) {
	r := testReport()
	r.finish()
	ts := r.peer("tabserve")
	s1, s32 := ts.at(1), ts.at(32)
	if s1.RPS != (spread{9000, 8000, 9500}) || s1.P50 != (spread{70, 65, 80}) || s1.P99 != (spread{200, 180, 300}) {
		t.Errorf("tabserve at 1: rps %+v p50 %+v p99 %+v; want medians 9000, 70, 200", s1.RPS, s1.P50, s1.P99)
	}
	checks := []struct {
		name string
		got  *float64
		want float64
	}{
		{"32 rps vs bare", s32.RPSVsBare, 0.9},
		{"32 rps vs flask", s32.RPSVsFlask, 45},
		{"32 p99 vs flask", s32.P99VsFlask, 2000.0 / 30000},
		{"1 p50 over bare", s1.P50OverBare, 20},
		{"bare 32 vs bare", r.peer("bare").at(32).RPSVsBare, 1},
	}
	for _, c := range checks {
		if c.got == nil || math.Abs(*c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v; want %v", c.name, c.got, c.want)
		}
	}
	want := []bool{true, true, true} // 90% >= 80%; 0.067 <= 0.1; +20 µs <= 20 µs
	if len(r.Targets) != len(want) {
		t.Fatalf("targets = %+v; want %d", r.Targets, len(want))
	}
	for i, tg := range r.Targets {
		if tg.Met != want[i] {
			t.Errorf("target %q met = %v (%s); want %v", tg.Goal, tg.Met, tg.Got, want[i])
		}
	}

	// Slower: 70% of bare, p99 a fifth of Flask's, p50 30 µs over bare.
	r = testReport()
	r.Peers[0].Series[1].Runs = runs([3]float64{35000, 900, 6000})
	r.Peers[0].Series[0].Runs = runs([3]float64{9000, 80, 200})
	r.finish()
	for _, tg := range r.Targets {
		if tg.Met {
			t.Errorf("target %q met (%s); want missed", tg.Goal, tg.Got)
		}
	}
}

func TestFinishWithoutBaselines(t *testing.T) {
	r := testReport()
	r.Peers = r.Peers[:1] // tabserve alone
	r.finish()
	if s := r.peer("tabserve").at(32); s.RPSVsBare != nil || s.RPSVsFlask != nil {
		t.Errorf("ratios without baselines = %v, %v; want nil", s.RPSVsBare, s.RPSVsFlask)
	}
	if len(r.Targets) != 0 {
		t.Errorf("targets without baselines = %+v; want none", r.Targets)
	}
}

func TestMarkdown(t *testing.T) {
	r := testReport()
	r.finish()
	md := r.markdown()
	for _, want := range []string{
		"| tabserve | 32 | 45,000 [44,000–46,000] | 600 µs [550–650] | 2.00 ms [1.50–2.50] | 0.90× | 45× | 0.067 | 20.0 µs [19.6–20.5] |",
		"| Flask 2w | 32 | 1,000 [1,000–1,000] | 16.0 ms [16.0–16.0] | 30.0 ms [30.0–30.0] | 0.02× | 1.00× | 1.000 | 900 µs [900–900] |",
		"| Go bare | bare handler |",
		"0 (constant reply)",
		"**met**: at 32 connections, tabserve's throughput is at least 80% of the bare handler's — 90%",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q; got:\n%s", want, md)
		}
	}
}

func TestReplaceSection(t *testing.T) {
	doc := "# Title\n\nintro\n" + docBegin + "\nold\n" + docEnd + "\nafter\n"
	got, err := replaceSection([]byte(doc), "new table\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\nintro\n" + docBegin + "\nnew table\n" + docEnd + "\nafter\n"
	if string(got) != want {
		t.Errorf("replaceSection = %q; want %q", got, want)
	}
	for name, bad := range map[string]string{
		"no markers":   "# Title\n",
		"end first":    docEnd + "\n" + docBegin + "\n",
		"two sections": docBegin + docEnd + docBegin + docEnd,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := replaceSection([]byte(bad), "x"); err == nil {
				t.Errorf("replaceSection(%q) succeeded; want an error", bad)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	ratio := func(v float64) *float64 { return &v }
	tests := []struct{ got, want string }{
		{fmtRPS(51234.6), "51,235"},
		{fmtRPS(999), "999"},
		{fmtRPS(1234567), "1,234,567"},
		{fmtThousands(20000), "20,000"},
		{fmtLatency(85.4), "85 µs"},
		{fmtLatency(1240), "1.24 ms"},
		{fmtLatency(48100), "48.1 ms"},
		{fmtLatencySpread(spread{Median: 950, Min: 900, Max: 1100}), "950 µs [900–1100]"},
		{fmtRatio(ratio(0.934)), "0.93×"},
		{fmtRatio(ratio(27.4)), "27×"},
		{fmtRatio(nil), "–"},
		{fmtSI(51234), "51k"},
		{fmtSI(1900), "1.9k"},
		{fmtSI(2000), "2k"},
		{fmtLatencyShort(229), "229µs"},
		{fmtLatencyShort(4290), "4.3ms"},
		{fmtLatencyShort(29500), "30ms"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
}
