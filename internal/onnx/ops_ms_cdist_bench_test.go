package onnx

import (
	"fmt"
	"os"
	"testing"
)

// BenchmarkKNNCDist runs a k-nearest-neighbours classifier exported with
// optim='cdist' (the ms_cdist_knn_clf_distance_nozipmap case: Scaler,
// CDist against 341 training rows of 10 features, TopK 7, the class
// votes) on batches of 1 and 1000 rows.
func BenchmarkKNNCDist(b *testing.B) {
	raw, err := os.ReadFile("testdata/cases/ms_cdist_knn_clf_distance_nozipmap.onnx")
	if err != nil {
		b.Fatal(err)
	}
	m, err := Load(raw)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			benchModel(b, m, benchRows(n, 10))
		})
	}
}

// BenchmarkCDist runs the CDist node alone at BenchmarkScanKNN's sizes
// (90 training rows of 4 features), in float32 and float64.
func BenchmarkCDist(b *testing.B) {
	for _, typ := range []DataType{Float32, Float64} {
		train := benchRows(90, 4)
		if typ == Float64 {
			train = toFloat64(train)
		}
		for _, n := range benchBatches {
			b.Run(fmt.Sprintf("%v/queries=%d", typ, n), func(b *testing.B) {
				g := cdistSpec(typ, train, attrString("metric", "euclidean"))
				x := benchRows(n, 4)
				if typ == Float64 {
					x = toFloat64(x)
				}
				benchGraph(b, g.proto(), x)
			})
		}
	}
}

func toFloat64(t *Tensor) *Tensor {
	v := make([]float64, len(t.Float32))
	for i, x := range t.Float32 {
		v[i] = float64(x)
	}
	return NewFloat64(v, t.Shape...)
}
