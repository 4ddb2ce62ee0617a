package onnx_test

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tabserve/tabserve/internal/oip"
	"github.com/tabserve/tabserve/internal/onnx"
)

// A corpus case is a model exported by skl2onnx (or onnxmltools), an Open
// Inference Protocol request and onnxruntime's outputs for it; see
// testdata/corpus/MANIFEST.md. Extra cases under testdata/cases follow the
// same format.
type expectedFile struct {
	Outputs []struct {
		Name     string            `json:"name"`
		Shape    []int             `json:"shape"`
		Datatype string            `json:"datatype"`
		Data     []json.RawMessage `json:"data"`
		Classes  []json.RawMessage `json:"classes"`
	} `json:"outputs"`
	Tolerance struct {
		Abs float64 `json:"abs"`
		Rel float64 `json:"rel"`
	} `json:"tolerance"`
	// SequenceOutputs holds, for a sequence-of-tensors output (which
	// onnxruntime-node cannot return), the tensors of the sequence.
	SequenceOutputs map[string][]expectedTensor `json:"sequence_outputs"`
}

type expectedTensor struct {
	Name     string            `json:"name"`
	Shape    []int             `json:"shape"`
	Datatype string            `json:"datatype"`
	Data     []json.RawMessage `json:"data"`
}

func corpusCases(t *testing.T) []string {
	t.Helper()
	var cases []string
	for _, dir := range []string{"testdata/corpus", "testdata/cases"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.onnx"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			cases = append(cases, strings.TrimSuffix(f, ".onnx"))
		}
	}
	if len(cases) == 0 {
		t.Fatal("no corpus cases under testdata")
	}
	return cases
}

// loadCase loads a case's model and its request's input tensors.
func loadCase(t *testing.T, base string) (*onnx.Model, []*onnx.Tensor) {
	t.Helper()
	m, err := onnx.LoadFile(base + ".onnx")
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	body, err := os.ReadFile(base + ".request.json")
	if err != nil {
		t.Fatal(err)
	}
	req, err := oip.DecodeRequest(body)
	if err != nil {
		t.Fatalf("DecodeRequest: %v", err)
	}
	inputs := make([]*onnx.Tensor, len(m.Inputs()))
	for i, vi := range m.Inputs() {
		for _, in := range req.Inputs {
			if in.Name == vi.Name {
				if inputs[i], err = in.Tensor(vi.Type.Elem); err != nil {
					t.Fatalf("input %s: %v", vi.Name, err)
				}
			}
		}
	}
	return m, inputs
}

// runCase loads a case's model and runs its request, the way `tabserve
// infer` does.
func runCase(t *testing.T, base string) (*onnx.Model, []onnx.Value) {
	t.Helper()
	m, inputs := loadCase(t, base)
	outs, err := m.Run(context.Background(), inputs)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return m, outs
}

// TestCorpusConcurrent runs every case's model from several goroutines at
// once (under -race, this finds scratch memory that kernels share between
// runs): each run must give the outputs of a run alone, to the bit.
func TestCorpusConcurrent(t *testing.T) {
	encode := func(m *onnx.Model, vals []onnx.Value) string {
		var outs []oip.Output
		for i, o := range m.Outputs() {
			outs = append(outs, oip.NewOutputs(o.Name, vals[i])...)
		}
		return string((&oip.Response{Outputs: outs}).AppendJSON(nil))
	}
	for _, base := range corpusCases(t) {
		if _, err := os.Stat(base + ".error.json"); err == nil {
			continue
		}
		t.Run(filepath.Base(base), func(t *testing.T) {
			m, inputs := loadCase(t, base)
			alone, err := m.Run(context.Background(), inputs)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			want := encode(m, alone)
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for range 3 {
						vals, err := m.Run(context.Background(), inputs)
						if err != nil {
							t.Errorf("concurrent Run: %v", err)
							return
						}
						if got := encode(m, vals); got != want {
							t.Errorf("concurrent Run = %s; want %s", got, want)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

func TestCorpus(t *testing.T) {
	for _, base := range corpusCases(t) {
		t.Run(filepath.Base(base), func(t *testing.T) {
			if _, err := os.Stat(base + ".error.json"); err == nil {
				checkRefused(t, base)
				return
			}
			var want expectedFile
			raw, err := os.ReadFile(base + ".expected.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			m, outs := runCase(t, base)
			for _, w := range want.Outputs {
				idx := -1
				for i, o := range m.Outputs() {
					if o.Name == w.Name {
						idx = i
					}
				}
				if idx < 0 {
					t.Errorf("model has no output %q", w.Name)
					continue
				}
				got := oip.NewOutput(w.Name, outs[idx])
				compareOutput(t, w.Name, got, w.Shape, w.Datatype, w.Data, w.Classes, want.Tolerance.Abs, want.Tolerance.Rel)
			}
			for name, elems := range want.SequenceOutputs {
				var got []oip.Output
				for i, o := range m.Outputs() {
					if o.Name == name {
						got = oip.NewOutputs(name, outs[i])
					}
				}
				if len(got) != len(elems) {
					t.Errorf("sequence output %q has %d tensors; want %d", name, len(got), len(elems))
					continue
				}
				for i, e := range elems {
					compareOutput(t, got[i].Name, got[i], e.Shape, e.Datatype, e.Data, nil, want.Tolerance.Abs, want.Tolerance.Rel)
				}
			}
		})
	}
}

// checkRefused checks that a case onnxruntime refuses (NAME.error.json)
// is refused by the engine too, at load or at run time, with an error.
func checkRefused(t *testing.T, base string) {
	t.Helper()
	m, err := onnx.LoadFile(base + ".onnx")
	if err != nil {
		return
	}
	body, err := os.ReadFile(base + ".request.json")
	if err != nil {
		t.Fatal(err)
	}
	req, err := oip.DecodeRequest(body)
	if err != nil {
		return
	}
	inputs := make([]*onnx.Tensor, len(m.Inputs()))
	for i, vi := range m.Inputs() {
		for _, in := range req.Inputs {
			if in.Name == vi.Name {
				if inputs[i], err = in.Tensor(vi.Type.Elem); err != nil {
					return
				}
			}
		}
	}
	if _, err := m.Run(context.Background(), inputs); err == nil {
		t.Errorf("the engine ran a case onnxruntime refuses")
	}
}

func compareOutput(t *testing.T, name string, got oip.Output, shape []int, datatype string, data, classes []json.RawMessage, abs, rel float64) {
	t.Helper()
	if dt := oip.Datatype(got.Tensor.Type); dt != datatype {
		t.Errorf("%s: datatype %s; want %s", name, dt, datatype)
		return
	}
	if !equalInts(got.Tensor.Shape, shape) {
		t.Errorf("%s: shape %v; want %v", name, got.Tensor.Shape, shape)
		return
	}
	gotData := decodeFlat(t, oip.AppendData(nil, got.Tensor))
	if len(gotData) != len(data) {
		t.Fatalf("%s: %d values; want %d", name, len(gotData), len(data))
	}
	bad := 0
	for i := range data {
		if !valueClose(gotData[i], data[i], datatype, abs, rel) {
			if bad++; bad <= 5 {
				t.Errorf("%s[%d] = %s; want %s (abs %g rel %g)", name, i, gotData[i], data[i], abs, rel)
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d of %d values differ", name, bad, len(data))
	}
	if classes != nil {
		if got.Classes == nil {
			t.Errorf("%s: no classes; want %s", name, classes)
			return
		}
		gotClasses := decodeFlat(t, oip.AppendData(nil, got.Classes))
		if len(gotClasses) != len(classes) {
			t.Errorf("%s: classes %s; want %s", name, gotClasses, classes)
			return
		}
		for i := range classes {
			if string(gotClasses[i]) != string(classes[i]) {
				t.Errorf("%s: classes %s; want %s", name, gotClasses, classes)
				break
			}
		}
	}
}

func decodeFlat(t *testing.T, b []byte) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return out
}

func valueClose(got, want json.RawMessage, datatype string, abs, rel float64) bool {
	switch datatype {
	case "FP32", "FP64":
		var g, w *float64
		if json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil {
			return false
		}
		if g == nil || w == nil {
			return g == nil && w == nil
		}
		return math.Abs(*g-*w) <= abs+rel*math.Abs(*w)
	}
	var g, w any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil {
		return false
	}
	return g == w
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCorpusOddInputs runs every case's model on inputs a client could
// send to /v2/models/{name}/infer: empty and small batches, other sizes
// for the dimensions the model leaves open, NaN, infinities, extremes.
// Each run must give outputs or an error, never a panic.
func TestCorpusOddInputs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	floats := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1e30, -1e30, math.MaxFloat32, 1e-40, 7, -3}
	ints := []int64{0, -1, 1, 5, 100, math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32}
	strs := []string{"", "a", "b", "x\x00y", "1.5"}
	for _, base := range corpusCases(t) {
		m, err := onnx.LoadFile(base + ".onnx")
		if err != nil {
			continue // a case onnxruntime refuses at load
		}
		for trial := range 24 {
			inputs := make([]*onnx.Tensor, len(m.Inputs()))
			for i, vi := range m.Inputs() {
				var shape []int
				if vi.Type.HasShape {
					for j, d := range vi.Type.Shape {
						switch {
						case d >= 0:
						case j == 0 && trial < 8:
							d = trial % 4 // batches of 0 to 3 rows
						default:
							d = []int{0, 1, 2, 3, 5}[r.IntN(5)]
						}
						shape = append(shape, d)
					}
				} else {
					for range r.IntN(4) {
						shape = append(shape, r.IntN(4))
					}
				}
				n := 1
				for _, d := range shape {
					n *= d
				}
				x := &onnx.Tensor{Type: vi.Type.Elem, Shape: shape}
				for range n {
					switch x.Type {
					case onnx.Float32:
						x.Float32 = append(x.Float32, float32(floats[r.IntN(len(floats))]))
					case onnx.Float64:
						x.Float64 = append(x.Float64, floats[r.IntN(len(floats))])
					case onnx.Int64:
						x.Int64 = append(x.Int64, ints[r.IntN(len(ints))])
					case onnx.Int32:
						x.Int32 = append(x.Int32, int32(ints[r.IntN(len(ints))]))
					case onnx.Bool:
						x.Bool = append(x.Bool, r.IntN(2) == 0)
					case onnx.String:
						x.String = append(x.String, strs[r.IntN(len(strs))])
					}
				}
				inputs[i] = x
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						var shapes []string
						for _, x := range inputs {
							shapes = append(shapes, x.Describe())
						}
						t.Errorf("%s: Run(%s) panicked: %v", filepath.Base(base), strings.Join(shapes, ", "), p)
					}
				}()
				_, _ = m.Run(context.Background(), inputs)
			}()
		}
	}
}
