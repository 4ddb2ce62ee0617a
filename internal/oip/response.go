package oip

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/tabserve/tabserve/internal/onnx"
)

// A Response is an inference response.
type Response struct {
	ModelName    string
	ModelVersion string
	ID           string
	Parameters   map[string]json.RawMessage
	Outputs      []Output
}

// An Output is one output tensor of a response. A sequence of maps
// (ZipMap's output) is sent as an FP32 [N, classes] tensor whose columns
// follow Classes, the class labels.
type Output struct {
	Name    string
	Tensor  *onnx.Tensor
	Classes *onnx.Tensor
}

// NewOutputs makes the response outputs for a model output value: one
// for a tensor or a sequence of maps, and one per element, named
// "name[i]", for a sequence of tensors (the protocol has no sequences).
func NewOutputs(name string, v onnx.Value) []Output {
	if v.Sequence == nil {
		return []Output{NewOutput(name, v)}
	}
	outs := make([]Output, len(v.Sequence))
	for i, t := range v.Sequence {
		outs[i] = Output{Name: fmt.Sprintf("%s[%d]", name, i), Tensor: t}
	}
	return outs
}

// NewOutput makes the response output for a model output value that is a
// tensor or a sequence of maps; see NewOutputs for sequences of tensors.
func NewOutput(name string, v onnx.Value) Output {
	if v.Maps != nil {
		return Output{Name: name, Tensor: v.Maps.Values, Classes: v.Maps.Keys}
	}
	return Output{Name: name, Tensor: v.Tensor}
}

// MarshalJSON encodes the response. Non-finite floats, which JSON cannot
// hold, are written as null.
func (r *Response) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, 256)), nil
}

// AppendJSON appends the response's JSON encoding to b.
func (r *Response) AppendJSON(b []byte) []byte {
	b = append(b, `{"model_name":`...)
	b = appendString(b, r.ModelName)
	if r.ModelVersion != "" {
		b = append(b, `,"model_version":`...)
		b = appendString(b, r.ModelVersion)
	}
	if r.ID != "" {
		b = append(b, `,"id":`...)
		b = appendString(b, r.ID)
	}
	if len(r.Parameters) > 0 {
		p, _ := json.Marshal(r.Parameters)
		b = append(b, `,"parameters":`...)
		b = append(b, p...)
	}
	b = append(b, `,"outputs":[`...)
	for i := range r.Outputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = r.Outputs[i].AppendJSON(b)
	}
	return append(b, "]}"...)
}

// AppendJSON appends the output's JSON encoding to b.
func (o *Output) AppendJSON(b []byte) []byte {
	t := o.Tensor
	b = append(b, `{"name":`...)
	b = appendString(b, o.Name)
	b = append(b, `,"shape":[`...)
	for i, d := range t.Shape {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(d), 10)
	}
	b = append(b, `],"datatype":"`...)
	b = append(b, Datatype(t.Type)...)
	b = append(b, `","data":`...)
	b = AppendData(b, t)
	if o.Classes != nil {
		b = append(b, `,"classes":`...)
		b = AppendData(b, o.Classes)
	}
	return append(b, '}')
}

// AppendData appends a tensor's elements to b as a flat JSON array.
func AppendData(b []byte, t *onnx.Tensor) []byte {
	b = append(b, '[')
	switch t.Type {
	case onnx.Float32:
		for i, v := range t.Float32 {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendFloat(b, float64(v), 32)
		}
	case onnx.Float64:
		for i, v := range t.Float64 {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendFloat(b, v, 64)
		}
	case onnx.Int64:
		for i, v := range t.Int64 {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, v, 10)
		}
	case onnx.Int32:
		for i, v := range t.Int32 {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(v), 10)
		}
	case onnx.Bool:
		for i, v := range t.Bool {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendBool(b, v)
		}
	case onnx.String:
		for i, v := range t.String {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, v)
		}
	}
	return append(b, ']')
}

// AppendFloat appends v in the shortest form that reads back as the same
// float of the given bit size, or null when v is not finite.
func AppendFloat(b []byte, v float64, bits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, bits)
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// (HTML-safe) and replacing invalid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
