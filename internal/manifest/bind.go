package manifest

import (
	"fmt"
	"math"
	"strconv"

	"github.com/tabserve/tabserve/internal/onnx"
)

// A Binding is a manifest fitted to its ONNX model: which input tensor and
// column each feature fills, and how the model's outputs map to labels.
// It is immutable and safe for concurrent use; requests are decoded with
// a Batch from NewBatch.
type Binding struct {
	Manifest *Manifest
	Model    *onnx.Model

	index    map[string]int // feature name → index in Manifest.Features
	inputs   []inputPlan    // in the order of Model.Inputs
	feat     []featPlan     // per feature
	strings  bool           // some feature is a string
	labelOut int            // output holding the predicted class, or -1
	probOut  int            // output holding class probabilities
	mapsOut  bool           // probOut is ZipMap's sequence of maps
	colLabel []int          // probability column → index in Manifest.Labels
	classInt map[int64]int  // class of an int64 label output → label index
	classStr map[string]int // class of a string label output → label index
}

type inputPlan struct {
	name string
	typ  onnx.DataType
	cols []int // feature indices, in column order
}

type featPlan struct {
	input    int     // index into inputs
	col      int     // column within the input
	min, max *Bound  // the manifest's bounds, or nil
	lim      limit   // what the input holds, for numbers and integers
	numeric  bool    // lim applies
	def      float64 // value of an absent optional number, integer or boolean
	defStr   string  // value of an absent optional string
}

// Bind checks that the manifest fits the model and prepares decoding:
// every model input is fed by features of matching types, each input's
// column count matches its shape, and the labels name exactly the classes
// of the model's outputs.
func (m *Manifest) Bind(model *onnx.Model) (*Binding, error) {
	b, err := m.bindInputs(model.Inputs())
	if err != nil {
		return nil, err
	}
	b.Model = model
	if err := b.bindOutputs(); err != nil {
		return nil, err
	}
	return b, nil
}

// bindInputs maps the features to the model's inputs.
func (m *Manifest) bindInputs(inputs []onnx.ValueInfo) (*Binding, error) {
	b := &Binding{Manifest: m, index: map[string]int{}, labelOut: -1, probOut: -1}
	for i, f := range m.Features {
		b.index[f.Name] = i
	}
	inputIndex := map[string]int{}
	for i, in := range inputs {
		inputIndex[in.Name] = i
		b.inputs = append(b.inputs, inputPlan{name: in.Name, typ: in.Type.Elem})
	}
	defInput := m.Input
	if defInput == "" && len(b.inputs) == 1 {
		defInput = b.inputs[0].name
	}
	b.feat = make([]featPlan, len(m.Features))
	for i, f := range m.Features {
		name := f.Input
		if name == "" {
			name = defInput
		}
		if name == "" {
			return nil, fmt.Errorf("feature %q: the model has %d inputs; name the one it feeds", f.Name, len(b.inputs))
		}
		k, ok := inputIndex[name]
		if !ok {
			return nil, fmt.Errorf("feature %q: the model has no input %q", f.Name, name)
		}
		in := &b.inputs[k]
		if !fits(f.Type, in.typ) {
			return nil, fmt.Errorf("feature %q is a %s; it cannot feed input %q of type %v", f.Name, f.Type, in.name, in.typ)
		}
		fp := featPlan{input: k, col: len(in.cols)}
		fp.lim, fp.numeric = inputLimit(f.Type, in.typ)
		if f.Minimum != nil {
			b := newBound(*f.Minimum)
			fp.min = &b
		}
		if f.Maximum != nil {
			b := newBound(*f.Maximum)
			fp.max = &b
		}
		switch d := f.Default.(type) {
		case nil:
			if f.Required {
				break
			}
			if in.typ == onnx.String {
				return nil, fmt.Errorf("feature %q is optional without a default, and string input %q cannot hold a missing value", f.Name, in.name)
			}
			if in.typ != onnx.Float32 && in.typ != onnx.Float64 {
				return nil, fmt.Errorf("feature %q is optional without a default, and %v input %q cannot hold a missing value (NaN)", f.Name, in.typ, in.name)
			}
			fp.def = math.NaN()
		case float64:
			fp.def = d
		case int64:
			fp.def = float64(d)
		case bool:
			if d {
				fp.def = 1
			}
		case string:
			fp.defStr = d
		}
		if fp.numeric && f.Default != nil && (fp.def < fp.lim.lo.Value || fp.def > fp.lim.hi.Value) {
			return nil, fmt.Errorf("feature %q: default %v is out of range for %v input %q", f.Name, fp.def, in.typ, in.name)
		}
		if f.Type == String {
			b.strings = true
		}
		in.cols = append(in.cols, i)
		b.feat[i] = fp
	}
	for _, in := range inputs {
		plan := b.inputs[inputIndex[in.Name]]
		if len(plan.cols) == 0 {
			return nil, fmt.Errorf("no feature feeds model input %q", in.Name)
		}
		if err := checkInputShape(in, len(plan.cols)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// fits reports whether a feature of type t can fill a tensor of type dt.
func fits(t Type, dt onnx.DataType) bool {
	switch dt {
	case onnx.Float32, onnx.Float64:
		return t == Number || t == Integer || t == Boolean
	case onnx.Int64, onnx.Int32:
		return t == Integer || t == Boolean
	case onnx.Bool:
		return t == Boolean
	case onnx.String:
		return t == String
	}
	return false
}

func checkInputShape(in onnx.ValueInfo, cols int) error {
	t := in.Type
	if !t.HasShape {
		return nil
	}
	if len(t.Shape) != 2 {
		return fmt.Errorf("model input %q has shape %v; want [batch, features]", in.Name, t)
	}
	if t.Shape[0] >= 0 {
		return fmt.Errorf("model input %q has a fixed batch size %d; want a dynamic one", in.Name, t.Shape[0])
	}
	if t.Shape[1] >= 0 && t.Shape[1] != cols {
		return fmt.Errorf("model input %q takes %d features, the manifest gives it %d", in.Name, t.Shape[1], cols)
	}
	return nil
}

func (b *Binding) bindOutputs() error {
	m, outs := b.Manifest, b.Model.Outputs()
	find := func(name string) (int, error) {
		for i, o := range outs {
			if o.Name == name {
				return i, nil
			}
		}
		return -1, fmt.Errorf("the model has no output %q", name)
	}
	var err error
	if m.Outputs.Probabilities != "" {
		if b.probOut, err = find(m.Outputs.Probabilities); err != nil {
			return err
		}
	} else {
		for i, o := range outs {
			if o.Type.Kind == "seq(map)" {
				b.probOut = i
				break
			}
		}
		if b.probOut < 0 {
			for i, o := range outs {
				if o.Type.Kind == "tensor" && o.Type.Elem == onnx.Float32 && len(o.Type.Shape) == 2 {
					b.probOut = i
					break
				}
			}
		}
		if b.probOut < 0 {
			return fmt.Errorf("the model has no probability output (a ZipMap or a float32 [N, classes] tensor)")
		}
	}
	if m.Outputs.Label != "" {
		if b.labelOut, err = find(m.Outputs.Label); err != nil {
			return err
		}
	} else {
		for i, o := range outs {
			if i != b.probOut && o.Type.Kind == "tensor" && (o.Type.Elem == onnx.Int64 || o.Type.Elem == onnx.String) {
				b.labelOut = i
				break
			}
		}
	}

	// Probability columns and their classes.
	byClass := map[string]int{}
	for i, l := range m.Labels {
		byClass[l.Class] = i
	}
	po := outs[b.probOut]
	switch {
	case po.Type.Kind == "seq(map)":
		b.mapsOut = true
		keys := b.Model.OutputKeys(b.probOut)
		if keys == nil {
			return fmt.Errorf("output %q: no class labels", po.Name)
		}
		classes := classStrings(keys)
		if len(classes) != len(m.Labels) {
			return fmt.Errorf("output %q has %d classes %v, the manifest labels %d", po.Name, len(classes), classes, len(m.Labels))
		}
		for _, c := range classes {
			k, ok := byClass[c]
			if !ok {
				return fmt.Errorf("output %q has class %s, which the manifest does not label", po.Name, c)
			}
			b.colLabel = append(b.colLabel, k)
		}
	case po.Type.Kind == "tensor" && po.Type.Elem == onnx.Float32:
		if po.Type.HasShape && (len(po.Type.Shape) != 2 || (po.Type.Shape[1] >= 0 && po.Type.Shape[1] != len(m.Labels))) {
			return fmt.Errorf("output %q has shape %v; want [N, %d] for the manifest's %d labels", po.Name, po.Type, len(m.Labels), len(m.Labels))
		}
		// Without ZipMap the columns follow the classes in the manifest's order.
		for i := range m.Labels {
			b.colLabel = append(b.colLabel, i)
		}
	default:
		return fmt.Errorf("output %q has type %v; want a ZipMap or a float32 [N, classes] tensor", po.Name, po.Type)
	}

	if b.labelOut >= 0 {
		lo := outs[b.labelOut]
		if lo.Type.Kind != "tensor" {
			return fmt.Errorf("label output %q has type %v; want an int64 or string tensor", lo.Name, lo.Type)
		}
		switch lo.Type.Elem {
		case onnx.Int64:
			b.classInt = map[int64]int{}
			for i, l := range m.Labels {
				v, err := strconv.ParseInt(l.Class, 10, 64)
				if err != nil {
					return fmt.Errorf("label output %q holds int64 classes; class %q is not one", lo.Name, l.Class)
				}
				b.classInt[v] = i
			}
		case onnx.String:
			b.classStr = map[string]int{}
			for i, l := range m.Labels {
				b.classStr[l.Class] = i
			}
		default:
			return fmt.Errorf("label output %q has type %v; want an int64 or string tensor", lo.Name, lo.Type)
		}
	}
	return nil
}

func classStrings(keys *onnx.Tensor) []string {
	var out []string
	switch keys.Type {
	case onnx.Int64:
		for _, k := range keys.Int64 {
			out = append(out, strconv.FormatInt(k, 10))
		}
	case onnx.String:
		out = append(out, keys.String...)
	}
	return out
}

// Range returns the inclusive bounds of numeric feature k's values: the
// manifest's minimum and maximum, narrowed to what the model input it
// feeds holds (float32's range, int32's, and for integers the range in
// which a float64 holds every integer). ok is false for strings and
// booleans. Requests are checked against exactly these bounds: JSON
// numbers as the float64 they denote, numeric strings as written.
func (b *Binding) Range(k int) (lo, hi Bound, ok bool) {
	p := &b.feat[k]
	if !p.numeric {
		return Bound{}, Bound{}, false
	}
	lo, hi = p.lim.lo, p.lim.hi
	if p.min != nil && p.min.Value > lo.Value {
		lo = *p.min
	}
	if p.max != nil && p.max.Value < hi.Value {
		hi = *p.max
	}
	return lo, hi, true
}

// check returns the problem with value x of feature k, or "". text, for a
// numeric string, is the plain decimal x was read from: its value is
// checked exactly as written.
func (b *Binding) check(k int, x float64, text []byte) string {
	f := &b.Manifest.Features[k]
	p := &b.feat[k]
	if f.Type == Integer {
		if text != nil && !integralDecimal(text) || text == nil && x != math.Trunc(x) {
			return msgInteger
		}
	}
	if p.min != nil && below(x, text, p.min) {
		return "must be >= " + formatBound(p.min.Value)
	}
	if p.max != nil && above(x, text, p.max) {
		return "must be <= " + formatBound(p.max.Value)
	}
	if p.numeric && (below(x, text, &p.lim.lo) || above(x, text, &p.lim.hi)) {
		return p.lim.msg
	}
	return ""
}

// Features returns the number of features.
func (b *Binding) Features() int { return len(b.Manifest.Features) }

// Labels returns the number of labels (classes).
func (b *Binding) Labels() int { return len(b.Manifest.Labels) }
