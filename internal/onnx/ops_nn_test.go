package onnx

import (
	"math"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// naiveMatMul multiplies row-major a [n,k] and b [k,m] in float64.
func naiveMatMul(a, b []float32, n, k, m int) []float32 {
	c := make([]float32, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += float64(a[i*k+p]) * float64(b[p*m+j])
			}
			c[i*m+j] = float32(s)
		}
	}
	return c
}

func seq(n int, scale float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(i%7-3) * scale
	}
	return s
}

func TestMatMul(t *testing.T) {
	op := func(opset int, a, b *Tensor) nodeSpec {
		return nodeSpec{op: "MatMul", opset: opset, in: []*Tensor{a, b}}
	}
	a := mat(2, 3, 1, 2, 3, 4, 5, 6)
	b := mat(3, 2, 1, 0, 0, 1, 1, 1)
	big := func(n, k, m int) opTest {
		x, w := seq(n*k, 0.5), seq(k*m, 0.25)
		return opTest{name: "sizes", spec: op(13, NewFloat32(x, n, k), NewFloat32(w, k, m)),
			want: []*Tensor{NewFloat32(naiveMatMul(x, w, n, k, m), n, m)}, tol: 1e-5}
	}
	tests := []opTest{
		{name: "2-D", spec: op(13, a, b), want: []*Tensor{mat(2, 2, 4, 5, 10, 11)}},
		{name: "vector times matrix", spec: op(13, vecF(1, 2, 3), b), want: []*Tensor{vecF(4, 5)}},
		{name: "matrix times vector", spec: op(13, a, vecF(1, 0, 1)), want: []*Tensor{vecF(4, 10)}},
		{name: "vector times vector", spec: op(13, vecF(1, 2, 3), vecF(4, 5, 6)), want: []*Tensor{NewFloat32([]float32{32})}},
		{name: "batch times matrix", spec: op(13, NewFloat32([]float32{1, 2, 3, 4, 5, 6, 1, 1, 1, 0, 0, 0}, 2, 2, 3), b),
			want: []*Tensor{NewFloat32([]float32{4, 5, 10, 11, 2, 2, 0, 0}, 2, 2, 2)}},
		{name: "broadcast batches", spec: op(13, NewFloat32([]float32{1, 2, 3, 4}, 2, 1, 1, 2), NewFloat32([]float32{1, 0, 0, 1, 2, 0, 0, 2, 1, 1, 1, 1}, 3, 2, 2)),
			want: []*Tensor{NewFloat32([]float32{1, 2, 2, 4, 3, 3, 3, 4, 6, 8, 7, 7}, 2, 3, 1, 2)}},
		{name: "empty batch", spec: op(13, NewFloat32(nil, 0, 3), b), want: []*Tensor{NewFloat32(nil, 0, 2)}},
		{name: "empty inner", spec: op(13, NewFloat32(nil, 2, 0), NewFloat32(nil, 0, 2)), want: []*Tensor{mat(2, 2, 0, 0, 0, 0)}},
		{name: "NaN", spec: op(13, mat(1, 2, nan32, 1), mat(2, 1, 0, 1)), want: []*Tensor{mat(1, 1, nan32)}},
		{name: "int64", spec: op(13, NewInt64([]int64{1, 2, 3, 4}, 2, 2), NewInt64([]int64{5, 6, 7, 8}, 2, 2)), want: []*Tensor{NewInt64([]int64{19, 22, 43, 50}, 2, 2)}},
		{name: "float64", spec: op(9, NewFloat64([]float64{1, 2}, 1, 2), NewFloat64([]float64{3, 4}, 2, 1)), want: []*Tensor{NewFloat64([]float64{11}, 1, 1)}},
		{name: "MatMul-1 int", spec: op(1, NewInt64([]int64{1}, 1, 1), NewInt64([]int64{1}, 1, 1)), wantErr: "load: "},
		{name: "inner mismatch", spec: op(13, a, a), wantErr: "cannot be multiplied"},
		{name: "result too large", spec: op(13, NewFloat32(make([]float32, 1<<16), 1<<16, 1), NewFloat32(make([]float32, 1<<16), 1, 1<<16)), wantErr: "more than"},
		{name: "batch mismatch", spec: op(13, NewFloat32(make([]float32, 12), 2, 2, 3), NewFloat32(make([]float32, 18), 3, 3, 2)), wantErr: "cannot be multiplied"},
		{name: "scalar", spec: op(13, scalarF(1), b), wantErr: "at least one dimension"},
		{name: "mixed types", spec: op(13, a, NewFloat64(make([]float64, 6), 3, 2)), wantErr: "load: "},
		{name: "constant weights", spec: nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{a, b}, consts: []int{1}}, want: []*Tensor{mat(2, 2, 4, 5, 10, 11)}},
		{name: "constant weights, batch", spec: nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{NewFloat32([]float32{1, 2, 3, 4, 5, 6, 1, 1, 1, 0, 0, 0}, 2, 2, 3), b}, consts: []int{1}},
			want: []*Tensor{NewFloat32([]float32{4, 5, 10, 11, 2, 2, 0, 0}, 2, 2, 2)}},
		{name: "constant weights, vector", spec: nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{vecF(1, 2, 3), b}, consts: []int{1}}, want: []*Tensor{vecF(4, 5)}},
		{name: "constant vector", spec: nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{a, vecF(1, 0, 1)}, consts: []int{1}}, want: []*Tensor{vecF(4, 10)}},
		{name: "constant weights, NaN", spec: nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{mat(1, 2, nan32, 1), mat(2, 1, 0, 1)}, consts: []int{1}}, want: []*Tensor{mat(1, 1, nan32)}},
		{name: "batch of one", spec: op(13, NewFloat32([]float32{1, 2, 3, 4, 5, 6}, 1, 2, 3), NewFloat32([]float32{1, 0, 0, 1, 1, 1}, 1, 3, 2)),
			want: []*Tensor{NewFloat32([]float32{4, 5, 10, 11}, 1, 2, 2)}},
		{name: "float64 batch broadcast", spec: op(13, NewFloat64([]float64{1, 2}, 1, 2), NewFloat64([]float64{1, 0, 0, 1, 2, 0, 0, 2}, 2, 2, 2)),
			want: []*Tensor{NewFloat64([]float64{1, 2, 2, 4}, 2, 1, 2)}},
		big(1, 30, 16), big(7, 30, 16), big(9, 5, 3), big(64, 17, 1),
	}
	runOpTests(t, tests)
}

func TestGemm(t *testing.T) {
	gemm := func(opset int, ins []*Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: "Gemm", opset: opset, in: ins, attrs: attrs}
	}
	a := mat(2, 3, 1, 2, 3, 4, 5, 6)
	at := mat(3, 2, 1, 4, 2, 5, 3, 6)
	b := mat(3, 2, 1, 0, 0, 1, 1, 1)
	bt := mat(2, 3, 1, 0, 1, 0, 1, 1)
	ab := mat(2, 2, 4, 5, 10, 11)
	tests := []opTest{
		{name: "no C", spec: gemm(13, []*Tensor{a, b}), want: []*Tensor{ab}},
		{name: "C row", spec: gemm(13, []*Tensor{a, b, vecF(1, 2)}), want: []*Tensor{mat(2, 2, 5, 7, 11, 13)}},
		{name: "C column", spec: gemm(13, []*Tensor{a, b, mat(2, 1, 1, 2)}), want: []*Tensor{mat(2, 2, 5, 6, 12, 13)}},
		{name: "C scalar", spec: gemm(11, []*Tensor{a, b, scalarF(1)}), want: []*Tensor{mat(2, 2, 5, 6, 11, 12)}},
		{name: "transA", spec: gemm(13, []*Tensor{at, b}, attrInt("transA", 1)), want: []*Tensor{ab}},
		{name: "transB", spec: gemm(13, []*Tensor{a, bt}, attrInt("transB", 1)), want: []*Tensor{ab}},
		{name: "transB constant", spec: nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{a, bt, vecF(1, 2)}, consts: []int{1, 2}, attrs: attrList(attrInt("transB", 1))}, want: []*Tensor{mat(2, 2, 5, 7, 11, 13)}},
		{name: "transA transB", spec: gemm(13, []*Tensor{at, bt}, attrInt("transA", 1), attrInt("transB", 1)), want: []*Tensor{ab}},
		{name: "alpha beta", spec: gemm(13, []*Tensor{a, b, vecF(1, 2)}, attrFloat("alpha", 2), attrFloat("beta", -1)), want: []*Tensor{mat(2, 2, 7, 8, 19, 20)}},
		{name: "beta 0 ignores C", spec: gemm(13, []*Tensor{a, b, vecF(nan32, 1)}, attrFloat("beta", 0)), want: []*Tensor{ab}},
		{name: "empty rows", spec: gemm(13, []*Tensor{NewFloat32(nil, 0, 3), b, vecF(1, 2)}), want: []*Tensor{NewFloat32(nil, 0, 2)}},
		{name: "empty inner keeps C unscaled", spec: gemm(13, []*Tensor{NewFloat32(nil, 2, 0), NewFloat32(nil, 0, 2), vecF(1, 2)}, attrFloat("beta", 2)),
			want: []*Tensor{mat(2, 2, 1, 2, 1, 2)}},
		{name: "empty inner without C", spec: gemm(13, []*Tensor{NewFloat32(nil, 2, 0), NewFloat32(nil, 0, 2)}), want: []*Tensor{mat(2, 2, 0, 0, 0, 0)}},
		{name: "empty inner float64", spec: gemm(13, []*Tensor{NewFloat64(nil, 1, 0), NewFloat64(nil, 0, 2), NewFloat64([]float64{3}, 1)}, attrFloat("beta", 2)),
			want: []*Tensor{NewFloat64([]float64{3, 3}, 1, 2)}},
		{name: "constant B", spec: nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{a, b, mat(2, 1, 1, 2)}, consts: []int{1}, attrs: attrList(attrFloat("alpha", 2))},
			want: []*Tensor{mat(2, 2, 9, 11, 22, 24)}},
		{name: "constant B, NaN in A", spec: nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{mat(1, 3, 1, nan32, 0), b}, consts: []int{1}},
			want: []*Tensor{mat(1, 2, nan32, nan32)}},
		{name: "constant B float64", spec: nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{NewFloat64([]float64{1, 2}, 1, 2), NewFloat64([]float64{3, 4}, 1, 2)}, consts: []int{1}, attrs: attrList(attrInt("transB", 1))},
			want: []*Tensor{NewFloat64([]float64{11}, 1, 1)}},
		{name: "float64", spec: gemm(9, []*Tensor{NewFloat64([]float64{1, 2}, 1, 2), NewFloat64([]float64{3, 4}, 2, 1), NewFloat64([]float64{1}, 1)}), want: []*Tensor{NewFloat64([]float64{12}, 1, 1)}},
		{name: "Gemm-9 needs C", spec: gemm(9, []*Tensor{a, b}), wantErr: "load: "},
		{name: "Gemm-6", spec: gemm(6, []*Tensor{a, b, vecF(1, 2)}), wantErr: "load: "},
		{name: "C does not broadcast", spec: gemm(13, []*Tensor{a, b, vecF(1, 2, 3)}), wantErr: "does not broadcast"},
		{name: "C larger than result", spec: gemm(13, []*Tensor{a, b, mat(3, 2, 1, 1, 1, 1, 1, 1)}), wantErr: "does not broadcast"},
		{name: "inner mismatch", spec: gemm(13, []*Tensor{a, a}), wantErr: "cannot be multiplied"},
		{name: "vector", spec: gemm(13, []*Tensor{vecF(1, 2, 3), b}), wantErr: "must be matrices"},
		{name: "int64", spec: gemm(13, []*Tensor{NewInt64([]int64{1}, 1, 1), NewInt64([]int64{1}, 1, 1)}), wantErr: "load: "},
		{name: "constant vector", spec: nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{a, vecF(1, 2, 3)}, consts: []int{1}}, wantErr: "load: "},
		{name: "bad alpha type", spec: gemm(13, []*Tensor{a, b}, attrInt("alpha", 2)), wantErr: "load: "},
	}
	runOpTests(t, tests)
}

func TestSoftmax(t *testing.T) {
	sm := func(name string, opset int, x *Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: name, opset: opset, in: []*Tensor{x}, attrs: attrs}
	}
	e := func(v ...float64) []float64 {
		var s float64
		for _, x := range v {
			s += math.Exp(x)
		}
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = math.Exp(x) / s
		}
		return out
	}
	f32 := func(v []float64) []float32 {
		out := make([]float32, len(v))
		for i, x := range v {
			out[i] = float32(x)
		}
		return out
	}
	x := NewFloat32([]float32{1, 2, 3, 4, 1, 1, 1, 1}, 2, 1, 4)
	row := f32(e(1, 2, 3, 4))
	all := f32(e(1, 2, 3, 4, 1, 1, 1, 1))
	tests := []opTest{
		{name: "v13 last axis", spec: sm("Softmax", 13, x), want: []*Tensor{NewFloat32(append(append([]float32{}, row...), 0.25, 0.25, 0.25, 0.25), 2, 1, 4)}},
		{name: "v13 axis 0", spec: sm("Softmax", 13, mat(2, 2, 0, 1, 0, 1), attrInt("axis", 0)), want: []*Tensor{mat(2, 2, 0.5, 0.5, 0.5, 0.5)}},
		{name: "v11 default axis 1 flattens", spec: sm("Softmax", 11, x), want: []*Tensor{NewFloat32(append(append([]float32{}, row...), 0.25, 0.25, 0.25, 0.25), 2, 1, 4)}},
		{name: "v1 axis 0 flattens all", spec: sm("Softmax", 1, x, attrInt("axis", 0)), want: []*Tensor{NewFloat32(all, 2, 1, 4)}},
		{name: "v11 negative axis", spec: sm("Softmax", 11, x, attrInt("axis", -3)), want: []*Tensor{NewFloat32(all, 2, 1, 4)}},
		{name: "NaN row", spec: sm("Softmax", 13, vecF(1, nan32)), want: []*Tensor{vecF(nan32, nan32)}},
		{name: "large values", spec: sm("Softmax", 13, vecF(1000, 1000)), want: []*Tensor{vecF(0.5, 0.5)}},
		{name: "LogSoftmax", spec: sm("LogSoftmax", 13, vecF(0, 0)), want: []*Tensor{vecF(-float32(math.Ln2), -float32(math.Ln2))}},
		{name: "Hardmax ties", spec: sm("Hardmax", 13, mat(2, 3, 1, 3, 3, 2, 1, 0)), want: []*Tensor{mat(2, 3, 0, 1, 0, 1, 0, 0)}},
		{name: "Hardmax NaN first", spec: sm("Hardmax", 13, vecF(nan32, 1)), want: []*Tensor{vecF(0, 0)}},
		{name: "Hardmax float64", spec: sm("Hardmax", 13, vecD(1, 2)), wantErr: "load: "},
		{name: "empty", spec: sm("Softmax", 13, NewFloat32(nil, 0, 3)), want: []*Tensor{NewFloat32(nil, 0, 3)}},
		{name: "empty axis 0", spec: sm("Softmax", 13, NewFloat32(nil, 0, 3), attrInt("axis", 0)), want: []*Tensor{NewFloat32(nil, 0, 3)}},
		{name: "LogSoftmax empty middle axis", spec: sm("LogSoftmax", 13, NewFloat32(nil, 2, 0, 3), attrInt("axis", 1)), want: []*Tensor{NewFloat32(nil, 2, 0, 3)}},
		{name: "Hardmax empty axis 0", spec: sm("Hardmax", 13, NewFloat32(nil, 0, 2), attrInt("axis", 0)), want: []*Tensor{NewFloat32(nil, 0, 2)}},
		{name: "axis out of range", spec: sm("Softmax", 13, x, attrInt("axis", 3)), wantErr: "out of range"},
		{name: "scalar", spec: sm("Softmax", 13, scalarF(1)), wantErr: "out of range"},
		{name: "int", spec: sm("Softmax", 13, vecI(1)), wantErr: "load: "},
	}
	runOpTests(t, tests)
}

func TestPReluDropout(t *testing.T) {
	drop := func(opset int, ins []*Tensor, outs int, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: "Dropout", opset: opset, in: ins, outs: outs, attrs: attrs}
	}
	x := vecF(-2, 0, 3)
	tests := []opTest{
		{name: "PRelu scalar slope", spec: nodeSpec{op: "PRelu", opset: 16, in: []*Tensor{x, scalarF(0.5)}}, want: []*Tensor{vecF(-1, 0, 3)}},
		{name: "PRelu per channel", spec: nodeSpec{op: "PRelu", opset: 9, in: []*Tensor{mat(2, 2, -1, -1, 1, -2), vecF(0.1, 0.2)}}, want: []*Tensor{mat(2, 2, -0.1, -0.2, 1, -0.4)}},
		{name: "PRelu int64", spec: nodeSpec{op: "PRelu", opset: 16, in: []*Tensor{vecI(-2, 2), vecI(3)}}, want: []*Tensor{vecI(-6, 2)}},
		{name: "PRelu-9 int64", spec: nodeSpec{op: "PRelu", opset: 9, in: []*Tensor{vecI(-2), vecI(3)}}, wantErr: "load: "},
		{name: "Dropout-7 mask", spec: drop(7, []*Tensor{x}, 2, attrFloat("ratio", 0.5)), want: []*Tensor{x, vecF(0, 0, 0)}},
		{name: "Dropout-10 mask", spec: drop(10, []*Tensor{x}, 2), want: []*Tensor{x, vecB(false, false, false)}},
		{name: "Dropout-13 mask", spec: drop(13, []*Tensor{x, scalarF(0.2)}, 2), want: []*Tensor{x, vecB(true, true, true)}},
		{name: "Dropout-13 training", spec: drop(13, []*Tensor{x, scalarF(0.2), NewBool([]bool{true})}, 1), wantErr: "training mode"},
		{name: "Dropout-13 constant training", spec: nodeSpec{op: "Dropout", opset: 13, in: []*Tensor{x, scalarF(0.2), NewBool([]bool{true})}, consts: []int{2}}, wantErr: "load: "},
		{name: "Dropout-13 not training", spec: drop(13, []*Tensor{x, nil, NewBool([]bool{false})}, 1), want: []*Tensor{x}},
		{name: "Dropout-13 bad ratio", spec: drop(13, []*Tensor{x, scalarF(1)}, 1), wantErr: "not in [0, 1)"},
		{name: "Dropout-13 ratio attribute", spec: drop(13, []*Tensor{x}, 1, attrFloat("ratio", 0.5)), wantErr: "load: "},
		{name: "Dropout-6", spec: drop(6, []*Tensor{x}, 1), wantErr: "load: "},
	}
	runOpTests(t, tests)
}
