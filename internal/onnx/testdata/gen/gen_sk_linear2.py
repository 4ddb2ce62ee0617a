"""gen_sk_linear2 writes sk_lin2_* cases: linear-family classifiers as
skl2onnx (1.14 and later) converts them, beyond gen_sk_linear.py.

  * SGDClassifier (sgd_classifier.py, which skl2onnx also uses for
    Perceptron and PassiveAggressiveClassifier in every release: its
    operator map sends both to 'SklearnSGDClassifier'): MatMul(X, coef_.T) + Add
    (intercept) = scores; hinge and other losses without probabilities ->
    two classes Concat(Mul(scores, -1), scores), more classes the scores;
    modified_huber -> Clip(scores, -1, 1) (Clip 12, min/max inputs) + 1, / 2,
    two classes Concat(1 - p, p), more classes ReduceSum(axis 1) and the
    zero-sum guard Cast(bool) -> Not -> Cast -> Add / Mul(K) -> Div. Labels
    ArgMax -> ArrayFeatureExtractor(classes int32) -> Reshape -> Cast(int64).
  * LinearDiscriminantAnalysis / LogisticRegressionCV / RidgeClassifierCV ->
    LinearClassifier (LDA has no multi_class attribute: SOFTMAX without
    Normalizer in skl2onnx 1.14; LogisticRegressionCV like
    LogisticRegression; RidgeClassifierCV NONE). LinearSVC binary ->
    LinearClassifier NONE + ArrayFeatureExtractor(scores, 1): a single score
    column, no ZipMap.
  * QuadraticDiscriminantAnalysis (quadratic_discriminant_analysis.py): per
    class Sub(X, mean) -> MatMul(., R * Pow(S, -0.5)) -> Pow 2 -> ReduceSum
    (axes input, keepdims 1); Log(S) -> ReduceSum(all axes); Concat(axis 0)
    -> Reshape(K, -1) -> Transpose; Add, Mul(-0.5), Add(Log(priors)) =
    decision; label ArgMax (12, select_last_index 0) ->
    ArrayFeatureExtractor(int64 classes); probabilities Exp(d - ReduceMax(d))
    / ReduceSum.
  * CalibratedClassifierCV (calibrated_classifier_cv.py): per calibrated
    classifier the base estimator's scores (raw_scores=True: LinearClassifier
    NONE for LinearSVC; probabilities for trees), per class
    ArrayFeatureExtractor(scores, k) (k = 1 for two classes); sigmoid ->
    1 / (1 + Exp(a * s + b)); isotonic -> Clip(X_min_, X_max_) ->
    Reshape(-1, 1) -> Sub(X_thresholds_) -> Abs -> ArgMin(axis 1) ->
    ArrayFeatureExtractor(y_thresholds_) -> Reshape(-1, 1) (the nearest
    threshold's value: scikit-learn interpolates linearly between thresholds,
    so isotonic outputs differ from scikit-learn between thresholds; the
    converter is like that). Two classes Concat(1 - p, p), more ReduceSum + the
    zero guard + Div; Sum (op_version 7) over the calibrated classifiers /
    their count; label ArgMax -> ArrayFeatureExtractor -> Reshape -> Cast.
"""
import numpy as np
from onnx import TensorProto
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis
from sklearn.linear_model import (SGDClassifier, LogisticRegressionCV, RidgeClassifierCV, Perceptron,
                                  PassiveAggressiveClassifier)
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skcommon import (Builder, float_input, tinfo, classifier_tail, labels_attr, split, edge_rows, describe_edges,
                      run_case, make_clf)
import skparts
from gen_sk_ensemble import class_lookup

ML = "ai.onnx.ml"


def data(X, y, seed, n_rows=50, str_labels=None):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    sc = StandardScaler().fit(Xtr)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    return sc, sc.transform(Xtr), ytr, Xreq, ew, min(n_rows, len(Xte))


def finish(name, b, clf, Xreq, sc, n_te, ew, what, target, sk_scores, key, zipmap=True, n_scores=None, ties=None,
           label_out=None, extra_desc=""):
    if zipmap:
        outs = classifier_tail(b, "label", "probabilities", clf.classes_)
        lab, so = "output_label", "output_probability"
    else:
        kind, _ = labels_attr(clf.classes_)
        outs = [tinfo("label", TensorProto.STRING if kind == "strings" else TensorProto.INT64, [None]),
                tinfo("probabilities", TensorProto.FLOAT, [None, n_scores or len(clf.classes_)])]
        lab, so = "label", "probabilities"
    skparts.finalize(b, outs)
    m = b.model([float_input(Xreq.shape[1])], outs, name)
    Z = sc.transform(Xreq.astype(np.float64))
    sk = {"label": clf.predict(Z), key: sk_scores}
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}{extra_desc}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lab, score_out=so, score_key=key,
                    tie_scores=sk_scores if ties is None else ties)


# ---------------------------------------------------------------- SGD converter
def sgd_case(name, clf, X, y, seed, what, target=15, str_labels=None):
    sc, Ztr, ytr, Xreq, ew, n_te = data(X, y, seed, str_labels=str_labels)
    clf.fit(Ztr, ytr)
    K = len(clf.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    kind, _ = labels_attr(clf.classes_)
    cls = b.init("classes", clf.classes_.astype(np.int32) if kind == "ints" else clf.classes_.astype(str))
    coef = b.init("coef", clf.coef_.T.astype(np.float32))
    inter = b.init("intercept", clf.intercept_.astype(np.float32))
    mm = b.node("MatMul", [v, coef], b.var("matmul_result"))
    scores = b.node("Add", [mm, inter], b.var("score"), version=7)
    Z = sc.transform(Xreq.astype(np.float64))
    d = clf.decision_function(Z)
    if clf.loss == "modified_huber":
        unity = b.init("unity", np.float32(1))
        two = b.init("constant", np.float32(2))
        cmin = b.init("clip_min", np.float32(-1))
        cmax = b.init("clip_max", np.float32(1))
        cl = b.node("Clip", [scores, cmin, cmax], b.var("clipped_scores"), version=12)
        ad = b.node("Add", [cl, unity], b.var("add_result"), version=7)
        pr = b.node("Div", [ad, two], b.var("proba"), version=7)
        if K == 2:
            sub = b.node("Sub", [unity, pr], b.var("sub_result"), version=7)
            b.node("Concat", [sub, pr], "probabilities", axis=1, version=11)
        else:
            ax = b.init("axis", np.array([1], dtype=np.int64))
            red = b.node("ReduceSum", [pr, ax], b.var("reduced_proba"))
            nc = b.init("num_classes", np.float32(K))
            bl = b.node("Cast", red, b.var("bool_reduced_proba"), to=TensorProto.BOOL, version=9)
            nt = b.node("Not", bl, b.var("bool_not_reduced_proba"))
            nr = b.node("Cast", nt, b.var("not_reduced_proba"), to=TensorProto.FLOAT, version=9)
            pu = b.node("Add", [pr, nr], b.var("proba_updated"), version=7)
            mk = b.node("Mul", [nr, nc], b.var("mask"), version=7)
            ru = b.node("Add", [red, mk], b.var("reduced_proba_updated"), version=7)
            b.node("Div", [pu, ru], "probabilities", version=7)
        sk_scores, key = clf.predict_proba(Z), "probabilities"
        ties = d if d.ndim == 2 else np.stack([-d, d], axis=1)
    else:
        if K == 2:
            neg = b.init("negate", np.float32(-1))
            ns = b.node("Mul", [scores, neg], b.var("negated_scores"), version=7)
            b.node("Concat", [ns, scores], "probabilities", axis=1, version=11)
            sk_scores = np.stack([-d, d], axis=1)
        else:
            b.node("Identity", scores, "probabilities")
            sk_scores = d
        key, ties = "decision_function", sk_scores
    am = b.node("ArgMax", "probabilities", b.var("predicted_label"), axis=1)
    class_lookup(b, am, clf.classes_, "label")
    return finish(name, b, clf, Xreq, sc, n_te, ew, what, target, sk_scores, key, ties=ties)


# ---------------------------------------------------------------- LinearClassifier family
def linclf_case(name, clf, X, y, seed, what, target=15, str_labels=None, zipmap=True):
    sc, Ztr, ytr, Xreq, ew, n_te = data(X, y, seed, str_labels=str_labels)
    clf.fit(Ztr, ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    post = skparts.linear_classifier(b, v, clf, "label", "probabilities")
    Z = sc.transform(Xreq.astype(np.float64))
    d = clf.decision_function(Z)
    n_scores = None
    if hasattr(clf, "predict_proba") and not isinstance(clf, LinearDiscriminantAnalysis):
        sk_scores, key = clf.predict_proba(Z), "probabilities"
    elif isinstance(clf, LinearDiscriminantAnalysis):
        # SOFTMAX over the decision function (= predict_proba for more than two classes)
        e = np.exp(d - d.max(axis=1, keepdims=True))
        sk_scores, key = e / e.sum(axis=1, keepdims=True), "probabilities"
    elif d.ndim == 1:
        sk_scores, key, n_scores = d.reshape(-1, 1), "decision_function", 1
    else:
        sk_scores, key = d, "decision_function"
    ties = d if d.ndim == 2 else np.stack([-d, d], axis=1)
    return finish(name, b, clf, Xreq, sc, n_te, ew, what + f" (post_transform {post})", target, sk_scores, key,
                  zipmap=zipmap, n_scores=n_scores, ties=ties)


# ---------------------------------------------------------------- QDA
def qda_case(name, clf, X, y, seed, what, target=15):
    sc, Ztr, ytr, Xreq, ew, n_te = data(X, y, seed)
    clf.fit(Ztr, ytr)
    K = len(clf.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    n05 = b.init("const_n05", np.float32(-0.5))
    p2 = b.init("const_p2", np.float32(2))
    norms, logs = [], []
    for i in range(K):
        R = b.init("rotations", clf.rotations_[i].astype(np.float32))
        S = b.init("scalings", clf.scalings_[i].astype(np.float32))
        mean = b.init("means", clf.means_[i].astype(np.float32))
        xm = b.node("Sub", [v, mean], b.var("Xm"), version=7)
        sp = b.node("Pow", [S, n05], b.var("s_pow_n05"), version=12)
        mu = b.node("Mul", [R, sp], b.var("mul"), version=7)
        x2 = b.node("MatMul", [xm, mu], b.var("matmul"), version=9)
        px = b.node("Pow", [x2, p2], b.var("pow_x2"), version=12)
        ax = b.init("ReduceSum_reducesum", np.array([1], dtype=np.int64))
        norms.append(b.node("ReduceSum", [px, ax], b.var("sum"), keepdims=1, version=13))
        lg = b.node("Log", S, b.var("log"), version=6)
        logs.append(b.node("ReduceSum", lg, b.var("sum_log"), keepdims=1, version=13))
    cn = b.node("Concat", norms, b.var("concat_norm"), axis=0, version=11)
    rn = b.node("Reshape", [cn, b.init("shape_tensor", np.array([K, -1], dtype=np.int64))],
                b.var("reshape_concat_norm"), version=5)
    tn = b.node("Transpose", rn, b.var("transpose_norm"), perm=[1, 0])
    cl = b.node("Concat", logs, b.var("concat_logsum"), axis=0, version=11)
    an = b.node("Add", [tn, cl], b.var("add_norm2_u"), version=7)
    mn = b.node("Mul", [n05, an], b.var("norm2_u_n05"), version=7)
    pri = b.init("priors", clf.priors_.astype(np.float32))
    lp = b.node("Log", pri, b.var("log_p"), version=6)
    dfun = b.node("Add", [mn, lp], b.var("decision_fun"), version=7)
    am = b.node("ArgMax", dfun, b.var("argmax_out"), axis=1, keepdims=1, select_last_index=0, version=12)
    cls = b.init("classes", clf.classes_.astype(np.int64))
    b.node("ArrayFeatureExtractor", [cls, am], "label", domain=ML, version=1)
    if target >= 18:
        dm = b.node("ReduceMax", [dfun, b.init("axis", np.array([1], dtype=np.int64))], b.var("df_max"))
    else:
        dm = b.node("ReduceMax", dfun, b.var("df_max"), axes=[1])
    ds = b.node("Sub", [dfun, dm], b.var("df_sub_max"), version=7)
    lk = b.node("Exp", ds, b.var("likelihood"), version=6)
    ls = b.node("ReduceSum", [lk, b.init("ReduceSum_reducesum", np.array([1], dtype=np.int64))],
                b.var("likelihood_sum"), keepdims=1, version=13)
    b.node("Div", [lk, ls], "probabilities", version=7)
    Z = sc.transform(Xreq.astype(np.float64))
    return finish(name, b, clf, Xreq, sc, n_te, ew, what, target, clf.predict_proba(Z), "probabilities",
                  ties=clf._decision_function(Z))


# ---------------------------------------------------------------- CalibratedClassifierCV
def calibrated_case(name, clf, X, y, seed, what, target=15, str_labels=None):
    sc, Ztr, ytr, Xreq, ew, n_te = data(X, y, seed, str_labels=str_labels)
    clf.fit(Ztr, ytr)
    K = len(clf.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    kind, _ = labels_attr(clf.classes_)
    cls = b.init("classes", clf.classes_.astype(np.int32) if kind == "ints" else clf.classes_.astype(str))
    cnt = b.init("clf_length", np.float32(len(clf.calibrated_classifiers_)))
    scores = []
    for ci, cc in enumerate(clf.calibrated_classifiers_):
        base = cc.estimator
        lab, df = b.var("label"), b.var("uncal_probability")
        if isinstance(base, DecisionTreeClassifier):
            skparts.tree_classifier(b, v, base, lab, df)
        else:
            skparts.linear_classifier(b, v, base, lab, df, raw_scores=True)
        probs = []
        for k in range(K):
            kk = b.init("k", np.int64(k + 1 if K == 2 else k))
            col = b.node("ArrayFeatureExtractor", [df, kk], b.var(f"tdf_col_{ci}_c{k}"), domain=ML, version=1,
                         name=f"CaliAFE_{ci}_c{k}")
            cal = cc.calibrators[k]
            if clf.method == "sigmoid":
                a = b.init("a", np.float32(cal.a_))
                bb = b.init("b", np.float32(cal.b_))
                one = b.init("unity", np.float32(1))
                p = b.node("Mul", [a, col], b.var("a_df_prod"), version=7)
                p = b.node("Add", [p, bb], b.var("exp_parameter"), version=7)
                p = b.node("Exp", p, b.var("exp_result"), version=6)
                p = b.node("Add", [one, p], b.var("denominator"), version=7)
                p = b.node("Div", [one, p], b.var("sigmoid_predict_result"), version=7)
            else:
                t = col
                if cal.out_of_bounds == "clip":
                    lo = b.init("clip_min", np.float32(cal.X_min_))
                    hi = b.init("clip_max", np.float32(cal.X_max_))
                    t = b.node("Clip", [t, lo, hi], b.var("clipped_df"), version=12)
                cx = b.init("calibrator_x", cal.X_thresholds_.astype(np.float32))
                cy = b.init("calibrator_y", cal.y_thresholds_.astype(np.float32))
                sh = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
                r = b.node("Reshape", [t, sh], b.var("reshaped_df"), version=5)
                dd = b.node("Sub", [r, cx], b.var("distance"), version=7)
                ab = b.node("Abs", dd, b.var("absolute_distance"), version=6)
                ix = b.node("ArgMin", ab, b.var("nearest_x_index"), axis=1)
                ny = b.node("ArrayFeatureExtractor", [cy, ix], b.var("nearest_y"), domain=ML, version=1)
                p = b.node("Reshape", [ny, sh], b.var("nearest_y_name_reshaped"), version=5)
            probs.append(p)
            if K == 2:
                break
        if K == 2:
            one = b.init(f"unit_float_tensor{ci}", np.float32(1.0))
            z = b.node("Sub", [one, probs[0]], b.var(f"zeroth_col{ci}"), version=7)
            scores.append(b.node("Concat", [z, probs[0]], b.var(f"merged_prob{ci}"), axis=1, version=11,
                                 name=f"CaliConc{ci}"))
        else:
            cp = b.node("Concat", probs, b.var("concatenated_prob"), axis=1, version=11)
            red = b.node("ReduceSum", [cp, b.init("axis", np.array([1], dtype=np.int64))], b.var("reduced_prob"))
            nc = b.init("n_classes", np.float32(K))
            cb = b.node("Cast", red, b.var("cast_prob"), to=TensorProto.BOOL, version=9)
            nt = b.node("Not", cb, b.var("bool_not_cast_prob"))
            mk = b.node("Cast", nt, b.var("mask"), to=TensorProto.FLOAT, version=9)
            mc = b.node("Add", [cp, mk], b.var("masked_concatenated_prob"), version=7)
            rm = b.node("Mul", [mk, nc], b.var("reduced_prob_mask"), version=7)
            mr = b.node("Add", [red, rm], b.var("masked_reduced_prob"), version=7)
            scores.append(b.node("Div", [mc, mr], b.var("calc_prob"), version=7, name=f"CaliDiv{ci}"))
    s = b.node("Sum", scores, b.var("add_result"), version=7)
    b.node("Div", [s, cnt], "probabilities", version=7)
    am = b.node("ArgMax", "probabilities", b.var("argmax_output"), axis=1)
    afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"), domain=ML, version=1)
    sh = b.init("shape_tensor", np.array([-1], dtype=np.int64))
    if kind == "ints":
        r = b.node("Reshape", [afe, sh], b.var("reshaped_result"), version=5)
        b.node("Cast", r, "label", to=TensorProto.INT64, version=9)
    else:
        b.node("Reshape", [afe, sh], "label", version=5)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = clf.predict_proba(Z)
    return finish(name, b, clf, Xreq, sc, n_te, ew, what, target, proba, "probabilities")


def main():
    bc = load_breast_cancer()
    iris = load_iris()
    wine = load_wine()
    X4, y4 = make_clf(4, 6, 901)
    sgd_case("sk_lin2_sgd_hinge_binary", SGDClassifier(loss="hinge", alpha=1e-3, random_state=0), bc.data,
             bc.target, 901, "Pipeline(StandardScaler, SGDClassifier(loss='hinge')) binary: MatMul + Add scores, "
             "Concat(-s, s), ArgMax labels, ZipMap over the scores. Data: breast_cancer (seed 901)")
    sgd_case("sk_lin2_sgd_hinge_multi_str", SGDClassifier(loss="hinge", alpha=1e-3, random_state=1), X4, y4, 902,
             "Pipeline(StandardScaler, SGDClassifier(loss='hinge')) 4 classes, string labels: the scores are the "
             "'probabilities'. Data: clf4_6 (seed 902)", str_labels=["a", "b", "c", "d"], target=17)
    sgd_case("sk_lin2_sgd_modified_huber_multi", SGDClassifier(loss="modified_huber", alpha=1e-2, random_state=2),
             wine.data, wine.target, 903, "Pipeline(StandardScaler, SGDClassifier(loss='modified_huber')) 3 "
             "classes: Clip(-1, 1) + 1, / 2, ReduceSum and the Cast(bool)/Not zero-sum guard. Data: wine (seed 903)")
    sgd_case("sk_lin2_sgd_modified_huber_binary", SGDClassifier(loss="modified_huber", alpha=1e-2, random_state=3),
             bc.data, bc.target, 904, "Pipeline(StandardScaler, SGDClassifier(loss='modified_huber')) binary: "
             "Concat(1 - p, p). Data: breast_cancer (seed 904)", target=13)
    sgd_case("sk_lin2_perceptron_multi", Perceptron(random_state=0, max_iter=50, tol=None), iris.data, iris.target,
             915, "Pipeline(StandardScaler, Perceptron) 3 classes. skl2onnx maps Perceptron to its SGDClassifier "
             "converter (not LinearClassifier): MatMul + Add scores are the 'probabilities', ZipMap. Data: iris "
             "(seed 915)")
    sgd_case("sk_lin2_passive_aggressive_binary", PassiveAggressiveClassifier(C=0.1, random_state=0), bc.data,
             bc.target, 916, "Pipeline(StandardScaler, PassiveAggressiveClassifier(C=0.1)) binary. skl2onnx maps "
             "it to its SGDClassifier converter: scores Concat(-s, s), ZipMap. Data: breast_cancer (seed 916)",
             target=13)
    linclf_case("sk_lin2_lda_multi", LinearDiscriminantAnalysis(), wine.data, wine.target, 905,
                "Pipeline(StandardScaler, LinearDiscriminantAnalysis) 3 classes: LinearClassifier (coef_, "
                "intercept_), no multi_class attribute. Data: wine (seed 905)")
    linclf_case("sk_lin2_linearsvc_binary", LinearSVC(C=0.5, random_state=0, max_iter=5000), bc.data, bc.target,
                906, "Pipeline(StandardScaler, LinearSVC(C=0.5)) binary: LinearClassifier NONE on [-w, w] and "
                "ArrayFeatureExtractor(scores, 1): label + one decision_function column, no ZipMap. Data: "
                "breast_cancer (seed 906)", zipmap=False)
    linclf_case("sk_lin2_logregcv_multi", LogisticRegressionCV(Cs=4, cv=3, max_iter=2000), X4, y4, 907,
                "Pipeline(StandardScaler, LogisticRegressionCV(Cs=4, cv=3)) 4 classes: LinearClassifier SOFTMAX "
                "multi_class 1 + Normalizer(L1). Data: clf4_6 (seed 907)")
    linclf_case("sk_lin2_ridgeclfcv_multi_str", RidgeClassifierCV(alphas=(0.1, 1.0, 10.0)), iris.data, iris.target,
                908, "Pipeline(StandardScaler, RidgeClassifierCV) 3 classes, string labels: LinearClassifier NONE, "
                "scores = decision_function, ZipMap(strings). Data: iris_str (seed 908)",
                str_labels=["setosa", "versicolor", "virginica"], target=16)
    qda_case("sk_lin2_qda_multi", QuadraticDiscriminantAnalysis(reg_param=0.05), wine.data[:, :6], wine.target, 909,
             "Pipeline(StandardScaler, QuadraticDiscriminantAnalysis(reg_param=0.05)) 3 classes on 6 wine features: "
             "per class Sub/Pow/Mul/MatMul/Pow/ReduceSum, Log/ReduceSum of the scalings, Concat(axis 0)/Reshape/"
             "Transpose, ArgMax(select_last_index 0) + ArrayFeatureExtractor(int64 classes) label, "
             "Exp(d - ReduceMax)/ReduceSum. Data: wine[:, :6] (seed 909)")
    qda_case("sk_lin2_qda_binary_opset18", QuadraticDiscriminantAnalysis(reg_param=0.1), bc.data[:, :8], bc.target,
             910, "Pipeline(StandardScaler, QuadraticDiscriminantAnalysis(reg_param=0.1)) binary at target_opset "
             "18 (ReduceMax with axes input). Data: breast_cancer[:, :8] (seed 910)", target=18)
    calibrated_case("sk_lin2_calibrated_sigmoid_linearsvc_binary", CalibratedClassifierCV(
        LinearSVC(C=0.3, random_state=0, max_iter=5000), method="sigmoid", cv=3), bc.data, bc.target, 911,
        "Pipeline(StandardScaler, CalibratedClassifierCV(LinearSVC(C=0.3), sigmoid, cv=3)) binary: 3 calibrated "
        "LinearSVCs with raw scores (LinearClassifier NONE), ArrayFeatureExtractor(scores, 1), "
        "1 / (1 + Exp(a s + b)), Concat(1 - p, p), Sum / 3. Data: breast_cancer (seed 911)")
    calibrated_case("sk_lin2_calibrated_sigmoid_linearsvc_multi", CalibratedClassifierCV(
        LinearSVC(C=0.3, random_state=0, max_iter=5000), method="sigmoid", cv=2), wine.data, wine.target, 912,
        "Pipeline(StandardScaler, CalibratedClassifierCV(LinearSVC, sigmoid, cv=2)) 3 classes: per class sigmoid, "
        "Concat, ReduceSum and the zero guard, Div; Sum / 2. Data: wine (seed 912)", target=17)
    calibrated_case("sk_lin2_calibrated_isotonic_tree_multi", CalibratedClassifierCV(
        DecisionTreeClassifier(max_depth=3, random_state=0), method="isotonic", cv=2), iris.data, iris.target, 913,
        "Pipeline(StandardScaler, CalibratedClassifierCV(DecisionTree(max_depth=3), isotonic, cv=2)) 3 classes: "
        "tree probabilities, per class Clip(X_min_, X_max_), nearest X_thresholds_ via Sub/Abs/ArgMin and "
        "ArrayFeatureExtractor(y_thresholds_). The converter takes the nearest threshold's value where "
        "scikit-learn interpolates; the tree's discrete probabilities are thresholds themselves, so every row "
        "agrees here. Data: iris (seed 913)")
    calibrated_case("sk_lin2_calibrated_isotonic_linearsvc_binary", CalibratedClassifierCV(
        LinearSVC(C=0.3, random_state=0, max_iter=5000), method="isotonic", cv=2), bc.data, bc.target, 914,
        "Pipeline(StandardScaler, CalibratedClassifierCV(LinearSVC(C=0.3), isotonic, cv=2)) binary: raw scores, "
        "Clip, nearest threshold via Sub/Abs/ArgMin/ArrayFeatureExtractor. The converter takes the nearest "
        "threshold's value where scikit-learn interpolates linearly between thresholds, so rows between "
        "thresholds differ from scikit-learn (onnxruntime is the reference). Data: breast_cancer (seed 914)")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
