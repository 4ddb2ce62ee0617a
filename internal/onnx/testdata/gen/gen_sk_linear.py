"""gen_sk_linear writes sk_lin_* cases: linear models as skl2onnx 1.14
converts them (operator_converters/linear_classifier.py,
linear_regressor.py).

Classifiers (LogisticRegression, RidgeClassifier, Perceptron,
PassiveAggressiveClassifier) with float input -> LinearClassifier
(ai.onnx.ml 1): coefficients = coef_ raveled, two rows [-w, w] / [-b, b] for
binary problems; multi_class attribute 1 for LogisticRegression unless
multi_class='ovr' (0 otherwise); post_transform LOGISTIC (LR one-vs-rest,
binary included) or SOFTMAX (LR multinomial; also every classifier without
a multi_class attribute, e.g. Perceptron), NONE for Ridge; LR adds
Normalizer(L1). Then Cast / Identity + ZipMap.
Double input -> MatMul, Add (raw_scores), ArgMax, ArrayFeatureExtractor
(classes int32) + Cast(double) + Reshape + Cast(int64) for labels, and
Sigmoid + Abs + ReduceSum(axes input) + Div (L1 normalisation) or
Softmax(axis=-1) for probabilities.
Regressors with float input -> LinearRegressor(coefficients, intercepts,
targets when coef_ is 2-D); double input -> MatMul + Add + Reshape.
PoissonRegressor -> MatMul + Add + Exp + Reshape (algebra API).
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, load_diabetes
from sklearn.linear_model import (LogisticRegression, RidgeClassifier, Perceptron, PassiveAggressiveClassifier,
                                  LinearRegression, ElasticNet, Ridge, BayesianRidge, HuberRegressor,
                                  TheilSenRegressor, ARDRegression, QuantileRegressor, SGDRegressor,
                                  PoissonRegressor)
from sklearn.preprocessing import StandardScaler

from skcommon import (Builder, float_input, tinfo, classifier_tail, f32list, labels_attr, split, edge_rows,
                      describe_edges, run_case, make_clf, make_reg)


def lin_clf_case(name, clf, X, y, seed, what, target=15, n_rows=55, str_labels=None, double=False):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    sc = StandardScaler().fit(Xtr)
    clf.fit(sc.transform(Xtr), ytr)
    classes = clf.classes_
    K = len(classes)
    coef = clf.coef_.ravel().astype(np.float64)
    inter = np.ravel(clf.intercept_).astype(np.float64)
    if K == 2:
        coef = np.concatenate([-coef, coef])
        inter = np.concatenate([-inter, inter])
    is_lr = isinstance(clf, LogisticRegression)
    mc = 0
    if hasattr(clf, "multi_class"):
        mc = 1 if clf.multi_class == "ovr" else 2
    if isinstance(clf, RidgeClassifier):
        post = "NONE"
    elif is_lr:
        ovr = clf.multi_class == "ovr" or (clf.multi_class == "auto" and (K <= 2 or clf.solver == "liblinear"))
        post = "LOGISTIC" if ovr else "SOFTMAX"
    else:
        post = "SOFTMAX"
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    dt = np.float64 if double else np.float32
    if double:
        offs = b.init("Su_Subcst", sc.mean_.astype(dt))
        div = b.init("Di_Divcst", sc.scale_.astype(dt))
        s = b.node("Sub", ["X", offs], b.var("Su_C0"), name="Su_Sub")
        v = b.node("Div", [s, div], b.var("variable"), name="Di_Div")
        cm = b.init("coef", coef.reshape(K, -1).T.astype(dt))
        ic = b.init("intercept", inter.reshape(K, -1).T.astype(dt))
        mm = b.node("MatMul", [v, cm], b.var("multiplied"))
        raw = b.node("Add", [mm, ic], b.var("raw_scores"), version=7)
        am = b.node("ArgMax", raw, b.var("label"), axis=1)
        cls = b.init("classes", classes.astype(np.int32))
        afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"),
                     domain="ai.onnx.ml", version=1)
        c2 = b.node("Cast", afe, b.var("cast2_result"), to=TensorProto.DOUBLE, version=9)
        sh = b.init("shape_tensor", np.array([-1], dtype=np.int64))
        rr = b.node("Reshape", [c2, sh], b.var("reshaped_result"), version=5)
        b.node("Cast", rr, "label", to=TensorProto.INT64, version=9)
        if post == "LOGISTIC":
            sig = b.node("Sigmoid", raw, b.var(raw + "sig"), version=6)
            ab = b.node("Abs", sig, b.var("norm_abs"))
            ax = b.init("axis", np.array([1], dtype=np.int64))
            nm = b.node("ReduceSum", [ab, ax], b.var("norm"), keepdims=1)
            b.node("Div", [sig, nm], "probabilities", version=7, name="NormalizerNorm")
        else:
            b.node("Softmax", raw, "probabilities", axis=-1)
        outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("probabilities", TensorProto.DOUBLE, [None, K])]
        lab_out, score_out = "label", "probabilities"
    else:
        v = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
                   scale=f32list(1.0 / sc.scale_))
        kind, labels = labels_attr(classes)
        attrs = dict(coefficients=f32list(coef), intercepts=f32list(inter), multi_class=1 if mc == 2 else 0,
                     post_transform=post)
        attrs["classlabels_" + kind] = labels
        if mc > 0 and not isinstance(clf, RidgeClassifier):
            pt = b.var("probability_tensor")
            b.node("LinearClassifier", v, ["label", pt], domain="ai.onnx.ml", version=1, **attrs)
            b.node("Normalizer", pt, "probabilities", domain="ai.onnx.ml", version=1, norm="L1")
        else:
            b.node("LinearClassifier", v, ["label", "probabilities"], domain="ai.onnx.ml", version=1, **attrs)
        outs = classifier_tail(b, "label", "probabilities", classes)
        lab_out, score_out = "output_label", "output_probability"
    m = b.model([float_input(X.shape[1], elem=TensorProto.DOUBLE if double else TensorProto.FLOAT)], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(dt)
    Z = sc.transform(Xreq.astype(np.float64))
    d = clf.decision_function(Z)
    sk = {"label": clf.predict(Z), "decision_function": d}
    if hasattr(clf, "predict_proba"):
        sk["probabilities"] = clf.predict_proba(Z)
        key = "probabilities"
    else:
        # the graph's scores: post_transform applied to the raw scores [-z, z] (binary) or z
        raw = np.stack([-d, d], axis=1) if d.ndim == 1 else d
        if post == "SOFTMAX":
            e = np.exp(raw - raw.max(axis=1, keepdims=True))
            raw = e / e.sum(axis=1, keepdims=True)
        sk["graph_scores"] = raw
        key = "graph_scores"
    ties = d if d.ndim == 2 else np.stack([-d, d], axis=1)
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    tol = (1e-9, 1e-12) if double else (1e-5, 1e-6)
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lab_out, score_out=score_out, score_key=key,
                    tie_scores=ties, tol_abs=tol[0], tol_rel=tol[1])


def lin_reg_case(name, reg, X, y, seed, what, target=15, n_rows=55, double=False, poisson=False, tol_rel=1e-6,
                 reason=None):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    reg.fit(Xtr, ytr)
    nt = 1 if np.ndim(reg.coef_) == 1 else reg.coef_.shape[0]
    b = Builder(target)
    dt = np.float64 if double else np.float32
    if poisson:
        cm = b.init("Ma_MatMulcst", reg.coef_.astype(dt))
        ic = b.init("Ad_Addcst", np.array([reg.intercept_], dtype=dt))
        sh = b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))
        mm = b.node("MatMul", ["X", cm], b.var("Ma_Y0"), name="Ma_MatMul")
        ad = b.node("Add", [mm, ic], b.var("Ad_C0"), name="Ad_Add")
        ex = b.node("Exp", ad, b.var("Ex_output0"), name="Ex_Exp")
        b.node("Reshape", [ex, sh], "variable", name="Re_Reshape")
    elif double:
        coef = reg.coef_.reshape(-1, 1) if np.ndim(reg.coef_) == 1 else reg.coef_.T
        cm = b.init("coef", coef.astype(dt))
        ic = b.init("intercept", np.ravel(reg.intercept_).astype(dt))
        mm = b.node("MatMul", ["X", cm], b.var("multiplied"))
        rs = b.node("Add", [mm, ic], b.var("resh"), version=7)
        sh = b.init("shape_tensor", np.array([-1, nt], dtype=np.int64))
        b.node("Reshape", [rs, sh], "variable", version=5)
    else:
        attrs = dict(coefficients=f32list(reg.coef_), intercepts=f32list(np.ravel(reg.intercept_)))
        if nt > 1:
            attrs["targets"] = nt
        b.node("LinearRegressor", "X", "variable", domain="ai.onnx.ml", version=1, **attrs)
    m = b.model([float_input(X.shape[1], elem=TensorProto.DOUBLE if double else TensorProto.FLOAT)],
                [tinfo("variable", TensorProto.DOUBLE if double else TensorProto.FLOAT, [None, nt])], name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(dt)
    pred = reg.predict(Xreq.astype(np.float64)).reshape(len(Xreq), -1)
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    ta, tr = (1e-9, 1e-12) if double else (1e-5, tol_rel)
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction",
                    tol_abs=ta, tol_rel=tr, tol_reason=reason)


def main():
    bc = load_breast_cancer()
    iris = load_iris()
    wine = load_wine()
    diab = load_diabetes()
    lin_clf_case("sk_lin_logreg_binary_strlabels_cw",
                 LogisticRegression(C=0.3, class_weight={"malignant": 2.0, "benign": 0.5}, max_iter=2000),
                 bc.data, bc.target, 401, "Pipeline(StandardScaler, LogisticRegression(C=0.3, class_weight="
                 "{malignant: 2, benign: 0.5})) binary, string labels: LinearClassifier [-w, w] LOGISTIC + "
                 "Normalizer(L1) + Identity + ZipMap(strings). Data: breast_cancer_str (seed 401)",
                 str_labels=["malignant", "benign"])
    Xc4, yc4 = make_clf(4, 6, 402)
    lin_clf_case("sk_lin_logreg_multinomial4", LogisticRegression(C=2.0, max_iter=3000), Xc4, yc4, 402,
                 "Pipeline(StandardScaler, LogisticRegression(multinomial)) 4 classes: SOFTMAX, multi_class 1. "
                 "Data: clf4_6 (seed 402)", target=17)
    lin_clf_case("sk_lin_logreg_ovr_fp64_op13", LogisticRegression(multi_class="ovr", max_iter=3000),
                 wine.data, wine.target, 403, "Pipeline(StandardScaler(div), LogisticRegression(ovr)) 3 classes, "
                 "double input: MatMul/Add/ArgMax, Sigmoid + Abs + ReduceSum(axes input) + Div. Data: wine "
                 "(seed 403)", target=13, double=True)
    lin_clf_case("sk_lin_logreg_multinomial_fp64_op18", LogisticRegression(C=0.7, max_iter=3000),
                 iris.data, iris.target, 404, "Pipeline(StandardScaler(div), LogisticRegression(multinomial)) "
                 "3 classes, double input, Softmax(axis=-1). Data: iris (seed 404)", target=18, double=True)
    lin_clf_case("sk_lin_ridgeclf_multi", RidgeClassifier(alpha=3.0), wine.data, wine.target, 405,
                 "Pipeline(StandardScaler, RidgeClassifier(alpha=3)) 3 classes: LinearClassifier NONE (scores = "
                 "decision_function), ZipMap by default. Data: wine (seed 405)")
    lin_clf_case("sk_lin_perceptron_multi", Perceptron(random_state=0, max_iter=50, tol=None), iris.data,
                 iris.target, 406, "Pipeline(StandardScaler, Perceptron) 3 classes: no multi_class attribute, so "
                 "skl2onnx uses post_transform SOFTMAX on the decision function and no Normalizer; ZipMap. "
                 "Data: iris (seed 406)")
    lin_clf_case("sk_lin_passive_aggressive_binary", PassiveAggressiveClassifier(C=0.1, random_state=0),
                 bc.data, bc.target, 407, "Pipeline(StandardScaler, PassiveAggressiveClassifier(C=0.1)) binary: "
                 "[-w, w] rows, SOFTMAX (= sigmoid(2z)), ZipMap. Data: breast_cancer (seed 407)")
    Xr, yr = make_reg(6, 410)
    from sklearn.datasets import make_regression
    Xm, ym = make_regression(n_samples=300, n_features=5, n_targets=3, noise=2.0, random_state=411)
    lin_reg_case("sk_lin_linreg_multioutput", LinearRegression(), Xm, ym, 411,
                 "LinearRegression with 3 targets: LinearRegressor targets=3. Data: make_regression 5x3 (seed 411)")
    lin_reg_case("sk_lin_elasticnet", ElasticNet(alpha=0.3, l1_ratio=0.4), diab.data, diab.target, 412,
                 "ElasticNet(alpha=0.3, l1_ratio=0.4). Data: diabetes (seed 412)", target=13)
    lin_reg_case("sk_lin_ridge_fp64", Ridge(alpha=2.0), Xr, yr, 413, "Ridge(alpha=2), double input: MatMul + Add "
                 "+ Reshape. Data: reg_6 (seed 413)", double=True)
    lin_reg_case("sk_lin_bayesian_ridge", BayesianRidge(), diab.data, diab.target, 414,
                 "BayesianRidge (return_std off): LinearRegressor. Data: diabetes (seed 414)")
    lin_reg_case("sk_lin_huber", HuberRegressor(epsilon=1.5, max_iter=500), Xr, yr, 415,
                 "HuberRegressor(epsilon=1.5). Data: reg_6 (seed 415)", target=17)
    lin_reg_case("sk_lin_theilsen", TheilSenRegressor(random_state=0, max_subpopulation=300), Xr[:300], yr[:300],
                 416, "TheilSenRegressor. Data: reg_6[:300] (seed 416)")
    lin_reg_case("sk_lin_ard", ARDRegression(), diab.data, diab.target, 417, "ARDRegression. Data: diabetes "
                 "(seed 417)")
    lin_reg_case("sk_lin_quantile", QuantileRegressor(quantile=0.8, alpha=0.01, solver="highs"), Xr[:300], yr[:300],
                 418, "QuantileRegressor(quantile=0.8, alpha=0.01). Data: reg_6[:300] (seed 418)")
    lin_reg_case("sk_lin_sgdreg", SGDRegressor(alpha=0.001, random_state=0, max_iter=2000),
                 StandardScaler().fit_transform(diab.data) * 3 + 1, diab.target, 419,
                 "SGDRegressor(alpha=1e-3) on standardised diabetes features x3 + 1. (seed 419)")
    Xp = np.random.RandomState(420).normal(size=(500, 4))
    yp = np.random.RandomState(421).poisson(np.exp(0.3 * Xp[:, 0] - 0.2 * Xp[:, 1] + 0.5))
    lin_reg_case("sk_lin_poisson", PoissonRegressor(alpha=0.1), Xp, yp, 420,
                 "PoissonRegressor(alpha=0.1): algebra graph MatMul + Add + Exp + Reshape. Data: synthetic Poisson "
                 "counts, 4 features (seed 420)", poisson=True, target=15)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
