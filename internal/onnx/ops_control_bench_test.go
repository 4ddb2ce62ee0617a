package onnx

import (
	"fmt"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// knnScanModel is the distance computation of skl2onnx's KNeighbors
// converters: a Scan over the training rows whose body carries the query
// batch X as its state and gives each query's squared distance to the
// row (Identity, Sub, ReduceSumSquare(axes=[1], keepdims=0), Identity).
func knnScanModel(train *Tensor) *onnxpb.ModelProto {
	body := graphProto([]*onnxpb.NodeProto{
		nodeProto("Identity", []string{"next_in"}, []string{"next_out"}),
		nodeProto("Sub", []string{"next_in", "next"}, []string{"diff"}),
		nodeProto("ReduceSumSquare", []string{"diff"}, []string{"reduced"}, attrInts("axes", 1), attrInt("keepdims", 0)),
		nodeProto("Identity", []string{"reduced"}, []string{"scan_out"}),
	}, []*onnxpb.ValueInfoProto{valueInfo("next_in", Float32), valueInfo("next", Float32)},
		[]*onnxpb.ValueInfoProto{valueInfo("next_out", Float32), valueInfo("scan_out", Float32)})
	g := graphProto([]*onnxpb.NodeProto{
		nodeProto("Scan", []string{"X", "train"}, []string{"final", "dists"}, attrGraph("body", body), attrInt("num_scan_inputs", 1)),
	}, []*onnxpb.ValueInfoProto{valueInfo("X", Float32)}, []*onnxpb.ValueInfoProto{valueInfo("dists", Float32)},
		tensorProto("train", train))
	return modelOf(g, 15)
}

// BenchmarkScanKNN runs the KNN distance Scan over 90 training rows of 4
// features, computing the distances directly and (body) by running the
// body once per row. It needs the Sub and ReduceSumSquare kernels.
func BenchmarkScanKNN(b *testing.B) {
	train := benchRows(90, 4)
	for _, n := range benchBatches {
		for _, direct := range []bool{true, false} {
			name := fmt.Sprintf("queries=%d/direct", n)
			if !direct {
				name = fmt.Sprintf("queries=%d/body", n)
			}
			b.Run(name, func(b *testing.B) {
				m := loadBench(b, knnScanModel(train))
				k := m.g.steps[0].k.(*scan)
				if !k.sqDist {
					b.Fatal("the distance body is not recognized")
				}
				k.sqDist = direct
				benchModel(b, m, benchRows(n, 4))
			})
		}
	}
}

// BenchmarkScanOverhead runs a Scan of the same size whose body only
// copies, to show the cost of the iterations themselves.
func BenchmarkScanOverhead(b *testing.B) {
	body := graphProto([]*onnxpb.NodeProto{
		nodeProto("Identity", []string{"next_in"}, []string{"next_out"}),
		nodeProto("Transpose", []string{"next"}, []string{"scan_out"}),
	}, []*onnxpb.ValueInfoProto{valueInfo("next_in", Float32), valueInfo("next", Float32)},
		[]*onnxpb.ValueInfoProto{valueInfo("next_out", Float32), valueInfo("scan_out", Float32)})
	for _, n := range benchBatches {
		b.Run(fmt.Sprintf("queries=%d", n), func(b *testing.B) {
			g := graphProto([]*onnxpb.NodeProto{
				nodeProto("Scan", []string{"X", "train"}, []string{"final", "out"}, attrGraph("body", body), attrInt("num_scan_inputs", 1)),
			}, []*onnxpb.ValueInfoProto{valueInfo("X", Float32)}, []*onnxpb.ValueInfoProto{valueInfo("out", Float32)},
				tensorProto("train", benchRows(90, 4)))
			benchGraph(b, modelOf(g, 15), benchRows(n, 4))
		})
	}
}
