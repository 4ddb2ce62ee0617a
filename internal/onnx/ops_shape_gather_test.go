package onnx

import (
	"math"
	"testing"
)

func TestShapeGather(t *testing.T) {
	runOpCases(t, "Gather", []opCase{
		{name: "rows with a negative index", args: []arg{fed(x23), cst(i64(sh(2), -1, 0))}, want: []*Tensor{f32(sh(2, 3), 3, 4, 5, 0, 1, 2)}},
		{name: "scalar index", args: []arg{fed(x23), fed(i64(sh(), 1))}, want: []*Tensor{f32(sh(3), 3, 4, 5)}},
		{name: "2-D int32 indices on axis 1", attrs: with(attrInt("axis", 1)), args: []arg{fed(x23), fed(i32(sh(2, 2), 0, 1, 1, 0))},
			want: []*Tensor{f32(sh(2, 2, 2), 0, 1, 1, 0, 3, 4, 4, 3)}},
		{name: "axis -1", attrs: with(attrInt("axis", -1)), args: []arg{fed(x23), cst(i64(sh(1), 0))}, want: []*Tensor{f32(sh(2, 1), 0, 3)}},
		{name: "no indices", args: []arg{fed(x23), cst(i64(sh(0)))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "from an empty batch", attrs: with(attrInt("axis", 1)), args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(2), 0, 0))}, want: []*Tensor{f32(sh(0, 2))}},
		{name: "strings", args: []arg{fed(strs(sh(3), "a", "b", "c")), cst(i64(sh(3), 2, -3, 2))}, want: []*Tensor{strs(sh(3), "c", "a", "c")}},
		// onnxruntime 1.30 copies only the first string of each row here
		// (["c", "", "a", ""]); the engine copies the rows.
		{name: "string rows", args: []arg{fed(strs(sh(2, 2), "a", "b", "c", "d")), cst(i64(sh(2), 1, 0))}, want: []*Tensor{strs(sh(2, 2), "c", "d", "a", "b")}},
		{name: "v1 negative index", opset: 9, args: []arg{fed(x23), cst(i64(sh(1), -1))}, want: []*Tensor{f32(sh(1, 3), 3, 4, 5)}},
		{name: "index past the end", args: []arg{fed(x23), cst(i64(sh(1), 2))}, runErr: "index 2 is out of range"},
		{name: "index before the start", args: []arg{fed(x23), fed(i64(sh(1), -3))}, runErr: "index -3 is out of range"},
		{name: "from an empty axis", args: []arg{fed(f32(sh(0, 3))), cst(i64(sh(1), 0))}, runErr: "out of range"},
		{name: "axis out of range", attrs: with(attrInt("axis", 2)), args: []arg{fed(x23), cst(i64(sh(1), 0))}, runErr: "axis 2 is out of range"},
		{name: "scalar data", args: []arg{fed(f32(sh(), 1)), cst(i64(sh(1), 0))}, runErr: "out of range"},
		{name: "float indices", args: []arg{fed(x23), fed(f32(sh(1), 0))}, loadErr: "want int32 or int64"},
	})
}

func TestShapeGatherElements(t *testing.T) {
	runOpCases(t, "GatherElements", []opCase{
		{name: "axis 0", args: []arg{fed(x23), cst(i64(sh(1, 3), 1, 0, 1))}, want: []*Tensor{f32(sh(1, 3), 3, 1, 5)}},
		{name: "more indices than data on the axis", args: []arg{fed(x23), cst(i64(sh(3, 3), 1, 0, 1, 0, 0, 0, 1, 1, 1))},
			want: []*Tensor{f32(sh(3, 3), 3, 1, 5, 0, 1, 2, 3, 4, 5)}},
		{name: "negative, axis 1, int32", attrs: with(attrInt("axis", 1)), args: []arg{fed(x23), fed(i32(sh(1, 3), -1, 0, -2))}, want: []*Tensor{f32(sh(1, 3), 2, 0, 1)}},
		{name: "axis -1 3-D", attrs: with(attrInt("axis", -1)), args: []arg{fed(f32(sh(2, 1, 2), 1, 2, 3, 4)), fed(i64(sh(2, 1, 1), 1, 0))}, want: []*Tensor{f32(sh(2, 1, 1), 2, 3)}},
		{name: "empty", args: []arg{fed(x23), cst(i64(sh(0, 3)))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "strings", args: []arg{fed(strs(sh(2), "a", "b")), cst(i64(sh(3), 1, 1, 0))}, want: []*Tensor{strs(sh(3), "b", "b", "a")}},
		{name: "wider than data", args: []arg{fed(x23), cst(i64(sh(1, 4), 1, 0, 1, 1))}, runErr: "exceeds data shape"},
		{name: "out of range", attrs: with(attrInt("axis", 1)), args: []arg{fed(x23), cst(i64(sh(1, 3), 3, 0, 0))}, runErr: "index 3 is out of range"},
		{name: "rank mismatch", args: []arg{fed(x23), cst(i64(sh(1), 1))}, runErr: "different ranks"},
	})
}

func TestShapeGatherND(t *testing.T) {
	x := f32(sh(2, 2, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	runOpCases(t, "GatherND", []opCase{
		{name: "pairs", args: []arg{fed(x), cst(i64(sh(2, 2), 0, 1, 1, 0))}, want: []*Tensor{f32(sh(2, 3), 3, 4, 5, 6, 7, 8)}},
		{name: "full negative tuple", args: []arg{fed(x), fed(i64(sh(1, 3), -1, -1, -1))}, want: []*Tensor{f32(sh(1), 11)}},
		{name: "batch_dims 1", opset: 12, attrs: with(attrInt("batch_dims", 1)), args: []arg{fed(x), cst(i64(sh(2, 1), 0, 1))}, want: []*Tensor{f32(sh(2, 3), 0, 1, 2, 9, 10, 11)}},
		{name: "batch_dims 1, tuples of 2", attrs: with(attrInt("batch_dims", 1)), args: []arg{fed(x), cst(i64(sh(2, 2), 1, 2, 0, 0))}, want: []*Tensor{f32(sh(2), 5, 6)}},
		{name: "batch_dims 1, 3-D indices", attrs: with(attrInt("batch_dims", 1)), args: []arg{fed(x), cst(i64(sh(2, 1, 2), 0, 1, 1, 1))}, want: []*Tensor{f32(sh(2, 1), 1, 10)}},
		// onnxruntime accepts an index batch that is a multiple of the data
		// batch and maps index batch b to data batch b/(ratio).
		{name: "index batch twice the data batch", attrs: with(attrInt("batch_dims", 1)), args: []arg{fed(x), cst(i64(sh(4, 1), 0, 1, 1, 0))},
			want: []*Tensor{f32(sh(4, 3), 0, 1, 2, 3, 4, 5, 9, 10, 11, 6, 7, 8)}},
		{name: "empty tuples", args: []arg{fed(f32(sh(2), 1, 2)), cst(i64(sh(2, 0)))}, want: []*Tensor{f32(sh(2, 2), 1, 2, 1, 2)}},
		{name: "strings", args: []arg{fed(strs(sh(2, 2), "a", "b", "c", "d")), cst(i64(sh(2, 2), 1, 0, 0, 1))}, want: []*Tensor{strs(sh(2), "c", "b")}},
		{name: "out of range", args: []arg{fed(x), cst(i64(sh(1, 1), 2))}, runErr: "index 2 is out of range"},
		{name: "tuples too long", args: []arg{fed(x), cst(i64(sh(1, 4), 0, 0, 0, 0))}, runErr: "tuples of 4"},
		{name: "index batch not a multiple", attrs: with(attrInt("batch_dims", 1)), args: []arg{fed(x), cst(i64(sh(3, 1), 0, 1, 1))}, runErr: "not a multiple"},
		{name: "batch_dims too large", attrs: with(attrInt("batch_dims", 2)), args: []arg{fed(x), cst(i64(sh(2, 1), 0, 1))}, runErr: "must be less than"},
		{name: "batch_dims at opset 11", opset: 11, attrs: with(attrInt("batch_dims", 1)), args: []arg{fed(x), cst(i64(sh(2, 1), 0, 1))}, loadErr: `unknown attribute "batch_dims"`},
		{name: "int32 indices", args: []arg{fed(x), cst(i32(sh(1, 1), 0))}, loadErr: "want int64"},
	})
}

func TestShapeCompress(t *testing.T) {
	runOpCases(t, "Compress", []opCase{
		{name: "flattened", args: []arg{fed(x23), cst(bools(sh(3), true, false, true))}, want: []*Tensor{f32(sh(2), 0, 2)}},
		{name: "axis 0", attrs: with(attrInt("axis", 0)), args: []arg{fed(x23), fed(bools(sh(2), false, true))}, want: []*Tensor{f32(sh(1, 3), 3, 4, 5)}},
		{name: "longer condition", attrs: with(attrInt("axis", 1)), args: []arg{fed(x23), fed(bools(sh(4), false, true, true, true))}, want: []*Tensor{f32(sh(2, 2), 1, 2, 4, 5)}},
		{name: "shorter condition, axis -1", attrs: with(attrInt("axis", -1)), args: []arg{fed(x23), fed(bools(sh(1), true))}, want: []*Tensor{f32(sh(2, 1), 0, 3)}},
		{name: "flattened, longer", args: []arg{fed(x23), fed(bools(sh(7), true, true, true, true, true, true, true))}, want: []*Tensor{f32(sh(6), 0, 1, 2, 3, 4, 5)}},
		{name: "scalar", args: []arg{fed(f32(sh(), 5)), fed(bools(sh(1), true))}, want: []*Tensor{f32(sh(1), 5)}},
		{name: "strings", args: []arg{fed(strs(sh(2), "a", "b")), fed(bools(sh(2), false, true))}, want: []*Tensor{strs(sh(1), "b")}},
		{name: "empty batch", attrs: with(attrInt("axis", 1)), args: []arg{fed(f32(sh(0, 2))), fed(bools(sh(2), true, false))}, want: []*Tensor{f32(sh(0, 1))}},
		{name: "2-D condition", args: []arg{fed(x23), fed(bools(sh(1, 1), true))}, runErr: "1-D bool"},
		{name: "float condition", args: []arg{fed(x23), fed(f32(sh(1), 1))}, loadErr: "want bool"},
		{name: "axis on a scalar", attrs: with(attrInt("axis", 0)), args: []arg{fed(f32(sh(), 5)), fed(bools(sh(1), true))}, runErr: "out of range"},
	})
}

func TestShapeNonZero(t *testing.T) {
	nan := float32(math.NaN())
	runOpCases(t, "NonZero", []opCase{
		{name: "2-D", args: []arg{fed(f32(sh(2, 2), 1, 0, 0, 2.5))}, want: []*Tensor{i64(sh(2, 2), 0, 1, 0, 1)}},
		{name: "NaN is non-zero, -0 is zero", args: []arg{fed(f32(sh(3), nan, 0, float32(math.Copysign(0, -1))))}, want: []*Tensor{i64(sh(1, 1), 0)}},
		{name: "scalar", args: []arg{fed(f32(sh(), 3))}, want: []*Tensor{i64(sh(1, 1), 0)}},
		{name: "zero scalar", args: []arg{fed(f32(sh(), 0))}, want: []*Tensor{i64(sh(1, 0))}},
		{name: "bools", args: []arg{fed(bools(sh(2), true, false))}, want: []*Tensor{i64(sh(1, 1), 0)}},
		{name: "int32", args: []arg{fed(i32(sh(3), 0, 4, 5))}, want: []*Tensor{i64(sh(1, 2), 1, 2)}},
		{name: "float64", args: []arg{fed(f64(sh(2, 1), 0, 7))}, want: []*Tensor{i64(sh(2, 1), 1, 0)}},
		{name: "strings", args: []arg{fed(strs(sh(2), "", "x"))}, want: []*Tensor{i64(sh(1, 1), 1)}},
		{name: "empty batch", args: []arg{fed(f32(sh(0, 3)))}, want: []*Tensor{i64(sh(2, 0))}},
	})
}

func TestShapeOneHot(t *testing.T) {
	runOpCases(t, "OneHot", []opCase{
		{name: "negative and out-of-range indices", args: []arg{fed(i64(sh(5), 0, 2, -1, 3, -4)), cst(i64(sh(), 3)), cst(i64(sh(2), 0, 1))},
			want: []*Tensor{i64(sh(5, 3), 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)}},
		{name: "axis 0", attrs: with(attrInt("axis", 0)), args: []arg{fed(i64(sh(2, 2), 0, 1, 2, 0)), cst(i64(sh(), 3)), cst(f32(sh(2), 0, 1))},
			want: []*Tensor{f32(sh(3, 2, 2), 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0)}},
		{name: "depth of shape [1]", args: []arg{fed(i64(sh(2), 0, 1)), cst(i64(sh(1), 3)), cst(i64(sh(2), 0, 1))}, want: []*Tensor{i64(sh(2, 3), 1, 0, 0, 0, 1, 0)}},
		{name: "strings", args: []arg{fed(i64(sh(2), 0, 1)), cst(i64(sh(), 3)), cst(strs(sh(2), "no", "yes"))}, want: []*Tensor{strs(sh(2, 3), "yes", "no", "no", "no", "yes", "no")}},
		// Float indices select a position only when integral (onnxruntime
		// compares them with each position).
		{name: "float indices", args: []arg{fed(f32(sh(4), 0.7, 1, -1, -0.5)), cst(f32(sh(), 3)), cst(f32(sh(2), 0, 1))},
			want: []*Tensor{f32(sh(4, 3), 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0)}},
		{name: "float depth truncates", args: []arg{fed(i32(sh(1), 2)), cst(f32(sh(), 3.7)), cst(f32(sh(2), 0, 1))}, want: []*Tensor{f32(sh(1, 3), 0, 0, 1)}},
		{name: "empty batch", args: []arg{fed(i64(sh(0))), cst(i64(sh(), 3)), cst(i64(sh(2), 0, 1))}, want: []*Tensor{i64(sh(0, 3))}},
		{name: "depth 0", args: []arg{fed(i64(sh(1), 0)), fed(i64(sh(), 0)), cst(i64(sh(2), 0, 1))}, runErr: "depth 0 is out of range"},
		{name: "three values", args: []arg{fed(i64(sh(1), 0)), cst(i64(sh(), 2)), cst(i64(sh(3), 0, 1, 2))}, loadErr: "want [2]"},
		{name: "axis out of range", attrs: with(attrInt("axis", 2)), args: []arg{fed(i64(sh(1), 0)), cst(i64(sh(), 2)), cst(i64(sh(2), 0, 1))}, runErr: "out of range"},
		{name: "scalar indices", args: []arg{fed(i64(sh(), 0)), cst(i64(sh(), 2)), cst(i64(sh(2), 0, 1))}, runErr: "rank 1 or more"},
		{name: "string indices", args: []arg{fed(strs(sh(1), "0")), cst(i64(sh(), 2)), cst(i64(sh(2), 0, 1))}, loadErr: "indices has element type string"},
	})
}
