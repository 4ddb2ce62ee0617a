package onnx

import (
	"fmt"
	"testing"
)

func BenchmarkReduceSum(b *testing.B) {
	for _, n := range []int{1, 1000} {
		x := NewFloat32(seq(n*30, 0.5), n, 30)
		for _, axis := range []int64{1, 0} {
			b.Run(fmt.Sprintf("%dx30_axis%d", n, axis), func(b *testing.B) {
				benchNode(b, nodeSpec{op: "ReduceSum", opset: 13, in: []*Tensor{x, vecI(axis)}, consts: []int{1}})
			})
		}
	}
}

func BenchmarkTopK(b *testing.B) {
	x := NewFloat32(seq(10*500, 0.5), 10, 500)
	benchNode(b, nodeSpec{op: "TopK", opset: 11, in: []*Tensor{x, vecI(5)}, consts: []int{1}, outs: 2,
		attrs: attrList(attrInt("largest", 0))})
}

func BenchmarkArgMax(b *testing.B) {
	x := NewFloat32(seq(1000*10, 0.5), 1000, 10)
	benchNode(b, nodeSpec{op: "ArgMax", opset: 13, in: []*Tensor{x}, attrs: attrList(attrInt("axis", 1))})
}
