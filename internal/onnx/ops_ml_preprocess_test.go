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

func TestNormalizer(t *testing.T) {
	node := func(norm string, in DataType) mlNode {
		return mlNode{op: "Normalizer", in: []DataType{in}, attrs: withAttrs(attrString("norm", norm))}
	}
	rows := f32(sh(3, 3), 1, -2, 2, 0, 0, 0, -4, -2, -1)
	runMLCases(t, []mlCase{
		{name: "MAX signed", node: node("MAX", Float32), in: []*Tensor{rows},
			want: []*Tensor{f32(sh(3, 3), 0.5, -1, 1, 0, 0, 0, 4, 2, 1)}},
		{name: "L1", node: node("L1", Float32), in: []*Tensor{rows},
			want: []*Tensor{f32(sh(3, 3), 0.2, -0.4, 0.4, 0, 0, 0, -4.0/7, -2.0/7, -1.0/7)}},
		{name: "L2", node: node("L2", Float32), in: []*Tensor{f32(sh(2, 2), 3, -4, 0, 0)},
			want: []*Tensor{f32(sh(2, 2), 0.6, -0.8, 0, 0)}},
		{name: "default is MAX", node: mlNode{op: "Normalizer", in: []DataType{Float32}}, in: []*Tensor{f32(sh(1, 2), 1, 4)},
			want: []*Tensor{f32(sh(1, 2), 0.25, 1)}},
		{name: "MAX skips NaN", node: node("MAX", Float32), in: []*Tensor{f32(sh(1, 3), mlNaN32(), 2, 1)},
			want: []*Tensor{f32(sh(1, 3), mlNaN32(), 1, 0.5)}},
		{name: "L1 with NaN", node: node("L1", Float32), in: []*Tensor{f32(sh(1, 2), mlNaN32(), 2)},
			want: []*Tensor{f32(sh(1, 2), mlNaN32(), mlNaN32())}},
		{name: "vector", node: node("L1", Float32), in: []*Tensor{f32(sh(2), 1, 3)}, want: []*Tensor{f32(sh(2), 0.25, 0.75)}},
		{name: "empty batch", node: node("L2", Float32), in: []*Tensor{f32(sh(0, 3))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "no columns", node: node("L2", Float32), in: []*Tensor{f32(sh(2, 0))}, want: []*Tensor{f32(sh(2, 0))}},
		{name: "int64 L2", node: node("L2", Int64), in: []*Tensor{i64(sh(1, 2), -3, 4)}, want: []*Tensor{f32(sh(1, 2), -0.6, 0.8)}},
		{name: "int32 MAX", node: node("MAX", Int32), in: []*Tensor{i32(sh(1, 2), 2, 4)}, want: []*Tensor{f32(sh(1, 2), 0.5, 1)}},
		{name: "float64 L1", node: node("L1", Float64), in: []*Tensor{f64(sh(1, 2), -1, 3)}, want: []*Tensor{f32(sh(1, 2), -0.25, 0.75)}},
		{name: "rank 3", node: node("L1", Float32), in: []*Tensor{f32(sh(1, 1, 2), 1, 1)}, wantErr: "rank 1 or 2"},
		{name: "scalar", node: node("L1", Float32), in: []*Tensor{f32(nil, 1)}, wantErr: "rank 1 or 2"},
	})
	runLoadCases(t, []loadCase{
		{name: "unknown norm", node: node("max", Float32), wantErr: "want MAX, L1 or L2"},
		{name: "string input", node: node("L1", String), wantErr: "want float32"},
	})
}

func TestImputer(t *testing.T) {
	floats := func(repl float32, values ...float32) mlNode {
		return mlNode{op: "Imputer", in: []DataType{Float32}, attrs: withAttrs(attrFloats("imputed_value_floats", values...), attrFloat("replaced_value_float", repl))}
	}
	ints := mlNode{op: "Imputer", in: []DataType{Int64}, attrs: withAttrs(attrInts("imputed_value_int64s", 7, 8), attrInt("replaced_value_int64", -1))}
	runMLCases(t, []mlCase{
		{name: "NaN per column", node: floats(mlNaN32(), 10, 20), in: []*Tensor{f32(sh(2, 2), mlNaN32(), 1, 2, mlNaN32())},
			want: []*Tensor{f32(sh(2, 2), 10, 1, 2, 20)}},
		{name: "NaN one value", node: floats(mlNaN32(), 5), in: []*Tensor{f32(sh(2, 2), mlNaN32(), 1, 2, mlNaN32())},
			want: []*Tensor{f32(sh(2, 2), 5, 1, 2, 5)}},
		{name: "short list uses the first", node: floats(mlNaN32(), 5, 6), in: []*Tensor{f32(sh(1, 3), mlNaN32(), 1, mlNaN32())},
			want: []*Tensor{f32(sh(1, 3), 5, 1, 5)}},
		{name: "number replaced, NaN kept", node: floats(0, 10, 20), in: []*Tensor{f32(sh(2, 2), 0, mlNaN32(), 3, 0)},
			want: []*Tensor{f32(sh(2, 2), 10, mlNaN32(), 3, 20)}},
		{name: "vector", node: floats(mlNaN32(), 1, 2), in: []*Tensor{f32(sh(2), mlNaN32(), mlNaN32())}, want: []*Tensor{f32(sh(2), 1, 2)}},
		{name: "empty batch", node: floats(mlNaN32(), 1), in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{f32(sh(0, 2))}},
		{name: "int64", node: ints, in: []*Tensor{i64(sh(2, 2), -1, 3, 4, -1)}, want: []*Tensor{i64(sh(2, 2), 7, 3, 4, 8)}},
		{name: "scalar", node: floats(mlNaN32(), 1), in: []*Tensor{f32(nil, 1)}, wantErr: "scalar"},
	})
	runLoadCases(t, []loadCase{
		{name: "no values", node: mlNode{op: "Imputer", in: []DataType{Float32}}, wantErr: "exactly one"},
		{name: "both lists", node: mlNode{op: "Imputer", in: []DataType{Float32},
			attrs: withAttrs(attrFloats("imputed_value_floats", 1), attrInts("imputed_value_int64s", 1))}, wantErr: "exactly one"},
		{name: "float input int values", node: mlNode{op: "Imputer", in: []DataType{Float32}, attrs: withAttrs(attrInts("imputed_value_int64s", 1))},
			wantErr: "needs imputed_value_floats"},
		{name: "double input", node: mlNode{op: "Imputer", in: []DataType{Float64}, attrs: withAttrs(attrFloats("imputed_value_floats", 1))},
			wantErr: "float32 or int64"},
	})
}

func TestBinarizer(t *testing.T) {
	node := mlNode{op: "Binarizer", in: []DataType{Float32}, attrs: withAttrs(attrFloat("threshold", 0.5))}
	runMLCases(t, []mlCase{
		{name: "threshold", node: node, in: []*Tensor{f32(sh(2, 2), 0.5, 0.6, -1, 7)}, want: []*Tensor{f32(sh(2, 2), 0, 1, 0, 1)}},
		{name: "default 0", node: mlNode{op: "Binarizer", in: []DataType{Float32}}, in: []*Tensor{f32(sh(3), 0, 1e-9, -1)},
			want: []*Tensor{f32(sh(3), 0, 1, 0)}},
		{name: "empty", node: node, in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{f32(sh(0, 2))}},
		{name: "NaN", node: node, in: []*Tensor{f32(sh(2), 1, mlNaN32())}, wantErr: "element 1 is NaN"},
	})
	runLoadCases(t, []loadCase{
		{name: "double input", node: mlNode{op: "Binarizer", in: []DataType{Float64}}, wantErr: "only float32"},
	})
}
