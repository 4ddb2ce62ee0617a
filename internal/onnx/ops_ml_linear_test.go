package onnx

import (
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func TestLinearClassifier(t *testing.T) {
	node := func(in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "LinearClassifier", in: []DataType{in}, outs: 2, attrs: a}
	}
	// Three classes over two features: scores x0, x1 and x0+x1-1.
	three := withAttrs(attrFloats("coefficients", 1, 0, 0, 1, 1, 1), attrFloats("intercepts", 0, 0, -1))
	ints := mlWith(three, attrInts("classlabels_ints", 10, 20, 30))
	strs := mlWith(three, attrStrings("classlabels_strings", "a", "b", "c"))
	// One class: s = x0 - x1.
	one := withAttrs(attrFloats("coefficients", 1, -1), attrFloats("intercepts", 0))
	two := mlWith(one, attrInts("classlabels_ints", 7, 9))
	s1 := logistic(1)
	runMLCases(t, []mlCase{
		{name: "argmax int labels", node: node(Float32, ints...), in: []*Tensor{f32(sh(3, 2), 3, 1, 1, 2, 2, 2)},
			want: []*Tensor{i64(sh(3), 10, 20, 30), f32(sh(3, 3), 3, 1, 3, 1, 2, 2, 2, 2, 3)}},
		{name: "first of ties", node: node(Float32, ints...), in: []*Tensor{f32(sh(1, 2), 1, 1)},
			want: []*Tensor{i64(sh(1), 10), f32(sh(1, 3), 1, 1, 1)}},
		{name: "string labels", node: node(Float32, strs...), in: []*Tensor{f32(sh(1, 2), 0, 5)},
			want: []*Tensor{str(sh(1), "b"), f32(sh(1, 3), 0, 5, 4)}},
		{name: "softmax", node: node(Float32, mlWith(ints, attrString("post_transform", "SOFTMAX"))...), in: []*Tensor{f32(sh(1, 2), 0, 0)},
			want: []*Tensor{i64(sh(1), 10), f32(sh(1, 3), 0.4223188, 0.4223188, 0.1553624)}},
		{name: "NaN input", node: node(Float32, ints...), in: []*Tensor{f32(sh(1, 2), mlNaN32(), 0)},
			want: []*Tensor{i64(sh(1), 10), f32(sh(1, 3), mlNaN32(), mlNaN32(), mlNaN32())}},
		{name: "vector input", node: node(Float32, ints...), in: []*Tensor{f32(sh(2), 0, 1)},
			want: []*Tensor{i64(sh(1), 20), f32(sh(1, 3), 0, 1, 0)}},
		{name: "empty batch", node: node(Float32, ints...), in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{i64(sh(0)), f32(sh(0, 3))}},
		{name: "int64 input", node: node(Int64, ints...), in: []*Tensor{i64(sh(1, 2), 2, 5)}, want: []*Tensor{i64(sh(1), 30), f32(sh(1, 3), 2, 5, 6)}},
		{name: "float64 input", node: node(Float64, ints...), in: []*Tensor{f64(sh(1, 2), 2, 0.5)}, want: []*Tensor{i64(sh(1), 10), f32(sh(1, 3), 2, 0.5, 1.5)}},
		{name: "one class two labels", node: node(Float32, two...), in: []*Tensor{f32(sh(2, 2), 1, 0, 0, 1)},
			want: []*Tensor{i64(sh(2), 9, 7), f32(sh(2, 2), 0, 1, 2, -1)}},
		{name: "one class two labels logistic", node: node(Float32, mlWith(two, attrString("post_transform", "LOGISTIC"))...),
			in: []*Tensor{f32(sh(2, 2), 1, 0, 0, 1)}, want: []*Tensor{i64(sh(2), 9, 7), f32(sh(2, 2), 1-s1, s1, s1, 1-s1)}},
		{name: "one class two labels softmax stays raw", node: node(Float32, mlWith(two, attrString("post_transform", "SOFTMAX"))...),
			in: []*Tensor{f32(sh(1, 2), 1, 0)}, want: []*Tensor{i64(sh(1), 9), f32(sh(1, 2), 0, 1)}},
		{name: "one class two labels probit packs the probits", node: node(Float32, mlWith(two, attrString("post_transform", "PROBIT"))...),
			in: []*Tensor{f32(sh(2, 2), 0.5, 0, 0, 0.25)}, want: []*Tensor{i64(sh(2), 9, 7), f32(sh(2, 2), probit(0.5), probit(-0.25), 0, 0)}},
		{name: "one class no labels", node: node(Float32, one...), in: []*Tensor{f32(sh(2, 2), 1, 0, 0, 0)},
			want: []*Tensor{i64(sh(2), 1, 0), f32(sh(2, 1), 1, 0)}},
		{name: "one class logistic not applied", node: node(Float32, mlWith(one, attrString("post_transform", "LOGISTIC"))...),
			in: []*Tensor{f32(sh(1, 2), 1, 0)}, want: []*Tensor{i64(sh(1), 1), f32(sh(1, 1), 1)}},
		{name: "one class probit", node: node(Float32, mlWith(one, attrString("post_transform", "PROBIT"))...),
			in: []*Tensor{f32(sh(1, 2), 0.5, 0)}, want: []*Tensor{i64(sh(1), 1), f32(sh(1, 1), probit(0.5))}},
		{name: "feature count", node: node(Float32, ints...), in: []*Tensor{f32(sh(1, 3), 1, 2, 3)}, wantErr: "3 features, the model 2"},
		{name: "rank 3", node: node(Float32, ints...), in: []*Tensor{f32(sh(1, 1, 2), 1, 2)}, wantErr: "rank 1 or 2"},
		{name: "string input", node: node(Undefined, ints...), in: []*Tensor{str(sh(1, 2), "a", "b")}, wantErr: "want float32", direct: true},
	})
	runLoadCases(t, []loadCase{
		{name: "no coefficients", node: node(Float32, attrFloats("intercepts", 1), attrInts("classlabels_ints", 1, 2)), wantErr: "coefficients"},
		{name: "no intercepts", node: node(Float32, attrFloats("coefficients", 1, 2), attrInts("classlabels_ints", 1, 2)), wantErr: "intercepts"},
		{name: "ragged", node: node(Float32, attrFloats("coefficients", 1, 2, 3), attrFloats("intercepts", 1, 2), attrInts("classlabels_ints", 1, 2)),
			wantErr: "do not make 2 rows"},
		{name: "too few labels", node: node(Float32, mlWith(three, attrInts("classlabels_ints", 1, 2))...), wantErr: "3 classes"},
		{name: "no labels", node: node(Float32, three...), wantErr: "3 classes"},
		{name: "one class three labels", node: node(Float32, mlWith(one, attrInts("classlabels_ints", 1, 2, 3))...), wantErr: "exactly 2"},
		{name: "both label kinds", node: node(Float32, mlWith(ints, attrStrings("classlabels_strings", "a", "b", "c"))...), wantErr: "both"},
		{name: "bad post_transform", node: node(Float32, mlWith(ints, attrString("post_transform", "SIGMOID"))...), wantErr: "post_transform"},
		{name: "string input", node: node(String, ints...), wantErr: "want float32"},
	})
}

func TestLinearRegressor(t *testing.T) {
	node := func(in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "LinearRegressor", in: []DataType{in}, attrs: a}
	}
	// Two targets: y0 = x0 + 2·x1 + 1, y1 = -x0 - 1.
	two := withAttrs(attrFloats("coefficients", 1, 2, -1, 0), attrFloats("intercepts", 1, -1), attrInt("targets", 2))
	one := withAttrs(attrFloats("coefficients", 1, 2), attrFloats("intercepts", 0.25))
	runMLCases(t, []mlCase{
		{name: "two targets", node: node(Float32, two...), in: []*Tensor{f32(sh(2, 2), 1, 1, 0, -1)},
			want: []*Tensor{f32(sh(2, 2), 4, -2, -1, -1)}},
		{name: "softmax", node: node(Float32, mlWith(two, attrString("post_transform", "SOFTMAX"))...), in: []*Tensor{f32(sh(1, 2), 0, -1)},
			want: []*Tensor{f32(sh(1, 2), 0.5, 0.5)}},
		{name: "one target default", node: node(Float32, one...), in: []*Tensor{f32(sh(2, 2), 1, 1, 0, 0)}, want: []*Tensor{f32(sh(2, 1), 3.25, 0.25)}},
		{name: "one target logistic ignored", node: node(Float32, mlWith(one, attrString("post_transform", "LOGISTIC"))...),
			in: []*Tensor{f32(sh(1, 2), 1, 1)}, want: []*Tensor{f32(sh(1, 1), 3.25)}},
		{name: "one target probit", node: node(Float32, mlWith(one, attrString("post_transform", "PROBIT"))...),
			in: []*Tensor{f32(sh(1, 2), 0, 0)}, want: []*Tensor{f32(sh(1, 1), probit(0.25))}},
		{name: "intercepts ignored when not one per target", node: node(Float32, attrFloats("coefficients", 1, 2, -1, 0), attrFloats("intercepts", 5), attrInt("targets", 2)),
			in: []*Tensor{f32(sh(1, 2), 1, 1)}, want: []*Tensor{f32(sh(1, 2), 3, -1)}},
		{name: "vector", node: node(Float32, one...), in: []*Tensor{f32(sh(2), 1, 0)}, want: []*Tensor{f32(sh(1, 1), 1.25)}},
		{name: "empty batch", node: node(Float32, one...), in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{f32(sh(0, 1))}},
		{name: "feature count", node: node(Float32, one...), in: []*Tensor{f32(sh(1, 3), 1, 2, 3)}, wantErr: "3 features, the model 2"},
		{name: "rank 3", node: node(Float32, one...), in: []*Tensor{f32(sh(1, 1, 2), 1, 2)}, wantErr: "rank 1 or 2"},
		{name: "double input", node: node(Undefined, one...), in: []*Tensor{f64(sh(1, 2), 1, 2)}, wantErr: "want float32", direct: true},
	})
	runLoadCases(t, []loadCase{
		{name: "no coefficients", node: node(Float32), wantErr: "coefficients"},
		{name: "targets 0", node: node(Float32, attrFloats("coefficients", 1), attrInt("targets", 0)), wantErr: "targets is 0"},
		{name: "ragged", node: node(Float32, attrFloats("coefficients", 1, 2, 3), attrInt("targets", 2)), wantErr: "do not make 2 rows"},
		{name: "double input", node: node(Float64, one...), wantErr: "only float32"},
	})
}
