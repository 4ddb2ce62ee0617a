package onnx

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// mlTreeOps holds the kernels for tree ensembles.
var mlTreeOps = map[opKey]opSpec{
	// Version 5 of the ai.onnx.ml domain deprecates both in favour of
	// TreeEnsemble; onnxruntime still runs them there, and so do we.
	{"ai.onnx.ml", "TreeEnsembleClassifier"}: {since: []int{1, 3}, build: buildTreeEnsembleClassifier},
	{"ai.onnx.ml", "TreeEnsembleRegressor"}:  {since: []int{1, 3}, build: buildTreeEnsembleRegressor},
	{"ai.onnx.ml", "TreeEnsemble"}:           {since: []int{5}, build: buildTreeEnsembleV5},
}

// A treeKernel evaluates TreeEnsembleClassifier, TreeEnsembleRegressor and
// TreeEnsemble with threshold (and score) type T.
type treeKernel[T float32 | float64] struct {
	f    *forest[T]
	agg  aggregate
	post postTransform
	base []T
	// classifier: labels, and onnxruntime's binary-case flags.
	classifier  bool
	labels      *Tensor
	binary      bool
	allPositive bool
	// v5: the output has the input's type; the single-target regressor
	// path applies only PROBIT (as the v1/v3 regressors do).
	outType DataType
	scratch sync.Pool
}

type treeScratch[T float32 | float64] struct {
	row []T
	sc  []T
	has []bool
	z   []float32
}

func (k *treeKernel[T]) getScratch(width int) *treeScratch[T] {
	s, _ := k.scratch.Get().(*treeScratch[T])
	if s == nil {
		s = &treeScratch[T]{}
	}
	s.row = grow(s.row, width)
	s.sc = grow(s.sc, k.f.nTarget)
	s.has = grow(s.has, k.f.nTarget)
	s.z = grow(s.z, max(k.f.nTarget, 2))
	return s
}

// treeInput checks X and returns its row count and width.
func treeInput(x *Tensor, maxFeat int) (n, width int, err error) {
	switch x.Type {
	case Float32, Float64, Int64, Int32:
	default:
		return 0, 0, fmt.Errorf("input has type %v, want a number type", x.Type)
	}
	switch len(x.Shape) {
	case 1:
		n, width = 1, x.Shape[0]
	case 2:
		n, width = x.Shape[0], x.Shape[1]
	default:
		return 0, 0, fmt.Errorf("input has shape %v, want [N, features] or [features]", x.Shape)
	}
	if n > 0 && maxFeat >= width {
		return 0, 0, fmt.Errorf("a tree reads feature %d but the input has %d features", maxFeat, width)
	}
	return n, width, nil
}

// row returns row i of x as []T, converting into buf when needed.
func row[T float32 | float64](x *Tensor, i, width int, buf []T) []T {
	lo, hi := i*width, (i+1)*width
	switch x.Type {
	case Float32:
		if r, ok := any(x.Float32[lo:hi]).([]T); ok {
			return r
		}
		for j, v := range x.Float32[lo:hi] {
			buf[j] = T(v)
		}
	case Float64:
		if r, ok := any(x.Float64[lo:hi]).([]T); ok {
			return r
		}
		for j, v := range x.Float64[lo:hi] {
			buf[j] = T(v)
		}
	case Int64:
		for j, v := range x.Int64[lo:hi] {
			buf[j] = T(v)
		}
	case Int32:
		for j, v := range x.Int32[lo:hi] {
			buf[j] = T(v)
		}
	}
	return buf
}

func (k *treeKernel[T]) run(ctx context.Context, in, out []*Tensor) error {
	x := in[0]
	n, width, err := treeInput(x, k.f.maxFeat)
	if err != nil {
		return err
	}
	s := k.getScratch(width)
	defer k.scratch.Put(s)
	if k.classifier {
		return k.classify(ctx, x, n, width, s, out)
	}
	nt := k.f.nTarget
	y := out[0]
	y.reset(k.outType, []int{n, nt})
	for i := range n {
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k.f.scores(row(x, i, width, s.row), k.agg, s.sc, s.has)
		z := s.z[:nt]
		k.finishRegression(s.sc, s.has, z, s.sc)
		if k.outType == Float64 {
			for j := range nt {
				y.Float64[i*nt+j] = float64(s.sc[j])
			}
		} else {
			copy(y.Float32[i*nt:], z)
		}
	}
	return nil
}

// finishRegression applies the base values, the aggregate's final step
// and the post transform to one row's scores, as onnxruntime's tree
// aggregators do, writing float32 results to z and T results to full
// (used for float64 outputs of TreeEnsemble).
func (k *treeKernel[T]) finishRegression(sc []T, has []bool, z []float32, full []T) {
	nt := len(sc)
	if nt == 1 {
		var origin T
		if len(k.base) == 1 {
			origin = k.base[0]
		}
		v := sc[0]
		switch k.agg {
		case aggSum:
			v += origin
		case aggAverage:
			v = v/T(k.f.nTrees) + origin
		default:
			if has[0] {
				v += origin
			} else {
				v = origin
			}
		}
		if k.post == ptProbit {
			v = T(probit(float32(v)))
		}
		full[0] = v
		z[0] = float32(v)
		return
	}
	useBase := len(k.base) == nt
	for j := range nt {
		switch k.agg {
		case aggAverage:
			sc[j] /= T(k.f.nTrees)
		}
		if useBase {
			sc[j] += k.base[j]
		}
		// onnxruntime writes 0 for a target no leaf scored, even when it
		// has a base value.
		if !has[j] {
			sc[j] = 0
		}
		z[j] = float32(sc[j])
	}
	if k.post != ptNone {
		applyTransform(k.post, z)
		for j := range nt {
			full[j] = T(z[j])
		}
	}
}

func (k *treeKernel[T]) classify(ctx context.Context, x *Tensor, n, width int, s *treeScratch[T], out []*Tensor) error {
	nc := k.f.nTarget
	labels := out[0]
	labels.reset(k.labels.Type, []int{n})
	z := out[1]
	z.reset(Float32, []int{n, nc})
	for i := range n {
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k.f.scores(row(x, i, width, s.row), k.agg, s.sc, s.has)
		li, literal, err := k.finishClassification(s.sc, s.has, z.Float32[i*nc:(i+1)*nc], s.z)
		switch {
		case err != nil:
			return fmt.Errorf("row %d: %w", i, err)
		case labels.Type == String:
			labels.String[i] = k.labels.String[li]
		case literal:
			labels.Int64[i] = int64(li)
		default:
			labels.Int64[i] = k.labels.Int64[li]
		}
	}
	return nil
}

// finishClassification is onnxruntime's TreeAggregatorClassifier
// FinalizeScores for one row: it adds base values, picks the label (an
// index into the class labels) and writes the transformed scores to z.
//
// literal reports onnxruntime's quirk for two classes that both receive
// weights: the int64 label is then the index itself.
func (k *treeKernel[T]) finishClassification(sc []T, has []bool, z []float32, tmp []float32) (label int, literal bool, err error) {
	nc := len(sc)
	if nc > 2 {
		for j := 0; j < len(k.base) && j < nc; j++ {
			sc[j] += k.base[j]
			has[j] = true
		}
		best := -1
		for j := range nc {
			if has[j] && (best < 0 || sc[j] > sc[best]) {
				best = j
			}
		}
		if best < 0 {
			return 0, false, errors.New("no class received a score")
		}
		for j := range nc {
			tmp[j] = scoreOrZero(sc[j], has[j])
		}
		applyTransform(k.post, tmp[:nc])
		copy(z, tmp[:nc])
		return best, false, nil
	}
	// Two classes.
	size := 2
	add := secondClassNone
	switch len(k.base) {
	case 2:
		if has[1] {
			sc[1] = k.base[1] + sc[0]
			sc[0] = -sc[1]
			has[1] = true
		} else {
			sc[1] += k.base[1]
			sc[0] += k.base[0]
		}
	case 1:
		sc[0] += k.base[0]
		if !has[1] {
			size = 1
		}
	case 0:
		add = secondClassMixed // onnxruntime's value 3: mixed weights, negative class wins
		if !has[1] {
			size = 1
		}
	}
	var pos T
	switch {
	case size == 2 && has[1]:
		pos = sc[1]
	case has[0]:
		pos = sc[0]
	}
	label = 0
	switch {
	case k.binary && k.allPositive:
		if pos > 0.5 {
			label = 1
		}
		add = secondClassComplement
	case k.binary:
		if pos > 0 {
			label = 1
		}
		add = secondClassMixed
	default:
		// Two classes scored separately: onnxruntime's label is the
		// literal 1 or 0 (an index for string labels), not a class label.
		literal = true
		if pos > 0 {
			label = 1
		}
	}
	for j := range size {
		tmp[j] = scoreOrZero(sc[j], has[j])
	}
	clear(z)
	writeScores(z, tmp[:size], k.post, add)
	return label, literal, nil
}

func scoreOrZero[T float32 | float64](v T, has bool) float32 {
	if !has {
		return 0
	}
	return float32(v)
}

// readTreeSpec reads the v1/v3 node attributes; prefix is "target" for
// the regressor and "class" for the classifier.
func readTreeSpec[T float32 | float64](n *node, prefix string) (*treeSpec[T], error) {
	a := n.attr
	s := &treeSpec[T]{
		treeIDs: a.ints("nodes_treeids"), nodeIDs: a.ints("nodes_nodeids"), featIDs: a.ints("nodes_featureids"),
		trueIDs: a.ints("nodes_truenodeids"), falseIDs: a.ints("nodes_falsenodeids"),
		tracks: a.ints("nodes_missing_value_tracks_true"),
		tTree:  a.ints(prefix + "_treeids"), tNode: a.ints(prefix + "_nodeids"), tID: a.ints(prefix + "_ids"),
	}
	for _, m := range a.strings("nodes_modes") {
		v, ok := modeNames[m]
		if !ok {
			return nil, fmt.Errorf("nodes_modes has unknown mode %q", m)
		}
		s.modes = append(s.modes, v)
	}
	var err error
	if s.values, err = floatsOrTensor[T](n, "nodes_values"); err != nil {
		return nil, err
	}
	if s.tWeight, err = floatsOrTensor[T](n, prefix+"_weights"); err != nil {
		return nil, err
	}
	if _, err := floatsOrTensor[T](n, "nodes_hitrates"); err != nil {
		return nil, err
	}
	return s, a.err
}

// floatsOrTensor reads a FLOATS attribute or its v3 `<name>_as_tensor`
// TENSOR twin (only one may be set), converted to T.
func floatsOrTensor[T float32 | float64](n *node, name string) ([]T, error) {
	a := n.attr
	tn := name + "_as_tensor"
	if a.has(name) && a.has(tn) {
		return nil, fmt.Errorf("both %s and %s are set", name, tn)
	}
	if a.has(tn) {
		if n.version < 3 {
			return nil, fmt.Errorf("attribute %s needs version 3 of the operator", tn)
		}
		return tensorAttrAs[T](n, tn)
	}
	fs := a.floats(name)
	out := make([]T, len(fs))
	for i, v := range fs {
		out[i] = T(v)
	}
	return out, nil
}

func parseAggregate(a *attrs) aggregate {
	switch s := a.string("aggregate_function", "SUM"); s {
	case "SUM":
		return aggSum
	case "AVERAGE":
		return aggAverage
	case "MIN":
		return aggMin
	case "MAX":
		return aggMax
	default:
		a.fail("attribute %q: unsupported value %q", "aggregate_function", s)
		return aggSum
	}
}

// typedTreeKernel dispatches on the input type at run time when it was not
// known at load time: a float64 input needs the float64 compilation.
type typedTreeKernel struct {
	k32 kernel
	k64 kernel
}

func (t *typedTreeKernel) run(ctx context.Context, in, out []*Tensor) error {
	if in[0].Type == Float64 {
		return t.k64.run(ctx, in, out)
	}
	return t.k32.run(ctx, in, out)
}

// buildBoth compiles a tree kernel for float32 thresholds and, unless the
// input type is known not to be float64, for float64 ones.
func buildBoth(n *node, build32 func() (kernel, error), build64 func() (kernel, error)) (kernel, error) {
	switch n.inType(0) {
	case Float64:
		return build64()
	case Float32, Int64, Int32:
		return build32()
	}
	k32, err := build32()
	if err != nil {
		return nil, err
	}
	k64, err := build64()
	if err != nil {
		return nil, err
	}
	return &typedTreeKernel{k32: k32, k64: k64}, nil
}

func buildTreeEnsembleRegressor(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Float32}
	return buildBoth(n, func() (kernel, error) { return newTreeRegressor[float32](n) }, func() (kernel, error) { return newTreeRegressor[float64](n) })
}

func newTreeRegressor[T float32 | float64](n *node) (kernel, error) {
	a := n.attr
	spec, err := readTreeSpec[T](n, "target")
	if err != nil {
		return nil, err
	}
	spec.nTarget = int(a.int("n_targets", 1))
	if spec.nTarget < 1 || spec.nTarget > 1<<20 {
		return nil, fmt.Errorf("n_targets is %d", spec.nTarget)
	}
	k := &treeKernel[T]{agg: parseAggregate(a), post: parsePostTransform(a), outType: Float32}
	if k.base, err = floatsOrTensor[T](n, "base_values"); err != nil {
		return nil, err
	}
	if a.err != nil {
		return nil, a.err
	}
	if k.f, err = spec.compile(); err != nil {
		return nil, err
	}
	return k, nil
}

func buildTreeEnsembleClassifier(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 2, 2); err != nil {
		return nil, err
	}
	labels, err := classLabels(n.attr, "classlabels_int64s", "classlabels_strings")
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{labels.Type, Float32}
	return buildBoth(n, func() (kernel, error) { return newTreeClassifier[float32](n, labels) }, func() (kernel, error) { return newTreeClassifier[float64](n, labels) })
}

func newTreeClassifier[T float32 | float64](n *node, labels *Tensor) (kernel, error) {
	a := n.attr
	spec, err := readTreeSpec[T](n, "class")
	if err != nil {
		return nil, err
	}
	spec.nTarget = labels.Len()
	if spec.nTarget < 2 {
		return nil, fmt.Errorf("the classifier has %d class labels, want at least 2", spec.nTarget)
	}
	k := &treeKernel[T]{agg: aggSum, post: parsePostTransform(a), classifier: true, labels: labels, allPositive: true, outType: Float32}
	if k.base, err = floatsOrTensor[T](n, "base_values"); err != nil {
		return nil, err
	}
	if a.err != nil {
		return nil, a.err
	}
	if k.f, err = spec.compile(); err != nil {
		return nil, err
	}
	classes := map[int64]bool{}
	for i, id := range spec.tID {
		classes[id] = true
		if spec.tWeight[i] < 0 {
			k.allPositive = false
		}
	}
	k.binary = spec.nTarget == 2 && len(classes) == 1
	if len(k.base) > spec.nTarget {
		return nil, fmt.Errorf("base_values has %d values for %d classes", len(k.base), spec.nTarget)
	}
	return k, nil
}
