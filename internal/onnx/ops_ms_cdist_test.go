package onnx

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

var msOpsets = map[string]int64{"": 15, "com.microsoft": 1}

// cdistSpec builds a model of one CDist(A, B) node: B is an initializer
// when b is set, else a second graph input; the inputs' shapes are left
// undeclared.
func cdistSpec(typ DataType, b *Tensor, attrs ...*onnxpb.AttributeProto) graphSpec {
	g := graphSpec{
		nodes:   []*onnxpb.NodeProto{mkNode("CDist", "com.microsoft", []string{"A", "B"}, []string{"C"}, attrs...)},
		inputs:  []*onnxpb.ValueInfoProto{valueInfo("A", typ)},
		outputs: []*onnxpb.ValueInfoProto{valueInfo("C", typ)},
		opsets:  msOpsets,
	}
	if b != nil {
		g.inits = []*onnxpb.TensorProto{tensorProto("B", b)}
	} else {
		g.inputs = append(g.inputs, valueInfo("B", typ))
	}
	return g
}

func TestCDist(t *testing.T) {
	sqrt13 := float32(math.Sqrt(13))
	nan32 := float32(math.NaN())
	a2 := f32(sh(2, 2), 0, 0, 1, 1)
	b2 := f32(sh(2, 2), 1, 0, 3, 4)
	seq := func(n int, from float32) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = from + float32(i)
		}
		return v
	}
	tests := []struct {
		name    string
		metric  string // "" leaves the attribute out
		a, b    *Tensor
		runtime bool // B is a graph input rather than an initializer
		want    *Tensor
	}{
		{"sqeuclidean", "sqeuclidean", a2, b2, false, f32(sh(2, 2), 1, 25, 1, 13)},
		{"euclidean", "euclidean", a2, b2, false, f32(sh(2, 2), 1, 5, 1, sqrt13)},
		{"default metric is sqeuclidean", "", a2, b2, false, f32(sh(2, 2), 1, 25, 1, 13)},
		{"B at run time", "euclidean", a2, b2, true, f32(sh(2, 2), 1, 5, 1, sqrt13)},
		{"float64", "euclidean", f64(sh(2, 2), 0, 0, 1, 1), f64(sh(2, 2), 1, 0, 3, 4), false,
			f64(sh(2, 2), 1, 5, 1, math.Sqrt(13))},
		{"float64 B at run time", "sqeuclidean", f64(sh(2, 2), 0, 0, 1, 1), f64(sh(2, 2), 1, 0, 3, 4), true,
			f64(sh(2, 2), 1, 25, 1, 13)},
		{"K = 1", "sqeuclidean", f32(sh(2, 1), 2, -1), f32(sh(3, 1), 0, 5, 2), false,
			f32(sh(2, 3), 4, 9, 0, 1, 36, 9)},
		{"K = 11: two accumulators, a last packet, a tail", "sqeuclidean", f32(sh(1, 11), seq(11, 1)...),
			f32(sh(2, 11), append(seq(11, 0), seq(11, 1)...)...), false, f32(sh(1, 2), 11, 0)},
		{"float64 K = 7", "sqeuclidean", f64(sh(1, 7), 1, 2, 3, 4, 5, 6, 7), f64(sh(1, 7), 3, 2, 3, 4, 5, 6, 5), true,
			f64(sh(1, 1), 8)},
		{"one row", "euclidean", f32(sh(1, 2), 1, 1), b2, false, f32(sh(1, 2), 1, sqrt13)},
		{"no rows in A", "euclidean", f32(sh(0, 2)), b2, false, f32(sh(0, 2))},
		{"no rows in B", "euclidean", a2, f32(sh(0, 2)), false, f32(sh(2, 0))},
		{"no rows in B at run time", "euclidean", a2, f32(sh(0, 2)), true, f32(sh(2, 0))},
		{"NaN in A", "euclidean", f32(sh(2, 2), nan32, 0, 1, 1), b2, false, f32(sh(2, 2), nan32, nan32, 1, sqrt13)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var attrs []*onnxpb.AttributeProto
			if tt.metric != "" {
				attrs = append(attrs, attrString("metric", tt.metric))
			}
			ins := []*Tensor{tt.a}
			constB := tt.b
			if tt.runtime {
				ins, constB = append(ins, tt.b), nil
			}
			out, err := cdistSpec(tt.a.Type, constB, attrs...).load(t).Run(context.Background(), ins)
			if err != nil {
				t.Fatal(err)
			}
			if got := out[0].Tensor; !sameTensor(got, tt.want, 0) {
				t.Errorf("CDist(%v, %v) = %v %v%v; want %v %v%v", tt.a.Shape, tt.b.Shape,
					got.Shape, got.Float32, got.Float64, tt.want.Shape, tt.want.Float32, tt.want.Float64)
			}
		})
	}
}

// TestCDistResidue checks what onnxruntime's formula gives for points at
// distance 0: a non-negative rounding residue, small next to the squared
// norms, whose square root is the euclidean distance.
func TestCDistResidue(t *testing.T) {
	pts := f32(sh(3, 5), 0.1, 0.2, 0.3, -7.7, 1e3, 3.3, -0.01, 5.5, 2.25, 0.7, 123.456, -9.87, 6.54, 0.321, 1e-3)
	run := func(metric string) []float32 {
		out, err := cdistSpec(Float32, pts, attrString("metric", metric)).load(t).Run(context.Background(), []*Tensor{pts})
		if err != nil {
			t.Fatal(err)
		}
		return out[0].Tensor.Float32
	}
	sq, eu := run("sqeuclidean"), run("euclidean")
	residues := 0
	for i := range 3 {
		d := sq[i*3+i]
		norm := sqNorm32(pts.Float32[i*5 : (i+1)*5])
		if d < 0 || d > norm*1e-6 {
			t.Errorf("sqeuclidean distance of row %d to itself = %g; want in [0, %g]", i, d, norm*1e-6)
		}
		if d != 0 {
			residues++
		}
	}
	if residues == 0 {
		t.Errorf("every distance of a point to itself is 0; want rounding residues (%v)", sq)
	}
	for i, d := range sq {
		if want := float32(math.Sqrt(float64(d))); eu[i] != want {
			t.Errorf("euclidean[%d] = %g; want sqrt(%g) = %g", i, eu[i], d, want)
		}
	}
}

// eigenSumSquares is the reference for sqNorm32 and sqNorm64, written
// for any packet width: Eigen's vectorised sum of squares, each step
// rounded by round.
func eigenSumSquares(x []float64, width int, round func(float64) float64) float64 {
	sq := make([]float64, len(x))
	for i, v := range x {
		sq[i] = round(v * v)
	}
	addInto := func(acc, p []float64) {
		for l := range acc {
			acc[l] = round(acc[l] + p[l])
		}
	}
	n := len(x)
	full := n / width * width
	if full == 0 {
		s := sq[0]
		for _, v := range sq[1:] {
			s = round(s + v)
		}
		return s
	}
	r0 := slices.Clone(sq[:width])
	if full > width {
		r1 := slices.Clone(sq[width : 2*width])
		end2 := n / (2 * width) * (2 * width)
		for i := 2 * width; i < end2; i += 2 * width {
			addInto(r0, sq[i:i+width])
			addInto(r1, sq[i+width:i+2*width])
		}
		addInto(r0, r1)
		if full > end2 {
			addInto(r0, sq[end2:end2+width])
		}
	}
	var s float64
	if width == 4 {
		s = round(round(r0[0]+r0[2]) + round(r0[1]+r0[3]))
	} else {
		s = round(r0[0] + r0[1])
	}
	for _, v := range sq[full:] {
		s = round(s + v)
	}
	return s
}

func TestSqNorm(t *testing.T) {
	to32 := func(v float64) float64 { return float64(float32(v)) }
	same := func(v float64) float64 { return v }
	for n := 1; n <= 41; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i*7+n)) * math.Pow(10, float64(i%5-2))
		}
		x32 := make([]float32, n)
		for i, v := range x {
			x32[i] = float32(v)
			x[i] = float64(x32[i])
		}
		if got, want := sqNorm32(x32), float32(eigenSumSquares(x, 4, to32)); got != want {
			t.Errorf("sqNorm32(%d elements) = %g; want %g", n, got, want)
		}
		if got, want := sqNorm64(x), eigenSumSquares(x, 2, same); got != want {
			t.Errorf("sqNorm64(%d elements) = %g; want %g", n, got, want)
		}
	}
}

func TestCDistLoadErrors(t *testing.T) {
	b := f32(sh(3, 2), 1, 2, 3, 4, 5, 6)
	tests := []struct {
		name    string
		spec    graphSpec
		wantErr string
	}{
		{"metric manhattan", cdistSpec(Float32, b, attrString("metric", "manhattan")), `metric "manhattan" is not implemented`},
		{"metric cosine", cdistSpec(Float32, b, attrString("metric", "cosine")), `metric "cosine" is not implemented`},
		{"metric names are case-sensitive", cdistSpec(Float32, b, attrString("metric", "Euclidean")), `metric "Euclidean" is not implemented`},
		{"minkowski with p", cdistSpec(Float32, b, attrString("metric", "minkowski"), attrFloat("p", 3)), `unknown attribute "p"`},
		{"metric of type INT", cdistSpec(Float32, b, attrInt("metric", 1)), `attribute "metric" has type INT`},
		{"com.microsoft opset 2", func() graphSpec {
			g := cdistSpec(Float32, b)
			g.opsets = map[string]int64{"": 15, "com.microsoft": 2}
			return g
		}(), "opset 2 of domain com.microsoft is newer than the newest the engine supports (1)"},
		{"float32 A, float64 B", cdistSpec(Float32, f64(sh(1, 2), 1, 2)), "different types"},
		{"int32", cdistSpec(Int32, NewInt32([]int32{1, 2}, 1, 2)), "has type int32"},
		{"B of rank 1", cdistSpec(Float32, f32(sh(2), 1, 2)), "input B has shape [2]"},
		{"B with K = 0", cdistSpec(Float32, f32(sh(3, 0))), "input B has shape [3 0]"},
		{"three inputs", func() graphSpec {
			g := cdistSpec(Float32, b)
			g.nodes[0].Input = append(g.nodes[0].Input, "B")
			return g
		}(), "has 3 inputs, want 2"},
		{"two outputs", func() graphSpec {
			g := cdistSpec(Float32, b)
			g.nodes[0].Output = append(g.nodes[0].Output, "D")
			return g
		}(), "has 2 outputs, want 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := loadModel(tt.spec.proto()); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load = %v; want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestCDistRunErrors(t *testing.T) {
	b := f32(sh(3, 2), 1, 2, 3, 4, 5, 6)
	tests := []struct {
		name    string
		a, b    *Tensor
		wantErr string
	}{
		{"A of rank 1", f32(sh(2), 1, 2), b, "input A has shape [2]"},
		{"A of rank 3", f32(sh(1, 1, 2), 1, 2), b, "input A has shape [1 1 2]"},
		{"B of rank 1", f32(sh(1, 2), 1, 2), f32(sh(2), 1, 2), "input B has shape [2]"},
		{"B of rank 3", f32(sh(1, 2), 1, 2), f32(sh(1, 1, 2), 1, 2), "input B has shape [1 1 2]"},
		{"K mismatch", f32(sh(1, 3), 1, 2, 3), b, "different numbers of columns"},
		{"K = 0", f32(sh(2, 0)), f32(sh(3, 0)), "input A has shape [2 0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := cdistSpec(Float32, nil, attrString("metric", "euclidean")).load(t)
			if _, err := m.Run(context.Background(), []*Tensor{tt.a, tt.b}); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Run(%v, %v) = %v; want an error containing %q", tt.a.Shape, tt.b.Shape, err, tt.wantErr)
			}
		})
	}
}

// TestCDistStops checks that a long CDist stops soon after its context
// is done: it looks at it between ranges of rows.
func TestCDistStops(t *testing.T) {
	const rows, points, cols = 512, 4096, 16 // 32 Mi multiply-adds, 8 ranges
	m := cdistSpec(Float32, f32(sh(points, cols), make([]float32, points*cols)...)).load(t)
	a := f32(sh(rows, cols), make([]float32, rows*cols)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Run(ctx, []*Tensor{a}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a done context = %v; want context.Canceled", err)
	}
	if _, err := m.Run(context.Background(), []*Tensor{a}); err != nil {
		t.Errorf("Run = %v; want no error", err)
	}
}
