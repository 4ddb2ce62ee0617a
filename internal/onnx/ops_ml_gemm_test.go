package onnx

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactFMA32 is a·b + c rounded once to float32, computed with math/big.
func exactFMA32(a, b, c float32) float32 {
	p := float64(a) * float64(b) // exact
	if math.IsInf(p, 0) || math.IsNaN(p) || math.IsInf(float64(c), 0) || math.IsNaN(float64(c)) {
		return float32(p + float64(c))
	}
	s := new(big.Float).SetPrec(400).SetFloat64(p)
	s.Add(s, new(big.Float).SetFloat64(float64(c)))
	f, _ := s.Float32()
	return f
}

func TestFMA32(t *testing.T) {
	const (
		odd   = 1 + 0x1p-23 // a float32 with an odd last bit
		below = 0x1p-24 * (1 - 0x1p-23)
	)
	tests := []struct {
		name    string
		a, b, c float32
		want    float32
	}{
		{"exact", 1.5, 2, 0.25, 3.25},
		{"rounded once", 1, 1, 0x1p-25, 1},
		// odd·below = 2⁻²⁴(1 - 2⁻⁴⁶): the sum lies just under the midpoint
		// between odd and its successor, and float64 rounds it onto the
		// midpoint, from which float32 would round up to even.
		{"double rounding up avoided", odd, below, odd, odd},
		{"double rounding down avoided", -odd, below, -odd, -odd},
		{"midpoint exactly, ties to even", 1, 0x1p-24, odd, 1 + 0x1p-22},
		// 2⁻¹⁵⁰(1 - 2⁻⁴⁶) added to 513·2⁻¹⁴⁹: float64 rounds onto the midpoint
		// of float32's subnormal grid.
		{"subnormal double rounding avoided", 0x1p-75 * odd, 0x1p-75 * (1 - 0x1p-23), 513 * 0x1p-149, 513 * 0x1p-149},
		{"subnormal result", 0x1p-100, 0x1p-40, 0, 0x1p-140},
		{"cancels to zero", 2, 3, -6, 0},
		{"overflows", math.MaxFloat32, 2, 0, float32(math.Inf(1))},
		{"infinity minus infinity", float32(math.Inf(1)), 1, float32(math.Inf(-1)), float32(math.NaN())},
		{"NaN", float32(math.NaN()), 1, 1, float32(math.NaN())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fma32(tt.a, tt.b, tt.c)
			if got != tt.want && !(isNaN32(got) && isNaN32(tt.want)) {
				t.Errorf("fma32(%g, %g, %g) = %g; want %g", tt.a, tt.b, tt.c, got, tt.want)
			}
			if want := exactFMA32(tt.a, tt.b, tt.c); got != want && !(isNaN32(got) && isNaN32(want)) {
				t.Errorf("fma32(%g, %g, %g) = %g; math/big gives %g", tt.a, tt.b, tt.c, got, want)
			}
		})
	}
}

// TestFMA32MatchesExactRounding compares fma32 with math/big on random
// operands, half of them built so that the float64 sum falls on or near a
// float32 midpoint.
func TestFMA32MatchesExactRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := range 20000 {
		a, b, c := randF32(r), randF32(r), randF32(r)
		if i%2 == 1 {
			// c with a random last bit, and a·b = ±(half c's last place)·
			// (1 + i·2⁻²³)(1 + j·2⁻²³): on the midpoint when i = j = 0, off
			// it by units of 2⁻⁴⁶ of a·b when i = -j, which float64 drops.
			c = float32(1+r.IntN(1<<23)) * 0x1p-23 * float32(math.Ldexp(1, r.IntN(40)-20))
			ulp := math.Nextafter32(c, float32(math.Inf(1))) - c
			i, j := r.IntN(5)-2, r.IntN(5)-2
			if r.IntN(2) == 0 {
				j = -i
			}
			a = 1 + float32(i)*0x1p-23
			b = ulp / 2 * (1 + float32(j)*0x1p-23)
			if r.IntN(2) == 0 {
				b = -b
			}
		}
		if got, want := fma32(a, b, c), exactFMA32(a, b, c); got != want && !(isNaN32(got) && isNaN32(want)) {
			t.Fatalf("fma32(%g, %g, %g) = %g; want %g", a, b, c, got, want)
		}
	}
}

func isNaN32(v float32) bool { return v != v }

// randF32 draws a value of random sign and magnitude (2⁻⁴⁰ to 2⁴⁰).
func randF32(r *rand.Rand) float32 {
	v := float32(math.Ldexp(1+r.Float64(), r.IntN(80)-40))
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}
