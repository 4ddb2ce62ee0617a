package onnx

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// An mlNode describes a one-node model for the ai.onnx.ml kernel tests.
type mlNode struct {
	op    string
	opset int // the ai.onnx.ml opset; 1 when zero
	attrs []*onnxpb.AttributeProto
	in    []DataType // the graph inputs' element types
	outs  int        // the number of outputs; 1 when zero
}

func (n mlNode) model() *onnxpb.ModelProto {
	opset := n.opset
	if opset == 0 {
		opset = 1
	}
	outs := n.outs
	if outs == 0 {
		outs = 1
	}
	g := &onnxpb.GraphProto{Name: proto.String("test")}
	nd := &onnxpb.NodeProto{OpType: proto.String(n.op), Domain: proto.String("ai.onnx.ml"), Name: proto.String("n"), Attribute: n.attrs}
	for i, typ := range n.in {
		name := fmt.Sprintf("X%d", i)
		nd.Input = append(nd.Input, name)
		g.Input = append(g.Input, valueInfo(name, typ))
	}
	for i := range outs {
		name := fmt.Sprintf("Y%d", i)
		nd.Output = append(nd.Output, name)
		g.Output = append(g.Output, &onnxpb.ValueInfoProto{Name: proto.String(name)})
	}
	g.Node = []*onnxpb.NodeProto{nd}
	return &onnxpb.ModelProto{
		IrVersion: proto.Int64(8),
		Graph:     g,
		OpsetImport: []*onnxpb.OperatorSetIdProto{
			{Domain: proto.String(""), Version: proto.Int64(15)},
			{Domain: proto.String("ai.onnx.ml"), Version: proto.Int64(int64(opset))},
		},
	}
}

// load serializes the model and loads it the way a server does.
func (n mlNode) load() (*Model, error) { return loadModel(n.model()) }

// run loads the model and runs it on inputs, returning its output tensors.
func (n mlNode) run(t *testing.T, inputs ...*Tensor) ([]*Tensor, error) {
	t.Helper()
	m, err := n.load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	vals, err := m.Run(context.Background(), inputs)
	if err != nil {
		return nil, err
	}
	outs := make([]*Tensor, len(vals))
	for i, v := range vals {
		outs[i] = v.Tensor
	}
	return outs, nil
}

// mlWith returns a copy of base with extra added, each replacing an
// attribute of the same name, so that cases built from one base never
// share a backing array.
func mlWith(base []*onnxpb.AttributeProto, extra ...*onnxpb.AttributeProto) []*onnxpb.AttributeProto {
	out := append([]*onnxpb.AttributeProto(nil), base...)
next:
	for _, e := range extra {
		for i, a := range out {
			if a.GetName() == e.GetName() {
				out[i] = e
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

// mlWithout returns a copy of base without the named attributes.
func mlWithout(base []*onnxpb.AttributeProto, names ...string) []*onnxpb.AttributeProto {
	var out []*onnxpb.AttributeProto
	for _, a := range base {
		if !slices.Contains(names, a.GetName()) {
			out = append(out, a)
		}
	}
	return out
}

// mlTensorDiff reports how got differs from want, or "" when they agree:
// same type and shape, equal labels, and floats within abs 1e-6 + rel
// 1e-6 (NaN matches NaN).
func mlTensorDiff(got, want *Tensor) string {
	if got.Type != want.Type {
		return fmt.Sprintf("type %v; want %v", got.Type, want.Type)
	}
	if fmt.Sprint(got.Shape) != fmt.Sprint(want.Shape) {
		return fmt.Sprintf("shape %v; want %v", got.Shape, want.Shape)
	}
	if got.Len() != want.Len() {
		return fmt.Sprintf("%d elements; want %d", got.Len(), want.Len())
	}
	close := func(g, w float64) bool {
		if math.IsNaN(w) || math.IsNaN(g) {
			return math.IsNaN(w) && math.IsNaN(g)
		}
		if math.IsInf(w, 0) {
			return g == w
		}
		return math.Abs(g-w) <= 1e-6+1e-6*math.Abs(w)
	}
	for i := range got.Len() {
		var ok bool
		var g, w any
		switch got.Type {
		case Float32:
			g, w = got.Float32[i], want.Float32[i]
			ok = close(float64(got.Float32[i]), float64(want.Float32[i]))
		case Float64:
			g, w = got.Float64[i], want.Float64[i]
			ok = close(got.Float64[i], want.Float64[i])
		case Int64:
			g, w = got.Int64[i], want.Int64[i]
			ok = g == w
		case Int32:
			g, w = got.Int32[i], want.Int32[i]
			ok = g == w
		case Bool:
			g, w = got.Bool[i], want.Bool[i]
			ok = g == w
		case String:
			g, w = got.String[i], want.String[i]
			ok = g == w
		}
		if !ok {
			return fmt.Sprintf("element %d = %v; want %v (got %v)", i, g, w, data(got))
		}
	}
	return ""
}

// kernel builds the node's kernel directly, without a model, so that
// input types may be unknown (Undefined) at build time.
func (n mlNode) kernel() (kernel, error) {
	a, err := newAttrs(n.attrs)
	if err != nil {
		return nil, err
	}
	spec, ok := registry[opKey{"ai.onnx.ml", n.op}]
	if !ok {
		return nil, fmt.Errorf("no operator %s", n.op)
	}
	opset := max(n.opset, 1)
	version := 0
	for _, v := range spec.since {
		if v <= opset {
			version = v
		}
	}
	outs := max(n.outs, 1)
	nd := &node{name: "n", opType: n.op, domain: "ai.onnx.ml", version: version, attr: a,
		consts: make([]*Tensor, len(n.in)), types: n.in}
	for i := range n.in {
		nd.inputs = append(nd.inputs, fmt.Sprintf("X%d", i))
	}
	for i := range outs {
		nd.outputs = append(nd.outputs, fmt.Sprintf("Y%d", i))
	}
	k, err := spec.build(nd)
	if err == nil {
		err = a.err
	}
	return k, err
}

// An mlCase is one kernel test: a node, its inputs and either the wanted
// outputs or a substring of the wanted run error. A direct case runs the
// kernel without a model around it.
type mlCase struct {
	name    string
	node    mlNode
	in      []*Tensor
	want    []*Tensor
	wantErr string
	direct  bool
}

// runDirect builds and runs the node's kernel without a model.
func (n mlNode) runDirect(t *testing.T, inputs ...*Tensor) ([]*Tensor, error) {
	t.Helper()
	k, err := n.kernel()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	outs := make([]*Tensor, max(n.outs, 1))
	for i := range outs {
		outs[i] = &Tensor{}
	}
	if err := k.run(context.Background(), inputs, outs); err != nil {
		return nil, err
	}
	return outs, nil
}

// runMLCases runs table cases against the engine.
func runMLCases(t *testing.T, cases []mlCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := c.node.run
			if c.direct {
				run = c.node.runDirect
			}
			got, err := run(t, c.in...)
			if c.wantErr != "" {
				if err == nil {
					t.Fatalf("%s(%v) succeeded; want error containing %q", c.node.op, c.in, c.wantErr)
				}
				if !containsFold(err.Error(), c.wantErr) {
					t.Fatalf("%s(%v) error %q; want it to contain %q", c.node.op, c.in, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: Run: %v", c.node.op, err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("%s: %d outputs; want %d", c.node.op, len(got), len(c.want))
			}
			for i := range c.want {
				if d := mlTensorDiff(got[i], c.want[i]); d != "" {
					t.Errorf("%s output %d: %s", c.node.op, i, d)
				}
			}
		})
	}
}

// A loadCase is a model the loader must refuse.
type loadCase struct {
	name    string
	node    mlNode
	wantErr string
}

func runLoadCases(t *testing.T, cases []loadCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.node.load()
			if err == nil {
				t.Fatalf("Load(%s) succeeded; want error containing %q", c.node.op, c.wantErr)
			}
			if !containsFold(err.Error(), c.wantErr) {
				t.Fatalf("Load(%s) error %q; want it to contain %q", c.node.op, err, c.wantErr)
			}
		})
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func f32(shape []int, v ...float32) *Tensor { return NewFloat32(v, shape...) }
func f64(shape []int, v ...float64) *Tensor { return NewFloat64(v, shape...) }
func i64(shape []int, v ...int64) *Tensor   { return NewInt64(v, shape...) }
func i32(shape []int, v ...int32) *Tensor   { return NewInt32(v, shape...) }
func str(shape []int, v ...string) *Tensor  { return NewString(v, shape...) }

func sh(d ...int) []int { return d }

func mlNaN32() float32 { return float32(math.NaN()) }
