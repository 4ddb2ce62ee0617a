package onnx

import (
	"context"
	"fmt"
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

// refSgemm is the order gemm.go describes, written plainly with
// fused multiply-adds from math/big: what the kernels are checked against.
func refSgemm(y, a, b []float32, m, n, k int, transA, transB, packed bool, alpha, beta float32) {
	at := func(i, kk int) float32 {
		if transA {
			return a[kk*m+i]
		}
		return a[i*k+kk]
	}
	bt := func(kk, j int) float32 {
		if transB {
			return b[j*k+kk]
		}
		return b[kk*n+j]
	}
	if k == 0 {
		if beta == 0 {
			clear(y)
		}
		return
	}
	if !packed && alpha == 1 && (beta == 0 || beta == 1) {
		switch {
		case m == 1 && !transA:
			refM1(y, n, k, func(kk int) float32 { return at(0, kk) }, bt, transB, beta == 1)
			return
		case n == 1 && (!transB || k == 1):
			refM1(y, m, k, func(kk int) float32 { return bt(kk, 0) }, func(kk, i int) float32 { return at(i, kk) }, !transA, beta == 1)
			return
		}
	}
	strideK := sgemmStrideK(n, k, transA)
	if packed {
		strideK = 256
	}
	for i := range m {
		for j := range n {
			v := y[i*n+j]
			if beta != 0 && beta != 1 {
				v *= beta
			}
			add := beta != 0
			for k0 := 0; k0 < k; k0 += strideK {
				var acc float32
				for kk := k0; kk < min(k0+strideK, k); kk++ {
					acc = exactFMA32(at(i, kk), bt(kk, j), acc)
				}
				if add {
					v = exactFMA32(acc, alpha, v)
				} else {
					v = acc * alpha
				}
				add = true
			}
			y[i*n+j] = v
		}
	}
}

// refM1 is MLAS's M = 1 kernels: y[j] (+)= Σ_k x(k)·w(k, j) for j < n,
// by eight lanes reduced per column block (transposed) or four products at
// a time.
func refM1(y []float32, n, k int, x func(int) float32, w func(int, int) float32, transposed, add bool) {
	for j := range n {
		v := float32(0)
		if add {
			v = y[j]
		}
		if !transposed {
			kk := 0
			for ; kk+4 <= k; kk += 4 {
				t := float32(x(kk)*w(kk, j)) + float32(x(kk+1)*w(kk+1, j))
				t = t + float32(x(kk+2)*w(kk+2, j))
				t = t + float32(x(kk+3)*w(kk+3, j))
				v = v + t
			}
			if k-kk >= 2 {
				v = v + (float32(x(kk)*w(kk, j)) + float32(x(kk+1)*w(kk+1, j)))
				kk += 2
			}
			if kk < k {
				v = v + float32(x(kk)*w(kk, j))
			}
			y[j] = v
			continue
		}
		var l [8]float32
		for kk := range k {
			l[kk%8] = l[kk%8] + float32(x(kk)*w(kk, j))
		}
		var s float32
		switch full := n / 4 * 4; {
		case j < full:
			s = ((l[0] + l[1]) + l[2]) + l[3]
			s = s + (((l[4] + l[5]) + l[6]) + l[7])
		case n%4 >= 2 && j < full+2:
			s = (l[0] + l[2]) + (l[4] + l[6])
			s = s + ((l[1] + l[3]) + (l[5] + l[7]))
		default:
			s = (l[0] + l[1]) + (l[2] + l[3])
			s = s + ((l[4] + l[5]) + (l[6] + l[7]))
		}
		if add {
			s = s + v
		}
		y[j] = s
	}
}

// gemmValues draws n operand values: "mixed" (random magnitude and sign,
// some zeros), "tiny" (some below tiny32), "halfway" (values whose
// products put chained sums on float32 midpoints) or "subnormal" (on
// midpoints of float32's subnormal grid).
func gemmValues(r *rand.Rand, kind string, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		switch kind {
		case "mixed":
			if r.IntN(10) > 0 {
				v[i] = float32(math.Ldexp(1+r.Float64(), r.IntN(12)-6))
				if r.IntN(2) == 0 {
					v[i] = -v[i]
				}
			}
		case "tiny":
			v[i] = float32(math.Ldexp(1+r.Float64(), r.IntN(12)-6))
			if r.IntN(4) == 0 {
				v[i] = float32(math.Ldexp(1+r.Float64(), -80))
			}
		case "halfway":
			v[i] = [...]float32{1 + 0x1p-23, 1, 0x1p-24 * (1 - 0x1p-23), -(1 + 0x1p-23), 0x1p-24}[r.IntN(5)]
		case "subnormal":
			// Products such as 513·2⁻¹⁴⁹ and 2⁻¹⁵⁰(1 - 2⁻⁴⁶), whose sums
			// land on float32's subnormal grid.
			v[i] = [...]float32{513 * 0x1p-75, 0x1p-74, 0x1p-75 * (1 + 0x1p-23), 0x1p-75 * (1 - 0x1p-23)}[r.IntN(4)]
		}
	}
	return v
}

func TestSgemmMatchesReference(t *testing.T) {
	tests := []struct {
		m, n, k        int
		transA, transB bool
		alpha, beta    float32
	}{
		{1, 1, 1, false, false, 1, 0},
		{1, 5, 3, false, false, 1, 1},
		{1, 7, 13, false, true, 1, 0},
		{1, 6, 13, false, true, 1, 1},
		{1, 9, 300, false, false, 1, 0},
		{1, 9, 300, false, true, 1, 1},
		{1, 4, 30, true, false, 1, 1},
		{1, 4, 30, false, false, 2, 1},
		{1, 4, 30, false, true, 1, 0.5},
		{2, 1, 9, false, false, 1, 0},
		{3, 1, 7, false, false, 1, 1},
		{5, 1, 30, false, false, 1, 0},
		{17, 1, 16, true, false, 1, 1},
		{4, 1, 1, false, true, 1, 1},
		{3, 1, 5, false, true, 1, 1},
		{2, 5, 300, false, false, 1, 0},
		{2, 5, 300, true, true, 0.75, 1},
		{3, 20, 40, false, false, -2, 0},
		{3, 20, 40, false, true, 0.5, 2},
		{17, 9, 12, false, false, 1, 1},
		{17, 9, 12, true, false, 1.5, 0.25},
		{2, 4, 600, false, true, 1, 0},
		{2, 3, 140, true, true, 1, 1},
		{5, 3, 0, false, false, 1, 2},
		{5, 3, 0, false, true, 1, 0},
		{0, 3, 4, false, false, 1, 1},
	}
	for _, tt := range tests {
		for _, kind := range []string{"mixed", "tiny", "halfway", "subnormal"} {
			name := fmt.Sprintf("%dx%dx%d_transA=%v_transB=%v_alpha=%g_beta=%g_%s", tt.m, tt.n, tt.k, tt.transA, tt.transB, tt.alpha, tt.beta, kind)
			t.Run(name, func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(tt.m*1000+tt.n), uint64(tt.k)))
				a, b := gemmValues(r, kind, tt.m*tt.k), gemmValues(r, kind, tt.k*tt.n)
				c := gemmValues(r, "mixed", tt.m*tt.n)
				for _, packed := range []bool{false, true} {
					want := append([]float32(nil), c...)
					refSgemm(want, a, b, tt.m, tt.n, tt.k, tt.transA, tt.transB, packed, tt.alpha, tt.beta)
					for _, prepared := range []bool{false, true} {
						gb := &gemmB{n: tt.n, k: tt.k, transB: tt.transB, packed: packed, data: b}
						if prepared {
							gb = prepareGemmB(b, tt.n, tt.k, tt.transB, packed)
						}
						got := append([]float32(nil), c...)
						gb.sgemm(got, a, tt.m, tt.transA, tt.alpha, tt.beta)
						for i := range want {
							if got[i] != want[i] && !(isNaN32(got[i]) && isNaN32(want[i])) {
								t.Errorf("packed=%v prepared=%v: y[%d] = %g; want %g", packed, prepared, i, got[i], want[i])
								break
							}
						}
					}
				}
			})
		}
	}
}

// TestGemmML checks the bias forms of the ai.onnx.ml kernels' entry point
// against Gemm's: none (beta 0), one value, one per column (beta 1).
func TestGemmML(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	const m, n, k = 3, 5, 11
	a, w := gemmValues(r, "mixed", m*k), gemmValues(r, "mixed", n*k)
	b := newGemmB(w, n, k)
	tests := []struct {
		name  string
		alpha float32
		bias  []float32
	}{
		{"no bias", 1, nil},
		{"scalar bias", 0.5, []float32{0.25}},
		{"per column", 1, []float32{1, -2, 3, -4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := make([]float32, m*n)
			var beta float32
			if tt.bias != nil {
				beta = 1
				for i := range want {
					want[i] = tt.bias[min(i%n, len(tt.bias)-1)]
				}
			}
			refSgemm(want, a, w, m, n, k, false, true, false, tt.alpha, beta)
			got := make([]float32, m*n)
			b.gemm(got, a, m, tt.alpha, gemmBias{tt.bias})
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("gemm(...)[%d] = %g; want %g", i, got[i], want[i])
				}
			}
		})
	}
}

// refDgemm is dgemm's order written plainly: one chain of fused
// multiply-adds per output, in K blocks.
func refDgemm(y, a, b []float64, m, n, k int, transA, transB bool, alpha, beta float64) {
	if k == 0 {
		if beta == 0 {
			clear(y)
		}
		return
	}
	strideK := dgemmStrideK(n, k, transA)
	for i := range m {
		for j := range n {
			v := y[i*n+j]
			if beta != 0 && beta != 1 {
				v *= beta
			}
			add := beta != 0
			for k0 := 0; k0 < k; k0 += strideK {
				var sum float64
				for kk := k0; kk < min(k0+strideK, k); kk++ {
					x, w := a[i*k+kk], b[kk*n+j]
					if transA {
						x = a[kk*m+i]
					}
					if transB {
						w = b[j*k+kk]
					}
					sum = math.FMA(x, w, sum)
				}
				if add {
					v = math.FMA(sum, alpha, v)
				} else {
					v = sum * alpha
				}
				add = true
			}
			y[i*n+j] = v
		}
	}
}

func TestDgemmMatchesReference(t *testing.T) {
	tests := []struct {
		m, n, k        int
		transA, transB bool
		alpha, beta    float64
	}{
		{1, 1, 1, false, false, 1, 0},
		{1, 9, 30, false, false, 1, 1},
		{2, 4, 300, false, true, 0.5, 2},
		{3, 5, 140, true, false, -2, 0},
		{5, 8, 20, true, true, 1, 1},
		{4, 3, 600, false, false, 1, 0.25},
		{3, 2, 0, false, false, 1, 2},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%dx%dx%d_transA=%v_transB=%v_alpha=%g_beta=%g", tt.m, tt.n, tt.k, tt.transA, tt.transB, tt.alpha, tt.beta)
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tt.m), uint64(tt.n*1000+tt.k)))
			vals := func(n int) []float64 {
				v := make([]float64, n)
				for i := range v {
					v[i] = math.Ldexp(r.Float64()-0.5, r.IntN(12)-6)
				}
				return v
			}
			a, b, c := vals(tt.m*tt.k), vals(tt.k*tt.n), vals(tt.m*tt.n)
			want := append([]float64(nil), c...)
			refDgemm(want, a, b, tt.m, tt.n, tt.k, tt.transA, tt.transB, tt.alpha, tt.beta)
			got := append([]float64(nil), c...)
			dgemm(got, a, b, tt.m, tt.n, tt.k, tt.transA, tt.transB, tt.alpha, tt.beta)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("dgemm(...)[%d] = %g; want %g", i, got[i], want[i])
				}
			}
		})
	}
}

// TestRowChunks checks that products computed in ranges of rows, as
// MatMul, Gemm and CDist compute them to look at their context in
// between, equal one product over all rows bit for bit, whatever the
// kernel MLAS would take (one output column, paired rows, B packed or
// read in place, float64); and that a done context stops them.
func TestRowChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	for _, m := range []int{1, 2, 3, 4, 5, 6, 7, 9, 13, 17} {
		for _, n := range []int{1, 2, 3, 8} {
			for _, k := range []int{1, 5, 37} {
				for _, alpha := range []float32{1, -2} {
					a, b := make([]float32, m*k), make([]float32, k*n)
					for i := range a {
						a[i] = randF32(r)
					}
					for i := range b {
						b[i] = randF32(r)
					}
					for _, gb := range []*gemmB{{n: n, k: k, data: b}, newGemmB(b, n, k)} {
						want := make([]float32, m*n)
						gb.sgemm(want, a, m, false, alpha, 0)
						got := make([]float32, m*n)
						if err := rowChunks(context.Background(), m, 1, func(lo, hi int) {
							gb.sgemm(got[lo*n:hi*n], a[lo*k:hi*k], hi-lo, false, alpha, 0)
						}); err != nil {
							t.Fatal(err)
						}
						for i := range want {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("sgemm m=%d n=%d k=%d alpha=%v packed=%v in ranges: y[%d] = %v; want %v", m, n, k, alpha, gb.packed, i, got[i], want[i])
							}
						}
					}
					a64, b64 := make([]float64, m*k), make([]float64, k*n)
					for i := range a64 {
						a64[i] = float64(a[i]) / 3
					}
					for i := range b64 {
						b64[i] = float64(b[i]) / 7
					}
					want := make([]float64, m*n)
					dgemm(want, a64, b64, m, n, k, false, false, float64(alpha), 0)
					got := make([]float64, m*n)
					if err := rowChunks(context.Background(), m, 1, func(lo, hi int) {
						dgemm(got[lo*n:hi*n], a64[lo*k:hi*k], b64, hi-lo, n, k, false, false, float64(alpha), 0)
					}); err != nil {
						t.Fatal(err)
					}
					for i := range want {
						if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
							t.Fatalf("dgemm m=%d n=%d k=%d alpha=%v in ranges: y[%d] = %v; want %v", m, n, k, alpha, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	if err := rowChunks(ctx, 100, 1, func(lo, hi int) { calls++ }); err != context.Canceled || calls != 1 {
		t.Errorf("rowChunks with a done context = %v after %d ranges; want context.Canceled after 1", err, calls)
	}
}
