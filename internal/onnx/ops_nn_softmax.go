package onnx

import (
	"context"
	"fmt"
	"math"
)

// smKind names Softmax, LogSoftmax and Hardmax.
type smKind int

const (
	smSoftmax smKind = iota
	smLogSoftmax
	smHardmax
)

// softmaxKernel is Softmax, LogSoftmax or Hardmax. Before version 13 the
// input is coerced to a matrix whose rows hold the dimensions from axis
// (default 1) on; from 13 the operator runs along one axis (default -1).
type softmaxKernel struct {
	kind   smKind
	axis   int
	coerce bool
}

func softmaxBuilder(kind smKind) func(n *node) (kernel, error) {
	return func(n *node) (kernel, error) {
		if err := n.checkArity(1, 1, 1, 1); err != nil {
			return nil, err
		}
		r := since(1, tFloat)
		if kind == smHardmax {
			r = since(1, tF32)
		}
		if _, err := nodeTypes(n, r, 0); err != nil {
			return nil, err
		}
		k := &softmaxKernel{kind: kind, coerce: n.version < 13, axis: -1}
		if k.coerce {
			k.axis = 1
		}
		k.axis = int(n.attr.int("axis", int64(k.axis)))
		n.outTypes = []DataType{n.inType(0)}
		return k, nil
	}
}

func (k *softmaxKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	ts := tFloat
	if k.kind == smHardmax {
		ts = tF32
	}
	if err := checkTypes(ts, x); err != nil {
		return err
	}
	r := len(x.Shape)
	axis := k.axis
	if axis < -r || axis >= r {
		return fmt.Errorf("axis %d is out of range for shape %v", k.axis, x.Shape)
	}
	if axis < 0 {
		axis += r
	}
	outer := shapeSize(x.Shape[:axis])
	n, stride := x.Shape[axis], shapeSize(x.Shape[axis+1:])
	if k.coerce {
		n, stride = n*stride, 1
	}
	o := out[0]
	o.reset(x.Type, x.Shape)
	switch x.Type {
	case Float32:
		softmaxAll(k.kind, o.Float32, x.Float32, outer, n, stride)
	case Float64:
		softmaxAll(k.kind, o.Float64, x.Float64, outer, n, stride)
	}
	return nil
}

// softmaxAll applies kind to every vector of n elements, stride apart, of
// x viewed as [outer, n, stride].
func softmaxAll[T float32 | float64](kind smKind, d, x []T, outer, n, stride int) {
	if n == 0 {
		return // no elements, though outer and stride may not be 0
	}
	for o := 0; o < outer; o++ {
		for s := 0; s < stride; s++ {
			base := o*n*stride + s
			softmaxVec(kind, d[base:], x[base:], n, stride)
		}
	}
}

// softmaxVec computes one vector: exponentials relative to the maximum,
// summed in float64. A NaN makes the whole vector NaN.
func softmaxVec[T float32 | float64](kind smKind, d, x []T, n, stride int) {
	if n == 0 {
		return
	}
	if kind == smHardmax {
		// onnxruntime scans for a maximum starting from the first element,
		// then marks the first element equal to it: none when the first
		// element is NaN.
		mx := x[0]
		for j := 1; j < n; j++ {
			if v := x[j*stride]; v > mx {
				mx = v
			}
		}
		done := false
		for j := 0; j < n; j++ {
			hit := !done && x[j*stride] == mx
			done = done || hit
			d[j*stride] = 0
			if hit {
				d[j*stride] = 1
			}
		}
		return
	}
	mx := x[0]
	for j := 1; j < n; j++ {
		mx = max(mx, x[j*stride])
	}
	if kind == smLogSoftmax {
		var sum float64
		for j := 0; j < n; j++ {
			sum += math.Exp(float64(x[j*stride] - mx))
		}
		ls := math.Log(sum)
		for j := 0; j < n; j++ {
			d[j*stride] = T(float64(x[j*stride]-mx) - ls)
		}
		return
	}
	// Keep the exponentials in the output, then scale them.
	var sum float64
	for j := 0; j < n; j++ {
		e := math.Exp(float64(x[j*stride] - mx))
		d[j*stride] = T(e)
		sum += e
	}
	for j := 0; j < n; j++ {
		d[j*stride] = T(float64(d[j*stride]) / sum)
	}
}
