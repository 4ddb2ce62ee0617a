package onnx

import (
	"errors"
	"fmt"
	"math"
)

// This file compiles the trees of an ensemble into one flat node array
// and walks them; ops_ml_tree.go reads the operators' attributes and
// turns the scores into outputs, ops_ml_tree_flat.go interleaves trees.

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
		if s.nTarget == 1 && counts[leafOf[i]+1] > 0 {
			// With one target, onnxruntime keeps a single value per leaf:
			// the first weight listed for it (skl2onnx's decision_leaf
			// option writes several).
			keep[j] = -1
			continue
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
