package onnx

import (
	"context"
	"fmt"
	"math"
)

// slice takes a strided sub-tensor. Its starts, ends, axes and steps are
// attributes (version 1) or inputs 1 to 4 (version 10 on); constant
// inputs are read once at build time.
type slice struct {
	stepped bool       // version 10 on: steps, and INT_MAX ends
	params  [4][]int64 // starts, ends, axes, steps when known at build
	known   [4]bool    // params[i] is known at build time (or absent)
	absent  [4]bool    // the parameter is not given (axes, steps)
}

var sliceParamNames = [4]string{"starts", "ends", "axes", "steps"}

func buildSlice(n *node) (kernel, error) {
	k := &slice{}
	if n.version < 10 {
		if err := onlyAttrs(n, "starts", "ends", "axes"); err != nil {
			return nil, err
		}
		if err := n.checkArity(1, 1, 1, 1); err != nil {
			return nil, err
		}
		n.attr.required("starts", "ends")
		for i, name := range sliceParamNames[:3] {
			k.params[i] = n.attr.ints(name)
			k.known[i] = true
			k.absent[i] = !n.attr.has(name)
		}
		k.absent[3], k.known[3] = true, true
	} else {
		k.stepped = true
		if err := onlyAttrs(n); err != nil {
			return nil, err
		}
		if err := n.checkArity(3, 5, 1, 1); err != nil {
			return nil, err
		}
		typ := Undefined
		for i, name := range sliceParamNames {
			if n.input(i+1) == "" {
				k.absent[i], k.known[i] = true, true
				continue
			}
			if err := checkInputType(n, i+1, name, Int32, Int64); err != nil {
				return nil, err
			}
			if t := n.inType(i + 1); t != Undefined {
				if typ != Undefined && t != typ {
					return nil, fmt.Errorf("starts, ends, axes and steps have different element types %v and %v", typ, t)
				}
				typ = t
			}
			v, err := constInts(n, i+1, name, false)
			if err != nil {
				return nil, err
			}
			if v != nil {
				k.params[i], k.known[i] = v, true
			}
		}
	}
	if err := k.checkLengths(k.lengths()); err != nil {
		return nil, err
	}
	sameType(n, 0)
	return k, nil
}

// lengths returns the lengths of the parameters known at build time (-1
// when unknown or absent).
func (k *slice) lengths() [4]int {
	var l [4]int
	for i := range l {
		l[i] = -1
		if k.known[i] && !k.absent[i] {
			l[i] = len(k.params[i])
		}
	}
	return l
}

func (k *slice) checkLengths(l [4]int) error {
	for i := 1; i < 4; i++ {
		if l[0] >= 0 && l[i] >= 0 && l[i] != l[0] {
			return fmt.Errorf("%s has %d values and starts has %d", sliceParamNames[i], l[i], l[0])
		}
		if l[1] >= 0 && l[i] >= 0 && l[i] != l[1] {
			return fmt.Errorf("%s has %d values and ends has %d", sliceParamNames[i], l[i], l[1])
		}
	}
	return nil
}

func (k *slice) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	r := len(x.Shape)
	if r == 0 {
		return fmt.Errorf("cannot slice a scalar")
	}
	var p [4]intVec
	var l [4]int
	for i := range p {
		l[i] = -1
		switch {
		case k.absent[i]:
		case k.known[i]:
			p[i] = intVec{i64: k.params[i]}
			l[i] = len(k.params[i])
		default:
			v, err := intList(in[i+1], sliceParamNames[i], false)
			if err != nil {
				return err
			}
			p[i], l[i] = v, v.len()
		}
	}
	if err := k.checkLengths(l); err != nil {
		return err
	}
	var startBuf, stepBuf, sb [maxLoops]int
	var lb [maxLoops]loop
	starts, steps, strides := intBuf(startBuf[:], r), intBuf(stepBuf[:], r), intBuf(sb[:], r)
	loops := loopBuf(lb[:], r)
	clear(steps) // 0 marks an axis not sliced yet
	clear(starts)
	dims := append(out[0].Shape[:0], x.Shape...)
	for i := range l[0] {
		axis := int64(i)
		if l[2] >= 0 {
			axis = p[2].at(i)
		}
		a, err := normAxis(axis, r)
		if err != nil {
			return fmt.Errorf("axes: %w", err)
		}
		if steps[a] != 0 {
			return fmt.Errorf("axes has axis %d twice", a)
		}
		step := int64(1)
		if l[3] >= 0 {
			step = p[3].at(i)
		}
		if step == 0 {
			return fmt.Errorf("steps has a 0")
		}
		start, n := sliceAxis(p[0].at(i), p[1].at(i), &step, int64(x.Shape[a]), k.stepped)
		starts[a], steps[a], dims[a] = int(start), int(step), int(n)
	}
	stridesOf(strides, x.Shape)
	base := 0
	for i := range r {
		if steps[i] == 0 {
			steps[i] = 1
		}
		base += starts[i] * strides[i]
		loops[i] = loop{n: dims[i], src: strides[i] * steps[i]}
	}
	o := out[0]
	o.reset(x.Type, dims)
	d := 1
	for i := r - 1; i >= 0; i-- {
		loops[i].dst = d
		d *= dims[i]
	}
	copyStrided(o, 0, x, base, loops)
	return nil
}

// sliceAxis resolves one axis's start, end and step against its size dim
// as onnxruntime does, returning the first index and the element count.
// step may be clamped to [-dim, dim].
func sliceAxis(start, end int64, step *int64, dim int64, stepped bool) (int64, int64) {
	if !stepped {
		if start < 0 {
			start += dim
		}
		if end < 0 {
			end += dim
		}
		start, end = min(max(start, 0), dim), min(max(end, 0), dim)
		return start, max(end-start, 0)
	}
	if dim == 0 {
		return 0, 0
	}
	s := min(max(*step, -dim), dim)
	*step = s
	if start < 0 {
		start += dim
	}
	if s < 0 {
		start = min(max(start, 0), dim-1)
	} else {
		start = min(max(start, 0), dim)
	}
	switch {
	case end == math.MaxInt32 || end == math.MaxInt64:
		if s < 0 {
			end = -1
		} else {
			end = dim
		}
	default:
		if end < 0 {
			end += dim
		}
		if s < 0 {
			end = min(max(end, -1), dim)
		} else {
			end = min(max(end, 0), dim)
		}
	}
	var n int64
	if s > 0 && end > start {
		n = (end - start + s - 1) / s
	} else if s < 0 && start > end {
		n = (start - end - s - 1) / -s
	}
	return start, n
}

// expand broadcasts its input to a shape (numpy's bidirectional rule).
type expand struct {
	shape []int64 // when constant
}

func buildExpand(n *node) (kernel, error) {
	if err := onlyAttrs(n); err != nil {
		return nil, err
	}
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "shape", Int64); err != nil {
		return nil, err
	}
	shape, err := constInts(n, 1, "shape", true)
	if err != nil {
		return nil, err
	}
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("shape %s has a negative dimension", specString(intVec{i64: shape}))
		}
	}
	sameType(n, 0)
	return &expand{shape: shape}, nil
}

func (k *expand) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	spec := intVec{i64: k.shape}
	if k.shape == nil {
		var err error
		if spec, err = intList(in[1], "shape", true); err != nil {
			return err
		}
	}
	xr, sr := len(x.Shape), spec.len()
	r := max(xr, sr)
	if err := checkRank(sr); err != nil {
		return err
	}
	var sb [maxLoops]int
	var lb [maxLoops]loop
	strides := intBuf(sb[:], xr)
	stridesOf(strides, x.Shape)
	loops := loopBuf(lb[:], r)
	dims := out[0].Shape[:0]
	for i := range r {
		xd, xs, sd := 1, 0, int64(1)
		if j := i - (r - xr); j >= 0 {
			xd, xs = x.Shape[j], strides[j]
		}
		if j := i - (r - sr); j >= 0 {
			sd = spec.at(j)
		}
		d := xd
		switch {
		case sd < 0 || sd > maxElements:
			return fmt.Errorf("cannot expand shape %s to %s", formatShape(x.Shape), specString(spec))
		case int64(xd) == sd || sd == 1:
		case xd == 1:
			d = int(sd)
		default:
			return fmt.Errorf("cannot expand shape %s to %s", formatShape(x.Shape), specString(spec))
		}
		if xd == 1 {
			xs = 0
		}
		dims = append(dims, d)
		loops[i] = loop{n: d, src: xs}
	}
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	o := out[0]
	o.reset(x.Type, dims)
	d := 1
	for i := r - 1; i >= 0; i-- {
		loops[i].dst = d
		d *= dims[i]
	}
	copyStrided(o, 0, x, 0, loops)
	return nil
}

// tile repeats its input along every axis.
type tile struct {
	repeats []int64 // when constant
}

func buildTile(n *node) (kernel, error) {
	if n.version < 6 {
		return nil, unsupportedVersion(n, 6)
	}
	if err := onlyAttrs(n); err != nil {
		return nil, err
	}
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "repeats", Int64); err != nil {
		return nil, err
	}
	repeats, err := constInts(n, 1, "repeats", true)
	if err != nil {
		return nil, err
	}
	for _, r := range repeats {
		if r < 0 {
			return nil, fmt.Errorf("repeats %v has a negative value", repeats)
		}
	}
	sameType(n, 0)
	return &tile{repeats: repeats}, nil
}

func (k *tile) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	reps := intVec{i64: k.repeats}
	if k.repeats == nil {
		var err error
		if reps, err = intList(in[1], "repeats", true); err != nil {
			return err
		}
	}
	r := len(x.Shape)
	if reps.len() != r {
		return fmt.Errorf("repeats has %d values for input rank %d", reps.len(), r)
	}
	var sb [maxLoops]int
	var lb [2 * maxLoops]loop
	strides := intBuf(sb[:], r)
	stridesOf(strides, x.Shape)
	loops := loopBuf(lb[:], 2*r)
	dims := out[0].Shape[:0]
	for i := range r {
		rep := reps.at(i)
		if rep < 0 || rep > maxElements {
			return fmt.Errorf("repeats value %d is out of range", rep)
		}
		d := x.Shape[i]
		if d != 0 && rep > maxElements/int64(d) {
			return fmt.Errorf("tiling shape %s by %s is too large", formatShape(x.Shape), specString(reps))
		}
		dims = append(dims, d*int(rep))
		loops[2*i] = loop{n: int(rep), src: 0}
		loops[2*i+1] = loop{n: d, src: strides[i]}
	}
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	o := out[0]
	o.reset(x.Type, dims)
	d := 1
	for i := 2*r - 1; i >= 0; i-- {
		loops[i].dst = d
		d *= loops[i].n
	}
	copyStrided(o, 0, x, 0, loops)
	return nil
}

// trilu keeps the upper or lower triangle of the last two dimensions and
// zeroes the rest.
type trilu struct {
	upper bool
}

func buildTrilu(n *node) (kernel, error) {
	if err := onlyAttrs(n, "upper"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "k", Int64); err != nil {
		return nil, err
	}
	sameType(n, 0)
	switch u := n.attr.int("upper", 1); u {
	case 0, 1:
		return &trilu{upper: u == 1}, nil
	default:
		return nil, fmt.Errorf("attribute upper is %d, want 0 or 1", u)
	}
}

func (k *trilu) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	r := len(x.Shape)
	if r < 2 {
		return fmt.Errorf("input shape %s has rank below 2", formatShape(x.Shape))
	}
	var diag int64
	if len(in) > 1 && in[1] != nil {
		kv, err := ints(in[1], "k", true)
		if err != nil {
			return err
		}
		if kv.len() != 1 {
			return fmt.Errorf("k has shape %s, want a scalar", formatShape(in[1].Shape))
		}
		diag = kv.at(0)
	}
	rows, cols := x.Shape[r-2], x.Shape[r-1]
	diag = min(max(diag, -int64(rows)-1), int64(cols)+1)
	o := out[0]
	o.reset(x.Type, x.Shape)
	copyAll(o, x)
	mats := product(x.Shape[:r-2])
	for m := range mats {
		for i := range rows {
			row := (m*rows + i) * cols
			edge := i + int(diag) // first kept column (upper) or last kept column (lower)
			if k.upper {
				zeroElems(o, row, min(max(edge, 0), cols))
			} else {
				from := min(max(edge+1, 0), cols)
				zeroElems(o, row+from, cols-from)
			}
		}
	}
	return nil
}
