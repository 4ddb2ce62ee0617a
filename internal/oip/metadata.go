package oip

import "github.com/tabserve/tabserve/internal/onnx"

// ServerMetadata is the body of GET /v2.
type ServerMetadata struct {
	Name       string   `json:"name"`
	Version    string   `json:"version"`
	Extensions []string `json:"extensions"`
}

// ModelMetadata is the body of GET /v2/models/{name}[/versions/{version}].
type ModelMetadata struct {
	Name     string           `json:"name"`
	Versions []string         `json:"versions,omitempty"`
	Platform string           `json:"platform"`
	Inputs   []TensorMetadata `json:"inputs"`
	Outputs  []TensorMetadata `json:"outputs"`
}

// TensorMetadata describes an input or output tensor; -1 marks a
// dimension the model does not fix.
type TensorMetadata struct {
	Name     string `json:"name"`
	Datatype string `json:"datatype"`
	Shape    []int  `json:"shape"`
}

// Platform is the platform name model metadata reports.
const Platform = "onnx"

// NewModelMetadata describes a model's inputs and outputs as the protocol
// sees them: a sequence of maps (ZipMap's output) is the FP32 [-1, classes]
// tensor that responses carry.
func NewModelMetadata(name string, versions []string, m *onnx.Model) ModelMetadata {
	md := ModelMetadata{Name: name, Versions: versions, Platform: Platform, Inputs: []TensorMetadata{}, Outputs: []TensorMetadata{}}
	for _, in := range m.Inputs() {
		md.Inputs = append(md.Inputs, tensorMetadata(in))
	}
	for i, out := range m.Outputs() {
		tm := tensorMetadata(out)
		if keys := m.OutputKeys(i); keys != nil {
			tm.Datatype, tm.Shape = FP32, []int{-1, keys.Len()}
		}
		md.Outputs = append(md.Outputs, tm)
	}
	return md
}

func tensorMetadata(vi onnx.ValueInfo) TensorMetadata {
	tm := TensorMetadata{Name: vi.Name, Datatype: Datatype(vi.Type.Elem), Shape: []int{}}
	if vi.Type.HasShape {
		tm.Shape = append(tm.Shape, vi.Type.Shape...)
	} else {
		tm.Shape = []int{-1}
	}
	return tm
}
