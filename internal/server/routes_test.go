package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/internal/openapi"
	"github.com/tabserve/tabserve/models"
)

// TestEveryRouteDocumented checks that the OpenAPI document describes
// exactly the routes of the route table: each route once (a route whose
// request depends on the model it names, once per model), and nothing
// else.
func TestEveryRouteDocumented(t *testing.T) {
	cat, err := catalog.New(catalog.Source{Path: models.Default, FS: models.FS}, catalog.Source{Path: "testdata/toy.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cfg: Config{Version: "test", MaxBodyBytes: DefaultMaxBodyBytes, MaxBatch: DefaultMaxBatch},
		log: slog.New(slog.DiscardHandler), cat: cat, gatherer: prometheus.NewRegistry()}
	var bindings []*manifest.Binding
	for _, e := range cat.Entries() {
		bindings = append(bindings, e.Model().Binding)
	}
	var ops []openapi.Operation
	want := map[string]bool{}
	for _, rt := range s.routes() {
		ops = append(ops, rt.operation())
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		if strings.Contains(path, "{name}") && (rt.body == openapi.Features || rt.body == openapi.Instances) {
			for _, b := range bindings {
				want[method+" "+strings.ReplaceAll(path, "{name}", b.Manifest.Name)] = true
			}
			continue
		}
		want[method+" "+path] = true
	}
	doc, err := openapi.New(context.Background(), s.openapiConfig(), ops, bindings)
	if err != nil {
		t.Fatalf("openapi.New = %v", err)
	}
	j, err := doc.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(j, &d); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for path, item := range d.Paths {
		for method := range item {
			got[strings.ToUpper(method)+" "+path] = true
		}
	}
	for r := range want {
		if !got[r] {
			t.Errorf("route %s is not documented", r)
		}
	}
	for r := range got {
		if !want[r] {
			t.Errorf("the document has %s, which no route serves", r)
		}
	}
}
