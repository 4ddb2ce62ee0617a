package onnx

import (
	"context"
	"fmt"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// benchGraph loads a model and times its graph's steps on inputs.
func benchGraph(b *testing.B, mp *onnxpb.ModelProto, inputs ...*Tensor) {
	b.Helper()
	benchModel(b, loadBench(b, mp), inputs...)
}

func loadBench(b *testing.B, mp *onnxpb.ModelProto) *Model {
	b.Helper()
	m, err := loadModel(mp)
	if err != nil {
		b.Fatalf("Load: %v", err)
	}
	return m
}

// benchModel times m's graph steps on inputs, reusing one evaluation
// state as Model.Run does (without Run's output copies).
func benchModel(b *testing.B, m *Model, inputs ...*Tensor) {
	b.Helper()
	if len(m.g.steps) == 0 {
		b.Fatal("the model was folded to constants")
	}
	st := m.g.newState()
	for i, slot := range m.g.inputs {
		st.setInput(slot, inputs[i])
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := m.g.exec(ctx, st); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRows returns an n×cols float32 tensor of distinct values.
func benchRows(n, cols int) *Tensor {
	t := &Tensor{Type: Float32, Shape: []int{n, cols}, Float32: make([]float32, n*cols)}
	for i := range t.Float32 {
		t.Float32[i] = float32(i%97) * 0.25
	}
	return t
}

var benchBatches = []int{1, 100}

func BenchmarkReshape(b *testing.B) {
	for _, n := range benchBatches {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			x := benchRows(n, 30)
			mp := singleNodeModel("Reshape", 15, []arg{fed(x), cst(i64(sh(3), -1, 1, 30))}, 1)
			benchGraph(b, mp, x)
		})
	}
}

func BenchmarkConcat(b *testing.B) {
	for _, n := range benchBatches {
		b.Run(fmt.Sprintf("rows=%d/columns", n), func(b *testing.B) {
			// skl2onnx's pattern: per-column results of shape [N, 1] joined.
			x := benchRows(n, 1)
			mp := singleNodeModel("Concat", 15, []arg{fed(x), fed(x), fed(x)}, 1, attrInt("axis", 1))
			benchGraph(b, mp, x, x, x)
		})
		b.Run(fmt.Sprintf("rows=%d/blocks", n), func(b *testing.B) {
			x, y := benchRows(n, 30), benchRows(n, 10)
			mp := singleNodeModel("Concat", 15, []arg{fed(x), fed(y)}, 1, attrInt("axis", 1))
			benchGraph(b, mp, x, y)
		})
	}
}

func BenchmarkGather(b *testing.B) {
	for _, n := range benchBatches {
		b.Run(fmt.Sprintf("rows=%d/columns", n), func(b *testing.B) {
			x := benchRows(n, 30)
			mp := singleNodeModel("Gather", 15, []arg{fed(x), cst(i64(sh(5), 0, 3, 7, -1, 12))}, 1, attrInt("axis", 1))
			benchGraph(b, mp, x)
		})
		b.Run(fmt.Sprintf("rows=%d/rows", n), func(b *testing.B) {
			x := benchRows(n, 30)
			mp := singleNodeModel("Gather", 15, []arg{fed(x), cst(i64(sh(2), 0, -1))}, 1, attrInt("axis", 0))
			benchGraph(b, mp, x)
		})
	}
}

func BenchmarkTranspose(b *testing.B) {
	for _, n := range benchBatches {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			x := benchRows(90, n)
			mp := singleNodeModel("Transpose", 15, []arg{fed(x)}, 1, attrInts("perm", 1, 0))
			benchGraph(b, mp, x)
		})
	}
}
