package onnx

import (
	"fmt"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

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
				tensorProto("train", rows(90, 4)))
			benchGraph(b, modelOf(g, 15), rows(n, 4))
		})
	}
}
