package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tabserve/tabserve/internal/server"
)

// bigRequests are requests for the loan model large enough for the engine
// to look at its context while it evaluates them (it does between
// operators and every 1024 rows): path and body.
func bigRequests() [][2]string {
	const rows = 4096
	var data strings.Builder
	for i := range rows {
		if i > 0 {
			data.WriteByte(',')
		}
		fmt.Fprintf(&data, "%d,%d,700,5,20000", 20+i%50, 30000+i)
	}
	instance := `{"age": 35, "income": 55000, "credit_score": 700, "employment_years": 5, "loan_amount": 20000}`
	return [][2]string{
		{"/v2/models/loan_approval/infer", `{"inputs": [{"name": "float_input", "shape": [` + fmt.Sprint(rows) + `, 5], "datatype": "FP32", "data": [` + data.String() + `]}]}`},
		{"/api/v1/predict/batch", `{"instances": [` + strings.TrimSuffix(strings.Repeat(instance+",", rows), ",") + `]}`},
	}
}

// post sends a JSON POST through h with ctx.
func post(ctx context.Context, h http.Handler, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(ctx, "POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestClientClosedRequest evaluates big batches for a client that has
// gone: the evaluation stops, the request counts as 499 and nothing is
// logged as an error.
func TestClientClosedRequest(t *testing.T) {
	ts := start(t, server.Config{MaxBatch: 4096}, loan)
	want := map[string]string{
		"/v2/models/loan_approval/infer": `{"error":"The client closed the request"}`,
		"/api/v1/predict/batch":          `{"error_code":"CLIENT_CLOSED_REQUEST","message":"The client closed the request"}`,
	}
	for _, r := range bigRequests() {
		t.Run(r[0], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if rec := post(ctx, ts.Config.Handler, r[0], r[1]); rec.Code != 499 || rec.Body.String() != want[r[0]] {
				t.Errorf("POST %s from a gone client = %d %s; want 499 %s", r[0], rec.Code, rec.Body, want[r[0]])
			}
			// The same request from a client that waits is answered.
			if rec := post(context.Background(), ts.Config.Handler, r[0], r[1]); rec.Code != http.StatusOK {
				t.Errorf("POST %s = %d %.200s; want 200", r[0], rec.Code, rec.Body)
			}
		})
	}
	if logs := ts.logs.String(); strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "client closed the request") {
		t.Errorf("logs = %s; want the gone clients at debug level, no error", logs)
	}
}

// TestEvalTimeout evaluates big batches under an evaluation timeout they
// cannot meet, and under one they can.
func TestEvalTimeout(t *testing.T) {
	short := start(t, server.Config{MaxBatch: 4096, EvalTimeout: time.Nanosecond}, loan)
	long := start(t, server.Config{MaxBatch: 4096, EvalTimeout: time.Minute}, loan)
	want := map[string]string{
		"/v2/models/loan_approval/infer": `{"error":"The model took longer than 1ns to evaluate"}`,
		"/api/v1/predict/batch":          `{"error_code":"TIMEOUT","message":"The model took longer than 1ns to evaluate"}`,
	}
	for _, r := range bigRequests() {
		t.Run(r[0], func(t *testing.T) {
			if rec := post(context.Background(), short.Config.Handler, r[0], r[1]); rec.Code != http.StatusGatewayTimeout || rec.Body.String() != want[r[0]] {
				t.Errorf("POST %s past the timeout = %d %s; want 504 %s", r[0], rec.Code, rec.Body, want[r[0]])
			}
			if rec := post(context.Background(), long.Config.Handler, r[0], r[1]); rec.Code != http.StatusOK {
				t.Errorf("POST %s within the timeout = %d %.200s; want 200", r[0], rec.Code, rec.Body)
			}
		})
	}
	// A single-instance prediction is not bounded: it holds one row. A
	// v2 request is, whatever the batch size it declares.
	one := `{"age": 35, "income": 55000, "credit_score": 700, "employment_years": 5, "loan_amount": 20000}`
	if rec := post(context.Background(), short.Config.Handler, "/api/v1/predict", one); rec.Code != http.StatusOK {
		t.Errorf("POST /api/v1/predict of one row under the timeout = %d %s; want 200", rec.Code, rec.Body)
	}
	infer := `{"inputs": [{"name": "float_input", "shape": [1, 5], "datatype": "FP32", "data": [35, 55000, 700, 5, 20000]}]}`
	if rec := post(context.Background(), short.Config.Handler, "/v2/models/loan_approval/infer", infer); rec.Code != http.StatusGatewayTimeout {
		t.Errorf("POST /v2/models/loan_approval/infer of one row past the timeout = %d %s; want 504", rec.Code, rec.Body)
	}
	if logs := short.logs.String(); strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("logs = %s; want no error: a timeout is the client's answer", logs)
	}
	// The document states the bound and the 504 of every evaluating route.
	rec := httptest.NewRecorder()
	short.Config.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	for _, s := range []string{"longer than 1ns is stopped (504)", `"TIMEOUT"`} {
		if !strings.Contains(rec.Body.String(), s) {
			t.Errorf("GET /openapi.json with an evaluation timeout lacks %s", s)
		}
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/api/v1/predict": false, "/api/v1/predict/batch": true, "/v2/models/{name}/infer": true} {
		if _, got := doc.Paths[path]["post"].Responses["504"]; got != want {
			t.Errorf("POST %s documents a 504: %v; want %v", path, got, want)
		}
	}
}

// TestClientHangsUpMidBody closes the connection halfway through a body:
// net/http cancels the request's context, and the request counts as the
// client's leaving, not as a bad request.
func TestClientHangsUpMidBody(t *testing.T) {
	ts := start(t, server.Config{}, loan)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /api/v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"age\": 35")
	conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(ts.logs.String(), "client closed the request") {
		if time.Now().After(deadline) {
			t.Fatalf("logs = %s; want the request logged as the client's leaving", ts.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if logs := ts.logs.String(); strings.Contains(logs, "request refused") || strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("logs = %s; want no refused request and no error", logs)
	}
}
