package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"

	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/internal/oip"
	"github.com/tabserve/tabserve/internal/onnx"
)

// exampleTime is the timestamp of example responses.
const exampleTime = "2026-01-01T12:00:00.000000Z"

// examples are a model's request and response examples; nil where the
// manifest gives too few examples to make them.
type examples struct {
	features       object // a valid request, from the manifest's examples
	invalid        object // the same with one value out of range
	invalidSummary string
	invalidErrs    []manifest.FieldError // the validator's answer to invalid
	prediction     object                // the model's answer to features
	batch          object
	infer          object          // the Open Inference Protocol request for features
	inferResp      json.RawMessage // and the model's answer
	metadata       oip.ModelMetadata
}

// examples returns a model's examples, which New made.
func (b *builder) examples(m *manifest.Binding) *examples { return b.ex[m] }

// newExamples makes a model's examples, running the model on them.
func newExamples(ctx context.Context, m *manifest.Binding) *examples {
	ex := &examples{metadata: oip.NewModelMetadata(m.Manifest.Name, []string{m.Manifest.Version}, m.Model)}
	ex.features = featureExamples(m)
	if ex.features == nil {
		return ex
	}
	ex.invalid, ex.invalidSummary = invalidExample(m, ex.features)
	if ex.invalid != nil {
		ex.invalidErrs = validationErrors(m, ex.invalid)
		if ex.invalidErrs == nil {
			ex.invalid = nil // the validator accepts it: no example
		}
	}
	label, probs, err := predict(ctx, m, ex.features)
	if err == nil {
		man := m.Manifest
		probabilities := object{}
		for i, l := range man.Labels {
			probabilities = append(probabilities, member{l.Label, float32Number(probs[i])})
		}
		item := object{
			{"prediction", man.Labels[label].Label},
			{"probability", float32Number(probs[label])},
			{"probabilities", probabilities},
		}
		trailer := object{{"model_version", man.Version}, {"timestamp", exampleTime}}
		ex.prediction = append(append(object{}, item...), trailer...)
		ex.batch = append(object{{"predictions", []any{item, item}}}, trailer...)
	}
	ex.infer = inferExample(m)
	if ex.infer != nil {
		ex.inferResp = inferResponse(ctx, m, ex.infer)
	}
	return ex
}

// featureExamples returns a request made of the features' examples, or
// nil when a required feature has none.
func featureExamples(m *manifest.Binding) object {
	o := object{}
	for _, f := range m.Manifest.Features {
		if f.Example == nil {
			if f.Required {
				return nil
			}
			continue
		}
		o = append(o, member{f.Name, f.Example})
	}
	return o
}

// invalidExample returns valid with one value made invalid: the first
// bounded feature just beyond its bound, or else the first feature with a
// value of the wrong type.
func invalidExample(m *manifest.Binding, valid object) (object, string) {
	set := func(name string, v any) object {
		o := append(object{}, valid...)
		for i := range o {
			if o[i].key == name {
				o[i].value = v
				return o
			}
		}
		return append(o, member{name, v})
	}
	feats := m.Manifest.Features
	for _, f := range feats {
		switch {
		case f.Minimum != nil:
			return set(f.Name, beyond(f, *f.Minimum, -1)), f.Name + " below its minimum"
		case f.Maximum != nil:
			return set(f.Name, beyond(f, *f.Maximum, 1)), f.Name + " above its maximum"
		}
	}
	f := feats[0]
	var v any = "not a number"
	switch f.Type {
	case manifest.String:
		v = 42
	case manifest.Boolean:
		v = "maybe"
	}
	return set(f.Name, v), f.Name + " of the wrong type"
}

// beyond returns a value just beyond bound, in direction dir.
func beyond(f manifest.Feature, bound float64, dir float64) any {
	if f.Type == manifest.Integer {
		return int64(bound + dir)
	}
	step := math.Max(1, math.Abs(bound)/100)
	return bound + dir*step
}

// validationErrors returns the validator's field errors for a request, or
// nil when it accepts it.
func validationErrors(m *manifest.Binding, req object) []manifest.FieldError {
	body, err := json.Marshal(req)
	if err != nil {
		return nil
	}
	var ve *manifest.ValidationError
	if errors.As(m.NewBatch().DecodeObject(body), &ve) {
		return ve.Errors
	}
	return nil
}

// predict runs the model on a request: the index of the predicted label
// and every label's probability.
func predict(ctx context.Context, m *manifest.Binding, req object) (int, []float32, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return 0, nil, err
	}
	bt := m.NewBatch()
	if err := bt.DecodeObject(body); err != nil {
		return 0, nil, err
	}
	if err := bt.Run(ctx); err != nil {
		return 0, nil, err
	}
	return bt.Label(0), bt.Probabilities(0), nil
}

// inferExample returns the Open Inference Protocol request holding the
// features' examples, one row per model input, or nil.
func inferExample(m *manifest.Binding) object {
	man := m.Manifest
	var inputs []any
	for _, in := range m.Model.Inputs() {
		var data []any
		for _, f := range man.Features {
			name := f.Input
			if name == "" {
				name = man.Input
			}
			if name == "" && len(m.Model.Inputs()) == 1 {
				name = in.Name
			}
			if name != in.Name {
				continue
			}
			v := f.Example
			if v == nil {
				v = f.Default
			}
			if v == nil {
				return nil
			}
			if bv, ok := v.(bool); ok && in.Type.Elem != onnx.Bool {
				v = 0
				if bv {
					v = 1
				}
			}
			data = append(data, v)
		}
		dt := oip.Datatype(in.Type.Elem)
		if dt == "" || len(data) == 0 {
			return nil
		}
		inputs = append(inputs, object{
			{"name", in.Name},
			{"shape", []int{1, len(data)}},
			{"datatype", dt},
			{"data", data},
		})
	}
	return object{{"inputs", inputs}}
}

// inferResponse returns the model's answer to an inference request, as
// the server writes it, or nil.
func inferResponse(ctx context.Context, m *manifest.Binding, req object) json.RawMessage {
	body, err := json.Marshal(req)
	if err != nil {
		return nil
	}
	r, err := oip.DecodeRequest(body)
	if err != nil {
		return nil
	}
	outs, err := oip.Infer(ctx, m.Model, r)
	if err != nil {
		return nil
	}
	resp := oip.Response{ModelName: m.Manifest.Name, ModelVersion: m.Manifest.Version, Outputs: outs}
	out := resp.AppendJSON(nil)
	if !json.Valid(out) {
		return nil
	}
	return out
}
