package onnx

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// A kernel evaluates one node. It reads in (nil for an omitted optional
// input) and writes out, whose tensors it must reset to their result type
// and shape; their buffers are reused from run to run. It never modifies
// its inputs and never keeps references to them.
type kernel interface {
	run(ctx context.Context, in, out []*Tensor) error
}

// kernelFunc adapts a function to the kernel interface.
type kernelFunc func(ctx context.Context, in, out []*Tensor) error

func (f kernelFunc) run(ctx context.Context, in, out []*Tensor) error { return f(ctx, in, out) }

// A node is what a kernel builder sees of one graph node at load time.
type node struct {
	name, opType, domain string
	// version is the operator's schema version in effect: the newest
	// since_version not above the model's opset for the node's domain.
	version int
	attr    *attrs
	// inputs and outputs are the value names; "" marks an omitted optional one.
	inputs, outputs []string
	// consts holds, per input, its value when it is known at load time.
	consts []*Tensor
	// weights marks, per input, the constants onnxruntime keeps as
	// constant initializers (and so may prepack): initializers and
	// Constant nodes' outputs, not values folded from other nodes.
	weights []bool
	// types holds, per input, its element type when known at load time.
	types []DataType
	// outTypes may be set by the builder to the element types of the outputs.
	outTypes []DataType
	// implicit lists names the node's subgraphs read from the enclosing
	// scope; the builder sets it, and the kernel gets their values after
	// its declared inputs.
	implicit []string
	// scope is the enclosing scope, for compiling subgraphs.
	scope *scope
	// site is the function call the node was inlined from, or nil; its
	// subgraphs belong to the same call.
	site *callSite
}

// opset returns the opset version in effect for the node's subgraphs'
// nodes of domain: their function's import, else the model's (0 when
// neither imports the domain).
func (n *node) opset(domain string) int {
	if n.site != nil {
		if v, ok := n.site.fn.opsets[domain]; ok {
			return v
		}
	}
	return n.scope.u.opsets[domain]
}

// input returns input i's name, or "" when the node has fewer inputs.
func (n *node) input(i int) string {
	if i < len(n.inputs) {
		return n.inputs[i]
	}
	return ""
}

// constInput returns input i's value when known at load time.
func (n *node) constInput(i int) *Tensor {
	if i < len(n.consts) {
		return n.consts[i]
	}
	return nil
}

// weight reports whether input i is an initializer or a Constant node's
// output (see node.weights).
func (n *node) weight(i int) bool {
	return i < len(n.weights) && n.weights[i]
}

// inType returns input i's element type when known at load time.
func (n *node) inType(i int) DataType {
	if i < len(n.types) {
		return n.types[i]
	}
	return Undefined
}

// checkArity checks the node's input and output counts.
func (n *node) checkArity(minIn, maxIn, minOut, maxOut int) error {
	if len(n.inputs) < minIn || (maxIn >= 0 && len(n.inputs) > maxIn) {
		return fmt.Errorf("has %d inputs, want %s", len(n.inputs), arity(minIn, maxIn))
	}
	for i := 0; i < minIn; i++ {
		if n.inputs[i] == "" {
			return fmt.Errorf("required input %d is empty", i)
		}
	}
	if len(n.outputs) < minOut || (maxOut >= 0 && len(n.outputs) > maxOut) {
		return fmt.Errorf("has %d outputs, want %s", len(n.outputs), arity(minOut, maxOut))
	}
	return nil
}

func arity(lo, hi int) string {
	switch {
	case hi < 0:
		return fmt.Sprintf("at least %d", lo)
	case lo == hi:
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// A scope resolves value names while a graph (or subgraph) is compiled.
type scope struct {
	parent *scope
	u      *unit
	// site is the function call whose body holds the graph, or nil.
	site   *callSite
	slots  map[string]int
	consts map[string]*Tensor
	types  map[string]DataType
	// outer lists names resolved in enclosing scopes, in slot order.
	outer []string
	g     *graph
	depth int
}

// lookup resolves name to a slot of this scope's graph, pulling it in
// from an enclosing scope when needed.
func (s *scope) lookup(name string) (int, bool) {
	if slot, ok := s.slots[name]; ok {
		return slot, true
	}
	if s.parent == nil {
		return 0, false
	}
	pslot, ok := s.parent.lookup(name)
	if !ok {
		return 0, false
	}
	slot := s.g.newSlot()
	s.slots[name] = slot
	s.outer = append(s.outer, name)
	s.g.outer = append(s.g.outer, slot)
	if c := s.parent.constOf(name); c != nil {
		s.consts[name] = c
		s.g.consts[slot] = c
		s.g.weights[slot] = s.parent.g.weights[pslot]
	}
	s.types[name] = s.parent.typeOf(name)
	return slot, true
}

func (s *scope) constOf(name string) *Tensor {
	if c, ok := s.consts[name]; ok {
		return c
	}
	if s.parent != nil {
		if _, local := s.slots[name]; !local {
			return s.parent.constOf(name)
		}
	}
	return nil
}

func (s *scope) typeOf(name string) DataType {
	if t, ok := s.types[name]; ok {
		return t
	}
	if s.parent != nil {
		if _, local := s.slots[name]; !local {
			return s.parent.typeOf(name)
		}
	}
	return Undefined
}

// A graph is a compiled (sub)graph: value slots and the steps that fill them.
type graph struct {
	consts  []*Tensor // per slot: the constant value, or nil
	inputs  []int     // slots of the graph's inputs
	outer   []int     // slots of values taken from enclosing scopes
	outputs []int     // slots of the graph's outputs
	steps   []step
	// keys maps the slots holding ZipMap's sequences of maps to their keys.
	keys map[int]*Tensor
	// seqs maps the slots holding SequenceConstruct's sequences of tensors
	// to the slots of their elements.
	seqs map[int][]int
	// weights holds the slots of initializers and Constant nodes' outputs.
	weights map[int]bool
}

// A step runs one node's kernel.
type step struct {
	name, opType, domain string
	k                    kernel
	in, out              []int // slots; -1 for an omitted optional input
}

func (g *graph) newSlot() int {
	g.consts = append(g.consts, nil)
	return len(g.consts) - 1
}

// maxDepth bounds subgraph nesting.
const maxDepth = 8

// compileGraph compiles gp, a graph of model unit u, in a scope nested in
// parent (nil for the main graph): it inlines function calls, resolves
// names, orders the nodes topologically, builds each node's kernel and
// folds constant subgraphs. site is the function call whose body holds
// gp, or nil.
func compileGraph(gp *onnxpb.GraphProto, parent *scope, u *unit, site *callSite) (*graph, *scope, error) {
	g := &graph{keys: map[int]*Tensor{}, seqs: map[int][]int{}, weights: map[int]bool{}}
	s := &scope{parent: parent, u: u, site: site, slots: map[string]int{}, consts: map[string]*Tensor{}, types: map[string]DataType{}, g: g}
	if parent != nil {
		s.depth = parent.depth + 1
		if s.depth > maxDepth {
			return nil, nil, fmt.Errorf("subgraphs nested more than %d deep", maxDepth)
		}
	}
	define := func(name string) (int, error) {
		if name == "" {
			return 0, fmt.Errorf("a value has an empty name")
		}
		if _, dup := s.slots[name]; dup {
			return 0, fmt.Errorf("value %q is defined more than once", name)
		}
		slot := g.newSlot()
		s.slots[name] = slot
		return slot, nil
	}
	inits := map[string]*Tensor{}
	for _, tp := range gp.GetInitializer() {
		t, err := tensorFromProto(tp)
		if err != nil {
			return nil, nil, fmt.Errorf("initializer: %w", err)
		}
		if _, dup := inits[tp.GetName()]; dup {
			return nil, nil, fmt.Errorf("initializer %q is defined more than once", tp.GetName())
		}
		inits[tp.GetName()] = t
	}
	if len(gp.GetSparseInitializer()) > 0 {
		return nil, nil, fmt.Errorf("sparse initializers are not supported")
	}
	for _, vi := range gp.GetInput() {
		if _, isInit := inits[vi.GetName()]; isInit {
			continue // an initializer listed as an input (IR < 4): a constant
		}
		slot, err := define(vi.GetName())
		if err != nil {
			return nil, nil, fmt.Errorf("graph input: %w", err)
		}
		g.inputs = append(g.inputs, slot)
		ti := typeInfoFromProto(vi.GetType())
		if ti.Kind == "tensor" {
			s.types[vi.GetName()] = ti.Elem
		}
	}
	names := make([]string, 0, len(inits))
	for name := range inits {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		slot, err := define(name)
		if err != nil {
			return nil, nil, fmt.Errorf("initializer: %w", err)
		}
		g.consts[slot] = inits[name]
		g.weights[slot] = true
		s.consts[name] = inits[name]
		s.types[name] = inits[name].Type
	}

	nodes, err := s.expand(gp.GetNode())
	if err != nil {
		return nil, nil, err
	}
	order, err := topoSort(nodes, s)
	if err != nil {
		return nil, nil, err
	}
	for _, gn := range order {
		if err := s.compileNode(gn); err != nil {
			return nil, nil, fmt.Errorf("%v: %w", gn, err)
		}
	}
	for _, vi := range gp.GetOutput() {
		slot, ok := s.lookup(vi.GetName())
		if !ok {
			return nil, nil, fmt.Errorf("graph output %q is not produced by any node", vi.GetName())
		}
		g.outputs = append(g.outputs, slot)
	}
	for _, st := range g.steps {
		for _, in := range st.in {
			if _, isMaps := g.keys[in]; isMaps {
				return nil, nil, fmt.Errorf("node %q (%s) reads a sequence of maps, which only a graph output may hold", st.name, st.opType)
			}
			if _, isSeq := g.seqs[in]; isSeq {
				return nil, nil, fmt.Errorf("node %q (%s) reads a sequence of tensors, which only a graph output may hold", st.name, st.opType)
			}
		}
	}
	return g, s, nil
}

// topoSort orders nodes so that every value is defined before it is used,
// reporting undefined inputs and cycles.
func topoSort(nodes []gnode, s *scope) ([]gnode, error) {
	producer := map[string]int{}
	for i, gn := range nodes {
		for _, o := range gn.np.GetOutput() {
			if o == "" {
				continue
			}
			if _, dup := producer[o]; dup {
				return nil, fmt.Errorf("value %q is produced by more than one node", o)
			}
			if _, dup := s.slots[o]; dup {
				return nil, fmt.Errorf("%v: output %q redefines a graph input or initializer", gn, o)
			}
			producer[o] = i
		}
	}
	deps := make([][]int, len(nodes)) // node -> nodes that consume its outputs
	indeg := make([]int, len(nodes))
	for i, gn := range nodes {
		seen := map[int]bool{}
		for _, in := range nodeReads(gn.np) {
			if in == "" {
				continue
			}
			if p, ok := producer[in]; ok {
				if p == i {
					return nil, fmt.Errorf("%v reads its own output %q", gn, in)
				}
				if !seen[p] {
					seen[p] = true
					deps[p] = append(deps[p], i)
					indeg[i]++
				}
				continue
			}
			if _, ok := s.lookup(in); !ok {
				return nil, fmt.Errorf("%v reads undefined value %q", gn, in)
			}
		}
	}
	order := make([]gnode, 0, len(nodes))
	var ready []int
	for i := range nodes {
		if indeg[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		order = append(order, nodes[i])
		for _, j := range deps[i] {
			if indeg[j]--; indeg[j] == 0 {
				ready = append(ready, j)
			}
		}
	}
	if len(order) != len(nodes) {
		for i, d := range indeg {
			if d > 0 {
				return nil, fmt.Errorf("the graph has a cycle through %v", nodes[i])
			}
		}
	}
	return order, nil
}

// nodeReads lists the values a node reads: its inputs and, for nodes with
// subgraphs, the names those subgraphs take from enclosing scopes.
func nodeReads(n *onnxpb.NodeProto) []string {
	reads := append([]string(nil), n.GetInput()...)
	for _, a := range n.GetAttribute() {
		if a.GetG() != nil {
			reads = append(reads, freeNames(a.GetG())...)
		}
		for _, g := range a.GetGraphs() {
			reads = append(reads, freeNames(g)...)
		}
	}
	return reads
}

// freeNames lists the names a graph reads but does not define.
func freeNames(g *onnxpb.GraphProto) []string {
	defined := map[string]bool{}
	for _, vi := range g.GetInput() {
		defined[vi.GetName()] = true
	}
	for _, t := range g.GetInitializer() {
		defined[t.GetName()] = true
	}
	for _, n := range g.GetNode() {
		for _, o := range n.GetOutput() {
			defined[o] = true
		}
	}
	var free []string
	for _, n := range g.GetNode() {
		for _, in := range nodeReads(n) {
			if in != "" && !defined[in] {
				free = append(free, in)
				defined[in] = true
			}
		}
	}
	for _, o := range g.GetOutput() {
		if !defined[o.GetName()] {
			free = append(free, o.GetName())
			defined[o.GetName()] = true
		}
	}
	return free
}

func opName(domain, op string) string {
	if domain == "" || domain == "ai.onnx" {
		return op
	}
	return domain + "." + op
}

// compileNode builds one node's kernel and appends its step, or folds it
// into constants when all its inputs are known at load time.
func (s *scope) compileNode(gn gnode) error {
	np := gn.np
	domain := normDomain(np.GetDomain())
	spec, ok := registry[opKey{domain, np.GetOpType()}]
	if !ok {
		return fmt.Errorf("operator %s is not supported", describeOp(domain, np.GetOpType()))
	}
	opset, version, err := s.bind(spec, domain, np.GetOpType(), gn.site)
	if err != nil {
		return err
	}
	a, err := newAttrs(np.GetAttribute())
	if err != nil {
		return err
	}
	n := &node{
		name: np.GetName(), opType: np.GetOpType(), domain: domain, version: version,
		attr: a, inputs: np.GetInput(), outputs: np.GetOutput(), scope: s, site: gn.site,
	}
	in := make([]int, len(n.inputs))
	n.consts = make([]*Tensor, len(n.inputs))
	n.weights = make([]bool, len(n.inputs))
	n.types = make([]DataType, len(n.inputs))
	allConst := true
	for i, name := range n.inputs {
		if name == "" {
			in[i] = -1
			continue
		}
		slot, ok := s.lookup(name)
		if !ok {
			return fmt.Errorf("input %q is undefined", name)
		}
		in[i] = slot
		n.consts[i] = s.g.consts[slot]
		n.weights[i] = s.g.weights[slot]
		n.types[i] = s.typeOf(name)
		if n.consts[i] == nil {
			allConst = false
		}
	}
	k, err := spec.build(n)
	if err == nil {
		err = a.err
	}
	if err != nil {
		return fmt.Errorf("opset %d (version %d): %w", opset, version, err)
	}
	for _, name := range n.implicit {
		slot, ok := s.lookup(name)
		if !ok {
			return fmt.Errorf("subgraph reads undefined value %q", name)
		}
		in = append(in, slot)
		if s.g.consts[slot] == nil {
			allConst = false
		}
	}
	out := make([]int, len(n.outputs))
	for i, name := range n.outputs {
		if name == "" {
			out[i] = -1
			continue
		}
		if _, dup := s.slots[name]; dup {
			return fmt.Errorf("output %q is defined more than once", name)
		}
		out[i] = s.g.newSlot()
		s.slots[name] = out[i]
		if i < len(n.outTypes) && n.outTypes[i] != Undefined {
			s.types[name] = n.outTypes[i]
		}
	}
	st := step{name: n.name, opType: n.opType, domain: domain, k: k, in: in, out: out}
	if zk, ok := k.(*zipMap); ok {
		s.g.keys[out[0]] = zk.keys
		allConst = false
	}
	if _, ok := k.(sequenceConstruct); ok {
		// The sequence is assembled from its elements' slots when the graph
		// returns it; there is nothing to run.
		s.g.seqs[out[0]] = in
		return nil
	}
	if allConst && !spec.noFold {
		if err := s.fold(st, n.outputs); err != nil {
			return err
		}
		return nil
	}
	s.g.steps = append(s.g.steps, st)
	return nil
}

// sinceAt returns the version of spec in effect at opset: the newest
// since_version not above it, or 0.
func sinceAt(spec opSpec, opset int) int {
	version := 0
	for _, v := range spec.since {
		if v <= opset {
			version = v
		}
	}
	return version
}

// bind returns the opset in effect for a node of op in domain and the
// schema version the node binds to. A node of the graph binds at the
// model's opset; a node inlined from a function (site) at the function's
// (the model's when the function imports none for the domain).
// onnxruntime binds inlined nodes at the model's opsets (and at its newest
// ai.onnx.ml opset when the model imports none); the ONNX checker refuses
// a model where that gives another version than the function's opset.
// The engine refuses such a node too, so that it runs what both mean.
func (s *scope) bind(spec opSpec, domain, op string, site *callSite) (opset, version int, err error) {
	model, inModel := s.u.opsets[domain]
	opset = model
	if site != nil {
		if v, ok := site.fn.opsets[domain]; ok {
			opset = v
		} else if !inModel {
			return 0, 0, fmt.Errorf("neither function %s nor the model imports an opset for domain %q", site.fn.name, domainName(domain))
		}
	} else if !inModel {
		return 0, 0, fmt.Errorf("the model imports no opset for domain %q", domainName(domain))
	}
	version = sinceAt(spec, opset)
	if version == 0 {
		return 0, 0, fmt.Errorf("operator %s does not exist in opset %d (the engine knows versions %v)", describeOp(domain, op), opset, spec.since)
	}
	if site == nil {
		return opset, version, nil
	}
	ort := model
	if !inModel {
		if domain != "ai.onnx.ml" {
			return 0, 0, fmt.Errorf("function %s imports opset %d of domain %s, which the model does not import (onnxruntime binds the functions' nodes at the model's opsets)", site.fn.name, opset, domainName(domain))
		}
		ort = maxOpset[domain]
	}
	if v := sinceAt(spec, ort); v != version {
		return 0, 0, fmt.Errorf("function %s imports opset %d of domain %s, where %s is version %d, but onnxruntime binds it at opset %d, version %d",
			site.fn.name, opset, domainName(domain), op, version, ort, v)
	}
	return opset, version, nil
}

// foldTimeout bounds the evaluation of one constant node at load time.
const foldTimeout = 10 * time.Second

// fold runs a step whose inputs are all constant and records its outputs
// (named names) as constants.
func (s *scope) fold(st step, names []string) error {
	ins := make([]*Tensor, len(st.in))
	for i, slot := range st.in {
		if slot >= 0 {
			ins[i] = s.g.consts[slot]
		}
	}
	outs := make([]*Tensor, len(st.out))
	for i := range outs {
		outs[i] = &Tensor{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), foldTimeout)
	defer cancel()
	if err := st.k.run(ctx, ins, outs); err != nil {
		return fmt.Errorf("evaluating constant node: %w", err)
	}
	for i, slot := range st.out {
		if slot < 0 {
			continue
		}
		s.g.consts[slot] = outs[i]
		if st.opType == "Constant" && st.domain == "" {
			s.g.weights[slot] = true
		}
		s.consts[names[i]] = outs[i]
		s.types[names[i]] = outs[i].Type
	}
	return nil
}

func domainName(d string) string {
	if d == "" {
		return "ai.onnx"
	}
	return d
}

func describeOp(domain, op string) string {
	return fmt.Sprintf("%s (domain %s)", op, domainName(domain))
}

// A state holds one evaluation's values. States are pooled, so buffers
// are reused from run to run.
type state struct {
	vals []*Tensor
	own  []Tensor
	ins  [][]*Tensor
	outs [][]*Tensor
}

func (g *graph) newState() *state {
	st := &state{vals: make([]*Tensor, len(g.consts)), own: make([]Tensor, len(g.consts))}
	for i, c := range g.consts {
		if c != nil {
			st.vals[i] = c
		} else {
			st.vals[i] = &st.own[i]
		}
	}
	st.ins = make([][]*Tensor, len(g.steps))
	st.outs = make([][]*Tensor, len(g.steps))
	for i, sp := range g.steps {
		st.ins[i] = make([]*Tensor, len(sp.in))
		for j, slot := range sp.in {
			if slot >= 0 {
				st.ins[i][j] = st.vals[slot]
			}
		}
		st.outs[i] = make([]*Tensor, len(sp.out))
		for j, slot := range sp.out {
			if slot >= 0 {
				st.outs[i][j] = st.vals[slot]
			} else {
				st.outs[i][j] = &Tensor{} // an unused output still needs somewhere to go
			}
		}
	}
	return st
}

// exec runs the graph's steps on st, whose input (and outer) slots the
// caller has filled.
func (g *graph) exec(ctx context.Context, st *state) error {
	for i := range g.steps {
		// Look at ctx before every step but the first: a model of a few
		// steps can spend long in one of them.
		if i > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		sp := &g.steps[i]
		if err := sp.k.run(ctx, st.ins[i], st.outs[i]); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("node %q (%s): %w", sp.name, opName(sp.domain, sp.opType), err)
			}
			return &EvalError{Node: sp.name, Op: opName(sp.domain, sp.opType), Err: err}
		}
	}
	return nil
}

// setInput shallow-copies t into slot, which must be an input slot.
func (st *state) setInput(slot int, t *Tensor) {
	st.own[slot] = *t
}

// clearInputs drops references to caller tensors.
func (st *state) clearInputs(slots []int) {
	for _, s := range slots {
		st.own[s] = Tensor{}
	}
}
