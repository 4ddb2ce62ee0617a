package onnx

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// constantOfShape makes a tensor of a given shape filled with one value.
type constantOfShape struct {
	value *Tensor // one element
}

func buildConstantOfShape(n *node) (kernel, error) {
	if err := onlyAttrs(n, "value"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 0, "input", Int64); err != nil {
		return nil, err
	}
	v := NewFloat32([]float32{0}, 1)
	if n.attr.has("value") {
		if v = n.attr.tensor("value"); v == nil {
			return nil, n.attr.err
		}
		if len(v.Shape) != 1 || v.Len() != 1 {
			return nil, fmt.Errorf("attribute value has shape %s, want [1]", formatShape(v.Shape))
		}
		if v.Type == String {
			return nil, fmt.Errorf("attribute value is a string tensor; ConstantOfShape makes numbers and bools")
		}
	}
	n.outTypes = []DataType{v.Type}
	return &constantOfShape{value: v}, nil
}

func (k *constantOfShape) run(_ context.Context, in, out []*Tensor) error {
	s := in[0]
	if len(s.Shape) == 0 {
		return fmt.Errorf("input is a scalar; want a 1-D shape")
	}
	iv, err := ints(s, "input", true)
	if err != nil {
		return err
	}
	if err := checkRank(iv.len()); err != nil {
		return err
	}
	dims := out[0].Shape[:0]
	for i := range iv.len() {
		d, err := dimOf(iv.at(i))
		if err != nil {
			return fmt.Errorf("shape %s: %w", specString(iv), err)
		}
		dims = append(dims, d)
	}
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	o := out[0]
	o.reset(k.value.Type, dims)
	fillElems(o, 0, o.Len(), k.value, 0)
	return nil
}

func buildRange(n *node) (kernel, error) {
	if err := onlyAttrs(n); err != nil {
		return nil, err
	}
	if err := n.checkArity(3, 3, 1, 1); err != nil {
		return nil, err
	}
	typ := Undefined
	for i, what := range []string{"start", "limit", "delta"} {
		if err := checkInputType(n, i, what, Float32, Float64, Int64, Int32); err != nil {
			return nil, err
		}
		if t := n.inType(i); t != Undefined {
			if typ != Undefined && t != typ {
				return nil, fmt.Errorf("start, limit and delta have different element types %v and %v", typ, t)
			}
			typ = t
		}
	}
	n.outTypes = []DataType{typ}
	return kernelFunc(runRange), nil
}

// runRange is Range: start, start+delta, ... up to limit (excluded), the
// count being ceil((limit-start)/delta) computed in float64 from the
// difference in the element type, and each value the running sum in the
// element type, as onnxruntime computes them.
func runRange(_ context.Context, in, out []*Tensor) error {
	s, l, d := in[0], in[1], in[2]
	for i, t := range in[:3] {
		if !isScalarLike(t) || t.Len() != 1 {
			return fmt.Errorf("input %d has shape %s, want a scalar", i, formatShape(t.Shape))
		}
		if t.Type != s.Type {
			return fmt.Errorf("start, limit and delta have different element types %v and %v", s.Type, t.Type)
		}
	}
	switch s.Type {
	case Float32:
		return rangeOf(out[0], Float32, s.Float32[0], l.Float32[0], d.Float32[0], &out[0].Float32)
	case Float64:
		return rangeOf(out[0], Float64, s.Float64[0], l.Float64[0], d.Float64[0], &out[0].Float64)
	case Int64:
		return rangeOf(out[0], Int64, s.Int64[0], l.Int64[0], d.Int64[0], &out[0].Int64)
	case Int32:
		return rangeOf(out[0], Int32, s.Int32[0], l.Int32[0], d.Int32[0], &out[0].Int32)
	}
	return fmt.Errorf("start has element type %v, want a number", s.Type)
}

func rangeOf[T float32 | float64 | int64 | int32](o *Tensor, typ DataType, start, limit, delta T, data *[]T) error {
	if delta == 0 {
		return fmt.Errorf("delta is 0")
	}
	c := math.Ceil(float64(limit-start) / float64(delta))
	if c > maxElements {
		return fmt.Errorf("range from %v to %v by %v has too many elements", start, limit, delta)
	}
	n := 0
	if c > 0 { // false for NaN too
		n = int(c)
	}
	o.reset(typ, []int{n})
	v := start
	for i := range *data {
		(*data)[i] = v
		v += delta
	}
	return nil
}

// eyeLike makes a 2-D tensor of its input's shape with ones on a diagonal
// and zeros elsewhere.
type eyeLike struct {
	dtype DataType // Undefined: the input's type
	k     int64
}

func buildEyeLike(n *node) (kernel, error) {
	if err := onlyAttrs(n, "dtype", "k"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	k := &eyeLike{k: n.attr.int("k", 0)}
	if n.attr.has("dtype") {
		k.dtype = DataType(n.attr.int("dtype", 0))
		if !k.dtype.supported() || k.dtype == String {
			return nil, fmt.Errorf("attribute dtype is %v, want a number or bool type", k.dtype)
		}
	} else if err := checkInputType(n, 0, "input", Float32, Float64, Int64, Int32, Bool); err != nil {
		return nil, err
	}
	t := k.dtype
	if t == Undefined {
		t = n.inType(0)
	}
	n.outTypes = []DataType{t}
	return k, nil
}

func (k *eyeLike) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if len(x.Shape) != 2 {
		return fmt.Errorf("input has shape %s, want 2-D", formatShape(x.Shape))
	}
	t := k.dtype
	if t == Undefined {
		if t = x.Type; t == String {
			return fmt.Errorf("input has element type string, want a number or bool")
		}
	}
	o := out[0]
	o.reset(t, x.Shape)
	zeroElems(o, 0, o.Len())
	rows, cols := int64(x.Shape[0]), int64(x.Shape[1])
	for i := range rows {
		j := i + k.k
		if k.k > cols || k.k < -rows || j < 0 || j >= cols {
			continue
		}
		p := int(i*cols + j)
		switch t {
		case Float32:
			o.Float32[p] = 1
		case Float64:
			o.Float64[p] = 1
		case Int64:
			o.Int64[p] = 1
		case Int32:
			o.Int32[p] = 1
		case Bool:
			o.Bool[p] = true
		}
	}
	return nil
}

// unique finds the distinct elements (or, along an axis, the distinct
// slices) of its input: Y, the index of each one's first occurrence,
// each input position's index into Y, and the counts.
type unique struct {
	axis    int64
	hasAxis bool
	sorted  bool
}

func buildUnique(n *node) (kernel, error) {
	if err := onlyAttrs(n, "axis", "sorted"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 4); err != nil {
		return nil, err
	}
	s := n.attr.int("sorted", 1)
	if s != 0 && s != 1 {
		return nil, fmt.Errorf("attribute sorted is %d, want 0 or 1", s)
	}
	n.outTypes = []DataType{n.inType(0), Int64, Int64, Int64}[:len(n.outputs)]
	return &unique{axis: n.attr.int("axis", 0), hasAxis: n.attr.has("axis"), sorted: s == 1}, nil
}

func (k *unique) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	outer, count, inner, a := 1, x.Len(), 1, 0
	if k.hasAxis {
		var err error
		if a, err = normAxis(k.axis, len(x.Shape)); err != nil {
			return err
		}
		outer, count, inner = product(x.Shape[:a]), x.Shape[a], product(x.Shape[a+1:])
	}
	var compare func(i, j int) int
	switch x.Type {
	case Float32:
		if slices.ContainsFunc(x.Float32, func(v float32) bool { return v != v }) {
			return fmt.Errorf("input holds NaN, which has no place in Unique's order")
		}
		compare = blockCompare(x.Float32, outer, count, inner)
	case Float64:
		if slices.ContainsFunc(x.Float64, math.IsNaN) {
			return fmt.Errorf("input holds NaN, which has no place in Unique's order")
		}
		compare = blockCompare(x.Float64, outer, count, inner)
	case Int64:
		compare = blockCompare(x.Int64, outer, count, inner)
	case Int32:
		compare = blockCompare(x.Int32, outer, count, inner)
	case String:
		compare = blockCompare(x.String, outer, count, inner)
	case Bool:
		b := make([]int32, len(x.Bool))
		for i, v := range x.Bool {
			if v {
				b[i] = 1
			}
		}
		compare = blockCompare(b, outer, count, inner)
	}
	order := make([]int, count)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, compare)
	// Groups of equal slices, in sorted order; a stable sort puts each
	// group's first occurrence first.
	var firsts, counts []int
	group := make([]int, count) // the group of each input position
	for i, p := range order {
		if i == 0 || compare(order[i-1], p) != 0 {
			firsts = append(firsts, p)
			counts = append(counts, 0)
		}
		group[p] = len(firsts) - 1
		counts[len(counts)-1]++
	}
	u := len(firsts)
	rank := make([]int, u) // the output position of each group
	for g := range rank {
		rank[g] = g
	}
	if !k.sorted {
		byFirst := make([]int, u)
		for g := range byFirst {
			byFirst[g] = g
		}
		slices.SortFunc(byFirst, func(g, h int) int { return cmp.Compare(firsts[g], firsts[h]) })
		for pos, g := range byFirst {
			rank[g] = pos
		}
	}
	y := out[0]
	if k.hasAxis {
		dims := append(y.Shape[:0], x.Shape...)
		dims[a] = u
		y.reset(x.Type, dims)
	} else {
		y.reset(x.Type, []int{u})
	}
	for g, first := range firsts {
		loops := [2]loop{{n: outer, src: count * inner, dst: u * inner}, {n: inner, src: 1, dst: 1}}
		copyStrided(y, rank[g]*inner, x, first*inner, loops[:])
	}
	if len(out) > 1 {
		out[1].reset(Int64, []int{u})
		for g, first := range firsts {
			out[1].Int64[rank[g]] = int64(first)
		}
	}
	if len(out) > 2 {
		out[2].reset(Int64, []int{count})
		for p, g := range group {
			out[2].Int64[p] = int64(rank[g])
		}
	}
	if len(out) > 3 {
		out[3].reset(Int64, []int{u})
		for g, c := range counts {
			out[3].Int64[rank[g]] = int64(c)
		}
	}
	return nil
}

// blockCompare orders the count slices of data (outer groups of count
// blocks of inner elements) lexicographically, in row-major order.
func blockCompare[T cmp.Ordered](data []T, outer, count, inner int) func(i, j int) int {
	return func(i, j int) int {
		for o := range outer {
			bi, bj := (o*count+i)*inner, (o*count+j)*inner
			for e := range inner {
				if c := cmp.Compare(data[bi+e], data[bj+e]); c != 0 {
					return c
				}
			}
		}
		return 0
	}
}
