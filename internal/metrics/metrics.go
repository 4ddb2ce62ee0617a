// Package metrics defines tabserve's Prometheus metrics on a registry the
// caller passes in. Collectors the hot path uses are resolved ahead of
// time, so recording a request or a prediction takes no label lookups.
package metrics

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/catalog"
)

// Metrics holds the server's collectors.
type Metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	predictions *prometheus.CounterVec
	modelInfo   *prometheus.GaugeVec
	loadedAt    *prometheus.GaugeVec
	reloads     *prometheus.CounterVec
	inFlight    prometheus.Gauge

	mu sync.Mutex // serialises ModelLoaded
	// models maps each model version served to its prediction counters,
	// one per label; it is replaced, never modified.
	models atomic.Pointer[map[*catalog.Model][]prometheus.Counter]
}

// New makes the collectors and registers them with reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tabserve_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tabserve_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		predictions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tabserve_predictions_total",
			Help: "Predicted rows by model and predicted label.",
		}, []string{"model", "label"}),
		modelInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tabserve_model_info",
			Help: "The model version served: 1 for the current one.",
		}, []string{"model", "version", "sha256"}),
		loadedAt: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tabserve_model_loaded_timestamp_seconds",
			Help: "When the model served was loaded, in Unix seconds.",
		}, []string{"model"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tabserve_model_reloads_total",
			Help: "Model reload attempts by result (success or failure).",
		}, []string{"model", "result"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tabserve_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.predictions, m.modelInfo, m.loadedAt, m.reloads, m.inFlight)
	empty := map[*catalog.Model][]prometheus.Counter{}
	m.models.Store(&empty)
	return m
}

// A Route records the requests of one route pattern.
type Route struct {
	m        *Metrics
	route    string
	duration prometheus.Observer
	// codes caches the request counter of each status code, resolved on
	// first use so that /metrics lists only the codes seen.
	codes [600]atomic.Pointer[prometheus.Counter]
}

// Route returns the recorder for a route pattern, such as
// "POST /api/v1/predict"; "" stands for requests no route matched.
func (m *Metrics) Route(pattern string) *Route {
	if pattern == "" {
		pattern = "unmatched"
	}
	return &Route{m: m, route: pattern, duration: m.duration.WithLabelValues(pattern)}
}

// Observe records a request's status code and duration.
func (r *Route) Observe(code int, d time.Duration) {
	r.duration.Observe(d.Seconds())
	if code < 0 || code >= len(r.codes) {
		r.m.requests.WithLabelValues(r.route, strconv.Itoa(code)).Inc()
		return
	}
	c := r.codes[code].Load()
	if c == nil {
		counter := r.m.requests.WithLabelValues(r.route, strconv.Itoa(code))
		c = &counter
		r.codes[code].Store(c)
	}
	(*c).Inc()
}

// InFlight returns the gauge of requests being served.
func (m *Metrics) InFlight() prometheus.Gauge { return m.inFlight }

// ModelLoaded records that model version cur is now served, in place of
// old (nil for a first load): its version, digest and load time, and a
// prediction counter for each of its labels. The version it replaces is
// no longer counted.
func (m *Metrics) ModelLoaded(cur, old *catalog.Model) {
	m.mu.Lock()
	defer m.mu.Unlock()
	name := cur.Name()
	counters := make([]prometheus.Counter, len(cur.Manifest.Labels))
	for i, l := range cur.Manifest.Labels {
		counters[i] = m.predictions.WithLabelValues(name, l.Label)
	}
	models := *m.models.Load()
	next := make(map[*catalog.Model][]prometheus.Counter, len(models)+1)
	for k, v := range models {
		if k != old {
			next[k] = v
		}
	}
	next[cur] = counters
	m.models.Store(&next)
	m.modelInfo.DeletePartialMatch(prometheus.Labels{"model": name})
	m.modelInfo.WithLabelValues(name, cur.Version(), cur.SHA256).Set(1)
	m.loadedAt.WithLabelValues(name).Set(float64(cur.LoadedAt.UnixNano()) / 1e9)
}

// Reloaded counts a reload attempt of a model.
func (m *Metrics) Reloaded(name string, err error) {
	result := "success"
	if err != nil {
		result = "failure"
	}
	m.reloads.WithLabelValues(name, result).Inc()
}

// Predicted counts n rows that model version mv predicted as label
// index label (in its manifest's labels). Versions ModelLoaded has not
// recorded, or has since replaced, are not counted.
func (m *Metrics) Predicted(mv *catalog.Model, label, n int) {
	if c := (*m.models.Load())[mv]; label >= 0 && label < len(c) {
		c[label].Add(float64(n))
	}
}
