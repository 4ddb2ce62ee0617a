package onnx

import (
	"context"
	"fmt"
	"math"
)

// coreOps holds the kernels for elementwise arithmetic, comparison, logic, Cast, Identity, Constant.
//
// Every operator lists all its schema versions, but binds only those
// onnxruntime implements, with the element types its CPU kernels
// register (see typeRule); the oldest schemas (consumed_inputs, legacy
// broadcast attributes) have no kernel there and are refused here too.
var coreOps = withAttrCheck(map[opKey]opSpec{
	{"", "Identity"}: {since: []int{1, 13, 14, 16, 19, 21}, build: buildIdentity},
	{"", "Constant"}: {since: []int{1, 9, 11, 12, 13, 19, 21}, build: buildConstant},
	{"", "Cast"}:     {since: []int{1, 6, 9, 13, 19, 21}, build: buildCast},
	{"", "CastLike"}: {since: []int{15, 19, 21}, build: buildCastLike},

	{"", "Abs"}:        {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tNum), absOp())},
	{"", "Neg"}:        {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tNum), negOp())},
	{"", "Exp"}:        {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), floatOp(math.Exp))},
	{"", "Log"}:        {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), floatOp(math.Log))},
	{"", "Sqrt"}:       {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), floatOp(math.Sqrt))},
	{"", "Reciprocal"}: {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), reciprocalOp())},
	{"", "Floor"}:      {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), floatOp(math.Floor))},
	{"", "Ceil"}:       {since: []int{1, 6, 13}, build: unaryBuilder(since(6, tFloat), floatOp(math.Ceil))},
	{"", "Round"}:      {since: []int{11}, build: unaryBuilder(since(11, tFloat), floatOp(math.RoundToEven))},
	{"", "Sign"}:       {since: []int{9, 13}, build: unaryBuilder(since(9, tNum), signOp())},
	{"", "Erf"}:        {since: []int{9, 13}, build: unaryBuilder(since(9, tF32), floatOp(math.Erf))},
	{"", "Sin"}:        {since: []int{7}, build: unaryBuilder(since(7, tFloat), floatOp(math.Sin))},
	{"", "Cos"}:        {since: []int{7}, build: unaryBuilder(since(7, tFloat), floatOp(math.Cos))},
	{"", "Tan"}:        {since: []int{7}, build: unaryBuilder(since(7, tF32), floatOp(math.Tan))},
	{"", "Asin"}:       {since: []int{7}, build: unaryBuilder(since(7, tF32), floatOp(math.Asin))},
	{"", "Acos"}:       {since: []int{7}, build: unaryBuilder(since(7, tF32), floatOp(math.Acos))},
	{"", "Atan"}:       {since: []int{7}, build: unaryBuilder(since(7, tF32), floatOp(math.Atan))},
	{"", "Sinh"}:       {since: []int{9}, build: unaryBuilder(since(9, tF32), floatOp(math.Sinh))},
	{"", "Cosh"}:       {since: []int{9}, build: unaryBuilder(since(9, tF32), floatOp(math.Cosh))},
	{"", "Not"}:        {since: []int{1}, build: buildNot},
	{"", "IsNaN"}:      {since: []int{9, 13, 20}, build: buildIsNaN},
	{"", "IsInf"}:      {since: []int{10, 20}, build: buildIsInf},

	{"", "Add"}: {since: []int{1, 6, 7, 13, 14}, build: arithBuilder(opAdd)},
	{"", "Sub"}: {since: []int{1, 6, 7, 13, 14}, build: arithBuilder(opSub)},
	{"", "Mul"}: {since: []int{1, 6, 7, 13, 14}, build: arithBuilder(opMul)},
	{"", "Div"}: {since: []int{1, 6, 7, 13, 14}, build: arithBuilder(opDiv)},
	{"", "Pow"}: {since: []int{1, 7, 12, 13, 15}, build: buildPow},
	{"", "Mod"}: {since: []int{10, 13}, build: buildMod},

	{"", "Max"}:  {since: []int{1, 6, 8, 12, 13}, build: variadicBuilder(varMax, since(6, tF32).then(8, tFloat).then(12, tNum))},
	{"", "Min"}:  {since: []int{1, 6, 8, 12, 13}, build: variadicBuilder(varMin, since(6, tF32).then(8, tFloat).then(12, tNum))},
	{"", "Sum"}:  {since: []int{1, 6, 8, 13}, build: variadicBuilder(varSum, since(6, tFloat))},
	{"", "Mean"}: {since: []int{1, 6, 8, 13}, build: variadicBuilder(varMean, since(6, tF32))},

	{"", "Equal"}:          {since: []int{1, 7, 11, 13, 19}, build: compareBuilder(cmpEqual, false, since(7, tBool|tInt).then(11, tBool|tNum).then(19, tBool|tNum|tStr))},
	{"", "Less"}:           {since: []int{1, 7, 9, 13}, build: compareBuilder(cmpLess, false, since(7, tFloat).then(9, tNum))},
	{"", "Greater"}:        {since: []int{1, 7, 9, 13}, build: compareBuilder(cmpLess, true, since(7, tFloat).then(9, tNum))},
	{"", "LessOrEqual"}:    {since: []int{12, 16}, build: compareBuilder(cmpLessEq, false, since(12, tNum))},
	{"", "GreaterOrEqual"}: {since: []int{12, 16}, build: compareBuilder(cmpLessEq, true, since(12, tNum))},

	{"", "And"}: {since: []int{1, 7}, build: logicBuilder(func(a, b bool) bool { return a && b })},
	{"", "Or"}:  {since: []int{1, 7}, build: logicBuilder(func(a, b bool) bool { return a || b })},
	{"", "Xor"}: {since: []int{1, 7}, build: logicBuilder(func(a, b bool) bool { return a != b })},

	{"", "Where"}: {since: []int{9, 16}, build: buildWhere},
	{"", "Clip"}:  {since: []int{1, 6, 11, 12, 13}, build: buildClip},
})

// identity copies its input.
func identity(_ context.Context, in, out []*Tensor) error {
	out[0].copyFrom(in[0])
	return nil
}

func buildIdentity(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(0)}
	return kernelFunc(identity), nil
}

// constant is Constant: its value, folded at load time.
type constant struct{ value *Tensor }

func (k constant) run(_ context.Context, _, out []*Tensor) error {
	out[0].copyFrom(k.value)
	return nil
}

func buildConstant(n *node) (kernel, error) {
	if err := n.checkArity(0, 0, 1, 1); err != nil {
		return nil, err
	}
	if n.attr.has("sparse_value") {
		return nil, fmt.Errorf("sparse constants are not supported")
	}
	names := []string{"value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings"}
	var set []string
	for _, a := range names {
		if n.attr.has(a) {
			set = append(set, a)
		}
	}
	if len(set) != 1 {
		return nil, fmt.Errorf("exactly one of the attributes %v must be set, found %v", names, set)
	}
	var v *Tensor
	switch a := n.attr; set[0] {
	case "value":
		v = a.tensor("value")
	case "value_float":
		v = NewFloat32([]float32{a.float("value_float", 0)})
	case "value_floats":
		f := a.floats("value_floats")
		v = NewFloat32(f, len(f))
	case "value_int":
		v = NewInt64([]int64{a.int("value_int", 0)})
	case "value_ints":
		i := a.ints("value_ints")
		v = NewInt64(i, len(i))
	case "value_string":
		v = NewString([]string{a.string("value_string", "")})
	case "value_strings":
		s := a.strings("value_strings")
		v = NewString(s, len(s))
	}
	if v == nil {
		return nil, n.attr.err
	}
	if n.version < 9 && v.Type != Float32 && v.Type != Float64 {
		return nil, fmt.Errorf("Constant-1 takes float32 or float64 values, not %v", v.Type)
	}
	n.outTypes = []DataType{v.Type}
	return constant{value: v}, nil
}

// castKernel is Cast: it converts its input to type to.
type castKernel struct{ to DataType }

func (k castKernel) run(_ context.Context, in, out []*Tensor) error {
	return castInto(out[0], in[0], k.to)
}

func buildCast(n *node) (kernel, error) {
	if err := n.checkArity(1, 1, 1, 1); err != nil {
		return nil, err
	}
	if n.version < 6 {
		// Cast-1 names the target type with a string; onnxruntime has no
		// kernel for it either.
		return nil, fmt.Errorf("Cast-1 (opset below 6) is not supported")
	}
	n.attr.required("to")
	to := DataType(n.attr.int("to", 0))
	if err := checkSaturate(n); err != nil {
		return nil, err
	}
	if n.attr.err == nil && !to.supported() {
		return nil, fmt.Errorf("cast to %v is not supported", to)
	}
	n.outTypes = []DataType{to}
	return castKernel{to: to}, nil
}

// checkSaturate checks Cast's and CastLike's saturate attribute (v19),
// which only matters for float8 targets; onnxruntime refuses saturate=0
// for any other target.
func checkSaturate(n *node) error {
	if s := n.attr.int("saturate", 1); s != 1 {
		return fmt.Errorf("attribute \"saturate\" = %d is only meaningful for float8 targets", s)
	}
	return nil
}

// castLike is CastLike: it converts its first input to the second's type.
func castLike(_ context.Context, in, out []*Tensor) error {
	return castInto(out[0], in[0], in[1].Type)
}

func buildCastLike(n *node) (kernel, error) {
	if err := n.checkArity(2, 2, 1, 1); err != nil {
		return nil, err
	}
	if err := checkSaturate(n); err != nil {
		return nil, err
	}
	n.outTypes = []DataType{n.inType(1)}
	return kernelFunc(castLike), nil
}
