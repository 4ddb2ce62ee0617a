package onnx

import (
	"context"
	"fmt"
)

// zipMap is ZipMap (ai.onnx.ml v1): it turns a float32 [N, C] tensor into
// N maps from class label to value. The engine keeps the tensor and the
// labels (see MapSequence), so the kernel only checks and copies.
type zipMap struct {
	keys *Tensor
}

func buildZipMap(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	ints, strs := n.attr.ints("classlabels_int64s"), n.attr.strings("classlabels_strings")
	switch {
	case n.attr.has("classlabels_int64s") && n.attr.has("classlabels_strings"):
		return nil, fmt.Errorf("both classlabels_int64s and classlabels_strings are set")
	case ints != nil:
		return &zipMap{keys: NewInt64(ints, len(ints))}, nil
	case strs != nil:
		return &zipMap{keys: NewString(strs, len(strs))}, nil
	}
	return nil, fmt.Errorf("missing attribute classlabels_int64s or classlabels_strings")
}

func (z *zipMap) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if x.Type != Float32 {
		return fmt.Errorf("input has type %v, want float32", x.Type)
	}
	c := z.keys.Len()
	switch {
	case len(x.Shape) == 2 && x.Shape[1] == c:
		out[0].copyFrom(x)
	case len(x.Shape) == 1 && c == 1:
		out[0].reset(Float32, []int{x.Shape[0], 1})
		copy(out[0].Float32, x.Float32)
	default:
		return fmt.Errorf("input shape %v does not match %d class labels", x.Shape, c)
	}
	return nil
}
