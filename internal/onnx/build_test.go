package onnx

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// Helpers that assemble models in tests, without Python.

// graphSpec describes a one-graph model for tests.
type graphSpec struct {
	nodes   []*onnxpb.NodeProto
	inputs  []*onnxpb.ValueInfoProto
	outputs []*onnxpb.ValueInfoProto
	inits   []*onnxpb.TensorProto
	opsets  map[string]int64 // domain -> version; nil means {"": 15, "ai.onnx.ml": 1}
}

func (g graphSpec) proto() *onnxpb.ModelProto {
	opsets := g.opsets
	if opsets == nil {
		opsets = map[string]int64{"": 15, "ai.onnx.ml": 1}
	}
	m := &onnxpb.ModelProto{
		IrVersion: proto.Int64(8),
		Graph: &onnxpb.GraphProto{
			Name: proto.String("test"), Node: g.nodes, Input: g.inputs, Output: g.outputs, Initializer: g.inits,
		},
	}
	for d, v := range opsets {
		m.OpsetImport = append(m.OpsetImport, &onnxpb.OperatorSetIdProto{Domain: proto.String(d), Version: proto.Int64(v)})
	}
	return m
}

func (g graphSpec) bytes(t testing.TB) []byte {
	t.Helper()
	b, err := proto.Marshal(g.proto())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// load builds and loads the model, failing the test on error.
func (g graphSpec) load(t testing.TB) *Model {
	t.Helper()
	m, err := loadModel(g.proto())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

// loadModel serializes mp and loads it, as a model file is loaded.
func loadModel(mp *onnxpb.ModelProto) (*Model, error) {
	data, err := proto.Marshal(mp)
	if err != nil {
		return nil, err
	}
	return Load(data)
}

func mkNode(op, domain string, in, out []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{OpType: proto.String(op), Domain: proto.String(domain), Input: in, Output: out,
		Name: proto.String(op), Attribute: attrs}
}

// tensorInfo declares a tensor value; a negative dimension is symbolic.
func tensorInfo(name string, typ DataType, dims ...int64) *onnxpb.ValueInfoProto {
	shape := &onnxpb.TensorShapeProto{}
	for _, d := range dims {
		dim := &onnxpb.TensorShapeProto_Dimension{}
		if d < 0 {
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}
		} else {
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}
		}
		shape.Dim = append(shape.Dim, dim)
	}
	return &onnxpb.ValueInfoProto{Name: proto.String(name), Type: &onnxpb.TypeProto{
		Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: proto.Int32(int32(typ)), Shape: shape}},
	}}
}

func attrInt(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

func attrInts(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INTS.Enum(), Ints: v}
}

func attrFloat(name string, v float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOAT.Enum(), F: proto.Float32(v)}
}

func attrFloats(name string, v ...float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOATS.Enum(), Floats: v}
}

func attrString(name, v string) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_STRING.Enum(), S: []byte(v)}
}

func attrStrings(name string, v ...string) *onnxpb.AttributeProto {
	p := &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_STRINGS.Enum()}
	for _, s := range v {
		p.Strings = append(p.Strings, []byte(s))
	}
	return p
}

func attrTensor(name string, t *Tensor) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_TENSOR.Enum(), T: tensorProto("", t)}
}

func tensorProto(name string, t *Tensor) *onnxpb.TensorProto {
	tp := &onnxpb.TensorProto{Name: proto.String(name), DataType: proto.Int32(int32(t.Type))}
	for _, d := range t.Shape {
		tp.Dims = append(tp.Dims, int64(d))
	}
	switch t.Type {
	case Float32:
		tp.FloatData = t.Float32
	case Float64:
		tp.DoubleData = t.Float64
	case Int64:
		tp.Int64Data = t.Int64
	case Int32:
		tp.Int32Data = t.Int32
	case Bool:
		for _, b := range t.Bool {
			v := int32(0)
			if b {
				v = 1
			}
			tp.Int32Data = append(tp.Int32Data, v)
		}
	case String:
		for _, s := range t.String {
			tp.StringData = append(tp.StringData, []byte(s))
		}
	}
	return tp
}
