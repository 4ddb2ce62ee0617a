package onnx

import (
	"context"
	"fmt"
)

// shapeOps holds the kernels for shape manipulation.
var shapeOps = map[opKey]opSpec{
	{"", "Reshape"}:         {since: []int{1, 5, 13, 14, 19, 21}, build: buildReshape},
	{"", "Flatten"}:         {since: []int{1, 9, 11, 13, 21}, build: buildFlatten},
	{"", "Squeeze"}:         {since: []int{1, 11, 13, 21}, build: buildSqueeze},
	{"", "Unsqueeze"}:       {since: []int{1, 11, 13, 21}, build: buildUnsqueeze},
	{"", "Transpose"}:       {since: []int{1, 13, 21}, build: buildTranspose},
	{"", "Shape"}:           {since: []int{1, 13, 15, 19, 21}, build: buildShape},
	{"", "Size"}:            {since: []int{1, 13, 19, 21}, build: buildSize},
	{"", "Concat"}:          {since: []int{1, 4, 11, 13}, build: buildConcat},
	{"", "Split"}:           {since: []int{1, 2, 11, 13, 18}, build: buildSplit},
	{"", "Slice"}:           {since: []int{1, 10, 11, 13}, build: buildSlice},
	{"", "Gather"}:          {since: []int{1, 11, 13}, build: buildGather},
	{"", "GatherElements"}:  {since: []int{11, 13}, build: buildGatherElements},
	{"", "GatherND"}:        {since: []int{11, 12, 13}, build: buildGatherND},
	{"", "ScatterND"}:       {since: []int{11, 13, 16, 18}, build: buildScatterND},
	{"", "ScatterElements"}: {since: []int{11, 13, 16, 18}, build: buildScatterElements},
	{"", "Compress"}:        {since: []int{9, 11}, build: buildCompress},
	{"", "NonZero"}:         {since: []int{9, 13}, build: buildNonZero},
	{"", "OneHot"}:          {since: []int{9, 11}, build: buildOneHot},
	{"", "Expand"}:          {since: []int{8, 13}, build: buildExpand},
	{"", "Tile"}:            {since: []int{1, 6, 13}, build: buildTile},
	{"", "Pad"}:             {since: []int{1, 2, 11, 13, 18, 19, 21}, build: buildPad},
	{"", "Trilu"}:           {since: []int{14}, build: buildTrilu},
	{"", "ConstantOfShape"}: {since: []int{9, 20, 21}, build: buildConstantOfShape},
	{"", "Range"}:           {since: []int{11}, build: buildRange},
	{"", "EyeLike"}:         {since: []int{9}, build: buildEyeLike},
	{"", "Unique"}:          {since: []int{11}, build: buildUnique},
}

// unsupportedVersion refuses an operator version onnxruntime has no
// kernel for.
func unsupportedVersion(n *node, from int) error {
	return fmt.Errorf("%s-%d is not supported (onnxruntime implements it from version %d)", n.opType, n.version, from)
}

// A relayout kernel gives its input a new shape without moving elements:
// Reshape, Flatten, Squeeze and Unsqueeze. dims computes the output shape
// into buf (the output's own shape buffer) from the inputs.
type relayout struct {
	dims func(buf []int, in []*Tensor) ([]int, error)
}

func (k *relayout) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	dims, err := k.dims(out[0].Shape[:0], in)
	if err != nil {
		return err
	}
	out[0].reset(x.Type, dims)
	copyAll(out[0], x)
	return nil
}

func buildReshape(n *node) (kernel, error) {
	var (
		shape     []int64
		allowZero bool
		err       error
	)
	if n.version < 5 {
		if err := onlyAttrs(n, "shape", "consumed_inputs"); err != nil {
			return nil, err
		}
		if err := n.checkArity(1, 1, 1, 1); err != nil {
			return nil, err
		}
		n.attr.required("shape")
		shape = n.attr.ints("shape")
		if shape == nil {
			shape = []int64{}
		}
	} else {
		allowed := []string{}
		if n.version >= 14 {
			allowed = append(allowed, "allowzero")
		}
		if err := onlyAttrs(n, allowed...); err != nil {
			return nil, err
		}
		if err := n.checkArity(2, 2, 1, 1); err != nil {
			return nil, err
		}
		if err := checkInputType(n, 1, "shape", Int64); err != nil {
			return nil, err
		}
		switch az := n.attr.int("allowzero", 0); az {
		case 0, 1:
			allowZero = az == 1
		default:
			return nil, fmt.Errorf("attribute allowzero is %d, want 0 or 1", az)
		}
		if shape, err = constInts(n, 1, "shape", true); err != nil {
			return nil, err
		}
	}
	if shape != nil {
		if err := checkReshapeSpec(intVec{i64: shape}, allowZero); err != nil {
			return nil, err
		}
	}
	sameType(n, 0)
	return &relayout{dims: func(buf []int, in []*Tensor) ([]int, error) {
		spec := intVec{i64: shape}
		if shape == nil {
			var err error
			if spec, err = intList(in[1], "shape", true); err != nil {
				return nil, err
			}
		}
		return reshapeDims(buf, in[0].Shape, spec, allowZero)
	}}, nil
}

// checkReshapeSpec checks a requested shape on its own: at most one -1,
// no other negative value, and no -1 together with a literal 0.
func checkReshapeSpec(spec intVec, allowZero bool) error {
	infer, zero := false, false
	for i := range spec.len() {
		switch v := spec.at(i); {
		case v == -1:
			if infer {
				return fmt.Errorf("shape has more than one -1")
			}
			infer = true
		case v == 0:
			zero = true
		case v < -1:
			return fmt.Errorf("shape has invalid dimension %d", v)
		}
	}
	if infer && zero && allowZero {
		return fmt.Errorf("shape has both -1 and 0 with allowzero=1")
	}
	return nil
}

// reshapeDims resolves a requested shape against the input shape, as
// onnxruntime's ReshapeHelper does, appending the result to buf.
func reshapeDims(buf, in []int, spec intVec, allowZero bool) ([]int, error) {
	if err := checkRank(spec.len()); err != nil {
		return nil, err
	}
	if err := checkReshapeSpec(spec, allowZero); err != nil {
		return nil, err
	}
	total := product(in)
	infer, known, overflow := -1, 1, false
	for i := range spec.len() {
		v := spec.at(i)
		d := 0
		switch {
		case v == -1:
			infer, d = i, 1
		case v == 0 && !allowZero:
			if i >= len(in) {
				return nil, fmt.Errorf("shape %s: dimension %d is 0 but the input %v has rank %d", specString(spec), i, in, len(in))
			}
			d = in[i]
		case v > maxElements:
			return nil, fmt.Errorf("shape %s has a dimension out of range", specString(spec))
		default:
			d = int(v)
		}
		buf = append(buf, d)
		if d != 0 && known > maxElements/d {
			overflow = true
		} else {
			known *= d
		}
	}
	if overflow {
		known = maxElements + 1
		for _, d := range buf {
			if d == 0 {
				known = 0
			}
		}
	}
	if infer >= 0 {
		if known == 0 || total%known != 0 {
			return nil, fmt.Errorf("cannot reshape %s to %s", formatShape(in), specString(spec))
		}
		buf[infer] = total / known
	} else if known != total {
		return nil, fmt.Errorf("cannot reshape %s to %s", formatShape(in), specString(spec))
	}
	return buf, nil
}

func specString(spec intVec) string {
	s := make([]int, spec.len())
	for i := range s {
		s[i] = int(spec.at(i))
	}
	return formatShape(s)
}

func buildFlatten(n *node) (kernel, error) {
	if err := onlyAttrs(n, "axis"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	axis := n.attr.int("axis", 1)
	if n.version < 11 && axis < 0 {
		return nil, fmt.Errorf("attribute axis is %d; negative axes need opset 11", axis)
	}
	sameType(n, 0)
	return &relayout{dims: func(buf []int, in []*Tensor) ([]int, error) {
		shape := in[0].Shape
		r := int64(len(shape))
		a := axis
		if a < 0 {
			a += r
		}
		if a < 0 || a > r {
			return nil, fmt.Errorf("axis %d is out of range for rank %d", axis, r)
		}
		return append(buf, product(shape[:a]), product(shape[a:])), nil
	}}, nil
}

// axesSource gives the axes of Squeeze and Unsqueeze: an attribute before
// opset 13, an input from it (constant, or read at run time).
type axesSource struct {
	fixed []int64 // the axes when known at build time (empty when absent)
	known bool
}

// get returns the axes, reading input 1 when they are not known.
func (s axesSource) get(in []*Tensor) (intVec, error) {
	if s.known {
		return intVec{i64: s.fixed}, nil
	}
	return intListOrScalar(in[1], "axes", true)
}

func readAxes(n *node, required bool) (axesSource, error) {
	if n.version < 13 {
		if err := onlyAttrs(n, "axes"); err != nil {
			return axesSource{}, err
		}
		if err := n.checkArity(1, 1, 1, 1); err != nil {
			return axesSource{}, err
		}
		if required {
			n.attr.required("axes")
		}
		axes := n.attr.ints("axes")
		if axes == nil {
			axes = []int64{}
		}
		return axesSource{fixed: axes, known: true}, nil
	}
	if err := onlyAttrs(n); err != nil {
		return axesSource{}, err
	}
	minIn := 1
	if required {
		minIn = 2
	}
	if err := n.checkArity(minIn, 2, 1, 1); err != nil {
		return axesSource{}, err
	}
	if err := checkInputType(n, 1, "axes", Int64); err != nil {
		return axesSource{}, err
	}
	if n.input(1) == "" {
		return axesSource{fixed: []int64{}, known: true}, nil
	}
	if c := n.constInput(1); c != nil {
		v, err := intListOrScalar(c, "axes", true)
		if err != nil {
			return axesSource{}, err
		}
		axes := make([]int64, v.len())
		for i := range axes {
			axes[i] = v.at(i)
		}
		return axesSource{fixed: axes, known: true}, nil
	}
	return axesSource{}, nil
}

func buildSqueeze(n *node) (kernel, error) {
	src, err := readAxes(n, false)
	if err != nil {
		return nil, err
	}
	sameType(n, 0)
	return &relayout{dims: func(buf []int, in []*Tensor) ([]int, error) {
		axes, err := src.get(in)
		if err != nil {
			return nil, err
		}
		// No axes, or an empty list, squeezes every unit axis (onnxruntime).
		return squeezeDims(buf, in[0].Shape, axes, axes.len() > 0)
	}}, nil
}

// squeezeDims drops the listed axes (which must have size 1; duplicates
// are allowed, as in onnxruntime), or every size-1 axis when byAxes is
// false.
func squeezeDims(buf, in []int, axes intVec, byAxes bool) ([]int, error) {
	if err := checkRank(axes.len()); err != nil {
		return nil, err
	}
	r := len(in)
	for i := range axes.len() {
		a, err := normAxis(axes.at(i), r)
		if err != nil {
			return nil, err
		}
		if in[a] != 1 {
			return nil, fmt.Errorf("cannot squeeze axis %d of shape %v: its size is not 1", a, in)
		}
	}
	for i, d := range in {
		drop := false
		if byAxes {
			for j := range axes.len() {
				if a, _ := normAxis(axes.at(j), r); a == i {
					drop = true
				}
			}
		} else {
			drop = d == 1
		}
		if !drop {
			buf = append(buf, d)
		}
	}
	return buf, nil
}

func buildUnsqueeze(n *node) (kernel, error) {
	src, err := readAxes(n, true)
	if err != nil {
		return nil, err
	}
	if src.known {
		if err := checkRank(len(src.fixed)); err != nil {
			return nil, err
		}
		if err := checkUnsqueezeAxes(intVec{i64: src.fixed}, -1); err != nil {
			return nil, err
		}
	}
	sameType(n, 0)
	return &relayout{dims: func(buf []int, in []*Tensor) ([]int, error) {
		axes, err := src.get(in)
		if err != nil {
			return nil, err
		}
		return unsqueezeDims(buf, in[0].Shape, axes)
	}}, nil
}

// checkUnsqueezeAxes refuses duplicate axes (compared after normalizing
// against the output rank when it is known, rank >= 0).
func checkUnsqueezeAxes(axes intVec, rank int) error {
	for i := range axes.len() {
		for j := range i {
			a, b := axes.at(i), axes.at(j)
			if rank >= 0 {
				if a < 0 {
					a += int64(rank)
				}
				if b < 0 {
					b += int64(rank)
				}
			}
			if a == b {
				return fmt.Errorf("axes %v have a duplicate axis", specString(axes))
			}
		}
	}
	return nil
}

func unsqueezeDims(buf, in []int, axes intVec) ([]int, error) {
	outRank := len(in) + axes.len()
	if err := checkRank(outRank); err != nil {
		return nil, err
	}
	for i := range axes.len() {
		if _, err := normAxis(axes.at(i), outRank); err != nil {
			return nil, err
		}
	}
	if err := checkUnsqueezeAxes(axes, outRank); err != nil {
		return nil, err
	}
	next := 0
	for j := range outRank {
		inserted := false
		for i := range axes.len() {
			if a, _ := normAxis(axes.at(i), outRank); a == j {
				inserted = true
			}
		}
		if inserted {
			buf = append(buf, 1)
		} else {
			buf = append(buf, in[next])
			next++
		}
	}
	return buf, nil
}

// transpose permutes its input's axes.
type transpose struct {
	perm []int // nil: reverse the axes
}

func buildTranspose(n *node) (kernel, error) {
	if err := onlyAttrs(n, "perm"); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	k := &transpose{}
	if n.attr.has("perm") {
		p := n.attr.ints("perm")
		k.perm = make([]int, len(p))
		seen := make([]bool, len(p))
		for i, v := range p {
			if v < 0 || v >= int64(len(p)) {
				return nil, fmt.Errorf("attribute perm %v is not a permutation: %d is out of range", p, v)
			}
			if seen[v] {
				return nil, fmt.Errorf("attribute perm %v is not a permutation: %d is repeated", p, v)
			}
			seen[v] = true
			k.perm[i] = int(v)
		}
	}
	sameType(n, 0)
	return k, nil
}

func (k *transpose) run(_ context.Context, in, out []*Tensor) error {
	x := in[0]
	r := len(x.Shape)
	if k.perm != nil && len(k.perm) != r {
		return fmt.Errorf("perm %v does not match input rank %d", k.perm, r)
	}
	var sb [maxLoops]int
	var lb [maxLoops]loop
	strides := intBuf(sb[:], r)
	stridesOf(strides, x.Shape)
	loops := loopBuf(lb[:], r)
	dims := out[0].Shape[:0]
	for i := range r {
		p := r - 1 - i
		if k.perm != nil {
			p = k.perm[i]
		}
		dims = append(dims, x.Shape[p])
		loops[i] = loop{n: x.Shape[p], src: strides[p]}
	}
	out[0].reset(x.Type, dims)
	d := 1
	for i := r - 1; i >= 0; i-- {
		loops[i].dst = d
		d *= loops[i].n
	}
	copyStrided(out[0], 0, x, 0, loops)
	return nil
}

// shapeOf is Shape: the input's dimensions [start:end] as int64.
type shapeOf struct {
	start, end int64
	hasEnd     bool
}

func buildShape(n *node) (kernel, error) {
	allowed := []string{}
	if n.version >= 15 {
		allowed = append(allowed, "start", "end")
	}
	if err := onlyAttrs(n, allowed...); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Int64}
	return &shapeOf{start: n.attr.int("start", 0), end: n.attr.int("end", 0), hasEnd: n.attr.has("end")}, nil
}

func (k *shapeOf) run(_ context.Context, in, out []*Tensor) error {
	shape := in[0].Shape
	r := int64(len(shape))
	clamp := func(v int64) int64 {
		if v < 0 {
			v += r
		}
		return min(max(v, 0), r)
	}
	start, end := clamp(k.start), r
	if k.hasEnd {
		end = clamp(k.end)
	}
	n := max(end-start, 0)
	out[0].reset(Int64, []int{int(n)})
	for i := range n {
		out[0].Int64[i] = int64(shape[start+i])
	}
	return nil
}

func buildSize(n *node) (kernel, error) {
	if err := onlyAttrs(n); err != nil {
		return nil, err
	}
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{Int64}
	return kernelFunc(func(_ context.Context, in, out []*Tensor) error {
		out[0].reset(Int64, nil)
		out[0].Int64[0] = int64(product(in[0].Shape))
		return nil
	}), nil
}
