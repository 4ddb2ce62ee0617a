package onnx

import (
	"context"
	"math"
)

// This file reproduces the order in which onnxruntime's GEMM (MLAS's
// MlasGemm, single threaded, on x86-64 with AVX-512F or FMA3) sums the
// products of y = alpha·op(A)·op(B) + beta·C, so that MatMul, Gemm and the
// ai.onnx.ml kernels built on it (LinearClassifier, LinearRegressor, SVM)
// match onnxruntime bit for bit rather than within rounding. C is
// broadcast into y first (unscaled), then, in float32:
//
//   - B packed (onnxruntime prepacks the B of MatMul and Gemm when it is a
//     2-D constant initializer): each output is a chain of fused
//     multiply-adds over k, restarted every 256 products; each block's
//     sum is folded into y as fma(sum, alpha, y), or, for the first block
//     when beta = 0, as sum·alpha. When beta is neither 0 nor 1, y is
//     multiplied by beta before.
//   - B not packed: the same chains, with a K block that depends on N, K
//     and transA (sgemmStrideK), except that with alpha = 1 and beta 0 or
//     1, one row (M = 1, A not transposed) takes MLAS's M = 1 AVX kernels,
//     which multiply and add in separately rounded steps (m1, m1T), and so
//     does one column (N = 1, B a contiguous vector) with the operands
//     swapped.
//
// Double precision (MLAS's DGEMM) chains fused multiply-adds the same way
// with its own K blocks, and has neither packing nor M = 1 kernels.
//
// This is MLAS run on one thread, as the reference outputs were made
// (intraOpNumThreads 1). On more threads MLAS splits M or N between them,
// and each part chooses its path and K block from its own M and N.
//
// A float32 fused multiply-add is computed in float64, where the product
// of two float32 values is exact, and rounded to float32; add32 and the
// kernels below guard against the double rounding that rarely makes this
// differ from rounding once. (Were Go to fuse those float64 multiplies and
// adds, nothing would change: the product is exact.)

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

// A gemmB is the right-hand operand of a GEMM, op(B) being [k, n]: B
// itself ([k, n] row major), or with transB its transpose ([n, k]).
// prepareGemmB prepares a constant B at load time; a B known only when the
// kernel runs is described in place (a gemmB value without wide), and the
// product is then computed from it directly.
type gemmB struct {
	n, k   int
	transB bool
	// packed records that onnxruntime prepacks B (see the file comment).
	packed bool
	data   []float32 // B as given
	// wide is op(B) for the chained kernels: columns in groups of four,
	// interleaved along k (ceil(n/4)·k quadruples), widened to float64,
	// the last group padded with zeros. nil for a B described in place.
	wide [][4]float64
	// tiny records that B holds a tiny value (see tiny32).
	tiny bool
}

// newGemmB prepares a constant B given transposed, [n, k], as the
// ai.onnx.ml kernels pass their coefficients (onnxruntime does not pack
// them).
func newGemmB(b []float32, n, k int) *gemmB {
	return prepareGemmB(b, n, k, true, false)
}

// prepareGemmB prepares a constant B ([k, n], or [n, k] with transB).
func prepareGemmB(b []float32, n, k int, transB, packed bool) *gemmB {
	g := &gemmB{n: n, k: k, transB: transB, packed: packed, data: b, tiny: hasTiny(b)}
	g.wide = make([][4]float64, (n+3)/4*k)
	for j := range n {
		grp, t := j/4, j%4
		for kk := range k {
			g.wide[grp*k+kk][t] = float64(g.at(kk, j))
		}
	}
	return g
}

// at returns op(B)[kk, j].
func (b *gemmB) at(kk, j int) float32 {
	if b.transB {
		return b.data[j*b.k+kk]
	}
	return b.data[kk*b.n+j]
}

// A gemmBias is the C term of the ai.onnx.ml kernels: none, one value for
// all outputs, or one per output column.
type gemmBias struct {
	values []float32 // nil: none; len 1: scalar; len n: per column
}

// gemm computes y[m, n] = alpha·a·op(B) + bias for the ai.onnx.ml
// kernels, a being [m, k] row major, as onnxruntime's Gemm does: the bias
// is broadcast into y, and taken with beta = 1 when present.
func (b *gemmB) gemm(y, a []float32, m int, alpha float32, bias gemmBias) {
	n := b.n
	var beta float32
	if c := bias.values; c != nil {
		beta = 1
		for r := range m {
			row := y[r*n : (r+1)*n]
			if len(c) == 1 {
				for j := range row {
					row[j] = c[0]
				}
			} else {
				copy(row, c[:n])
			}
		}
	}
	b.sgemm(y, a, m, false, alpha, beta)
}

// sgemm sets y[m, n] to alpha·op(A)·op(B) + beta·y in MLAS's order, op(A)
// being a ([m, k] row major) or, with transA, its transpose (a is
// [k, m]). y holds C, broadcast, when beta is not 0. With k = 0 it leaves
// y as it is (zeros when beta is 0), as onnxruntime's MatMul and Gemm do.
func (b *gemmB) sgemm(y, a []float32, m int, transA bool, alpha, beta float32) {
	n, k := b.n, b.k
	if m == 0 || n == 0 {
		return
	}
	y = y[:m*n]
	if k == 0 {
		if beta == 0 {
			clear(y)
		}
		return
	}
	if !b.packed && alpha == 1 && (beta == 0 || beta == 1) {
		add := beta == 1
		switch {
		case m == 1 && !transA:
			if b.transB {
				m1T(y, a[:k], b.data, n, k, add)
			} else {
				m1(y, a[:k], b.data, n, add)
			}
			return
		case n == 1 && (!b.transB || k == 1):
			// B is a contiguous column: MLAS swaps the operands.
			if transA {
				m1(y, b.data[:k], a, m, add)
			} else {
				m1T(y, b.data[:k], a, m, k, add)
			}
			return
		}
	}
	if beta != 0 && beta != 1 {
		for i := range y {
			y[i] *= beta
		}
	}
	strideK := sgemmPackedStrideK
	if !b.packed {
		strideK = sgemmStrideK(n, k, transA)
	}
	add := beta != 0
	if b.wide != nil && !transA {
		r := 0
		for ; r+2 <= m; r += 2 {
			b.chain2(y[r*n:(r+2)*n], a[r*k:(r+2)*k], strideK, alpha, add)
		}
		if r < m {
			b.chain1(y[r*n:(r+1)*n], a[r*k:(r+1)*k], strideK, alpha, add)
		}
		return
	}
	// A transposed or B given at run time: one chain per output, reading
	// the operands in place.
	aStep, bStep := 1, n
	if transA {
		aStep = m
	}
	if b.transB {
		bStep = 1
	}
	for i := range m {
		aOff := i * k
		if transA {
			aOff = i
		}
		for j := range n {
			bOff := j
			if b.transB {
				bOff = j * k
			}
			y[i*n+j] = chain32(a[aOff:], aStep, b.data[bOff:], bStep, k, strideK, alpha, y[i*n+j], add)
		}
	}
}

// sgemmPackedStrideK is MLAS's K block for a packed B.
const sgemmPackedStrideK = 256

// sgemmStrideK is MLAS's K block for an unpacked B (see kBlock).
func sgemmStrideK(n, k int, transA bool) int {
	return kBlock(128, 128, n, k, transA)
}

// dgemmStrideK is MLAS's K block for DGEMM (see kBlock).
func dgemmStrideK(n, k int, transA bool) int {
	return kBlock(64, 128, n, k, transA)
}

// kBlock is how MLAS sizes its panels of B, from default strides along N
// and K: when N ≥ K it halves the K stride while half still holds K
// (doubling the N stride), so K up to the default takes one block; when
// N < K and A is not transposed it doubles the K stride while half the N
// stride, down to 16, still holds N. It returns the K stride.
func kBlock(strideN, strideK, n, k int, transA bool) int {
	if n >= k {
		for strideK/2 >= k {
			strideK /= 2
		}
	} else if !transA {
		for strideN > 16 && strideN/2 >= n {
			strideK *= 2
			strideN /= 2
		}
	}
	return strideK
}

// chain32 returns one output of the chained order: the products
// a[i·aStep]·b[i·bStep] for i < k, fused-multiply-added in K blocks, each
// folded into y (see fold1).
func chain32(a []float32, aStep int, b []float32, bStep, k, strideK int, alpha, y float32, add bool) float32 {
	for k0 := 0; k0 < k; k0 += strideK {
		var acc float64
		for i := k0; i < min(k0+strideK, k); i++ {
			acc = add32(float64(a[i*aStep])*float64(b[i*bStep]), acc)
		}
		y = fold1(y, float32(acc), alpha, add)
		add = true
	}
	return y
}

// fold1 folds a K block's sum into an output: sum·alpha when the output
// holds nothing yet (zero mode), else fma(sum, alpha, y).
func fold1(y, sum, alpha float32, add bool) float32 {
	if !add {
		return sum * alpha
	}
	if alpha == 1 {
		return sum + y
	}
	return fma32(sum, alpha, y)
}

// onBoundary32 reports whether the float64 sum s may lie on a float32
// rounding boundary (see add32): then rounding it to float32 needs the
// sum's exact error. Zero never does.
func onBoundary32(s float64) bool {
	b := math.Float64bits(s)
	return b&below32 == half32 || b<<1-1 < normal32-1
}

// tiny32 bounds the operands for which the chained kernels below need not
// look for sums below float32's normal range. Every float32 x with
// |x| ≥ 2⁻⁶⁵ is a multiple of 2⁻⁸⁸, so when all nonzero operands are that
// large, every product is a multiple of 2⁻¹⁷⁶, and so is every chained sum;
// one below 2⁻¹²⁶ then has fewer than 53 significant bits: float64 holds it
// exactly, and it is rounded to float32 only once.
const tiny32 = 0x1p-65

// hasTiny reports whether some nonzero value in v is smaller than tiny32
// in magnitude.
func hasTiny(v []float32) bool {
	for _, x := range v {
		if a := math.Abs(float64(x)); a < tiny32 && a != 0 {
			return true
		}
	}
	return false
}

// onMidpoint32 reports whether the float64 sum s lies halfway between two
// float32 values: the boundary onBoundary32 tests, when no operand is
// tiny (see tiny32).
func onMidpoint32(s float64) bool {
	return math.Float64bits(s)&below32 == half32
}

// lanes8 runs eight chains of the chained order over one K block: row xa
// against the column group u and row xb against v (four chains each; u
// and v hold four interleaved columns, as gemmB.wide). No operand may be
// tiny (see tiny32). It reports false, leaving the work to lanesExact,
// when a sum lies halfway between two float32 values: the loop makes no
// calls, so its chains stay in registers.
func lanes8(xa, xb []float32, u, v [][4]float64) (a0, a1, a2, a3, c0, c1, c2, c3 float64, ok bool) {
	xb, u, v = xb[:len(xa)], u[:len(xa)], v[:len(xa)]
	for i, x := range xa {
		p, q := &u[i], &v[i]
		va, vb := float64(x), float64(xb[i])
		s0, s1, s2, s3 := va*p[0]+a0, va*p[1]+a1, va*p[2]+a2, va*p[3]+a3
		t0, t1, t2, t3 := vb*q[0]+c0, vb*q[1]+c1, vb*q[2]+c2, vb*q[3]+c3
		if onMidpoint32(s0) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(s1) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(s2) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(s3) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(t0) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(t1) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(t2) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		if onMidpoint32(t3) {
			return 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		a0, a1, a2, a3 = float64(float32(s0)), float64(float32(s1)), float64(float32(s2)), float64(float32(s3))
		c0, c1, c2, c3 = float64(float32(t0)), float64(float32(t1)), float64(float32(t2)), float64(float32(t3))
	}
	return a0, a1, a2, a3, c0, c1, c2, c3, true
}

// lanes4 is lanes8 for one row and one column group.
func lanes4(x []float32, u [][4]float64) (a0, a1, a2, a3 float64, ok bool) {
	u = u[:len(x)]
	for i, xv := range x {
		p := &u[i]
		v := float64(xv)
		s0, s1, s2, s3 := v*p[0]+a0, v*p[1]+a1, v*p[2]+a2, v*p[3]+a3
		if onMidpoint32(s0) {
			return 0, 0, 0, 0, false
		}
		if onMidpoint32(s1) {
			return 0, 0, 0, 0, false
		}
		if onMidpoint32(s2) {
			return 0, 0, 0, 0, false
		}
		if onMidpoint32(s3) {
			return 0, 0, 0, 0, false
		}
		a0, a1, a2, a3 = float64(float32(s0)), float64(float32(s1)), float64(float32(s2)), float64(float32(s3))
	}
	return a0, a1, a2, a3, true
}

// lanesExact is lanes4 for any operands, rounding every step with add32.
func lanesExact(x []float32, u [][4]float64) (a0, a1, a2, a3 float64) {
	u = u[:len(x)]
	for i, xv := range x {
		p := &u[i]
		v := float64(xv)
		a0 = add32(v*p[0], a0)
		a1 = add32(v*p[1], a1)
		a2 = add32(v*p[2], a2)
		a3 = add32(v*p[3], a3)
	}
	return a0, a1, a2, a3
}

// sums8 returns the eight chained sums of lanes8, exactly in every case:
// through lanesExact when exact is set (an operand is tiny) or lanes8
// gives up.
func sums8(xa, xb []float32, u, v [][4]float64, exact bool) (a0, a1, a2, a3, c0, c1, c2, c3 float64) {
	if !exact {
		a0, a1, a2, a3, c0, c1, c2, c3, ok := lanes8(xa, xb, u, v)
		if ok {
			return a0, a1, a2, a3, c0, c1, c2, c3
		}
	}
	a0, a1, a2, a3 = lanesExact(xa, u)
	c0, c1, c2, c3 = lanesExact(xb, v)
	return a0, a1, a2, a3, c0, c1, c2, c3
}

// sums4 is sums8 for one row and one column group.
func sums4(x []float32, u [][4]float64, exact bool) (a0, a1, a2, a3 float64) {
	if !exact {
		a0, a1, a2, a3, ok := lanes4(x, u)
		if ok {
			return a0, a1, a2, a3
		}
	}
	return lanesExact(x, u)
}

// chain1 is the chained order for one row x of A, writing y (len n). It
// runs two groups of four columns at a time: eight independent chains.
func (b *gemmB) chain1(y, x []float32, strideK int, alpha float32, add bool) {
	n, k := b.n, b.k
	exact := b.tiny || hasTiny(x)
	groups := (n + 3) / 4
	grp := 0
	for ; grp+2 <= groups; grp += 2 {
		w0 := b.wide[grp*k : (grp+1)*k]
		w1 := b.wide[(grp+1)*k : (grp+2)*k]
		out0, out1 := b.load(y, grp), b.load(y, grp+1)
		blockAdd := add
		for k0 := 0; k0 < k; k0 += strideK {
			k1 := min(k0+strideK, k)
			xs := x[k0:k1]
			a0, a1, a2, a3, c0, c1, c2, c3 := sums8(xs, xs, w0[k0:k1], w1[k0:k1], exact)
			fold(&out0, a0, a1, a2, a3, alpha, blockAdd)
			fold(&out1, c0, c1, c2, c3, alpha, blockAdd)
			blockAdd = true
		}
		b.store(y, grp, &out0)
		b.store(y, grp+1, &out1)
	}
	if grp < groups {
		w := b.wide[grp*k : (grp+1)*k]
		out := b.load(y, grp)
		blockAdd := add
		for k0 := 0; k0 < k; k0 += strideK {
			k1 := min(k0+strideK, k)
			a0, a1, a2, a3 := sums4(x[k0:k1], w[k0:k1], exact)
			fold(&out, a0, a1, a2, a3, alpha, blockAdd)
			blockAdd = true
		}
		b.store(y, grp, &out)
	}
}

// chain2 is the chained order for two rows x (len 2k) at once, eight
// independent chains, writing y (len 2n).
func (b *gemmB) chain2(y, x []float32, strideK int, alpha float32, add bool) {
	n, k := b.n, b.k
	x0, x1 := x[:k], x[k:2*k]
	y0, y1 := y[:n], y[n:2*n]
	exact := b.tiny || hasTiny(x)
	for grp := 0; grp*4 < n; grp++ {
		w := b.wide[grp*k : (grp+1)*k]
		out0, out1 := b.load(y0, grp), b.load(y1, grp)
		blockAdd := add
		for k0 := 0; k0 < k; k0 += strideK {
			k1 := min(k0+strideK, k)
			u := w[k0:k1]
			a0, a1, a2, a3, c0, c1, c2, c3 := sums8(x0[k0:k1], x1[k0:k1], u, u, exact)
			fold(&out0, a0, a1, a2, a3, alpha, blockAdd)
			fold(&out1, c0, c1, c2, c3, alpha, blockAdd)
			blockAdd = true
		}
		b.store(y0, grp, &out0)
		b.store(y1, grp, &out1)
	}
}

// load returns the outputs of column group grp in row y (zeros past n).
func (b *gemmB) load(y []float32, grp int) (out [4]float32) {
	copy(out[:], y[grp*4:min(grp*4+4, b.n)])
	return out
}

// store writes the outputs of column group grp to row y.
func (b *gemmB) store(y []float32, grp int, out *[4]float32) {
	copy(y[grp*4:min(grp*4+4, b.n)], out[:])
}

// fold folds a K block's four sums into out (see fold1).
func fold(out *[4]float32, s0, s1, s2, s3 float64, alpha float32, add bool) {
	out[0] = fold1(out[0], float32(s0), alpha, add)
	out[1] = fold1(out[1], float32(s1), alpha, add)
	out[2] = fold1(out[2], float32(s2), alpha, add)
	out[3] = fold1(out[3], float32(s3), alpha, add)
}

// m1 is MLAS's M = 1 kernel for B not transposed: y[j] (+)= Σ_k
// x[k]·b[k·n + j] for j < n, taking k four at a time, the four rounded
// products added in order and their sum added to y[j]; then two, then
// one for the k left over. Without add, y starts at zero.
func m1(y, x, b []float32, n int, add bool) {
	y = y[:n]
	if !add {
		clear(y)
	}
	k := len(x)
	kk := 0
	for ; kk+4 <= k; kk += 4 {
		x0, x1, x2, x3 := x[kk], x[kk+1], x[kk+2], x[kk+3]
		b0, b1 := b[kk*n:(kk+1)*n], b[(kk+1)*n:(kk+2)*n]
		b2, b3 := b[(kk+2)*n:(kk+3)*n], b[(kk+3)*n:(kk+4)*n]
		for j := range y {
			t := float32(x0*b0[j]) + float32(x1*b1[j])
			t += float32(x2 * b2[j])
			t += float32(x3 * b3[j])
			y[j] += t
		}
	}
	if k-kk >= 2 {
		x0, x1 := x[kk], x[kk+1]
		b0, b1 := b[kk*n:(kk+1)*n], b[(kk+1)*n:(kk+2)*n]
		for j := range y {
			y[j] += float32(x0*b0[j]) + float32(x1*b1[j])
		}
		kk += 2
	}
	if kk < k {
		x0, b0 := x[kk], b[kk*n:(kk+1)*n]
		for j := range y {
			y[j] += float32(x0 * b0[j])
		}
	}
}

// m1T is MLAS's M = 1 kernel for B transposed: y[j] (+)= Σ_k
// x[k]·rows[j·k + k], summed in eight lanes (dot8) reduced in an order
// that depends on whether column j falls in a block of 4, 2 or 1 columns;
// y[j] is added last. Without add, y is overwritten.
func m1T(y, x, rows []float32, n, k int, add bool) {
	for j := 0; j < n; {
		block := 1
		switch left := n - j; {
		case left >= 4:
			block = 4
		case left&2 != 0:
			block = 2
		}
		for t := range block {
			l := dot8(x, rows[(j+t)*k:(j+t+1)*k])
			var s float32
			switch block {
			case 4:
				s = float32(float32(float32(l[0]+l[1])+l[2])+l[3]) +
					float32(float32(float32(l[4]+l[5])+l[6])+l[7])
			case 2:
				s = float32(float32(l[0]+l[2])+float32(l[4]+l[6])) +
					float32(float32(l[1]+l[3])+float32(l[5]+l[7]))
			default:
				s = float32(float32(l[0]+l[1])+float32(l[2]+l[3])) +
					float32(float32(l[4]+l[5])+float32(l[6]+l[7]))
			}
			if add {
				s += y[j+t]
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

// dgemm sets y[m, n] to alpha·op(A)·op(B) + beta·y in the order of MLAS's
// DGEMM: chains of fused multiply-adds in K blocks (dgemmStrideK), folded
// into y as in sgemm. a is [m, k] ([k, m] with transA), b is [k, n]
// ([n, k] with transB); y holds C, broadcast, when beta is not 0.
func dgemm(y, a, b []float64, m, n, k int, transA, transB bool, alpha, beta float64) {
	if m == 0 || n == 0 {
		return
	}
	y = y[:m*n]
	if k == 0 {
		if beta == 0 {
			clear(y)
		}
		return
	}
	if beta != 0 && beta != 1 {
		for i := range y {
			y[i] *= beta
		}
	}
	strideK := dgemmStrideK(n, k, transA)
	aStep, bStep := 1, n
	if transA {
		aStep = m
	}
	if transB {
		bStep = 1
	}
	// bAt is where column j of op(B) starts in b.
	bAt := func(j int) int {
		if transB {
			return j * k
		}
		return j
	}
	add := beta != 0
	row := func(i int) []float64 {
		if transA {
			return a[i:]
		}
		return a[i*k:]
	}
	i := 0
	// Two rows at a time by four columns: eight independent chains.
	for ; i+2 <= m; i += 2 {
		a0, a1 := row(i), row(i+1)
		y0, y1 := y[i*n:(i+1)*n], y[(i+1)*n:(i+2)*n]
		j := 0
		for ; j+4 <= n; j += 4 {
			b0, b1, b2, b3 := b[bAt(j):], b[bAt(j+1):], b[bAt(j+2):], b[bAt(j+3):]
			blockAdd := add
			for k0 := 0; k0 < k; k0 += strideK {
				var s0, s1, s2, s3, t0, t1, t2, t3 float64
				for kk := k0; kk < min(k0+strideK, k); kk++ {
					u, v, o := a0[kk*aStep], a1[kk*aStep], kk*bStep
					w0, w1, w2, w3 := b0[o], b1[o], b2[o], b3[o]
					s0, t0 = math.FMA(u, w0, s0), math.FMA(v, w0, t0)
					s1, t1 = math.FMA(u, w1, s1), math.FMA(v, w1, t1)
					s2, t2 = math.FMA(u, w2, s2), math.FMA(v, w2, t2)
					s3, t3 = math.FMA(u, w3, s3), math.FMA(v, w3, t3)
				}
				y0[j], y1[j] = fold64(y0[j], s0, alpha, blockAdd), fold64(y1[j], t0, alpha, blockAdd)
				y0[j+1], y1[j+1] = fold64(y0[j+1], s1, alpha, blockAdd), fold64(y1[j+1], t1, alpha, blockAdd)
				y0[j+2], y1[j+2] = fold64(y0[j+2], s2, alpha, blockAdd), fold64(y1[j+2], t2, alpha, blockAdd)
				y0[j+3], y1[j+3] = fold64(y0[j+3], s3, alpha, blockAdd), fold64(y1[j+3], t3, alpha, blockAdd)
				blockAdd = true
			}
		}
		for ; j < n; j++ {
			y0[j] = chain64(a0, aStep, b[bAt(j):], bStep, k, strideK, alpha, y0[j], add)
			y1[j] = chain64(a1, aStep, b[bAt(j):], bStep, k, strideK, alpha, y1[j], add)
		}
	}
	if i < m {
		// The last row: four columns at a time.
		ai, yi := row(i), y[i*n:(i+1)*n]
		j := 0
		for ; j+4 <= n; j += 4 {
			b0, b1, b2, b3 := b[bAt(j):], b[bAt(j+1):], b[bAt(j+2):], b[bAt(j+3):]
			blockAdd := add
			for k0 := 0; k0 < k; k0 += strideK {
				var s0, s1, s2, s3 float64
				for kk := k0; kk < min(k0+strideK, k); kk++ {
					u, o := ai[kk*aStep], kk*bStep
					s0 = math.FMA(u, b0[o], s0)
					s1 = math.FMA(u, b1[o], s1)
					s2 = math.FMA(u, b2[o], s2)
					s3 = math.FMA(u, b3[o], s3)
				}
				yi[j] = fold64(yi[j], s0, alpha, blockAdd)
				yi[j+1] = fold64(yi[j+1], s1, alpha, blockAdd)
				yi[j+2] = fold64(yi[j+2], s2, alpha, blockAdd)
				yi[j+3] = fold64(yi[j+3], s3, alpha, blockAdd)
				blockAdd = true
			}
		}
		for ; j < n; j++ {
			yi[j] = chain64(ai, aStep, b[bAt(j):], bStep, k, strideK, alpha, yi[j], add)
		}
	}
}

// chain64 is chain32 for DGEMM.
func chain64(a []float64, aStep int, b []float64, bStep, k, strideK int, alpha, y float64, add bool) float64 {
	for k0 := 0; k0 < k; k0 += strideK {
		var sum float64
		for kk := k0; kk < min(k0+strideK, k); kk++ {
			sum = math.FMA(a[kk*aStep], b[kk*bStep], sum)
		}
		y = fold64(y, sum, alpha, add)
		add = true
	}
	return y
}

// fold64 is fold1 for DGEMM.
func fold64(y, sum, alpha float64, add bool) float64 {
	if add {
		return math.FMA(sum, alpha, y)
	}
	return sum * alpha
}

// chunkWork is about how many multiply-adds a matrix product does between
// looks at its context.
const chunkWork = 1 << 22

// inRowChunks calls f on consecutive ranges [lo, hi) of m output rows, of
// about chunkWork/rowWork rows each, and returns ctx's error, without
// calling f again, once ctx is done.
func inRowChunks(ctx context.Context, m, rowWork int, f func(lo, hi int)) error {
	return rowChunks(ctx, m, chunkWork/max(rowWork, 1), f)
}

// rowChunks is inRowChunks with ranges of about step rows. The kernels
// pair rows, and with one output column sum rows in blocks of four, two
// and one: so ranges start at multiples of four, and a range never holds
// a single row out of several (a one-row product takes another kernel),
// which makes the results those of one call over all m rows.
func rowChunks(ctx context.Context, m, step int, f func(lo, hi int)) error {
	step = max(4, (step+3)&^3)
	for lo := 0; lo < m; {
		hi := min(lo+step, m)
		if m-hi == 1 {
			hi = m
		}
		f(lo, hi)
		if lo = hi; lo < m {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}
