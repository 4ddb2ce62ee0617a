package onnx

import (
	"context"
	"fmt"
)

// concat joins its inputs along an axis.
type concat struct {
	axis int64
}

func buildConcat(n *node) (kernel, error) {
	if n.version < 4 {
		return nil, unsupportedVersion(n, 4)
	}
	if err := onlyAttrs(n, "axis"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, -1, 1, 1); err != nil {
		return nil, err
	}
	n.attr.required("axis")
	typ := Undefined
	for i, name := range n.inputs {
		if name == "" {
			return nil, fmt.Errorf("input %d is empty", i)
		}
		t := n.inType(i)
		if t == Undefined {
			continue
		}
		if typ != Undefined && t != typ {
			return nil, fmt.Errorf("inputs have different element types %v and %v", typ, t)
		}
		typ = t
	}
	n.outTypes = []DataType{typ}
	return &concat{axis: n.attr.int("axis", 0)}, nil
}

func (k *concat) run(_ context.Context, in, out []*Tensor) error {
	x0 := in[0]
	r := len(x0.Shape)
	if r == 0 {
		return fmt.Errorf("cannot concatenate scalars")
	}
	a, err := normAxis(k.axis, r)
	if err != nil {
		return err
	}
	total := 0
	for i, t := range in {
		if t.Type != x0.Type {
			return fmt.Errorf("input %d has element type %v, input 0 has %v", i, t.Type, x0.Type)
		}
		if len(t.Shape) != r {
			return fmt.Errorf("input %d has shape %s, input 0 has %s: ranks differ", i, formatShape(t.Shape), formatShape(x0.Shape))
		}
		for j, d := range t.Shape {
			if j != a && d != x0.Shape[j] {
				return fmt.Errorf("input %d has shape %s, input 0 has %s: dimension %d differs", i, formatShape(t.Shape), formatShape(x0.Shape), j)
			}
		}
		total += t.Shape[a]
	}
	dims := append(out[0].Shape[:0], x0.Shape...)
	dims[a] = total
	if _, err := checkedSize(dims); err != nil {
		return err
	}
	o := out[0]
	o.reset(x0.Type, dims)
	outer, post := product(x0.Shape[:a]), product(x0.Shape[a+1:])
	row := total * post
	off := 0
	for _, t := range in {
		inner := t.Shape[a] * post
		loops := [2]loop{{n: outer, src: inner, dst: row}, {n: inner, src: 1, dst: 1}}
		copyStrided(o, off, t, 0, loops[:])
		off += inner
	}
	return nil
}

// split cuts its input along an axis into one piece per output.
type split struct {
	axis int64
	// sizes holds the piece sizes when known at build time.
	sizes []int64
	// sizesInput reports that the sizes come from input 1 at run time.
	sizesInput bool
	// chunked selects opset 18's num_outputs rule: equal pieces of
	// ceil(dim/outputs), the last one smaller.
	chunked bool
}

func buildSplit(n *node) (kernel, error) {
	k := &split{}
	switch {
	case n.version < 2:
		return nil, unsupportedVersion(n, 2)
	case n.version < 13:
		if err := onlyAttrs(n, "axis", "split"); err != nil {
			return nil, err
		}
		if err := n.checkArity(1, 1, 1, -1); err != nil {
			return nil, err
		}
		if n.attr.has("split") {
			k.sizes = n.attr.ints("split")
			if k.sizes == nil {
				k.sizes = []int64{}
			}
		}
	default:
		allowed := []string{"axis"}
		if n.version >= 18 {
			allowed = append(allowed, "num_outputs")
		}
		if err := onlyAttrs(n, allowed...); err != nil {
			return nil, err
		}
		if err := n.checkArity(1, 2, 1, -1); err != nil {
			return nil, err
		}
		if err := checkInputType(n, 1, "split", Int64); err != nil {
			return nil, err
		}
		if n.input(1) != "" {
			sizes, err := constInts(n, 1, "split", true)
			if err != nil {
				return nil, err
			}
			k.sizes, k.sizesInput = sizes, sizes == nil
		}
		if n.attr.has("num_outputs") {
			if n.input(1) != "" {
				return nil, fmt.Errorf("attribute num_outputs and input split are both given")
			}
			if no := n.attr.int("num_outputs", 0); no < 1 {
				return nil, fmt.Errorf("attribute num_outputs is %d, want at least 1", no)
			}
			k.chunked = true
		}
	}
	if len(k.sizes) == 0 && !k.sizesInput {
		k.sizes = nil // an empty split list means equal pieces
	}
	if k.sizes != nil {
		if err := checkSplitSizes(intVec{i64: k.sizes}, len(n.outputs)); err != nil {
			return nil, err
		}
	}
	k.axis = n.attr.int("axis", 0)
	sameType(n, 0)
	return k, nil
}

func checkSplitSizes(sizes intVec, outputs int) error {
	if sizes.len() != outputs {
		return fmt.Errorf("split has %d sizes for %d outputs", sizes.len(), outputs)
	}
	for i := range sizes.len() {
		if v := sizes.at(i); v < 0 || v > maxElements {
			return fmt.Errorf("split size %d is out of range", v)
		}
	}
	return nil
}

func (k *split) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	a, err := normAxis(k.axis, len(x.Shape))
	if err != nil {
		return err
	}
	dim, count := x.Shape[a], len(out)
	sizes := intVec{i64: k.sizes}
	if k.sizesInput {
		if sizes, err = intList(in[1], "split", true); err != nil {
			return err
		}
		if sizes.len() == 0 {
			sizes = intVec{}
		} else if err := checkSplitSizes(sizes, count); err != nil {
			return err
		}
	}
	// size returns piece i's size: from the sizes list, or by the equal
	// or chunked rule.
	chunk := 0
	switch {
	case sizes.len() > 0:
		sum := 0
		for i := range count {
			sum += int(sizes.at(i))
		}
		if sum != dim {
			return fmt.Errorf("split sizes %s do not add up to dimension %d of shape %s", specString(sizes), a, formatShape(x.Shape))
		}
	case k.chunked:
		if count > dim {
			return fmt.Errorf("cannot split dimension %d of size %d into %d pieces", a, dim, count)
		}
		chunk = (dim + count - 1) / count
		last := chunk
		if rem := dim % chunk; rem != 0 {
			last = rem
		}
		if chunk*(count-1)+last != dim {
			return fmt.Errorf("cannot split dimension %d of size %d into %d pieces of %d", a, dim, count, chunk)
		}
	default:
		if dim%count != 0 {
			return fmt.Errorf("cannot split dimension %d of shape %s evenly into %d pieces", a, formatShape(x.Shape), count)
		}
		chunk = dim / count
	}
	size := func(i int) int {
		switch {
		case sizes.len() > 0:
			return int(sizes.at(i))
		case k.chunked && i == count-1 && dim%chunk != 0:
			return dim % chunk
		}
		return chunk
	}
	outer, post := product(x.Shape[:a]), product(x.Shape[a+1:])
	off := 0
	for i, o := range out {
		s := size(i)
		dims := append(o.Shape[:0], x.Shape...)
		dims[a] = s
		o.reset(x.Type, dims)
		loops := [2]loop{{n: outer, src: dim * post, dst: s * post}, {n: s * post, src: 1, dst: 1}}
		copyStrided(o, 0, x, off*post, loops[:])
		off += s
	}
	return nil
}
