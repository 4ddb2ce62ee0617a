package onnx

import (
	"context"
	"fmt"
)

type padMode int

const (
	padConstant padMode = iota
	padReflect
	padEdge
	padWrap
)

// pad pads (or, with negative pads, crops) every axis of its input.
// Negative pads crop first; the padding is then computed on the cropped
// tensor, as onnxruntime does.
type pad struct {
	mode padMode
	// pads holds [x1_begin, x2_begin, ..., x1_end, x2_end, ...] when known
	// at build time (the attribute before opset 11, or a constant input);
	// padsIn reports that they come from input 1 at run time instead.
	pads   []int64
	padsIn bool
	// axes holds the padded axes (opset 18) when constant; nil means all.
	axes    []int64
	axesIn  bool // axes come from input 3 at run time
	legacy  bool // opset 2 to 10: value is a float attribute
	value   float32
	hasAxes bool
}

func buildPad(n *node) (kernel, error) {
	k := &pad{}
	switch {
	case n.version < 2:
		return nil, unsupportedVersion(n, 2)
	case n.version < 11:
		if err := onlyAttrs(n, "mode", "pads", "value"); err != nil {
			return nil, err
		}
		if err := n.checkArity(1, 1, 1, 1); err != nil {
			return nil, err
		}
		if err := checkInputType(n, 0, "data", Float32, Float64); err != nil {
			return nil, err
		}
		n.attr.required("pads")
		k.legacy = true
		k.pads = append([]int64{}, n.attr.ints("pads")...)
		k.value = n.attr.float("value", 0)
	default:
		if err := onlyAttrs(n, "mode"); err != nil {
			return nil, err
		}
		maxIn := 3
		if n.version >= 18 {
			maxIn = 4
		}
		if err := n.checkArity(2, maxIn, 1, 1); err != nil {
			return nil, err
		}
		if err := checkInputType(n, 1, "pads", Int64); err != nil {
			return nil, err
		}
		if err := checkInputType(n, 3, "axes", Int32, Int64); err != nil {
			return nil, err
		}
		if t, v := n.inType(0), n.inType(2); t != Undefined && v != Undefined && t != v {
			return nil, fmt.Errorf("constant_value has element type %v, data has %v", v, t)
		}
		c := n.constInput(1)
		if c != nil {
			if !padsShapeOK(c.Shape) {
				return nil, fmt.Errorf("pads has shape %s, want [2*axes] or [1, 2*axes]", formatShape(c.Shape))
			}
			p, err := ints(c, "pads", true)
			if err != nil {
				return nil, err
			}
			k.pads = append([]int64{}, p.i64...)
		} else {
			k.padsIn = true
		}
		if n.input(3) != "" {
			k.hasAxes = true
			axes, err := constInts(n, 3, "axes", false)
			if err != nil {
				return nil, err
			}
			k.axes, k.axesIn = axes, axes == nil
		}
	}
	switch m := n.attr.string("mode", "constant"); m {
	case "constant":
		k.mode = padConstant
	case "reflect":
		k.mode = padReflect
	case "edge":
		k.mode = padEdge
	case "wrap":
		k.mode = padWrap
	default:
		return nil, fmt.Errorf("attribute mode has unsupported value %q", m)
	}
	if !k.padsIn && k.hasAxes && !k.axesIn && len(k.pads) != 2*len(k.axes) {
		return nil, fmt.Errorf("pads has %d values for %d axes", len(k.pads), len(k.axes))
	}
	sameType(n, 0)
	return k, nil
}

func padsShapeOK(s []int) bool {
	return len(s) == 1 || (len(s) == 2 && s[0] == 1)
}

// padDim describes one output axis: out positions, of which the first pre
// and those from pre+extent on are padding; extent input positions
// starting at start (after cropping); and the strides of both tensors.
type padDim struct {
	out, pre, extent, start, src, dst int
}

func (k *pad) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	r := len(x.Shape)
	if r == 0 {
		return fmt.Errorf("cannot pad a scalar")
	}
	pads := intVec{i64: k.pads}
	if k.padsIn {
		if !padsShapeOK(in[1].Shape) {
			return fmt.Errorf("pads has shape %s, want [2*axes] or [1, 2*axes]", formatShape(in[1].Shape))
		}
		var err error
		if pads, err = ints(in[1], "pads", true); err != nil {
			return err
		}
	}
	axes := intVec{i64: k.axes}
	if k.axesIn {
		var err error
		if axes, err = intList(in[3], "axes", false); err != nil {
			return err
		}
	}
	naxes := r
	if k.hasAxes {
		naxes = axes.len()
	}
	if pads.len() != 2*naxes {
		return fmt.Errorf("pads has %d values for %d axes", pads.len(), naxes)
	}
	var pb [2 * maxLoops]int64
	var sb [maxLoops]int
	var db [maxLoops]padDim
	var p []int64
	if 2*r <= len(pb) {
		p = pb[:2*r]
	} else {
		p = make([]int64, 2*r)
	}
	clear(p)
	for i := range naxes {
		a := i
		if k.hasAxes {
			var err error
			if a, err = normAxis(axes.at(i), r); err != nil {
				return fmt.Errorf("axes: %w", err)
			}
		}
		p[a], p[r+a] = pads.at(i), pads.at(naxes+i)
	}

	// The pad value.
	value := x // only its type matters when value is absent
	valueAt := -1
	if !k.legacy && len(in) > 2 && in[2] != nil {
		v := in[2]
		if v.Type != x.Type || v.Len() != 1 {
			return fmt.Errorf("constant_value must be one %v, got %s", x.Type, v.Describe())
		}
		value, valueAt = v, 0
	}
	if k.legacy && x.Type != Float32 && x.Type != Float64 {
		return fmt.Errorf("data has element type %v, want float32 or float64", x.Type)
	}

	strides := intBuf(sb[:], r)
	stridesOf(strides, x.Shape)
	var dims []padDim
	if r <= len(db) {
		dims = db[:r]
	} else {
		dims = make([]padDim, r)
	}
	shape := out[0].Shape[:0]
	empty := false
	for i, d := range x.Shape {
		pre, post := p[i], p[r+i]
		if pre < -maxElements || pre > maxElements || post < -maxElements || post > maxElements {
			return fmt.Errorf("pads %s are out of range", specString(pads))
		}
		o := int64(d) + pre + post
		if o < 0 || o > maxElements {
			return fmt.Errorf("pads %s do not fit shape %s", specString(pads), formatShape(x.Shape))
		}
		cropB, cropE := max(-pre, 0), max(-post, 0)
		extent := max(int64(d)-cropB-cropE, 0)
		padB, padE := max(pre, 0), max(post, 0)
		if extent == 0 {
			empty = true
			if k.mode != padConstant && o > 0 {
				return fmt.Errorf("cannot pad axis %d of shape %s in %s mode: nothing is left of it", i, formatShape(x.Shape), k.modeName())
			}
		}
		switch k.mode {
		case padReflect:
			if (padB > 0 || padE > 0) && extent < 2 {
				return fmt.Errorf("reflect mode needs at least 2 elements on axis %d of shape %s", i, formatShape(x.Shape))
			}
			if padB > extent-1 || padE > extent-1 {
				return fmt.Errorf("reflect pads %d and %d exceed %d on axis %d of shape %s", padB, padE, extent-1, i, formatShape(x.Shape))
			}
		case padWrap:
			if padB > extent {
				return fmt.Errorf("wrap pad %d exceeds %d on axis %d of shape %s", padB, extent, i, formatShape(x.Shape))
			}
		}
		shape = append(shape, int(o))
		dims[i] = padDim{out: int(o), pre: int(padB), extent: int(extent), start: int(cropB), src: strides[i]}
	}
	if _, err := checkedSize(shape); err != nil {
		return err
	}
	res := out[0]
	res.reset(x.Type, shape)
	if empty {
		// Nothing of the input is left: constant padding only.
		if valueAt >= 0 {
			fillElems(res, 0, res.Len(), value, valueAt)
		} else if k.legacy {
			fillLegacy(res, k.value)
		} else {
			zeroElems(res, 0, res.Len())
		}
		return nil
	}
	s := 1
	for i := r - 1; i >= 0; i-- {
		dims[i].dst = s
		s *= dims[i].out
	}
	switch x.Type {
	case Float32:
		v := float32(0)
		if valueAt >= 0 {
			v = value.Float32[0]
		} else if k.legacy {
			v = k.value
		}
		padCopy(res.Float32, 0, x.Float32, 0, dims, k.mode, v)
	case Float64:
		v := float64(0)
		if valueAt >= 0 {
			v = value.Float64[0]
		} else if k.legacy {
			v = float64(k.value)
		}
		padCopy(res.Float64, 0, x.Float64, 0, dims, k.mode, v)
	case Int64:
		v := int64(0)
		if valueAt >= 0 {
			v = value.Int64[0]
		}
		padCopy(res.Int64, 0, x.Int64, 0, dims, k.mode, v)
	case Int32:
		v := int32(0)
		if valueAt >= 0 {
			v = value.Int32[0]
		}
		padCopy(res.Int32, 0, x.Int32, 0, dims, k.mode, v)
	case Bool:
		v := false
		if valueAt >= 0 {
			v = value.Bool[0]
		}
		padCopy(res.Bool, 0, x.Bool, 0, dims, k.mode, v)
	case String:
		v := ""
		if valueAt >= 0 {
			v = value.String[0]
		}
		padCopy(res.String, 0, x.String, 0, dims, k.mode, v)
	}
	return nil
}

func (k *pad) modeName() string {
	return [...]string{"constant", "reflect", "edge", "wrap"}[k.mode]
}

func fillLegacy(t *Tensor, v float32) {
	switch t.Type {
	case Float32:
		fill(t.Float32, v)
	case Float64:
		fill(t.Float64, float64(v))
	}
}

// padCopy writes the padded output for dims (outermost first) from src.
func padCopy[T any](dst []T, di int, src []T, si int, dims []padDim, mode padMode, v T) {
	d := dims[0]
	if len(dims) == 1 && mode == padConstant {
		fill(dst[di:di+d.pre], v)
		copy(dst[di+d.pre:di+d.pre+d.extent], src[si+d.start*d.src:si+(d.start+d.extent)*d.src])
		fill(dst[di+d.pre+d.extent:di+d.out], v)
		return
	}
	for o := range d.out {
		c := o - d.pre // the coordinate in the cropped input
		if c < 0 || c >= d.extent {
			switch mode {
			case padConstant:
				fill(dst[di:di+d.dst], v)
				di += d.dst
				continue
			case padEdge:
				c = min(max(c, 0), d.extent-1)
			case padReflect:
				if c < 0 {
					c = -c
				} else {
					c = 2*(d.extent-1) - c
				}
			case padWrap:
				c = ((c % d.extent) + d.extent) % d.extent
			}
		}
		s := si + (d.start+c)*d.src
		if len(dims) == 1 {
			dst[di] = src[s]
		} else {
			padCopy(dst, di, src, s, dims[1:], mode, v)
		}
		di += d.dst
	}
}
