package server

import (
	"net/http"

	"github.com/tabserve/tabserve/internal/openapi"
)

// A route is one entry of the API surface. The table feeds the mux and,
// through its documentation fields, the API's OpenAPI document: a route
// cannot be served without being documented.
type route struct {
	pattern string // method and path, as http.ServeMux takes them
	id      string // operation id
	summary string
	tag     openapi.Tag
	body    openapi.Body // the request body
	resp    openapi.Body // the body of a 200 answer
	handler http.Handler
}

// operation is the route's documentation.
func (rt route) operation() openapi.Operation {
	return openapi.Operation{Pattern: rt.pattern, ID: rt.id, Summary: rt.summary, Tag: rt.tag, Request: rt.body, Response: rt.resp}
}

// routes lists every route the server answers.
func (s *server) routes() []route {
	seed := func(h handlerFunc) http.Handler { return s.handle(seedStyle, h) }
	v2 := func(h handlerFunc) http.Handler { return s.handle(oipStyle, h) }
	const (
		service, predictions, inference, docs = openapi.Service, openapi.Predictions, openapi.Inference, openapi.Docs
		none                                  = openapi.None
	)
	return []route{
		{"GET /{$}", "root", "Service information", service, none, openapi.ServiceInfo, seed(s.root)},
		{"GET /health", "health", "Service and model health", service, none, openapi.Health, seed(s.health)},
		{"GET /api/v1/health", "apiHealth", "Service and model health", service, none, openapi.Health, seed(s.health)},
		{"POST /api/v1/predict", "predict", "Predict one application", predictions, openapi.Features, openapi.Prediction, seed(s.predict)},
		{"POST /api/v1/predict/batch", "predictBatch", "Predict a batch of applications", predictions, openapi.Instances, openapi.BatchPrediction, seed(s.predictBatch)},
		{"POST /api/v1/models/{name}/predict", "predictModel", "Predict one instance with the named model", predictions, openapi.Features, openapi.Prediction, seed(s.predict)},
		{"POST /api/v1/models/{name}/predict/batch", "predictModelBatch", "Predict a batch with the named model", predictions, openapi.Instances, openapi.BatchPrediction, seed(s.predictBatch)},

		{"GET /v2", "serverMetadata", "Server metadata", inference, none, openapi.ServerMetadata, v2(s.serverMetadata)},
		{"GET /v2/health/live", "serverLive", "Server liveness", inference, none, openapi.ServerLive, v2(s.serverLive)},
		{"GET /v2/health/ready", "serverReady", "Server readiness", inference, none, openapi.ServerReady, v2(s.serverReady)},
		{"GET /v2/models/{name}", "modelMetadata", "Model metadata", inference, none, openapi.ModelMetadata, v2(s.modelMetadata)},
		{"GET /v2/models/{name}/versions/{version}", "modelVersionMetadata", "Model metadata", inference, none, openapi.ModelMetadata, v2(s.modelMetadata)},
		{"GET /v2/models/{name}/ready", "modelReady", "Model readiness", inference, none, openapi.ModelReady, v2(s.modelReady)},
		{"GET /v2/models/{name}/versions/{version}/ready", "modelVersionReady", "Model readiness", inference, none, openapi.ModelReady, v2(s.modelReady)},
		{"POST /v2/models/{name}/infer", "modelInfer", "Inference", inference, openapi.InferRequest, openapi.InferResponse, v2(s.modelInfer)},
		{"POST /v2/models/{name}/versions/{version}/infer", "modelVersionInfer", "Inference", inference, openapi.InferRequest, openapi.InferResponse, v2(s.modelInfer)},

		{"GET /metrics", "metrics", "Prometheus metrics", service, none, openapi.Metrics, s.metricsHandler()},

		{"GET /openapi.json", "openapiJSON", "This OpenAPI document", docs, none, openapi.OpenAPIJSON, s.openapiHandler(false)},
		{"GET /openapi.yaml", "openapiYAML", "This OpenAPI document, in YAML", docs, none, openapi.OpenAPIYAML, s.openapiHandler(true)},
		{"GET /docs", "docs", "Swagger UI", docs, none, openapi.HTML, s.swaggerUI},
		{"GET /docs/{$}", "docsSlash", "Swagger UI", docs, none, openapi.HTML, s.swaggerUI},
		{"GET /docs/{file}", "docsFile", "Swagger UI's files", docs, none, openapi.Asset, s.swaggerUI},
	}
}
