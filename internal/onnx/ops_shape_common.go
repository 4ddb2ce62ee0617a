package onnx

import (
	"fmt"
	"slices"
)

// This file holds what the shape-manipulation kernels share: attribute
// and type checks at build time, integer-vector inputs, and element
// movement (block and strided copies, fills) for every element type.

// onlyAttrs refuses attributes the operator's schema does not define, as
// onnxruntime's model checker does.
func onlyAttrs(n *node, allowed ...string) error {
	for name := range n.attr.m {
		if !slices.Contains(allowed, name) {
			return fmt.Errorf("unknown attribute %q", name)
		}
	}
	return nil
}

// checkInputType refuses input i when its element type is known at build
// time and is not one of allowed.
func checkInputType(n *node, i int, what string, allowed ...DataType) error {
	t := n.inType(i)
	if t == Undefined || slices.Contains(allowed, t) {
		return nil
	}
	return fmt.Errorf("%s has element type %v, want %s", what, t, typeList(allowed))
}

// sameType sets every output type to input i's element type when known.
func sameType(n *node, i int) {
	n.outTypes = make([]DataType, len(n.outputs))
	for j := range n.outTypes {
		n.outTypes[j] = n.inType(i)
	}
}

// maxRank bounds the rank of the shapes kernels compute from tensor
// values (Reshape's shape, Unsqueeze's axes...), far above any real
// model's, so that a huge shape tensor cannot make them allocate or loop
// without bound.
const maxRank = 256

// checkRank refuses a computed shape of more than maxRank dimensions.
func checkRank(rank int) error {
	if rank > maxRank {
		return fmt.Errorf("the result would have rank %d, more than %d", rank, maxRank)
	}
	return nil
}

// normAxis maps axis from [-rank, rank) to [0, rank).
func normAxis(axis int64, rank int) (int, error) {
	r := int64(rank)
	if axis < -r || axis >= r {
		return 0, fmt.Errorf("axis %d is out of range for rank %d", axis, rank)
	}
	if axis < 0 {
		axis += r
	}
	return int(axis), nil
}

// intVec is a read-only view of an int32 or int64 tensor's elements.
type intVec struct {
	i64 []int64
	i32 []int32
}

func (v intVec) len() int { return len(v.i64) + len(v.i32) }

func (v intVec) at(i int) int64 {
	if v.i64 != nil {
		return v.i64[i]
	}
	return int64(v.i32[i])
}

// ints returns t's elements when t holds int32 or int64 (int64 only when
// only64 is set).
func ints(t *Tensor, what string, only64 bool) (intVec, error) {
	switch {
	case t.Type == Int64:
		return intVec{i64: t.Int64}, nil
	case t.Type == Int32 && !only64:
		return intVec{i32: t.Int32}, nil
	case only64:
		return intVec{}, fmt.Errorf("%s has element type %v, want int64", what, t.Type)
	}
	return intVec{}, fmt.Errorf("%s has element type %v, want int32 or int64", what, t.Type)
}

// intList reads a 1-D int32 or int64 tensor.
func intList(t *Tensor, what string, only64 bool) (intVec, error) {
	if len(t.Shape) != 1 {
		return intVec{}, fmt.Errorf("%s must be 1-D, got shape %s", what, formatShape(t.Shape))
	}
	return ints(t, what, only64)
}

// intListOrScalar reads a 1-D or 0-D int32 or int64 tensor.
func intListOrScalar(t *Tensor, what string, only64 bool) (intVec, error) {
	if len(t.Shape) > 1 {
		return intVec{}, fmt.Errorf("%s must be 1-D, got shape %s", what, formatShape(t.Shape))
	}
	return ints(t, what, only64)
}

// constInts returns input i's values when it is a constant 1-D int32 or
// int64 tensor, and nil when it is not constant.
func constInts(n *node, i int, what string, only64 bool) ([]int64, error) {
	c := n.constInput(i)
	if c == nil {
		return nil, nil
	}
	v, err := intList(c, what, only64)
	if err != nil {
		return nil, err
	}
	out := make([]int64, v.len())
	for j := range out {
		out[j] = v.at(j)
	}
	return out, nil
}

// isScalarLike reports whether t has exactly one element in a shape
// onnxruntime treats as a scalar: [] or [1].
func isScalarLike(t *Tensor) bool {
	return len(t.Shape) == 0 || (len(t.Shape) == 1 && t.Shape[0] == 1)
}

// checkedSize returns the number of elements of shape, or an error when
// it exceeds maxElements or a dimension is negative.
func checkedSize(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %s", formatShape(shape))
		}
		if d != 0 && n > maxElements/d {
			return 0, fmt.Errorf("shape %s has more than %d elements", formatShape(shape), maxElements)
		}
		n *= d
	}
	return n, nil
}

// dimOf converts a dimension read from a tensor, refusing negative and
// oversized values.
func dimOf(v int64) (int, error) {
	if v < 0 || v > maxElements {
		return 0, fmt.Errorf("dimension %d is out of range", v)
	}
	return int(v), nil
}

// product returns the product of dims.
func product(dims []int) int {
	p := 1
	for _, d := range dims {
		p *= d
	}
	return p
}

// copyAll copies src's elements to dst, which has the same type and size.
func copyAll(dst, src *Tensor) {
	copyElems(dst, 0, src, 0, src.Len())
}

// copyElems copies n elements from src[si:] to dst[di:]; both have the
// same element type.
func copyElems(dst *Tensor, di int, src *Tensor, si, n int) {
	switch src.Type {
	case Float32:
		copy(dst.Float32[di:di+n], src.Float32[si:si+n])
	case Float64:
		copy(dst.Float64[di:di+n], src.Float64[si:si+n])
	case Int64:
		copy(dst.Int64[di:di+n], src.Int64[si:si+n])
	case Int32:
		copy(dst.Int32[di:di+n], src.Int32[si:si+n])
	case Bool:
		copy(dst.Bool[di:di+n], src.Bool[si:si+n])
	case String:
		copy(dst.String[di:di+n], src.String[si:si+n])
	}
}

// fillElems sets dst[di:di+n] to element vi of v, which has dst's type.
func fillElems(dst *Tensor, di, n int, v *Tensor, vi int) {
	switch dst.Type {
	case Float32:
		fill(dst.Float32[di:di+n], v.Float32[vi])
	case Float64:
		fill(dst.Float64[di:di+n], v.Float64[vi])
	case Int64:
		fill(dst.Int64[di:di+n], v.Int64[vi])
	case Int32:
		fill(dst.Int32[di:di+n], v.Int32[vi])
	case Bool:
		fill(dst.Bool[di:di+n], v.Bool[vi])
	case String:
		fill(dst.String[di:di+n], v.String[vi])
	}
}

// zeroElems sets dst[di:di+n] to the zero value (0, false or "").
func zeroElems(dst *Tensor, di, n int) {
	switch dst.Type {
	case Float32:
		clear(dst.Float32[di : di+n])
	case Float64:
		clear(dst.Float64[di : di+n])
	case Int64:
		clear(dst.Int64[di : di+n])
	case Int32:
		clear(dst.Int32[di : di+n])
	case Bool:
		clear(dst.Bool[di : di+n])
	case String:
		clear(dst.String[di : di+n])
	}
}

func fill[T any](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}

// A loop is one dimension of a strided copy: n steps, advancing the
// source by src and the destination by dst elements per step.
type loop struct{ n, src, dst int }

// maxLoops is the number of loop dimensions kernels keep on the stack;
// deeper nests (ranks above it) spill to the heap.
const maxLoops = 12

// simplifyLoops drops unit loops and merges adjacent loops that walk both
// tensors contiguously, in place. It reports false when a loop is empty,
// so that there is nothing to copy.
func simplifyLoops(loops []loop) ([]loop, bool) {
	out := loops[:0]
	for _, l := range loops {
		if l.n == 0 {
			return nil, false
		}
		if l.n == 1 {
			continue
		}
		if k := len(out) - 1; k >= 0 && out[k].src == l.src*l.n && out[k].dst == l.dst*l.n {
			out[k] = loop{n: out[k].n * l.n, src: l.src, dst: l.dst}
			continue
		}
		out = append(out, l)
	}
	return out, true
}

// copyStrided copies the elements a loop nest visits from src (starting
// at si) to dst (starting at di). It simplifies loops in place first.
func copyStrided(dst *Tensor, di int, src *Tensor, si int, loops []loop) {
	if loops, ok := simplifyLoops(loops); ok {
		copyLoops(dst, di, src, si, loops)
	}
}

// copyLoops is copyStrided for a loop nest simplifyLoops has accepted.
func copyLoops(dst *Tensor, di int, src *Tensor, si int, loops []loop) {
	switch src.Type {
	case Float32:
		stridedCopy(dst.Float32, di, src.Float32, si, loops)
	case Float64:
		stridedCopy(dst.Float64, di, src.Float64, si, loops)
	case Int64:
		stridedCopy(dst.Int64, di, src.Int64, si, loops)
	case Int32:
		stridedCopy(dst.Int32, di, src.Int32, si, loops)
	case Bool:
		stridedCopy(dst.Bool, di, src.Bool, si, loops)
	case String:
		stridedCopy(dst.String, di, src.String, si, loops)
	}
}

func stridedCopy[T any](dst []T, di int, src []T, si int, loops []loop) {
	switch len(loops) {
	case 0:
		dst[di] = src[si]
		return
	case 1:
		l := loops[0]
		if l.src == 1 && l.dst == 1 {
			copy(dst[di:di+l.n], src[si:si+l.n])
			return
		}
		for range l.n {
			dst[di] = src[si]
			di += l.dst
			si += l.src
		}
		return
	}
	l := loops[0]
	for range l.n {
		stridedCopy(dst, di, src, si, loops[1:])
		di += l.dst
		si += l.src
	}
}

// stridesOf writes the row-major strides of shape into dst (len(shape)).
func stridesOf(dst, shape []int) {
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		dst[i] = s
		s *= shape[i]
	}
}

// loopBuf returns a slice of n loops backed by buf when it fits.
func loopBuf(buf []loop, n int) []loop {
	if n <= len(buf) {
		return buf[:n]
	}
	return make([]loop, n)
}

// intBuf returns a slice of n ints backed by buf when it fits.
func intBuf(buf []int, n int) []int {
	if n <= len(buf) {
		return buf[:n]
	}
	return make([]int, n)
}
