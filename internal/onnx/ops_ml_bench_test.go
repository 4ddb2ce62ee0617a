package onnx

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// benchKernel runs the node's kernel on rows of random features; the
// output tensors are reused, as the engine reuses them between runs.
func benchKernel(b *testing.B, n mlNode, features int) {
	k, err := n.kernel()
	if err != nil {
		b.Fatal(err)
	}
	for _, rowsN := range []int{1, 1000} {
		b.Run(fmt.Sprintf("rows=%d", rowsN), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			x := &Tensor{Type: Float32, Shape: []int{rowsN, features}, Float32: make([]float32, rowsN*features)}
			for i := range x.Float32 {
				x.Float32[i] = float32(r.NormFloat64())
			}
			in := []*Tensor{x}
			out := make([]*Tensor, max(n.outs, 1))
			for i := range out {
				out[i] = &Tensor{}
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := k.run(ctx, in, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func randFloats(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

func BenchmarkScaler(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	benchKernel(b, mlNode{op: "Scaler", in: []DataType{Float32},
		attrs: withAttrs(attrFloats("scale", randFloats(r, 30)...), attrFloats("offset", randFloats(r, 30)...))}, 30)
}

func BenchmarkLinearClassifier(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, post := range []string{"NONE", "SOFTMAX"} {
		b.Run("post="+post, func(b *testing.B) {
			benchKernel(b, mlNode{op: "LinearClassifier", in: []DataType{Float32}, outs: 2,
				attrs: withAttrs(attrFloats("coefficients", randFloats(r, 90)...), attrFloats("intercepts", randFloats(r, 3)...),
					attrInts("classlabels_ints", 0, 1, 2), attrString("post_transform", post))}, 30)
		})
	}
}

func BenchmarkSVMClassifier(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	const features, classes = 10, 3
	perClass := []int64{30, 40, 30}
	coef := randFloats(r, (classes-1)*100)
	base := withAttrs(attrString("kernel_type", "RBF"), attrFloats("kernel_params", 0.1, 0, 3),
		attrFloats("support_vectors", randFloats(r, 100*features)...), attrInts("vectors_per_class", perClass...),
		attrFloats("coefficients", coef...), attrFloats("rho", randFloats(r, 3)...), attrInts("classlabels_ints", 0, 1, 2))
	for _, tc := range []struct {
		name  string
		attrs []*onnxpb.AttributeProto
	}{
		{"rbf", base},
		{"rbf_proba", mlWith(base, attrFloats("prob_a", -1, -2, -1.5), attrFloats("prob_b", 0.1, 0, -0.1))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchKernel(b, mlNode{op: "SVMClassifier", in: []DataType{Float32}, outs: 2, attrs: tc.attrs}, features)
		})
	}
}
