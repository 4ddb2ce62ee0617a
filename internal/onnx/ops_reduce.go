package onnx

import (
	"context"
	"fmt"
	"math"
)

// reduceOps holds the kernels for reductions, ArgMax/ArgMin, CumSum, TopK.
var reduceOps = withAttrCheck(map[opKey]opSpec{
	{"", "ReduceSum"}:       {since: []int{1, 11, 13}, build: reduceBuilder(rSum, 13)},
	{"", "ReduceMean"}:      {since: []int{1, 11, 13, 18}, build: reduceBuilder(rMean, 18)},
	{"", "ReduceMax"}:       {since: []int{1, 11, 12, 13, 18, 20}, build: reduceBuilder(rMax, 18)},
	{"", "ReduceMin"}:       {since: []int{1, 11, 12, 13, 18, 20}, build: reduceBuilder(rMin, 18)},
	{"", "ReduceProd"}:      {since: []int{1, 11, 13, 18}, build: reduceBuilder(rProd, 18)},
	{"", "ReduceSumSquare"}: {since: []int{1, 11, 13, 18}, build: reduceBuilder(rSumSquare, 18)},
	{"", "ReduceLogSumExp"}: {since: []int{1, 11, 13, 18}, build: reduceBuilder(rLogSumExp, 18)},
	{"", "ReduceLogSum"}:    {since: []int{1, 11, 13, 18}, build: reduceBuilder(rLogSum, 18)},
	{"", "ReduceL1"}:        {since: []int{1, 11, 13, 18}, build: reduceBuilder(rL1, 18)},
	{"", "ReduceL2"}:        {since: []int{1, 11, 13, 18}, build: reduceBuilder(rL2, 18)},

	{"", "ArgMax"}: {since: []int{1, 11, 12, 13}, build: argBuilder(true)},
	{"", "ArgMin"}: {since: []int{1, 11, 12, 13}, build: argBuilder(false)},
	{"", "CumSum"}: {since: []int{11, 14}, build: buildCumSum},
	{"", "TopK"}:   {since: []int{1, 10, 11}, build: buildTopK},
})

// reduceKind names the reductions.
type reduceKind int

const (
	rSum reduceKind = iota
	rMean
	rMax
	rMin
	rProd
	rSumSquare
	rLogSumExp
	rLogSum
	rL1
	rL2
)

// reduceKernel is one of the Reduce operators. Its axes are an attribute
// before the version that made them an optional input (13 for ReduceSum,
// 18 for the others); no axes means all, unless noop_with_empty_axes
// makes the operator an identity.
type reduceKernel struct {
	kind      reduceKind
	types     typeSet
	axes      []int64
	axesInput bool
	keepdims  bool
	noop      bool
}

func reduceBuilder(kind reduceKind, axesInputFrom int) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		k := &reduceKernel{kind: kind, axesInput: n.version >= axesInputFrom}
		var err error
		if k.axesInput {
			err = n.checkArity(1, 2, 1, 1)
			if err == nil && n.attr.has("axes") {
				err = fmt.Errorf("%s-%d takes axes as an input, not an attribute", n.opType, n.version)
			}
		} else {
			err = n.checkArity(1, 1, 1, 1)
			k.axes = n.attr.ints("axes")
		}
		if err != nil {
			return nil, err
		}
		r := since(1, tNum)
		if kind == rMax || kind == rMin {
			r = r.then(20, tNum|tBool)
		}
		if k.types, err = nodeTypes(n, r, 0); err != nil {
			return nil, err
		}
		k.keepdims = n.attr.int("keepdims", 1) != 0
		k.noop = n.attr.int("noop_with_empty_axes", 0) != 0
		if c := n.constInput(1); c != nil {
			if err := checkAxesTensor(c); err != nil {
				return nil, err
			}
		}
		n.outTypes = []DataType{n.inType(0)}
		return k, nil
	}
}

func checkAxesTensor(t *Tensor) error {
	if t.Type != Int64 || len(t.Shape) > 1 {
		return fmt.Errorf("axes must be a 1-D int64 tensor, got %s", t.Describe())
	}
	return nil
}

// maxReduceRank bounds the rank of a reduced tensor (axes are a bit mask).
const maxReduceRank = 64

// reduceLayout describes a reduction: the input's dimensions merged into
// runs of kept and of reduced dimensions, with their element strides.
type reduceLayout struct {
	kept, keptStride []int
	red, redStride   []int
	count            int // number of elements reduced into each output
}

// planReduce computes the output shape (appended to dst) and the layout
// of reducing shape over the axes in mask.
func planReduce(dst []int, shape []int, mask uint64, keepdims bool, l *reduceLayout) []int {
	out := dst[:0]
	stride := 1
	l.count = 1
	// Walk from the innermost dimension out, merging neighbours of the
	// same kind, then reverse.
	lastRed := -1 // kind of the previous merged dimension: 1 reduced, 0 kept
	for d := len(shape) - 1; d >= 0; d-- {
		n := shape[d]
		red := mask&(1<<d) != 0
		if red {
			l.count *= n
		}
		if n != 1 {
			isRed := 0
			if red {
				isRed = 1
			}
			switch {
			case isRed == lastRed && red:
				l.red[len(l.red)-1] *= n
			case isRed == lastRed:
				l.kept[len(l.kept)-1] *= n
			case red:
				l.red = append(l.red, n)
				l.redStride = append(l.redStride, stride)
			default:
				l.kept = append(l.kept, n)
				l.keptStride = append(l.keptStride, stride)
			}
			lastRed = isRed
		}
		stride *= n
	}
	reverse(l.kept)
	reverse(l.keptStride)
	reverse(l.red)
	reverse(l.redStride)
	for d, n := range shape {
		switch {
		case mask&(1<<d) == 0:
			out = append(out, n)
		case keepdims:
			out = append(out, 1)
		}
	}
	return out
}

// axesMask turns axes (negative ones counting from the end) into a bit
// mask over rank dimensions; no axes means all of them.
func axesMask(axes []int64, rank int) (uint64, error) {
	if rank > maxReduceRank {
		return 0, fmt.Errorf("rank %d is above %d", rank, maxReduceRank)
	}
	if len(axes) == 0 {
		return 1<<rank - 1, nil
	}
	var mask uint64
	for _, a := range axes {
		if a < -int64(rank) || a >= int64(rank) {
			return 0, fmt.Errorf("axis %d is out of range for rank %d", a, rank)
		}
		if a < 0 {
			a += int64(rank)
		}
		mask |= 1 << a
	}
	return mask, nil
}

func (k *reduceKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	axes := k.axes
	if k.axesInput && len(in) > 1 && in[1] != nil {
		if err := checkAxesTensor(in[1]); err != nil {
			return err
		}
		axes = in[1].Int64
	}
	o := out[0]
	if len(axes) == 0 && k.noop {
		o.copyFrom(x)
		return nil
	}
	mask, err := axesMask(axes, len(x.Shape))
	if err != nil {
		return err
	}
	var buf [4][8]int
	l := reduceLayout{kept: buf[0][:0], keptStride: buf[1][:0], red: buf[2][:0], redStride: buf[3][:0]}
	shape := planReduce(o.Shape, x.Shape, mask, k.keepdims, &l)
	o.reset(x.Type, shape)
	switch x.Type {
	case Float32:
		reduceAll(k.kind, &l, o.Float32, x.Float32, float32Bits{})
	case Float64:
		reduceAll(k.kind, &l, o.Float64, x.Float64, float64Bits{})
	case Int64:
		if k.kind == rMean && l.count == 0 && len(o.Int64) > 0 {
			return errDivZero
		}
		reduceAll(k.kind, &l, o.Int64, x.Int64, int64Bits{})
	case Int32:
		if k.kind == rMean && l.count == 0 && len(o.Int32) > 0 {
			return errDivZero
		}
		reduceAll(k.kind, &l, o.Int32, x.Int32, int32Bits{})
	case Bool:
		// ReduceMax is Or, ReduceMin is And.
		for i := range o.Bool {
			o.Bool[i] = k.kind == rMin
		}
		eachOutput(&l, func(oi, base int) {
			eachRun(&l, base, func(off, n, st int) {
				for j := 0; j < n; j++ {
					if v := x.Bool[off+j*st]; k.kind == rMax && v {
						o.Bool[oi] = true
					} else if k.kind == rMin && !v {
						o.Bool[oi] = false
					}
				}
			})
		})
	}
	return nil
}

// limits gives a numeric type's extreme values, the identities of Max and
// Min.
type limits[T number] interface {
	lowest() T
	highest() T
}

type float32Bits struct{}

func (float32Bits) lowest() float32  { return float32(math.Inf(-1)) }
func (float32Bits) highest() float32 { return float32(math.Inf(1)) }

type float64Bits struct{}

func (float64Bits) lowest() float64  { return math.Inf(-1) }
func (float64Bits) highest() float64 { return math.Inf(1) }

type int64Bits struct{}

func (int64Bits) lowest() int64  { return math.MinInt64 }
func (int64Bits) highest() int64 { return math.MaxInt64 }

type int32Bits struct{}

func (int32Bits) lowest() int32  { return math.MinInt32 }
func (int32Bits) highest() int32 { return math.MaxInt32 }

// eachOutput calls f for every output element, in order, with the offset
// of its first input element.
func eachOutput(l *reduceLayout, f func(o, base int)) {
	var idx [maxReduceRank]int
	total := 1
	for _, n := range l.kept {
		total *= n
	}
	base := 0
	for o := 0; o < total; o++ {
		f(o, base)
		// Advance the odometer over the kept dimensions.
		for d := len(l.kept) - 1; d >= 0; d-- {
			idx[d]++
			base += l.keptStride[d]
			if idx[d] < l.kept[d] {
				break
			}
			base -= idx[d] * l.keptStride[d]
			idx[d] = 0
		}
	}
}

// eachRun calls f for every run of reduced elements of the output whose
// first input element is at base: n elements, st apart.
func eachRun(l *reduceLayout, base int, f func(off, n, st int)) {
	r := len(l.red)
	if r == 0 {
		f(base, 1, 1)
		return
	}
	last := r - 1
	if r == 1 {
		f(base, l.red[0], l.redStride[0])
		return
	}
	var idx [maxReduceRank]int
	outer := 1
	for _, n := range l.red[:last] {
		outer *= n
	}
	off := base
	for i := 0; i < outer; i++ {
		f(off, l.red[last], l.redStride[last])
		for d := last - 1; d >= 0; d-- {
			idx[d]++
			off += l.redStride[d]
			if idx[d] < l.red[d] {
				break
			}
			off -= idx[d] * l.redStride[d]
			idx[d] = 0
		}
	}
}

// reduceAll computes every output element of a reduction, accumulating in
// the element type as onnxruntime does.
func reduceAll[T number, L limits[T]](kind reduceKind, l *reduceLayout, d, x []T, lim L) {
	eachOutput(l, func(o, base int) {
		d[o] = reduceOne(kind, l, x, base, lim)
	})
}

func reduceOne[T number, L limits[T]](kind reduceKind, l *reduceLayout, x []T, base int, lim L) T {
	var acc T
	switch kind {
	case rProd:
		acc = 1
	case rMax, rLogSumExp:
		acc = lim.lowest()
	case rMin:
		acc = lim.highest()
	}
	nan := false
	eachRun(l, base, func(off, n, st int) {
		switch kind {
		case rSum, rMean, rLogSum:
			for j := 0; j < n; j++ {
				acc += x[off+j*st]
			}
		case rSumSquare, rL2:
			for j := 0; j < n; j++ {
				v := x[off+j*st]
				acc += v * v
			}
		case rL1:
			for j := 0; j < n; j++ {
				v := x[off+j*st]
				acc += max(v, -v)
			}
		case rProd:
			for j := 0; j < n; j++ {
				acc *= x[off+j*st]
			}
		case rMax, rLogSumExp:
			for j := 0; j < n; j++ {
				v := x[off+j*st]
				nan = nan || v != v
				acc = max(acc, v)
			}
		case rMin:
			for j := 0; j < n; j++ {
				v := x[off+j*st]
				nan = nan || v != v
				acc = min(acc, v)
			}
		}
	})
	if nan && (kind == rMax || kind == rMin) {
		return T(math.NaN())
	}
	switch kind {
	case rMean:
		return acc / T(l.count)
	case rLogSum:
		return T(math.Log(float64(acc)))
	case rL2:
		return T(math.Sqrt(float64(acc)))
	case rLogSumExp:
		m := acc
		if nan || math.IsInf(float64(m), 0) {
			m = 0
		}
		var sum T
		eachRun(l, base, func(off, n, st int) {
			for j := 0; j < n; j++ {
				sum += T(math.Exp(float64(x[off+j*st] - m)))
			}
		})
		return T(math.Log(float64(sum))) + m
	}
	return acc
}
