package onnx

import (
	"context"
	"fmt"
)

// coreOps holds the kernels for elementwise arithmetic, comparison, logic, Cast, Identity, Constant.
var coreOps = map[opKey]opSpec{
	{"", "Identity"}: {since: []int{1, 13, 14, 16, 19, 21}, build: buildIdentity},
	{"", "Cast"}:     {since: []int{1, 6, 9, 13, 19, 21}, build: buildCast},
	{"", "CastLike"}: {since: []int{15, 19, 21}, build: buildCastLike},
}

// identity copies its input.
func identity(_ context.Context, in, out []*Tensor) error {
	out[0].copyFrom(in[0])
	return nil
}

func buildIdentity(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(0)}
	return kernelFunc(identity), nil
}

// castKernel is Cast: it converts its input to type to.
type castKernel struct{ to DataType }

func (k castKernel) run(_ context.Context, in, out []*Tensor) error {
	return castInto(out[0], in[0], k.to)
}

func buildCast(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	if n.version < 6 {
		// Cast-1 names the target type with a string; onnxruntime has no
		// kernel for it either.
		return nil, fmt.Errorf("Cast-1 (opset below 6) is not supported")
	}
	n.attr.required("to")
	to := DataType(n.attr.int("to", 0))
	if err := checkSaturate(n); err != nil {
		return nil, err
	}
	if n.attr.err == nil && !to.supported() {
		return nil, fmt.Errorf("cast to %v is not supported", to)
	}
	n.outTypes = []DataType{to}
	return castKernel{to: to}, nil
}

// checkSaturate checks Cast's and CastLike's saturate attribute (v19),
// which only matters for float8 targets; onnxruntime refuses saturate=0
// for any other target.
func checkSaturate(n *node) error {
	if s := n.attr.int("saturate", 1); s != 1 {
		return fmt.Errorf("attribute \"saturate\" = %d is only meaningful for float8 targets", s)
	}
	return nil
}

// castLike is CastLike: it converts its first input to the second's type.
func castLike(_ context.Context, in, out []*Tensor) error {
	return castInto(out[0], in[0], in[1].Type)
}

func buildCastLike(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkSaturate(n); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(1)}
	return kernelFunc(castLike), nil
}
