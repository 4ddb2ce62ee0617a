package server

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rs/cors"
)

// A middleware wraps a handler.
type middleware func(http.Handler) http.Handler

// recorder is the ResponseWriter the observe middleware passes down: it
// notes the status and size for metrics and logs, and turns the plain-text
// 404 and 405 answers of the mux into the API's JSON errors.
type recorder struct {
	http.ResponseWriter
	r       *http.Request
	status  int
	bytes   int
	swallow bool // the mux's own error text, replaced by JSON
}

var recorders = sync.Pool{New: func() any { return new(recorder) }}

func (rec *recorder) WriteHeader(code int) {
	if rec.status != 0 {
		return
	}
	rec.status = code
	if rec.r.Pattern == "" && (code == http.StatusNotFound || code == http.StatusMethodNotAllowed) {
		// No route matched: the mux is answering. Answer in JSON instead.
		rec.swallow = true
		k := kindNotFound
		if code == http.StatusMethodNotAllowed {
			k = kindMethodNotAllowed
		}
		st := styleOf(rec.r.URL.Path)
		h := rec.Header()
		h.Del("X-Content-Type-Options")
		buf := buffers.Get().(*bytes.Buffer)
		defer putBuffer(buf)
		body := appendError(buf.AvailableBuffer(), st, &apiError{kind: k})
		writeJSON(rec.ResponseWriter, code, body)
		rec.bytes = len(body)
		return
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	if rec.swallow {
		return len(p), nil
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// observe records every request's status and latency by route pattern,
// logs it when access logging is on, and renders the mux's 404 and 405
// as JSON. It must wrap the mux with nothing in between that copies the
// request, since it reads the pattern the mux sets on it.
func (s *server) observe(next http.Handler) http.Handler {
	unmatched := s.metrics.Route("")
	inFlight := s.metrics.InFlight()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		inFlight.Inc()
		rec := recorders.Get().(*recorder)
		*rec = recorder{ResponseWriter: w, r: r}
		defer func() {
			inFlight.Dec()
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			rm := s.routeMetrics[r.Pattern]
			if rm == nil {
				rm = unmatched
			}
			rm.Observe(status, d)
			if s.cfg.AccessLog {
				s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.String("route", r.Pattern), slog.Int("status", status),
					slog.Int("bytes", rec.bytes), slog.Duration("duration", d),
					slog.String("remote", r.RemoteAddr))
			}
			*rec = recorder{}
			recorders.Put(rec)
		}()
		next.ServeHTTP(rec, r)
	})
}

// recoverPanics turns a panic in a handler into a logged stack and a 500
// JSON error, so one bad request cannot take the server down.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			if rec, ok := w.(*recorder); ok && rec.status != 0 {
				return // the response has started; the client sees it cut short
			}
			s.writeError(w, r, styleOf(r.URL.Path), &apiError{kind: kindInternal})
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds every request body to the configured size; reading
// beyond it fails with *http.MaxBytesError, which handlers answer with 413.
func (s *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// corsPolicy grants cross-origin access to the configured origins only. With
// none configured it adds nothing, so no CORS headers are sent.
func corsPolicy(origins []string) middleware {
	if len(origins) == 0 {
		return func(h http.Handler) http.Handler { return h }
	}
	c := cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Accept"},
		MaxAge:         600,
	})
	return c.Handler
}
