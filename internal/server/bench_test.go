package server_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	return server.New(server.Config{EvalTimeout: 20 * time.Second}, slog.New(slog.NewJSONHandler(io.Discard, nil)), cat, metrics.New(reg), reg)
}

// benchPredict posts the loan request to POST /api/v1/predict through the
// whole handler, middleware included.
func benchPredict(b *testing.B, h http.Handler) { benchPost(b, h, "/api/v1/predict", loanValid) }

// benchPost posts body to path through the whole handler, middleware
// included.
func benchPost(b *testing.B, h http.Handler, path, body string) {
	data := []byte(body)
	rd := bytes.NewReader(data)
	req := httptest.NewRequest("POST", path, nil)
	req.Header.Set("Content-Type", "application/json")
	b.ReportAllocs()
	w := &discardWriter{header: http.Header{}}
	for b.Loop() {
		rd.Reset(data)
		req.Body, req.ContentLength = io.NopCloser(rd), int64(len(data))
		clear(w.header)
		w.code = 0
		h.ServeHTTP(w, req)
		if w.code != 200 {
			b.Fatalf("POST %s = %d", path, w.code)
		}
	}
}

// discardWriter is a ResponseWriter that keeps the status and drops the
// body, so that benchmarks count the handler's allocations, not a
// recorder's.
type discardWriter struct {
	header http.Header
	code   int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}

// BenchmarkPredict measures the prediction path end to end on the loan
// model.
func BenchmarkPredict(b *testing.B) { benchPredict(b, newHandler(b, loan)) }

// BenchmarkPredictServing measures the same path on a model that only
// copies its input (ZipMap): the cost of serving, without the model's.
func BenchmarkPredictServing(b *testing.B) { benchPredict(b, newHandler(b, loan5(b))) }

// BenchmarkPredictBatch posts batches of loan requests to POST
// /api/v1/predict/batch.
func BenchmarkPredictBatch(b *testing.B) {
	h := newHandler(b, loan)
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			body := `{"instances": [` + strings.Repeat(loanValid+",", n-1) + loanValid + `]}`
			benchPost(b, h, "/api/v1/predict/batch", body)
		})
	}
}
