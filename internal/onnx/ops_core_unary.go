package onnx

import (
	"context"
	"math"
)

// A unaryOp is an elementwise operator on one tensor: a function per
// element type it evaluates (nil for the others). The result has the
// input's type and shape.
type unaryOp struct {
	f32 func(float32) float32
	f64 func(float64) float64
	i64 func(int64) int64
	i32 func(int32) int32
}

// unaryKernel applies a unaryOp.
type unaryKernel struct {
	op    unaryOp
	types typeSet
}

func (k *unaryKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	o := out[0]
	o.reset(x.Type, x.Shape)
	switch x.Type {
	case Float32:
		mapInto(o.Float32, x.Float32, k.op.f32)
	case Float64:
		mapInto(o.Float64, x.Float64, k.op.f64)
	case Int64:
		mapInto(o.Int64, x.Int64, k.op.i64)
	case Int32:
		mapInto(o.Int32, x.Int32, k.op.i32)
	}
	return nil
}

func mapInto[T any](d, x []T, f func(T) T) {
	d = d[:len(x)]
	for i, v := range x {
		d[i] = f(v)
	}
}

// unaryBuilder returns the builder of an operator that applies op, with
// onnxruntime's element types r.
func unaryBuilder(r typeRule, op unaryOp) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		return newUnary(n, r, op)
	}
}

func newUnary(n *node, r typeRule, op unaryOp) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, r, 0)
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(0)}
	return &unaryKernel{op: op, types: ts}, nil
}

// via64 lifts a float64 function to float32: onnxruntime computes these in
// float32 with vectorized approximations; the float64 result, rounded,
// is within their error.
func via64(f func(float64) float64) func(float32) float32 {
	return func(x float32) float32 { return float32(f(float64(x))) }
}

// floatOp is a unaryOp on float32 (via float64) and float64.
func floatOp(f func(float64) float64) unaryOp {
	return unaryOp{f32: via64(f), f64: f}
}

func absOp() unaryOp {
	return unaryOp{
		f32: func(x float32) float32 { return float32(math.Abs(float64(x))) },
		f64: math.Abs,
		i64: func(x int64) int64 { return max(x, -x) },
		i32: func(x int32) int32 { return max(x, -x) },
	}
}

func negOp() unaryOp {
	return unaryOp{
		f32: func(x float32) float32 { return -x },
		f64: func(x float64) float64 { return -x },
		i64: func(x int64) int64 { return -x },
		i32: func(x int32) int32 { return -x },
	}
}

func reciprocalOp() unaryOp {
	return unaryOp{
		f32: func(x float32) float32 { return 1 / x },
		f64: func(x float64) float64 { return 1 / x },
	}
}

// signOf is -1, 0 or 1; NaN stays NaN.
func signOf[T number](x T) T {
	switch {
	case x != x:
		return x
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func signOp() unaryOp {
	return unaryOp{f32: signOf[float32], f64: signOf[float64], i64: signOf[int64], i32: signOf[int32]}
}

func sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func reluOp() unaryOp {
	return unaryOp{
		f32: func(x float32) float32 {
			if x < 0 {
				return 0
			}
			return x
		},
		f64: func(x float64) float64 {
			if x < 0 {
				return 0
			}
			return x
		},
		i32: func(x int32) int32 { return max(x, 0) },
	}
}

// softplus64 is log(1+exp(x)), without overflow for large x.
func softplus64(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func softsignOp() unaryOp {
	return unaryOp{f32: func(x float32) float32 { return x / (1 + float32(math.Abs(float64(x)))) }}
}

// boolKernel is an elementwise operator with a bool result: Not, IsNaN, IsInf.
type boolKernel struct {
	types typeSet
	b     func(bool) bool
	f64   func(float64) bool
}

func (k *boolKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	o := out[0]
	o.reset(Bool, x.Shape)
	d := o.Bool
	switch x.Type {
	case Bool:
		for i, v := range x.Bool {
			d[i] = k.b(v)
		}
	case Float32:
		for i, v := range x.Float32 {
			d[i] = k.f64(float64(v))
		}
	case Float64:
		for i, v := range x.Float64 {
			d[i] = k.f64(v)
		}
	}
	return nil
}

func buildNot(n *node) (kernel, error) {
	return newBoolKernel(n, since(1, tBool), &boolKernel{b: func(b bool) bool { return !b }})
}

func buildIsNaN(n *node) (kernel, error) {
	return newBoolKernel(n, since(9, tFloat), &boolKernel{f64: math.IsNaN})
}

func buildIsInf(n *node) (kernel, error) {
	neg, pos := n.attr.int("detect_negative", 1) != 0, n.attr.int("detect_positive", 1) != 0
	return newBoolKernel(n, since(10, tFloat), &boolKernel{f64: func(x float64) bool {
		return (neg && math.IsInf(x, -1)) || (pos && math.IsInf(x, 1))
	}})
}

func newBoolKernel(n *node, r typeRule, k *boolKernel) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, r, 0)
	if err != nil {
		return nil, err
	}
	k.types = ts
	n.outTypes = []DataType{Bool}
	return k, nil
}
