package onnx

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// TestMLKernelsRefuseGarbage builds the ai.onnx.ml kernels of this family
// from random attribute sets and runs them on random tensors: every
// combination must give a result or an error, never a panic.
func TestMLKernelsRefuseGarbage(t *testing.T) {
	ops := map[string][]string{
		"ArrayFeatureExtractor": nil,
		"Binarizer":             {"threshold"},
		"CategoryMapper":        {"cats_strings", "cats_int64s", "default_string", "default_int64"},
		"FeatureVectorizer":     {"inputdimensions"},
		"Imputer":               {"imputed_value_floats", "replaced_value_float", "imputed_value_int64s", "replaced_value_int64"},
		"LabelEncoder": {"classes_strings", "default_int64", "default_string", "default_float", "keys_strings", "keys_int64s",
			"keys_floats", "values_strings", "values_int64s", "values_floats", "keys_tensor", "values_tensor", "default_tensor"},
		"LinearClassifier": {"coefficients", "intercepts", "classlabels_ints", "classlabels_strings", "post_transform", "multi_class"},
		"LinearRegressor":  {"coefficients", "intercepts", "targets", "post_transform"},
		"Normalizer":       {"norm"},
		"OneHotEncoder":    {"cats_int64s", "cats_strings", "zeros"},
		"Scaler":           {"scale", "offset"},
		"SVMClassifier": {"kernel_type", "kernel_params", "vectors_per_class", "support_vectors", "coefficients", "rho",
			"prob_a", "prob_b", "classlabels_ints", "classlabels_strings", "post_transform"},
		"SVMRegressor": {"kernel_type", "kernel_params", "n_supports", "support_vectors", "coefficients", "rho", "one_class", "post_transform"},
	}
	r := rand.New(rand.NewPCG(11, 12))
	types := []DataType{Float32, Float64, Int64, Int32, String, Bool}
	for op, names := range ops {
		t.Run(op, func(t *testing.T) {
			built := 0
			for range 5000 {
				n := mlNode{op: op, opset: 1 + r.IntN(5), outs: 1}
				ins := 1
				switch op {
				case "LinearClassifier", "SVMClassifier":
					n.outs = 2
				case "ArrayFeatureExtractor":
					ins = 2
				case "FeatureVectorizer":
					ins += r.IntN(3)
				}
				for _, name := range names {
					if r.IntN(2) == 0 {
						n.attrs = append(n.attrs, randomAttr(r, name))
					}
				}
				var inputs []*Tensor
				for range ins {
					x := randomTensor(r, types[r.IntN(len(types))])
					inputs = append(inputs, x)
					typ := x.Type
					if r.IntN(4) == 0 {
						typ = Undefined
					}
					n.in = append(n.in, typ)
				}
				desc := fmt.Sprintf("%s opset %d attrs %v inputs %v", op, n.opset, n.attrs, describeTensors(inputs))
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Fatalf("panic: %v\n%s", p, desc)
						}
					}()
					k, err := n.kernel()
					if err != nil {
						return
					}
					built++
					outs := make([]*Tensor, n.outs)
					for i := range outs {
						outs[i] = &Tensor{}
					}
					if err := k.run(context.Background(), inputs, outs); err == nil {
						for i, o := range outs {
							if o.Type != Undefined {
								if err := o.Check(); err != nil {
									t.Fatalf("output %d: %v\n%s", i, err, desc)
								}
							}
						}
					}
				}()
			}
			if built == 0 {
				t.Errorf("no random %s node was accepted; the test exercises nothing", op)
			}
		})
	}
}

func randomAttr(r *rand.Rand, name string) *onnxpb.AttributeProto {
	floats := func() []float32 {
		v := make([]float32, r.IntN(7))
		for i := range v {
			switch r.IntN(8) {
			case 0:
				v[i] = float32(math.NaN())
			case 1:
				v[i] = float32(r.IntN(3) - 1)
			default:
				v[i] = float32(r.NormFloat64())
			}
		}
		return v
	}
	ints := func() []int64 {
		v := make([]int64, r.IntN(7))
		for i := range v {
			v[i] = int64(r.IntN(7) - 2)
		}
		return v
	}
	strs := func() []string {
		v := make([]string, r.IntN(5))
		for i := range v {
			v[i] = string(rune('a' + r.IntN(4)))
		}
		return v
	}
	switch name {
	case "threshold", "replaced_value_float", "default_float":
		return attrFloat(name, float32(r.NormFloat64()))
	case "default_int64", "replaced_value_int64", "targets", "n_supports", "one_class", "zeros", "multi_class":
		return attrInt(name, int64(r.IntN(7)-2))
	case "default_string":
		return attrString(name, "z")
	case "norm":
		return attrString(name, []string{"MAX", "L1", "L2", "max"}[r.IntN(4)])
	case "post_transform":
		return attrString(name, []string{"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT", "X"}[r.IntN(6)])
	case "kernel_type":
		return attrString(name, []string{"LINEAR", "POLY", "RBF", "SIGMOID", "rbf"}[r.IntN(5)])
	case "cats_strings", "classes_strings", "keys_strings", "values_strings", "classlabels_strings":
		return attrStrings(name, strs()...)
	case "cats_int64s", "imputed_value_int64s", "keys_int64s", "values_int64s", "classlabels_ints", "vectors_per_class", "inputdimensions":
		return attrInts(name, ints()...)
	case "kernel_params":
		if r.IntN(4) > 0 {
			return attrFloats(name, float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.IntN(4)))
		}
	case "keys_tensor", "values_tensor", "default_tensor":
		types := []DataType{Float32, Float64, Int64, String}
		return attrTensor(name, randomTensor(r, types[r.IntN(len(types))]))
	}
	return attrFloats(name, floats()...)
}

func randomTensor(r *rand.Rand, typ DataType) *Tensor {
	shape := make([]int, r.IntN(4))
	for i := range shape {
		shape[i] = r.IntN(4)
	}
	n := shapeSize(shape)
	t := &Tensor{Type: typ, Shape: shape}
	switch typ {
	case Float32:
		t.Float32 = make([]float32, n)
		for i := range t.Float32 {
			t.Float32[i] = float32(r.NormFloat64())
			if r.IntN(10) == 0 {
				t.Float32[i] = float32(math.NaN())
			}
		}
	case Float64:
		t.Float64 = make([]float64, n)
		for i := range t.Float64 {
			t.Float64[i] = r.NormFloat64() * 1e10
		}
	case Int64:
		t.Int64 = make([]int64, n)
		for i := range t.Int64 {
			t.Int64[i] = int64(r.IntN(7) - 2)
		}
	case Int32:
		t.Int32 = make([]int32, n)
	case String:
		t.String = make([]string, n)
		for i := range t.String {
			t.String[i] = string(rune('a' + r.IntN(4)))
		}
	case Bool:
		t.Bool = make([]bool, n)
	}
	return t
}

func describeTensors(ts []*Tensor) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Describe())
	}
	return out
}

// TestSVMClassifierRandomSVC runs consistent random SVC models (random
// class counts, support vectors per class, including classes with none)
// on random inputs: results or errors, never a panic, and labels always
// from the label list.
func TestSVMClassifierRandomSVC(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	kernels := []string{"LINEAR", "POLY", "RBF", "SIGMOID"}
	posts := []string{"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"}
	for range 500 {
		c, f := 2+r.IntN(4), 1+r.IntN(4)
		counts := make([]int64, c)
		v := 0
		for v == 0 {
			for i := range counts {
				counts[i] = int64(r.IntN(3))
				v += int(counts[i])
			}
		}
		labels := make([]int64, c)
		for i := range labels {
			labels[i] = int64(10 + i)
		}
		pairs := c * (c - 1) / 2
		attrs := mlWith(nil, attrString("kernel_type", kernels[r.IntN(4)]), attrFloats("kernel_params", 0.5, 0.1, float32(1+r.IntN(3))),
			attrInts("vectors_per_class", counts...), attrFloats("support_vectors", randFloats(r, v*f)...),
			attrFloats("coefficients", randFloats(r, (c-1)*v)...), attrFloats("rho", randFloats(r, pairs)...),
			attrInts("classlabels_ints", labels...), attrString("post_transform", posts[r.IntN(5)]))
		if r.IntN(2) == 0 {
			attrs = mlWith(attrs, attrFloats("prob_a", randFloats(r, pairs)...), attrFloats("prob_b", randFloats(r, pairs)...))
		}
		n := mlNode{op: "SVMClassifier", in: []DataType{Float32}, outs: 2, attrs: attrs}
		x := randomTensor(r, Float32)
		if r.IntN(2) == 0 {
			x = &Tensor{Type: Float32, Shape: []int{3, f}, Float32: randFloats(r, 3*f)}
		}
		desc := fmt.Sprintf("classes %d counts %v features %d input %s", c, counts, f, x.Describe())
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v\n%s", p, desc)
				}
			}()
			outs, err := n.runDirect(t, x)
			if err != nil {
				return
			}
			for _, l := range outs[0].Int64 {
				if l < 10 || l >= int64(10+c) {
					t.Fatalf("label %d is not a class label\n%s", l, desc)
				}
			}
		}()
	}
}
