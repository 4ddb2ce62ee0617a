package onnx_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/tabserve/tabserve/internal/onnx"
)

// The shipped loan-approval model (models/) against scikit-learn's own
// predictions for 500 rows.
const (
	loanModel    = "../../models/loan_approval_v1.onnx"
	loanExpected = "../../models/loan_approval_v1.expected.json"
)

type loanCases struct {
	Inputs        [][]float64 `json:"inputs"`
	Label         []int64     `json:"label"`
	Probabilities [][]float64 `json:"probabilities"`
}

func readLoanCases(t testing.TB) loanCases {
	t.Helper()
	raw, err := os.ReadFile(loanExpected)
	if err != nil {
		t.Fatal(err)
	}
	var c loanCases
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func loanBatch(c loanCases, rows int) *onnx.Tensor {
	x := make([]float32, 0, rows*5)
	for i := range rows {
		for _, v := range c.Inputs[i%len(c.Inputs)] {
			x = append(x, float32(v))
		}
	}
	return onnx.NewFloat32(x, rows, 5)
}

func TestLoanModelMatchesScikitLearn(t *testing.T) {
	m, err := onnx.LoadFile(loanModel)
	if err != nil {
		t.Fatal(err)
	}
	c := readLoanCases(t)
	n := len(c.Inputs)
	// All rows at once, and each row alone: results must not depend on the
	// batch.
	batch, err := m.Run(context.Background(), []*onnx.Tensor{loanBatch(c, n)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		one, err := m.Run(context.Background(), []*onnx.Tensor{onnx.NewFloat32(loanBatch(c, n).Float32[i*5:i*5+5], 1, 5)})
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range [][]onnx.Value{batch, one} {
			row := i
			if len(out[0].Tensor.Int64) == 1 {
				row = 0
			}
			if got := out[0].Tensor.Int64[row]; got != c.Label[i] {
				t.Errorf("row %d: label %d; want %d", i, got, c.Label[i])
			}
			probs := out[1].Maps
			if probs == nil || probs.Keys.Int64[0] != 0 || probs.Keys.Int64[1] != 1 {
				t.Fatalf("output_probability is not a sequence of maps keyed 0, 1: %+v", out[1])
			}
			for j := range 2 {
				got := float64(probs.Values.Float32[2*row+j])
				if math.Abs(got-c.Probabilities[i][j]) > 1e-4 {
					t.Errorf("row %d: P(class %d) = %v; want %v within 1e-4", i, j, got, c.Probabilities[i][j])
				}
			}
		}
	}
}

// TestLoanModelRunIntoDoesNotAllocate checks the serving path: with the
// caller's output values reused, a one-row prediction allocates nothing.
func TestLoanModelRunIntoDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	m, err := onnx.LoadFile(loanModel)
	if err != nil {
		t.Fatal(err)
	}
	in := []*onnx.Tensor{loanBatch(readLoanCases(t), 1)}
	out := make([]onnx.Value, len(m.Outputs()))
	ctx := context.Background()
	if err := m.RunInto(ctx, in, out); err != nil {
		t.Fatal(err)
	}
	want, err := m.Run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Tensor.Int64[0] != want[0].Tensor.Int64[0] || out[1].Maps.Values.Float32[1] != want[1].Maps.Values.Float32[1] {
		t.Errorf("RunInto and Run disagree: %v %v", out, want)
	}
	if n := testing.AllocsPerRun(100, func() { _ = m.RunInto(ctx, in, out) }); n > 0 {
		t.Errorf("RunInto allocates %v times per call; want 0", n)
	}
}

// BenchmarkLoanModel times the whole graph (Scaler, TreeEnsembleClassifier,
// Cast, ZipMap) through RunInto (Run reusing its outputs), for one row and
// for a batch of 1,000.
func BenchmarkLoanModel(b *testing.B) {
	m, err := onnx.LoadFile(loanModel)
	if err != nil {
		b.Fatal(err)
	}
	c := readLoanCases(b)
	for _, rows := range []int{1, 1000} {
		b.Run(map[int]string{1: "rows=1", 1000: "rows=1000"}[rows], func(b *testing.B) {
			// Rotate through different inputs so branch prediction does not
			// learn one path.
			inputs := make([][]*onnx.Tensor, 64)
			for i := range inputs {
				x := loanBatch(c, rows+i)
				x.Float32, x.Shape[0] = x.Float32[i*5:], rows
				inputs[i] = []*onnx.Tensor{x}
			}
			ctx := context.Background()
			out := make([]onnx.Value, len(m.Outputs()))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := m.RunInto(ctx, inputs[i%len(inputs)], out); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}
