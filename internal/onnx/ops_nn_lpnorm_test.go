package onnx

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func TestLpNormalization(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	tests := []struct {
		name string
		p    int64
		x    []float32
		want []float32
	}{
		{"l1", 1, []float32{1, -2, 1}, []float32{0.25, -0.5, 0.25}},
		{"l2", 2, []float32{3, 0, -4}, []float32{0.6, 0, -0.8}},
		{"zero row", 2, []float32{0, 0, 0}, []float32{0, 0, 0}},
		{"infinity", 1, []float32{inf, 1, 2}, []float32{nan, 0, 0}},
		{"overflowing norm", 2, []float32{3e38, 3e38, 1}, []float32{0, 0, 0}},
		{"underflowing norm", 2, []float32{1e-40, 2e-40, 0}, []float32{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graphSpec{
				nodes:   []*onnxpb.NodeProto{mkNode("LpNormalization", "", []string{"X"}, []string{"Y"}, attrInt("p", tt.p))},
				inputs:  []*onnxpb.ValueInfoProto{tensorInfo("X", Float32, -1, 3)},
				outputs: []*onnxpb.ValueInfoProto{tensorInfo("Y", Float32, -1, 3)},
				opsets:  map[string]int64{"": 13},
			}
			out, err := g.load(t).Run(context.Background(), []*Tensor{NewFloat32(tt.x, 1, 3)})
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				got := out[0].Tensor.Float32[i]
				if !(got == w || (w != w && got != got) || math.Abs(float64(got-w)) < 1e-7) {
					t.Fatalf("LpNormalization(%v) = %v; want %v", tt.x, out[0].Tensor.Float32, tt.want)
				}
			}
		})
	}
	t.Run("bad p", func(t *testing.T) {
		g := graphSpec{
			nodes:   []*onnxpb.NodeProto{mkNode("LpNormalization", "", []string{"X"}, []string{"Y"}, attrInt("p", 3))},
			inputs:  []*onnxpb.ValueInfoProto{tensorInfo("X", Float32, -1, 3)},
			outputs: []*onnxpb.ValueInfoProto{tensorInfo("Y", Float32, -1, 3)},
			opsets:  map[string]int64{"": 13},
		}
		if _, err := Load(g.bytes(t)); err == nil || !strings.Contains(err.Error(), "want 1 or 2") {
			t.Errorf("Load with p=3: %v; want an error about p", err)
		}
	})
}
