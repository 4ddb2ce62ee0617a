// Package oip holds the Open Inference Protocol (KServe v2) wire types
// and converts their tensors to and from the engine's. It knows nothing
// of HTTP.
//
// Keys are matched case-sensitively, as the protocol says; tensor data may
// be flat (row-major) or nested to the tensor's shape; JSON null in a
// floating-point tensor means NaN, a missing value.
package oip

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tabserve/tabserve/internal/onnx"
)

// Datatype names, as the protocol spells them.
const (
	BOOL   = "BOOL"
	INT32  = "INT32"
	INT64  = "INT64"
	FP32   = "FP32"
	FP64   = "FP64"
	BYTES  = "BYTES"
	UINT8  = "UINT8"
	UINT16 = "UINT16"
	UINT32 = "UINT32"
	UINT64 = "UINT64"
	INT8   = "INT8"
	INT16  = "INT16"
	FP16   = "FP16"
)

// Datatype returns the protocol's name for an engine element type.
func Datatype(t onnx.DataType) string {
	switch t {
	case onnx.Float32:
		return FP32
	case onnx.Float64:
		return FP64
	case onnx.Int64:
		return INT64
	case onnx.Int32:
		return INT32
	case onnx.Bool:
		return BOOL
	case onnx.String:
		return BYTES
	}
	return ""
}

// ElemType returns the engine element type for a protocol datatype.
func ElemType(datatype string) (onnx.DataType, bool) {
	switch datatype {
	case FP32:
		return onnx.Float32, true
	case FP64:
		return onnx.Float64, true
	case INT64:
		return onnx.Int64, true
	case INT32:
		return onnx.Int32, true
	case BOOL:
		return onnx.Bool, true
	case BYTES:
		return onnx.String, true
	}
	return onnx.Undefined, false
}

// A Request is an inference request.
type Request struct {
	ID         string
	Parameters map[string]json.RawMessage
	Inputs     []Input
	// Outputs, when given, selects which outputs to return.
	Outputs []RequestedOutput
}

// An Input is one input tensor of a request, its data not yet converted.
type Input struct {
	Name       string
	Shape      []int
	Datatype   string
	Parameters map[string]json.RawMessage
	Data       json.RawMessage
}

// A RequestedOutput names an output the client wants.
type RequestedOutput struct {
	Name       string
	Parameters map[string]json.RawMessage
}

// A RequestError reports a request that does not follow the protocol or
// does not fit the model; its message is meant for the client.
type RequestError struct{ Msg string }

// Error returns the message for the client.
func (e *RequestError) Error() string { return e.Msg }

func reqErr(format string, args ...any) error {
	return &RequestError{Msg: fmt.Sprintf(format, args...)}
}

// MaxInputs bounds the number of input tensors in one request.
const MaxInputs = 1024

// DecodeRequest parses an inference request body.
func DecodeRequest(body []byte) (*Request, error) {
	var top map[string]json.RawMessage
	if err := strictUnmarshal(body, &top); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, reqErr("request body is not a JSON object")
		}
		return nil, reqErr("request body is not valid JSON: %v", err)
	}
	if top == nil {
		return nil, reqErr("request body is not a JSON object")
	}
	req := &Request{}
	if raw, ok := top["id"]; ok {
		if err := json.Unmarshal(raw, &req.ID); err != nil {
			return nil, reqErr(`"id" must be a string`)
		}
	}
	if raw, ok := top["parameters"]; ok {
		if err := decodeParams(raw, &req.Parameters); err != nil {
			return nil, reqErr(`"parameters": %v`, err)
		}
	}
	raw, ok := top["inputs"]
	if !ok {
		return nil, reqErr(`missing "inputs"`)
	}
	var inputs []json.RawMessage
	if err := json.Unmarshal(raw, &inputs); err != nil || inputs == nil {
		return nil, reqErr(`"inputs" must be an array of tensors`)
	}
	if len(inputs) > MaxInputs {
		return nil, reqErr(`"inputs" has %d tensors, more than %d`, len(inputs), MaxInputs)
	}
	seen := map[string]bool{}
	for i, raw := range inputs {
		in, err := decodeInput(raw)
		if err != nil {
			return nil, reqErr("inputs[%d]: %v", i, err)
		}
		if seen[in.Name] {
			return nil, reqErr("inputs[%d]: input %q is given twice", i, in.Name)
		}
		seen[in.Name] = true
		req.Inputs = append(req.Inputs, in)
	}
	if raw, ok := top["outputs"]; ok {
		var outs []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &outs); err != nil {
			return nil, reqErr(`"outputs" must be an array of objects`)
		}
		for i, o := range outs {
			var ro RequestedOutput
			if err := json.Unmarshal(o["name"], &ro.Name); err != nil || ro.Name == "" {
				return nil, reqErr(`outputs[%d]: "name" must be a non-empty string`, i)
			}
			if p, ok := o["parameters"]; ok {
				if err := decodeParams(p, &ro.Parameters); err != nil {
					return nil, reqErr(`outputs[%d]: "parameters": %v`, i, err)
				}
			}
			req.Outputs = append(req.Outputs, ro)
		}
	}
	return req, nil
}

func decodeInput(raw json.RawMessage) (Input, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return Input{}, errors.New("not a JSON object")
	}
	var in Input
	if err := json.Unmarshal(obj["name"], &in.Name); err != nil || in.Name == "" {
		return in, errors.New(`"name" must be a non-empty string`)
	}
	var shape []int64
	if err := json.Unmarshal(obj["shape"], &shape); err != nil || obj["shape"] == nil || shape == nil {
		return in, fmt.Errorf("input %q: \"shape\" must be an array of non-negative integers", in.Name)
	}
	n := int64(1)
	for _, d := range shape {
		if d < 0 || d > 1<<31 {
			return in, fmt.Errorf("input %q: bad dimension %d in \"shape\"", in.Name, d)
		}
		if d != 0 && n > (1<<31)/d {
			return in, fmt.Errorf("input %q: shape %v is too large", in.Name, shape)
		}
		n *= d
		in.Shape = append(in.Shape, int(d))
	}
	if err := json.Unmarshal(obj["datatype"], &in.Datatype); err != nil || in.Datatype == "" {
		return in, fmt.Errorf("input %q: \"datatype\" must be a string such as \"FP32\"", in.Name)
	}
	if p, ok := obj["parameters"]; ok {
		if err := decodeParams(p, &in.Parameters); err != nil {
			return in, fmt.Errorf("input %q: \"parameters\": %v", in.Name, err)
		}
	}
	in.Data = obj["data"]
	if in.Data == nil {
		return in, fmt.Errorf("input %q: missing \"data\"", in.Name)
	}
	return in, nil
}

func decodeParams(raw json.RawMessage, dst *map[string]json.RawMessage) error {
	if err := json.Unmarshal(raw, dst); err != nil || *dst == nil {
		return errors.New("must be a JSON object")
	}
	return nil
}

// strictUnmarshal is json.Unmarshal that also rejects trailing data.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
