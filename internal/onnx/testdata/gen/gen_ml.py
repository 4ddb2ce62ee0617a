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
# EXACT is the tolerance of cases whose scores the engine reproduces bit for
# bit: float32 values differ from onnxruntime's by less than their decimal
# rendering (shortest round-trip digits) can show.
EXACT = dict(tol_abs=0, tol_rel=6e-8)


def vi(name, elem, shape=None):
    return helper.make_tensor_value_info(name, elem, shape)


def _model(name, op, inputs, outputs, feeds, ml_opset, attrs):
    """_model builds the one-node model. inputs and outputs are (name, elem
    type) or (name, elem type, rank) pairs; input ranks default to the
    feed's, output ranks to 2."""
    attrs = {k: v for k, v in attrs.items() if v is not None}
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
    # onnx 1.12's checker predates ai.onnx.ml opset 4 (LabelEncoder v4).
    write_case(name, m, feeds, tol_abs=tol_abs, tol_rel=tol_rel, description=description or op, check=ml_opset < 4)


def one_node_error(name, op, inputs, outputs, feeds, ml_opset=1, description="", **attrs):
    """one_node_error writes a case onnxruntime refuses."""
    if not name.startswith(ONLY):
        return
    m = _model(name, op, inputs, outputs, feeds, ml_opset, attrs)
    write_error_case(name, m, feeds, description=description or op)


def graph_case(name, nodes, inputs, outputs, feeds, initializers=(), ml_opset=1, tol_abs=1e-5, tol_rel=1e-6, description=""):
    """graph_case writes a case whose model is several nodes."""
    if not name.startswith(ONLY):
        return
    m = make_model(nodes, inputs, outputs, initializers=initializers, opsets={"": 15, ML: ml_opset}, name=name)
    write_case(name, m, feeds, tol_abs=tol_abs, tol_rel=tol_rel, description=description)


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


# ---- LinearClassifier ----
def linear_clf_attrs(clf, post):
    """linear_clf_attrs builds LinearClassifier attributes as skl2onnx does:
    binary problems get two rows, [-w, w] and [-b, b]."""
    coef = clf.coef_.astype(float)
    icpt = np.atleast_1d(clf.intercept_).astype(float)
    if len(clf.classes_) == 2:
        coef = np.vstack([-coef, coef])
        icpt = np.concatenate([-icpt, icpt])
    attrs = dict(coefficients=coef.ravel().tolist(), intercepts=icpt.tolist(), post_transform=post)
    if clf.classes_.dtype.kind in "OUS":
        attrs["classlabels_strings"] = [str(c) for c in clf.classes_]
    else:
        attrs["classlabels_ints"] = [int(c) for c in clf.classes_]
    return attrs


def clf_outputs(attrs, n_scores):
    label = S if "classlabels_strings" in attrs else I64
    return [("label", label, 1), ("scores", F, 2)]


def gen_linear_classifier():
    from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    from sklearn.linear_model import LogisticRegression, RidgeClassifier
    from sklearn.svm import LinearSVC
    import warnings
    warnings.filterwarnings("ignore")

    Xb, yb = load_breast_cancer(return_X_y=True)
    lr = LogisticRegression(max_iter=5000).fit(Xb, yb)
    a = linear_clf_attrs(lr, "LOGISTIC")
    xb = Xb[::29].astype(np.float32)
    one_node("ml_linclf_logreg_binary", "LinearClassifier", [("X", F)], clf_outputs(a, 2), {"X": xb},
             description="LogisticRegression on breast cancer (30 raw features), two rows [-w, w], LOGISTIC", **a, **EXACT)
    one_node("ml_linclf_logreg_binary_row", "LinearClassifier", [("X", F)], clf_outputs(a, 2), {"X": xb[3:4]},
             description="the same on one row (onnxruntime's one-row GEMM kernel)", **a, **EXACT)
    for t, tname in [(D, "double"), (I64, "int64"), (I32, "int32")]:
        feed = Xb[::57].astype(np.float64) if t == D else np.round(Xb[::57]).astype(NP[t])
        one_node(f"ml_linclf_input_{tname}", "LinearClassifier", [("X", t)], clf_outputs(a, 2), {"X": feed},
                 description=f"LinearClassifier on {tname} input, cast to float32", **a)

    Xi, yi = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])
    mlr = LogisticRegression(max_iter=5000).fit(Xi, names[yi])
    a = linear_clf_attrs(mlr, "SOFTMAX")
    xi = Xi[::7].astype(np.float32)
    one_node("ml_linclf_multinomial_str", "LinearClassifier", [("X", F)], clf_outputs(a, 3), {"X": xi},
             description="multinomial LogisticRegression, string labels, SOFTMAX", **a, **EXACT)
    one_node("ml_linclf_multinomial_row", "LinearClassifier", [("X", F, 1)], clf_outputs(a, 3), {"X": xi[5]},
             description="the same on a 1-D input: one row", **a, **EXACT)
    one_node("ml_linclf_empty", "LinearClassifier", [("X", F)], clf_outputs(a, 3), {"X": np.zeros((0, 4), np.float32)},
             description="LinearClassifier on an empty batch", **a)

    ovr = LogisticRegression(solver="liblinear").fit(Xi, yi)
    a = linear_clf_attrs(ovr, "LOGISTIC")
    graph_case("ml_linclf_ovr_normalizer",
               [helper.make_node("LinearClassifier", ["X"], ["label", "raw"], domain=ML, **a),
                helper.make_node("Normalizer", ["raw"], ["scores"], domain=ML, norm="L1")],
               [vi("X", F, [None, 4])], [vi("label", I64, [None]), vi("scores", F, [None, 3])], {"X": xi},
               description="one-vs-rest LogisticRegression: LOGISTIC then Normalizer L1")

    Xw, yw = load_wine(return_X_y=True)
    svc = LinearSVC(max_iter=20000, dual=False).fit(Xw, yw + 10)
    a = linear_clf_attrs(svc, "NONE")
    xw = Xw[::11].astype(np.float32)
    one_node("ml_linclf_linearsvc", "LinearClassifier", [("X", F)], clf_outputs(a, 3), {"X": xw}, **EXACT,
             description="LinearSVC on wine, NONE (scores checked exactly)", **a)
    for r in range(3):
        one_node(f"ml_linclf_linearsvc_row{r}", "LinearClassifier", [("X", F)], clf_outputs(a, 3), {"X": xw[r:r + 1]},
                 **EXACT, description="LinearSVC on one row, checked exactly", **a)

    rc = RidgeClassifier().fit(Xb, yb)
    a = linear_clf_attrs(rc, "NONE")
    graph_case("ml_linclf_ridge_binary_afe",
               [helper.make_node("LinearClassifier", ["X"], ["label", "raw"], domain=ML, **a),
                helper.make_node("ArrayFeatureExtractor", ["raw", "one"], ["scores"], domain=ML)],
               [vi("X", F, [None, 30])], [vi("label", I64, [None]), vi("scores", F, [None, 1])], {"X": xb},
               initializers=[helper.make_tensor("one", I64, [], [1])],
               description="RidgeClassifier binary: NONE, then ArrayFeatureExtractor column 1")

    # Synthetic models for the other branches.
    W = rng.standard_normal((5, 13)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    x = edge_rows(13, 9)
    base = dict(coefficients=W.ravel().tolist(), intercepts=b.tolist(), classlabels_ints=[3, 1, 4, 1, 5])
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        xx = x / 40 if post == "PROBIT" else x
        one_node(f"ml_linclf_post_{post.lower()}", "LinearClassifier", [("X", F)], clf_outputs(base, 5), {"X": xx},
                 description=f"5 classes, post_transform {post}", **dict(base, post_transform=post),
                 **(EXACT if post in ("NONE", "LOGISTIC", "PROBIT") else {}))
    # One-row GEMM blocks: 1..7 classes over 13 features.
    for c in range(1, 8):
        a = dict(coefficients=(W[:c] if c <= 5 else np.vstack([W, W[:c - 5] * 0.5])).ravel().tolist(),
                 intercepts=(list(b) + [0.25, -0.5])[:c], classlabels_ints=list(range(c)) if c > 1 else [])
        if c == 1:
            del a["classlabels_ints"]
        one_node(f"ml_linclf_row_{c}classes", "LinearClassifier", [("X", F)], clf_outputs(a, c), {"X": x[4:5]},
                 **EXACT, description=f"one row, {c} classes, NONE (checked exactly)", **a)
    # One class (one intercept).
    one = dict(coefficients=W[0].tolist(), intercepts=[float(b[0])])
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        one_node(f"ml_linclf_one_class_two_labels_{post.lower()}", "LinearClassifier", [("X", F)], clf_outputs({}, 2),
                 {"X": x / 40 if post == "PROBIT" else x}, **EXACT,
                 description=f"one intercept, two labels, {post}: Z = [1-s, s], [σ(-s), σ(s)] under LOGISTIC, "
                             "probits packed then zeros under PROBIT",
                 **dict(one, classlabels_ints=[7, 9], post_transform=post))
    one_node("ml_linclf_one_class_two_strings", "LinearClassifier", [("X", F)], clf_outputs({"classlabels_strings": 1}, 2), {"X": x},
             description="one intercept, two string labels", **dict(one, classlabels_strings=["no", "yes"]))
    one_node("ml_linclf_one_class_no_labels_probit", "LinearClassifier", [("X", F)], clf_outputs({}, 1), {"X": x / 40},
             description="one intercept, no labels: labels 1/0, Z = [probit(s)]", **dict(one, post_transform="PROBIT"))
    one_node("ml_linclf_one_class_no_labels_logistic", "LinearClassifier", [("X", F)], clf_outputs({}, 1), {"X": x},
             description="one intercept, no labels, LOGISTIC (not applied to one column)", **dict(one, post_transform="LOGISTIC"))
    one_node_error("ml_linclf_err_one_class_three_labels", "LinearClassifier", [("X", F)], clf_outputs({"classlabels_strings": 1}, 1),
                   {"X": x}, description="one intercept needs exactly two labels", **dict(one, classlabels_strings=["a", "b", "c"]))
    one_node_error("ml_linclf_err_no_labels", "LinearClassifier", [("X", F)], clf_outputs({}, 5), {"X": x},
                   description="several classes need labels", coefficients=base["coefficients"], intercepts=base["intercepts"])
    one_node_error("ml_linclf_err_3d", "LinearClassifier", [("X", F, 3)], clf_outputs(base, 5), {"X": x.reshape(1, 9, 13)},
                   description="rank 3 input", **base)
    one_node("ml_linclf_nan", "LinearClassifier", [("X", F)], clf_outputs(base, 5),
             {"X": np.array([[np.nan] * 13, [1.0] * 12 + [np.nan]], np.float32)},
             description="NaN features: NaN scores, first label", **dict(base, post_transform="NONE"))


# ---- LinearRegressor ----
def gen_linear_regressor():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Lasso, Ridge
    Xd, yd = load_diabetes(return_X_y=True)
    xd = Xd[::23].astype(np.float32)
    las = Lasso(alpha=0.01).fit(Xd, yd)
    a = dict(coefficients=las.coef_.astype(float).tolist(), intercepts=[float(las.intercept_)], targets=1)
    one_node("ml_linreg_lasso", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd}, **EXACT,
             description="Lasso on diabetes (checked exactly)", **a)
    one_node("ml_linreg_lasso_row", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd[2:3]}, **EXACT,
             description="Lasso on one row (checked exactly)", **a)
    one_node("ml_linreg_vector", "LinearRegressor", [("X", F, 1)], [("Y", F)], {"X": xd[2]},
             description="a 1-D input is one row", **a)
    one_node("ml_linreg_empty", "LinearRegressor", [("X", F)], [("Y", F)], {"X": np.zeros((0, 10), np.float32)},
             description="empty batch", **a)
    Y3 = np.column_stack([yd, yd / 10 - 3, np.sin(yd)])
    rid = Ridge(alpha=0.5).fit(Xd, Y3)
    a = dict(coefficients=rid.coef_.astype(float).ravel().tolist(), intercepts=rid.intercept_.astype(float).tolist(), targets=3)
    one_node("ml_linreg_ridge_3targets", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd}, **EXACT,
             description="Ridge with 3 targets (checked exactly)", **a)
    for r in range(2):
        one_node(f"ml_linreg_ridge_3targets_row{r}", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd[r:r + 1]},
                 **EXACT, description="3 targets on one row (checked exactly)", **a)
    for post in ["LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        aa = dict(a, post_transform=post)
        xx = xd
        if post == "PROBIT":
            aa["coefficients"] = (np.array(a["coefficients"]) / 2000).tolist()
            aa["intercepts"] = [0.1, 0.5, -0.2]
        one_node(f"ml_linreg_3targets_{post.lower()}", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xx},
                 description=f"3 targets, post_transform {post}", **aa)
    a1 = dict(coefficients=(las.coef_ / 2000).astype(float).tolist(), intercepts=[0.3], targets=1)
    for post in ["LOGISTIC", "PROBIT"]:
        one_node(f"ml_linreg_1target_{post.lower()}", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd},
                 description=f"one target, {post}: only PROBIT is applied", **dict(a1, post_transform=post))
    one_node("ml_linreg_intercepts_ignored", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd},
             description="2 targets, 1 intercept: onnxruntime ignores the intercepts",
             coefficients=rid.coef_[:2].astype(float).ravel().tolist(), intercepts=[100.0], targets=2)
    one_node("ml_linreg_no_intercepts", "LinearRegressor", [("X", F)], [("Y", F)], {"X": xd},
             description="no intercepts", coefficients=las.coef_.astype(float).tolist())
    one_node_error("ml_linreg_err_double", "LinearRegressor", [("X", D)], [("Y", D)], {"X": Xd[:3]},
                   description="onnxruntime's LinearRegressor refuses double input", **a)


# ---- Normalizer, Imputer, Binarizer ----
def gen_preprocess():
    x = edge_rows(5, 8)
    x[4] = [-3, -1, -2, -0.5, -4]  # MAX of a negative row: the signed max
    x[5, 2] = np.nan
    x[6] = 0
    for norm in ["MAX", "L1", "L2"]:
        one_node(f"ml_normalizer_{norm.lower()}", "Normalizer", [("X", F)], [("Y", F)], {"X": x}, norm=norm,
                 description=f"Normalizer {norm}: zero row unchanged, NaN row, negative row")
    one_node("ml_normalizer_default", "Normalizer", [("X", F)], [("Y", F)], {"X": x}, description="Normalizer without norm: MAX")
    xi = np.array([[3, 4, 0], [-6, 8, 0], [0, 0, 0], [3037000500, 1, 0]], np.int64)
    for t, tname, feed in [(D, "double", x.astype(np.float64) * 1.1), (I64, "int64", xi), (I32, "int32", xi[:3].astype(np.int32))]:
        for norm in ["MAX", "L1", "L2"]:
            one_node(f"ml_normalizer_{norm.lower()}_{tname}", "Normalizer", [("X", t)], [("Y", F)], {"X": feed}, norm=norm,
                     description=f"Normalizer {norm} on {tname} (int64 squares wrap as in C++)")
    one_node("ml_normalizer_vector", "Normalizer", [("X", F, 1)], [("Y", F, 1)], {"X": x[1]}, norm="L2", description="Normalizer on a vector")
    one_node("ml_normalizer_empty", "Normalizer", [("X", F)], [("Y", F)], {"X": np.zeros((0, 5), np.float32)}, norm="L1",
             description="Normalizer on an empty batch")
    one_node_error("ml_normalizer_err_rank3", "Normalizer", [("X", F, 3)], [("Y", F, 3)], {"X": x.reshape(2, 4, 5)}, norm="L1",
                   description="Normalizer on rank 3")
    one_node_error("ml_normalizer_err_norm", "Normalizer", [("X", F)], [("Y", F)], {"X": x}, norm="max",
                   description="Normalizer norm is case-sensitive")

    from sklearn.impute import SimpleImputer
    Xm = rng.standard_normal((30, 4)) * 3
    Xm[rng.random((30, 4)) < 0.2] = np.nan
    imp = SimpleImputer(strategy="median").fit(Xm)
    xm = Xm[:10].astype(np.float32)
    a = dict(imputed_value_floats=imp.statistics_.astype(float).tolist(), replaced_value_float=float("nan"))
    one_node("ml_imputer_nan", "Imputer", [("X", F)], [("Y", F)], {"X": xm}, description="SimpleImputer(median): NaN replaced per column", **a)
    one_node("ml_imputer_one_value", "Imputer", [("X", F)], [("Y", F)], {"X": xm}, imputed_value_floats=[-1.5],
             replaced_value_float=float("nan"), description="one imputed value for all columns")
    one_node("ml_imputer_short_list", "Imputer", [("X", F)], [("Y", F)], {"X": xm}, imputed_value_floats=[7.0, 8.0, 9.0],
             replaced_value_float=float("nan"), description="3 imputed values for 4 columns: the first for all")
    xz = np.array([[0, 1.5, 0, np.nan], [2, 0, 0.5, 0]], np.float32)
    one_node("ml_imputer_number", "Imputer", [("X", F)], [("Y", F)], {"X": xz}, imputed_value_floats=[10.0, 20.0, 30.0, 40.0],
             replaced_value_float=0.0, description="replacing zeros; NaN stays")
    one_node("ml_imputer_default_replaced", "Imputer", [("X", F)], [("Y", F)], {"X": xz}, imputed_value_floats=[10.0, 20.0, 30.0, 40.0],
             description="replaced_value_float defaults to 0")
    one_node("ml_imputer_int64", "Imputer", [("X", I64)], [("Y", I64)], {"X": np.array([[1, -1, 5], [-1, 2, -1]], np.int64)},
             imputed_value_int64s=[7, 8, 9], replaced_value_int64=-1, description="int64 Imputer")
    one_node("ml_imputer_vector", "Imputer", [("X", F, 1)], [("Y", F, 1)], {"X": np.array([np.nan, 1, np.nan], np.float32)},
             imputed_value_floats=[5.0, 6.0, 7.0], replaced_value_float=float("nan"), description="Imputer on a vector")
    one_node("ml_imputer_rank3", "Imputer", [("X", F, 3)], [("Y", F, 3)], {"X": np.array([[[np.nan, 1], [np.nan, np.nan]]], np.float32)},
             imputed_value_floats=[5.0, 6.0], replaced_value_float=float("nan"), description="rank 3: columns cycle through axis 1's size")
    one_node_error("ml_imputer_err_float_input_int_values", "Imputer", [("X", F)], [("Y", F)], {"X": xz}, imputed_value_int64s=[1],
                   description="float input with only int64 imputed values")
    one_node_error("ml_imputer_err_both", "Imputer", [("X", F)], [("Y", F)], {"X": xz}, imputed_value_int64s=[1], imputed_value_floats=[1.0],
                   description="both imputed value lists")
    one_node_error("ml_imputer_err_double", "Imputer", [("X", D)], [("Y", D)], {"X": xz.astype(np.float64)}, imputed_value_floats=[1.0],
                   description="onnxruntime's Imputer takes no double")

    xb = edge_rows(4, 6)
    one_node("ml_binarizer", "Binarizer", [("X", F)], [("Y", F)], {"X": xb}, threshold=0.5, description="Binarizer x > 0.5")
    one_node("ml_binarizer_default", "Binarizer", [("X", F)], [("Y", F)], {"X": xb}, description="Binarizer threshold defaults to 0")
    one_node_error("ml_binarizer_err_nan", "Binarizer", [("X", F)], [("Y", F)], {"X": np.array([[1, np.nan]], np.float32)},
                   description="onnxruntime's Binarizer refuses NaN")
    one_node_error("ml_binarizer_err_double", "Binarizer", [("X", D)], [("Y", D)], {"X": xb.astype(np.float64)},
                   description="onnxruntime's Binarizer takes only float")


# ---- ArrayFeatureExtractor, FeatureVectorizer ----
def gen_select():
    x = edge_rows(5, 6)
    def afe(name, xv, xt, idx, description, rank=2, idx_rank=1):
        one_node(name, "ArrayFeatureExtractor", [("X", xt), ("I", I64, idx_rank)], [("Y", xt, rank)],
                 {"X": xv, "I": np.array(idx, np.int64)}, description=description)
    afe("ml_afe_float", x, F, [4, 0, 4], "columns 4, 0, 4")
    afe("ml_afe_scalar_index", x, F, np.int64(2), "a scalar index", idx_rank=0)
    afe("ml_afe_matrix_index", x, F, [[1], [3]], "a 2-D index tensor", idx_rank=2)
    afe("ml_afe_vector", x[0] + 1, F, [2, 1], "a 1-D input gives [1, k]")
    afe("ml_afe_rank3", x.reshape(2, 3, 5), F, [0, 4], "rank 3: the last axis", rank=3)
    afe("ml_afe_double", x.astype(np.float64), D, [1], "double")
    afe("ml_afe_int64", np.arange(12, dtype=np.int64).reshape(3, 4), I64, [3, 1], "int64")
    afe("ml_afe_int32", np.arange(12, dtype=np.int32).reshape(3, 4), I32, [0], "int32")
    afe("ml_afe_string", np.array([["a", "b", "c"], ["d", "e", "f"]], object), S, [2, 0], "strings")
    afe("ml_afe_empty", np.zeros((0, 5), np.float32), F, [1], "empty batch")
    for name, idx, d in [("oob", [5], "index out of range"), ("negative", [-1], "negative index"), ("no_index", np.zeros(0, np.int64), "no index")]:
        if f"ml_afe_err_{name}".startswith(ONLY):
            one_node_error(f"ml_afe_err_{name}", "ArrayFeatureExtractor", [("X", F), ("I", I64, 1)], [("Y", F)],
                           {"X": x, "I": np.array(idx, np.int64)}, description=d)

    def fv(name, feeds, types, dims, description):
        one_node(name, "FeatureVectorizer", [(f"X{i}", t) for i, t in enumerate(types)], [("Y", F)],
                 {f"X{i}": v for i, v in enumerate(feeds)}, inputdimensions=dims, description=description)
    fv("ml_featvec_float", [x[:, :2], x[:, 2:], x[:, :1]], [F, F, F], [2, 3, 1], "three float inputs")
    fv("ml_featvec_trunc_pad", [x, x[:, :1]], [F, F], [3, 4], "truncating 5 to 3, padding 1 to 4")
    fv("ml_featvec_int64", [np.arange(6, dtype=np.int64).reshape(2, 3), np.array([[7], [9]], np.int64)], [I64, I64], [3, 1], "int64 inputs")
    fv("ml_featvec_double", [x.astype(np.float64) * 1.3], [D], [5], "double input")
    fv("ml_featvec_int32", [np.arange(6, dtype=np.int32).reshape(3, 2)], [I32], [2], "int32 input")
    fv("ml_featvec_vector", [x[0], x[1:2]], [F, F], [5, 2], "a vector is one row")
    fv("ml_featvec_rank3", [x[:2].reshape(1, 2, 5)], [F], [10], "rank 3: one row of 10")
    fv("ml_featvec_empty", [np.zeros((0, 2), np.float32)], [F], [2], "empty batch")
    fv("ml_featvec_zero_dim", [x[:, :2], x], [F, F], [0, 5], "an input given 0 columns")
    if "ml_featvec_err_rows".startswith(ONLY):
        one_node_error("ml_featvec_err_rows", "FeatureVectorizer", [("X0", F), ("X1", F)], [("Y", F)], {"X0": x, "X1": x[:2]},
                       inputdimensions=[5, 5], description="inputs with different row counts")


# ---- OneHotEncoder, LabelEncoder, CategoryMapper ----
def gen_encode():
    from onnx import numpy_helper
    xi = np.array([[3, 1], [7, 3], [5, 5]], np.int64)
    one_node("ml_ohe_int64", "OneHotEncoder", [("X", I64)], [("Y", F, 3)], {"X": xi}, cats_int64s=[1, 3, 5],
             description="OneHotEncoder over int64; 7 is unknown (zeros)")
    one_node("ml_ohe_float_trunc", "OneHotEncoder", [("X", F)], [("Y", F, 3)], {"X": np.array([[2.9, -0.5, np.nan, 1e20]], np.float32)},
             cats_int64s=[2, 0, -9223372036854775808], description="float input truncated; NaN and huge values become INT64_MIN")
    one_node("ml_ohe_double", "OneHotEncoder", [("X", D)], [("Y", F, 3)], {"X": np.array([[2.9, -1.5], [0.2, 7]], np.float64)},
             cats_int64s=[2, -1, 0], description="double input truncated")
    one_node("ml_ohe_string", "OneHotEncoder", [("X", S)], [("Y", F, 3)], {"X": np.array([["a", "z"], ["b", "a"]], object)},
             cats_strings=["a", "b"], description="strings; z is unknown")
    one_node("ml_ohe_dup_cats", "OneHotEncoder", [("X", I64)], [("Y", F, 3)], {"X": np.array([[1, 2]], np.int64)}, cats_int64s=[1, 2, 1],
             description="a duplicate category: the later index wins")
    one_node("ml_ohe_vector", "OneHotEncoder", [("X", I64, 1)], [("Y", F, 2)], {"X": np.array([1, 2], np.int64)}, cats_int64s=[2, 1],
             description="a vector gives [N, C]")
    one_node("ml_ohe_rank3", "OneHotEncoder", [("X", I64, 3)], [("Y", F, 4)], {"X": np.array([[[1], [2]]], np.int64)}, cats_int64s=[2, 1],
             description="rank 3 input")
    one_node("ml_ohe_kinds_differ", "OneHotEncoder", [("X", S)], [("Y", F, 3)], {"X": np.array([["1"]], object)}, cats_int64s=[1],
             description="string input against int categories: all unknown")
    one_node_error("ml_ohe_err_unknown", "OneHotEncoder", [("X", I64)], [("Y", F, 3)], {"X": xi}, cats_int64s=[1, 3, 5], zeros=0,
                   description="an unknown category with zeros=0")
    one_node_error("ml_ohe_err_int32", "OneHotEncoder", [("X", I32)], [("Y", F, 3)], {"X": xi.astype(np.int32)}, cats_int64s=[1, 3, 5],
                   description="onnxruntime's OneHotEncoder takes no int32")

    s = np.array([["a", "b"], ["zz", "c"]], object)
    def le(name, xv, xt, yt, opset, description, rank=None, **a):
        r = np.asarray(xv).ndim
        one_node(name, "LabelEncoder", [("X", xt)], [("Y", yt, r)], {"X": xv}, ml_opset=opset, description=description, **a)
    le("ml_labelenc_v1_str_int", s, S, I64, 1, "v1 strings to indexes; a duplicate class keeps the last index",
       classes_strings=["a", "b", "c", "a"])
    le("ml_labelenc_v1_int_str", np.array([0, 3, -1, 2], np.int64), I64, S, 1, "v1 indexes to strings", classes_strings=["a", "b", "c"],
       default_string="?")
    le("ml_labelenc_v1_default_int", s, S, I64, 1, "v1 default_int64", classes_strings=["a"], default_int64=9)
    le("ml_labelenc_v2_str_int", s, S, I64, 2, "v2 strings to int64; the first duplicate key wins",
       keys_strings=["a", "b", "a"], values_int64s=[1, 2, 3])
    le("ml_labelenc_v2_str_float", s, S, F, 2, "v2 strings to float, default -0", keys_strings=["a", "b"], values_floats=[1.5, 2.5])
    le("ml_labelenc_v2_str_str", s, S, S, 2, "v2 strings to strings, default _Unused", keys_strings=["a"], values_strings=["A"])
    le("ml_labelenc_v2_float_str", np.array([np.nan, 0.0, -0.0, 1.5], np.float32), F, S, 2, "v2 float keys: NaN never matches, -0 matches 0",
       keys_floats=[float("nan"), 0.0, 1.5], values_strings=["n", "z", "x"])
    le("ml_labelenc_v2_int_int", np.array([1, 2, 9], np.int64), I64, I64, 2, "v2 int64 to int64 with a default",
       keys_int64s=[1, 2], values_int64s=[10, 20], default_int64=-7)
    le("ml_labelenc_v2_int_str", np.array([1, 3], np.int64), I64, S, 2, "v2 int64 to strings", keys_int64s=[1], values_strings=["x"])
    le("ml_labelenc_v2_float_float", np.array([1, 2, 9], np.float32), F, F, 2, "v2 float to float", keys_floats=[1.0, 2.0],
       values_floats=[10.0, 20.0], default_float=0.25)
    le("ml_labelenc_v2_float_int", np.array([1, 2, 9], np.float32), F, I64, 2, "v2 float to int64", keys_floats=[1.0, 2.0],
       values_int64s=[10, 20])
    le("ml_labelenc_v3_int_int", np.array([1, 3], np.int64), I64, I64, 3, "opset 3 binds version 2", keys_int64s=[1], values_int64s=[5])
    le("ml_labelenc_v4_float_nan", np.array([np.nan, 0.0, 1.5], np.float32), F, S, 4, "v4: NaN keys match NaN",
       keys_floats=[float("nan"), 0.0], values_strings=["n", "z"])
    le("ml_labelenc_v4_double", np.array([np.nan, 1.0, 2.0], np.float64), D, D, 4, "v4 double tensors with a default tensor",
       keys_tensor=numpy_helper.from_array(np.array([np.nan, 1.0], np.float64)), values_tensor=numpy_helper.from_array(np.array([5.0, 6.0])),
       default_tensor=numpy_helper.from_array(np.array([-2.0])))
    le("ml_labelenc_v4_double_default", np.array([3.0, 1.0], np.float64), D, D, 4, "v4 double values: default -0 (default_float ignored)",
       keys_tensor=numpy_helper.from_array(np.array([1.0])), values_tensor=numpy_helper.from_array(np.array([5.0])), default_float=3.5)
    le("ml_labelenc_v4_double_int", np.array([3.0, 1.0], np.float64), D, I64, 4, "v4 double to int64",
       keys_tensor=numpy_helper.from_array(np.array([1.0])), values_int64s=[7])
    le("ml_labelenc_v4_int_double", np.array([3, 1], np.int64), I64, D, 4, "v4 int64 to double",
       keys_int64s=[1], values_tensor=numpy_helper.from_array(np.array([5.0])))
    le("ml_labelenc_v4_str_str_default", s, S, S, 4, "v4 string default tensor", keys_strings=["a"], values_strings=["A"],
       default_tensor=numpy_helper.from_array(np.array(["D"], object)))
    le("ml_labelenc_v4_tensors", np.array([1, 4, 5], np.int64), I64, F, 4, "v4 keys and values as tensors",
       keys_tensor=numpy_helper.from_array(np.array([1, 4], np.int64)), values_tensor=numpy_helper.from_array(np.array([1.5, 4.5], np.float32)))
    le("ml_labelenc_v4_int_float", np.array([3, 1], np.int64), I64, F, 4, "v4 int64 to float, default", keys_int64s=[1], values_floats=[2.5])
    if "ml_labelenc_err_lengths".startswith(ONLY):
        one_node_error("ml_labelenc_err_lengths", "LabelEncoder", [("X", I64)], [("Y", I64, 1)], {"X": np.array([1], np.int64)},
                       ml_opset=2, keys_int64s=[1, 2], values_int64s=[10], description="keys and values of different lengths")
    if "ml_labelenc_err_v1_no_classes".startswith(ONLY):
        one_node_error("ml_labelenc_err_v1_no_classes", "LabelEncoder", [("X", S)], [("Y", I64)], {"X": s}, ml_opset=1,
                       description="v1 without classes_strings")

    def cm(name, xv, xt, yt, description, **a):
        one_node(name, "CategoryMapper", [("X", xt)], [("Y", yt, np.asarray(xv).ndim)], {"X": xv}, description=description, **a)
    cm("ml_catmap_str_int", s, S, I64, "strings to int64; a later duplicate wins", cats_strings=["a", "b", "c", "a"], cats_int64s=[1, 2, 3, 4])
    cm("ml_catmap_int_str", np.array([1, 4, 9], np.int64), I64, S, "int64 to strings with a default",
       cats_strings=["a", "b", "c", "a"], cats_int64s=[1, 2, 3, 4], default_string="?")
    cm("ml_catmap_default_int", s, S, I64, "default_int64", cats_strings=["a"], cats_int64s=[5], default_int64=42)
    if "ml_catmap_err_lengths".startswith(ONLY):
        one_node_error("ml_catmap_err_lengths", "CategoryMapper", [("X", S)], [("Y", I64)], {"X": s},
                       cats_strings=["a", "b"], cats_int64s=[1], description="lists of different lengths")


# ---- SVMClassifier, SVMRegressor ----
def svc_attrs(svc, labels=None):
    """svc_attrs builds SVMClassifier attributes from a fitted SVC as
    skl2onnx 1.14 does (binary models get negated coefficients and rho)."""
    coef = svc.dual_coef_.ravel().astype(np.float32)
    rho = svc.intercept_.astype(np.float32)
    if len(svc.classes_) == 2:
        coef, rho = -coef, -rho
    a = dict(kernel_type=svc.kernel.upper(), kernel_params=[float(svc._gamma), float(svc.coef0), float(svc.degree)],
             support_vectors=svc.support_vectors_.ravel().astype(np.float32).tolist(), coefficients=coef.tolist(),
             rho=rho.tolist(), vectors_per_class=svc.n_support_.tolist(), post_transform="NONE")
    if len(svc.probA_) > 0:
        a["prob_a"] = svc.probA_.astype(np.float32).tolist()
        a["prob_b"] = svc.probB_.astype(np.float32).tolist()
    classes = svc.classes_ if labels is None else labels
    if np.asarray(classes).dtype.kind in "OUS":
        a["classlabels_strings"] = [str(c) for c in classes]
    else:
        a["classlabels_ints"] = [int(c) for c in classes]
    return a


def svr_attrs(svr):
    return dict(kernel_type=svr.kernel.upper(), kernel_params=[float(svr._gamma), float(svr.coef0), float(svr.degree)],
                support_vectors=svr.support_vectors_.ravel().astype(np.float32).tolist(),
                coefficients=svr.dual_coef_.ravel().astype(np.float32).tolist(), rho=svr.intercept_.astype(np.float32).tolist(),
                n_supports=len(svr.support_), post_transform="NONE")


def gen_svm():
    from sklearn.datasets import load_iris, load_breast_cancer, load_diabetes
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC, NuSVC, SVR, NuSVR, OneClassSVM
    Xi, yi = load_iris(return_X_y=True)
    Xb, yb = load_breast_cancer(return_X_y=True)
    Xb = StandardScaler().fit_transform(Xb)[:, :8]
    xi, xb = Xi[::9].astype(np.float32), Xb[::37].astype(np.float32)
    kparams = {"linear": {}, "poly": dict(degree=3, coef0=0.5, gamma=0.2), "rbf": {}, "sigmoid": dict(gamma=0.05, coef0=-0.5)}
    for kernel, kw in kparams.items():
        for prob in [False, True]:
            tag = f"{kernel}{'_proba' if prob else ''}"
            svc = SVC(kernel=kernel, probability=prob, random_state=0, **kw).fit(Xi, yi)
            a = svc_attrs(svc)
            n_out = 3 if prob else 3
            tol = EXACT
            one_node(f"ml_svc_{tag}_multiclass", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xi},
                     description=f"SVC({kernel}, probability={prob}) on iris: 3 classes", **a, **tol)
            svb = SVC(kernel=kernel, probability=prob, random_state=0, **kw).fit(Xb, yb)
            a = svc_attrs(svb)
            one_node(f"ml_svc_{tag}_binary", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xb},
                     description=f"SVC({kernel}, probability={prob}) on breast cancer (8 features): binary, negated coef and rho", **a, **tol)
            one_node(f"ml_svc_{tag}_binary_row", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xb[1:2]},
                     description="the same on one row", **a, **tol)
    names = np.array(["setosa", "versicolor", "virginica"])
    svc = SVC(kernel="rbf", probability=True, random_state=0).fit(Xi, names[yi])
    one_node("ml_svc_rbf_proba_strings", "SVMClassifier", [("X", F)], [("label", S, 1), ("scores", F)], {"X": xi},
             description="SVC(rbf, probability) with string labels", **svc_attrs(svc), **EXACT)
    a = svc_attrs(SVC(kernel="rbf", random_state=0).fit(Xi, yi))
    for post in ["LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        one_node(f"ml_svc_rbf_multiclass_{post.lower()}", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xi},
                 description=f"3 classes without probabilities, post_transform {post} on the decision values",
                 **dict(a, post_transform=post))
    ab = svc_attrs(SVC(kernel="rbf", random_state=0).fit(Xb, yb))
    for post in ["LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        one_node(f"ml_svc_rbf_binary_{post.lower()}", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xb},
                 description=f"binary without probabilities, {post}: [σ(-s), σ(s)] under LOGISTIC, [probit(s), 0] "
                             "under PROBIT, else [1-s, s]",
                 **dict(ab, post_transform=post))
    one_node("ml_svc_both_label_lists", "SVMClassifier", [("X", F)], [("label", S, 1), ("scores", F)], {"X": xi},
             description="both label lists: onnxruntime takes the strings", **dict(a, classlabels_strings=["a", "b", "c"]))
    for name, kw, d in [("no_kernel_params", dict(kernel_params=None), "kernel_params missing"),
                        ("kernel_params_2", dict(kernel_params=[0.1, 0.2]), "kernel_params of 2 values"),
                        ("kernel_type", dict(kernel_type="rbf"), "kernel_type is case-sensitive"),
                        ("ragged_sv", dict(support_vectors=a["support_vectors"][:-1]), "support vectors do not divide"),
                        ("proba_short", dict(prob_a=[1.0], prob_b=[1.0]), "prob_a shorter than the pairs")]:
        if f"ml_svc_err_{name}".startswith(ONLY):
            one_node_error(f"ml_svc_err_{name}", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xi},
                           description=d, **dict(a, **kw))
    one_node_error("ml_svc_err_features", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xi[:, :3]},
                   description="3 features for 4", **a)
    # More classes: 5 blobs, NuSVC.
    Xc = np.vstack([rng.standard_normal((12, 3)) + 3 * np.array([np.cos(t), np.sin(t), t / 3]) for t in range(5)])
    yc = np.repeat([2, 4, 6, 8, 10], 12)
    for prob in [False, True]:
        nu = NuSVC(nu=0.3, probability=prob, random_state=1).fit(Xc, yc)
        one_node(f"ml_svc_nusvc_5classes{'_proba' if prob else ''}", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)],
                 {"X": Xc[::4].astype(np.float32)}, description=f"NuSVC(rbf, probability={prob}), 5 classes", **svc_attrs(nu),
                 **EXACT)
    one_node("ml_svc_double_input", "SVMClassifier", [("X", D)], [("label", I64, 1), ("scores", F)], {"X": Xi[::9] * 1.01},
             description="double input cast to float32", **svc_attrs(SVC(kernel="rbf", random_state=0).fit(Xi, yi)))
    one_node("ml_svc_empty", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": np.zeros((0, 4), np.float32)},
             description="empty batch", **svc_attrs(SVC(kernel="rbf", random_state=0).fit(Xi, yi)))
    # LINEAR mode (no support vectors): one row of coefficients per class, rho[0] for all.
    W = rng.standard_normal((3, 4)).astype(np.float32)
    lin = dict(coefficients=W.ravel().tolist(), rho=[0.5], kernel_params=[0.1, 0.0, 3.0], classlabels_ints=[1, 2, 3])
    one_node("ml_svc_linear_mode", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xi}, **EXACT,
             description="LINEAR mode: scores X·Wᵀ + rho[0], label from the scores", **lin)
    for c, (wpos, tag) in enumerate([(False, "mixed"), (True, "positive")]):
        W2 = np.abs(W[:2]) / 10 if wpos else W[:2]
        one_node(f"ml_svc_linear_mode_binary_{tag}", "SVMClassifier", [("X", F)], [("label", I64, 1), ("scores", F)], {"X": xi},
                 description=f"LINEAR mode, 2 classes, {tag} coefficients: onnxruntime's label rule",
                 coefficients=W2.ravel().tolist(), rho=[-0.1], kernel_params=[0.1, 0.0, 3.0], classlabels_ints=[5, 7])
    one_node("ml_svc_linear_mode_softmax", "SVMClassifier", [("X", F)], [("label", S, 1), ("scores", F)], {"X": xi},
             description="LINEAR mode, SOFTMAX, string labels", **dict(lin, classlabels_strings=["a", "b", "c"], classlabels_ints=None,
                                                                       post_transform="SOFTMAX"))

    Xd, yd = load_diabetes(return_X_y=True)
    xd = Xd[::29].astype(np.float32)
    for kernel, kw in kparams.items():
        svr = SVR(kernel=kernel, C=50, **kw).fit(Xd, yd)
        tol = EXACT
        one_node(f"ml_svr_{kernel}", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd}, description=f"SVR({kernel}) on diabetes",
                 **svr_attrs(svr), **tol)
        one_node(f"ml_svr_{kernel}_row", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd[3:4]}, description=f"SVR({kernel}) on one row",
                 **svr_attrs(svr), **tol)
    nusvr = NuSVR(nu=0.5, C=10).fit(Xd, yd)
    one_node("ml_svr_nusvr", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd}, description="NuSVR(rbf)", **svr_attrs(nusvr), **EXACT)
    oc = OneClassSVM(nu=0.2, gamma=5).fit(Xd[:100])
    a = svr_attrs(oc)
    one_node("ml_svr_oneclass_scores", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd}, description="OneClassSVM scores (skl2onnx)", **a, **EXACT)
    one_node("ml_svr_oneclass_flag", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd}, description="one_class=1: ±1", **dict(a, one_class=1))
    one_node("ml_svr_linear_mode", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd}, description="no support vectors: x·coef + rho",
             coefficients=(rng.standard_normal(10) * 30).tolist(), rho=[150.0], kernel_params=[0.0, 0.0, 0.0], kernel_type="RBF",
             **EXACT)
    one_node("ml_svr_post_ignored", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd}, description="post_transform is ignored",
             **dict(svr_attrs(SVR(kernel="rbf", C=50).fit(Xd, yd)), post_transform="LOGISTIC"))
    one_node("ml_svr_empty", "SVMRegressor", [("X", F)], [("Y", F)], {"X": np.zeros((0, 10), np.float32)}, description="empty batch",
             **svr_attrs(SVR(kernel="rbf").fit(Xd, yd)))
    one_node_error("ml_svr_err_features", "SVMRegressor", [("X", F)], [("Y", F)], {"X": xd[:, :9]}, description="9 features for 10",
                   **svr_attrs(SVR(kernel="rbf").fit(Xd, yd)))
    one_node_error("ml_svr_err_double", "SVMRegressor", [("X", D)], [("Y", F)], {"X": Xd[:3]}, description="double input",
                   **svr_attrs(SVR(kernel="rbf").fit(Xd, yd)))


GENERATORS = [gen_scaler, gen_linear_classifier, gen_linear_regressor, gen_preprocess, gen_select, gen_encode, gen_svm]

if __name__ == "__main__":
    for g in GENERATORS:
        g()
