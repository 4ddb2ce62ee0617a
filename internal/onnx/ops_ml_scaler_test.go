package onnx

import (
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func scalerNode(in DataType, scale, offset []float32) mlNode {
	return mlNode{op: "Scaler", in: []DataType{in}, attrs: withAttrs(attrFloats("scale", scale...), attrFloats("offset", offset...))}
}

func withAttrs(a ...*onnxpb.AttributeProto) []*onnxpb.AttributeProto { return a }

func TestScaler(t *testing.T) {
	per := func(in DataType) mlNode { return scalerNode(in, []float32{2, 0.5}, []float32{1, -1}) }
	one := scalerNode(Float32, []float32{3}, []float32{1})
	runMLCases(t, []mlCase{
		{name: "per column", node: per(Float32), in: []*Tensor{f32(sh(2, 2), 1, 1, 3, -3)}, want: []*Tensor{f32(sh(2, 2), 0, 1, 4, -1)}},
		{name: "broadcast one value", node: one, in: []*Tensor{f32(sh(2, 2), 1, 2, 3, 4)}, want: []*Tensor{f32(sh(2, 2), 0, 3, 6, 9)}},
		{name: "one value for a vector", node: one, in: []*Tensor{f32(sh(3), 1, 2, 3)}, want: []*Tensor{f32(sh(3), 0, 3, 6)}},
		{name: "vector as one row", node: per(Float32), in: []*Tensor{f32(sh(2), 1, 1)}, want: []*Tensor{f32(sh(2), 0, 1)}},
		{name: "rank 3 cycles through axis 1 size", node: per(Float32), in: []*Tensor{f32(sh(1, 2, 2), 1, 1, 1, 1)}, want: []*Tensor{f32(sh(1, 2, 2), 0, 1, 0, 1)}},
		{name: "NaN passes through", node: per(Float32), in: []*Tensor{f32(sh(1, 2), mlNaN32(), 1)}, want: []*Tensor{f32(sh(1, 2), mlNaN32(), 1)}},
		{name: "empty batch", node: per(Float32), in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{f32(sh(0, 2))}},
		{name: "float64 input", node: per(Float64), in: []*Tensor{f64(sh(1, 2), 1.5, 2)}, want: []*Tensor{f32(sh(1, 2), 1, 1.5)}},
		{name: "int64 input", node: per(Int64), in: []*Tensor{i64(sh(1, 2), 3, -3)}, want: []*Tensor{f32(sh(1, 2), 4, -1)}},
		{name: "int32 input", node: per(Int32), in: []*Tensor{i32(sh(1, 2), 3, -3)}, want: []*Tensor{f32(sh(1, 2), 4, -1)}},
		{name: "width mismatch", node: per(Float32), in: []*Tensor{f32(sh(1, 3), 1, 2, 3)}, wantErr: "want 3 or 1"},
		{name: "scalar input", node: per(Float32), in: []*Tensor{f32(nil, 1)}, wantErr: "scalar"},
	})
}

func TestScalerLoadErrors(t *testing.T) {
	runLoadCases(t, []loadCase{
		{name: "no scale", node: mlNode{op: "Scaler", in: []DataType{Float32}, attrs: withAttrs(attrFloats("offset", 1))}, wantErr: "scale"},
		{name: "no offset", node: mlNode{op: "Scaler", in: []DataType{Float32}, attrs: withAttrs(attrFloats("scale", 1))}, wantErr: "lengths 1 and 0"},
		{name: "length mismatch", node: scalerNode(Float32, []float32{1, 2}, []float32{1}), wantErr: "lengths 2 and 1"},
		{name: "string input", node: scalerNode(String, []float32{1}, []float32{1}), wantErr: "want float32"},
		{name: "scale as ints", node: mlNode{op: "Scaler", in: []DataType{Float32}, attrs: withAttrs(attrInts("scale", 1), attrFloats("offset", 1))}, wantErr: "type INTS"},
	})
}
