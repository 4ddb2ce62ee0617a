package wrk

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// realOutput is what wrk 4.1.0 printed with the script against a local server.
const realOutput = `Running 5s test @ http://127.0.0.1:18080/api/v1/predict
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.13ms    1.09ms   8.35ms   79.84%
    Req/Sec    34.25k     2.50k   40.04k    78.00%
  170360 requests in 5.01s, 47.60MB read
Requests/sec:  34013.36
Transfer/sec:      9.50MB
WRK_JSON {"requests":170360,"duration_us":5008620,"bytes":49915480,"errors":{"connect":0,"read":0,"write":0,"status":0,"timeout":0},"latency_us":{"min":16,"mean":1133.282,"stdev":1088.764,"max":8353,"p50":677,"p90":2774,"p99":4352,"p999":5533}}
`

func TestParse(t *testing.T) {
	want := Result{
		Requests:   170360,
		DurationUS: 5008620,
		Bytes:      49915480,
		Latency: Latency{Min: 16, Mean: 1133.282, Stdev: 1088.764, Max: 8353,
			P50: 677, P90: 2774, P99: 4352, P999: 5533},
	}
	got, err := Parse([]byte(realOutput))
	if err != nil {
		t.Fatalf("Parse(real output) error: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(real output) = %+v; want %+v", got, want)
	}
	if rps, want := got.RPS(), 34013.6; rps < want-1 || rps > want+1 {
		t.Errorf("RPS() = %v; want %v", rps, want)
	}
}

func TestParseErrorCounts(t *testing.T) {
	out := `Non-2xx or 3xx responses: 7
WRK_JSON {"requests":10,"duration_us":1000000,"bytes":100,"errors":{"connect":1,"read":2,"write":3,"status":7,"timeout":4},"latency_us":{"min":1,"mean":2,"stdev":0,"max":5,"p50":2,"p90":3,"p99":4,"p999":5}}`
	got, err := Parse([]byte(out))
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	want := Errors{Connect: 1, Read: 2, Write: 3, Status: 7, Timeout: 4}
	if got.Errors != want || got.Errors.Total() != 17 {
		t.Errorf("Parse errors = %+v (total %d); want %+v (total 17)", got.Errors, got.Errors.Total(), want)
	}
}

func TestParseRejects(t *testing.T) {
	const ok = `{"requests":10,"duration_us":1000000,"bytes":100,"errors":{"connect":0,"read":0,"write":0,"status":0,"timeout":0},"latency_us":{"min":1,"mean":2,"stdev":0,"max":5,"p50":2,"p90":3,"p99":4,"p999":5}}`
	tests := []struct {
		name, out, wantErr string
	}{
		{"empty", "", "no summary line"},
		{"text only", "Requests/sec: 100\n", "no summary line"},
		{"two summaries", "WRK_JSON " + ok + "\nWRK_JSON " + ok + "\n", "more than one"},
		{"malformed", "WRK_JSON {\"requests\":", "parse wrk summary"},
		{"unknown field", `WRK_JSON {"requests":1,"extra":2}`, "unknown field"},
		{"trailing data", "WRK_JSON " + ok + " {}", "trailing data"},
		{"no requests", "WRK_JSON " + strings.Replace(ok, `"requests":10`, `"requests":0`, 1), "no requests"},
		{"no time", "WRK_JSON " + strings.Replace(ok, `"duration_us":1000000`, `"duration_us":0`, 1), "duration"},
		{"percentiles out of order", "WRK_JSON " + strings.Replace(ok, `"p99":4`, `"p99":1`, 1), "out of order"},
		{"negative latency", "WRK_JSON " + strings.Replace(ok, `"min":1`, `"min":-1`, 1), "latency value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.out))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q) error = %v; want one containing %q", tt.out, err, tt.wantErr)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	base := Options{Bin: "wrk", URL: "http://127.0.0.1:1/p", Connections: 32, Threads: 2,
		Duration: 10 * time.Second, Timeout: 5 * time.Second, ScriptFile: "s.lua", BodiesFile: "b.txt", CPU: 1}
	tests := []struct {
		name    string
		edit    func(*Options)
		want    string
		wantErr string
	}{
		{"pinned", func(*Options) {}, "taskset -c 1 wrk -t 2 -c 32 -d 10s --timeout 5s -s s.lua http://127.0.0.1:1/p -- b.txt", ""},
		{"unpinned", func(o *Options) { o.CPU = -1 }, "wrk -t 2 -c 32 -d 10s --timeout 5s -s s.lua http://127.0.0.1:1/p -- b.txt", ""},
		{"threads capped by connections", func(o *Options) { o.Connections = 1 }, "taskset -c 1 wrk -t 1 -c 1 -d 10s --timeout 5s -s s.lua http://127.0.0.1:1/p -- b.txt", ""},
		{"fractional duration", func(o *Options) { o.Duration = 1500 * time.Millisecond }, "", "whole number of seconds"},
		{"zero timeout", func(o *Options) { o.Timeout = 0 }, "", "whole number of seconds"},
		{"no connections", func(o *Options) { o.Connections = 0 }, "", "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.edit(&o)
			args, err := o.Args()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Args() error = %v; want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Args() error: %v", err)
			}
			if got := strings.Join(args, " "); got != tt.want {
				t.Errorf("Args() = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestRun drives a local server with wrk, when wrk is installed: every body
// of the file must arrive, in turn, as a JSON POST, and the summary must count
// the requests the server saw.
func TestRun(t *testing.T) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk not installed (apt-get install -y wrk)")
	}
	var (
		mu     sync.Mutex
		seen   = map[string]int{}
		served int64
		bad    []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != "/p" || r.Header.Get("Content-Type") != "application/json" {
			bad = append(bad, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
		}
		seen[string(b)]++
		served++
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()

	dir := t.TempDir()
	scriptFile, err := WriteScript(dir)
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{`{"a":1}`, `{"a":2}`, `{"a":3}`}
	bodiesFile := filepath.Join(dir, "bodies.txt")
	if err := os.WriteFile(bodiesFile, []byte(strings.Join(bodies, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{Bin: bin, URL: srv.URL + "/p", Connections: 2, Threads: 1,
		Duration: time.Second, Timeout: time.Second, ScriptFile: scriptFile, BodiesFile: bodiesFile, CPU: -1}
	oc, err := Run(t.Context(), o)
	if err != nil {
		t.Fatalf("Run error: %v; output:\n%s", err, oc.Output)
	}
	res := oc.Result
	if oc.CPU <= 0 {
		t.Errorf("Run CPU = %v; want > 0", oc.CPU)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Errorf("server saw unexpected requests, e.g. %q", bad[0])
	}
	for _, b := range bodies {
		if seen[b] == 0 {
			t.Errorf("server never saw body %s; saw %v", b, seen)
		}
	}
	if len(seen) != len(bodies) {
		t.Errorf("server saw %d distinct bodies; want %d", len(seen), len(bodies))
	}
	// wrk stops counting at its deadline; a few requests may be in flight.
	if res.Requests < 3 || res.Requests > served {
		t.Errorf("summary requests = %d; want between 3 and the %d the server answered", res.Requests, served)
	}
	if res.Errors.Total() != 0 {
		t.Errorf("summary errors = %+v; want none", res.Errors)
	}
}
