package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"go.yaml.in/yaml/v3"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/server"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// toyTypes is a model with features of every type.
var toyTypes = catalog.Source{Path: "testdata/toy_types.yaml"}

// docServer serves the loan model and toyTypes, with a small batch limit.
func docServer(t testing.TB) *testServer {
	t.Helper()
	return start(t, server.Config{MaxBatch: 3}, loan, toyTypes)
}

// fetchDocument returns the server's OpenAPI document, as JSON and YAML.
func fetchDocument(t testing.TB, ts *testServer) (jsonDoc, yamlDoc []byte) {
	t.Helper()
	for _, d := range []struct {
		path, ct string
		dst      *[]byte
	}{{"/openapi.json", "application/json", &jsonDoc}, {"/openapi.yaml", "application/yaml", &yamlDoc}} {
		resp := ts.do(t, request{method: "GET", path: d.path})
		if resp.status != 200 || resp.header.Get("Content-Type") != d.ct {
			t.Fatalf("GET %s = %d %s; want 200 %s", d.path, resp.status, resp.header.Get("Content-Type"), d.ct)
		}
		*d.dst = resp.body
	}
	return jsonDoc, yamlDoc
}

// TestOpenAPIGolden pins the document; go test -run TestOpenAPIGolden
// -update rewrites testdata/openapi.json.
func TestOpenAPIGolden(t *testing.T) {
	jsonDoc, yamlDoc := fetchDocument(t, docServer(t))
	const golden = "testdata/openapi.json"
	if *update {
		if err := os.WriteFile(golden, jsonDoc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestOpenAPIGolden -update to create it)", err)
	}
	if !bytes.Equal(jsonDoc, want) {
		t.Errorf("GET /openapi.json differs from %s; if the change is intended, run go test -run TestOpenAPIGolden -update and review the diff", golden)
	}

	// The YAML says the same, numbers spelt alike.
	var fromJSON, fromYAML any
	if err := json.Unmarshal(jsonDoc, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(yamlDoc, &fromYAML); err != nil {
		t.Fatalf("GET /openapi.yaml: %v", err)
	}
	if normalized := normalizeYAML(fromYAML); !reflect.DeepEqual(normalized, fromJSON) {
		t.Errorf("GET /openapi.yaml is not the same document as GET /openapi.json")
	}
}

// normalizeYAML turns the YAML decoder's values into encoding/json's.
func normalizeYAML(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalizeYAML(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = normalizeYAML(x)
		}
		return v
	case int:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v
}

// TestOpenAPIValid validates the document, in JSON and YAML, as OpenAPI
// 3.1 with libopenapi: it must build a model without errors and pass the
// validator's check against the OpenAPI 3.1 schema.
func TestOpenAPIValid(t *testing.T) {
	jsonDoc, yamlDoc := fetchDocument(t, docServer(t))
	for name, doc := range map[string][]byte{"json": jsonDoc, "yaml": yamlDoc} {
		t.Run(name, func(t *testing.T) {
			d, err := libopenapi.NewDocument(doc)
			if err != nil {
				t.Fatalf("libopenapi.NewDocument = %v", err)
			}
			if v := d.GetVersion(); v != "3.1.0" {
				t.Errorf("GetVersion() = %q; want 3.1.0", v)
			}
			m, err := d.BuildV3Model()
			if err != nil {
				t.Fatalf("BuildV3Model() = %v", err)
			}
			if n := m.Model.Paths.PathItems.Len(); n < 20 {
				t.Errorf("the model has %d paths; want at least 20", n)
			}
			v, errs := validator.NewValidator(d)
			if len(errs) > 0 {
				t.Fatalf("validator.NewValidator = %v", errs)
			}
			if ok, verrs := v.ValidateDocument(); !ok {
				for _, e := range verrs {
					t.Errorf("ValidateDocument: %s: %s", e.Message, e.Reason)
					for _, se := range e.SchemaValidationErrors {
						t.Errorf("  %s at %s (%s)", se.Reason, se.FieldPath, se.KeywordLocation)
					}
				}
			}
		})
	}
}

// TestOpenAPISchemas compiles every schema of the document against JSON
// Schema 2020-12's meta-schema, the dialect of OpenAPI 3.1.
func TestOpenAPISchemas(t *testing.T) {
	jsonDoc, _ := fetchDocument(t, docServer(t))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(jsonDoc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any)
	if len(schemas) < 20 {
		t.Errorf("the document has %d schemas; want at least 20", len(schemas))
	}
	for name := range schemas {
		if _, err := c.Compile("openapi.json#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
}

// TestOpenAPIRefs checks that every $ref of the document resolves.
func TestOpenAPIRefs(t *testing.T) {
	jsonDoc, _ := fetchDocument(t, docServer(t))
	var doc map[string]any
	if err := json.Unmarshal(jsonDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if !resolves(doc, r) {
					t.Errorf("$ref %s does not resolve", r)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

func resolves(doc map[string]any, ref string) bool {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// TestOpenAPIResponses sends a request to every route, answered with each
// status it documents, and checks each answer against the document.
func TestOpenAPIResponses(t *testing.T) {
	ts := start(t, server.Config{MaxBodyBytes: 1 << 12, MaxBatch: 3}, loan, toyTypes)
	empty := start(t, server.Config{})
	jsonDoc, _ := fetchDocument(t, ts)
	doc, err := libopenapi.NewDocument(jsonDoc)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	const features = `{"age": 35, "income": 55000, "credit_score": 720, "employment_years": 5.5, "loan_amount": 25000}`
	const infer = `{"id": "r1", "inputs": [{"name": "float_input", "shape": [1, 5], "datatype": "FP32", "data": [35, 55000, 720, 5.5, 25000]}]}`
	big := `{"x": "` + strings.Repeat("a", 1<<12) + `"}`
	tests := []struct {
		ts     *testServer
		method string
		path   string
		body   string
		ct     string // Content-Type; application/json when there is a body
		status int
	}{
		{ts, "GET", "/", "", "", 200},
		{empty, "GET", "/", "", "", 200},
		{ts, "GET", "/health", "", "", 200},
		{empty, "GET", "/api/v1/health", "", "", 200},
		{ts, "POST", "/api/v1/predict", features, "", 200},
		{ts, "POST", "/api/v1/predict", `{"age": 35`, "", 400},
		{ts, "POST", "/api/v1/predict", big, "", 413},
		{ts, "POST", "/api/v1/predict", features, "text/plain", 415},
		{ts, "POST", "/api/v1/predict", `{"age": 17}`, "", 422},
		{empty, "POST", "/api/v1/predict", features, "", 503},
		{ts, "POST", "/api/v1/predict/batch", `{"instances": [` + features + `, ` + features + `]}`, "", 200},
		{ts, "POST", "/api/v1/predict/batch", `{"instances": [` + features + `, {"age": 17}]}`, "", 422},
		{ts, "POST", "/api/v1/models/toy_types/predict", `{"p_a": 0.25, "flag": true, "color": "red", "count": 3}`, "", 200},
		{ts, "POST", "/api/v1/models/toy_types/predict/batch", `{"instances": [{"p_a": 2}]}`, "", 422},
		{ts, "GET", "/v2", "", "", 200},
		{ts, "GET", "/v2/health/live", "", "", 200},
		{ts, "GET", "/v2/health/ready", "", "", 200},
		{empty, "GET", "/v2/health/ready", "", "", 503},
		{ts, "GET", "/v2/models/loan_approval", "", "", 200},
		{ts, "GET", "/v2/models/toy_types/versions/v2", "", "", 200},
		{ts, "GET", "/v2/models/toy_types/versions/v1", "", "", 404},
		{ts, "GET", "/v2/models/loan_approval/ready", "", "", 200},
		{ts, "GET", "/v2/models/loan_approval/versions/v1/ready", "", "", 200},
		{ts, "POST", "/v2/models/loan_approval/infer", infer, "", 200},
		{ts, "POST", "/v2/models/loan_approval/versions/v1/infer", infer, "", 200},
		{ts, "POST", "/v2/models/loan_approval/infer", `{"inputs": []}`, "", 400},
		{ts, "POST", "/v2/models/loan_approval/versions/v9/infer", infer, "", 404},
		{ts, "POST", "/v2/models/loan_approval/infer", big, "", 413},
		{ts, "POST", "/v2/models/loan_approval/infer", infer, "text/csv", 415},
		{ts, "GET", "/metrics", "", "", 200},
		{ts, "GET", "/openapi.json", "", "", 200},
		{ts, "GET", "/openapi.yaml", "", "", 200},
		{ts, "GET", "/docs", "", "", 200},
		{ts, "GET", "/docs/", "", "", 200},
		{ts, "GET", "/docs/swagger-ui.css", "", "", 200},
		{ts, "GET", "/docs/nope.js", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+fmt.Sprint(tt.status), func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, tt.ts.URL+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				ct := tt.ct
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			resp, err := tt.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %s = %d %s; want %d", tt.method, tt.path, resp.StatusCode, b, tt.status)
			}
			resp.Body = io.NopCloser(bytes.NewReader(b))
			req, _ = http.NewRequest(tt.method, tt.ts.URL+tt.path, strings.NewReader(tt.body))
			if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
				for _, e := range errs {
					t.Errorf("%s %s = %d %.200s: does not fit the document: %s: %s", tt.method, tt.path, resp.StatusCode, b, e.Message, e.Reason)
				}
			}
		})
	}
}

// TestOpenAPIOutlivesItsRequest checks that the document, made once and
// shared by every request, is made whole even when the request that asks
// for it first has gone away.
func TestOpenAPIOutlivesItsRequest(t *testing.T) {
	h := newHandler(t, loan)
	get := func(ctx context.Context) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, "GET", "/openapi.json", nil))
		return w
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	first := get(ctx)
	if first.Code != http.StatusOK {
		t.Fatalf("GET /openapi.json, request canceled = %d %s; want 200", first.Code, first.Body)
	}
	if again := get(context.Background()); !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) {
		t.Errorf("GET /openapi.json after a canceled first request differs from that request's document")
	}
}

// reloadableToy writes the toy model's manifest where a test can change
// it, and returns its path and text.
func reloadableToy(t *testing.T) (path, text string) {
	t.Helper()
	data, err := os.ReadFile("testdata/toy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Replace(string(data), "model: ../../../testdata/models/toy.onnx", "model: "+abs(t, "../../testdata/models/toy.onnx"), 1)
	path = filepath.Join(t.TempDir(), "toy.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, text
}

// TestOpenAPIFollowsReload checks that the document follows a model's
// reload: a new version and new bounds.
func TestOpenAPIFollowsReload(t *testing.T) {
	path, text := reloadableToy(t)
	ts := start(t, server.Config{}, catalog.Source{Path: path})
	before, _ := fetchDocument(t, ts)

	text = strings.Replace(text, "version: v1", "version: v7", 1)
	text = strings.Replace(text, "{name: p_denied, type: number, minimum: 0, maximum: 1,", "{name: p_denied, type: number, minimum: 0, maximum: 0.5,", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ts.cat.Entries()[0].Reload(); err != nil {
		t.Fatal(err)
	}
	after, _ := fetchDocument(t, ts)
	for _, tt := range []struct {
		doc        []byte
		name, want string
		has        bool
	}{
		{before, "before", `"model_version": "v7"`, false},
		{before, "before", `"maximum": 0.5`, false},
		{after, "after", `"model_version": "v7"`, true},
		{after, "after", `"maximum": 0.5`, true},
	} {
		if got := bytes.Contains(tt.doc, []byte(tt.want)); got != tt.has {
			t.Errorf("the document %s the reload contains %s = %v; want %v", tt.name, tt.want, got, tt.has)
		}
	}
}

// TestOpenAPIReleasesReplacedModels checks that the cached document does
// not keep a model version alive once a reload has replaced it.
func TestOpenAPIReleasesReplacedModels(t *testing.T) {
	path, text := reloadableToy(t)
	ts := start(t, server.Config{}, catalog.Source{Path: path})
	fetchDocument(t, ts) // the document of version v1, cached
	if err := os.WriteFile(path, []byte(strings.Replace(text, "version: v1", "version: v2", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	old, cur, err := ts.cat.Entries()[0].Reload()
	if err != nil {
		t.Fatal(err)
	}
	ts.met.ModelLoaded(cur, old) // as the command does
	released := make(chan struct{})
	runtime.AddCleanup(old, func(ch chan struct{}) { close(ch) }, released)
	old = nil
	for range 20 {
		runtime.GC()
		select {
		case <-released:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Error("version v1 is still reachable after its reload")
}
