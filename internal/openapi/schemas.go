package openapi

import (
	"encoding/json"
	"strconv"

	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/internal/oip"
)

// modelSchemas adds the schemas of a model's requests and responses, once,
// and returns the prefix of their names: the model's name.
func (b *builder) modelSchemas(m *manifest.Binding) string {
	name := m.Manifest.Name
	for _, s := range b.schemas {
		if s.key == name+".Features" {
			return name
		}
	}
	man := m.Manifest
	ex := b.examples(m)

	props := object{}
	var required []string
	for k, f := range man.Features {
		props = append(props, member{f.Name, featureSchema(m, k)})
		if f.Required {
			required = append(required, f.Name)
		}
	}
	features := object{
		{"type", "object"},
		{"description", "The features of one instance of " + name + ". Unknown fields are ignored; a field may appear only once."},
	}
	if len(required) > 0 {
		features = append(features, member{"required", required})
	}
	features = append(features, member{"properties", props})
	if ex.features != nil {
		features = append(features, member{"examples", []any{ex.features}})
	}

	var labels []string
	probs := object{}
	for _, l := range man.Labels {
		labels = append(labels, l.Label)
		probs = append(probs, member{l.Label, object{{"type", "number"}}})
	}
	item := func(version bool) object {
		p := object{
			{"prediction", object{{"description", "The predicted label."}, {"type", "string"}, {"enum", labels}}},
			{"probability", object{{"description", "The predicted label's probability."}, {"type", "number"}}},
			{"probabilities", object{
				{"description", "Every label's probability."},
				{"type", "object"},
				{"required", labels},
				{"properties", probs},
				{"additionalProperties", false},
			}},
		}
		req := []string{"prediction", "probability", "probabilities"}
		if version {
			p = append(p, versionAndTime()...)
			req = append(req, "model_version", "timestamp")
		}
		return object{{"type", "object"}, {"required", req}, {"properties", p}}
	}
	batchMax := any(nil)
	if b.cfg.MaxBatch > 0 {
		batchMax = b.cfg.MaxBatch
	}
	b.schemas = append(b.schemas,
		member{name + ".Features", features},
		member{name + ".BatchRequest", object{
			{"type", "object"},
			{"description", "Instances of " + name + " to predict; unknown fields are ignored."},
			{"required", []string{"instances"}},
			{"properties", object{{"instances", object{
				{"type", "array"},
				{"minItems", 1},
				{"maxItems", batchMax},
				{"items", ref(name + ".Features")},
			}}}},
		}},
		member{name + ".Prediction", item(true)},
		member{name + ".BatchPrediction", object{
			{"type", "object"},
			{"required", []string{"predictions", "model_version", "timestamp"}},
			{"properties", append(object{{"predictions", object{{"type", "array"}, {"items", item(false)}}}}, versionAndTime()...)},
		}},
	)
	return name
}

func versionAndTime() object {
	return object{
		{"model_version", object{{"description", "The version of the model that answered."}, {"type", "string"}}},
		{"timestamp", object{{"description", "When the prediction was made (RFC 3339, UTC)."}, {"type", "string"}, {"format", "date-time"}}},
	}
}

// featureSchema states exactly which values feature k accepts.
func featureSchema(m *manifest.Binding, k int) object {
	f := m.Manifest.Features[k]
	var branches []object
	switch f.Type {
	case manifest.Number, manifest.Integer:
		lo, hi, _ := m.Range(k)
		branches = append(branches,
			object{{"type", string(f.Type)}, {"minimum", json.Number(lo.Text)}, {"maximum", json.Number(hi.Text)}},
			object{
				{"description", "The same value as a string in plain decimal notation."},
				{"type", "string"},
				{"pattern", decimalPattern(lo.Text, hi.Text, f.Type == manifest.Integer)},
			})
	case manifest.String:
		s := object{{"type", "string"}}
		if f.Enum != nil {
			s = append(s, member{"enum", f.Enum})
		}
		branches = append(branches, s)
	case manifest.Boolean:
		branches = append(branches, object{{"enum", []any{true, false, 0, 1, "true", "false"}}})
	}
	if !f.Required {
		branches = append(branches, object{{"description", "Absent: the default."}, {"type", "null"}})
	}
	s := object{}
	if f.Description != "" {
		s = append(s, member{"description", f.Description})
	}
	if len(branches) == 1 {
		s = append(s, branches[0]...)
	} else {
		var alts []any
		for _, b := range branches {
			alts = append(alts, b)
		}
		s = append(s, member{"anyOf", alts})
	}
	if f.Default != nil {
		s = append(s, member{"default", f.Default})
	}
	if f.Example != nil {
		s = append(s, member{"examples", []any{f.Example}})
	}
	return s
}

// sharedSchemas adds the schemas every model shares.
func (b *builder) sharedSchemas() {
	str := func(desc string) object { return object{{"description", desc}, {"type", "string"}} }
	var codes []string
	for _, k := range b.cfg.Errors {
		codes = append(codes, k.Code)
	}
	params := object{{"description", "Parameters, passed through."}, {"type", "object"}}
	datatypes := []string{oip.BOOL, oip.UINT8, oip.UINT16, oip.UINT32, oip.UINT64, oip.INT8, oip.INT16, oip.INT32, oip.INT64, oip.FP16, oip.FP32, oip.FP64, oip.BYTES}
	shape := object{{"type", "array"}, {"items", object{{"type", "integer"}, {"minimum", 0}}}}
	data := object{
		{"description", "The elements, flat in row-major order or nested to the shape. In a floating-point tensor, null is NaN."},
		{"type", "array"},
	}
	b.schemas = append(b.schemas,
		member{"ServiceInfo", object{
			{"type", "object"},
			{"required", []string{"message", "name", "version", "models"}},
			{"properties", object{
				{"message", str("\"ML Prediction API is running\".")},
				{"name", str("The server's name.")},
				{"version", str("The server's version.")},
				{"models", object{{"type", "array"}, {"items", object{
					{"type", "object"},
					{"required", []string{"name", "version"}},
					{"properties", object{{"name", object{{"type", "string"}}}, {"version", object{{"type", "string"}}}, {"description", object{{"type", "string"}}}}},
				}}}},
				{"health", str("The health route.")},
				{"predict", str("The prediction route.")},
				{"metrics", str("The metrics route.")},
				{"docs", str("Swagger UI.")},
				{"openapi", str("This document.")},
			}},
		}},
		member{"Health", object{
			{"type", "object"},
			{"required", []string{"status", "model_loaded", "model_version"}},
			{"properties", object{
				{"status", object{{"type", "string"}, {"enum", []string{"healthy", "degraded"}}}},
				{"model_loaded", object{{"type", "boolean"}}},
				{"model", str("The default model's name.")},
				{"model_version", str("The default model's version, or \"unknown\".")},
			}},
		}},
		member{"Error", object{
			{"description", "The error envelope of the prediction API."},
			{"type", "object"},
			{"required", []string{"error_code", "message"}},
			{"properties", object{
				{"error_code", object{{"type", "string"}, {"enum", codes}}},
				{"message", str("What went wrong, for people.")},
				{"errors", object{{"description", "For VALIDATION_ERROR: every problem, in row and feature order."}, {"type", "array"}, {"items", ref("FieldError")}}},
			}},
		}},
		member{"FieldError", object{
			{"type", "object"},
			{"required", []string{"field", "message"}},
			{"properties", object{
				{"row", object{{"description", "The instance, in a batch request."}, {"type", "integer"}, {"minimum", 0}}},
				{"field", str("The feature (\"instances\" for the batch itself, \"\" for a whole instance).")},
				{"message", str("The problem, such as \"must be >= 18\".")},
			}},
		}},
		member{"InferenceError", object{
			{"description", "The error of the Open Inference Protocol."},
			{"type", "object"},
			{"required", []string{"error"}},
			{"properties", object{{"error", object{{"type", "string"}}}}},
		}},
		member{"ServerMetadata", object{
			{"type", "object"},
			{"required", []string{"name", "version", "extensions"}},
			{"properties", object{
				{"name", object{{"type", "string"}}},
				{"version", object{{"type", "string"}}},
				{"extensions", object{{"type", "array"}, {"items", object{{"type", "string"}}}}},
			}},
		}},
		member{"ServerLive", object{{"type", "object"}, {"required", []string{"live"}}, {"properties", object{{"live", object{{"type", "boolean"}}}}}}},
		member{"ServerReady", object{{"type", "object"}, {"required", []string{"ready"}}, {"properties", object{{"ready", object{{"type", "boolean"}}}}}}},
		member{"ModelReady", object{
			{"type", "object"},
			{"required", []string{"name", "ready"}},
			{"properties", object{{"name", object{{"type", "string"}}}, {"ready", object{{"type", "boolean"}}}}},
		}},
		member{"TensorMetadata", object{
			{"type", "object"},
			{"required", []string{"name", "datatype", "shape"}},
			{"properties", object{
				{"name", object{{"type", "string"}}},
				{"datatype", object{{"type", "string"}, {"enum", datatypes}}},
				{"shape", object{{"description", "-1 marks a dimension the model does not fix."}, {"type", "array"}, {"items", object{{"type", "integer"}, {"minimum", -1}}}}},
			}},
		}},
		member{"ModelMetadata", object{
			{"type", "object"},
			{"required", []string{"name", "platform", "inputs", "outputs"}},
			{"properties", object{
				{"name", object{{"type", "string"}}},
				{"versions", object{{"type", "array"}, {"items", object{{"type", "string"}}}}},
				{"platform", object{{"type", "string"}}},
				{"inputs", object{{"type", "array"}, {"items", ref("TensorMetadata")}}},
				{"outputs", object{{"type", "array"}, {"items", ref("TensorMetadata")}}},
			}},
		}},
		member{"InferenceRequest", object{
			{"type", "object"},
			{"required", []string{"inputs"}},
			{"properties", object{
				{"id", str("Echoed in the response.")},
				{"parameters", params},
				{"inputs", object{{"type", "array"}, {"maxItems", oip.MaxInputs}, {"items", ref("RequestInput")}}},
				{"outputs", object{{"description", "The outputs to return; all when absent."}, {"type", "array"}, {"items", ref("RequestOutput")}}},
			}},
		}},
		member{"RequestInput", object{
			{"type", "object"},
			{"required", []string{"name", "shape", "datatype", "data"}},
			{"properties", object{
				{"name", object{{"type", "string"}, {"minLength", 1}}},
				{"shape", shape},
				{"datatype", object{{"description", "Must be the type the model declares."}, {"type", "string"}, {"enum", datatypes}}},
				{"parameters", params},
				{"data", data},
			}},
		}},
		member{"RequestOutput", object{
			{"type", "object"},
			{"required", []string{"name"}},
			{"properties", object{{"name", object{{"type", "string"}, {"minLength", 1}}}, {"parameters", params}}},
		}},
		member{"InferenceResponse", object{
			{"type", "object"},
			{"required", []string{"model_name", "outputs"}},
			{"properties", object{
				{"model_name", object{{"type", "string"}}},
				{"model_version", object{{"type", "string"}}},
				{"id", object{{"type", "string"}}},
				{"parameters", params},
				{"outputs", object{{"type", "array"}, {"items", ref("ResponseOutput")}}},
			}},
		}},
		member{"ResponseOutput", object{
			{"description", "An output tensor. A ZipMap output (a sequence of maps) is an FP32 [N, classes] tensor whose columns follow \"classes\"; a sequence of tensors is one output per element, named \"name[i]\"."},
			{"type", "object"},
			{"required", []string{"name", "shape", "datatype", "data"}},
			{"properties", object{
				{"name", object{{"type", "string"}}},
				{"shape", shape},
				{"datatype", object{{"type", "string"}, {"enum", datatypes}}},
				{"data", object{{"description", "The elements, flat in row-major order; non-finite floats are null."}, {"type", "array"}}},
				{"classes", object{{"description", "The class of each column of a ZipMap output."}, {"type", "array"}}},
			}},
		}},
	)
}

// float32Number returns p as the server writes it.
func float32Number(p float32) json.Number {
	return json.Number(strconv.FormatFloat(float64(p), 'g', -1, 32))
}
