package onnx

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// TestShapeKernelsRefuseGarbage builds every shape kernel at random
// opsets from random attributes and runs it on random inputs (small data
// tensors of every type, index and shape tensors holding extreme values,
// constant or fed): every combination must load and run or give an error,
// never panic, and results must be well-formed tensors.
func TestShapeKernelsRefuseGarbage(t *testing.T) {
	// For each operator: its attributes, and its inputs as "data" (any
	// tensor), "ints" (an int64 or int32 tensor of extreme values), "vec"
	// (1-D int64, the same length for all of a model's), "pads" (about
	// twice the data's rank), "bool", "scalar" (a one-element number),
	// "values" (two elements), "like" (the data's type and shape) or
	// "idx" (int64 or int32 indices of the data's shape).
	ops := map[string]struct {
		attrs  []string
		inputs []string
	}{
		"Reshape":         {[]string{"allowzero", "shape"}, []string{"data", "ints"}},
		"Flatten":         {[]string{"axis"}, []string{"data"}},
		"Squeeze":         {[]string{"axes"}, []string{"data", "ints"}},
		"Unsqueeze":       {[]string{"axes"}, []string{"data", "ints"}},
		"Transpose":       {[]string{"perm"}, []string{"data"}},
		"Shape":           {[]string{"start", "end"}, []string{"data"}},
		"Size":            {nil, []string{"data"}},
		"Concat":          {[]string{"axis"}, []string{"data", "data", "data"}},
		"Split":           {[]string{"axis", "split", "num_outputs"}, []string{"data", "ints"}},
		"Slice":           {[]string{"starts", "ends", "axes"}, []string{"data", "vec", "vec", "vec", "vec"}},
		"Gather":          {[]string{"axis"}, []string{"data", "ints"}},
		"GatherElements":  {[]string{"axis"}, []string{"data", "ints"}},
		"GatherND":        {[]string{"batch_dims"}, []string{"data", "ints"}},
		"Compress":        {[]string{"axis"}, []string{"data", "bool"}},
		"NonZero":         {nil, []string{"data"}},
		"OneHot":          {[]string{"axis"}, []string{"ints", "scalar", "values"}},
		"Expand":          {nil, []string{"data", "ints"}},
		"Tile":            {nil, []string{"data", "ints"}},
		"Pad":             {[]string{"mode", "pads", "value"}, []string{"data", "pads", "scalar", "ints"}},
		"Trilu":           {[]string{"upper"}, []string{"data", "ints"}},
		"ConstantOfShape": {[]string{"value"}, []string{"ints"}},
		"Range":           {nil, []string{"scalar", "scalar", "scalar"}},
		"EyeLike":         {[]string{"dtype", "k"}, []string{"data"}},
		"Unique":          {[]string{"axis", "sorted"}, []string{"data"}},
		"ScatterND":       {[]string{"reduction"}, []string{"data", "idx", "like"}},
		"ScatterElements": {[]string{"axis", "reduction"}, []string{"data", "idx", "like"}},
	}
	r := rand.New(rand.NewPCG(21, 22))
	types := []DataType{Float32, Float64, Int64, Int32, String, Bool}
	opsets := []int64{1, 2, 5, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 21}
	for op, spec := range ops {
		t.Run(op, func(t *testing.T) {
			ran := 0
			for range 3000 {
				var attrs []*onnxpb.AttributeProto
				for _, name := range spec.attrs {
					if r.IntN(2) == 0 {
						attrs = append(attrs, randomShapeAttr(r, name))
					}
				}
				vecLen := r.IntN(3) // the length of this model's "vec" inputs
				nIn := 1 + r.IntN(len(spec.inputs))
				var args []arg
				for j, kind := range spec.inputs[:nIn] {
					if j == 1 && args[0].t == nil {
						args[0] = fed(randomTensor(r, Float32))
					}
					var x *Tensor
					switch kind {
					case "data":
						x = randomTensor(r, types[r.IntN(len(types))])
					case "ints":
						x = randomInts(r)
					case "vec":
						x = &Tensor{Type: Int64, Shape: []int{vecLen}, Int64: make([]int64, vecLen)}
						for i := range x.Int64 {
							x.Int64[i] = extremeInts[r.IntN(len(extremeInts))]
						}
					case "pads":
						// Twice the data's rank, give or take one.
						n := 2*len(args[0].t.Shape) + r.IntN(3) - 1
						x = &Tensor{Type: Int64, Shape: []int{max(n, 0)}, Int64: make([]int64, max(n, 0))}
						for i := range x.Int64 {
							x.Int64[i] = extremeInts[r.IntN(len(extremeInts)+20)%len(extremeInts)]
							if r.IntN(4) > 0 {
								x.Int64[i] = int64(r.IntN(5) - 2)
							}
						}
					case "bool":
						x = randomTensor(r, Bool)
						for i := range x.Bool {
							x.Bool[i] = r.IntN(2) == 0
						}
					case "scalar":
						x = oneElement(r, types[r.IntN(4)])
						if r.IntN(4) == 0 {
							x.Shape = []int{1}
						}
					case "like":
						x = &Tensor{}
						x.reset(args[0].t.Type, args[0].t.Shape)
						for i := range x.Float32 {
							x.Float32[i] = float32(r.NormFloat64())
						}
						for i := range x.String {
							x.String[i] = fmt.Sprint(i)
						}
					case "idx":
						x = &Tensor{}
						x.reset([]DataType{Int64, Int32}[r.IntN(2)], args[0].t.Shape)
						for i := range x.Len() {
							v := int64(r.IntN(7) - 3)
							if r.IntN(20) == 0 {
								v = extremeInts[r.IntN(len(extremeInts))]
							}
							if x.Type == Int64 {
								x.Int64[i] = v
							} else {
								x.Int32[i] = int32(v)
							}
						}
					case "values":
						x = []*Tensor{f32(sh(2), 0, 1), f64(sh(2), -1, 1), i64(sh(2), 0, 1), i32(sh(2), 1, 0),
							strs(sh(2), "off", "on"), bools(sh(2), false, true), randomTensor(r, Int64)}[r.IntN(7)]
					}
					switch r.IntN(5) {
					case 0:
						args = append(args, none())
					case 1, 2:
						args = append(args, cst(x))
					default:
						args = append(args, fed(x))
					}
				}
				if args[0].t == nil {
					args[0] = fed(randomTensor(r, Float32))
				}
				outs := 1 + r.IntN(3)
				opset := opsets[r.IntN(len(opsets))]
				desc := fmt.Sprintf("%s opset %d attrs %v inputs %v", op, opset, attrs, describeArgs(args))
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Fatalf("panic: %v\n%s", p, desc)
						}
					}()
					m, err := loadModel(singleNodeModel(op, opset, args, outs, attrs...))
					if err != nil {
						return
					}
					got, err := m.Run(context.Background(), fedInputs(args))
					if err != nil {
						return
					}
					ran++
					for i, v := range got {
						if err := v.Tensor.Check(); err != nil {
							t.Fatalf("output %d: %v\n%s", i, err, desc)
						}
					}
				}()
			}
			if ran == 0 {
				t.Errorf("no random %s model ran; the test exercises nothing", op)
			}
		})
	}
}

// extremeInts are the values index, shape and pad tensors take: small
// ones that give results and extremes that must be refused.
var extremeInts = []int64{-3, -2, -1, 0, 0, 1, 1, 2, 3, math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32, 1 << 40, -1 << 40}

func randomInts(r *rand.Rand) *Tensor {
	shape := make([]int, r.IntN(3))
	for i := range shape {
		shape[i] = r.IntN(4)
	}
	n := shapeSize(shape)
	if r.IntN(4) == 0 {
		t := &Tensor{Type: Int32, Shape: shape, Int32: make([]int32, n)}
		for i := range t.Int32 {
			t.Int32[i] = int32(extremeInts[r.IntN(9)])
		}
		return t
	}
	t := &Tensor{Type: Int64, Shape: shape, Int64: make([]int64, n)}
	for i := range t.Int64 {
		t.Int64[i] = extremeInts[r.IntN(len(extremeInts))]
	}
	return t
}

func oneElement(r *rand.Rand, typ DataType) *Tensor {
	switch typ {
	case Float32:
		return f32(nil, []float32{0, 1, -1, 0.5, float32(math.NaN()), float32(math.Inf(1)), 3}[r.IntN(7)])
	case Float64:
		return f64(nil, []float64{0, 1, -1, 0.5, math.NaN(), math.Inf(-1), 3}[r.IntN(7)])
	case Int32:
		return i32(nil, int32(extremeInts[r.IntN(9)]))
	}
	return i64(nil, extremeInts[r.IntN(len(extremeInts))])
}

func randomShapeAttr(r *rand.Rand, name string) *onnxpb.AttributeProto {
	ints := func() []int64 {
		v := make([]int64, r.IntN(5))
		for i := range v {
			v[i] = extremeInts[r.IntN(len(extremeInts))]
		}
		return v
	}
	switch name {
	case "shape", "axes", "perm", "split", "starts", "ends", "pads":
		if r.IntN(8) == 0 {
			return attrInt(name, 1) // the wrong attribute type
		}
		return attrInts(name, ints()...)
	case "mode":
		return attrString(name, []string{"constant", "reflect", "edge", "wrap", "mirror"}[r.IntN(5)])
	case "reduction":
		return attrString(name, []string{"none", "add", "mul", "min", "max", "sum"}[r.IntN(6)])
	case "value":
		if r.IntN(2) == 0 {
			return attrFloat(name, float32(r.NormFloat64()))
		}
		types := []DataType{Float32, Float64, Int64, Int32, String, Bool}
		return attrTensor(name, randomTensor(r, types[r.IntN(len(types))]))
	case "dtype":
		return attrInt(name, int64(r.IntN(17)))
	}
	return attrInt(name, extremeInts[r.IntN(len(extremeInts))])
}

func describeArgs(args []arg) []string {
	var out []string
	for _, a := range args {
		switch {
		case a.t == nil:
			out = append(out, "none")
		case a.isConst:
			out = append(out, "const "+a.t.Describe()+fmt.Sprint(data(a.t)))
		default:
			out = append(out, a.t.Describe()+fmt.Sprint(data(a.t)))
		}
	}
	return out
}
