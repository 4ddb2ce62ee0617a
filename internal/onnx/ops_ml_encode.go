package onnx

import (
	"context"
	"fmt"
	"math"
)

// oneHotEncoder is OneHotEncoder (ai.onnx.ml v1): Y = X.shape + [C], one
// 1 per element at its category's index. Numeric input is truncated to
// int64 first (NaN and out-of-range values become math.MinInt64, as on
// x86); an element whose category is unknown gives zeros, or an error
// when zeros is 0. As in onnxruntime, a later duplicate category wins, and
// input of the other kind than the categories (strings against integers)
// is unknown throughout.
type oneHotEncoder struct {
	ints  map[int64]int
	strs  map[string]int
	n     int
	zeros bool
}

func buildOneHotEncoder(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	a := n.attr
	ints, strs := a.ints("cats_int64s"), a.strings("cats_strings")
	zeros := a.int("zeros", 1)
	if a.err != nil {
		return nil, a.err
	}
	if a.has("cats_int64s") == a.has("cats_strings") {
		return nil, fmt.Errorf("exactly one of cats_int64s and cats_strings must be given")
	}
	if err := checkInType(n, 0, Int64, Float32, Float64, String); err != nil {
		return nil, fmt.Errorf("%w (onnxruntime's OneHotEncoder takes no int32)", err)
	}
	k := &oneHotEncoder{zeros: zeros != 0}
	if len(ints) > 0 {
		k.n = len(ints)
		k.ints = make(map[int64]int, len(ints))
		for i, c := range ints {
			k.ints[c] = i
		}
	} else {
		k.n = len(strs)
		k.strs = make(map[string]int, len(strs))
		for i, c := range strs {
			k.strs[c] = i
		}
	}
	if k.n == 0 {
		return nil, fmt.Errorf("the category list is empty")
	}
	n.outTypes = []DataType{Float32}
	return k, nil
}

func (k *oneHotEncoder) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	size := x.Len()
	if size > maxElements/k.n {
		return fmt.Errorf("output of %d×%d values is too large", size, k.n)
	}
	y := out[0]
	shape := append(append(make([]int, 0, len(x.Shape)+1), x.Shape...), k.n)
	y.reset(Float32, shape)
	clear(y.Float32)
	for i := range size {
		idx, ok := -1, false
		switch x.Type {
		case String:
			idx, ok = k.strs[x.String[i]]
		case Int64:
			idx, ok = k.ints[x.Int64[i]]
		case Float32:
			idx, ok = k.ints[truncInt64(float64(x.Float32[i]))]
		case Float64:
			idx, ok = k.ints[truncInt64(x.Float64[i])]
		default:
			return fmt.Errorf("input has type %v, want int64, float32, float64 or string", x.Type)
		}
		switch {
		case ok:
			y.Float32[i*k.n+idx] = 1
		case !k.zeros:
			return fmt.Errorf("element %d is an unknown category (and zeros is 0)", i)
		}
	}
	return nil
}

// categoryMapper is CategoryMapper (ai.onnx.ml v1): strings to int64 and
// int64 to strings through the paired lists cats_strings and cats_int64s
// (a later duplicate wins), with default_int64 and default_string for
// the rest.
type categoryMapper struct {
	toInt    map[string]int64
	toString map[int64]string
	defInt   int64
	defStr   string
}

func buildCategoryMapper(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	a := n.attr
	a.required("cats_strings", "cats_int64s")
	strs, ints := a.strings("cats_strings"), a.ints("cats_int64s")
	k := &categoryMapper{defInt: a.int("default_int64", -1), defStr: a.string("default_string", "_Unused")}
	if a.err != nil {
		return nil, a.err
	}
	if len(strs) != len(ints) {
		return nil, fmt.Errorf("cats_strings has %d values and cats_int64s %d; want the same number", len(strs), len(ints))
	}
	if err := checkInType(n, 0, String, Int64); err != nil {
		return nil, err
	}
	k.toInt = make(map[string]int64, len(strs))
	k.toString = make(map[int64]string, len(ints))
	for i, s := range strs {
		k.toInt[s] = ints[i]
		k.toString[ints[i]] = s
	}
	switch n.inType(0) {
	case String:
		n.outTypes = []DataType{Int64}
	case Int64:
		n.outTypes = []DataType{String}
	}
	return k, nil
}

func (k *categoryMapper) run(_ context.Context, in, out []*Tensor) error {
	return mapLabels(in[0], out[0], k.toInt, k.toString, k.defInt, k.defStr)
}

// mapLabels maps string input to int64 output through toInt and int64
// input to string output through toString.
func mapLabels(x, y *Tensor, toInt map[string]int64, toString map[int64]string, defInt int64, defStr string) error {
	switch x.Type {
	case String:
		y.reset(Int64, x.Shape)
		for i, s := range x.String {
			v, ok := toInt[s]
			if !ok {
				v = defInt
			}
			y.Int64[i] = v
		}
	case Int64:
		y.reset(String, x.Shape)
		for i, c := range x.Int64 {
			s, ok := toString[c]
			if !ok {
				s = defStr
			}
			y.String[i] = s
		}
	default:
		return fmt.Errorf("input has type %v, want string or int64", x.Type)
	}
	return nil
}

// labelEncoderV1 is LabelEncoder version 1: classes_strings[i] ↔ i.
type labelEncoderV1 struct {
	toInt    map[string]int64
	toString map[int64]string
	defInt   int64
	defStr   string
}

func (k *labelEncoderV1) run(_ context.Context, in, out []*Tensor) error {
	return mapLabels(in[0], out[0], k.toInt, k.toString, k.defInt, k.defStr)
}

func buildLabelEncoder(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	if n.version == 1 {
		return buildLabelEncoderV1(n)
	}
	return buildLabelEncoderV2(n)
}

func buildLabelEncoderV1(n *node) (kernel, error) {
	a := n.attr
	a.required("classes_strings")
	classes := a.strings("classes_strings")
	k := &labelEncoderV1{defInt: a.int("default_int64", -1), defStr: a.string("default_string", "_Unused")}
	if a.err != nil {
		return nil, a.err
	}
	if err := checkInType(n, 0, String, Int64); err != nil {
		return nil, err
	}
	k.toInt = make(map[string]int64, len(classes))
	k.toString = make(map[int64]string, len(classes))
	for i, c := range classes {
		k.toInt[c] = int64(i)
		k.toString[int64(i)] = c
	}
	switch n.inType(0) {
	case String:
		n.outTypes = []DataType{Int64}
	case Int64:
		n.outTypes = []DataType{String}
	}
	return k, nil
}

// labelEncoder is LabelEncoder versions 2 and 4: keys map to values, the
// first of duplicate keys winning, and the rest to a default. Float keys
// compare as numbers (0 matches -0); NaN keys match NaN input from
// version 4 on and never before.
type labelEncoder[K comparable, V any] struct {
	m   map[K]V
	def V
	// nan is the value for NaN input, when a NaN key maps one (version 4).
	nan    *V
	in     DataType
	out    DataType
	keys   func(*Tensor) []K
	values func(*Tensor) []V
	isNaN  func(K) bool
}

func (k *labelEncoder[K, V]) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if x.Type != k.in {
		return fmt.Errorf("input has type %v, want %v (the keys' type)", x.Type, k.in)
	}
	y := out[0]
	y.reset(k.out, x.Shape)
	keys, values := k.keys(x), k.values(y)
	for i, key := range keys {
		v, ok := k.m[key]
		if !ok {
			v = k.def
			if k.nan != nil && k.isNaN(key) {
				v = *k.nan
			}
		}
		values[i] = v
	}
	return nil
}

// The attribute names of LabelEncoder's key and value lists per element
// type.
var (
	labelKeyAttrs   = map[DataType]string{String: "keys_strings", Int64: "keys_int64s", Float32: "keys_floats"}
	labelValueAttrs = map[DataType]string{String: "values_strings", Int64: "values_int64s", Float32: "values_floats"}
)

// labelList reads one of a LabelEncoder's key or value lists: the attribute
// listName of kind typ, or (version 4) the 1-D tensor attribute tensorName.
// It returns the list as a tensor; exactly one of the candidates may be set.
func labelList(n *node, kind string, tensorName string) (*Tensor, error) {
	a := n.attr
	var found []string
	for _, typ := range []DataType{String, Int64, Float32} {
		names := labelKeyAttrs
		if kind == "values" {
			names = labelValueAttrs
		}
		if a.has(names[typ]) {
			found = append(found, names[typ])
		}
	}
	if n.version >= 4 && a.has(tensorName) {
		found = append(found, tensorName)
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("want exactly one %s attribute, found %d %v", kind, len(found), found)
	}
	switch name := found[0]; name {
	case "keys_strings", "values_strings":
		l := a.strings(name)
		return NewString(l, len(l)), nil
	case "keys_int64s", "values_int64s":
		l := a.ints(name)
		return NewInt64(l, len(l)), nil
	case "keys_floats", "values_floats":
		l := a.floats(name)
		return NewFloat32(l, len(l)), nil
	}
	t := a.tensor(tensorName)
	if a.err != nil {
		return nil, a.err
	}
	if len(t.Shape) != 1 {
		return nil, fmt.Errorf("attribute %s has shape %v, want a 1-D tensor", tensorName, t.Shape)
	}
	if t.Type == Bool || t.Type == Int32 {
		return nil, fmt.Errorf("attribute %s has type %v, which LabelEncoder does not map", tensorName, t.Type)
	}
	return t, nil
}

func buildLabelEncoderV2(n *node) (kernel, error) {
	keys, err := labelList(n, "keys", "keys_tensor")
	if err != nil {
		return nil, err
	}
	values, err := labelList(n, "values", "values_tensor")
	if err != nil {
		return nil, err
	}
	if n.attr.err != nil {
		return nil, n.attr.err
	}
	if keys.Len() != values.Len() {
		return nil, fmt.Errorf("%d keys but %d values", keys.Len(), values.Len())
	}
	if keys.Len() == 0 {
		return nil, fmt.Errorf("the key list is empty")
	}
	if (keys.Type == Float32 && values.Type == Float64) || (keys.Type == Float64 && values.Type == Float32) {
		return nil, fmt.Errorf("keys of type %v with values of type %v: onnxruntime has no such LabelEncoder", keys.Type, values.Type)
	}
	if t := n.inType(0); t != Undefined && t != keys.Type {
		return nil, fmt.Errorf("input has type %v but the keys are %v", t, keys.Type)
	}
	n.outTypes = []DataType{values.Type}
	switch keys.Type {
	case String:
		return newLabelEncoder(n, String, keys.String, func(t *Tensor) []string { return t.String }, nil, values)
	case Int64:
		return newLabelEncoder(n, Int64, keys.Int64, func(t *Tensor) []int64 { return t.Int64 }, nil, values)
	case Float32:
		return newLabelEncoder(n, Float32, keys.Float32, func(t *Tensor) []float32 { return t.Float32 }, func(v float32) bool { return v != v }, values)
	case Float64:
		return newLabelEncoder(n, Float64, keys.Float64, func(t *Tensor) []float64 { return t.Float64 }, func(v float64) bool { return v != v }, values)
	}
	return nil, fmt.Errorf("keys of type %v are not supported", keys.Type)
}

// newLabelEncoder finishes building a LabelEncoder with keys of type K by
// dispatching on the values' type.
func newLabelEncoder[K comparable](n *node, in DataType, keys []K, get func(*Tensor) []K, isNaN func(K) bool, values *Tensor) (kernel, error) {
	switch values.Type {
	case String:
		def, err := labelDefault(n, String, "_Unused")
		if err != nil {
			return nil, err
		}
		return fillLabelEncoder(n, keys, get, isNaN, in, String, values.String, func(t *Tensor) []string { return t.String }, def.String[0])
	case Int64:
		def, err := labelDefault(n, Int64, int64(-1))
		if err != nil {
			return nil, err
		}
		return fillLabelEncoder(n, keys, get, isNaN, in, Int64, values.Int64, func(t *Tensor) []int64 { return t.Int64 }, def.Int64[0])
	case Float32:
		def, err := labelDefault(n, Float32, float32(math.Copysign(0, -1)))
		if err != nil {
			return nil, err
		}
		return fillLabelEncoder(n, keys, get, isNaN, in, Float32, values.Float32, func(t *Tensor) []float32 { return t.Float32 }, def.Float32[0])
	case Float64:
		def, err := labelDefault(n, Float64, math.Copysign(0, -1))
		if err != nil {
			return nil, err
		}
		return fillLabelEncoder(n, keys, get, isNaN, in, Float64, values.Float64, func(t *Tensor) []float64 { return t.Float64 }, def.Float64[0])
	}
	return nil, fmt.Errorf("values of type %v are not supported", values.Type)
}

// labelDefault reads the default value for values of type typ: from
// default_tensor (version 4), else from the default_* attribute of that
// type (onnxruntime reads none for float64 values), else fallback.
func labelDefault(n *node, typ DataType, fallback any) (*Tensor, error) {
	a := n.attr
	if n.version >= 4 && a.has("default_tensor") {
		t := a.tensor("default_tensor")
		if a.err != nil {
			return nil, a.err
		}
		if len(t.Shape) != 1 || t.Len() != 1 {
			return nil, fmt.Errorf("attribute default_tensor has shape %v, want [1]", t.Shape)
		}
		if t.Type != typ {
			return nil, fmt.Errorf("attribute default_tensor has type %v, the values %v", t.Type, typ)
		}
		return t, nil
	}
	switch typ {
	case String:
		return NewString([]string{a.string("default_string", fallback.(string))}, 1), a.err
	case Int64:
		return NewInt64([]int64{a.int("default_int64", fallback.(int64))}, 1), a.err
	case Float32:
		return NewFloat32([]float32{a.float("default_float", fallback.(float32))}, 1), a.err
	}
	return NewFloat64([]float64{fallback.(float64)}, 1), nil
}

func fillLabelEncoder[K comparable, V any](n *node, keys []K, getK func(*Tensor) []K, isNaN func(K) bool,
	in, out DataType, values []V, getV func(*Tensor) []V, def V) (kernel, error) {
	k := &labelEncoder[K, V]{m: make(map[K]V, len(keys)), def: def, in: in, out: out, keys: getK, values: getV, isNaN: isNaN}
	for i, key := range keys {
		if isNaN != nil && isNaN(key) {
			if n.version >= 4 && k.nan == nil {
				v := values[i]
				k.nan = &v
			}
			continue
		}
		if _, dup := k.m[key]; !dup {
			k.m[key] = values[i]
		}
	}
	return k, nil
}
