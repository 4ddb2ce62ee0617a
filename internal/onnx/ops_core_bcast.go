package onnx

import "fmt"

// maxOperands is the most operands a broadcast plan relates (Where's three).
const maxOperands = 3

// bcastSpace is the number of ints a kernel keeps on its stack for a
// broadcast plan; plans for higher ranks allocate.
const bcastSpace = (maxOperands + 2) * 8

// A bcastPlan says how the operands of an elementwise operator map onto
// its output under numpy's (multidirectional) broadcasting. The output's
// dimensions are merged wherever every operand either runs contiguously
// along both or repeats along both, so same-shape operands become one
// dimension and [N,F] with [F] two.
type bcastPlan struct {
	nops int
	// dims are the merged output dimensions, outermost first; there is at
	// least one.
	dims []int
	// stride holds, per operand and merged dimension, the operand's element
	// step: 0 where it repeats. Along the innermost dimension it is 0 or 1.
	stride [maxOperands][]int
	// size is the number of output elements.
	size int

	// Iteration state (see runs and step): the output offset and each
	// operand's offset of the current run, and the outer dimensions'
	// indices.
	o   int
	off [maxOperands]int
	idx []int
}

// planBroadcast broadcasts shapes together. It appends the output shape to
// dst and returns it with the plan, whose slices use space when it is
// large enough.
func planBroadcast(dst, space []int, shapes ...[]int) ([]int, bcastPlan, error) {
	var p bcastPlan
	p.nops = len(shapes)
	if out, fp, ok := planFlat(dst, space, shapes); ok {
		return out, fp, nil
	}
	rank := 0
	for _, s := range shapes {
		rank = max(rank, len(s))
	}
	out := dst[:0]
	for d := 0; d < rank; d++ {
		size := 1
		for _, s := range shapes {
			od := 1
			if i := d - (rank - len(s)); i >= 0 {
				od = s[i]
			}
			switch {
			case od == 1 || od == size:
			case size == 1:
				size = od
			default:
				return nil, p, fmt.Errorf("shapes %s cannot be broadcast together", formatShapes(shapes))
			}
		}
		out = append(out, size)
	}
	if err := checkSize(out); err != nil {
		return nil, p, err
	}
	need := (len(shapes) + 2) * max(rank, 1)
	if len(space) < need {
		space = make([]int, need)
	}
	p.dims = space[:0:max(rank, 1)]
	space = space[max(rank, 1):]
	p.idx = space[:max(rank, 1)]
	space = space[max(rank, 1):]
	for k := range shapes {
		p.stride[k] = space[:0:max(rank, 1)]
		space = space[max(rank, 1):]
	}
	var natural [maxOperands]int // each operand's stride at dimension d
	for k := range shapes {
		natural[k] = 1
	}
	// Walk from the innermost dimension out, then reverse.
	p.size = 1
	for d := rank - 1; d >= 0; d-- {
		n := out[d]
		p.size *= n
		if n == 1 {
			continue
		}
		var st [maxOperands]int
		for k, s := range shapes {
			od := 1
			if i := d - (rank - len(s)); i >= 0 {
				od = s[i]
			}
			if od != 1 {
				st[k] = natural[k]
				natural[k] *= od
			}
		}
		if last := len(p.dims) - 1; last >= 0 && samePattern(&p, last, &st) {
			p.dims[last] *= n
			continue
		}
		p.dims = append(p.dims, n)
		for k := range shapes {
			p.stride[k] = append(p.stride[k], st[k])
		}
	}
	if len(p.dims) == 0 {
		p.dims = append(p.dims, 1)
		for k := range shapes {
			p.stride[k] = append(p.stride[k], 0)
		}
	}
	reverse(p.dims)
	for k := range shapes {
		reverse(p.stride[k])
	}
	return out, p, nil
}

// planFlat plans the common cases without merging dimensions: operands
// of one shape; or two operands where one has a single element, or is a
// row ([F], [1,F], ...) repeated along the other's last dimension F (and
// has no more dimensions than the other). It reports whether it applied.
func planFlat(dst, space []int, shapes [][]int) ([]int, bcastPlan, bool) {
	var p bcastPlan
	p.nops = len(shapes)
	full, row := 0, false // the operand that gives the output its shape
	if len(shapes) == 2 && !equalShape(shapes[0], shapes[1]) {
		switch a, b := shapes[0], shapes[1]; {
		case shapeSize(b) == 1 && len(b) <= len(a):
		case shapeSize(a) == 1 && len(a) <= len(b):
			full = 1
		case isRowOf(b, a):
			row = true
		case isRowOf(a, b):
			full, row = 1, true
		default:
			return nil, p, false
		}
	} else {
		for _, s := range shapes[1:] {
			if !equalShape(s, shapes[0]) {
				return nil, p, false
			}
		}
	}
	if len(space) < 2*(2+len(shapes)) {
		space = make([]int, 2*(2+len(shapes)))
	}
	out := append(dst[:0], shapes[full]...)
	p.size = shapeSize(out)
	if !row {
		p.dims, p.idx = space[0:1], space[1:2]
		p.dims[0] = p.size
		for k, s := range shapes {
			p.stride[k] = space[2+k : 3+k]
			p.stride[k][0] = 0
			if equalShape(s, out) {
				p.stride[k][0] = 1
			}
		}
		return out, p, true
	}
	f := out[len(out)-1]
	p.dims, p.idx = space[0:2], space[2:4]
	p.dims[0], p.dims[1] = p.size/f, f
	p.stride[full], p.stride[1-full] = space[4:6], space[6:8]
	p.stride[full][0], p.stride[full][1] = f, 1
	p.stride[1-full][0], p.stride[1-full][1] = 0, 1
	return out, p, true
}

// isRowOf reports whether shape r is a row broadcast along the last
// dimension of shape s: all its dimensions are 1 but the last, which
// equals s's last (above 1), and it has no more dimensions than s.
func isRowOf(r, s []int) bool {
	if len(r) == 0 || len(r) > len(s) || r[len(r)-1] != s[len(s)-1] || r[len(r)-1] <= 1 {
		return false
	}
	for _, d := range r[:len(r)-1] {
		if d != 1 {
			return false
		}
	}
	return true
}

// samePattern reports whether every operand repeats along merged
// dimension i exactly when it repeats along the next outer dimension,
// whose strides are st; the two can then merge, keeping dimension i's
// strides (the operands' dimensions are contiguous).
func samePattern(p *bcastPlan, i int, st *[maxOperands]int) bool {
	for k := 0; k < p.nops; k++ {
		if (p.stride[k][i] == 0) != (st[k] == 0) {
			return false
		}
	}
	return true
}

func reverse(s []int) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func formatShapes(shapes [][]int) string {
	s := ""
	for i, sh := range shapes {
		if i > 0 {
			s += ", "
		}
		s += formatShape(sh)
	}
	return s
}

// inner returns the length of the innermost runs and each operand's step
// along them (0 or 1).
func (p *bcastPlan) inner() (n int, step [maxOperands]int) {
	last := len(p.dims) - 1
	for k := 0; k < p.nops; k++ {
		step[k] = p.stride[k][last]
	}
	return p.dims[last], step
}

// runs returns the number of runs along the innermost merged dimension,
// and resets the iteration to the first; step moves to the next. The
// current run starts at output offset p.o and operand offsets p.off.
func (p *bcastPlan) runs() int {
	p.o = 0
	p.off = [maxOperands]int{}
	clear(p.idx)
	if p.size == 0 {
		return 0
	}
	return p.size / p.dims[len(p.dims)-1]
}

func (p *bcastPlan) step() {
	last := len(p.dims) - 1
	p.o += p.dims[last]
	for d := last - 1; d >= 0; d-- {
		p.idx[d]++
		for k := 0; k < p.nops; k++ {
			p.off[k] += p.stride[k][d]
		}
		if p.idx[d] < p.dims[d] {
			return
		}
		for k := 0; k < p.nops; k++ {
			p.off[k] -= p.idx[d] * p.stride[k][d]
		}
		p.idx[d] = 0
	}
}

// binaryRuns evaluates a binary operator over a broadcast plan of two
// operands, calling vv for runs where both advance, vs where b repeats
// and sv where a repeats.
func binaryRuns[A, B, D any](p *bcastPlan, d []D, a []A, b []B,
	vv func(d []D, a []A, b []B), vs func(d []D, a []A, b B), sv func(d []D, a A, b []B)) {
	n, step := p.inner()
	for r := p.runs(); r > 0; r-- {
		o, ia, ib := p.o, p.off[0], p.off[1]
		dd := d[o : o+n]
		switch {
		case step[0] != 0 && step[1] != 0:
			vv(dd, a[ia:ia+n], b[ib:ib+n])
		case step[0] != 0:
			vs(dd, a[ia:ia+n], b[ib])
		default:
			// When both repeat, the output has a single element.
			sv(dd, a[ia], b[ib:ib+n])
		}
		p.step()
	}
}

// binaryMap evaluates f elementwise over a broadcast plan of two operands.
func binaryMap[A, B, D any](p *bcastPlan, d []D, a []A, b []B, f func(A, B) D) {
	n, step := p.inner()
	sa, sb := step[0], step[1]
	for r := p.runs(); r > 0; r-- {
		ia, ib := p.off[0], p.off[1]
		for i := p.o; i < p.o+n; i++ {
			d[i] = f(a[ia], b[ib])
			ia += sa
			ib += sb
		}
		p.step()
	}
}

// checkSize reports an error when a result of the given shape would have
// more than maxElements elements (broadcasting and products can make
// results far larger than their operands).
func checkSize(shape []int) error {
	n := 1
	for _, d := range shape {
		if d != 0 && n > maxElements/d {
			// Format the shape here, so that it does not escape.
			return fmt.Errorf("the result's shape %s has more than %d elements", formatShape(shape), maxElements)
		}
		n *= d
	}
	return nil
}
