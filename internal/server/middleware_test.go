package server_test

import (
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/server"
)

func TestCORS(t *testing.T) {
	const allowed = "http://localhost:3000"
	withCORS := start(t, server.Config{CORSOrigins: []string{allowed, "https://app.example.com"}}, toy)
	without := start(t, server.Config{}, toy)
	const body = `{"p_denied": 0.5, "p_approved": 0.5}`
	preflight := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
	}
	tests := []struct {
		name        string
		ts          *testServer
		req         request
		status      int
		allowOrigin string // the Access-Control-Allow-Origin header
		allowMethod string // the Access-Control-Allow-Methods header
	}{
		{"allowed origin", withCORS, request{method: "POST", path: "/api/v1/predict", body: body, header: map[string]string{"Origin": allowed}}, 200, allowed, ""},
		{"refused origin", withCORS, request{method: "POST", path: "/api/v1/predict", body: body, header: map[string]string{"Origin": "https://evil.example"}}, 200, "", ""},
		{"no origin", withCORS, request{method: "GET", path: "/health"}, 200, "", ""},
		{"allowed preflight", withCORS, request{method: "OPTIONS", path: "/api/v1/predict", header: preflight(allowed)}, 204, allowed, "POST"},
		{"second allowed origin", withCORS, request{method: "OPTIONS", path: "/api/v1/predict", header: preflight("https://app.example.com")}, 204, "https://app.example.com", "POST"},
		{"refused preflight", withCORS, request{method: "OPTIONS", path: "/api/v1/predict", header: preflight("https://evil.example")}, 204, "", ""},
		{"error responses too", withCORS, request{method: "POST", path: "/api/v1/predict", body: "{}", header: map[string]string{"Origin": allowed}}, 422, allowed, ""},
		{"not configured", without, request{method: "POST", path: "/api/v1/predict", body: body, header: map[string]string{"Origin": allowed}}, 200, "", ""},
		{"not configured preflight", without, request{method: "OPTIONS", path: "/api/v1/predict", header: preflight(allowed)}, 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.ts.do(t, tt.req)
			if resp.status != tt.status {
				t.Errorf("%s %s = %d; want %d", tt.req.method, tt.req.path, resp.status, tt.status)
			}
			if got := resp.header.Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Errorf("%s %s: Access-Control-Allow-Origin = %q; want %q", tt.req.method, tt.req.path, got, tt.allowOrigin)
			}
			if got := resp.header.Get("Access-Control-Allow-Methods"); got != tt.allowMethod {
				t.Errorf("%s %s: Access-Control-Allow-Methods = %q; want %q", tt.req.method, tt.req.path, got, tt.allowMethod)
			}
			if tt.allowOrigin == "" {
				for k := range resp.header {
					if strings.HasPrefix(k, "Access-Control-") {
						t.Errorf("%s %s: header %s = %q; want no CORS headers", tt.req.method, tt.req.path, k, resp.header.Get(k))
					}
				}
			}
		})
	}
}

// TestInternalError makes the model predict a class the manifest does not
// label: the client gets a plain 500, the log gets the cause.
func TestInternalError(t *testing.T) {
	ts := start(t, server.Config{}, catalog.Source{Path: "testdata/toy_label.yaml"})
	for _, tt := range []struct {
		body   string
		status int
	}{
		{`{"p_denied": 0.5, "p_approved": 0.5, "label": 7}`, 500},
		{`{"p_denied": 0.5, "p_approved": 0.5, "label": 1}`, 200},
	} {
		resp := ts.do(t, request{method: "POST", path: "/api/v1/predict", body: tt.body})
		if resp.status != tt.status {
			t.Errorf("POST %s = %d %s; want %d", tt.body, resp.status, resp.body, tt.status)
		}
		if tt.status == 500 && !jsonEq(t, resp.body, `{"error_code": "INTERNAL_ERROR", "message": "An unexpected error occurred"}`) {
			t.Errorf("POST %s = %s; want the plain internal error", tt.body, resp.body)
		}
	}
	if logs := ts.logs.String(); !strings.Contains(logs, "predicted class 7, which the manifest does not label") {
		t.Errorf("logs = %s; want the cause of the 500", logs)
	}
}

func TestMetrics(t *testing.T) {
	ts := start(t, server.Config{}, toy)
	for _, body := range []string{`{"p_denied": 0.25, "p_approved": 0.75}`, `{"p_denied": 0.25, "p_approved": 0.75}`, `{"p_denied": 0.75, "p_approved": 0.25}`, `{}`} {
		ts.do(t, request{method: "POST", path: "/api/v1/predict", body: body})
	}
	ts.do(t, request{method: "POST", path: "/api/v1/predict/batch", body: `{"instances": [{"p_denied": 1, "p_approved": 0}, {"p_denied": 1, "p_approved": 0}]}`})
	ts.do(t, request{method: "GET", path: "/nope"})
	resp := ts.do(t, request{method: "GET", path: "/metrics"})
	if resp.status != 200 {
		t.Fatalf("GET /metrics = %d; want 200", resp.status)
	}
	text := string(resp.body)
	for _, want := range []string{
		`tabserve_http_requests_total{code="200",route="POST /api/v1/predict"} 3`,
		`tabserve_http_requests_total{code="422",route="POST /api/v1/predict"} 1`,
		`tabserve_http_requests_total{code="200",route="POST /api/v1/predict/batch"} 1`,
		`tabserve_http_requests_total{code="404",route="unmatched"} 1`,
		`tabserve_http_request_duration_seconds_count{route="POST /api/v1/predict"} 4`,
		`tabserve_predictions_total{label="approved",model="toy"} 2`,
		`tabserve_predictions_total{label="denied",model="toy"} 3`,
		`tabserve_model_info{model="toy",sha256="`,
		`tabserve_model_loaded_timestamp_seconds{model="toy"}`,
		`tabserve_http_requests_in_flight 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("GET /metrics lacks %s", want)
		}
	}
}
