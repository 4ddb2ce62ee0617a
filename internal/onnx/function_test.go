package onnx

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// The domain of the test functions.
const ld = "local"

// fnProto builds a function of domain ld that imports opsets (domain ->
// version) and declares attrs.
func fnProto(name string, inputs, outputs []string, opsets map[string]int64, attrs []string, nodes ...*onnxpb.NodeProto) *onnxpb.FunctionProto {
	fp := &onnxpb.FunctionProto{Name: proto.String(name), Domain: proto.String(ld), Input: inputs, Output: outputs, Attribute: attrs, Node: nodes}
	for _, d := range slices.Sorted(maps.Keys(opsets)) {
		fp.OpsetImport = append(fp.OpsetImport, &onnxpb.OperatorSetIdProto{Domain: proto.String(d), Version: proto.Int64(opsets[d])})
	}
	return fp
}

// std imports the default domain at opset 17; withLocal adds ld.
var (
	std       = map[string]int64{"": 17}
	withLocal = map[string]int64{"": 17, ld: 1}
)

// callNode calls function name of ld.
func callNode(name string, in, out []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{OpType: proto.String(name), Domain: proto.String(ld), Input: in, Output: out, Attribute: attrs}
}

func named(name string, n *onnxpb.NodeProto) *onnxpb.NodeProto {
	n.Name = proto.String(name)
	return n
}

// refAttr refers to function attribute ref.
func refAttr(name, ref string, typ onnxpb.AttributeProto_AttributeType) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), RefAttrName: proto.String(ref), Type: typ.Enum()}
}

func constNode(out string, t *Tensor) *onnxpb.NodeProto {
	return nodeProto("Constant", nil, []string{out}, attrTensor("value", t))
}

// A funcCase is a model whose graph maps float32 input x to output y
// (and any initializers), with functions.
type funcCase struct {
	name  string
	opset int64 // of the default domain; 0 means 17
	// opsets replaces the model's opset imports ({"": opset, ld: 1}).
	opsets map[string]int64
	nodes  []*onnxpb.NodeProto
	inits  []*onnxpb.TensorProto
	funcs  []*onnxpb.FunctionProto
	// defaults and overloads set, per function index, the FunctionProto
	// fields newer than the bindings, written as newer files write them.
	defaults  map[int][]*onnxpb.AttributeProto
	overloads map[int]string
	x         *Tensor
	want      *Tensor
	loadErr   string
	runErr    string
}

var fx = f32(sh(2, 2), 1, -2, 3, 4)

func (c funcCase) proto() *onnxpb.ModelProto {
	opset := c.opset
	if opset == 0 {
		opset = 17
	}
	opsets := c.opsets
	if opsets == nil {
		opsets = map[string]int64{"": opset, ld: 1}
	}
	g := graphSpec{nodes: c.nodes, inputs: []*onnxpb.ValueInfoProto{valueInfo("x", Float32)},
		outputs: []*onnxpb.ValueInfoProto{valueInfo("y", Undefined)}, inits: c.inits, opsets: opsets}
	mp := g.proto()
	mp.Functions = c.funcs
	return mp
}

// bytes serializes the model, appending the functions (with their newer
// fields) after the known fields.
func (c funcCase) bytes(t testing.TB) []byte {
	t.Helper()
	mp := c.proto()
	mp.Functions = nil
	b, err := proto.Marshal(mp)
	if err != nil {
		t.Fatal(err)
	}
	for i, fp := range c.funcs {
		fb, err := proto.Marshal(fp)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range c.defaults[i] {
			ab, err := proto.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			fb = protowire.AppendTag(fb, functionAttributeProto, protowire.BytesType)
			fb = protowire.AppendBytes(fb, ab)
		}
		if o := c.overloads[i]; o != "" {
			fb = protowire.AppendTag(fb, functionOverload, protowire.BytesType)
			fb = protowire.AppendString(fb, o)
		}
		b = protowire.AppendTag(b, modelFunctions, protowire.BytesType)
		b = protowire.AppendBytes(b, fb)
	}
	return b
}

func runFuncCases(t *testing.T, cases []funcCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Load(c.bytes(t))
			if c.loadErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.loadErr) {
					t.Fatalf("Load error = %v; want one containing %q", err, c.loadErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			x := c.x
			if x == nil {
				x = fx
			}
			for range 2 {
				got, err := m.Run(context.Background(), []*Tensor{x})
				if c.runErr != "" {
					if err == nil || !strings.Contains(err.Error(), c.runErr) {
						t.Fatalf("Run error = %v; want one containing %q", err, c.runErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if !equalTensor(got[0].Tensor, c.want) {
					t.Fatalf("Run(%v) = %s %v; want %s %v", data(x), got[0].Tensor.Describe(), data(got[0].Tensor), c.want.Describe(), data(c.want))
				}
			}
		})
	}
}

// leaky is LeakyRelu with alpha taken from function attribute "al".
func leaky() *onnxpb.FunctionProto {
	lr := nodeProto("LeakyRelu", []string{"a"}, []string{"b"}, refAttr("alpha", "al", onnxpb.AttributeProto_FLOAT))
	return fnProto("F", []string{"a"}, []string{"b"}, std, []string{"al"}, lr)
}

// negAbs is Abs(Neg(a)) through a value and node names a caller may use too.
func negAbs() *onnxpb.FunctionProto {
	return fnProto("F", []string{"a"}, []string{"b"}, std, nil,
		named("n1", nodeProto("Neg", []string{"a"}, []string{"t"})),
		named("n2", nodeProto("Abs", []string{"t"}, []string{"b"})))
}

// twice is 2a, with its constant in a Constant node.
func twice() *onnxpb.FunctionProto {
	return fnProto("F", []string{"a"}, []string{"b"}, std, nil,
		constNode("two", f32(sh(), 2)),
		nodeProto("Mul", []string{"a", "two"}, []string{"b"}))
}

// cond is a bool initializer.
func cond(v bool) *onnxpb.TensorProto { return tensorProto("c", bools(sh(), v)) }

func ifNode(c string, out []string, then, els *onnxpb.GraphProto) *onnxpb.NodeProto {
	return nodeProto("If", []string{c}, out, attrGraph("then_branch", then), attrGraph("else_branch", els))
}

func branch(out string, nodes ...*onnxpb.NodeProto) *onnxpb.GraphProto {
	return graphProto(nodes, nil, []*onnxpb.ValueInfoProto{valueInfo(out, Float32)})
}

func TestFunctionInlining(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "attribute reference set by the call", funcs: []*onnxpb.FunctionProto{leaky()},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"}, attrFloat("al", 0.5))},
			want:  f32(sh(2, 2), 1, -1, 3, 4)},
		{name: "attribute reference left unset", funcs: []*onnxpb.FunctionProto{leaky()},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			want:  f32(sh(2, 2), 1, -0.02, 3, 4)},
		{name: "attribute default", funcs: []*onnxpb.FunctionProto{leaky()}, defaults: map[int][]*onnxpb.AttributeProto{0: {attrFloat("al", 0.25)}},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			want:  f32(sh(2, 2), 1, -0.5, 3, 4)},
		{name: "the call overrides the default", funcs: []*onnxpb.FunctionProto{leaky()}, defaults: map[int][]*onnxpb.AttributeProto{0: {attrFloat("al", 0.25)}},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"}, attrFloat("al", 0.5))},
			want:  f32(sh(2, 2), 1, -1, 3, 4)},
		{name: "attribute of another type", funcs: []*onnxpb.FunctionProto{leaky()},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"}, attrInt("al", 3))},
			loadErr: `node "" (LeakyRelu) in function local.F: opset 17 (version 16): attribute "alpha" has type INT`},
		{name: "called twice", funcs: []*onnxpb.FunctionProto{negAbs()},
			nodes: []*onnxpb.NodeProto{
				named("n1", callNode("F", []string{"x"}, []string{"t"})),
				named("n2", nodeProto("Neg", []string{"t"}, []string{"u"})),
				named("n1", callNode("F", []string{"u"}, []string{"y"}))},
			want: f32(sh(2, 2), 1, 2, 3, 4)},
		{name: "nested calls", funcs: []*onnxpb.FunctionProto{twice(), fnProto("G", []string{"a"}, []string{"b"}, withLocal, nil,
			callNode("F", []string{"a"}, []string{"t"}), callNode("F", []string{"t"}, []string{"b"}))},
			nodes: []*onnxpb.NodeProto{callNode("G", []string{"x"}, []string{"y"})},
			want:  f32(sh(2, 2), 4, -8, 12, 16)},
		{name: "call in an If branch", funcs: []*onnxpb.FunctionProto{twice()}, inits: []*onnxpb.TensorProto{cond(true)},
			nodes: []*onnxpb.NodeProto{ifNode("c", []string{"y"},
				branch("t", callNode("F", []string{"x"}, []string{"t"})),
				branch("e", nodeProto("Identity", []string{"x"}, []string{"e"})))},
			want: f32(sh(2, 2), 2, -4, 6, 8)},
		{name: "call in an If branch of a function", inits: []*onnxpb.TensorProto{cond(false)}, funcs: []*onnxpb.FunctionProto{twice(),
			fnProto("H", []string{"c", "a"}, []string{"b"}, withLocal, nil, ifNode("c", []string{"b"},
				branch("t", nodeProto("Identity", []string{"a"}, []string{"t"})),
				branch("t", callNode("F", []string{"a"}, []string{"t"}))))},
			nodes: []*onnxpb.NodeProto{callNode("H", []string{"c", "x"}, []string{"y"})},
			want:  f32(sh(2, 2), 2, -4, 6, 8)},
		{name: "attribute reference in a subgraph", inits: []*onnxpb.TensorProto{cond(true)}, funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"c", "a"}, []string{"b"}, std, []string{"al"}, ifNode("c", []string{"b"},
				branch("t", nodeProto("LeakyRelu", []string{"a"}, []string{"t"}, refAttr("alpha", "al", onnxpb.AttributeProto_FLOAT))),
				branch("t", nodeProto("Neg", []string{"a"}, []string{"t"}))))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"c", "x"}, []string{"y"}, attrFloat("al", 0.25))},
			want:  f32(sh(2, 2), 1, -0.5, 3, 4)},
		{name: "function importing another opset with the same versions", opset: 15,
			funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, map[string]int64{"": 13}, nil,
				nodeProto("ReduceSum", []string{"a", "axes"}, []string{"b"}, attrInt("keepdims", 0)), constNode("axes", i64(sh(1), 1)))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			want:  f32(sh(2), -1, 7)},
		{name: "function importing an opset where an operator has another version", opset: 13,
			funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, map[string]int64{"": 11}, nil,
				nodeProto("ReduceSum", []string{"a"}, []string{"b"}, attrInts("axes", 1)))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: "function local.F imports opset 11 of domain ai.onnx, where ReduceSum is version 11, but onnxruntime binds it at opset 13, version 13"},
		{name: "function importing no default-domain opset", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, nil, nil,
			nodeProto("Abs", []string{"a"}, []string{"b"}))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			want:  f32(sh(2, 2), 1, 2, 3, 4)},
		{name: "ai.onnx.ml operator the model imports no opset for", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, map[string]int64{"ai.onnx.ml": 1}, nil,
			mkNode("Binarizer", "ai.onnx.ml", []string{"a"}, []string{"b"}, attrFloat("threshold", 0)))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			want:  f32(sh(2, 2), 1, 0, 1, 1)},
		{name: "ai.onnx.ml operator onnxruntime would bind at another version", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, map[string]int64{"ai.onnx.ml": 2}, nil,
			mkNode("LabelEncoder", "ai.onnx.ml", []string{"a"}, []string{"b"}, attrFloats("keys_floats", 1), attrFloats("values_floats", 10)))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: "where LabelEncoder is version 2, but onnxruntime binds it at opset 5, version 4"},
		{name: "missing trailing optional input", inits: []*onnxpb.TensorProto{tensorProto("z", f32(sh(), 0))}, funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"a", "lo", "hi"}, []string{"b"}, std, nil, nodeProto("Clip", []string{"a", "lo", "hi"}, []string{"b"}))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x", "z"}, []string{"y"})},
			want:  f32(sh(2, 2), 1, 0, 3, 4)},
		{name: "empty optional input", inits: []*onnxpb.TensorProto{tensorProto("z", f32(sh(), 0))}, funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"a", "lo", "hi"}, []string{"b"}, std, nil, nodeProto("Clip", []string{"a", "lo", "hi"}, []string{"b"}))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x", "", "z"}, []string{"y"})},
			want:  f32(sh(2, 2), 0, -2, 0, 0)},
		{name: "empty output", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b", "c"}, std, nil,
			nodeProto("Neg", []string{"a"}, []string{"b"}), nodeProto("Abs", []string{"a"}, []string{"c"}))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"", "y"})},
			want:  f32(sh(2, 2), 1, 2, 3, 4)},
		{name: "formal input read only in a subgraph", inits: []*onnxpb.TensorProto{cond(true)}, funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"c", "a"}, []string{"b"}, std, nil, ifNode("c", []string{"b"},
				branch("t", nodeProto("Neg", []string{"a"}, []string{"t"})),
				branch("t", nodeProto("Identity", []string{"a"}, []string{"t"}))))},
			nodes: []*onnxpb.NodeProto{callNode("F", []string{"c", "x"}, []string{"y"})},
			want:  f32(sh(2, 2), -1, 2, -3, -4)},
		{name: "function in the default domain does not replace an operator",
			funcs: []*onnxpb.FunctionProto{{Name: proto.String("Relu"), Domain: proto.String(""), Input: []string{"a"}, Output: []string{"b"},
				Node: []*onnxpb.NodeProto{nodeProto("Neg", []string{"a"}, []string{"b"})}}},
			nodes: []*onnxpb.NodeProto{nodeProto("Relu", []string{"x"}, []string{"y"})},
			want:  f32(sh(2, 2), 1, 0, 3, 4)},

		{name: "function calling itself", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, withLocal, nil,
			callNode("F", []string{"a"}, []string{"b"}))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: "function local.F calls itself"},
		{name: "functions calling one another", funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"a"}, []string{"b"}, withLocal, nil, callNode("G", []string{"a"}, []string{"b"})),
			fnProto("G", []string{"a"}, []string{"b"}, withLocal, nil, ifNode("a", []string{"b"},
				branch("t", callNode("F", []string{"a"}, []string{"t"})), branch("t", nodeProto("Identity", []string{"a"}, []string{"t"}))))},
			nodes:   []*onnxpb.NodeProto{nodeProto("Identity", []string{"x"}, []string{"y"})},
			loadErr: "functions call one another recursively: local.F > local.G > local.F"},
		{name: "invalid body", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, std, nil,
			named("sm", nodeProto("Softmax", []string{"a"}, []string{"b"}, attrString("axis", "last"))))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: `node "sm" (Softmax) in function local.F: opset 17 (version 13): attribute "axis" has type STRING`},
		{name: "invalid body of a nested call", funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"a"}, []string{"b"}, std, nil, named("bad", nodeProto("NoSuchOp", []string{"a"}, []string{"b"}))),
			fnProto("G", []string{"a"}, []string{"b"}, withLocal, nil, callNode("F", []string{"a"}, []string{"b"}))},
			nodes:   []*onnxpb.NodeProto{callNode("G", []string{"x"}, []string{"y"})},
			loadErr: `node "bad" (NoSuchOp) in function local.G > local.F: operator NoSuchOp (domain ai.onnx) is not supported`},
		{name: "body reading a value it does not define", inits: []*onnxpb.TensorProto{tensorProto("z", f32(sh(), 0))},
			funcs:   []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, std, nil, nodeProto("Add", []string{"a", "z"}, []string{"b"}))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: `node "" (Add) in function local.F reads undefined value "F#1/z"`},
		{name: "subgraph initializer in a function", inits: []*onnxpb.TensorProto{cond(true)}, funcs: []*onnxpb.FunctionProto{
			fnProto("F", []string{"c", "a"}, []string{"b"}, std, nil, ifNode("c", []string{"b"},
				graphProto([]*onnxpb.NodeProto{nodeProto("Add", []string{"a", "w"}, []string{"t"})}, nil,
					[]*onnxpb.ValueInfoProto{valueInfo("t", Float32)}, tensorProto("w", f32(sh(), 1))),
				branch("t", nodeProto("Identity", []string{"a"}, []string{"t"}))))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"c", "x"}, []string{"y"})},
			loadErr: "function local.F: subgraph \"g\" has initializers"},
		{name: "too many inputs", funcs: []*onnxpb.FunctionProto{negAbs()},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x", "x"}, []string{"y"})},
			loadErr: `node "" (local.F): the call has 2 inputs; function local.F takes 1`},
		{name: "fewer outputs than the function", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b", "c"}, std, nil,
			nodeProto("Neg", []string{"a"}, []string{"b"}), nodeProto("Abs", []string{"a"}, []string{"c"}))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: "the call has 1 outputs; function local.F has 2"},
		{name: "output no node produces", funcs: []*onnxpb.FunctionProto{negAbs(), fnProto("G", []string{"a"}, []string{"a"}, std, nil)},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: `function local.G: no node produces output "a"`},
		{name: "function defined twice", funcs: []*onnxpb.FunctionProto{negAbs(), negAbs()},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: "function local.F is defined more than once"},
		{name: "overloaded function", funcs: []*onnxpb.FunctionProto{negAbs()}, overloads: map[int]string{0: "v2"},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: `function local.F has overload "v2"`},
		{name: "function domain the model does not import", opsets: map[string]int64{"": 17}, funcs: []*onnxpb.FunctionProto{negAbs()},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: `the model imports no opset for domain "local"`},
		{name: "function opset newer than the engine's", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, map[string]int64{"": 30}, nil,
			nodeProto("Abs", []string{"a"}, []string{"b"}))},
			nodes:   []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			loadErr: "function local.F: opset 30 of domain ai.onnx is newer"},
		{name: "exponential inlining", funcs: doubling(24),
			nodes:   []*onnxpb.NodeProto{callNode("F24", []string{"x"}, []string{"y"})},
			loadErr: "more than 131072 nodes once its functions are inlined"},
		{name: "run error naming the call", funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a"}, []string{"b"}, std, nil,
			constNode("i", i64(sh(1), 5)), named("g", nodeProto("Gather", []string{"a", "i"}, []string{"b"})))},
			nodes:  []*onnxpb.NodeProto{callNode("F", []string{"x"}, []string{"y"})},
			runErr: `node "F#1/g" (Gather): index 5 is out of range`},
	})
}

// doubling returns functions F0 (Neg) to Fn, Fi calling F(i-1) twice.
func doubling(n int) []*onnxpb.FunctionProto {
	fns := []*onnxpb.FunctionProto{fnProto("F0", []string{"a"}, []string{"b"}, std, nil, nodeProto("Neg", []string{"a"}, []string{"b"}))}
	for i := 1; i <= n; i++ {
		prev := fmt.Sprintf("F%d", i-1)
		fns = append(fns, fnProto(fmt.Sprintf("F%d", i), []string{"a"}, []string{"b"}, withLocal, nil,
			callNode(prev, []string{"a"}, []string{"t"}), callNode(prev, []string{"t"}, []string{"b"})))
	}
	return fns
}

// TestFunctionInliningLimit checks the bound on inlined nodes for graphs
// that calls pass in attributes, which the count at load cannot see: each
// copy is counted before it is made.
func TestFunctionInliningLimit(t *testing.T) {
	// Fi passes its graph attribute g to two calls of F(i-1); F0 holds it
	// in an If branch.
	g := refAttr("then_branch", "g", onnxpb.AttributeProto_GRAPH)
	els := attrGraph("else_branch", branch("t", nodeProto("Identity", []string{"a"}, []string{"t"})))
	fns := []*onnxpb.FunctionProto{fnProto("F0", []string{"c", "a"}, []string{"b"}, std, []string{"g"},
		nodeProto("If", []string{"c"}, []string{"b"}, g, els))}
	for i := 1; i <= 4; i++ {
		prev := fmt.Sprintf("F%d", i-1)
		pass := refAttr("g", "g", onnxpb.AttributeProto_GRAPH)
		fns = append(fns, fnProto(fmt.Sprintf("F%d", i), []string{"c", "a"}, []string{"b"}, withLocal, []string{"g"},
			callNode(prev, []string{"c", "a"}, []string{"t"}, pass), callNode(prev, []string{"c", "t"}, []string{"b"}, pass)))
	}
	// The graph reads nothing from outside: inlining renames such names,
	// as onnxruntime does.
	big := []*onnxpb.NodeProto{constNode("v", f32(sh(), 1))}
	prev := "v"
	for i := range 39 {
		out := fmt.Sprint("v", i)
		big = append(big, nodeProto("Neg", []string{prev}, []string{out}))
		prev = out
	}
	c := funcCase{funcs: fns, inits: []*onnxpb.TensorProto{cond(true)},
		nodes: []*onnxpb.NodeProto{callNode("F4", []string{"c", "x"}, []string{"y"}, attrGraph("g", branch(prev, big...)))}}
	mp := c.proto()
	opsets := map[string]int{"": 17, ld: 1}
	for _, limit := range []int{2000, 1000} {
		u, err := newUnit(mp, opsets, make([]functionExtras, len(fns)))
		if err != nil {
			t.Fatalf("newUnit: %v", err)
		}
		u.limit = limit
		_, _, err = compileGraph(mp.GetGraph(), nil, u, nil)
		// 15 copies of F1 to F4 (2 nodes, 2 copies of g's 40) and 16 of F0
		// (2 nodes and a copy of g): 1902 nodes.
		if wantErr := limit < 1902; (err != nil) != wantErr || (err != nil && !strings.Contains(err.Error(), "more than")) {
			t.Errorf("compileGraph with limit %d: error %v; want an error: %v", limit, err, wantErr)
		}
		if err == nil && u.inlined > limit {
			t.Errorf("compileGraph with limit %d inlined %d nodes", limit, u.inlined)
		}
	}
}

// TestFunctionInlineBytes checks that inlining stops at its byte budget:
// few calls to a function holding a large constant copy it many times.
func TestFunctionInlineBytes(t *testing.T) {
	fn := fnProto("F", []string{"a"}, []string{"b"}, std, nil,
		constNode("k", f32(sh(1<<14), make([]float32, 1<<14)...)), nodeProto("Add", []string{"a", "k"}, []string{"b"}))
	var nodes []*onnxpb.NodeProto
	prev := "x"
	for i := range 20 {
		out := fmt.Sprint("v", i)
		if i == 19 {
			out = "y"
		}
		nodes = append(nodes, callNode("F", []string{prev}, []string{out}))
		prev = out
	}
	mp := funcCase{funcs: []*onnxpb.FunctionProto{fn}, nodes: nodes}.proto()
	opsets := map[string]int{"": 17, ld: 1}
	for _, tt := range []struct {
		limit   int
		wantErr bool
	}{{1 << 22, false}, {1 << 20, true}} { // 20 copies of 64 KiB
		u, err := newUnit(mp, opsets, make([]functionExtras, 1))
		if err != nil {
			t.Fatalf("newUnit: %v", err)
		}
		u.byteLimit = tt.limit
		_, _, err = compileGraph(mp.GetGraph(), nil, u, nil)
		if (err != nil) != tt.wantErr || (err != nil && !strings.Contains(err.Error(), "once inlined, take more than")) {
			t.Errorf("compileGraph with a budget of %d bytes: error %v; want an error: %v", tt.limit, err, tt.wantErr)
		}
		if err == nil && u.inlinedBytes > tt.limit {
			t.Errorf("compileGraph with a budget of %d bytes charged %d", tt.limit, u.inlinedBytes)
		}
	}
}

func TestFunctionInfo(t *testing.T) {
	c := funcCase{funcs: []*onnxpb.FunctionProto{twice(), negAbs(), fnProto("G", []string{"a"}, []string{"b"}, withLocal, nil,
		callNode("F", []string{"a"}, []string{"t"}), callNode("F", []string{"t"}, []string{"b"}))}}
	c.funcs[1].Name = proto.String("Unused")
	c.nodes = []*onnxpb.NodeProto{callNode("G", []string{"x"}, []string{"y"})}
	m, err := Load(c.bytes(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	info := m.Info()
	if want := []string{"Constant", "Mul"}; !slices.Equal(info.Ops, want) {
		t.Errorf("Info().Ops = %v; want %v", info.Ops, want)
	}
	if want := []string{"local.F", "local.G"}; !slices.Equal(info.Functions, want) {
		t.Errorf("Info().Functions = %v; want %v", info.Functions, want)
	}
}

// TestFunctionRunErrorIsEvalError checks that a kernel error in an inlined
// node is an *EvalError naming the call.
func TestFunctionRunErrorIsEvalError(t *testing.T) {
	c := funcCase{funcs: []*onnxpb.FunctionProto{fnProto("F", []string{"a", "i"}, []string{"b"}, std, nil,
		nodeProto("Gather", []string{"a", "i"}, []string{"b"}))}}
	c.nodes = []*onnxpb.NodeProto{named("call", callNode("F", []string{"x", "k"}, []string{"y"}))}
	c.inits = []*onnxpb.TensorProto{tensorProto("k", i64(sh(1), 9))}
	m, err := Load(c.bytes(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = m.Run(context.Background(), []*Tensor{fx})
	var ee *EvalError
	if !errors.As(err, &ee) || ee.Node != "F#1/" || ee.Op != "Gather" {
		t.Fatalf("Run error = %#v; want an *EvalError for node %q (Gather)", err, "F#1/")
	}
}
