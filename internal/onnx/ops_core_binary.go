package onnx

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// arithOp names the four arithmetic operators.
type arithOp int

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
)

var errDivZero = errors.New("integer division by zero")

// arithKernel is Add, Sub, Mul or Div with broadcasting.
type arithKernel struct {
	op    arithOp
	types typeSet
}

func arithBuilder(op arithOp) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		if err := n.checkArity(2, 2, 1, 1); err != nil {
			return nil, err
		}
		ts, err := nodeTypes(n, since(7, tNum), 0, 1)
		if err != nil {
			return nil, err
		}
		n.outTypes = []DataType{firstKnown(n.inType(0), n.inType(1))}
		return &arithKernel{op: op, types: ts}, nil
	}
}

func firstKnown(ts ...DataType) DataType {
	for _, t := range ts {
		if t != Undefined {
			return t
		}
	}
	return Undefined
}

func (k *arithKernel) run(_ context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	if err := checkTypes(k.types, a, b); err != nil {
		return err
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], a.Shape, b.Shape)
	if err != nil {
		return err
	}
	o.reset(a.Type, shape)
	switch a.Type {
	case Float32:
		arith(k.op, &p, o.Float32, a.Float32, b.Float32)
	case Float64:
		arith(k.op, &p, o.Float64, a.Float64, b.Float64)
	case Int64:
		if k.op == opDiv && hasZero(b.Int64) {
			return errDivZero
		}
		arith(k.op, &p, o.Int64, a.Int64, b.Int64)
	case Int32:
		if k.op == opDiv && hasZero(b.Int32) {
			return errDivZero
		}
		arith(k.op, &p, o.Int32, a.Int32, b.Int32)
	}
	return nil
}

func hasZero[T int64 | int32](s []T) bool {
	for _, v := range s {
		if v == 0 {
			return true
		}
	}
	return false
}

// arith evaluates op over a broadcast plan. Integer division truncates
// toward zero, as C++'s does; the caller has ruled out division by zero.
func arith[T number](op arithOp, p *bcastPlan, d, a, b []T) {
	switch op {
	case opAdd:
		binaryRuns(p, d, a, b, addVV[T], addVS[T], addSV[T])
	case opSub:
		binaryRuns(p, d, a, b, subVV[T], subVS[T], subSV[T])
	case opMul:
		binaryRuns(p, d, a, b, mulVV[T], mulVS[T], mulSV[T])
	case opDiv:
		binaryRuns(p, d, a, b, divVV[T], divVS[T], divSV[T])
	}
}

func addVV[T number](d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] + b[i]
	}
}

func addVS[T number](d, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] + b
	}
}

func addSV[T number](d []T, a T, b []T) {
	b = b[:len(d)]
	for i := range d {
		d[i] = a + b[i]
	}
}

func subVV[T number](d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] - b[i]
	}
}

func subVS[T number](d, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] - b
	}
}

func subSV[T number](d []T, a T, b []T) {
	b = b[:len(d)]
	for i := range d {
		d[i] = a - b[i]
	}
}

func mulVV[T number](d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] * b[i]
	}
}

func mulVS[T number](d, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] * b
	}
}

func mulSV[T number](d []T, a T, b []T) {
	b = b[:len(d)]
	for i := range d {
		d[i] = a * b[i]
	}
}

func divVV[T number](d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] / b[i]
	}
}

func divVS[T number](d, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] / b
	}
}

func divSV[T number](d []T, a T, b []T) {
	b = b[:len(d)]
	for i := range d {
		d[i] = a / b[i]
	}
}

// cmpOp names the comparison operators; Greater and GreaterOrEqual swap
// their operands into Less and LessOrEqual.
type cmpOp int

const (
	cmpEqual cmpOp = iota
	cmpLess
	cmpLessEq
)

// compareKernel is a comparison with a bool result.
type compareKernel struct {
	op    cmpOp
	swap  bool
	types typeSet
}

func compareBuilder(op cmpOp, swap bool, r typeRule) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		if err := n.checkArity(2, 2, 1, 1); err != nil {
			return nil, err
		}
		ts, err := nodeTypes(n, r, 0, 1)
		if err != nil {
			return nil, err
		}
		n.outTypes = []DataType{Bool}
		return &compareKernel{op: op, swap: swap, types: ts}, nil
	}
}

func (k *compareKernel) run(_ context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	if err := checkTypes(k.types, a, b); err != nil {
		return err
	}
	if k.swap {
		a, b = b, a
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], a.Shape, b.Shape)
	if err != nil {
		return err
	}
	o.reset(Bool, shape)
	switch a.Type {
	case Float32:
		compare(k.op, &p, o.Bool, a.Float32, b.Float32)
	case Float64:
		compare(k.op, &p, o.Bool, a.Float64, b.Float64)
	case Int64:
		compare(k.op, &p, o.Bool, a.Int64, b.Int64)
	case Int32:
		compare(k.op, &p, o.Bool, a.Int32, b.Int32)
	case String:
		compare(k.op, &p, o.Bool, a.String, b.String)
	case Bool:
		binaryRuns(&p, o.Bool, a.Bool, b.Bool, eqVV[bool], eqVS[bool], eqSV[bool])
	}
	return nil
}

type ordered interface{ number | string }

func compare[T ordered](op cmpOp, p *bcastPlan, d []bool, a, b []T) {
	switch op {
	case cmpEqual:
		binaryRuns(p, d, a, b, eqVV[T], eqVS[T], eqSV[T])
	case cmpLess:
		binaryRuns(p, d, a, b, ltVV[T], ltVS[T], ltSV[T])
	case cmpLessEq:
		binaryRuns(p, d, a, b, leVV[T], leVS[T], leSV[T])
	}
}

func eqVV[T comparable](d []bool, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] == b[i]
	}
}

func eqVS[T comparable](d []bool, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] == b
	}
}

func eqSV[T comparable](d []bool, a T, b []T) { eqVS(d, b, a) }

func ltVV[T ordered](d []bool, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] < b[i]
	}
}

func ltVS[T ordered](d []bool, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] < b
	}
}

func ltSV[T ordered](d []bool, a T, b []T) {
	b = b[:len(d)]
	for i := range d {
		d[i] = a < b[i]
	}
}

func leVV[T ordered](d []bool, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		d[i] = a[i] <= b[i]
	}
}

func leVS[T ordered](d []bool, a []T, b T) {
	a = a[:len(d)]
	for i := range d {
		d[i] = a[i] <= b
	}
}

func leSV[T ordered](d []bool, a T, b []T) {
	b = b[:len(d)]
	for i := range d {
		d[i] = a <= b[i]
	}
}

// logicKernel is And, Or or Xor on bools.
type logicKernel struct {
	f func(a, b bool) bool
}

func logicBuilder(f func(a, b bool) bool) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		if err := n.checkArity(2, 2, 1, 1); err != nil {
			return nil, err
		}
		if _, err := nodeTypes(n, since(7, tBool), 0, 1); err != nil {
			return nil, err
		}
		n.outTypes = []DataType{Bool}
		return &logicKernel{f: f}, nil
	}
}

func (k *logicKernel) run(_ context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	if err := checkTypes(tBool, a, b); err != nil {
		return err
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], a.Shape, b.Shape)
	if err != nil {
		return err
	}
	o.reset(Bool, shape)
	binaryMap(&p, o.Bool, a.Bool, b.Bool, k.f)
	return nil
}

// powKernel is Pow: the result has the base's type. Like onnxruntime, it
// computes std::pow in float64 (which rounds to powf's result for float32
// operands) and converts back as C++'s static_cast does; an exponent that
// repeats over a run and equals 2 or 3 multiplies instead.
type powKernel struct {
	types typeSet
	// same requires base and exponent to have one type (Pow-7).
	same bool
}

func buildPow(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	r := since(7, tFloat).then(12, tNum)
	k := &powKernel{same: n.version < 12}
	var err error
	if k.same {
		k.types, err = nodeTypes(n, r, 0, 1)
	} else if k.types, err = nodeTypes(n, r, 0); err == nil {
		_, err = nodeTypes(n, r, 1)
	}
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(0)}
	return k, nil
}

func (k *powKernel) run(_ context.Context, in, out []*Tensor) error {
	x, y := in[0], in[1]
	err := checkTypes(k.types, x)
	if err == nil && k.same {
		err = checkTypes(k.types, x, y)
	} else if err == nil {
		err = checkTypes(k.types, y)
	}
	if err != nil {
		return err
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], x.Shape, y.Shape)
	if err != nil {
		return err
	}
	o.reset(x.Type, shape)
	switch x.Type {
	case Float32:
		powBase(&p, o.Float32, x.Float32, y, func(v float64) float32 { return float32(v) })
	case Float64:
		powBase(&p, o.Float64, x.Float64, y, func(v float64) float64 { return v })
	case Int64:
		powBase(&p, o.Int64, x.Int64, y, truncInt64)
	case Int32:
		powBase(&p, o.Int32, x.Int32, y, truncInt32)
	}
	return nil
}

func powBase[T number](p *bcastPlan, d, x []T, y *Tensor, conv func(float64) T) {
	switch y.Type {
	case Float32:
		powRuns(p, d, x, y.Float32, conv)
	case Float64:
		powRuns(p, d, x, y.Float64, conv)
	case Int64:
		powRuns(p, d, x, y.Int64, conv)
	case Int32:
		powRuns(p, d, x, y.Int32, conv)
	}
}

func powRuns[T, E number](p *bcastPlan, d, x []T, y []E, conv func(float64) T) {
	binaryRuns(p, d, x, y,
		func(d, x []T, y []E) {
			for i := range d {
				d[i] = conv(math.Pow(float64(x[i]), float64(y[i])))
			}
		},
		func(d, x []T, y E) {
			switch float64(y) {
			case 2:
				for i := range d {
					d[i] = x[i] * x[i]
				}
			case 3:
				for i := range d {
					d[i] = x[i] * x[i] * x[i]
				}
			default:
				for i := range d {
					d[i] = conv(math.Pow(float64(x[i]), float64(y)))
				}
			}
		},
		func(d []T, x T, y []E) {
			for i := range d {
				d[i] = conv(math.Pow(float64(x), float64(y[i])))
			}
		})
}

// modKernel is Mod. With fmod, the result has the dividend's sign (C's
// fmod, computed in float64 for integers as onnxruntime does); without,
// the divisor's (Python's %), for integers only.
type modKernel struct {
	fmod  bool
	types typeSet
}

func buildMod(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, since(10, tNum), 0, 1)
	if err != nil {
		return nil, err
	}
	fmod := n.attr.int("fmod", 0)
	if fmod != 0 && fmod != 1 {
		return nil, fmt.Errorf("attribute \"fmod\" = %d, want 0 or 1", fmod)
	}
	if fmod == 0 {
		if t := firstKnown(n.inType(0), n.inType(1)); t == Float32 || t == Float64 {
			return nil, fmt.Errorf("attribute \"fmod\" must be 1 for %v inputs", t)
		}
	}
	n.outTypes = []DataType{firstKnown(n.inType(0), n.inType(1))}
	return &modKernel{fmod: fmod == 1, types: ts}, nil
}

func (k *modKernel) run(_ context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	if err := checkTypes(k.types, a, b); err != nil {
		return err
	}
	if !k.fmod && (a.Type == Float32 || a.Type == Float64) {
		return fmt.Errorf("attribute \"fmod\" must be 1 for %v inputs", a.Type)
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], a.Shape, b.Shape)
	if err != nil {
		return err
	}
	o.reset(a.Type, shape)
	switch a.Type {
	case Float32:
		binaryMap(&p, o.Float32, a.Float32, b.Float32, func(x, y float32) float32 {
			return float32(math.Mod(float64(x), float64(y)))
		})
	case Float64:
		binaryMap(&p, o.Float64, a.Float64, b.Float64, math.Mod)
	case Int64:
		return intMod(k.fmod, &p, o.Int64, a.Int64, b.Int64, truncInt64)
	case Int32:
		return intMod(k.fmod, &p, o.Int32, a.Int32, b.Int32, truncInt32)
	}
	return nil
}

func intMod[T int64 | int32](fmod bool, p *bcastPlan, d, a, b []T, conv func(float64) T) error {
	if fmod {
		binaryMap(p, d, a, b, func(x, y T) T { return conv(math.Mod(float64(x), float64(y))) })
		return nil
	}
	if hasZero(b) {
		return errDivZero
	}
	binaryMap(p, d, a, b, func(x, y T) T {
		r := x % y
		if (r < 0 && y > 0) || (r > 0 && y < 0) {
			r += y
		}
		return r
	})
	return nil
}
