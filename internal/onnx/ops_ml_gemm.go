package onnx

import "math"

// This file reproduces the summation order of onnxruntime's float GEMM
// (MLAS, x86-64 with AVX) for the products the ai.onnx.ml kernels compute,
// y = alpha·A·Bᵀ (+ bias), so that scores match onnxruntime bit for bit
// rather than within rounding:
//
//   - One row (M = 1) with alpha = 1 takes MLAS's "M1, B transposed"
//     kernel: eight lanes of float32 multiply-then-add, lane l summing the
//     products k ≡ l (mod 8), reduced in an order that depends on whether
//     the output column falls in a block of 4, 2 or 1 columns, and the
//     bias added last.
//   - Otherwise each output is a chain of fused multiply-adds over k,
//     restarted every strideK products (MLAS's K blocking), each block
//     folded into the output as fma(acc, alpha, y); the first block with
//     no bias gives acc·alpha.

// fma32 is a float32 fused multiply-add, a·b + c rounded once.
func fma32(a, b, c float32) float32 {
	return float32(add32(float64(a)*float64(b), float64(c)))
}

const (
	// below32 masks the float64 significand bits a float32 lacks; a
	// float64 whose masked bits equal half32 lies halfway between two
	// float32 values.
	below32 = 1<<29 - 1
	half32  = 1 << 28
	// normal32 is 2⁻¹²⁶, the smallest normal float32, as float64 bits
	// shifted left by one (dropping the sign).
	normal32 = 0x381 << 53
)

// add32 returns p + c rounded once to float32 (as a float64), for float64
// p and c; p is typically a product of two float32 values, which float64
// holds exactly. The sum is rounded to float64 and then to float32, which
// gives the correctly rounded result unless the float64 sum lands exactly
// on a float32 rounding boundary: a midpoint, or, below the normal range
// (where float32 is coarser), possibly a point with fewer bits. add32
// sends those sums to add32Exact.
func add32(p, c float64) float64 {
	s := p + c
	if onBoundary32(s) {
		return add32Exact(p, c, s)
	}
	return float64(float32(s))
}

// add32Exact rounds p + c to float32 given s, their float64 sum: when s is
// inexact it rounds to odd (makes the last bit of s odd, moving toward the
// exact sum), after which rounding to float32 is correct. It is kept out
// of line, off the common path.
//
//go:noinline
func add32Exact(p, c, s float64) float64 {
	// TwoSum: err is the exact error of s.
	bb := s - p
	err := (p - (s - bb)) + (c - bb)
	if err == 0 || err != err {
		return float64(float32(s))
	}
	b := math.Float64bits(s)
	if b&1 == 0 {
		if (err > 0) == (s > 0) {
			b++
		} else {
			b--
		}
	}
	return float64(float32(math.Float64frombits(b)))
}

// onBoundary32 reports whether the float64 sum s may lie on a float32
// rounding boundary (see add32): then rounding it to float32 needs the
// sum's exact error. Zero never does.
func onBoundary32(s float64) bool {
	b := math.Float64bits(s)
	return b&below32 == half32 || b<<1-1 < normal32-1
}

// A gemmB is the right-hand matrix B of y = alpha·A·Bᵀ + bias, [N, K] row
// major, packed at load time for the chained path: columns in groups of
// four, interleaved along k, widened to float64 (the chained products are
// formed in float64, where a float32 product is exact), the last group
// padded with zeros.
type gemmB struct {
	n, k   int
	rows   []float32 // B as given, [n, k]
	packed []float64 // [ceil(n/4), k, 4]
	// strideK is MLAS's K block for this N.
	strideK int
}

func newGemmB(b []float32, n, k int) *gemmB {
	g := &gemmB{n: n, k: k, rows: b}
	groups := (n + 3) / 4
	g.packed = make([]float64, groups*k*4)
	for j := range n {
		grp, t := j/4, j%4
		for kk := range k {
			g.packed[(grp*k+kk)*4+t] = float64(b[j*k+kk])
		}
	}
	// MLAS (sgemm.cpp) widens its K stride when N is small.
	strideN, strideK := 128, 128
	if n >= k {
		for strideK/2 >= k && strideK > 1 {
			strideN *= 2
			strideK /= 2
		}
	} else {
		for strideN > 16 && strideN/2 >= n {
			strideK *= 2
			strideN /= 2
		}
	}
	g.strideK = max(strideK, 1)
	return g
}

// A gemmBias is the C term: none, one value for all outputs, or one per
// output column.
type gemmBias struct {
	values []float32 // nil: none; len 1: scalar; len n: per column
}

func (c gemmBias) at(j int) float32 {
	if len(c.values) == 1 {
		return c.values[0]
	}
	return c.values[j]
}

// gemm computes y[m, j] = alpha·Σ_k a[m, k]·b[j, k] + bias[j] for m < M,
// in onnxruntime's order. a is [M, K] row major, y is [M, N].
func (b *gemmB) gemm(y, a []float32, m int, alpha float32, bias gemmBias) {
	n, k := b.n, b.k
	if m == 0 || n == 0 {
		return
	}
	if m == 1 && alpha == 1 {
		b.gemmRow(y[:n], a[:k], bias)
		return
	}
	r := 0
	for ; r+2 <= m; r += 2 {
		b.chain2(y[r*n:(r+2)*n], a[r*k:(r+2)*k], alpha, bias)
	}
	if r < m {
		b.chain1(y[r*n:(r+1)*n], a[r*k:(r+1)*k], alpha, bias)
	}
}

// start gives an output group's initial values: the bias, or zeros.
func (b *gemmB) start(grp int, bias gemmBias) (out [4]float32) {
	if bias.values == nil {
		return out
	}
	for t := range out {
		if j := grp*4 + t; j < b.n {
			out[t] = bias.at(j)
		}
	}
	return out
}

// fold folds a K block's accumulators into out: acc·alpha for the first
// block without a bias, fma(acc, alpha, out) after.
func fold(out *[4]float32, acc *[4]float64, alpha float32, first bool) {
	for t := range out {
		if first {
			out[t] = float32(acc[t]) * alpha
		} else {
			out[t] = fma32(float32(acc[t]), alpha, out[t])
		}
	}
}

// chain1 is the chained path for one row x, writing y (len n).
func (b *gemmB) chain1(y, x []float32, alpha float32, bias gemmBias) {
	n, k := b.n, b.k
	for grp := 0; grp*4 < n; grp++ {
		w := b.packed[grp*k*4 : (grp+1)*k*4]
		out := b.start(grp, bias)
		first := bias.values == nil
		for k0 := 0; k0 == 0 || k0 < k; k0 += b.strideK {
			k1 := min(k0+b.strideK, k)
			var acc [4]float64
			ww := w[k0*4 : k1*4]
			for i, v := range x[k0:k1] {
				p := ww[i*4 : i*4+4 : i*4+4]
				xv := float64(v)
				// Each step rounds to float32 as a float32 FMA does; the
				// product is exact in float64.
				acc[0] = float64(float32(xv*p[0] + acc[0]))
				acc[1] = float64(float32(xv*p[1] + acc[1]))
				acc[2] = float64(float32(xv*p[2] + acc[2]))
				acc[3] = float64(float32(xv*p[3] + acc[3]))
			}
			fold(&out, &acc, alpha, first)
			first = false
		}
		copy(y[grp*4:], out[:min(4, n-grp*4)])
	}
}

// chain2 is the chained path for two rows at once (eight independent
// chains), writing y (len 2n) from x (len 2k).
func (b *gemmB) chain2(y, x []float32, alpha float32, bias gemmBias) {
	n, k := b.n, b.k
	x0, x1 := x[:k], x[k:2*k]
	for grp := 0; grp*4 < n; grp++ {
		w := b.packed[grp*k*4 : (grp+1)*k*4]
		out0 := b.start(grp, bias)
		out1 := out0
		first := bias.values == nil
		for k0 := 0; k0 == 0 || k0 < k; k0 += b.strideK {
			k1 := min(k0+b.strideK, k)
			var acc0, acc1 [4]float64
			ww := w[k0*4 : k1*4]
			r1 := x1[k0:k1]
			for i, v := range x0[k0:k1] {
				p := ww[i*4 : i*4+4 : i*4+4]
				u, v1 := float64(v), float64(r1[i])
				acc0[0] = float64(float32(u*p[0] + acc0[0]))
				acc0[1] = float64(float32(u*p[1] + acc0[1]))
				acc0[2] = float64(float32(u*p[2] + acc0[2]))
				acc0[3] = float64(float32(u*p[3] + acc0[3]))
				acc1[0] = float64(float32(v1*p[0] + acc1[0]))
				acc1[1] = float64(float32(v1*p[1] + acc1[1]))
				acc1[2] = float64(float32(v1*p[2] + acc1[2]))
				acc1[3] = float64(float32(v1*p[3] + acc1[3]))
			}
			fold(&out0, &acc0, alpha, first)
			fold(&out1, &acc1, alpha, first)
			first = false
		}
		cnt := min(4, n-grp*4)
		copy(y[grp*4:grp*4+cnt], out0[:cnt])
		copy(y[n+grp*4:n+grp*4+cnt], out1[:cnt])
	}
}

// gemmRow is MLAS's M1 kernel with B transposed (alpha = 1).
func (b *gemmB) gemmRow(y, x []float32, bias gemmBias) {
	n, k := b.n, b.k
	for j := 0; j < n; {
		block := 1
		switch left := n - j; {
		case left >= 4:
			block = 4
		case left&2 != 0:
			block = 2
		}
		for t := range block {
			lanes := dot8(x, b.rows[(j+t)*k:(j+t+1)*k])
			var s float32
			switch block {
			case 4:
				s = float32(float32(float32(lanes[0]+lanes[1])+lanes[2])+lanes[3]) +
					float32(float32(float32(lanes[4]+lanes[5])+lanes[6])+lanes[7])
			case 2:
				s = float32(float32(lanes[0]+lanes[2])+float32(lanes[4]+lanes[6])) +
					float32(float32(lanes[1]+lanes[3])+float32(lanes[5]+lanes[7]))
			default:
				s = float32(float32(lanes[0]+lanes[1])+float32(lanes[2]+lanes[3])) +
					float32(float32(lanes[4]+lanes[5])+float32(lanes[6]+lanes[7]))
			}
			if bias.values != nil {
				s += bias.at(j + t)
			}
			y[j+t] = s
		}
		j += block
	}
}

// dot8 sums x[i]·w[i] into eight lanes by i mod 8, multiplying and adding
// in separately rounded float32 steps.
func dot8(x, w []float32) [8]float32 {
	var l [8]float32
	w = w[:len(x)]
	i := 0
	for ; i+8 <= len(x); i += 8 {
		xs, ws := x[i:i+8:i+8], w[i:i+8:i+8]
		l[0] += float32(xs[0] * ws[0])
		l[1] += float32(xs[1] * ws[1])
		l[2] += float32(xs[2] * ws[2])
		l[3] += float32(xs[3] * ws[3])
		l[4] += float32(xs[4] * ws[4])
		l[5] += float32(xs[5] * ws[5])
		l[6] += float32(xs[6] * ws[6])
		l[7] += float32(xs[7] * ws[7])
	}
	for t := 0; i < len(x); i, t = i+1, t+1 {
		l[t] += float32(x[i] * w[i])
	}
	return l
}
