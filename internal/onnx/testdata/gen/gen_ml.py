"""gen_ml writes onnxruntime-checked cases for the ai.onnx.ml kernels other
than the tree ensembles (cases named ml_*). Where it is easy, parameters
come from scikit-learn models fitted here, and nodes are built the way
skl2onnx 1.14 builds them.

    NODE_PATH=/work/ort/node_modules /usr/bin/python3 gen_ml.py [name-prefix]
"""
import sys

import numpy as np
from onnx import helper, TensorProto

from casegen import make_model, write_case, write_error_case

ML = "ai.onnx.ml"
F, D, I64, I32, S = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.INT32, TensorProto.STRING
NP = {F: np.float32, D: np.float64, I64: np.int64, I32: np.int32}
ONLY = sys.argv[1] if len(sys.argv) > 1 else ""
rng = np.random.default_rng(7)


def vi(name, elem, shape=None):
    return helper.make_tensor_value_info(name, elem, shape)


def _model(name, op, inputs, outputs, feeds, ml_opset, attrs):
    """_model builds the one-node model. inputs and outputs are (name, elem
    type) or (name, elem type, rank) pairs; input ranks default to the
    feed's, output ranks to 2."""
    node = helper.make_node(op, [n[0] for n in inputs], [n[0] for n in outputs], domain=ML, **attrs)
    ins = [vi(n[0], n[1], [None] * (n[2] if len(n) > 2 else np.asarray(feeds[n[0]]).ndim)) for n in inputs]
    outs = [vi(n[0], n[1], [None] * (n[2] if len(n) > 2 else 2)) for n in outputs]
    return make_model([node], ins, outs, opsets={"": 15, ML: ml_opset}, name=name)


def one_node(name, op, inputs, outputs, feeds, ml_opset=1, tol_abs=1e-5, tol_rel=1e-6, description="", **attrs):
    """one_node writes a case whose model is the single node op; feeds maps
    input names to arrays."""
    if not name.startswith(ONLY):
        return
    m = _model(name, op, inputs, outputs, feeds, ml_opset, attrs)
    write_case(name, m, feeds, tol_abs=tol_abs, tol_rel=tol_rel, description=description or op)


def one_node_error(name, op, inputs, outputs, feeds, ml_opset=1, description="", **attrs):
    """one_node_error writes a case onnxruntime refuses."""
    if not name.startswith(ONLY):
        return
    m = _model(name, op, inputs, outputs, feeds, ml_opset, attrs)
    write_error_case(name, m, feeds, description=description or op)


def edge_rows(n_features, n_rows=12, scale=3.0):
    """edge_rows returns float32 rows with zeros, negatives, large and tiny values."""
    x = (rng.standard_normal((n_rows, n_features)) * scale).astype(np.float32)
    x[0] = 0
    if n_rows > 1:
        x[1] = -x[1]
    if n_rows > 2:
        x[2, 0] = 1e6
    if n_rows > 3:
        x[3, -1] = -1e-6
    return x


# ---- Scaler ----
def gen_scaler():
    from sklearn.preprocessing import StandardScaler
    X = rng.standard_normal((50, 4)) * [1, 10, 0.1, 5] + [0, 3, -2, 100]
    sc = StandardScaler().fit(X)
    scale, offset = (1 / sc.scale_).tolist(), sc.mean_.tolist()
    x = edge_rows(4)
    for t, tname in [(F, "float"), (D, "double"), (I64, "int64"), (I32, "int32")]:
        feed = x if t == F else (x.astype(np.float64) * 1.37 if t == D else np.round(x).astype(NP[t]))
        one_node(f"ml_scaler_{tname}", "Scaler", [("X", t)], [("Y", F)], {"X": feed},
                 scale=scale, offset=offset, description=f"Scaler from a StandardScaler, {tname} input")
    one_node("ml_scaler_broadcast", "Scaler", [("X", F)], [("Y", F)], {"X": x}, scale=[0.25], offset=[-1.5],
             description="Scaler with one scale and offset for all columns")
    one_node("ml_scaler_vector", "Scaler", [("X", F)], [("Y", F, 1)], {"X": x[0:1, :].reshape(4) + 1},
             scale=scale, offset=offset, description="Scaler on a 1-D input, strided by its length")
    one_node("ml_scaler_empty", "Scaler", [("X", F)], [("Y", F)], {"X": np.zeros((0, 4), np.float32)},
             scale=scale, offset=offset, description="Scaler on an empty batch")
    one_node("ml_scaler_nan", "Scaler", [("X", F)], [("Y", F)], {"X": np.array([[np.nan, 1, 2, 3]], np.float32)},
             scale=scale, offset=offset, description="Scaler passes NaN through")
    one_node_error("ml_scaler_err_width", "Scaler", [("X", F)], [("Y", F)], {"X": x[:, :3]},
                   scale=scale, offset=offset, description="Scaler: 3 columns, 4 scales")


GENERATORS = [gen_scaler]

if __name__ == "__main__":
    for g in GENERATORS:
        g()
