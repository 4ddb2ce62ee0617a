package onnx

import (
	"context"
	"fmt"
	"sort"
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
}

func buildTopK(n *node) (kernel, error) {
	k := &topKKernel{axis: int(n.attr.int("axis", -1)), largest: true, sorted: true, kInput: n.version >= 10}
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

// topKOrder sorts candidate indices of one vector.
type topKOrder[T number] struct {
	idx     []int
	x       []T
	base    int
	stride  int
	largest bool
}

func (s *topKOrder[T]) Len() int      { return len(s.idx) }
func (s *topKOrder[T]) Swap(i, j int) { s.idx[i], s.idx[j] = s.idx[j], s.idx[i] }
func (s *topKOrder[T]) Less(i, j int) bool {
	a, b := s.x[s.base+s.idx[i]*s.stride], s.x[s.base+s.idx[j]*s.stride]
	if a == b {
		return s.idx[i] < s.idx[j]
	}
	if s.largest {
		return a > b
	}
	return a < b
}

func topK[T number](k *topKKernel, vals []T, idx []int64, x []T, outer, n, inner, kk int) {
	if kk == 0 {
		return
	}
	order := &topKOrder[T]{idx: make([]int, n), x: x, stride: inner, largest: k.largest}
	for o := 0; o < outer; o++ {
		for s := 0; s < inner; s++ {
			order.base = o*n*inner + s
			for j := range order.idx {
				order.idx[j] = j
			}
			sort.Sort(order)
			for j := 0; j < kk; j++ {
				src := order.idx[j]
				dst := o*kk*inner + j*inner + s
				vals[dst] = x[order.base+src*inner]
				idx[dst] = int64(src)
			}
		}
	}
}
