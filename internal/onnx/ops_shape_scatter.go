package onnx

import (
	"context"
	"fmt"
	"slices"
)

// This file holds ScatterND and ScatterElements: copies of data with the
// elements (or slices) that indices address replaced by, or combined
// with, updates. Updates are applied in row-major order, so where indices
// repeat, the last update wins (reduction none) or all of them combine
// in that order, as in onnxruntime.

// A scatterReduction says how an update combines with the element it
// addresses (attribute reduction, opset 16 and later).
type scatterReduction int

const (
	scatterNone scatterReduction = iota
	scatterAdd
	scatterMul
	scatterMin
	scatterMax
)

var scatterReductionNames = [...]string{"none", "add", "mul", "min", "max"}

func (r scatterReduction) String() string { return scatterReductionNames[r] }

// scatterReductionAttr reads attribute reduction. onnxruntime applies
// min and max from version 16 on (the ONNX schema adds them in 18), and
// treats any other value as none.
func scatterReductionAttr(n *node) scatterReduction {
	switch n.attr.string("reduction", "none") {
	case "add":
		return scatterAdd
	case "mul":
		return scatterMul
	case "min":
		return scatterMin
	case "max":
		return scatterMax
	}
	return scatterNone
}

// check refuses the reductions onnxruntime does not implement for typ:
// mul, min and max of strings (add concatenates them), min and max of
// bools (add is or, mul is and).
func (r scatterReduction) check(typ DataType) error {
	switch {
	case typ == String && (r == scatterMul || r == scatterMin || r == scatterMax),
		typ == Bool && (r == scatterMin || r == scatterMax):
		return fmt.Errorf("reduction %s is not supported for %v data", r, typ)
	}
	return nil
}

// scatterInputs builds what ScatterND and ScatterElements share: the
// attributes' and inputs' checks, and the output type.
func scatterInputs(n *node, attrs []string, indexTypes ...DataType) (scatterReduction, error) {
	if n.version >= 16 {
		attrs = append(attrs, "reduction")
	}
	if err := onlyAttrs(n, attrs...); err != nil {
		return 0, err
	}
	if err := n.checkArity(3, 3, 1, 1); err != nil {
		return 0, err
	}
	if err := checkInputType(n, 1, "indices", indexTypes...); err != nil {
		return 0, err
	}
	if d, u := n.inType(0), n.inType(2); d != Undefined && u != Undefined && d != u {
		return 0, fmt.Errorf("updates have element type %v, data %v", u, d)
	}
	sameType(n, 0)
	if n.version < 16 {
		return scatterNone, nil
	}
	return scatterReductionAttr(n), nil
}

// scatterND replaces (or combines with updates) the slices of data that
// index tuples, the last dimension of indices, address.
type scatterND struct {
	red scatterReduction
}

func buildScatterND(n *node) (kernel, error) {
	red, err := scatterInputs(n, nil, Int64)
	if err != nil {
		return nil, err
	}
	return &scatterND{red: red}, nil
}

func (k *scatterND) run(_ context.Context, in, out []*Tensor) error {
	x, ind, upd := in[0], in[1], in[2]
	if ind.Type != Int64 {
		return fmt.Errorf("indices have element type %v, want int64", ind.Type)
	}
	if upd.Type != x.Type {
		return fmt.Errorf("updates have element type %v, data %v", upd.Type, x.Type)
	}
	r, q := len(x.Shape), len(ind.Shape)
	if r == 0 || q == 0 {
		return fmt.Errorf("data shape %s and indices shape %s must have rank 1 or more", formatShape(x.Shape), formatShape(ind.Shape))
	}
	tuple := ind.Shape[q-1]
	if tuple > r {
		return fmt.Errorf("indices shape %s: tuples of %d index more than the %d dimensions of data %s", formatShape(ind.Shape), tuple, r, formatShape(x.Shape))
	}
	if !scatterNDShape(upd.Shape, ind.Shape[:q-1], x.Shape[tuple:]) {
		return fmt.Errorf("updates shape %s, want indices shape %s without its last dimension followed by data shape %s after the first %d dimensions",
			formatShape(upd.Shape), formatShape(ind.Shape), formatShape(x.Shape), tuple)
	}
	tuples, slice := product(ind.Shape[:q-1]), product(x.Shape[tuple:])
	for t := range tuples {
		for j := range tuple {
			if v, d := ind.Int64[t*tuple+j], int64(x.Shape[j]); v < -d || v >= d {
				return fmt.Errorf("index %d is out of range for a dimension of size %d", v, d)
			}
		}
	}
	if tuples > 0 {
		if err := k.red.check(x.Type); err != nil {
			return err
		}
	}
	var sb [maxLoops]int
	strides := intBuf(sb[:], r)
	stridesOf(strides, x.Shape)
	o := out[0]
	o.reset(x.Type, x.Shape)
	copyAll(o, x)
	for t := range tuples {
		off := 0
		for j := range tuple {
			v := int(ind.Int64[t*tuple+j])
			if v < 0 {
				v += x.Shape[j]
			}
			off += v * strides[j]
		}
		combineElems(o, off, upd, t*slice, slice, k.red)
	}
	return nil
}

// scatterNDShape reports whether shape is lead followed by tail.
func scatterNDShape(shape, lead, tail []int) bool {
	return len(shape) == len(lead)+len(tail) && slices.Equal(shape[:len(lead)], lead) && slices.Equal(shape[len(lead):], tail)
}

// scatterElements writes each update to the element of data at the
// update's position with the axis coordinate replaced by its index.
type scatterElements struct {
	axis int64
	red  scatterReduction
}

func buildScatterElements(n *node) (kernel, error) {
	red, err := scatterInputs(n, []string{"axis"}, Int32, Int64)
	if err != nil {
		return nil, err
	}
	return &scatterElements{axis: n.attr.int("axis", 0), red: red}, nil
}

func (k *scatterElements) run(_ context.Context, in, out []*Tensor) error {
	x, ind, upd := in[0], in[1], in[2]
	r := len(x.Shape)
	a, err := normAxis(k.axis, r)
	if err != nil {
		return err
	}
	if upd.Type != x.Type {
		return fmt.Errorf("updates have element type %v, data %v", upd.Type, x.Type)
	}
	if !slices.Equal(ind.Shape, upd.Shape) {
		return fmt.Errorf("indices shape %s and updates shape %s differ", formatShape(ind.Shape), formatShape(upd.Shape))
	}
	if len(ind.Shape) != r {
		return fmt.Errorf("indices shape %s and data shape %s have different ranks", formatShape(ind.Shape), formatShape(x.Shape))
	}
	for i, d := range ind.Shape {
		// Along the axis, indices may be longer than data: they may
		// address an element more than once.
		if i != a && d > x.Shape[i] {
			return fmt.Errorf("indices shape %s exceeds data shape %s on axis %d", formatShape(ind.Shape), formatShape(x.Shape), i)
		}
	}
	iv, err := ints(ind, "indices", false)
	if err != nil {
		return err
	}
	dim := x.Shape[a]
	if err := checkIndices(iv, dim); err != nil {
		return err
	}
	count := iv.len()
	if count > 0 {
		if err := k.red.check(x.Type); err != nil {
			return err
		}
	}
	o := out[0]
	o.reset(x.Type, x.Shape)
	copyAll(o, x)
	var sb, cb [maxLoops]int
	strides, coord := intBuf(sb[:], r), intBuf(cb[:], r)
	stridesOf(strides, x.Shape)
	clear(coord)
	for u := range count {
		off := 0
		for d, c := range coord {
			if d == a {
				c = int(iv.at(u))
				if c < 0 {
					c += dim
				}
			}
			off += c * strides[d]
		}
		combineElems(o, off, upd, u, 1, k.red)
		for d := r - 1; d >= 0; d-- {
			if coord[d]++; coord[d] < ind.Shape[d] {
				break
			}
			coord[d] = 0
		}
	}
	return nil
}

// combineElems combines n elements of src (from si) into dst (from di),
// both of one type, under red; red.check has accepted the type.
func combineElems(dst *Tensor, di int, src *Tensor, si, n int, red scatterReduction) {
	switch dst.Type {
	case Float32:
		combineNumbers(dst.Float32[di:di+n], src.Float32[si:si+n], red)
	case Float64:
		combineNumbers(dst.Float64[di:di+n], src.Float64[si:si+n], red)
	case Int64:
		combineNumbers(dst.Int64[di:di+n], src.Int64[si:si+n], red)
	case Int32:
		combineNumbers(dst.Int32[di:di+n], src.Int32[si:si+n], red)
	case Bool:
		d, s := dst.Bool[di:di+n], src.Bool[si:si+n]
		for i := range d {
			switch red {
			case scatterAdd:
				d[i] = d[i] || s[i]
			case scatterMul:
				d[i] = d[i] && s[i]
			default:
				d[i] = s[i]
			}
		}
	case String:
		d, s := dst.String[di:di+n], src.String[si:si+n]
		for i := range d {
			if red == scatterAdd {
				d[i] += s[i]
			} else {
				d[i] = s[i]
			}
		}
	}
}

// combineNumbers combines src into dst as onnxruntime does: min keeps
// dst[i] only when dst[i] < src[i] (so a NaN update wins, and an update
// replaces a NaN), and max likewise.
func combineNumbers[T float32 | float64 | int64 | int32](dst, src []T, red scatterReduction) {
	switch red {
	case scatterAdd:
		for i := range dst {
			dst[i] += src[i]
		}
	case scatterMul:
		for i := range dst {
			dst[i] *= src[i]
		}
	case scatterMin:
		for i := range dst {
			if !(dst[i] < src[i]) {
				dst[i] = src[i]
			}
		}
	case scatterMax:
		for i := range dst {
			if !(dst[i] > src[i]) {
				dst[i] = src[i]
			}
		}
	default:
		copy(dst, src)
	}
}
