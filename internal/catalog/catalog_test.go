package catalog

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tabserve/tabserve/models"
)

const toyManifest = `
name: toy
version: VERSION
features:
  - {name: p_no, type: number}
  - {name: p_yes, type: number}
labels:
  - {class: 1, label: "yes"}
  - {class: 0, label: "no"}
`

// toyDir writes toy.onnx and its manifest, at the given version, to a new
// directory and returns the manifest's path.
func toyDir(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("../../testdata/models/toy.onnx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "toy.onnx"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "toy.yaml")
	writeFile(t, p, strings.Replace(toyManifest, "VERSION", version, 1))
	return p
}

// writeFile writes a file with a modification time later than any before.
func writeFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Duration(len(text)) * time.Second)
	if err := os.Chtimes(p, future, future); err != nil {
		t.Fatal(err)
	}
}

func TestNew(t *testing.T) {
	p := toyDir(t, "v1")
	onnxPath := strings.TrimSuffix(p, ".yaml") + ".onnx"
	tests := []struct {
		name    string
		sources []Source
		want    string // an error containing this, or the default model's name
	}{
		{"manifest path", []Source{{Path: p}}, "toy"},
		{"model path", []Source{{Path: onnxPath}}, "toy"},
		{"embedded", []Source{{Path: models.Default, FS: models.FS}}, "loan_approval"},
		{"missing file", []Source{{Path: filepath.Join(t.TempDir(), "nope.onnx")}}, "nope.yaml: no such file"},
		{"duplicate name", []Source{{Path: p}, {Path: onnxPath}}, `two models are named "toy"`},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.sources...)
			switch {
			case err != nil:
				if tt.want == "" || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("New = %v; want %q", err, tt.want)
				}
			case tt.want == "":
				if c.Default() != nil {
					t.Errorf("New().Default() = %v; want nil", c.Default())
				}
			default:
				if got := c.Default().Name(); got != tt.want {
					t.Errorf("New().Default().Name() = %q; want %q", got, tt.want)
				}
			}
		})
	}
}

func TestReload(t *testing.T) {
	p := toyDir(t, "v1")
	c, err := New(Source{Path: p})
	if err != nil {
		t.Fatal(err)
	}
	e := c.Lookup("toy")
	first := e.Model()
	if e.Changed() {
		t.Errorf("Changed() = true before any change; want false")
	}

	// A request in flight holds the first version.
	bt := first.Batch()
	if err := bt.DecodeObject([]byte(`{"p_no": 0.25, "p_yes": 0.75}`)); err != nil {
		t.Fatal(err)
	}

	writeFile(t, p, strings.Replace(toyManifest, "VERSION", "v2", 1))
	if !e.Changed() {
		t.Errorf("Changed() = false after the manifest changed; want true")
	}
	old, cur, err := e.Reload()
	if err != nil || old != first || cur.Version() != "v2" || e.Model() != cur {
		t.Fatalf("Reload() = %v, %v, %v; want the first version, v2, nil", old, cur, err)
	}
	if e.Changed() {
		t.Errorf("Changed() = true after a reload; want false")
	}
	if err := bt.Run(context.Background()); err != nil || bt.Label(0) != 0 {
		t.Errorf("the in-flight request on the old version: Run = %v, label %d; want nil, 0 (yes)", err, bt.Label(0))
	}

	broken := []struct{ name, manifest, onnx, want string }{
		{"bad manifest", "name: toy\nversion: v3\nfeatures: []\n", "", "no features"},
		{"renamed", strings.Replace(strings.Replace(toyManifest, "VERSION", "v3", 1), "name: toy", "name: other", 1), "", `renames model "toy" to "other"`},
		{"manifest does not fit", strings.Replace(toyManifest, "  - {name: p_yes, type: number}\n", "", 1), "", "takes 2 features"},
		{"bad model", strings.Replace(toyManifest, "VERSION", "v3", 1), "not a model", "not an ONNX model"},
	}
	for _, b := range broken {
		t.Run(b.name, func(t *testing.T) {
			writeFile(t, p, b.manifest)
			if b.onnx != "" {
				onnxPath := strings.TrimSuffix(p, ".yaml") + ".onnx"
				good, _ := os.ReadFile(onnxPath)
				writeFile(t, onnxPath, b.onnx)
				defer os.WriteFile(onnxPath, good, 0o644)
			}
			_, _, err := e.Reload()
			if err == nil || !strings.Contains(err.Error(), b.want) {
				t.Errorf("Reload() = %v; want an error containing %q", err, b.want)
			}
			if e.Model() != cur {
				t.Errorf("after a failed reload the model is %v; want v2 still", e.Model().Version())
			}
			if e.Changed() {
				t.Errorf("Changed() = true after a failed reload; want false until the files change again")
			}
		})
	}
}
