package onnx

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// This file inlines model-local functions (ModelProto.functions), as
// onnxruntime does before it runs a model (function_utils.cc, Inliner;
// graph.cc, InlineFunction). A node whose domain and op type name a
// function is replaced, where the graph holding it is compiled, by a copy
// of the function's body in which
//   - the formal inputs are the call's inputs ("" for those it omits),
//     and the formal outputs its outputs (a fresh name for an empty one);
//   - every other value name, in subgraphs too, gets a prefix unique to
//     the call, so that copies never collide;
//   - an attribute referring to a function attribute (ref_attr_name)
//     takes the value the call gives, or the function's default
//     (FunctionProto.attribute_proto), and is dropped when neither exists.
// Calls in the copies, subgraphs included, are inlined in turn.
//
// onnxruntime binds inlined nodes to the model's opset imports; the
// engine binds them to their function's, and refuses a node for which the
// two give different versions (see scope.bind).

const (
	// maxInlined bounds the nodes a model may have once its functions are
	// inlined: functions calling one another can multiply a small file
	// into an exponential number of nodes. (skl2onnx's KNNImputer, nine
	// functions, inlines to a few hundred.)
	maxInlined = 1 << 17
	// maxInlinedBytes bounds the encoded size of what inlining copies, in
	// bodies and in attribute values: few nodes can hold large constants
	// and names.
	maxInlinedBytes = 1 << 27
	// maxCallDepth bounds how deeply inlined functions call one another.
	maxCallDepth = 64
)

// A function is one of the model's functions.
type function struct {
	proto *onnxpb.FunctionProto
	name  string // "domain.name", for messages
	// opsets holds the function's opset imports ("" for ai.onnx).
	opsets map[string]int
	// defaults holds the default values of its attributes.
	defaults map[string]*onnxpb.AttributeProto
	// nodes is the number of nodes of the body and its subgraphs, and
	// bytes their encoded size.
	nodes, bytes int
	// size is the number of nodes the body inlines to (subgraphs and
	// nested calls included), at most maxInlined+1; sizing reports
	// whether it is known or being computed.
	size   int
	sizing int
}

// States of function.sizing.
const (
	unsized = iota
	sizingNow
	sized
)

// A unit is what every graph of one model is compiled against: the
// model's opset imports and functions, and counts of what inlining added.
type unit struct {
	opsets map[string]int
	funcs  map[opKey]*function
	// calls numbers the inlined calls, to make their names unique.
	calls int
	// inlined counts the nodes inlining copied, which may not exceed
	// limit (maxInlined), and inlinedBytes their encoded size, which may
	// not exceed byteLimit (maxInlinedBytes).
	inlined, limit          int
	inlinedBytes, byteLimit int
}

// charge counts n more inlined nodes of the given encoded size, before
// they are copied.
func (u *unit) charge(n, bytes int) error {
	if u.inlined += n; u.inlined > u.limit {
		return fmt.Errorf("the model has more than %d nodes once its functions are inlined", u.limit)
	}
	if u.inlinedBytes += bytes; u.inlinedBytes > u.byteLimit {
		return fmt.Errorf("the model's functions, once inlined, take more than %d bytes", u.byteLimit)
	}
	return nil
}

// A callSite is one inlined call: the function, the prefix of the names
// in its copy of the body, and the call site the calling node came from.
type callSite struct {
	fn     *function
	prefix string
	parent *callSite
	depth  int
}

// path names the functions of the call chain, outermost first.
func (c *callSite) path() string {
	var names []string
	for p := c; p != nil; p = p.parent {
		names = append(names, p.fn.name)
	}
	slices.Reverse(names)
	return strings.Join(names, " > ")
}

// A gnode is a node to compile: the node's proto (a renamed copy for an
// inlined node) and the call it was inlined from, nil for none.
type gnode struct {
	np   *onnxpb.NodeProto
	site *callSite
}

// String names the node as the function's author wrote it, and the
// functions it was inlined from.
func (gn gnode) String() string {
	name := gn.np.GetName()
	if gn.site != nil {
		name = strings.TrimPrefix(name, gn.site.prefix)
	}
	s := fmt.Sprintf("node %q (%s)", name, opName(gn.np.GetDomain(), gn.np.GetOpType()))
	if gn.site != nil {
		s += " in function " + gn.site.path()
	}
	return s
}

// normDomain maps the alias "ai.onnx" to "", the default domain.
func normDomain(d string) string {
	if d == "ai.onnx" {
		return ""
	}
	return d
}

// operatorDomain reports whether d is a domain whose operators
// onnxruntime resolves from its own schemas before the model's functions:
// a function there cannot replace an operator, so the engine never
// inlines one.
func operatorDomain(d string) bool {
	return d == "" || d == "ai.onnx.ml" || strings.HasPrefix(d, "ai.onnx.") || strings.HasPrefix(d, "com.microsoft")
}

// newUnit collects the model's functions; extras holds, per function, the
// fields the bindings do not know (see scanFunctions). It refuses what
// onnxruntime refuses of any function, called or not: recursion and
// outputs no node produces, and what the engine cannot inline: duplicate
// definitions, overloads, more than maxInlined nodes.
func newUnit(mp *onnxpb.ModelProto, opsets map[string]int, extras []functionExtras) (*unit, error) {
	u := &unit{opsets: opsets, funcs: map[opKey]*function{}, limit: maxInlined, byteLimit: maxInlinedBytes}
	if len(extras) != len(mp.GetFunctions()) {
		return nil, fmt.Errorf("model functions: read %d of %d", len(extras), len(mp.GetFunctions()))
	}
	for i, fp := range mp.GetFunctions() {
		key := opKey{normDomain(fp.GetDomain()), fp.GetName()}
		fn := &function{proto: fp, name: domainName(key.domain) + "." + key.op, opsets: map[string]int{}, defaults: map[string]*onnxpb.AttributeProto{}}
		if _, dup := u.funcs[key]; dup {
			return nil, fmt.Errorf("function %s is defined more than once", fn.name)
		}
		if o := extras[i].overload; o != "" {
			return nil, fmt.Errorf("function %s has overload %q; overloaded functions are not supported", fn.name, o)
		}
		for _, imp := range fp.GetOpsetImport() {
			d, v := normDomain(imp.GetDomain()), imp.GetVersion()
			if err := checkOpsetImport(d, v); err != nil {
				return nil, fmt.Errorf("function %s: %w", fn.name, err)
			}
			fn.opsets[d] = int(v)
		}
		for _, a := range extras[i].defaults {
			fn.defaults[a.GetName()] = a
		}
		for _, np := range fp.GetNode() {
			fn.nodes += 1 + subgraphNodes(np)
			fn.bytes += proto.Size(np)
		}
		produced := map[string]bool{}
		addOutputs(produced, fp.GetNode())
		for _, out := range fp.GetOutput() {
			if !produced[out] {
				// onnxruntime cannot type the output and refuses the model.
				return nil, fmt.Errorf("function %s: no node produces output %q", fn.name, out)
			}
		}
		u.funcs[key] = fn
	}
	keys := make([]opKey, 0, len(u.funcs))
	for k := range u.funcs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b opKey) int { return strings.Compare(a.domain+"."+a.op, b.domain+"."+b.op) })
	for _, k := range keys {
		if _, err := u.sizeOf(u.funcs[k], nil); err != nil {
			return nil, err
		}
	}
	if len(u.funcs) > 0 {
		n, err := u.countNodes(mp.GetGraph().GetNode(), nil)
		if err != nil {
			return nil, err
		}
		if n > u.limit {
			return nil, fmt.Errorf("the model has more than %d nodes once its functions are inlined", u.limit)
		}
	}
	return u, nil
}

// addOutputs adds to set the outputs of nodes and of their subgraphs.
func addOutputs(set map[string]bool, nodes []*onnxpb.NodeProto) {
	for _, n := range nodes {
		for _, out := range n.GetOutput() {
			set[out] = true
		}
		for _, a := range n.GetAttribute() {
			if g := a.GetG(); g != nil {
				addOutputs(set, g.GetNode())
			}
		}
	}
}

// callee returns the function np calls, or nil when np is not a call.
func (u *unit) callee(np *onnxpb.NodeProto) *function {
	d := normDomain(np.GetDomain())
	if operatorDomain(d) {
		return nil
	}
	return u.funcs[opKey{d, np.GetOpType()}]
}

// sizeOf returns the number of nodes fn's body inlines to, and refuses
// functions that call themselves, directly or not; path lists the
// functions being sized.
func (u *unit) sizeOf(fn *function, path []*function) (int, error) {
	switch fn.sizing {
	case sized:
		return fn.size, nil
	case sizingNow:
		var names []string
		for _, f := range path[slices.Index(path, fn):] {
			names = append(names, f.name)
		}
		if len(names) == 1 {
			return 0, fmt.Errorf("function %s calls itself", fn.name)
		}
		return 0, fmt.Errorf("functions call one another recursively: %s > %s", strings.Join(names, " > "), fn.name)
	}
	fn.sizing = sizingNow
	n, err := u.countNodes(fn.proto.GetNode(), append(path, fn))
	if err != nil {
		return 0, err
	}
	fn.size, fn.sizing = n, sized
	return n, nil
}

// countNodes returns the number of nodes nodes inline to, at most
// maxInlined+1. Graphs a call passes in attributes may be copied into
// the body more than once; expandNode counts those copies as it makes
// them.
func (u *unit) countNodes(nodes []*onnxpb.NodeProto, path []*function) (int, error) {
	total := 0
	add := func(n int) { total = min(total+n, maxInlined+1) }
	for _, np := range nodes {
		if fn := u.callee(np); fn != nil {
			n, err := u.sizeOf(fn, path)
			if err != nil {
				return 0, err
			}
			add(n)
		} else {
			add(1)
		}
		for _, a := range np.GetAttribute() {
			for _, g := range attrGraphs(a) {
				n, err := u.countNodes(g.GetNode(), path)
				if err != nil {
					return 0, err
				}
				add(n)
			}
		}
	}
	return total, nil
}

// subgraphNodes counts the nodes of np's subgraphs.
func subgraphNodes(np *onnxpb.NodeProto) int {
	n := 0
	for _, a := range np.GetAttribute() {
		n += attrNodes(a)
	}
	return n
}

// attrNodes counts the nodes of the graphs a holds, and of their subgraphs.
func attrNodes(a *onnxpb.AttributeProto) int {
	n := 0
	for _, g := range attrGraphs(a) {
		for _, m := range g.GetNode() {
			n += 1 + subgraphNodes(m)
		}
	}
	return n
}

// expand returns the nodes of a graph compiled in s, with every call of a
// function replaced by a copy of its body.
func (s *scope) expand(nodes []*onnxpb.NodeProto) ([]gnode, error) {
	out := make([]gnode, 0, len(nodes))
	for _, np := range nodes {
		var err error
		if out, err = s.u.expandNode(out, gnode{np, s.site}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// expandNode appends gn to out, or the inlined body when gn calls a function.
func (u *unit) expandNode(out []gnode, gn gnode) ([]gnode, error) {
	fn := u.callee(gn.np)
	if fn == nil {
		return append(out, gn), nil
	}
	site, body, err := u.inline(fn, gn)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", gn, err)
	}
	for _, np := range body {
		if out, err = u.expandNode(out, gnode{np, site}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inline checks a call of fn and returns the call site and the copy of
// the body for it.
func (u *unit) inline(fn *function, call gnode) (*callSite, []*onnxpb.NodeProto, error) {
	fp, np := fn.proto, call.np
	if _, ok := u.opsets[normDomain(np.GetDomain())]; !ok {
		// onnxruntime resolves calls with the model's opset imports.
		return nil, nil, fmt.Errorf("the model imports no opset for domain %q", np.GetDomain())
	}
	depth := 1
	if call.site != nil {
		depth = call.site.depth + 1
	}
	if depth > maxCallDepth {
		return nil, nil, fmt.Errorf("functions call one another more than %d deep", maxCallDepth)
	}
	for p := call.site; p != nil; p = p.parent {
		if p.fn == fn {
			return nil, nil, fmt.Errorf("function %s calls itself", fn.name)
		}
	}
	if len(np.GetInput()) > len(fp.GetInput()) {
		return nil, nil, fmt.Errorf("the call has %d inputs; function %s takes %d", len(np.GetInput()), fn.name, len(fp.GetInput()))
	}
	if len(np.GetOutput()) != len(fp.GetOutput()) {
		// onnxruntime refuses fewer outputs too (its type inference of the
		// function's outputs fails).
		return nil, nil, fmt.Errorf("the call has %d outputs; function %s has %d", len(np.GetOutput()), fn.name, len(fp.GetOutput()))
	}
	u.calls++
	// The prefix is unique to the call without naming its callers (the
	// call site does), so that names do not grow with nesting.
	site := &callSite{fn: fn, parent: call.site, depth: depth, prefix: fmt.Sprintf("%s#%d/", fp.GetName(), u.calls)}
	// Renaming adds the prefix to each node's name, inputs and outputs.
	if err := u.charge(fn.nodes, fn.bytes+4*fn.nodes*len(site.prefix)); err != nil {
		return nil, nil, err
	}
	r := &renamer{u: u, prefix: site.prefix, attrs: map[string]*onnxpb.AttributeProto{}, scopes: []map[string]string{{}}}
	for _, a := range np.GetAttribute() {
		if _, dup := r.attrs[a.GetName()]; dup {
			return nil, nil, fmt.Errorf("attribute %q is given twice", a.GetName())
		}
		r.attrs[a.GetName()] = a
	}
	for name, a := range fn.defaults {
		if _, set := r.attrs[name]; !set {
			r.attrs[name] = a
		}
	}
	for i, formal := range fp.GetInput() {
		actual := ""
		if i < len(np.GetInput()) {
			actual = np.GetInput()[i]
		}
		r.scopes[0][formal] = actual
	}
	for i, formal := range fp.GetOutput() {
		actual := np.GetOutput()[i]
		if actual == "" {
			actual = site.prefix + formal
		}
		r.scopes[0][formal] = actual
	}
	body := make([]*onnxpb.NodeProto, len(fp.GetNode()))
	for i, orig := range fp.GetNode() {
		body[i] = proto.Clone(orig).(*onnxpb.NodeProto)
		if err := r.node(body[i]); err != nil {
			return nil, nil, fmt.Errorf("function %s: %w", fn.name, err)
		}
	}
	return site, body, nil
}

// A renamer specializes a copy of a function's body for one call: it
// renames values and nodes and resolves attribute references, as
// onnxruntime's Inliner does.
type renamer struct {
	u      *unit
	prefix string
	// attrs holds the call's attributes and the function's defaults.
	attrs map[string]*onnxpb.AttributeProto
	// scopes maps names to their new names, one map per (sub)graph
	// level; the first holds the formal parameters.
	scopes []map[string]string
}

// fresh gives name its prefixed name in the innermost scope.
func (r *renamer) fresh(name string) string {
	if name == "" {
		return ""
	}
	n := r.prefix + name
	r.scopes[len(r.scopes)-1][name] = n
	return n
}

// rename returns the name that name stands for in the innermost scope
// defining it, or a fresh one.
func (r *renamer) rename(name string) string {
	if name == "" {
		return ""
	}
	for i := len(r.scopes) - 1; i >= 0; i-- {
		if n, ok := r.scopes[i][name]; ok {
			return n
		}
	}
	return r.fresh(name)
}

func (r *renamer) node(n *onnxpb.NodeProto) error {
	n.Name = proto.String(r.prefix + n.GetName())
	for i, name := range n.Input {
		n.Input[i] = r.rename(name)
	}
	for i, name := range n.Output {
		n.Output[i] = r.rename(name)
	}
	kept := n.Attribute[:0]
	for _, a := range n.Attribute {
		if ref := a.GetRefAttrName(); ref != "" {
			v, ok := r.attrs[ref]
			if !ok {
				continue
			}
			if err := r.u.charge(attrNodes(v), proto.Size(v)); err != nil {
				return err
			}
			name := a.GetName()
			a = proto.Clone(v).(*onnxpb.AttributeProto)
			a.Name = proto.String(name)
		}
		for _, g := range attrGraphs(a) {
			if g == nil {
				continue
			}
			if err := r.graph(g); err != nil {
				return err
			}
		}
		kept = append(kept, a)
	}
	n.Attribute = kept
	return nil
}

func (r *renamer) graph(g *onnxpb.GraphProto) error {
	if len(g.GetInitializer()) > 0 || len(g.GetSparseInitializer()) > 0 {
		// onnxruntime leaves their names as they are while it renames the
		// nodes that read them, and then refuses the model.
		return fmt.Errorf("subgraph %q has initializers, which functions cannot hold", g.GetName())
	}
	r.scopes = append(r.scopes, map[string]string{})
	for _, vi := range g.Input {
		vi.Name = proto.String(r.fresh(vi.GetName()))
	}
	for _, vi := range g.Output {
		vi.Name = proto.String(r.fresh(vi.GetName()))
	}
	for _, n := range g.Node {
		if err := r.node(n); err != nil {
			return err
		}
	}
	r.scopes = r.scopes[:len(r.scopes)-1]
	return nil
}

// functionExtras holds the fields of a FunctionProto newer than the
// bindings' schema (onnx 1.12): attribute_proto (field 11), the default
// values of the function's attributes (IR 9), and overload (field 13, IR 10).
type functionExtras struct {
	defaults []*onnxpb.AttributeProto
	overload string
}

// Field numbers scanFunctions reads.
const (
	modelFunctions         = 25 // ModelProto.functions
	functionAttributeProto = 11 // FunctionProto.attribute_proto
	functionOverload       = 13 // FunctionProto.overload
)

// scanFunctions reads, from a serialized model, the fields of each of its
// functions (in order) that the bindings drop as unknown.
func scanFunctions(data []byte) ([]functionExtras, error) {
	var out []functionExtras
	err := scanFields(data, func(num protowire.Number, typ protowire.Type, v []byte) error {
		if num != modelFunctions || typ != protowire.BytesType {
			return nil
		}
		var ex functionExtras
		err := scanFields(v, func(num protowire.Number, typ protowire.Type, v []byte) error {
			switch {
			case num == functionAttributeProto && typ == protowire.BytesType:
				a := &onnxpb.AttributeProto{}
				if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(v, a); err != nil {
					return err
				}
				ex.defaults = append(ex.defaults, a)
			case num == functionOverload && typ == protowire.BytesType:
				ex.overload = string(v)
			}
			return nil
		})
		out = append(out, ex)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("model functions: %w", err)
	}
	return out, nil
}

// scanFields calls f with each field of a serialized message; v holds a
// length-delimited field's contents.
func scanFields(data []byte, f func(num protowire.Number, typ protowire.Type, v []byte) error) error {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return protowire.ParseError(n)
		}
		data = data[n:]
		var v []byte
		if typ == protowire.BytesType {
			v, n = protowire.ConsumeBytes(data)
		} else {
			n = protowire.ConsumeFieldValue(num, typ, data)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		data = data[n:]
		if err := f(num, typ, v); err != nil {
			return err
		}
	}
	return nil
}
