package onnx

import (
	"context"
	"fmt"
	"math"
)

// svmKernel is an SVM kernel function, K(x, v), with its parameters.
type svmKernel struct {
	typ                  int
	gamma, coef0, degree float32
}

// The kernel types (kernel_type).
const (
	kernelLinear = iota
	kernelPoly
	kernelRBF
	kernelSigmoid
)

// readSVMKernel reads kernel_type and kernel_params. onnxruntime requires
// kernel_params and reads [gamma, coef0, degree] from it.
func readSVMKernel(a *attrs) (svmKernel, error) {
	var k svmKernel
	name := a.string("kernel_type", "LINEAR")
	params := a.floats("kernel_params")
	if a.err != nil {
		return k, a.err
	}
	switch name {
	case "LINEAR":
		k.typ = kernelLinear
	case "POLY":
		k.typ = kernelPoly
	case "RBF":
		k.typ = kernelRBF
	case "SIGMOID":
		k.typ = kernelSigmoid
	default:
		return k, fmt.Errorf("attribute kernel_type is %q, want LINEAR, POLY, RBF or SIGMOID", name)
	}
	if !a.has("kernel_params") {
		return k, fmt.Errorf("missing attribute kernel_params")
	}
	switch len(params) {
	case 0:
	case 3:
		k.gamma, k.coef0, k.degree = params[0], params[1], params[2]
	default:
		return k, fmt.Errorf("attribute kernel_params has %d values, want 3 (gamma, coef0, degree) or none", len(params))
	}
	return k, nil
}

// apply computes out[m, n] = K(x[m], b[n]) for the m rows of x, as
// onnxruntime's batched_kernel_dot does: RBF as exp(-γ·Σ(x-v)²) summed in
// float32 in feature order; the others through the GEMM (alpha = 1 and C
// = c for LINEAR, alpha = γ and C = coef0 for POLY and SIGMOID), then
// raised to the degree (POLY) or passed through MLAS's tanh (SIGMOID).
func (k svmKernel) apply(out, x []float32, m int, b *gemmB, c float32) {
	if k.typ == kernelRBF {
		k.rbf(out, x, m, b)
		return
	}
	alpha := float32(1)
	if k.typ != kernelLinear {
		alpha, c = k.gamma, k.coef0
	}
	var bias gemmBias
	if c != 0 {
		bias.values = []float32{c}
	}
	b.gemm(out[:m*b.n], x, m, alpha, bias)
	out = out[:m*b.n]
	switch k.typ {
	case kernelPoly:
		switch k.degree {
		case 2:
			for i, v := range out {
				out[i] = v * v
			}
		case 3:
			for i, v := range out {
				out[i] = float32(v*v) * v
			}
		default:
			d := float64(k.degree)
			for i, v := range out {
				out[i] = float32(math.Pow(float64(v), d))
			}
		}
	case kernelSigmoid:
		for i, v := range out {
			out[i] = mlasTanh(v)
		}
	}
}

// rbf computes exp(-γ·Σ_f (x_f - v_f)²) for every row and support vector,
// four support vectors at a time (each sum still in feature order).
func (k svmKernel) rbf(out, x []float32, m int, b *gemmB) {
	f, n := b.k, b.n
	negGamma := -k.gamma
	for r := range m {
		row := x[r*f : r*f+f]
		dst := out[r*n : r*n+n]
		j := 0
		for ; j+4 <= n; j += 4 {
			v0 := b.data[j*f : j*f+f]
			v1 := b.data[(j+1)*f : (j+1)*f+f]
			v2 := b.data[(j+2)*f : (j+2)*f+f]
			v3 := b.data[(j+3)*f : (j+3)*f+f]
			var s0, s1, s2, s3 float32
			for i, xv := range row {
				d0, d1, d2, d3 := xv-v0[i], xv-v1[i], xv-v2[i], xv-v3[i]
				s0 += float32(d0 * d0)
				s1 += float32(d1 * d1)
				s2 += float32(d2 * d2)
				s3 += float32(d3 * d3)
			}
			dst[j] = expf(negGamma * s0)
			dst[j+1] = expf(negGamma * s1)
			dst[j+2] = expf(negGamma * s2)
			dst[j+3] = expf(negGamma * s3)
		}
		for ; j < n; j++ {
			v := b.data[j*f : j*f+f]
			var s float32
			for i, xv := range row {
				d := xv - v[i]
				s += float32(d * d)
			}
			dst[j] = expf(negGamma * s)
		}
	}
}

// svmClassifier is SVMClassifier (ai.onnx.ml v1) as onnxruntime 1.30
// evaluates it, over input cast to float32.
//
// SVC mode (vectors_per_class given): K(x, sv) for every support vector,
// then for each pair of classes i < j the libsvm decision value
// s = Σ_{v∈i} coef[j-1][v]·K_v + Σ_{v∈j} coef[i][v]·K_v + rho (summed in
// float64), a vote for i when s > 0 and for j otherwise; the label is the
// first class with the most votes. Z holds, with prob_a/prob_b, the
// pairwise-coupled probabilities [N, C]; without, the decision values
// [N, C(C-1)/2], or for two classes [-s, s] (NONE), [σ(-s), σ(s)]
// (LOGISTIC), [1-s, s] (SOFTMAX, SOFTMAX_ZERO) or [probit(s), 0]
// (PROBIT, whose second column onnxruntime leaves unwritten).
//
// LINEAR mode: Z = X·coefᵀ + rho[0], [N, C]; the label is the first
// maximal score's class, except that with two classes and no
// probabilities onnxruntime picks the second class when the maximum is
// > 0 (mixed-sign coefficients) or ≥ 0.5 (all non-negative).
type svmClassifier struct {
	kernel  svmKernel
	svc     bool
	classes int
	feats   int
	// SVC mode: the support vectors, their count and class layout.
	sv       *gemmB
	vectors  int
	perClass []int
	start    []int
	coef     []float32 // [classes-1, vectors]
	rho      []float32
	probA    []float32
	probB    []float32
	// LINEAR mode: the coefficient rows.
	w           *gemmB
	allPositive bool
	labels      *Tensor
	post        postTransform
	// zCols is the width of Z.
	zCols int

	kernels slicePool[float32]
	scratch slicePool[float32]
	votes   slicePool[int]
}

func buildSVMClassifier(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 2, 2); err != nil {
		return nil, err
	}
	a := n.attr
	kern, err := readSVMKernel(a)
	if err != nil {
		return nil, err
	}
	a.required("coefficients", "rho")
	perClass := a.ints("vectors_per_class")
	probA, probB := a.floats("prob_a"), a.floats("prob_b")
	sv := a.floats("support_vectors")
	coef, rho := a.floats("coefficients"), a.floats("rho")
	post := parsePostTransform(a)
	if a.err != nil {
		return nil, a.err
	}
	// onnxruntime takes the string labels when both lists are given.
	var labels *Tensor
	if l := a.strings("classlabels_strings"); len(l) > 0 {
		labels = NewString(l, len(l))
	} else {
		l := a.ints("classlabels_ints")
		labels = NewInt64(l, len(l))
	}
	if err := checkInType(n, 0, numericTypes...); err != nil {
		return nil, err
	}
	k := &svmClassifier{kernel: kern, classes: labels.Len(), coef: coef, rho: rho, probA: probA, probB: probB, labels: labels, post: post}
	c := k.classes
	switch {
	case c == 0:
		return nil, fmt.Errorf("missing attribute classlabels_ints or classlabels_strings")
	case c >= 65536:
		return nil, fmt.Errorf("%d classes; onnxruntime supports at most 65535", c)
	case len(probA) != len(probB):
		return nil, fmt.Errorf("prob_a has %d values and prob_b %d; want the same number", len(probA), len(probB))
	case len(coef) == 0:
		return nil, fmt.Errorf("attribute coefficients is empty")
	}
	k.allPositive = true
	for _, v := range coef {
		if !(v >= 0) {
			k.allPositive = false
		}
	}
	for _, v := range perClass {
		if v < 0 || v > maxElements {
			return nil, fmt.Errorf("vectors_per_class has a count of %d", v)
		}
		k.start = append(k.start, k.vectors)
		k.perClass = append(k.perClass, int(v))
		k.vectors += int(v)
		if k.vectors > maxElements {
			return nil, fmt.Errorf("vectors_per_class adds up to more than %d", maxElements)
		}
	}
	pairs := c * (c - 1) / 2
	if k.vectors > 0 {
		k.svc = true
		switch {
		case len(perClass) != c:
			return nil, fmt.Errorf("vectors_per_class has %d counts for %d classes", len(perClass), c)
		case c < 2:
			return nil, fmt.Errorf("an SVC needs at least 2 classes, has %d", c)
		case len(sv) == 0 || len(sv)%k.vectors != 0:
			return nil, fmt.Errorf("%d support vector values do not make %d vectors", len(sv), k.vectors)
		case len(coef) < (c-1)*k.vectors:
			return nil, fmt.Errorf("%d coefficients, want (classes-1)·vectors = %d", len(coef), (c-1)*k.vectors)
		case len(rho) < pairs:
			return nil, fmt.Errorf("%d rho values, want one per pair of classes, %d", len(rho), pairs)
		case len(probA) > 0 && len(probA) < pairs:
			return nil, fmt.Errorf("%d prob_a values, want one per pair of classes, %d", len(probA), pairs)
		case len(probA) > 0 && c > 4096:
			return nil, fmt.Errorf("%d classes are too many for pairwise coupling", c)
		}
		k.feats = len(sv) / k.vectors
		k.sv = newGemmB(sv, k.vectors, k.feats)
		switch {
		case len(probA) > 0:
			k.zCols = c
		case c > 2:
			k.zCols = pairs
		default:
			k.zCols = 2
		}
	} else {
		// LINEAR mode: one coefficient row per class; the kernel is linear.
		k.kernel.typ = kernelLinear
		switch {
		case len(coef)%c != 0:
			return nil, fmt.Errorf("%d coefficients do not make %d rows, one per class", len(coef), c)
		case len(rho) == 0:
			return nil, fmt.Errorf("attribute rho is empty")
		}
		k.feats = len(coef) / c
		k.w = newGemmB(coef, c, k.feats)
		k.zCols = c
	}
	n.outTypes = []DataType{labels.Type, Float32}
	return k, nil
}

func (k *svmClassifier) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	rowsN, f, err := rows(x)
	if err != nil {
		return err
	}
	if f != k.feats {
		return fmt.Errorf("input has %d features, the model %d", f, k.feats)
	}
	data, buf, err := floatData(x, &k.scratch)
	if err != nil {
		return err
	}
	defer k.scratch.put(buf)
	y, z := out[0], out[1]
	y.reset(k.labels.Type, []int{rowsN})
	z.reset(Float32, []int{rowsN, k.zCols})
	if rowsN == 0 {
		return nil
	}
	if !k.svc {
		k.runLinear(y, z, data, rowsN)
		return nil
	}
	return k.runSVC(y, z, data, rowsN)
}

func (k *svmClassifier) runLinear(y, z *Tensor, x []float32, rowsN int) {
	c := k.classes
	k.kernel.apply(z.Float32, x, rowsN, k.w, k.rho[0])
	for r := range rowsN {
		row := z.Float32[r*c : (r+1)*c]
		best, label := row[0], 0
		for j, s := range row[1:] {
			if best < s {
				best, label = s, j+1
			}
		}
		if c == 2 && len(k.probA) == 0 {
			if (k.allPositive && best >= 0.5) || (!k.allPositive && best > 0) {
				label = 1
			}
		}
		setClassLabel(y, k.labels, r, label)
	}
	if c == 1 {
		if k.post == ptProbit {
			for i, s := range z.Float32 {
				z.Float32[i] = probit(s)
			}
		}
		return
	}
	scoreTransform(k.post, z.Float32, c)
}

func (k *svmClassifier) runSVC(y, z *Tensor, x []float32, rowsN int) error {
	c, v := k.classes, k.vectors
	pairs := c * (c - 1) / 2
	kb := k.kernels.get(rowsN * v)
	defer k.kernels.put(kb)
	kernels := *kb
	k.kernel.apply(kernels, x, rowsN, k.sv, 0)

	withProb := len(k.probA) > 0
	vb := k.votes.get(c)
	defer k.votes.put(vb)
	votes := *vb
	var scores, coupling []float32
	var sb *[]float32
	if withProb {
		// Decision values, then the pairwise probability matrix and
		// multiclass_probability's two work arrays.
		sb = k.scratch.get(pairs + c*c + c*c + c)
		defer k.scratch.put(sb)
		scores, coupling = (*sb)[:pairs], (*sb)[pairs:]
	}
	for r := range rowsN {
		kr := kernels[r*v : (r+1)*v]
		zr := z.Float32[r*k.zCols : (r+1)*k.zCols]
		if !withProb {
			scores = zr[:pairs]
		}
		clear(votes)
		p := 0
		for i := 0; i < c-1; i++ {
			si, ni := k.start[i], k.perClass[i]
			for j := i + 1; j < c; j++ {
				sj, nj := k.start[j], k.perClass[j]
				var sum float64
				ci := k.coef[(j-1)*v+si : (j-1)*v+si+ni]
				for m, kv := range kr[si : si+ni] {
					sum += float64(float32(ci[m] * kv))
				}
				cj := k.coef[i*v+sj : i*v+sj+nj]
				for m, kv := range kr[sj : sj+nj] {
					sum += float64(float32(cj[m] * kv))
				}
				sum += float64(k.rho[p])
				scores[p] = float32(sum)
				if sum > 0 {
					votes[i]++
				} else {
					votes[j]++
				}
				p++
			}
		}
		label := 0
		for j, n := range votes {
			if n > votes[label] {
				label = j
			}
		}
		setClassLabel(y, k.labels, r, label)

		switch {
		case withProb:
			k.couple(zr, scores, coupling)
			scoreTransform(k.post, zr, c)
		case c == 2:
			switch s := zr[0]; k.post {
			case ptProbit:
				// onnxruntime leaves the second column unwritten, which a
				// fresh session shows as zero.
				zr[0], zr[1] = probit(s), 0
			case ptNone:
				zr[0], zr[1] = -s, s
			case ptLogistic:
				zr[0], zr[1] = logistic(-s), logistic(s)
			default:
				zr[0], zr[1] = 1-s, s
			}
		default:
			scoreTransform(k.post, zr, pairs)
		}
	}
	return nil
}

// couple turns the pairwise decision values into class probabilities p
// (len C) as onnxruntime does: Platt's sigmoid per pair, clipped to
// [1e-7, 1-1e-7], then multiclass_probability. work holds 2·C² + C
// float32s.
func (k *svmClassifier) couple(p, scores, work []float32) {
	c := k.classes
	r := work[:c*c]
	clear(r)
	idx := 0
	for i := 0; i < c-1; i++ {
		for j := i + 1; j < c; j++ {
			v := 1 - logistic(float32(scores[idx]*k.probA[idx])+k.probB[idx])
			if v < 1e-7 {
				v = 1e-7
			}
			if hi := float32(1) - 1e-7; hi < v {
				v = hi
			}
			r[i*c+j] = v
			r[j*c+i] = 1 - v
			idx++
		}
	}
	multiclassProbability(c, r, p, work[c*c:])
}

// multiclassProbability is onnxruntime's multiclass_probability (Wu, Lin
// and Weng's pairwise coupling, libsvm's method 2) in float32, in its
// order of operations: at most 100 iterations, stopping when every
// |Qp_i - pᵀQp| < 0.005/C. r is the C×C matrix of pairwise probabilities,
// p receives the result, work holds C² + C float32s.
func multiclassProbability(c int, r, p, work []float32) {
	q, qp := work[:c*c], work[c*c:c*c+c]
	clear(q)
	clear(qp)
	eps := 0.005 / float32(c)
	for i := range c {
		p[i] = 1 / float32(c)
		for j := 0; j < i; j++ {
			q[i*c+i] += float32(r[j*c+i] * r[j*c+i])
			q[i*c+j] = q[j*c+i]
		}
		for j := i + 1; j < c; j++ {
			q[i*c+i] += float32(r[j*c+i] * r[j*c+i])
			q[i*c+j] = -float32(r[j*c+i] * r[i*c+j])
		}
	}
	for range 100 {
		var pQp float32
		for i := range c {
			qp[i] = 0
			for j := range c {
				qp[i] += float32(q[i*c+j] * p[j])
			}
			pQp += float32(p[i] * qp[i])
		}
		var maxErr float32
		for i := range c {
			e := qp[i] - pQp
			if e < 0 {
				e = -e
			}
			if e > maxErr {
				maxErr = e
			}
		}
		if maxErr < eps {
			break
		}
		for i := range c {
			diff := (-qp[i] + pQp) / q[i*c+i]
			p[i] += diff
			t := float32(diff*q[i*c+i]) + float32(2*qp[i])
			pQp = (pQp + float32(diff*t)) / (1 + diff) / (1 + diff)
			for j := range c {
				qp[j] = (qp[j] + float32(diff*q[i*c+j])) / (1 + diff)
				p[j] /= 1 + diff
			}
		}
	}
}

// setClassLabel writes labels[i] to y[r].
func setClassLabel(y, labels *Tensor, r, i int) {
	if labels.Type == String {
		y.String[r] = labels.String[i]
	} else {
		y.Int64[r] = labels.Int64[i]
	}
}

// svmRegressor is SVMRegressor (ai.onnx.ml v1) over float32 input (the
// only type onnxruntime implements): with n_supports > 0,
// y = Σ_v coef[v]·K(x, sv_v) + rho[0] (kernels, then the GEMM); otherwise
// y = x·coef + rho[0]. one_class turns y into 1 (y > 0) or -1.
// onnxruntime ignores post_transform.
type svmRegressor struct {
	kernel   svmKernel
	sv       *gemmB // SVC mode
	coef     *gemmB // [1, vectors] (SVC) or [1, features] (linear)
	rho      []float32
	feats    int
	oneClass bool
	kernels  slicePool[float32]
}

func buildSVMRegressor(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	a := n.attr
	kern, err := readSVMKernel(a)
	if err != nil {
		return nil, err
	}
	a.required("coefficients", "rho")
	vectors := a.int("n_supports", 0)
	sv := a.floats("support_vectors")
	coef, rho := a.floats("coefficients"), a.floats("rho")
	oneClass := a.int("one_class", 0)
	parsePostTransform(a)
	if a.err != nil {
		return nil, a.err
	}
	if err := checkInType(n, 0, Float32); err != nil {
		return nil, fmt.Errorf("%w (onnxruntime's SVMRegressor takes only float32)", err)
	}
	k := &svmRegressor{kernel: kern, rho: rho, oneClass: oneClass != 0}
	switch {
	case len(coef) == 0:
		return nil, fmt.Errorf("attribute coefficients is empty")
	case len(rho) == 0:
		return nil, fmt.Errorf("attribute rho is empty")
	case vectors < 0 || vectors > maxElements:
		return nil, fmt.Errorf("attribute n_supports is %d", vectors)
	}
	if v := int(vectors); v > 0 {
		switch {
		case len(sv) == 0 || len(sv)%v != 0:
			return nil, fmt.Errorf("%d support vector values do not make %d vectors", len(sv), v)
		case len(coef) < v:
			return nil, fmt.Errorf("%d coefficients for %d support vectors", len(coef), v)
		}
		k.feats = len(sv) / v
		k.sv = newGemmB(sv, v, k.feats)
		k.coef = newGemmB(coef[:v], 1, v)
	} else {
		k.kernel.typ = kernelLinear
		k.feats = len(coef)
		k.coef = newGemmB(coef, 1, k.feats)
	}
	n.outTypes = []DataType{Float32}
	return k, nil
}

func (k *svmRegressor) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	if x.Type != Float32 {
		return fmt.Errorf("input has type %v, want float32", x.Type)
	}
	rowsN, f, err := rows(x)
	if err != nil {
		return err
	}
	if f != k.feats {
		return fmt.Errorf("input has %d features, the model %d", f, k.feats)
	}
	y := out[0]
	y.reset(Float32, []int{rowsN, 1})
	if rowsN == 0 {
		return nil
	}
	if k.sv != nil {
		kb := k.kernels.get(rowsN * k.sv.n)
		defer k.kernels.put(kb)
		k.kernel.apply(*kb, x.Float32, rowsN, k.sv, 0)
		k.coef.gemm(y.Float32, *kb, rowsN, 1, gemmBias{k.rho[:1]})
	} else {
		k.kernel.apply(y.Float32, x.Float32, rowsN, k.coef, k.rho[0])
	}
	if k.oneClass {
		for i, v := range y.Float32 {
			if v > 0 {
				y.Float32[i] = 1
			} else {
				y.Float32[i] = -1
			}
		}
	}
	return nil
}
