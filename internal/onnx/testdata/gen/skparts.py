"""skparts adds the nodes skl2onnx writes for one fitted sub-estimator to a
skcommon.Builder, with caller-chosen output names, so that the meta-estimator
generators (ensembles, stacking, calibration, multi-output, ...) can compose
them the way skl2onnx's converters do (each inner converter writes its own
nodes; the outer converter wires their outputs).

Forms (float input; skl2onnx 1.14 and later):
  * DecisionTree / RandomForest / ExtraTrees classifiers -> TreeEnsembleClassifier
    (ai.onnx.ml 1, post_transform NONE, leaf class fractions x 1/n_trees, one
    class-1 weight for two classes) with outputs [label, probabilities].
  * Tree regressors -> TreeEnsembleRegressor (n_targets 1, weights x 1/n_trees).
  * LogisticRegression -> LinearClassifier (+ Normalizer(L1) when the model has
    a multi_class attribute, as skl2onnx 1.14 does); raw_scores -> NONE, no
    Normalizer. LinearSVC / RidgeClassifier -> LinearClassifier NONE (two
    classes: ArrayFeatureExtractor(scores, 1) gives a single column).
  * Linear regressors -> LinearRegressor.
  * GaussianNB -> the joint log-likelihood graph of naive_bayes.py and its
    ArgMax / ReduceLogSumExp tail.
  * StandardScaler -> Scaler(offset=mean_, scale=1/scale_).
finalize() removes identities and merges initializers with the same type,
shape and content (the first name is kept), as skl2onnx's final graph
optimisation does (the corpus's voting_soft.onnx shares 'w0', 'classes' and
'shape_tensor' between sub-graphs).
"""
import numpy as np
from onnx import TensorProto
from sklearn.ensemble import (RandomForestClassifier, ExtraTreesClassifier, RandomForestRegressor,
                              ExtraTreesRegressor)
from sklearn.linear_model import LogisticRegression, RidgeClassifier, RidgeClassifierCV
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skcommon import f32list, labels_attr
from gen_sk_trees import TreeAttrs

ML = "ai.onnx.ml"


def tree_classifier(b, inp, model, label, proba, classes=None):
    """tree_classifier adds TreeEnsembleClassifier for a DT / RF / ET
    classifier; classes overrides model.classes_ (bagging's sub-trees see
    encoded labels)."""
    ta = TreeAttrs(True)
    trees = model.estimators_ if hasattr(model, "estimators_") else [model]
    for t, est in enumerate(trees):
        ta.add_tree(est.tree_, t, 1.0 / len(trees), 0, True)
    attrs = ta.attrs()
    kind, labels = labels_attr(model.classes_ if classes is None else classes)
    attrs["classlabels_" + ("strings" if kind == "strings" else "int64s")] = labels
    attrs["post_transform"] = "NONE"
    b.node("TreeEnsembleClassifier", inp, [label, proba], domain=ML, version=1, **attrs)
    return ta


def tree_regressor(b, inp, model, out):
    ta = TreeAttrs(False)
    trees = model.estimators_ if hasattr(model, "estimators_") else [model]
    for t, est in enumerate(trees):
        ta.add_tree(est.tree_, t, 1.0 / len(trees), 0, False)
    attrs = ta.attrs()
    attrs["n_targets"] = 1
    attrs["post_transform"] = "NONE"
    b.node("TreeEnsembleRegressor", inp, out, domain=ML, version=1, **attrs)
    return ta


def scaler(b, inp, sc, out=None):
    return b.node("Scaler", inp, out or b.var("variable"), domain=ML, version=1, offset=f32list(sc.mean_),
                  scale=f32list(1.0 / sc.scale_))


def linear_classifier(b, inp, clf, label, proba, raw_scores=False, newer=False):
    """linear_classifier adds skl2onnx's LinearClassifier form (float input).
    newer=True follows the converter of skl2onnx >= 1.17, where a binary
    LogisticRegression has multi_class 0 and no Normalizer."""
    classes = clf.classes_
    K = len(classes)
    coef = clf.coef_.ravel().astype(np.float64)
    inter = np.ravel(clf.intercept_).astype(np.float64)
    if K == 2:
        coef = np.concatenate([-coef, coef])
        inter = np.concatenate([-inter, inter])
    mc = 0
    if hasattr(clf, "multi_class"):
        if clf.multi_class == "ovr":
            mc = 1
        elif K > 2 or not newer:
            mc = 2
    use_ovr = hasattr(clf, "multi_class") and (clf.multi_class == "ovr" or (
        clf.multi_class == "auto" and (K <= 2 or clf.solver == "liblinear")))
    if raw_scores or isinstance(clf, (LinearSVC, RidgeClassifier, RidgeClassifierCV)):
        post = "NONE"
    elif isinstance(clf, LogisticRegression):
        post = "LOGISTIC" if use_ovr else "SOFTMAX"
    else:
        post = "SOFTMAX"
    kind, labels = labels_attr(classes)
    attrs = dict(coefficients=f32list(coef), intercepts=f32list(inter), multi_class=1 if mc == 2 else 0,
                 post_transform=post)
    attrs["classlabels_" + kind] = labels
    if raw_scores:
        b.node("LinearClassifier", inp, [label, proba], domain=ML, version=1, **attrs)
    elif isinstance(clf, (LinearSVC, RidgeClassifier, RidgeClassifierCV)) and K <= 2:
        raw = b.var("raw_scores_tensor")
        pos = b.init("positive_class_index", np.int64(1))
        b.node("LinearClassifier", inp, [label, raw], domain=ML, version=1, **attrs)
        b.node("ArrayFeatureExtractor", [raw, pos], proba, domain=ML, version=1)
    elif mc > 0 and not isinstance(clf, (LinearSVC, RidgeClassifier, RidgeClassifierCV)):
        pt = b.var("probability_tensor")
        b.node("LinearClassifier", inp, [label, pt], domain=ML, version=1, **attrs)
        b.node("Normalizer", pt, proba, domain=ML, version=1, norm="L1")
    else:
        b.node("LinearClassifier", inp, [label, proba], domain=ML, version=1, **attrs)
    return post


def linear_regressor(b, inp, reg, out):
    attrs = dict(coefficients=f32list(reg.coef_), intercepts=f32list(np.ravel(reg.intercept_)))
    if np.ndim(reg.coef_) == 2 and reg.coef_.shape[0] > 1:
        attrs["targets"] = reg.coef_.shape[0]
    b.node("LinearRegressor", inp, out, domain=ML, version=1, **attrs)


def gaussian_nb(b, inp, nb, label, proba):
    F32 = np.float32
    F = nb.theta_.shape[1]
    theta = b.init("theta", nb.theta_.reshape(1, -1, F).astype(F32))
    sigma = b.init("sigma", nb.var_.reshape(1, -1, F).astype(F32))
    jointi = b.init("jointi", np.log(nb.class_prior_).reshape(1, -1).astype(F32))
    ssl = b.init("sigma_sum_log", (-0.5 * np.sum(np.log(2.0 * np.pi * nb.var_), axis=1)).reshape(1, -1).astype(F32))
    expo = b.init("exponent", F32(2))
    half = b.init("prod_operand", F32(0.5))
    shp = b.init("shape_tensor", np.array([-1, 1, F], dtype=np.int64))
    r = b.node("Reshape", [inp, shp], b.var("reshaped_input"), version=5)
    s = b.node("Sub", [r, theta], b.var("subtracted_input"), version=7)
    p = b.node("Pow", [s, expo], b.var("pow_result"), version=12)
    d = b.node("Div", [p, sigma], b.var("div_result"), version=7)
    ax = b.init("axis", np.array([2], dtype=np.int64))
    rs = b.node("ReduceSum", [d, ax], b.var("reduced_sum"), keepdims=0, version=13)
    mu = b.node("Mul", [rs, half], b.var("mul_result"), version=7)
    pl = b.node("Sub", [ssl, mu], b.var("part_log_likelihood"), version=7)
    jll = b.node("Add", [jointi, pl], b.var("sum_result"), version=7)
    kind, _ = labels_attr(nb.classes_)
    cls = b.init("classes", nb.classes_.astype(np.int32) if kind == "ints" else nb.classes_.astype(str))
    am = b.node("ArgMax", jll, b.var("argmax_output"), axis=1)
    if b.target >= 18:
        ax1 = b.init("axis", np.array([1], dtype=np.int64))
        lse = b.node("ReduceLogSumExp", [jll, ax1], b.var("reduce_log_sum_exp_result"), keepdims=0)
    else:
        lse = b.node("ReduceLogSumExp", jll, b.var("reduce_log_sum_exp_result"), axes=[1], keepdims=0)
    s1 = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
    rl = b.node("Reshape", [lse, s1], b.var("reshaped_log_prob"), version=5)
    lp = b.node("Sub", [jll, rl], b.var("log_prob"), version=7)
    b.node("Exp", lp, proba, version=6)
    afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"), domain=ML, version=1)
    s2 = b.init("shape_tensor", np.array([-1], dtype=np.int64))
    if kind == "ints":
        c2 = b.node("Cast", afe, b.var("cast2_result"), to=TensorProto.FLOAT, version=9)
        rr = b.node("Reshape", [c2, s2], b.var("reshaped_result"), version=5)
        b.node("Cast", rr, label, to=TensorProto.INT64, version=9)
    else:
        b.node("Reshape", [afe, s2], label, version=5)


def classifier(b, inp, model, label, proba, raw_scores=False):
    """classifier dispatches on the model type (a Pipeline(StandardScaler,
    clf) is a Scaler followed by the classifier)."""
    if isinstance(model, Pipeline):
        x = inp
        for _, step in model.steps[:-1]:
            if not isinstance(step, StandardScaler):
                raise TypeError(f"unsupported pipeline step {type(step).__name__}")
            x = scaler(b, x, step)
        return classifier(b, x, model.steps[-1][1], label, proba, raw_scores)
    if isinstance(model, (DecisionTreeClassifier, RandomForestClassifier, ExtraTreesClassifier)):
        return tree_classifier(b, inp, model, label, proba)
    if isinstance(model, GaussianNB):
        return gaussian_nb(b, inp, model, label, proba)
    return linear_classifier(b, inp, model, label, proba, raw_scores=raw_scores)


def regressor(b, inp, model, out):
    if isinstance(model, Pipeline):
        x = inp
        for _, step in model.steps[:-1]:
            if not isinstance(step, StandardScaler):
                raise TypeError(f"unsupported pipeline step {type(step).__name__}")
            x = scaler(b, x, step)
        return regressor(b, x, model.steps[-1][1], out)
    if isinstance(model, (DecisionTreeRegressor, RandomForestRegressor, ExtraTreesRegressor)):
        return tree_regressor(b, inp, model, out)
    return linear_regressor(b, inp, model, out)


def finalize(b, outputs):
    """finalize removes identities and merges identical initializers."""
    b.remove_identities({o.name for o in outputs})
    seen = {}
    rename = {}
    keep = []
    for t in b.inits:
        c = TensorProto()
        c.CopyFrom(t)
        c.name = ""
        key = c.SerializeToString()
        if key in seen:
            rename[t.name] = seen[key]
            continue
        seen[key] = t.name
        keep.append(t)
    b.inits = keep
    for n in b.nodes:
        for i, x in enumerate(n.input):
            if x in rename:
                n.input[i] = rename[x]


def corpus_tolerance(name, exp, out, key, reason):
    """corpus_tolerance resets a written case's tolerance by the corpus's
    rule (MANIFEST.md): rel = max(1e-6, max |ort - sklearn| / |value| over
    values >= 1), abs = max(1e-5, max |ort - sklearn| - rel |value|), both
    rounded up to one significant digit, over the rows where the labels
    agree; for graphs whose float32 arithmetic cancels large terms, where
    engine and onnxruntime may differ by as much as onnxruntime and
    scikit-learn do."""
    import json
    import os
    from skcommon import OUT, _round_up
    o = {x["name"]: x for x in exp["outputs"]}[out]
    got = np.array([np.nan if v is None else v for v in o["data"]], dtype=np.float64)
    want = np.asarray(exp["sklearn"][key], dtype=np.float64).reshape(-1)
    n = len(exp["sklearn"][key])
    bad = set(exp["tolerance"].get("ort_vs_sklearn_label_mismatch_rows", []))
    rows = np.repeat(np.arange(n), got.size // n)
    ok = np.array([r not in bad for r in rows]) & ~np.isnan(got) & ~np.isnan(want)
    d, w = np.abs(got - want)[ok], np.abs(want)[ok]
    big = w >= 1
    rel = max(1e-6, _round_up(float((d[big] / w[big]).max())) if big.any() else 0.0)
    ab = max(1e-5, _round_up(float((d - rel * w).max())) if d.size else 0.0)
    exp["tolerance"]["abs"], exp["tolerance"]["rel"] = float("%.1g" % ab), float("%.1g" % rel)
    exp["tolerance"]["reason"] = reason
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f)
    return ab, rel
