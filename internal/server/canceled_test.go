package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/server"
)

// TestClientClosedRequest evaluates a batch large enough for the engine to
// look at its context, for a client that has gone: the evaluation stops,
// the request counts as 499 and nothing is logged as an error.
func TestClientClosedRequest(t *testing.T) {
	ts := start(t, server.Config{MaxBatch: 4096}, loan)
	const rows = 4096
	var data strings.Builder
	for i := range rows {
		if i > 0 {
			data.WriteByte(',')
		}
		fmt.Fprintf(&data, "%d,%d,700,5,20000", 20+i%50, 30000+i)
	}
	instance := `{"age": 35, "income": 55000, "credit_score": 700, "employment_years": 5, "loan_amount": 20000}`
	batch := `{"instances": [` + strings.TrimSuffix(strings.Repeat(instance+",", rows), ",") + `]}`
	tests := []struct {
		name, path, body, want string
	}{
		{"v2 infer", "/v2/models/loan_approval/infer",
			`{"inputs": [{"name": "float_input", "shape": [` + fmt.Sprint(rows) + `, 5], "datatype": "FP32", "data": [` + data.String() + `]}]}`,
			`{"error":"The client closed the request"}`},
		{"batch predict", "/api/v1/predict/batch", batch,
			`{"error_code":"CLIENT_CLOSED_REQUEST","message":"The client closed the request"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			req := httptest.NewRequestWithContext(ctx, "POST", tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			ts.Config.Handler.ServeHTTP(rec, req)
			if rec.Code != 499 || rec.Body.String() != tt.want {
				t.Errorf("POST %s from a gone client = %d %s; want 499 %s", tt.path, rec.Code, rec.Body, tt.want)
			}
			// The same request from a client that waits is answered.
			req = httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			rec = httptest.NewRecorder()
			ts.Config.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Errorf("POST %s = %d %.200s; want 200", tt.path, rec.Code, rec.Body)
			}
		})
	}
	if logs := ts.logs.String(); strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "client closed the request") {
		t.Errorf("logs = %s; want the gone clients at debug level, no error", logs)
	}
}
