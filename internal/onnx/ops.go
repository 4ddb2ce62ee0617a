package onnx

// opKey names an operator: its domain ("" for the default ai.onnx
// domain) and type.
type opKey struct{ domain, op string }

// An opSpec says how to build a kernel for an operator.
type opSpec struct {
	// since lists the operator's schema versions (since_version) up to the
	// newest opset the engine supports, ascending. A node binds to the
	// newest one not above the model's opset for its domain; build switches
	// on it where semantics changed.
	since []int
	build func(n *node) (kernel, error)
	// noFold keeps a node with constant inputs from being evaluated at
	// load time.
	noFold bool
}

// maxOpset is the newest opset per domain the engine loads, as
// onnxruntime 1.30 does; a model importing a newer one is refused. The
// registry lists operator versions up to opset 21: opsets 22 to 26 gave
// the operators it runs new versions only to add element types (bfloat16,
// float4, 2-bit integers, float8e8m0) and, in Cast, an attribute for
// float8e8m0 alone, so a node binds to the same version at 26 as at 21
// (the op26_ cases, from gen_newer_opsets.py, pin this). onnxruntime's
// com.microsoft domain has one opset, 1; it refuses a model importing a
// newer one ("current official support for domain com.microsoft is till
// opset 1").
var maxOpset = map[string]int{"": 26, "ai.onnx.ml": 5, "com.microsoft": 1}

// registry maps every supported operator to its spec. It is built once
// from the per-family tables and never modified.
var registry = mergeOps(coreOps, shapeOps, reduceOps, nnOps, controlOps, mlOps, mlTreeOps, mlLinearOps, msOps)

func mergeOps(tables ...map[opKey]opSpec) map[opKey]opSpec {
	all := map[opKey]opSpec{}
	for _, t := range tables {
		for k, v := range t {
			if _, dup := all[k]; dup {
				panic("onnx: operator registered twice: " + k.domain + "." + k.op)
			}
			all[k] = v
		}
	}
	return all
}
