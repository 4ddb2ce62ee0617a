package onnx

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// This file builds single-node models from protos, so that kernel tests go
// through Load and Run like real models. The attribute and tensor proto
// helpers are in build_test.go.

// with lists a node's attributes.
func with(a ...*onnxpb.AttributeProto) []*onnxpb.AttributeProto { return a }

func attrGraph(name string, g *onnxpb.GraphProto) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_GRAPH.Enum(), G: g}
}

// valueInfo declares a tensor value of type typ with unknown shape (or
// no type at all when typ is Undefined).
func valueInfo(name string, typ DataType) *onnxpb.ValueInfoProto {
	vi := &onnxpb.ValueInfoProto{Name: proto.String(name)}
	if typ != Undefined {
		vi.Type = &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: proto.Int32(int32(typ))}}}
	}
	return vi
}

// valueInfoShape declares a tensor value with a fixed shape.
func valueInfoShape(name string, typ DataType, shape ...int64) *onnxpb.ValueInfoProto {
	vi := valueInfo(name, typ)
	sh := &onnxpb.TensorShapeProto{}
	for _, d := range shape {
		sh.Dim = append(sh.Dim, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	vi.GetType().GetTensorType().Shape = sh
	return vi
}

func nodeProto(op string, inputs, outputs []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{OpType: proto.String(op), Input: inputs, Output: outputs, Attribute: attrs}
}

// An arg is one input of a test node: a tensor fed at run time, a
// constant (an initializer), or omitted (nil tensor).
type arg struct {
	t       *Tensor
	isConst bool
}

func fed(t *Tensor) arg { return arg{t: t} }
func cst(t *Tensor) arg { return arg{t: t, isConst: true} }
func none() arg         { return arg{} }

// f32, f64, i64, i32 and sh (shapes) are in ops_ml_helpers_test.go.
func bools(shape []int, v ...bool) *Tensor  { return NewBool(v, shape...) }
func strs(shape []int, v ...string) *Tensor { return NewString(v, shape...) }

// singleNodeModel builds a model with one node of op (default domain) at
// opset, whose inputs are args and which has nOut outputs.
func singleNodeModel(op string, opset int64, args []arg, nOut int, attrs ...*onnxpb.AttributeProto) *onnxpb.ModelProto {
	g := &onnxpb.GraphProto{Name: proto.String("test")}
	var names []string
	for i, a := range args {
		if a.t == nil {
			names = append(names, "")
			continue
		}
		name := "in" + string(rune('0'+i))
		names = append(names, name)
		if a.isConst {
			g.Initializer = append(g.Initializer, tensorProto(name, a.t))
		} else {
			g.Input = append(g.Input, valueInfo(name, a.t.Type))
		}
	}
	var outs []string
	for i := range nOut {
		name := "out" + string(rune('0'+i))
		outs = append(outs, name)
		g.Output = append(g.Output, valueInfo(name, Undefined))
	}
	g.Node = []*onnxpb.NodeProto{nodeProto(op, names, outs, attrs...)}
	return modelOf(g, opset)
}

func modelOf(g *onnxpb.GraphProto, opset int64) *onnxpb.ModelProto {
	return &onnxpb.ModelProto{
		IrVersion:   proto.Int64(8),
		OpsetImport: []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(opset)}},
		Graph:       g,
	}
}

// fedInputs returns the tensors of args that are graph inputs.
func fedInputs(args []arg) []*Tensor {
	var fed []*Tensor
	for _, a := range args {
		if a.t != nil && !a.isConst {
			fed = append(fed, a.t)
		}
	}
	return fed
}

// An opCase is one table test of a single-node model.
type opCase struct {
	name    string
	opset   int64
	attrs   []*onnxpb.AttributeProto
	args    []arg
	want    []*Tensor // nil with loadErr or runErr set
	outs    int       // number of outputs when want is nil (default 1)
	loadErr string    // a substring of the expected Load error
	runErr  string    // a substring of the expected Run error
}

// runOpCases runs each case of op as a subtest.
func runOpCases(t *testing.T, op string, cases []opCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nOut := len(c.want)
			if nOut == 0 {
				nOut = max(c.outs, 1)
			}
			opset := c.opset
			if opset == 0 {
				opset = 17
			}
			m, err := loadModel(singleNodeModel(op, opset, c.args, nOut, c.attrs...))
			if c.loadErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.loadErr) {
					t.Fatalf("Load error = %v; want one containing %q", err, c.loadErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			got, err := m.Run(context.Background(), fedInputs(c.args))
			if c.runErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.runErr) {
					t.Fatalf("Run error = %v; want one containing %q", err, c.runErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			for i, w := range c.want {
				if w == nil {
					continue
				}
				if !equalTensor(got[i].Tensor, w) {
					t.Errorf("%s(...) output %d = %s %v; want %s %v", op, i, got[i].Tensor.Describe(), data(got[i].Tensor), w.Describe(), data(w))
				}
			}
		})
	}
}

// equalTensor reports whether a and b have the same type, shape and
// elements (NaN equal to NaN).
func equalTensor(a, b *Tensor) bool {
	if a == nil || b == nil || a.Type != b.Type || !slices.Equal(a.Shape, b.Shape) || a.Len() != b.Len() {
		return false
	}
	switch a.Type {
	case Float32:
		return slices.EqualFunc(a.Float32, b.Float32, func(x, y float32) bool { return x == y || (x != x && y != y) })
	case Float64:
		return slices.EqualFunc(a.Float64, b.Float64, func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) })
	case Int64:
		return slices.Equal(a.Int64, b.Int64)
	case Int32:
		return slices.Equal(a.Int32, b.Int32)
	case Bool:
		return slices.Equal(a.Bool, b.Bool)
	case String:
		return slices.Equal(a.String, b.String)
	}
	return false
}

func data(t *Tensor) any {
	switch t.Type {
	case Float32:
		return t.Float32
	case Float64:
		return t.Float64
	case Int64:
		return t.Int64
	case Int32:
		return t.Int32
	case Bool:
		return t.Bool
	case String:
		return t.String
	}
	return nil
}
