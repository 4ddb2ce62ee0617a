package onnx

import "math"

// The float32 functions of this file compute as onnxruntime does on
// x86-64, bit for bit: glibc's expf, and MLAS's logistic and tanh.

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

// The constants of MLAS's logistic approximation (those of Eigen): a
// rational function of x on [-18, 18].
const (
	logisticLower  float32 = -18
	logisticUpper  float32 = 18
	logisticAlpha9 float32 = 4.37031012579801e-11
	logisticAlpha7 float32 = 1.15627324459942e-07
	logisticAlpha5 float32 = 6.08574864600143e-05
	logisticAlpha3 float32 = 8.51377133304701e-03
	logisticAlpha1 float32 = 2.48287947061529e-01
	logisticBeta10 float32 = 6.10247389755681e-13
	logisticBeta8  float32 = 5.76102136993427e-09
	logisticBeta6  float32 = 6.29106785017040e-06
	logisticBeta4  float32 = 1.70198817374094e-03
	logisticBeta2  float32 = 1.16817656904453e-01
	logisticBeta0  float32 = 9.93151921023180e-01
)

// mlasLogistic is MLAS's logistic kernel for x86-64 with FMA: the input
// clamped to [-18, 18] (NaN passes), p(x)/q(x) + 0.5 evaluated with fused
// multiply-adds, and the result clamped below at 0.
func mlasLogistic(x float32) float32 {
	// x86 max/min return the second operand when either is NaN.
	if logisticLower > x {
		x = logisticLower
	}
	if logisticUpper < x {
		x = logisticUpper
	}
	x2 := x * x
	p := fma32(x2, logisticAlpha9, logisticAlpha7)
	p = fma32(x2, p, logisticAlpha5)
	p = fma32(x2, p, logisticAlpha3)
	p = fma32(x2, p, logisticAlpha1)
	q := fma32(x2, logisticBeta10, logisticBeta8)
	q = fma32(x2, q, logisticBeta6)
	q = fma32(x2, q, logisticBeta4)
	q = fma32(x2, q, logisticBeta2)
	q = fma32(x2, q, logisticBeta0)
	p = x * p
	r := p/q + 0.5
	if 0 > r {
		r = 0
	}
	return r
}

// The constants of MLAS's tanh approximation (those of Eigen): a rational
// function of x on [-9, 9].
const (
	tanhLower   float32 = -9
	tanhUpper   float32 = 9
	tanhAlpha13 float32 = -2.76076847742355e-16
	tanhAlpha11 float32 = 2.00018790482477e-13
	tanhAlpha9  float32 = -8.60467152213735e-11
	tanhAlpha7  float32 = 5.12229709037114e-08
	tanhAlpha5  float32 = 1.48572235717979e-05
	tanhAlpha3  float32 = 6.37261928875436e-04
	tanhAlpha1  float32 = 4.89352455891786e-03
	tanhBeta6   float32 = 1.19825839466702e-06
	tanhBeta4   float32 = 1.18534705686654e-04
	tanhBeta2   float32 = 2.26843463243900e-03
	tanhBeta0   float32 = 4.89352518554385e-03
)

// mlasTanh is MLAS's tanh kernel for x86-64 with FMA, which onnxruntime
// 1.30 uses for the SVM SIGMOID kernel: the input clamped to [-9, 9] (NaN
// passes) and p(x)/q(x) evaluated with fused multiply-adds.
func mlasTanh(x float32) float32 {
	if tanhLower > x {
		x = tanhLower
	}
	if tanhUpper < x {
		x = tanhUpper
	}
	x2 := x * x
	p := fma32(x2, tanhAlpha13, tanhAlpha11)
	p = fma32(p, x2, tanhAlpha9)
	p = fma32(p, x2, tanhAlpha7)
	p = fma32(p, x2, tanhAlpha5)
	p = fma32(p, x2, tanhAlpha3)
	p = fma32(p, x2, tanhAlpha1)
	p = p * x
	q := fma32(x2, tanhBeta6, tanhBeta4)
	q = fma32(q, x2, tanhBeta2)
	q = fma32(q, x2, tanhBeta0)
	return p / q
}
