package manifest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/tabserve/tabserve/internal/onnx"
)

// A SyntaxError reports a request body that is not the JSON the route
// takes: empty, malformed, not an object, or followed by trailing data.
type SyntaxError struct {
	Offset int // byte offset of the problem
	Msg    string
}

// Error returns the problem and its byte offset.
func (e *SyntaxError) Error() string {
	return e.Msg + " (at byte " + strconv.Itoa(e.Offset) + ")"
}

// A FieldError is one problem with one field of a request.
type FieldError struct {
	// Row is the index of the instance in a batch request, or -1.
	Row     int
	Field   string
	Message string
}

// A ValidationError lists every problem found in a well-formed request, in
// row order and, within a row, in feature order.
type ValidationError struct {
	Errors []FieldError
}

// Error returns the first problem and how many more there are.
func (e *ValidationError) Error() string {
	if len(e.Errors) == 0 {
		return "invalid request"
	}
	f := e.Errors[0]
	msg := f.Field + ": " + f.Message
	if f.Row >= 0 {
		msg = "instances[" + strconv.Itoa(f.Row) + "]." + msg
	}
	if n := len(e.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// maxDepth bounds the nesting of the JSON values a request may carry in
// fields the model ignores.
const maxDepth = 64

// A Batch decodes prediction requests into rows, runs them through the
// model and holds the results. It keeps its buffers between uses; Reset
// it before each request. A Batch is not safe for concurrent use.
type Batch struct {
	b      *Binding
	rows   int
	num    []float64 // rows × features: numbers, integers, booleans as 0/1
	str    []string  // rows × features: strings
	state  []byte    // per feature of the current row: absent, set, null
	msgs   []string  // per feature of the current row: its problem, or ""
	errs   []FieldError
	in     []onnx.Tensor
	inPtrs []*onnx.Tensor
	outs   []onnx.Value // the model's outputs, reused from run to run

	class []int     // per row: index of the predicted label
	prob  []float32 // rows × labels, in the manifest's label order
}

const (
	absent byte = iota
	set
	null
)

// NewBatch returns an empty batch for requests to b's model.
func (b *Binding) NewBatch() *Batch {
	n := len(b.Manifest.Features)
	bt := &Batch{
		b:      b,
		state:  make([]byte, n),
		msgs:   make([]string, n),
		in:     make([]onnx.Tensor, len(b.inputs)),
		inPtrs: make([]*onnx.Tensor, len(b.inputs)),
	}
	for i := range bt.in {
		bt.in[i].Type = b.inputs[i].typ
		bt.inPtrs[i] = &bt.in[i]
	}
	return bt
}

// Binding returns the binding the batch decodes for.
func (bt *Batch) Binding() *Binding { return bt.b }

// Reset empties the batch, keeping its buffers.
func (bt *Batch) Reset() {
	bt.rows = 0
	bt.errs = bt.errs[:0]
	clear(bt.str)
}

// Rows returns the number of rows decoded.
func (bt *Batch) Rows() int { return bt.rows }

// DecodeObject decodes a request whose body is one JSON object of
// features, appending one row. It returns a *SyntaxError for a body that
// is not a single well-formed JSON object, and a *ValidationError listing
// every missing, mistyped or out-of-range feature. Unknown fields are
// ignored; keys are case-sensitive.
func (bt *Batch) DecodeObject(data []byte) error {
	s := scanner{b: data}
	s.ws()
	if s.i == len(s.b) {
		return s.fail("empty request body")
	}
	if s.b[s.i] != '{' {
		return s.fail("request body must be a JSON object")
	}
	if err := bt.object(&s, -1); err != nil {
		return err
	}
	if err := s.end(); err != nil {
		return err
	}
	if len(bt.errs) > 0 {
		return &ValidationError{Errors: bt.errs}
	}
	return nil
}

// DecodeInstances decodes a batch request, {"instances": [{...}, ...]},
// appending a row per instance. At most maxRows instances are accepted.
// Its errors are DecodeObject's; field errors carry their row.
func (bt *Batch) DecodeInstances(data []byte, maxRows int) error {
	s := scanner{b: data}
	s.ws()
	if s.i == len(s.b) {
		return s.fail("empty request body")
	}
	if s.b[s.i] != '{' {
		return s.fail("request body must be a JSON object")
	}
	s.i++
	found := false
	err := s.members(func(key []byte, _ bool) error {
		if string(key) != "instances" {
			return s.skip(0)
		}
		if found {
			bt.errs = append(bt.errs, FieldError{Row: -1, Field: "instances", Message: msgTwice})
			return s.skip(0)
		}
		found = true
		if s.peek() != '[' {
			bt.errs = append(bt.errs, FieldError{Row: -1, Field: "instances", Message: "must be an array of objects"})
			return s.skip(0)
		}
		return bt.instances(&s, maxRows)
	})
	if err != nil {
		return err
	}
	if err := s.end(); err != nil {
		return err
	}
	if !found {
		bt.errs = append(bt.errs, FieldError{Row: -1, Field: "instances", Message: msgRequired})
	}
	if len(bt.errs) > 0 {
		return &ValidationError{Errors: bt.errs}
	}
	return nil
}

func (bt *Batch) instances(s *scanner, maxRows int) error {
	s.i++ // '['
	s.ws()
	n := 0
	if s.peek() == ']' {
		s.i++
	} else {
		for {
			s.ws()
			switch {
			case s.peek() != '{':
				bt.errs = append(bt.errs, FieldError{Row: n, Field: "", Message: "must be an object"})
				if err := s.skip(0); err != nil {
					return err
				}
			case n >= maxRows:
				if err := s.skip(0); err != nil {
					return err
				}
			default:
				if err := bt.object(s, n); err != nil {
					return err
				}
			}
			n++
			s.ws()
			if c := s.peek(); c == ',' {
				s.i++
				continue
			} else if c == ']' {
				s.i++
				break
			}
			return s.fail("expected ',' or ']' in array")
		}
	}
	switch {
	case n == 0:
		bt.errs = append(bt.errs, FieldError{Row: -1, Field: "instances", Message: "must have at least 1 item"})
	case n > maxRows:
		bt.errs = append(bt.errs, FieldError{Row: -1, Field: "instances", Message: "must have at most " + strconv.Itoa(maxRows) + " items"})
	}
	return nil
}

// object decodes the JSON object at s.i into a new row. Problems with its
// fields go to bt.errs, tagged with row (-1 for a single request).
func (bt *Batch) object(s *scanner, row int) error {
	b := bt.b
	feats := b.Manifest.Features
	nf := len(feats)
	r := bt.rows
	bt.rows++
	if need := bt.rows * nf; need > len(bt.num) {
		bt.num = append(bt.num, make([]float64, need-len(bt.num))...)
		if b.strings {
			bt.str = append(bt.str, make([]string, need-len(bt.str))...)
		}
	}
	base := r * nf
	clear(bt.state)
	clear(bt.msgs)
	s.i++ // '{'
	err := s.members(func(key []byte, escaped bool) error {
		var k int
		var ok bool
		if escaped {
			k, ok = b.index[unquote(key)]
		} else {
			k, ok = b.index[string(key)]
		}
		if !ok {
			return s.skip(0)
		}
		if bt.state[k] != absent {
			bt.msgs[k] = msgTwice
			return s.skip(0)
		}
		bt.state[k] = set
		return bt.value(s, k, base)
	})
	if err != nil {
		return err
	}
	for k := range feats {
		f := &feats[k]
		if bt.msgs[k] == "" && bt.state[k] != set {
			if f.Required {
				if bt.state[k] == null {
					bt.msgs[k] = typeMsg(f.Type)
				} else {
					bt.msgs[k] = msgRequired
				}
			} else {
				bt.num[base+k] = b.feat[k].def
				if b.strings {
					bt.str[base+k] = b.feat[k].defStr
				}
			}
		}
		if bt.msgs[k] != "" {
			bt.errs = append(bt.errs, FieldError{Row: row, Field: f.Name, Message: bt.msgs[k]})
		}
	}
	return nil
}

func typeMsg(t Type) string {
	switch t {
	case Integer:
		return msgInteger
	case String:
		return msgString
	case Boolean:
		return msgBoolean
	}
	return msgNumber
}

// value decodes the value at s.i for feature k of the row at base.
func (bt *Batch) value(s *scanner, k, base int) error {
	f := &bt.b.Manifest.Features[k]
	switch c := s.peek(); {
	case c == '"':
		raw, escaped, err := s.str()
		if err != nil {
			return err
		}
		if escaped {
			raw = []byte(unquote(raw))
		}
		switch f.Type {
		case String:
			v := string(raw)
			bt.str[base+k] = v
			bt.msgs[k] = f.checkString(v)
		case Boolean:
			switch string(raw) {
			case "true":
				bt.num[base+k] = 1
			case "false":
				bt.num[base+k] = 0
			default:
				bt.msgs[k] = msgBoolean
			}
		default:
			bt.number(k, base, raw, true)
		}
	case c == '-' || c >= '0' && c <= '9':
		num, err := s.number()
		if err != nil {
			return err
		}
		switch f.Type {
		case Number, Integer:
			bt.number(k, base, num, false)
		case Boolean:
			// 0 and 1 by value (0.0, -0, 1e0), as JSON Schema compares them.
			switch x, ok := parseFloat(num); {
			case ok && x == 0:
				bt.num[base+k] = 0
			case ok && x == 1:
				bt.num[base+k] = 1
			default:
				bt.msgs[k] = msgBoolean
			}
		default:
			bt.msgs[k] = msgString
		}
	case c == 't' || c == 'f':
		v, err := s.boolean()
		if err != nil {
			return err
		}
		if f.Type == Boolean {
			bt.num[base+k] = 0
			if v {
				bt.num[base+k] = 1
			}
		} else {
			bt.msgs[k] = typeMsg(f.Type)
		}
	case c == 'n':
		if err := s.literal("null"); err != nil {
			return err
		}
		bt.state[k] = null // required: a type error; optional: absent
	case c == '[' || c == '{':
		if err := s.skip(0); err != nil {
			return err
		}
		bt.msgs[k] = typeMsg(f.Type)
	default:
		return s.fail("invalid JSON value")
	}
	return nil
}

// number checks and stores the number spelt by b for feature k. quoted
// says it came from a JSON string, whose spelling is not yet checked and
// whose value is then checked exactly as written.
func (bt *Batch) number(k, base int, b []byte, quoted bool) {
	f := &bt.b.Manifest.Features[k]
	var text []byte
	if quoted {
		if !isDecimal(b) {
			bt.msgs[k] = badNumericString(f.Type, b)
			return
		}
		text = b
	}
	x, ok := parseFloat(b)
	if !ok {
		bt.msgs[k] = msgFinite // beyond float64's range, such as 1e400
		return
	}
	if msg := bt.b.check(k, x, text); msg != "" {
		bt.msgs[k] = msg
		return
	}
	bt.num[base+k] = x
}

// badNumericString returns the problem with a string that is not a plain
// decimal, for a feature of type t.
func badNumericString(t Type, b []byte) string {
	if isNumber(b) {
		return msgExponent
	}
	// "NaN", "Infinity" and the like are numbers, but not finite ones.
	if x, err := strconv.ParseFloat(string(b), 64); err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return msgFinite
	}
	return typeMsg(t)
}

// unquote decodes the contents of a JSON string that holds escapes. The
// scanner has checked its syntax.
func unquote(raw []byte) string {
	q := make([]byte, 0, len(raw)+2)
	q = append(q, '"')
	q = append(q, raw...)
	q = append(q, '"')
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return string(raw)
	}
	return s
}

// Inputs returns the model's input tensors for the decoded rows, in the
// order of the model's inputs. They are owned by the batch and valid
// until its next use.
func (bt *Batch) Inputs() []*onnx.Tensor {
	b := bt.b
	nf := len(b.Manifest.Features)
	for i := range b.inputs {
		plan, t := &b.inputs[i], &bt.in[i]
		cols := len(plan.cols)
		n := bt.rows * cols
		t.Shape = append(t.Shape[:0], bt.rows, cols)
		switch plan.typ {
		case onnx.Float32:
			t.Float32 = resize(t.Float32, n)
			for r := range bt.rows {
				row, dst := bt.num[r*nf:], t.Float32[r*cols:]
				for c, k := range plan.cols {
					dst[c] = float32(row[k])
				}
			}
		case onnx.Float64:
			t.Float64 = resize(t.Float64, n)
			for r := range bt.rows {
				row, dst := bt.num[r*nf:], t.Float64[r*cols:]
				for c, k := range plan.cols {
					dst[c] = row[k]
				}
			}
		case onnx.Int64:
			t.Int64 = resize(t.Int64, n)
			for r := range bt.rows {
				row, dst := bt.num[r*nf:], t.Int64[r*cols:]
				for c, k := range plan.cols {
					dst[c] = int64(row[k])
				}
			}
		case onnx.Int32:
			t.Int32 = resize(t.Int32, n)
			for r := range bt.rows {
				row, dst := bt.num[r*nf:], t.Int32[r*cols:]
				for c, k := range plan.cols {
					dst[c] = int32(row[k])
				}
			}
		case onnx.Bool:
			t.Bool = resize(t.Bool, n)
			for r := range bt.rows {
				row, dst := bt.num[r*nf:], t.Bool[r*cols:]
				for c, k := range plan.cols {
					dst[c] = row[k] != 0
				}
			}
		case onnx.String:
			t.String = resize(t.String, n)
			for r := range bt.rows {
				row, dst := bt.str[r*nf:], t.String[r*cols:]
				for c, k := range plan.cols {
					dst[c] = row[k]
				}
			}
		}
	}
	return bt.inPtrs
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// Run evaluates the model on the decoded rows and keeps each row's
// predicted label and class probabilities.
func (bt *Batch) Run(ctx context.Context) error {
	if bt.outs == nil {
		bt.outs = make([]onnx.Value, len(bt.b.Model.Outputs()))
	}
	if err := bt.b.Model.RunInto(ctx, bt.Inputs(), bt.outs); err != nil {
		return err
	}
	return bt.collect(bt.outs)
}

func (bt *Batch) collect(outs []onnx.Value) error {
	b := bt.b
	nl := len(b.Manifest.Labels)
	n := bt.rows
	bt.class = resize(bt.class, n)
	bt.prob = resize(bt.prob, n*nl)

	pv := outs[b.probOut]
	probs := pv.Tensor
	if b.mapsOut {
		if pv.Maps == nil {
			return fmt.Errorf("probability output is not a sequence of maps")
		}
		probs = pv.Maps.Values
	}
	if probs == nil || probs.Type != onnx.Float32 || len(probs.Shape) != 2 || probs.Shape[0] != n || probs.Shape[1] != len(b.colLabel) {
		return fmt.Errorf("probability output has an unexpected type or shape for %d rows and %d classes", n, len(b.colLabel))
	}
	cols := len(b.colLabel)
	for r := range n {
		src, dst := probs.Float32[r*cols:(r+1)*cols], bt.prob[r*nl:(r+1)*nl]
		for c, l := range b.colLabel {
			dst[l] = src[c]
		}
	}

	if b.labelOut < 0 {
		for r := range n {
			best := 0
			src := probs.Float32[r*cols : (r+1)*cols]
			for c := 1; c < cols; c++ {
				if src[c] > src[best] {
					best = c
				}
			}
			bt.class[r] = b.colLabel[best]
		}
		return nil
	}
	lt := outs[b.labelOut].Tensor
	if lt == nil || lt.Len() != n {
		return fmt.Errorf("label output has an unexpected type or shape for %d rows", n)
	}
	for r := range n {
		var k int
		var ok bool
		switch lt.Type {
		case onnx.Int64:
			k, ok = b.classInt[lt.Int64[r]]
			if !ok {
				return fmt.Errorf("the model predicted class %d, which the manifest does not label", lt.Int64[r])
			}
		case onnx.String:
			k, ok = b.classStr[lt.String[r]]
			if !ok {
				return fmt.Errorf("the model predicted class %q, which the manifest does not label", lt.String[r])
			}
		default:
			return fmt.Errorf("label output has type %v", lt.Type)
		}
		bt.class[r] = k
	}
	return nil
}

// Label returns the index, in the manifest's Labels, of row r's predicted
// label.
func (bt *Batch) Label(r int) int { return bt.class[r] }

// Probabilities returns row r's class probabilities in the order of the
// manifest's Labels. The slice is owned by the batch.
func (bt *Batch) Probabilities(r int) []float32 {
	nl := len(bt.b.Manifest.Labels)
	return bt.prob[r*nl : (r+1)*nl]
}
