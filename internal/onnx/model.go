// Package onnx loads ONNX models, as skl2onnx and onnxmltools write them
// for scikit-learn and XGBoost estimators, and evaluates them in pure Go
// with onnxruntime's semantics.
//
// Load checks a model completely: every operator, its version and its
// attributes, the graph's structure, and the sizes it declares. It inlines
// the model's functions, as onnxruntime does. What it cannot evaluate
// exactly, it refuses with an error naming the node and the operator (and
// the function a node comes from). A loaded Model is immutable and safe for concurrent use;
// Run reuses pooled buffers, so steady-state evaluation allocates little
// more than its outputs.
package onnx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// MaxModelSize bounds the size of a model file the loader accepts: 1 GiB.
const MaxModelSize = 1 << 30

// A Model is a loaded, compiled ONNX model.
type Model struct {
	info    Info
	g       *graph
	inputs  []ValueInfo
	outputs []ValueInfo
	pool    sync.Pool
}

// ValueInfo describes a graph input or output.
type ValueInfo struct {
	Name string
	Type TypeInfo
	Doc  string
}

// Info is what a model says about itself.
type Info struct {
	IRVersion       int64
	ProducerName    string
	ProducerVersion string
	Domain          string
	ModelVersion    int64
	GraphName       string
	Doc             string
	// Opsets maps each imported domain ("ai.onnx" for the default one) to
	// its opset version.
	Opsets map[string]int
	// Metadata holds the model's metadata_props.
	Metadata map[string]string
	// Ops lists the distinct operators of the graph and its subgraphs, and
	// of the bodies of the functions they call, as "Op" for the default
	// domain and "domain.Op" otherwise, sorted.
	Ops []string
	// Functions lists the model-local functions the graph calls (directly,
	// from subgraphs or from other functions), as "domain.name", sorted.
	Functions []string
	// Nodes is the number of nodes in the main graph.
	Nodes int
	// Initializers is the number of constant tensors in the main graph.
	Initializers int
}

// LoadFile reads and loads the ONNX model in the named file. Its errors
// name the file.
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxModelSize+1))
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	m, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}

// Load loads an ONNX model from its serialized bytes.
func Load(data []byte) (*Model, error) {
	if len(data) == 0 {
		return nil, errors.New("empty model file")
	}
	if len(data) > MaxModelSize {
		return nil, fmt.Errorf("model is larger than %d bytes", MaxModelSize)
	}
	var mp onnxpb.ModelProto
	if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, &mp); err != nil {
		return nil, fmt.Errorf("not an ONNX model: %w", err)
	}
	var extras []functionExtras
	if len(mp.GetFunctions()) > 0 {
		var err error
		if extras, err = scanFunctions(data); err != nil {
			return nil, err
		}
	}
	return fromProto(&mp, extras)
}

// fromProto compiles a model; extras holds the fields of its functions
// the bindings do not know (see scanFunctions).
func fromProto(mp *onnxpb.ModelProto, extras []functionExtras) (*Model, error) {
	gp := mp.GetGraph()
	if gp == nil || (len(gp.GetNode()) == 0 && len(gp.GetOutput()) == 0) {
		return nil, errors.New("not an ONNX model: it has no graph")
	}
	opsets := map[string]int{}
	for _, imp := range mp.GetOpsetImport() {
		d, v := normDomain(imp.GetDomain()), imp.GetVersion()
		if err := checkOpsetImport(d, v); err != nil {
			return nil, err
		}
		opsets[d] = int(v)
	}
	if len(opsets) == 0 && mp.GetIrVersion() < 3 {
		opsets[""] = 1
	}
	u, err := newUnit(mp, opsets, extras)
	if err != nil {
		return nil, err
	}
	g, _, err := compileGraph(gp, nil, u, nil)
	if err != nil {
		return nil, err
	}
	m := &Model{g: g}
	m.pool.New = func() any { return g.newState() }
	inits := map[string]bool{}
	for _, t := range gp.GetInitializer() {
		inits[t.GetName()] = true
	}
	for _, vi := range gp.GetInput() {
		if inits[vi.GetName()] {
			continue
		}
		info := ValueInfo{Name: vi.GetName(), Type: typeInfoFromProto(vi.GetType()), Doc: vi.GetDocString()}
		if info.Type.Kind != "tensor" {
			return nil, fmt.Errorf("graph input %q has type %s; only tensor inputs are supported", info.Name, info.Type)
		}
		if !info.Type.Elem.supported() {
			return nil, fmt.Errorf("graph input %q has unsupported element type %v", info.Name, info.Type.Elem)
		}
		m.inputs = append(m.inputs, info)
	}
	for i, vi := range gp.GetOutput() {
		info := ValueInfo{Name: vi.GetName(), Type: typeInfoFromProto(vi.GetType()), Doc: vi.GetDocString()}
		_, isMaps := g.keys[g.outputs[i]]
		_, isSeq := g.seqs[g.outputs[i]]
		if (isMaps || isSeq) && info.Type.Kind == "tensor" {
			return nil, fmt.Errorf("graph output %q is declared a tensor but holds a sequence", info.Name)
		}
		m.outputs = append(m.outputs, info)
	}
	m.info = Info{
		IRVersion: mp.GetIrVersion(), ProducerName: mp.GetProducerName(), ProducerVersion: mp.GetProducerVersion(),
		Domain: mp.GetDomain(), ModelVersion: mp.GetModelVersion(), GraphName: gp.GetName(), Doc: mp.GetDocString(),
		Opsets: map[string]int{}, Metadata: map[string]string{}, Nodes: len(gp.GetNode()), Initializers: len(gp.GetInitializer()),
	}
	for d, v := range opsets {
		m.info.Opsets[domainName(d)] = v
	}
	for _, p := range mp.GetMetadataProps() {
		m.info.Metadata[p.GetKey()] = p.GetValue()
	}
	ops, funcs := map[string]bool{}, map[*function]bool{}
	u.collectOps(gp.GetNode(), ops, funcs)
	for op := range ops {
		m.info.Ops = append(m.info.Ops, op)
	}
	sort.Strings(m.info.Ops)
	for fn := range funcs {
		m.info.Functions = append(m.info.Functions, fn.name)
	}
	sort.Strings(m.info.Functions)
	return m, nil
}

// collectOps adds the operators of nodes and their subgraphs to ops, and
// for calls, the function to funcs and the operators of its body to ops.
func (u *unit) collectOps(nodes []*onnxpb.NodeProto, ops map[string]bool, funcs map[*function]bool) {
	for _, n := range nodes {
		if fn := u.callee(n); fn != nil {
			if !funcs[fn] {
				funcs[fn] = true
				u.collectOps(fn.proto.GetNode(), ops, funcs)
			}
		} else {
			ops[opName(normDomain(n.GetDomain()), n.GetOpType())] = true
		}
		for _, a := range n.GetAttribute() {
			for _, g := range attrGraphs(a) {
				u.collectOps(g.GetNode(), ops, funcs)
			}
		}
	}
}

// Info returns what the model says about itself.
func (m *Model) Info() Info { return m.info }

// Inputs describes the graph's inputs, in order.
func (m *Model) Inputs() []ValueInfo { return m.inputs }

// Outputs describes the graph's outputs, in order.
func (m *Model) Outputs() []ValueInfo { return m.outputs }

// OutputKeys returns the class labels of output i when it is a sequence of
// maps (ZipMap's output), and nil otherwise.
func (m *Model) OutputKeys(i int) *Tensor {
	return m.g.keys[m.g.outputs[i]]
}

// An EvalError reports a node that could not evaluate the values it was
// given: a string Cast cannot parse, an index out of range, a category
// the model refuses, a shape the graph cannot take. Load has checked the
// model, so such an error comes from the inputs' values.
type EvalError struct {
	Node string // the node's name
	Op   string // its operator, "Op" or "domain.Op"
	Err  error
}

func (e *EvalError) Error() string { return fmt.Sprintf("node %q (%s): %v", e.Node, e.Op, e.Err) }

// Unwrap returns the kernel's error.
func (e *EvalError) Unwrap() error { return e.Err }

// An InputError reports an input that does not fit the model: a missing
// tensor, or a wrong element type or shape. Run's other errors come from
// evaluation.
type InputError struct {
	Input string
	Err   error
}

// Error names the input and the problem.
func (e *InputError) Error() string { return fmt.Sprintf("input %q: %v", e.Input, e.Err) }

// Unwrap returns the problem.
func (e *InputError) Unwrap() error { return e.Err }

// Run evaluates the model on inputs, given in the order of Inputs, and
// returns the outputs in the order of Outputs. Inputs are not modified
// and not retained. The outputs are new values the caller owns. Its
// errors are an *InputError for inputs that do not fit the model, an
// *EvalError for values the model cannot evaluate, or the context's error.
func (m *Model) Run(ctx context.Context, inputs []*Tensor) ([]Value, error) {
	out := make([]Value, len(m.g.outputs))
	if err := m.RunInto(ctx, inputs, out); err != nil {
		return nil, err
	}
	return out, nil
}

// RunInto is Run writing the outputs into out, which must have one element
// per output. It reuses the tensors out already holds (from an earlier
// call) where their capacity allows, so a caller that keeps out between
// calls does not allocate for outputs in the steady state. On error, out's
// contents are unspecified.
func (m *Model) RunInto(ctx context.Context, inputs []*Tensor, out []Value) error {
	if len(out) != len(m.g.outputs) {
		return fmt.Errorf("run: %d output values for %d outputs", len(out), len(m.g.outputs))
	}
	if err := m.checkInputs(inputs); err != nil {
		return err
	}
	st := m.pool.Get().(*state)
	defer m.pool.Put(st)
	for i, slot := range m.g.inputs {
		st.setInput(slot, inputs[i])
	}
	defer st.clearInputs(m.g.inputs)
	if err := m.g.exec(ctx, st); err != nil {
		return err
	}
	for i, slot := range m.g.outputs {
		if elems, ok := m.g.seqs[slot]; ok {
			seq := make([]*Tensor, len(elems))
			for j, e := range elems {
				seq[j] = st.vals[e].Clone()
			}
			out[i] = Value{Sequence: seq}
			continue
		}
		if keys, ok := m.g.keys[slot]; ok {
			if out[i].Maps == nil || out[i].Maps.Values == nil {
				out[i] = Value{Maps: &MapSequence{Values: &Tensor{}}}
			}
			out[i].Maps.Keys = keys
			out[i].Maps.Values.copyFrom(st.vals[slot])
			out[i].Tensor, out[i].Sequence = nil, nil
			continue
		}
		if out[i].Tensor == nil {
			out[i] = Value{Tensor: &Tensor{}}
		}
		out[i].Tensor.copyFrom(st.vals[slot])
		out[i].Maps, out[i].Sequence = nil, nil
	}
	return nil
}

func (m *Model) checkInputs(inputs []*Tensor) error {
	if len(inputs) != len(m.inputs) {
		return &InputError{Input: "", Err: fmt.Errorf("the model takes %d inputs, got %d", len(m.inputs), len(inputs))}
	}
	for i, t := range inputs {
		vi := m.inputs[i]
		if t == nil {
			return &InputError{vi.Name, errors.New("missing")}
		}
		if t.Type != vi.Type.Elem {
			return &InputError{vi.Name, fmt.Errorf("element type %v, the model wants %v", t.Type, vi.Type.Elem)}
		}
		if err := t.Check(); err != nil {
			return &InputError{vi.Name, err}
		}
		if !vi.Type.HasShape {
			continue
		}
		if len(t.Shape) != len(vi.Type.Shape) {
			return &InputError{vi.Name, fmt.Errorf("shape %v, the model wants %s", t.Shape, vi.Type)}
		}
		for j, d := range vi.Type.Shape {
			if d >= 0 && t.Shape[j] != d {
				return &InputError{vi.Name, fmt.Errorf("shape %v, the model wants %s", t.Shape, vi.Type)}
			}
		}
	}
	return nil
}

// checkOpsetImport refuses an opset import of domain d (normalized) at
// version v that is malformed or newer than the engine supports.
func checkOpsetImport(d string, v int64) error {
	if v < 1 || v > 1000 {
		return fmt.Errorf("opset import for domain %s has bad version %d", domainName(d), v)
	}
	if newest, known := maxOpset[d]; known && int(v) > newest {
		return fmt.Errorf("opset %d of domain %s is newer than the newest the engine supports (%d)", v, domainName(d), newest)
	}
	return nil
}

// attrGraphs returns the graphs an attribute holds: its graph (nil when
// it has none) and its list of graphs.
func attrGraphs(a *onnxpb.AttributeProto) []*onnxpb.GraphProto {
	return append([]*onnxpb.GraphProto{a.GetG()}, a.GetGraphs()...)
}
