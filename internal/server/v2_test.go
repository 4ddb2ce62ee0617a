package server_test

import (
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/server"
)

func TestOpenInferenceProtocol(t *testing.T) {
	ts := start(t, server.Config{}, toy, catalog.Source{Path: "testdata/toy_label.yaml"})
	empty := start(t, server.Config{})
	const infer = `{"id": "r1", "inputs": [{"name": "float_input", "shape": [2, 2], "datatype": "FP32", "data": [0.25, 0.75, 1, null]}]}`
	const toyMeta = `{"name": "toy", "versions": ["v1"], "platform": "onnx",
		"inputs": [{"name": "float_input", "datatype": "FP32", "shape": [-1, 2]}],
		"outputs": [{"name": "output_probability", "datatype": "FP32", "shape": [-1, 2]}]}`
	const toyOut = `{"model_name": "toy", "model_version": "v1", "id": "r1", "outputs": [
		{"name": "output_probability", "shape": [2, 2], "datatype": "FP32", "data": [0.25, 0.75, 1, null], "classes": [0, 1]}]}`
	tests := []struct {
		name   string
		ts     *testServer
		req    request
		status int
		want   string
	}{
		{"server metadata", ts, request{method: "GET", path: "/v2"}, 200, `{"name": "tabserve", "version": "test", "extensions": []}`},
		{"live", ts, request{method: "GET", path: "/v2/health/live"}, 200, `{"live": true}`},
		{"ready", ts, request{method: "GET", path: "/v2/health/ready"}, 200, `{"ready": true}`},
		{"not ready", empty, request{method: "GET", path: "/v2/health/ready"}, 503, `{"error": "The model is not loaded"}`},
		{"live without models", empty, request{method: "GET", path: "/v2/health/live"}, 200, `{"live": true}`},
		{"model metadata", ts, request{method: "GET", path: "/v2/models/toy"}, 200, toyMeta},
		{"model version metadata", ts, request{method: "GET", path: "/v2/models/toy/versions/v1"}, 200, toyMeta},
		{"second model metadata", ts, request{method: "GET", path: "/v2/models/toy_label"}, 200, `{"name": "toy_label", "versions": ["v1"], "platform": "onnx",
			"inputs": [{"name": "float_input", "datatype": "FP32", "shape": [-1, 2]}, {"name": "label", "datatype": "INT64", "shape": [-1, 1]}],
			"outputs": [{"name": "label", "datatype": "INT64", "shape": [-1, 1]}, {"name": "output_probability", "datatype": "FP32", "shape": [-1, 2]}]}`},
		{"unknown model", ts, request{method: "GET", path: "/v2/models/nope"}, 404, `{"error": "unknown model \"nope\""}`},
		{"unknown version", ts, request{method: "GET", path: "/v2/models/toy/versions/v9"}, 404, `{"error": "model \"toy\" has no version \"v9\" (it serves \"v1\")"}`},
		{"model ready", ts, request{method: "GET", path: "/v2/models/toy/ready"}, 200, `{"name": "toy", "ready": true}`},
		{"model version ready", ts, request{method: "GET", path: "/v2/models/toy/versions/v1/ready"}, 200, `{"name": "toy", "ready": true}`},
		{"unknown model ready", ts, request{method: "GET", path: "/v2/models/nope/ready"}, 404, `{"error": "unknown model \"nope\""}`},
		{"infer", ts, request{method: "POST", path: "/v2/models/toy/infer", body: infer}, 200, toyOut},
		{"infer a version", ts, request{method: "POST", path: "/v2/models/toy/versions/v1/infer", body: infer}, 200, toyOut},
		{"infer without Content-Type", ts, request{method: "POST", path: "/v2/models/toy/infer", body: infer, header: map[string]string{"Content-Type": ""}}, 200, toyOut},
		{"infer nested data", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [[0.5, 0.5]]}]}`}, 200,
			`{"model_name": "toy", "model_version": "v1", "outputs": [{"name": "output_probability", "shape": [1, 2], "datatype": "FP32", "data": [0.5, 0.5], "classes": [0, 1]}]}`},
		{"infer selected outputs", ts, request{method: "POST", path: "/v2/models/toy_label/infer", body: `{"inputs": [
			{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [0.5, 0.5]},
			{"name": "label", "shape": [1, 1], "datatype": "INT64", "data": [7]}], "outputs": [{"name": "label"}]}`}, 200,
			`{"model_name": "toy_label", "model_version": "v1", "outputs": [{"name": "label", "shape": [1, 1], "datatype": "INT64", "data": [7]}]}`},
		{"infer unknown output", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [1, 0]}], "outputs": [{"name": "nope"}]}`}, 400,
			`{"error": "the model has no output \"nope\""}`},
		{"infer missing input", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": []}`}, 400, `{"error": "missing input \"float_input\""}`},
		{"infer extra input", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [1, 0]}, {"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}]}`}, 400,
			`{"error": "the model has no input \"x\""}`},
		{"infer wrong datatype", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "INT64", "data": [1, 0]}]}`}, 400,
			`{"error": "input \"float_input\": datatype INT64, the model wants FP32"}`},
		{"infer wrong shape", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [{"name": "float_input", "shape": [1, 3], "datatype": "FP32", "data": [1, 0, 0]}]}`}, 400,
			`{"error": "input \"float_input\": shape [1 3], the model wants float32[?,2]"}`},
		{"infer data count", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [{"name": "float_input", "shape": [1, 2], "datatype": "FP32", "data": [1]}]}`}, 400,
			`{"error": "input \"float_input\": \"data\" has 1 elements, the shape says 2"}`},
		{"infer malformed", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"inputs": [`}, 400, ""},
		{"infer case-sensitive keys", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"Inputs": []}`}, 400, `{"error": "missing \"inputs\""}`},
		{"infer unknown model", ts, request{method: "POST", path: "/v2/models/nope/infer", body: infer}, 404, `{"error": "unknown model \"nope\""}`},
		{"infer wrong content type", ts, request{method: "POST", path: "/v2/models/toy/infer", body: infer, header: map[string]string{"Content-Type": "text/plain"}}, 415,
			`{"error": "Content-Type \"text/plain\" is not supported; send application/json"}`},
		{"infer too large", ts, request{method: "POST", path: "/v2/models/toy/infer", body: `{"pad": "` + strings.Repeat("x", 1<<20) + `"}`}, 413,
			`{"error": "The request body is larger than 1048576 bytes"}`},
		{"GET infer", ts, request{method: "GET", path: "/v2/models/toy/infer"}, 405, `{"error": "The method is not allowed for the requested resource"}`},
		{"unknown v2 path", ts, request{method: "GET", path: "/v2/nope"}, 404, `{"error": "The requested resource was not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.ts.do(t, tt.req)
			if resp.status != tt.status {
				t.Errorf("%s %s = %d %s; want %d", tt.req.method, tt.req.path, resp.status, resp.body, tt.status)
			}
			if ct := resp.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s %s: Content-Type = %q; want application/json", tt.req.method, tt.req.path, ct)
			}
			if tt.want != "" && !jsonEq(t, resp.body, tt.want) {
				t.Errorf("%s %s = %s; want %s", tt.req.method, tt.req.path, resp.body, tt.want)
			}
			if tt.status >= 400 {
				if got := decode(t, resp.body); len(got) != 1 || got["error"] == nil {
					t.Errorf("%s %s = %s; want only {\"error\": ...}", tt.req.method, tt.req.path, resp.body)
				}
			}
		})
	}
}
