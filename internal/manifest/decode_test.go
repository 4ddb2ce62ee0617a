package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx"
)

// loanBinding binds the loan manifest to the loan model's input alone,
// which is all decoding needs.
func loanBinding(t testing.TB) *Binding {
	t.Helper()
	in := onnx.ValueInfo{Name: "float_input", Type: onnx.TypeInfo{
		Kind: "tensor", Elem: onnx.Float32, Shape: []int{-1, 5}, DimNames: []string{"", ""}, HasShape: true,
	}}
	b, err := loanManifest(t).bindInputs([]onnx.ValueInfo{in})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const valid = `{"age": 35, "income": 55000, "credit_score": 720, "employment_years": 5.5, "loan_amount": 25000}`

// with returns the valid body with field set to the raw JSON value v, or
// removed when v is "".
func with(field, v string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(valid), &m); err != nil {
		panic(err)
	}
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for _, k := range []string{"age", "income", "credit_score", "employment_years", "loan_amount"} {
		val := string(m[k])
		if k == field {
			val = v
		}
		if val == "" {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&b, "%q:%s", k, val)
	}
	b.WriteByte('}')
	return b.String()
}

func fe(field, msg string) FieldError { return FieldError{Row: -1, Field: field, Message: msg} }

// A decodeCase is a request body and what DecodeObject makes of it.
type decodeCase struct {
	name   string
	body   string
	row    []float32    // the decoded row, when valid
	syntax string       // a SyntaxError containing this
	errs   []FieldError // a ValidationError with exactly these
}

func TestDecodeObject(t *testing.T) {
	tests := []decodeCase{
		{name: "valid", body: valid, row: []float32{35, 55000, 720, 5.5, 25000}},
		{name: "numeric strings", body: `{"age": "35", "income": "55000.5", "credit_score": "720.000", "employment_years": "0", "loan_amount": "-0"}`, row: []float32{35, 55000.5, 720, 0, 0}},
		{name: "integral float for integer", body: with("age", "42.0"), row: []float32{42, 55000, 720, 5.5, 25000}},
		{name: "exponent integer", body: with("credit_score", "7.5e2"), row: []float32{35, 55000, 750, 5.5, 25000}},
		{name: "extra fields ignored", body: `{"zip": {"a": [1, {"b": null}]}, ` + valid[1:], row: []float32{35, 55000, 720, 5.5, 25000}},
		{name: "escaped key", body: `{"\u0061ge": 35, "income": 1, "credit_score": 300, "employment_years": 0, "loan_amount": 0}`, row: []float32{35, 1, 300, 0, 0}},
		{name: "white space", body: " \n\t{ \"age\" : 35 , \"income\":1,\"credit_score\":300,\"employment_years\":0,\"loan_amount\":0 }\r\n", row: []float32{35, 1, 300, 0, 0}},
		{name: "keys are case-sensitive", body: with("age", "") + "", errs: []FieldError{fe("age", msgRequired)}},

		{name: "empty body", body: "", syntax: "empty request body"},
		{name: "white space only", body: "  \n", syntax: "empty request body"},
		{name: "array", body: "[" + valid + "]", syntax: "must be a JSON object"},
		{name: "string", body: `"x"`, syntax: "must be a JSON object"},
		{name: "null", body: `null`, syntax: "must be a JSON object"},
		{name: "number", body: `42`, syntax: "must be a JSON object"},
		{name: "malformed", body: `{"age": 35,}`, syntax: "expected a string key"},
		{name: "unterminated", body: `{"age": 35`, syntax: "expected ',' or '}'"},
		{name: "bad literal", body: `{"age": tru}`, syntax: "invalid JSON value"},
		{name: "bad number", body: `{"age": 01}`, syntax: "expected ',' or '}'"},
		{name: "NaN literal", body: `{"age": NaN}`, syntax: "invalid JSON value"},
		{name: "single quotes", body: `{'age': 35}`, syntax: "expected a string key"},
		{name: "control character", body: "{\"age\": \"3\x015\"}", syntax: "control character"},
		{name: "bad escape", body: `{"age": "\x"}`, syntax: "invalid escape"},
		{name: "trailing data", body: valid + "{}", syntax: "trailing data"},
		{name: "trailing garbage", body: valid + " x", syntax: "trailing data"},
		{name: "two objects", body: valid + valid, syntax: "trailing data"},
		{name: "malformed ignored field", body: `{"x": [1,], ` + valid[1:], syntax: "invalid JSON value"},
		{name: "deep nesting", body: `{"x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}", syntax: "nested too deeply"},

		{name: "all missing", body: `{}`, errs: []FieldError{
			fe("age", msgRequired), fe("income", msgRequired), fe("credit_score", msgRequired),
			fe("employment_years", msgRequired), fe("loan_amount", msgRequired)}},
		{name: "errors in feature order", body: `{"loan_amount": -1, "age": 17, "income": "x", "credit_score": 700, "employment_years": 1}`, errs: []FieldError{
			fe("age", "must be >= 18"), fe("income", msgNumber), fe("loan_amount", "must be >= 0")}},
		{name: "duplicate field", body: `{"age": 35, "age": 36, ` + valid[strings.Index(valid, `"income"`):], errs: []FieldError{fe("age", msgTwice)}},
		{name: "fractional integer", body: with("age", "42.5"), errs: []FieldError{fe("age", msgInteger)}},
		{name: "fractional integer string", body: with("credit_score", `"700.5"`), errs: []FieldError{fe("credit_score", msgInteger)}},
		{name: "huge integer", body: with("age", "1e300"), errs: []FieldError{fe("age", "must be <= 120")}},
		{name: "boolean for number", body: with("income", "true"), errs: []FieldError{fe("income", msgNumber)}},
		{name: "boolean for integer", body: with("age", "false"), errs: []FieldError{fe("age", msgInteger)}},
		{name: "null for number", body: with("income", "null"), errs: []FieldError{fe("income", msgNumber)}},
		{name: "array for number", body: with("income", "[1]"), errs: []FieldError{fe("income", msgNumber)}},
		{name: "object for number", body: with("income", `{"v": 1}`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "word for number", body: with("income", `"lots"`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "empty string for number", body: with("income", `""`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "padded numeric string", body: with("income", `" 1"`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "hex string", body: with("income", `"0x10"`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "NaN string", body: with("income", `"NaN"`), errs: []FieldError{fe("income", msgFinite)}},
		{name: "Infinity string", body: with("income", `"Infinity"`), errs: []FieldError{fe("income", msgFinite)}},
		{name: "-Infinity string", body: with("employment_years", `"-Infinity"`), errs: []FieldError{fe("employment_years", msgFinite)}},
		{name: "inf string", body: with("income", `"inf"`), errs: []FieldError{fe("income", msgFinite)}},
		{name: "overflowing number", body: with("income", "1e400"), errs: []FieldError{fe("income", msgFinite)}},
		{name: "overflowing numeric string", body: with("income", `"-1e400"`), errs: []FieldError{fe("income", msgExponent)}},
		{name: "exponent in numeric string", body: with("credit_score", `"7.2e2"`), errs: []FieldError{fe("credit_score", msgExponent)}},
		{name: "numeric string with leading zero", body: with("income", `"007"`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "numeric string with plus", body: with("income", `"+7"`), errs: []FieldError{fe("income", msgNumber)}},
		{name: "numeric string without digits after the point", body: with("income", `"7."`), errs: []FieldError{fe("income", msgNumber)}},
		// A JSON number is its float64; a numeric string is checked as written.
		{name: "number rounding to an integer", body: with("age", "42.00000000000000001"), row: []float32{42, 55000, 720, 5.5, 25000}},
		{name: "numeric string that is not integral", body: with("age", `"42.00000000000000001"`), errs: []FieldError{fe("age", msgInteger)}},
		{name: "number rounding to the minimum", body: with("income", "-1e-400"), row: []float32{35, 0, 720, 5.5, 25000}},
		{name: "numeric string just below the minimum", body: with("income", `"-0.0000000000000000000000000000001"`), errs: []FieldError{fe("income", "must be >= 0")}},
		{name: "numeric string just above the maximum", body: with("age", `"120.0000000000000000001"`), errs: []FieldError{fe("age", msgInteger)}},
		{name: "float32 limit as a number", body: with("income", "340282346638528859811704183484516925440.0000001"), row: []float32{35, math.MaxFloat32, 720, 5.5, 25000}},
		{name: "float32 limit as a numeric string", body: with("income", `"340282346638528859811704183484516925440.000"`), row: []float32{35, math.MaxFloat32, 720, 5.5, 25000}},
		{name: "beyond the float32 limit as a numeric string", body: with("income", `"340282346638528859811704183484516925440.0000001"`), errs: []FieldError{fe("income", msgRange32)}},
		{name: "beyond float32", body: with("income", "1e39"), errs: []FieldError{fe("income", msgRange32)}},
		{name: "tiny number", body: with("income", "1e-400"), row: []float32{35, 0, 720, 5.5, 25000}},
	}
	bounds := []struct {
		field     string
		low, high string // the edges; "" for none
		lowB, hiB string // just beyond them
		base      []float32
		col       int
		isInt     bool
	}{
		{"age", "18", "120", "17.999", "120.001", nil, 0, true},
		{"income", "0", "", "-0.01", "", nil, 1, false},
		{"credit_score", "300", "850", "299", "851", nil, 2, true},
		{"employment_years", "0", "", "-1e-9", "", nil, 3, false},
		{"loan_amount", "0", "", "-0.5", "", nil, 4, false},
	}
	for _, bd := range bounds {
		for _, edge := range []string{bd.low, bd.high} {
			if edge == "" {
				continue
			}
			row := []float32{35, 55000, 720, 5.5, 25000}
			v, _ := strconv.ParseFloat(edge, 64)
			row[bd.col] = float32(v)
			tests = append(tests, decodeCase{name: bd.field + " at " + edge, body: with(bd.field, edge), row: row})
		}
		if bd.lowB != "" {
			msg := "must be >= " + bd.low
			if bd.isInt && strings.Contains(bd.lowB, ".") {
				msg = msgInteger
			}
			tests = append(tests, decodeCase{name: bd.field + " at " + bd.lowB, body: with(bd.field, bd.lowB), errs: []FieldError{fe(bd.field, msg)}})
		}
		if bd.hiB != "" {
			msg := "must be <= " + bd.high
			if bd.isInt && strings.Contains(bd.hiB, ".") {
				msg = msgInteger
			}
			tests = append(tests, decodeCase{name: bd.field + " at " + bd.hiB, body: with(bd.field, bd.hiB), errs: []FieldError{fe(bd.field, msg)}})
		}
	}
	b := loanBinding(t)
	bt := b.NewBatch()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bt.Reset()
			err := bt.DecodeObject([]byte(tt.body))
			var se *SyntaxError
			var ve *ValidationError
			switch {
			case tt.syntax != "":
				if !errors.As(err, &se) || !strings.Contains(se.Msg, tt.syntax) {
					t.Errorf("DecodeObject(%s) = %v; want a syntax error containing %q", tt.body, err, tt.syntax)
				}
			case tt.errs != nil:
				if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Errors, tt.errs) {
					t.Errorf("DecodeObject(%s) = %v (%+v); want field errors %+v", tt.body, err, ve, tt.errs)
				}
			default:
				if err != nil {
					t.Fatalf("DecodeObject(%s) = %v; want nil", tt.body, err)
				}
				in := bt.Inputs()
				if got := in[0].Float32; !reflect.DeepEqual(got, tt.row) || !reflect.DeepEqual(in[0].Shape, []int{1, 5}) {
					t.Errorf("DecodeObject(%s): input = %v %v; want [1 5] %v", tt.body, in[0].Shape, got, tt.row)
				}
			}
		})
	}
}

func TestDecodeTypes(t *testing.T) {
	m, err := Parse([]byte(`
name: m
version: v1
features:
  - {name: s, type: string, enum: [red, "gr\u00fcn"]}
  - {name: t, type: string}
  - {name: b, type: boolean}
  - {name: o, type: number, required: false}
  - {name: d, type: boolean, required: false, default: true}
labels: [{class: 0, label: a}]
`))
	if err != nil {
		t.Fatal(err)
	}
	f32 := func(name string, n int) onnx.ValueInfo {
		return onnx.ValueInfo{Name: name, Type: onnx.TypeInfo{Kind: "tensor", Elem: onnx.Float32, Shape: []int{-1, n}, DimNames: make([]string, 2), HasShape: true}}
	}
	str := onnx.ValueInfo{Name: "str", Type: onnx.TypeInfo{Kind: "tensor", Elem: onnx.String, Shape: []int{-1, 2}, DimNames: make([]string, 2), HasShape: true}}
	m.Features[0].Input, m.Features[1].Input = "str", "str"
	m.Features[2].Input, m.Features[3].Input, m.Features[4].Input = "num", "num", "num"
	b, err := m.bindInputs([]onnx.ValueInfo{str, f32("num", 3)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		body string
		str  []string
		num  []float32
		errs []FieldError
	}{
		{body: `{"s": "red", "t": "x", "b": true}`, str: []string{"red", "x"}, num: []float32{1, float32(math.NaN()), 1}},
		{body: `{"s": "gr\u00fcn", "t": "", "b": "false", "o": null, "d": false}`, str: []string{"grün", ""}, num: []float32{0, float32(math.NaN()), 0}},
		{body: `{"s": "grün", "t": "\"q\"", "b": 1, "o": "2.5", "d": 0}`, str: []string{"grün", `"q"`}, num: []float32{1, 2.5, 0}},
		{body: `{"s": "red", "t": "", "b": 1.0, "d": -0}`, str: []string{"red", ""}, num: []float32{1, float32(math.NaN()), 0}},
		{body: `{"s": "red", "t": "", "b": 1e0, "d": 0.0e5}`, str: []string{"red", ""}, num: []float32{1, float32(math.NaN()), 0}},
		{body: `{"s": "red", "t": "", "b": 1.5, "d": "1"}`, errs: []FieldError{fe("b", msgBoolean), fe("d", msgBoolean)}},
		{body: `{"s": "blue", "t": 3, "b": "yes", "o": true, "d": 2}`, errs: []FieldError{
			fe("s", `must be one of "red", "grün"`), fe("t", msgString), fe("b", msgBoolean), fe("o", msgNumber), fe("d", msgBoolean)}},
		{body: `{"s": null, "t": [], "b": null}`, errs: []FieldError{fe("s", msgString), fe("t", msgString), fe("b", msgBoolean)}},
	}
	bt := b.NewBatch()
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			bt.Reset()
			err := bt.DecodeObject([]byte(tt.body))
			if tt.errs != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Errors, tt.errs) {
					t.Errorf("DecodeObject(%s) = %v; want field errors %+v", tt.body, err, tt.errs)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeObject(%s) = %v; want nil", tt.body, err)
			}
			in := bt.Inputs()
			if !reflect.DeepEqual(in[0].String, tt.str) {
				t.Errorf("DecodeObject(%s): strings = %q; want %q", tt.body, in[0].String, tt.str)
			}
			if fmt.Sprint(in[1].Float32) != fmt.Sprint(tt.num) {
				t.Errorf("DecodeObject(%s): numbers = %v; want %v", tt.body, in[1].Float32, tt.num)
			}
		})
	}
}

func TestDecodeInstances(t *testing.T) {
	row := func(r int, field, msg string) FieldError { return FieldError{Row: r, Field: field, Message: msg} }
	tests := []struct {
		name   string
		body   string
		rows   int
		syntax string
		errs   []FieldError
	}{
		{name: "two rows", body: `{"instances": [` + valid + `,` + valid + `]}`, rows: 2},
		{name: "extra keys", body: `{"id": 7, "instances": [` + valid + `], "x": {}}`, rows: 1},
		{name: "at the limit", body: `{"instances": [` + strings.Repeat(valid+",", 2) + valid + `]}`, rows: 3},
		{name: "over the limit", body: `{"instances": [` + strings.Repeat(valid+",", 3) + valid + `]}`, errs: []FieldError{row(-1, "instances", "must have at most 3 items")}},
		{name: "empty", body: `{"instances": []}`, errs: []FieldError{row(-1, "instances", "must have at least 1 item")}},
		{name: "missing", body: `{"rows": []}`, errs: []FieldError{row(-1, "instances", msgRequired)}},
		{name: "not an array", body: `{"instances": {}}`, errs: []FieldError{row(-1, "instances", "must be an array of objects")}},
		{name: "twice", body: `{"instances": [` + valid + `], "instances": []}`, errs: []FieldError{row(-1, "instances", msgTwice)}},
		{name: "row errors", body: `{"instances": [3, ` + with("age", "12") + `, {}]}`, errs: []FieldError{
			row(0, "", "must be an object"), row(1, "age", "must be >= 18"),
			row(2, "age", msgRequired), row(2, "income", msgRequired), row(2, "credit_score", msgRequired),
			row(2, "employment_years", msgRequired), row(2, "loan_amount", msgRequired)}},
		{name: "row errors and too many", body: `{"instances": [` + valid + `, ` + with("age", "12") + `,` + valid + `, 5]}`, errs: []FieldError{
			row(1, "age", "must be >= 18"), row(3, "", "must be an object"), row(-1, "instances", "must have at most 3 items")}},
		{name: "not an object", body: `[]`, syntax: "must be a JSON object"},
		{name: "empty body", body: ``, syntax: "empty request body"},
		{name: "trailing data", body: `{"instances": [` + valid + `]}]`, syntax: "trailing data"},
		{name: "malformed row", body: `{"instances": [{"age": }]}`, syntax: "invalid JSON value"},
		{name: "malformed array", body: `{"instances": [` + valid + ` ` + valid + `]}`, syntax: "expected ',' or ']'"},
	}
	bt := loanBinding(t).NewBatch()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bt.Reset()
			err := bt.DecodeInstances([]byte(tt.body), 3)
			var se *SyntaxError
			var ve *ValidationError
			switch {
			case tt.syntax != "":
				if !errors.As(err, &se) || !strings.Contains(se.Msg, tt.syntax) {
					t.Errorf("DecodeInstances(%s) = %v; want a syntax error containing %q", tt.body, err, tt.syntax)
				}
			case tt.errs != nil:
				if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Errors, tt.errs) {
					t.Errorf("DecodeInstances(%s) = %v; want field errors %+v", tt.body, err, tt.errs)
				}
			default:
				if err != nil || bt.Rows() != tt.rows {
					t.Fatalf("DecodeInstances(%s) = %v with %d rows; want nil with %d", tt.body, err, bt.Rows(), tt.rows)
				}
				if in := bt.Inputs()[0]; len(in.Float32) != 5*tt.rows || in.Shape[0] != tt.rows {
					t.Errorf("DecodeInstances(%s): input %v with %d values; want %d rows", tt.body, in.Shape, len(in.Float32), tt.rows)
				}
			}
		})
	}
}

func TestParseFloat(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "45", "145500.06", "0.1", "0.05", "-2.7", "123456789012345", "1234567890123456789",
		"0.000001", "1e5", "1.5E-3", "9007199254740993", "0.30000000000000004", "1e-400", "3.4028235e38", "12.3456789012345678"} {
		want, _ := strconv.ParseFloat(s, 64)
		got, ok := parseFloat([]byte(s))
		if !ok || got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("parseFloat(%s) = %v, %v; want %v, true", s, got, ok, want)
		}
	}
	if _, ok := parseFloat([]byte("1e400")); ok {
		t.Errorf("parseFloat(1e400) = _, true; want false")
	}
}

func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "-12.5", "145500.06", "1e5", "0.000000000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isNumber([]byte(s)) {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		got, ok := parseFloat([]byte(s))
		if ok != (err == nil) || ok && got != want {
			t.Errorf("parseFloat(%s) = %v, %v; want %v (%v)", s, got, ok, want, err)
		}
	})
}

// FuzzDecodeObject checks the request decoder against encoding/json: it
// refuses as malformed exactly what encoding/json refuses, never panics,
// and what it accepts is in range.
func FuzzDecodeObject(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(with("age", `"42"`)))
	f.Add([]byte(`{"age": 17, "income": "NaN", "x": [1, {"y": null}]}`))
	f.Add([]byte(`{"\u0061ge": 35}`))
	f.Add([]byte(`[1, 2]`))
	f.Add([]byte(valid + "x"))
	b := loanBinding(f)
	bt := b.NewBatch()
	f.Fuzz(func(t *testing.T, data []byte) {
		bt.Reset()
		err := bt.DecodeObject(data)
		var se *SyntaxError
		var obj map[string]json.RawMessage
		jsonErr := json.Unmarshal(data, &obj)
		if errors.As(err, &se) {
			if jsonErr == nil && obj != nil && !strings.Contains(se.Msg, "nested too deeply") {
				t.Fatalf("DecodeObject(%q) = %v; encoding/json accepts it", data, err)
			}
			return
		}
		if jsonErr != nil || obj == nil {
			t.Fatalf("DecodeObject(%q) = %v; encoding/json refuses it: %v", data, err, jsonErr)
		}
		if err != nil {
			return
		}
		row := bt.Inputs()[0].Float32
		for i, f := range b.Manifest.Features {
			v := float64(row[i])
			if math.IsNaN(v) || math.IsInf(v, 0) || v < *f.Minimum || f.Maximum != nil && v > *f.Maximum {
				t.Fatalf("DecodeObject(%q) accepted %s = %v", data, f.Name, v)
			}
		}
	})
}

// BenchmarkDecodeObject measures validating and decoding one loan request
// into the model's input tensor.
func BenchmarkDecodeObject(b *testing.B) {
	bt := loanBinding(b).NewBatch()
	body := []byte(valid)
	b.ReportAllocs()
	for b.Loop() {
		bt.Reset()
		if err := bt.DecodeObject(body); err != nil {
			b.Fatal(err)
		}
		bt.Inputs()
	}
}

// FuzzDecodeInstances checks the batch decoder as FuzzDecodeObject checks
// the single one, and that it never accepts more rows than allowed.
func FuzzDecodeInstances(f *testing.F) {
	f.Add([]byte(`{"instances": [` + valid + `, ` + valid + `]}`))
	f.Add([]byte(`{"instances": [3, {}, {"age": "x"}], "instances": null}`))
	f.Add([]byte(`{"instances": {}}`))
	f.Add([]byte(`{"instances": [[` + valid + `]]} `))
	bt := loanBinding(f).NewBatch()
	f.Fuzz(func(t *testing.T, data []byte) {
		bt.Reset()
		err := bt.DecodeInstances(data, 3)
		var se *SyntaxError
		var obj map[string]json.RawMessage
		jsonErr := json.Unmarshal(data, &obj)
		if errors.As(err, &se) {
			if jsonErr == nil && obj != nil && !strings.Contains(se.Msg, "nested too deeply") {
				t.Fatalf("DecodeInstances(%q) = %v; encoding/json accepts it", data, err)
			}
			return
		}
		if jsonErr != nil || obj == nil {
			t.Fatalf("DecodeInstances(%q) = %v; encoding/json refuses it: %v", data, err, jsonErr)
		}
		if err == nil && (bt.Rows() < 1 || bt.Rows() > 3) {
			t.Fatalf("DecodeInstances(%q) accepted %d rows; want 1 to 3", data, bt.Rows())
		}
	})
}
