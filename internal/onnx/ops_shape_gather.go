package onnx

import (
	"context"
	"fmt"
	"math"
)

// gather takes slices of its input along an axis at the given indices.
type gather struct {
	axis int64
}

func buildGather(n *node) (kernel, error) {
	if err := onlyAttrs(n, "axis"); err != nil {
		return nil, err
	}
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "indices", Int32, Int64); err != nil {
		return nil, err
	}
	sameType(n, 0)
	return &gather{axis: n.attr.int("axis", 0)}, nil
}

// checkIndices checks that every index is in [-dim, dim).
func checkIndices(iv intVec, dim int) error {
	d := int64(dim)
	for i := range iv.len() {
		if v := iv.at(i); v < -d || v >= d {
			return fmt.Errorf("index %d is out of range for a dimension of size %d", v, dim)
		}
	}
	return nil
}

func (k *gather) run(_ context.Context, in, out []*Tensor) error {
	x, ind := in[0], in[1]
	a, err := normAxis(k.axis, len(x.Shape))
	if err != nil {
		return err
	}
	iv, err := ints(ind, "indices", false)
	if err != nil {
		return err
	}
	dim := x.Shape[a]
	if err := checkIndices(iv, dim); err != nil {
		return err
	}
	dims := append(out[0].Shape[:0], x.Shape[:a]...)
	dims = append(dims, ind.Shape...)
	dims = append(dims, x.Shape[a+1:]...)
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	o := out[0]
	o.reset(x.Type, dims)
	outer, inner := product(x.Shape[:a]), product(x.Shape[a+1:])
	if iv.i64 != nil {
		gatherTyped(o, x, iv.i64, outer, dim, inner)
	} else {
		gatherTyped(o, x, iv.i32, outer, dim, inner)
	}
	return nil
}

func gatherTyped[I int32 | int64](o, x *Tensor, idx []I, outer, dim, inner int) {
	switch x.Type {
	case Float32:
		gatherBlocks(o.Float32, x.Float32, idx, outer, dim, inner)
	case Float64:
		gatherBlocks(o.Float64, x.Float64, idx, outer, dim, inner)
	case Int64:
		gatherBlocks(o.Int64, x.Int64, idx, outer, dim, inner)
	case Int32:
		gatherBlocks(o.Int32, x.Int32, idx, outer, dim, inner)
	case Bool:
		gatherBlocks(o.Bool, x.Bool, idx, outer, dim, inner)
	case String:
		gatherBlocks(o.String, x.String, idx, outer, dim, inner)
	}
}

// gatherBlocks copies, for each of outer groups of dim blocks of inner
// elements, the blocks at the (checked) indices.
func gatherBlocks[T any, I int32 | int64](dst, src []T, idx []I, outer, dim, inner int) {
	k := 0
	for o := range outer {
		base := o * dim
		for _, v := range idx {
			i := int(v)
			if i < 0 {
				i += dim
			}
			s := (base + i) * inner
			if inner == 1 {
				dst[k] = src[s]
			} else {
				copy(dst[k:k+inner], src[s:s+inner])
			}
			k += inner
		}
	}
}

// gatherElements picks, for every index, the element of its input at the
// index's position with the axis coordinate replaced by the index.
type gatherElements struct {
	axis int64
}

func buildGatherElements(n *node) (kernel, error) {
	if err := onlyAttrs(n, "axis"); err != nil {
		return nil, err
	}
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "indices", Int32, Int64); err != nil {
		return nil, err
	}
	sameType(n, 0)
	return &gatherElements{axis: n.attr.int("axis", 0)}, nil
}

func (k *gatherElements) run(_ context.Context, in, out []*Tensor) error {
	x, ind := in[0], in[1]
	r := len(x.Shape)
	if len(ind.Shape) != r {
		return fmt.Errorf("indices shape %s and data shape %s have different ranks", formatShape(ind.Shape), formatShape(x.Shape))
	}
	a, err := normAxis(k.axis, r)
	if err != nil {
		return err
	}
	for i, d := range ind.Shape {
		if i != a && d > x.Shape[i] {
			return fmt.Errorf("indices shape %s exceeds data shape %s on axis %d", formatShape(ind.Shape), formatShape(x.Shape), i)
		}
	}
	iv, err := ints(ind, "indices", false)
	if err != nil {
		return err
	}
	if err := checkIndices(iv, x.Shape[a]); err != nil {
		return err
	}
	var sb [maxLoops]int
	strides := intBuf(sb[:], r)
	stridesOf(strides, x.Shape)
	o := out[0]
	o.reset(x.Type, ind.Shape)
	if o.Len() == 0 {
		return nil
	}
	g := elemGather{iv: iv, dims: ind.Shape, strides: strides, axis: a, dim: x.Shape[a]}
	switch x.Type {
	case Float32:
		gatherElems(&g, o.Float32, x.Float32, 0, 0)
	case Float64:
		gatherElems(&g, o.Float64, x.Float64, 0, 0)
	case Int64:
		gatherElems(&g, o.Int64, x.Int64, 0, 0)
	case Int32:
		gatherElems(&g, o.Int32, x.Int32, 0, 0)
	case Bool:
		gatherElems(&g, o.Bool, x.Bool, 0, 0)
	case String:
		gatherElems(&g, o.String, x.String, 0, 0)
	}
	return nil
}

// elemGather is GatherElements' walk over the index tensor.
type elemGather struct {
	iv      intVec
	dims    []int // the index tensor's shape
	strides []int // the data's strides
	axis    int
	dim     int // the data's size along axis
	next    int // the next output (and index) position
}

func gatherElems[T any](g *elemGather, dst, src []T, level, si int) {
	if level == len(g.dims) {
		i := int(g.iv.at(g.next))
		if i < 0 {
			i += g.dim
		}
		dst[g.next] = src[si+i*g.strides[g.axis]]
		g.next++
		return
	}
	step := g.strides[level]
	if level == g.axis {
		step = 0
	}
	for c := range g.dims[level] {
		gatherElems(g, dst, src, level+1, si+c*step)
	}
}

// gatherND takes slices of its input addressed by index tuples, the
// first batch_dims dimensions being shared by data and indices.
type gatherND struct {
	batchDims int
}

func buildGatherND(n *node) (kernel, error) {
	allowed := []string{}
	if n.version >= 12 {
		allowed = append(allowed, "batch_dims")
	}
	if err := onlyAttrs(n, allowed...); err != nil {
		return nil, err
	}
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "indices", Int64); err != nil {
		return nil, err
	}
	b := n.attr.int("batch_dims", 0)
	if b < 0 || b > 64 {
		return nil, fmt.Errorf("attribute batch_dims is %d, want a small non-negative value", b)
	}
	sameType(n, 0)
	return &gatherND{batchDims: int(b)}, nil
}

func (k *gatherND) run(_ context.Context, in, out []*Tensor) error {
	x, ind := in[0], in[1]
	r, q, b := len(x.Shape), len(ind.Shape), k.batchDims
	if ind.Type != Int64 {
		return fmt.Errorf("indices have element type %v, want int64", ind.Type)
	}
	if r < 1 || q < 1 {
		return fmt.Errorf("data shape %s and indices shape %s must have rank 1 or more", formatShape(x.Shape), formatShape(ind.Shape))
	}
	if b >= q || b >= r {
		return fmt.Errorf("batch_dims %d must be less than the ranks of data %s and indices %s", b, formatShape(x.Shape), formatShape(ind.Shape))
	}
	tuple := ind.Shape[q-1]
	if tuple > r-b {
		return fmt.Errorf("indices shape %s: tuples of %d index more than the %d dimensions of data %s after batch_dims", formatShape(ind.Shape), tuple, r-b, formatShape(x.Shape))
	}
	dataBatch, indBatch := product(x.Shape[:b]), product(ind.Shape[:b])
	if (dataBatch == 0) != (indBatch == 0) || (dataBatch > 0 && indBatch%dataBatch != 0) {
		return fmt.Errorf("indices batch size %d is not a multiple of data batch size %d", indBatch, dataBatch)
	}
	dims := append(out[0].Shape[:0], ind.Shape[:q-1]...)
	dims = append(dims, x.Shape[b+tuple:]...)
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	var sb [maxLoops]int
	strides := intBuf(sb[:], r)
	stridesOf(strides, x.Shape)
	sliceSize := product(x.Shape[b+tuple:])
	tuples := product(ind.Shape[:q-1])
	perBatch := product(ind.Shape[b : q-1])
	batchStride := product(x.Shape[b:])
	// Check every index before copying anything.
	for t := range tuples {
		for j := range tuple {
			v, d := ind.Int64[t*tuple+j], int64(x.Shape[b+j])
			if v < -d || v >= d {
				return fmt.Errorf("index %d is out of range for a dimension of size %d", v, d)
			}
		}
	}
	o := out[0]
	o.reset(x.Type, dims)
	for t := range tuples {
		off := 0
		if perBatch > 0 && dataBatch > 0 {
			off = (t / perBatch) / (indBatch / dataBatch) * batchStride
		}
		for j := range tuple {
			v := int(ind.Int64[t*tuple+j])
			if v < 0 {
				v += x.Shape[b+j]
			}
			off += v * strides[b+j]
		}
		copyElems(o, t*sliceSize, x, off, sliceSize)
	}
	return nil
}

// compress keeps the slices along an axis (or the elements of the
// flattened input) whose condition is true.
type compress struct {
	axis    int64
	hasAxis bool
}

func buildCompress(n *node) (kernel, error) {
	if err := onlyAttrs(n, "axis"); err != nil {
		return nil, err
	}
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "condition", Bool); err != nil {
		return nil, err
	}
	sameType(n, 0)
	return &compress{axis: n.attr.int("axis", 0), hasAxis: n.attr.has("axis")}, nil
}

func (k *compress) run(_ context.Context, in, out []*Tensor) error {
	x, cond := in[0], in[1]
	if cond.Type != Bool || len(cond.Shape) != 1 {
		return fmt.Errorf("condition must be a 1-D bool tensor, got %s", cond.Describe())
	}
	o := out[0]
	var outer, dim, inner int
	a := 0
	if k.hasAxis {
		var err error
		if a, err = normAxis(k.axis, len(x.Shape)); err != nil {
			return err
		}
		outer, dim, inner = product(x.Shape[:a]), x.Shape[a], product(x.Shape[a+1:])
	} else {
		outer, dim, inner = 1, x.Len(), 1
	}
	c := cond.Bool[:min(len(cond.Bool), dim)]
	kept := 0
	for _, v := range c {
		if v {
			kept++
		}
	}
	if k.hasAxis {
		dims := append(o.Shape[:0], x.Shape...)
		dims[a] = kept
		o.reset(x.Type, dims)
	} else {
		o.reset(x.Type, []int{kept})
	}
	di := 0
	for g := range outer {
		for j, v := range c {
			if v {
				copyElems(o, di, x, (g*dim+j)*inner, inner)
				di += inner
			}
		}
	}
	return nil
}

func buildNonZero(n *node) (kernel, error) {
	if err := onlyAttrs(n); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Int64}
	return kernelFunc(runNonZero), nil
}

// runNonZero is NonZero: the coordinates of the non-zero elements (true,
// non-empty strings, NaN included), one column per element in row-major
// order. A scalar counts as a 1-D tensor of one element.
func runNonZero(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	switch x.Type {
	case Float32:
		nonZero(out[0], x.Shape, x.Float32, 0)
	case Float64:
		nonZero(out[0], x.Shape, x.Float64, 0)
	case Int64:
		nonZero(out[0], x.Shape, x.Int64, 0)
	case Int32:
		nonZero(out[0], x.Shape, x.Int32, 0)
	case Bool:
		nonZero(out[0], x.Shape, x.Bool, false)
	case String:
		nonZero(out[0], x.Shape, x.String, "")
	}
	return nil
}

func nonZero[T comparable](o *Tensor, shape []int, data []T, zero T) {
	nnz := 0
	for _, v := range data {
		if v != zero {
			nnz++
		}
	}
	r := len(shape)
	if r == 0 {
		o.reset(Int64, []int{1, nnz})
		if nnz == 1 {
			o.Int64[0] = 0
		}
		return
	}
	o.reset(Int64, []int{r, nnz})
	col := 0
	for i, v := range data {
		if v == zero {
			continue
		}
		rem := i
		for d := r - 1; d >= 0; d-- {
			o.Int64[d*nnz+col] = int64(rem % shape[d])
			rem /= shape[d]
		}
		col++
	}
}

// oneHot expands indices into one-hot vectors of depth elements along a
// new axis, holding values[1] at the index and values[0] elsewhere.
type oneHot struct {
	axis int64
}

func buildOneHot(n *node) (kernel, error) {
	if err := onlyAttrs(n, "axis"); err != nil {
		return nil, err
	}
	if err := n.checkArity(3, 3, 1, 1); err != nil {
		return nil, err
	}
	numeric := []DataType{Float32, Float64, Int64, Int32}
	if err := checkInputType(n, 0, "indices", numeric...); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "depth", numeric...); err != nil {
		return nil, err
	}
	if v := n.constInput(2); v != nil && (len(v.Shape) != 1 || v.Len() != 2) {
		return nil, fmt.Errorf("values has shape %s, want [2]", formatShape(v.Shape))
	}
	n.outTypes = []DataType{n.inType(2)}
	return &oneHot{axis: n.attr.int("axis", -1)}, nil
}

func (k *oneHot) run(_ context.Context, in, out []*Tensor) error {
	ind, dt, vals := in[0], in[1], in[2]
	if len(ind.Shape) < 1 {
		return fmt.Errorf("indices must have rank 1 or more, got shape %s", formatShape(ind.Shape))
	}
	if !isScalarLike(dt) {
		return fmt.Errorf("depth has shape %s, want a scalar", formatShape(dt.Shape))
	}
	if len(vals.Shape) != 1 || vals.Len() != 2 {
		return fmt.Errorf("values has shape %s, want [2]", formatShape(vals.Shape))
	}
	var depth int64
	switch dt.Type {
	case Float32:
		depth = truncInt(float64(dt.Float32[0]))
	case Float64:
		depth = truncInt(dt.Float64[0])
	case Int64:
		depth = dt.Int64[0]
	case Int32:
		depth = int64(dt.Int32[0])
	default:
		return fmt.Errorf("depth has element type %v, want a number", dt.Type)
	}
	if depth <= 0 || depth > maxElements {
		return fmt.Errorf("depth %d is out of range", depth)
	}
	outRank := len(ind.Shape) + 1
	a, err := normAxis(k.axis, outRank)
	if err != nil {
		return err
	}
	dims := append(out[0].Shape[:0], ind.Shape[:a]...)
	dims = append(dims, int(depth))
	dims = append(dims, ind.Shape[a:]...)
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	o := out[0]
	o.reset(vals.Type, dims)
	fillElems(o, 0, o.Len(), vals, 0)
	prefix, suffix := product(ind.Shape[:a]), product(ind.Shape[a:])
	d := int(depth)
	set := func(i int, v int64, ok bool) {
		if !ok {
			return
		}
		if v < 0 {
			v += depth
		}
		if v >= 0 && v < depth {
			p, s := i/suffix, i%suffix
			fillElems(o, (p*d+int(v))*suffix+s, 1, vals, 1)
		}
	}
	if prefix*suffix == 0 {
		return nil
	}
	switch ind.Type {
	case Int64:
		for i, v := range ind.Int64 {
			set(i, v, true)
		}
	case Int32:
		for i, v := range ind.Int32 {
			set(i, int64(v), true)
		}
	case Float32:
		for i, v := range ind.Float32 {
			// onnxruntime compares the (adjusted) float index with each
			// position, so only integral values select one.
			if v < 0 {
				v += float32(depth)
			}
			set(i, int64(v), float32(int64(v)) == v && v >= 0)
		}
	case Float64:
		for i, v := range ind.Float64 {
			if v < 0 {
				v += float64(depth)
			}
			set(i, int64(v), float64(int64(v)) == v && v >= 0)
		}
	default:
		return fmt.Errorf("indices have element type %v, want a number", ind.Type)
	}
	return nil
}

// truncInt converts v to an integer toward zero, mapping NaN and values
// out of the int64 range to 0.
func truncInt(v float64) int64 {
	if math.IsNaN(v) || v >= math.MaxInt64 || v <= math.MinInt64 {
		return 0
	}
	return int64(v)
}
