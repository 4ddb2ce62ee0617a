package onnx

import "math"

// expf is float32 exp as glibc (2.28 and later; onnxruntime calls it
// through std::exp(float)) computes it on x86-64 with FMA: x·32/ln2 split
// into an integer k and a remainder r in [-1/2, 1/2], 2^(k/32) from a
// table, and 2^(r/32) from a cubic, all in float64, rounded to float32
// once. It reproduces onnxruntime's exp values bit for bit where
// float32(math.Exp(x)) differs in about one value in a thousand.
func expf(x float32) float32 {
	xd := float64(x)
	if a := math.Abs(xd); !(a < 88) {
		switch {
		case x != x:
			return x
		case xd > 0x1.62e42ep6:
			return float32(math.Inf(1))
		case xd < -0x1.9fe368p6:
			return 0
		}
	}
	const (
		n        = 32
		invLn2N  = 0x1.71547652b82fep0 * n
		shift    = 0x1.8p52
		c0       = 0x1.c6af84b912394p-5 / n / n / n
		c1       = 0x1.ebfce50fac4f3p-3 / n / n
		c2       = 0x1.62e42ff0c52d6p-1 / n
		tableLog = 5
	)
	z := invLn2N * xd
	kd := z + shift
	ki := math.Float64bits(kd)
	kd -= shift
	r := z - kd
	s := math.Float64frombits(expfTable[ki%n] + ki<<(52-tableLog))
	p := math.FMA(c0, r, c1)
	y := math.FMA(c2, r, 1)
	y = math.FMA(p, r*r, y)
	return float32(y * s)
}

// expfTable holds, for i < 32, the bits of 2^(i/32) correctly rounded to
// float64, less i<<47 (expf adds k<<47 back for the whole power of two).
var expfTable = [32]uint64{
	0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
	0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
	0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
	0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
	0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
	0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
	0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
	0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
}
