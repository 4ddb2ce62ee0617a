package onnx

import (
	"context"
	"fmt"
	"math"
)

// cdistKernel is com.microsoft CDist: the distances between the rows of
// A ([m, k]) and the rows of B ([n, k]), an [m, n] matrix of A's type
// (float32 or float64). skl2onnx emits it for option optim='cdist'
// (k-nearest neighbours and the models built on them, kernel PCA,
// Gaussian processes) with B the training points, an initializer.
//
// onnxruntime 1.30 (contrib_ops/cpu/cdist.cc) implements two metrics,
// "sqeuclidean" (the default) and "euclidean", and computes, in A's type:
//
//	y = -2·A·Bᵀ                   its GEMM (MLAS's SGEMM or DGEMM, B not packed)
//	y[i, j] = (y[i, j] + ‖a_i‖²) + ‖b_j‖²
//	y = |y|, then √y for "euclidean"
//
// the squared norms being Eigen's squaredNorm (sqNorm32, sqNorm64). So a
// distance is never negative, and a point's distance to itself is the
// rounding residue of that sum, not always 0. The kernel reproduces those
// steps in that order, and matches onnxruntime's x86-64 build run on one
// thread (see gemm.go) bit for bit; the ms_cdist_* cases pin this. (Its
// other builds multiply with Eigen instead of MLAS.)
type cdistKernel struct {
	euclidean bool
	// With a constant B (an initializer), bNorms32 or bNorms64 are set
	// at load time, and b32 holds a float32 B prepared for the GEMM; b64
	// is a float64 B.
	b32      *gemmB
	bNorms32 []float32
	b64      []float64
	bNorms64 []float64
	// norms32 and norms64 lend buffers for the norms of a B known only
	// when the kernel runs.
	norms32 slicePool[float32]
	norms64 slicePool[float64]
}

func buildCDist(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := onlyAttrs(n, "metric"); err != nil {
		return nil, err
	}
	if _, err := nodeTypes(n, since(1, tFloat), 0, 1); err != nil {
		return nil, err
	}
	k := &cdistKernel{}
	switch metric := n.attr.string("metric", "sqeuclidean"); metric {
	case "sqeuclidean":
	case "euclidean":
		k.euclidean = true
	default:
		return nil, fmt.Errorf("metric %q is not implemented by onnxruntime's CDist, which computes only \"sqeuclidean\" and \"euclidean\"", metric)
	}
	if b := n.constInput(1); b != nil {
		// onnxruntime would fail every run: refuse the model.
		if len(b.Shape) != 2 || b.Shape[1] == 0 {
			return nil, fmt.Errorf("input B has shape %v; want [N, K] with K > 0", b.Shape)
		}
		rows, cols := b.Shape[0], b.Shape[1]
		switch b.Type {
		case Float32:
			k.b32 = prepareGemmB(b.Float32, rows, cols, true, false)
			k.bNorms32 = make([]float32, rows)
			for j := range rows {
				k.bNorms32[j] = sqNorm32(b.Float32[j*cols : (j+1)*cols])
			}
		case Float64:
			k.b64 = b.Float64
			k.bNorms64 = make([]float64, rows)
			for j := range rows {
				k.bNorms64[j] = sqNorm64(b.Float64[j*cols : (j+1)*cols])
			}
		}
	}
	n.outTypes = []DataType{firstKnown(n.inType(0), n.inType(1))}
	return k, nil
}

func (k *cdistKernel) run(ctx context.Context, in, out []*Tensor) error {
	a, b := in[0], in[1]
	if err := checkTypes(tFloat, a, b); err != nil {
		return err
	}
	if len(a.Shape) != 2 || a.Shape[1] == 0 {
		return fmt.Errorf("input A has shape %v; want [M, K] with K > 0", a.Shape)
	}
	if len(b.Shape) != 2 {
		return fmt.Errorf("input B has shape %v; want [N, K]", b.Shape)
	}
	if a.Shape[1] != b.Shape[1] {
		return fmt.Errorf("inputs A %v and B %v have different numbers of columns", a.Shape, b.Shape)
	}
	m, n, cols := a.Shape[0], b.Shape[0], a.Shape[1]
	var shape [2]int
	shape[0], shape[1] = m, n
	if err := checkSize(shape[:]); err != nil {
		return err
	}
	o := out[0]
	o.reset(a.Type, shape[:])
	if m == 0 || n == 0 {
		return nil
	}
	switch a.Type {
	case Float32:
		gb, norms := k.b32, k.bNorms32
		if gb == nil {
			gb = &gemmB{n: n, k: cols, transB: true, data: b.Float32}
			buf := k.norms32.get(n)
			defer k.norms32.put(buf)
			norms = *buf
			for j := range n {
				norms[j] = sqNorm32(b.Float32[j*cols : (j+1)*cols])
			}
		}
		return inRowChunks(ctx, m, n*cols, func(lo, hi int) {
			gb.sgemm(o.Float32[lo*n:hi*n], a.Float32[lo*cols:hi*cols], hi-lo, false, -2, 0)
			for i := lo; i < hi; i++ {
				addNorms(o.Float32[i*n:(i+1)*n], sqNorm32(a.Float32[i*cols:(i+1)*cols]), norms, k.euclidean)
			}
		})
	case Float64:
		bd, norms := k.b64, k.bNorms64
		if bd == nil {
			bd = b.Float64
			buf := k.norms64.get(n)
			defer k.norms64.put(buf)
			norms = *buf
			for j := range n {
				norms[j] = sqNorm64(b.Float64[j*cols : (j+1)*cols])
			}
		}
		return inRowChunks(ctx, m, n*cols, func(lo, hi int) {
			dgemm(o.Float64[lo*n:hi*n], a.Float64[lo*cols:hi*cols], bd, hi-lo, n, cols, false, true, -2, 0)
			for i := lo; i < hi; i++ {
				addNorms(o.Float64[i*n:(i+1)*n], sqNorm64(a.Float64[i*cols:(i+1)*cols]), norms, k.euclidean)
			}
		})
	}
	return nil
}

// addNorms turns one row of -2·A·Bᵀ into distances: (y + na) + nb[j],
// made non-negative, and its square root for the euclidean metric.
func addNorms[T float32 | float64](y []T, na T, nb []T, euclidean bool) {
	nb = nb[:len(y)]
	for j, v := range y {
		d := T(math.Abs(float64((v + na) + nb[j])))
		if euclidean {
			// Rounding the float64 square root of a float32 to float32
			// gives its correctly rounded float32 square root.
			d = T(math.Sqrt(float64(d)))
		}
		y[j] = d
	}
}

// sqNorm32 is Eigen's squaredNorm of x (len ≥ 1) as onnxruntime's x86-64
// build computes it, in four SSE lanes: lane l sums the rounded squares of
// x[i] for i ≡ l (mod 4) over the first len(x)/4·4 elements, two
// interleaved accumulators (blocks of four at even and odd positions)
// that are added together, plus a last odd block; the lanes are reduced
// as (l0 + l2) + (l1 + l3), and the remaining elements' squares added in
// order. Fewer than four elements are summed in order.
func sqNorm32(x []float32) float32 {
	n := len(x)
	full := n / 4 * 4
	if full == 0 {
		s := float32(x[0] * x[0])
		for _, v := range x[1:] {
			s += float32(v * v)
		}
		return s
	}
	r0 := [4]float32{float32(x[0] * x[0]), float32(x[1] * x[1]), float32(x[2] * x[2]), float32(x[3] * x[3])}
	if full > 4 {
		r1 := [4]float32{float32(x[4] * x[4]), float32(x[5] * x[5]), float32(x[6] * x[6]), float32(x[7] * x[7])}
		end2 := n / 8 * 8
		for i := 8; i < end2; i += 8 {
			p := x[i : i+8 : i+8]
			r0[0] += float32(p[0] * p[0])
			r0[1] += float32(p[1] * p[1])
			r0[2] += float32(p[2] * p[2])
			r0[3] += float32(p[3] * p[3])
			r1[0] += float32(p[4] * p[4])
			r1[1] += float32(p[5] * p[5])
			r1[2] += float32(p[6] * p[6])
			r1[3] += float32(p[7] * p[7])
		}
		for l := range r0 {
			r0[l] += r1[l]
		}
		if full > end2 {
			p := x[end2 : end2+4 : end2+4]
			for l := range r0 {
				r0[l] += float32(p[l] * p[l])
			}
		}
	}
	s := (r0[0] + r0[2]) + (r0[1] + r0[3])
	for _, v := range x[full:] {
		s += float32(v * v)
	}
	return s
}

// sqNorm64 is sqNorm32 for float64, whose SSE packets hold two lanes,
// reduced as l0 + l1.
func sqNorm64(x []float64) float64 {
	n := len(x)
	full := n / 2 * 2
	if full == 0 {
		return x[0] * x[0]
	}
	r0 := [2]float64{x[0] * x[0], x[1] * x[1]}
	if full > 2 {
		r1 := [2]float64{x[2] * x[2], x[3] * x[3]}
		end2 := n / 4 * 4
		for i := 4; i < end2; i += 4 {
			p := x[i : i+4 : i+4]
			r0[0] += float64(p[0] * p[0])
			r0[1] += float64(p[1] * p[1])
			r1[0] += float64(p[2] * p[2])
			r1[1] += float64(p[3] * p[3])
		}
		r0[0] += r1[0]
		r0[1] += r1[1]
		if full > end2 {
			r0[0] += float64(x[end2] * x[end2])
			r0[1] += float64(x[end2+1] * x[end2+1])
		}
	}
	s := r0[0] + r0[1]
	for _, v := range x[full:] {
		s += float64(v * v)
	}
	return s
}
