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
	args := make([]arg, len(s.in))
	for i, t := range s.in {
		args[i] = arg{t: t, isConst: s.isConst(i)}
	}
	return singleNodeModel(s.op, int64(s.opset), args, max(s.outs, 1), s.attrs...)
}

// isConst reports whether input i is an initializer.
func (s nodeSpec) isConst(i int) bool { return slices.Contains(s.consts, i) }

// load serializes the model and loads it.
func (s nodeSpec) load() (*Model, error) { return loadModel(s.model()) }

// run loads the model and runs it on the non-constant inputs. A load error
// is prefixed with "load: ".
func (s nodeSpec) run() ([]*Tensor, error) {
	m, err := s.load()
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	var feeds []*Tensor
	for i, t := range s.in {
		if t != nil && !s.isConst(i) {
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
		{"0e-999", 0, false}, {"0x1p-1070", 0x1p-1070, false}, {"0x1.0000000000001p-1070", 0, true},
		{"0x1p-1080", 0, true}, {"2.2250738585072014e-308", 2.2250738585072014e-308, false}, {".", 0, true}, {"-", 0, true}, {"e5", 0, true}, {"1e309", 0, true},
	}
	for _, tc := range tests {
		got, err := parseCFloat(tc.in)
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("parseCFloat(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func mat(rows, cols int, v ...float32) *Tensor { return NewFloat32(v, rows, cols) }

func scalarF(v float32) *Tensor { return NewFloat32([]float32{v}) }

func TestPlanBroadcast(t *testing.T) {
	tests := []struct {
		shapes  [][]int
		out     []int
		dims    []int
		strides [][]int
	}{
		{[][]int{{3, 4}, {3, 4}}, []int{3, 4}, []int{12}, [][]int{{1}, {1}}},
		{[][]int{{3, 4}, {4}}, []int{3, 4}, []int{3, 4}, [][]int{{4, 1}, {0, 1}}},
		{[][]int{{3, 4}, {1, 4}}, []int{3, 4}, []int{3, 4}, [][]int{{4, 1}, {0, 1}}},
		{[][]int{{3, 4}, {}}, []int{3, 4}, []int{12}, [][]int{{1}, {0}}},
		{[][]int{{3, 1}, {1, 4}}, []int{3, 4}, []int{3, 4}, [][]int{{1, 0}, {0, 1}}},
		{[][]int{{2, 3, 4}, {3, 1}}, []int{2, 3, 4}, []int{2, 3, 4}, [][]int{{12, 4, 1}, {0, 1, 0}}},
		{[][]int{{2, 1, 3, 4}, {5, 1, 4}}, []int{2, 5, 3, 4}, []int{2, 5, 3, 4}, [][]int{{12, 0, 4, 1}, {0, 4, 0, 1}}},
		{[][]int{{1, 1}, {}}, []int{1, 1}, []int{1}, [][]int{{1}, {0}}},
		{[][]int{{1, 1}, {1, 1, 1}}, []int{1, 1, 1}, []int{1}, [][]int{{0}, {1}}},
		{[][]int{{2, 3}, {1, 1, 1}}, []int{1, 2, 3}, []int{6}, [][]int{{1}, {0}}},
		{[][]int{{4}, {2, 3, 4}}, []int{2, 3, 4}, []int{6, 4}, [][]int{{0, 1}, {4, 1}}},
		{[][]int{{1, 4}, {1, 4}}, []int{1, 4}, []int{4}, [][]int{{1}, {1}}},
		{[][]int{{2, 4}, {1, 1, 4}}, []int{1, 2, 4}, []int{2, 4}, [][]int{{4, 1}, {0, 1}}},
		{[][]int{{0, 4}, {4}}, []int{0, 4}, []int{0, 4}, [][]int{{4, 1}, {0, 1}}},
		{[][]int{{2, 1}, {3}, {1, 1}}, []int{2, 3}, []int{2, 3}, [][]int{{1, 0}, {0, 1}, {0, 0}}},
	}
	for _, tc := range tests {
		out, p, err := planBroadcast(nil, nil, tc.shapes...)
		if err != nil {
			t.Errorf("planBroadcast(%v): %v", tc.shapes, err)
			continue
		}
		bad := !equalShape(out, tc.out) || !equalShape(p.dims, tc.dims)
		for k := range tc.shapes {
			bad = bad || !equalShape(p.stride[k], tc.strides[k])
		}
		if bad {
			t.Errorf("planBroadcast(%v) = %v, dims %v, strides %v; want %v, %v, %v",
				tc.shapes, out, p.dims, p.stride[:len(tc.shapes)], tc.out, tc.dims, tc.strides)
		}
	}
	for _, shapes := range [][][]int{{{3, 4}, {3}}, {{2, 3}, {3, 2}}, {{0}, {2}}, {{2, 1}, {3}, {4, 1}}} {
		if out, _, err := planBroadcast(nil, nil, shapes...); err == nil {
			t.Errorf("planBroadcast(%v) = %v; want an error", shapes, out)
		}
	}
}

func TestArithmetic(t *testing.T) {
	a := mat(2, 3, 1, -2, 3, 4, 5, -6)
	op := func(name string, ins ...*Tensor) nodeSpec { return nodeSpec{op: name, opset: 14, in: ins} }
	inf := float32(math.Inf(1))
	tests := []opTest{
		{name: "Add same shape", spec: op("Add", a, a), want: []*Tensor{mat(2, 3, 2, -4, 6, 8, 10, -12)}},
		{name: "Add row", spec: op("Add", a, vecF(10, 20, 30)), want: []*Tensor{mat(2, 3, 11, 18, 33, 14, 25, 24)}},
		{name: "Add column", spec: op("Add", a, mat(2, 1, 100, 200)), want: []*Tensor{mat(2, 3, 101, 98, 103, 204, 205, 194)}},
		{name: "Add scalar", spec: op("Add", scalarF(1), a), want: []*Tensor{mat(2, 3, 2, -1, 4, 5, 6, -5)}},
		{name: "Add outer", spec: op("Add", mat(2, 1, 1, 2), mat(1, 3, 10, 20, 30)), want: []*Tensor{mat(2, 3, 11, 21, 31, 12, 22, 32)}},
		{name: "Add scalars", spec: op("Add", scalarF(1), scalarF(2)), want: []*Tensor{scalarF(3)}},
		{name: "Add empty batch", spec: op("Add", NewFloat32(nil, 0, 3), vecF(1, 2, 3)), want: []*Tensor{NewFloat32(nil, 0, 3)}},
		{name: "Add rank 3", spec: op("Add", NewFloat32([]float32{1, 2, 3, 4}, 2, 1, 2), mat(3, 1, 10, 20, 30)),
			want: []*Tensor{NewFloat32([]float32{11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34}, 2, 3, 2)}},
		{name: "Add NaN", spec: op("Add", vecF(nan32, 1), vecF(1, inf)), want: []*Tensor{vecF(nan32, inf)}},
		{name: "Add int64", spec: op("Add", vecI(math.MaxInt64, 1), vecI(1)), want: []*Tensor{vecI(math.MinInt64, 2)}},
		{name: "Sub scalar first", spec: op("Sub", scalarF(1), a), want: []*Tensor{mat(2, 3, 0, 3, -2, -3, -4, 7)}},
		{name: "Mul float64", spec: op("Mul", vecD(1.5, 2), NewFloat64([]float64{2}, 1)), want: []*Tensor{vecD(3, 4)}},
		{name: "Div float by zero", spec: op("Div", vecF(1, -1, 0), vecF(0)), want: []*Tensor{vecF(inf, -inf, nan32)}},
		{name: "Div int truncates", spec: op("Div", vecI(7, -7, 7, -7), vecI(2, 2, -2, -2)), want: []*Tensor{vecI(3, -3, -3, 3)}},
		{name: "Div int32", spec: op("Div", vecI32(9, -9), vecI32(4)), want: []*Tensor{vecI32(2, -2)}},
		{name: "Div int by zero", spec: op("Div", vecI(1, 2), vecI(1, 0)), wantErr: "division by zero"},
		{name: "Div int32 by zero", spec: op("Div", vecI32(1), vecI32(0)), wantErr: "division by zero"},
		{name: "result too large", spec: op("Add", NewFloat32(make([]float32, 1<<16), 1<<16, 1), NewFloat32(make([]float32, 1<<16), 1<<16)), wantErr: "more than"},
		{name: "incompatible shapes", spec: op("Add", a, vecF(1, 2)), wantErr: "cannot be broadcast"},
		{name: "mixed types", spec: op("Add", vecF(1), vecD(1)), wantErr: "load: "},
		{name: "string", spec: op("Add", vecS("a"), vecS("b")), wantErr: "load: "},
		{name: "bool", spec: op("Mul", vecB(true), vecB(true)), wantErr: "load: "},
		{name: "Add-6", spec: nodeSpec{op: "Add", opset: 6, in: []*Tensor{a, a}}, wantErr: "load: "},
		{name: "Add-7", spec: nodeSpec{op: "Add", opset: 7, in: []*Tensor{a, vecF(1, 1, 1)}}, want: []*Tensor{mat(2, 3, 2, -1, 4, 5, 6, -5)}},
		{name: "one input", spec: op("Add", a), wantErr: "load: "},
		{name: "unknown attribute", spec: nodeSpec{op: "Add", opset: 14, in: []*Tensor{a, a}, attrs: []*onnxpb.AttributeProto{attrInt("broadcast", 1)}}, wantErr: "load: "},
		{name: "constant operand", spec: nodeSpec{op: "Sub", opset: 14, in: []*Tensor{a, vecF(1, 2, 3)}, consts: []int{1}}, want: []*Tensor{mat(2, 3, 0, -4, 0, 3, 3, -9)}},
	}
	runOpTests(t, tests)
}

func TestPowMod(t *testing.T) {
	op := func(opset int, ins ...*Tensor) nodeSpec { return nodeSpec{op: "Pow", opset: opset, in: ins} }
	mod := func(fmod int64, a, b *Tensor) nodeSpec {
		return nodeSpec{op: "Mod", opset: 13, in: []*Tensor{a, b}, attrs: []*onnxpb.AttributeProto{attrInt("fmod", fmod)}}
	}
	tests := []opTest{
		{name: "float square", spec: op(15, vecF(3, -2, nan32), vecF(2)), want: []*Tensor{vecF(9, 4, nan32)}},
		{name: "float cube", spec: op(15, vecF(3, -2), vecF(3)), want: []*Tensor{vecF(27, -8)}},
		{name: "float sqrt", spec: op(15, vecF(4, -4), vecD(0.5)), want: []*Tensor{vecF(2, nan32)}},
		{name: "elementwise", spec: op(13, vecF(2, 2, 0), vecF(10, -1, 0)), want: []*Tensor{vecF(1024, 0.5, 1)}},
		{name: "int base float exponent", spec: op(15, vecI(2, 9, -8), vecF(0.5)), want: []*Tensor{vecI(1, 3, math.MinInt64)}},
		{name: "int negative exponent", spec: op(15, vecI(2, 1, -1), vecI(-1)), want: []*Tensor{vecI(0, 1, -1)}},
		{name: "int32 base int64 exponent", spec: op(12, vecI32(3, -3), vecI(2, 3)), want: []*Tensor{vecI32(9, -27)}},
		{name: "int square wraps", spec: op(15, vecI32(1<<16, 3), vecI32(2)), want: []*Tensor{vecI32(0, 9)}},
		{name: "int pow saturates like cvttsd2si", spec: op(15, vecI32(1<<16), vecI32(2)), want: []*Tensor{vecI32(math.MinInt32)}},
		{name: "Pow-7 mixed types", spec: op(7, vecF(2), vecD(2)), wantErr: "load: "},
		{name: "Pow-7 int", spec: op(7, vecI(2), vecI(2)), wantErr: "load: "},
		{name: "Pow-1", spec: op(1, vecF(2), vecF(2)), wantErr: "load: "},
		{name: "Mod python sign", spec: mod(0, vecI(7, -7, 7, -7, 6), vecI(3, 3, -3, -3, 3)), want: []*Tensor{vecI(1, 2, -2, -1, 0)}},
		{name: "Mod fmod sign", spec: mod(1, vecI(7, -7, 7, -7), vecI(3, 3, -3, -3)), want: []*Tensor{vecI(1, -1, 1, -1)}},
		{name: "Mod float", spec: mod(1, vecF(5.5, -5.5), vecF(2)), want: []*Tensor{vecF(1.5, -1.5)}},
		{name: "Mod int by zero", spec: mod(0, vecI(7), vecI(0)), wantErr: "division by zero"},
		{name: "Mod fmod int by zero", spec: mod(1, vecI(7), vecI(0)), want: []*Tensor{vecI(math.MinInt64)}},
		{name: "Mod float without fmod", spec: mod(0, vecF(1), vecF(2)), wantErr: "load: "},
		{name: "Mod bad fmod", spec: mod(2, vecI(1), vecI(2)), wantErr: "load: "},
	}
	runOpTests(t, tests)
}

func TestCompareAndLogic(t *testing.T) {
	op := func(name string, opset int, ins ...*Tensor) nodeSpec {
		return nodeSpec{op: name, opset: opset, in: ins}
	}
	x, y := vecF(1, 2, nan32, 3), vecF(2, 2, nan32, 1)
	tests := []opTest{
		{name: "Equal", spec: op("Equal", 13, x, y), want: []*Tensor{vecB(false, true, false, false)}},
		{name: "Less", spec: op("Less", 13, x, y), want: []*Tensor{vecB(true, false, false, false)}},
		{name: "Greater", spec: op("Greater", 13, x, y), want: []*Tensor{vecB(false, false, false, true)}},
		{name: "LessOrEqual", spec: op("LessOrEqual", 16, x, y), want: []*Tensor{vecB(true, true, false, false)}},
		{name: "GreaterOrEqual", spec: op("GreaterOrEqual", 16, x, y), want: []*Tensor{vecB(false, true, false, true)}},
		{name: "Greater broadcast", spec: op("Greater", 13, mat(2, 1, 1, 5), vecF(0, 2, 6)), want: []*Tensor{NewBool([]bool{true, false, false, true, true, false}, 2, 3)}},
		{name: "Equal strings", spec: op("Equal", 19, vecS("a", "b"), NewString([]string{"b"})), want: []*Tensor{vecB(false, true)}},
		{name: "Equal bools", spec: op("Equal", 13, vecB(true, false), vecB(true, true)), want: []*Tensor{vecB(true, false)}},
		{name: "Equal int32", spec: op("Equal", 11, vecI32(1, 2), vecI32(2)), want: []*Tensor{vecB(false, true)}},
		{name: "Equal-13 strings", spec: op("Equal", 13, vecS("a"), vecS("a")), wantErr: "load: "},
		{name: "Equal-7 floats", spec: op("Equal", 7, x, y), wantErr: "load: "},
		{name: "Less-7 ints", spec: op("Less", 7, vecI(1), vecI(2)), wantErr: "load: "},
		{name: "Less-9 ints", spec: op("Less", 9, vecI(1), vecI(2)), want: []*Tensor{vecB(true)}},
		{name: "Less strings", spec: op("Less", 13, vecS("a"), vecS("b")), wantErr: "load: "},
		{name: "And", spec: op("And", 7, vecB(true, true, false), vecB(true, false, false)), want: []*Tensor{vecB(true, false, false)}},
		{name: "Or scalar", spec: op("Or", 7, vecB(true, false), NewBool([]bool{false})), want: []*Tensor{vecB(true, false)}},
		{name: "Xor", spec: op("Xor", 7, vecB(true, true, false), vecB(true, false, false)), want: []*Tensor{vecB(false, true, false)}},
		{name: "And floats", spec: op("And", 7, vecF(1), vecF(1)), wantErr: "load: "},
		{name: "Not", spec: op("Not", 1, vecB(true, false)), want: []*Tensor{vecB(false, true)}},
		{name: "Not float", spec: op("Not", 1, vecF(1)), wantErr: "load: "},
		{name: "compare empty", spec: op("Less", 13, NewFloat32(nil, 0, 2), vecF(1, 2)), want: []*Tensor{NewBool(nil, 0, 2)}},
	}
	runOpTests(t, tests)
}

func TestUnary(t *testing.T) {
	op := func(name string, opset int, x *Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: name, opset: opset, in: []*Tensor{x}, attrs: attrs}
	}
	inf := float32(math.Inf(1))
	x := vecF(-2.5, -0.5, 0, 0.5, 2.5, nan32)
	tests := []opTest{
		{name: "Abs", spec: op("Abs", 13, x), want: []*Tensor{vecF(2.5, 0.5, 0, 0.5, 2.5, nan32)}},
		{name: "Abs int min", spec: op("Abs", 13, vecI(math.MinInt64, -3)), want: []*Tensor{vecI(math.MinInt64, 3)}},
		{name: "Neg int32", spec: op("Neg", 6, vecI32(3, -4)), want: []*Tensor{vecI32(-3, 4)}},
		{name: "Round half to even", spec: op("Round", 11, vecF(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6)), want: []*Tensor{vecF(-2, -2, 0, 0, 2, 2, 3)}},
		{name: "Floor", spec: op("Floor", 13, x), want: []*Tensor{vecF(-3, -1, 0, 0, 2, nan32)}},
		{name: "Ceil", spec: op("Ceil", 13, x), want: []*Tensor{vecF(-2, 0, 0, 1, 3, nan32)}},
		{name: "Sign", spec: op("Sign", 13, x), want: []*Tensor{vecF(-1, -1, 0, 1, 1, nan32)}},
		{name: "Sign int", spec: op("Sign", 9, vecI(-5, 0, 7)), want: []*Tensor{vecI(-1, 0, 1)}},
		{name: "Exp", spec: op("Exp", 13, vecF(0, 1, 100, float32(math.Inf(-1)))), want: []*Tensor{vecF(1, float32(math.E), inf, 0)}},
		{name: "Log", spec: op("Log", 13, vecF(1, 0, -1)), want: []*Tensor{vecF(0, float32(math.Inf(-1)), nan32)}},
		{name: "Sqrt float64", spec: op("Sqrt", 13, vecD(4, -1)), want: []*Tensor{vecD(2, math.NaN())}},
		{name: "Reciprocal", spec: op("Reciprocal", 13, vecF(4, 0)), want: []*Tensor{vecF(0.25, inf)}},
		{name: "Sigmoid", spec: op("Sigmoid", 13, vecF(0, 100, -100)), want: []*Tensor{vecF(0.5, 1, 0)}},
		{name: "Tanh", spec: op("Tanh", 13, vecD(0, 1)), want: []*Tensor{vecD(0, math.Tanh(1))}},
		{name: "Relu", spec: op("Relu", 14, x), want: []*Tensor{vecF(0, 0, 0, 0.5, 2.5, nan32)}},
		{name: "Relu int32", spec: op("Relu", 14, vecI32(-1, 2)), want: []*Tensor{vecI32(0, 2)}},
		{name: "Relu-13 int32", spec: op("Relu", 13, vecI32(-1, 2)), wantErr: "load: "},
		{name: "Relu int64", spec: op("Relu", 14, vecI(1)), wantErr: "load: "},
		{name: "Relu-1", spec: op("Relu", 1, x), wantErr: "load: "},
		{name: "Erf float64", spec: op("Erf", 13, vecD(1)), wantErr: "load: "},
		{name: "Erf", spec: op("Erf", 13, vecF(0, 1)), want: []*Tensor{vecF(0, float32(math.Erf(1)))}},
		{name: "Softplus", spec: op("Softplus", 1, vecF(0, 100, -100)), want: []*Tensor{vecF(float32(math.Ln2), 100, 0)}},
		{name: "Softsign", spec: op("Softsign", 1, vecF(1, -3)), want: []*Tensor{vecF(0.5, -0.75)}},
		{name: "LeakyRelu", spec: op("LeakyRelu", 16, vecF(-2, 2), attrFloat("alpha", 0.5)), want: []*Tensor{vecF(-1, 2)}},
		{name: "LeakyRelu-6 float64", spec: op("LeakyRelu", 6, vecD(-2)), wantErr: "load: "},
		{name: "LeakyRelu alpha int", spec: op("LeakyRelu", 16, vecF(-2), attrInt("alpha", 1)), wantErr: "load: "},
		{name: "Elu", spec: op("Elu", 6, vecF(-1, 2), attrFloat("alpha", 2)), want: []*Tensor{vecF(float32(2*(math.Exp(-1)-1)), 2)}},
		{name: "Selu defaults", spec: op("Selu", 6, vecF(0, 1)), want: []*Tensor{vecF(0, 1.0507009873554805)}},
		{name: "Celu", spec: op("Celu", 12, vecF(-1, 1)), want: []*Tensor{vecF(float32(math.Exp(-1)-1), 1)}},
		{name: "Celu zero alpha", spec: op("Celu", 12, vecF(1), attrFloat("alpha", 0)), wantErr: "load: "},
		{name: "HardSigmoid", spec: op("HardSigmoid", 6, vecF(-10, 0, 10)), want: []*Tensor{vecF(0, 0.5, 1)}},
		{name: "HardSwish", spec: op("HardSwish", 14, vecF(-4, 1, 4)), want: []*Tensor{vecF(0, float32(1)*(float32(1)/6+0.5), 4)}},
		{name: "ThresholdedRelu", spec: op("ThresholdedRelu", 10, vecF(0.5, 1, 2)), want: []*Tensor{vecF(0, 0, 2)}},
		{name: "IsNaN", spec: op("IsNaN", 9, x), want: []*Tensor{vecB(false, false, false, false, false, true)}},
		{name: "IsInf", spec: op("IsInf", 10, vecF(inf, -inf, nan32, 1)), want: []*Tensor{vecB(true, true, false, false)}},
		{name: "IsInf negative only", spec: op("IsInf", 20, vecD(math.Inf(1), math.Inf(-1)), attrInt("detect_positive", 0)), want: []*Tensor{vecB(false, true)}},
		{name: "IsNaN int", spec: op("IsNaN", 13, vecI(1)), wantErr: "load: "},
		{name: "empty", spec: op("Exp", 13, NewFloat32(nil, 0, 4)), want: []*Tensor{NewFloat32(nil, 0, 4)}},
		{name: "scalar", spec: op("Neg", 13, scalarF(2)), want: []*Tensor{scalarF(-2)}},
	}
	runOpTests(t, tests)
}

func TestVariadicWhereClip(t *testing.T) {
	op := func(name string, opset int, ins ...*Tensor) nodeSpec {
		return nodeSpec{op: name, opset: opset, in: ins}
	}
	clip6 := func(x *Tensor, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: "Clip", opset: 6, in: []*Tensor{x}, attrs: attrs}
	}
	x := vecF(-3, 0.5, 3, nan32)
	tests := []opTest{
		{name: "Max", spec: op("Max", 13, vecF(1, nan32, 3), vecF(2, 2, nan32)), want: []*Tensor{vecF(2, nan32, nan32)}},
		{name: "Min broadcast", spec: op("Min", 13, mat(2, 1, 1, 5), vecF(0, 2, 6), scalarF(4)), want: []*Tensor{mat(2, 3, 0, 1, 1, 0, 2, 4)}},
		{name: "Max one", spec: op("Max", 13, x), want: []*Tensor{x}},
		{name: "Max int64", spec: op("Max", 13, vecI(1, 5), vecI(3)), want: []*Tensor{vecI(3, 5)}},
		{name: "Max-8 int64", spec: op("Max", 8, vecI(1), vecI(3)), wantErr: "load: "},
		{name: "Max-6 shapes differ", spec: op("Max", 6, vecF(1, 2), vecF(3)), wantErr: "different shapes"},
		{name: "Sum", spec: op("Sum", 13, vecF(1, 2), vecF(10, 20), scalarF(100)), want: []*Tensor{vecF(111, 122)}},
		{name: "Sum grows shape", spec: op("Sum", 8, scalarF(1), vecF(1, 2), mat(2, 1, 10, 20)), want: []*Tensor{mat(2, 2, 12, 13, 22, 23)}},
		{name: "Mean", spec: op("Mean", 13, vecF(1, 2), vecF(2, 4), vecF(3, 0)), want: []*Tensor{vecF(2, 2)}},
		{name: "Mean float64", spec: op("Mean", 13, vecD(1)), wantErr: "load: "},
		{name: "Sum bad shapes", spec: op("Sum", 13, vecF(1, 2), vecF(1, 2, 3)), wantErr: "cannot be broadcast"},
		{name: "Sum mixed types", spec: op("Sum", 13, vecF(1), vecD(1)), wantErr: "load: "},
		{name: "Where", spec: op("Where", 16, vecB(true, false, true), vecF(1, 2, 3), scalarF(-1)), want: []*Tensor{vecF(1, -1, 3)}},
		{name: "Where broadcast all", spec: op("Where", 9, NewBool([]bool{true, false}, 2, 1), vecS("a", "b"), NewString([]string{"x"}, 1, 1)),
			want: []*Tensor{NewString([]string{"a", "b", "x", "x"}, 2, 2)}},
		{name: "Where float condition", spec: op("Where", 16, vecF(1), vecF(1), vecF(1)), wantErr: "load: "},
		{name: "Where bool values", spec: op("Where", 16, vecB(true), vecB(true), vecB(false)), wantErr: "load: "},
		{name: "Clip-6", spec: clip6(x, attrFloat("min", -1), attrFloat("max", 1)), want: []*Tensor{vecF(-1, 0.5, 1, nan32)}},
		{name: "Clip-6 defaults", spec: clip6(vecF(-3e38, 3e38)), want: []*Tensor{vecF(-3e38, 3e38)}},
		{name: "Clip-6 min as input", spec: nodeSpec{op: "Clip", opset: 6, in: []*Tensor{x, scalarF(0)}}, wantErr: "load: "},
		{name: "Clip-11 min as attribute", spec: nodeSpec{op: "Clip", opset: 11, in: []*Tensor{x}, attrs: []*onnxpb.AttributeProto{attrFloat("min", 0)}}, wantErr: "load: "},
		{name: "Clip-11", spec: op("Clip", 11, x, scalarF(0), scalarF(1)), want: []*Tensor{vecF(0, 0.5, 1, nan32)}},
		{name: "Clip-13 max only", spec: op("Clip", 13, x, nil, scalarF(1)), want: []*Tensor{vecF(-3, 0.5, 1, nan32)}},
		{name: "Clip-13 no bounds", spec: op("Clip", 13, x), want: []*Tensor{x}},
		{name: "Clip min above max", spec: op("Clip", 13, x, scalarF(2), scalarF(1)), want: []*Tensor{vecF(1, 1, 1, nan32)}},
		{name: "Clip int64", spec: op("Clip", 12, vecI(-5, 0, 5), NewInt64([]int64{-1}), NewInt64([]int64{1})), want: []*Tensor{vecI(-1, 0, 1)}},
		{name: "Clip-11 int64", spec: op("Clip", 11, vecI(-5)), wantErr: "load: "},
		{name: "Clip vector bound", spec: op("Clip", 13, x, vecF(0, 1)), wantErr: "must be scalars"},
		{name: "Clip constant vector bound", spec: nodeSpec{op: "Clip", opset: 13, in: []*Tensor{x, vecF(0, 1)}, consts: []int{1}}, wantErr: "load: "},
		{name: "Clip bound type", spec: op("Clip", 13, x, vecD(0)), wantErr: "load: "},
	}
	runOpTests(t, tests)
}

func TestConstant(t *testing.T) {
	c := func(opset int, attrs ...*onnxpb.AttributeProto) nodeSpec {
		return nodeSpec{op: "Constant", opset: opset, attrs: attrs}
	}
	tests := []opTest{
		{name: "value", spec: c(1, attrTensor("value", mat(1, 2, 1, 2))), want: []*Tensor{mat(1, 2, 1, 2)}},
		{name: "value int64", spec: c(13, attrTensor("value", vecI(3))), want: []*Tensor{vecI(3)}},
		{name: "value int64 at version 1", spec: c(1, attrTensor("value", vecI(3))), wantErr: "load: "},
		{name: "value_float", spec: c(12, attrFloat("value_float", 2)), want: []*Tensor{scalarF(2)}},
		{name: "value_floats", spec: c(13, attrFloats("value_floats", 1, 2)), want: []*Tensor{vecF(1, 2)}},
		{name: "value_int", spec: c(11, attrInt("value_int", 4)), want: []*Tensor{NewInt64([]int64{4})}},
		{name: "value_ints", spec: c(21, attrInts("value_ints", 4, 5)), want: []*Tensor{vecI(4, 5)}},
		{name: "value_string", spec: c(13, attrString("value_string", "x")), want: []*Tensor{NewString([]string{"x"})}},
		{name: "value_strings", spec: c(19, attrStrings("value_strings", "x", "y")), want: []*Tensor{vecS("x", "y")}},
		{name: "none", spec: c(13), wantErr: "load: "},
		{name: "two", spec: c(13, attrInt("value_int", 4), attrFloat("value_float", 1)), wantErr: "load: "},
		{name: "sparse", spec: c(13, &onnxpb.AttributeProto{Name: proto.String("sparse_value"), Type: onnxpb.AttributeProto_SPARSE_TENSOR.Enum()}), wantErr: "load: "},
		{name: "wrong kind", spec: c(13, attrInt("value", 1)), wantErr: "load: "},
		{name: "input", spec: nodeSpec{op: "Constant", opset: 13, in: []*Tensor{vecF(1)}, attrs: []*onnxpb.AttributeProto{attrInt("value_int", 1)}}, wantErr: "load: "},
	}
	runOpTests(t, tests)
}

// TestBufferReuse runs one model on inputs of changing shapes: a kernel's
// output buffers are reused from run to run and must be fully rewritten.
func TestBufferReuse(t *testing.T) {
	spec := nodeSpec{op: "Add", opset: 14, in: []*Tensor{mat(1, 3, 0, 0, 0), vecF(1, 2, 3)}, consts: []int{1}}
	m, err := spec.load()
	if err != nil {
		t.Fatal(err)
	}
	inputs := []*Tensor{
		mat(3, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3),
		mat(1, 3, 10, 10, 10),
		NewFloat32(nil, 0, 3),
		mat(2, 3, 5, 5, 5, 6, 6, 6),
	}
	wants := []*Tensor{
		mat(3, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6),
		mat(1, 3, 11, 12, 13),
		NewFloat32(nil, 0, 3),
		mat(2, 3, 6, 7, 8, 7, 8, 9),
	}
	for i, in := range inputs {
		keep := in.Clone()
		out, err := m.Run(context.Background(), []*Tensor{in})
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if !sameTensor(out[0].Tensor, wants[i], 0) {
			t.Errorf("run %d: Add(%s) = %s; want %s", i, show(in), show(out[0].Tensor), show(wants[i]))
		}
		if !sameTensor(in, keep, 0) {
			t.Errorf("run %d: the input changed to %s", i, show(in))
		}
	}
}

func attrList(a ...*onnxpb.AttributeProto) []*onnxpb.AttributeProto { return a }
