package onnx

import (
	"context"
	"fmt"
	"math"
	"math/bits"
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
// (Arrays rather than slices keep it on the kernel's stack.)
type reduceLayout struct {
	nk, nr           int
	kept, keptStride [maxReduceRank]int
	red, redStride   [maxReduceRank]int
	count            int // number of elements reduced into each output
}

// planReduce computes the output shape (appended to dst) and the layout
// of reducing shape over the axes in mask.
func planReduce(dst []int, shape []int, mask uint64, keepdims bool, l *reduceLayout) []int {
	out := dst[:0]
	stride := 1
	l.count, l.nk, l.nr = 1, 0, 0
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
				l.red[l.nr-1] *= n
			case isRed == lastRed:
				l.kept[l.nk-1] *= n
			case red:
				l.red[l.nr], l.redStride[l.nr] = n, stride
				l.nr++
			default:
				l.kept[l.nk], l.keptStride[l.nk] = n, stride
				l.nk++
			}
			lastRed = isRed
		}
		stride *= n
	}
	reverse(l.kept[:l.nk])
	reverse(l.keptStride[:l.nk])
	reverse(l.red[:l.nr])
	reverse(l.redStride[:l.nr])
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
	mask, err := axesMask(axes, len(x.Shape))
	if err != nil {
		return err
	}
	if len(axes) == 0 && k.noop {
		// Reducing over no axis: each output is its element, reduced
		// alone (ReduceL1 still takes its absolute value).
		mask = 0
	}
	o := out[0]
	var l reduceLayout
	shape := planReduce(o.Shape, x.Shape, mask, k.keepdims, &l)
	o.reset(x.Type, shape)
	if l.nr == 0 && x.Type != Bool && (k.kind == rSum || k.kind == rMean || k.kind == rMax || k.kind == rMin || k.kind == rProd) {
		// Only unit dimensions are reduced: each output is its element.
		o.copyValues(x)
		return nil
	}
	var idx [2][maxReduceRank]int
	outs := l.outputs(idx[0][:])
	switch x.Type {
	case Float32:
		for i := range o.Float32 {
			o.Float32[i] = reduceFloat(k.kind, &l, x.Float32, outs.off, idx[1][:])
			outs.next()
		}
	case Float64:
		for i := range o.Float64 {
			o.Float64[i] = reduceFloat(k.kind, &l, x.Float64, outs.off, idx[1][:])
			outs.next()
		}
	case Int64:
		for i := range o.Int64 {
			o.Int64[i] = reduceInt64(k.kind, &l, x.Int64, outs.off, idx[1][:])
			outs.next()
		}
	case Int32:
		for i := range o.Int32 {
			o.Int32[i] = reduceInt32(k.kind, &l, x.Int32, outs.off, idx[1][:])
			outs.next()
		}
	case Bool:
		// ReduceMax is Or, ReduceMin is And: the result is the identity
		// unless some element differs from it.
		id := k.kind == rMin
		for i := range o.Bool {
			acc := id
			r, count, n, st := l.runs(outs.off, idx[1][:])
			for ; count > 0; count-- {
				for j := 0; j < n; j++ {
					if x.Bool[r.off+j*st] != id {
						acc = !id
					}
				}
				r.next()
			}
			o.Bool[i] = acc
			outs.next()
		}
	}
	return nil
}

// An odometer steps through the offsets of a strided index space, the
// last dimension fastest.
type odometer struct {
	dims, strides, idx []int
	off                int
}

func (c *odometer) next() {
	for d := len(c.dims) - 1; d >= 0; d-- {
		c.idx[d]++
		c.off += c.strides[d]
		if c.idx[d] < c.dims[d] {
			return
		}
		c.off -= c.idx[d] * c.strides[d]
		c.idx[d] = 0
	}
}

// runs describes the reduced elements of one output: its runs of n
// elements st apart start at the offsets r steps through from base.
func (l *reduceLayout) runs(base int, idx []int) (r odometer, count, n, st int) {
	last := l.nr - 1
	if last < 0 {
		return odometer{off: base}, 1, 1, 1
	}
	count = 1
	for _, d := range l.red[:last] {
		count *= d
	}
	clear(idx[:last])
	return odometer{dims: l.red[:last], strides: l.redStride[:last], idx: idx[:last], off: base}, count, l.red[last], l.redStride[last]
}

// outputs returns an odometer over the outputs' first input elements.
func (l *reduceLayout) outputs(idx []int) odometer {
	clear(idx[:l.nk])
	return odometer{dims: l.kept[:l.nk], strides: l.keptStride[:l.nk], idx: idx[:l.nk]}
}

// reduceFloat reduces the elements of one output, accumulating in the
// element type as onnxruntime does. Max and Min scan from the first
// element and take strictly greater (smaller) values, so a NaN is kept
// only when it comes first; over no elements they give ∓Inf, and Mean 0.
func reduceFloat[T float32 | float64](kind reduceKind, l *reduceLayout, x []T, base int, idx []int) T {
	if l.count == 0 {
		switch kind {
		case rProd:
			return 1
		case rMax, rLogSumExp, rLogSum:
			return T(math.Inf(-1))
		case rMin:
			return T(math.Inf(1))
		}
		return 0
	}
	var acc T
	switch kind {
	case rProd:
		acc = 1
	case rMax, rMin, rLogSumExp:
		acc = x[base]
	}
	r, count, n, st := l.runs(base, idx)
	for ; count > 0; count-- {
		acc = accumulate(kind, acc, x[r.off:], n, st)
		r.next()
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
		if math.IsInf(float64(m), 0) {
			m = 0
		}
		var sum T
		r, count, n, st := l.runs(base, idx)
		for ; count > 0; count-- {
			xs := x[r.off:]
			for j := 0; j < n; j++ {
				sum += T(math.Exp(float64(xs[j*st] - m)))
			}
			r.next()
		}
		return T(math.Log(float64(sum))) + m
	}
	return acc
}

// accumulate folds n elements of x, st apart, into acc. Contiguous sums
// use four interleaved partial sums, as onnxruntime's vectorized (Eigen)
// sums do; sums of squares run in order, as its ReduceSumSquare and
// ReduceL2 accumulate them (checked against onnxruntime on rows of 4 to
// 256 elements).
func accumulate[T float32 | float64](kind reduceKind, acc T, x []T, n, st int) T {
	if st == 1 {
		switch kind {
		case rSum, rMean, rLogSum:
			return acc + sum4(x[:n])
		}
	}
	for j := 0; j < n; j++ {
		v := x[j*st]
		switch kind {
		case rSum, rMean, rLogSum:
			acc += v
		case rSumSquare, rL2:
			acc += T(v * v) // the conversion keeps v*v from fusing into an FMA

		case rL1:
			acc += T(math.Abs(float64(v)))
		case rProd:
			acc *= v
		case rMax, rLogSumExp:
			if v > acc {
				acc = v
			}
		case rMin:
			if v < acc {
				acc = v
			}
		}
	}
	return acc
}

// sum4 sums x in four lanes, lane j taking the elements at indices ≡ j
// mod 4, and adds the lanes as (0+2)+(1+3), then the tail.
func sum4[T float32 | float64](x []T) T {
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
	}
	s := (s0 + s2) + (s1 + s3)
	for _, v := range x[i:] {
		s += v
	}
	return s
}

// onnxruntime reduces integers in extended precision and converts the
// result through float64 to the element type, saturating (NaN becomes 0):
// Sum, Mean and L1 of int64 accumulate exactly here (in 128 bits), the
// other int64 reductions and all int32 ones in float64, which is exact
// below 2^53.

func reduceInt64(kind reduceKind, l *reduceLayout, x []int64, base int, idx []int) int64 {
	switch kind {
	case rSum, rMean, rL1:
		var acc int128
		r, count, n, st := l.runs(base, idx)
		for ; count > 0; count-- {
			for j := 0; j < n; j++ {
				v := x[r.off+j*st]
				if kind == rL1 && v < 0 {
					acc.addNeg(v)
					continue
				}
				acc.add(v)
			}
			r.next()
		}
		v := acc.float64()
		if kind == rMean {
			v = meanOf(v, l.count)
		}
		return saturate64(v)
	case rMax, rMin:
		return extremeInt(kind, l, x, base, idx, math.MinInt64, math.MaxInt64)
	}
	return saturate64(reduceIntFloat(kind, l, x, base, idx))
}

func reduceInt32(kind reduceKind, l *reduceLayout, x []int32, base int, idx []int) int32 {
	switch kind {
	case rMax, rMin:
		return extremeInt(kind, l, x, base, idx, math.MinInt32, math.MaxInt32)
	case rMean:
		return saturate32(meanOf(reduceIntFloat(rSum, l, x, base, idx), l.count))
	}
	return saturate32(reduceIntFloat(kind, l, x, base, idx))
}

// meanOf divides a sum by a count; the mean of nothing is 0.
func meanOf(sum float64, count int) float64 {
	if count == 0 {
		return 0
	}
	return sum / float64(count)
}

func extremeInt[T int32 | int64](kind reduceKind, l *reduceLayout, x []T, base int, idx []int, lo, hi T) T {
	acc := lo
	if kind == rMin {
		acc = hi
	}
	r, count, n, st := l.runs(base, idx)
	for ; count > 0; count-- {
		for j := 0; j < n; j++ {
			if kind == rMax {
				acc = max(acc, x[r.off+j*st])
			} else {
				acc = min(acc, x[r.off+j*st])
			}
		}
		r.next()
	}
	return acc
}

// reduceIntFloat reduces integers in float64.
func reduceIntFloat[T int32 | int64](kind reduceKind, l *reduceLayout, x []T, base int, idx []int) float64 {
	if l.count == 0 {
		switch kind {
		case rProd:
			return 1
		case rLogSumExp, rLogSum:
			return math.Inf(-1)
		}
		return 0
	}
	acc := 0.0
	switch kind {
	case rProd:
		acc = 1
	case rLogSumExp:
		acc = float64(x[base])
	}
	r, count, n, st := l.runs(base, idx)
	for ; count > 0; count-- {
		for j := 0; j < n; j++ {
			v := float64(x[r.off+j*st])
			switch kind {
			case rSum, rLogSum:
				acc += v
			case rSumSquare, rL2:
				acc += v * v
			case rL1:
				acc += math.Abs(v)
			case rProd:
				acc *= v
			case rLogSumExp:
				acc = max(acc, v)
			}
		}
		r.next()
	}
	switch kind {
	case rLogSum:
		return math.Log(acc)
	case rL2:
		return math.Sqrt(acc)
	case rLogSumExp:
		m, sum := acc, 0.0
		r, count, n, st := l.runs(base, idx)
		for ; count > 0; count-- {
			for j := 0; j < n; j++ {
				sum += math.Exp(float64(x[r.off+j*st]) - m)
			}
			r.next()
		}
		return math.Log(sum) + m
	}
	return acc
}

// saturate64 converts v to int64, truncating toward zero and clamping
// to int64's range; NaN becomes 0.
func saturate64(v float64) int64 {
	switch {
	case v != v:
		return 0
	case v <= math.MinInt64:
		return math.MinInt64
	case v >= math.MaxInt64:
		return math.MaxInt64
	}
	return int64(v)
}

// saturate32 is saturate64 for int32.
func saturate32(v float64) int32 {
	switch {
	case v != v:
		return 0
	case v <= math.MinInt32:
		return math.MinInt32
	case v >= math.MaxInt32:
		return math.MaxInt32
	}
	return int32(v)
}

// int128 is a two's complement 128-bit integer accumulator.
type int128 struct {
	hi int64
	lo uint64
}

func (a *int128) add(v int64) {
	lo, carry := bits.Add64(a.lo, uint64(v), 0)
	a.lo = lo
	a.hi += int64(carry)
	if v < 0 {
		a.hi--
	}
}

// addNeg adds -v for a negative v (which may be math.MinInt64).
func (a *int128) addNeg(v int64) {
	lo, carry := bits.Add64(a.lo, -uint64(v), 0)
	a.lo = lo
	a.hi += int64(carry)
}

// float64 rounds the value to the nearest float64.
func (a int128) float64() float64 {
	if (a.hi == 0 && a.lo < 1<<63) || (a.hi == -1 && a.lo >= 1<<63) {
		return float64(int64(a.lo))
	}
	return float64(a.hi)*0x1p64 + float64(a.lo)
}
