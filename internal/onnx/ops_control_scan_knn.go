package onnx

import (
	"context"
	"fmt"
	"slices"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// skl2onnx's KNeighbors converters compute squared euclidean distances
// with a Scan over the training rows whose body carries the query batch X
// as its state:
//
//	next_out = Identity(next_in)
//	d        = Sub(next_in, next)
//	r        = ReduceSumSquare(d, axes=[1], keepdims=0)   (axes an input from opset 18)
//	scan_out = Identity(r)
//
// The Scan runs once per training row per request. isSqDistBody recognizes
// that body so the kernel can compute the distances directly, with the
// same float operations in the same order as the body's kernels (and
// onnxruntime's): per query and row, acc += (x-t)*(x-t) over the features
// in order, rounding each product.

// isSqDistBody reports whether gp is the squared-distance body above and
// the Scan around it uses one state, one scan input and one scan output,
// all forward along axis 0.
func isSqDistBody(k *scan, gp *onnxpb.GraphProto, opset int) bool {
	if k.nState != 1 || k.nScanIn != 1 || k.nScanOut != 1 ||
		k.inAxes[0] != 0 || k.inRev[0] || k.outAxes[0] != 0 || k.outRev[0] {
		return false
	}
	if len(gp.GetInput()) != 2 || len(gp.GetOutput()) != 2 || len(gp.GetNode()) != 4 || len(gp.GetSparseInitializer()) > 0 {
		return false
	}
	x, t := gp.GetInput()[0].GetName(), gp.GetInput()[1].GetName()
	stateOut, scanOut := gp.GetOutput()[0].GetName(), gp.GetOutput()[1].GetName()
	inits := map[string]*onnxpb.TensorProto{}
	for _, tp := range gp.GetInitializer() {
		inits[tp.GetName()] = tp
	}
	if len(inits) > 1 || inits[x] != nil || inits[t] != nil {
		return false
	}
	nodes := map[string]*onnxpb.NodeProto{}
	for _, n := range gp.GetNode() {
		if d := n.GetDomain(); (d != "" && d != "ai.onnx") || len(n.GetOutput()) != 1 {
			return false
		}
		key := n.GetOpType()
		if key == "Identity" {
			key += ":" + n.GetOutput()[0]
		}
		if nodes[key] != nil {
			return false
		}
		nodes[key] = n
	}
	sub, rss := nodes["Sub"], nodes["ReduceSumSquare"]
	idState, idScan := nodes["Identity:"+stateOut], nodes["Identity:"+scanOut]
	if sub == nil || rss == nil || idState == nil || idScan == nil {
		return false
	}
	if len(sub.GetAttribute()) > 0 || len(idState.GetAttribute()) > 0 || len(idScan.GetAttribute()) > 0 {
		return false
	}
	if !slices.Equal(idState.GetInput(), []string{x}) {
		return false
	}
	if in := sub.GetInput(); len(in) != 2 || !(in[0] == x && in[1] == t || in[0] == t && in[1] == x) {
		return false
	}
	d := sub.GetOutput()[0]
	r := rss.GetOutput()[0]
	if !slices.Equal(idScan.GetInput(), []string{r}) || d == r || d == stateOut || d == scanOut || r == stateOut || r == scanOut {
		return false
	}
	return isLastAxisSumSquare(rss, d, inits, opset)
}

// isLastAxisSumSquare reports whether n is ReduceSumSquare of d over
// axis 1 (or -1) of a 2-D tensor, with keepdims=0.
func isLastAxisSumSquare(n *onnxpb.NodeProto, d string, inits map[string]*onnxpb.TensorProto, opset int) bool {
	lastAxis := func(v []int64) bool { return len(v) == 1 && (v[0] == 1 || v[0] == -1) }
	keepdims, axesAttr := false, false
	for _, a := range n.GetAttribute() {
		switch a.GetName() {
		case "keepdims":
			if a.GetType() != onnxpb.AttributeProto_INT || a.GetI() != 0 {
				return false
			}
			keepdims = true
		case "axes":
			if opset >= 18 || a.GetType() != onnxpb.AttributeProto_INTS || !lastAxis(a.GetInts()) {
				return false
			}
			axesAttr = true
		case "noop_with_empty_axes":
			if a.GetType() != onnxpb.AttributeProto_INT || a.GetI() != 0 {
				return false
			}
		default:
			return false
		}
	}
	in := n.GetInput()
	if !keepdims || len(in) == 0 || in[0] != d {
		return false
	}
	if opset < 18 {
		return axesAttr && len(in) == 1
	}
	if len(in) != 2 || inits[in[1]] == nil {
		return false
	}
	axes, err := tensorFromProto(inits[in[1]])
	return err == nil && axes.Type == Int64 && len(axes.Shape) == 1 && lastAxis(axes.Int64)
}

// runSqDist computes the squared-distance Scan directly when its inputs
// have the usual shapes: a query batch X [N, F] and training rows T
// [S, F] of the same float type. It reports false (doing nothing) for
// any other inputs, which the body then evaluates.
func (k *scan) runSqDist(ctx context.Context, in, out []*Tensor) (bool, error) {
	x, t := in[0], in[1]
	if x.Type != t.Type || (x.Type != Float32 && x.Type != Float64) || len(x.Shape) != 2 || len(t.Shape) != 2 || x.Shape[1] != t.Shape[1] {
		return false, nil
	}
	rows, queries, feats := t.Shape[0], x.Shape[0], x.Shape[1]
	if rows == 0 {
		return true, fmt.Errorf("the scan inputs have no positions (sequence length 0)")
	}
	if queries > 0 && rows > maxElements/queries {
		return true, fmt.Errorf("scan output of %d by %d elements is too large", rows, queries)
	}
	out[0].copyFrom(x)
	o := out[1]
	o.reset(x.Type, []int{rows, queries})
	done := ctx.Done()
	const chunk = 64 // rows between context checks
	for r0 := 0; r0 < rows; r0 += chunk {
		if err := stopped(ctx, done); err != nil {
			return true, err
		}
		r1 := min(r0+chunk, rows)
		if x.Type == Float32 {
			sqDistances(o.Float32[r0*queries:r1*queries], x.Float32, t.Float32[r0*feats:r1*feats], queries, feats)
		} else {
			sqDistances(o.Float64[r0*queries:r1*queries], x.Float64, t.Float64[r0*feats:r1*feats], queries, feats)
		}
	}
	return true, nil
}

// sqDistances writes, for each training row of t (feats elements each)
// and each of the queries rows of x, the sum of squared differences.
func sqDistances[T float32 | float64](out, x, t []T, queries, feats int) {
	for r := range len(t) / max(feats, 1) {
		row := t[r*feats : (r+1)*feats]
		o := out[r*queries : (r+1)*queries]
		for q := range o {
			xq := x[q*feats : (q+1)*feats]
			var acc T
			for j, tv := range row {
				d := xq[j] - tv
				acc += T(d * d) // the conversion keeps d*d rounded (no fused multiply-add)
			}
			o[q] = acc
		}
	}
	if feats == 0 {
		clear(out)
	}
}
