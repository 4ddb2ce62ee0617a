package openapi

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/models"
)

func TestNewRefusesUndocumentedRoutes(t *testing.T) {
	ok := Operation{Pattern: "GET /health", ID: "health", Summary: "Health", Tag: Service, Response: Health}
	tests := []struct {
		name string
		op   Operation
		want string // in the error; "" for none
	}{
		{"documented", ok, ""},
		{"no id", Operation{Pattern: "GET /x", Summary: "X", Tag: Service, Response: Health}, "missing documentation"},
		{"no summary", Operation{Pattern: "GET /x", ID: "x", Tag: Service, Response: Health}, "missing documentation"},
		{"no tag", Operation{Pattern: "GET /x", ID: "x", Summary: "X", Response: Health}, "missing documentation"},
		{"no response", Operation{Pattern: "GET /x", ID: "x", Summary: "X", Tag: Service}, "missing documentation"},
		{"no method", Operation{Pattern: "/x", ID: "x", Summary: "X", Tag: Service, Response: Health}, "want METHOD /path"},
		{"rest wildcard", Operation{Pattern: "GET /x/{p...}", ID: "x", Summary: "X", Tag: Service, Response: Health}, "wildcard"},
		{"same route twice", Operation{Pattern: "GET /health", ID: "health2", Summary: "X", Tag: Service, Response: Health}, "documented twice"},
		{"same id twice", Operation{Pattern: "GET /x", ID: "health", Summary: "X", Tag: Service, Response: Health}, "used twice"},
		{"response as request", Operation{Pattern: "POST /x", ID: "x", Summary: "X", Tag: Service, Request: Health, Response: Health}, "not a request body"},
		{"request as response", Operation{Pattern: "GET /x", ID: "x", Summary: "X", Tag: Service, Response: Features}, "not a response body"},
		{"features without a model", Operation{Pattern: "POST /p", ID: "p", Summary: "P", Tag: Predictions, Request: Features, Response: Prediction}, "no model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops := []Operation{ok}
			if tt.op != ok {
				ops = append(ops, tt.op)
			}
			_, err := New(context.Background(), Config{Title: "t", Version: "v"}, ops, nil)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("New(%+v) = %v; want nil", tt.op, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("New(%+v) = %v; want an error containing %q", tt.op, err, tt.want)
			}
		})
	}
}

// TestNewStopsWithItsContext checks that New, which runs the models on
// their examples, fails when its context ends rather than return a
// document without them.
func TestNewStopsWithItsContext(t *testing.T) {
	m, err := catalog.Load(catalog.Source{Path: models.Default, FS: models.FS})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = New(ctx, Config{Title: "t", Version: "v"}, nil, []*manifest.Binding{m.Binding})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("New(canceled context) = %v; want context.Canceled", err)
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		in, method, path string
		params           []string
	}{
		{"GET /{$}", "get", "/", nil},
		{"POST /v2/models/{name}/versions/{version}/infer", "post", "/v2/models/{name}/versions/{version}/infer", []string{"name", "version"}},
		{"GET /docs/{file}", "get", "/docs/{file}", []string{"file"}},
	}
	for _, tt := range tests {
		method, path, err := parsePattern(tt.in)
		if err != nil || method != tt.method || path != tt.path {
			t.Errorf("parsePattern(%q) = %q, %q, %v; want %q, %q", tt.in, method, path, err, tt.method, tt.path)
		}
		if got := pathParams(path); !reflect.DeepEqual(got, tt.params) {
			t.Errorf("pathParams(%q) = %q; want %q", path, got, tt.params)
		}
	}
}

func TestYAMLKeepsOrderAndNumbers(t *testing.T) {
	doc := []byte(`{"b": 1, "a": {"max": 340282346638528859811704183484516925440, "s": "1", "t": "true", "p": "^(1[89])$"}, "n": null}`)
	got, err := toYAML(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := "b: 1\na:\n  max: 340282346638528859811704183484516925440\n  s: \"1\"\n  t: \"true\"\n  p: ^(1[89])$\nn: null\n"
	if string(got) != want {
		t.Errorf("toYAML(%s) =\n%s\nwant\n%s", doc, got, want)
	}
}
