package onnx

import (
	"math"
	"testing"
)

func TestShapeConstantOfShape(t *testing.T) {
	runOpCases(t, "ConstantOfShape", []opCase{
		{name: "default float zero", args: []arg{fed(i64(sh(2), 2, 3))}, want: []*Tensor{f32(sh(2, 3), 0, 0, 0, 0, 0, 0)}},
		{name: "empty shape makes a scalar", args: []arg{fed(i64(sh(0)))}, want: []*Tensor{f32(sh(), 0)}},
		{name: "zero dimension", args: []arg{fed(i64(sh(2), 2, 0))}, want: []*Tensor{f32(sh(2, 0))}},
		{name: "int32 value", attrs: with(attrTensor("value", i32(sh(1), 7))), args: []arg{fed(i64(sh(1), 2))}, want: []*Tensor{i32(sh(2), 7, 7)}},
		{name: "bool value", opset: 21, attrs: with(attrTensor("value", bools(sh(1), true))), args: []arg{fed(i64(sh(1), 2))}, want: []*Tensor{bools(sh(2), true, true)}},
		{name: "2-D shape input", args: []arg{fed(i64(sh(1, 1), 2))}, want: []*Tensor{f32(sh(2), 0, 0)}},
		{name: "constant input folds", attrs: with(attrTensor("value", f64(sh(1), 1.5))), args: []arg{cst(i64(sh(1), 2))}, want: []*Tensor{f64(sh(2), 1.5, 1.5)}},
		{name: "negative dimension", args: []arg{fed(i64(sh(1), -1))}, runErr: "out of range"},
		{name: "scalar shape", args: []arg{fed(i64(sh(), 2))}, runErr: "is a scalar"},
		{name: "scalar value", attrs: with(attrTensor("value", f32(sh(), 1))), args: []arg{fed(i64(sh(1), 2))}, loadErr: "want [1]"},
		{name: "two values", attrs: with(attrTensor("value", f32(sh(2), 1, 2))), args: []arg{fed(i64(sh(1), 2))}, loadErr: "want [1]"},
		{name: "string value", attrs: with(attrTensor("value", strs(sh(1), "a"))), args: []arg{fed(i64(sh(1), 2))}, loadErr: "string tensor"},
		{name: "int32 shape", args: []arg{fed(i32(sh(1), 2))}, loadErr: "want int64"},
		{name: "too large", args: []arg{fed(i64(sh(3), 1<<20, 1<<20, 1<<20))}, runErr: "more than"},
	})
}

func TestShapeRange(t *testing.T) {
	// onnxruntime accumulates in the element type: these are its values
	// (0.1 added seven times is 0.70000005 in float32, not float32(0.7)).
	f32s := f32(sh(10), 0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645,
		0.5, 0.6000000238418579, 0.7000000476837158, 0.8000000715255737, 0.9000000953674316)
	run := func(s, l, d *Tensor) []arg { return []arg{fed(s), fed(l), fed(d)} }
	runOpCases(t, "Range", []opCase{
		{name: "float32 accumulates", args: run(f32(sh(), 0), f32(sh(), 1), f32(sh(), 0.1)), want: []*Tensor{f32s}},
		{name: "float64", args: run(f64(sh(), 0), f64(sh(), 1), f64(sh(), 0.25)), want: []*Tensor{f64(sh(4), 0, 0.25, 0.5, 0.75)}},
		{name: "int64 down", args: run(i64(sh(), 10), i64(sh(), 0), i64(sh(), -3)), want: []*Tensor{i64(sh(4), 10, 7, 4, 1)}},
		{name: "int32 empty", args: run(i32(sh(), 0), i32(sh(), -5), i32(sh(), 1)), want: []*Tensor{i32(sh(0))}},
		{name: "count from the float32 difference", args: run(f32(sh(), 1e8), f32(sh(), 1e8+50), f32(sh(), 3.3)), want: []*Tensor{f32(sh(15), 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8, 1e8)}},
		{name: "NaN limit", args: run(f32(sh(), 0), f32(sh(), float32(math.NaN())), f32(sh(), 1)), want: []*Tensor{f32(sh(0))}},
		{name: "shape [1] inputs", args: run(i64(sh(1), 0), i64(sh(1), 3), i64(sh(1), 1)), want: []*Tensor{i64(sh(3), 0, 1, 2)}},
		{name: "constants fold", args: []arg{cst(i64(sh(), 1)), cst(i64(sh(), 3)), cst(i64(sh(), 1))}, want: []*Tensor{i64(sh(2), 1, 2)}},
		{name: "zero delta", args: run(i64(sh(), 0), i64(sh(), 3), i64(sh(), 0)), runErr: "delta is 0"},
		{name: "infinite", args: run(f32(sh(), 0), f32(sh(), float32(math.Inf(1))), f32(sh(), 1)), runErr: "too many elements"},
		{name: "two-element start", args: run(i64(sh(2), 0, 1), i64(sh(), 3), i64(sh(), 1)), runErr: "want a scalar"},
		{name: "mixed types", args: run(i64(sh(), 0), i32(sh(), 3), i64(sh(), 1)), loadErr: "different element types"},
		{name: "bools", args: run(bools(sh(), false), bools(sh(), true), bools(sh(), true)), loadErr: "start has element type bool"},
	})
}

func TestShapeEyeLike(t *testing.T) {
	x := f32(sh(3, 4), make([]float32, 12)...)
	runOpCases(t, "EyeLike", []opCase{
		{name: "identity", args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 4), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0)}},
		{name: "k 1", attrs: with(attrInt("k", 1)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 4), 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)}},
		{name: "k -2", attrs: with(attrInt("k", -2)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 4), 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)}},
		{name: "k past the end", attrs: with(attrInt("k", math.MaxInt64)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 4), make([]float32, 12)...)}},
		{name: "dtype int64", attrs: with(attrInt("dtype", int64(Int64))), args: []arg{fed(f32(sh(2, 2), 0, 0, 0, 0))}, want: []*Tensor{i64(sh(2, 2), 1, 0, 0, 1)}},
		{name: "dtype bool", attrs: with(attrInt("dtype", int64(Bool))), args: []arg{fed(f32(sh(1, 2), 0, 0))}, want: []*Tensor{bools(sh(1, 2), true, false)}},
		{name: "int32 input", args: []arg{fed(i32(sh(2, 2), 5, 5, 5, 5))}, want: []*Tensor{i32(sh(2, 2), 1, 0, 0, 1)}},
		{name: "empty", args: []arg{fed(f32(sh(0, 3)))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "3-D", args: []arg{fed(f32(sh(1, 1, 1), 0))}, runErr: "want 2-D"},
		{name: "string dtype", attrs: with(attrInt("dtype", int64(String))), args: []arg{fed(x)}, loadErr: "want a number or bool type"},
		{name: "string input", args: []arg{fed(strs(sh(1, 1), "a"))}, loadErr: "input has element type string"},
	})
}

func TestShapeUnique(t *testing.T) {
	x := f32(sh(6), 2, 1, 1, 3, 4, 3)
	m := i64(sh(3, 3), 1, 0, 0, 1, 0, 0, 2, 3, 4)
	cols := i64(sh(3, 3), 1, 0, 1, 1, 0, 1, 2, 3, 2)
	runOpCases(t, "Unique", []opCase{
		{name: "sorted", opset: 11, args: []arg{fed(x)},
			want: []*Tensor{f32(sh(4), 1, 2, 3, 4), i64(sh(4), 1, 0, 3, 4), i64(sh(6), 1, 0, 0, 2, 3, 2), i64(sh(4), 2, 1, 2, 1)}},
		{name: "unsorted", attrs: with(attrInt("sorted", 0)), args: []arg{fed(x)},
			want: []*Tensor{f32(sh(4), 2, 1, 3, 4), i64(sh(4), 0, 1, 3, 4), i64(sh(6), 0, 1, 1, 2, 3, 2), i64(sh(4), 1, 2, 2, 1)}},
		{name: "2-D flattened", args: []arg{fed(i64(sh(2, 2), 1, 3, 2, 1))},
			want: []*Tensor{i64(sh(3), 1, 2, 3), i64(sh(3), 0, 2, 1), i64(sh(4), 0, 2, 1, 0), i64(sh(3), 2, 1, 1)}},
		{name: "axis 0", attrs: with(attrInt("axis", 0)), args: []arg{fed(m)},
			want: []*Tensor{i64(sh(2, 3), 1, 0, 0, 2, 3, 4), i64(sh(2), 0, 2), i64(sh(3), 0, 0, 1), i64(sh(2), 2, 1)}},
		{name: "axis -1", attrs: with(attrInt("axis", -1)), args: []arg{fed(cols)},
			want: []*Tensor{i64(sh(3, 2), 0, 1, 0, 1, 3, 2), i64(sh(2), 1, 0), i64(sh(3), 1, 0, 1), i64(sh(2), 1, 2)}},
		{name: "axis 1 unsorted", attrs: with(attrInt("axis", 1), attrInt("sorted", 0)), args: []arg{fed(cols)},
			want: []*Tensor{i64(sh(3, 2), 1, 0, 1, 0, 2, 3), i64(sh(2), 0, 1), i64(sh(3), 0, 1, 0), i64(sh(2), 2, 1)}},
		{name: "strings", args: []arg{fed(strs(sh(3), "b", "a", "b"))},
			want: []*Tensor{strs(sh(2), "a", "b"), i64(sh(2), 1, 0), i64(sh(3), 1, 0, 1), i64(sh(2), 1, 2)}},
		{name: "signed zeros are equal", args: []arg{fed(f32(sh(3), 1, float32(math.Copysign(0, -1)), 0))},
			want: []*Tensor{f32(sh(2), float32(math.Copysign(0, -1)), 1), i64(sh(2), 1, 0), i64(sh(3), 1, 0, 0), i64(sh(2), 2, 1)}},
		{name: "only Y", args: []arg{fed(f64(sh(3), 3, 1, 3))}, want: []*Tensor{f64(sh(2), 1, 3)}},
		{name: "empty", args: []arg{fed(f32(sh(0)))}, want: []*Tensor{f32(sh(0)), i64(sh(0)), i64(sh(0)), i64(sh(0))}},
		{name: "scalar", args: []arg{fed(f32(sh(), 3))}, want: []*Tensor{f32(sh(1), 3), i64(sh(1), 0), i64(sh(1), 0), i64(sh(1), 1)}},
		{name: "bools", args: []arg{fed(bools(sh(3), true, false, true))}, want: []*Tensor{bools(sh(2), false, true)}},
		{name: "NaN", args: []arg{fed(f32(sh(2), float32(math.NaN()), 1))}, runErr: "NaN"},
		{name: "axis out of range", attrs: with(attrInt("axis", 1)), args: []arg{fed(x)}, runErr: "out of range"},
		{name: "sorted 2", attrs: with(attrInt("sorted", 2)), args: []arg{fed(x)}, loadErr: "want 0 or 1"},
	})
}
