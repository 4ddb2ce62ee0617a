package onnx

import "testing"

func TestShapeConcat(t *testing.T) {
	x := f32(sh(2, 3), 0, 1, 2, 3, 4, 5)
	runOpCases(t, "Concat", []opCase{
		{name: "axis 1", attrs: with(attrInt("axis", 1)), args: []arg{fed(x), fed(f32(sh(2, 1), 8, 9))},
			want: []*Tensor{f32(sh(2, 4), 0, 1, 2, 8, 3, 4, 5, 9)}},
		{name: "axis -1 three inputs", attrs: with(attrInt("axis", -1)), args: []arg{fed(f32(sh(2, 1), 1, 2)), cst(f32(sh(2, 1), 3, 4)), fed(f32(sh(2, 1), 5, 6))},
			want: []*Tensor{f32(sh(2, 3), 1, 3, 5, 2, 4, 6)}},
		{name: "axis 0", attrs: with(attrInt("axis", 0)), args: []arg{fed(x), fed(f32(sh(1, 3), 7, 8, 9))},
			want: []*Tensor{f32(sh(3, 3), 0, 1, 2, 3, 4, 5, 7, 8, 9)}},
		{name: "empty input on the axis", attrs: with(attrInt("axis", 0)), args: []arg{fed(x), fed(f32(sh(0, 3)))}, want: []*Tensor{x}},
		{name: "empty input across the axis", attrs: with(attrInt("axis", 1)), args: []arg{fed(x), fed(f32(sh(2, 0)))}, want: []*Tensor{x}},
		{name: "all empty", attrs: with(attrInt("axis", 0)), args: []arg{fed(f32(sh(0))), fed(f32(sh(0)))}, want: []*Tensor{f32(sh(0))}},
		{name: "empty batch", attrs: with(attrInt("axis", 1)), args: []arg{fed(f32(sh(0, 2))), fed(f32(sh(0, 1)))}, want: []*Tensor{f32(sh(0, 3))}},
		{name: "strings", attrs: with(attrInt("axis", 0)), args: []arg{fed(strs(sh(2), "a", "b")), fed(strs(sh(1), "c"))}, want: []*Tensor{strs(sh(3), "a", "b", "c")}},
		{name: "int64 v4", opset: 4, attrs: with(attrInt("axis", 0)), args: []arg{fed(i64(sh(1), 1)), fed(i64(sh(1), 2))}, want: []*Tensor{i64(sh(2), 1, 2)}},
		{name: "no axis", args: []arg{fed(x), fed(x)}, loadErr: `missing required attribute "axis"`},
		{name: "v1", opset: 3, attrs: with(attrInt("axis", 0)), args: []arg{fed(x)}, loadErr: "not supported"},
		{name: "mixed types", attrs: with(attrInt("axis", 0)), args: []arg{fed(x), fed(i64(sh(1, 3), 1, 2, 3))}, loadErr: "different element types"},
		{name: "mismatched dimension", attrs: with(attrInt("axis", 0)), args: []arg{fed(x), fed(f32(sh(1, 2), 1, 2))}, runErr: "dimension 1 differs"},
		{name: "empty input of another rank", attrs: with(attrInt("axis", 1)), args: []arg{fed(x), fed(f32(sh(0)))}, runErr: "ranks differ"},
		{name: "empty input with another dimension", attrs: with(attrInt("axis", 1)), args: []arg{fed(x), fed(f32(sh(0, 3)))}, runErr: "dimension 0 differs"},
		{name: "scalars", attrs: with(attrInt("axis", 0)), args: []arg{fed(f32(sh(), 1)), fed(f32(sh(), 2))}, runErr: "cannot concatenate scalars"},
		{name: "axis out of range", attrs: with(attrInt("axis", 2)), args: []arg{fed(x)}, runErr: "out of range"},
	})
}

func TestShapeSplit(t *testing.T) {
	x := f32(sh(2, 3), 0, 1, 2, 3, 4, 5)
	x6 := f32(sh(6), 0, 1, 2, 3, 4, 5)
	runOpCases(t, "Split", []opCase{
		{name: "equal", attrs: with(attrInt("axis", 1)), args: []arg{fed(x)},
			want: []*Tensor{f32(sh(2, 1), 0, 3), f32(sh(2, 1), 1, 4), f32(sh(2, 1), 2, 5)}},
		{name: "v2 split attribute", opset: 2, attrs: with(attrInt("axis", 1), attrInts("split", 1, 2)), args: []arg{fed(x)},
			want: []*Tensor{f32(sh(2, 1), 0, 3), f32(sh(2, 2), 1, 2, 4, 5)}},
		{name: "v11 negative axis", opset: 11, attrs: with(attrInt("axis", -1), attrInts("split", 2, 1)), args: []arg{fed(x)},
			want: []*Tensor{f32(sh(2, 2), 0, 1, 3, 4), f32(sh(2, 1), 2, 5)}},
		{name: "v13 split input", opset: 13, args: []arg{fed(x6), cst(i64(sh(2), 2, 4))}, want: []*Tensor{f32(sh(2), 0, 1), f32(sh(4), 2, 3, 4, 5)}},
		{name: "v13 split fed", opset: 13, args: []arg{fed(x6), fed(i64(sh(2), 6, 0))}, want: []*Tensor{x6, f32(sh(0))}},
		{name: "v13 empty split input", opset: 13, args: []arg{fed(x6), cst(i64(sh(0)))}, want: []*Tensor{f32(sh(3), 0, 1, 2), f32(sh(3), 3, 4, 5)}},
		{name: "v18 num_outputs uneven", opset: 18, attrs: with(attrInt("num_outputs", 3)), args: []arg{fed(f32(sh(7), 0, 1, 2, 3, 4, 5, 6))},
			want: []*Tensor{f32(sh(3), 0, 1, 2), f32(sh(3), 3, 4, 5), f32(sh(1), 6)}},
		{name: "v18 num_outputs axis 1", opset: 18, attrs: with(attrInt("axis", 1), attrInt("num_outputs", 2)), args: []arg{fed(x)},
			want: []*Tensor{f32(sh(2, 2), 0, 1, 3, 4), f32(sh(2, 1), 2, 5)}},
		{name: "strings", args: []arg{fed(strs(sh(2), "a", "b"))}, want: []*Tensor{strs(sh(1), "a"), strs(sh(1), "b")}},
		{name: "empty batch", attrs: with(attrInt("axis", 1)), args: []arg{fed(f32(sh(0, 2)))}, want: []*Tensor{f32(sh(0, 1)), f32(sh(0, 1))}},
		{name: "v18 num_outputs 6 of 4", opset: 18, attrs: with(attrInt("num_outputs", 4)), args: []arg{fed(x6)}, outs: 4, runErr: "into 4 pieces of 2"},
		{name: "v18 num_outputs above the dimension", opset: 18, attrs: with(attrInt("num_outputs", 3)), args: []arg{fed(f32(sh(2), 1, 2))}, outs: 3, runErr: "into 3 pieces"},
		{name: "v18 num_outputs and split", opset: 18, attrs: with(attrInt("num_outputs", 2)), args: []arg{fed(x6), cst(i64(sh(2), 3, 3))}, outs: 2, loadErr: "both given"},
		{name: "v18 num_outputs 0", opset: 18, attrs: with(attrInt("num_outputs", 0)), args: []arg{fed(x6)}, outs: 2, loadErr: "want at least 1"},
		{name: "uneven without sizes", args: []arg{fed(x)}, attrs: with(attrInt("axis", 1)), outs: 2, runErr: "evenly"},
		{name: "sizes short of the dimension", opset: 13, args: []arg{fed(x6), fed(i64(sh(2), 1, 1))}, outs: 2, runErr: "do not add up"},
		{name: "sizes for other outputs", opset: 13, args: []arg{fed(x6), cst(i64(sh(3), 1, 1, 4))}, outs: 2, loadErr: "3 sizes for 2 outputs"},
		{name: "negative size", opset: 13, args: []arg{fed(x6), fed(i64(sh(2), 7, -1))}, outs: 2, runErr: "out of range"},
		{name: "split attribute at opset 13", opset: 13, attrs: with(attrInts("split", 3, 3)), args: []arg{fed(x6)}, outs: 2, loadErr: `unknown attribute "split"`},
		{name: "v1", opset: 1, args: []arg{fed(x6)}, outs: 2, loadErr: "not supported"},
		{name: "scalar", args: []arg{fed(f32(sh(), 1))}, runErr: "out of range"},
	})
}
