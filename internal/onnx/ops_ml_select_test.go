package onnx

import "testing"

func TestArrayFeatureExtractor(t *testing.T) {
	node := func(in DataType) mlNode {
		return mlNode{op: "ArrayFeatureExtractor", in: []DataType{in, Int64}}
	}
	x := f32(sh(2, 3), 1, 2, 3, 4, 5, 6)
	runMLCases(t, []mlCase{
		{name: "columns", node: node(Float32), in: []*Tensor{x, i64(sh(3), 2, 0, 2)}, want: []*Tensor{f32(sh(2, 3), 3, 1, 3, 6, 4, 6)}},
		{name: "scalar index", node: node(Float32), in: []*Tensor{x, i64(nil, 1)}, want: []*Tensor{f32(sh(2, 1), 2, 5)}},
		{name: "vector input", node: node(Float32), in: []*Tensor{f32(sh(3), 7, 8, 9), i64(sh(2), 2, 1)}, want: []*Tensor{f32(sh(1, 2), 9, 8)}},
		{name: "rank 3", node: node(Int64), in: []*Tensor{i64(sh(1, 2, 2), 1, 2, 3, 4), i64(sh(1), 1)}, want: []*Tensor{i64(sh(1, 2, 1), 2, 4)}},
		{name: "strings", node: node(String), in: []*Tensor{str(sh(1, 2), "a", "b"), i64(sh(1), 1)}, want: []*Tensor{str(sh(1, 1), "b")}},
		{name: "float64", node: node(Float64), in: []*Tensor{f64(sh(1, 2), 1, 2), i64(sh(1), 0)}, want: []*Tensor{f64(sh(1, 1), 1)}},
		{name: "int32", node: node(Int32), in: []*Tensor{i32(sh(1, 2), 1, 2), i64(sh(1), 1)}, want: []*Tensor{i32(sh(1, 1), 2)}},
		{name: "empty batch", node: node(Float32), in: []*Tensor{f32(sh(0, 3)), i64(sh(1), 1)}, want: []*Tensor{f32(sh(0, 1))}},
		{name: "out of range", node: node(Float32), in: []*Tensor{x, i64(sh(1), 3)}, wantErr: "want it in [0, 3)"},
		{name: "negative", node: node(Float32), in: []*Tensor{x, i64(sh(1), -1)}, wantErr: "want it in [0, 3)"},
		{name: "no indices", node: node(Float32), in: []*Tensor{x, i64(sh(0))}, wantErr: "no indices"},
		{name: "scalar input", node: node(Float32), in: []*Tensor{f32(nil, 1), i64(sh(1), 0)}, wantErr: "scalar"},
	})
	runLoadCases(t, []loadCase{
		{name: "bool input", node: node(Bool), wantErr: "want float32"},
		{name: "float indices", node: mlNode{op: "ArrayFeatureExtractor", in: []DataType{Float32, Float32}}, wantErr: "want int64"},
	})
}

func TestFeatureVectorizer(t *testing.T) {
	node := func(in []DataType, dims ...int64) mlNode {
		return mlNode{op: "FeatureVectorizer", in: in, attrs: withAttrs(attrInts("inputdimensions", dims...))}
	}
	two := []DataType{Float32, Float32}
	runMLCases(t, []mlCase{
		{name: "concatenate", node: node(two, 2, 1), in: []*Tensor{f32(sh(2, 2), 1, 2, 3, 4), f32(sh(2, 1), 5, 6)},
			want: []*Tensor{f32(sh(2, 3), 1, 2, 5, 3, 4, 6)}},
		{name: "truncate and pad", node: node(two, 1, 3), in: []*Tensor{f32(sh(1, 2), 1, 2), f32(sh(1, 1), 5)},
			want: []*Tensor{f32(sh(1, 4), 1, 5, 0, 0)}},
		{name: "int64", node: node([]DataType{Int64}, 2), in: []*Tensor{i64(sh(1, 2), 7, 8)}, want: []*Tensor{f32(sh(1, 2), 7, 8)}},
		{name: "vector and rank 3", node: node(two, 2, 4), in: []*Tensor{f32(sh(2), 1, 2), f32(sh(1, 2, 2), 3, 4, 5, 6)},
			want: []*Tensor{f32(sh(1, 6), 1, 2, 3, 4, 5, 6)}},
		{name: "empty batch", node: node(two, 1, 1), in: []*Tensor{f32(sh(0, 1)), f32(sh(0, 1))}, want: []*Tensor{f32(sh(0, 2))}},
		{name: "row counts differ", node: node(two, 1, 1), in: []*Tensor{f32(sh(2, 1), 1, 2), f32(sh(1, 1), 3)}, wantErr: "has 1 rows"},
		{name: "types differ", node: node([]DataType{Undefined, Undefined}, 1, 1), in: []*Tensor{f32(sh(1, 1), 1), f64(sh(1, 1), 3)},
			wantErr: "one type", direct: true},
		{name: "scalar", node: node([]DataType{Float32}, 1), in: []*Tensor{f32(nil, 1)}, wantErr: "scalar"},
	})
	runLoadCases(t, []loadCase{
		{name: "no dims", node: mlNode{op: "FeatureVectorizer", in: []DataType{Float32}}, wantErr: "inputdimensions"},
		{name: "dims count", node: node([]DataType{Float32}, 1, 2), wantErr: "1 inputs but 2"},
		{name: "negative dim", node: node([]DataType{Float32}, -1), wantErr: "inputdimensions[0] is -1"},
		{name: "mixed types", node: node([]DataType{Float32, Int64}, 1, 1), wantErr: "one type"},
		{name: "string input", node: node([]DataType{String}, 1), wantErr: "want float32"},
	})
}

// TestMapInputOpsRefused checks that the operators taking map inputs,
// which the engine does not evaluate, are refused at load.
func TestMapInputOpsRefused(t *testing.T) {
	runLoadCases(t, []loadCase{
		{name: "DictVectorizer", node: mlNode{op: "DictVectorizer", in: []DataType{Float32},
			attrs: withAttrs(attrStrings("string_vocabulary", "a"))}, wantErr: "operator DictVectorizer (domain ai.onnx.ml) is not supported"},
		{name: "CastMap", node: mlNode{op: "CastMap", in: []DataType{Float32}}, wantErr: "operator CastMap (domain ai.onnx.ml) is not supported"},
	})
}
