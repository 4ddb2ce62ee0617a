package oip

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/tabserve/tabserve/internal/onnx"
)

// Tensor converts the input's data to an engine tensor of element type
// want, the type the model declares for it. The request's datatype must
// be want's protocol name, and the data must hold exactly as many
// elements as the shape says, flat or nested.
func (in *Input) Tensor(want onnx.DataType) (*onnx.Tensor, error) {
	if dt := Datatype(want); in.Datatype != dt {
		if _, known := ElemType(in.Datatype); !known && !isProtocolType(in.Datatype) {
			return nil, reqErr("input %q: unknown datatype %q", in.Name, in.Datatype)
		}
		return nil, reqErr("input %q: datatype %s, the model wants %s", in.Name, in.Datatype, dt)
	}
	n := 1
	for _, d := range in.Shape {
		n *= d
	}
	t, err := decodeData(in.Data, want, n)
	if err != nil {
		return nil, reqErr("input %q: %v", in.Name, err)
	}
	t.Shape = append([]int(nil), in.Shape...)
	return t, nil
}

func isProtocolType(s string) bool {
	switch s {
	case UINT8, UINT16, UINT32, UINT64, INT8, INT16, FP16:
		return true
	}
	return false
}

// maxDepth bounds the nesting of a data array.
const maxDepth = 32

// decodeData parses a JSON array, flat or nested, holding n elements of
// type typ. For float types, null means NaN.
func decodeData(data []byte, typ onnx.DataType, n int) (*onnx.Tensor, error) {
	p := scanner{b: data}
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
		return p.dataValue(t)
	}
	if err := p.dataArray(elem, 0); err != nil {
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

// dataArray reads a "data" array whose elements are scalars or nested
// arrays, calling elem at each scalar.
func (p *scanner) dataArray(elem func() error, depth int) error {
	if depth >= maxDepth {
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
			if err := p.dataArray(elem, depth+1); err != nil {
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

// token returns the bytes of a literal in "data" (number, true, false,
// null), to be checked by the caller.
func (p *scanner) token() []byte {
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

// dataValue reads a scalar of "data" and appends it to t.
func (p *scanner) dataValue(t *onnx.Tensor) error {
	if t.Type == onnx.String {
		if p.b[p.i] != '"' {
			return fmt.Errorf("element %d of \"data\" is not a string", len(t.String))
		}
		span, err := p.str()
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return errors.New(`"data" ends inside a string`)
		}
		if err != nil {
			return fmt.Errorf("bad string in \"data\": %v", err)
		}
		t.String = append(t.String, string(unquote(span)))
		return nil
	}
	if p.b[p.i] == '"' {
		return fmt.Errorf("element %d of \"data\" is a string, want a %s", t.Len(), kindName(t.Type))
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
			if !isJSONNumber(tok) {
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
		if !isJSONNumber(tok) {
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

func kindName(t onnx.DataType) string {
	switch t {
	case onnx.Bool:
		return "boolean"
	case onnx.Int64, onnx.Int32:
		return "integer"
	}
	return "number"
}

// isJSONNumber reports whether b is a number in JSON's grammar.
func isJSONNumber(b []byte) bool {
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
