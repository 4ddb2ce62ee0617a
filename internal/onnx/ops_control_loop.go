package onnx

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// loopKernel is Loop: it runs its body while the trip count M (input 0,
// optional) is not reached and the condition (input 1, optional) holds,
// carrying values from one iteration to the next and stacking the body's
// scan outputs along a new first axis.
type loopKernel struct {
	b               *body
	nCarried, nScan int
	swap            []bool // per carried value, as for Scan
	pool            sync.Pool
}

// loopRun holds one evaluation's scratch.
type loopRun struct {
	st      *state
	iter    Tensor // the iteration number, an int64 scalar
	cond    Tensor // the condition, a bool scalar
	carry   []Tensor
	acc     []Tensor // scan outputs, appended iteration by iteration
	accStep [][]int  // the first iteration's shape of each scan output
}

func buildLoop(n *node) (kernel, error) {
	if err := onlyAttrs(n, "body"); err != nil {
		return nil, err
	}
	if len(n.inputs) < 2 {
		return nil, fmt.Errorf("has %d inputs, want at least 2 (M and cond, which may be empty names)", len(n.inputs))
	}
	for i, name := range n.inputs[2:] {
		if name == "" {
			return nil, fmt.Errorf("input %d is empty", i+2)
		}
	}
	if err := checkInputType(n, 0, "M", Int64); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 1, "cond", Bool); err != nil {
		return nil, err
	}
	k := &loopKernel{nCarried: len(n.inputs) - 2}
	k.nScan = len(n.outputs) - k.nCarried
	if k.nScan < 0 {
		return nil, fmt.Errorf("has %d outputs for %d loop-carried values", len(n.outputs), k.nCarried)
	}
	var err error
	if k.b, err = compileBody(n, "body"); err != nil {
		return nil, err
	}
	g := k.b.g
	if len(g.inputs) != 2+k.nCarried {
		return nil, fmt.Errorf("body has %d inputs, want 2 + %d (loop-carried values)", len(g.inputs), k.nCarried)
	}
	if len(g.outputs) != 1+k.nCarried+k.nScan {
		return nil, fmt.Errorf("body has %d outputs, want 1 + %d (loop-carried values) + %d (scan outputs)", len(g.outputs), k.nCarried, k.nScan)
	}
	if t := k.b.outTypes[0]; t != Undefined && t != Bool {
		return nil, fmt.Errorf("body output 0 (the condition) has element type %v, want bool", t)
	}
	n.implicit = k.b.outer
	n.outTypes = make([]DataType, len(n.outputs))
	for j := range n.outTypes {
		if j < k.nCarried {
			n.outTypes[j] = n.inType(2 + j)
		} else {
			n.outTypes[j] = k.b.outTypes[1+j]
		}
	}
	k.swap = make([]bool, k.nCarried)
	for j := range k.swap {
		k.swap[j] = exclusiveOutput(g, 1+j)
	}
	k.pool.New = func() any {
		r := &loopRun{
			st:      g.newState(),
			carry:   make([]Tensor, k.nCarried),
			acc:     make([]Tensor, k.nScan),
			accStep: make([][]int, k.nScan),
		}
		r.iter.reset(Int64, nil)
		r.cond.reset(Bool, nil)
		return r
	}
	return k, nil
}

func (k *loopKernel) run(ctx context.Context, in, out []*Tensor) error {
	g := k.b.g
	nc := k.nCarried
	trips, hasTrips := int64(0), in[0] != nil
	if hasTrips {
		if in[0].Type != Int64 || in[0].Len() != 1 {
			return fmt.Errorf("trip count M must be one int64, got %s", in[0].Describe())
		}
		trips = in[0].Int64[0]
	}
	cond, hasCond := true, in[1] != nil
	if hasCond {
		if in[1].Type != Bool || in[1].Len() != 1 {
			return fmt.Errorf("cond must be one bool, got %s", in[1].Describe())
		}
		cond = in[1].Bool[0]
	}
	r := k.pool.Get().(*loopRun)
	defer k.pool.Put(r)
	st := r.st
	defer func() {
		st.clearInputs(g.inputs)
		st.clearInputs(g.outer)
	}()
	for i, slot := range g.outer {
		st.setInput(slot, in[2+nc+i])
	}
	for j := range r.acc {
		a := &r.acc[j]
		a.Float32, a.Float64, a.Int64 = a.Float32[:0], a.Float64[:0], a.Int64[:0]
		a.Int32, a.Bool, a.String = a.Int32[:0], a.Bool[:0], a.String[:0]
	}

	done := ctx.Done()
	it := int64(0)
	for ; (!hasTrips || it < trips) && cond; it++ {
		if err := stopped(ctx, done); err != nil {
			return err
		}
		r.iter.Int64[0], r.cond.Bool[0] = it, cond
		st.setInput(g.inputs[0], &r.iter)
		st.setInput(g.inputs[1], &r.cond)
		for j := range nc {
			src := in[2+j]
			if it > 0 {
				src = &r.carry[j]
			}
			st.setInput(g.inputs[2+j], src)
		}
		if err := g.exec(ctx, st); err != nil {
			return fmt.Errorf("iteration %d: %w", it, err)
		}
		c := st.vals[g.outputs[0]]
		if c.Type != Bool || c.Len() != 1 {
			return fmt.Errorf("iteration %d: the body's condition is %s, want one bool", it, c.Describe())
		}
		if hasCond {
			cond = c.Bool[0]
		}
		for j := range k.nScan {
			if err := r.appendScan(j, it, st.vals[g.outputs[1+nc+j]]); err != nil {
				return err
			}
		}
		for j := range nc {
			if k.swap[j] {
				slot := g.outputs[1+j]
				r.carry[j], st.own[slot] = st.own[slot], r.carry[j]
			} else {
				r.carry[j].copyFrom(st.vals[g.outputs[1+j]])
			}
		}
	}
	for j := range nc {
		if it == 0 {
			out[j].copyFrom(in[2+j])
		} else {
			out[j].copyFrom(&r.carry[j])
		}
	}
	for j := range k.nScan {
		o := out[nc+j]
		if it == 0 {
			// No iteration: the shape comes from the body's declaration.
			shape, typ := k.b.outShapes[1+nc+j], k.b.outTypes[1+nc+j]
			if shape == nil || typ == Undefined {
				return fmt.Errorf("the loop ran no iteration and the body does not declare the type and shape of scan output %d", j)
			}
			o.reset(typ, append(append(o.Shape[:0], 0), shape...))
			continue
		}
		a := &r.acc[j]
		o.reset(a.Type, append(append(o.Shape[:0], int(it)), r.accStep[j]...))
		copyAll(o, a)
	}
	return nil
}

// appendScan appends iteration it's scan output j to its accumulator.
func (r *loopRun) appendScan(j int, it int64, res *Tensor) error {
	a := &r.acc[j]
	if it == 0 {
		r.accStep[j] = append(r.accStep[j][:0], res.Shape...)
		a.Type = res.Type
	} else if res.Type != a.Type || !slices.Equal(res.Shape, r.accStep[j]) {
		return fmt.Errorf("iteration %d: scan output %d is %s, iteration 0 gave %v%s", it, j, res.Describe(), a.Type, formatShape(r.accStep[j]))
	}
	if a.Len()+res.Len() > maxElements {
		return fmt.Errorf("iteration %d: scan output %d has more than %d elements", it, j, maxElements)
	}
	switch res.Type {
	case Float32:
		a.Float32 = append(a.Float32, res.Float32...)
	case Float64:
		a.Float64 = append(a.Float64, res.Float64...)
	case Int64:
		a.Int64 = append(a.Int64, res.Int64...)
	case Int32:
		a.Int32 = append(a.Int32, res.Int32...)
	case Bool:
		a.Bool = append(a.Bool, res.Bool...)
	case String:
		a.String = append(a.String, res.String...)
	}
	return nil
}
