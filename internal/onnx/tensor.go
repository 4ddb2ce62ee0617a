package onnx

import (
	"fmt"
	"strings"
)

// DataType is a tensor element type. Its values are ONNX's
// TensorProto.DataType numbers.
type DataType int32

// The element types the engine evaluates.
const (
	Undefined DataType = 0
	Float32   DataType = 1
	Int32     DataType = 6
	Int64     DataType = 7
	String    DataType = 8
	Bool      DataType = 9
	Float64   DataType = 11
)

var dataTypeNames = map[DataType]string{
	Undefined: "undefined",
	Float32:   "float32",
	Int32:     "int32",
	Int64:     "int64",
	String:    "string",
	Bool:      "bool",
	Float64:   "float64",
	// Types the engine does not evaluate, named for error messages.
	2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 10: "float16",
	12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
}

// String returns the type's name, such as "float32".
func (t DataType) String() string {
	if s, ok := dataTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type(%d)", int32(t))
}

// supported reports whether the engine evaluates tensors of type t.
func (t DataType) supported() bool {
	switch t {
	case Float32, Float64, Int64, Int32, Bool, String:
		return true
	}
	return false
}

// A Tensor is a dense, row-major array of one element type. Exactly the
// slice that matches Type holds the data; its length is the product of Shape
// (1 for a scalar, whose Shape is empty).
type Tensor struct {
	Type    DataType
	Shape   []int
	Float32 []float32
	Float64 []float64
	Int64   []int64
	Int32   []int32
	Bool    []bool
	String  []string
}

// NewFloat32 returns a float32 tensor of the given shape holding data.
func NewFloat32(data []float32, shape ...int) *Tensor {
	return &Tensor{Type: Float32, Shape: shape, Float32: data}
}

// NewFloat64 returns a float64 tensor of the given shape holding data.
func NewFloat64(data []float64, shape ...int) *Tensor {
	return &Tensor{Type: Float64, Shape: shape, Float64: data}
}

// NewInt64 returns an int64 tensor of the given shape holding data.
func NewInt64(data []int64, shape ...int) *Tensor {
	return &Tensor{Type: Int64, Shape: shape, Int64: data}
}

// NewInt32 returns an int32 tensor of the given shape holding data.
func NewInt32(data []int32, shape ...int) *Tensor {
	return &Tensor{Type: Int32, Shape: shape, Int32: data}
}

// NewBool returns a bool tensor of the given shape holding data.
func NewBool(data []bool, shape ...int) *Tensor {
	return &Tensor{Type: Bool, Shape: shape, Bool: data}
}

// NewString returns a string tensor of the given shape holding data.
func NewString(data []string, shape ...int) *Tensor {
	return &Tensor{Type: String, Shape: shape, String: data}
}

// Len returns the number of elements the tensor's data slice holds.
func (t *Tensor) Len() int {
	switch t.Type {
	case Float32:
		return len(t.Float32)
	case Float64:
		return len(t.Float64)
	case Int64:
		return len(t.Int64)
	case Int32:
		return len(t.Int32)
	case Bool:
		return len(t.Bool)
	case String:
		return len(t.String)
	}
	return 0
}

// Size returns the number of elements the shape describes.
func (t *Tensor) Size() int { return shapeSize(t.Shape) }

// Check reports an error when the tensor's type is not one the engine
// evaluates, a dimension is negative, or its data does not fill its shape.
func (t *Tensor) Check() error {
	if !t.Type.supported() {
		return fmt.Errorf("unsupported element type %v", t.Type)
	}
	n := 1
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("negative dimension in shape %v", t.Shape)
		}
		if d != 0 && n > maxElements/d {
			return fmt.Errorf("shape %v has more than %d elements", t.Shape, maxElements)
		}
		n *= d
	}
	if got := t.Len(); got != n {
		return fmt.Errorf("shape %v needs %d elements, data has %d", t.Shape, n, got)
	}
	return nil
}

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{Type: t.Type, Shape: append([]int(nil), t.Shape...)}
	switch t.Type {
	case Float32:
		c.Float32 = append([]float32(nil), t.Float32...)
	case Float64:
		c.Float64 = append([]float64(nil), t.Float64...)
	case Int64:
		c.Int64 = append([]int64(nil), t.Int64...)
	case Int32:
		c.Int32 = append([]int32(nil), t.Int32...)
	case Bool:
		c.Bool = append([]bool(nil), t.Bool...)
	case String:
		c.String = append([]string(nil), t.String...)
	}
	return c
}

// Describe formats the tensor's type and shape, such as "float32[3,5]".
func (t *Tensor) Describe() string {
	return t.Type.String() + formatShape(t.Shape)
}

// reset gives t type typ and shape shape with n = size(shape) elements,
// reusing its buffers' capacity. Element values are unspecified. shape is
// copied.
func (t *Tensor) reset(typ DataType, shape []int) {
	t.Type = typ
	t.Shape = append(t.Shape[:0], shape...)
	n := shapeSize(shape)
	switch typ {
	case Float32:
		t.Float32 = grow(t.Float32, n)
	case Float64:
		t.Float64 = grow(t.Float64, n)
	case Int64:
		t.Int64 = grow(t.Int64, n)
	case Int32:
		t.Int32 = grow(t.Int32, n)
	case Bool:
		t.Bool = grow(t.Bool, n)
	case String:
		t.String = grow(t.String, n)
	}
}

// copyFrom makes t a copy of src, reusing t's buffers.
func (t *Tensor) copyFrom(src *Tensor) {
	t.reset(src.Type, src.Shape)
	t.copyValues(src)
}

// copyValues copies src's elements into t, which has src's type and
// holds as many elements.
func (t *Tensor) copyValues(src *Tensor) {
	switch src.Type {
	case Float32:
		copy(t.Float32, src.Float32)
	case Float64:
		copy(t.Float64, src.Float64)
	case Int64:
		copy(t.Int64, src.Int64)
	case Int32:
		copy(t.Int32, src.Int32)
	case Bool:
		copy(t.Bool, src.Bool)
	case String:
		copy(t.String, src.String)
	}
}

// grow returns s resliced to length n, reallocating when its capacity is
// too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// maxElements bounds the number of elements of any tensor the engine makes
// or accepts: 2^27 (512 MiB of float32), far beyond any tabular batch, so
// a model or input that asks for more is refused before anything is
// allocated, and size arithmetic cannot overflow.
const maxElements = 1 << 27

func shapeSize(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func formatShape(shape []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range shape {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, d)
	}
	b.WriteByte(']')
	return b.String()
}

// A MapSequence is a sequence of maps from class label to score, the value
// ZipMap produces: map n holds Keys[c] → Values[n, c] for every class c.
// Keys is an int64 or string tensor; Values is a float32 [N, C] tensor.
type MapSequence struct {
	Keys   *Tensor
	Values *Tensor
}

// Len returns the number of maps.
func (s *MapSequence) Len() int {
	if len(s.Values.Shape) == 0 {
		return 0
	}
	return s.Values.Shape[0]
}

// Int64Maps returns the maps when the keys are int64 labels.
func (s *MapSequence) Int64Maps() []map[int64]float32 {
	n, c := s.Len(), s.Keys.Len()
	out := make([]map[int64]float32, n)
	for i := range out {
		m := make(map[int64]float32, c)
		for j, k := range s.Keys.Int64 {
			m[k] = s.Values.Float32[i*c+j]
		}
		out[i] = m
	}
	return out
}

// StringMaps returns the maps when the keys are string labels.
func (s *MapSequence) StringMaps() []map[string]float32 {
	n, c := s.Len(), s.Keys.Len()
	out := make([]map[string]float32, n)
	for i := range out {
		m := make(map[string]float32, c)
		for j, k := range s.Keys.String {
			m[k] = s.Values.Float32[i*c+j]
		}
		out[i] = m
	}
	return out
}

// A Value is a graph value: a tensor, the sequence of maps ZipMap
// produces, or a sequence of tensors (SequenceConstruct's output, as
// skl2onnx writes MultiOutputClassifier's probabilities). Exactly one
// field is set.
type Value struct {
	Tensor   *Tensor
	Maps     *MapSequence
	Sequence []*Tensor
}
