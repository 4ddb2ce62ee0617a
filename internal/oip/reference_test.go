package oip

// This file keeps the request decoder as it was before the single-pass
// scanner: encoding/json for the envelope, then a hand-written parser for
// each tensor's "data". The differential test and FuzzDecodeRequest check
// that DecodeRequest and Input.Tensor behave as these do.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/tabserve/tabserve/internal/onnx"
)

// decodeRequestReference parses an inference request body.
func decodeRequestReference(body []byte) (*Request, error) {
	var top map[string]json.RawMessage
	if err := strictUnmarshalReference(body, &top); err != nil {
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
		if err := decodeParamsReference(raw, &req.Parameters); err != nil {
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
		in, err := decodeInputReference(raw)
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
				if err := decodeParamsReference(p, &ro.Parameters); err != nil {
					return nil, reqErr(`outputs[%d]: "parameters": %v`, i, err)
				}
			}
			req.Outputs = append(req.Outputs, ro)
		}
	}
	return req, nil
}

func decodeInputReference(raw json.RawMessage) (Input, error) {
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
		if err := decodeParamsReference(p, &in.Parameters); err != nil {
			return in, fmt.Errorf("input %q: \"parameters\": %v", in.Name, err)
		}
	}
	in.Data = obj["data"]
	if in.Data == nil {
		return in, fmt.Errorf("input %q: missing \"data\"", in.Name)
	}
	return in, nil
}

func decodeParamsReference(raw json.RawMessage, dst *map[string]json.RawMessage) error {
	if err := json.Unmarshal(raw, dst); err != nil || *dst == nil {
		return errors.New("must be a JSON object")
	}
	return nil
}

// strictUnmarshalReference is json.Unmarshal that also rejects trailing data.
func strictUnmarshalReference(data []byte, v any) error {
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

// tensorReference converts the input's data to an engine tensor of element type
// want, the type the model declares for it. The request's datatype must
// be want's protocol name, and the data must hold exactly as many
// elements as the shape says, flat or nested.
func tensorReference(in *Input, want onnx.DataType) (*onnx.Tensor, error) {
	if dt := Datatype(want); in.Datatype != dt {
		if _, known := ElemType(in.Datatype); !known && !isProtocolTypeReference(in.Datatype) {
			return nil, reqErr("input %q: unknown datatype %q", in.Name, in.Datatype)
		}
		return nil, reqErr("input %q: datatype %s, the model wants %s", in.Name, in.Datatype, dt)
	}
	n := 1
	for _, d := range in.Shape {
		n *= d
	}
	t, err := decodeDataReference(in.Data, want, n)
	if err != nil {
		return nil, reqErr("input %q: %v", in.Name, err)
	}
	t.Shape = append([]int(nil), in.Shape...)
	return t, nil
}

func isProtocolTypeReference(s string) bool {
	switch s {
	case UINT8, UINT16, UINT32, UINT64, INT8, INT16, FP16:
		return true
	}
	return false
}

// maxDepthReference bounds the nesting of a data array.
const maxDepthReference = 32

// decodeDataReference parses a JSON array, flat or nested, holding n elements of
// type typ. For float types, null means NaN.
func decodeDataReference(data []byte, typ onnx.DataType, n int) (*onnx.Tensor, error) {
	p := dataParserReference{b: data}
	t := &onnx.Tensor{Type: typ}
	// Preallocate from the declared count, but not beyond what the bytes
	// could hold (each element takes at least one byte and a separator).
	capHint := n
	if lim := len(data)/2 + 1; capHint > lim {
		capHint = lim
	}
	switch typ {
	case onnx.Float32:
		t.Float32 = make([]float32, 0, capHint)
	case onnx.Float64:
		t.Float64 = make([]float64, 0, capHint)
	case onnx.Int64:
		t.Int64 = make([]int64, 0, capHint)
	case onnx.Int32:
		t.Int32 = make([]int32, 0, capHint)
	case onnx.Bool:
		t.Bool = make([]bool, 0, capHint)
	case onnx.String:
		t.String = make([]string, 0, capHint)
	default:
		return nil, fmt.Errorf("unsupported element type %v", typ)
	}
	p.skipSpace()
	if p.i >= len(p.b) || p.b[p.i] != '[' {
		return nil, errors.New(`"data" must be an array`)
	}
	count := 0
	elem := func() error {
		if count >= n {
			return fmt.Errorf("\"data\" has more than the %d elements the shape says", n)
		}
		count++
		return p.value(t)
	}
	if err := p.array(elem, 0); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.b) {
		return nil, errors.New(`trailing data after "data"`)
	}
	if count != n {
		return nil, fmt.Errorf("\"data\" has %d elements, the shape says %d", count, n)
	}
	return t, nil
}

type dataParserReference struct {
	b []byte
	i int
}

func (p *dataParserReference) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// array parses an array whose elements are scalars or nested arrays.
func (p *dataParserReference) array(elem func() error, depth int) error {
	if depth >= maxDepthReference {
		return errors.New(`"data" is nested too deeply`)
	}
	p.i++ // '['
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.b) {
			return errors.New(`"data" ends early`)
		}
		if p.b[p.i] == '[' {
			if err := p.array(elem, depth+1); err != nil {
				return err
			}
		} else if err := elem(); err != nil {
			return err
		}
		p.skipSpace()
		if p.i >= len(p.b) {
			return errors.New(`"data" ends early`)
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return fmt.Errorf("unexpected %q in \"data\"", p.b[p.i])
		}
	}
}

// token returns the bytes of a literal (number, true, false, null).
func (p *dataParserReference) token() []byte {
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '+', c == '.':
			p.i++
			continue
		}
		break
	}
	return p.b[start:p.i]
}

func (p *dataParserReference) value(t *onnx.Tensor) error {
	if t.Type == onnx.String {
		if p.b[p.i] != '"' {
			return fmt.Errorf("element %d of \"data\" is not a string", len(t.String))
		}
		s, err := p.str()
		if err != nil {
			return err
		}
		t.String = append(t.String, s)
		return nil
	}
	if p.b[p.i] == '"' {
		return fmt.Errorf("element %d of \"data\" is a string, want a %s", t.Len(), kindNameReference(t.Type))
	}
	tok := p.token()
	if len(tok) == 0 {
		return fmt.Errorf("unexpected %q in \"data\"", p.b[p.i])
	}
	idx := t.Len()
	switch t.Type {
	case onnx.Float32, onnx.Float64:
		v := math.NaN()
		if string(tok) != "null" {
			if !isJSONNumberReference(tok) {
				return fmt.Errorf("element %d of \"data\" is %s, want a number or null", idx, tok)
			}
			bits := 64
			if t.Type == onnx.Float32 {
				bits = 32
			}
			f, err := strconv.ParseFloat(string(tok), bits)
			if err != nil {
				return fmt.Errorf("element %d of \"data\" (%s) is out of range for %s", idx, tok, Datatype(t.Type))
			}
			v = f
		}
		if t.Type == onnx.Float32 {
			t.Float32 = append(t.Float32, float32(v))
		} else {
			t.Float64 = append(t.Float64, v)
		}
	case onnx.Int64, onnx.Int32:
		bits := 64
		if t.Type == onnx.Int32 {
			bits = 32
		}
		if !isJSONNumberReference(tok) {
			return fmt.Errorf("element %d of \"data\" is %s, want an integer", idx, tok)
		}
		v, err := strconv.ParseInt(string(tok), 10, bits)
		if err != nil {
			return fmt.Errorf("element %d of \"data\" (%s) is not an integer in range for %s", idx, tok, Datatype(t.Type))
		}
		if t.Type == onnx.Int32 {
			t.Int32 = append(t.Int32, int32(v))
		} else {
			t.Int64 = append(t.Int64, v)
		}
	case onnx.Bool:
		switch string(tok) {
		case "true":
			t.Bool = append(t.Bool, true)
		case "false":
			t.Bool = append(t.Bool, false)
		default:
			return fmt.Errorf("element %d of \"data\" is %s, want true or false", idx, tok)
		}
	}
	return nil
}

func kindNameReference(t onnx.DataType) string {
	switch t {
	case onnx.Bool:
		return "boolean"
	case onnx.Int64, onnx.Int32:
		return "integer"
	}
	return "number"
}

// str parses a JSON string at p.i.
func (p *dataParserReference) str() (string, error) {
	start := p.i
	p.i++
	simple := true
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			if simple {
				return string(p.b[start+1 : p.i-1]), nil
			}
			var s string
			if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
				return "", fmt.Errorf("bad string in \"data\": %v", err)
			}
			return s, nil
		case c == '\\':
			simple = false
			p.i += 2
		case c < 0x20:
			return "", errors.New("control character in a string in \"data\"")
		default:
			if c >= 0x80 {
				simple = false
			}
			p.i++
		}
	}
	return "", errors.New(`"data" ends inside a string`)
}

// isJSONNumberReference reports whether b is a number in JSON's grammar.
func isJSONNumberReference(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(b)
}
