package onnx

import (
	"context"
	"fmt"
	"math"
)

// scaler is Scaler (ai.onnx.ml v1): y = (x - offset[j]) * scale[j], as
// float32, where j is the element's index modulo the stride (the size of
// axis 1, or of axis 0 for a vector, as onnxruntime takes it). Offset and
// scale have one value per column or a single value for all.
type scaler struct {
	scale, offset []float32
	// scale64 and offset64 are the same values widened, for float64 input.
	scale64, offset64 []float64
}

func buildScaler(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	scale, offset := n.attr.floats("scale"), n.attr.floats("offset")
	if n.attr.err != nil {
		return nil, n.attr.err
	}
	if len(scale) == 0 {
		return nil, fmt.Errorf("attribute scale is missing or empty")
	}
	if len(offset) != len(scale) {
		return nil, fmt.Errorf("attributes scale and offset have lengths %d and %d, want equal", len(scale), len(offset))
	}
	if err := checkInType(n, 0, Float32, Float64, Int64, Int32); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Float32}
	s := &scaler{scale: scale, offset: offset, scale64: make([]float64, len(scale)), offset64: make([]float64, len(offset))}
	for i := range scale {
		s.scale64[i], s.offset64[i] = float64(scale[i]), float64(offset[i])
	}
	return s, nil
}

func (s *scaler) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if len(x.Shape) == 0 {
		return fmt.Errorf("input is a scalar; want a tensor of rank 1 or more")
	}
	stride := x.Shape[0]
	if len(x.Shape) > 1 {
		stride = x.Shape[1]
	}
	scale, offset := s.scale, s.offset
	scale64, offset64 := s.scale64, s.offset64
	if len(scale) != stride {
		if len(scale) != 1 {
			return fmt.Errorf("input shape %v: scale and offset have %d values, want %d or 1", x.Shape, len(scale), stride)
		}
		stride = 1
	}
	y := out[0]
	switch x.Type {
	case Float32:
		y.reset(Float32, x.Shape)
		scaleRows(y.Float32, x.Float32, offset, scale, stride)
	case Int64:
		y.reset(Float32, x.Shape)
		for i, v := range x.Int64 {
			j := i % stride
			y.Float32[i] = float32(float32(v)-offset[j]) * scale[j]
		}
	case Int32:
		y.reset(Float32, x.Shape)
		for i, v := range x.Int32 {
			j := i % stride
			y.Float32[i] = float32(float32(v)-offset[j]) * scale[j]
		}
	case Float64:
		y.reset(Float32, x.Shape)
		for i, v := range x.Float64 {
			j := i % stride
			y.Float32[i] = float32(float64(v-offset64[j]) * scale64[j])
		}
	default:
		return fmt.Errorf("input has type %v, want float32, float64, int64 or int32", x.Type)
	}
	return nil
}

// scaleRows writes (x - offset[j]) * scale[j] to y, where j runs over
// 0..stride-1 along each row of x; len(offset) == len(scale) == stride.
func scaleRows(y, x, offset, scale []float32, stride int) {
	if stride == 0 {
		return
	}
	offset, scale = offset[:stride], scale[:stride]
	for len(x) >= stride {
		row, dst := x[:stride], y[:stride]
		for j, v := range row {
			dst[j] = float32(v-offset[j]) * scale[j]
		}
		x, y = x[stride:], y[stride:]
	}
	// A 1-D input shorter than a stride cannot occur: the stride is then
	// the length itself.
}

// The normalizer's modes (its norm attribute).
const (
	normMax = iota
	normL1
	normL2
)

// normalizer is Normalizer (ai.onnx.ml v1), row by row over a rank 1 or 2
// input, into float32, as onnxruntime computes it:
//
//   - MAX divides by the row's largest value (signed, not absolute; NaN is
//     skipped when looking for it),
//   - L1 by the sum of absolute values,
//   - L2 writes sign(x)·sqrt(x²/Σx²), squaring in the input type,
//
// and a divisor of 0 leaves the row as it is.
type normalizer struct {
	mode int
}

func buildNormalizer(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	norm := n.attr.string("norm", "MAX")
	if n.attr.err != nil {
		return nil, n.attr.err
	}
	k := &normalizer{}
	switch norm {
	case "MAX":
		k.mode = normMax
	case "L1":
		k.mode = normL1
	case "L2":
		k.mode = normL2
	default:
		return nil, fmt.Errorf("attribute norm is %q, want MAX, L1 or L2", norm)
	}
	if err := checkInType(n, 0, numericTypes...); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Float32}
	return k, nil
}

func (k *normalizer) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if len(x.Shape) == 0 || len(x.Shape) > 2 {
		return fmt.Errorf("input has shape %v, want rank 1 or 2", x.Shape)
	}
	width := x.Shape[len(x.Shape)-1]
	y := out[0]
	y.reset(Float32, x.Shape)
	if width == 0 {
		return nil
	}
	switch x.Type {
	case Float32:
		normalizeRows(k.mode, y.Float32, x.Float32, width)
	case Float64:
		normalizeRows(k.mode, y.Float32, x.Float64, width)
	case Int64:
		normalizeRows(k.mode, y.Float32, x.Int64, width)
	case Int32:
		normalizeRows(k.mode, y.Float32, x.Int32, width)
	default:
		return fmt.Errorf("input has type %v, want %s", x.Type, typeList(numericTypes))
	}
	return nil
}

// normalizeRows normalizes each row of width values of x into y.
func normalizeRows[T float32 | float64 | int64 | int32](mode int, y []float32, x []T, width int) {
	for len(x) >= width {
		row, dst := x[:width], y[:width]
		var d float32
		switch mode {
		case normMax:
			d = -math.MaxFloat32
			for _, v := range row {
				if f := float32(v); d < f {
					d = f
				}
			}
		case normL1:
			for _, v := range row {
				if v < 0 {
					v = -v
				}
				d += float32(v)
			}
		case normL2:
			for i, v := range row {
				sq := float32(v * v)
				dst[i] = sq
				d += sq
			}
		}
		switch {
		case d == 0:
			for i, v := range row {
				dst[i] = float32(v)
			}
		case mode == normL2:
			for i, v := range row {
				r := float32(math.Sqrt(float64(dst[i] / d)))
				if v < 0 {
					r = -r
				}
				dst[i] = r
			}
		default:
			for i, v := range row {
				dst[i] = float32(v) / d
			}
		}
		x, y = x[width:], y[width:]
	}
}

// imputer is Imputer (ai.onnx.ml v1) over float32 input (with
// imputed_value_floats) or int64 input (with imputed_value_int64s), the
// only types onnxruntime implements: elements equal to the replaced value
// (or NaN, when that is NaN) become the imputed value for their column.
// As in onnxruntime, the column is the element's index modulo the size of
// axis 1 (axis 0 for a vector), and a list of imputed values whose length
// is not that size gives its first value to every column.
type imputer struct {
	floats   []float32
	replaced float32
	ints     []int64
	replInt  int64
}

func buildImputer(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	a := n.attr
	k := &imputer{
		floats: a.floats("imputed_value_floats"), replaced: a.float("replaced_value_float", 0),
		ints: a.ints("imputed_value_int64s"), replInt: a.int("replaced_value_int64", 0),
	}
	if a.err != nil {
		return nil, a.err
	}
	if (len(k.floats) == 0) == (len(k.ints) == 0) {
		return nil, fmt.Errorf("exactly one of imputed_value_floats and imputed_value_int64s must be given (and not empty)")
	}
	if err := checkInType(n, 0, Float32, Int64); err != nil {
		return nil, fmt.Errorf("%w (onnxruntime's Imputer takes float32 or int64)", err)
	}
	switch t := n.inType(0); {
	case t == Float32 && len(k.floats) == 0:
		return nil, fmt.Errorf("float32 input needs imputed_value_floats")
	case t == Int64 && len(k.ints) == 0:
		return nil, fmt.Errorf("int64 input needs imputed_value_int64s")
	}
	return k, nil
}

func (k *imputer) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if len(x.Shape) == 0 {
		return fmt.Errorf("input is a scalar; want a tensor of rank 1 or more")
	}
	stride := x.Shape[0]
	if len(x.Shape) > 1 {
		stride = x.Shape[1]
	}
	y := out[0]
	switch x.Type {
	case Float32:
		if len(k.floats) == 0 {
			return fmt.Errorf("float32 input, but the node has no imputed_value_floats")
		}
		y.reset(Float32, x.Shape)
		imputeFloat(y.Float32, x.Float32, k.floats, k.replaced, stride)
	case Int64:
		if len(k.ints) == 0 {
			return fmt.Errorf("int64 input, but the node has no imputed_value_int64s")
		}
		y.reset(Int64, x.Shape)
		values := k.ints
		if len(values) != stride {
			values = values[:1]
		}
		for i, v := range x.Int64 {
			if v == k.replInt {
				v = values[i%len(values)]
			}
			y.Int64[i] = v
		}
	default:
		return fmt.Errorf("input has type %v, want float32 or int64", x.Type)
	}
	return nil
}

func imputeFloat(y, x, values []float32, replaced float32, stride int) {
	if len(values) != stride {
		values = values[:1]
	}
	nanRepl := replaced != replaced
	for i, v := range x {
		if (nanRepl && v != v) || v == replaced {
			v = values[i%len(values)]
		}
		y[i] = v
	}
}

// binarizer is Binarizer (ai.onnx.ml v1) over float32, the only type
// onnxruntime implements: 1 where x > threshold, else 0. onnxruntime
// refuses NaN input.
type binarizer struct {
	threshold float32
}

func buildBinarizer(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	k := &binarizer{threshold: n.attr.float("threshold", 0)}
	if n.attr.err != nil {
		return nil, n.attr.err
	}
	if err := checkInType(n, 0, Float32); err != nil {
		return nil, fmt.Errorf("%w (onnxruntime's Binarizer takes only float32)", err)
	}
	n.outTypes = []DataType{Float32}
	return k, nil
}

func (k *binarizer) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if x.Type != Float32 {
		return fmt.Errorf("input has type %v, want float32", x.Type)
	}
	y := out[0]
	y.reset(Float32, x.Shape)
	for i, v := range x.Float32 {
		switch {
		case v != v:
			return fmt.Errorf("input element %d is NaN", i)
		case v > k.threshold:
			y.Float32[i] = 1
		default:
			y.Float32[i] = 0
		}
	}
	return nil
}
