// Package manifest reads a model's manifest, the YAML file beside an ONNX
// model that names its features, their types and ranges, and the labels of
// its classes, and checks requests against it.
//
// A manifest is the single source of truth for a served model's request
// schema: Parse checks it on its own, Bind checks that it fits the ONNX
// model and prepares the request decoder, and the API documentation is
// generated from the same values.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Type is a feature's JSON type.
type Type string

// The feature types.
const (
	Number  Type = "number"
	Integer Type = "integer"
	String  Type = "string"
	Boolean Type = "boolean"
)

// maxSafeInteger is the largest integer a float64 holds exactly (2^53).
const maxSafeInteger = 1 << 53

// A Manifest describes a served model.
type Manifest struct {
	// Name names the model in URLs; it is made of letters, digits, '_',
	// '-' and '.'.
	Name string
	// Version is the model's version, with the same characters as Name.
	Version     string
	Description string
	// Model is the ONNX file's name, relative to the manifest; empty means
	// the manifest's own name with the extension .onnx.
	Model string
	// Input is the ONNX input that features feed unless they name another.
	// Empty means the model's only input.
	Input    string
	Features []Feature
	// Outputs names the ONNX outputs holding labels and probabilities;
	// empty names are found from the model.
	Outputs Outputs
	// Labels maps each class of the model to the label clients see, in
	// the order responses list them.
	Labels []Label
}

// A Feature is one field of a prediction request.
type Feature struct {
	Name        string
	Type        Type
	Required    bool
	Minimum     *float64
	Maximum     *float64
	Enum        []string
	Description string
	// Example is a valid value: float64 for numbers, int64 for integers,
	// string or bool. Nil when the manifest gives none.
	Example any
	// Default is the value of an absent optional feature, typed as
	// Example. Nil means a missing value (NaN), which only floating-point
	// inputs can hold.
	Default any
	// Input is the ONNX input this feature feeds (the manifest's Input
	// when empty).
	Input string
}

// Outputs names the model outputs a prediction reads.
type Outputs struct {
	Label         string
	Probabilities string
}

// A Label maps a model class (an integer or string as the model writes
// it) to the label clients see.
type Label struct {
	Class string
	Label string
}

// The YAML shapes, before checking.
type rawManifest struct {
	Name        string       `yaml:"name"`
	Version     string       `yaml:"version"`
	Description string       `yaml:"description"`
	Model       string       `yaml:"model"`
	Input       string       `yaml:"input"`
	Features    []rawFeature `yaml:"features"`
	Outputs     struct {
		Label         string `yaml:"label"`
		Probabilities string `yaml:"probabilities"`
	} `yaml:"outputs"`
	Labels []struct {
		Class yaml.Node `yaml:"class"`
		Label string    `yaml:"label"`
	} `yaml:"labels"`
}

type rawFeature struct {
	Name        string    `yaml:"name"`
	Type        string    `yaml:"type"`
	Required    *bool     `yaml:"required"`
	Minimum     *float64  `yaml:"minimum"`
	Maximum     *float64  `yaml:"maximum"`
	Enum        []string  `yaml:"enum"`
	Description string    `yaml:"description"`
	Example     yaml.Node `yaml:"example"`
	Default     yaml.Node `yaml:"default"`
	Input       string    `yaml:"input"`
}

// Parse reads a manifest and checks it on its own: names, types, bounds,
// enums, examples and defaults, and labels. Unknown keys are errors, so a
// misspelt "minimum" cannot silently drop a check.
func Parse(data []byte) (*Manifest, error) {
	var raw rawManifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m := &Manifest{
		Name: raw.Name, Version: raw.Version, Description: raw.Description,
		Model: raw.Model, Input: raw.Input,
		Outputs: Outputs{Label: raw.Outputs.Label, Probabilities: raw.Outputs.Probabilities},
	}
	if err := checkName("name", m.Name); err != nil {
		return nil, err
	}
	if err := checkName("version", m.Version); err != nil {
		return nil, err
	}
	if len(raw.Features) == 0 {
		return nil, errors.New("manifest: no features")
	}
	seen := map[string]bool{}
	for i, rf := range raw.Features {
		f, err := parseFeature(rf)
		if err != nil {
			if rf.Name != "" {
				return nil, fmt.Errorf("manifest: feature %q: %w", rf.Name, err)
			}
			return nil, fmt.Errorf("manifest: feature %d: %w", i+1, err)
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("manifest: feature %q is listed twice", f.Name)
		}
		seen[f.Name] = true
		m.Features = append(m.Features, f)
	}
	if len(raw.Labels) == 0 {
		return nil, errors.New("manifest: no labels")
	}
	classes, labels := map[string]bool{}, map[string]bool{}
	for i, rl := range raw.Labels {
		if rl.Class.Kind != yaml.ScalarNode || (rl.Class.ShortTag() != "!!int" && rl.Class.ShortTag() != "!!str") {
			return nil, fmt.Errorf("manifest: label %d: class must be an integer or a string", i+1)
		}
		l := Label{Class: rl.Class.Value, Label: rl.Label}
		if rl.Class.ShortTag() == "!!int" {
			v, err := strconv.ParseInt(rl.Class.Value, 0, 64)
			if err != nil {
				return nil, fmt.Errorf("manifest: label %d: class %s is not an int64", i+1, rl.Class.Value)
			}
			l.Class = strconv.FormatInt(v, 10)
		}
		if l.Label == "" {
			return nil, fmt.Errorf("manifest: label %d: empty label", i+1)
		}
		if classes[l.Class] {
			return nil, fmt.Errorf("manifest: class %s is labelled twice", l.Class)
		}
		if labels[l.Label] {
			return nil, fmt.Errorf("manifest: label %q is given to two classes", l.Label)
		}
		classes[l.Class], labels[l.Label] = true, true
		m.Labels = append(m.Labels, l)
	}
	return m, nil
}

func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("manifest: missing %s", what)
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return fmt.Errorf("manifest: %s %q: only letters, digits, '_', '-' and '.' are allowed", what, s)
		}
	}
	return nil
}

func parseFeature(rf rawFeature) (Feature, error) {
	f := Feature{
		Name: rf.Name, Type: Type(rf.Type), Required: true,
		Minimum: rf.Minimum, Maximum: rf.Maximum, Enum: rf.Enum,
		Description: rf.Description, Input: rf.Input,
	}
	if f.Name == "" {
		return f, errors.New("missing name")
	}
	if rf.Required != nil {
		f.Required = *rf.Required
	}
	switch f.Type {
	case Number, Integer:
		if f.Enum != nil {
			return f, fmt.Errorf("enum is only for strings")
		}
		for _, b := range []*float64{f.Minimum, f.Maximum} {
			if b == nil {
				continue
			}
			if math.IsNaN(*b) || math.IsInf(*b, 0) {
				return f, errors.New("bounds must be finite")
			}
			if f.Type == Integer && (*b != math.Trunc(*b) || math.Abs(*b) > maxSafeInteger) {
				return f, fmt.Errorf("bound %v of an integer feature is not an integer", *b)
			}
		}
		if f.Minimum != nil && f.Maximum != nil && *f.Minimum > *f.Maximum {
			return f, fmt.Errorf("minimum %v is above maximum %v", *f.Minimum, *f.Maximum)
		}
	case String, Boolean:
		if f.Minimum != nil || f.Maximum != nil {
			return f, fmt.Errorf("minimum and maximum are only for numbers and integers")
		}
		if f.Type == Boolean && f.Enum != nil {
			return f, fmt.Errorf("enum is only for strings")
		}
		if f.Enum != nil && len(f.Enum) == 0 {
			return f, errors.New("empty enum")
		}
	case "":
		return f, errors.New("missing type")
	default:
		return f, fmt.Errorf("unknown type %q (want number, integer, string or boolean)", rf.Type)
	}
	var err error
	if f.Example, err = f.scalar(&rf.Example); err != nil {
		return f, fmt.Errorf("example: %w", err)
	}
	if f.Default, err = f.scalar(&rf.Default); err != nil {
		return f, fmt.Errorf("default: %w", err)
	}
	if f.Default != nil && f.Required {
		return f, errors.New("a required feature has no default")
	}
	return f, nil
}

// scalar reads a YAML example or default as a value of the feature's type
// and checks it against the feature's rules. A missing node gives nil.
func (f *Feature) scalar(n *yaml.Node) (any, error) {
	if n.Kind == 0 {
		return nil, nil
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return nil, fmt.Errorf("must be a %s", f.Type)
	}
	var v any
	switch f.Type {
	case Number, Integer:
		if n.ShortTag() != "!!int" && n.ShortTag() != "!!float" {
			return nil, fmt.Errorf("must be a %s", f.Type)
		}
		var x float64
		if err := n.Decode(&x); err != nil {
			return nil, fmt.Errorf("must be a %s", f.Type)
		}
		if msg := f.checkNumber(x); msg != "" {
			return nil, errors.New(msg)
		}
		v = x
		if f.Type == Integer {
			v = int64(x)
		}
	case String:
		if n.ShortTag() != "!!str" {
			return nil, errors.New("must be a string (quote it)")
		}
		if msg := f.checkString(n.Value); msg != "" {
			return nil, errors.New(msg)
		}
		v = n.Value
	case Boolean:
		var b bool
		if n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			return nil, errors.New("must be true or false")
		}
		v = b
	}
	return v, nil
}

// checkNumber returns the problem with a finite number for this feature,
// or "".
func (f *Feature) checkNumber(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return msgFinite
	}
	if f.Type == Integer && x != math.Trunc(x) {
		return msgInteger
	}
	if f.Minimum != nil && x < *f.Minimum {
		return "must be >= " + formatBound(*f.Minimum)
	}
	if f.Maximum != nil && x > *f.Maximum {
		return "must be <= " + formatBound(*f.Maximum)
	}
	if f.Type == Integer && math.Abs(x) > maxSafeInteger {
		return msgUnsafe
	}
	return ""
}

// checkString returns the problem with a string for this feature, or "".
func (f *Feature) checkString(s string) string {
	if f.Enum == nil {
		return ""
	}
	for _, e := range f.Enum {
		if s == e {
			return ""
		}
	}
	return "must be one of " + formatEnum(f.Enum)
}

func formatBound(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func formatEnum(enum []string) string {
	q := make([]string, len(enum))
	for i, e := range enum {
		q[i] = strconv.Quote(e)
	}
	return strings.Join(q, ", ")
}

// Messages for field errors.
const (
	msgRequired = "field is required"
	msgFinite   = "must be a finite number"
	msgInteger  = "must be an integer"
	msgNumber   = "must be a number"
	msgString   = "must be a string"
	msgBoolean  = "must be a boolean"
	msgTwice    = "field is given more than once"
	msgRange32  = "must be at most 3.4028234663852886e+38 in magnitude"
	msgRange64  = "must be at most 1.7976931348623157e+308 in magnitude"
	msgUnsafe   = "must be an integer between -9007199254740992 and 9007199254740992"
	msgInt32    = "must be an integer between -2147483648 and 2147483647"
	msgExponent = "must be in plain decimal notation when given as a string, such as \"720\""
)
