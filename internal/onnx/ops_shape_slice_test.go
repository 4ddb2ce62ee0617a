package onnx

import "testing"

func TestShapeSlice(t *testing.T) {
	x := f32(sh(10), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	x23 := f32(sh(2, 3), 0, 1, 2, 3, 4, 5)
	s := func(start, end, step int64) []arg {
		return []arg{fed(x), cst(i64(sh(1), start)), cst(i64(sh(1), end)), cst(i64(sh(1), 0)), cst(i64(sh(1), step))}
	}
	const maxI64, minI64 = int64(^uint64(0) >> 1), -int64(^uint64(0)>>1) - 1
	runOpCases(t, "Slice", []opCase{
		{name: "basic", args: s(2, 5, 1), want: []*Tensor{f32(sh(3), 2, 3, 4)}},
		{name: "negative step from the end", args: s(-1, -100, -1), want: []*Tensor{f32(sh(10), 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)}},
		{name: "start past the end, step -2", args: s(20, 0, -2), want: []*Tensor{f32(sh(5), 9, 7, 5, 3, 1)}},
		{name: "INT64_MIN end, step -1", args: s(9, minI64, -1), want: []*Tensor{f32(sh(10), 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)}},
		{name: "INT64_MIN start", args: s(minI64, maxI64, 1), want: []*Tensor{x}},
		{name: "INT32_MAX end", args: s(0, 1<<31-1, 3), want: []*Tensor{f32(sh(4), 0, 3, 6, 9)}},
		{name: "INT32_MIN end, step -1", args: s(0, -1<<31, -1), want: []*Tensor{f32(sh(1), 0)}},
		{name: "huge step", args: s(0, 10, maxI64), want: []*Tensor{f32(sh(1), 0)}},
		{name: "INT64_MIN step", args: s(9, 0, minI64), want: []*Tensor{f32(sh(1), 9)}},
		{name: "empty", args: s(5, 5, 1), want: []*Tensor{f32(sh(0))}},
		{name: "int32 parameters", args: []arg{fed(x), cst(i32(sh(1), 2)), cst(i32(sh(1), 1<<31-1)), cst(i32(sh(1), 0)), cst(i32(sh(1), 3))}, want: []*Tensor{f32(sh(3), 2, 5, 8)}},
		{name: "fed parameters", args: []arg{fed(x23), fed(i64(sh(2), 1, 0)), fed(i64(sh(2), 2, 3)), fed(i64(sh(2), 0, 1)), fed(i64(sh(2), 1, 2))}, want: []*Tensor{f32(sh(1, 2), 3, 5)}},
		{name: "axes omitted, steps given", args: []arg{fed(x23), cst(i64(sh(2), 0, 2)), cst(i64(sh(2), 2, -4)), none(), cst(i64(sh(2), 1, -1))}, want: []*Tensor{f32(sh(2, 3), 2, 1, 0, 5, 4, 3)}},
		{name: "negative axis", args: []arg{fed(x23), cst(i64(sh(1), 1)), cst(i64(sh(1), 2)), cst(i64(sh(1), -1))}, want: []*Tensor{f32(sh(2, 1), 1, 4)}},
		{name: "empty starts", args: []arg{fed(x), cst(i64(sh(0))), cst(i64(sh(0)))}, want: []*Tensor{x}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(1), 1)), cst(i64(sh(1), 3)), cst(i64(sh(1), 1))}, want: []*Tensor{f32(sh(0, 2))}},
		{name: "strings", args: []arg{fed(strs(sh(3), "a", "b", "c")), cst(i64(sh(1), -1)), cst(i64(sh(1), -4)), cst(i64(sh(1), 0)), cst(i64(sh(1), -1))}, want: []*Tensor{strs(sh(3), "c", "b", "a")}},
		{name: "v1 attributes", opset: 9, attrs: with(attrInts("starts", -3), attrInts("ends", 100)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(3), 7, 8, 9)}},
		{name: "v1 negative axis", opset: 9, attrs: with(attrInts("starts", 1), attrInts("ends", 2), attrInts("axes", -2)), args: []arg{fed(x23)}, want: []*Tensor{f32(sh(1, 3), 3, 4, 5)}},
		{name: "v1 strings", opset: 1, attrs: with(attrInts("starts", 1), attrInts("ends", 9)), args: []arg{fed(strs(sh(3), "a", "b", "c"))}, want: []*Tensor{strs(sh(2), "b", "c")}},
		{name: "v1 start after end", opset: 9, attrs: with(attrInts("starts", 5), attrInts("ends", 2)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(0))}},
		{name: "v1 length mismatch", opset: 9, attrs: with(attrInts("starts", 1, 2), attrInts("ends", 3)), args: []arg{fed(x)}, loadErr: "ends has 1 values and starts has 2"},
		{name: "v1 missing ends", opset: 9, attrs: with(attrInts("starts", 1)), args: []arg{fed(x)}, loadErr: `missing required attribute "ends"`},
		{name: "mixed index types", args: []arg{fed(x), cst(i32(sh(1), 2)), cst(i64(sh(1), 7))}, loadErr: "different element types"},
		{name: "float starts", args: []arg{fed(x), fed(f32(sh(1), 2)), cst(i64(sh(1), 7))}, loadErr: "want int32 or int64"},
		{name: "duplicate axes", args: []arg{fed(x), cst(i64(sh(2), 2, 1)), cst(i64(sh(2), 7, 1)), cst(i64(sh(2), 0, 0))}, runErr: "axis 0 twice"},
		{name: "too many starts", args: []arg{fed(x), cst(i64(sh(2), 2, 1)), cst(i64(sh(2), 7, 1))}, runErr: "out of range"},
		{name: "zero step", args: s(0, 5, 0), runErr: "steps has a 0"},
		{name: "scalar", args: []arg{fed(f32(sh(), 3)), cst(i64(sh(0))), cst(i64(sh(0)))}, runErr: "cannot slice a scalar"},
		{name: "scalar starts", args: []arg{fed(x), fed(i64(sh(), 2)), fed(i64(sh(), 5))}, runErr: "must be 1-D"},
		{name: "fed length mismatch", args: []arg{fed(x), fed(i64(sh(1), 2)), fed(i64(sh(2), 5, 6))}, runErr: "ends has 2 values and starts has 1"},
	})
}

func TestShapeExpand(t *testing.T) {
	x := f32(sh(3, 1), 0, 1, 2)
	runOpCases(t, "Expand", []opCase{
		{name: "both ways", args: []arg{fed(x), cst(i64(sh(3), 2, 1, 4))},
			want: []*Tensor{f32(sh(2, 3, 4), 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2)}},
		{name: "smaller shape", args: []arg{fed(x), cst(i64(sh(1), 1))}, want: []*Tensor{x}},
		{name: "empty shape", args: []arg{fed(x), cst(i64(sh(0)))}, want: []*Tensor{x}},
		{name: "to zero", args: []arg{fed(x), fed(i64(sh(2), 3, 0))}, want: []*Tensor{f32(sh(3, 0))}},
		{name: "scalar", args: []arg{fed(f32(sh(), 5)), fed(i64(sh(2), 2, 2))}, want: []*Tensor{f32(sh(2, 2), 5, 5, 5, 5)}},
		{name: "strings", args: []arg{fed(strs(sh(1), "a")), cst(i64(sh(1), 2))}, want: []*Tensor{strs(sh(2), "a", "a")}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 1))), cst(i64(sh(2), 1, 3))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "incompatible", args: []arg{fed(x), fed(i64(sh(2), 2, 3))}, runErr: "cannot expand shape [3,1] to [2,3]"},
		{name: "negative at run time", args: []arg{fed(x), fed(i64(sh(2), -1, 4))}, runErr: "cannot expand"},
		{name: "negative constant", args: []arg{fed(x), cst(i64(sh(2), -1, 4))}, loadErr: "negative dimension"},
		{name: "int32 shape", args: []arg{fed(x), cst(i32(sh(1), 2))}, loadErr: "want int64"},
	})
}

func TestShapeTile(t *testing.T) {
	runOpCases(t, "Tile", []opCase{
		{name: "rows", args: []arg{fed(x23), cst(i64(sh(2), 2, 1))}, want: []*Tensor{f32(sh(4, 3), 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5)}},
		{name: "both", args: []arg{fed(f32(sh(1, 2), 1, 2)), fed(i64(sh(2), 2, 2))}, want: []*Tensor{f32(sh(2, 4), 1, 2, 1, 2, 1, 2, 1, 2)}},
		{name: "zero", args: []arg{fed(x23), cst(i64(sh(2), 1, 0))}, want: []*Tensor{f32(sh(2, 0))}},
		{name: "scalar", args: []arg{fed(f32(sh(), 1)), cst(i64(sh(0)))}, want: []*Tensor{f32(sh(), 1)}},
		{name: "strings", args: []arg{fed(strs(sh(2), "a", "b")), cst(i64(sh(1), 2))}, want: []*Tensor{strs(sh(4), "a", "b", "a", "b")}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 2))), cst(i64(sh(2), 3, 2))}, want: []*Tensor{f32(sh(0, 4))}},
		{name: "negative constant", args: []arg{fed(x23), cst(i64(sh(2), -1, 1))}, loadErr: "negative value"},
		{name: "negative fed", args: []arg{fed(x23), fed(i64(sh(2), -1, 1))}, runErr: "out of range"},
		{name: "wrong length", args: []arg{fed(x23), cst(i64(sh(1), 2))}, runErr: "1 values for input rank 2"},
		{name: "2-D repeats", args: []arg{fed(x23), fed(i64(sh(1, 2), 2, 1))}, runErr: "must be 1-D"},
		{name: "too large", args: []arg{fed(x23), fed(i64(sh(2), 1<<20, 1<<20))}, runErr: "more than"},
		{name: "v1", opset: 5, args: []arg{fed(x23), cst(i64(sh(), 2)), cst(i64(sh(), 1))}, loadErr: "not supported"},
	})
}

func TestShapeTrilu(t *testing.T) {
	x := f32(sh(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	runOpCases(t, "Trilu", []opCase{
		{name: "upper", args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 4), 0, 1, 2, 3, 0, 5, 6, 7, 0, 0, 10, 11)}},
		{name: "lower", attrs: with(attrInt("upper", 0)), args: []arg{fed(x)}, want: []*Tensor{f32(sh(3, 4), 0, 0, 0, 0, 4, 5, 0, 0, 8, 9, 10, 0)}},
		{name: "upper k=-1", args: []arg{fed(x), cst(i64(sh(), -1))}, want: []*Tensor{f32(sh(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11)}},
		{name: "lower k=2", attrs: with(attrInt("upper", 0)), args: []arg{fed(x), fed(i64(sh(), 2))}, want: []*Tensor{f32(sh(3, 4), 0, 1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11)}},
		{name: "upper k past the end", args: []arg{fed(x), cst(i64(sh(), 1<<62))}, want: []*Tensor{f32(sh(3, 4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)}},
		{name: "lower k before the start", attrs: with(attrInt("upper", 0)), args: []arg{fed(x), cst(i64(sh(), -1<<62))}, want: []*Tensor{f32(sh(3, 4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)}},
		{name: "k of shape [1]", args: []arg{fed(x), cst(i64(sh(1), 1))}, want: []*Tensor{f32(sh(3, 4), 0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 11)}},
		{name: "batched", args: []arg{fed(f32(sh(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7))}, want: []*Tensor{f32(sh(2, 2, 2), 0, 1, 0, 3, 4, 5, 0, 7)}},
		{name: "bools", args: []arg{fed(bools(sh(2, 2), true, true, true, true))}, want: []*Tensor{bools(sh(2, 2), true, true, false, true)}},
		{name: "strings", args: []arg{fed(strs(sh(2, 2), "a", "b", "c", "d"))}, want: []*Tensor{strs(sh(2, 2), "a", "b", "", "d")}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 2, 2)))}, want: []*Tensor{f32(sh(0, 2, 2))}},
		{name: "1-D", args: []arg{fed(f32(sh(3), 1, 2, 3))}, runErr: "rank below 2"},
		{name: "upper 2", attrs: with(attrInt("upper", 2)), args: []arg{fed(x)}, loadErr: "want 0 or 1"},
		{name: "two ks", args: []arg{fed(x), fed(i64(sh(2), 1, 2))}, runErr: "want a scalar"},
	})
}
