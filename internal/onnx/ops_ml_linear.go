package onnx

import (
	"context"
	"fmt"
)

// mlLinearOps holds the kernels for LinearClassifier, LinearRegressor, SVMClassifier, SVMRegressor.
var mlLinearOps = map[opKey]opSpec{
	{"ai.onnx.ml", "LinearClassifier"}: {since: []int{1}, build: buildLinearClassifier},
	{"ai.onnx.ml", "LinearRegressor"}:  {since: []int{1}, build: buildLinearRegressor},
	{"ai.onnx.ml", "SVMClassifier"}:    {since: []int{1}, build: buildSVMClassifier},
	{"ai.onnx.ml", "SVMRegressor"}:     {since: []int{1}, build: buildSVMRegressor},
}

// linearClassifier is LinearClassifier (ai.onnx.ml v1) as onnxruntime
// evaluates it: scores = X·Wᵀ + b in float32, with one class per
// intercept (multi_class is ignored).
//
//   - More than one class: the label is the class of the first maximal raw
//     score, and Z is post_transform(scores).
//   - One class: the label is the second of two labels when s > 0, else the
//     first (1 and 0 when there are no labels). With labels Z is
//     [σ(-s), σ(s)] under LOGISTIC and [1-s, s] otherwise (under PROBIT,
//     onnxruntime's quirk: the N probits packed first, then zeros);
//     without, Z is [s], which only PROBIT transforms.
type linearClassifier struct {
	w       *gemmB
	b       []float32
	classes int
	labels  *Tensor // int64 or string
	post    postTransform
	// expand is the one-class, two-label case writing [1-s, s].
	expand bool
	// pos and neg are the one-class labels' indexes into labels, or -1
	// for the literal labels 1 and 0.
	pos, neg int
	scratch  slicePool[float32]
}

func buildLinearClassifier(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 2, 2); err != nil {
		return nil, err
	}
	a := n.attr
	coef := a.floats("coefficients")
	intercepts := a.floats("intercepts")
	post := parsePostTransform(a)
	a.int("multi_class", 0)
	hasLabels := a.has("classlabels_ints") || a.has("classlabels_strings")
	var labels *Tensor
	if hasLabels {
		var err error
		if labels, err = classLabels(a, "classlabels_ints", "classlabels_strings"); err != nil {
			return nil, err
		}
	}
	if a.err != nil {
		return nil, a.err
	}
	if err := checkInType(n, 0, numericTypes...); err != nil {
		return nil, err
	}
	if labels == nil {
		labels = NewInt64(nil, 0)
	}
	classes := len(intercepts)
	switch {
	case len(coef) == 0:
		return nil, fmt.Errorf("attribute coefficients is missing or empty")
	case classes == 0:
		return nil, fmt.Errorf("attribute intercepts is missing or empty; onnxruntime takes the number of classes from it")
	case len(coef)%classes != 0:
		return nil, fmt.Errorf("%d coefficients do not make %d rows, one per intercept", len(coef), classes)
	case classes > 1 && labels.Len() < classes:
		return nil, fmt.Errorf("%d classes (intercepts) but %d class labels", classes, labels.Len())
	}
	k := &linearClassifier{
		w: newGemmB(coef, classes, len(coef)/classes), b: intercepts, classes: classes,
		labels: labels, post: post, pos: -1, neg: -2,
	}
	if classes == 1 && hasLabels {
		if labels.Len() != 2 {
			return nil, fmt.Errorf("one class (intercept) with %d class labels; a binary classifier needs exactly 2", labels.Len())
		}
		k.expand = true
		k.pos, k.neg = 1, 0
	}
	n.outTypes = []DataType{labels.Type, Float32}
	return k, nil
}

func (k *linearClassifier) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	rowsN, f, err := rows(x)
	if err != nil {
		return err
	}
	if f != k.w.k {
		return fmt.Errorf("input has %d features, the model %d", f, k.w.k)
	}
	data, buf, err := floatData(x, &k.scratch)
	if err != nil {
		return err
	}
	defer k.scratch.put(buf)

	cols := k.classes
	if k.expand {
		cols = 2
	}
	y, z := out[0], out[1]
	y.reset(k.labels.Type, []int{rowsN})
	z.reset(Float32, []int{rowsN, cols})
	scores := z.Float32
	if k.expand {
		// Score into the first half, then expand from the back.
		scores = z.Float32[:rowsN]
	}
	k.w.gemm(scores, data, rowsN, 1, gemmBias{k.b})

	for r := range rowsN {
		var label int
		if k.classes == 1 {
			label = k.neg
			if scores[r] > 0 {
				label = k.pos
			}
		} else {
			row := scores[r*k.classes : (r+1)*k.classes]
			best := row[0]
			for j, s := range row[1:] {
				if s > best {
					best, label = s, j+1
				}
			}
		}
		k.setLabel(y, r, label)
	}

	switch {
	case k.expand && k.post == ptProbit:
		// onnxruntime transforms the N packed scores in place and leaves
		// the rest of Z unwritten, which a fresh session shows as zeros.
		for i, s := range scores {
			scores[i] = probit(s)
		}
		clear(z.Float32[rowsN:])
	case k.expand && k.post == ptLogistic:
		for r := rowsN - 1; r >= 0; r-- {
			s := scores[r]
			z.Float32[2*r], z.Float32[2*r+1] = logistic(-s), logistic(s)
		}
	case k.expand:
		for r := rowsN - 1; r >= 0; r-- {
			s := scores[r]
			z.Float32[2*r], z.Float32[2*r+1] = 1-s, s
		}
	case k.classes == 1:
		if k.post == ptProbit {
			for i, s := range scores {
				scores[i] = probit(s)
			}
		}
	default:
		scoreTransform(k.post, scores, k.classes)
	}
	return nil
}

// setLabel writes labels[i] to y[r]; i = -1 and -2 stand for the literal
// labels 1 and 0 of a one-class model without labels.
func (k *linearClassifier) setLabel(y *Tensor, r, i int) {
	switch {
	case i < 0:
		y.Int64[r] = int64(i + 2) // -1 → 1, -2 → 0
	case y.Type == String:
		y.String[r] = k.labels.String[i]
	default:
		y.Int64[r] = k.labels.Int64[i]
	}
}

// linearRegressor is LinearRegressor (ai.onnx.ml v1) as onnxruntime
// evaluates it: Y = X·Wᵀ + b over float32 input, with b applied only when
// it has one value per target. post_transform applies to rows of two or
// more targets; a single target is transformed only by PROBIT.
type linearRegressor struct {
	w       *gemmB
	b       []float32
	targets int
	post    postTransform
}

func buildLinearRegressor(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	a := n.attr
	coef := a.floats("coefficients")
	intercepts := a.floats("intercepts")
	targets := a.int("targets", 1)
	post := parsePostTransform(a)
	if a.err != nil {
		return nil, a.err
	}
	if err := checkInType(n, 0, Float32); err != nil {
		return nil, fmt.Errorf("%w (onnxruntime's LinearRegressor takes only float32)", err)
	}
	switch {
	case targets < 1 || targets > int64(maxElements):
		return nil, fmt.Errorf("attribute targets is %d, want at least 1", targets)
	case len(coef) == 0:
		return nil, fmt.Errorf("attribute coefficients is missing or empty")
	case len(coef)%int(targets) != 0:
		return nil, fmt.Errorf("%d coefficients do not make %d rows, one per target", len(coef), targets)
	}
	t := int(targets)
	k := &linearRegressor{w: newGemmB(coef, t, len(coef)/t), targets: t, post: post}
	// onnxruntime ignores intercepts whose count is not the number of
	// targets.
	if len(intercepts) == t {
		k.b = intercepts
	}
	n.outTypes = []DataType{Float32}
	return k, nil
}

func (k *linearRegressor) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if x.Type != Float32 {
		return fmt.Errorf("input has type %v, want float32", x.Type)
	}
	var rowsN, f int
	switch len(x.Shape) {
	case 0, 1:
		rowsN, f = 1, len(x.Float32)
	case 2:
		rowsN, f = x.Shape[0], x.Shape[1]
	default:
		return fmt.Errorf("input has shape %v, want rank 1 or 2", x.Shape)
	}
	if f != k.w.k {
		return fmt.Errorf("input has %d features, the model %d", f, k.w.k)
	}
	y := out[0]
	y.reset(Float32, []int{rowsN, k.targets})
	k.w.gemm(y.Float32, x.Float32, rowsN, 1, gemmBias{k.b})
	switch {
	case k.post == ptNone:
	case k.targets == 1:
		if k.post == ptProbit {
			for i, s := range y.Float32 {
				y.Float32[i] = probit(s)
			}
		}
	default:
		scoreTransform(k.post, y.Float32, k.targets)
	}
	return nil
}
