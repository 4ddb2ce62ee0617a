"""gen_core writes cases for the default-domain (ai.onnx) operators of the
core, nn and reduce families: arithmetic, comparison, logic, Cast, neural
network layers and activations, reductions, ArgMax/ArgMin, CumSum, TopK.

Each case is one small model (usually a single node) at a given opset,
with NaN and edge values where the operator has something to say about
them. Names start with core_.
"""
import sys

import numpy as np
from onnx import helper, TensorProto
from casegen import make_model, write_case, write_error_case

F, D, I64, I32, B, S = (TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.INT32,
                        TensorProto.BOOL, TensorProto.STRING)
NP = {F: np.float32, D: np.float64, I64: np.int64, I32: np.int32, B: np.bool_, S: object}
nan = np.nan

ONLY = sys.argv[1:]  # optional name prefixes to regenerate


def wanted(name):
    return not ONLY or any(name.startswith(p) for p in ONLY)


def vi(name, typ, shape=None):
    return helper.make_tensor_value_info(name, typ, shape)


def single(name, op, inputs, out_types, opset, attrs=None, inits=(), out_names=None, tol=(1e-5, 1e-6),
           description="", error=False):
    """single writes a one-node case. inputs is a list of (name, numpy array)
    graph inputs (a name "" leaves an optional input out); inits are
    initializers given as (name, array)."""
    if not wanted(name):
        return
    ins = [n for n, _ in inputs]
    graph_inputs = []
    feeds = {}
    for n, arr in inputs:
        if n == "":
            continue
        arr = np.asarray(arr)
        graph_inputs.append(vi(n, _onnx_type(arr), None))
        feeds[n] = arr
    out_names = out_names or (["Y"] if not isinstance(out_types, list) else ["Y%d" % i for i in range(len(out_types))])
    out_types = out_types if isinstance(out_types, list) else [out_types]
    node_inputs = ins + [n for n, _ in inits]
    node = helper.make_node(op, node_inputs, out_names, **(attrs or {}))
    initializers = [helper.make_tensor(n, _onnx_type(np.asarray(a)), np.asarray(a).shape,
                                       np.asarray(a).reshape(-1).tolist()) for n, a in inits]
    m = make_model([node], graph_inputs, [vi(o, t) for o, t in zip(out_names, out_types)], initializers,
                   opsets={"": opset}, name=name)
    if error:
        write_error_case(name, m, feeds, description=description)
    else:
        write_case(name, m, feeds, tol_abs=tol[0], tol_rel=tol[1], description=description, check=False)


def _onnx_type(arr):
    k = arr.dtype
    if k == np.float32:
        return F
    if k == np.float64:
        return D
    if k == np.int64:
        return I64
    if k == np.int32:
        return I32
    if k == np.bool_:
        return B
    return S


def f32(*v):
    return np.array(v, dtype=np.float32)


# --- Identity, Cast ---------------------------------------------------------

X_EDGE = f32(1.5, -1.5, 2.7, -2.7, 0, -0.0, nan, 1e10, -1e10, 3e38, 123456789, 1e-5, 0.1, 2.5, 1 / 3, 1e-7)
for ver in (1, 13, 14, 16, 19, 21):
    single("core_identity_v%d" % ver, "Identity", [("X", X_EDGE.reshape(4, 4))], F, ver)

for ver in (6, 9, 13, 19, 21):
    for to, nm in ((I64, "int64"), (I32, "int32"), (D, "double"), (B, "bool"), (S, "string")):
        single("core_cast_v%d_float_%s" % (ver, nm), "Cast", [("X", X_EDGE)], to, ver, {"to": to})
X64 = np.array([1.5, -2.5, 1e300, -1e-300, 0.1, 1 / 3, nan, 123456.789, 1e16, 2 ** 53 + 1, 9.3e18, -9.3e18],
               dtype=np.float64)
for to, nm in ((F, "float"), (I64, "int64"), (I32, "int32"), (B, "bool"), (S, "string")):
    single("core_cast_double_%s" % nm, "Cast", [("X", X64)], to, 13, {"to": to})
I64_EDGE = np.array([0, 1, -1, 2 ** 40 + 5, -(2 ** 33) - 7, 2 ** 53 - 1, 16777217, 2 ** 31 + 2 ** 30], dtype=np.int64)
for to, nm in ((F, "float"), (D, "double"), (I32, "int32"), (B, "bool"), (S, "string")):
    single("core_cast_int64_%s" % nm, "Cast", [("X", I64_EDGE)], to, 13, {"to": to})
I32_EDGE = np.array([0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 16777217], dtype=np.int32)
for to, nm in ((F, "float"), (D, "double"), (I64, "int64"), (B, "bool"), (S, "string")):
    single("core_cast_int32_%s" % nm, "Cast", [("X", I32_EDGE)], to, 13, {"to": to})
B_EDGE = np.array([True, False, True], dtype=np.bool_)
for to, nm in ((F, "float"), (D, "double"), (I64, "int64"), (I32, "int32"), (S, "string")):
    single("core_cast_bool_%s" % nm, "Cast", [("X", B_EDGE)], to, 13, {"to": to})
STR_NUM = np.array([" 1.5", "1e3", "inf", "-Infinity", "nan", "0x1p3", "12abc", "  -7", "+3.99", "-0", ".5", "1.",
                    "0x1.8", "1e", "5e-3x", "\t42"], dtype=object)
for to, nm in ((F, "float"), (D, "double"), (I64, "int64"), (I32, "int32"), (B, "bool")):
    src = STR_NUM
    if to in (I64, I32, B):
        src = np.array([" 15", "-7", "+3", "12abc", "3.99", "-0", "0", "  42x", "2147483648", "-1"], dtype=object)
    single("core_cast_string_%s" % nm, "Cast", [("X", src)], to, 13, {"to": to})
for bad, to, nm in (("abc", F, "float"), ("1e999", D, "double_overflow"), ("99999999999999999999", I64, "int64_overflow"),
                    ("", I64, "int64_empty"), ("x1", B, "bool")):
    single("core_cast_string_bad_%s" % nm, "Cast", [("X", np.array(["1", bad], dtype=object))], to, 13, {"to": to},
           error=True)
single("core_cast_string_subnormal", "Cast", [("X", np.array(["0x1p-1070", "2.2250738585072014e-308", "1e-40"], dtype=object))], D, 13, {"to": D})
single("core_cast_string_bad_subnormal", "Cast", [("X", np.array(["1e-310"], dtype=object))], D, 13, {"to": D}, error=True)
single("core_cast_saturate0", "Cast", [("X", f32(1, 2))], I64, 19, {"to": I64, "saturate": 0}, error=True)
single("core_castlike_v15", "CastLike", [("X", X_EDGE), ("T", np.array([1], dtype=np.int64))], I64, 15)
single("core_castlike_v21_string", "CastLike", [("X", X_EDGE), ("T", np.array(["a"], dtype=object))], S, 21)


# --- elementwise unary ------------------------------------------------------

def single_chain(name, op, x, out_type, opset, attrs=None, zeros_at=(), description="", error=False, extra_inputs=()):
    """single_chain writes X / D -> op -> Y, where D is 1 except for zeros
    at the flat positions zeros_at, so that X's nonzero values there become
    ±inf (and zeros NaN): requests cannot carry infinities."""
    if not wanted(name):
        return
    x = np.asarray(x)
    d = np.ones(x.shape, dtype=x.dtype)
    d.reshape(-1)[list(zeros_at)] = 0
    nodes = [helper.make_node("Div", ["X", "D"], ["T"]),
             helper.make_node(op, ["T"] + [n for n, _ in extra_inputs], ["Y"], **(attrs or {}))]
    inits = [helper.make_tensor("D", _onnx_type(d), d.shape, d.reshape(-1).tolist())]
    for n, a in extra_inputs:
        a = np.asarray(a)
        inits.append(helper.make_tensor(n, _onnx_type(a), a.shape, a.reshape(-1).tolist()))
    m = make_model(nodes, [vi("X", _onnx_type(x))], [vi("Y", out_type)], inits, opsets={"": opset}, name=name)
    if error:
        write_error_case(name, m, {"X": x}, description=description)
    else:
        write_case(name, m, {"X": x}, description=description, check=False)


UX = f32(-2.5, -1, -0.5, 0, 0.5, 1, 2.5, nan, 3.7, -3.7, 0.25, 7).reshape(3, 4)
UX_INF = [3, 9]  # 0/0 = NaN at 3; -3.7/0 = -inf at 9
UNIT = f32(-0.9, -0.5, 0, 0.5, 0.9, nan, 1.5, -1.5).reshape(2, 4)
I64X = np.array([[-7, -1, 0, 1], [5, 9, -(2 ** 40), 2 ** 40]], dtype=np.int64)
I32X = np.array([[-7, -1, 0, 1], [5, 9, -(2 ** 20), 2 ** 20]], dtype=np.int32)
UNARY = [
    # op, versions, float types, ints, input
    ("Abs", (6, 13), (F, D), (I64, I32), UX),
    ("Neg", (6, 13), (F, D), (I64, I32), UX),
    ("Exp", (6, 13), (F, D), (), UX),
    ("Log", (6, 13), (F, D), (), UX),
    ("Sqrt", (6, 13), (F, D), (), UX),
    ("Reciprocal", (6, 13), (F, D), (), UX),
    ("Floor", (6, 13), (F, D), (), UX),
    ("Ceil", (6, 13), (F, D), (), UX),
    ("Round", (11,), (F, D), (), f32(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, 2.6, -2.6, nan, 1e8 + 0.5, -0.0)),
    ("Sign", (9, 13), (F, D), (I64, I32), UX),
    ("Erf", (9, 13), (F,), (), UX),
    ("Sin", (7,), (F, D), (), UX),
    ("Cos", (7,), (F, D), (), UX),
    ("Tan", (7,), (F,), (), UX),
    ("Asin", (7,), (F,), (), UNIT),
    ("Acos", (7,), (F,), (), UNIT),
    ("Atan", (7,), (F,), (), UX),
    ("Sinh", (9,), (F,), (), UX),
    ("Cosh", (9,), (F,), (), UX),
    ("Sigmoid", (6, 13), (F, D), (), UX * 4),
    ("Tanh", (6, 13), (F, D), (), UX * 4),
    ("Relu", (6, 13, 14), (F, D), (), UX),
    ("Softplus", (1,), (F,), (), UX * 10),
    ("Softsign", (1,), (F,), (), UX),
    ("Elu", (6,), (F,), (), UX),
    ("Selu", (6,), (F,), (), UX),
    ("Celu", (12,), (F,), (), UX),
    ("HardSigmoid", (6,), (F,), (), UX),
    ("HardSwish", (14,), (F,), (), UX),
    ("ThresholdedRelu", (10,), (F,), (), UX),
    ("LeakyRelu", (6, 16), (F,), (), UX),
]
for op, versions, floats, ints, x in UNARY:
    for ver in versions:
        for t in floats:
            arr = np.asarray(x, dtype=NP[t])
            single("core_%s_v%d_%s" % (op.lower(), ver, "f32" if t == F else "f64"), op, [("X", arr)], t, ver)
        for t in ints:
            arr = np.asarray(I64X if t == I64 else I32X)
            single("core_%s_v%d_%s" % (op.lower(), ver, "i64" if t == I64 else "i32"), op, [("X", arr)], t, ver)
    single_chain("core_%s_inf" % op.lower(), op, np.asarray(x, dtype=np.float32), F, max(versions[-1], 7), zeros_at=UX_INF if x.size == 12 else [2])
    # Before the first version onnxruntime implements, or with a type it lacks.
    if versions[0] > 1 and op not in ("Round", "Sign", "Erf", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Celu", "HardSwish", "ThresholdedRelu"):
        single("core_%s_v1_refused" % op.lower(), op, [("X", UX)], F, 1, error=True,
               description="onnxruntime has no kernel for the oldest schema")
single("core_relu_v14_i32", "Relu", [("X", I32X)], I32, 14)
single("core_relu_v14_i64_refused", "Relu", [("X", I64X)], I64, 14, error=True)
single("core_erf_f64_refused", "Erf", [("X", UX.astype(np.float64))], D, 13, error=True)
single("core_leakyrelu_v16_f64", "LeakyRelu", [("X", UX.astype(np.float64))], D, 16, {"alpha": 0.2})
single("core_leakyrelu_alpha", "LeakyRelu", [("X", UX)], F, 6, {"alpha": 0.3})
single("core_elu_alpha", "Elu", [("X", UX)], F, 6, {"alpha": 0.5})
single("core_selu_attrs", "Selu", [("X", UX)], F, 6, {"alpha": 2.0, "gamma": 3.0})
single("core_celu_alpha", "Celu", [("X", UX)], F, 12, {"alpha": 2.0})
single("core_hardsigmoid_attrs", "HardSigmoid", [("X", UX)], F, 6, {"alpha": 0.5, "beta": 0.6})
single("core_thresholdedrelu_alpha", "ThresholdedRelu", [("X", UX)], F, 10, {"alpha": 0.4})
single("core_exp_int_refused", "Exp", [("X", I64X)], I64, 13, error=True)
single("core_not", "Not", [("X", np.array([[True, False], [False, True]]))], B, 1)
single("core_isnan_v9", "IsNaN", [("X", UX)], B, 9)
single("core_isnan_v13_f64", "IsNaN", [("X", UX.astype(np.float64))], B, 13)
single("core_isnan_v20", "IsNaN", [("X", UX)], B, 20)
for ver in (10, 20):
    for neg, pos in ((1, 1), (0, 1), (1, 0), (0, 0)):
        single_chain("core_isinf_v%d_%d%d" % (ver, neg, pos), "IsInf", f32(1, -1, 0, 2, nan, -3), B, ver,
                     {"detect_negative": neg, "detect_positive": pos}, zeros_at=[0, 1, 2])

# --- elementwise binary -----------------------------------------------------

A34 = f32(1.5, -2, 3.25, 0, nan, 7, -0.5, 1e-3, 4, -4, 2.5, 100).reshape(3, 4)
B4 = f32(2, -0.5, 4, 3)
B14 = B4.reshape(1, 4)
B31 = f32(3, -1, 0.5).reshape(3, 1)
SCL = np.float32(1.5)
A234 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 4 - 2
BCAST = [  # name, a, b
    ("same", A34, A34[::-1].copy()),
    ("row", A34, B4),
    ("row2d", A34, B14),
    ("col", A34, B31),
    ("outer", B31, B14),
    ("scalar", A34, np.array(SCL)),
    ("scalar_first", np.array(SCL), A34),
    ("rank3", A234, B31),
    ("empty", np.zeros((0, 4), np.float32), B4),
]
for op in ("Add", "Sub", "Mul", "Div"):
    for ver in (7, 13, 14):
        single("core_%s_v%d" % (op.lower(), ver), op, [("A", A34), ("B", B4)], F, ver)
    for nm, a, b in BCAST:
        single("core_%s_%s" % (op.lower(), nm), op, [("A", a), ("B", b)], F, 14)
    single("core_%s_f64" % op.lower(), op, [("A", A34.astype(np.float64)), ("B", B31.astype(np.float64))], D, 14)
    ia = np.array([[7, -7, 9, -9], [1, 0, -1, 100]], dtype=np.int64)
    ib = np.array([2, 2, -4, -4], dtype=np.int64)
    single("core_%s_i64" % op.lower(), op, [("A", ia), ("B", ib)], I64, 14)
    single("core_%s_i32" % op.lower(), op, [("A", ia.astype(np.int32)), ("B", ib.astype(np.int32))], I32, 14)
    single("core_%s_bad_shapes" % op.lower(), op, [("A", A34), ("B", f32(1, 2, 3))], F, 14, error=True)
    single("core_%s_v6_refused" % op.lower(), op, [("A", A34), ("B", A34)], F, 6, error=True)
    single("core_%s_mixed_refused" % op.lower(), op, [("A", A34), ("B", B4.astype(np.float64))], F, 14, error=True)
single_chain("core_sub_inf", "Sub", f32(1, -1, 2, 3), F, 14, zeros_at=[0, 1], extra_inputs=[("C", f32(1, 1, -np.inf, np.inf))])

for ver in (7, 12, 13, 15):
    single("core_pow_v%d" % ver, "Pow", [("A", A34), ("B", B4)], F, ver)
PA = f32(2, -2, 0.5, 0, 3, -3, nan, 1.5)
for en, e in (("f32", f32(2)), ("f64", np.array([3.0])), ("i64", np.array([2], np.int64)), ("i32", np.array([-1], np.int32)),
              ("f32_half", f32(0.5)), ("vec", f32(2, 3, 0.5, -1, 0, 2, 1, 3))):
    single("core_pow_f32_%s" % en, "Pow", [("A", PA), ("B", e)], F, 15)
IA = np.array([2, -3, 0, 5, 7, -1], dtype=np.int64)
for en, e in (("i64", np.array([3], np.int64)), ("f32", f32(0.5)), ("vec", np.array([2, 3, 2, -1, 0, 5], np.int64)),
              ("f64", np.array([2.5]))):
    single("core_pow_i64_%s" % en, "Pow", [("A", IA), ("B", e)], I64, 15)
single("core_pow_i32_i64", "Pow", [("A", IA.astype(np.int32)), ("B", np.array([2, 3, 2, -1, 0, 5], np.int64))], I32, 13)
single("core_pow_f64_f32", "Pow", [("A", PA.astype(np.float64)), ("B", f32(1.5))], D, 12)
single("core_pow_v7_mixed_refused", "Pow", [("A", PA), ("B", np.array([2.0]))], F, 7, error=True)

MA = np.array([7, -7, 7, -7, 0, 13, -13, 5], dtype=np.int64)
MB = np.array([3, 3, -3, -3, 5, 4, 4, -5], dtype=np.int64)
for ver in (10, 13):
    single("core_mod_v%d_i64" % ver, "Mod", [("A", MA), ("B", MB)], I64, ver)
    single("core_mod_v%d_fmod_i64" % ver, "Mod", [("A", MA), ("B", MB)], I64, ver, {"fmod": 1})
single("core_mod_i32", "Mod", [("A", MA.astype(np.int32)), ("B", MB.astype(np.int32))], I32, 13)
single("core_mod_f32", "Mod", [("A", MA.astype(np.float32) + 0.5), ("B", MB.astype(np.float32))], F, 13, {"fmod": 1})
single("core_mod_f64", "Mod", [("A", MA.astype(np.float64) + 0.5), ("B", MB.astype(np.float64))], D, 13, {"fmod": 1})
single("core_mod_f32_nofmod", "Mod", [("A", MA.astype(np.float32)), ("B", MB.astype(np.float32))], F, 13, error=True)

CA = f32(1, 2, nan, -0.0, 5, 3, 4, nan).reshape(2, 4)
CB = f32(1, 3, nan, 0.0)
for op, vers, types in (("Equal", (7, 11, 13, 19), (F, D, I64, I32, B)), ("Less", (7, 9, 13), (F, D, I64, I32)),
                        ("Greater", (7, 9, 13), (F, D, I64, I32)), ("LessOrEqual", (12, 16), (F, D, I64, I32)),
                        ("GreaterOrEqual", (12, 16), (F, D, I64, I32))):
    for ver in vers:
        for t in types:
            if t in (F, D) and ver < 11 and op == "Equal":
                continue
            if t in (I64, I32) and ver < 9 and op in ("Less", "Greater"):
                continue
            if t == B:
                a, b = CA > 2, np.array([True, False, True, False])
            else:
                a, b = np.nan_to_num(CA, nan=7).astype(NP[t]) if t != F and t != D else CA.astype(NP[t]), CB.astype(NP[t]) if t in (F, D) else np.nan_to_num(CB, nan=7).astype(NP[t])
            single("core_%s_v%d_%s" % (op.lower(), ver, {F: "f32", D: "f64", I64: "i64", I32: "i32", B: "bool"}[t]),
                   op, [("A", a), ("B", b)], B, ver)
single("core_equal_v19_string", "Equal", [("A", np.array([["a", "b"], ["", "c"]], dtype=object)), ("B", np.array(["a", "c"], dtype=object))], B, 19)
single("core_equal_v13_string_refused", "Equal", [("A", np.array(["a"], dtype=object)), ("B", np.array(["a"], dtype=object))], B, 13, error=True)
single("core_equal_v7_f32_refused", "Equal", [("A", CA), ("B", CB)], B, 7, error=True)
single("core_less_bcast", "Less", [("A", CA), ("B", f32(2.5, nan).reshape(2, 1))], B, 13)
single("core_greater_scalar", "Greater", [("A", np.array(np.float32(2))), ("B", CA)], B, 13)
for op in ("And", "Or", "Xor"):
    single("core_%s" % op.lower(), op, [("A", np.array([[True, False, True, False]] * 2)), ("B", np.array([True, True, False, False]))], B, 7)
    single("core_%s_bcast" % op.lower(), op, [("A", np.array([[True], [False]])), ("B", np.array([True, False, True]))], B, 7)
    single("core_%s_v1_refused" % op.lower(), op, [("A", np.array([True])), ("B", np.array([True]))], B, 1, error=True)

# --- variadic, Where, Clip --------------------------------------------------

VA = f32(1, nan, 3, -1, 5, nan).reshape(2, 3)
VB = f32(2, 2, nan, -2, 4, nan).reshape(2, 3)
VC = f32(0, 10, -10)
for op in ("Max", "Min", "Sum", "Mean"):
    vers = {"Max": (6, 8, 12, 13), "Min": (6, 8, 12, 13), "Sum": (6, 8, 13), "Mean": (6, 8, 13)}[op]
    for ver in vers:
        single("core_%s_v%d" % (op.lower(), ver), op, [("A", VA), ("B", VB)], F, ver)
        if ver >= 8:
            single("core_%s_v%d_bcast3" % (op.lower(), ver), op, [("A", VA), ("B", VB[0]), ("C", VC.reshape(1, 3))], F, ver)
    single("core_%s_one" % op.lower(), op, [("A", VA)], F, 13)
    single("core_%s_v6_shapes_refused" % op.lower(), op, [("A", VA), ("B", VC)], F, 6, error=True)
    if op in ("Max", "Min"):
        single("core_%s_i64" % op.lower(), op, [("A", I64X), ("B", I64X[::-1].copy()), ("C", np.array([0], np.int64))], I64, 13)
        single("core_%s_f64" % op.lower(), op, [("A", VA.astype(np.float64)), ("B", VB.astype(np.float64))], D, 8)
    if op == "Sum":
        single("core_sum_f64", "Sum", [("A", VA.astype(np.float64)), ("B", VC.astype(np.float64))], D, 13)
single("core_mean_f64_refused", "Mean", [("A", VA.astype(np.float64))], D, 13, error=True)
single("core_max_v1_refused", "Max", [("A", VA)], F, 1, error=True)

WC = np.array([[True, False, True], [False, False, True]])
for ver in (9, 16):
    single("core_where_v%d" % ver, "Where", [("C", WC), ("X", VA), ("Z", VC)], F, ver)
single("core_where_bcast", "Where", [("C", np.array([[True], [False]])), ("X", np.array(np.float32(5))), ("Z", VC)], F, 16)
single("core_where_i64", "Where", [("C", WC), ("X", I64X[:, :3].copy()), ("Z", np.array([9], np.int64))], I64, 16)
single("core_where_string", "Where", [("C", WC), ("X", np.array(["a", "b", "c"], dtype=object)), ("Z", np.array([["x"], ["y"]], dtype=object))], S, 16)
single("core_where_bool_refused", "Where", [("C", WC), ("X", WC), ("Z", WC)], B, 16, error=True)
single("core_where_bad_shapes", "Where", [("C", WC), ("X", f32(1, 2)), ("Z", VC)], F, 16, error=True)

CX = f32(-3, -1, 0, 0.5, 2, nan, 10, -10).reshape(2, 4)
single("core_clip_v6", "Clip", [("X", CX)], F, 6, {"min": -1.0, "max": 2.0})
single("core_clip_v6_default", "Clip", [("X", CX)], F, 6)
single("core_clip_v6_min_only", "Clip", [("X", CX)], F, 6, {"min": 0.0})
for ver in (11, 12, 13):
    single("core_clip_v%d" % ver, "Clip", [("X", CX)], F, ver, inits=[("lo", np.array(np.float32(-1))), ("hi", np.array(np.float32(2)))])
    single("core_clip_v%d_none" % ver, "Clip", [("X", CX)], F, ver)
single("core_clip_max_only", "Clip", [("X", CX), ("", None)], F, 13, inits=[("hi", np.array(np.float32(1)))])
single("core_clip_inputs", "Clip", [("X", CX), ("lo", np.array(np.float32(0))), ("hi", np.array(np.float32(0.5)))], F, 13)
single("core_clip_lo_above_hi", "Clip", [("X", CX), ("lo", np.array(np.float32(2))), ("hi", np.array(np.float32(1)))], F, 13)
single("core_clip_i64", "Clip", [("X", I64X)], I64, 13, inits=[("lo", np.array(-5, np.int64)), ("hi", np.array(5, np.int64))])
single("core_clip_i32", "Clip", [("X", I32X)], I32, 12, inits=[("lo", np.array(-5, np.int32))])
single("core_clip_f64", "Clip", [("X", CX.astype(np.float64))], D, 12, inits=[("lo", np.array(-1.0)), ("hi", np.array(1.0))])
single("core_clip_v11_f64_refused", "Clip", [("X", CX.astype(np.float64))], D, 11, error=True)
single("core_clip_vector_min_refused", "Clip", [("X", CX), ("lo", f32(0, 1))], F, 13, error=True)
single("core_clip_shape1_min", "Clip", [("X", CX), ("lo", f32(0.5))], F, 13)


# --- Constant -----------------------------------------------------------------

def constant_case(name, opset, attrs, error=False):
    if not wanted(name):
        return
    nodes = [helper.make_node("Constant", [], ["C"], **attrs), helper.make_node("Identity", ["C"], ["Y"])]
    m = make_model(nodes, [vi("X", F)], [vi("Y", 0)], opsets={"": opset}, name=name)
    m.graph.output[0].CopyFrom(helper.make_empty_tensor_value_info("Y"))
    if error:
        write_error_case(name, m, {"X": f32(1)})
    else:
        write_case(name, m, {"X": f32(1)}, check=False)


CT = helper.make_tensor("v", F, [2, 2], [1.5, -2, nan, 4])
for ver in (1, 9, 11, 12, 13, 19, 21):
    constant_case("core_constant_v%d" % ver, ver, {"value": CT})
constant_case("core_constant_int64", 13, {"value": helper.make_tensor("v", I64, [3], [1, -2, 3])})
constant_case("core_constant_string", 13, {"value": helper.make_tensor("v", S, [2], [b"a", b"bc"])})
constant_case("core_constant_value_float", 12, {"value_float": 2.5})
constant_case("core_constant_value_floats", 13, {"value_floats": [2.5, -1]})
constant_case("core_constant_value_int", 13, {"value_int": 7})
constant_case("core_constant_value_ints", 21, {"value_ints": [7, 8, 9]})
constant_case("core_constant_value_string", 13, {"value_string": "hi"})
constant_case("core_constant_value_strings", 13, {"value_strings": ["a", "b"]})
constant_case("core_constant_value_int_v11", 11, {"value_int": 7})

# --- MatMul, Gemm -----------------------------------------------------------

rng = np.random.default_rng(7)


def rnd(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


MM = [  # name, a shape, b shape
    ("2d", (5, 7), (7, 3)),
    ("row", (1, 30), (30, 16)),
    ("vec_mat", (7,), (7, 3)),
    ("mat_vec", (5, 7), (7,)),
    ("vec_vec", (7,), (7,)),
    ("batch", (2, 5, 7), (7, 3)),
    ("batch_both", (2, 1, 5, 7), (3, 7, 4)),
    ("batch_vec", (2, 5, 7), (7,)),
    ("empty_rows", (0, 7), (7, 3)),
    ("empty_inner", (4, 0), (0, 3)),
    ("rows9", (9, 6), (6, 5)),
]
for nm, sa, sb in MM:
    single("core_matmul_%s" % nm, "MatMul", [("A", rnd(*sa)), ("B", rnd(*sb))], F, 13)
single("core_matmul_const_b", "MatMul", [("A", rnd(4, 6))], F, 13, inits=[("W", rnd(6, 3))])
single("core_matmul_nan", "MatMul", [("A", f32(1, nan, 2, 3).reshape(2, 2)), ("B", f32(1, 2, 3, 4).reshape(2, 2))], F, 13)
for ver in (1, 9):
    single("core_matmul_v%d" % ver, "MatMul", [("A", rnd(3, 4)), ("B", rnd(4, 2))], F, ver)
single("core_matmul_f64", "MatMul", [("A", rnd(3, 4, dtype=np.float64)), ("B", rnd(4, 2, dtype=np.float64))], D, 13)
single("core_matmul_i64", "MatMul", [("A", np.arange(12, dtype=np.int64).reshape(3, 4) - 5), ("B", np.arange(8, dtype=np.int64).reshape(4, 2))], I64, 13)
single("core_matmul_i32", "MatMul", [("A", np.arange(12, dtype=np.int32).reshape(3, 4) - 5), ("B", np.arange(8, dtype=np.int32).reshape(4, 2))], I32, 9)
single("core_matmul_bad_inner", "MatMul", [("A", rnd(3, 4)), ("B", rnd(5, 2))], F, 13, error=True)
single("core_matmul_bad_batch", "MatMul", [("A", rnd(2, 3, 4)), ("B", rnd(3, 4, 2))], F, 13, error=True)
single("core_matmul_v1_int_refused", "MatMul", [("A", np.ones((2, 2), np.int64)), ("B", np.ones((2, 2), np.int64))], I64, 1, error=True)

for ver in (7, 9, 11, 13):
    single("core_gemm_v%d" % ver, "Gemm", [("A", rnd(4, 3)), ("B", rnd(3, 5)), ("C", rnd(5))], F, ver)
GEMM = [  # name, attrs, a, b, c
    ("transB", {"transB": 1}, (4, 3), (5, 3), (1, 5)),
    ("transA", {"transA": 1}, (3, 4), (3, 5), (4, 1)),
    ("transAB", {"transA": 1, "transB": 1, "alpha": 0.5, "beta": 2.0}, (3, 4), (5, 3), (4, 5)),
    ("alpha_beta", {"alpha": -1.5, "beta": 0.25}, (2, 3), (3, 2), ()),
    ("scalar_c", {}, (2, 3), (3, 4), (1,)),
]
for nm, attrs, sa, sb, sc in GEMM:
    single("core_gemm_%s" % nm, "Gemm", [("A", rnd(*sa)), ("B", rnd(*sb)), ("C", rnd(*sc))], F, 13, attrs)
single("core_gemm_no_c", "Gemm", [("A", rnd(4, 3)), ("B", rnd(3, 5))], F, 13, {"transB": 0})
single("core_gemm_beta0_nan_c", "Gemm", [("A", rnd(2, 3)), ("B", rnd(3, 2)), ("C", f32(nan, 1))], F, 13, {"beta": 0.0})
single("core_gemm_const_b", "Gemm", [("A", rnd(6, 4))], F, 13, {"transB": 1}, inits=[("W", rnd(3, 4)), ("bias", rnd(3))])
single("core_gemm_f64", "Gemm", [("A", rnd(4, 3, dtype=np.float64)), ("B", rnd(3, 5, dtype=np.float64)), ("C", rnd(5, dtype=np.float64))], D, 13)
single("core_gemm_empty", "Gemm", [("A", rnd(0, 3)), ("B", rnd(3, 5)), ("C", rnd(5))], F, 13)
single("core_gemm_bad_c", "Gemm", [("A", rnd(4, 3)), ("B", rnd(3, 5)), ("C", rnd(3))], F, 13, error=True)
single("core_gemm_v9_no_c_refused", "Gemm", [("A", rnd(4, 3)), ("B", rnd(3, 5))], F, 9, error=True)
single("core_gemm_rank3_refused", "Gemm", [("A", rnd(2, 4, 3)), ("B", rnd(3, 5))], F, 13, error=True)
single("core_gemm_int_refused", "Gemm", [("A", np.ones((2, 2), np.int64)), ("B", np.ones((2, 2), np.int64))], I64, 13, error=True)

# --- PRelu, Dropout, Softmax ------------------------------------------------

for ver in (7, 9, 16):
    single("core_prelu_v%d" % ver, "PRelu", [("X", UX), ("S", f32(0.1, 0.2, -0.3, 2))], F, ver)
single("core_prelu_scalar", "PRelu", [("X", UX), ("S", f32(0.25))], F, 16)
single("core_prelu_i64", "PRelu", [("X", I64X), ("S", np.array([2], np.int64))], I64, 16)
single("core_prelu_f64_v9_refused", "PRelu", [("X", UX.astype(np.float64)), ("S", np.array([0.1]))], D, 9, error=True)

for ver in (7, 10, 12, 13):
    single("core_dropout_v%d" % ver, "Dropout", [("X", UX)], F, ver)
    single("core_dropout_v%d_mask" % ver, "Dropout", [("X", UX)], [F, B if ver >= 10 else F], ver, out_names=["Y0", "Y1"])
single("core_dropout_v13_ratio", "Dropout", [("X", UX)], [F, B], 13, inits=[("r", np.array(np.float32(0.3)))], out_names=["Y0", "Y1"])
single("core_dropout_v13_training_false", "Dropout", [("X", UX)], [F, B], 13,
       inits=[("r", np.array(np.float32(0.3))), ("t", np.array(False))], out_names=["Y0", "Y1"])
single("core_dropout_v7_ratio_attr", "Dropout", [("X", UX)], F, 7, {"ratio": 0.7})
single("core_dropout_v13_bad_ratio", "Dropout", [("X", UX)], F, 13, inits=[("r", np.array(np.float32(1.5)))], error=True)

SX = f32(1, 2, 3, 4, -1, 0, 1, nan, 100, 100, -100, 0, 0.5, 0.5, 0.5, 0.5, 3, 1, 2, 3, -2, 5, 5, 1).reshape(2, 3, 4)
for op in ("Softmax", "LogSoftmax", "Hardmax"):
    for ver in (1, 11, 13):
        single("core_%s_v%d" % (op.lower(), ver), op, [("X", SX)], F, ver)
        for axis in (0, 1, 2, -1, -3):
            single("core_%s_v%d_axis%d" % (op.lower(), ver, axis), op, [("X", SX)], F, ver, {"axis": axis})
    single("core_%s_2d" % op.lower(), op, [("X", SX.reshape(6, 4))], F, 13)
    single("core_%s_empty" % op.lower(), op, [("X", SX.reshape(6, 4)[:0])], F, 13)
    single("core_%s_bad_axis" % op.lower(), op, [("X", SX)], F, 13, {"axis": 3}, error=True)
    if op != "Hardmax":
        # onnxruntime's float64 LogSoftmax returns unrelated numbers for a
        # row holding NaN, so the float64 cases have none.
        single("core_%s_f64" % op.lower(), op, [("X", np.nan_to_num(SX, nan=0.25).astype(np.float64))], D, 13)
        single("core_%s_1d_v11" % op.lower(), op, [("X", SX[0, 0])], F, 11, {"axis": 0})
single("core_attr_unknown_refused", "Relu", [("X", UX)], F, 13, {"alpha": 1.0}, error=True)
single("core_attr_axes_v13_refused", "ReduceSum", [("X", UX)], F, 13, {"axes": [1]}, error=True)
single("core_attr_clip_minmax_v11_refused", "Clip", [("X", UX)], F, 11, {"min": 0.0}, error=True)
single("core_attr_softmax_axis_float_refused", "Softmax", [("X", UX)], F, 13, {"axis": 1.0}, error=True)


# --- reductions -------------------------------------------------------------

RX = f32(1, -2, 3, 0.5, 4, -1, 2, 2, 0.25, 1.5, -3, 6, 1, 1, 2, -0.5, 3, 5, 0, 2, -2, 4, 1, 0.5).reshape(2, 3, 4)
RX_NAN = RX.copy()
RX_NAN[0, 1, 2] = nan
REDUCE = {  # op: (versions, axes-input version)
    "ReduceSum": ((1, 11, 13), 13),
    "ReduceMean": ((1, 11, 13, 18), 18),
    "ReduceMax": ((1, 11, 12, 13, 18, 20), 18),
    "ReduceMin": ((1, 11, 12, 13, 18, 20), 18),
    "ReduceProd": ((1, 11, 13, 18), 18),
    "ReduceSumSquare": ((1, 11, 13, 18), 18),
    "ReduceLogSumExp": ((1, 11, 13, 18), 18),
    "ReduceLogSum": ((1, 11, 13, 18), 18),
    "ReduceL1": ((1, 11, 13, 18), 18),
    "ReduceL2": ((1, 11, 13, 18), 18),
}
for op, (vers, from_ver) in REDUCE.items():
    name = op[len("Reduce"):].lower()
    x = np.abs(RX) + 0.5 if op == "ReduceLogSum" else RX
    for ver in vers:
        if ver < from_ver:
            single("core_reduce%s_v%d" % (name, ver), op, [("X", x)], F, ver, {"axes": [1]})
            single("core_reduce%s_v%d_all" % (name, ver), op, [("X", x)], F, ver, {"keepdims": 0})
            single("core_reduce%s_v%d_neg" % (name, ver), op, [("X", x)], F, ver, {"axes": [-1, 0], "keepdims": 0})
        else:
            single("core_reduce%s_v%d" % (name, ver), op, [("X", x)], F, ver, inits=[("axes", np.array([1], np.int64))])
            single("core_reduce%s_v%d_all" % (name, ver), op, [("X", x)], F, ver, {"keepdims": 0})
            single("core_reduce%s_v%d_neg" % (name, ver), op, [("X", x), ("axes", np.array([-1, 0], np.int64))], F, ver, {"keepdims": 0})
            single("core_reduce%s_v%d_noop" % (name, ver), op, [("X", x)], F, ver, {"noop_with_empty_axes": 1})
            single("core_reduce%s_v%d_noop_empty" % (name, ver), op, [("X", x), ("axes", np.zeros(0, np.int64))], F, ver, {"noop_with_empty_axes": 1})
            single("core_reduce%s_v%d_empty_axes" % (name, ver), op, [("X", x), ("axes", np.zeros(0, np.int64))], F, ver)
    last = vers[-1]
    ax = {"inits": [("axes", np.array([0, 2], np.int64))]} if last >= from_ver else {"attrs": {"axes": [0, 2]}}
    single("core_reduce%s_axes02" % name, op, [("X", x)], F, last, ax.get("attrs"), inits=ax.get("inits", ()))
    single("core_reduce%s_nan" % name, op, [("X", np.abs(RX_NAN) if op == "ReduceLogSum" else RX_NAN)], F, last, {"keepdims": 0})
    single("core_reduce%s_f64" % name, op, [("X", x.astype(np.float64))], D, last, {"keepdims": 0})
    single("core_reduce%s_i64" % name, op, [("X", I64X // 1000 if op == "ReduceProd" else I64X)], I64, last, {"keepdims": 0})
    single("core_reduce%s_i32" % name, op, [("X", np.abs(I32X) if op in ("ReduceLogSum",) else I32X)], I32, last, {"keepdims": 0})
    single("core_reduce%s_empty_rows" % name, op, [("X", RX.reshape(6, 4)[:0])], F, last,
           {"axes": [1]} if last < from_ver else None, inits=[("axes", np.array([1], np.int64))] if last >= from_ver else ())
    single("core_reduce%s_empty_axis" % name, op, [("X", RX.reshape(6, 4)[:0])], F, last,
           {"axes": [0]} if last < from_ver else None, inits=[("axes", np.array([0], np.int64))] if last >= from_ver else ())
    single("core_reduce%s_bad_axis" % name, op, [("X", RX)], F, last,
           {"axes": [3]} if last < from_ver else None, inits=[("axes", np.array([3], np.int64))] if last >= from_ver else (), error=True)
single("core_reducemax_v20_bool", "ReduceMax", [("X", RX > 1)], B, 20, {"keepdims": 0})
single("core_reducemin_v20_bool", "ReduceMin", [("X", RX > -2)], B, 20, inits=[("axes", np.array([2], np.int64))])
single("core_reducemax_v18_bool_refused", "ReduceMax", [("X", RX > 1)], B, 18, error=True)
single("core_reducesum_row", "ReduceSum", [("X", rnd(1, 30))], F, 13, inits=[("axes", np.array([1], np.int64))])
single("core_reducesum_big", "ReduceSum", [("X", rnd(40, 30) * 100)], F, 13, inits=[("axes", np.array([1], np.int64))])
single("core_reducelogsumexp_big", "ReduceLogSumExp", [("X", f32(1000, 1001, -1000, 88, 89, 90).reshape(2, 3))], F, 13, {"axes": [1]})

for op in ("ArgMax", "ArgMin"):
    AX = f32(1, 3, 3, nan, 2, -1, -1, 5, nan, 0, 0, nan).reshape(3, 4)
    for ver in (1, 11, 12, 13):
        single("core_%s_v%d" % (op.lower(), ver), op, [("X", AX)], I64, ver)
        single("core_%s_v%d_axis1" % (op.lower(), ver), op, [("X", AX)], I64, ver, {"axis": 1, "keepdims": 0})
        single("core_%s_v%d_neg" % (op.lower(), ver), op, [("X", RX)], I64, ver, {"axis": -2})
        if ver >= 12:
            single("core_%s_v%d_last" % (op.lower(), ver), op, [("X", AX)], I64, ver, {"axis": 1, "select_last_index": 1})
            single("core_%s_v%d_last0" % (op.lower(), ver), op, [("X", AX)], I64, ver, {"axis": 0, "select_last_index": 1})
    single("core_%s_ties" % op.lower(), op, [("X", f32(2, 2, 1, 1, 1, 2).reshape(2, 3))], I64, 13, {"axis": 1})
    single("core_%s_i64" % op.lower(), op, [("X", I64X)], I64, 13, {"axis": 1})
    single("core_%s_i32" % op.lower(), op, [("X", I32X)], I64, 13, {"axis": 1})
    single("core_%s_f64" % op.lower(), op, [("X", AX.astype(np.float64))], I64, 13, {"axis": 1})
    single("core_%s_empty_rows" % op.lower(), op, [("X", AX[:0])], I64, 13, {"axis": 1})
    single("core_%s_bad_axis" % op.lower(), op, [("X", AX)], I64, 13, {"axis": 2}, error=True)
    single("core_%s_last_v11_refused" % op.lower(), op, [("X", AX)], I64, 11, {"select_last_index": 1}, error=True)

CX3 = f32(1, 2, 3, 4, 5, 6, nan, 8, 9, 10, 11, 12).reshape(3, 4)
for ver in (11, 14):
    for ex in (0, 1):
        for rev in (0, 1):
            single("core_cumsum_v%d_%d%d" % (ver, ex, rev), "CumSum", [("X", CX3)], F, ver,
                   {"exclusive": ex, "reverse": rev}, inits=[("axis", np.array(1, np.int64))])
single("core_cumsum_axis0", "CumSum", [("X", CX3)], F, 14, inits=[("axis", np.array(0, np.int32))])
single("core_cumsum_axis_neg", "CumSum", [("X", CX3), ("axis", np.array([-1], np.int64))], F, 14)
single("core_cumsum_i64", "CumSum", [("X", I64X)], I64, 14, inits=[("axis", np.array(1, np.int64))])
single("core_cumsum_i32", "CumSum", [("X", I32X)], I32, 14, inits=[("axis", np.array(0, np.int64))])
single("core_cumsum_f64", "CumSum", [("X", CX3.astype(np.float64))], D, 14, {"reverse": 1}, inits=[("axis", np.array(1, np.int64))])
single("core_cumsum_bad_axis", "CumSum", [("X", CX3)], F, 14, inits=[("axis", np.array(2, np.int64))], error=True)

TX = f32(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3).reshape(2, 8)
single("core_topk_v1", "TopK", [("X", TX)], [F, I64], 1, {"k": 3}, out_names=["V", "I"])
single("core_topk_v1_axis0", "TopK", [("X", TX)], [F, I64], 1, {"k": 1, "axis": 0}, out_names=["V", "I"])
single("core_topk_v10", "TopK", [("X", TX)], [F, I64], 10, inits=[("k", np.array([4], np.int64))], out_names=["V", "I"])
single("core_topk_v10_input", "TopK", [("X", TX), ("k", np.array([2], np.int64))], [F, I64], 10, out_names=["V", "I"])
for largest in (0, 1):
    for srt in (1,):
        single("core_topk_v11_l%d_s%d" % (largest, srt), "TopK", [("X", TX)], [F, I64], 11, {"largest": largest, "sorted": srt},
               inits=[("k", np.array([5], np.int64))], out_names=["V", "I"])
single("core_topk_v11_axis0", "TopK", [("X", TX.reshape(4, 4))], [F, I64], 11, {"axis": 0, "largest": 0},
       inits=[("k", np.array([2], np.int64))], out_names=["V", "I"])
single("core_topk_i64", "TopK", [("X", I64X)], [I64, I64], 11, inits=[("k", np.array([2], np.int64))], out_names=["V", "I"])
single("core_topk_i32", "TopK", [("X", I32X)], [I32, I64], 11, {"largest": 0}, inits=[("k", np.array([3], np.int64))], out_names=["V", "I"])
single("core_topk_f64", "TopK", [("X", TX.astype(np.float64))], [D, I64], 11, inits=[("k", np.array([3], np.int64))], out_names=["V", "I"])
single("core_topk_k0", "TopK", [("X", TX)], [F, I64], 11, inits=[("k", np.array([0], np.int64))], out_names=["V", "I"])
single("core_topk_all", "TopK", [("X", TX)], [F, I64], 11, {"largest": 0}, inits=[("k", np.array([8], np.int64))], out_names=["V", "I"])
# onnxruntime dies of SIGFPE on TopK over an empty batch; the Go tests cover it.
single("core_topk_knn", "TopK", [("X", rnd(6, 40))], [F, I64], 11, {"largest": 0, "sorted": 1}, inits=[("k", np.array([5], np.int64))], out_names=["V", "I"])
single("core_topk_k_too_big", "TopK", [("X", TX)], [F, I64], 11, inits=[("k", np.array([9], np.int64))], out_names=["V", "I"], error=True)
single("core_topk_v1_int_refused", "TopK", [("X", I64X)], [I64, I64], 1, {"k": 1}, out_names=["V", "I"], error=True)
# onnxruntime reduces integers in extended precision and saturates the result.
SAT32 = np.array([[2 ** 31 - 1, 1, 5], [-(2 ** 31), -1, 0], [7, 8, 0], [-7, -8, 0]], dtype=np.int32)
for op in ("ReduceSum", "ReduceMean", "ReduceL1", "ReduceSumSquare", "ReduceProd", "ReduceL2", "ReduceLogSumExp"):
    single("core_%s_i32_saturate" % op.lower(), op, [("X", SAT32)], I32, 18, inits=[("axes", np.array([1], np.int64))])
    single("core_%s_i32_saturate_rk" % op.lower(), op, [("X", SAT32)], I32, 18, inits=[("axes", np.array([0], np.int64))])
single("core_reducesum_i64_saturate", "ReduceSum", [("X", np.array([2 ** 62, 2 ** 62, 2 ** 62, -5], np.int64))], I64, 13, {"keepdims": 0})
single("core_reducesum_i64_wraps_back", "ReduceSum", [("X", np.array([2 ** 60] * 8 + [-(2 ** 60)] * 7, np.int64))], I64, 13, {"keepdims": 0})
# TopK follows onnxruntime's selection (a heap of the k best for small k),
# so unsorted outputs and NaN inputs come out as they do there.
single("core_topk_unsorted_heap", "TopK", [("X", TX)], [F, I64], 11, {"sorted": 0}, inits=[("k", np.array([3], np.int64))], out_names=["V", "I"])
single("core_topk_unsorted_heap_k10", "TopK", [("X", (np.arange(40) % 7).astype(np.float32).reshape(1, 40))], [F, I64], 11, {"sorted": 0},
       inits=[("k", np.array([10], np.int64))], out_names=["V", "I"])
single("core_topk_unsorted_smallest", "TopK", [("X", (np.arange(80) % 9).astype(np.float32).reshape(2, 40))], [F, I64], 11,
       {"sorted": 0, "largest": 0}, inits=[("k", np.array([5], np.int64))], out_names=["V", "I"])
single("core_topk_nan_heap", "TopK", [("X", f32(1, nan, 3, 2, nan, 1, 3, 2).reshape(2, 4))], [F, I64], 11, inits=[("k", np.array([2], np.int64))], out_names=["V", "I"])
single("core_topk_nan_k1", "TopK", [("X", f32(nan, 1, 3, 2, 1, nan, 0, 2).reshape(2, 4))], [F, I64], 11, inits=[("k", np.array([1], np.int64))], out_names=["V", "I"])
single("core_topk_sorted_large_k", "TopK", [("X", (np.arange(60) * 7 % 11).astype(np.float32).reshape(3, 20))], [F, I64], 11, {"largest": 0},
       inits=[("k", np.array([15], np.int64))], out_names=["V", "I"])
single("core_castlike_v19", "CastLike", [("X", X_EDGE), ("T", np.array([1.0]))], D, 19)
# The oldest schemas (consumed_inputs, legacy broadcast) have no onnxruntime kernel.
for op, ver, n_in in (("Add", 1, 2), ("Sub", 1, 2), ("Mul", 1, 2), ("Div", 1, 2), ("Pow", 1, 2), ("Equal", 1, 2), ("Less", 1, 2),
                      ("Greater", 1, 2), ("Mean", 1, 2), ("Min", 1, 2), ("Sum", 1, 2), ("PRelu", 1, 2), ("PRelu", 6, 2),
                      ("Gemm", 1, 3), ("Gemm", 6, 3), ("Dropout", 1, 1), ("Dropout", 6, 1), ("Clip", 1, 1)):
    ins = [("A", f32(1, 2, 3, 4).reshape(2, 2)), ("B", f32(1, 0, 0, 1).reshape(2, 2)), ("C", f32(1, 1))][:n_in]
    single("core_%s_v%d_refused" % (op.lower(), ver), op, ins, B if op in ("Equal", "Less", "Greater") else F, ver, error=True)
single("core_cast_v1_refused", "Cast", [("X", f32(1, 2))], I64, 1, {"to": "INT64"}, error=True)
