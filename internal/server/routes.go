package server

import "net/http"

// A route is one entry of the API surface. The table feeds the mux and,
// through its documentation fields, the API's OpenAPI document.
type route struct {
	pattern string // method and path, as http.ServeMux takes them
	id      string // operation id
	summary string
	tag     string // "seed", "oip" or "ops"
	body    string // the request body: "features", "instances", "oip-infer" or ""
	handler http.Handler
}

// routes lists every route the server answers.
func (s *server) routes() []route {
	seed := func(h handlerFunc) http.Handler { return s.handle(seedStyle, h) }
	v2 := func(h handlerFunc) http.Handler { return s.handle(oipStyle, h) }
	return []route{
		{"GET /{$}", "root", "Service information", "seed", "", seed(s.root)},
		{"GET /health", "health", "Service and model health", "seed", "", seed(s.health)},
		{"GET /api/v1/health", "apiHealth", "Service and model health", "seed", "", seed(s.health)},
		{"POST /api/v1/predict", "predict", "Predict one application", "seed", "features", seed(s.predict)},
		{"POST /api/v1/predict/batch", "predictBatch", "Predict a batch of applications", "seed", "instances", seed(s.predictBatch)},
		{"POST /api/v1/models/{name}/predict", "predictModel", "Predict one instance with the named model", "seed", "features", seed(s.predict)},
		{"POST /api/v1/models/{name}/predict/batch", "predictModelBatch", "Predict a batch with the named model", "seed", "instances", seed(s.predictBatch)},

		{"GET /v2", "serverMetadata", "Server metadata", "oip", "", v2(s.serverMetadata)},
		{"GET /v2/health/live", "serverLive", "Server liveness", "oip", "", v2(s.serverLive)},
		{"GET /v2/health/ready", "serverReady", "Server readiness", "oip", "", v2(s.serverReady)},
		{"GET /v2/models/{name}", "modelMetadata", "Model metadata", "oip", "", v2(s.modelMetadata)},
		{"GET /v2/models/{name}/versions/{version}", "modelVersionMetadata", "Model metadata", "oip", "", v2(s.modelMetadata)},
		{"GET /v2/models/{name}/ready", "modelReady", "Model readiness", "oip", "", v2(s.modelReady)},
		{"GET /v2/models/{name}/versions/{version}/ready", "modelVersionReady", "Model readiness", "oip", "", v2(s.modelReady)},
		{"POST /v2/models/{name}/infer", "modelInfer", "Inference", "oip", "oip-infer", v2(s.modelInfer)},
		{"POST /v2/models/{name}/versions/{version}/infer", "modelVersionInfer", "Inference", "oip", "oip-infer", v2(s.modelInfer)},

		{"GET /metrics", "metrics", "Prometheus metrics", "ops", "", s.metricsHandler()},
	}
}
