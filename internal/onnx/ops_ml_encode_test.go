package onnx

import (
	"math"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func TestOneHotEncoder(t *testing.T) {
	node := func(in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "OneHotEncoder", in: []DataType{in}, attrs: a}
	}
	ints := attrInts("cats_int64s", 4, 2)
	runMLCases(t, []mlCase{
		{name: "int64", node: node(Int64, ints), in: []*Tensor{i64(sh(1, 2), 2, 4)}, want: []*Tensor{f32(sh(1, 2, 2), 0, 1, 1, 0)}},
		{name: "unknown gives zeros", node: node(Int64, ints), in: []*Tensor{i64(sh(1, 2), 2, 5)}, want: []*Tensor{f32(sh(1, 2, 2), 0, 1, 0, 0)}},
		{name: "float truncates", node: node(Float32, ints), in: []*Tensor{f32(sh(2), 4.9, 2.1)}, want: []*Tensor{f32(sh(2, 2), 1, 0, 0, 1)}},
		{name: "NaN is MinInt64", node: node(Float64, attrInts("cats_int64s", math.MinInt64)), in: []*Tensor{f64(sh(2), math.NaN(), 1e300)},
			want: []*Tensor{f32(sh(2, 1), 1, 1)}},
		{name: "strings", node: node(String, attrStrings("cats_strings", "x", "y")), in: []*Tensor{str(sh(3), "y", "q", "x")},
			want: []*Tensor{f32(sh(3, 2), 0, 1, 0, 0, 1, 0)}},
		{name: "later duplicate wins", node: node(Int64, attrInts("cats_int64s", 1, 1)), in: []*Tensor{i64(sh(1), 1)},
			want: []*Tensor{f32(sh(1, 2), 0, 1)}},
		{name: "scalar", node: node(Int64, ints), in: []*Tensor{i64(nil, 2)}, want: []*Tensor{f32(sh(2), 0, 1)}},
		{name: "empty", node: node(Int64, ints), in: []*Tensor{i64(sh(0, 3))}, want: []*Tensor{f32(sh(0, 3, 2))}},
		{name: "zeros=0 unknown", node: node(Int64, ints, attrInt("zeros", 0)), in: []*Tensor{i64(sh(1), 3)}, wantErr: "unknown category"},
	})
	runLoadCases(t, []loadCase{
		{name: "no categories", node: node(Int64), wantErr: "exactly one"},
		{name: "both", node: node(Int64, ints, attrStrings("cats_strings", "a")), wantErr: "exactly one"},
		{name: "empty list", node: node(Int64, attrInts("cats_int64s")), wantErr: "empty"},
		{name: "int32", node: node(Int32, ints), wantErr: "no int32"},
	})
}

func TestLabelEncoder(t *testing.T) {
	v := func(opset int, in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "LabelEncoder", opset: opset, in: []DataType{in}, attrs: a}
	}
	runMLCases(t, []mlCase{
		{name: "v1 strings", node: v(1, String, attrStrings("classes_strings", "a", "b", "a")), in: []*Tensor{str(sh(3), "a", "b", "c")},
			want: []*Tensor{i64(sh(3), 2, 1, -1)}},
		{name: "v1 ints", node: v(1, Int64, attrStrings("classes_strings", "a", "b"), attrString("default_string", "?")),
			in: []*Tensor{i64(sh(3), 1, 0, 5)}, want: []*Tensor{str(sh(3), "b", "a", "?")}},
		{name: "v2 first key wins", node: v(2, String, attrStrings("keys_strings", "a", "a"), attrInts("values_int64s", 1, 2)),
			in: []*Tensor{str(sh(2), "a", "z")}, want: []*Tensor{i64(sh(2), 1, -1)}},
		{name: "v2 float keys, NaN unmatched", node: v(2, Float32, attrFloats("keys_floats", mlNaN32(), 0), attrStrings("values_strings", "n", "z")),
			in: []*Tensor{f32(sh(3), mlNaN32(), float32(math.Copysign(0, -1)), 1)}, want: []*Tensor{str(sh(3), "_Unused", "z", "_Unused")}},
		{name: "v2 default float", node: v(2, Int64, attrInts("keys_int64s", 1), attrFloats("values_floats", 2), attrFloat("default_float", 9)),
			in: []*Tensor{i64(sh(2), 1, 2)}, want: []*Tensor{f32(sh(2), 2, 9)}},
		{name: "v4 NaN key matches", node: v(4, Float32, attrFloats("keys_floats", 1, mlNaN32(), mlNaN32()), attrInts("values_int64s", 1, 2, 3)),
			in: []*Tensor{f32(sh(2), mlNaN32(), 5)}, want: []*Tensor{i64(sh(2), 2, -1)}},
		{name: "v4 tensors", node: v(4, Float64, attrTensor("keys_tensor", f64(sh(2), 1, 2)), attrTensor("values_tensor", str(sh(2), "x", "y")),
			attrTensor("default_tensor", str(sh(1), "d"))), in: []*Tensor{f64(sh(3), 2, 1, 0)}, want: []*Tensor{str(sh(3), "y", "x", "d")}},
		{name: "v4 double default", node: v(4, Int64, attrInts("keys_int64s", 1), attrTensor("values_tensor", f64(sh(1), 5)), attrFloat("default_float", 3)),
			in: []*Tensor{i64(sh(2), 1, 2)}, want: []*Tensor{f64(sh(2), 5, 0)}},
		{name: "empty", node: v(2, Int64, attrInts("keys_int64s", 1), attrInts("values_int64s", 2)), in: []*Tensor{i64(sh(0))},
			want: []*Tensor{i64(sh(0))}},
	})
	runLoadCases(t, []loadCase{
		{name: "v1 no classes", node: v(1, String), wantErr: "classes_strings"},
		{name: "v2 no keys", node: v(2, Int64, attrInts("values_int64s", 1)), wantErr: "exactly one keys"},
		{name: "v2 two key lists", node: v(2, Int64, attrInts("keys_int64s", 1), attrFloats("keys_floats", 1), attrInts("values_int64s", 1)),
			wantErr: "exactly one keys"},
		{name: "v2 lengths", node: v(2, Int64, attrInts("keys_int64s", 1, 2), attrInts("values_int64s", 1)), wantErr: "2 keys but 1 values"},
		{name: "v2 key type", node: v(2, Int64, attrStrings("keys_strings", "1"), attrInts("values_int64s", 1)), wantErr: "keys are string"},
		{name: "v2 tensor keys", node: v(2, Int64, attrTensor("keys_tensor", i64(sh(1), 1)), attrInts("values_int64s", 1)), wantErr: "exactly one keys"},
		{name: "v4 default shape", node: v(4, Int64, attrInts("keys_int64s", 1), attrInts("values_int64s", 2), attrTensor("default_tensor", i64(sh(2), 1, 2))),
			wantErr: "want [1]"},
		{name: "v4 default type", node: v(4, Int64, attrInts("keys_int64s", 1), attrInts("values_int64s", 2), attrTensor("default_tensor", f32(sh(1), 1))),
			wantErr: "default_tensor has type float32"},
		{name: "v4 2-D keys", node: v(4, Int64, attrTensor("keys_tensor", i64(sh(1, 1), 1)), attrInts("values_int64s", 2)), wantErr: "1-D"},
		{name: "v4 float to double", node: v(4, Float32, attrFloats("keys_floats", 1), attrTensor("values_tensor", f64(sh(1), 1))),
			wantErr: "no such LabelEncoder"},
	})
}

func TestCategoryMapper(t *testing.T) {
	node := func(in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "CategoryMapper", in: []DataType{in}, attrs: a}
	}
	cats := withAttrs(attrStrings("cats_strings", "a", "b", "a"), attrInts("cats_int64s", 1, 2, 3))
	runMLCases(t, []mlCase{
		{name: "to int", node: node(String, cats...), in: []*Tensor{str(sh(3), "a", "b", "c")}, want: []*Tensor{i64(sh(3), 3, 2, -1)}},
		{name: "to string", node: node(Int64, mlWith(cats, attrString("default_string", "?"))...), in: []*Tensor{i64(sh(3), 3, 1, 0)},
			want: []*Tensor{str(sh(3), "a", "a", "?")}},
		{name: "bad input type", node: node(Undefined, cats...), in: []*Tensor{f32(sh(1), 1)}, wantErr: "want string or int64", direct: true},
	})
	runLoadCases(t, []loadCase{
		{name: "missing ints", node: node(String, attrStrings("cats_strings", "a")), wantErr: "cats_int64s"},
		{name: "lengths", node: node(String, attrStrings("cats_strings", "a"), attrInts("cats_int64s", 1, 2)), wantErr: "same number"},
	})
}
