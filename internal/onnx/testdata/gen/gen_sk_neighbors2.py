"""gen_sk_neighbors2 writes sk_nb2_* cases: neighbour, kernel and clustering
models as skl2onnx (1.14 and later, algebra API, op_version = target)
converts them (operator_converters/nearest_neighbours.py,
gaussian_process.py + _gp_kernels.py, k_means.py,
algebra/complex_functions.py).

  * KNeighborsClassifier, string labels: the corpus's knn_clf.onnx layout
    (Scan body Identity / Sub / ReduceSumSquare / Identity, Transpose, Sqrt,
    TopK(largest 0, sorted 1), Flatten, ArrayFeatureExtractor(training label
    indices), Reshape(-1, k)), per class Cast(Equal(labels, c)) ->
    ReduceSum(axes [1]); Concat; Div(ReduceSum) = probabilities; label =
    ArgMax(keepdims 0) -> ArrayFeatureExtractor(string classes) ->
    Reshape(-1) (no Cast for strings).
  * RadiusNeighborsClassifier / Regressor: the same distances, then
    Less(d, radius); Shape + ConstantOfShape -> Cast (zeros),
    ConstantOfShape(-1.0) -> Cast(int64) (minus ones), CumSum + Neg + Add =
    0..M-1; Where(less, range, -1) = indices (-1 outside the radius),
    Where(less, d, 0); Cast(less) = binary weights; Flatten ->
    ArrayFeatureExtractor(training labels, indices with -1) -> Reshape(-1, M);
    classifier: per class Cast(Equal) x weights -> ReduceSum; regressor:
    ReduceSum(labels x weights) / ReduceSum(weights) -> Reshape(-1, 1)
    (weights 'distance': binary x Reciprocal(Max(d, 1e-6))).
  * KNeighborsRegressor (newer form): Cast(neighbour targets) ->
    ReduceMean(axes [1], keepdims 1) -> [N, 1].
  * GaussianProcessRegressor(ConstantKernel * RBF): zero vectors from
    ReduceSum(ConstantOfShape(Shape(X))); constant kernel = MatMul(zeros [N,1],
    Transpose(zeros of X_train [M,1])) + c; RBF = Exp(sqeuclidean Scan
    distance between X / l and X_train / l (both Div nodes; l from
    ConstantOfShape for an isotropic length scale) x ConstantOfShape(-0.5));
    Mul; MatMul(alpha_); Add(mean) (Mul(std) first with normalize_y);
    Reshape(-1, 1).
  * KMeans / MiniBatchKMeans: ReduceSumSquare(X, axes [1], keepdims 1),
    Mul(., 0) as Gemm's C, Gemm(X, centers, alpha -2, transB 1), Add, Add(|c|^2),
    ArgMin(axis 1, keepdims 0) = label, Sqrt = scores (transform).
"""
import numpy as np
from onnx import TensorProto, helper
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import load_iris, load_wine, load_diabetes
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, RBF
from sklearn.neighbors import KNeighborsClassifier, RadiusNeighborsClassifier, RadiusNeighborsRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.utils.extmath import row_norms

from skcommon import (Builder, float_input, tinfo, classifier_tail, labels_attr, split, edge_rows, describe_edges,
                      run_case, write_error_case)
from gen_sk_neighbors import scan_body
import skparts

ML = "ai.onnx.ml"
T = "target"


def reshape(b, x, shape, out=None, name=None):
    s = b.init((name or "Re") + "_Reshapecst", np.array(shape, dtype=np.int64))
    attrs = {"allowzero": 0} if b.target >= 14 else {}
    return b.node("Reshape", [x, s], out or b.var((name or "Re") + "_reshaped0"), version=T,
                  name=(name or "Re") + "_Reshape", **attrs)


def distances(b, inp, pts, F, sq=True):
    """Scan sqeuclidean distances [N, M] (+ Sqrt for euclidean)."""
    _, sc1 = b.node("Scan", [inp, pts], [b.var("UU002UU"), b.var("UU003UU")], num_scan_inputs=1,
                    body=scan_body(F, b.target), version=T, name="Sc_Scan")
    tr = b.node("Transpose", sc1, b.var("Tr_transposed0"), perm=[1, 0], version=T, name="Tr_Transpose")
    if not sq:
        return tr
    return b.node("Sqrt", tr, b.var("Sq_Y0"), version=T, name="Sq_Sqrt")


def class_votes(b, labels, K, wei=None):
    ax = b.init("bprob_ReduceSumcst", np.array([1], dtype=np.int64))
    conc = []
    for c in range(K):
        cst = b.init("bprob_Equalcst", np.array([c], dtype=np.int64))
        eq = b.node("Equal", [labels, cst], b.var("bprob_C0"), version=T, name="bprob_Equal")
        m = b.node("Cast", eq, b.var("bprob_output0"), to=TensorProto.FLOAT, version=T, name="bprob_Cast")
        if wei is not None:
            m = b.node("Mul", [m, wei], b.var("bprob_C01"), version=T, name="bprob_Mul")
        conc.append(b.node("ReduceSum", [m, ax], b.var("bprob_reduced0"), keepdims=1, version=T,
                           name="bprob_ReduceSum"))
    allt = b.node("Concat", conc, b.var("bprob_concat_result0"), axis=1, version=T, name="bprob_Concat")
    am = b.node("ArgMax", allt, b.var("blab_reduced0"), axis=1, keepdims=0, version=T, name="blab_ArgMax")
    s = b.node("ReduceSum", [allt, ax], b.var("bprob_reduced04"), keepdims=1, version=T, name="bprob_ReduceSum")
    b.node("Div", [allt, s], "probabilities", version=T, name="bprob_Div")
    return am


def label_from_index(b, am, classes):
    kind, _ = labels_attr(classes)
    cls = b.init("blab_ArrayFeatureExtractorcst", classes.astype(np.int64) if kind == "ints" else classes.astype(str))
    lab = b.node("ArrayFeatureExtractor", [cls, am], b.var("blab_Z0"), domain=ML, version=1,
                 name="blab_ArrayFeatureExtractor")
    if kind == "ints":
        lab = b.node("Cast", lab, b.var("blab_output0"), to=TensorProto.INT64, version=T, name="blab_Cast")
    reshape(b, lab, [-1], out="label", name="blab")


def radius_neighbours(b, inp, model, F, labels, dist_weights):
    pts = b.init("Sc_Scancst", model._fit_X.astype(np.float32))
    d = distances(b, inp, pts, F)
    M = len(model._fit_X)
    less = b.node("Less", [d, b.init("cond_Lesscst", np.array([model.radius], dtype=np.float32))],
                  b.var("cond_C0"), version=T, name="cond_Less")
    shp = b.node("Shape", d, b.var("Sh_shape0"), version=T, name="Sh_Shape")
    z = b.node("ConstantOfShape", shp, b.var("Co_output0"), version=T, name="Co_ConstantOfShape")
    zero = b.node("Cast", z, b.var("Ca_output0"), to=TensorProto.FLOAT, version=T, name="Ca_Cast")
    m1 = b.node("ConstantOfShape", shp, b.var("Co_output01"), version=T, name="Co_ConstantOfShape1",
                value=helper.make_tensor("value", TensorProto.FLOAT, [1], [-1.0]))
    minus = b.node("Cast", m1, b.var("Ca_output01"), to=TensorProto.INT64, version=T, name="Ca_Cast1")
    cs = b.node("CumSum", [minus, b.init("Cu_CumSumcst", np.array([1], dtype=np.int64))], b.var("Cu_y0"),
                version=T, name="Cu_CumSum")
    ng = b.node("Neg", cs, b.var("Ne_Y0"), version=T, name="Ne_Neg")
    rng_ = b.node("Add", [ng, minus], b.var("arange_C0"), version=T, name="arange_Add")
    dist_only = b.node("Where", [less, d, zero], b.var("nndist_output0"), version=T, name="nndist_Where")
    idx = b.node("Where", [less, rng_, minus], b.var("nnind_output0"), version=T, name="nnind_Where")
    binary = b.node("Cast", less, b.var("nnbin_output0"), to=TensorProto.FLOAT, version=T, name="nnbin_Cast")
    fl = b.node("Flatten", idx, b.var("knny_output0"), version=T, name="knny_Flatten")
    lab = b.init("knny_ArrayFeatureExtractorcst", labels)
    ex = b.node("ArrayFeatureExtractor", [lab, fl], b.var("knny_Z0"), domain=ML, version=1,
                name="knny_ArrayFeatureExtractor")
    rl = reshape(b, ex, [-1, M], name="knny")
    if dist_weights:
        mx = b.node("Max", [dist_only, b.init("Ma_Maxcst", np.array([1e-6], dtype=np.float32))], b.var("Ma_max0"),
                    version=T, name="Ma_Max")
        rc = b.node("Reciprocal", mx, b.var("Re_Y0"), version=T, name="Re_Reciprocal")
        wei = b.node("Mul", [binary, rc], b.var("wei_C0"), version=T, name="wei_Mul")
    else:
        wei = binary
    ax = b.init("norm_ReduceSumcst", np.array([1], dtype=np.int64))
    norm = b.node("ReduceSum", [wei, ax], b.var("norm_reduced0"), keepdims=0, version=T, name="norm_ReduceSum")
    return rl, wei, norm


def knn_str_case(name, model, X, y, seed, what, str_labels, target=15, n_rows=45):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    ytr = np.array(str_labels)[ytr]
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    pts = b.init("Sc_Scancst", model._fit_X.astype(np.float32))
    d = distances(b, v, pts, X.shape[1])
    k = b.init("To_TopKcst", np.array([model.n_neighbors], dtype=np.int64))
    _, idx = b.node("TopK", [d, k], [b.var("To_Values0"), b.var("To_Indices1")], largest=0, sorted=1, version=11,
                    name="To_TopK")
    fl = b.node("Flatten", idx, b.var("knny_output0"), version=T, name="knny_Flatten")
    lab = b.init("knny_ArrayFeatureExtractorcst", model._y.astype(np.int64))
    ex = b.node("ArrayFeatureExtractor", [lab, fl], b.var("knny_Z0"), domain=ML, version=1,
                name="knny_ArrayFeatureExtractor")
    rl = reshape(b, ex, [-1, model.n_neighbors], name="knny")
    am = class_votes(b, rl, len(model.classes_))
    label_from_index(b, am, model.classes_)
    return finish_clf(name, b, model, sc, Xtr, Xte, n_rows, what, target)


def finish_clf(name, b, model, sc, Xtr, Xte, n_rows, what, target, extra=None):
    outs = classifier_tail(b, "label", "probabilities", model.classes_)
    skparts.finalize(b, outs)
    m = b.model([float_input(Xtr.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr, kinds=("zeros", "max", "min"))
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    n_te = min(n_rows, len(Xte))
    if hasattr(model, "radius_neighbors"):
        keep = np.array([len(i) > 0 for i in model.radius_neighbors(Z, return_distance=False)])
        Xreq, Z = Xreq[keep], Z[keep]
        ew = [w for w, k in zip(ew, keep[-len(ew):]) if k]
        n_te = int(keep[:n_te].sum())
        what += (". Rows without a training point within the radius were left out (scikit-learn refuses them, the "
                 "graph divides 0 by 0)")
    proba = model.predict_proba(Z)
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, {"label": model.predict(Z), "probabilities": proba}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def radius_clf_case(name, model, X, y, seed, what, target=15, n_rows=45, error=False):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    rl, wei, _ = radius_neighbours(b, v, model, X.shape[1], model._y.astype(np.int64), model.weights == "distance")
    am = class_votes(b, rl, len(model.classes_), wei)
    label_from_index(b, am, model.classes_)
    if error:
        outs = classifier_tail(b, "label", "probabilities", model.classes_)
        skparts.finalize(b, outs)
        m = b.model([float_input(Xtr.shape[1])], outs, name)
        return write_error_case(name, m, {"X": Xte[:n_rows].astype(np.float32)}, what)
    return finish_clf(name, b, model, sc, Xtr, Xte, n_rows, what, target)


def radius_reg_case(name, model, X, y, seed, what, target=15, n_rows=45):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("variable")
    v = skparts.scaler(b, "X", sc)
    rl, wei, norm = radius_neighbours(b, v, model, X.shape[1], model._y.astype(np.float32),
                                      model.weights == "distance")
    rc = b.node("Cast", rl, b.var("Ca_output02"), to=TensorProto.FLOAT, version=T, name="Ca_Cast2")
    w = b.node("Mul", [rc, wei], b.var("Mu_C0"), version=T, name="Mu_Mul")
    res = b.node("ReduceSum", [w, b.init("final_ReduceSumcst", np.array([1], dtype=np.int64))],
                 b.var("final_reduced0"), keepdims=0, version=T, name="final_ReduceSum")
    shp = b.node("Shape", res, b.var("Sh_shape01"), version=T, name="Sh_Shape1")
    nr = b.node("Reshape", [norm, shp], b.var("normr_reshaped0"), version=T, name="normr_Reshape",
                **({"allowzero": 0} if target >= 14 else {}))
    dv = b.node("Div", [res, nr], b.var("Di_C0"), version=T, name="Di_Div")
    reshape(b, dv, [-1, 1], out="variable", name="Re")
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 1])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    Xreq = Xte[:n_rows].astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    keep = np.array([len(i) > 0 for i in model.radius_neighbors(Z, return_distance=False)])
    Xreq, Z = Xreq[keep], Z[keep]
    pred = model.predict(Z).reshape(-1, 1)
    desc = (f"{what}. target_opset {target}. Rows without a training point within the radius were left out "
            f"(scikit-learn warns and returns NaN, the graph divides 0 by 0).")
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


def knn_reg_newer_case(name, model, X, y, seed, what, target=15, n_rows=45):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("variable")
    v = skparts.scaler(b, "X", sc)
    pts = b.init("Sc_Scancst", model._fit_X.astype(np.float32))
    d = distances(b, v, pts, X.shape[1])
    k = b.init("To_TopKcst", np.array([model.n_neighbors], dtype=np.int64))
    _, idx = b.node("TopK", [d, k], [b.var("To_Values0"), b.var("To_Indices1")], largest=0, sorted=1, version=11,
                    name="To_TopK")
    fl = b.node("Flatten", idx, b.var("knny_output0"), version=T, name="knny_Flatten")
    lab = b.init("knny_ArrayFeatureExtractorcst", model._y.astype(np.float32))
    ex = b.node("ArrayFeatureExtractor", [lab, fl], b.var("knny_Z0"), domain=ML, version=1,
                name="knny_ArrayFeatureExtractor")
    rl = reshape(b, ex, [-1, model.n_neighbors], name="knny")
    rc = b.node("Cast", rl, b.var("Ca_output0"), to=TensorProto.FLOAT, version=T, name="Ca_Cast")
    if target >= 18:
        b.node("ReduceMean", [rc, b.init("Re_ReduceMeancst", np.array([1], dtype=np.int64))], "variable",
               keepdims=1, version=T, name="Re_ReduceMean")
    else:
        b.node("ReduceMean", rc, "variable", axes=[1], keepdims=1, version=T, name="Re_ReduceMean")
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 1])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    pred = model.predict(sc.transform(Xreq.astype(np.float64))).reshape(-1, 1)
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


def gp_case(name, model, X, y, seed, what, target=15, n_rows=45):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    model.fit(Xtr, ytr)
    kern = model.kernel_
    F = X.shape[1]
    b = Builder(target)
    b.reserve("GPmean")
    xt = b.init("Di_Divcst", model.X_train_.astype(np.float32))

    def zero_vector(x, axis, keepdims):
        sh = b.node("Shape", x, b.var("Sh_shape0"), version=T, name="Sh_Shape")
        cs = b.node("ConstantOfShape", sh, b.var("Co_output0"), version=T, name="Co_ConstantOfShape")
        return b.node("ReduceSum", [cs, b.init("Re_ReduceSumcst", np.array([1 - axis], dtype=np.int64))],
                      b.var("Re_reduced0"), keepdims=keepdims, version=T, name="Re_ReduceSum")

    # ConstantKernel
    zx = zero_vector("X", 0, 1)
    zy = zero_vector(xt, 0, 1)
    tz = b.node("Transpose", zy, b.var("Tr_transposed0"), perm=[1, 0], version=T, name="Tr_Transpose")
    mz = b.node("MatMul", [zx, tz], b.var("Ma_Y0"), version=T, name="Ma_MatMul")
    ck = b.node("Add", [mz, b.init("Ad_Addcst", np.array([kern.k1.constant_value], dtype=np.float32))],
                b.var("Ad_C0"), version=T, name="Ad_Add")
    # RBF
    zeroh = zero_vector("X", 1, 0)
    zerov = zero_vector("X", 0, 1)
    shh = b.node("Shape", zeroh, b.var("Sh_shape0"), version=T, name="Sh_Shape")
    ls = b.node("ConstantOfShape", shh, b.var("Co_output0"), version=T, name="Co_ConstantOfShape",
                value=helper.make_tensor("value", TensorProto.FLOAT, [1], [float(kern.k2.length_scale)]))
    xs = b.node("Div", ["X", ls], b.var("Di_C0"), version=T, name="Di_Div")
    xts = b.node("Div", [xt, ls], b.var("Di_C01"), version=T, name="Di_Div1")
    dist = distances(b, xs, xts, F, sq=False)
    shv = b.node("Shape", zerov, b.var("Sh_shape0"), version=T, name="Sh_Shape")
    c5 = b.node("ConstantOfShape", shv, b.var("Co_output0"), version=T, name="Co_ConstantOfShape",
                value=helper.make_tensor("value", TensorProto.FLOAT, [1], [-0.5]))
    md = b.node("Mul", [dist, c5], b.var("Mu_C0"), version=T, name="Mu_Mul")
    rbf = b.node("Exp", md, b.var("Ex_output0"), version=T, name="Ex_Exp")
    kt = b.node("Mul", [ck, rbf], b.var("kgpd_C0"), version=T, name="kgpd_Mul")
    ym = b.node("MatMul", [kt, b.init("Ma_MatMulcst", model.alpha_.astype(np.float32))], b.var("Ma_Y01"),
                version=T, name="Ma_MatMul1")
    mean_y = np.asarray(model._y_train_mean, dtype=np.float32).reshape(1, 1)
    std_y = np.asarray(model._y_train_std, dtype=np.float32).reshape(1, 1)
    if model.normalize_y:
        ym = b.node("Mul", [ym, b.init("Mu_Mulcst", std_y)], b.var("Mu_C01"), version=T, name="Mu_Mul1")
    gm = b.node("Add", [ym, b.init("gpr_Addcst", mean_y)], b.var("gpr_C0"), version=T, name="gpr_Add")
    reshape(b, gm, [-1, 1], out="GPmean", name="Re")
    outs = [tinfo("GPmean", TensorProto.FLOAT, [None, 1])]
    skparts.finalize(b, outs)
    m = b.model([float_input(F)], outs, name)
    edges, ew = edge_rows(Xtr, kinds=("zeros", "max", "min"))
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    pred = model.predict(Xreq.astype(np.float64)).reshape(-1, 1)
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    exp = run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="GPmean", score_key="prediction")[0]
    skparts.corpus_tolerance(name, exp, "GPmean", "prediction", "corpus rule: the mean sums ~60 float32 products "
                             "kernel x alpha_ of alternating sign, so float32 summation order moves it by about as "
                             "much as it differs from scikit-learn")


def kmeans_case(name, model, X, seed, what, target=15, n_rows=45):
    rng = np.random.RandomState(seed)
    idx = rng.permutation(len(X))
    Xtr, Xte = X[idx[: int(len(X) * 0.6)]], X[idx[int(len(X) * 0.6):]]
    model.fit(Xtr)
    b = Builder(target)
    b.reserve("label", "scores")
    C = model.cluster_centers_
    if target >= 18:
        rs = b.node("ReduceSumSquare", ["X", b.init("Re_ReduceSumSquarecst", np.array([1], dtype=np.int64))],
                    b.var("Re_reduced0"), keepdims=1, version=T, name="Re_ReduceSumSquare")
    else:
        rs = b.node("ReduceSumSquare", "X", b.var("Re_reduced0"), axes=[1], keepdims=1, version=T,
                    name="Re_ReduceSumSquare")
    zeros = b.node("Mul", [rs, b.init("Mu_Mulcst", np.array([0], dtype=np.float32))], b.var("Mu_C0"), version=T,
                   name="Mu_Mul")
    gm = b.node("Gemm", ["X", b.init("Ge_Gemmcst", C.astype(np.float32)), zeros], b.var("Ge_Y0"), alpha=-2.0,
                transB=1, version=T, name="Ge_Gemm")
    z = b.node("Add", [rs, gm], b.var("Ad_C0"), version=T, name="Ad_Add")
    y2 = b.node("Add", [b.init("Ad_Addcst", row_norms(C, squared=True).astype(np.float32)), z], b.var("Ad_C01"),
                version=T, name="Ad_Add1")
    b.node("ArgMin", y2, "label", axis=1, keepdims=0, version=T, name="Ar_ArgMin")
    b.node("Sqrt", y2, "scores", version=T, name="Sq_Sqrt")
    outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("scores", TensorProto.FLOAT, [None, len(C)])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = Xreq.astype(np.float64)
    d = model.transform(Z)
    s = np.sort(d, axis=1)
    keep = (s[:, 1] - s[:, 0]) > 1e-4 * np.maximum(1, s[:, 0])
    Xreq, Z = Xreq[keep], Z[keep]
    ew = [w for w, k in zip(ew, keep[-len(ew):]) if k]
    n_te = int(keep[:min(n_rows, len(Xte))].sum())
    desc = (f"{what}. target_opset {target}. {describe_edges(n_te, ew)} Rows whose two nearest centroids are "
            f"(nearly) equidistant were left out.")
    exp = run_case(name, m, {"X": Xreq}, {"label": model.predict(Z), "transform": model.transform(Z)}, desc,
                   label_out="label", score_out="scores", score_key="transform")[0]
    skparts.corpus_tolerance(name, exp, "scores", "transform", "corpus rule: scores = sqrt(|x|^2 - 2 x.c + |c|^2) "
                             "in float32 (Gemm); the cancellation between the terms makes the float32 summation "
                             "order visible, most near a centroid")


def main():
    iris = load_iris()
    wine = load_wine()
    diab = load_diabetes()
    knn_str_case("sk_nb2_knn_k1_strlabels", KNeighborsClassifier(n_neighbors=1), wine.data[:, :5], wine.target, 1001,
                 "Pipeline(StandardScaler, KNeighborsClassifier(n_neighbors=1)) 3 classes, string labels: TopK(k=1), "
                 "ArrayFeatureExtractor(string classes) + Reshape(-1) label. Data: wine_str[:, :5] (seed 1001)",
                 ["class_0", "class_1", "class_2"])
    radius_clf_case("sk_err_nb2_radius_clf_negative_index", RadiusNeighborsClassifier(radius=1.6), iris.data,
                    iris.target, 1002,
                    "skl2onnx's RadiusNeighborsClassifier graph (Pipeline(StandardScaler, RadiusNeighborsClassifier("
                    "radius=1.6)), iris): training points outside the radius get index -1, which "
                    "ArrayFeatureExtractor refuses when run (onnxruntime 1.30: index out of range)", error=True)
    radius_clf_case("sk_nb2_radius_clf_all_within_opset17", RadiusNeighborsClassifier(radius=50.0,
                                                                                       weights="distance"),
                    wine.data[:, :4], wine.target, 1003,
                    "Pipeline(StandardScaler, RadiusNeighborsClassifier(radius=50, weights='distance')) 3 classes: "
                    "Less(d, r), CumSum range, Where indices, ArrayFeatureExtractor over all training labels, weights "
                    "Cast(less) x Reciprocal(Max(d, 1e-6)). The radius holds every training point: with any point "
                    "outside it the graph feeds index -1 to ArrayFeatureExtractor, which onnxruntime refuses (see "
                    "sk_err_nb2_radius_clf_negative_index). Data: wine[:, :4] (seed 1003)", target=17)
    radius_reg_case("sk_nb2_radius_reg_all_within", RadiusNeighborsRegressor(radius=100.0, weights="distance"),
                    diab.data[:, :4], diab.target, 1004,
                    "Pipeline(StandardScaler, RadiusNeighborsRegressor(radius=100, weights='distance')): inverse "
                    "distance weighting over every training point; ReduceSum(labels x weights) / "
                    "Reshape(ReduceSum(weights), Shape(.)), Reshape(-1, 1). Data: diabetes[:, :4] (seed 1004)")
    knn_reg_newer_case("sk_nb2_knn_reg_uniform_newer", __import__("sklearn.neighbors").neighbors.KNeighborsRegressor(
        n_neighbors=3), diab.data[:, :5], diab.target, 1009,
        "Pipeline(StandardScaler, KNeighborsRegressor(3, uniform)) in the newer converter form: Cast of the "
        "neighbours' targets, ReduceMean(axes [1], keepdims 1) -> output [N, 1] (older releases: keepdims 0, "
        "[N]). Data: diabetes[:, :5] (seed 1009)")
    rng = np.random.RandomState(1005)
    Xg = rng.uniform(-3, 3, size=(120, 3))
    yg = np.sin(Xg[:, 0]) + 0.5 * Xg[:, 1] ** 2 - Xg[:, 2] + rng.normal(scale=0.1, size=120)
    gp_case("sk_nb2_gpr_rbf", GaussianProcessRegressor(ConstantKernel(1.0) * RBF(1.0), alpha=0.1, random_state=0),
            Xg[:100], yg[:100], 1005, "GaussianProcessRegressor(ConstantKernel * RBF, alpha=0.1), mean only "
            "(return_std off): ConstantOfShape/ReduceSum zero vectors, Div by the length scale, Scan sqeuclidean "
            "distances, Exp(-0.5 d), Mul, MatMul(alpha_), Add(mean), Reshape. Data: synthetic 3 features "
            "(seed 1005)")
    gp_case("sk_nb2_gpr_rbf_normalize_y_opset17", GaussianProcessRegressor(
        ConstantKernel(2.0) * RBF(0.8), alpha=0.3, normalize_y=True, random_state=0), diab.data[:90, :3] * 20,
        diab.target[:90], 1006, "GaussianProcessRegressor(ConstantKernel * RBF, alpha=0.3, normalize_y=True): "
        "Mul(_y_train_std) + Add(_y_train_mean). Data: diabetes[:90, :3] x 20 (seed 1006)", target=17)
    kmeans_case("sk_nb2_kmeans", KMeans(n_clusters=4, n_init=3, random_state=0), wine.data[:, [0, 1, 4, 9]], 1007,
                "KMeans(4 clusters): ReduceSumSquare, Gemm(alpha -2, transB 1) with Mul(., 0) as C, Add, Add, "
                "ArgMin = label, Sqrt = scores (transform). Data: wine[:, [0, 1, 4, 9]] (seed 1007)")
    kmeans_case("sk_nb2_minibatch_kmeans_opset18", MiniBatchKMeans(n_clusters=3, n_init=3, batch_size=64,
                                                                  random_state=0), iris.data, 1008,
                "MiniBatchKMeans(3 clusters) at target_opset 18 (ReduceSumSquare axes input). Data: iris "
                "(seed 1008)", target=18)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
