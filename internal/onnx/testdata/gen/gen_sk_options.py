"""gen_sk_options writes sk_opt_* cases: the converter options skl2onnx
users set (options={id(model) or type: {...}}), as skl2onnx 1.14 and later
apply them (_parse.py, zip_map.py, class_labels.py, utils_classifier.py,
linear_classifier.py, gradient_boosting.py, random_forest.py).

  * zipmap='columns': no ZipMap; output_label (Cast(int64) / Identity) and one
    output per class named 'i<label>' / 's<label>', each Slice(probabilities,
    starts [c], ends [c+1], axes [1]) (Slice 11, inputs) -> Reshape(-1).
  * raw_scores=True: LinearClassifier post_transform NONE and no Normalizer
    (LogisticRegression); GradientBoosting / HistGradientBoosting
    TreeEnsembleClassifier post_transform NONE with the same base_values. Two
    classes keep one class-1 weight, so onnxruntime returns [-s, s].
  * SVC (probability=False) binary with raw_scores=True (newer
    support_vector_machines.py): SVMClassifier -> Cast -> Mul(-1)
    ('MulRawScores'), so the scores are [-d, d] with d = decision_function
    (the coefficients and rho are negated for two classes).
  * output_class_labels=True (with zipmap=False): a third output
    'class_labels' = Identity of an int64 initializer, or for string classes
    LabelEncoder v2 (keys_int64s 0..K-1 -> values_strings, on a constant
    input) -> Identity.
  * nocl=True: class labels replaced by their indices 0..K-1
    (classlabels_int64s / ZipMap keys), so string classes give int64 labels.
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from skcommon import (Builder, float_input, tinfo, classifier_tail, labels_attr, split, edge_rows, describe_edges,
                      run_case, make_clf)
import skparts
from gen_sk_trees import TreeAttrs, rounding_rows

ML = "ai.onnx.ml"


def prep(X, y, seed, str_labels=None, n_rows=50, scale=True):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    sc = StandardScaler().fit(Xtr) if scale else None
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    return Xtr, ytr, sc, Xreq, ew, min(n_rows, len(Xte))


def zipmap_columns_tail(b, classes):
    kind, labels = labels_attr(classes)
    if kind == "strings":
        b.node("Identity", "label", "output_label")
        names = ["s" + str(c) for c in classes]
    else:
        b.node("Cast", "label", "output_label", to=TensorProto.INT64, version=9)
        names = ["i%d" % int(c) for c in classes]
    b.reserve(*names)
    for i, out in enumerate(names):
        st = b.init("starts", np.array([i], dtype=np.int64))
        en = b.init("ends", np.array([i + 1], dtype=np.int64))
        ax = b.init("axes", np.array([1], dtype=np.int64))
        flat = b.node("Slice", ["probabilities", st, en, ax], b.var(out), version=11, name="Slice")
        b.node("Reshape", [flat, b.init("shape_tensor", np.array([-1], dtype=np.int64))], out, version=5,
               name="reshape")
    lt = TensorProto.STRING if kind == "strings" else TensorProto.INT64
    return [tinfo("output_label", lt, [None])] + [tinfo(n, TensorProto.FLOAT, [None]) for n in names]


def class_labels_output(b, classes):
    kind, _ = labels_attr(classes)
    if kind == "ints":
        c = b.init("class_labels_cst", np.asarray(classes, dtype=np.int64))
        b.node("Identity", c, "class_labels")
        return tinfo("class_labels", TensorProto.INT64, [len(classes)])
    c = b.init("class_labels_cst", np.arange(len(classes), dtype=np.int64))
    le = b.node("LabelEncoder", c, b.var("class_labels_le"), domain=ML, version=2, default_string="0",
                keys_int64s=list(range(len(classes))), values_strings=[str(x) for x in classes],
                name="class_labels_le")
    b.node("Identity", le, "class_labels")
    return tinfo("class_labels", TensorProto.STRING, [len(classes)])


def plain_outputs(classes, n_scores):
    kind, _ = labels_attr(classes)
    lt = TensorProto.STRING if kind == "strings" else TensorProto.INT64
    return [tinfo("label", lt, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, n_scores])]


def run(name, b, outs, Xreq, sk, key, what, target, n_te, ew, label_out, score_out, ties, extra=None):
    skparts.finalize(b, outs)
    m = b.model([float_input(Xreq.shape[1])], outs, name)
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=label_out, score_out=score_out, score_key=key,
                    tie_scores=ties, extra=extra)[0]


def logreg_case(name, clf, X, y, seed, what, option, target=15, str_labels=None):
    Xtr, ytr, sc, Xreq, ew, n_te = prep(X, y, seed, str_labels)
    clf.fit(sc.transform(Xtr), ytr)
    Z = sc.transform(Xreq.astype(np.float64))
    b = Builder(target, ml_target=2 if option == "output_class_labels" else 1)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable", "class_labels")
    v = skparts.scaler(b, "X", sc)
    raw = option == "raw_scores"
    skparts.linear_classifier(b, v, clf, "label", "probabilities", raw_scores=raw)
    K = len(clf.classes_)
    d = clf.decision_function(Z)
    if raw:
        scores = np.stack([-d, d], axis=1) if d.ndim == 1 else d
        sk, key = {"label": clf.predict(Z), "decision_function": scores}, "decision_function"
        outs = plain_outputs(clf.classes_, K)
        lo, so = "label", "probabilities"
    else:
        sk, key = {"label": clf.predict(Z), "probabilities": clf.predict_proba(Z)}, "probabilities"
        if option == "zipmap_columns":
            outs = zipmap_columns_tail(b, clf.classes_)
            lo, so, key = "output_label", None, None
        else:
            outs = plain_outputs(clf.classes_, K) + [class_labels_output(b, clf.classes_)]
            lo, so = "label", "probabilities"
    exp = run(name, b, outs, Xreq, sk, key, what, target, n_te, ew, lo, so,
              ties=d if d.ndim == 2 else np.stack([-d, d], axis=1))
    if option == "zipmap_columns":
        check_columns(name, exp, clf.classes_, sk["probabilities"])
    return exp


def check_columns(name, exp, classes, proba):
    """check_columns records max |onnxruntime - scikit-learn| over the per-class outputs."""
    import json
    import os
    from skcommon import OUT
    outs = {o["name"]: o for o in exp["outputs"]}
    kind, _ = labels_attr(classes)
    names = ["s" + str(c) for c in classes] if kind == "strings" else ["i%d" % int(c) for c in classes]
    keep = len(outs[names[0]]["data"])
    got = np.stack([np.array(outs[n]["data"], dtype=np.float64) for n in names], axis=1)
    want = np.asarray(exp["sklearn"]["probabilities"], dtype=np.float64)
    dmax = float(np.abs(got - want).max()) if keep else 0.0
    exp["tolerance"]["ort_vs_sklearn_max_abs"] = dmax
    exp["tolerance"]["ort_vs_sklearn_max_abs_agreeing_rows"] = dmax
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f)
    print(f"{name}: per-class outputs max|ort-sklearn| {dmax:.3g}")


def forest_case(name, clf, X, y, seed, what, option, target=15, str_labels=None):
    Xtr, ytr, _, Xreq, ew, n_te = prep(X, y, seed, str_labels, scale=False)
    clf.fit(Xtr, ytr)
    Z = Xreq.astype(np.float64)
    ta = TreeAttrs(True)
    n = len(clf.estimators_)
    for t, est in enumerate(clf.estimators_):
        ta.add_tree(est.tree_, t, 1.0 / n, 0, True)
    attrs = ta.attrs()
    classes = np.arange(len(clf.classes_)) if option == "nocl" else clf.classes_
    kind, labels = labels_attr(classes)
    attrs["classlabels_" + ("strings" if kind == "strings" else "int64s")] = labels
    attrs["post_transform"] = "NONE"
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    b.node("TreeEnsembleClassifier", "X", ["label", "probabilities"], domain=ML, version=1, **attrs)
    proba = clf.predict_proba(Z)
    if option == "nocl":
        outs = classifier_tail(b, "label", "probabilities", classes)
        sk = {"label": np.searchsorted(clf.classes_, clf.predict(Z)), "probabilities": proba}
        exp = run(name, b, outs, Xreq, sk, "probabilities", what, target, n_te, ew, "output_label",
                  "output_probability", proba, extra={"float32_threshold_rounding_rows": rounding_rows(ta.splits, Xreq)})
    else:
        outs = zipmap_columns_tail(b, classes)
        sk = {"label": clf.predict(Z), "probabilities": proba}
        exp = run(name, b, outs, Xreq, sk, None, what, target, n_te, ew, "output_label", None, proba,
                  extra={"float32_threshold_rounding_rows": rounding_rows(ta.splits, Xreq)})
        check_columns(name, exp, classes, proba)
    return exp


def boosting_raw_case(name, clf, X, y, seed, what, target=15):
    Xtr, ytr, _, Xreq, ew, n_te = prep(X, y, seed, scale=False)
    clf.fit(Xtr, ytr)
    Z = Xreq.astype(np.float64)
    ta = TreeAttrs(True)
    if isinstance(clf, HistGradientBoostingClassifier):
        k = clf.n_trees_per_iteration_
        for it, preds in enumerate(clf._predictors):
            for c, p in enumerate(preds):
                ta.add_hgb_tree(p, it * k + c if k > 1 else it, c)
        base = np.ravel(clf._baseline_prediction)
    else:
        K = clf.estimators_.shape[1]
        for i in range(clf.n_estimators_):
            for c in range(K):
                ta.add_tree(clf.estimators_[i][c].tree_, i * K + c if K > 1 else i, clf.learning_rate, c, False)
        base = clf._raw_predict_init(np.zeros((1, X.shape[1]))).ravel()
    attrs = ta.attrs()
    kind, labels = labels_attr(clf.classes_)
    attrs["classlabels_" + ("strings" if kind == "strings" else "int64s")] = labels
    attrs["post_transform"] = "NONE"
    attrs["base_values"] = [float(v) for v in np.asarray(base, dtype=np.float32)]
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    b.node("TreeEnsembleClassifier", "X", ["label", "probabilities"], domain=ML, version=1, **attrs)
    outs = classifier_tail(b, "label", "probabilities", clf.classes_)
    d = clf.decision_function(Z)
    scores = np.stack([-d, d], axis=1) if d.ndim == 1 else d
    return run(name, b, outs, Xreq, {"label": clf.predict(Z), "decision_function": scores}, "decision_function", what,
               target, n_te, ew, "output_label", "output_probability", scores,
               extra={"float32_threshold_rounding_rows": rounding_rows(ta.splits, Xreq)})


def svc_raw_binary_case(name, clf, X, y, seed, what, target=15):
    Xtr, ytr, sc, Xreq, ew, n_te = prep(X, y, seed)
    clf.fit(sc.transform(Xtr), ytr)
    Z = sc.transform(Xreq.astype(np.float64))
    d = clf.decision_function(Z)
    keep = np.abs(d) > 1e-4
    Xreq, Z, d = Xreq[keep], Z[keep], d[keep]
    ew = [w for w, k in zip(ew, keep[-len(ew):]) if k]
    n_te = int(keep[:n_te].sum())
    b = Builder(target)
    b.reserve("label", "probabilities", "variable")
    v = skparts.scaler(b, "X", sc)
    kind, labels = labels_attr(clf.classes_)
    attrs = dict(kernel_type=clf.kernel.upper(), kernel_params=[float(clf._gamma), float(clf.coef0),
                                                               float(clf.degree)],
                 support_vectors=[float(x) for x in clf.support_vectors_.astype(np.float32).ravel()],
                 coefficients=[float(x) for x in (-clf.dual_coef_.ravel()).astype(np.float32)],
                 rho=[float(x) for x in (-clf.intercept_).astype(np.float32)], post_transform="NONE",
                 vectors_per_class=[int(x) for x in clf.n_support_])
    attrs["classlabels_" + kind] = labels
    svm_out = b.var("SVM02")
    b.node("SVMClassifier", v, ["label", svm_out], domain=ML, version=1, name="SVMc", **attrs)
    raw = b.node("Cast", svm_out, b.var("raw_scores"), to=TensorProto.FLOAT, version=9)
    b.node("Mul", [raw, b.init("minus_one", np.float32(-1))], "probabilities", name="MulRawScores")
    outs = plain_outputs(clf.classes_, 2)
    return run(name, b, outs, Xreq, {"label": clf.predict(Z), "decision_function": np.stack([-d, d], axis=1)},
               "decision_function", what + " Rows whose decision is within 1e-4 of 0 were left out", target, n_te,
               ew, "label", "probabilities", None)


def main():
    bc = load_breast_cancer()
    iris = load_iris()
    wine = load_wine()
    logreg_case("sk_opt_logreg_zipmap_columns", LogisticRegression(max_iter=1000), wine.data, wine.target, 1201,
                "Pipeline(StandardScaler, LogisticRegression) 3 classes with zipmap='columns': output_label plus "
                "outputs i0, i1, i2 = Slice(probabilities, [c], [c+1], axes [1]) + Reshape(-1). Data: wine "
                "(seed 1201)", "zipmap_columns")
    logreg_case("sk_opt_logreg_raw_scores_binary", LogisticRegression(C=0.5, max_iter=1000), bc.data, bc.target,
                1202, "Pipeline(StandardScaler, LogisticRegression(C=0.5)) binary with raw_scores=True, "
                "zipmap=False: LinearClassifier NONE on [-w, w], no Normalizer; scores [-z, z] (z = "
                "decision_function). Data: breast_cancer (seed 1202)", "raw_scores")
    logreg_case("sk_opt_logreg_raw_scores_multi_opset17", LogisticRegression(max_iter=1000), iris.data, iris.target,
                1203, "Pipeline(StandardScaler, LogisticRegression) 3 classes with raw_scores=True, zipmap=False: "
                "LinearClassifier NONE, scores = decision_function. Data: iris (seed 1203)", "raw_scores", target=17)
    logreg_case("sk_opt_logreg_output_class_labels_str", LogisticRegression(max_iter=1000), iris.data, iris.target,
                1204, "Pipeline(StandardScaler, LogisticRegression) 3 classes, string labels, zipmap=False and "
                "output_class_labels=True: third output class_labels = Identity(LabelEncoder v2 (int64 indices -> "
                "class names) of a constant). Data: iris_str (seed 1204)", "output_class_labels",
                str_labels=["setosa", "versicolor", "virginica"])
    logreg_case("sk_opt_logreg_output_class_labels_int", LogisticRegression(max_iter=1000), bc.data, bc.target,
                1205, "Pipeline(StandardScaler, LogisticRegression) binary, zipmap=False and output_class_labels="
                "True: class_labels = Identity of an int64 initializer [0, 1]. Data: breast_cancer (seed 1205)",
                "output_class_labels")
    forest_case("sk_opt_rf_zipmap_columns_str", RandomForestClassifier(n_estimators=5, max_depth=4, random_state=0),
                iris.data, iris.target, 1206, "RandomForestClassifier(5 trees, max_depth=4) 3 classes, string labels, "
                "zipmap='columns': output_label (Identity) plus outputs ssetosa, sversicolor, svirginica. "
                "Data: iris_str (seed 1206)", "zipmap_columns", str_labels=["setosa", "versicolor", "virginica"])
    forest_case("sk_opt_rf_nocl_str", RandomForestClassifier(n_estimators=5, max_depth=4, random_state=1),
                wine.data, wine.target, 1207, "RandomForestClassifier(5 trees, max_depth=4) 3 classes trained on string "
                "labels, converted with nocl=True: classlabels_int64s [0, 1, 2], int64 labels (the class indices) "
                "and ZipMap keys 0..2. Data: wine_str (seed 1207)", "nocl", str_labels=["barolo", "grignolino",
                                                                                      "barbera"])
    boosting_raw_case("sk_opt_gbc_raw_scores_binary", GradientBoostingClassifier(n_estimators=15, max_depth=2,
                                                                                 random_state=0),
                      bc.data, bc.target, 1208, "GradientBoostingClassifier(15, max_depth=2) binary with raw_scores="
                      "True: TreeEnsembleClassifier post_transform NONE, base_values [log-odds prior]; onnxruntime "
                      "returns [-s, s]. Data: breast_cancer (seed 1208)")
    from sklearn.svm import SVC
    svc_raw_binary_case("sk_opt_svc_raw_scores_binary", SVC(kernel="rbf", C=2.0, gamma="scale"), bc.data, bc.target,
                        1210, "Pipeline(StandardScaler, SVC(rbf, C=2)) binary, probability=False, raw_scores=True: "
                        "SVMClassifier (negated coefficients and rho) -> Cast -> Mul(-1); no ZipMap. Data: "
                        "breast_cancer (seed 1210).", target=17)
    Xh, yh = make_clf(3, 6, 1209)
    boosting_raw_case("sk_opt_hgb_raw_scores_multi", HistGradientBoostingClassifier(max_iter=10, max_depth=3,
                                                                                    random_state=0),
                      Xh, yh, 1209, "HistGradientBoostingClassifier(max_iter=10, max_depth=3) 3 classes with "
                      "raw_scores=True: post_transform NONE, base_values = baseline; scores = decision_function. "
                      "Data: clf3_6 (seed 1209)")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
