package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/metrics"
)

// TestRecoverPanics panics in a handler behind the server's middleware:
// the client gets a 500 JSON error, the log gets the stack, and the next
// request is served.
func TestRecoverPanics(t *testing.T) {
	var logs strings.Builder
	s := &server{cfg: Config{MaxBodyBytes: 1 << 10}, log: slog.New(slog.NewTextHandler(&logs, nil)), metrics: metrics.New(prometheus.NewRegistry())}
	mux := http.NewServeMux()
	mux.Handle("GET /panic", s.handle(seedStyle, func([]byte, *http.Request) ([]byte, error) { panic("boom") }))
	mux.Handle("GET /v2/panic", s.handle(oipStyle, func([]byte, *http.Request) ([]byte, error) { panic("boom") }))
	mux.Handle("GET /ok", s.handle(seedStyle, func(out []byte, _ *http.Request) ([]byte, error) { return append(out, `{"ok":true}`...), nil }))
	ts := httptest.NewServer(s.observe(s.recoverPanics(mux)))
	defer ts.Close()
	tests := []struct {
		path, want string
		status     int
	}{
		{"/panic", `{"error_code":"INTERNAL_ERROR","message":"An unexpected error occurred"}`, 500},
		{"/ok", `{"ok":true}`, 200},
		{"/v2/panic", `{"error":"An unexpected error occurred"}`, 500},
		{"/ok", `{"ok":true}`, 200},
	}
	for _, tt := range tests {
		resp, err := http.Get(ts.URL + tt.path)
		if err != nil {
			t.Fatalf("GET %s: %v", tt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || string(body) != tt.want || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s = %d %s %s; want %d application/json %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tt.status, tt.want)
		}
	}
	if !strings.Contains(logs.String(), "panic=boom") || !strings.Contains(logs.String(), "recover_test.go") {
		t.Errorf("logs = %s; want the panic and its stack", logs.String())
	}
}

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"must be >= 18 & <= 120", `"must be >= 18 & <= 120"`},
		{`quote " and \ backslash`, `"quote \" and \\ backslash"`},
		{"tab\tnew\nline\r\x01", `"tab\tnew\nline\r\u0001"`},
		{"grün \u2028", `"grün \u2028"`},
		{"bad \xff byte", `"bad \ufffd byte"`},
	}
	for _, tt := range tests {
		if got := string(appendString(nil, tt.in)); got != tt.want {
			t.Errorf("appendString(%q) = %s; want %s", tt.in, got, tt.want)
		}
		var back string
		if err := json.Unmarshal(appendString(nil, tt.in), &back); err != nil {
			t.Errorf("appendString(%q) is not a JSON string: %v", tt.in, err)
		}
	}
}
