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


def single(name, op, inputs, out_types, opset, attrs=None, inits=(), n_out=None, out_names=None, tol=(1e-5, 1e-6),
           description="", error=False):
    """single writes a one-node case. inputs is a list of (name, numpy array)
    graph inputs (a name "" leaves an optional input out); inits are
    initializers given as (name, array)."""
    if not wanted(name):
        return
    in_names = [n for n, _ in inputs] + [n for n, _ in inits]
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
single("core_cast_saturate0", "Cast", [("X", f32(1, 2))], I64, 19, {"to": I64, "saturate": 0}, error=True)
single("core_castlike_v15", "CastLike", [("X", X_EDGE), ("T", np.array([1], dtype=np.int64))], I64, 15)
single("core_castlike_v21_string", "CastLike", [("X", X_EDGE), ("T", np.array(["a"], dtype=object))], S, 21)
