package onnx

import (
	"math"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// zeros32 returns a float32 tensor of zeros.
func zeros32(shape ...int) *Tensor { return NewFloat32(make([]float32, shapeSize(shape)), shape...) }

func TestShapeScatterND(t *testing.T) {
	nan := float32(math.NaN())
	rows := i64(sh(2, 1), 1, 1)
	upd := f32(sh(2, 3), 10, 20, 30, 1, 2, 3)
	red := func(r string) *onnxpb.AttributeProto { return attrString("reduction", r) }
	runOpCases(t, "ScatterND", []opCase{
		{name: "row, negative index", opset: 11, args: []arg{fed(x23), cst(i64(sh(1, 1), -2)), fed(f32(sh(1, 3), 7, 8, 9))},
			want: []*Tensor{f32(sh(2, 3), 7, 8, 9, 3, 4, 5)}},
		{name: "element tuples", opset: 13, args: []arg{fed(i64(sh(2, 2), 1, 2, 3, 4)), fed(i64(sh(2, 2), 0, -1, 1, 0)), fed(i64(sh(2), 7, 8))},
			want: []*Tensor{i64(sh(2, 2), 1, 7, 8, 4)}},
		{name: "repeated index, last wins", opset: 16, args: []arg{fed(x23), fed(rows), fed(upd)},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 1, 2, 3)}},
		{name: "add", opset: 16, attrs: with(red("add")), args: []arg{fed(x23), fed(rows), fed(upd)},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 14, 26, 38)}},
		{name: "mul", opset: 16, attrs: with(red("mul")), args: []arg{fed(x23), fed(rows), fed(upd)},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 30, 160, 450)}},
		{name: "max", opset: 18, attrs: with(red("max")), args: []arg{fed(x23), fed(rows), fed(f32(sh(2, 3), 0, 20, 1, 1, 2, 3))},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 3, 20, 5)}},
		{name: "min", opset: 18, attrs: with(red("min")), args: []arg{fed(x23), fed(rows), fed(f32(sh(2, 3), 0, 20, 1, 1, -2, 3))},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 0, -2, 1)}},
		// onnxruntime's kernel applies min and max from version 16, and
		// any other value as none.
		{name: "max at opset 16", opset: 16, attrs: with(red("max")), args: []arg{fed(x23), fed(rows), fed(upd)},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 10, 20, 30)}},
		{name: "unknown reduction", opset: 18, attrs: with(red("sum")), args: []arg{fed(x23), fed(rows), fed(upd)},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 1, 2, 3)}},
		{name: "NaN under max", opset: 18, attrs: with(red("max")), args: []arg{fed(f32(sh(3), nan, 1, 2)), fed(i64(sh(2, 1), 0, 1)), fed(f32(sh(2), 5, nan))},
			want: []*Tensor{f32(sh(3), 5, nan, 2)}},
		{name: "NaN under min", opset: 18, attrs: with(red("min")), args: []arg{fed(f32(sh(3), nan, 1, 2)), fed(i64(sh(2, 1), 0, 1)), fed(f32(sh(2), 5, nan))},
			want: []*Tensor{f32(sh(3), 5, nan, 2)}},
		{name: "int32 add wraps", opset: 16, attrs: with(red("add")), args: []arg{fed(i32(sh(1), math.MaxInt32)), fed(i64(sh(1, 1), 0)), fed(i32(sh(1), 1))},
			want: []*Tensor{i32(sh(1), math.MinInt32)}},
		{name: "float64 mul", opset: 16, attrs: with(red("mul")), args: []arg{fed(f64(sh(2), 1.5, 2)), fed(i64(sh(2, 1), 1, 1)), fed(f64(sh(2), 3, -1))},
			want: []*Tensor{f64(sh(2), 1.5, -6)}},
		{name: "strings add concatenates", opset: 16, attrs: with(red("add")), args: []arg{fed(strs(sh(3), "a", "b", "c")), fed(i64(sh(2, 1), 0, 0)), fed(strs(sh(2), "x", "y"))},
			want: []*Tensor{strs(sh(3), "axy", "b", "c")}},
		{name: "strings", opset: 13, args: []arg{fed(strs(sh(3), "a", "b", "c")), fed(i64(sh(1, 1), 2)), fed(strs(sh(1), "z"))},
			want: []*Tensor{strs(sh(3), "a", "b", "z")}},
		{name: "bool add is or", opset: 16, attrs: with(red("add")), args: []arg{fed(bools(sh(3), true, false, false)), fed(i64(sh(2, 1), 0, 1)), fed(bools(sh(2), false, true))},
			want: []*Tensor{bools(sh(3), true, true, false)}},
		{name: "bool mul is and", opset: 16, attrs: with(red("mul")), args: []arg{fed(bools(sh(3), true, true, false)), fed(i64(sh(2, 1), 0, 1)), fed(bools(sh(2), false, true))},
			want: []*Tensor{bools(sh(3), false, true, false)}},
		{name: "tuples of no index update everything", opset: 16, args: []arg{fed(x23), fed(i64(sh(2, 0))), fed(f32(sh(2, 2, 3), 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2))},
			want: []*Tensor{f32(sh(2, 3), 2, 2, 2, 2, 2, 2)}},
		{name: "empty batch", opset: 16, args: []arg{fed(f32(sh(0, 3))), fed(i64(sh(0, 1))), fed(f32(sh(0, 3)))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "string mul without updates", opset: 16, attrs: with(red("mul")), args: []arg{fed(strs(sh(1), "a")), fed(i64(sh(0, 1))), fed(strs(sh(0)))},
			want: []*Tensor{strs(sh(1), "a")}},
		{name: "constant inputs", opset: 16, attrs: with(red("add")), args: []arg{cst(x23), cst(rows), cst(upd)},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 14, 26, 38)}},

		{name: "string mul", opset: 16, attrs: with(red("mul")), args: []arg{fed(strs(sh(1), "a")), fed(i64(sh(1, 1), 0)), fed(strs(sh(1), "b"))},
			runErr: "reduction mul is not supported for string data"},
		{name: "bool max", opset: 18, attrs: with(red("max")), args: []arg{fed(bools(sh(1), true)), fed(i64(sh(1, 1), 0)), fed(bools(sh(1), false))},
			runErr: "reduction max is not supported for bool data"},
		{name: "index past the end", opset: 16, args: []arg{fed(x23), fed(i64(sh(1, 1), 2)), fed(zeros32(1, 3))}, runErr: "index 2 is out of range"},
		{name: "index before the start", opset: 16, args: []arg{fed(x23), fed(i64(sh(1, 2), 0, -4)), fed(f32(sh(1), 1))}, runErr: "index -4 is out of range"},
		{name: "updates of another shape", opset: 16, args: []arg{fed(x23), fed(rows), fed(zeros32(2, 2))}, runErr: "updates shape [2,2]"},
		{name: "tuples too long", opset: 16, args: []arg{fed(x23), fed(i64(sh(1, 3), 0, 0, 0)), fed(f32(sh(1), 1))}, runErr: "tuples of 3"},
		{name: "scalar data", opset: 16, args: []arg{fed(f32(sh(), 1)), fed(i64(sh(0))), fed(f32(sh(), 1))}, runErr: "rank 1 or more"},
		{name: "int32 indices", opset: 16, args: []arg{fed(x23), fed(i32(sh(1, 1), 0)), fed(zeros32(1, 3))}, loadErr: "want int64"},
		{name: "reduction at opset 13", opset: 13, attrs: with(red("add")), args: []arg{fed(x23), fed(rows), fed(upd)}, loadErr: `unknown attribute "reduction"`},
		{name: "updates of another type", opset: 16, args: []arg{fed(x23), fed(rows), fed(f64(sh(2, 3)))}, loadErr: "updates have element type float64, data float32"},
	})
}

func TestShapeScatterElements(t *testing.T) {
	nan := float32(math.NaN())
	zeros := f32(sh(3, 3), 0, 0, 0, 0, 0, 0, 0, 0, 0)
	red := func(r string) *onnxpb.AttributeProto { return attrString("reduction", r) }
	axis := func(a int64) *onnxpb.AttributeProto { return attrInt("axis", a) }
	runOpCases(t, "ScatterElements", []opCase{
		{name: "axis 0", opset: 11, args: []arg{fed(zeros), fed(i64(sh(2, 3), 1, 0, 2, 0, 2, 1)), fed(f32(sh(2, 3), 1, 1.1, 1.2, 2, 2.1, 2.2))},
			want: []*Tensor{f32(sh(3, 3), 2, 1.1, 0, 1, 0, 2.2, 0, 2.1, 1.2)}},
		{name: "axis 1", opset: 13, attrs: with(axis(1)), args: []arg{fed(f32(sh(1, 5), 1, 2, 3, 4, 5)), cst(i64(sh(1, 2), 1, 3)), fed(f32(sh(1, 2), 1.1, 2.1))},
			want: []*Tensor{f32(sh(1, 5), 1, 1.1, 3, 2.1, 5)}},
		{name: "axis -1, int32 negative indices", opset: 13, attrs: with(axis(-1)), args: []arg{fed(x23), fed(i32(sh(2, 1), -1, -3)), fed(f32(sh(2, 1), 9, 8))},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 9, 8, 4, 5)}},
		{name: "repeated index, last wins", opset: 16, args: []arg{fed(x23), fed(i64(sh(2, 1), 1, 1)), fed(f32(sh(2, 1), 7, 8))},
			want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 8, 4, 5)}},
		// Indices may be longer than data along the axis.
		{name: "add, more indices than data along the axis", opset: 16, attrs: with(red("add")), args: []arg{fed(x23), fed(i64(sh(3, 1), 1, 0, 1)), fed(f32(sh(3, 1), 5, 6, 7))},
			want: []*Tensor{f32(sh(2, 3), 6, 1, 2, 15, 4, 5)}},
		{name: "mul int64", opset: 16, attrs: with(red("mul"), axis(1)), args: []arg{fed(i64(sh(1, 3), 2, 3, 4)), fed(i64(sh(1, 3), 2, 2, 0)), fed(i64(sh(1, 3), 5, -1, 10))},
			want: []*Tensor{i64(sh(1, 3), 20, 3, -20)}},
		{name: "max with NaN", opset: 18, attrs: with(red("max")), args: []arg{fed(f32(sh(3), nan, 1, 2)), fed(i64(sh(3), 0, 1, 2)), fed(f32(sh(3), 5, nan, 1))},
			want: []*Tensor{f32(sh(3), 5, nan, 2)}},
		{name: "min float64", opset: 18, attrs: with(red("min")), args: []arg{fed(f64(sh(3), 1, 2, 3)), fed(i64(sh(3), 2, 2, 0)), fed(f64(sh(3), 5, 0, 4))},
			want: []*Tensor{f64(sh(3), 1, 2, 0)}},
		{name: "max at opset 16", opset: 16, attrs: with(red("max")), args: []arg{fed(f32(sh(2), 1, 2)), fed(i64(sh(2), 0, 0)), fed(f32(sh(2), 3, -1))},
			want: []*Tensor{f32(sh(2), 3, 2)}},
		{name: "strings", opset: 16, attrs: with(red("add")), args: []arg{fed(strs(sh(3), "a", "b", "c")), fed(i64(sh(2), 0, 0)), fed(strs(sh(2), "x", "y"))},
			want: []*Tensor{strs(sh(3), "axy", "b", "c")}},
		{name: "bool add", opset: 16, attrs: with(red("add")), args: []arg{fed(bools(sh(2), false, false)), fed(i64(sh(2), 1, 1)), fed(bools(sh(2), true, false))},
			want: []*Tensor{bools(sh(2), false, true)}},
		{name: "no updates", opset: 18, attrs: with(red("max")), args: []arg{fed(strs(sh(1), "a")), fed(i64(sh(0))), fed(strs(sh(0)))},
			want: []*Tensor{strs(sh(1), "a")}},
		{name: "fewer indices than data on another axis", opset: 16, attrs: with(axis(1)), args: []arg{fed(x23), fed(i64(sh(1, 2), 2, 0)), fed(f32(sh(1, 2), 7, 8))},
			want: []*Tensor{f32(sh(2, 3), 8, 1, 7, 3, 4, 5)}},

		{name: "string max", opset: 18, attrs: with(red("max")), args: []arg{fed(strs(sh(1), "a")), fed(i64(sh(1), 0)), fed(strs(sh(1), "b"))},
			runErr: "reduction max is not supported for string data"},
		{name: "index past the end", opset: 16, args: []arg{fed(x23), fed(i64(sh(1, 1), 2)), fed(f32(sh(1, 1), 1))}, runErr: "index 2 is out of range"},
		{name: "wider than data", opset: 16, args: []arg{fed(x23), fed(i64(sh(1, 4), 0, 0, 0, 0)), fed(zeros32(1, 4))}, runErr: "exceeds data shape"},
		{name: "updates of another shape", opset: 16, args: []arg{fed(x23), fed(i64(sh(1, 2), 0, 0)), fed(zeros32(1, 3))}, runErr: "differ"},
		{name: "rank mismatch", opset: 16, args: []arg{fed(x23), fed(i64(sh(2), 0, 0)), fed(zeros32(2))}, runErr: "different ranks"},
		{name: "axis out of range", opset: 16, attrs: with(axis(2)), args: []arg{fed(x23), fed(i64(sh(1, 1), 0)), fed(zeros32(1, 1))}, runErr: "axis 2 is out of range"},
		{name: "scalar data", opset: 16, args: []arg{fed(f32(sh(), 1)), fed(i64(sh(), 0)), fed(f32(sh(), 1))}, runErr: "axis 0 is out of range for rank 0"},
		{name: "float indices", opset: 16, args: []arg{fed(x23), fed(f32(sh(1, 1), 0)), fed(zeros32(1, 1))}, loadErr: "want int32 or int64"},
		{name: "reduction at opset 11", opset: 11, attrs: with(red("add")), args: []arg{fed(x23), fed(i64(sh(1, 1), 0)), fed(zeros32(1, 1))}, loadErr: `unknown attribute "reduction"`},
	})
}
