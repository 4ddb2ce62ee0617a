package onnx

import (
	"fmt"
	"strings"
	"sync"
)

// checkInType reports an error when input i's element type is known at
// load time and is not one of allowed.
func checkInType(n *node, i int, allowed ...DataType) error {
	t := n.inType(i)
	if t == Undefined {
		return nil
	}
	for _, a := range allowed {
		if t == a {
			return nil
		}
	}
	return fmt.Errorf("input %d has type %v, want %s", i, t, typeList(allowed))
}

// typeList formats types as "a, b or c".
func typeList(types []DataType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.String()
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// A slicePool hands out reusable scratch slices, so kernels shared by
// concurrent runs allocate nothing per run once warm.
type slicePool[T any] struct{ p sync.Pool }

// get returns a slice of length n; its contents are unspecified.
func (p *slicePool[T]) get(n int) *[]T {
	s, _ := p.p.Get().(*[]T)
	if s == nil {
		s = new([]T)
	}
	*s = grow(*s, n)
	return s
}

func (p *slicePool[T]) put(s *[]T) {
	if s != nil {
		p.p.Put(s)
	}
}

// numericTypes are the input types the ai.onnx.ml scoring kernels accept
// and convert to float32, as onnxruntime does.
var numericTypes = []DataType{Float32, Float64, Int64, Int32}

// floatData returns x's elements as float32: x's own slice when it is
// float32, and otherwise a converted copy in a buffer from pool, which
// the caller returns with pool.put (buf is nil when nothing was taken).
func floatData(x *Tensor, pool *slicePool[float32]) (data []float32, buf *[]float32, err error) {
	switch x.Type {
	case Float32:
		return x.Float32, nil, nil
	case Float64:
		buf = pool.get(len(x.Float64))
		for i, v := range x.Float64 {
			(*buf)[i] = float32(v)
		}
	case Int64:
		buf = pool.get(len(x.Int64))
		for i, v := range x.Int64 {
			(*buf)[i] = float32(v)
		}
	case Int32:
		buf = pool.get(len(x.Int32))
		for i, v := range x.Int32 {
			(*buf)[i] = float32(v)
		}
	default:
		return nil, nil, fmt.Errorf("input has type %v, want %s", x.Type, typeList(numericTypes))
	}
	return *buf, buf, nil
}

// rows splits a rank 1 or 2 input into N rows of F features, as the
// scoring kernels read it: a vector is one row.
func rows(x *Tensor) (n, f int, err error) {
	switch len(x.Shape) {
	case 1:
		return 1, x.Shape[0], nil
	case 2:
		return x.Shape[0], x.Shape[1], nil
	}
	return 0, 0, fmt.Errorf("input has shape %v, want rank 1 or 2", x.Shape)
}
