package onnx

import (
	"context"
	"fmt"
)

// matMulKernel is MatMul with numpy's semantics: a 1-D first operand is a
// row vector and a 1-D second one a column vector (their unit dimension is
// dropped from the result), and the dimensions before the last two
// broadcast. Floating-point products follow onnxruntime's GEMM order (see
// gemm.go); integer ones are plain sums.
type matMulKernel struct {
	types typeSet
	// b is a constant float32 matrix B prepared at load time, packed when
	// onnxruntime prepacks it (an initializer).
	b *gemmB
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
	k := &matMulKernel{types: ts}
	if b := n.constInput(1); b != nil && b.Type == Float32 && len(b.Shape) == 2 && ts.has(Float32) {
		k.b = prepareGemmB(b.Float32, b.Shape[1], b.Shape[0], false, n.weight(1))
	}
	return k, nil
}

func (k *matMulKernel) run(ctx context.Context, in, out []*Tensor) error {
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
	if a.Type == Float32 || a.Type == Float64 {
		return k.runFloat(ctx, o, a, b)
	}
	var space [bcastSpace]int
	var shapeBuf [8]int
	_, p, err := planBroadcast(shapeBuf[:0], space[:], batchA, batchB)
	if err != nil {
		return err
	}
	g := gemmDims{n: rows, k: inner, m: cols}
	switch a.Type {
	case Int64:
		batchedGemm(&p, g, o.Int64, a.Int64, b.Int64)
	case Int32:
		batchedGemm(&p, g, o.Int32, a.Int32, b.Int32)
	}
	return nil
}

// runFloat computes a floating-point MatMul into o (already shaped) as
// onnxruntime splits it into GEMMs: when B is a vector, one per row of A
// (each M = 1, N = 1); when B is a matrix (or a stack of one) and A has at
// least as many dimensions, one over all of A's rows; otherwise one per
// pair of broadcast matrices.
func (k *matMulKernel) runFloat(ctx context.Context, o, a, b *Tensor) error {
	ra, rb := len(a.Shape), len(b.Shape)
	inner := a.Shape[ra-1]
	rowsA := 1
	for _, d := range a.Shape[:ra-1] {
		rowsA *= d
	}
	cols := 1
	if rb > 1 {
		cols = b.Shape[rb-1]
	}
	stackB := 1
	for _, d := range b.Shape[:max(rb-2, 0)] {
		stackB *= d
	}
	switch {
	case rb == 1:
		for r := range rowsA {
			k.gemm(o, a, b, r*inner, 0, r, 1, inner, 1)
		}
	case ra >= 2 && ra >= rb && stackB == 1:
		return inRowChunks(ctx, rowsA, inner*cols, func(lo, hi int) {
			k.gemm(o, a, b, lo*inner, 0, lo*cols, hi-lo, inner, cols)
		})
	default:
		rows := 1
		if ra > 1 {
			rows = a.Shape[ra-2]
		}
		var space [bcastSpace]int
		var shapeBuf [8]int
		// The batch dimensions broadcast: run checked it.
		_, p, _ := planBroadcast(shapeBuf[:0], space[:], a.Shape[:max(ra-2, 0)], b.Shape[:max(rb-2, 0)])
		sa, sb, sc := rows*inner, inner*cols, rows*cols
		if sc == 0 {
			return nil
		}
		n, step := p.inner()
		for r := p.runs(); r > 0; r-- {
			ia, ib := p.off[0], p.off[1]
			for i := p.o; i < p.o+n; i++ {
				k.gemm(o, a, b, ia*sa, ib*sb, i*sc, rows, inner, cols)
				ia += step[0]
				ib += step[1]
			}
			p.step()
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// gemm computes one GEMM of runFloat: o[oOff:] = a[aOff:]·b[bOff:] for
// [m, k] and [k, n] matrices.
func (k *matMulKernel) gemm(o, a, b *Tensor, aOff, bOff, oOff, m, inner, n int) {
	if a.Type == Float64 {
		dgemm(o.Float64[oOff:oOff+m*n], a.Float64[aOff:aOff+m*inner], b.Float64[bOff:bOff+inner*n], m, n, inner, false, false, 1, 0)
		return
	}
	gb := k.b
	if gb == nil {
		gb = &gemmB{n: n, k: inner, data: b.Float32[bOff : bOff+inner*n]}
	}
	gb.sgemm(o.Float32[oOff:oOff+m*n], a.Float32[aOff:aOff+m*inner], m, false, 1, 0)
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
// result. Like onnxruntime, it ignores C when beta is 0, and computes in
// its GEMM's order (see gemm.go).
type gemmKernel struct {
	types          typeSet
	transA, transB bool
	alpha, beta    float32
	// b is a constant float32 B prepared at load time, packed when
	// onnxruntime prepacks it (an initializer).
	b *gemmB
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
	if b := n.constInput(1); b != nil && b.Type == Float32 && ts.has(Float32) {
		rows, cols := b.Shape[0], b.Shape[1]
		if k.transB {
			k.b = prepareGemmB(b.Float32, rows, cols, true, n.weight(1))
		} else {
			k.b = prepareGemmB(b.Float32, cols, rows, false, n.weight(1))
		}
	}
	n.outTypes = []DataType{firstKnown(n.inType(0), n.inType(1))}
	return k, nil
}

func (k *gemmKernel) run(ctx context.Context, in, out []*Tensor) error {
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
	kb, n := b.Shape[0], b.Shape[1]
	if k.transB {
		kb, n = n, kb
	}
	if ka != kb {
		return fmt.Errorf("shapes %v and %v cannot be multiplied (transA=%v, transB=%v)", a.Shape, b.Shape, k.transA, k.transB)
	}
	o := out[0]
	var shapeBuf [2]int
	shapeBuf[0], shapeBuf[1] = m, n
	if err := checkSize(shapeBuf[:]); err != nil {
		return err
	}
	o.reset(a.Type, shapeBuf[:])
	useC := c != nil && k.beta != 0
	if useC {
		var space [bcastSpace]int
		var dst [8]int
		shape, _, err := planBroadcast(dst[:0], space[:], o.Shape, c.Shape)
		if err != nil || !equalShape(shape, o.Shape) {
			return fmt.Errorf("input C of shape %v does not broadcast to the result's shape %v", c.Shape, o.Shape)
		}
	}
	// onnxruntime copies C into the result unscaled and has the GEMM
	// apply beta (which it leaves undone when K is 0).
	beta := k.beta
	if !useC {
		beta = 0
	}
	switch a.Type {
	case Float32:
		if useC {
			broadcastInto(o.Float32, m, n, c.Float32, c.Shape)
		}
		gb := k.b
		if gb == nil {
			gb = &gemmB{n: n, k: ka, transB: k.transB, data: b.Float32}
		}
		if k.transA {
			gb.sgemm(o.Float32, a.Float32, m, true, k.alpha, beta)
			return nil
		}
		return inRowChunks(ctx, m, n*ka, func(lo, hi int) {
			gb.sgemm(o.Float32[lo*n:hi*n], a.Float32[lo*ka:hi*ka], hi-lo, false, k.alpha, beta)
		})
	case Float64:
		if useC {
			broadcastInto(o.Float64, m, n, c.Float64, c.Shape)
		}
		if k.transA {
			dgemm(o.Float64, a.Float64, b.Float64, m, n, ka, true, k.transB, float64(k.alpha), float64(beta))
			return nil
		}
		return inRowChunks(ctx, m, n*ka, func(lo, hi int) {
			dgemm(o.Float64[lo*n:hi*n], a.Float64[lo*ka:hi*ka], b.Float64, hi-lo, n, ka, false, k.transB, float64(k.alpha), float64(beta))
		})
	}
	return nil
}

// broadcastInto sets y ([m, n]) to c broadcast; c's shape, of rank at most
// two, broadcasts to [m, n].
func broadcastInto[T any](y []T, m, n int, c []T, cShape []int) {
	rows, cols := 1, 1
	switch len(cShape) {
	case 1:
		cols = cShape[0]
	case 2:
		rows, cols = cShape[0], cShape[1]
	}
	for i := range m {
		row := y[i*n : (i+1)*n]
		src := c[min(i, rows-1)*cols:]
		if cols == 1 {
			for j := range row {
				row[j] = src[0]
			}
		} else {
			copy(row, src[:n])
		}
	}
}
