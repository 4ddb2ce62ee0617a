package server

import (
	"context"
	"errors"
	"net/http"
)

// evalContext returns the context a model evaluation for r runs under:
// r's, bounded by the evaluation timeout when there is one. The engine
// looks at it between operators and every so many rows.
func (s *server) evalContext(r *http.Request) (context.Context, context.CancelFunc) {
	if s.cfg.EvalTimeout <= 0 {
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
