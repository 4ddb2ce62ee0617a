package onnx

import (
	"testing"
)

// The expected values of these tables are onnxruntime 1.30's, checked
// case by case; where the engine refuses something onnxruntime computes,
// the case says why.

var x23 = f32(sh(2, 3), 0, 1, 2, 3, 4, 5)

// ones returns a 1-D int64 tensor of n ones.
func ones(n int) *Tensor {
	t := i64(sh(n), make([]int64, n)...)
	for i := range t.Int64 {
		t.Int64[i] = 1
	}
	return t
}

func TestShapeReshape(t *testing.T) {
	runOpCases(t, "Reshape", []opCase{
		{name: "0 copies and -1 infers", args: []arg{fed(x23), cst(i64(sh(2), 0, -1))}, want: []*Tensor{x23}},
		{name: "-1 first", args: []arg{fed(x23), cst(i64(sh(2), -1, 2))}, want: []*Tensor{f32(sh(3, 2), 0, 1, 2, 3, 4, 5)}},
		{name: "shape fed at run time", args: []arg{fed(x23), fed(i64(sh(3), 3, 1, -1))}, want: []*Tensor{f32(sh(3, 1, 2), 0, 1, 2, 3, 4, 5)}},
		{name: "to scalar", args: []arg{fed(f32(sh(1, 1), 5)), cst(i64(sh(0)))}, want: []*Tensor{f32(sh(), 5)}},
		{name: "empty batch keeps 0", args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(2), -1, 0))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "empty batch -1 with 3", args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(2), -1, 3))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "strings", args: []arg{fed(strs(sh(4), "a", "b", "c", "d")), cst(i64(sh(2), 2, 2))}, want: []*Tensor{strs(sh(2, 2), "a", "b", "c", "d")}},
		{name: "bools", args: []arg{fed(bools(sh(2), true, false)), cst(i64(sh(2), 2, 1))}, want: []*Tensor{bools(sh(2, 1), true, false)}},
		{name: "allowzero keeps 0", opset: 14, attrs: with(attrInt("allowzero", 1)), args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(2), 0, 3))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "opset 19", opset: 19, args: []arg{fed(x23), cst(i64(sh(1), -1))}, want: []*Tensor{f32(sh(6), 0, 1, 2, 3, 4, 5)}},
		{name: "opset 21 strings", opset: 21, args: []arg{fed(strs(sh(2, 1), "a", "b")), fed(i64(sh(1), 2))}, want: []*Tensor{strs(sh(2), "a", "b")}},
		{name: "v1 shape attribute", opset: 4, attrs: with(attrInts("shape", 3, -1)), args: []arg{fed(x23)}, want: []*Tensor{f32(sh(3, 2), 0, 1, 2, 3, 4, 5)}},
		{name: "v1 without shape", opset: 4, args: []arg{fed(x23)}, loadErr: `missing required attribute "shape"`},
		{name: "two -1", args: []arg{fed(x23), cst(i64(sh(2), -1, -1))}, loadErr: "more than one -1"},
		{name: "-2", args: []arg{fed(x23), cst(i64(sh(2), -2, 3))}, loadErr: "invalid dimension -2"},
		{name: "allowzero with 0 and -1", opset: 14, attrs: with(attrInt("allowzero", 1)), args: []arg{fed(x23), cst(i64(sh(2), 0, -1))}, loadErr: "both -1 and 0"},
		{name: "allowzero before opset 14", opset: 13, attrs: with(attrInt("allowzero", 1)), args: []arg{fed(x23), cst(i64(sh(2), 2, 3))}, loadErr: `unknown attribute "allowzero"`},
		{name: "int32 shape", args: []arg{fed(x23), cst(i32(sh(2), 2, 3))}, loadErr: "want int64"},
		{name: "size mismatch", args: []arg{fed(x23), cst(i64(sh(2), 3, 0))}, runErr: "cannot reshape [2,3]"},
		{name: "not divisible", args: []arg{fed(x23), fed(i64(sh(2), 4, -1))}, runErr: "cannot reshape"},
		{name: "0 beyond the input rank", args: []arg{fed(x23), cst(i64(sh(3), 0, 0, 0))}, runErr: "has rank 2"},
		{name: "-1 with a 0 product", args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(2), 0, -1))}, runErr: "cannot reshape"},
		{name: "2-D shape", args: []arg{fed(x23), fed(i64(sh(1, 2), 2, 3))}, runErr: "must be 1-D"},
		{name: "huge dimensions", args: []arg{fed(x23), fed(i64(sh(3), 1<<40, 1<<40, 0))}, runErr: "out of range"},
		{name: "rank above the limit", args: []arg{fed(f32(sh(1), 1)), fed(ones(maxRank + 1))}, runErr: "rank 257"},
	})
}

func TestShapeFlatten(t *testing.T) {
	x := f32(sh(1, 2, 1, 3), 0, 1, 2, 3, 4, 5)
	runOpCases(t, "Flatten", []opCase{
		{name: "default axis 1", args: []arg{fed(x)}, want: []*Tensor{f32(sh(1, 6), 0, 1, 2, 3, 4, 5)}},
		{name: "axis 0", attrs: with(attrInt("axis", 0)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(1, 6), 0, 1, 2, 3, 4, 5)}},
		{name: "axis = rank", attrs: with(attrInt("axis", 4)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(6, 1), 0, 1, 2, 3, 4, 5)}},
		{name: "negative axis", attrs: with(attrInt("axis", -2)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "scalar", attrs: with(attrInt("axis", 0)), args: []arg{fed(f32(sh(), 3))}, want: []*Tensor{f32(sh(1, 1), 3)}},
		{name: "opset 21", opset: 21, attrs: with(attrInt("axis", 2)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 2, 2)))}, want: []*Tensor{f32(sh(0, 4))}},
		{name: "strings", args: []arg{fed(strs(sh(2, 1, 1), "a", "b"))}, want: []*Tensor{strs(sh(2, 1), "a", "b")}},
		{name: "axis below -rank", attrs: with(attrInt("axis", -5)), args: []arg{fed(x)}, runErr: "out of range"},
		{name: "axis above rank", attrs: with(attrInt("axis", 1)), args: []arg{fed(f32(sh(), 3))}, runErr: "out of range"},
		{name: "negative axis before opset 11", opset: 9, attrs: with(attrInt("axis", -1)), args: []arg{fed(x)}, loadErr: "negative axes need opset 11"},
		{name: "unknown attribute", attrs: with(attrInt("axes", 1)), args: []arg{fed(x)}, loadErr: `unknown attribute "axes"`},
	})
}

func TestShapeSqueeze(t *testing.T) {
	x := f32(sh(1, 2, 1, 3), 0, 1, 2, 3, 4, 5)
	want := f32(sh(2, 3), 0, 1, 2, 3, 4, 5)
	runOpCases(t, "Squeeze", []opCase{
		{name: "all unit axes", args: []arg{fed(x)}, want: []*Tensor{want}},
		{name: "axes input with a negative axis", args: []arg{fed(x), cst(i64(sh(2), 0, -2))}, want: []*Tensor{want}},
		{name: "axes fed at run time", args: []arg{fed(x), fed(i64(sh(1), 2))}, want: []*Tensor{f32(sh(1, 2, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "duplicate axes", args: []arg{fed(x), cst(i64(sh(2), 0, 0))}, want: []*Tensor{f32(sh(2, 1, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "empty axes squeeze all", args: []arg{fed(x), cst(i64(sh(0)))}, want: []*Tensor{want}},
		{name: "to scalar", args: []arg{fed(f32(sh(1, 1), 7))}, want: []*Tensor{f32(sh(), 7)}},
		{name: "scalar", args: []arg{fed(f32(sh(), 7))}, want: []*Tensor{f32(sh(), 7)}},
		{name: "v11 attribute", opset: 11, attrs: with(attrInts("axes", -4)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(2, 1, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "v1 attribute", opset: 7, attrs: with(attrInts("axes", 0, 2)), args: []arg{fed(x)}, want: []*Tensor{want}},
		{name: "opset 21", opset: 21, args: []arg{fed(x), cst(i64(sh(1), -4))}, want: []*Tensor{f32(sh(2, 1, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "strings", args: []arg{fed(strs(sh(1, 2), "a", "b"))}, want: []*Tensor{strs(sh(2), "a", "b")}},
		{name: "axis not of size 1", args: []arg{fed(x), cst(i64(sh(1), 1))}, runErr: "its size is not 1"},
		{name: "empty batch axis", args: []arg{fed(f32(sh(0, 1))), cst(i64(sh(1), 0))}, runErr: "its size is not 1"},
		{name: "axis out of range", args: []arg{fed(x), cst(i64(sh(1), 4))}, runErr: "out of range"},
		{name: "axes attribute at opset 13", opset: 13, attrs: with(attrInts("axes", 0)), args: []arg{fed(x)}, loadErr: `unknown attribute "axes"`},
		{name: "int32 axes", args: []arg{fed(x), cst(i32(sh(1), 0))}, loadErr: "want int64"},
	})
}

func TestShapeUnsqueeze(t *testing.T) {
	x := f32(sh(2, 3), 0, 1, 2, 3, 4, 5)
	runOpCases(t, "Unsqueeze", []opCase{
		{name: "front and back", args: []arg{fed(x), cst(i64(sh(2), 0, -1))}, want: []*Tensor{f32(sh(1, 2, 3, 1), 0, 1, 2, 3, 4, 5)}},
		{name: "middle, fed", args: []arg{fed(x), fed(i64(sh(2), 1, 3))}, want: []*Tensor{f32(sh(2, 1, 3, 1), 0, 1, 2, 3, 4, 5)}},
		{name: "scalar", args: []arg{fed(f32(sh(), 3)), cst(i64(sh(1), 0))}, want: []*Tensor{f32(sh(1), 3)}},
		{name: "scalar axes input", args: []arg{fed(x), cst(i64(sh(), 0))}, want: []*Tensor{f32(sh(1, 2, 3), 0, 1, 2, 3, 4, 5)}},
		{name: "empty axes", args: []arg{fed(x), cst(i64(sh(0)))}, want: []*Tensor{x}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(1), 1))}, want: []*Tensor{f32(sh(0, 1, 3))}},
		{name: "v11 attribute", opset: 11, attrs: with(attrInts("axes", -1)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(2, 3, 1), 0, 1, 2, 3, 4, 5)}},
		{name: "v1 attribute", opset: 9, attrs: with(attrInts("axes", 0)), args: []arg{fed(bools(sh(1), true))}, want: []*Tensor{bools(sh(1, 1), true)}},
		{name: "opset 21", opset: 21, args: []arg{fed(strs(sh(1), "a")), fed(i64(sh(1), -2))}, want: []*Tensor{strs(sh(1, 1), "a")}},
		{name: "duplicate", args: []arg{fed(x), cst(i64(sh(2), 1, 1))}, loadErr: "duplicate"},
		{name: "duplicate after normalizing", args: []arg{fed(x), fed(i64(sh(2), 3, -1))}, runErr: "duplicate"},
		{name: "out of range", args: []arg{fed(x), fed(i64(sh(1), 3))}, runErr: "out of range"},
		{name: "no axes", args: []arg{fed(x)}, loadErr: "has 1 inputs, want 2"},
		{name: "rank above the limit", args: []arg{fed(x), cst(i64(sh(maxRank+1), make([]int64, maxRank+1)...))}, loadErr: "rank 257"},
		{name: "fed rank above the limit", args: []arg{fed(x), fed(i64(sh(maxRank), make([]int64, maxRank)...))}, runErr: "rank 258"},
		{name: "v11 without axes", opset: 11, args: []arg{fed(x)}, loadErr: `missing required attribute "axes"`},
	})
}

func TestShapeTranspose(t *testing.T) {
	x := f32(sh(2, 3), 0, 1, 2, 3, 4, 5)
	x234 := make([]float32, 24)
	for i := range x234 {
		x234[i] = float32(i)
	}
	runOpCases(t, "Transpose", []opCase{
		{name: "default reverses", args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 2), 0, 3, 1, 4, 2, 5)}},
		{name: "identity perm", attrs: with(attrInts("perm", 0, 1)), args: []arg{fed(x)}, want: []*Tensor{x}},
		{name: "3-D", attrs: with(attrInts("perm", 1, 2, 0)), args: []arg{fed(f32(sh(2, 3, 4), x234...))},
			want: []*Tensor{f32(sh(3, 4, 2), 0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23)}},
		{name: "unit axis moves for free", attrs: with(attrInts("perm", 1, 0)), args: []arg{fed(f32(sh(1, 3), 1, 2, 3))}, want: []*Tensor{f32(sh(3, 1), 1, 2, 3)}},
		{name: "scalar", args: []arg{fed(f32(sh(), 3))}, want: []*Tensor{f32(sh(), 3)}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 3)))}, want: []*Tensor{f32(sh(3, 0))}},
		{name: "strings", args: []arg{fed(strs(sh(2, 2), "a", "b", "c", "d"))}, want: []*Tensor{strs(sh(2, 2), "a", "c", "b", "d")}},
		{name: "int64 opset 21", opset: 21, args: []arg{fed(i64(sh(1, 2), 7, 8))}, want: []*Tensor{i64(sh(2, 1), 7, 8)}},
		{name: "repeated perm", attrs: with(attrInts("perm", 0, 0)), args: []arg{fed(x)}, loadErr: "0 is repeated"},
		{name: "perm out of range", attrs: with(attrInts("perm", 0, 2)), args: []arg{fed(x)}, loadErr: "2 is out of range"},
		{name: "perm of another rank", attrs: with(attrInts("perm", 1, 0)), args: []arg{fed(f32(sh(1, 1, 1), 1))}, runErr: "does not match input rank 3"},
	})
}

func TestShapeShapeAndSize(t *testing.T) {
	x := f32(sh(2, 2, 3))
	x.Float32 = make([]float32, 12)
	runOpCases(t, "Shape", []opCase{
		{name: "all", args: []arg{fed(x)}, want: []*Tensor{i64(sh(3), 2, 2, 3)}},
		{name: "start 1", opset: 15, attrs: with(attrInt("start", 1)), args: []arg{fed(x)}, want: []*Tensor{i64(sh(2), 2, 3)}},
		{name: "start -1", opset: 15, attrs: with(attrInt("start", -1)), args: []arg{fed(x)}, want: []*Tensor{i64(sh(1), 3)}},
		{name: "clamped", opset: 15, attrs: with(attrInt("start", -10), attrInt("end", 10)), args: []arg{fed(x)}, want: []*Tensor{i64(sh(3), 2, 2, 3)}},
		{name: "empty range", opset: 15, attrs: with(attrInt("start", 2), attrInt("end", 1)), args: []arg{fed(x)}, want: []*Tensor{i64(sh(0))}},
		{name: "scalar", args: []arg{fed(f32(sh(), 1))}, want: []*Tensor{i64(sh(0))}},
		{name: "strings", args: []arg{fed(strs(sh(0, 2)))}, want: []*Tensor{i64(sh(2), 0, 2)}},
		{name: "opset 19", opset: 19, attrs: with(attrInt("end", -1)), args: []arg{fed(x)}, want: []*Tensor{i64(sh(2), 2, 2)}},
		{name: "opset 21", opset: 21, args: []arg{fed(bools(sh(0)))}, want: []*Tensor{i64(sh(1), 0)}},
		{name: "start before opset 15", opset: 13, attrs: with(attrInt("start", 1)), args: []arg{fed(x)}, loadErr: `unknown attribute "start"`},
	})
	runOpCases(t, "Size", []opCase{
		{name: "elements", args: []arg{fed(x)}, want: []*Tensor{i64(sh(), 12)}},
		{name: "empty", args: []arg{fed(f32(sh(0, 3)))}, want: []*Tensor{i64(sh(), 0)}},
		{name: "opset 1", opset: 1, args: []arg{fed(f32(sh(2), 1, 2))}, want: []*Tensor{i64(sh(), 2)}},
		{name: "opset 19", opset: 19, args: []arg{fed(i32(sh(1, 3), 1, 2, 3))}, want: []*Tensor{i64(sh(), 3)}},
		{name: "scalar string", opset: 21, args: []arg{fed(strs(sh(), "a"))}, want: []*Tensor{i64(sh(), 1)}},
	})
}
