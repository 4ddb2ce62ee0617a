package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/metrics"
	"github.com/tabserve/tabserve/internal/server"
)

// newHandler returns the application's handler over the model of src,
// logging nowhere.
func newHandler(tb testing.TB, src catalog.Source) http.Handler {
	tb.Helper()
	cat, err := catalog.New(src)
	if err != nil {
		tb.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	return server.New(server.Config{}, slog.New(slog.NewJSONHandler(io.Discard, nil)), cat, metrics.New(reg), reg)
}

// benchPredict posts the loan request to POST /api/v1/predict through the
// whole handler, middleware included.
func benchPredict(b *testing.B, h http.Handler) {
	body := []byte(loanValid)
	rd := bytes.NewReader(body)
	req := httptest.NewRequest("POST", "/api/v1/predict", nil)
	req.Header.Set("Content-Type", "application/json")
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(body)
		req.Body, req.ContentLength = io.NopCloser(rd), int64(len(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("POST /api/v1/predict = %d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkPredict measures the prediction path end to end on the loan
// model.
func BenchmarkPredict(b *testing.B) { benchPredict(b, newHandler(b, loan)) }

// BenchmarkPredictServing measures the same path on a model that only
// copies its input (ZipMap): the cost of serving, without the model's.
func BenchmarkPredictServing(b *testing.B) { benchPredict(b, newHandler(b, loan5(b))) }
