package manifest

import (
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx"
	"github.com/tabserve/tabserve/models"
)

func loanManifest(t testing.TB) *Manifest {
	t.Helper()
	data, err := models.FS.ReadFile(models.Default)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(%s) = %v", models.Default, err)
	}
	return m
}

func TestParseLoanManifest(t *testing.T) {
	m := loanManifest(t)
	if m.Name != "loan_approval" || m.Version != "v1" || m.Input != "float_input" {
		t.Errorf("Parse: name, version, input = %q, %q, %q; want loan_approval, v1, float_input", m.Name, m.Version, m.Input)
	}
	var names []string
	for _, f := range m.Features {
		names = append(names, f.Name+":"+string(f.Type))
		if !f.Required {
			t.Errorf("feature %s: Required = false; want true (the default)", f.Name)
		}
		if f.Example == nil || f.Description == "" {
			t.Errorf("feature %s has no example or description", f.Name)
		}
	}
	want := "age:integer income:number credit_score:integer employment_years:number loan_amount:number"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("features = %s; want %s", got, want)
	}
	if age := m.Features[0]; *age.Minimum != 18 || *age.Maximum != 120 || age.Example != int64(35) {
		t.Errorf("age: minimum, maximum, example = %v, %v, %#v; want 18, 120, 35", *age.Minimum, *age.Maximum, age.Example)
	}
	if got := m.Labels; len(got) != 2 || got[0] != (Label{"1", "approved"}) || got[1] != (Label{"0", "denied"}) {
		t.Errorf("labels = %v; want [{1 approved} {0 denied}]", got)
	}
}

const minimal = `
name: m
version: "1"
features:
  - {name: x, type: number}
labels:
  - {class: 0, label: no}
  - {class: 1, label: "yes"}
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"not yaml", "{", "manifest:"},
		{"unknown key", minimal + "minimun: 3\n", "field minimun not found"},
		{"missing name", strings.Replace(minimal, "name: m", "", 1), "missing name"},
		{"bad name", strings.Replace(minimal, "name: m", "name: a/b", 1), `name "a/b"`},
		{"missing version", strings.Replace(minimal, `version: "1"`, "", 1), "missing version"},
		{"no features", "name: m\nversion: v\nlabels: [{class: 0, label: a}]\n", "no features"},
		{"no labels", "name: m\nversion: v\nfeatures: [{name: x, type: number}]\n", "no labels"},
		{"feature without name", strings.Replace(minimal, "{name: x, type: number}", "{type: number}", 1), "feature 1: missing name"},
		{"feature without type", strings.Replace(minimal, "{name: x, type: number}", "{name: x}", 1), "missing type"},
		{"unknown type", strings.Replace(minimal, "type: number", "type: float", 1), `unknown type "float"`},
		{"duplicate feature", strings.Replace(minimal, "{name: x, type: number}", "{name: x, type: number}\n  - {name: x, type: integer}", 1), "listed twice"},
		{"min above max", strings.Replace(minimal, "type: number", "type: number, minimum: 2, maximum: 1", 1), "minimum 2 is above maximum 1"},
		{"enum on number", strings.Replace(minimal, "type: number", "type: number, enum: [a]", 1), "enum is only for strings"},
		{"bound on string", strings.Replace(minimal, "type: number", "type: string, minimum: 1", 1), "only for numbers"},
		{"fractional bound on integer", strings.Replace(minimal, "type: number", "type: integer, minimum: 1.5", 1), "not an integer"},
		{"example out of range", strings.Replace(minimal, "type: number", "type: number, maximum: 1, example: 2", 1), "example: must be <= 1"},
		{"example wrong type", strings.Replace(minimal, "type: number", "type: number, example: abc", 1), "example: must be a number"},
		{"example not in enum", strings.Replace(minimal, "type: number", "type: string, enum: [a, b], example: c", 1), `example: must be one of "a", "b"`},
		{"fractional integer example", strings.Replace(minimal, "type: number", "type: integer, example: 1.5", 1), "example: must be an integer"},
		{"boolean example", strings.Replace(minimal, "type: number", "type: boolean, example: 1", 1), "example: must be true or false"},
		{"default on required", strings.Replace(minimal, "type: number", "type: number, default: 1", 1), "required feature has no default"},
		{"duplicate class", strings.Replace(minimal, "{class: 1, label: \"yes\"}", "{class: 0, label: \"yes\"}", 1), "class 0 is labelled twice"},
		{"duplicate label", strings.Replace(minimal, "label: \"yes\"", "label: no", 1), `label "no" is given to two classes`},
		{"empty label", strings.Replace(minimal, "label: \"yes\"", "label: \"\"", 1), "empty label"},
		{"float class", strings.Replace(minimal, "class: 1,", "class: 1.5,", 1), "class must be an integer or a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%s) = %v; want an error containing %q", tt.name, err, tt.want)
			}
		})
	}
}

func TestParseOptionalAndDefaults(t *testing.T) {
	m, err := Parse([]byte(`
name: m
version: v1
features:
  - {name: n, type: number, required: false}
  - {name: i, type: integer, required: false, default: 3}
  - {name: s, type: string, required: false, enum: [a, b], default: b}
  - {name: b, type: boolean, required: false, default: true}
labels: [{class: a, label: A}]
`))
	if err != nil {
		t.Fatalf("Parse = %v", err)
	}
	want := []any{nil, int64(3), "b", true}
	for i, f := range m.Features {
		if f.Required || f.Default != want[i] {
			t.Errorf("feature %s: required, default = %v, %#v; want false, %#v", f.Name, f.Required, f.Default, want[i])
		}
	}
	if m.Labels[0].Class != "a" {
		t.Errorf("class = %q; want a", m.Labels[0].Class)
	}
}

func loadModel(t testing.TB, name string) *onnx.Model {
	t.Helper()
	m, err := onnx.LoadFile("../../testdata/models/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const toyLabel = `
name: toy
version: v1
input: float_input
features:
  - {name: p_no, type: number}
  - {name: p_yes, type: number}
  - {name: label, type: integer, input: label}
outputs: {label: label}
labels:
  - {class: 1, label: "yes"}
  - {class: 0, label: "no"}
`

func TestBind(t *testing.T) {
	const toy = `
name: toy
version: v1
features:
  - {name: p_no, type: number, minimum: 0, maximum: 1}
  - {name: p_yes, type: number, minimum: 0, maximum: 1}
labels:
  - {class: 1, label: "yes"}
  - {class: 0, label: "no"}
`
	tests := []struct {
		name, model, yaml, want string
	}{
		{"toy", "toy.onnx", toy, ""},
		{"string classes", "toy_str.onnx", `
name: s
version: v1
features: [{name: a, type: number}, {name: b, type: number}, {name: c, type: boolean}]
labels: [{class: c, label: C}, {class: a, label: A}, {class: b, label: B}]
`, ""},
		{"unfed input", "toy_label.onnx", toy + "input: float_input\n", `no feature feeds model input "label"`},
		{"too few features", "toy.onnx", strings.Replace(toy, "  - {name: p_yes, type: number, minimum: 0, maximum: 1}\n", "", 1), "takes 2 features, the manifest gives it 1"},
		{"wrong input name", "toy.onnx", toy + "input: x\n", `no input "x"`},
		{"string feature on float input", "toy.onnx", strings.Replace(toy, "{name: p_yes, type: number, minimum: 0, maximum: 1}", "{name: p_yes, type: string}", 1), "cannot feed input"},
		{"too few labels", "toy.onnx", strings.Replace(toy, "  - {class: 0, label: \"no\"}\n", "", 1), "has 2 classes [0 1], the manifest labels 1"},
		{"unknown class", "toy.onnx", strings.Replace(toy, "class: 0", "class: 7", 1), "class 0, which the manifest does not label"},
		{"unknown output", "toy.onnx", toy + "outputs: {label: nope}\n", `no output "nope"`},
		{"label output", "toy_label.onnx", toyLabel, ""},
		{"string class for int64 labels", "toy_label.onnx", strings.Replace(toyLabel, "class: 0,", "class: zero,", 1), "does not label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			_, err = m.Bind(loadModel(t, tt.model))
			if tt.want == "" && err != nil {
				t.Errorf("Bind = %v; want nil", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Bind = %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

// FuzzParse checks that no manifest makes Parse panic, and that what it
// accepts is consistent.
func FuzzParse(f *testing.F) {
	data, err := models.FS.ReadFile(models.Default)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(minimal))
	f.Add([]byte("name: m\nversion: v\nfeatures: [{name: s, type: string, enum: [a], required: false, default: a}]\nlabels: [{class: x, label: y}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		if m.Name == "" || m.Version == "" || len(m.Features) == 0 || len(m.Labels) == 0 {
			t.Fatalf("Parse(%q) accepted an incomplete manifest: %+v", data, m)
		}
		for _, f := range m.Features {
			if f.Minimum != nil && f.Maximum != nil && *f.Minimum > *f.Maximum {
				t.Fatalf("Parse(%q) accepted %s with minimum above maximum", data, f.Name)
			}
		}
	})
}
