package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// A handlerFunc serves one route: it appends the JSON response body to out
// and returns it, or returns an error that the route's wrapper renders.
// Handlers never write status codes or headers themselves.
type handlerFunc func(out []byte, r *http.Request) ([]byte, error)

// buffers recycles request and response bodies.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled bounds the buffers kept for reuse, so one huge request does
// not pin its memory.
const maxPooled = 1 << 20

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		b.Reset()
		buffers.Put(b)
	}
}

// handle adapts a handlerFunc to http.Handler: it runs it, then writes
// either its body with 200 or its error in the route group's style. The
// body is complete before anything is written, so a failure to encode
// still becomes a clean 500.
func (s *server) handle(st style, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := buffers.Get().(*bytes.Buffer)
		defer putBuffer(buf)
		out, err := h(buf.AvailableBuffer(), r)
		if err != nil {
			s.writeError(w, r, st, asAPIError(err))
			return
		}
		writeJSON(w, http.StatusOK, out)
		if cap(out) > buf.Cap() {
			// The body outgrew the buffer: pool the grown one instead.
			*buf = *bytes.NewBuffer(out[:0])
		}
	})
}

// writeJSON writes a complete JSON response in one Write, so net/http
// sets its Content-Length.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	w.Write(body)
}

// jsonContentType is shared by every response; net/http only reads it.
var jsonContentType = []string{"application/json"}

// writeError renders e; an internal error's cause is logged, not sent.
// Once the client has gone (r's context is done, which stops evaluations
// too), whatever the error, the request is a 499 nobody reads.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, st style, e *apiError) {
	if e.kind != kindCanceled && r.Context().Err() != nil {
		e = &apiError{kind: kindCanceled, cause: e}
	}
	k := errorKinds[e.kind]
	switch {
	case e.kind == kindInternal:
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", e))
	case e.kind == kindCanceled:
		// Not an error: the client gave up. Nobody reads the reply.
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "client closed the request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path))
	case s.log.Enabled(r.Context(), slog.LevelDebug):
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request refused",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", k.status), slog.Any("error", e))
	}
	buf := buffers.Get().(*bytes.Buffer)
	defer putBuffer(buf)
	writeJSON(w, k.status, appendError(buf.AvailableBuffer(), st, e))
}

// appendValue appends v's encoding/json encoding, for responses off the
// prediction path.
func appendValue(out []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, internal(err)
	}
	return append(out, b...), nil
}

func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// readBody checks that the request carries JSON and reads its body, which
// the limitBody middleware bounds to maxBody bytes, into a pooled buffer
// the caller must put back. requireType refuses a request without a
// Content-Type.
func readBody(r *http.Request, maxBody int64, requireType bool) (*bytes.Buffer, error) {
	ct := r.Header.Get("Content-Type")
	if (ct != "" || requireType) && !isJSON(ct) {
		if ct == "" {
			return nil, &apiError{kind: kindUnsupportedMedia, msg: "The request has no Content-Type; send application/json"}
		}
		return nil, &apiError{kind: kindUnsupportedMedia, msg: "Content-Type " + strconv.Quote(ct) + " is not supported; send application/json"}
	}
	if r.ContentLength > maxBody {
		return nil, tooLarge(maxBody)
	}
	buf := buffers.Get().(*bytes.Buffer)
	if r.ContentLength > 0 {
		// Trust the declared length only so far: a client that claims a
		// body as large as a generous limit must send it to make us hold it.
		buf.Grow(int(min(r.ContentLength, maxPooled)))
	}
	_, err := buf.ReadFrom(r.Body)
	if err != nil {
		putBuffer(buf)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(maxBody)
		}
		return nil, &apiError{kind: kindBadRequest, msg: "Could not read the request body", cause: err}
	}
	return buf, nil
}

func tooLarge(limit int64) *apiError {
	return &apiError{kind: kindTooLarge, msg: "The request body is larger than " + strconv.FormatInt(limit, 10) + " bytes"}
}

// isJSON reports whether a Content-Type is JSON: application/json or
// application/*+json, with any parameters.
func isJSON(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	const app = "application/"
	if len(ct) < len(app) || !strings.EqualFold(ct[:len(app)], app) {
		return false
	}
	sub := ct[len(app):]
	return strings.EqualFold(sub, "json") || len(sub) > 5 && strings.EqualFold(sub[len(sub)-5:], "+json")
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Unlike encoding/json it leaves
// <, > and & alone, so messages such as "must be >= 18" read as written;
// control characters, quotes, backslashes, U+2028 and U+2029 are escaped
// and invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
