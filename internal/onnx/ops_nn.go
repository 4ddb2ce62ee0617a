package onnx

import (
	"context"
	"fmt"
	"math"
)

// nnOps holds the kernels for MatMul, Gemm, Softmax and activations.
var nnOps = withAttrCheck(map[opKey]opSpec{
	{"", "MatMul"}: {since: []int{1, 9, 13}, build: buildMatMul},
	{"", "Gemm"}:   {since: []int{1, 6, 7, 9, 11, 13}, build: buildGemm},

	{"", "Sigmoid"}:         {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), unaryOp{f32: mlasLogistic, f64: sigmoid64})},
	{"", "Tanh"}:            {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), unaryOp{f32: mlasTanh, f64: math.Tanh})},
	{"", "Relu"}:            {since: []int{1, 6, 13, 14}, build: unaryBuilder(since(6, tFloat).then(14, tFloat|tI32), reluOp())},
	{"", "Softplus"}:        {since: []int{1}, build: unaryBuilder(since(1, tF32), floatOp(softplus64))},
	{"", "Softsign"}:        {since: []int{1}, build: unaryBuilder(since(1, tF32), softsignOp())},
	{"", "LeakyRelu"}:       {since: []int{1, 6, 16}, build: buildLeakyRelu},
	{"", "PRelu"}:           {since: []int{1, 6, 7, 9, 16}, build: buildPRelu},
	{"", "Elu"}:             {since: []int{1, 6}, build: buildElu},
	{"", "Selu"}:            {since: []int{1, 6}, build: buildSelu},
	{"", "Celu"}:            {since: []int{12}, build: buildCelu},
	{"", "HardSigmoid"}:     {since: []int{1, 6}, build: buildHardSigmoid},
	{"", "HardSwish"}:       {since: []int{14}, build: buildHardSwish},
	{"", "ThresholdedRelu"}: {since: []int{10}, build: buildThresholdedRelu},

	{"", "Softmax"}:    {since: []int{1, 11, 13}, build: softmaxBuilder(smSoftmax)},
	{"", "LogSoftmax"}: {since: []int{1, 11, 13}, build: softmaxBuilder(smLogSoftmax)},
	{"", "Hardmax"}:    {since: []int{1, 11, 13}, build: softmaxBuilder(smHardmax)},

	{"", "Dropout"}: {since: []int{1, 6, 7, 10, 12, 13}, build: buildDropout},

	{"", "LpNormalization"}: {since: []int{1}, build: buildLpNormalization},
})

// The activations below compute in float32 where onnxruntime's functors
// do, and through float64 for its transcendental functions.

func buildLeakyRelu(n *node) (kernel, error) {
	alpha := n.attr.float("alpha", 0.01)
	a64 := float64(alpha)
	return newUnary(n, since(6, tF32).then(16, tFloat), unaryOp{
		f32: func(x float32) float32 {
			if x >= 0 {
				return x
			}
			return alpha * x
		},
		f64: func(x float64) float64 {
			if x >= 0 {
				return x
			}
			return a64 * x
		},
	})
}

func buildElu(n *node) (kernel, error) {
	alpha := float64(n.attr.float("alpha", 1))
	return newUnary(n, since(6, tF32), floatOp(func(x float64) float64 {
		if x >= 0 {
			return x
		}
		return alpha * (math.Exp(x) - 1)
	}))
}

func buildSelu(n *node) (kernel, error) {
	alpha := float64(n.attr.float("alpha", 1.67326319217681884765625))
	gamma := float64(n.attr.float("gamma", 1.05070102214813232421875))
	return newUnary(n, since(6, tF32), floatOp(func(x float64) float64 {
		if x > 0 {
			return gamma * x
		}
		return gamma * (alpha*math.Exp(x) - alpha)
	}))
}

func buildCelu(n *node) (kernel, error) {
	alpha := float64(n.attr.float("alpha", 1))
	if alpha == 0 {
		return nil, fmt.Errorf("attribute \"alpha\" must not be 0")
	}
	return newUnary(n, since(12, tF32), floatOp(func(x float64) float64 {
		return math.Max(0, x) + math.Min(0, alpha*(math.Exp(x/alpha)-1))
	}))
}

func buildHardSigmoid(n *node) (kernel, error) {
	alpha, beta := n.attr.float("alpha", 0.2), n.attr.float("beta", 0.5)
	return newUnary(n, since(6, tF32), unaryOp{f32: func(x float32) float32 {
		return max(0, min(1, alpha*x+beta))
	}})
}

func buildHardSwish(n *node) (kernel, error) {
	return newUnary(n, since(14, tF32), unaryOp{f32: func(x float32) float32 {
		return x * max(0, min(1, x/6+0.5))
	}})
}

func buildThresholdedRelu(n *node) (kernel, error) {
	alpha := n.attr.float("alpha", 1)
	return newUnary(n, since(10, tF32), unaryOp{f32: func(x float32) float32 {
		if x > alpha {
			return x
		}
		return 0
	}})
}

// preluKernel is PRelu: x where x >= 0, else slope·x, with the slope
// broadcast to x.
type preluKernel struct {
	types typeSet
}

func buildPRelu(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, since(7, tF32).then(16, tNum), 0, 1)
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(0)}
	return &preluKernel{types: ts}, nil
}

func (k *preluKernel) run(_ context.Context, in, out []*Tensor) error {
	x, s := in[0], in[1]
	if err := checkTypes(k.types, x, s); err != nil {
		return err
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], x.Shape, s.Shape)
	if err != nil {
		return err
	}
	o.reset(x.Type, shape)
	switch x.Type {
	case Float32:
		binaryMap(&p, o.Float32, x.Float32, s.Float32, prelu[float32])
	case Float64:
		binaryMap(&p, o.Float64, x.Float64, s.Float64, prelu[float64])
	case Int64:
		binaryMap(&p, o.Int64, x.Int64, s.Int64, prelu[int64])
	case Int32:
		binaryMap(&p, o.Int32, x.Int32, s.Int32, prelu[int32])
	}
	return nil
}

func prelu[T number](x, slope T) T {
	if x < 0 {
		return slope * x
	}
	return x
}

// dropoutKernel is Dropout at inference: a copy, with an optional mask
// output, which onnxruntime fills with false before version 12 (its
// identity kernel zeroes it) and true after.
type dropoutKernel struct {
	maskType DataType
	maskTrue bool
}

func buildDropout(n *node) (kernel, error) {
	var err error
	if n.version >= 12 {
		err = n.checkArity(1, 3, 1, 2)
	} else {
		err = n.checkArity(1, 1, 1, 2)
	}
	if err != nil {
		return nil, err
	}
	if _, err := nodeTypes(n, since(7, tFloat), 0); err != nil {
		return nil, err
	}
	k := &dropoutKernel{maskType: Bool, maskTrue: n.version >= 12}
	if n.version < 10 {
		k.maskType = n.inType(0)
	}
	if r := n.constInput(1); r != nil {
		if err := checkRatio(r); err != nil {
			return nil, err
		}
	}
	if tm := n.constInput(2); tm != nil {
		if tm.Type != Bool || tm.Len() != 1 {
			return nil, fmt.Errorf("training_mode must be a bool scalar")
		}
		if tm.Bool[0] {
			return nil, fmt.Errorf("training mode is not supported")
		}
	}
	n.outTypes = []DataType{n.inType(0), k.maskType}
	return k, nil
}

func checkRatio(r *Tensor) error {
	var v float64
	switch {
	case r.Type == Float32 && r.Len() == 1:
		v = float64(r.Float32[0])
	case r.Type == Float64 && r.Len() == 1:
		v = r.Float64[0]
	default:
		return fmt.Errorf("ratio must be a float scalar, got %s", r.Describe())
	}
	if !(v >= 0 && v < 1) {
		return fmt.Errorf("ratio %v is not in [0, 1)", v)
	}
	return nil
}

func (k *dropoutKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(tFloat, x); err != nil {
		return err
	}
	if len(in) > 1 && in[1] != nil {
		if err := checkRatio(in[1]); err != nil {
			return err
		}
	}
	if len(in) > 2 && in[2] != nil {
		if tm := in[2]; tm.Type != Bool || tm.Len() != 1 {
			return fmt.Errorf("training_mode must be a bool scalar")
		} else if tm.Bool[0] {
			return fmt.Errorf("training mode is not supported")
		}
	}
	out[0].copyFrom(x)
	if len(out) > 1 {
		m := out[1]
		typ := k.maskType
		if typ == Undefined {
			typ = x.Type
		}
		m.reset(typ, x.Shape)
		switch typ {
		case Bool:
			for i := range m.Bool {
				m.Bool[i] = k.maskTrue
			}
		case Float32:
			clear(m.Float32)
		case Float64:
			clear(m.Float64)
		}
	}
	return nil
}
