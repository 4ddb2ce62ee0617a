package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	reply := `{"prediction":"denied"}`
	srv := httptest.NewServer(newHandler([]byte(reply)))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"predict", http.MethodPost, "/api/v1/predict", `{"age":40}`, 200, reply},
		{"predict, empty body", http.MethodPost, "/api/v1/predict", "", 200, reply},
		{"health", http.MethodGet, "/health", "", 200, `"healthy"`},
		{"wrong method", http.MethodGet, "/api/v1/predict", "", 405, ""},
		{"unknown path", http.MethodGet, "/nope", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.want) {
				t.Errorf("%s %s = %d %q; want %d containing %q", tt.method, tt.path, resp.StatusCode, b, tt.status, tt.want)
			}
			if tt.status == 200 && resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s %s Content-Type = %q; want application/json", tt.method, tt.path, resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestRunNeedsReply(t *testing.T) {
	if err := run(t.Context(), []string{"-addr", "127.0.0.1:0"}); err == nil || !strings.Contains(err.Error(), "-reply") {
		t.Errorf("run without -reply error = %v; want one naming -reply", err)
	}
}
