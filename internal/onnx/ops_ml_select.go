package onnx

import (
	"context"
	"fmt"
)

// arrayFeatureExtractor is ArrayFeatureExtractor (ai.onnx.ml v1): it
// selects the entries of X's last axis named by the int64 tensor Y (any
// shape, at least one index). A 1-D X gives [1, k]; otherwise the result
// is X's shape with the last axis k long.
type arrayFeatureExtractor struct{}

func buildArrayFeatureExtractor(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkInType(n, 0, Float32, Float64, Int64, Int32, String); err != nil {
		return nil, err
	}
	if err := checkInType(n, 1, Int64); err != nil {
		return nil, err
	}
	if t := n.inType(0); t != Undefined {
		n.outTypes = []DataType{t}
	}
	return arrayFeatureExtractor{}, nil
}

func (arrayFeatureExtractor) run(_ context.Context, in, out []*Tensor) error {
	x, idx := in[0], in[1]
	if idx.Type != Int64 {
		return fmt.Errorf("indices have type %v, want int64", idx.Type)
	}
	if len(x.Shape) == 0 {
		return fmt.Errorf("input is a scalar; want a tensor of rank 1 or more")
	}
	stride := x.Shape[len(x.Shape)-1]
	k := len(idx.Int64)
	if k == 0 {
		return fmt.Errorf("no indices")
	}
	for i, j := range idx.Int64 {
		if j < 0 || j >= int64(stride) {
			return fmt.Errorf("index %d is %d, want it in [0, %d)", i, j, stride)
		}
	}
	outer := 1
	var shape []int
	if len(x.Shape) == 1 {
		shape = []int{1, k}
	} else {
		shape = append(append(make([]int, 0, len(x.Shape)), x.Shape[:len(x.Shape)-1]...), k)
		outer = shapeSize(x.Shape[:len(x.Shape)-1])
	}
	if outer > 0 && k > maxElements/outer {
		return fmt.Errorf("output of %d×%d values is too large", outer, k)
	}
	y := out[0]
	switch x.Type {
	case Float32:
		y.reset(Float32, shape)
		gatherColumns(y.Float32, x.Float32, idx.Int64, stride)
	case Float64:
		y.reset(Float64, shape)
		gatherColumns(y.Float64, x.Float64, idx.Int64, stride)
	case Int64:
		y.reset(Int64, shape)
		gatherColumns(y.Int64, x.Int64, idx.Int64, stride)
	case Int32:
		y.reset(Int32, shape)
		gatherColumns(y.Int32, x.Int32, idx.Int64, stride)
	case String:
		y.reset(String, shape)
		gatherColumns(y.String, x.String, idx.Int64, stride)
	default:
		return fmt.Errorf("input has type %v, want float32, float64, int64, int32 or string", x.Type)
	}
	return nil
}

// gatherColumns copies x[r*stride + idx[j]] to y[r*len(idx) + j] for every row r.
func gatherColumns[T any](y, x []T, idx []int64, stride int) {
	for len(x) >= stride && len(y) >= len(idx) && stride > 0 {
		row, dst := x[:stride], y[:len(idx)]
		for j, i := range idx {
			dst[j] = row[i]
		}
		x, y = x[stride:], y[len(idx):]
	}
}

// featureVectorizer is FeatureVectorizer (ai.onnx.ml v1): it concatenates
// its inputs' rows into float32 rows, input i contributing
// inputdimensions[i] columns (truncated, or padded with zeros). All inputs
// have one numeric type and the same number of rows (a vector is one row;
// a row of a higher-rank input is everything after its first axis).
type featureVectorizer struct {
	dims  []int
	total int
}

func buildFeatureVectorizer(n *node) (kernel, error) {
	if err := n.checkArity(1, -1, 1, 1); err != nil {
		return nil, err
	}
	dims := n.attr.ints("inputdimensions")
	if n.attr.err != nil {
		return nil, n.attr.err
	}
	if len(dims) == 0 {
		return nil, fmt.Errorf("attribute inputdimensions is missing or empty")
	}
	if len(dims) != len(n.inputs) {
		return nil, fmt.Errorf("%d inputs but %d inputdimensions", len(n.inputs), len(dims))
	}
	k := &featureVectorizer{dims: make([]int, len(dims))}
	var first DataType
	for i, d := range dims {
		if d < 0 || d > maxElements || k.total+int(d) > maxElements {
			return nil, fmt.Errorf("inputdimensions[%d] is %d", i, d)
		}
		k.dims[i] = int(d)
		k.total += int(d)
		if n.inputs[i] == "" {
			return nil, fmt.Errorf("input %d is empty", i)
		}
		if err := checkInType(n, i, numericTypes...); err != nil {
			return nil, err
		}
		if t := n.inType(i); t != Undefined {
			if first != Undefined && t != first {
				return nil, fmt.Errorf("inputs have types %v and %v; FeatureVectorizer takes one type", first, t)
			}
			first = t
		}
	}
	n.outTypes = []DataType{Float32}
	return k, nil
}

func (k *featureVectorizer) run(_ context.Context, in, out []*Tensor) error {
	rowsN := -1
	for i, x := range in {
		if len(x.Shape) == 0 {
			return fmt.Errorf("input %d is a scalar; want rank 1 or more", i)
		}
		if x.Type != in[0].Type {
			return fmt.Errorf("inputs have types %v and %v; FeatureVectorizer takes one type", in[0].Type, x.Type)
		}
		r := 1
		if len(x.Shape) > 1 {
			r = x.Shape[0]
		}
		if rowsN >= 0 && r != rowsN {
			return fmt.Errorf("input %d has %d rows, input 0 %d", i, r, rowsN)
		}
		rowsN = r
	}
	if k.total > 0 && rowsN > maxElements/k.total {
		return fmt.Errorf("output of %d×%d values is too large", rowsN, k.total)
	}
	y := out[0]
	y.reset(Float32, []int{rowsN, k.total})
	clear(y.Float32)
	offset := 0
	for i, x := range in {
		width := x.Shape[0]
		if len(x.Shape) > 1 {
			width = shapeSize(x.Shape[1:])
		}
		n := min(width, k.dims[i])
		switch x.Type {
		case Float32:
			copyColumns(y.Float32, offset, x.Float32, rowsN, width, n, k.total)
		case Float64:
			copyColumns(y.Float32, offset, x.Float64, rowsN, width, n, k.total)
		case Int64:
			copyColumns(y.Float32, offset, x.Int64, rowsN, width, n, k.total)
		case Int32:
			copyColumns(y.Float32, offset, x.Int32, rowsN, width, n, k.total)
		default:
			return fmt.Errorf("input %d has type %v, want %s", i, x.Type, typeList(numericTypes))
		}
		offset += k.dims[i]
	}
	return nil
}

// copyColumns copies the first n of each row of width values of x, as
// float32, to dst's rows of stride values, from column offset on.
func copyColumns[T float32 | float64 | int64 | int32](dst []float32, offset int, x []T, rowsN, width, n, stride int) {
	for r := range rowsN {
		row, out := x[r*width:r*width+n], dst[r*stride+offset:r*stride+offset+n]
		for j, v := range row {
			out[j] = float32(v)
		}
	}
}
