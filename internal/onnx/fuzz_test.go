package onnx

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must return a model or
// an error, never panic or hang, and a model it accepts must run (or fail
// cleanly) on a small input of the declared types.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{
		"corpus/lasso.onnx", "corpus/linreg_fp64.onnx", "corpus/imputer_nulls_ridge.onnx",
		"corpus/logreg_multinomial_strlabels.onnx", "corpus/sgd_log_binary.onnx", "corpus/dtree_clf_iris.onnx",
		"cases/sk4_knnimp_uniform_k3.onnx",      // model-local functions
		"cases/ms_cdist_knn_clf_uniform.onnx",   // com.microsoft CDist
		"cases/op26_sk4_def_logreg_binary.onnx", // ai.onnx opset 26
		"cases/shape_scatter_nd_v16_add.onnx",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(data)
		if err != nil {
			return
		}
		inputs := make([]*Tensor, len(m.Inputs()))
		for i, vi := range m.Inputs() {
			shape := []int{1}
			if vi.Type.HasShape {
				shape = shape[:0]
				for _, d := range vi.Type.Shape {
					if d < 0 {
						d = 1
					}
					shape = append(shape, d)
				}
			}
			n := shapeSize(shape)
			if n > 1<<16 {
				return // an input this large is not what this target explores
			}
			x := &Tensor{}
			x.reset(vi.Type.Elem, shape)
			for j := range x.String {
				x.String[j] = ""
			}
			inputs[i] = x
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = m.Run(ctx, inputs)
	})
}
