package onnx

import (
	"fmt"
	"strings"
)

// A typeSet is a set of element types.
type typeSet uint32

// Element type sets, as onnxruntime's CPU kernels register them.
const (
	tF32   = typeSet(1 << Float32)
	tF64   = typeSet(1 << Float64)
	tI64   = typeSet(1 << Int64)
	tI32   = typeSet(1 << Int32)
	tBool  = typeSet(1 << Bool)
	tStr   = typeSet(1 << String)
	tFloat = tF32 | tF64
	tInt   = tI32 | tI64
	tNum   = tFloat | tInt
)

func (s typeSet) has(t DataType) bool { return t > 0 && t < 32 && s&(1<<t) != 0 }

func (s typeSet) String() string {
	var names []string
	for _, t := range []DataType{Float32, Float64, Int64, Int32, Bool, String} {
		if s.has(t) {
			names = append(names, t.String())
		}
	}
	return "{" + strings.Join(names, ", ") + "}"
}

// A typeRule gives the element types onnxruntime accepts for an
// operator's main inputs from each schema version on, in ascending order
// of version. Before the first version onnxruntime has no kernel (the
// oldest schemas, with attributes such as consumed_inputs or legacy
// broadcast, were never implemented).
type typeRule []typeStep

type typeStep struct {
	from  int
	types typeSet
}

// since returns a rule accepting types from schema version v on.
func since(v int, types typeSet) typeRule { return typeRule{{v, types}} }

// then extends a rule with the types accepted from version v on.
func (r typeRule) then(v int, types typeSet) typeRule {
	return append(r[:len(r):len(r)], typeStep{v, types})
}

// at returns the types accepted at schema version v (none before the
// rule's first version).
func (r typeRule) at(v int) typeSet {
	var ts typeSet
	for _, s := range r {
		if s.from <= v {
			ts = s.types
		}
	}
	return ts
}

// nodeTypes returns the element types node n's main inputs may have at its
// version, and checks the types known at load time of the listed inputs,
// which must also agree with each other.
func nodeTypes(n *node, r typeRule, inputs ...int) (typeSet, error) {
	ts := r.at(n.version)
	if ts == 0 {
		return 0, fmt.Errorf("%s-%d is not supported (onnxruntime has no kernel for it)", n.opType, n.version)
	}
	first := Undefined
	for _, i := range inputs {
		t := n.inType(i)
		if t == Undefined {
			continue
		}
		if !ts.has(t) {
			return 0, fmt.Errorf("input %d has type %v; %s-%d takes %v", i, t, n.opType, n.version, ts)
		}
		if first != Undefined && t != first {
			return 0, fmt.Errorf("inputs have different types %v and %v", first, t)
		}
		first = t
	}
	return ts, nil
}

// checkTypes checks at run time that tensors have one type, of ts.
func checkTypes(ts typeSet, ins ...*Tensor) error {
	for i, t := range ins {
		if !ts.has(t.Type) {
			return fmt.Errorf("input has type %v, want one of %v", t.Type, ts)
		}
		if i > 0 && t.Type != ins[0].Type {
			return fmt.Errorf("inputs have different types %v and %v", ins[0].Type, t.Type)
		}
	}
	return nil
}

// withAttrCheck wraps the builders of a table so that a node with an
// attribute its schema version does not define is refused, as onnxruntime
// refuses it when it verifies the graph.
func withAttrCheck(ops map[opKey]opSpec) map[opKey]opSpec {
	for key, spec := range ops {
		build := spec.build
		spec.build = func(n *node) (kernel, error) {
			allowed := attrNames(n.opType, n.version)
			for name := range n.attr.m {
				if !contains(allowed, name) {
					return nil, fmt.Errorf("unknown attribute %q for %s-%d", name, n.opType, n.version)
				}
			}
			return build(n)
		}
		ops[key] = spec
	}
	return ops
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// attrNames lists the attributes of the default-domain operators of the
// core, nn and reduce families at a schema version. (The oldest schemas'
// consumed_inputs and broadcast attributes do not appear: onnxruntime
// implements none of those versions.)
func attrNames(op string, version int) []string {
	switch op {
	case "Constant":
		// onnxruntime turns Constant nodes into initializers before it
		// checks the graph, so any version takes Constant-12's attributes.
		return []string{"value", "sparse_value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings"}
	case "Cast":
		if version >= 19 {
			return []string{"to", "saturate"}
		}
		return []string{"to"}
	case "CastLike":
		if version >= 19 {
			return []string{"saturate"}
		}
	case "IsInf":
		return []string{"detect_negative", "detect_positive"}
	case "Mod":
		return []string{"fmod"}
	case "Clip":
		if version < 11 {
			return []string{"min", "max"}
		}
	case "Gemm":
		return []string{"alpha", "beta", "transA", "transB"}
	case "LeakyRelu", "Elu", "Celu", "ThresholdedRelu":
		return []string{"alpha"}
	case "Selu":
		return []string{"alpha", "gamma"}
	case "HardSigmoid":
		return []string{"alpha", "beta"}
	case "Softmax", "LogSoftmax", "Hardmax":
		return []string{"axis"}
	case "LpNormalization":
		return []string{"axis", "p"}
	case "Dropout":
		if version >= 12 {
			return []string{"seed"}
		}
		return []string{"ratio"}
	case "ReduceSum":
		if version >= 13 {
			return []string{"keepdims", "noop_with_empty_axes"}
		}
		return []string{"axes", "keepdims"}
	case "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare",
		"ReduceLogSumExp", "ReduceLogSum", "ReduceL1", "ReduceL2":
		if version >= 18 {
			return []string{"keepdims", "noop_with_empty_axes"}
		}
		return []string{"axes", "keepdims"}
	case "ArgMax", "ArgMin":
		if version >= 12 {
			return []string{"axis", "keepdims", "select_last_index"}
		}
		return []string{"axis", "keepdims"}
	case "CumSum":
		return []string{"exclusive", "reverse"}
	case "TopK":
		switch {
		case version >= 11:
			return []string{"axis", "largest", "sorted"}
		case version >= 10:
			return []string{"axis"}
		}
		return []string{"axis", "k"}
	}
	return nil
}
