package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stderr string // stderr or the error contains this
	}{
		{"help", []string{"--help"}, nil, 0, "TABSERVE_CORS_ORIGINS"},
		{"serve help", []string{"serve", "-h"}, nil, 0, "--max-body-bytes (env TABSERVE_MAX_BODY_BYTES), default 1048576"},
		{"unknown flag", []string{"--nope"}, nil, 2, "flag provided but not defined: -nope"},
		{"bad flag value", []string{"--max-batch", "0"}, nil, 2, "must be a positive integer"},
		{"bad duration", []string{"--read-timeout", "soon"}, nil, 2, "must be a duration"},
		{"bad log level", []string{"--log-level", "loud"}, nil, 2, "must be debug, info, warn or error"},
		{"bad environment", nil, map[string]string{"TABSERVE_MAX_BODY_BYTES": "lots"}, 2, `invalid TABSERVE_MAX_BODY_BYTES="lots"`},
		{"bad log format in environment", nil, map[string]string{"TABSERVE_LOG_FORMAT": "xml"}, 2, "must be one of json, text"},
		{"stray argument", []string{"serve", "extra"}, nil, 2, `unexpected argument "extra"`},
		{"unknown command", []string{"train"}, nil, 2, `unknown command "train"`},
		{"missing model", []string{"--model", "/nonexistent/m.onnx"}, nil, 1, "/nonexistent/m.yaml"},
		{"model from environment", nil, map[string]string{"TABSERVE_MODEL": "/nonexistent/e.yaml"}, 1, "/nonexistent/e.yaml"},
		{"flag beats environment", []string{"--model", "/nonexistent/f.yaml"}, map[string]string{"TABSERVE_MODEL": "/nonexistent/e.yaml"}, 1, "/nonexistent/f.yaml"},
		{"manifest that does not fit", []string{"--model", "testdata/misfit.yaml"}, nil, 1, "takes 2 features, the manifest gives it 1"},
		{"bad address", []string{"--model", "../../internal/server/testdata/toy.yaml", "--addr", "256.0.0.1:1"}, nil, 1, "256.0.0.1"},
		{"pprof address in use", []string{"--model", "../../internal/server/testdata/toy.yaml", "--addr", "127.0.0.1:0", "--pprof-addr", "256.0.0.1:1"}, nil, 1, "pprof"},
		{"infer without model", []string{"infer"}, nil, 2, "--model is required"},
		{"inspect without model", []string{"inspect"}, nil, 2, "--model is required"},
		{"inspect help", []string{"inspect", "--help"}, nil, 0, "Usage: tabserve inspect"},
		{"version", []string{"version"}, nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a server that starts stops at once
			err := run(ctx, append([]string{"tabserve"}, tt.args...), env(tt.env), strings.NewReader(""), &stdout, &stderr)
			if got := exitCode(err); got != tt.code {
				t.Errorf("run(%q) exit code = %d (%v); want %d", tt.args, got, err, tt.code)
			}
			out := stderr.String()
			if err != nil {
				out += err.Error()
			}
			if !strings.Contains(out, tt.stderr) {
				t.Errorf("run(%q): stderr and error = %q; want %q in them", tt.args, out, tt.stderr)
			}
		})
	}
}

func TestInfer(t *testing.T) {
	tests := []struct {
		name, model, stdin, want, err string
	}{
		{"flat", "toy.onnx", `{"id": "a", "inputs": [{"name": "float_input", "shape": [2, 2], "datatype": "FP32", "data": [0.25, 0.75, 1, 0]}]}`,
			`{"model_name":"toy","id":"a","outputs":[{"name":"output_probability","shape":[2,2],"datatype":"FP32","data":[0.25,0.75,1,0],"classes":[0,1]}]}`, ""},
		{"nested, null is NaN", "toy.onnx", `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [[null, 0.5]]}]}`,
			`{"model_name":"toy","outputs":[{"name":"output_probability","shape":[1,2],"datatype":"FP32","data":[null,0.5],"classes":[0,1]}]}`, ""},
		{"string classes", "toy_str.onnx", `{"inputs": [{"name": "float_input", "shape": [1, 3], "datatype": "FP32", "data": [0.1, 0.2, 0.7]}]}`,
			`{"model_name":"toy_str","outputs":[{"name":"output_probability","shape":[1,3],"datatype":"FP32","data":[0.1,0.2,0.7],"classes":["a","b","c"]}]}`, ""},
		{"selected output", "toy_label.onnx", `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [0.1, 0.9]}, {"name": "label", "shape": [1, 1], "datatype": "INT64", "data": [1]}], "outputs": [{"name": "label"}]}`,
			`{"model_name":"toy_label","outputs":[{"name":"label","shape":[1,1],"datatype":"INT64","data":[1]}]}`, ""},
		// The probabilities are onnxruntime 1.30's for the same input (loan_approval_v1.nozipmap.onnx).
		{"loan model", "../../models/loan_approval_v1.onnx", `{"inputs": [{"name": "float_input", "shape": [2, 5], "datatype": "FP32", "data": [[45, 145500.06, 579, 2.7, 181287.59], [35, 55000, 720, 5.5, 25000]]}]}`,
			`{"model_name":"ONNX(Pipeline)","outputs":[{"name":"output_label","shape":[2],"datatype":"INT64","data":[0,1]},{"name":"output_probability","shape":[2,2],"datatype":"FP32","data":[0.96879566,0.031204343,0.37106144,0.62893856],"classes":[0,1]}]}`, ""},
		{"not JSON", "toy.onnx", `{`, "", "request: request body is not valid JSON"},
		{"wrong input", "toy.onnx", `{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}]}`, "", `infer: missing input "float_input"`},
		{"bad shape", "toy.onnx", `{"inputs": [{"name": "float_input", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}`, "", "the model wants float32[?,2]"},
		{"missing model file", "nope.onnx", `{}`, "", "nope.onnx: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			model := tt.model
			if !strings.Contains(model, "/") {
				model = "../../testdata/models/" + model
			}
			err := run(context.Background(), []string{"tabserve", "infer", "--model", model}, env(nil), strings.NewReader(tt.stdin), &stdout, &stderr)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || exitCode(err) != 1 {
					t.Errorf("infer(%s) = %v; want an error containing %q, exit code 1", tt.stdin, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("infer(%s) = %v", tt.stdin, err)
			}
			if got := strings.TrimSpace(stdout.String()); got != tt.want {
				t.Errorf("infer(%s) = %s; want %s", tt.stdin, got, tt.want)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	for _, model := range []string{"../../models/loan_approval_v1.onnx", "../../testdata/models/toy.onnx", "../../testdata/models/toy_str.onnx", "../../testdata/models/toy_label.onnx",
		"../../internal/onnx/testdata/cases/sk4_knnimp_uniform_k3.onnx"} { // the last calls model-local functions
		for _, asJSON := range []bool{false, true} {
			golden := filepath.Join("testdata", "inspect", strings.TrimSuffix(filepath.Base(model), ".onnx")+".txt")
			args := []string{"tabserve", "inspect", "--model", model}
			if asJSON {
				golden = strings.TrimSuffix(golden, ".txt") + ".json"
				args = append(args, "--json")
			}
			t.Run(filepath.Base(golden), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				if err := run(context.Background(), args, env(nil), nil, &stdout, &stderr); err != nil {
					t.Fatalf("run(%q) = %v", args, err)
				}
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if stdout.String() != string(want) {
					t.Errorf("run(%q) =\n%s\nwant (%s)\n%s", args, stdout.String(), golden, want)
				}
			})
		}
	}
}

// liveServer is tabserve running through run in the background.
type liveServer struct {
	url    string
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServer runs tabserve serve with args on a free port and waits for
// it to listen.
func startServer(t *testing.T, args ...string) *liveServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &liveServer{logs: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args = append([]string{"tabserve", "serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { s.done <- run(ctx, args, env(nil), nil, io.Discard, s.logs) }()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if addr := logValue(s.logs.String(), "listening", "addr"); addr != "" {
			s.url = "http://" + addr
			return s
		}
		select {
		case err := <-s.done:
			s.done <- err // for the cleanup
			t.Fatalf("run(%q) = %v before listening; logs:\n%s", args, err, s.logs)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("run(%q) did not listen within 10s; logs:\n%s", args, s.logs)
	return nil
}

// logValue returns key of the last JSON log line with message msg.
func logValue(logs, msg, key string) string {
	v := ""
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) == nil && line["msg"] == msg {
			if s, ok := line[key].(string); ok {
				v = s
			}
		}
	}
	return v
}

func (s *liveServer) get(t *testing.T, path string) map[string]any {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

// TestServeDefaultModel starts the server with no arguments, on the
// embedded loan model.
func TestServeDefaultModel(t *testing.T) {
	s := startServer(t)
	if got := s.get(t, "/health"); got["model"] != "loan_approval" || got["model_version"] != "v1" {
		t.Errorf("GET /health = %v; want the loan_approval model, version v1", got)
	}
}

// TestGracefulShutdown cancels run's context while a request is in
// flight: the request completes, then run returns nil.
func TestGracefulShutdown(t *testing.T) {
	s := startServer(t, "--model", "../../internal/server/testdata/toy.yaml")
	pr, pw := io.Pipe()
	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", s.url+"/api/v1/predict", pr)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	io.WriteString(pw, `{"p_denied": 0.25,`) // the request is in flight
	time.Sleep(100 * time.Millisecond)
	s.cancel()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-s.done:
		t.Fatalf("run returned %v with a request in flight", err)
	default:
	}
	if _, err := http.Get(s.url + "/health"); err == nil {
		t.Errorf("GET /health after shutdown began succeeded; want the listener closed")
	}
	io.WriteString(pw, ` "p_approved": 0.75}`)
	pw.Close()
	r := <-res
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, `"prediction":"approved"`) {
		t.Errorf("in-flight request = %d %s %v; want 200 approved", r.status, r.body, r.err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("run = %v; want nil", err)
		}
		s.done <- err // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after the drain")
	}
	if !strings.Contains(s.logs.String(), `"msg":"stopped"`) {
		t.Errorf("logs = %s; want a stopped line", s.logs)
	}
}

// toyFiles copies the toy model and a manifest at the given version into a
// new directory and returns the manifest's path.
func toyFiles(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("../../testdata/models/toy.onnx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "toy.onnx"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "toy.yaml")
	writeManifest(t, p, version)
	return p
}

func writeManifest(t *testing.T, p, version string) {
	t.Helper()
	text := "name: toy\nversion: " + version + "\nfeatures: [{name: a, type: number}, {name: b, type: number}]\n" +
		"labels: [{class: 0, label: A}, {class: 1, label: B}]\n"
	if version == "broken" {
		text = "name: toy\nversion: v9\nfeatures: [{name: a, type: number}]\nlabels: [{class: 0, label: A}, {class: 1, label: B}]\n"
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Duration(len(version)) * time.Hour)
	if version == "v3" {
		later = later.Add(time.Minute)
	}
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
}

// waitVersion polls /health until the model version is want.
func (s *liveServer) waitVersion(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if s.get(t, "/health")["model_version"] == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("model version did not become %s; logs:\n%s", want, s.logs)
}

func TestReloadOnChange(t *testing.T) {
	p := toyFiles(t, "v1")
	s := startServer(t, "--model", p, "--watch", "20ms")
	s.waitVersion(t, "v1")
	writeManifest(t, p, "v2")
	s.waitVersion(t, "v2")
	writeManifest(t, p, "broken")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.logs.String(), "model reload failed") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := s.get(t, "/health")["model_version"]; got != "v2" {
		t.Errorf("after a broken manifest the version is %v; want v2 still", got)
	}
	if !strings.Contains(s.logs.String(), "takes 2 features, the manifest gives it 1") {
		t.Errorf("logs = %s; want the reload error", s.logs)
	}
	metrics, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(metrics.Body)
	metrics.Body.Close()
	for _, want := range []string{`tabserve_model_reloads_total{model="toy",result="failure"} 1`, `tabserve_model_reloads_total{model="toy",result="success"} 1`, `tabserve_model_info{model="toy",sha256=`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("GET /metrics lacks %s", want)
		}
	}
}

func TestReloadOnSIGHUP(t *testing.T) {
	p := toyFiles(t, "v1")
	s := startServer(t, "--model", p)
	writeManifest(t, p, "v3")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	s.waitVersion(t, "v3")
}

func TestExitCodeOfErrors(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{nil, 0},
		{errHelp, 0},
		{usagef("bad"), 2},
		{errors.New("boom"), 1},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.code {
			t.Errorf("exitCode(%v) = %d; want %d", tt.err, got, tt.code)
		}
	}
}

func TestPprof(t *testing.T) {
	s := startServer(t, "--model", "../../internal/server/testdata/toy.yaml", "--pprof-addr", "127.0.0.1:0")
	addr := logValue(s.logs.String(), "profiler listening", "addr")
	if addr == "" {
		t.Fatalf("no profiler address in the logs:\n%s", s.logs)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /debug/pprof/cmdline = %d; want 200", resp.StatusCode)
	}
	if resp, err := http.Get(s.url + "/debug/pprof/cmdline"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("the API serves /debug/pprof: %d; want 404", resp.StatusCode)
		}
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(*config) string // what is wrong, or ""
	}{
		{"defaults", nil, nil, func(c *config) string {
			if c.addr != ":8080" || c.maxBody != 1<<20 || c.maxBatch != 1000 || len(c.models.vals) != 0 || len(c.cors.vals) != 0 ||
				c.logLevel != slog.LevelInfo || c.logFormat != "json" || c.accessLog || c.watch != 0 || c.shutdownTimeout != 15*time.Second {
				return "not the documented defaults"
			}
			return ""
		}},
		{"environment", nil, map[string]string{
			"TABSERVE_ADDR": "127.0.0.1:9000", "TABSERVE_MODEL": "a.onnx, b.yaml", "TABSERVE_CORS_ORIGINS": "http://x,http://y",
			"TABSERVE_MAX_BODY_BYTES": "2048", "TABSERVE_MAX_BATCH": "7", "TABSERVE_LOG_LEVEL": "debug", "TABSERVE_ACCESS_LOG": "true",
			"TABSERVE_WATCH": "2s", "TABSERVE_READ_TIMEOUT": "1m",
		}, func(c *config) string {
			if c.addr != "127.0.0.1:9000" || c.models.String() != "a.onnx,b.yaml" || c.cors.String() != "http://x,http://y" ||
				c.maxBody != 2048 || c.maxBatch != 7 || c.logLevel != slog.LevelDebug || !c.accessLog || c.watch != 2*time.Second || c.readTimeout != time.Minute {
				return "environment not applied"
			}
			return ""
		}},
		{"flags beat environment", []string{"--addr", ":1", "--cors-origin", "http://z", "--cors-origin", "http://w", "--access-log=false"},
			map[string]string{"TABSERVE_ADDR": ":2", "TABSERVE_CORS_ORIGINS": "http://x", "TABSERVE_ACCESS_LOG": "1"}, func(c *config) string {
				if c.addr != ":1" || c.cors.String() != "http://z,http://w" || c.accessLog {
					return "flags did not replace the environment"
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("parseConfig(%q) = %v", tt.args, err)
			}
			if msg := tt.want(c); msg != "" {
				t.Errorf("parseConfig(%q, %v) = %+v: %s", tt.args, tt.env, c, msg)
			}
		})
	}
}

// TestEvalTimeoutWarning checks the warning for an evaluation timeout the
// write timeout makes moot.
func TestEvalTimeoutWarning(t *testing.T) {
	tests := []struct {
		args []string
		warn bool
	}{
		{nil, false},
		{[]string{"--eval-timeout", "1m"}, true},
		{[]string{"--eval-timeout", "0"}, true},
		{[]string{"--eval-timeout", "0", "--write-timeout", "0"}, false},
		{[]string{"--eval-timeout", "5s", "--write-timeout", "10s"}, false},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		if name == "" {
			name = "defaults"
		}
		t.Run(name, func(t *testing.T) {
			s := startServer(t, tt.args...)
			if got := strings.Contains(s.logs.String(), "evaluation timeout is not below the write timeout"); got != tt.warn {
				t.Errorf("tabserve %v warned: %v; want %v (logs %s)", tt.args, got, tt.warn, s.logs)
			}
		})
	}
}
