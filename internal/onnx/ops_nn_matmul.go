package onnx

import (
	"context"
	"fmt"
)

// matMulKernel is MatMul with numpy's semantics: a 1-D first operand is a
// row vector and a 1-D second one a column vector (their unit dimension is
// dropped from the result), and the dimensions before the last two
// broadcast.
type matMulKernel struct {
	types typeSet
}

func buildMatMul(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, since(1, tFloat).then(9, tNum), 0, 1)
	if err != nil {
		return nil, err
	}
	n.outTypes = []DataType{firstKnown(n.inType(0), n.inType(1))}
	return &matMulKernel{types: ts}, nil
}

func (k *matMulKernel) run(_ context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	if err := checkTypes(k.types, a, b); err != nil {
		return err
	}
	ra, rb := len(a.Shape), len(b.Shape)
	if ra == 0 || rb == 0 {
		return fmt.Errorf("operands must have at least one dimension, got shapes %v and %v", a.Shape, b.Shape)
	}
	rows, inner := 1, a.Shape[ra-1]
	if ra > 1 {
		rows = a.Shape[ra-2]
	}
	innerB, cols := b.Shape[0], 1
	if rb > 1 {
		innerB, cols = b.Shape[rb-2], b.Shape[rb-1]
	}
	if inner != innerB {
		return fmt.Errorf("shapes %v and %v cannot be multiplied", a.Shape, b.Shape)
	}
	batchA, batchB := a.Shape[:max(ra-2, 0)], b.Shape[:max(rb-2, 0)]
	o := out[0]
	shape, err := bcastShape(o.Shape[:0], batchA, batchB)
	if err != nil {
		return fmt.Errorf("shapes %v and %v cannot be multiplied: %w", a.Shape, b.Shape, err)
	}
	if ra > 1 {
		shape = append(shape, rows)
	}
	if rb > 1 {
		shape = append(shape, cols)
	}
	if err := checkSize(shape); err != nil {
		return err
	}
	o.reset(a.Type, shape)
	var space [bcastSpace]int
	var shapeBuf [8]int
	_, p, err := planBroadcast(shapeBuf[:0], space[:], batchA, batchB)
	if err != nil {
		return err
	}
	g := gemmDims{n: rows, k: inner, m: cols}
	switch a.Type {
	case Float32:
		batchedGemm(&p, g, o.Float32, a.Float32, b.Float32)
	case Float64:
		batchedGemm(&p, g, o.Float64, a.Float64, b.Float64)
	case Int64:
		batchedGemm(&p, g, o.Int64, a.Int64, b.Int64)
	case Int32:
		batchedGemm(&p, g, o.Int32, a.Int32, b.Int32)
	}
	return nil
}

// gemmDims are the dimensions of c[n,m] = a[n,k]·b[k,m].
type gemmDims struct{ n, k, m int }

// batchedGemm multiplies the matrices of a and b pairwise along the batch
// dimensions that p broadcasts.
func batchedGemm[T number](p *bcastPlan, g gemmDims, c, a, b []T) {
	sa, sb, sc := g.n*g.k, g.k*g.m, g.n*g.m
	if sc == 0 {
		return
	}
	n, step := p.inner()
	for r := p.runs(); r > 0; r-- {
		ia, ib := p.off[0], p.off[1]
		for i := p.o; i < p.o+n; i++ {
			gemm(g, c[i*sc:(i+1)*sc], a[ia*sa:(ia+1)*sa], b[ib*sb:(ib+1)*sb])
			ia += step[0]
			ib += step[1]
		}
		p.step()
	}
}

// gemm sets c[n,m] to a[n,k]·b[k,m] (row-major). It accumulates each
// output row as a sum of b's rows scaled by a's elements, four rows of a
// at a time, so every b row loaded serves four outputs and the inner loop
// runs over contiguous memory.
func gemm[T number](g gemmDims, c, a, b []T) {
	n, k, m := g.n, g.k, g.m
	c, a, b = c[:n*m], a[:n*k], b[:k*m]
	clear(c)
	i := 0
	for ; i+4 <= n; i += 4 {
		c0, c1, c2, c3 := c[i*m:(i+1)*m], c[(i+1)*m:(i+2)*m], c[(i+2)*m:(i+3)*m], c[(i+3)*m:(i+4)*m]
		a0, a1, a2, a3 := a[i*k:(i+1)*k], a[(i+1)*k:(i+2)*k], a[(i+2)*k:(i+3)*k], a[(i+3)*k:(i+4)*k]
		for p := 0; p < k; p++ {
			bp := b[p*m : (p+1)*m]
			x0, x1, x2, x3 := a0[p], a1[p], a2[p], a3[p]
			c0, c1, c2, c3 := c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
			for j, v := range bp {
				c0[j] += x0 * v
				c1[j] += x1 * v
				c2[j] += x2 * v
				c3[j] += x3 * v
			}
		}
	}
	for ; i < n; i++ {
		ci, ai := c[i*m:(i+1)*m], a[i*k:(i+1)*k]
		for p, x := range ai {
			bp := b[p*m : (p+1)*m]
			ci := ci[:len(bp)]
			for j, v := range bp {
				ci[j] += x * v
			}
		}
	}
}

// gemmKernel is Gemm: alpha·A'·B' + beta·C, where A' and B' are A and B,
// transposed when transA and transB are set, and C broadcasts to the
// result. Like onnxruntime, it ignores C when beta is 0.
type gemmKernel struct {
	types          typeSet
	transA, transB bool
	alpha, beta    float32
	// bt is a constant B transposed at load time (for transB), so that
	// the product runs on contiguous rows.
	bt *Tensor
}

func buildGemm(n *node) (kernel, error) {
	var err error
	if n.version < 11 {
		err = n.checkArity(3, 3, 1, 1)
	} else {
		err = n.checkArity(2, 3, 1, 1)
	}
	if err != nil {
		return nil, err
	}
	ts, err := nodeTypes(n, since(7, tFloat), 0, 1, 2)
	if err != nil {
		return nil, err
	}
	k := &gemmKernel{types: ts,
		transA: n.attr.int("transA", 0) != 0, transB: n.attr.int("transB", 0) != 0,
		alpha: n.attr.float("alpha", 1), beta: n.attr.float("beta", 1)}
	for i := 0; i < 2; i++ {
		if c := n.constInput(i); c != nil && len(c.Shape) != 2 {
			return nil, fmt.Errorf("input %d has shape %v; it must be a matrix", i, c.Shape)
		}
	}
	if b := n.constInput(1); b != nil && k.transB && ts.has(b.Type) {
		k.bt = transpose2D(b)
	}
	n.outTypes = []DataType{firstKnown(n.inType(0), n.inType(1))}
	return k, nil
}

func (k *gemmKernel) run(_ context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	var c *Tensor
	if len(in) > 2 {
		c = in[2]
	}
	if err := checkTypes(k.types, a, b); err != nil {
		return err
	}
	if c != nil {
		if err := checkTypes(k.types, a, c); err != nil {
			return err
		}
	}
	if len(a.Shape) != 2 || len(b.Shape) != 2 {
		return fmt.Errorf("the operands must be matrices, got shapes %v and %v", a.Shape, b.Shape)
	}
	m, ka := a.Shape[0], a.Shape[1]
	if k.transA {
		m, ka = ka, m
	}
	transB := k.transB
	if k.bt != nil {
		b, transB = k.bt, false
	}
	kb, n := b.Shape[0], b.Shape[1]
	if transB {
		kb, n = n, kb
	}
	if ka != kb {
		return fmt.Errorf("shapes %v and %v cannot be multiplied (transA=%v, transB=%v)", a.Shape, in[1].Shape, k.transA, k.transB)
	}
	o := out[0]
	var shapeBuf [2]int
	shapeBuf[0], shapeBuf[1] = m, n
	if err := checkSize(shapeBuf[:]); err != nil {
		return err
	}
	o.reset(a.Type, shapeBuf[:])
	var p bcastPlan
	useC := c != nil && k.beta != 0
	var space [bcastSpace]int
	if useC {
		var dst [8]int
		shape, plan, err := planBroadcast(dst[:0], space[:], o.Shape, c.Shape)
		if err != nil || !equalShape(shape, o.Shape) {
			return fmt.Errorf("input C of shape %v does not broadcast to the result's shape %v", c.Shape, o.Shape)
		}
		p = plan
	}
	g := gemmDims{n: m, k: ka, m: n}
	switch a.Type {
	case Float32:
		gemmT(k.transA, transB, g, o.Float32, a.Float32, b.Float32)
		scaleAdd(k, useC, &p, o.Float32, c, func(t *Tensor) []float32 { return t.Float32 })
	case Float64:
		gemmT(k.transA, transB, g, o.Float64, a.Float64, b.Float64)
		scaleAdd(k, useC, &p, o.Float64, c, func(t *Tensor) []float64 { return t.Float64 })
	}
	return nil
}

// transpose2D returns the transpose of a matrix.
func transpose2D(t *Tensor) *Tensor {
	r, c := t.Shape[0], t.Shape[1]
	out := &Tensor{}
	out.reset(t.Type, []int{c, r})
	switch t.Type {
	case Float32:
		transposeInto(out.Float32, t.Float32, r, c)
	case Float64:
		transposeInto(out.Float64, t.Float64, r, c)
	}
	return out
}

func transposeInto[T any](d, s []T, r, c int) {
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d[j*r+i] = s[i*c+j]
		}
	}
}

// gemmT computes A'·B' into y.
func gemmT[T float32 | float64](transA, transB bool, g gemmDims, y, a, b []T) {
	switch {
	case !transA && !transB:
		gemm(g, y, a, b)
	case !transA:
		// b is [m,k]: each result is a dot product of two contiguous rows.
		for i := 0; i < g.n; i++ {
			ai := a[i*g.k : (i+1)*g.k]
			for j := 0; j < g.m; j++ {
				y[i*g.m+j] = dot(ai, b[j*g.k:(j+1)*g.k])
			}
		}
	default:
		for i := 0; i < g.n; i++ {
			for j := 0; j < g.m; j++ {
				var s T
				for p := 0; p < g.k; p++ {
					bv := b[p*g.m+j]
					if transB {
						bv = b[j*g.k+p]
					}
					s += a[p*g.n+i] * bv
				}
				y[i*g.m+j] = s
			}
		}
	}
}

// dot returns the dot product of a and b (equal lengths), summing in four
// interleaved accumulators.
func dot[T float32 | float64](a, b []T) T {
	b = b[:len(a)]
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// scaleAdd finishes Gemm: y = alpha·y + beta·C.
func scaleAdd[T float32 | float64](k *gemmKernel, useC bool, p *bcastPlan, y []T, c *Tensor, data func(*Tensor) []T) {
	alpha, beta := T(k.alpha), T(k.beta)
	if alpha != 1 {
		for i := range y {
			y[i] *= alpha
		}
	}
	if !useC {
		return
	}
	if beta == 1 {
		binaryRuns(p, y, y, data(c), addVV[T], addVS[T], addSV[T])
		return
	}
	binaryMap(p, y, y, data(c), func(v, cv T) T { return v + beta*cv })
}
