package onnx

import (
	"errors"
	"fmt"
	"math"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// buildTreeEnsembleV5 builds TreeEnsemble (ai.onnx.ml v5): interior nodes
// and leaves in separate arrays, modes as a uint8 tensor, set membership.
func buildTreeEnsembleV5(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	switch n.inType(0) {
	case Float64:
		n.outTypes = []DataType{Float64}
		return newTreeV5[float64](n, Float64)
	case Float32:
		n.outTypes = []DataType{Float32}
		return newTreeV5[float32](n, Float32)
	case Undefined:
		k32, err := newTreeV5[float32](n, Float32)
		if err != nil {
			return nil, err
		}
		k64, err := newTreeV5[float64](n, Float64)
		if err != nil {
			return nil, err
		}
		return &typedTreeKernel{k32: k32, k64: k64}, nil
	}
	return nil, fmt.Errorf("input has type %v, want float32 or float64", n.inType(0))
}

func newTreeV5[T float32 | float64](n *node, outType DataType) (kernel, error) {
	a := n.attr
	a.required("nodes_featureids", "nodes_splits", "nodes_truenodeids", "nodes_falsenodeids", "nodes_modes",
		"tree_roots", "leaf_targetids", "leaf_weights", "n_targets")
	if a.err != nil {
		return nil, a.err
	}
	k := &treeKernel[T]{outType: outType}
	switch v := a.int("aggregate_function", 1); v {
	case 0:
		k.agg = aggAverage
	case 1:
		k.agg = aggSum
	case 2:
		k.agg = aggMin
	case 3:
		k.agg = aggMax
	default:
		return nil, fmt.Errorf("aggregate_function %d is not one of 0 (AVERAGE), 1 (SUM), 2 (MIN), 3 (MAX)", v)
	}
	switch v := a.int("post_transform", 0); v {
	case 0:
		k.post = ptNone
	case 1:
		k.post = ptSoftmax
	case 2:
		k.post = ptLogistic
	case 3:
		k.post = ptSoftmaxZero
	case 4:
		k.post = ptProbit
	default:
		return nil, fmt.Errorf("post_transform %d is not one of 0..4", v)
	}
	nTarget := a.int("n_targets", 0)
	if nTarget < 1 || nTarget > 1<<20 {
		return nil, fmt.Errorf("n_targets is %d", nTarget)
	}
	feat, trueIDs, falseIDs := a.ints("nodes_featureids"), a.ints("nodes_truenodeids"), a.ints("nodes_falsenodeids")
	trueLeaf, falseLeaf := a.ints("nodes_trueleafs"), a.ints("nodes_falseleafs")
	tracks, roots, leafTarget := a.ints("nodes_missing_value_tracks_true"), a.ints("tree_roots"), a.ints("leaf_targetids")
	modes, err := uint8TensorAttr(n, "nodes_modes")
	if err != nil {
		return nil, err
	}
	splits, err := tensorAttrAs[T](n, "nodes_splits")
	if err != nil {
		return nil, err
	}
	weights, err := tensorAttrAs[T](n, "leaf_weights")
	if err != nil {
		return nil, err
	}
	var members []T
	if a.has("membership_values") {
		if members, err = tensorAttrAs[T](n, "membership_values"); err != nil {
			return nil, err
		}
	}
	nn := len(feat)
	if nn == 0 || nn > maxTreeNodes {
		return nil, fmt.Errorf("the ensemble has %d interior nodes", nn)
	}
	for name, l := range map[string]int{"nodes_splits": len(splits), "nodes_truenodeids": len(trueIDs),
		"nodes_falsenodeids": len(falseIDs), "nodes_modes": len(modes), "nodes_trueleafs": len(trueLeaf), "nodes_falseleafs": len(falseLeaf)} {
		if l != nn {
			return nil, fmt.Errorf("%s has %d values, nodes_featureids has %d", name, l, nn)
		}
	}
	if len(tracks) != 0 && len(tracks) != nn {
		return nil, fmt.Errorf("nodes_missing_value_tracks_true has %d values, nodes_featureids has %d", len(tracks), nn)
	}
	if len(leafTarget) != len(weights) || len(weights) == 0 {
		return nil, fmt.Errorf("leaf_targetids has %d values and leaf_weights %d", len(leafTarget), len(weights))
	}
	nl := len(weights)
	f := &forest[T]{nTarget: int(nTarget), nTrees: len(roots)}
	if f.nTrees == 0 {
		return nil, errors.New("tree_roots is empty")
	}
	f.wStart = make([]int32, nl+1)
	f.wTarget = make([]int32, nl)
	f.wVal = weights
	for l, t := range leafTarget {
		if t < 0 || t >= nTarget {
			return nil, fmt.Errorf("leaf %d is for target %d, but there are %d", l, t, nTarget)
		}
		f.wTarget[l] = int32(t)
		f.wStart[l+1] = int32(l + 1)
	}
	f.single = true
	for _, t := range f.wTarget {
		if t != f.wTarget[0] {
			f.single = false
		}
	}
	if f.single {
		f.target, f.leafW = int(f.wTarget[0]), weights
	}
	// Membership sets: NaN-delimited, one per BRANCH_MEMBER node in order.
	var sets [][]T
	for start, i := 0, 0; i <= len(members); i++ {
		if i == len(members) || members[i] != members[i] {
			if i > start || i < len(members) {
				sets = append(sets, members[start:i])
			}
			start = i + 1
		}
	}
	f.nodes = make([]tnode[T], nn)
	f.mode = make([]uint8, nn)
	f.track = make([]bool, nn)
	f.member = make([][]T, nn)
	setIdx := 0
	sameMode, anyTrack := true, false
	for i := range nn {
		m := modes[i]
		if m > modeMember {
			return nil, fmt.Errorf("interior node %d has mode %d, want 0..6", i, m)
		}
		if m == modeMember {
			if setIdx >= len(sets) {
				return nil, fmt.Errorf("interior node %d is BRANCH_MEMBER but membership_values has no set left for it", i)
			}
			f.member[i] = sets[setIdx]
			setIdx++
		}
		if feat[i] < 0 || feat[i] > math.MaxInt32 {
			return nil, fmt.Errorf("interior node %d has feature id %d", i, feat[i])
		}
		f.maxFeat = max(f.maxFeat, int(feat[i]))
		nd := tnode[T]{thr: splits[i], feat: int32(feat[i])}
		for b, id := range [2]int64{falseIDs[i], trueIDs[i]} {
			isLeaf := [2]int64{falseLeaf[i], trueLeaf[i]}[b] == 1
			switch {
			case isLeaf && (id < 0 || id >= int64(nl)):
				return nil, fmt.Errorf("interior node %d points to leaf %d, but there are %d leaves", i, id, nl)
			case isLeaf:
				nd.kid[b] = ^int32(id)
			case id < 0 || id >= int64(nn):
				return nil, fmt.Errorf("interior node %d points to node %d, but there are %d", i, id, nn)
			case id == int64(i):
				return nil, fmt.Errorf("interior node %d points to itself", i)
			default:
				nd.kid[b] = int32(id)
			}
		}
		f.nodes[i], f.mode[i] = nd, m
		f.track[i] = len(tracks) > 0 && tracks[i] == 1
		anyTrack = anyTrack || f.track[i]
		sameMode = sameMode && m == modes[0]
	}
	for _, r := range roots {
		if r < 0 || r >= int64(nn) {
			return nil, fmt.Errorf("tree root %d is out of range", r)
		}
		f.roots = append(f.roots, int32(r))
	}
	if err := f.checkAcyclic(); err != nil {
		return nil, err
	}
	switch {
	case sameMode && !anyTrack && modes[0] == modeLEQ:
		f.loop = loopLEQ
	case sameMode && !anyTrack && modes[0] == modeLT:
		f.loop = loopLT
	case sameMode && modes[0] == modeLEQ:
		f.loop = loopLEQTrack
	default:
		f.loop = loopGeneric
	}
	f.flat = f.flatten()
	k.f = f
	return k, nil
}

// uint8TensorAttr reads a TENSOR attribute of element type uint8 (which the
// engine's tensors do not otherwise carry).
func uint8TensorAttr(n *node, name string) ([]uint8, error) {
	p := n.attr.get(name, onnxpb.AttributeProto_TENSOR)
	if p == nil {
		return nil, fmt.Errorf("missing attribute %q", name)
	}
	tp := p.GetT()
	if tp.GetDataType() != int32(onnxpb.TensorProto_UINT8) {
		return nil, fmt.Errorf("attribute %q has type %v, want uint8", name, DataType(tp.GetDataType()))
	}
	if raw := tp.GetRawData(); len(raw) > 0 {
		return append([]uint8(nil), raw...), nil
	}
	out := make([]uint8, len(tp.GetInt32Data()))
	for i, v := range tp.GetInt32Data() {
		if v < 0 || v > 255 {
			return nil, fmt.Errorf("attribute %q holds %d, not a uint8", name, v)
		}
		out[i] = uint8(v)
	}
	return out, nil
}

// tensorAttrAs reads a float or double TENSOR attribute as []T.
func tensorAttrAs[T float32 | float64](n *node, name string) ([]T, error) {
	t := n.attr.tensor(name)
	if t == nil {
		if n.attr.err != nil {
			return nil, n.attr.err
		}
		return nil, fmt.Errorf("missing attribute %q", name)
	}
	out := make([]T, 0, t.Len())
	switch t.Type {
	case Float32:
		for _, v := range t.Float32 {
			out = append(out, T(v))
		}
	case Float64:
		for _, v := range t.Float64 {
			out = append(out, T(v))
		}
	default:
		return nil, fmt.Errorf("attribute %q has type %v, want float or double", name, t.Type)
	}
	return out, nil
}
