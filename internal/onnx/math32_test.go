package onnx

import (
	"math"
	"math/big"
	"testing"
)

// TestExpfTable checks the table against 2^(i/32) computed to 200 bits.
func TestExpfTable(t *testing.T) {
	for i := range 32 {
		v := new(big.Float).SetPrec(200).SetInt64(1 << i)
		for range 5 {
			v.Sqrt(v)
		}
		f, _ := v.Float64()
		if got, want := expfTable[i], math.Float64bits(f)-uint64(i)<<47; got != want {
			t.Errorf("expfTable[%d] = %#x; want %#x", i, got, want)
		}
	}
}

func TestExpf(t *testing.T) {
	exp := func(x float32) float32 { return float32(math.Exp(float64(x))) }
	tests := []struct {
		x    float32
		want float32
	}{
		{0, 1},
		{1, float32(math.E)},
		{-1, float32(1 / math.E)},
		{88.7, exp(88.7)},
		{89, float32(math.Inf(1))},
		{-104, 0},
		{-100, exp(-100)},
		{float32(math.Inf(-1)), 0},
		{float32(math.Inf(1)), float32(math.Inf(1))},
	}
	for _, tt := range tests {
		if got := expf(tt.x); got != tt.want {
			t.Errorf("expf(%v) = %v; want %v", tt.x, got, tt.want)
		}
	}
	if got := expf(mlNaN32()); got == got {
		t.Errorf("expf(NaN) = %v; want NaN", got)
	}
	// Away from rounding boundaries expf is the correctly rounded exp.
	bad := 0
	for x := float32(-87); x < 87; x += 0.0137 {
		if got, want := expf(x), float32(math.Exp(float64(x))); got != want {
			if math.Abs(float64(got-want)) > math.Abs(float64(want))*1.2e-7 {
				t.Fatalf("expf(%v) = %v; want %v", x, got, want)
			}
			bad++
		}
	}
	if bad > 20 {
		t.Errorf("expf differs from the rounded exp in %d of 12700 values; want a handful", bad)
	}
}
