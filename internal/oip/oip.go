// Package oip holds the Open Inference Protocol (KServe v2) wire types
// and converts their tensors to and from the engine's. It knows nothing
// of HTTP.
//
// Keys are matched case-sensitively, as the protocol says; tensor data may
// be flat (row-major) or nested to the tensor's shape; JSON null in a
// floating-point tensor means NaN, a missing value.
package oip

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

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
	// Data is the tensor's "data" value as the request wrote it. From
	// DecodeRequest it is a sub-slice of the request body, not a copy.
	Data json.RawMessage
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

// DecodeRequest parses an inference request body in one pass over it.
// The body must be one JSON object (RFC 8259, nested at most 10000 deep)
// with trailing space only. Keys are matched case-sensitively; where a
// key repeats in an object, its last value counts. Members the protocol
// does not define are checked for syntax and ignored.
//
// The Request aliases body: each Input's Data is a sub-slice of it, so
// body must not be changed or reused while the Request is in use.
func DecodeRequest(body []byte) (*Request, error) {
	d := requestDecoder{scanner: scanner{b: body}}
	d.skipSpace()
	if d.i == len(body) {
		return nil, reqErr("request body is not valid JSON: %v", io.EOF)
	}
	if body[d.i] != '{' {
		// As when encoding/json decoded the body into a map: a value of
		// another kind is refused as such before what follows it is
		// looked at, but null decodes (to no map), so trailing data
		// after it is found first.
		isNull := body[d.i] == 'n'
		if err := d.skip(0); err != nil {
			return nil, reqErr("request body is not valid JSON: %v", err)
		}
		if d.skipSpace(); isNull && d.i < len(body) {
			return nil, reqErr("request body is not valid JSON: trailing data after the JSON value")
		}
		return nil, reqErr("request body is not a JSON object")
	}
	if err := d.object(0, d.member); err != nil {
		return nil, reqErr("request body is not valid JSON: %v", err)
	}
	if d.skipSpace(); d.i < len(body) {
		return nil, reqErr("request body is not valid JSON: trailing data after the JSON value")
	}
	switch {
	case d.badID:
		return nil, reqErr(`"id" must be a string`)
	case d.badParams:
		return nil, reqErr(`"parameters": must be a JSON object`)
	case !d.hasInputs:
		return nil, reqErr(`missing "inputs"`)
	case d.inputsErr != nil:
		return nil, d.inputsErr
	case d.outputsErr != nil:
		return nil, d.outputsErr
	}
	return &d.req, nil // one allocation for the request and d's scratch
}

// A requestDecoder reads a request body. A syntax error ends the reading
// at once; other problems are noted as members are read and reported
// once the whole body has proved to be valid JSON, in the order the
// checks run: "id", "parameters", "inputs", then "outputs". A repeated
// key's last value replaces what an earlier one left, problems included.
type requestDecoder struct {
	scanner
	req                   Request
	badID, badParams      bool
	hasInputs             bool
	inputsErr, outputsErr error

	// names holds the names of req.Inputs once there are too many of them
	// to look for a repeated one by going through the list.
	names map[string]bool
	// dims holds the last "shape" read; dimsBuf backs it.
	dims    []int64
	dimsBuf [8]int64
}

// member reads one member of the request object.
func (d *requestDecoder) member(key []byte) error {
	var err error
	switch string(key) {
	case "id":
		var text []byte
		var ok bool
		text, ok, err = d.stringOrNull(1)
		d.req.ID, d.badID = string(text), !ok
	case "parameters":
		var ok bool
		d.req.Parameters, ok, err = d.params(1)
		d.badParams = !ok
	case "inputs":
		d.hasInputs = true
		err = d.inputs()
	case "outputs":
		err = d.outputs()
	default:
		err = d.skip(1)
	}
	return err
}

// inputs reads the value of "inputs" into req.Inputs, or notes its first
// problem in inputsErr.
func (d *requestDecoder) inputs() error {
	d.req.Inputs, d.inputsErr, d.names = nil, nil, nil
	c, err := d.valueStart()
	if err != nil {
		return err
	}
	if c != '[' {
		d.inputsErr = reqErr(`"inputs" must be an array of tensors`)
		return d.skip(1)
	}
	n := 0
	err = d.array(1, func() error {
		i := n
		n++
		if d.inputsErr != nil || i >= MaxInputs {
			return d.skip(2)
		}
		in, problem, err := d.input()
		if err != nil {
			return err
		}
		if problem == "" && d.repeated(in.Name) {
			problem = fmt.Sprintf("input %q is given twice", in.Name)
		}
		if problem != "" {
			d.inputsErr = reqErr("inputs[%d]: %s", i, problem)
			return nil
		}
		d.req.Inputs = append(d.req.Inputs, in)
		return nil
	})
	if n > MaxInputs {
		d.inputsErr = reqErr(`"inputs" has %d tensors, more than %d`, n, MaxInputs)
	}
	return err
}

// repeated reports whether an input in req.Inputs is named name, and
// notes name as seen.
func (d *requestDecoder) repeated(name string) bool {
	if d.names == nil && len(d.req.Inputs) < 16 {
		for i := range d.req.Inputs {
			if d.req.Inputs[i].Name == name {
				return true
			}
		}
		return false
	}
	if d.names == nil {
		d.names = make(map[string]bool, 2*len(d.req.Inputs))
		for i := range d.req.Inputs {
			d.names[d.req.Inputs[i].Name] = true
		}
	}
	if d.names[name] {
		return true
	}
	d.names[name] = true
	return false
}

// input reads an element of "inputs". Its problem, if it has one, is
// returned as a message for the client; err is a syntax error.
func (d *requestDecoder) input() (in Input, problem string, err error) {
	c, err := d.valueStart()
	if err != nil {
		return in, "", err
	}
	if c != '{' {
		return in, "not a JSON object", d.skip(2)
	}
	var nameOK, shapeOK, datatypeOK, hasParams, paramsOK bool
	err = d.object(2, func(key []byte) error {
		var err error
		var text []byte
		switch string(key) {
		case "name":
			text, nameOK, err = d.stringOrNull(3)
			in.Name = string(text)
		case "shape":
			shapeOK, err = d.shape(3)
		case "datatype":
			text, datatypeOK, err = d.stringOrNull(3)
			in.Datatype = datatypeName(text)
		case "parameters":
			hasParams = true
			in.Parameters, paramsOK, err = d.params(3)
		case "data":
			d.skipSpace()
			start := d.i
			err = d.skip(3)
			in.Data = d.b[start:d.i:d.i]
		default:
			err = d.skip(3)
		}
		return err
	})
	if err != nil {
		return in, "", err
	}
	if !nameOK || in.Name == "" {
		return in, `"name" must be a non-empty string`, nil
	}
	if !shapeOK {
		return in, fmt.Sprintf("input %q: \"shape\" must be an array of non-negative integers", in.Name), nil
	}
	n := int64(1)
	for _, dim := range d.dims {
		if dim < 0 || dim > 1<<31 {
			return in, fmt.Sprintf("input %q: bad dimension %d in \"shape\"", in.Name, dim), nil
		}
		if dim != 0 && n > (1<<31)/dim {
			return in, fmt.Sprintf("input %q: shape %v is too large", in.Name, d.dims), nil
		}
		n *= dim
	}
	if len(d.dims) > 0 {
		in.Shape = make([]int, len(d.dims))
		for i, dim := range d.dims {
			in.Shape[i] = int(dim)
		}
	}
	if !datatypeOK || in.Datatype == "" {
		return in, fmt.Sprintf("input %q: \"datatype\" must be a string such as \"FP32\"", in.Name), nil
	}
	if hasParams && !paramsOK {
		return in, fmt.Sprintf("input %q: \"parameters\": must be a JSON object", in.Name), nil
	}
	if in.Data == nil {
		return in, fmt.Sprintf("input %q: missing \"data\"", in.Name), nil
	}
	return in, "", nil
}

// shape reads a value that should be an array of integers into dims, as
// encoding/json decodes one into []int64 (where null leaves a 0), and
// reports whether it is one.
func (d *requestDecoder) shape(depth int) (ok bool, err error) {
	d.dims = d.dimsBuf[:0]
	c, err := d.valueStart()
	if err != nil {
		return false, err
	}
	if c != '[' {
		return false, d.skip(depth)
	}
	ok = true
	err = d.array(depth, func() error {
		c, err := d.valueStart()
		if err != nil {
			return err
		}
		start := d.i
		if err := d.skip(depth + 1); err != nil {
			return err
		}
		var dim int64
		switch {
		case c == 'n':
		case c == '-' || isDigit(c):
			v, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
			ok, dim = ok && err == nil, v
		default:
			ok = false
		}
		d.dims = append(d.dims, dim)
		return nil
	})
	return ok, err
}

// outputs reads the value of "outputs" into req.Outputs, or notes its
// first problem in outputsErr.
func (d *requestDecoder) outputs() error {
	d.req.Outputs, d.outputsErr = nil, nil
	c, err := d.valueStart()
	if err != nil {
		return err
	}
	if c != '[' {
		if c != 'n' { // null is no outputs
			d.outputsErr = reqErr(`"outputs" must be an array of objects`)
		}
		return d.skip(1)
	}
	var problem error // the first output's problem
	notObjects := false
	n := 0
	err = d.array(1, func() error {
		i := n
		n++
		c, err := d.valueStart()
		if err != nil {
			return err
		}
		if c != '{' {
			// null decodes to an output without a name; anything else
			// is not an object at all.
			if c == 'n' && problem == nil {
				problem = reqErr(`outputs[%d]: "name" must be a non-empty string`, i)
			}
			notObjects = notObjects || c != 'n'
			return d.skip(2)
		}
		ro, p, err := d.output()
		if err != nil || problem != nil {
			return err
		}
		if p != "" {
			problem = reqErr("outputs[%d]: %s", i, p)
			return nil
		}
		d.req.Outputs = append(d.req.Outputs, ro)
		return nil
	})
	switch {
	case notObjects:
		d.outputsErr = reqErr(`"outputs" must be an array of objects`)
	case problem != nil:
		d.outputsErr = problem
	}
	return err
}

// output reads an object in "outputs". Its problem, if it has one, is
// returned as a message for the client; err is a syntax error.
func (d *requestDecoder) output() (ro RequestedOutput, problem string, err error) {
	var nameOK, hasParams, paramsOK bool
	err = d.object(2, func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			var text []byte
			text, nameOK, err = d.stringOrNull(3)
			ro.Name = string(text)
		case "parameters":
			hasParams = true
			ro.Parameters, paramsOK, err = d.params(3)
		default:
			err = d.skip(3)
		}
		return err
	})
	switch {
	case err != nil:
		return ro, "", err
	case !nameOK || ro.Name == "":
		return ro, `"name" must be a non-empty string`, nil
	case hasParams && !paramsOK:
		return ro, `"parameters": must be a JSON object`, nil
	}
	return ro, "", nil
}

// stringOrNull reads a value that should be a string, nested in depth
// arrays and objects. It returns the string's text, or nil for null, and
// whether the value was either.
func (s *scanner) stringOrNull(depth int) (text []byte, ok bool, err error) {
	c, err := s.valueStart()
	if err != nil {
		return nil, false, err
	}
	if c == '"' {
		span, err := s.str()
		if err != nil {
			return nil, false, err
		}
		return unquote(span), true, nil
	}
	if err := s.skip(depth); err != nil {
		return nil, false, err
	}
	return nil, c == 'n', nil
}

// params reads a value that should be an object of parameters, nested
// in depth arrays and objects, and reports whether it is one (null is
// not). Each parameter's value is copied as written.
func (s *scanner) params(depth int) (p map[string]json.RawMessage, ok bool, err error) {
	c, err := s.valueStart()
	if err != nil {
		return nil, false, err
	}
	if c != '{' {
		return nil, false, s.skip(depth)
	}
	p = map[string]json.RawMessage{}
	err = s.object(depth, func(key []byte) error {
		s.skipSpace()
		start := s.i
		if err := s.skip(depth + 1); err != nil {
			return err
		}
		p[string(key)] = append(json.RawMessage(nil), s.b[start:s.i]...)
		return nil
	})
	return p, true, err
}

// datatypeName returns text as a string, sharing the constant for the
// datatypes the engine takes.
func datatypeName(text []byte) string {
	for _, dt := range [...]string{FP32, FP64, INT64, INT32, BOOL, BYTES} {
		if string(text) == dt {
			return dt
		}
	}
	return string(text)
}
