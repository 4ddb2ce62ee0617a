package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// expectedJSON builds an expected-outputs file from rows of
// (label, probability of class 1).
func expectedJSON(t *testing.T, rows [][2]float64) []byte {
	t.Helper()
	e := map[string]any{"features": features, "classes": []int{0, 1}}
	var inputs [][]float64
	var labels []int
	var probs [][]float64
	for i, r := range rows {
		inputs = append(inputs, []float64{float64(20 + i), 50000.5, 700, 2.5, 10000})
		labels = append(labels, int(r[0]))
		probs = append(probs, []float64{1 - r[1], r[1]})
	}
	e["inputs"], e["label"], e["probabilities"] = inputs, labels, probs
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKnownRows(t *testing.T) {
	// label, P(approved): rows 1 and 3 are not confident enough.
	exp := expectedJSON(t, [][2]float64{{0, 0.05}, {1, 0.6}, {1, 0.9}, {0, 0.45}, {0, 0.1}, {1, 0.95}, {1, 0.99}})
	rows, err := knownRows(exp, 2, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.label)
	}
	if want := "denied approved denied approved"; strings.Join(got, " ") != want {
		t.Errorf("knownRows labels = %q; want %q", got, want)
	}
	if rows[0].index != 0 || rows[1].index != 2 || rows[3].index != 5 {
		t.Errorf("knownRows indexes = %d %d %d %d; want 0 2 4 5", rows[0].index, rows[1].index, rows[2].index, rows[3].index)
	}
	if want := `{"age":20,"income":50000.5,"credit_score":700,"employment_years":2.5,"loan_amount":10000}`; rows[0].body != want {
		t.Errorf("knownRows body = %s; want %s", rows[0].body, want)
	}
	if _, err := knownRows(exp, 4, 0.8); err == nil {
		t.Error("knownRows with too few confident rows succeeded; want an error")
	}
}

func TestKnownRowsOfSharedModel(t *testing.T) {
	b, err := os.ReadFile("../../../../shared/models/loan_approval_v1.expected.json")
	if err != nil {
		t.Skipf("shared model outputs not found: %v", err)
	}
	rows, err := knownRows(b, 3, 0.8)
	if err != nil || len(rows) != 6 {
		t.Fatalf("knownRows(shared) = %d rows, %v; want 6", len(rows), err)
	}
}

// predictor answers like a peer: label by age (even: approved).
func predictor(constant string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]float64
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if constant != "" {
			w.Write([]byte(constant))
			return
		}
		label := map[bool]string{true: "approved", false: "denied"}[int(in["age"])%2 == 0]
		json.NewEncoder(w).Encode(map[string]any{"prediction": label, "probability": 0.9})
	})
}

func TestVerify(t *testing.T) {
	rows := []knownRow{
		{index: 0, body: `{"age":21}`, label: "denied"},
		{index: 1, body: `{"age":22}`, label: "approved"},
	}
	wrongRows := []knownRow{rows[0], {index: 1, body: `{"age":23}`, label: "approved"}}
	tests := []struct {
		name     string
		handler  http.Handler
		rows     []knownRow
		constant bool
		checked  int
		wantErr  string
	}{
		{"predicts right", predictor(""), rows, false, 2, ""},
		{"predicts wrong", predictor(""), wrongRows, false, 0, `prediction "denied"; want "approved"`},
		{"constant", predictor(`{"prediction":"denied"}`), rows, true, 1, ""},
		{"constant with the wrong label", predictor(`{"prediction":"approved"}`), rows, true, 0, `want "denied"`},
		{"error status", http.NotFoundHandler(), rows, false, 0, "status 404"},
		{"not JSON", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte("ok"))
		}), rows, false, 0, "not a JSON object"},
		{"no prediction", predictor(`{"label":"denied"}`), rows, false, 0, "no prediction"},
		{"wrong content type", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"prediction":"denied"}`))
		}), rows, false, 0, "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			v, err := verify(t.Context(), srv.Client(), srv.URL, tt.rows, tt.constant)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("verify error = %v; want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || v.checked != tt.checked || len(v.firstReply) == 0 {
				t.Errorf("verify = %d checked, reply %q, %v; want %d checked", v.checked, v.firstReply, err, tt.checked)
			}
		})
	}
}

func TestWaitReady(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch {
		case calls < 3:
			w.WriteHeader(http.StatusServiceUnavailable)
		case calls < 5:
			w.Write([]byte(`{"status":"degraded"}`))
		default:
			w.Write([]byte(`{"status":"healthy"}`))
		}
	}))
	defer srv.Close()
	start := time.Now()
	d, err := waitReady(t.Context(), srv.Client(), srv.URL, start, nil, 5*time.Second)
	if err != nil || calls != 5 || d <= 0 {
		t.Errorf("waitReady = %v, %v after %d calls; want ready after 5", d, err, calls)
	}

	exited := make(chan struct{})
	close(exited)
	if _, err := waitReady(t.Context(), srv.Client(), "http://127.0.0.1:9/health", start, exited, 5*time.Second); err == nil ||
		!strings.Contains(err.Error(), "exited") {
		t.Errorf("waitReady on an exited server error = %v; want one saying it exited", err)
	}
	if _, err := waitReady(t.Context(), srv.Client(), "http://127.0.0.1:9/health", start, nil, 50*time.Millisecond); err == nil ||
		!strings.Contains(err.Error(), "not ready after") {
		t.Errorf("waitReady on a closed port error = %v; want a timeout", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := waitReady(ctx, srv.Client(), "http://127.0.0.1:9/health", start, nil, 5*time.Second); err != context.Canceled {
		t.Errorf("waitReady with a cancelled context error = %v; want context.Canceled", err)
	}
}
