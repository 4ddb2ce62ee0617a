package onnx

import (
	"context"
	"fmt"
	"math"
)

// bcastShape sets dst to the broadcast of shapes a and b and returns it;
// dst may share a's array (it is filled from the innermost dimension out,
// so a is read before it is overwritten).
func bcastShape(dst, a, b []int) ([]int, error) {
	rank := max(len(a), len(b))
	for d := 0; d < rank; d++ {
		x, y := dimAt(a, d, rank), dimAt(b, d, rank)
		if x != y && x != 1 && y != 1 {
			return nil, fmt.Errorf("shapes %s cannot be broadcast together", formatShapes([][]int{a, b}))
		}
	}
	if cap(dst) < rank {
		dst = make([]int, rank)
	}
	dst = dst[:rank]
	for d := rank - 1; d >= 0; d-- {
		x, y := dimAt(a, d, rank), dimAt(b, d, rank)
		if x == 1 {
			x = y
		}
		dst[d] = x
	}
	return dst, nil
}

// dimAt returns dimension d of shape s right-aligned to rank dimensions.
func dimAt(s []int, d, rank int) int {
	if i := d - (rank - len(s)); i >= 0 {
		return s[i]
	}
	return 1
}

// variadicOp names Max, Min, Sum and Mean.
type variadicOp int

const (
	varMax variadicOp = iota
	varMin
	varSum
	varMean
)

// variadicKernel folds its inputs left to right with broadcasting, as
// onnxruntime does. Before version 8 the inputs must have one shape. Max
// and Min return NaN when either value is NaN.
type variadicKernel struct {
	op    variadicOp
	types typeSet
	// sameShape is set before version 8.
	sameShape bool
}

func variadicBuilder(op variadicOp, r typeRule) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		if err := n.checkArity(1, -1, 1, 1); err != nil {
			return nil, err
		}
		idx := make([]int, len(n.inputs))
		for i := range idx {
			idx[i] = i
		}
		ts, err := nodeTypes(n, r, idx...)
		if err != nil {
			return nil, err
		}
		for i, name := range n.inputs {
			if name == "" {
				return nil, fmt.Errorf("input %d is empty", i)
			}
		}
		n.outTypes = []DataType{firstKnown(n.types...)}
		return &variadicKernel{op: op, types: ts, sameShape: n.version < 8}, nil
	}
}

func (k *variadicKernel) run(_ context.Context, in, out []*Tensor) error {
	if err := checkTypes(k.types, in...); err != nil {
		return err
	}
	o := out[0]
	shape := append(o.Shape[:0], in[0].Shape...)
	for _, t := range in[1:] {
		if k.sameShape && !equalShape(t.Shape, in[0].Shape) {
			return fmt.Errorf("inputs have different shapes %v and %v", in[0].Shape, t.Shape)
		}
		var err error
		if shape, err = bcastShape(shape, shape, t.Shape); err != nil {
			return err
		}
	}
	if err := checkSize(shape); err != nil {
		return err
	}
	o.reset(in[0].Type, shape)
	switch o.Type {
	case Float32:
		return variadic(k, o, in, func(t *Tensor) []float32 { return t.Float32 })
	case Float64:
		return variadic(k, o, in, func(t *Tensor) []float64 { return t.Float64 })
	case Int64:
		return variadic(k, o, in, func(t *Tensor) []int64 { return t.Int64 })
	case Int32:
		return variadic(k, o, in, func(t *Tensor) []int32 { return t.Int32 })
	}
	return nil
}

func equalShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func variadic[T number](k *variadicKernel, o *Tensor, in []*Tensor, data func(*Tensor) []T) error {
	d := data(o)
	var space [bcastSpace]int
	var shapeBuf [8]int
	_, p, err := planBroadcast(shapeBuf[:0], space[:], o.Shape, in[0].Shape)
	if err != nil {
		return err
	}
	binaryRuns(&p, d, d, data(in[0]), copyVV[T], fillVS[T], copySV[T])
	f := maxNaN[T]
	if k.op == varMin {
		f = minNaN[T]
	}
	for _, t := range in[1:] {
		_, p, err := planBroadcast(shapeBuf[:0], space[:], o.Shape, t.Shape)
		if err != nil {
			return err
		}
		if k.op == varSum || k.op == varMean {
			binaryRuns(&p, d, d, data(t), addVV[T], addVS[T], addSV[T])
		} else {
			binaryMap(&p, d, d, data(t), f)
		}
	}
	if k.op == varMean {
		// onnxruntime's Mean multiplies the sum by the reciprocal.
		r := 1 / T(len(in))
		for i := range d {
			d[i] *= r
		}
	}
	return nil
}

// copyVV, fillVS and copySV set d to b: they broadcast an operand into
// the output.
func copyVV[T any](d, _, b []T) { copy(d, b) }

func copySV[T any](d []T, _ T, b []T) { copy(d, b) }

func fillVS[T any](d, _ []T, b T) {
	for i := range d {
		d[i] = b
	}
}

// maxOf is std::max(a, b): a unless b is greater.
func maxOf[T number](a, b T) T {
	if a < b {
		return b
	}
	return a
}

func minOf[T number](a, b T) T {
	if b < a {
		return b
	}
	return a
}

func maxNaN[T number](a, b T) T {
	if a != a || b != b {
		return T(math.NaN())
	}
	return maxOf(a, b)
}

func minNaN[T number](a, b T) T {
	if a != a || b != b {
		return T(math.NaN())
	}
	return minOf(a, b)
}

// whereKernel is Where: x where cond holds, else y, with broadcasting of
// all three.
type whereKernel struct {
	types typeSet
}

func buildWhere(n *node) (kernel, error) {
	if err := n.checkArity(3, 3, 1, 1); err != nil {
		return nil, err
	}
	if _, err := nodeTypes(n, since(9, tBool), 0); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, since(9, tNum|tStr), 1, 2)
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{firstKnown(n.inType(1), n.inType(2))}
	return &whereKernel{types: ts}, nil
}

func (k *whereKernel) run(_ context.Context, in, out []*Tensor) error {
	c, x, y := in[0], in[1], in[2]
	if err := checkTypes(tBool, c); err != nil {
		return err
	}
	if err := checkTypes(k.types, x, y); err != nil {
		return err
	}
	var space [bcastSpace]int
	o := out[0]
	shape, p, err := planBroadcast(o.Shape, space[:], c.Shape, x.Shape, y.Shape)
	if err != nil {
		return err
	}
	o.reset(x.Type, shape)
	switch x.Type {
	case Float32:
		where(&p, o.Float32, c.Bool, x.Float32, y.Float32)
	case Float64:
		where(&p, o.Float64, c.Bool, x.Float64, y.Float64)
	case Int64:
		where(&p, o.Int64, c.Bool, x.Int64, y.Int64)
	case Int32:
		where(&p, o.Int32, c.Bool, x.Int32, y.Int32)
	case String:
		where(&p, o.String, c.Bool, x.String, y.String)
	}
	return nil
}

func where[T any](p *bcastPlan, d []T, c []bool, x, y []T) {
	n, step := p.inner()
	for r := p.runs(); r > 0; r-- {
		ic, ix, iy := p.off[0], p.off[1], p.off[2]
		for i := p.o; i < p.o+n; i++ {
			if c[ic] {
				d[i] = x[ix]
			} else {
				d[i] = y[iy]
			}
			ic += step[0]
			ix += step[1]
			iy += step[2]
		}
		p.step()
	}
}

// clipKernel is Clip: max(min(x, hi), lo) in onnxruntime's order, first
// raising to lo, then lowering to hi (so lo > hi gives hi).
type clipKernel struct {
	types typeSet
	// lo and hi are Clip-6's attributes; later versions take inputs.
	lo, hi float32
	attrs  bool
}

func buildClip(n *node) (kernel, error) {
	k := &clipKernel{attrs: n.version < 11}
	var err error
	r := since(6, tF32).then(12, tNum)
	if k.attrs {
		err = n.checkArity(1, 1, 1, 1)
		k.lo = n.attr.float("min", -math.MaxFloat32)
		k.hi = n.attr.float("max", math.MaxFloat32)
	} else {
		err = n.checkArity(1, 3, 1, 1)
	}
	if err != nil {
		return nil, err
	}
	if k.types, err = nodeTypes(n, r, 0, 1, 2); err != nil {
		return nil, err
	}
	for i := 1; i <= 2; i++ {
		if c := n.constInput(i); c != nil && c.Len() != 1 {
			return nil, fmt.Errorf("input %d (%s) has shape %v; it must be a scalar", i, [...]string{"", "min", "max"}[i], c.Shape)
		}
	}
	n.outTypes = []DataType{n.inType(0)}
	return k, nil
}

func (k *clipKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	var lo, hi *Tensor
	if len(in) > 1 {
		lo = in[1]
	}
	if len(in) > 2 {
		hi = in[2]
	}
	for _, b := range []*Tensor{lo, hi} {
		if b == nil {
			continue
		}
		if err := checkTypes(k.types, x, b); err != nil {
			return err
		}
		if b.Len() != 1 || len(b.Shape) > 1 {
			return fmt.Errorf("min and max must be scalars, got shape %v", b.Shape)
		}
	}
	o := out[0]
	o.reset(x.Type, x.Shape)
	switch x.Type {
	case Float32:
		l, h := k.lo, k.hi
		if !k.attrs {
			l, h = bound(lo, -math.MaxFloat32, func(t *Tensor) float32 { return t.Float32[0] }), bound(hi, math.MaxFloat32, func(t *Tensor) float32 { return t.Float32[0] })
		}
		clip(o.Float32, x.Float32, l, h)
	case Float64:
		clip(o.Float64, x.Float64, bound(lo, -math.MaxFloat64, func(t *Tensor) float64 { return t.Float64[0] }), bound(hi, math.MaxFloat64, func(t *Tensor) float64 { return t.Float64[0] }))
	case Int64:
		clip(o.Int64, x.Int64, bound(lo, math.MinInt64, func(t *Tensor) int64 { return t.Int64[0] }), bound(hi, math.MaxInt64, func(t *Tensor) int64 { return t.Int64[0] }))
	case Int32:
		clip(o.Int32, x.Int32, bound(lo, math.MinInt32, func(t *Tensor) int32 { return t.Int32[0] }), bound(hi, math.MaxInt32, func(t *Tensor) int32 { return t.Int32[0] }))
	}
	return nil
}

func bound[T any](t *Tensor, def T, get func(*Tensor) T) T {
	if t == nil {
		return def
	}
	return get(t)
}

func clip[T number](d, x []T, lo, hi T) {
	d = d[:len(x)]
	for i, v := range x {
		d[i] = minOf(maxOf(v, lo), hi)
	}
}
