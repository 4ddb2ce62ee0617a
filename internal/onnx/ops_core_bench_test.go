package onnx

import (
	"context"
	"fmt"
	"testing"
)

// prepareNode loads a one-node model and returns a function that runs
// its graph on a state holding the spec's inputs, as the engine does,
// without the output copies Model.Run makes.
func prepareNode(tb testing.TB, spec nodeSpec) func() error {
	tb.Helper()
	m, err := spec.load()
	if err != nil {
		tb.Fatal(err)
	}
	st := m.g.newState()
	next := 0
	for i, t := range spec.in {
		if t != nil && !spec.isConst(i) {
			st.setInput(m.g.inputs[next], t)
			next++
		}
	}
	ctx := context.Background()
	return func() error { return m.g.exec(ctx, st) }
}

// benchNode measures one node's kernel.
func benchNode(b *testing.B, spec nodeSpec) {
	b.Helper()
	run := prepareNode(b, spec)
	if err := run(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := run(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestKernelsDoNotAllocate checks that kernels on the hot path allocate
// nothing once their output buffers have grown.
func TestKernelsDoNotAllocate(t *testing.T) {
	x := NewFloat32(seq(50*30, 0.5), 50, 30)
	w := NewFloat32(seq(30*16, 0.25), 30, 16)
	tests := []struct {
		name string
		spec nodeSpec
	}{
		{"Add row", nodeSpec{op: "Add", opset: 14, in: []*Tensor{x, NewFloat32(seq(30, 1), 30)}, consts: []int{1}}},
		{"Sub column", nodeSpec{op: "Sub", opset: 14, in: []*Tensor{x, NewFloat32(seq(50, 1), 50, 1)}}},
		{"Less rank 3", nodeSpec{op: "Less", opset: 13, in: []*Tensor{NewFloat32(seq(60, 1), 2, 30, 1), NewFloat32(seq(4, 1), 4)}}},
		{"Pow", nodeSpec{op: "Pow", opset: 15, in: []*Tensor{x, NewFloat32([]float32{2}, 1)}}},
		{"Sum", nodeSpec{op: "Sum", opset: 13, in: []*Tensor{x, x, NewFloat32(seq(30, 1), 30)}}},
		{"Where", nodeSpec{op: "Where", opset: 16, in: []*Tensor{NewBool(make([]bool, 30), 30), x, NewFloat32([]float32{0}, 1)}}},
		{"Clip", nodeSpec{op: "Clip", opset: 13, in: []*Tensor{x, NewFloat32([]float32{0}), NewFloat32([]float32{1})}}},
		{"Cast", nodeSpec{op: "Cast", opset: 13, in: []*Tensor{x}, attrs: attrList(attrInt("to", int64(Float64)))}},
		{"Exp", nodeSpec{op: "Exp", opset: 13, in: []*Tensor{x}}},
		{"MatMul", nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{x, w}, consts: []int{1}}},
		{"Gemm", nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{x, NewFloat32(seq(16*30, 1), 16, 30), NewFloat32(seq(16, 1), 16)}, consts: []int{1, 2}, attrs: attrList(attrInt("transB", 1))}},
		{"Softmax", nodeSpec{op: "Softmax", opset: 13, in: []*Tensor{x}}},
		{"ReduceSum", nodeSpec{op: "ReduceSum", opset: 13, in: []*Tensor{x, NewInt64([]int64{1}, 1)}, consts: []int{1}}},
		{"ReduceLogSumExp", nodeSpec{op: "ReduceLogSumExp", opset: 18, in: []*Tensor{x, NewInt64([]int64{0}, 1)}, consts: []int{1}}},
		{"ArgMax", nodeSpec{op: "ArgMax", opset: 13, in: []*Tensor{x}, attrs: attrList(attrInt("axis", 1))}},
		{"TopK", nodeSpec{op: "TopK", opset: 11, in: []*Tensor{x, NewInt64([]int64{3}, 1)}, consts: []int{1}, outs: 2}},
		{"TopK sort", nodeSpec{op: "TopK", opset: 11, in: []*Tensor{x, NewInt64([]int64{20}, 1)}, consts: []int{1}, outs: 2}},
		{"CumSum", nodeSpec{op: "CumSum", opset: 14, in: []*Tensor{x, NewInt64([]int64{1})}, consts: []int{1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := prepareNode(t, tc.spec)
			var err error
			allocs := testing.AllocsPerRun(20, func() {
				if e := run(); e != nil {
					err = e
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if allocs != 0 {
				t.Errorf("%s allocates %v times per run; want 0", tc.spec.op, allocs)
			}
		})
	}
}

func BenchmarkAddBroadcast(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		x := NewFloat32(seq(n*30, 0.5), n, 30)
		b.Run(fmt.Sprintf("%dx30+30", n), func(b *testing.B) {
			benchNode(b, nodeSpec{op: "Add", opset: 14, in: []*Tensor{x, NewFloat32(seq(30, 0.1), 30)}, consts: []int{1}})
		})
	}
	x := NewFloat32(seq(1000*30, 0.5), 1000, 30)
	b.Run("1000x30+1000x30", func(b *testing.B) {
		benchNode(b, nodeSpec{op: "Add", opset: 14, in: []*Tensor{x, x}})
	})
	b.Run("1000x30+1x1", func(b *testing.B) {
		benchNode(b, nodeSpec{op: "Mul", opset: 14, in: []*Tensor{x, NewFloat32([]float32{2}, 1, 1)}, consts: []int{1}})
	})
}
