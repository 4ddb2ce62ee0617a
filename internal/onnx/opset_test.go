package onnx

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// TestOpsetImports checks which opset imports the loader takes: up to the
// newest onnxruntime 1.30 loads (ai.onnx 26, ai.onnx.ml 5), under either
// name of the default domain, and nothing newer.
func TestOpsetImports(t *testing.T) {
	tests := []struct {
		name    string
		opsets  map[string]int64
		wantErr string
	}{
		{"ai.onnx 21", map[string]int64{"": 21}, ""},
		{"ai.onnx 22", map[string]int64{"": 22}, ""},
		{"ai.onnx 25, what skl2onnx 1.21 can write", map[string]int64{"": 25, "ai.onnx.ml": 5}, ""},
		{"ai.onnx 26", map[string]int64{"ai.onnx": 26}, ""},
		{"ai.onnx 27", map[string]int64{"": 27}, "opset 27 of domain ai.onnx is newer than the newest the engine supports (26)"},
		{"ai.onnx.ml 6", map[string]int64{"": 21, "ai.onnx.ml": 6}, "opset 6 of domain ai.onnx.ml is newer than the newest the engine supports (5)"},
		{"ai.onnx 0", map[string]int64{"": 0}, "bad version 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graphSpec{
				nodes:   []*onnxpb.NodeProto{mkNode("Abs", "", []string{"x"}, []string{"y"})},
				inputs:  []*onnxpb.ValueInfoProto{tensorInfo("x", Float32, -1)},
				outputs: []*onnxpb.ValueInfoProto{tensorInfo("y", Float32, -1)},
				opsets:  tt.opsets,
			}
			m, err := loadModel(g.proto())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load = %v; want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			out, err := m.Run(context.Background(), []*Tensor{vecF(-1.5, 2)})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := out[0].Tensor.Float32; !slices.Equal(got, []float32{1.5, 2}) {
				t.Errorf("Abs = %v; want [1.5 2]", got)
			}
		})
	}
}
