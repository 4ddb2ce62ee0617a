package onnx

import (
	"fmt"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// attrs gives typed access to a node's attributes and records the first
// problem, so a kernel builder can read every attribute and check err once.
type attrs struct {
	m   map[string]*onnxpb.AttributeProto
	err error
}

func newAttrs(list []*onnxpb.AttributeProto) (*attrs, error) {
	a := &attrs{m: make(map[string]*onnxpb.AttributeProto, len(list))}
	for _, p := range list {
		if p.GetRefAttrName() != "" {
			return nil, fmt.Errorf("attribute %q refers to a function attribute, which is not supported", p.GetName())
		}
		if _, dup := a.m[p.GetName()]; dup {
			return nil, fmt.Errorf("attribute %q is given twice", p.GetName())
		}
		a.m[p.GetName()] = p
	}
	return a, nil
}

func (a *attrs) fail(format string, args ...any) {
	if a.err == nil {
		a.err = fmt.Errorf(format, args...)
	}
}

func (a *attrs) has(name string) bool { _, ok := a.m[name]; return ok }

// get returns the named attribute when it is present with type want.
func (a *attrs) get(name string, want onnxpb.AttributeProto_AttributeType) *onnxpb.AttributeProto {
	p, ok := a.m[name]
	if !ok {
		return nil
	}
	if t := p.GetType(); t != want && !(t == onnxpb.AttributeProto_UNDEFINED && legacyHas(p, want)) {
		a.fail("attribute %q has type %v, want %v", name, t, want)
		return nil
	}
	return p
}

// legacyHas reports whether an attribute without a type field (IR version
// 1) carries a value of kind want.
func legacyHas(p *onnxpb.AttributeProto, want onnxpb.AttributeProto_AttributeType) bool {
	switch want {
	case onnxpb.AttributeProto_FLOAT:
		return p.F != nil
	case onnxpb.AttributeProto_INT:
		return p.I != nil
	case onnxpb.AttributeProto_STRING:
		return p.S != nil
	case onnxpb.AttributeProto_TENSOR:
		return p.T != nil
	case onnxpb.AttributeProto_GRAPH:
		return p.G != nil
	case onnxpb.AttributeProto_FLOATS:
		return len(p.Floats) > 0
	case onnxpb.AttributeProto_INTS:
		return len(p.Ints) > 0
	case onnxpb.AttributeProto_STRINGS:
		return len(p.Strings) > 0
	}
	return false
}

func (a *attrs) int(name string, def int64) int64 {
	if p := a.get(name, onnxpb.AttributeProto_INT); p != nil {
		return p.GetI()
	}
	return def
}

func (a *attrs) float(name string, def float32) float32 {
	if p := a.get(name, onnxpb.AttributeProto_FLOAT); p != nil {
		return p.GetF()
	}
	return def
}

func (a *attrs) string(name, def string) string {
	if p := a.get(name, onnxpb.AttributeProto_STRING); p != nil {
		return string(p.GetS())
	}
	return def
}

func (a *attrs) ints(name string) []int64 {
	if p := a.get(name, onnxpb.AttributeProto_INTS); p != nil {
		return p.GetInts()
	}
	return nil
}

func (a *attrs) floats(name string) []float32 {
	if p := a.get(name, onnxpb.AttributeProto_FLOATS); p != nil {
		return p.GetFloats()
	}
	return nil
}

func (a *attrs) strings(name string) []string {
	p := a.get(name, onnxpb.AttributeProto_STRINGS)
	if p == nil {
		return nil
	}
	out := make([]string, len(p.GetStrings()))
	for i, s := range p.GetStrings() {
		out[i] = string(s)
	}
	return out
}

func (a *attrs) tensor(name string) *Tensor {
	p := a.get(name, onnxpb.AttributeProto_TENSOR)
	if p == nil {
		return nil
	}
	t, err := tensorFromProto(p.GetT())
	if err != nil {
		a.fail("attribute %q: %w", name, err)
		return nil
	}
	return t
}

func (a *attrs) graph(name string) *onnxpb.GraphProto {
	if p := a.get(name, onnxpb.AttributeProto_GRAPH); p != nil {
		return p.GetG()
	}
	return nil
}

// required records an error when the named attribute is absent.
func (a *attrs) required(names ...string) {
	for _, n := range names {
		if !a.has(n) {
			a.fail("missing required attribute %q", n)
		}
	}
}
