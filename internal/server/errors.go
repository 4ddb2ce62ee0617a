package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/internal/oip"
)

// A kind is a class of error a handler returns; errorKinds maps each to
// its status code and error code.
type kind int

const (
	kindInternal kind = iota
	kindBadRequest
	kindNotFound
	kindMethodNotAllowed
	kindTooLarge
	kindUnsupportedMedia
	kindValidation
	kindNotReady
	kindTimeout
	// kindCanceled is a request whose client went away before its reply:
	// nobody reads the answer, so it is not documented and not an error
	// of ours.
	kindCanceled
)

// statusClientClosedRequest is the status nginx logs for a request whose
// client closed the connection first; metrics count such requests by it.
const statusClientClosedRequest = 499

// errorKinds is the one table from error kinds to HTTP.
var errorKinds = map[kind]struct {
	status  int
	code    string
	message string // the seed API's message, when the error has none
}{
	kindInternal:         {http.StatusInternalServerError, "INTERNAL_ERROR", "An unexpected error occurred"},
	kindBadRequest:       {http.StatusBadRequest, "BAD_REQUEST", "The request is malformed"},
	kindNotFound:         {http.StatusNotFound, "NOT_FOUND", "The requested resource was not found"},
	kindMethodNotAllowed: {http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "The method is not allowed for the requested resource"},
	kindTooLarge:         {http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "The request body is too large"},
	kindUnsupportedMedia: {http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON (Content-Type: application/json)"},
	kindValidation:       {http.StatusUnprocessableEntity, "VALIDATION_ERROR", "Request validation failed"},
	kindNotReady:         {http.StatusServiceUnavailable, "MODEL_NOT_READY", "The model is not loaded"},
	kindTimeout:          {http.StatusGatewayTimeout, "TIMEOUT", "The model took too long to evaluate"},
	kindCanceled:         {statusClientClosedRequest, "CLIENT_CLOSED_REQUEST", "The client closed the request"},
}

// An apiError is an error a handler returns: its kind, a message for the
// client and, for an internal error, the cause, which is logged and never
// sent.
type apiError struct {
	kind   kind
	msg    string                // for the client; "" means the kind's message
	fields []manifest.FieldError // for kindValidation
	batch  bool                  // fields carry rows
	cause  error                 // logged, never sent
}

func (e *apiError) Error() string {
	s := errorKinds[e.kind].code
	if e.msg != "" {
		s += ": " + e.msg
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

func (e *apiError) Unwrap() error { return e.cause }

func errorf(k kind, format string, args ...any) *apiError {
	return &apiError{kind: k, msg: fmt.Sprintf(format, args...)}
}

func internal(cause error) *apiError { return &apiError{kind: kindInternal, cause: cause} }

// asAPIError turns any error into an apiError; errors of no known kind
// are internal.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var se *manifest.SyntaxError
	if errors.As(err, &se) {
		return &apiError{kind: kindBadRequest, msg: se.Error()}
	}
	var ve *manifest.ValidationError
	if errors.As(err, &ve) {
		return &apiError{kind: kindValidation, fields: ve.Errors}
	}
	var re *oip.RequestError
	if errors.As(err, &re) {
		return &apiError{kind: kindBadRequest, msg: re.Msg}
	}
	return internal(err)
}

// A style is the error body format of a group of routes.
type style int

const (
	// seedStyle is the seed API's envelope:
	// {"error_code": "...", "message": "...", "errors": [...]}.
	seedStyle style = iota
	// oipStyle is the Open Inference Protocol's {"error": "..."}.
	oipStyle
)

// styleOf returns the error style of the routes under path: the Open
// Inference Protocol's under /v2, the seed API's elsewhere.
func styleOf(path string) style {
	if path == "/v2" || strings.HasPrefix(path, "/v2/") {
		return oipStyle
	}
	return seedStyle
}

// appendError appends the JSON body for e in the given style.
func appendError(b []byte, st style, e *apiError) []byte {
	k := errorKinds[e.kind]
	msg := e.msg
	if msg == "" || e.kind == kindInternal {
		msg = k.message
	}
	if st == oipStyle {
		b = append(b, `{"error":`...)
		if e.kind == kindValidation && len(e.fields) > 0 {
			msg = (&manifest.ValidationError{Errors: e.fields}).Error()
		}
		b = appendString(b, msg)
		return append(b, '}')
	}
	b = append(b, `{"error_code":`...)
	b = appendString(b, k.code)
	b = append(b, `,"message":`...)
	b = appendString(b, msg)
	if e.kind == kindValidation {
		b = append(b, `,"errors":[`...)
		for i, f := range e.fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if e.batch && f.Row >= 0 {
				b = append(b, `"row":`...)
				b = appendInt(b, f.Row)
				b = append(b, ',')
			}
			b = append(b, `"field":`...)
			b = appendString(b, f.Field)
			b = append(b, `,"message":`...)
			b = appendString(b, f.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
