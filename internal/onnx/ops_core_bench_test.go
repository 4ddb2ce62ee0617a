package onnx

import (
	"context"
	"fmt"
	"testing"
)

// benchNode measures one node's kernel as the engine runs it, on a
// pooled state, without the output copies Model.Run makes.
func benchNode(b *testing.B, spec nodeSpec) {
	b.Helper()
	m, err := spec.load()
	if err != nil {
		b.Fatal(err)
	}
	st := m.g.newState()
	next := 0
	for i, t := range spec.in {
		isConst := false
		for _, c := range spec.consts {
			isConst = isConst || c == i
		}
		if t != nil && !isConst {
			st.setInput(m.g.inputs[next], t)
			next++
		}
	}
	ctx := context.Background()
	if err := m.g.exec(ctx, st); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.g.exec(ctx, st); err != nil {
			b.Fatal(err)
		}
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
