package onnx

import (
	"math"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func TestSVMClassifier(t *testing.T) {
	node := func(in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "SVMClassifier", in: []DataType{in}, outs: 2, attrs: a}
	}
	// Two classes, one support vector each, linear kernel: with the
	// support vectors e0 and e1, s = 0.5·x0 - 0.25·x1 + 0.1.
	binary := withAttrs(attrString("kernel_type", "LINEAR"), attrFloats("kernel_params", 1, 0, 1),
		attrFloats("support_vectors", 1, 0, 0, 1), attrInts("vectors_per_class", 1, 1),
		attrFloats("coefficients", 0.5, -0.25), attrFloats("rho", 0.1), attrInts("classlabels_ints", 7, 9))
	x := f32(sh(2, 2), 1, 2, -3, 1)
	// Row 0: s = 0.1 (a vote for class 0); row 1: s = -1.65.
	s0, s1 := float32(0.1), float32(-1.65)
	// Three classes, one support vector each, and the pairwise decision
	// values (0,1): K0 - K1, (0,2): K0 - K2, (1,2): K1 - K2 (coefficients
	// [[1, -1, 0], [1, 0, -1]] in libsvm's layout, rho 0).
	three := withAttrs(attrString("kernel_type", "LINEAR"), attrFloats("kernel_params", 1, 0, 1),
		attrFloats("support_vectors", 1, 0, 0, 1, 1, 1), attrInts("vectors_per_class", 1, 1, 1),
		attrFloats("coefficients", 1, -1, -1, 1, 1, -1), attrFloats("rho", 0, 0, 0), attrStrings("classlabels_strings", "a", "b", "c"))
	rbf := withAttrs(attrString("kernel_type", "RBF"), attrFloats("kernel_params", 0.5, 0, 0),
		attrFloats("support_vectors", 0, 0, 2, 0), attrInts("vectors_per_class", 1, 1),
		attrFloats("coefficients", 1, -1), attrFloats("rho", 0), attrInts("classlabels_ints", 0, 1))
	k0, k1 := float32(math.Exp(-0.5*1)), float32(math.Exp(-0.5*1)) // x = (1, 0) is 1 from both
	runMLCases(t, []mlCase{
		{name: "binary NONE", node: node(Float32, binary...), in: []*Tensor{x},
			want: []*Tensor{i64(sh(2), 7, 9), f32(sh(2, 2), -s0, s0, -s1, s1)}},
		{name: "binary LOGISTIC", node: node(Float32, mlWith(binary, attrString("post_transform", "LOGISTIC"))...), in: []*Tensor{x},
			want: []*Tensor{i64(sh(2), 7, 9), f32(sh(2, 2), logistic(-s0), logistic(s0), logistic(-s1), logistic(s1))}},
		{name: "binary SOFTMAX", node: node(Float32, mlWith(binary, attrString("post_transform", "SOFTMAX"))...), in: []*Tensor{x},
			want: []*Tensor{i64(sh(2), 7, 9), f32(sh(2, 2), 1-s0, s0, 1-s1, s1)}},
		{name: "binary PROBIT", node: node(Float32, mlWith(binary, attrString("post_transform", "PROBIT"))...), in: []*Tensor{x},
			want: []*Tensor{i64(sh(2), 7, 9), f32(sh(2, 2), probit(s0), 0, probit(s1), 0)}},
		{name: "three classes votes", node: node(Float32, three...), in: []*Tensor{f32(sh(2, 2), 2, -1, -1, 2)},
			want: []*Tensor{str(sh(2), "a", "b"), f32(sh(2, 3), 3, 1, -2, -3, -2, 1)}},
		{name: "three classes tie", node: node(Float32, three...), in: []*Tensor{f32(sh(1, 2), 0, 0)},
			want: []*Tensor{str(sh(1), "c"), f32(sh(1, 3), 0, 0, 0)}},
		{name: "rbf", node: node(Float32, rbf...), in: []*Tensor{f32(sh(1, 2), 1, 0)},
			want: []*Tensor{i64(sh(1), 1), f32(sh(1, 2), -(k0 - k1), k0-k1)}},
		{name: "int32 input", node: node(Int32, binary...), in: []*Tensor{i32(sh(1, 2), 1, 2)},
			want: []*Tensor{i64(sh(1), 7), f32(sh(1, 2), -s0, s0)}},
		{name: "vector input", node: node(Float32, binary...), in: []*Tensor{f32(sh(2), 1, 2)},
			want: []*Tensor{i64(sh(1), 7), f32(sh(1, 2), -s0, s0)}},
		{name: "empty batch", node: node(Float32, three...), in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{str(sh(0)), f32(sh(0, 3))}},
		{name: "feature count", node: node(Float32, binary...), in: []*Tensor{f32(sh(1, 3), 1, 2, 3)}, wantErr: "3 features, the model 2"},
		{name: "rank 3", node: node(Float32, binary...), in: []*Tensor{f32(sh(1, 1, 2), 1, 2)}, wantErr: "rank 1 or 2"},
	})
	runLoadCases(t, []loadCase{
		{name: "no kernel_params", node: node(Float32, mlWithout(binary, "kernel_params")...), wantErr: "kernel_params"},
		{name: "kernel_params length", node: node(Float32, mlWith(binary, attrFloats("kernel_params", 1, 2))...), wantErr: "has 2 values"},
		{name: "unknown kernel", node: node(Float32, mlWith(binary, attrString("kernel_type", "rbf"))...), wantErr: "kernel_type"},
		{name: "no labels", node: node(Float32, attrFloats("kernel_params", 1, 0, 1), attrFloats("coefficients", 1), attrFloats("rho", 0)),
			wantErr: "classlabels"},
		{name: "vectors_per_class length", node: node(Float32, mlWith(three, attrInts("vectors_per_class", 1, 2))...),
			wantErr: "2 counts for 3 classes"},
		{name: "ragged support vectors", node: node(Float32, mlWith(binary, attrFloats("support_vectors", 1, 0, 0))...),
			wantErr: "do not make 2 vectors"},
		{name: "few coefficients", node: node(Float32, mlWith(three, attrFloats("coefficients", 1, 2, 3))...),
			wantErr: "want (classes-1)·vectors = 6"},
		{name: "few rho", node: node(Float32, mlWith(three, attrFloats("rho", 0, 0))...), wantErr: "want one per pair"},
		{name: "prob lengths", node: node(Float32, mlWith(binary, attrFloats("prob_a", 1), attrFloats("prob_b", 1, 2))...), wantErr: "prob_a has 1"},
		{name: "linear mode ragged", node: node(Float32, attrFloats("kernel_params", 1, 0, 1), attrFloats("coefficients", 1, 2, 3), attrFloats("rho", 0),
			attrInts("classlabels_ints", 1, 2)), wantErr: "do not make 2 rows"},
		{name: "negative count", node: node(Float32, mlWith(binary, attrInts("vectors_per_class", 2, -1))...),
			wantErr: "count of -1"},
	})
}

func TestSVMClassifierLinearMode(t *testing.T) {
	node := func(a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "SVMClassifier", in: []DataType{Float32}, outs: 2, attrs: a}
	}
	base := func(coef ...float32) []*onnxpb.AttributeProto {
		return withAttrs(attrFloats("kernel_params", 0, 0, 0), attrFloats("coefficients", coef...), attrFloats("rho", 0), attrInts("classlabels_ints", 5, 7))
	}
	// Scores [x0·c0, x0·c1] for x = (1).
	runMLCases(t, []mlCase{
		{name: "mixed signs, max > 0 picks the second class", node: node(base(3, -1)...), in: []*Tensor{f32(sh(1, 1), 1)},
			want: []*Tensor{i64(sh(1), 7), f32(sh(1, 2), 3, -1)}},
		{name: "mixed signs, max <= 0 is argmax", node: node(base(-3, -1)...), in: []*Tensor{f32(sh(1, 1), 1)},
			want: []*Tensor{i64(sh(1), 7), f32(sh(1, 2), -3, -1)}},
		{name: "positive, max >= 0.5 picks the second class", node: node(base(0.6, 0.1)...), in: []*Tensor{f32(sh(1, 1), 1)},
			want: []*Tensor{i64(sh(1), 7), f32(sh(1, 2), 0.6, 0.1)}},
		{name: "positive, max < 0.5 is argmax", node: node(base(0.4, 0.1)...), in: []*Tensor{f32(sh(1, 1), 1)},
			want: []*Tensor{i64(sh(1), 5), f32(sh(1, 2), 0.4, 0.1)}},
		{name: "with probabilities: argmax", node: node(mlWith(base(3, -1), attrFloats("prob_a", 1), attrFloats("prob_b", 1))...),
			in: []*Tensor{f32(sh(1, 1), 1)}, want: []*Tensor{i64(sh(1), 5), f32(sh(1, 2), 3, -1)}},
		{name: "rho[0] for every class", node: node(attrFloats("kernel_params", 0, 0, 0), attrFloats("coefficients", 1, 2, 3), attrFloats("rho", 0.5, 9),
			attrInts("classlabels_ints", 1, 2, 3)), in: []*Tensor{f32(sh(1, 1), 1)}, want: []*Tensor{i64(sh(1), 3), f32(sh(1, 3), 1.5, 2.5, 3.5)}},
	})
}

func TestMulticlassProbability(t *testing.T) {
	tests := []struct {
		name string
		r    []float32 // C×C pairwise probabilities
		want []float32
	}{
		{name: "two classes", r: []float32{0, 0.8, 0.2, 0}, want: []float32{0.8, 0.2}},
		{name: "uniform", r: []float32{0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0}, want: []float32{1.0 / 3, 1.0 / 3, 1.0 / 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := len(tt.want)
			p := make([]float32, c)
			multiclassProbability(c, tt.r, p, make([]float32, c*c+c))
			for i := range p {
				if math.Abs(float64(p[i]-tt.want[i])) > 0.005 {
					t.Fatalf("multiclassProbability(%v) = %v; want %v", tt.r, p, tt.want)
				}
			}
		})
	}
}

func TestSVMRegressor(t *testing.T) {
	node := func(in DataType, a ...*onnxpb.AttributeProto) mlNode {
		return mlNode{op: "SVMRegressor", in: []DataType{in}, attrs: a}
	}
	// Two support vectors e0, e1 with coefficients 2 and -1: y = 2·K0 - K1 + 0.5.
	svr := func(kernel string, params ...float32) []*onnxpb.AttributeProto {
		return withAttrs(attrString("kernel_type", kernel), attrFloats("kernel_params", params...), attrFloats("support_vectors", 1, 0, 0, 1),
			attrInt("n_supports", 2), attrFloats("coefficients", 2, -1), attrFloats("rho", 0.5))
	}
	x := f32(sh(2, 2), 1, 2, 0, 0)
	e := func(v float64) float32 { return float32(math.Exp(v)) }
	runMLCases(t, []mlCase{
		{name: "linear", node: node(Float32, svr("LINEAR", 0, 0, 0)...), in: []*Tensor{x}, want: []*Tensor{f32(sh(2, 1), 0.5, 0.5)}},
		{name: "poly", node: node(Float32, svr("POLY", 1, 1, 2)...), in: []*Tensor{x}, want: []*Tensor{f32(sh(2, 1), 2*4-9+0.5, 2-1+0.5)}},
		{name: "rbf", node: node(Float32, svr("RBF", 1, 0, 0)...), in: []*Tensor{x},
			want: []*Tensor{f32(sh(2, 1), 2*e(-4)-e(-2)+0.5, 2*e(-1)-e(-1)+0.5)}},
		{name: "sigmoid", node: node(Float32, svr("SIGMOID", 1, 0, 0)...), in: []*Tensor{f32(sh(1, 2), 0, 0)}, want: []*Tensor{f32(sh(1, 1), 0.5)}},
		{name: "one_class", node: node(Float32, mlWith(svr("LINEAR", 0, 0, 0), attrInt("one_class", 1), attrFloats("rho", -0.5))...),
			in: []*Tensor{f32(sh(2, 2), 1, 0, 0, 1)}, want: []*Tensor{f32(sh(2, 1), 1, -1)}},
		{name: "linear mode", node: node(Float32, attrFloats("kernel_params", 0, 0, 0), attrFloats("coefficients", 1, -1), attrFloats("rho", 2)),
			in: []*Tensor{x}, want: []*Tensor{f32(sh(2, 1), 1, 2)}},
		{name: "post_transform ignored", node: node(Float32, mlWith(svr("LINEAR", 0, 0, 0), attrString("post_transform", "LOGISTIC"))...),
			in: []*Tensor{f32(sh(1, 2), 1, 0)}, want: []*Tensor{f32(sh(1, 1), 2.5)}},
		{name: "vector", node: node(Float32, svr("LINEAR", 0, 0, 0)...), in: []*Tensor{f32(sh(2), 1, 0)}, want: []*Tensor{f32(sh(1, 1), 2.5)}},
		{name: "empty", node: node(Float32, svr("RBF", 1, 0, 0)...), in: []*Tensor{f32(sh(0, 2))}, want: []*Tensor{f32(sh(0, 1))}},
		{name: "feature count", node: node(Float32, svr("RBF", 1, 0, 0)...), in: []*Tensor{f32(sh(1, 1), 1)}, wantErr: "1 features, the model 2"},
		{name: "double input", node: node(Undefined, svr("RBF", 1, 0, 0)...), in: []*Tensor{f64(sh(1, 2), 1, 2)}, wantErr: "want float32", direct: true},
	})
	runLoadCases(t, []loadCase{
		{name: "double input", node: node(Float64, svr("RBF", 1, 0, 0)...), wantErr: "only float32"},
		{name: "no rho", node: node(Float32, attrFloats("kernel_params", 0, 0, 0), attrFloats("coefficients", 1)), wantErr: "rho"},
		{name: "few coefficients", node: node(Float32, mlWith(svr("RBF", 1, 0, 0), attrFloats("coefficients", 1))...), wantErr: "1 coefficients for 2"},
		{name: "ragged vectors", node: node(Float32, mlWith(svr("RBF", 1, 0, 0), attrFloats("support_vectors", 1, 2, 3))...), wantErr: "do not make 2 vectors"},
		{name: "negative n_supports", node: node(Float32, mlWith(svr("RBF", 1, 0, 0), attrInt("n_supports", -1))...), wantErr: "n_supports is -1"},
	})
}
