package onnx

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

func graphProto(nodes []*onnxpb.NodeProto, inputs, outputs []*onnxpb.ValueInfoProto, inits ...*onnxpb.TensorProto) *onnxpb.GraphProto {
	return &onnxpb.GraphProto{Name: proto.String("g"), Node: nodes, Input: inputs, Output: outputs, Initializer: inits}
}

// A graphCase runs a model built around one control-flow node.
type graphCase struct {
	name    string
	opset   int64
	g       *onnxpb.GraphProto
	inputs  []*Tensor
	want    []*Tensor
	loadErr string
	runErr  string
}

func runGraphCases(t *testing.T, cases []graphCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opset := c.opset
			if opset == 0 {
				opset = 17
			}
			m, err := loadModel(modelOf(c.g, opset))
			if c.loadErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.loadErr) {
					t.Fatalf("Load error = %v; want one containing %q", err, c.loadErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			// Run twice: pooled states must give the same results.
			for range 2 {
				got, err := m.Run(context.Background(), c.inputs)
				if c.runErr != "" {
					if err == nil || !strings.Contains(err.Error(), c.runErr) {
						t.Fatalf("Run error = %v; want one containing %q", err, c.runErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				for i, w := range c.want {
					if !equalTensor(got[i].Tensor, w) {
						t.Errorf("output %d = %s %v; want %s %v", i, got[i].Tensor.Describe(), data(got[i].Tensor), w.Describe(), data(w))
					}
				}
			}
		})
	}
}

func TestControlIf(t *testing.T) {
	vf := func(name string) *onnxpb.ValueInfoProto { return valueInfo(name, Float32) }
	thenT := graphProto([]*onnxpb.NodeProto{nodeProto("Transpose", []string{"x"}, []string{"t"})}, nil, []*onnxpb.ValueInfoProto{vf("t")})
	elseCat := graphProto([]*onnxpb.NodeProto{nodeProto("Concat", []string{"x", "x"}, []string{"e"}, attrInt("axis", 0))}, nil, []*onnxpb.ValueInfoProto{vf("e")})
	ifGraph := func(then, els *onnxpb.GraphProto, outs ...string) *onnxpb.GraphProto {
		if outs == nil {
			outs = []string{"y"}
		}
		var ovi []*onnxpb.ValueInfoProto
		for _, o := range outs {
			ovi = append(ovi, valueInfo(o, Undefined))
		}
		return graphProto([]*onnxpb.NodeProto{nodeProto("If", []string{"c"}, outs, attrGraph("then_branch", then), attrGraph("else_branch", els))},
			[]*onnxpb.ValueInfoProto{valueInfo("c", Bool), vf("x")}, ovi)
	}
	elseV1 := graphProto([]*onnxpb.NodeProto{nodeProto("Reshape", []string{"x"}, []string{"e"}, attrInts("shape", 1, -1))}, nil, []*onnxpb.ValueInfoProto{vf("e")})
	x := f32(sh(3), 0, 1, 2)
	// Branches reading different outer values: then returns a, else b.
	ab := graphProto([]*onnxpb.NodeProto{nodeProto("If", []string{"c"}, []string{"y"},
		attrGraph("then_branch", graphProto([]*onnxpb.NodeProto{nodeProto("Reshape", []string{"a", "s"}, []string{"t"})}, nil, []*onnxpb.ValueInfoProto{vf("t")})),
		attrGraph("else_branch", graphProto([]*onnxpb.NodeProto{nodeProto("Reshape", []string{"b", "s"}, []string{"e"})}, nil, []*onnxpb.ValueInfoProto{vf("e")})))},
		[]*onnxpb.ValueInfoProto{valueInfo("c", Bool), vf("a"), vf("b")}, []*onnxpb.ValueInfoProto{valueInfo("y", Undefined)},
		tensorProto("s", i64(sh(2), 1, -1)))
	// If inside a branch, reading the outermost x.
	nested := ifGraph(
		graphProto([]*onnxpb.NodeProto{nodeProto("If", []string{"c"}, []string{"inner"},
			attrGraph("then_branch", thenT), attrGraph("else_branch", elseCat))}, nil, []*onnxpb.ValueInfoProto{vf("inner")}),
		elseCat)
	// A constant condition and outer value: the node is evaluated at load.
	folded := graphProto([]*onnxpb.NodeProto{
		nodeProto("If", []string{"k"}, []string{"y"}, attrGraph("then_branch", graphProto([]*onnxpb.NodeProto{
			nodeProto("Concat", []string{"w", "w"}, []string{"t"}, attrInt("axis", 0))}, nil, []*onnxpb.ValueInfoProto{vf("t")})),
			attrGraph("else_branch", elseCat)),
		nodeProto("Concat", []string{"y", "x"}, []string{"z"}, attrInt("axis", 0))},
		[]*onnxpb.ValueInfoProto{vf("x")}, []*onnxpb.ValueInfoProto{valueInfo("z", Undefined)},
		tensorProto("k", bools(sh(), true)), tensorProto("w", f32(sh(1), 7)))
	int64Branch := graphProto([]*onnxpb.NodeProto{nodeProto("Shape", []string{"x"}, []string{"t"})}, nil, []*onnxpb.ValueInfoProto{valueInfo("t", Int64)})
	twoOuts := graphProto([]*onnxpb.NodeProto{nodeProto("Transpose", []string{"x"}, []string{"t"}), nodeProto("Transpose", []string{"x"}, []string{"t2"})}, nil,
		[]*onnxpb.ValueInfoProto{vf("t"), vf("t2")})
	passOuter := graphProto(nil, nil, []*onnxpb.ValueInfoProto{vf("x")})
	runGraphCases(t, []graphCase{
		{name: "then", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(), true), x}, want: []*Tensor{x}},
		{name: "else", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(), false), x}, want: []*Tensor{f32(sh(6), 0, 1, 2, 0, 1, 2)}},
		{name: "cond of shape [1]", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(1), true), x}, want: []*Tensor{x}},
		{name: "cond of shape [1, 1]", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(1, 1), false), x}, want: []*Tensor{f32(sh(6), 0, 1, 2, 0, 1, 2)}},
		{name: "opset 21", opset: 21, g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(), true), x}, want: []*Tensor{x}},
		{name: "opset 1", opset: 1, g: ifGraph(thenT, elseV1), inputs: []*Tensor{bools(sh(), false), f32(sh(1), 4)}, want: []*Tensor{f32(sh(1, 1), 4)}},
		{name: "branches read different outer values", g: ab, inputs: []*Tensor{bools(sh(), false), f32(sh(2), 1, 2), f32(sh(1), 3)}, want: []*Tensor{f32(sh(1, 1), 3)}},
		{name: "branches read different outer values, then", g: ab, inputs: []*Tensor{bools(sh(), true), f32(sh(2), 1, 2), f32(sh(1), 3)}, want: []*Tensor{f32(sh(1, 2), 1, 2)}},
		{name: "nested", g: nested, inputs: []*Tensor{bools(sh(), true), x}, want: []*Tensor{x}},
		{name: "constant folded at load", g: folded, inputs: []*Tensor{f32(sh(1), 1)}, want: []*Tensor{f32(sh(3), 7, 7, 1)}},
		{name: "empty batch", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(), false), f32(sh(0))}, want: []*Tensor{f32(sh(0))}},
		{name: "two conditions", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(2), true, false), x}, runErr: "cond must hold one bool"},
		{name: "no condition", g: ifGraph(thenT, elseCat), inputs: []*Tensor{bools(sh(0)), x}, runErr: "cond must hold one bool"},
		{name: "branch output counts differ", g: ifGraph(twoOuts, elseCat), loadErr: "then_branch has 2 outputs, the node 1"},
		{name: "branch types differ", g: ifGraph(int64Branch, elseCat), loadErr: "output 0 is int64 in then_branch and float32 in else_branch"},
		{name: "outer value returned directly", g: ifGraph(passOuter, elseCat), loadErr: `returns outer-scope value "x" directly`},
		{name: "missing branch", g: graphProto([]*onnxpb.NodeProto{nodeProto("If", []string{"c"}, []string{"y"}, attrGraph("then_branch", thenT))},
			[]*onnxpb.ValueInfoProto{valueInfo("c", Bool), vf("x")}, []*onnxpb.ValueInfoProto{valueInfo("y", Undefined)}), loadErr: `missing required attribute "else_branch"`},
		{name: "float condition", g: graphProto([]*onnxpb.NodeProto{nodeProto("If", []string{"x"}, []string{"y"}, attrGraph("then_branch", thenT), attrGraph("else_branch", elseCat))},
			[]*onnxpb.ValueInfoProto{vf("x")}, []*onnxpb.ValueInfoProto{valueInfo("y", Undefined)}), loadErr: "cond has element type float32, want bool"},
		{name: "branch reads an undefined value", g: ifGraph(graphProto([]*onnxpb.NodeProto{nodeProto("Transpose", []string{"nope"}, []string{"t"})}, nil, []*onnxpb.ValueInfoProto{vf("t")}), elseCat),
			loadErr: `undefined value "nope"`},
	})
}

// scanGraph wraps a Scan node with state s0 and scan input xs (and more
// inputs when given) around body.
func scanGraph(body *onnxpb.GraphProto, inputs []*onnxpb.ValueInfoProto, outs []string, attrs ...*onnxpb.AttributeProto) *onnxpb.GraphProto {
	var names []string
	for _, vi := range inputs {
		names = append(names, vi.GetName())
	}
	var ovi []*onnxpb.ValueInfoProto
	for _, o := range outs {
		if o != "" {
			ovi = append(ovi, valueInfo(o, Undefined))
		}
	}
	return graphProto([]*onnxpb.NodeProto{nodeProto("Scan", names, outs, append([]*onnxpb.AttributeProto{attrGraph("body", body)}, attrs...)...)}, inputs, ovi)
}

func TestControlScan(t *testing.T) {
	vf := func(name string) *onnxpb.ValueInfoProto { return valueInfo(name, Float32) }
	ins := []*onnxpb.ValueInfoProto{vf("s0"), vf("xs")}
	// The state becomes the current slice; the scan output is state and slice.
	body := graphProto([]*onnxpb.NodeProto{
		nodeProto("Transpose", []string{"x"}, []string{"s_out"}),
		nodeProto("Concat", []string{"s", "x"}, []string{"o"}, attrInt("axis", 0)),
	}, []*onnxpb.ValueInfoProto{vf("s"), vf("x")}, []*onnxpb.ValueInfoProto{vf("s_out"), vf("o")})
	one := attrInt("num_scan_inputs", 1)
	s0 := f32(sh(2), 9, 9)
	xs := f32(sh(3, 2), 0, 1, 2, 3, 4, 5)
	// A body that adds an outer value to its scan output.
	outerBody := graphProto([]*onnxpb.NodeProto{
		nodeProto("Transpose", []string{"s"}, []string{"s_out"}),
		nodeProto("Concat", []string{"x", "extra"}, []string{"o"}, attrInt("axis", 0)),
	}, []*onnxpb.ValueInfoProto{vf("s"), vf("x")}, []*onnxpb.ValueInfoProto{vf("s_out"), vf("o")})
	withOuter := scanGraph(outerBody, []*onnxpb.ValueInfoProto{vf("s0"), vf("xs")}, []string{"sf", "os"}, one)
	withOuter.Input = append(withOuter.Input, vf("extra"))
	// Two scan inputs and no state.
	twoIn := graphProto([]*onnxpb.NodeProto{nodeProto("Concat", []string{"a", "b"}, []string{"o"}, attrInt("axis", 0))},
		[]*onnxpb.ValueInfoProto{vf("a"), vf("b")}, []*onnxpb.ValueInfoProto{vf("o")})
	// A state passed through unchanged, output name = input name.
	pass := graphProto([]*onnxpb.NodeProto{nodeProto("Transpose", []string{"x"}, []string{"o"})},
		[]*onnxpb.ValueInfoProto{vf("s"), vf("x")}, []*onnxpb.ValueInfoProto{vf("s"), vf("o")})
	// A state that grows, and a scan output whose shape changes.
	grow := graphProto([]*onnxpb.NodeProto{
		nodeProto("Concat", []string{"s", "x"}, []string{"s_out"}, attrInt("axis", 0)),
		nodeProto("Transpose", []string{"x"}, []string{"o"}),
	}, []*onnxpb.ValueInfoProto{vf("s"), vf("x")}, []*onnxpb.ValueInfoProto{vf("s_out"), vf("o")})
	varying := graphProto([]*onnxpb.NodeProto{
		nodeProto("Transpose", []string{"s"}, []string{"s_out"}),
		nodeProto("NonZero", []string{"x"}, []string{"o"}),
	}, []*onnxpb.ValueInfoProto{vf("s"), vf("x")}, []*onnxpb.ValueInfoProto{vf("s_out"), valueInfo("o", Int64)})
	strBody := graphProto([]*onnxpb.NodeProto{
		nodeProto("Transpose", []string{"x"}, []string{"s_out"}),
		nodeProto("Concat", []string{"s", "x"}, []string{"o"}, attrInt("axis", 0)),
	}, []*onnxpb.ValueInfoProto{valueInfo("s", String), valueInfo("x", String)}, []*onnxpb.ValueInfoProto{valueInfo("s_out", String), valueInfo("o", String)})
	runGraphCases(t, []graphCase{
		{name: "forward", opset: 11, g: scanGraph(body, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, xs},
			want: []*Tensor{f32(sh(2), 4, 5), f32(sh(3, 4), 9, 9, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5)}},
		{name: "reverse input", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_input_directions", 1)), inputs: []*Tensor{s0, xs},
			want: []*Tensor{f32(sh(2), 0, 1), f32(sh(3, 4), 9, 9, 4, 5, 4, 5, 2, 3, 2, 3, 0, 1)}},
		{name: "reverse output", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_output_directions", 1)), inputs: []*Tensor{s0, xs},
			want: []*Tensor{f32(sh(2), 4, 5), f32(sh(3, 4), 2, 3, 4, 5, 0, 1, 2, 3, 9, 9, 0, 1)}},
		{name: "output axis 1", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_output_axes", 1)), inputs: []*Tensor{s0, xs},
			want: []*Tensor{f32(sh(2), 4, 5), f32(sh(4, 3), 9, 0, 2, 9, 1, 3, 0, 2, 4, 1, 3, 5)}},
		{name: "output axis -1, reversed", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_output_axes", -1), attrInts("scan_output_directions", 1)), inputs: []*Tensor{s0, xs},
			want: []*Tensor{f32(sh(2), 4, 5), f32(sh(4, 3), 2, 0, 9, 3, 1, 9, 4, 2, 0, 5, 3, 1)}},
		{name: "input axis 1", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_input_axes", 1)), inputs: []*Tensor{s0, f32(sh(2, 3), 0, 2, 4, 1, 3, 5)},
			want: []*Tensor{f32(sh(2), 4, 5), f32(sh(3, 4), 9, 9, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5)}},
		{name: "input axis -1, reversed", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_input_axes", -1), attrInts("scan_input_directions", 1)),
			inputs: []*Tensor{s0, f32(sh(2, 3), 0, 2, 4, 1, 3, 5)},
			want:   []*Tensor{f32(sh(2), 0, 1), f32(sh(3, 4), 9, 9, 4, 5, 4, 5, 2, 3, 2, 3, 0, 1)}},
		{name: "opset 9", opset: 9, g: scanGraph(body, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, xs},
			want: []*Tensor{f32(sh(2), 4, 5), f32(sh(3, 4), 9, 9, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5)}},
		{name: "opset 21, one step", opset: 21, g: scanGraph(body, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, f32(sh(1, 2), 7, 8)},
			want: []*Tensor{f32(sh(2), 7, 8), f32(sh(1, 4), 9, 9, 7, 8)}},
		{name: "outer value", g: withOuter, inputs: []*Tensor{s0, xs, f32(sh(1), -1)},
			want: []*Tensor{s0, f32(sh(3, 3), 0, 1, -1, 2, 3, -1, 4, 5, -1)}},
		{name: "no state, two scan inputs", g: scanGraph(twoIn, []*onnxpb.ValueInfoProto{vf("xa"), vf("xb")}, []string{"os"}, attrInt("num_scan_inputs", 2), attrInts("scan_input_axes", 0, 1)),
			inputs: []*Tensor{f32(sh(2, 1), 1, 2), f32(sh(1, 2), 3, 4)}, want: []*Tensor{f32(sh(2, 2), 1, 3, 2, 4)}},
		// onnxruntime returns garbage for a passed-through state; the
		// engine passes it through.
		{name: "state passed through", g: scanGraph(pass, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, xs}, want: []*Tensor{s0, xs}},
		{name: "only the final state", g: scanGraph(body, ins, []string{"sf", ""}, one), inputs: []*Tensor{s0, xs}, want: []*Tensor{f32(sh(2), 4, 5)}},
		{name: "empty batch state", g: scanGraph(pass, ins, []string{"sf", "os"}, one), inputs: []*Tensor{f32(sh(0)), xs}, want: []*Tensor{f32(sh(0)), xs}},
		{name: "empty slices, output axis 1 reversed", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_input_axes", -1), attrInts("scan_output_axes", 1), attrInts("scan_output_directions", 1)),
			inputs: []*Tensor{f32(sh(0)), f32(sh(0, 4))}, want: []*Tensor{f32(sh(0)), f32(sh(0, 4))}},
		{name: "strings", g: scanGraph(strBody, []*onnxpb.ValueInfoProto{valueInfo("s0", String), valueInfo("xs", String)}, []string{"sf", "os"}, one),
			inputs: []*Tensor{strs(sh(1), "s"), strs(sh(2, 1), "a", "b")}, want: []*Tensor{strs(sh(1), "b"), strs(sh(2, 2), "s", "a", "a", "b")}},
		{name: "no positions", g: scanGraph(body, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, f32(sh(0, 2))}, runErr: "sequence length 0"},
		{name: "lengths differ", g: scanGraph(twoIn, []*onnxpb.ValueInfoProto{vf("xa"), vf("xb")}, []string{"os"}, attrInt("num_scan_inputs", 2)),
			inputs: []*Tensor{f32(sh(2, 1), 1, 2), f32(sh(1, 2), 3, 4)}, runErr: "scan input 1 has 1 positions"},
		{name: "scalar scan input", g: scanGraph(body, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, f32(sh(), 1)}, runErr: "out of range"},
		{name: "state grows", g: scanGraph(grow, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, xs}, runErr: "state 0 changed from float32[2] to float32[4]"},
		{name: "scan output changes shape", g: scanGraph(varying, ins, []string{"sf", "os"}, one), inputs: []*Tensor{s0, f32(sh(2, 2), 1, 0, 1, 1)}, runErr: "scan output 0 is int64[1,2]"},
		{name: "opset 8", opset: 8, g: scanGraph(body, ins, []string{"sf", "os"}, one), loadErr: "version 8 of Scan"},
		{name: "bad direction", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_input_directions", 2)), loadErr: "0 is forward, 1 reverse"},
		{name: "axes for another count", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_output_axes", 0, 0)), loadErr: "has 2 values, want 1"},
		{name: "output axis out of range", g: scanGraph(body, ins, []string{"sf", "os"}, one, attrInts("scan_output_axes", 2)), inputs: []*Tensor{s0, xs}, runErr: "axis 2 is out of range"},
		{name: "no num_scan_inputs", g: scanGraph(body, ins, []string{"sf", "os"}), loadErr: `missing required attribute "num_scan_inputs"`},
		{name: "body inputs", g: scanGraph(graphProto(body.Node, []*onnxpb.ValueInfoProto{vf("s"), vf("x"), vf("z")}, body.Output), ins, []string{"sf", "os"}, one),
			loadErr: "body has 3 inputs, want 1 (states) + 1 (scan inputs)"},
		{name: "body outputs", g: scanGraph(body, ins, []string{"sf", "os", "more"}, one), loadErr: "body has 2 outputs, want 1 (states) + 2 (scan outputs)"},
	})
}

func TestControlLoop(t *testing.T) {
	ax := tensorProto("ax", i64(sh(1), 0))
	// cond_out = cond; v_out rotates v; the scan output is [i].
	body := func(inits ...*onnxpb.TensorProto) *onnxpb.GraphProto {
		return graphProto([]*onnxpb.NodeProto{
			nodeProto("Unsqueeze", []string{"c", "ax"}, []string{"cexp"}),
			nodeProto("Squeeze", []string{"cexp", "ax"}, []string{"c_out"}),
			nodeProto("Concat", []string{"v", "v"}, []string{"vc"}, attrInt("axis", 0)),
			nodeProto("Slice", []string{"vc", "s", "e"}, []string{"v_out"}),
			nodeProto("Unsqueeze", []string{"i", "ax"}, []string{"sc"}),
		}, []*onnxpb.ValueInfoProto{valueInfo("i", Int64), valueInfo("c", Bool), valueInfo("v", Float32)},
			[]*onnxpb.ValueInfoProto{valueInfo("c_out", Bool), valueInfo("v_out", Float32), valueInfoShape("sc", Int64, 1)},
			append([]*onnxpb.TensorProto{ax, tensorProto("s", i64(sh(1), 1)), tensorProto("e", i64(sh(1), 3))}, inits...)...)
	}
	// The condition comes from a table indexed by the iteration number.
	tableBody := graphProto([]*onnxpb.NodeProto{
		nodeProto("Gather", []string{"table", "i"}, []string{"c_out"}),
		nodeProto("Concat", []string{"v", "v"}, []string{"vc"}, attrInt("axis", 0)),
		nodeProto("Slice", []string{"vc", "s", "e"}, []string{"v_out"}),
		nodeProto("Unsqueeze", []string{"i", "ax"}, []string{"sc"}),
	}, []*onnxpb.ValueInfoProto{valueInfo("i", Int64), valueInfo("c", Bool), valueInfo("v", Float32)},
		[]*onnxpb.ValueInfoProto{valueInfo("c_out", Bool), valueInfo("v_out", Float32), valueInfo("sc", Int64)},
		ax, tensorProto("s", i64(sh(1), 1)), tensorProto("e", i64(sh(1), 3)), tensorProto("table", bools(sh(3), true, true, false)))
	// The same at opset 10, where Unsqueeze takes an axes attribute.
	tableBody10 := graphProto([]*onnxpb.NodeProto{
		nodeProto("Gather", []string{"table", "i"}, []string{"c_out"}),
		nodeProto("Concat", []string{"v", "v"}, []string{"vc"}, attrInt("axis", 0)),
		nodeProto("Slice", []string{"vc", "s", "e"}, []string{"v_out"}),
		nodeProto("Unsqueeze", []string{"i"}, []string{"sc"}, attrInts("axes", 0)),
	}, tableBody.Input, tableBody.Output, tableBody.Initializer...)
	loopGraph := func(b *onnxpb.GraphProto, m, c bool) *onnxpb.GraphProto {
		names := []string{"", "", "v0"}
		ins := []*onnxpb.ValueInfoProto{}
		if m {
			names[0] = "M"
			ins = append(ins, valueInfo("M", Int64))
		}
		if c {
			names[1] = "cond"
			ins = append(ins, valueInfo("cond", Bool))
		}
		ins = append(ins, valueInfo("v0", Float32))
		return graphProto([]*onnxpb.NodeProto{nodeProto("Loop", names, []string{"vf", "scs"}, attrGraph("body", b))},
			ins, []*onnxpb.ValueInfoProto{valueInfo("vf", Undefined), valueInfo("scs", Undefined)})
	}
	v0 := f32(sh(2), 1, 2)
	scalarM := func(v int64) *Tensor { return i64(sh(), v) }
	yes := bools(sh(), true)
	runGraphCases(t, []graphCase{
		{name: "three trips", opset: 13, g: loopGraph(body(), true, true), inputs: []*Tensor{scalarM(3), yes, v0}, want: []*Tensor{f32(sh(2), 2, 1), i64(sh(3, 1), 0, 1, 2)}},
		{name: "no trips", g: loopGraph(body(), true, true), inputs: []*Tensor{scalarM(0), yes, v0}, want: []*Tensor{v0, i64(sh(0, 1))}},
		{name: "negative trips", g: loopGraph(body(), true, true), inputs: []*Tensor{scalarM(-1), yes, v0}, want: []*Tensor{v0, i64(sh(0, 1))}},
		{name: "condition false", g: loopGraph(body(), true, true), inputs: []*Tensor{scalarM(3), bools(sh(), false), v0}, want: []*Tensor{v0, i64(sh(0, 1))}},
		{name: "no condition", g: loopGraph(body(), true, false), inputs: []*Tensor{scalarM(3), v0}, want: []*Tensor{f32(sh(2), 2, 1), i64(sh(3, 1), 0, 1, 2)}},
		{name: "trips of shape [1]", g: loopGraph(body(), true, true), inputs: []*Tensor{i64(sh(1), 3), yes, v0}, want: []*Tensor{f32(sh(2), 2, 1), i64(sh(3, 1), 0, 1, 2)}},
		{name: "condition-driven", g: loopGraph(tableBody, false, true), inputs: []*Tensor{yes, v0}, want: []*Tensor{f32(sh(2), 2, 1), i64(sh(3, 1), 0, 1, 2)}},
		{name: "condition-driven, fewer trips", g: loopGraph(tableBody, true, true), inputs: []*Tensor{scalarM(2), yes, v0}, want: []*Tensor{v0, i64(sh(2, 1), 0, 1)}},
		{name: "trips ignore the body's condition", opset: 21, g: loopGraph(tableBody, true, false), inputs: []*Tensor{scalarM(2), v0}, want: []*Tensor{v0, i64(sh(2, 1), 0, 1)}},
		{name: "opset 10", opset: 10, g: loopGraph(tableBody10, true, false), inputs: []*Tensor{scalarM(1), v0}, want: []*Tensor{f32(sh(2), 2, 1), i64(sh(1, 1), 0)}},
		{name: "no trips, undeclared scan shape", g: loopGraph(tableBody, true, true), inputs: []*Tensor{scalarM(0), yes, v0}, runErr: "does not declare"},
		{name: "table runs out", g: loopGraph(tableBody, true, false), inputs: []*Tensor{scalarM(4), v0}, runErr: "iteration 3"},
		{name: "two trip counts", g: loopGraph(body(), true, true), inputs: []*Tensor{i64(sh(2), 1, 2), yes, v0}, runErr: "trip count M must be one int64"},
		{name: "body outputs", g: loopGraph(graphProto(nil, []*onnxpb.ValueInfoProto{valueInfo("i", Int64), valueInfo("c", Bool), valueInfo("v", Float32)},
			[]*onnxpb.ValueInfoProto{valueInfo("c", Bool)}), true, true), loadErr: "body has 1 outputs, want 1 + 1 (loop-carried values) + 1 (scan outputs)"},
	})

	t.Run("canceled", func(t *testing.T) {
		// Without trip count and condition the loop runs until canceled.
		m, err := loadModel(modelOf(loopGraph(body(), false, false), 17))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = m.Run(ctx, []*Tensor{v0})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run on a canceled context = %v; want context.Canceled", err)
		}
	})
}

// sqDistBody is skl2onnx's KNN distance body at opset: the ReduceSumSquare
// axes as an attribute (or an input from opset 18) with value axis.
func sqDistBody(opset int64, axis int64, subReversed bool, extra ...*onnxpb.NodeProto) *onnxpb.GraphProto {
	sub := []string{"next_in", "next"}
	if subReversed {
		sub = []string{"next", "next_in"}
	}
	rss := nodeProto("ReduceSumSquare", []string{"diff"}, []string{"reduced"}, attrInts("axes", axis), attrInt("keepdims", 0))
	var inits []*onnxpb.TensorProto
	if opset >= 18 {
		rss = nodeProto("ReduceSumSquare", []string{"diff", "axes"}, []string{"reduced"}, attrInt("keepdims", 0))
		inits = append(inits, tensorProto("axes", i64(sh(1), axis)))
	}
	nodes := append([]*onnxpb.NodeProto{
		nodeProto("Identity", []string{"next_in"}, []string{"next_out"}),
		nodeProto("Sub", sub, []string{"diff"}),
		rss,
		nodeProto("Identity", []string{"reduced"}, []string{"scan_out"}),
	}, extra...)
	return graphProto(nodes, []*onnxpb.ValueInfoProto{valueInfo("next_in", Float32), valueInfo("next", Float32)},
		[]*onnxpb.ValueInfoProto{valueInfo("next_out", Float32), valueInfo("scan_out", Float32)}, inits...)
}

// TestControlScanSquaredDistances checks that the Scan recognizes the KNN
// distance body, computes the distances as onnxruntime does (summing the
// squares along the row in order, each rounded; the control_scan_knn
// cases check that against onnxruntime itself), and runs the body for
// shapes the direct computation does not cover.
func TestControlScanSquaredDistances(t *testing.T) {
	train := f32(sh(37, 5))
	query := f32(sh(7, 5))
	for i := range 37 * 5 {
		train.Float32 = append(train.Float32, float32(i%11)*0.37-float32(i%3)*1e3+float32(i%7)*1e-4)
	}
	for i := range 7 * 5 {
		query.Float32 = append(query.Float32, float32(i%5)*-0.91+float32(i%4)*3e2)
	}
	query.Float32[3] = float32(math.NaN())
	copy(train.Float32[5:10], []float32{4096, 1, 1, 1, 1}) // 2^24 absorbs the ones after it
	copy(query.Float32[5:10], []float32{0, 0, 0, 0, 0})
	// want sums the squares in order in float32, rounding each product.
	want := func(x *Tensor) *Tensor {
		n, f := x.Shape[0], x.Shape[1]
		d := f32(sh(37, n), make([]float32, 37*n)...)
		for r := range 37 {
			for q := range n {
				var acc float32
				for j := range f {
					v := x.Float32[q*f+j] - train.Float32[r*f+j]
					acc += float32(v * v)
				}
				d.Float32[r*n+q] = acc
			}
		}
		return d
	}
	model := func(body *onnxpb.GraphProto, opset int64) *onnxpb.ModelProto {
		g := graphProto([]*onnxpb.NodeProto{
			nodeProto("Scan", []string{"X", "train"}, []string{"final", "dists"}, attrGraph("body", body), attrInt("num_scan_inputs", 1)),
		}, []*onnxpb.ValueInfoProto{valueInfo("X", Float32)}, []*onnxpb.ValueInfoProto{valueInfo("final", Undefined), valueInfo("dists", Undefined)},
			tensorProto("train", train))
		return modelOf(g, opset)
	}
	cases := []struct {
		name   string
		mp     *onnxpb.ModelProto
		x      *Tensor
		direct bool  // the body is recognized
		shape  []int // the distances' shape when the body runs
	}{
		{name: "opset 15", mp: model(sqDistBody(15, 1, false), 15), x: query, direct: true},
		{name: "axis -1", mp: model(sqDistBody(13, -1, false), 13), x: query, direct: true},
		{name: "Sub reversed", mp: model(sqDistBody(11, 1, true), 11), x: query, direct: true},
		{name: "opset 18 axes input", mp: model(sqDistBody(18, 1, false), 18), x: query, direct: true},
		{name: "one query", mp: model(sqDistBody(15, 1, false), 15), x: f32(sh(1, 5), 1, 2, 3, 4, 5), direct: true},
		{name: "empty batch", mp: model(sqDistBody(15, 1, false), 15), x: f32(sh(0, 5)), direct: true},
		{name: "3-D queries run the body", mp: model(sqDistBody(15, 1, false), 15), x: f32(sh(1, 2, 5), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), direct: true, shape: sh(37, 1, 5)},
		{name: "axis 0", mp: model(sqDistBody(15, 0, false), 15), x: query, shape: sh(37, 5)},
		{name: "another node", mp: model(sqDistBody(15, 1, false, nodeProto("Identity", []string{"diff"}, []string{"unused"})), 15), x: query, shape: sh(37, 7)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := loadModel(c.mp)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			k, ok := m.g.steps[0].k.(*scan)
			if !ok {
				t.Fatalf("step 0 is a %T, want *scan", m.g.steps[0].k)
			}
			if k.sqDist != c.direct {
				t.Fatalf("body recognized = %v; want %v", k.sqDist, c.direct)
			}
			got, err := m.Run(context.Background(), []*Tensor{c.x})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !equalTensor(got[0].Tensor, c.x) {
				t.Errorf("final state = %s %v; want the queries %v", got[0].Tensor.Describe(), data(got[0].Tensor), data(c.x))
			}
			if c.shape != nil {
				if d := got[1].Tensor; !slices.Equal(d.Shape, c.shape) {
					t.Errorf("distances have shape %v; want %v", d.Shape, c.shape)
				}
				return
			}
			if w := want(c.x); !equalTensor(got[1].Tensor, w) {
				t.Errorf("distances = %s %v; want %v", got[1].Tensor.Describe(), data(got[1].Tensor), data(w))
			}
		})
	}
}
