package onnx

import "testing"

func TestShapePad(t *testing.T) {
	pads := func(v ...int64) arg { return cst(i64(sh(len(v)), v...)) }
	empty := f32(sh(0, 3))
	runOpCases(t, "Pad", []opCase{
		{name: "constant zeros", args: []arg{fed(x23), pads(1, 0, 0, 2)}, want: []*Tensor{f32(sh(3, 5), 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 5, 0, 0)}},
		{name: "constant value", args: []arg{fed(x23), pads(1, 0, 0, 2), cst(f32(sh(), 9))}, want: []*Tensor{f32(sh(3, 5), 9, 9, 9, 9, 9, 0, 1, 2, 9, 9, 3, 4, 5, 9, 9)}},
		{name: "crop", args: []arg{fed(x23), pads(-1, 0, 0, -1)}, want: []*Tensor{f32(sh(1, 2), 3, 4)}},
		{name: "crop and pad", args: []arg{fed(x23), pads(1, -1, 1, 2)}, want: []*Tensor{f32(sh(4, 4), 0, 0, 0, 0, 1, 2, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0)}},
		{name: "reflect", attrs: with(attrString("mode", "reflect")), args: []arg{fed(x23), pads(1, 2, 1, 2)},
			want: []*Tensor{f32(sh(4, 7), 5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0, 5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0)}},
		{name: "reflect after a crop", attrs: with(attrString("mode", "reflect")), args: []arg{fed(x23), pads(1, -1, 0, 1)}, want: []*Tensor{f32(sh(3, 3), 4, 5, 4, 1, 2, 1, 4, 5, 4)}},
		{name: "edge", attrs: with(attrString("mode", "edge")), args: []arg{fed(x23), pads(1, 2, 1, 2)},
			want: []*Tensor{f32(sh(4, 7), 0, 0, 0, 1, 2, 2, 2, 0, 0, 0, 1, 2, 2, 2, 3, 3, 3, 4, 5, 5, 5, 3, 3, 3, 4, 5, 5, 5)}},
		{name: "wrap", opset: 19, attrs: with(attrString("mode", "wrap")), args: []arg{fed(x23), pads(1, 2, 1, 2)},
			want: []*Tensor{f32(sh(4, 7), 4, 5, 3, 4, 5, 3, 4, 1, 2, 0, 1, 2, 0, 1, 4, 5, 3, 4, 5, 3, 4, 1, 2, 0, 1, 2, 0, 1)}},
		{name: "wrap a whole period", opset: 19, attrs: with(attrString("mode", "wrap")), args: []arg{fed(x23), pads(2, 3, 0, 0)},
			want: []*Tensor{f32(sh(4, 6), 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5)}},
		{name: "wrap after a crop", opset: 19, attrs: with(attrString("mode", "wrap")), args: []arg{fed(x23), pads(0, -1, 0, 2)}, want: []*Tensor{f32(sh(2, 4), 1, 2, 1, 2, 4, 5, 4, 5)}},
		{name: "axes", opset: 18, args: []arg{fed(x23), pads(1, 1), none(), cst(i64(sh(1), 1))}, want: []*Tensor{f32(sh(2, 5), 0, 0, 1, 2, 0, 0, 3, 4, 5, 0)}},
		{name: "negative axes, int32, fed", opset: 18, args: []arg{fed(x23), fed(i64(sh(2), 1, 1)), none(), fed(i32(sh(1), -2))}, want: []*Tensor{f32(sh(4, 3), 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0)}},
		{name: "pads of shape [1, 4]", args: []arg{fed(x23), fed(i64(sh(1, 4), 0, 1, 0, 0))}, want: []*Tensor{f32(sh(2, 4), 0, 0, 1, 2, 0, 3, 4, 5)}},
		{name: "constant on an empty batch", args: []arg{fed(empty), pads(1, 0, 1, 0)}, want: []*Tensor{f32(sh(2, 3), 0, 0, 0, 0, 0, 0)}},
		{name: "edge across an empty batch", attrs: with(attrString("mode", "edge")), args: []arg{fed(empty), pads(0, 1, 0, 1)}, want: []*Tensor{f32(sh(0, 5))}},
		{name: "crop everything, constant", args: []arg{fed(x23), pads(0, -3, 0, 1)}, want: []*Tensor{f32(sh(2, 1), 0, 0)}},
		{name: "over-crop to empty", args: []arg{fed(x23), pads(0, -4, 0, 1)}, want: []*Tensor{f32(sh(2, 0))}},
		{name: "bools", args: []arg{fed(bools(sh(2), true, false)), pads(1, 1)}, want: []*Tensor{bools(sh(4), false, true, false, false)}},
		{name: "int32 value", args: []arg{fed(i32(sh(2), 1, 2)), pads(1, 1), cst(i32(sh(), 7))}, want: []*Tensor{i32(sh(4), 7, 1, 2, 7)}},
		{name: "strings", args: []arg{fed(strs(sh(2), "a", "b")), pads(1, 1), cst(strs(sh(), "z"))}, want: []*Tensor{strs(sh(4), "z", "a", "b", "z")}},
		{name: "v2 attributes", opset: 2, attrs: with(attrInts("pads", 1, 0, 0, 1), attrFloat("value", 1.5)), args: []arg{fed(x23)},
			want: []*Tensor{f32(sh(3, 4), 1.5, 1.5, 1.5, 1.5, 0, 1, 2, 1.5, 3, 4, 5, 1.5)}},
		{name: "v2 float64", opset: 2, attrs: with(attrInts("pads", 1, 1), attrFloat("value", 2)), args: []arg{fed(f64(sh(1), 5))}, want: []*Tensor{f64(sh(3), 2, 5, 2)}},
		{name: "v2 reflect", opset: 2, attrs: with(attrInts("pads", 0, 1, 0, 1), attrString("mode", "reflect")), args: []arg{fed(x23)},
			want: []*Tensor{f32(sh(2, 5), 1, 0, 1, 2, 1, 4, 3, 4, 5, 4)}},
		{name: "v2 int64", opset: 2, attrs: with(attrInts("pads", 1, 1)), args: []arg{fed(i64(sh(1), 5))}, loadErr: "want float32 or float64"},
		{name: "v1", opset: 1, attrs: with(attrInts("paddings", 1, 1)), args: []arg{fed(x23)}, loadErr: "not supported"},
		{name: "reflect too far", attrs: with(attrString("mode", "reflect")), args: []arg{fed(x23), pads(2, 2, 2, 2)}, runErr: "exceed 1 on axis 0"},
		{name: "reflect on one element", attrs: with(attrString("mode", "reflect")), args: []arg{fed(f32(sh(2, 1), 0, 1)), pads(0, 1, 0, 1)}, runErr: "at least 2 elements"},
		{name: "edge on an empty axis", attrs: with(attrString("mode", "edge")), args: []arg{fed(empty), pads(1, 1, 1, 1)}, runErr: "nothing is left"},
		{name: "edge after cropping everything", attrs: with(attrString("mode", "edge")), args: []arg{fed(x23), pads(0, -3, 0, 1)}, runErr: "nothing is left"},
		{name: "wrap beyond a period", opset: 19, attrs: with(attrString("mode", "wrap")), args: []arg{fed(x23), pads(0, 4, 0, 0)}, runErr: "wrap pad 4 exceeds 3"},
		{name: "negative output", args: []arg{fed(x23), fed(i64(sh(4), 0, -4, 0, 0))}, runErr: "do not fit"},
		{name: "wrong length", args: []arg{fed(x23), pads(1, 1, 1)}, runErr: "3 values for 2 axes"},
		{name: "wrong length for axes", opset: 18, args: []arg{fed(x23), pads(1, 1, 1, 1), none(), cst(i64(sh(1), 0))}, loadErr: "4 values for 1 axes"},
		{name: "value of another type", args: []arg{fed(x23), pads(1, 1, 1, 1), cst(i64(sh(), 1))}, loadErr: "constant_value has element type int64"},
		{name: "two values", args: []arg{fed(x23), pads(1, 1, 1, 1), fed(f32(sh(2), 1, 2))}, runErr: "must be one float32"},
		{name: "scalar", args: []arg{fed(f32(sh(), 1)), pads()}, runErr: "cannot pad a scalar"},
		{name: "unknown mode", attrs: with(attrString("mode", "mirror")), args: []arg{fed(x23), pads(1, 1, 1, 1)}, loadErr: `unsupported value "mirror"`},
		{name: "axes before opset 18", opset: 17, args: []arg{fed(x23), pads(1, 1), none(), cst(i64(sh(1), 0))}, loadErr: "has 4 inputs, want 2 to 3"},
	})
}
