package server

import (
	"context"
	"errors"
	"net/http"
)

// evalContext returns the context an evaluation for r runs under: r's,
// bounded by the evaluation timeout when there is one and bounded is set.
// The engine looks at it between steps, every so many rows and within
// long matrix products.
//
// Batch predictions and Open Inference Protocol requests are bounded:
// their size is the client's to choose. A single-instance prediction is
// not: it holds one row by construction, which costs what the model costs
// for a row, known when the model was chosen, while the timer a bound
// needs costs about 2 µs of CPU per request under load, an eighth of a
// prediction's.
func (s *server) evalContext(r *http.Request, bounded bool) (context.Context, context.CancelFunc) {
	if s.cfg.EvalTimeout <= 0 || !bounded {
		return r.Context(), noCancel
	}
	return context.WithTimeout(r.Context(), s.cfg.EvalTimeout)
}

func noCancel() {}

// evalError classifies an evaluation's error: past the evaluation timeout
// it is a timeout; otherwise as asAPIError says (a gone client, a bad
// input, or an internal error).
func (s *server) evalError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return s.timeout()
	}
	return asAPIError(err)
}

// timeout is the error of an evaluation cut short by the timeout.
func (s *server) timeout() *apiError {
	return &apiError{kind: kindTimeout, msg: "The model took longer than " + s.cfg.EvalTimeout.String() + " to evaluate"}
}
