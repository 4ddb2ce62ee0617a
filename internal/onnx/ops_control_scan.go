package onnx

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// scan is Scan (opset 9 on): it runs its body once per position of its
// scan inputs (sliced along their scan axes), carrying state values from
// one iteration to the next and stacking the body's scan outputs.
type scan struct {
	b                         *body
	nState, nScanIn, nScanOut int
	inAxes, outAxes           []int64
	inRev, outRev             []bool
	// swap reports, per state, that the body output holding its next
	// value is written by a node and by nothing else, so its buffers can
	// be exchanged with the carried value instead of copied.
	swap []bool
	// sqDist reports that the body computes squared euclidean distances
	// as skl2onnx's KNeighbors converters write it (see isSqDistBody).
	sqDist bool
	pool   sync.Pool // of *scanRun
}

// scanRun holds one evaluation's scratch: the body state, the carried
// state values, the scan input slices and the scan output layout.
type scanRun struct {
	st       *state
	carry    []Tensor
	views    []Tensor // slices of scan inputs along axis 0 (no copy)
	gathered []Tensor // slices of scan inputs along other axes (copied)
	inView   []bool   // per scan input: sliced along axis 0, so viewed
	inLoops  [][]loop // per scan input not viewed: the copy's loop nest
	inStep   []int    // per scan input: elements between positions
	outLoops [][]loop // per scan output: where one iteration's elements go
	outStep  []int    // per scan output: elements between positions
	outFlat  []bool   // per scan output: one iteration is one block
	outShape [][]int  // per scan output: the first iteration's shape
}

func buildScan(n *node) (kernel, error) {
	if n.version < 9 {
		return nil, fmt.Errorf("version 8 of Scan (with sequence_lens and a batch axis) is not supported; re-export the model with opset 9 or later")
	}
	if err := onlyAttrs(n, "body", "num_scan_inputs", "scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, -1, 1, -1); err != nil {
		return nil, err
	}
	for i, name := range n.inputs {
		if name == "" {
			return nil, fmt.Errorf("input %d is empty", i)
		}
	}
	if !n.attr.has("num_scan_inputs") {
		return nil, fmt.Errorf("missing required attribute %q", "num_scan_inputs")
	}
	m := n.attr.int("num_scan_inputs", 0)
	if m < 1 || m > int64(len(n.inputs)) {
		return nil, fmt.Errorf("attribute num_scan_inputs is %d for %d inputs", m, len(n.inputs))
	}
	k := &scan{nScanIn: int(m), nState: len(n.inputs) - int(m)}
	k.nScanOut = len(n.outputs) - k.nState
	if k.nScanOut < 0 {
		return nil, fmt.Errorf("has %d outputs for %d state values", len(n.outputs), k.nState)
	}
	var err error
	if k.inAxes, err = scanAxes(n, "scan_input_axes", k.nScanIn); err != nil {
		return nil, err
	}
	if k.outAxes, err = scanAxes(n, "scan_output_axes", k.nScanOut); err != nil {
		return nil, err
	}
	if k.inRev, err = scanDirections(n, "scan_input_directions", k.nScanIn); err != nil {
		return nil, err
	}
	if k.outRev, err = scanDirections(n, "scan_output_directions", k.nScanOut); err != nil {
		return nil, err
	}
	if k.b, err = compileBody(n, "body"); err != nil {
		return nil, err
	}
	g := k.b.g
	if len(g.inputs) != k.nState+k.nScanIn {
		return nil, fmt.Errorf("body has %d inputs, want %d (states) + %d (scan inputs)", len(g.inputs), k.nState, k.nScanIn)
	}
	if len(g.outputs) != k.nState+k.nScanOut {
		return nil, fmt.Errorf("body has %d outputs, want %d (states) + %d (scan outputs)", len(g.outputs), k.nState, k.nScanOut)
	}
	n.implicit = k.b.outer
	n.outTypes = make([]DataType, len(n.outputs))
	for j := range n.outTypes {
		if j < k.nState {
			n.outTypes[j] = n.inType(j)
		} else {
			n.outTypes[j] = k.b.outTypes[j]
		}
	}
	k.sqDist = isSqDistBody(k, n.attr.graph("body"), n.opset(""))
	k.swap = make([]bool, k.nState)
	for j := range k.swap {
		k.swap[j] = exclusiveOutput(g, j)
	}
	k.pool.New = func() any {
		return &scanRun{
			st:       g.newState(),
			carry:    make([]Tensor, k.nState),
			views:    make([]Tensor, k.nScanIn),
			gathered: make([]Tensor, k.nScanIn),
			inView:   make([]bool, k.nScanIn),
			inLoops:  make([][]loop, k.nScanIn),
			inStep:   make([]int, k.nScanIn),
			outLoops: make([][]loop, k.nScanOut),
			outStep:  make([]int, k.nScanOut),
			outFlat:  make([]bool, k.nScanOut),
			outShape: make([][]int, k.nScanOut),
		}
	}
	return k, nil
}

// exclusiveOutput reports whether body output i is a value a node
// computes (not an input, outer value or constant) that no other output
// names.
func exclusiveOutput(g *graph, i int) bool {
	slot := g.outputs[i]
	if g.consts[slot] != nil || slices.Contains(g.inputs, slot) || slices.Contains(g.outer, slot) {
		return false
	}
	for j, s := range g.outputs {
		if j != i && s == slot {
			return false
		}
	}
	for _, sp := range g.steps {
		if slices.Contains(sp.out, slot) {
			return true
		}
	}
	return false
}

func scanAxes(n *node, name string, count int) ([]int64, error) {
	if !n.attr.has(name) {
		return make([]int64, count), nil
	}
	axes := n.attr.ints(name)
	if len(axes) != count {
		return nil, fmt.Errorf("attribute %s has %d values, want %d", name, len(axes), count)
	}
	return axes, nil
}

func scanDirections(n *node, name string, count int) ([]bool, error) {
	rev := make([]bool, count)
	if !n.attr.has(name) {
		return rev, nil
	}
	dirs := n.attr.ints(name)
	if len(dirs) != count {
		return nil, fmt.Errorf("attribute %s has %d values, want %d", name, len(dirs), count)
	}
	for i, d := range dirs {
		if d != 0 && d != 1 {
			return nil, fmt.Errorf("attribute %s has %d; 0 is forward, 1 reverse", name, d)
		}
		rev[i] = d == 1
	}
	return rev, nil
}

func (k *scan) run(ctx context.Context, in, out []*Tensor) error {
	if k.sqDist {
		if done, err := k.runSqDist(ctx, in, out); done {
			return err
		}
	}
	g := k.b.g
	ns, nm := k.nState, k.nScanIn
	r := k.pool.Get().(*scanRun)
	defer k.pool.Put(r)
	st := r.st
	defer func() {
		st.clearInputs(g.inputs)
		st.clearInputs(g.outer)
		clear(r.views)
	}()
	for i, slot := range g.outer {
		st.setInput(slot, in[ns+nm+i])
	}

	// The sequence length, and how to take each scan input's slices.
	steps := -1
	for j := range nm {
		x := in[ns+j]
		a, err := normAxis(k.inAxes[j], len(x.Shape))
		if err != nil {
			return fmt.Errorf("scan input %d: %w", j, err)
		}
		if steps >= 0 && x.Shape[a] != steps {
			return fmt.Errorf("scan input %d has %d positions along axis %d; scan input 0 has %d", j, x.Shape[a], a, steps)
		}
		steps = x.Shape[a]
		r.inStep[j] = product(x.Shape[a+1:])
		r.inLoops[j] = r.inLoops[j][:0]
		if r.inView[j] = a == 0; a == 0 {
			continue
		}
		// Copy the slice: loop over the other axes.
		dims := append(r.gathered[j].Shape[:0], x.Shape[:a]...)
		dims = append(dims, x.Shape[a+1:]...)
		r.gathered[j].reset(x.Type, dims)
		stride := 1
		for d := len(x.Shape) - 1; d >= 0; d-- {
			if d != a {
				r.inLoops[j] = append(r.inLoops[j], loop{n: x.Shape[d], src: stride})
			}
			stride *= x.Shape[d]
		}
		slices.Reverse(r.inLoops[j])
		dst := 1
		for d := len(r.inLoops[j]) - 1; d >= 0; d-- {
			r.inLoops[j][d].dst = dst
			dst *= r.inLoops[j][d].n
		}
		r.inStep[j] = product(x.Shape[a+1:])
		var ok bool
		if r.inLoops[j], ok = simplifyLoops(r.inLoops[j]); !ok {
			r.inLoops[j] = nil // empty slices: nothing to copy
		}
	}
	if steps == 0 {
		return fmt.Errorf("the scan inputs have no positions (sequence length 0)")
	}

	done := ctx.Done()
	for it := range steps {
		if err := stopped(ctx, done); err != nil {
			return err
		}
		for j := range ns {
			src := in[j]
			if it > 0 {
				src = &r.carry[j]
			}
			st.setInput(g.inputs[j], src)
		}
		for j := range nm {
			x := in[ns+j]
			pos := it
			if k.inRev[j] {
				pos = steps - 1 - it
			}
			if r.inView[j] {
				size := r.inStep[j]
				viewOf(&r.views[j], x, pos*size, size, x.Shape[1:])
				st.setInput(g.inputs[ns+j], &r.views[j])
				continue
			}
			if r.inLoops[j] != nil {
				copyLoops(&r.gathered[j], 0, x, pos*r.inStep[j], r.inLoops[j])
			}
			st.setInput(g.inputs[ns+j], &r.gathered[j])
		}
		if err := g.exec(ctx, st); err != nil {
			return fmt.Errorf("iteration %d: %w", it, err)
		}
		for j := range k.nScanOut {
			if err := k.stack(r, j, it, steps, st.vals[g.outputs[ns+j]], out[ns+j]); err != nil {
				return err
			}
		}
		for j := range ns {
			res := st.vals[g.outputs[j]]
			if res.Type != in[j].Type || !slices.Equal(res.Shape, in[j].Shape) {
				return fmt.Errorf("iteration %d: state %d changed from %s to %s", it, j, in[j].Describe(), res.Describe())
			}
			if k.swap[j] {
				slot := g.outputs[j]
				r.carry[j], st.own[slot] = st.own[slot], r.carry[j]
			} else {
				r.carry[j].copyFrom(res)
			}
		}
	}
	for j := range ns {
		out[j].copyFrom(&r.carry[j])
	}
	return nil
}

// stack writes scan output j of iteration it into o.
func (k *scan) stack(r *scanRun, j, it, steps int, res, o *Tensor) error {
	if it == 0 {
		q := len(res.Shape)
		a, err := normAxis(k.outAxes[j], q+1)
		if err != nil {
			return fmt.Errorf("scan output %d: %w", j, err)
		}
		r.outShape[j] = append(r.outShape[j][:0], res.Shape...)
		dims := append(o.Shape[:0], res.Shape[:a]...)
		dims = append(dims, steps)
		dims = append(dims, res.Shape[a:]...)
		if _, err := checkedSize(dims); err != nil {
			return fmt.Errorf("scan output %d: %w", j, err)
		}
		o.reset(res.Type, dims)
		// Where one iteration's elements go: every axis but a.
		r.outLoops[j] = r.outLoops[j][:0]
		stride := 1
		for d := len(dims) - 1; d >= 0; d-- {
			if d == a {
				r.outStep[j] = stride
			} else {
				r.outLoops[j] = append(r.outLoops[j], loop{n: dims[d], dst: stride})
			}
			stride *= dims[d]
		}
		slices.Reverse(r.outLoops[j])
		src := 1
		for d := len(r.outLoops[j]) - 1; d >= 0; d-- {
			r.outLoops[j][d].src = src
			src *= r.outLoops[j][d].n
		}
		r.outFlat[j] = r.outStep[j] == res.Len()
		var ok bool
		if r.outLoops[j], ok = simplifyLoops(r.outLoops[j]); !ok {
			r.outFlat[j] = true // no elements
		}
	} else if res.Type != o.Type || !slices.Equal(res.Shape, r.outShape[j]) {
		return fmt.Errorf("iteration %d: scan output %d is %s, iteration 0 gave %v%s", it, j, res.Describe(), o.Type, formatShape(r.outShape[j]))
	}
	if res.Len() == 0 {
		return nil // the output has no elements either
	}
	pos := it
	if k.outRev[j] {
		pos = steps - 1 - it
	}
	if r.outFlat[j] {
		// Axis 0 (or only unit axes before it): one contiguous block.
		copyElems(o, pos*r.outStep[j], res, 0, res.Len())
		return nil
	}
	copyLoops(o, pos*r.outStep[j], res, 0, r.outLoops[j])
	return nil
}

// viewOf makes dst a view of t's elements [off, off+n) with the given
// shape, sharing t's data (capacity-limited, so it cannot grow into t).
func viewOf(dst, t *Tensor, off, n int, shape []int) {
	*dst = Tensor{Type: t.Type, Shape: shape}
	end := off + n
	switch t.Type {
	case Float32:
		dst.Float32 = t.Float32[off:end:end]
	case Float64:
		dst.Float64 = t.Float64[off:end:end]
	case Int64:
		dst.Int64 = t.Int64[off:end:end]
	case Int32:
		dst.Int32 = t.Int32[off:end:end]
	case Bool:
		dst.Bool = t.Bool[off:end:end]
	case String:
		dst.String = t.String[off:end:end]
	}
}
