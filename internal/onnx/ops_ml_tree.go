package onnx

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
)

// mlTreeOps holds the kernels for tree ensembles.
var mlTreeOps = map[opKey]opSpec{
	// Version 5 of the ai.onnx.ml domain deprecates both in favour of
	// TreeEnsemble; onnxruntime still runs them there, and so do we.
	{"ai.onnx.ml", "TreeEnsembleClassifier"}: {since: []int{1, 3}, build: buildTreeEnsembleClassifier},
	{"ai.onnx.ml", "TreeEnsembleRegressor"}:  {since: []int{1, 3}, build: buildTreeEnsembleRegressor},
	{"ai.onnx.ml", "TreeEnsemble"}:           {since: []int{5}, build: buildTreeEnsembleV5},
}

// Node comparison modes.
const (
	modeLEQ uint8 = iota
	modeLT
	modeGTE
	modeGT
	modeEQ
	modeNEQ
	modeMember
	modeLeaf
)

var modeNames = map[string]uint8{
	"BRANCH_LEQ": modeLEQ, "BRANCH_LT": modeLT, "BRANCH_GTE": modeGTE, "BRANCH_GT": modeGT,
	"BRANCH_EQ": modeEQ, "BRANCH_NEQ": modeNEQ, "LEAF": modeLeaf,
}

// aggregate is a tree ensemble's aggregate_function.
type aggregate int

const (
	aggSum aggregate = iota
	aggAverage
	aggMin
	aggMax
)

// maxTreeNodes bounds the number of nodes of one ensemble.
const maxTreeNodes = 1 << 26

// A tnode is an interior node of a compiled ensemble. kid[0] is the false
// branch and kid[1] the true one; a non-negative kid is an interior node's
// index and a negative one is ^(leaf index).
type tnode[T float32 | float64] struct {
	thr  T
	feat int32
	kid  [2]int32
}

// Traversal loops, chosen at load time.
const (
	loopLEQ      = iota // every node BRANCH_LEQ, no missing-value tracking
	loopLT              // every node BRANCH_LT, no missing-value tracking
	loopLEQTrack        // every node BRANCH_LEQ, some track missing values
	loopGeneric         // anything else
)

// A forest is a compiled tree ensemble: a flat node array shared by all
// trees, and the leaves' weights. Scores accumulate in T, the threshold
// type, as onnxruntime accumulates them.
type forest[T float32 | float64] struct {
	nodes  []tnode[T]
	roots  []int32 // per tree: interior node index or ^leaf
	mode   []uint8 // per node, for loopGeneric
	track  []bool  // per node: NaN goes to the true branch
	member [][]T   // per node: the set of a BRANCH_MEMBER node
	loop   int
	// flat is the interleaved layout, when it applies (see flatten).
	flat *flatForest[T]

	// Leaf weights: leaf l holds targets wTarget[wStart[l]:wStart[l+1]]
	// with weights wVal[...]. When every leaf holds exactly one weight
	// for the same target, single is true and leafW[l] is that weight.
	wStart  []int32
	wTarget []int32
	wVal    []T
	single  bool
	target  int // the single target
	leafW   []T
	nTarget int // number of targets or classes
	nTrees  int
	maxFeat int
}

// A treeSpec is a tree ensemble as the v1/v3 attributes describe it,
// before compilation.
type treeSpec[T float32 | float64] struct {
	treeIDs, nodeIDs, featIDs, trueIDs, falseIDs, tracks []int64
	modes                                                []uint8
	values                                               []T
	tTree, tNode, tID                                    []int64
	tWeight                                              []T
	nTarget                                              int
}

func (s *treeSpec[T]) compile() (*forest[T], error) {
	n := len(s.nodeIDs)
	if n == 0 {
		return nil, errors.New("the ensemble has no nodes")
	}
	if n > maxTreeNodes {
		return nil, fmt.Errorf("the ensemble has %d nodes, more than %d", n, maxTreeNodes)
	}
	for name, l := range map[string]int{
		"nodes_treeids": len(s.treeIDs), "nodes_featureids": len(s.featIDs), "nodes_modes": len(s.modes),
		"nodes_values": len(s.values), "nodes_truenodeids": len(s.trueIDs), "nodes_falsenodeids": len(s.falseIDs),
	} {
		if l != n {
			return nil, fmt.Errorf("%s has %d values, nodes_nodeids has %d", name, l, n)
		}
	}
	if len(s.tracks) != 0 && len(s.tracks) != n {
		return nil, fmt.Errorf("nodes_missing_value_tracks_true has %d values, nodes_nodeids has %d", len(s.tracks), n)
	}
	if len(s.tNode) != len(s.tTree) || len(s.tID) != len(s.tTree) || len(s.tWeight) != len(s.tTree) {
		return nil, fmt.Errorf("the target (or class) ids, nodeids, treeids and weights have different lengths (%d, %d, %d, %d)",
			len(s.tID), len(s.tNode), len(s.tTree), len(s.tWeight))
	}
	if s.nTarget < 1 {
		return nil, fmt.Errorf("the ensemble has %d targets or classes", s.nTarget)
	}
	type key struct{ tree, node int64 }
	index := make(map[key]int32, n)
	for i := range n {
		k := key{s.treeIDs[i], s.nodeIDs[i]}
		if _, dup := index[k]; dup {
			return nil, fmt.Errorf("node %d of tree %d is defined twice", k.node, k.tree)
		}
		index[k] = int32(i)
	}
	// Leaves and their weights, in the order of the attributes, as
	// onnxruntime sorts them (by tree, node, then attribute position).
	leafOf := make([]int32, n) // node -> leaf index, or -1
	nLeaves := 0
	for i := range n {
		leafOf[i] = -1
		if s.modes[i] == modeLeaf {
			leafOf[i] = int32(nLeaves)
			nLeaves++
		}
	}
	counts := make([]int32, nLeaves+1)
	keep := make([]int32, len(s.tID)) // target -> leaf, or -1 when ignored
	for j := range s.tID {
		i, ok := index[key{s.tTree[j], s.tNode[j]}]
		if !ok {
			return nil, fmt.Errorf("a weight refers to node %d of tree %d, which does not exist", s.tNode[j], s.tTree[j])
		}
		if s.tID[j] < 0 || s.tID[j] >= int64(s.nTarget) {
			return nil, fmt.Errorf("a weight of node %d of tree %d is for target or class %d, but there are %d", s.tNode[j], s.tTree[j], s.tID[j], s.nTarget)
		}
		keep[j] = leafOf[i]
		if leafOf[i] < 0 {
			continue // onnxruntime ignores weights on interior nodes (old converters wrote them)
		}
		counts[leafOf[i]+1]++
	}
	f := &forest[T]{nTarget: s.nTarget}
	f.wStart = make([]int32, nLeaves+1)
	// A leaf without a weight contributes nothing, except with a single
	// target, where onnxruntime adds the leaf's own nodes_values entry.
	var bare []int32 // nodes of weightless leaves given that value
	for i := range n {
		if l := leafOf[i]; l >= 0 && counts[l+1] == 0 && s.nTarget == 1 {
			counts[l+1] = 1
			bare = append(bare, int32(i))
		}
	}
	for l := range nLeaves {
		f.wStart[l+1] = f.wStart[l] + counts[l+1]
	}
	total := f.wStart[nLeaves]
	f.wTarget = make([]int32, total)
	f.wVal = make([]T, total)
	fill := append([]int32(nil), f.wStart[:nLeaves]...)
	for _, i := range bare {
		l := leafOf[i]
		f.wTarget[fill[l]], f.wVal[fill[l]] = 0, s.values[i]
		fill[l]++
	}
	for j := range s.tID {
		if l := keep[j]; l >= 0 {
			f.wTarget[fill[l]] = int32(s.tID[j])
			f.wVal[fill[l]] = s.tWeight[j]
			fill[l]++
		}
	}

	// Each leaf's weights are in attribute order, as onnxruntime sorts them.
	f.single = nLeaves > 0
	for l := range nLeaves {
		if f.wStart[l+1]-f.wStart[l] != 1 || f.wTarget[f.wStart[l]] != f.wTarget[f.wStart[0]] {
			f.single = false
			break
		}
	}
	if f.single {
		f.target = int(f.wTarget[0])
		f.leafW = make([]T, nLeaves)
		for l := range nLeaves {
			f.leafW[l] = f.wVal[f.wStart[l]]
		}
	}

	// Interior nodes keep their position among interior nodes; children
	// resolve within the same tree.
	interior := make([]int32, n) // node -> interior index, or ^leaf
	nInterior := 0
	for i := range n {
		if leafOf[i] >= 0 {
			interior[i] = ^leafOf[i]
		} else {
			interior[i] = int32(nInterior)
			nInterior++
		}
	}
	f.nodes = make([]tnode[T], 0, nInterior)
	f.mode = make([]uint8, 0, nInterior)
	f.track = make([]bool, 0, nInterior)
	sameMode, anyTrack := true, false
	for i := range n {
		if leafOf[i] >= 0 {
			continue
		}
		m := s.modes[i]
		if m == modeMember {
			return nil, fmt.Errorf("node %d of tree %d has mode BRANCH_MEMBER, which this operator version does not have", s.nodeIDs[i], s.treeIDs[i])
		}
		if s.featIDs[i] < 0 || s.featIDs[i] > math.MaxInt32 {
			return nil, fmt.Errorf("node %d of tree %d has feature id %d", s.nodeIDs[i], s.treeIDs[i], s.featIDs[i])
		}
		if int(s.featIDs[i]) > f.maxFeat {
			f.maxFeat = int(s.featIDs[i])
		}
		nd := tnode[T]{thr: s.values[i], feat: int32(s.featIDs[i])}
		for b, id := range [2]int64{s.falseIDs[i], s.trueIDs[i]} {
			branch := [2]string{"false", "true"}[b]
			if id < 0 || id >= int64(n) {
				return nil, fmt.Errorf("node %d of tree %d: %s branch node id %d is out of range", s.nodeIDs[i], s.treeIDs[i], branch, id)
			}
			c, ok := index[key{s.treeIDs[i], id}]
			if !ok {
				return nil, fmt.Errorf("node %d of tree %d: %s branch node %d does not exist in that tree", s.nodeIDs[i], s.treeIDs[i], branch, id)
			}
			if c == int32(i) {
				return nil, fmt.Errorf("node %d of tree %d: its %s branch points to itself", s.nodeIDs[i], s.treeIDs[i], branch)
			}
			nd.kid[b] = interior[c]
		}
		tr := len(s.tracks) > 0 && s.tracks[i] == 1
		anyTrack = anyTrack || tr
		if len(f.mode) > 0 && m != f.mode[0] {
			sameMode = false
		}
		f.nodes = append(f.nodes, nd)
		f.mode = append(f.mode, m)
		f.track = append(f.track, tr)
	}
	// Trees start at the first node of each run of equal tree ids, as in
	// onnxruntime.
	for i := range n {
		if i == 0 || s.treeIDs[i] != s.treeIDs[i-1] {
			f.roots = append(f.roots, interior[i])
		}
	}
	f.nTrees = len(f.roots)
	if err := f.checkAcyclic(); err != nil {
		return nil, err
	}
	switch {
	case len(f.nodes) == 0 || (sameMode && !anyTrack && f.mode[0] == modeLEQ):
		f.loop = loopLEQ
	case sameMode && !anyTrack && f.mode[0] == modeLT:
		f.loop = loopLT
	case sameMode && f.mode[0] == modeLEQ:
		f.loop = loopLEQTrack
	default:
		f.loop = loopGeneric
	}
	f.flat = f.flatten()
	return f, nil
}

// checkAcyclic makes sure every path from a root ends in a leaf.
func (f *forest[T]) checkAcyclic() error {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(f.nodes))
	type frame struct {
		node int32
		next int
	}
	var stack []frame
	for _, r := range f.roots {
		if r < 0 || state[r] == done {
			continue
		}
		stack = append(stack[:0], frame{node: r})
		state[r] = onPath
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == 2 {
				state[top.node] = done
				stack = stack[:len(stack)-1]
				continue
			}
			c := f.nodes[top.node].kid[top.next]
			top.next++
			if c < 0 {
				continue
			}
			switch state[c] {
			case onPath:
				return errors.New("a tree has a cycle")
			case unseen:
				state[c] = onPath
				stack = append(stack, frame{node: c})
			}
		}
	}
	return nil
}

// leaf returns the leaf that row x reaches from root.
func (f *forest[T]) leaf(x []T, n int32) int32 {
	nodes := f.nodes
	switch f.loop {
	case loopLEQ:
		for n >= 0 {
			nd := &nodes[n]
			b := 0
			if x[nd.feat] <= nd.thr {
				b = 1
			}
			n = nd.kid[b]
		}
	case loopLT:
		for n >= 0 {
			nd := &nodes[n]
			b := 0
			if x[nd.feat] < nd.thr {
				b = 1
			}
			n = nd.kid[b]
		}
	case loopLEQTrack:
		track := f.track
		for n >= 0 {
			nd := &nodes[n]
			v := x[nd.feat]
			b := 0
			if v <= nd.thr || (track[n] && v != v) {
				b = 1
			}
			n = nd.kid[b]
		}
	default:
		for n >= 0 {
			nd := &nodes[n]
			v := x[nd.feat]
			var c bool
			switch f.mode[n] {
			case modeLEQ:
				c = v <= nd.thr
			case modeLT:
				c = v < nd.thr
			case modeGTE:
				c = v >= nd.thr
			case modeGT:
				c = v > nd.thr
			case modeEQ:
				c = v == nd.thr
			case modeNEQ:
				c = v != nd.thr
			case modeMember:
				for _, m := range f.member[n] {
					if v == m {
						c = true
						break
					}
				}
			}
			if f.track[n] && v != v {
				c = true
			}
			b := 0
			if c {
				b = 1
			}
			n = nd.kid[b]
		}
	}
	return ^n
}

// sumSingle returns the sum of every tree's single leaf weight for row x,
// in tree order.
func (f *forest[T]) sumSingle(x []T) T {
	var s T
	nodes, leafW := f.nodes, f.leafW
	switch f.loop {
	case loopLEQ:
		for _, n := range f.roots {
			for n >= 0 {
				nd := &nodes[n]
				b := 0
				if x[nd.feat] <= nd.thr {
					b = 1
				}
				n = nd.kid[b]
			}
			s += leafW[^n]
		}
	default:
		for _, n := range f.roots {
			s += leafW[f.leaf(x, n)]
		}
	}
	return s
}

// scores accumulates row x's scores into sc and marks the targets that
// received one in has. agg selects how weights combine.
func (f *forest[T]) scores(x []T, agg aggregate, sc []T, has []bool) {
	clear(sc)
	clear(has)
	if f.flat != nil && (agg == aggSum || agg == aggAverage) {
		f.flat.sum(x, sc, has)
		return
	}
	if f.single && (agg == aggSum || agg == aggAverage) {
		if f.nTrees > 0 {
			sc[f.target] = f.sumSingle(x)
			has[f.target] = true
		}
		return
	}
	for _, r := range f.roots {
		l := f.leaf(x, r)
		for w := f.wStart[l]; w < f.wStart[l+1]; w++ {
			t, v := f.wTarget[w], f.wVal[w]
			switch agg {
			case aggSum, aggAverage:
				sc[t] += v
			case aggMin:
				if !has[t] || v < sc[t] {
					sc[t] = v
				}
			case aggMax:
				if !has[t] || v > sc[t] {
					sc[t] = v
				}
			}
			has[t] = true
		}
	}
}

// A treeKernel evaluates TreeEnsembleClassifier, TreeEnsembleRegressor and
// TreeEnsemble with threshold (and score) type T.
type treeKernel[T float32 | float64] struct {
	f    *forest[T]
	agg  aggregate
	post postTransform
	base []T
	// classifier: labels, and onnxruntime's binary-case flags.
	classifier  bool
	labels      *Tensor
	binary      bool
	allPositive bool
	// v5: the output has the input's type; the single-target regressor
	// path applies only PROBIT (as the v1/v3 regressors do).
	outType DataType
	scratch sync.Pool
}

type treeScratch[T float32 | float64] struct {
	row []T
	sc  []T
	has []bool
	z   []float32
}

func (k *treeKernel[T]) getScratch(width int) *treeScratch[T] {
	s, _ := k.scratch.Get().(*treeScratch[T])
	if s == nil {
		s = &treeScratch[T]{}
	}
	s.row = grow(s.row, width)
	s.sc = grow(s.sc, k.f.nTarget)
	s.has = grow(s.has, k.f.nTarget)
	s.z = grow(s.z, max(k.f.nTarget, 2))
	return s
}

// treeInput checks X and returns its row count and width.
func treeInput(x *Tensor, maxFeat int) (n, width int, err error) {
	switch x.Type {
	case Float32, Float64, Int64, Int32:
	default:
		return 0, 0, fmt.Errorf("input has type %v, want a number type", x.Type)
	}
	switch len(x.Shape) {
	case 1:
		n, width = 1, x.Shape[0]
	case 2:
		n, width = x.Shape[0], x.Shape[1]
	default:
		return 0, 0, fmt.Errorf("input has shape %v, want [N, features] or [features]", x.Shape)
	}
	if n > 0 && maxFeat >= width {
		return 0, 0, fmt.Errorf("a tree reads feature %d but the input has %d features", maxFeat, width)
	}
	return n, width, nil
}

// row returns row i of x as []T, converting into buf when needed.
func row[T float32 | float64](x *Tensor, i, width int, buf []T) []T {
	lo, hi := i*width, (i+1)*width
	switch x.Type {
	case Float32:
		if r, ok := any(x.Float32[lo:hi]).([]T); ok {
			return r
		}
		for j, v := range x.Float32[lo:hi] {
			buf[j] = T(v)
		}
	case Float64:
		if r, ok := any(x.Float64[lo:hi]).([]T); ok {
			return r
		}
		for j, v := range x.Float64[lo:hi] {
			buf[j] = T(v)
		}
	case Int64:
		for j, v := range x.Int64[lo:hi] {
			buf[j] = T(v)
		}
	case Int32:
		for j, v := range x.Int32[lo:hi] {
			buf[j] = T(v)
		}
	}
	return buf
}

func (k *treeKernel[T]) run(ctx context.Context, in, out []*Tensor) error {
	x := in[0]
	n, width, err := treeInput(x, k.f.maxFeat)
	if err != nil {
		return err
	}
	s := k.getScratch(width)
	defer k.scratch.Put(s)
	if k.classifier {
		return k.classify(ctx, x, n, width, s, out)
	}
	nt := k.f.nTarget
	y := out[0]
	y.reset(k.outType, []int{n, nt})
	for i := range n {
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k.f.scores(row(x, i, width, s.row), k.agg, s.sc, s.has)
		z := s.z[:nt]
		k.finishRegression(s.sc, s.has, z, s.sc)
		if k.outType == Float64 {
			for j := range nt {
				y.Float64[i*nt+j] = float64(s.sc[j])
			}
		} else {
			copy(y.Float32[i*nt:], z)
		}
	}
	return nil
}

// finishRegression applies the base values, the aggregate's final step
// and the post transform to one row's scores, as onnxruntime's tree
// aggregators do, writing float32 results to z and T results to full
// (used for float64 outputs of TreeEnsemble).
func (k *treeKernel[T]) finishRegression(sc []T, has []bool, z []float32, full []T) {
	nt := len(sc)
	if nt == 1 {
		var origin T
		if len(k.base) == 1 {
			origin = k.base[0]
		}
		v := sc[0]
		switch k.agg {
		case aggSum:
			v += origin
		case aggAverage:
			v = v/T(k.f.nTrees) + origin
		default:
			if has[0] {
				v += origin
			} else {
				v = origin
			}
		}
		if k.post == ptProbit {
			v = T(probit(float32(v)))
		}
		full[0] = v
		z[0] = float32(v)
		return
	}
	useBase := len(k.base) == nt
	for j := range nt {
		switch k.agg {
		case aggAverage:
			sc[j] /= T(k.f.nTrees)
		}
		if useBase {
			sc[j] += k.base[j]
		}
		// onnxruntime writes 0 for a target no leaf scored, even when it
		// has a base value.
		if !has[j] {
			sc[j] = 0
		}
		z[j] = float32(sc[j])
	}
	if k.post != ptNone {
		applyTransform(k.post, z)
		for j := range nt {
			full[j] = T(z[j])
		}
	}
}

func (k *treeKernel[T]) classify(ctx context.Context, x *Tensor, n, width int, s *treeScratch[T], out []*Tensor) error {
	nc := k.f.nTarget
	labels := out[0]
	labels.reset(k.labels.Type, []int{n})
	z := out[1]
	z.reset(Float32, []int{n, nc})
	for i := range n {
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k.f.scores(row(x, i, width, s.row), k.agg, s.sc, s.has)
		li, literal, err := k.finishClassification(s.sc, s.has, z.Float32[i*nc:(i+1)*nc], s.z)
		switch {
		case err != nil:
			return fmt.Errorf("row %d: %w", i, err)
		case labels.Type == String:
			labels.String[i] = k.labels.String[li]
		case literal:
			labels.Int64[i] = int64(li)
		default:
			labels.Int64[i] = k.labels.Int64[li]
		}
	}
	return nil
}

// finishClassification is onnxruntime's TreeAggregatorClassifier
// FinalizeScores for one row: it adds base values, picks the label (an
// index into the class labels) and writes the transformed scores to z.
//
// literal reports onnxruntime's quirk for two classes that both receive
// weights: the int64 label is then the index itself.
func (k *treeKernel[T]) finishClassification(sc []T, has []bool, z []float32, tmp []float32) (label int, literal bool, err error) {
	nc := len(sc)
	if nc > 2 {
		for j := 0; j < len(k.base) && j < nc; j++ {
			sc[j] += k.base[j]
			has[j] = true
		}
		best := -1
		for j := range nc {
			if has[j] && (best < 0 || sc[j] > sc[best]) {
				best = j
			}
		}
		if best < 0 {
			return 0, false, errors.New("no class received a score")
		}
		for j := range nc {
			tmp[j] = scoreOrZero(sc[j], has[j])
		}
		applyTransform(k.post, tmp[:nc])
		copy(z, tmp[:nc])
		return best, false, nil
	}
	// Two classes.
	size := 2
	add := secondClassNone
	switch len(k.base) {
	case 2:
		if has[1] {
			sc[1] = k.base[1] + sc[0]
			sc[0] = -sc[1]
			has[1] = true
		} else {
			sc[1] += k.base[1]
			sc[0] += k.base[0]
		}
	case 1:
		sc[0] += k.base[0]
		if !has[1] {
			size = 1
		}
	case 0:
		add = secondClassMixed // onnxruntime's value 3: mixed weights, negative class wins
		if !has[1] {
			size = 1
		}
	}
	var pos T
	switch {
	case size == 2 && has[1]:
		pos = sc[1]
	case has[0]:
		pos = sc[0]
	}
	label = 0
	switch {
	case k.binary && k.allPositive:
		if pos > 0.5 {
			label = 1
		}
		add = secondClassComplement
	case k.binary:
		if pos > 0 {
			label = 1
		}
		add = secondClassMixed
	default:
		// Two classes scored separately: onnxruntime's label is the
		// literal 1 or 0 (an index for string labels), not a class label.
		literal = true
		if pos > 0 {
			label = 1
		}
	}
	for j := range size {
		tmp[j] = scoreOrZero(sc[j], has[j])
	}
	clear(z)
	writeScores(z, tmp[:size], k.post, add)
	return label, literal, nil
}

func scoreOrZero[T float32 | float64](v T, has bool) float32 {
	if !has {
		return 0
	}
	return float32(v)
}

// readTreeSpec reads the v1/v3 node attributes; prefix is "target" for
// the regressor and "class" for the classifier.
func readTreeSpec[T float32 | float64](n *node, prefix string) (*treeSpec[T], error) {
	a := n.attr
	s := &treeSpec[T]{
		treeIDs: a.ints("nodes_treeids"), nodeIDs: a.ints("nodes_nodeids"), featIDs: a.ints("nodes_featureids"),
		trueIDs: a.ints("nodes_truenodeids"), falseIDs: a.ints("nodes_falsenodeids"),
		tracks: a.ints("nodes_missing_value_tracks_true"),
		tTree:  a.ints(prefix + "_treeids"), tNode: a.ints(prefix + "_nodeids"), tID: a.ints(prefix + "_ids"),
	}
	for _, m := range a.strings("nodes_modes") {
		v, ok := modeNames[m]
		if !ok {
			return nil, fmt.Errorf("nodes_modes has unknown mode %q", m)
		}
		s.modes = append(s.modes, v)
	}
	var err error
	if s.values, err = floatsOrTensor[T](n, "nodes_values"); err != nil {
		return nil, err
	}
	if s.tWeight, err = floatsOrTensor[T](n, prefix+"_weights"); err != nil {
		return nil, err
	}
	if _, err := floatsOrTensor[T](n, "nodes_hitrates"); err != nil {
		return nil, err
	}
	return s, a.err
}

// floatsOrTensor reads a FLOATS attribute or its v3 `<name>_as_tensor`
// TENSOR twin (only one may be set), converted to T.
func floatsOrTensor[T float32 | float64](n *node, name string) ([]T, error) {
	a := n.attr
	tn := name + "_as_tensor"
	if a.has(name) && a.has(tn) {
		return nil, fmt.Errorf("both %s and %s are set", name, tn)
	}
	if a.has(tn) {
		if n.version < 3 {
			return nil, fmt.Errorf("attribute %s needs version 3 of the operator", tn)
		}
		return tensorAttrAs[T](n, tn)
	}
	fs := a.floats(name)
	out := make([]T, len(fs))
	for i, v := range fs {
		out[i] = T(v)
	}
	return out, nil
}

func parseAggregate(a *attrs) aggregate {
	switch s := a.string("aggregate_function", "SUM"); s {
	case "SUM":
		return aggSum
	case "AVERAGE":
		return aggAverage
	case "MIN":
		return aggMin
	case "MAX":
		return aggMax
	default:
		a.fail("attribute %q: unsupported value %q", "aggregate_function", s)
		return aggSum
	}
}

// typedTreeKernel dispatches on the input type at run time when it was not
// known at load time: a float64 input needs the float64 compilation.
type typedTreeKernel struct {
	k32 kernel
	k64 kernel
}

func (t *typedTreeKernel) run(ctx context.Context, in, out []*Tensor) error {
	if in[0].Type == Float64 {
		return t.k64.run(ctx, in, out)
	}
	return t.k32.run(ctx, in, out)
}

// buildBoth compiles a tree kernel for float32 thresholds and, unless the
// input type is known not to be float64, for float64 ones.
func buildBoth(n *node, build32 func() (kernel, error), build64 func() (kernel, error)) (kernel, error) {
	switch n.inType(0) {
	case Float64:
		return build64()
	case Float32, Int64, Int32:
		return build32()
	}
	k32, err := build32()
	if err != nil {
		return nil, err
	}
	k64, err := build64()
	if err != nil {
		return nil, err
	}
	return &typedTreeKernel{k32: k32, k64: k64}, nil
}

func buildTreeEnsembleRegressor(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Float32}
	return buildBoth(n, func() (kernel, error) { return newTreeRegressor[float32](n) }, func() (kernel, error) { return newTreeRegressor[float64](n) })
}

func newTreeRegressor[T float32 | float64](n *node) (kernel, error) {
	a := n.attr
	spec, err := readTreeSpec[T](n, "target")
	if err != nil {
		return nil, err
	}
	spec.nTarget = int(a.int("n_targets", 1))
	if spec.nTarget < 1 || spec.nTarget > 1<<20 {
		return nil, fmt.Errorf("n_targets is %d", spec.nTarget)
	}
	k := &treeKernel[T]{agg: parseAggregate(a), post: parsePostTransform(a), outType: Float32}
	if k.base, err = floatsOrTensor[T](n, "base_values"); err != nil {
		return nil, err
	}
	if a.err != nil {
		return nil, a.err
	}
	if k.f, err = spec.compile(); err != nil {
		return nil, err
	}
	return k, nil
}

func buildTreeEnsembleClassifier(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 2, 2); err != nil {
		return nil, err
	}
	labels, err := classLabels(n.attr, "classlabels_int64s", "classlabels_strings")
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{labels.Type, Float32}
	return buildBoth(n, func() (kernel, error) { return newTreeClassifier[float32](n, labels) }, func() (kernel, error) { return newTreeClassifier[float64](n, labels) })
}

func newTreeClassifier[T float32 | float64](n *node, labels *Tensor) (kernel, error) {
	a := n.attr
	spec, err := readTreeSpec[T](n, "class")
	if err != nil {
		return nil, err
	}
	spec.nTarget = labels.Len()
	if spec.nTarget < 2 {
		return nil, fmt.Errorf("the classifier has %d class labels, want at least 2", spec.nTarget)
	}
	k := &treeKernel[T]{agg: aggSum, post: parsePostTransform(a), classifier: true, labels: labels, allPositive: true, outType: Float32}
	if k.base, err = floatsOrTensor[T](n, "base_values"); err != nil {
		return nil, err
	}
	if a.err != nil {
		return nil, a.err
	}
	if k.f, err = spec.compile(); err != nil {
		return nil, err
	}
	classes := map[int64]bool{}
	for i, id := range spec.tID {
		classes[id] = true
		if spec.tWeight[i] < 0 {
			k.allPositive = false
		}
	}
	k.binary = spec.nTarget == 2 && len(classes) == 1
	if len(k.base) > spec.nTarget {
		return nil, fmt.Errorf("base_values has %d values for %d classes", len(k.base), spec.nTarget)
	}
	return k, nil
}
