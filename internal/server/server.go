// Package server is tabserve's HTTP API: the seed's loan-approval API
// (/, /health, /api/v1/...), the Open Inference Protocol v2 REST API
// (/v2/...), Prometheus metrics, and the API's OpenAPI document with
// Swagger UI (/openapi.json, /docs), over the models of a catalog.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/metrics"
	"github.com/tabserve/tabserve/internal/openapi"
)

// Config holds the server's settings.
type Config struct {
	// Version is tabserve's version, reported at / and /v2.
	Version string
	// MaxBodyBytes bounds request bodies; larger ones get 413.
	MaxBodyBytes int64
	// MaxBatch bounds the instances of one batch prediction.
	MaxBatch int
	// CORSOrigins lists the origins granted cross-origin access; none
	// means no CORS headers at all.
	CORSOrigins []string
	// AccessLog logs every request at level info.
	AccessLog bool
	// EvalTimeout bounds the evaluation of a batch prediction or an Open
	// Inference Protocol request; one that runs longer gets 504. Zero
	// means no bound.
	EvalTimeout time.Duration
}

// Defaults for Config's zero values.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxBatch     = 1000
)

type server struct {
	cfg          Config
	log          *slog.Logger
	cat          *catalog.Catalog
	metrics      *metrics.Metrics
	gatherer     prometheus.Gatherer
	routeMetrics map[string]*metrics.Route
	ops          []openapi.Operation // the route table's documentation
	docs         docCache
	swaggerUI    http.Handler
}

// New returns the application's handler: every route of routes.go behind
// the middleware (metrics and access log, panic recovery, CORS, body
// limit). It serves the catalog's models, records into m and exposes what
// gatherer gathers at /metrics.
func New(cfg Config, logger *slog.Logger, cat *catalog.Catalog, m *metrics.Metrics, gatherer prometheus.Gatherer) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = DefaultMaxBatch
	}
	s := &server{cfg: cfg, log: logger, cat: cat, metrics: m, gatherer: gatherer, routeMetrics: map[string]*metrics.Route{}}
	s.swaggerUI = newSwaggerUI()
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, rt.handler)
		s.routeMetrics[rt.pattern] = m.Route(rt.pattern)
		s.ops = append(s.ops, rt.operation())
	}
	var h http.Handler = mux
	h = s.limitBody(h)
	h = corsPolicy(cfg.CORSOrigins)(h)
	h = s.recoverPanics(h)
	h = s.observe(h)
	return h
}

// metricsHandler serves the gatherer's metrics in Prometheus' formats.
func (s *server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)})
}
