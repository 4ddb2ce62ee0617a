package onnx

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// A nodeSpec describes a model of one node of the default domain, for
// operator tests: its inputs are graph inputs, or initializers when listed
// in consts, and its outputs are graph outputs Y0, Y1, ...
type nodeSpec struct {
	op     string
	opset  int
	attrs  []*onnxpb.AttributeProto
	in     []*Tensor // nil marks an omitted optional input
	consts []int     // indices of inputs given as initializers
	outs   int       // number of outputs; 0 means 1
}

func (s nodeSpec) model() *onnxpb.ModelProto {
	g := &onnxpb.GraphProto{Name: proto.String("test")}
	var feeds []string
	for i, t := range s.in {
		if t == nil {
			feeds = append(feeds, "")
			continue
		}
		name := fmt.Sprintf("X%d", i)
		feeds = append(feeds, name)
		isConst := false
		for _, c := range s.consts {
			isConst = isConst || c == i
		}
		if isConst {
			g.Initializer = append(g.Initializer, tensorProto(name, t))
			continue
		}
		g.Input = append(g.Input, &onnxpb.ValueInfoProto{Name: proto.String(name), Type: tensorType(t.Type)})
	}
	outs := max(s.outs, 1)
	var outNames []string
	for i := 0; i < outs; i++ {
		name := fmt.Sprintf("Y%d", i)
		outNames = append(outNames, name)
		g.Output = append(g.Output, &onnxpb.ValueInfoProto{Name: proto.String(name)})
	}
	g.Node = []*onnxpb.NodeProto{{OpType: proto.String(s.op), Name: proto.String("n"), Input: feeds, Output: outNames, Attribute: s.attrs}}
	return &onnxpb.ModelProto{
		IrVersion:   proto.Int64(8),
		OpsetImport: []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(int64(s.opset))}},
		Graph:       g,
	}
}

func tensorType(t DataType) *onnxpb.TypeProto {
	return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: proto.Int32(int32(t))}}}
}

// load serializes the model and loads it.
func (s nodeSpec) load() (*Model, error) {
	b, err := proto.Marshal(s.model())
	if err != nil {
		return nil, err
	}
	return Load(b)
}

// run loads the model and runs it on the non-constant inputs. A load error
// is prefixed with "load: ".
func (s nodeSpec) run() ([]*Tensor, error) {
	m, err := s.load()
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	var feeds []*Tensor
	for i, t := range s.in {
		isConst := false
		for _, c := range s.consts {
			isConst = isConst || c == i
		}
		if t != nil && !isConst {
			feeds = append(feeds, t)
		}
	}
	vals, err := m.Run(context.Background(), feeds)
	if err != nil {
		return nil, err
	}
	outs := make([]*Tensor, len(vals))
	for i, v := range vals {
		outs[i] = v.Tensor
	}
	return outs, nil
}

// sameTensor reports whether got equals want: same type and shape, and
// elements equal (floats within tol, relative to max(1, |want|); NaN
// matches NaN).
func sameTensor(got, want *Tensor, tol float64) bool {
	if got == nil || got.Type != want.Type || len(got.Shape) != len(want.Shape) || got.Len() != want.Len() {
		return false
	}
	for i := range want.Shape {
		if got.Shape[i] != want.Shape[i] {
			return false
		}
	}
	closeF := func(g, w float64) bool {
		if math.IsNaN(w) || math.IsNaN(g) {
			return math.IsNaN(w) && math.IsNaN(g)
		}
		if math.IsInf(w, 0) || math.IsInf(g, 0) {
			return g == w
		}
		return math.Abs(g-w) <= tol*math.Max(1, math.Abs(w))
	}
	for i := 0; i < want.Len(); i++ {
		var ok bool
		switch want.Type {
		case Float32:
			ok = closeF(float64(got.Float32[i]), float64(want.Float32[i]))
		case Float64:
			ok = closeF(got.Float64[i], want.Float64[i])
		case Int64:
			ok = got.Int64[i] == want.Int64[i]
		case Int32:
			ok = got.Int32[i] == want.Int32[i]
		case Bool:
			ok = got.Bool[i] == want.Bool[i]
		case String:
			ok = got.String[i] == want.String[i]
		}
		if !ok {
			return false
		}
	}
	return true
}

// show formats a tensor for failure messages.
func show(t *Tensor) string {
	if t == nil {
		return "<nil>"
	}
	var data any
	switch t.Type {
	case Float32:
		data = t.Float32
	case Float64:
		data = t.Float64
	case Int64:
		data = t.Int64
	case Int32:
		data = t.Int32
	case Bool:
		data = t.Bool
	case String:
		data = fmt.Sprintf("%q", t.String)
	}
	return fmt.Sprintf("%s%v", t.Describe(), data)
}

// An opTest is one case of an operator table test: the node, and either
// the wanted outputs or a substring of the wanted error (prefixed with
// "load: " when loading must fail).
type opTest struct {
	name    string
	spec    nodeSpec
	want    []*Tensor
	wantErr string
	tol     float64
}

func runOpTests(t *testing.T, tests []opTest) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.spec.run()
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("%s = %s; want error %q", tc.spec.op, showAll(got), tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s error = %q; want it to contain %q", tc.spec.op, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.spec.op, err)
			}
			tol := tc.tol
			if tol == 0 {
				tol = 1e-6
			}
			for i, w := range tc.want {
				if i >= len(got) || !sameTensor(got[i], w, tol) {
					t.Errorf("%s output %d = %s; want %s", tc.spec.op, i, showAll(got[i:min(i+1, len(got))]), show(w))
				}
			}
		})
	}
}

func showAll(ts []*Tensor) string {
	var s []string
	for _, t := range ts {
		s = append(s, show(t))
	}
	return strings.Join(s, ", ")
}

func vecF(v ...float32) *Tensor { return NewFloat32(v, len(v)) }
func vecD(v ...float64) *Tensor { return NewFloat64(v, len(v)) }
func vecI(v ...int64) *Tensor   { return NewInt64(v, len(v)) }
func vecI32(v ...int32) *Tensor { return NewInt32(v, len(v)) }
func vecB(v ...bool) *Tensor    { return NewBool(v, len(v)) }
func vecS(v ...string) *Tensor  { return NewString(v, len(v)) }

var (
	nan32  = float32(math.NaN())
	negz32 = float32(math.Copysign(0, -1))
)

func TestCast(t *testing.T) {
	cast := func(opset int, x *Tensor, to DataType) nodeSpec {
		return nodeSpec{op: "Cast", opset: opset, attrs: []*onnxpb.AttributeProto{attrInt("to", int64(to))}, in: []*Tensor{x}}
	}
	big := float32(3e38)
	tests := []opTest{
		{name: "float to int64 truncates", spec: cast(13, vecF(1.5, -1.5, 2.7, -2.7, negz32), Int64), want: []*Tensor{vecI(1, -1, 2, -2, 0)}},
		{name: "float to int64 NaN and overflow", spec: cast(13, vecF(nan32, big, -big), Int64), want: []*Tensor{vecI(math.MinInt64, math.MinInt64, math.MinInt64)}},
		{name: "float to int32 out of range", spec: cast(13, vecF(3e9, -3e9, nan32, 2147483520), Int32), want: []*Tensor{vecI32(math.MinInt32, math.MinInt32, math.MinInt32, 2147483520)}},
		{name: "double to int32 limits", spec: cast(13, vecD(2147483647.9, -2147483648.9, 2147483648), Int32), want: []*Tensor{vecI32(2147483647, -2147483648, math.MinInt32)}},
		{name: "int64 to int32 wraps", spec: cast(13, vecI(1<<40+5, -(1<<33)-7), Int32), want: []*Tensor{vecI32(5, -7)}},
		{name: "int64 to float rounds", spec: cast(13, vecI(16777217), Float32), want: []*Tensor{vecF(16777216)}},
		{name: "to bool", spec: cast(13, vecF(0, negz32, 0.5, nan32), Bool), want: []*Tensor{vecB(false, false, true, true)}},
		{name: "bool to string", spec: cast(13, vecB(true, false), String), want: []*Tensor{vecS("1", "0")}},
		{name: "float to string", spec: cast(13, vecF(0.1, 1e10, 123456789, 1e-5, nan32, float32(math.Inf(-1)), negz32), String),
			want: []*Tensor{vecS("0.1", "1e+10", "1.2345679e+08", "9.9999997e-06", "NaN", "-INF", "-0")}},
		{name: "double to string", spec: cast(13, vecD(1.0/3, 1e300, 100, 0.0001, math.Inf(1)), String),
			want: []*Tensor{vecS("0.33333333", "1e+300", "100", "0.0001", "INF")}},
		{name: "int to string", spec: cast(13, vecI(-12, math.MaxInt64), String), want: []*Tensor{vecS("-12", "9223372036854775807")}},
		{name: "string to float", spec: cast(13, vecS(" 1.5", "1e3", "-Infinity", "0x1.8", "12abc", ".5", "1e", "+7"), Float32),
			want: []*Tensor{vecF(1.5, 1000, float32(math.Inf(-1)), 1.5, 12, 0.5, 1, 7)}},
		{name: "string nan", spec: cast(13, vecS("NaN", "nan(123)"), Float64), want: []*Tensor{vecD(math.NaN(), math.NaN())}},
		{name: "string to int", spec: cast(13, vecS(" 15", "-7", "3.99", "+0", "9223372036854775807"), Int64), want: []*Tensor{vecI(15, -7, 3, 0, math.MaxInt64)}},
		{name: "string to int32 wraps", spec: cast(13, vecS("2147483648"), Int32), want: []*Tensor{vecI32(math.MinInt32)}},
		{name: "string to bool", spec: cast(13, vecS("0", "2", "-1", "0.9"), Bool), want: []*Tensor{vecB(false, true, true, false)}},
		{name: "same type copies", spec: cast(21, vecI(3), Int64), want: []*Tensor{vecI(3)}},
		{name: "empty", spec: cast(13, NewFloat32(nil, 0, 3), Int64), want: []*Tensor{NewInt64(nil, 0, 3)}},
		{name: "bad string", spec: cast(13, vecS("abc"), Float32), wantErr: `cannot cast "abc" to float32`},
		{name: "empty string to int", spec: cast(13, vecS(""), Int64), wantErr: "no number"},
		{name: "float overflow", spec: cast(13, vecS("1e400"), Float64), wantErr: "out of range"},
		{name: "float underflow", spec: cast(13, vecS("1e-400"), Float64), wantErr: "out of range"},
		{name: "int overflow", spec: cast(13, vecS("9223372036854775808"), Int64), wantErr: "out of range"},
		{name: "missing to", spec: nodeSpec{op: "Cast", opset: 13, in: []*Tensor{vecF(1)}}, wantErr: `load: `},
		{name: "unsupported to", spec: cast(13, vecF(1), 10), wantErr: "load: "},
		{name: "saturate 0", spec: nodeSpec{op: "Cast", opset: 19, attrs: []*onnxpb.AttributeProto{attrInt("to", 7), attrInt("saturate", 0)}, in: []*Tensor{vecF(1)}}, wantErr: "load: "},
		{name: "Cast-1", spec: cast(5, vecF(1), Int64), wantErr: "load: "},
		{name: "to as float attribute", spec: nodeSpec{op: "Cast", opset: 13, attrs: []*onnxpb.AttributeProto{attrFloat("to", 7)}, in: []*Tensor{vecF(1)}}, wantErr: "load: "},
		{name: "CastLike", spec: nodeSpec{op: "CastLike", opset: 15, in: []*Tensor{vecF(2.5, -1), vecI32(0)}}, want: []*Tensor{vecI32(2, -1)}},
		{name: "CastLike to string", spec: nodeSpec{op: "CastLike", opset: 21, in: []*Tensor{vecI(2), vecS("")}}, want: []*Tensor{vecS("2")}},
		{name: "Identity", spec: nodeSpec{op: "Identity", opset: 21, in: []*Tensor{NewString([]string{"a", "b"}, 2, 1)}}, want: []*Tensor{NewString([]string{"a", "b"}, 2, 1)}},
		{name: "Identity two inputs", spec: nodeSpec{op: "Identity", opset: 13, in: []*Tensor{vecF(1), vecF(2)}}, wantErr: "load: "},
	}
	runOpTests(t, tests)
}

func TestParseCFloat(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"1.5", 1.5, false}, {"  -2e-3xyz", -2e-3, false}, {"1e+", 1, false}, {"INF", math.Inf(1), false},
		{"-infinity", math.Inf(-1), false}, {"0x10", 16, false}, {"0x.8p1", 1, false}, {"0x", 0, false},
		{"0xg", 0, false}, {"5.", 5, false}, {"\v\f\r\n 3", 3, false}, {"1e-320", 0, true},
		{"0e-999", 0, false}, {".", 0, true}, {"-", 0, true}, {"e5", 0, true}, {"1e309", 0, true},
	}
	for _, tc := range tests {
		got, err := parseCFloat(tc.in)
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("parseCFloat(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
