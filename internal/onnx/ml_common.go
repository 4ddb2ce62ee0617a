package onnx

import (
	"fmt"
	"math"
)

// postTransform is the ai.onnx.ml score transform (post_transform).
type postTransform int

const (
	ptNone postTransform = iota
	ptLogistic
	ptSoftmax
	ptSoftmaxZero
	ptProbit
)

// parsePostTransform reads the post_transform attribute.
func parsePostTransform(a *attrs) postTransform {
	switch s := a.string("post_transform", "NONE"); s {
	case "NONE":
		return ptNone
	case "LOGISTIC":
		return ptLogistic
	case "SOFTMAX":
		return ptSoftmax
	case "SOFTMAX_ZERO":
		return ptSoftmaxZero
	case "PROBIT":
		return ptProbit
	default:
		a.fail("attribute %q: unsupported value %q", "post_transform", s)
		return ptNone
	}
}

func (p postTransform) String() string {
	return [...]string{"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"}[p]
}

// The functions below follow onnxruntime's ml_common.h, computing in
// float32 as it does.

func exp32(x float32) float32 { return expf(x) }

// logistic is onnxruntime's ComputeLogistic.
func logistic(v float32) float32 {
	a := v
	if a < 0 {
		a = -a
	}
	s := 1 / (1 + exp32(-a))
	if v < 0 {
		return 1 - s
	}
	return s
}

// erfInv is onnxruntime's ErfInv: Winitzki's approximation with a = 0.147,
// not an exact inverse.
func erfInv(x float32) float32 {
	sgn := float32(1)
	if x < 0 {
		sgn = -1
	}
	x = (1 - x) * (1 + x)
	lg := float32(math.Log(float64(x)))
	v := 2/(float32(math.Pi)*float32(0.147)) + 0.5*lg
	v2 := 1 / float32(0.147) * lg
	v3 := -v + float32(math.Sqrt(float64(v*v-v2)))
	return sgn * float32(math.Sqrt(float64(v3)))
}

// probit is onnxruntime's ComputeProbit.
func probit(v float32) float32 { return float32(1.41421356) * erfInv(2*v-1) }

// softmax is onnxruntime's ComputeSoftmax, in place.
func softmax32(v []float32) {
	max := -float32(math.MaxFloat32)
	for _, x := range v {
		if x > max {
			max = x
		}
	}
	var sum float32
	for i, x := range v {
		v[i] = exp32(x - max)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// softmaxZero is onnxruntime's ComputeSoftmaxZero: values within 1e-7 of
// zero stay (about) zero and are left out of the sum.
func softmaxZero32(v []float32) {
	max := -float32(math.MaxFloat32)
	for _, x := range v {
		if x > max {
			max = x
		}
	}
	expNegMax := exp32(-max)
	var sum float32
	for i, x := range v {
		if x > 0.0000001 || x < -0.0000001 {
			v[i] = exp32(x - max)
			sum += v[i]
		} else {
			v[i] *= expNegMax
		}
	}
	for i := range v {
		v[i] /= sum
	}
}

// applyTransform applies p in place to one row of at least two scores.
func applyTransform(p postTransform, scores []float32) {
	switch p {
	case ptProbit:
		for i, s := range scores {
			scores[i] = probit(s)
		}
	case ptLogistic:
		for i, s := range scores {
			scores[i] = logistic(s)
		}
	case ptSoftmax:
		softmax32(scores)
	case ptSoftmaxZero:
		softmaxZero32(scores)
	}
}

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

// secondClass says how onnxruntime's write_scores expands a single binary
// score s into two columns (its add_second_class argument).
type secondClass int

const (
	// secondClassNone writes the single score as it is.
	secondClassNone secondClass = -1
	// secondClassComplement writes [1-s, s] (weights all positive), or
	// [σ(-s), σ(s)] under LOGISTIC: onnxruntime 1.26 and later apply the
	// sigmoid there too.
	secondClassComplement secondClass = 1
	// secondClassMixed writes [σ(-s), σ(s)] under LOGISTIC, else [-s, s].
	secondClassMixed secondClass = 2
)

// writeScores is onnxruntime's write_scores for one row: it transforms
// scores and writes them to dst. With one score, it writes one value
// (PROBIT, or secondClassNone) or two (the binary expansion); it returns
// how many it wrote.
func writeScores(dst, scores []float32, p postTransform, add secondClass) int {
	if len(scores) >= 2 {
		applyTransform(p, scores)
		return copy(dst, scores)
	}
	if len(scores) == 0 {
		return 0
	}
	s := scores[0]
	if p == ptProbit {
		dst[0] = probit(s)
		return 1
	}
	switch add {
	case secondClassMixed:
		if p == ptLogistic {
			dst[0], dst[1] = logistic(-s), logistic(s)
		} else {
			dst[0], dst[1] = -s, s
		}
	case secondClassComplement:
		if p == ptLogistic {
			dst[0], dst[1] = logistic(-s), logistic(s)
		} else {
			dst[0], dst[1] = 1-s, s
		}
	default:
		dst[0] = s
		return 1
	}
	return 2
}

// classLabels reads a classifier's classlabels_int64s or
// classlabels_strings attribute (exactly one must be set) into a tensor.
func classLabels(a *attrs, intsName, stringsName string) (*Tensor, error) {
	hasI, hasS := a.has(intsName), a.has(stringsName)
	switch {
	case hasI && hasS:
		return nil, fmt.Errorf("both %s and %s are set", intsName, stringsName)
	case hasI:
		l := a.ints(intsName)
		return NewInt64(l, len(l)), nil
	case hasS:
		l := a.strings(stringsName)
		return NewString(l, len(l)), nil
	}
	return nil, fmt.Errorf("missing attribute %s or %s", intsName, stringsName)
}
