// Package openapi builds the OpenAPI 3.1 document of tabserve's HTTP API
// from its route table and the manifests of the models it serves.
//
// Each model's request schema states exactly what the server's validator
// (internal/manifest) accepts — types, required fields, bounds narrowed to
// what the model input holds, enums, and numeric strings as regular
// expressions — so that a validator built from the document and the
// server accept and refuse the same requests. Examples are real: request
// examples come from the manifest and response examples from running the
// model on them.
package openapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tabserve/tabserve/internal/manifest"
)

// A Tag groups operations in the document.
type Tag string

// The tags.
const (
	Service     Tag = "service"     // service information, health, metrics
	Predictions Tag = "predictions" // the tutorial's prediction API
	Inference   Tag = "inference"   // the Open Inference Protocol v2
	Docs        Tag = "docs"        // this document and its viewers
)

var tagDescriptions = []struct {
	tag  Tag
	desc string
}{
	{Service, "Service information, health and metrics."},
	{Predictions, "The loan-approval API of the tutorial: one object of features in, a label and class probabilities out. Validated against each model's manifest."},
	{Inference, "The Open Inference Protocol v2 REST API that KServe and Triton clients speak: tensors in, tensors out. Errors are `{\"error\": \"...\"}`."},
	{Docs, "This document, and Swagger UI to try it."},
}

// A Body is the kind of a request or response body.
type Body int

// The bodies. Request bodies first.
const (
	None Body = iota
	Features
	Instances
	InferRequest

	ServiceInfo
	Health
	Prediction
	BatchPrediction
	ServerMetadata
	ServerLive
	ServerReady
	ModelMetadata
	ModelReady
	InferResponse
	Metrics
	OpenAPIJSON
	OpenAPIYAML
	HTML
	Asset
)

// An Operation is one route of the API as the document describes it.
type Operation struct {
	// Pattern is the route's pattern, as http.ServeMux takes it:
	// "POST /api/v1/models/{name}/predict". An operation whose request
	// body depends on the model and whose path names it is documented
	// once per model, with the name filled in.
	Pattern  string
	ID       string // operation id
	Summary  string
	Tag      Tag
	Request  Body
	Response Body // of the 200 answer
}

// An ErrorKind is an error the server answers with.
type ErrorKind struct {
	Status  int
	Code    string // error_code, as the prediction API sends it
	Message string // an example message
}

// Config holds what the document says beyond routes and models.
type Config struct {
	Title   string
	Version string
	// MaxBodyBytes and MaxBatch are the server's limits.
	MaxBodyBytes int64
	MaxBatch     int
	// EvalTimeout bounds the evaluation of batch predictions and
	// inferences (504 past it); zero means none.
	EvalTimeout time.Duration
	// Errors lists every error kind of the server.
	Errors []ErrorKind
}

// A Document is a generated OpenAPI document.
type Document struct {
	root object
}

// New builds the document of the operations over the models; the first
// model is the default one, which routes without a model name use. It
// runs the models on their examples to show real responses, and fails
// when ctx ends meanwhile (the examples could be missing) or on an
// operation it cannot document.
func New(ctx context.Context, cfg Config, ops []Operation, models []*manifest.Binding) (*Document, error) {
	b := &builder{cfg: cfg, models: models, schemas: object{}, ex: map[*manifest.Binding]*examples{}}
	for _, m := range models {
		if b.ex[m] == nil {
			b.ex[m] = newExamples(ctx, m)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("openapi: running the examples: %w", err)
	}
	paths, err := b.paths(ops)
	if err != nil {
		return nil, err
	}
	var tags []any
	for _, t := range tagDescriptions {
		tags = append(tags, object{{"name", t.tag}, {"description", t.desc}})
	}
	b.sharedSchemas()
	root := object{
		{"openapi", "3.1.0"},
		{"info", object{
			{"title", cfg.Title},
			{"version", cfg.Version},
			{"description", b.description()},
		}},
		// Relative to the document: "Try it out" calls the server that
		// serves it, wherever it runs.
		{"servers", []any{object{{"url", "/"}, {"description", "the server that serves this document"}}}},
		{"tags", tags},
		{"paths", paths},
		{"components", object{
			{"schemas", b.schemas},
			{"responses", b.errorResponses()},
		}},
	}
	return &Document{root: root}, nil
}

// JSON returns the document as indented JSON.
func (d *Document) JSON() ([]byte, error) { return indentJSON(d.root) }

// YAML returns the document as YAML.
func (d *Document) YAML() ([]byte, error) {
	j, err := d.JSON()
	if err != nil {
		return nil, err
	}
	return toYAML(j)
}

type builder struct {
	cfg     Config
	models  []*manifest.Binding
	schemas object
	ex      map[*manifest.Binding]*examples // per model, made by New
}

func (b *builder) description() string {
	var s strings.Builder
	s.WriteString("Scikit-learn models exported to ONNX, served by one Go binary. ")
	s.WriteString("Every prediction request is validated against the model's manifest; the schemas below state exactly what is accepted:\n\n")
	s.WriteString("- Numbers may also be sent as numeric strings in plain decimal notation (`\"55000.5\"`, not `\"5.5e4\"`); a JSON number is checked as the float64 it denotes, a numeric string exactly as written.\n")
	s.WriteString("- Integers must be integral (`42`, `42.0` and `\"42\"` pass; `42.5` fails).\n")
	s.WriteString("- Bounds are inclusive and narrowed to what the model input holds (float32's range for a float32 input, ±2^53 for integers).\n")
	s.WriteString("- Unknown fields are ignored; keys are case-sensitive and may appear only once (JSON Schema cannot say so). ")
	fmt.Fprintf(&s, "Bodies are limited to %d bytes (413), and JSON in ignored fields to 64 levels of nesting.", b.cfg.MaxBodyBytes)
	if b.cfg.EvalTimeout > 0 {
		fmt.Fprintf(&s, " A batch prediction or inference whose evaluation takes longer than %s is stopped (504).", b.cfg.EvalTimeout)
	}
	s.WriteString("\n\n")
	s.WriteString("Models served:\n\n")
	for i, m := range b.models {
		man := m.Manifest
		fmt.Fprintf(&s, "- `%s` (version `%s`)", man.Name, man.Version)
		if i == 0 {
			s.WriteString(", the default model of `/api/v1/predict`")
		}
		if man.Description != "" {
			s.WriteString(": " + man.Description)
		}
		s.WriteString("\n")
	}
	return s.String()
}

// parsePattern splits a mux pattern into its method and OpenAPI path.
func parsePattern(p string) (method, path string, err error) {
	method, path, ok := strings.Cut(p, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return "", "", fmt.Errorf("pattern %q: want METHOD /path", p)
	}
	if strings.Contains(path, "...}") {
		return "", "", fmt.Errorf("pattern %q: a {name...} wildcard has no OpenAPI path", p)
	}
	path = strings.TrimSuffix(path, "{$}")
	return strings.ToLower(method), path, nil
}

// pathParams returns the names of a path's {parameters}.
func pathParams(path string) []string {
	var names []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return names
		}
		names = append(names, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

// paths documents the operations, in order, under their paths.
func (b *builder) paths(ops []Operation) (object, error) {
	paths := object{}
	items := map[string]*object{}
	add := func(path, method string, op object) error {
		item, ok := items[path]
		if !ok {
			paths = append(paths, member{path, nil})
			item = &object{}
			items[path] = item
		}
		for _, m := range *item {
			if m.key == method {
				return fmt.Errorf("%s %s is documented twice", method, path)
			}
		}
		*item = append(*item, member{method, op})
		return nil
	}
	ids := map[string]bool{}
	for _, op := range ops {
		method, path, err := parsePattern(op.Pattern)
		if err != nil {
			return nil, err
		}
		if op.ID == "" || op.Summary == "" || op.Tag == "" || op.Response == None {
			return nil, fmt.Errorf("route %q: missing documentation (id, summary, tag and response are required)", op.Pattern)
		}
		perModel := (op.Request == Features || op.Request == Instances) && strings.Contains(path, "{name}")
		if !perModel {
			o, err := b.operation(op, method, path, nil)
			if err != nil {
				return nil, err
			}
			if ids[op.ID] {
				return nil, fmt.Errorf("route %q: operation id %q is used twice", op.Pattern, op.ID)
			}
			ids[op.ID] = true
			if err := add(path, method, o); err != nil {
				return nil, err
			}
			continue
		}
		for _, m := range b.models {
			p := strings.ReplaceAll(path, "{name}", m.Manifest.Name)
			o, err := b.operation(op, method, p, m)
			if err != nil {
				return nil, err
			}
			if err := add(p, method, o); err != nil {
				return nil, err
			}
		}
	}
	for i := range paths {
		paths[i].value = *items[paths[i].key]
	}
	return paths, nil
}

// operation documents one operation at path; m is the model it is for
// when the path names one.
func (b *builder) operation(op Operation, method, path string, m *manifest.Binding) (object, error) {
	id, summary := op.ID, op.Summary
	var model *manifest.Binding
	switch {
	case m != nil:
		model = m
		id += "_" + m.Manifest.Name
		summary += " (" + m.Manifest.Name + ")"
	case len(b.models) > 0:
		model = b.models[0]
	}
	o := object{
		{"operationId", id},
		{"summary", summary},
		{"tags", []Tag{op.Tag}},
	}
	if params := b.parameters(path); len(params) > 0 {
		o = append(o, member{"parameters", params})
	}
	if op.Request != None {
		body, err := b.requestBody(op.Request, model)
		if err != nil {
			return nil, fmt.Errorf("route %q: %w", op.Pattern, err)
		}
		o = append(o, member{"requestBody", body})
	}
	resp, err := b.response(op.Response, model)
	if err != nil {
		return nil, fmt.Errorf("route %q: %w", op.Pattern, err)
	}
	responses := object{{"200", resp}}
	if op.Response == Asset {
		responses = append(responses, member{"404", object{{"description", "No such file."}, {"content", object{{"text/plain", object{{"schema", object{{"type", "string"}}}}}}}}})
	}
	for _, st := range b.errorStatuses(op, path) {
		if st == http.StatusUnprocessableEntity && model != nil {
			responses = append(responses, member{"422", b.validationResponse(op.Request, model)})
			continue
		}
		responses = append(responses, member{fmt.Sprint(st), object{{"$ref", "#/components/responses/" + errorName(op.Tag, st, b.cfg.Errors)}}})
	}
	o = append(o, member{"responses", responses})
	return o, nil
}

// errorStatuses lists the error statuses an operation answers with.
func (b *builder) errorStatuses(op Operation, path string) []int {
	var st []int
	named := strings.Contains(path, "{name}")
	switch op.Request {
	case Features, Instances:
		st = append(st, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
		if !strings.Contains(op.Pattern, "{name}") {
			st = append(st, http.StatusServiceUnavailable)
		}
	case InferRequest:
		st = append(st, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	if b.cfg.EvalTimeout > 0 && (op.Request == Instances || op.Request == InferRequest) {
		st = append(st, http.StatusGatewayTimeout)
	}
	if named {
		st = append(st, http.StatusNotFound)
	}
	if op.Response == ServerReady {
		st = append(st, http.StatusServiceUnavailable)
	}
	st = append(st, http.StatusInternalServerError)
	slices.Sort(st)
	return st
}

// parameters documents a path's parameters.
func (b *builder) parameters(path string) []any {
	var params []any
	for _, name := range pathParams(path) {
		p := object{{"name", name}, {"in", "path"}, {"required", true}}
		switch name {
		case "name":
			var names []string
			for _, m := range b.models {
				names = append(names, m.Manifest.Name)
			}
			s := object{{"type", "string"}}
			if len(names) > 0 {
				s = append(s, member{"enum", names}, member{"example", names[0]})
			}
			p = append(p, member{"description", "A served model's name."}, member{"schema", s})
		case "version":
			s := object{{"type", "string"}}
			if len(b.models) > 0 {
				s = append(s, member{"example", b.models[0].Manifest.Version})
			}
			p = append(p, member{"description", "The model's version; only the version served now is found."}, member{"schema", s})
		case "file":
			p = append(p, member{"description", "A file of Swagger UI, such as swagger-ui.css."}, member{"schema", object{{"type", "string"}}})
		default:
			p = append(p, member{"schema", object{{"type", "string"}}})
		}
		params = append(params, p)
	}
	return params
}

func ref(name string) object { return object{{"$ref", "#/components/schemas/" + name}} }

func jsonContent(schema any, examples object) object {
	mt := object{{"schema", schema}}
	if len(examples) > 0 {
		mt = append(mt, member{"examples", examples})
	}
	return object{{"application/json", mt}}
}

func example(summary string, value any) object {
	return object{{"summary", summary}, {"value", value}}
}

// requestBody documents a request body.
func (b *builder) requestBody(kind Body, m *manifest.Binding) (object, error) {
	switch kind {
	case Features, Instances:
		if m == nil {
			return nil, fmt.Errorf("no model to document the request of")
		}
		name := b.modelSchemas(m)
		ex := b.examples(m)
		var examples object
		if kind == Features {
			if ex.features != nil {
				examples = append(examples, member{"valid", example("A valid request", ex.features)})
			}
			if ex.invalid != nil {
				examples = append(examples, member{"invalid", example(ex.invalidSummary, ex.invalid)})
			}
			return object{{"required", true}, {"content", jsonContent(ref(name+".Features"), examples)}}, nil
		}
		if ex.features != nil {
			examples = append(examples, member{"valid", example("Two instances", object{{"instances", []any{ex.features, ex.features}}})})
		}
		if ex.invalid != nil {
			examples = append(examples, member{"invalid", example("The second instance is invalid", object{{"instances", []any{ex.features, ex.invalid}}})})
		}
		return object{{"required", true}, {"content", jsonContent(ref(name+".BatchRequest"), examples)}}, nil
	case InferRequest:
		var examples object
		for _, m := range b.models {
			if ex := b.examples(m); ex.infer != nil {
				examples = append(examples, member{m.Manifest.Name, example("Inputs for "+m.Manifest.Name, ex.infer)})
			}
		}
		return object{{"required", true}, {"content", jsonContent(ref("InferenceRequest"), examples)}}, nil
	}
	return nil, fmt.Errorf("body kind %d is not a request body", kind)
}

// response documents a 200 response.
func (b *builder) response(kind Body, m *manifest.Binding) (object, error) {
	desc := func(d string, content object) object { return object{{"description", d}, {"content", content}} }
	single := func(v any) object {
		if v == nil {
			return nil
		}
		return object{{"example", object{{"value", v}}}}
	}
	perModel := func(f func(ex *examples) any) object {
		var examples object
		for _, m := range b.models {
			if v := f(b.examples(m)); v != nil {
				examples = append(examples, member{m.Manifest.Name, example(m.Manifest.Name, v)})
			}
		}
		return examples
	}
	switch kind {
	case ServiceInfo:
		return desc("The service's name, version, models and links.", jsonContent(ref("ServiceInfo"), nil)), nil
	case Health:
		return desc("Service health: degraded when no model is loaded.", jsonContent(ref("Health"), nil)), nil
	case Prediction, BatchPrediction:
		if m == nil {
			return nil, fmt.Errorf("no model to document the response of")
		}
		name := b.modelSchemas(m)
		ex := b.examples(m)
		if kind == Prediction {
			return desc("The predicted label, its probability and every label's probability.", jsonContent(ref(name+".Prediction"), single(ex.prediction))), nil
		}
		return desc("A prediction per instance, in order.", jsonContent(ref(name+".BatchPrediction"), single(ex.batch))), nil
	case ServerMetadata:
		return desc("Server metadata.", jsonContent(ref("ServerMetadata"), nil)), nil
	case ServerLive:
		return desc("The server is live.", jsonContent(ref("ServerLive"), nil)), nil
	case ServerReady:
		return desc("The server is ready: a model is loaded.", jsonContent(ref("ServerReady"), nil)), nil
	case ModelMetadata:
		return desc("The model's inputs and outputs.", jsonContent(ref("ModelMetadata"), perModel(func(ex *examples) any { return ex.metadata }))), nil
	case ModelReady:
		return desc("The model is ready.", jsonContent(ref("ModelReady"), nil)), nil
	case InferResponse:
		return desc("The model's outputs, all or those requested.", jsonContent(ref("InferenceResponse"), perModel(func(ex *examples) any {
			if ex.inferResp == nil {
				return nil
			}
			return ex.inferResp
		}))), nil
	case Metrics:
		return desc("Prometheus metrics in the text exposition format (or OpenMetrics, by content negotiation).",
			object{{"text/plain", object{{"schema", object{{"type", "string"}}}}}}), nil
	case OpenAPIJSON:
		return desc("This document.", object{{"application/json", object{{"schema", object{{"type", "object"}}}}}}), nil
	case OpenAPIYAML:
		return desc("This document, in YAML.", object{{"application/yaml", object{{"schema", object{{"type", "string"}}}}}}), nil
	case HTML:
		return desc("Swagger UI, from assets embedded in the binary.", object{{"text/html", object{{"schema", object{{"type", "string"}}}}}}), nil
	case Asset:
		return object{{"description", "The file."}}, nil
	}
	return nil, fmt.Errorf("body kind %d is not a response body", kind)
}

// validationResponse documents the 422 of a prediction request, with the
// validator's own answer to the invalid example.
func (b *builder) validationResponse(kind Body, m *manifest.Binding) object {
	var examples object
	ex := b.examples(m)
	if ex.invalidErrs != nil {
		var errs []any
		for _, e := range ex.invalidErrs {
			fe := object{{"field", e.Field}, {"message", e.Message}}
			if kind == Instances {
				fe = append(object{{"row", 1}}, fe...)
			}
			errs = append(errs, fe)
		}
		k := findError(b.cfg.Errors, http.StatusUnprocessableEntity)
		examples = object{{"invalid", example("Every problem, in feature order", object{
			{"error_code", k.Code}, {"message", k.Message}, {"errors", errs},
		})}}
	}
	return object{
		{"description", "A field is missing, mistyped or out of range: every problem is listed."},
		{"content", jsonContent(ref("Error"), examples)},
	}
}

func findError(kinds []ErrorKind, status int) ErrorKind {
	for _, k := range kinds {
		if k.Status == status {
			return k
		}
	}
	return ErrorKind{Status: status, Code: strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_")), Message: http.StatusText(status)}
}

// errorName names the shared response of an error status in a tag's
// style.
func errorName(t Tag, status int, kinds []ErrorKind) string {
	k := findError(kinds, status)
	var name strings.Builder
	if t == Inference {
		name.WriteString("Inference")
	}
	for _, w := range strings.Split(strings.ToLower(k.Code), "_") {
		if w != "" {
			name.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return name.String()
}

// errorResponses documents every error kind in both styles.
func (b *builder) errorResponses() object {
	var out object
	for _, oip := range []bool{false, true} {
		for _, k := range b.cfg.Errors {
			tag, schema := Predictions, "Error"
			body := any(object{{"error_code", k.Code}, {"message", k.Message}})
			if oip {
				tag, schema, body = Inference, "InferenceError", object{{"error", k.Message}}
			}
			out = append(out, member{errorName(tag, k.Status, b.cfg.Errors), object{
				{"description", http.StatusText(k.Status)},
				{"content", object{{"application/json", object{
					{"schema", ref(schema)},
					{"example", body},
				}}}},
			}})
		}
	}
	return out
}
