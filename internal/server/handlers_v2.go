package server

import (
	"net/http"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/oip"
)

// serverMetadata answers GET /v2.
func (s *server) serverMetadata(out []byte, _ *http.Request) ([]byte, error) {
	return appendValue(out, oip.ServerMetadata{Name: "tabserve", Version: s.cfg.Version, Extensions: []string{}})
}

// serverLive answers GET /v2/health/live.
func (s *server) serverLive(out []byte, _ *http.Request) ([]byte, error) {
	return append(out, `{"live":true}`...), nil
}

// serverReady answers GET /v2/health/ready: ready when a model is.
func (s *server) serverReady(out []byte, _ *http.Request) ([]byte, error) {
	if s.cat.Default() == nil {
		return nil, errNoModel
	}
	return append(out, `{"ready":true}`...), nil
}

// model returns the model a /v2/models/{name}[/versions/{version}] path
// names, or a 404.
func (s *server) model(r *http.Request) (*catalog.Model, error) {
	name := r.PathValue("name")
	e := s.cat.Lookup(name)
	if e == nil {
		return nil, errorf(kindNotFound, "unknown model %q", name)
	}
	m := e.Model()
	if v := r.PathValue("version"); v != "" && v != m.Version() {
		return nil, errorf(kindNotFound, "model %q has no version %q (it serves %q)", name, v, m.Version())
	}
	return m, nil
}

// modelMetadata answers GET /v2/models/{name}[/versions/{version}].
func (s *server) modelMetadata(out []byte, r *http.Request) ([]byte, error) {
	m, err := s.model(r)
	if err != nil {
		return nil, err
	}
	return appendValue(out, oip.NewModelMetadata(m.Name(), []string{m.Version()}, m.Model))
}

// modelReady answers GET /v2/models/{name}[/versions/{version}]/ready.
func (s *server) modelReady(out []byte, r *http.Request) ([]byte, error) {
	m, err := s.model(r)
	if err != nil {
		return nil, err
	}
	return appendValue(out, struct {
		Name  string `json:"name"`
		Ready bool   `json:"ready"`
	}{m.Name(), true})
}

// modelInfer answers POST /v2/models/{name}[/versions/{version}]/infer:
// the model's input tensors by name in, its output tensors out, all or
// those the request selects.
func (s *server) modelInfer(out []byte, r *http.Request) ([]byte, error) {
	m, err := s.model(r)
	if err != nil {
		return nil, err
	}
	body, err := readBody(r, s.cfg.MaxBodyBytes, false)
	if err != nil {
		return nil, err
	}
	defer putBuffer(body)
	req, err := oip.DecodeRequest(body.Bytes())
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.evalContext(r, true)
	defer cancel()
	outs, err := oip.Infer(ctx, m.Model, req)
	if err != nil {
		return nil, s.evalError(err)
	}
	resp := oip.Response{ModelName: m.Name(), ModelVersion: m.Version(), ID: req.ID, Outputs: outs}
	return resp.AppendJSON(out), nil
}
