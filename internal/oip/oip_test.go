package oip

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx"
)

func TestDecodeRequest(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    onnx.DataType
		wantErr string
		check   func(t *testing.T, x *onnx.Tensor)
	}{
		{
			name: "flat fp32 with null",
			body: `{"inputs":[{"name":"X","shape":[2,2],"datatype":"FP32","data":[1,2.5,null,-3e2]}]}`,
			want: onnx.Float32,
			check: func(t *testing.T, x *onnx.Tensor) {
				if x.Float32[0] != 1 || x.Float32[1] != 2.5 || !math.IsNaN(float64(x.Float32[2])) || x.Float32[3] != -300 {
					t.Errorf("data %v", x.Float32)
				}
			},
		},
		{
			name: "nested fp64",
			body: `{"id":"r1","inputs":[{"name":"X","shape":[2,2],"datatype":"FP64","data":[[1,2],[3,4]]}]}`,
			want: onnx.Float64,
			check: func(t *testing.T, x *onnx.Tensor) {
				if x.Float64[3] != 4 || x.Shape[0] != 2 || x.Shape[1] != 2 {
					t.Errorf("tensor %v %v", x.Shape, x.Float64)
				}
			},
		},
		{
			name: "fp32 rounds once",
			body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP32","data":[0.1]}]}`,
			want: onnx.Float32,
			check: func(t *testing.T, x *onnx.Tensor) {
				if x.Float32[0] != float32(0.1) {
					t.Errorf("got %v", x.Float32[0])
				}
			},
		},
		{
			name: "strings with escapes",
			body: `{"inputs":[{"name":"c","shape":[3,1],"datatype":"BYTES","data":["a","b\"\\n","é"]}]}`,
			want: onnx.String,
			check: func(t *testing.T, x *onnx.Tensor) {
				if x.String[1] != "b\"\\n" || x.String[2] != "é" {
					t.Errorf("got %q", x.String)
				}
			},
		},
		{
			name: "int64 and bool",
			body: `{"inputs":[{"name":"X","shape":[2],"datatype":"INT64","data":[-9007199254740993, 3]}]}`,
			want: onnx.Int64,
			check: func(t *testing.T, x *onnx.Tensor) {
				if x.Int64[0] != -9007199254740993 {
					t.Errorf("got %v", x.Int64)
				}
			},
		},
		{name: "empty batch", body: `{"inputs":[{"name":"X","shape":[0,5],"datatype":"FP32","data":[]}]}`, want: onnx.Float32},
		{name: "not an object", body: `[1]`, wantErr: "not a JSON object"},
		{name: "trailing data", body: `{"inputs":[]} {}`, wantErr: "trailing"},
		{name: "trailing brace", body: `{"inputs":[]}}`, wantErr: "not valid JSON: trailing data"},
		{name: "trailing bracket", body: `{"inputs":[]} ]`, wantErr: "not valid JSON: trailing data"},
		{name: "trailing brace after null", body: `null}`, wantErr: "not valid JSON: trailing data"},
		{name: "trailing brace after an array", body: `[]}`, wantErr: "not a JSON object"},
		{name: "missing inputs", body: `{}`, wantErr: `missing "inputs"`},
		{name: "keys are case-sensitive", body: `{"Inputs":[]}`, wantErr: `missing "inputs"`},
		{name: "shape mismatch", body: `{"inputs":[{"name":"X","shape":[2],"datatype":"FP32","data":[1]}]}`, want: onnx.Float32, wantErr: "has 1 elements, the shape says 2"},
		{name: "too many elements", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP32","data":[1,2]}]}`, want: onnx.Float32, wantErr: "more than the 1"},
		{name: "negative dim", body: `{"inputs":[{"name":"X","shape":[-1],"datatype":"FP32","data":[]}]}`, wantErr: "bad dimension"},
		{name: "huge shape", body: `{"inputs":[{"name":"X","shape":[1000000,1000000],"datatype":"FP32","data":[]}]}`, wantErr: "too large"},
		{name: "wrong datatype", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP64","data":[1]}]}`, want: onnx.Float32, wantErr: "datatype FP64, the model wants FP32"},
		{name: "unknown datatype", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP128","data":[1]}]}`, want: onnx.Float32, wantErr: "unknown datatype"},
		{name: "string in numbers", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP32","data":["1"]}]}`, want: onnx.Float32, wantErr: "is a string"},
		{name: "fp32 overflow", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP32","data":[1e39]}]}`, want: onnx.Float32, wantErr: "out of range"},
		{name: "int with fraction", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"INT64","data":[1.5]}]}`, want: onnx.Int64, wantErr: "not an integer"},
		{name: "null int", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"INT64","data":[null]}]}`, want: onnx.Int64, wantErr: "want an integer"},
		{name: "bad number", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP32","data":[01]}]}`, want: onnx.Float32, wantErr: "not valid JSON"},
		{name: "duplicate input", body: `{"inputs":[{"name":"X","shape":[0],"datatype":"FP32","data":[]},{"name":"X","shape":[0],"datatype":"FP32","data":[]}]}`, wantErr: "given twice"},
		{name: "missing data", body: `{"inputs":[{"name":"X","shape":[1],"datatype":"FP32"}]}`, wantErr: `missing "data"`},
		{name: "unclosed", body: `{"inputs":[{"name":"X","shape":[2],"datatype":"FP32","data":[1,`, wantErr: "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := DecodeRequest([]byte(tt.body))
			var x *onnx.Tensor
			if err == nil && tt.want != onnx.Undefined {
				x, err = req.Inputs[0].Tensor(tt.want)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v; want one containing %q", err, tt.wantErr)
				}
				var re *RequestError
				if !errors.As(err, &re) {
					t.Errorf("error %v is not a *RequestError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if err := x.Check(); err != nil {
				t.Fatalf("tensor does not check: %v", err)
			}
			if tt.check != nil {
				tt.check(t, x)
			}
		})
	}
}

// TestDecodeRequestDataAliasesBody checks that an input's data is the
// span of the body it was written in, not a copy, and that appending to
// it cannot overwrite the rest of the body.
func TestDecodeRequestDataAliasesBody(t *testing.T) {
	body := []byte(`{"inputs":[{"name":"X","shape":[2],"datatype":"FP32","data": [1, 2] ,"x":0}]}`)
	req, err := DecodeRequest(body)
	if err != nil {
		t.Fatal(err)
	}
	data := req.Inputs[0].Data
	start := bytes.Index(body, []byte("[1, 2]"))
	if string(data) != "[1, 2]" || &data[0] != &body[start] {
		t.Errorf("Data = %q at %p; want [1, 2] at %p, within the body", data, &data[0], &body[start])
	}
	if cap(data) != len(data) {
		t.Errorf("cap(Data) = %d; want %d, so that appending copies", cap(data), len(data))
	}
}

func TestResponseJSON(t *testing.T) {
	probs := onnx.NewFloat32([]float32{0.25, 0.75, float32(math.NaN()), 1}, 2, 2)
	resp := Response{
		ModelName: "m", ModelVersion: "1", ID: "a<b",
		Outputs: []Output{
			NewOutput("label", onnx.Value{Tensor: onnx.NewString([]string{"yes", "n\"o"}, 2)}),
			NewOutput("p", onnx.Value{Maps: &onnx.MapSequence{Keys: onnx.NewInt64([]int64{0, 1}, 2), Values: probs}}),
		},
	}
	b, err := resp.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"model_name":"m","model_version":"1","id":"a\u003cb","outputs":[` +
		`{"name":"label","shape":[2],"datatype":"BYTES","data":["yes","n\"o"]},` +
		`{"name":"p","shape":[2,2],"datatype":"FP32","data":[0.25,0.75,null,1],"classes":[0,1]}]}`
	if string(b) != want {
		t.Errorf("MarshalJSON =\n%s\nwant\n%s", b, want)
	}
	if !json.Valid(b) {
		t.Error("not valid JSON")
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\"back\\", "tab\tnl\n\x01", "<&>", "é漢字", "\xff\xfe", "\u2028\u2029"} {
		got := appendString(nil, s)
		want, _ := json.Marshal(s)
		if string(got) != string(want) {
			t.Errorf("appendString(%q) = %s; want %s", s, got, want)
		}
	}
}

// FuzzDecodeRequest checks that no request body makes the decoder panic,
// that it decodes every body as the encoding/json decoder it replaced
// did, and that every tensor it accepts is well formed.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"inputs":[{"name":"X","shape":[2,2],"datatype":"FP32","data":[1,2.5,null,-3e2]}]}`,
		`{"inputs":[{"name":"X","shape":[2,1],"datatype":"BYTES","data":[["a"],["b\u00e9"]]}]}`,
		`{"inputs":[{"name":"X","shape":[2],"datatype":"INT64","data":[1,-2]}],"outputs":[{"name":"y"}]}`,
		`{"inputs":[{"name":"X","shape":[1],"datatype":"BOOL","data":[true]}],"parameters":{"a":1}}`,
		`{"inputs":[{"name":"X","shape":[0],"datatype":"FP64","data":[]}]}`,
	} {
		f.Add([]byte(s))
	}
	for _, tt := range decodeCases {
		// The largest cases (a thousand inputs, ten thousand levels of
		// nesting) would slow the fuzzer down; the test runs them.
		if len(tt.body) <= 4096 {
			f.Add([]byte(tt.body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAgainstReference(t, body)
		req, err := DecodeRequest(body)
		if err != nil {
			return
		}
		for _, in := range req.Inputs {
			for _, typ := range elemTypes {
				x, err := in.Tensor(typ)
				if err != nil {
					continue
				}
				// The engine bounds a tensor's elements more tightly than
				// the protocol decoder bounds a shape (Model.Run refuses a
				// bigger one with an InputError), so a tensor may fail
				// Check for its size alone; its data must still fill its
				// shape.
				if err := x.Check(); err != nil && x.Len() != shapeElements(x.Shape) {
					t.Fatalf("accepted a malformed tensor: %v", err)
				}
				b := AppendData(nil, x)
				if !json.Valid(b) {
					t.Fatalf("AppendData wrote invalid JSON: %s", b)
				}
			}
		}
	})
}

// shapeElements returns the number of elements a shape the decoder
// accepted describes (its running product never exceeds 1<<31).
func shapeElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

var elemTypes = []onnx.DataType{onnx.Float32, onnx.Float64, onnx.Int64, onnx.Int32, onnx.Bool, onnx.String}

// checkAgainstReference decodes body with DecodeRequest and with
// decodeRequestReference, and fails unless both fail with the same
// message or both return the same request; it then converts each input
// to every element type both ways and compares the results the same way.
func checkAgainstReference(t *testing.T, body []byte) {
	t.Helper()
	want, wantErr := decodeRequestReference(body)
	got, err := DecodeRequest(body)
	if closerAfterValue(body) {
		// The reference's trailing-data check let "]" or "}" through
		// (json.Decoder.More is false there, and Token then fails);
		// DecodeRequest refuses them like any other trailing data,
		// unless the body fails first for being no object.
		const trailing = "request body is not valid JSON: trailing data after the JSON value"
		if err == nil || err.Error() != trailing && !sameError(err, wantErr) {
			t.Fatalf("DecodeRequest(%q) error = %v; want %q", body, err, trailing)
		}
		return
	}
	if !sameError(err, wantErr) {
		t.Fatalf("DecodeRequest(%q) error = %v; want %v", body, err, wantErr)
	}
	if err != nil {
		var re *RequestError
		if !errors.As(err, &re) {
			t.Fatalf("DecodeRequest(%q) error %v is not a *RequestError", body, err)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeRequest(%q) =\n%#v\nwant\n%#v", body, got, want)
	}
	for i := range got.Inputs {
		for _, typ := range elemTypes {
			x, err := got.Inputs[i].Tensor(typ)
			wantX, wantErr := tensorReference(&want.Inputs[i], typ)
			if !sameError(err, wantErr) {
				t.Fatalf("DecodeRequest(%q).Inputs[%d].Tensor(%v) error = %v; want %v", body, i, typ, err, wantErr)
			}
			if err == nil && !sameTensor(x, wantX) {
				t.Fatalf("DecodeRequest(%q).Inputs[%d].Tensor(%v) = %v; want %v", body, i, typ, x, wantX)
			}
		}
	}
}

// closerAfterValue reports whether body holds a JSON value followed by
// space and then "]" or "}".
func closerAfterValue(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	var v json.RawMessage
	if dec.Decode(&v) != nil {
		return false
	}
	rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n")
	return len(rest) > 0 && (rest[0] == ']' || rest[0] == '}')
}

func sameError(err, want error) bool {
	if err == nil || want == nil {
		return err == nil && want == nil
	}
	return err.Error() == want.Error()
}

// sameTensor reports whether two tensors are equal, NaN included.
func sameTensor(x, y *onnx.Tensor) bool {
	if x.Type != y.Type || !reflect.DeepEqual(x.Shape, y.Shape) || x.Len() != y.Len() {
		return false
	}
	for i := range x.Float32 {
		if math.Float32bits(x.Float32[i]) != math.Float32bits(y.Float32[i]) {
			return false
		}
	}
	for i := range x.Float64 {
		if math.Float64bits(x.Float64[i]) != math.Float64bits(y.Float64[i]) {
			return false
		}
	}
	return reflect.DeepEqual(x.Int64, y.Int64) && reflect.DeepEqual(x.Int32, y.Int32) &&
		reflect.DeepEqual(x.Bool, y.Bool) && reflect.DeepEqual(x.String, y.String)
}

// BenchmarkDecodeRequest decodes a 1000x5 FP32 request (45 KB) and
// converts its tensor.
func BenchmarkDecodeRequest(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"inputs":[{"name":"float_input","shape":[1000,5],"datatype":"FP32","data":[`)
	for i := range 5000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("45123.25")
	}
	sb.WriteString(`]}]}`)
	benchmarkDecode(b, []byte(sb.String()))
}

// BenchmarkDecodeRequestOneRow decodes the common call: one row of a few
// features, written by a JSON encoder with spaces.
func BenchmarkDecodeRequestOneRow(b *testing.B) {
	benchmarkDecode(b, []byte(`{"id": "42", "inputs": [{"name": "float_input", "shape": [1, 5], "datatype": "FP32", "data": [45123.25, 0.5, 17, null, -300.125]}]}`))
}

func benchmarkDecode(b *testing.B, body []byte) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req, err := DecodeRequest(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := req.Inputs[0].Tensor(onnx.Float32); err != nil {
			b.Fatal(err)
		}
	}
}

// TestInferEvalErrorIsTheRequests checks that a value the model cannot
// evaluate (here a string Cast cannot parse) is the client's error, a
// *RequestError, not an internal one.
func TestInferEvalErrorIsTheRequests(t *testing.T) {
	m, err := onnx.LoadFile("../onnx/testdata/cases/core_cast_string_bad_float.onnx")
	if err != nil {
		t.Fatal(err)
	}
	in := m.Inputs()[0]
	body := `{"inputs":[{"name":"` + in.Name + `","shape":[1],"datatype":"BYTES","data":["not a number"]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Infer(context.Background(), m, req)
	var re *RequestError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "cannot evaluate") {
		t.Fatalf("Infer error %v; want a *RequestError saying the model cannot evaluate the inputs", err)
	}
}
