package onnx

// scoreTransform applies post_transform to rows of scores as onnxruntime's
// batched_update_scores_inplace does for rows of two or more scores
// (LinearClassifier, LinearRegressor, SVMClassifier): LOGISTIC goes
// through MLAS's vectorized approximation rather than the exact formula
// write_scores uses. (SOFTMAX over rows of five or more, or over very
// large batches, also goes through MLAS there; the exact formula used
// here differs from it only in the last bit or so.)
func scoreTransform(p postTransform, scores []float32, cols int) {
	if cols < 2 || p == ptNone {
		return
	}
	for r := 0; r+cols <= len(scores); r += cols {
		row := scores[r : r+cols]
		switch p {
		case ptLogistic:
			for i, v := range row {
				row[i] = mlasLogistic(v)
			}
		default:
			applyTransform(p, row)
		}
	}
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
