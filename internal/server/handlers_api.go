package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/manifest"
)

// root answers GET /, as the seed's home route does.
func (s *server) root(out []byte, _ *http.Request) ([]byte, error) {
	type model struct {
		Name        string `json:"name"`
		Version     string `json:"version"`
		Description string `json:"description,omitempty"`
	}
	resp := struct {
		Message string  `json:"message"`
		Name    string  `json:"name"`
		Version string  `json:"version"`
		Models  []model `json:"models"`
		Health  string  `json:"health"`
		Predict string  `json:"predict"`
		Metrics string  `json:"metrics"`
		Docs    string  `json:"docs"`
		OpenAPI string  `json:"openapi"`
	}{
		Message: "ML Prediction API is running", Name: "tabserve", Version: s.cfg.Version,
		Models: []model{}, Health: "/health", Predict: "/api/v1/predict", Metrics: "/metrics",
		Docs: "/docs", OpenAPI: "/openapi.json",
	}
	for _, e := range s.cat.Entries() {
		m := e.Model()
		resp.Models = append(resp.Models, model{m.Name(), m.Version(), m.Manifest.Description})
	}
	return appendValue(out, resp)
}

// health answers GET /health and GET /api/v1/health.
func (s *server) health(out []byte, _ *http.Request) ([]byte, error) {
	resp := struct {
		Status       string `json:"status"`
		ModelLoaded  bool   `json:"model_loaded"`
		Model        string `json:"model,omitempty"`
		ModelVersion string `json:"model_version"`
	}{Status: "degraded", ModelVersion: "unknown"}
	if e := s.cat.Default(); e != nil {
		m := e.Model()
		resp.Status, resp.ModelLoaded, resp.Model, resp.ModelVersion = "healthy", true, m.Name(), m.Version()
	}
	return appendValue(out, resp)
}

var errNoModel = &apiError{kind: kindNotReady}

// entry returns the model a request is for: the one its path names
// (/api/v1/models/{name}/...), or the default model.
func (s *server) entry(r *http.Request) (*catalog.Entry, error) {
	if name := r.PathValue("name"); name != "" {
		if e := s.cat.Lookup(name); e != nil {
			return e, nil
		}
		return nil, errorf(kindNotFound, "Unknown model %q", name)
	}
	if e := s.cat.Default(); e != nil {
		return e, nil
	}
	return nil, errNoModel
}

// predict answers POST /api/v1/predict and POST
// /api/v1/models/{name}/predict: one object of features in, the predicted
// label and class probabilities out.
func (s *server) predict(out []byte, r *http.Request) ([]byte, error) {
	e, err := s.entry(r)
	if err != nil {
		return nil, err
	}
	m := e.Model() // this request uses this version to the end
	body, err := readBody(r, s.cfg.MaxBodyBytes, true)
	if err != nil {
		return nil, err
	}
	defer putBuffer(body)
	bt := m.Batch()
	defer m.PutBatch(bt)
	if err := bt.DecodeObject(body.Bytes()); err != nil {
		return nil, err
	}
	if err := s.run(r, m, bt, false); err != nil {
		return nil, err
	}
	out, err = appendPrediction(out, m, bt, 0)
	if err != nil {
		return nil, err
	}
	return appendTrailer(out, m), nil
}

// predictBatch answers POST /api/v1/predict/batch and POST
// /api/v1/models/{name}/predict/batch: {"instances": [{features}, ...]}
// in, a prediction per instance out.
func (s *server) predictBatch(out []byte, r *http.Request) ([]byte, error) {
	e, err := s.entry(r)
	if err != nil {
		return nil, err
	}
	m := e.Model()
	body, err := readBody(r, s.cfg.MaxBodyBytes, true)
	if err != nil {
		return nil, err
	}
	defer putBuffer(body)
	bt := m.Batch()
	defer m.PutBatch(bt)
	if err := bt.DecodeInstances(body.Bytes(), s.cfg.MaxBatch); err != nil {
		var ve *manifest.ValidationError
		if errors.As(err, &ve) {
			return nil, &apiError{kind: kindValidation, fields: ve.Errors, batch: true}
		}
		return nil, err
	}
	if err := s.run(r, m, bt, true); err != nil {
		return nil, err
	}
	out = append(out, `{"predictions":[`...)
	for i := range bt.Rows() {
		if i > 0 {
			out = append(out, ',')
		}
		if out, err = appendPrediction(out, m, bt, i); err != nil {
			return nil, err
		}
		out = append(out, '}')
	}
	out = append(out, ']')
	return appendTrailer(out, m), nil
}

// run evaluates the batch, under the evaluation timeout when bounded,
// and counts its predictions.
func (s *server) run(r *http.Request, m *catalog.Model, bt *manifest.Batch, bounded bool) error {
	ctx, cancel := s.evalContext(r, bounded)
	defer cancel()
	if err := bt.Run(ctx); err != nil {
		return s.evalError(err)
	}
	if bt.Rows() == 1 {
		s.metrics.Predicted(m, bt.Label(0), 1)
		return nil
	}
	counts := make([]int, m.Labels())
	for i := range bt.Rows() {
		counts[bt.Label(i)]++
	}
	for l, n := range counts {
		if n > 0 {
			s.metrics.Predicted(m, l, n)
		}
	}
	return nil
}

// appendPrediction appends row i's prediction as an unterminated object:
// {"prediction": label, "probability": p, "probabilities": {label: p, ...}
func appendPrediction(out []byte, m *catalog.Model, bt *manifest.Batch, i int) ([]byte, error) {
	labels := m.Manifest.Labels
	probs := bt.Probabilities(i)
	k := bt.Label(i)
	out = append(out, `{"prediction":`...)
	out = appendString(out, labels[k].Label)
	out = append(out, `,"probability":`...)
	var err error
	if out, err = appendProb(out, probs[k]); err != nil {
		return nil, err
	}
	out = append(out, `,"probabilities":{`...)
	for j, l := range labels {
		if j > 0 {
			out = append(out, ',')
		}
		out = appendString(out, l.Label)
		out = append(out, ':')
		if out, err = appendProb(out, probs[j]); err != nil {
			return nil, err
		}
	}
	return append(out, '}'), nil
}

func appendProb(out []byte, p float32) ([]byte, error) {
	if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
		return nil, internal(errors.New("the model returned a non-finite probability"))
	}
	return strconv.AppendFloat(out, float64(p), 'g', -1, 32), nil
}

// appendTrailer closes a prediction response with the model version and
// the time.
func appendTrailer(out []byte, m *catalog.Model) []byte {
	out = append(out, `,"model_version":`...)
	out = appendString(out, m.Version())
	out = append(out, `,"timestamp":"`...)
	out = time.Now().UTC().AppendFormat(out, "2006-01-02T15:04:05.000000Z07:00")
	return append(out, `"}`...)
}
