package server

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"sync"
	"time"
	"weak"

	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/internal/openapi"
)

// A docCache holds the OpenAPI document of the models it was made for;
// a reload that swaps a model makes it stale.
type docCache struct {
	mu sync.Mutex
	// models are the model versions the document describes, held weakly:
	// a version a reload replaced must not stay in memory for its sake.
	models     []weak.Pointer[catalog.Model]
	json, yaml []byte
}

// document returns the OpenAPI document, as JSON or YAML, for the models
// served now.
func (s *server) document(r *http.Request, yaml bool) ([]byte, error) {
	var models []weak.Pointer[catalog.Model]
	var bindings []*manifest.Binding
	for _, e := range s.cat.Entries() {
		m := e.Model()
		models = append(models, weak.Make(m))
		bindings = append(bindings, m.Binding)
	}
	c := &s.docs
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.json == nil || !slices.Equal(c.models, models) {
		// Every request shares the document: make it whole even when the
		// request that asks first goes away meanwhile.
		doc, err := openapi.New(context.WithoutCancel(r.Context()), s.openapiConfig(), s.ops, bindings)
		if err != nil {
			return nil, internal(err)
		}
		j, err := doc.JSON()
		if err != nil {
			return nil, internal(err)
		}
		y, err := doc.YAML()
		if err != nil {
			return nil, internal(err)
		}
		c.models, c.json, c.yaml = models, j, y
	}
	if yaml {
		return c.yaml, nil
	}
	return c.json, nil
}

// openapiConfig is what the document says of the server beyond its
// routes and models.
func (s *server) openapiConfig() openapi.Config {
	cfg := openapi.Config{Title: "tabserve", Version: s.cfg.Version, MaxBodyBytes: s.cfg.MaxBodyBytes, MaxBatch: s.cfg.MaxBatch, EvalTimeout: s.cfg.EvalTimeout}
	examples := map[kind]string{
		kindBadRequest:       "expected ',' or '}' in object (at byte 27)",
		kindTooLarge:         tooLarge(s.cfg.MaxBodyBytes).msg,
		kindUnsupportedMedia: `Content-Type "text/plain" is not supported; send application/json`,
		kindTimeout:          s.timeout().msg,
	}
	// The kinds a client can meet; kindCanceled is answered to no one.
	documented := []kind{kindInternal, kindBadRequest, kindNotFound, kindMethodNotAllowed, kindTooLarge, kindUnsupportedMedia, kindValidation, kindNotReady}
	if s.cfg.EvalTimeout > 0 {
		documented = append(documented, kindTimeout)
	}
	for _, k := range documented {
		ek := errorKinds[k]
		msg := examples[k]
		if msg == "" {
			msg = ek.message
		}
		cfg.Errors = append(cfg.Errors, openapi.ErrorKind{Status: ek.status, Code: ek.code, Message: msg})
	}
	slices.SortFunc(cfg.Errors, func(a, b openapi.ErrorKind) int { return a.Status - b.Status })
	return cfg
}

// openapiHandler serves the OpenAPI document as JSON or YAML.
func (s *server) openapiHandler(yaml bool) http.Handler {
	ct := []string{"application/json"}
	if yaml {
		ct = []string{"application/yaml"}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, err := s.document(r, yaml)
		if err != nil {
			s.writeError(w, r, seedStyle, asAPIError(err))
			return
		}
		w.Header()["Content-Type"] = ct
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(doc))
	})
}

// newSwaggerUI returns Swagger UI, served from assets embedded in the
// binary, at /docs, showing /openapi.json.
func newSwaggerUI() http.Handler {
	return v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       "tabserve",
		SwaggerJSON: "/openapi.json",
		BasePath:    "/docs/",
		SettingsUI: map[string]string{
			"defaultModelsExpandDepth": "0", // list the schemas, collapsed
			"displayRequestDuration":   "true",
		},
	})
}
