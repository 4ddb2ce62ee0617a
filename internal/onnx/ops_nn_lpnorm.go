package onnx

import (
	"context"
	"fmt"
	"math"
)

// lpNormKernel is LpNormalization: x divided by its L1 or L2 norm along
// one axis, as onnxruntime 1.30 computes it: the norm is formed directly
// (so it may overflow to infinity, making the vector zeros, or underflow to
// zero), and a vector whose norm is zero becomes zeros. skl2onnx
// normalises OneVsRestClassifier's probabilities with it (p = 1).
type lpNormKernel struct {
	axis int
	p    int
}

func buildLpNormalization(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	if _, err := nodeTypes(n, since(1, tFloat), 0); err != nil {
		return nil, err
	}
	k := &lpNormKernel{axis: int(n.attr.int("axis", -1)), p: int(n.attr.int("p", 2))}
	if k.p != 1 && k.p != 2 {
		return nil, fmt.Errorf("p is %d, want 1 or 2", k.p)
	}
	n.outTypes = []DataType{n.inType(0)}
	return k, nil
}

func (k *lpNormKernel) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if err := checkTypes(tFloat, x); err != nil {
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
	o := out[0]
	o.reset(x.Type, x.Shape)
	if x.Size() == 0 {
		return nil
	}
	m, stride := x.Shape[axis], shapeSize(x.Shape[axis+1:])
	switch x.Type {
	case Float32:
		lpNormalize(o.Float32, x.Float32, m, stride, k.p)
	case Float64:
		lpNormalize(o.Float64, x.Float64, m, stride, k.p)
	}
	return nil
}

// lpNormalize normalises every vector of m elements, stride apart, of x
// into y, summing in order as onnxruntime's (Eigen's) strided reductions do.
func lpNormalize[T float32 | float64](y, x []T, m, stride, p int) {
	norm := func(v []T, base int) T {
		var s T
		for i := range m {
			a := v[base+i*stride]
			if p == 1 {
				s += T(math.Abs(float64(a)))
			} else {
				s += T(a * a) // the conversion keeps a*a from fusing into an FMA
			}
		}
		if p == 2 {
			s = T(math.Sqrt(float64(s)))
		}
		return s
	}
	for v := range len(x) / m {
		base := (v/stride)*stride*m + v%stride
		nv := norm(x, base)
		for i := range m {
			if nv != 0 {
				y[base+i*stride] = x[base+i*stride] / nv
			} else {
				y[base+i*stride] = 0
			}
		}
	}
}
