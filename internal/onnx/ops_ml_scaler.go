package onnx

import (
	"context"
	"fmt"
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
