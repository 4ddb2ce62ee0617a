package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/metrics"
	"github.com/tabserve/tabserve/internal/server"
	"github.com/tabserve/tabserve/models"
)

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

type testServer struct {
	*httptest.Server
	logs *syncBuffer
	cat  *catalog.Catalog
	met  *metrics.Metrics
}

// start serves the catalog of the given sources (none: an empty catalog)
// through the real handler and transport.
func start(t testing.TB, cfg server.Config, sources ...catalog.Source) *testServer {
	t.Helper()
	cat, err := catalog.New(sources...)
	if err != nil {
		t.Fatalf("catalog.New = %v", err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reg := prometheus.NewRegistry()
	met := metrics.New(reg)
	for _, e := range cat.Entries() {
		met.ModelLoaded(e.Model(), nil)
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	ts := httptest.NewServer(server.New(cfg, log, cat, met, reg))
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, logs: logs, cat: cat, met: met}
}

// toy is the two-class model whose inputs are its probabilities.
var toy = catalog.Source{Path: "testdata/toy.yaml"}

// loan is the shipped loan model.
var loan = catalog.Source{Path: models.Default, FS: models.FS}

// loan5 returns a model with the loan model's manifest features and input
// but five classes, made of ZipMap alone: it validates requests exactly
// as the loan model does and needs no other operator.
func loan5(t testing.TB) catalog.Source {
	t.Helper()
	data, err := models.FS.ReadFile(models.Default)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	text = text[:strings.Index(text, "outputs:")]
	text = strings.Replace(text, "model: loan_approval_v1.onnx", "model: "+abs(t, "../../testdata/models/toy5.onnx"), 1)
	text += "labels:\n"
	for _, c := range []string{"0", "1", "2", "3", "4"} {
		text += "  - {class: " + c + ", label: c" + c + "}\n"
	}
	p := filepath.Join(t.TempDir(), "loan5.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return catalog.Source{Path: p}
}

func abs(t testing.TB, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type request struct {
	method, path, body string
	header             map[string]string // Content-Type defaults to application/json with a body
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (ts *testServer) do(t testing.TB, req request) response {
	t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r, err := http.NewRequest(req.method, ts.URL+req.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range req.header {
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// decode parses a JSON body; it fails the test when the body is not JSON.
func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", b, err)
	}
	return v
}

// jsonEq reports whether the body equals want, as JSON values; keys of
// want set to "*" only need to be present.
func jsonEq(t testing.TB, body []byte, want string) bool {
	t.Helper()
	got := decode(t, body)
	w := decode(t, []byte(want))
	for k, v := range w {
		if v == "*" {
			if _, ok := got[k]; !ok {
				return false
			}
			got[k] = "*"
		}
	}
	return reflect.DeepEqual(got, w)
}

func TestRoutes(t *testing.T) {
	// A body limit small enough to test, and a small batch limit.
	ts := start(t, server.Config{MaxBodyBytes: 1024, MaxBatch: 3}, toy)
	empty := start(t, server.Config{})
	const valid = `{"p_denied": 0.25, "p_approved": 0.75}`
	tests := []struct {
		name   string
		ts     *testServer
		req    request
		status int
		want   string // the JSON body; "*" values only need their key
		allow  string // the Allow header of a 405
	}{
		{"root", ts, request{method: "GET", path: "/"}, 200,
			`{"message": "ML Prediction API is running", "name": "tabserve", "version": "test",
			  "models": [{"name": "toy", "version": "v1", "description": "Returns its inputs as class probabilities."}],
			  "health": "/health", "predict": "/api/v1/predict", "metrics": "/metrics", "docs": "/docs", "openapi": "/openapi.json"}`, ""},
		{"health", ts, request{method: "GET", path: "/health"}, 200,
			`{"status": "healthy", "model_loaded": true, "model": "toy", "model_version": "v1"}`, ""},
		{"api health", ts, request{method: "GET", path: "/api/v1/health"}, 200,
			`{"status": "healthy", "model_loaded": true, "model": "toy", "model_version": "v1"}`, ""},
		{"health without a model", empty, request{method: "GET", path: "/health"}, 200,
			`{"status": "degraded", "model_loaded": false, "model_version": "unknown"}`, ""},
		{"predict", ts, request{method: "POST", path: "/api/v1/predict", body: valid}, 200,
			`{"prediction": "approved", "probability": 0.75, "probabilities": {"approved": 0.75, "denied": 0.25},
			  "model_version": "v1", "timestamp": "*"}`, ""},
		{"predict, the other class", ts, request{method: "POST", path: "/api/v1/predict", body: `{"p_denied": 0.5625, "p_approved": 0.4375}`}, 200,
			`{"prediction": "denied", "probability": 0.5625, "probabilities": {"approved": 0.4375, "denied": 0.5625},
			  "model_version": "v1", "timestamp": "*"}`, ""},
		{"predict without a model", empty, request{method: "POST", path: "/api/v1/predict", body: valid}, 503,
			`{"error_code": "MODEL_NOT_READY", "message": "The model is not loaded"}`, ""},
		{"batch", ts, request{method: "POST", path: "/api/v1/predict/batch", body: `{"instances": [` + valid + `, {"p_denied": 1, "p_approved": 0}]}`}, 200,
			`{"predictions": [
			    {"prediction": "approved", "probability": 0.75, "probabilities": {"approved": 0.75, "denied": 0.25}},
			    {"prediction": "denied", "probability": 1, "probabilities": {"approved": 0, "denied": 1}}],
			  "model_version": "v1", "timestamp": "*"}`, ""},
		{"batch errors by row", ts, request{method: "POST", path: "/api/v1/predict/batch", body: `{"instances": [` + valid + `, {"p_denied": 2}]}`}, 422,
			`{"error_code": "VALIDATION_ERROR", "message": "Request validation failed", "errors": [
			    {"row": 1, "field": "p_denied", "message": "must be <= 1"},
			    {"row": 1, "field": "p_approved", "message": "field is required"}]}`, ""},
		{"batch over the limit", ts, request{method: "POST", path: "/api/v1/predict/batch", body: `{"instances": [` + strings.Repeat(valid+",", 3) + valid + `]}`}, 422,
			`{"error_code": "VALIDATION_ERROR", "message": "Request validation failed", "errors": [
			    {"field": "instances", "message": "must have at most 3 items"}]}`, ""},
		{"batch without a model", empty, request{method: "POST", path: "/api/v1/predict/batch", body: `{"instances": []}`}, 503,
			`{"error_code": "MODEL_NOT_READY", "message": "The model is not loaded"}`, ""},
		{"predict with a named model", ts, request{method: "POST", path: "/api/v1/models/toy/predict", body: valid}, 200,
			`{"prediction": "approved", "probability": 0.75, "probabilities": {"approved": 0.75, "denied": 0.25},
			  "model_version": "v1", "timestamp": "*"}`, ""},
		{"batch with a named model", ts, request{method: "POST", path: "/api/v1/models/toy/predict/batch", body: `{"instances": [` + valid + `]}`}, 200,
			`{"predictions": [{"prediction": "approved", "probability": 0.75, "probabilities": {"approved": 0.75, "denied": 0.25}}],
			  "model_version": "v1", "timestamp": "*"}`, ""},
		{"predict with an unknown model", ts, request{method: "POST", path: "/api/v1/models/nope/predict", body: valid}, 404,
			`{"error_code": "NOT_FOUND", "message": "Unknown model \"nope\""}`, ""},
		{"batch with an unknown model", ts, request{method: "POST", path: "/api/v1/models/nope/predict/batch", body: valid}, 404,
			`{"error_code": "NOT_FOUND", "message": "Unknown model \"nope\""}`, ""},
		{"metrics", ts, request{method: "GET", path: "/metrics"}, 200, "", ""},

		{"unknown path", ts, request{method: "GET", path: "/nope"}, 404,
			`{"error_code": "NOT_FOUND", "message": "The requested resource was not found"}`, ""},
		{"unknown API path", ts, request{method: "POST", path: "/api/v1/predict/x", body: valid}, 404,
			`{"error_code": "NOT_FOUND", "message": "The requested resource was not found"}`, ""},
		{"GET predict", ts, request{method: "GET", path: "/api/v1/predict"}, 405,
			`{"error_code": "METHOD_NOT_ALLOWED", "message": "The method is not allowed for the requested resource"}`, "POST"},
		{"POST health", ts, request{method: "POST", path: "/health", body: "{}"}, 405,
			`{"error_code": "METHOD_NOT_ALLOWED", "message": "The method is not allowed for the requested resource"}`, "GET, HEAD"},
		{"DELETE root", ts, request{method: "DELETE", path: "/"}, 405,
			`{"error_code": "METHOD_NOT_ALLOWED", "message": "The method is not allowed for the requested resource"}`, "GET, HEAD"},
		{"empty body", ts, request{method: "POST", path: "/api/v1/predict", header: map[string]string{"Content-Type": "application/json"}}, 400,
			`{"error_code": "BAD_REQUEST", "message": "empty request body (at byte 0)"}`, ""},
		{"malformed JSON", ts, request{method: "POST", path: "/api/v1/predict", body: `{"p_denied": }`}, 400,
			`{"error_code": "BAD_REQUEST", "message": "invalid JSON value (at byte 13)"}`, ""},
		{"not an object", ts, request{method: "POST", path: "/api/v1/predict", body: `[1, 2]`}, 400,
			`{"error_code": "BAD_REQUEST", "message": "request body must be a JSON object (at byte 0)"}`, ""},
		{"trailing data", ts, request{method: "POST", path: "/api/v1/predict", body: valid + " {}"}, 400,
			`{"error_code": "BAD_REQUEST", "message": "trailing data after the JSON value (at byte 39)"}`, ""},
		{"form content type", ts, request{method: "POST", path: "/api/v1/predict", body: valid, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415,
			`{"error_code": "UNSUPPORTED_MEDIA_TYPE", "message": "Content-Type \"application/x-www-form-urlencoded\" is not supported; send application/json"}`, ""},
		{"text content type", ts, request{method: "POST", path: "/api/v1/predict/batch", body: valid, header: map[string]string{"Content-Type": "text/plain"}}, 415,
			`{"error_code": "UNSUPPORTED_MEDIA_TYPE", "message": "Content-Type \"text/plain\" is not supported; send application/json"}`, ""},
		{"no content type", ts, request{method: "POST", path: "/api/v1/predict", body: valid, header: map[string]string{"Content-Type": ""}}, 415,
			`{"error_code": "UNSUPPORTED_MEDIA_TYPE", "message": "The request has no Content-Type; send application/json"}`, ""},
		{"JSON with charset", ts, request{method: "POST", path: "/api/v1/predict", body: valid, header: map[string]string{"Content-Type": "application/json; charset=utf-8"}}, 200, "", ""},
		{"+json content type", ts, request{method: "POST", path: "/api/v1/predict", body: valid, header: map[string]string{"Content-Type": "Application/Vnd.Api+JSON"}}, 200, "", ""},
		{"oversized body", ts, request{method: "POST", path: "/api/v1/predict", body: `{"pad": "` + strings.Repeat("x", 2000) + `"}`}, 413,
			`{"error_code": "PAYLOAD_TOO_LARGE", "message": "The request body is larger than 1024 bytes"}`, ""},
		{"validation", ts, request{method: "POST", path: "/api/v1/predict", body: `{"p_denied": "x", "p_approved": 1.5}`}, 422,
			`{"error_code": "VALIDATION_ERROR", "message": "Request validation failed", "errors": [
			    {"field": "p_denied", "message": "must be a number"},
			    {"field": "p_approved", "message": "must be <= 1"}]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.ts.do(t, tt.req)
			if resp.status != tt.status {
				t.Errorf("%s %s = %d %s; want %d", tt.req.method, tt.req.path, resp.status, resp.body, tt.status)
			}
			if tt.req.path == "/metrics" {
				return
			}
			if ct := resp.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s %s: Content-Type = %q; want application/json", tt.req.method, tt.req.path, ct)
			}
			if tt.want != "" && !jsonEq(t, resp.body, tt.want) {
				t.Errorf("%s %s = %s; want %s", tt.req.method, tt.req.path, resp.body, tt.want)
			}
			if got := resp.header.Get("Allow"); got != tt.allow {
				t.Errorf("%s %s: Allow = %q; want %q", tt.req.method, tt.req.path, got, tt.allow)
			}
		})
	}
}

// TestLoanExpected sends the rows scikit-learn predicted for the shipped
// model's reference file through POST /api/v1/predict.
func TestLoanExpected(t *testing.T) {
	data, err := os.ReadFile("../../models/loan_approval_v1.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Features      []string    `json:"features"`
		Inputs        [][]float64 `json:"inputs"`
		Label         []int       `json:"label"`
		Probabilities [][]float64 `json:"probabilities"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Inputs) != 500 {
		t.Fatalf("reference file has %d rows; want 500", len(ref.Inputs))
	}
	ts := start(t, server.Config{}, loan)
	names := map[int]string{0: "denied", 1: "approved"}
	for i, row := range ref.Inputs {
		req := map[string]float64{}
		for j, f := range ref.Features {
			req[f] = row[j]
		}
		body, _ := json.Marshal(req)
		resp := ts.do(t, request{method: "POST", path: "/api/v1/predict", body: string(body)})
		if resp.status != 200 {
			t.Fatalf("row %d: POST %s = %d %s; want 200", i, body, resp.status, resp.body)
		}
		var got struct {
			Prediction    string             `json:"prediction"`
			Probability   float64            `json:"probability"`
			Probabilities map[string]float64 `json:"probabilities"`
		}
		if err := json.Unmarshal(resp.body, &got); err != nil {
			t.Fatal(err)
		}
		want := names[ref.Label[i]]
		if got.Prediction != want {
			t.Errorf("row %d: prediction = %q; want %q", i, got.Prediction, want)
		}
		for c, p := range ref.Probabilities[i] {
			if d := got.Probabilities[names[c]] - p; d > 1e-4 || d < -1e-4 {
				t.Errorf("row %d: probabilities[%s] = %v; want %v ± 1e-4", i, names[c], got.Probabilities[names[c]], p)
			}
		}
		if got.Probability != got.Probabilities[want] {
			t.Errorf("row %d: probability = %v; want the predicted label's, %v", i, got.Probability, got.Probabilities[want])
		}
	}
}
