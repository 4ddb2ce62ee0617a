package onnx

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// tensorFromProto decodes a TensorProto (an initializer or a TENSOR
// attribute), from its typed fields or its little-endian raw_data. It
// checks the declared size against the data present before allocating.
func tensorFromProto(tp *onnxpb.TensorProto) (*Tensor, error) {
	if tp.GetDataLocation() == onnxpb.TensorProto_EXTERNAL || len(tp.GetExternalData()) > 0 {
		return nil, fmt.Errorf("tensor %q: external data is not supported", tp.GetName())
	}
	if tp.GetSegment() != nil {
		return nil, fmt.Errorf("tensor %q: segmented tensors are not supported", tp.GetName())
	}
	typ := DataType(tp.GetDataType())
	if !typ.supported() {
		return nil, fmt.Errorf("tensor %q: unsupported element type %v", tp.GetName(), typ)
	}
	shape := make([]int, len(tp.GetDims()))
	n := 1
	for i, d := range tp.GetDims() {
		if d < 0 || d > maxElements {
			return nil, fmt.Errorf("tensor %q: bad dimension %d", tp.GetName(), d)
		}
		shape[i] = int(d)
		if d != 0 && n > maxElements/int(d) {
			return nil, fmt.Errorf("tensor %q: shape %v is too large", tp.GetName(), tp.GetDims())
		}
		n *= int(d)
	}
	t := &Tensor{Type: typ, Shape: shape}
	raw := tp.GetRawData()
	if len(raw) > 0 && typ == String {
		return nil, fmt.Errorf("tensor %q: string tensors cannot use raw_data", tp.GetName())
	}
	width := map[DataType]int{Float32: 4, Float64: 8, Int64: 8, Int32: 4, Bool: 1}[typ]
	if len(raw) > 0 || (typ != String && n > 0 && typedLen(tp, typ) == 0) {
		if len(raw) != n*width {
			return nil, fmt.Errorf("tensor %q: shape %v needs %d bytes of raw data, has %d", tp.GetName(), shape, n*width, len(raw))
		}
		switch typ {
		case Float32:
			t.Float32 = make([]float32, n)
			for i := range t.Float32 {
				t.Float32[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		case Float64:
			t.Float64 = make([]float64, n)
			for i := range t.Float64 {
				t.Float64[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		case Int64:
			t.Int64 = make([]int64, n)
			for i := range t.Int64 {
				t.Int64[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		case Int32:
			t.Int32 = make([]int32, n)
			for i := range t.Int32 {
				t.Int32[i] = int32(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		case Bool:
			t.Bool = make([]bool, n)
			for i := range t.Bool {
				t.Bool[i] = raw[i] != 0
			}
		}
		return t, nil
	}
	if got := typedLen(tp, typ); got != n {
		return nil, fmt.Errorf("tensor %q: shape %v needs %d values, has %d", tp.GetName(), shape, n, got)
	}
	switch typ {
	case Float32:
		t.Float32 = append([]float32(nil), tp.GetFloatData()...)
	case Float64:
		t.Float64 = append([]float64(nil), tp.GetDoubleData()...)
	case Int64:
		t.Int64 = append([]int64(nil), tp.GetInt64Data()...)
	case Int32:
		t.Int32 = append([]int32(nil), tp.GetInt32Data()...)
	case Bool:
		t.Bool = make([]bool, n)
		for i, v := range tp.GetInt32Data() {
			t.Bool[i] = v != 0
		}
	case String:
		t.String = make([]string, n)
		for i, v := range tp.GetStringData() {
			t.String[i] = string(v)
		}
	}
	return t, nil
}

// typedLen returns how many values the typed field for typ holds.
func typedLen(tp *onnxpb.TensorProto, typ DataType) int {
	switch typ {
	case Float32:
		return len(tp.GetFloatData())
	case Float64:
		return len(tp.GetDoubleData())
	case Int64:
		return len(tp.GetInt64Data())
	case Int32, Bool:
		return len(tp.GetInt32Data())
	case String:
		return len(tp.GetStringData())
	}
	return 0
}

// A TypeInfo describes a graph input's or output's type: a tensor of an
// element type and shape, or (for ZipMap's output) a sequence of maps.
type TypeInfo struct {
	// Kind is "tensor", "seq(map)" or another ONNX type kind.
	Kind string
	// Elem is the tensor element type; for seq(map), the map value type.
	Elem DataType
	// Key is the map key type for seq(map).
	Key DataType
	// Shape holds the dimensions; -1 marks a dimension not fixed by the model.
	Shape []int
	// DimNames holds the symbolic name of each dimension ("N"), or "".
	DimNames []string
	// HasShape reports whether the model declares a shape at all.
	HasShape bool
}

// String formats the type, such as "float32[?,5]" or "seq(map(int64,float32))".
func (t TypeInfo) String() string {
	switch t.Kind {
	case "tensor":
		if !t.HasShape {
			return t.Elem.String() + "[...]"
		}
		s := t.Elem.String() + "["
		for i, d := range t.Shape {
			if i > 0 {
				s += ","
			}
			switch {
			case d >= 0:
				s += fmt.Sprint(d)
			case t.DimNames[i] != "":
				s += t.DimNames[i]
			default:
				s += "?"
			}
		}
		return s + "]"
	case "seq(map)":
		return fmt.Sprintf("seq(map(%v,%v))", t.Key, t.Elem)
	}
	return t.Kind
}

func typeInfoFromProto(tp *onnxpb.TypeProto) TypeInfo {
	switch {
	case tp.GetTensorType() != nil:
		tt := tp.GetTensorType()
		ti := TypeInfo{Kind: "tensor", Elem: DataType(tt.GetElemType())}
		if sh := tt.GetShape(); sh != nil {
			ti.HasShape = true
			for _, d := range sh.GetDim() {
				v := -1
				if _, ok := d.GetValue().(*onnxpb.TensorShapeProto_Dimension_DimValue); ok && d.GetDimValue() >= 0 && d.GetDimValue() <= maxElements {
					v = int(d.GetDimValue())
				}
				ti.Shape = append(ti.Shape, v)
				ti.DimNames = append(ti.DimNames, d.GetDimParam())
			}
		}
		return ti
	case tp.GetSequenceType() != nil:
		el := tp.GetSequenceType().GetElemType()
		if mt := el.GetMapType(); mt != nil {
			return TypeInfo{Kind: "seq(map)", Key: DataType(mt.GetKeyType()), Elem: DataType(mt.GetValueType().GetTensorType().GetElemType())}
		}
		return TypeInfo{Kind: "sequence"}
	case tp.GetMapType() != nil:
		return TypeInfo{Kind: "map"}
	case tp.GetOptionalType() != nil:
		return TypeInfo{Kind: "optional"}
	case tp.GetSparseTensorType() != nil:
		return TypeInfo{Kind: "sparse_tensor"}
	}
	return TypeInfo{Kind: "unknown"}
}
