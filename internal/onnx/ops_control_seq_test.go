package onnx

import (
	"context"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
	"google.golang.org/protobuf/proto"
)

func seqInfo(name string) *onnxpb.ValueInfoProto {
	return &onnxpb.ValueInfoProto{Name: proto.String(name), Type: &onnxpb.TypeProto{
		Value: &onnxpb.TypeProto_SequenceType{SequenceType: &onnxpb.TypeProto_Sequence{ElemType: &onnxpb.TypeProto{
			Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: proto.Int32(int32(Float32))}},
		}}},
	}}
}

func TestSequenceConstructOutput(t *testing.T) {
	g := graphSpec{
		nodes: []*onnxpb.NodeProto{
			mkNode("Identity", "", []string{"X"}, []string{"A"}),
			mkNode("Neg", "", []string{"X"}, []string{"B"}),
			mkNode("SequenceConstruct", "", []string{"A", "B"}, []string{"S"}),
		},
		inputs:  []*onnxpb.ValueInfoProto{tensorInfo("X", Float32, -1, 2)},
		outputs: []*onnxpb.ValueInfoProto{seqInfo("S")},
	}
	out, err := g.load(t).Run(context.Background(), []*Tensor{NewFloat32([]float32{1, -2}, 1, 2)})
	if err != nil {
		t.Fatal(err)
	}
	seq := out[0].Sequence
	if len(seq) != 2 || seq[0].Float32[1] != -2 || seq[1].Float32[1] != 2 {
		t.Fatalf("sequence %v; want [[1 -2] [-1 2]]", seq)
	}

	// A node that reads the sequence is refused at load time.
	g.nodes = append(g.nodes, mkNode("Identity", "", []string{"S"}, []string{"T"}))
	g.outputs = []*onnxpb.ValueInfoProto{seqInfo("T")}
	if _, err := Load(g.bytes(t)); err == nil || !strings.Contains(err.Error(), "sequence of tensors") {
		t.Errorf("Load of a graph reading a sequence: %v; want an error about sequences", err)
	}
}
