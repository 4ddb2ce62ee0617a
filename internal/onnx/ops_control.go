package onnx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// controlOps holds the kernels for Scan and If.
var controlOps = map[opKey]opSpec{
	{"", "If"}:                {since: []int{1, 11, 13, 16, 19, 21}, build: buildIf},
	{"", "Scan"}:              {since: []int{8, 9, 11, 16, 19, 21}, build: buildScan},
	{"", "SequenceConstruct"}: {since: []int{11}, build: buildSequenceConstruct},
	// A loop is not folded at load time: its trip count is unbounded.
	{"", "Loop"}: {since: []int{1, 11, 13, 16, 19, 21}, build: buildLoop, noFold: true},
}

// A subgraphCompiler compiles a subgraph in an enclosing scope. Kernel
// builders reach compileGraph through this interface: a direct call would
// make the operator registry, whose builders compile subgraphs that look
// operators up in it, depend on itself during package initialization.
type subgraphCompiler interface {
	compile(gp *onnxpb.GraphProto, parent *scope, site *callSite) (*graph, *scope, error)
}

type graphCompiler struct{}

func (graphCompiler) compile(gp *onnxpb.GraphProto, parent *scope, site *callSite) (*graph, *scope, error) {
	return compileGraph(gp, parent, parent.u, site)
}

// A body is a compiled subgraph (a branch of If, the body of Scan or
// Loop) with a pool of evaluation states.
type body struct {
	g *graph
	// outer lists the names the body reads from enclosing scopes, in the
	// order of g.outer.
	outer []string
	// outTypes holds the element type of each output when known at build
	// time, and outShapes its declared shape (nil when not fully known).
	outTypes  []DataType
	outShapes [][]int
	pool      sync.Pool
}

// compileBody compiles the graph attribute name of n in n's scope (and,
// for a node inlined from a function, as part of the same call).
func compileBody(n *node, name string) (*body, error) {
	gp := n.attr.graph(name)
	if gp == nil {
		if n.attr.err != nil {
			return nil, n.attr.err
		}
		return nil, fmt.Errorf("missing required attribute %q", name)
	}
	var c subgraphCompiler = graphCompiler{}
	g, s, err := c.compile(gp, n.scope, n.site)
	if err != nil {
		return nil, fmt.Errorf("subgraph %s: %w", name, err)
	}
	if len(g.keys) > 0 {
		return nil, fmt.Errorf("subgraph %s produces a sequence of maps, which only a main graph output may hold", name)
	}
	b := &body{g: g, outer: s.outer}
	for i, vi := range gp.GetOutput() {
		if slices.Contains(g.outer, g.outputs[i]) {
			// onnxruntime refuses these too.
			return nil, fmt.Errorf("subgraph %s returns outer-scope value %q directly", name, vi.GetName())
		}
		b.outTypes = append(b.outTypes, s.typeOf(vi.GetName()))
		ti := typeInfoFromProto(vi.GetType())
		var shape []int
		if ti.HasShape && !slices.Contains(ti.Shape, -1) {
			shape = ti.Shape
		}
		b.outShapes = append(b.outShapes, shape)
	}
	b.pool.New = func() any { return g.newState() }
	return b, nil
}

// ifKernel runs one of two branches on the value of a bool condition.
type ifKernel struct {
	branches [2]*body // else, then
	// args maps each branch's outer values to the kernel's implicit
	// inputs (indices into in[1:]).
	args [2][]int
}

func buildIf(n *node) (kernel, error) {
	if err := onlyAttrs(n, "then_branch", "else_branch"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, -1); err != nil {
		return nil, err
	}
	if err := checkInputType(n, 0, "cond", Bool); err != nil {
		return nil, err
	}
	k := &ifKernel{}
	for i, name := range []string{"else_branch", "then_branch"} {
		b, err := compileBody(n, name)
		if err != nil {
			return nil, err
		}
		if got := len(b.g.outputs); got != len(n.outputs) {
			return nil, fmt.Errorf("%s has %d outputs, the node %d", name, got, len(n.outputs))
		}
		k.branches[i] = b
	}
	for i, b := range k.branches {
		k.args[i] = make([]int, len(b.outer))
		for j, name := range b.outer {
			at := slices.Index(n.implicit, name)
			if at < 0 {
				at = len(n.implicit)
				n.implicit = append(n.implicit, name)
			}
			k.args[i][j] = at
		}
	}
	n.outTypes = make([]DataType, len(n.outputs))
	for i := range n.outTypes {
		switch e, t := k.branches[0].outTypes[i], k.branches[1].outTypes[i]; {
		case e == Undefined:
			n.outTypes[i] = t
		case t == Undefined || t == e:
			n.outTypes[i] = e
		default:
			return nil, fmt.Errorf("output %d is %v in then_branch and %v in else_branch", i, t, e)
		}
	}
	return k, nil
}

func (k *ifKernel) run(ctx context.Context, in, out []*Tensor) error {
	c := in[0]
	if c.Type != Bool || len(c.Bool) != 1 {
		return fmt.Errorf("cond must hold one bool, got %s", c.Describe())
	}
	which := 0
	if c.Bool[0] {
		which = 1
	}
	b, args := k.branches[which], k.args[which]
	st := b.pool.Get().(*state)
	defer b.pool.Put(st)
	for i, slot := range b.g.outer {
		st.setInput(slot, in[1+args[i]])
	}
	defer st.clearInputs(b.g.outer)
	if err := b.g.exec(ctx, st); err != nil {
		return err
	}
	for i, slot := range b.g.outputs {
		out[i].copyFrom(st.vals[slot])
	}
	return nil
}

// stopped reports ctx's error without blocking, cheaply enough to call
// once per loop iteration (done is ctx.Done()).
func stopped(ctx context.Context, done <-chan struct{}) error {
	select {
	case <-done:
		return ctx.Err()
	default:
		return nil
	}
}

// sequenceConstruct is SequenceConstruct (v11): the compiler turns it into
// a sequence output assembled from its inputs' slots (see compileNode), so
// it never runs. Sequences are supported as graph outputs only.
type sequenceConstruct struct{}

func buildSequenceConstruct(n *node) (kernel, error) {
	if err := n.checkArity(1, -1, 1, 1); err != nil {
		return nil, err
	}
	typ := n.inType(0)
	for i := range n.inputs {
		if n.inputs[i] == "" {
			return nil, fmt.Errorf("input %d is empty", i)
		}
		if t := n.inType(i); t != Undefined && typ != Undefined && t != typ {
			return nil, fmt.Errorf("inputs have different element types (%v, %v)", typ, t)
		}
	}
	return sequenceConstruct{}, nil
}

func (sequenceConstruct) run(context.Context, []*Tensor, []*Tensor) error {
	return errors.New("SequenceConstruct does not run")
}
