"""gen_cdist writes ms_cdist_* cases: onnxruntime's com.microsoft CDist
(contrib_ops/cpu/cdist.cc, opset 1 of domain com.microsoft).

Op-level cases (ms_cdist_f32_*, ms_cdist_f64_*): one CDist node, B an
initializer (as skl2onnx writes it: the training points) or a graph input.
onnxruntime computes y = -2·A·Bᵀ with MLAS's GEMM, then (y + |a|²) + |b|²
with Eigen's squaredNorm, then abs (and sqrt for "euclidean"), in A's type;
the rows of A are built close to rows of B so that the cancellation in that
sum shows, and K varies over the shapes of Eigen's vectorised reduction
(fewer than one packet, one packet, two accumulators, a last odd packet, a
tail).

Converter-faithful cases (ms_cdist_knn_*): k-nearest-neighbour models as
skl2onnx 1.14 to 1.18 write them with options={id(model): {'optim':
'cdist'}} (nearest_neighbours.py, onnx_nearest_neighbors_indices): the
Scan of the default export becomes one node
    CD_dist0 = CDist(X, training points, metric) (domain com.microsoft;
    OnnxCDist's since_version 1 is the op_version, so the model imports
    com.microsoft 1)
with metric 'euclidean' for the default minkowski p=2 (p != 2 adds an
attribute p and keeps metric 'minkowski'); the rest is the algebra of the
sk4_knn_* cases (gen_sk4_knn.py): TopK(largest=0, sorted=1, opset >= 11),
for weights='distance' Mul(values, -1) -> Max(., 1e-6) -> Reciprocal (every
weight 1e6, a uniform vote), Flatten -> ArrayFeatureExtractor(labels) ->
Reshape(-1, k), then the classifier's per-class vote or the regressor's
mean. Labels and scores are compared with scikit-learn's own predictions.

Error cases (ms_cdist_err_*): models and requests onnxruntime refuses: the
metrics it does not implement (what optim='cdist' writes for metric
'manhattan', 'cosine' or minkowski p=3), unknown attributes, a com.microsoft
import newer than 1, mixed or integer types, and shapes the kernel rejects
at run time (rank, K = 0, K mismatch).
"""
import numpy as np
from onnx import helper, numpy_helper, AttributeProto, TensorProto
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

import skcommon
from casegen import make_model, write_case, write_error_case
from skcommon import (Builder, float_input, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges,
                      run_case)

MS = "com.microsoft"
ML = "ai.onnx.ml"
F, D = TensorProto.FLOAT, TensorProto.DOUBLE
OPSETS = {"": 15, MS: 1}


# ---------------------------------------------------------------- op level
def cdist_model(elem, B=None, metric="sqeuclidean", K=None, a_shape=True, opsets=None, b_elem=None, **attrs):
    """cdist_model builds CDist(A, B); B is an initializer when given, else
    a graph input. metric None leaves the attribute out."""
    if metric is not None:
        attrs["metric"] = metric
    node = helper.make_node("CDist", ["A", "B"], ["C"], domain=MS, name="CD_CDist", **attrs)
    inputs = [helper.make_tensor_value_info("A", elem, [None, K] if a_shape else None)]
    inits = []
    if B is not None:
        inits.append(numpy_helper.from_array(B, "B"))
    else:
        inputs.append(helper.make_tensor_value_info("B", b_elem or elem, [None, K] if a_shape else None))
    return make_model([node], inputs, [helper.make_tensor_value_info("C", elem, [None, None])], inits,
                      opsets=opsets or OPSETS, name="cdist")


def points(rng, n, k, dtype, scale=3.0, offset=0.0):
    return (rng.normal(size=(n, k)) * scale + offset).astype(dtype)


def near(rng, B, n, dtype, noise):
    """near returns n rows, each a row of B plus a little noise."""
    idx = rng.randint(0, len(B), size=n)
    return (B[idx].astype(np.float64) + rng.normal(size=(n, B.shape[1])) * noise).astype(dtype)


def tol(dtype):
    return dict(tol_abs=1e-5, tol_rel=1e-6) if dtype == np.float32 else dict(tol_abs=1e-9, tol_rel=1e-12)


def op_cases():
    rng = np.random.RandomState(4101)
    for dtype, elem, pre in ((np.float32, F, "ms_cdist_f32"), (np.float64, D, "ms_cdist_f64")):
        for K, metric, nb, na in ((1, "euclidean", 9, 12), (3, "sqeuclidean", 10, 12), (4, "euclidean", 11, 12),
                                  (7, "sqeuclidean", 12, 13), (13, "euclidean", 15, 14),
                                  (30, "sqeuclidean", 16, 11), (41, "euclidean", 9, 9)):
            B = points(rng, nb, K, dtype, scale=rng.uniform(0.5, 20), offset=rng.uniform(-50, 50))
            A = np.vstack([near(rng, B, na - 4, dtype, 1e-3), points(rng, 4, K, dtype, scale=5.0)]).astype(dtype)
            write_case(f"{pre}_{metric}_k{K}", cdist_model(elem, B, metric, K), {"A": A},
                       description=f"CDist(metric={metric!r}) {np.dtype(dtype).name}, K={K}: B [{nb}, {K}] an "
                                   f"initializer (offset and scaled normal points), A [{na}, {K}]: {na - 4} rows "
                                   f"within about 1e-3 of a row of B (cancellation in (-2ab + |a|^2) + |b|^2), "
                                   f"4 far rows", **tol(dtype))
        B = points(rng, 8, 6, dtype, scale=2.0, offset=1.5)
        A = near(rng, B, 10, dtype, 1e-2)
        write_case(f"{pre}_runtime_b", cdist_model(elem, None, "euclidean", 6), {"A": A, "B": B},
                   description=f"CDist(metric='euclidean') {np.dtype(dtype).name}: A [10, 6] and B [8, 6] both "
                               "graph inputs (B known only at run time)", **tol(dtype))
        B = points(rng, 12, 9, dtype, scale=7.0, offset=-3.0)
        A = np.vstack([B[[0, 5, 5, 11]], B[3] * 1.0000001]).astype(dtype)
        for metric in ("sqeuclidean", "euclidean"):
            write_case(f"{pre}_identical_{metric}", cdist_model(elem, B, metric, 9), {"A": A},
                       description=f"CDist(metric={metric!r}) {np.dtype(dtype).name}: A's rows 0-3 are rows 0, 5, "
                                   "5, 11 of B, row 4 is row 3 x 1.0000001: a point's distance to itself is the "
                                   "rounding residue of (-2|b|^2 + |b|^2) + |b|^2 made non-negative by abs, not "
                                   "always 0", **tol(dtype))
    B = points(rng, 7, 5, np.float32, scale=4.0)
    write_case("ms_cdist_f32_one_row", cdist_model(F, B, "euclidean", 5), {"A": near(rng, B, 1, np.float32, 0.1)},
               description="CDist(metric='euclidean') float32, one row of A (M = 1) against 7 rows of B")
    write_case("ms_cdist_f32_empty_a", cdist_model(F, B, "euclidean", 5), {"A": np.zeros((0, 5), np.float32)},
               description="CDist float32 with A [0, 5]: the result is [0, 7]")
    write_case("ms_cdist_f32_b_no_rows", cdist_model(F, np.zeros((0, 5), np.float32), "sqeuclidean", 5),
               {"A": points(rng, 3, 5, np.float32)},
               description="CDist float32 with B an initializer [0, 5]: the result is [3, 0]")
    A = near(rng, B, 6, np.float32, 0.5)
    A[1, 2] = np.nan
    A[4, :] = np.nan
    write_case("ms_cdist_f32_nan", cdist_model(F, B, "euclidean", 5), {"A": A},
               description="CDist(metric='euclidean') float32 with NaN in A (one element of row 1, all of row 4): "
                           "those rows' distances are NaN")
    write_case("ms_cdist_f32_default_metric", cdist_model(F, B, None, 5), {"A": near(rng, B, 5, np.float32, 0.5)},
               description="CDist without a metric attribute: the schema's default, 'sqeuclidean'")
    B = points(rng, 6, 4, np.float64, scale=1e3)
    write_case("ms_cdist_f64_large", cdist_model(D, B, "sqeuclidean", 4),
               {"A": near(rng, B, 6, np.float64, 1e-9)}, tol_abs=1e-6, tol_rel=1e-12,
               description="CDist(metric='sqeuclidean') float64, points of magnitude ~1e3 and A within 1e-9 of B's "
                           "rows: the results are rounding residues of sums near 1e6 (the expected values are "
                           "onnxruntime's, matched bit for bit)")


def error_cases():
    B = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
    A = np.ones((2, 4), np.float32)
    for metric, what in (("manhattan", "what optim='cdist' writes for metric='manhattan'"),
                         ("cosine", "what optim='cdist' writes for metric='cosine'"),
                         ("minkowski", "metric 'minkowski' without p"),
                         ("Euclidean", "the metric's name is case-sensitive")):
        write_error_case(f"ms_cdist_err_metric_{metric.lower()}" + ("_case" if metric == "Euclidean" else ""),
                         cdist_model(F, B, metric, 4), {"A": A},
                         description=f"CDist(metric={metric!r}) ({what}): onnxruntime's kernel constructor refuses "
                                     "every metric but 'sqeuclidean' and 'euclidean' (ORT_NOT_IMPLEMENTED)")
    write_error_case("ms_cdist_err_minkowski_p3", cdist_model(F, B, "minkowski", 4, p=3.0), {"A": A},
                     description="CDist(metric='minkowski', p=3.0), what optim='cdist' writes for minkowski p=3: "
                                 "onnxruntime refuses the attribute p, which the schema does not have")
    write_error_case("ms_cdist_err_extra_attr", cdist_model(F, B, "euclidean", 4, p=2.0), {"A": A},
                     description="CDist(metric='euclidean') with an attribute p the schema does not have")
    m = cdist_model(F, B, "euclidean", 4)
    attr = m.graph.node[0].attribute[0]
    attr.type = AttributeProto.INT
    attr.i = 1
    attr.ClearField("s")
    write_error_case("ms_cdist_err_metric_int", m, {"A": A},
                     description="CDist whose metric attribute is declared an INT")
    write_error_case("ms_cdist_err_opset2", cdist_model(F, B, "euclidean", 4, opsets={"": 15, MS: 2}), {"A": A},
                     description="a model importing com.microsoft opset 2: onnxruntime 1.30 supports that domain "
                                 "up to opset 1")
    write_error_case("ms_cdist_err_mixed_types", cdist_model(F, B.astype(np.float64), "euclidean", 4), {"A": A},
                     description="CDist with A float32 and B (an initializer) float64")
    write_error_case("ms_cdist_err_int32", cdist_model(TensorProto.INT32, B.astype(np.int32), "euclidean", 4),
                     {"A": A.astype(np.int32)}, description="CDist on int32 tensors (only float and double)")
    node = helper.make_node("CDist", ["A", "B", "B"], ["C"], domain=MS, metric="euclidean")
    m = make_model([node], [helper.make_tensor_value_info("A", F, [None, 4])],
                   [helper.make_tensor_value_info("C", F, None)], [numpy_helper.from_array(B, "B")], opsets=OPSETS)
    write_error_case("ms_cdist_err_three_inputs", m, {"A": A}, description="CDist with three inputs")
    runtime = cdist_model(F, None, "euclidean", None, a_shape=False)
    for name, a, b, what in (
            ("a_rank3", np.ones((1, 2, 4), np.float32), B, "A of rank 3"),
            ("a_rank1", np.ones(4, np.float32), B, "A of rank 1"),
            ("b_rank1", A, B.reshape(-1), "B of rank 1"),
            ("b_rank3", A, B.reshape(1, 3, 4), "B of rank 3"),
            ("k_mismatch", np.ones((2, 3), np.float32), B, "A [2, 3] and B [3, 4]"),
            ("k_zero", np.ones((2, 0), np.float32), np.ones((3, 0), np.float32), "A [2, 0] and B [3, 0] (K = 0)")):
        write_error_case(f"ms_cdist_err_{name}", runtime, {"A": a, "B": b},
                         description=f"CDist with {what}, both graph inputs without declared shapes: the kernel "
                                     "refuses the shapes at run time")
    write_error_case("ms_cdist_err_const_b_k_zero", cdist_model(F, np.ones((3, 0), np.float32), "euclidean", None,
                                                                a_shape=False),
                     {"A": np.ones((2, 0), np.float32)},
                     description="CDist whose B initializer is [3, 0]: every request fails (K must be > 0)")


# ---------------------------------------------------------------- k-NN models
def knn_distances(b, inp, model, dtype):
    """knn_distances adds the CDist node of optim='cdist'."""
    metric = model.effective_metric_
    attrs = {}
    if metric == "minkowski":
        if model.p != 2:
            attrs["p"] = float(model.p)
        else:
            metric = "euclidean"
    pts = b.init("CD_CDistcst", model._fit_X.astype(dtype))
    return b.node("CDist", [inp, pts], b.var("CD_dist0"), domain=MS, version=1, name="CD_CDist", metric=metric,
                  **attrs)


def knn_neighbours(b, inp, model, labels, dtype):
    d = knn_distances(b, inp, model, dtype)
    k = b.init("To_TopKcst", np.array([model.n_neighbors], dtype=np.int64))
    vals, idx = b.node("TopK", [d, k], [b.var("To_Values0"), b.var("To_Indices1")], largest=0, sorted=1,
                       version=11, name="To_TopK")
    wei = None
    if model.weights == "distance":
        neg = b.node("Mul", [vals, b.init("Mu_Mulcst", np.array([-1], dtype=dtype))], b.var("Mu_C0"),
                     version="target", name="Mu_Mul")
        mx = b.node("Max", [neg, b.init("Ma_Maxcst", np.array([1e-6], dtype=dtype))], b.var("Ma_max0"),
                    version="target", name="Ma_Max")
        wei = b.node("Reciprocal", mx, b.var("wei_Y0"), version="target", name="wei_Reciprocal")
    fl = b.node("Flatten", idx, b.var("knny_output0"), version="target", name="knny_Flatten")
    lab = b.init("knny_ArrayFeatureExtractorcst", labels)
    ex = b.node("ArrayFeatureExtractor", [lab, fl], b.var("knny_Z0"), domain=ML, version=1,
                name="knny_ArrayFeatureExtractor")
    rs = b.init("knny_Reshapecst", np.array([-1, model.n_neighbors], dtype=np.int64))
    return b.node("Reshape", [ex, rs], b.var("knny_reshaped0"), version="target", name="knny_Reshape"), wei


def scaled_input(b, sc, n_features):
    if sc is None:
        return "X"
    b.reserve("variable")
    return b.node("Scaler", "X", b.var("variable"), domain=ML, version=1, offset=f32list(sc.mean_),
                  scale=f32list(1.0 / sc.scale_), name="Scaler")


def knn_clf_case(name, model, X, y, seed, what, target=15, scale=True, zipmap=True, train_rows=0):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr) if scale else None
    model.fit(sc.transform(Xtr) if scale else Xtr, ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    v = scaled_input(b, sc, X.shape[1])
    labels = np.searchsorted(model.classes_, model.classes_[model._y]).astype(np.int64)
    rl, wei = knn_neighbours(b, v, model, labels, np.float32)
    ax = b.init("bprob_ReduceSumcst", np.array([1], dtype=np.int64))
    conc = []
    for c in range(len(model.classes_)):
        eq = b.node("Equal", [rl, b.init("bprob_Equalcst", np.array([c], dtype=np.int64))], b.var("bprob_C0"),
                    version="target", name="bprob_Equal")
        m = b.node("Cast", eq, b.var("bprob_output0"), to=TensorProto.FLOAT, version="target", name="bprob_Cast")
        if wei is not None:
            m = b.node("Mul", [m, wei], b.var("bprob_C01"), version="target", name="bprob_Mul")
        conc.append(b.node("ReduceSum", [m, ax], b.var("bprob_reduced0"), keepdims=1, version="target",
                           name="bprob_ReduceSum"))
    allt = b.node("Concat", conc, b.var("bprob_concat_result0"), axis=1, version="target", name="bprob_Concat")
    am = b.node("ArgMax", allt, b.var("blab_reduced0"), axis=1, keepdims=0, version="target", name="blab_ArgMax")
    cls = b.init("blab_ArrayFeatureExtractorcst", model.classes_.astype(np.int64))
    lab = b.node("ArrayFeatureExtractor", [cls, am], b.var("blab_Z0"), domain=ML, version=1,
                 name="blab_ArrayFeatureExtractor")
    lc = b.node("Cast", lab, b.var("blab_output0"), to=TensorProto.INT64, version="target", name="blab_Cast")
    b.node("Reshape", [lc, b.init("blab_Reshapecst", np.array([-1], dtype=np.int64))], "label", version="target",
           name="blab_Reshape")
    s = b.node("ReduceSum", [allt, ax], b.var("bprob_reduced04"), keepdims=1, version="target",
               name="bprob_ReduceSum")
    b.node("Div", [allt, s], "probabilities", version="target", name="bprob_Div")
    if zipmap:
        outs = classifier_tail(b, "label", "probabilities", model.classes_)
        label_out, score_out = "output_label", "output_probability"
    else:
        outs = [tinfo("label", TensorProto.INT64, [None]),
                tinfo("probabilities", TensorProto.FLOAT, [None, len(model.classes_)])]
        label_out, score_out = "label", "probabilities"
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    parts = [Xte[:50], edges]
    if train_rows:
        parts.append(Xtr[:train_rows])
        ew = ew + [f"training row {i}" for i in range(train_rows)]
    Xreq = np.vstack(parts).astype(np.float32)
    Z = Xreq.astype(np.float64)
    if scale:
        Z = sc.transform(Z)
    proba = model.predict_proba(Z)
    desc = f"{what}. target_opset {target}. {describe_edges(min(50, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"label": model.predict(Z), "probabilities": proba}, desc,
                    label_out=label_out, score_out=score_out, score_key="probabilities", tie_scores=proba)


def knn_reg_case(name, model, X, y, seed, what, target=15, dtype=np.float32):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr) if dtype == np.float32 else None
    model.fit(sc.transform(Xtr) if sc is not None else Xtr, ytr)
    elem = F if dtype == np.float32 else D
    b = Builder(target)
    b.reserve("variable")
    v = scaled_input(b, sc, X.shape[1])
    rl, wei = knn_neighbours(b, v, model, model._y.astype(np.float64), dtype)
    rc = b.node("Cast", rl, b.var("Ca_output0"), to=elem, version="target", name="Ca_Cast")
    if wei is None:
        b.node("ReduceMean", rc, "variable", axes=[1], keepdims=0, version="target", name="Re_ReduceMean")
        shape = [None]
    else:
        ax = b.init("Re_ReduceSumcst", np.array([1], dtype=np.int64))
        w = b.node("Mul", [rc, wei], b.var("Mu_C0"), version="target", name="Mu_Mul1")
        res = b.node("ReduceSum", [w, ax], b.var("final_reduced0"), keepdims=0, version="target",
                     name="final_ReduceSum")
        norm = b.node("ReduceSum", [wei, ax], b.var("norm_reduced0"), keepdims=0, version="target",
                      name="norm_ReduceSum")
        shp = b.node("Shape", res, b.var("Sh_shape0"), version="target", name="Sh_Shape")
        normr = b.node("Reshape", [norm, shp], b.var("normr_reshaped0"), version="target", name="normr_Reshape")
        dv = b.node("Div", [res, normr], b.var("Di_C0"), version="target", name="Di_Div")
        b.node("Reshape", [dv, b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))], "variable",
               version="target", name="Re_Reshape")
        shape = [None, 1]
    m = b.model([float_input(X.shape[1], elem=elem)], [tinfo("variable", elem, shape)], name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(dtype)
    Z = Xreq.astype(np.float64)
    if sc is not None:
        Z = sc.transform(Z)
    pred = model.predict(Z).reshape(-1, *([1] if wei is not None else []))
    desc = f"{what}. target_opset {target}. {describe_edges(min(50, len(Xte)), ew)}"
    extra = tol(dtype) if dtype == np.float64 else {}
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction",
                    **extra)


def knn_error_case(name, model, X, y, what):
    model.fit(X, y)
    b = Builder(15)
    labels = np.searchsorted(model.classes_, model.classes_[model._y]).astype(np.int64)
    rl, _ = knn_neighbours(b, "X", model, labels.astype(np.float64), np.float32)
    rc = b.node("Cast", rl, b.var("Ca_output0"), to=F, version="target", name="Ca_Cast")
    b.node("ReduceMean", rc, "variable", axes=[1], keepdims=0, version="target", name="Re_ReduceMean")
    m = b.model([float_input(X.shape[1])], [tinfo("variable", F, [None])], name)
    write_error_case(name, m, {"X": X[:5].astype(np.float32)}, description=what)


def knn_cases():
    iris = load_iris()
    knn_clf_case("ms_cdist_knn_clf_uniform", KNeighborsClassifier(n_neighbors=3), iris.data, iris.target, 4201,
                 "KNeighborsClassifier(3, uniform) 3 classes on the raw iris features, optim='cdist': "
                 "CDist(X, training points, metric='euclidean') -> TopK -> class votes, ZipMap. The request "
                 "holds 12 training rows, whose distance to themselves is CDist's rounding residue (0 or up to "
                 "0.0039), and rows whose nearest distances tie (some at the k-th place, where TopK's order "
                 "decides the vote). Data: iris (seed 4201)", scale=False, train_rows=12)
    bc = load_breast_cancer()
    knn_clf_case("ms_cdist_knn_clf_distance_nozipmap",
                 KNeighborsClassifier(n_neighbors=7, weights="distance"), bc.data[:, :10], bc.target, 4202,
                 "Pipeline(StandardScaler, KNeighborsClassifier(7, weights='distance')) binary on 10 features, "
                 "optim='cdist', zipmap=False: CDist(metric='euclidean'), TopK, Mul(values, -1) -> Max(., 1e-6) -> "
                 "Reciprocal (every weight 1e6: the probabilities are the uniform vote fractions where "
                 "scikit-learn weights by 1/d; onnxruntime is the reference). Data: breast_cancer[:, :10] "
                 "(seed 4202)", target=21, zipmap=False)
    wine = load_wine()
    knn_clf_case("ms_cdist_knn_clf_pipeline_k5", KNeighborsClassifier(n_neighbors=5), wine.data, wine.target, 4203,
                 "Pipeline(StandardScaler, KNeighborsClassifier(5, uniform)) 3 classes on 13 features, "
                 "optim='cdist': Scaler -> CDist(metric='euclidean') -> TopK -> votes, ZipMap. Data: wine "
                 "(seed 4203)", target=17, train_rows=5)
    diab = load_diabetes()
    knn_reg_case("ms_cdist_knn_reg_uniform", KNeighborsRegressor(n_neighbors=5), diab.data, diab.target, 4204,
                 "Pipeline(StandardScaler, KNeighborsRegressor(5, uniform)), optim='cdist': Scaler -> "
                 "CDist(metric='euclidean') -> TopK -> ArrayFeatureExtractor(float64 targets) -> Cast(float) -> "
                 "ReduceMean(axes [1], keepdims 0) (output [N]). Data: diabetes (seed 4204)")
    knn_reg_case("ms_cdist_knn_reg_distance_f64", KNeighborsRegressor(n_neighbors=4, weights="distance"), diab.data,
                 diab.target, 4205,
                 "KNeighborsRegressor(4, weights='distance') on double input (DoubleTensorType), optim='cdist': "
                 "CDist on float64, TopK, Mul(values, -1) -> Max(., 1e-6) -> Reciprocal (all 1e6), Cast(double) of "
                 "the targets, ReduceSum / Reshape(ReduceSum(weights), Shape) -> the plain mean of the 4 "
                 "neighbours' targets where scikit-learn weights by 1/d (outlier rows; onnxruntime is the "
                 "reference). Data: diabetes (seed 4205)", target=15, dtype=np.float64)
    X = iris.data[::3]
    y = iris.target[::3]
    knn_error_case("ms_cdist_err_knn_manhattan", KNeighborsClassifier(n_neighbors=3, metric="manhattan"), X, y,
                   "KNeighborsClassifier(metric='manhattan') with optim='cdist': CDist(metric='manhattan'), which "
                   "onnxruntime does not implement (the engine refuses the model at load)")
    knn_error_case("ms_cdist_err_knn_minkowski_p3", KNeighborsClassifier(n_neighbors=3, p=3), X, y,
                   "KNeighborsClassifier(p=3) with optim='cdist': CDist(metric='minkowski', p=3.0); onnxruntime "
                   "refuses the attribute p and the metric")


def main():
    skcommon.Builder.producer_version = "1.14.0"
    op_cases()
    error_cases()
    knn_cases()


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
