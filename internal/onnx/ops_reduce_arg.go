package onnx

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
)

// argKernel is ArgMax or ArgMin along one axis, with int64 indices. Ties
// go to the first index, or the last with select_last_index (version 12).
type argKernel struct {
	isMax    bool
	types    typeSet
	axis     int
	keepdims bool
	last     bool
}

func argBuilder(isMax bool) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		if err := n.checkArity(1, 1, 1, 1); err != nil {
			return nil, err
		}
		ts, err := nodeTypes(n, since(1, tNum), 0)
		if err != nil {
			return nil, err
		}
		k := &argKernel{isMax: isMax, types: ts,
			axis:     int(n.attr.int("axis", 0)),
			keepdims: n.attr.int("keepdims", 1) != 0}
		if n.version >= 12 {
			k.last = n.attr.int("select_last_index", 0) != 0
		} else if n.attr.has("select_last_index") {
			return nil, fmt.Errorf("attribute \"select_last_index\" needs version 12")
		}
		n.outTypes = []DataType{Int64}
		return k, nil
	}
}

// axisSplit views shape as [outer, n, inner] around axis (negative counts
// from the end).
func axisSplit(shape []int, axis int) (outer, n, inner, a int, err error) {
	r := len(shape)
	if axis < -r || axis >= r {
		return 0, 0, 0, 0, fmt.Errorf("axis %d is out of range for shape %v", axis, shape)
	}
	if axis < 0 {
		axis += r
	}
	return shapeSize(shape[:axis]), shape[axis], shapeSize(shape[axis+1:]), axis, nil
}

func (k *argKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	outer, n, inner, axis, err := axisSplit(x.Shape, k.axis)
	if err != nil {
		return err
	}
	if n == 0 && outer*inner > 0 {
		return fmt.Errorf("cannot take the %s of an empty axis", map[bool]string{true: "ArgMax", false: "ArgMin"}[k.isMax])
	}
	o := out[0]
	shape := append(o.Shape[:0], x.Shape[:axis]...)
	if k.keepdims {
		shape = append(shape, 1)
	}
	shape = append(shape, x.Shape[axis+1:]...)
	o.reset(Int64, shape)
	switch x.Type {
	case Float32:
		argAll(k, o.Int64, x.Float32, outer, n, inner)
	case Float64:
		argAll(k, o.Int64, x.Float64, outer, n, inner)
	case Int64:
		argAll(k, o.Int64, x.Int64, outer, n, inner)
	case Int32:
		argAll(k, o.Int64, x.Int32, outer, n, inner)
	}
	return nil
}

// argAll finds, for every vector along the axis, the index of its
// extreme value: the first (or last) strictly better value wins, so NaNs
// are skipped unless one comes first.
func argAll[T number](k *argKernel, d []int64, x []T, outer, n, inner int) {
	for o := 0; o < outer; o++ {
		for s := 0; s < inner; s++ {
			base := o*n*inner + s
			best, bi := x[base], 0
			for j := 1; j < n; j++ {
				v := x[base+j*inner]
				var better bool
				switch {
				case k.isMax && k.last:
					better = v >= best
				case k.isMax:
					better = v > best
				case k.last:
					better = v <= best
				default:
					better = v < best
				}
				if better {
					best, bi = v, j
				}
			}
			d[o*inner+s] = int64(bi)
		}
	}
}

// cumSumKernel is CumSum along an axis given as a scalar input.
type cumSumKernel struct {
	types              typeSet
	exclusive, reverse bool
}

func buildCumSum(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, since(11, tNum), 0)
	if err != nil {
		return nil, err
	}
	if _, err := nodeTypes(n, since(11, tInt), 1); err != nil {
		return nil, err
	}
	if c := n.constInput(1); c != nil {
		if _, err := scalarInt(c, "axis"); err != nil {
			return nil, err
		}
	}
	n.outTypes = []DataType{n.inType(0)}
	return &cumSumKernel{types: ts,
		exclusive: n.attr.int("exclusive", 0) != 0,
		reverse:   n.attr.int("reverse", 0) != 0}, nil
}

// scalarInt reads an int32 or int64 tensor of one element (rank 0 or 1).
func scalarInt(t *Tensor, what string) (int64, error) {
	if len(t.Shape) > 1 || t.Len() != 1 {
		return 0, fmt.Errorf("%s must be a scalar, got %s", what, t.Describe())
	}
	switch t.Type {
	case Int64:
		return t.Int64[0], nil
	case Int32:
		return int64(t.Int32[0]), nil
	}
	return 0, fmt.Errorf("%s must be an int32 or int64 scalar, got %s", what, t.Describe())
}

func (k *cumSumKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	a, err := scalarInt(in[1], "axis")
	if err != nil {
		return err
	}
	r := int64(len(x.Shape))
	if a < -r || a >= r {
		return fmt.Errorf("axis %d is out of range for shape %v", a, x.Shape)
	}
	outer, n, inner, _, _ := axisSplit(x.Shape, int(a))
	o := out[0]
	o.reset(x.Type, x.Shape)
	switch x.Type {
	case Float32:
		cumSum(k, o.Float32, x.Float32, outer, n, inner)
	case Float64:
		cumSum(k, o.Float64, x.Float64, outer, n, inner)
	case Int64:
		cumSum(k, o.Int64, x.Int64, outer, n, inner)
	case Int32:
		cumSum(k, o.Int32, x.Int32, outer, n, inner)
	}
	return nil
}

func cumSum[T number](k *cumSumKernel, d, x []T, outer, n, inner int) {
	for o := 0; o < outer; o++ {
		for s := 0; s < inner; s++ {
			base := o*n*inner + s
			var acc T
			for j := 0; j < n; j++ {
				jj := j
				if k.reverse {
					jj = n - 1 - j
				}
				i := base + jj*inner
				v := x[i]
				if k.exclusive {
					d[i] = acc
					acc += v
				} else {
					acc += v
					d[i] = acc
				}
			}
		}
	}
}

// topKKernel is TopK: the k largest (or smallest) values along an axis
// and their int64 indices. Equal values keep their index order.
type topKKernel struct {
	types   typeSet
	axis    int
	k       int64 // TopK-1's attribute; later versions take an input
	kInput  bool
	largest bool
	sorted  bool
	// scratch holds *[]int buffers for the candidates of one vector.
	scratch sync.Pool
}

func buildTopK(n *node) (kernel, error) {
	k := &topKKernel{axis: int(n.attr.int("axis", -1)), largest: true, sorted: true, kInput: n.version >= 10}
	k.scratch.New = func() any { return new([]int) }
	var err error
	if k.kInput {
		err = n.checkArity(2, 2, 2, 2)
	} else {
		err = n.checkArity(1, 1, 2, 2)
		n.attr.required("k")
		k.k = n.attr.int("k", 0)
		if k.k < 0 {
			return nil, fmt.Errorf("attribute \"k\" = %d must not be negative", k.k)
		}
	}
	if err != nil {
		return nil, err
	}
	if n.version >= 11 {
		k.largest = n.attr.int("largest", 1) != 0
		k.sorted = n.attr.int("sorted", 1) != 0
	}
	if k.types, err = nodeTypes(n, since(1, tFloat).then(11, tNum), 0); err != nil {
		return nil, err
	}
	if c := n.constInput(1); c != nil {
		if _, err := topKCount(c); err != nil {
			return nil, err
		}
	}
	n.outTypes = []DataType{n.inType(0), Int64}
	return k, nil
}

func topKCount(t *Tensor) (int64, error) {
	if t.Type != Int64 || len(t.Shape) != 1 || t.Len() != 1 {
		return 0, fmt.Errorf("k must be a 1-D int64 tensor of one element, got %s", t.Describe())
	}
	if t.Int64[0] < 0 {
		return 0, fmt.Errorf("k = %d must not be negative", t.Int64[0])
	}
	return t.Int64[0], nil
}

func (k *topKKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(k.types, x); err != nil {
		return err
	}
	count := k.k
	if k.kInput {
		var err error
		if count, err = topKCount(in[1]); err != nil {
			return err
		}
	}
	outer, n, inner, axis, err := axisSplit(x.Shape, k.axis)
	if err != nil {
		return err
	}
	if count > int64(n) {
		return fmt.Errorf("k = %d is larger than the axis (%d)", count, n)
	}
	kk := int(count)
	vals, idx := out[0], out[1]
	shape := append(vals.Shape[:0], x.Shape...)
	shape[axis] = kk
	vals.reset(x.Type, shape)
	idx.reset(Int64, shape)
	switch x.Type {
	case Float32:
		topK(k, vals.Float32, idx.Int64, x.Float32, outer, n, inner, kk)
	case Float64:
		topK(k, vals.Float64, idx.Int64, x.Float64, outer, n, inner, kk)
	case Int64:
		topK(k, vals.Int64, idx.Int64, x.Int64, outer, n, inner, kk)
	case Int32:
		topK(k, vals.Int32, idx.Int64, x.Int32, outer, n, inner, kk)
	}
	return nil
}

// topK selects along every vector as onnxruntime does, so that even the
// unsorted order and inputs holding NaN (for which its comparison is not
// an order) come out the same: k = 1 scans for the first best value;
// small k (k < 4, or log2(k)/log2(n) < 0.725) keeps a heap of the k best,
// which unsorted output lists in heap order; otherwise all candidates are
// sorted (onnxruntime partitions them with std::nth_element, whose order
// of the k best, when they are not sorted, is not reproduced).
func topK[T number](k *topKKernel, vals []T, idx []int64, x []T, outer, n, inner, kk int) {
	if kk == 0 || outer*inner == 0 {
		return
	}
	c := topKCmp[T]{largest: k.largest, stride: inner}
	usePQ := kk != 1 && (kk < 4 || math.Log2(float64(kk))/math.Log2(float64(n)) < 0.725)
	var heap []int
	if kk > 1 {
		buf := k.scratch.Get().(*[]int)
		defer k.scratch.Put(buf)
		size := kk
		if !usePQ {
			size = n
		}
		if cap(*buf) < size {
			*buf = make([]int, size)
		}
		heap = (*buf)[:size]
	}
	for o := 0; o < outer; o++ {
		for s := 0; s < inner; s++ {
			c.x = x[o*n*inner+s:]
			out := o*kk*inner + s
			switch {
			case kk == 1:
				best, bi := c.at(0), 0
				for j := 1; j < n; j++ {
					if v := c.at(j); c.valueBetter(v, best) {
						best, bi = v, j
					}
				}
				vals[out], idx[out] = best, int64(bi)
			case usePQ:
				for l := 0; l < kk; l++ {
					heap[kk-l-1] = l
					c.heapify(heap, kk-l-1, kk)
				}
				top := c.at(heap[0])
				for l := kk; l < n; l++ {
					if c.valueBetter(c.at(l), top) {
						heap[0] = l
						c.heapify(heap, 0, kk)
						top = c.at(heap[0])
					}
				}
				if k.sorted {
					// Take the worst off the heap into the last free place.
					for l := 0; l < kk; l++ {
						j := heap[0]
						dst := out + (kk-l-1)*inner
						vals[dst], idx[dst] = c.at(j), int64(j)
						heap[0] = heap[kk-l-1]
						c.heapify(heap, 0, kk-l-1)
					}
				} else {
					for l, j := range heap {
						dst := out + l*inner
						vals[dst], idx[dst] = c.at(j), int64(j)
					}
				}
			default:
				for j := range heap {
					heap[j] = j
				}
				slices.SortFunc(heap, func(i, j int) int {
					switch {
					case c.better(i, j):
						return -1
					case c.better(j, i):
						return 1
					}
					return 0
				})
				for l, j := range heap[:kk] {
					dst := out + l*inner
					vals[dst], idx[dst] = c.at(j), int64(j)
				}
			}
		}
	}
}

// topKCmp is onnxruntime's TopK comparison on one vector of x, its
// elements stride apart: a greater (or, for the smallest, lesser) value
// is better, and of equal values the lower index.
type topKCmp[T number] struct {
	x       []T
	stride  int
	largest bool
}

func (c *topKCmp[T]) at(j int) T { return c.x[j*c.stride] }

func (c *topKCmp[T]) valueBetter(a, b T) bool {
	if c.largest {
		return a > b
	}
	return a < b
}

func (c *topKCmp[T]) better(i, j int) bool {
	a, b := c.at(i), c.at(j)
	return c.valueBetter(a, b) || (a == b && i < j)
}

// heapify restores the heap of size k below position i: a heap whose
// root is the worst of the k best, where no parent beats a child.
func (c *topKCmp[T]) heapify(h []int, i, k int) {
	for {
		left := 2*i + 1
		right := left + 1
		switch {
		case right < k:
			iBeatsLeft := c.better(h[i], h[left])
			if iBeatsLeft && c.better(h[right], h[left]) {
				h[i], h[left] = h[left], h[i]
				i = left
			} else if iBeatsLeft || c.better(h[i], h[right]) {
				h[i], h[right] = h[right], h[i]
				i = right
			} else {
				return
			}
		case left < k && c.better(h[i], h[left]):
			h[i], h[left] = h[left], h[i]
			i = left
		default:
			return
		}
	}
}
