package onnx

import (
	"fmt"
	"testing"
)

func BenchmarkMatMul(b *testing.B) {
	for _, n := range []int{1, 1000} {
		x := NewFloat32(seq(n*30, 0.5), n, 30)
		w := NewFloat32(seq(30*16, 0.25), 30, 16)
		b.Run(fmt.Sprintf("%dx30x16", n), func(b *testing.B) {
			benchNode(b, nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{x, w}, consts: []int{1}})
		})
	}
	for _, n := range []int{1, 1000} {
		x := NewFloat64(widen(seq(n*30, 0.5)), n, 30)
		w := NewFloat64(widen(seq(30*16, 0.25)), 30, 16)
		b.Run(fmt.Sprintf("%dx30x16_float64", n), func(b *testing.B) {
			benchNode(b, nodeSpec{op: "MatMul", opset: 13, in: []*Tensor{x, w}, consts: []int{1}})
		})
	}
}

func widen(v []float32) []float64 {
	w := make([]float64, len(v))
	for i, x := range v {
		w[i] = float64(x)
	}
	return w
}

func BenchmarkGemm(b *testing.B) {
	for _, n := range []int{1, 1000} {
		x := NewFloat32(seq(n*30, 0.5), n, 30)
		w := NewFloat32(seq(16*30, 0.25), 16, 30)
		c := NewFloat32(seq(16, 1), 16)
		b.Run(fmt.Sprintf("%dx30x16_transB", n), func(b *testing.B) {
			benchNode(b, nodeSpec{op: "Gemm", opset: 13, in: []*Tensor{x, w, c}, consts: []int{1, 2},
				attrs: attrList(attrInt("transB", 1))})
		})
	}
}

func BenchmarkSoftmax(b *testing.B) {
	x := NewFloat32(seq(1000*10, 0.5), 1000, 10)
	benchNode(b, nodeSpec{op: "Softmax", opset: 13, in: []*Tensor{x}})
}
