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

// maxOpset is the newest opset per domain whose operator versions the
// registry lists; a model importing a newer one is refused.
var maxOpset = map[string]int{"": 21, "ai.onnx.ml": 5}

// registry maps every supported operator to its spec. It is built once
// from the per-family tables and never modified.
var registry = mergeOps(coreOps, shapeOps, reduceOps, nnOps, controlOps, mlOps, mlTreeOps, mlLinearOps)

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
