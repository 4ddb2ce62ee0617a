package onnx

// The interleaved traversal: walking one tree is a chain of dependent
// loads (node, feature value, child), so its speed is memory latency, not
// work. Walking four trees at once gives the processor four independent
// chains to overlap. To keep the four walks in lock step without
// branches, leaves become nodes whose children are themselves: every
// walk then takes exactly as many steps as the deepest of the four trees.

// treeGroup is how many trees are walked together.
const treeGroup = 4

// A flatForest is the interleaved layout of a forest whose leaves each
// hold exactly one weight, for the all-BRANCH_LEQ and all-BRANCH_LT loops.
type flatForest[T float32 | float64] struct {
	nodes  []tnode[T] // interior nodes, then one self-looping node per leaf
	target []int32    // per node: the leaf's target (leaves only)
	weight []T        // per node: the leaf's weight (leaves only)
	roots  []int32
	depth  []int32 // per group of treeGroup trees: the deepest tree's depth
	lt     bool    // BRANCH_LT instead of BRANCH_LEQ
	single bool    // every leaf has the same target
}

// flatten builds the interleaved layout when it applies.
func (f *forest[T]) flatten() *flatForest[T] {
	if f.loop != loopLEQ && f.loop != loopLT {
		return nil
	}
	nLeaves := len(f.wStart) - 1
	for l := range nLeaves {
		if f.wStart[l+1]-f.wStart[l] != 1 {
			return nil
		}
	}
	ni := len(f.nodes)
	ff := &flatForest[T]{
		nodes:  make([]tnode[T], ni+nLeaves),
		target: make([]int32, ni+nLeaves),
		weight: make([]T, ni+nLeaves),
		lt:     f.loop == loopLT,
		single: f.single,
	}
	at := func(n int32) int32 {
		if n < 0 {
			return int32(ni) + ^n
		}
		return n
	}
	for i, nd := range f.nodes {
		ff.nodes[i] = tnode[T]{thr: nd.thr, feat: nd.feat, kid: [2]int32{at(nd.kid[0]), at(nd.kid[1])}}
	}
	for l := range nLeaves {
		self := int32(ni + l)
		ff.nodes[self] = tnode[T]{kid: [2]int32{self, self}}
		ff.target[self] = f.wTarget[f.wStart[l]]
		ff.weight[self] = f.wVal[f.wStart[l]]
	}
	depthOf := make([]int32, ni) // memoised depth of each interior node
	var depth func(n int32) int32
	depth = func(n int32) int32 {
		if n < 0 {
			return 0
		}
		if depthOf[n] == 0 {
			depthOf[n] = 1 + max(depth(f.nodes[n].kid[0]), depth(f.nodes[n].kid[1]))
		}
		return depthOf[n]
	}
	for i, r := range f.roots {
		ff.roots = append(ff.roots, at(r))
		if i%treeGroup == 0 {
			ff.depth = append(ff.depth, 0)
		}
		g := len(ff.depth) - 1
		ff.depth[g] = max(ff.depth[g], depth(r))
	}
	return ff
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sum adds every tree's leaf weight for row x to sc (indexed by target),
// in tree order, and returns nothing else: every target it touches is
// marked in has.
func (ff *flatForest[T]) sum(x []T, sc []T, has []bool) {
	nodes, roots := ff.nodes, ff.roots
	i := 0
	for _, d := range ff.depth {
		if i+treeGroup > len(roots) {
			break
		}
		a, b, c, e := roots[i], roots[i+1], roots[i+2], roots[i+3]
		if ff.lt {
			for range d {
				na, nb, nc, ne := &nodes[a], &nodes[b], &nodes[c], &nodes[e]
				a = na.kid[b2i(x[na.feat] < na.thr)]
				b = nb.kid[b2i(x[nb.feat] < nb.thr)]
				c = nc.kid[b2i(x[nc.feat] < nc.thr)]
				e = ne.kid[b2i(x[ne.feat] < ne.thr)]
			}
		} else {
			for range d {
				na, nb, nc, ne := &nodes[a], &nodes[b], &nodes[c], &nodes[e]
				a = na.kid[b2i(x[na.feat] <= na.thr)]
				b = nb.kid[b2i(x[nb.feat] <= nb.thr)]
				c = nc.kid[b2i(x[nc.feat] <= nc.thr)]
				e = ne.kid[b2i(x[ne.feat] <= ne.thr)]
			}
		}
		if ff.single {
			t := ff.target[a]
			sc[t] += ff.weight[a]
			sc[t] += ff.weight[b]
			sc[t] += ff.weight[c]
			sc[t] += ff.weight[e]
			has[t] = true
		} else {
			for _, n := range [treeGroup]int32{a, b, c, e} {
				t := ff.target[n]
				sc[t] += ff.weight[n]
				has[t] = true
			}
		}
		i += treeGroup
	}
	for ; i < len(roots); i++ {
		n := roots[i]
		for {
			nd := &nodes[n]
			var next int32
			if ff.lt {
				next = nd.kid[b2i(x[nd.feat] < nd.thr)]
			} else {
				next = nd.kid[b2i(x[nd.feat] <= nd.thr)]
			}
			if next == n {
				break
			}
			n = next
		}
		t := ff.target[n]
		sc[t] += ff.weight[n]
		has[t] = true
	}
}
