"""gen_sk3_multiclass writes sk3_ovr_* and sk3_ovo_* cases: OneVsRestClassifier
and OneVsOneClassifier as skl2onnx (1.14 and later) converts them
(operator_converters/one_vs_rest_classifier.py, one_vs_one_classifier.py,
ovr_decision_function.py, common/utils_classifier.py).

OneVsRestClassifier:
  * each binary estimator is converted by its own converter (skparts:
    LinearClassifier + Normalizer for LogisticRegression, TreeEnsembleClassifier
    for trees), then Slice(proba_i, starts [1], ends [2], axes [1]) (Slice 11,
    inputs) gives P(class i);
  * Concat(axis 1); a single estimator (two classes) adds Sub(1, p) and
    Concat([1 - p, p]); probabilities = LpNormalization(p=1, axis 1)
    (opset-1 operator); label = ArgMax(concatenated) ->
    ArrayFeatureExtractor(classes int32) -> Cast(float) -> Reshape(-1) ->
    Cast(int64) (_finalize_converter_classes);
  * multilabel: probabilities = the Concat; label = Sub(., 0.5) -> Sign ->
    Cast(int64) -> Clip(., int64 0) (opset > 11) -> Reshape(-1, K).
OneVsOneClassifier:
  * Shape(X) -> Gather(0) -> Concat([N, -1]) gives the score shape (built
    twice: once by the converter, once by the first iteration);
  * each pair estimator is converted with raw_scores=True (LogisticRegression:
    LinearClassifier NONE on [-w, w]) or zipmap=False (trees); its label ->
    Reshape(-1, 1) -> Cast(float), its scores -> Reshape([N, -1]) ->
    Slice(1:2 on axis 1) (Slice 13, inputs);
  * Concat the labels and the scores, Identity, sklearn's
    _ovr_decision_function as ArrayFeatureExtractor / Neg / Add / Sum /
    Concat / Abs / Mul / Div (ovr_decision_function.py), Identity to
    'probabilities'; label = ArgMax(ovr_output) (the class index, int64
    [N, 1]).
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_iris, load_wine, make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier, OneVsOneClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skcommon import (Builder, float_input, tinfo, classifier_tail, split, edge_rows, describe_edges, run_case,
                      make_clf, write_error_case)
import skparts
from gen_sk_ensemble import class_lookup

ML = "ai.onnx.ml"


def sub_classifier(b, inp, est, i, raw_scores=False):
    lab, pr = b.var(f"label_{i}"), b.var(f"proba_{i}")
    if isinstance(est, DecisionTreeClassifier):
        skparts.tree_classifier(b, inp, est, lab, pr)
    else:
        skparts.linear_classifier(b, inp, est, lab, pr, raw_scores=raw_scores)
    return lab, pr


def slice_col1(b, x, name, version=11):
    st = b.init("starts", np.array([1], dtype=np.int64))
    en = b.init("ends", np.array([2], dtype=np.int64))
    ax = b.init("axes", np.array([1], dtype=np.int64))
    return b.node("Slice", [x, st, en, ax], b.var(name), version=version, name="Slice")


def ovr_graph(b, inp, ovr):
    probs = []
    for i, est in enumerate(ovr.estimators_):
        _, pr = sub_classifier(b, inp, est, i)
        probs.append(slice_col1(b, pr, f"probY_{i}"))
    K = len(ovr.classes_)
    if ovr.multilabel_:
        b.node("Concat", probs, "probabilities", axis=1, version=11)
        th = b.init("thresh", np.full((1, K), 0.5, dtype=np.float32))
        s = b.node("Sub", ["probabilities", th], b.var("threshed"), version=7)
        sg = b.node("Sign", s, b.var("signed"), name="Sign")
        si = b.node("Cast", sg, b.var("signed_int64"), to=TensorProto.INT64, version=9)
        zero = b.init("zero", np.int64(0))
        lab = b.node("Clip", [si, zero], b.var("label"), name="Clip")
        b.node("Reshape", [lab, b.init("shape_tensor", np.array([-1, K], dtype=np.int64))], "label_out", version=5)
        return
    conc = b.node("Concat", probs, b.var("concatenated"), axis=1, version=11)
    if len(ovr.estimators_) == 1:
        one = b.init("unit_float_tensor", np.float32(1.0))
        z = b.node("Sub", [one, conc], b.var("zeroth_col"), version=7)
        conc = b.node("Concat", [z, conc], b.var("merged_prob"), axis=1, version=11)
    b.node("LpNormalization", conc, "probabilities", axis=1, p=1, name="LpNormalization")
    am = b.node("ArgMax", conc, b.var("label_name"), axis=1, name="ArgMax")
    class_lookup(b, am, ovr.classes_, "label", cast_float=True)


def ovr_case(name, ovr, X, y, seed, what, target=15, zipmap=True, scale=True, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr) if scale else None
    ovr.fit(sc.transform(Xtr) if scale else Xtr, ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "label_out")
    inp = skparts.scaler(b, "X", sc) if scale else "X"
    ovr_graph(b, inp, ovr)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = Xreq.astype(np.float64)
    Z = sc.transform(Z) if scale else Z
    K = len(ovr.classes_)
    if ovr.multilabel_:
        p = np.column_stack([e.predict_proba(Z)[:, 1] for e in ovr.estimators_])
        keep = np.abs(p - 0.5).min(axis=1) > 1e-4
        Xreq, Z, p = Xreq[keep], Z[keep], p[keep]
        outs = [tinfo("label_out", TensorProto.INT64, [None, K]), tinfo("probabilities", TensorProto.FLOAT, [None, K])]
        skparts.finalize(b, outs)
        m = b.model([float_input(X.shape[1])], outs, name)
        sk = {"label": ovr.predict(Z), "probabilities": p}
        n_te = int(keep[:min(n_rows, len(Xte))].sum())
        ew = [w for w, k in zip(ew, keep[-len(ew):]) if k]
        desc = (f"{what}. target_opset {target}. {describe_edges(n_te, ew)} Rows with a class probability within "
                f"1e-4 of 0.5 were left out.")
        return run_case(name, m, {"X": Xreq}, sk, desc, label_out="label_out", score_out="probabilities",
                        score_key="probabilities")
    if zipmap:
        outs = classifier_tail(b, "label", "probabilities", ovr.classes_)
        lo, so = "output_label", "output_probability"
    else:
        lt = TensorProto.STRING if ovr.classes_.dtype.kind in "OUS" else TensorProto.INT64
        outs = [tinfo("label", lt, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, K])]
        lo, so = "label", "probabilities"
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    proba = ovr.predict_proba(Z)
    sk = {"label": ovr.predict(Z), "probabilities": proba}
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lo, score_out=so, score_key="probabilities",
                    tie_scores=proba)


def ovr_decision(b, pred, conf, n_classes):
    """ovr_decision adds ovr_decision_function.py's graph; returns ovr_output."""
    cst3 = b.init("cst3", np.float32(3))
    cst1 = b.init("cst1", np.float32(1))
    sumc = [b.var(f"svcsumc_{i}") for i in range(n_classes)]
    vote = [b.var(f"svcvote_{i}") for i in range(n_classes)]
    sadd = {s: [] for s in sumc}
    vadd = {v: [] for v in vote}
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            ind = b.init(f"Cind_{k}", np.int64(k))
            ext = b.node("ArrayFeatureExtractor", [conf, ind], b.var(f"Csvc_{k}"), domain=ML, version=1)
            sadd[sumc[j]].append(ext)
            sadd[sumc[i]].append(b.node("Neg", ext, b.var(f"Cneg_{k}"), version=6))
            ext = b.node("ArrayFeatureExtractor", [pred, ind], b.var(f"Vsvcv_{k}"), domain=ML, version=1)
            vadd[vote[j]].append(ext)
            neg = b.node("Neg", ext, b.var(f"Vnegv_{k}"), version=6)
            vadd[vote[i]].append(b.node("Add", [neg, cst1], b.var(f"Vnegv1_{k}"), version=7, name=f"AddCl_{i}_{j}"))
            k += 1
    for s, v in list(sadd.items()) + list(vadd.items()):
        b.node("Sum", v, s, version=8)
    conc = b.node("Concat", sumc, b.var("Csvcconc"), axis=1, version=11)
    conc_vote = b.node("Concat", vote, b.var("Vsvcconcv"), axis=1, version=11)
    cabs = b.node("Abs", conc, b.var("Cabs"), version=6)
    cabs1 = b.node("Add", [cabs, cst1], b.var("Cconc_abs1"), version=7, name="AddF0")
    cabs3 = b.node("Mul", [cabs1, cst3], b.var("Cconc_abs3"), version=7)
    final = b.node("Div", [conc, cabs3], b.var("Csvcfinal"), version=7)
    return b.node("Add", [conc_vote, final], "ovr_output", version=7, name="AddF1")


def shape_nd(b, inp):
    c0 = b.init("cst0", np.array([0], dtype=np.int64))
    sh = b.node("Shape", inp, b.var("shape"))
    dim = b.node("Gather", [sh, c0], b.var("dim"))
    cm1 = b.init("cst_1", np.array([-1], dtype=np.int64))
    return b.node("Concat", [dim, cm1], b.var("shape"), axis=0, version=11)


def ovo_graph(b, inp, ovo):
    b.init("cst0", np.array([0], dtype=np.int64))
    b.init("cst1", np.array([1], dtype=np.int64))
    b.init("cst2", np.array([2], dtype=np.int64))
    shape_nd(b, inp)  # the converter's own (unused) shape
    prob_shape = None
    labs, probs = [], []
    for i, est in enumerate(ovo.estimators_):
        lab, pr = sub_classifier(b, inp, est, i, raw_scores=not isinstance(est, DecisionTreeClassifier))
        r = b.node("Reshape", [lab, b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))], b.var(f"lab_{i}"),
                   version=5)
        labs.append(b.node("Cast", r, b.var(f"cast_lab_{i}"), to=TensorProto.FLOAT, version=9))
        if prob_shape is None:
            prob_shape = shape_nd(b, inp)
        pr2 = b.node("Reshape", [pr, prob_shape], b.var(f"prob_{i}"))
        c1 = b.init("cst1", np.array([1], dtype=np.int64))
        c2 = b.init("cst2", np.array([2], dtype=np.int64))
        probs.append(b.node("Slice", [pr2, c1, c2, c1], b.var(f"prob1_{i}")))
    cl = b.node("Concat", labs, b.var("concat_out_ovo_label"), axis=1, version=11)
    cp = b.node("Concat", probs, b.var("concat_out_ovo_prob"), axis=1, version=11)
    lab = b.node("Identity", cl, b.var("label"))
    conf = b.node("Identity", cp, b.var("prob_score"))
    b.reserve("ovr_output")
    out = ovr_decision(b, lab, conf, len(ovo.classes_))
    b.node("Identity", out, "probabilities")
    b.node("ArgMax", "ovr_output", "label_out", axis=1)


def ovo_case(name, ovo, X, y, seed, what, target=15, scale=True, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr) if scale else None
    ovo.fit(sc.transform(Xtr) if scale else Xtr, ytr)
    b = Builder(target)
    b.reserve("probabilities", "label_out")
    inp = skparts.scaler(b, "X", sc) if scale else "X"
    ovo_graph(b, inp, ovo)
    K = len(ovo.classes_)
    outs = [tinfo("label_out", TensorProto.INT64, [None, 1]), tinfo("probabilities", TensorProto.FLOAT, [None, K])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = Xreq.astype(np.float64)
    Z = sc.transform(Z) if scale else Z
    d = ovo.decision_function(Z)
    sk = {"label": ovo.predict(Z), "decision_function": d}
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="label_out", score_out="probabilities",
                    score_key="decision_function", tie_scores=d)


def ovr_linearsvc_error(name, seed):
    """ovr_linearsvc_error: OneVsRestClassifier(LinearSVC); each binary
    LinearSVC converts to a single score column (LinearClassifier ->
    ArrayFeatureExtractor(1)), so Slice(1:2) leaves no column."""
    iris = load_iris()
    Xtr, Xte, ytr, yte = split(iris.data, iris.target, seed)
    ovr = OneVsRestClassifier(LinearSVC(C=0.5, max_iter=5000)).fit(Xtr, ytr)
    b = Builder(15)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    ovr_graph(b, "X", ovr)
    outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, 3])]
    skparts.finalize(b, outs)
    m = b.model([float_input(4)], outs, name)
    return m, Xte[:6].astype(np.float32)


def main():
    iris = load_iris()
    wine = load_wine()
    ovr_case("sk3_ovr_logreg_multi", OneVsRestClassifier(LogisticRegression(max_iter=1000)), wine.data, wine.target,
             3301, "Pipeline(StandardScaler, OneVsRestClassifier(LogisticRegression)) 3 classes: 3 binary "
             "LinearClassifier + Normalizer graphs, Slice(1:2), Concat, LpNormalization(p=1), ArgMax -> "
             "ArrayFeatureExtractor(classes); ZipMap. Data: wine (seed 3301)")
    ovr_case("sk3_ovr_tree_binary_nozipmap", OneVsRestClassifier(DecisionTreeClassifier(max_depth=4,
                                                                                        random_state=0)),
             *make_clf(2, 6, 3302), 3302,
             "OneVsRestClassifier(DecisionTreeClassifier(max_depth=4)) binary: one estimator, so Sub(1, p) and "
             "Concat([1 - p, p]) before LpNormalization; zipmap=False. Data: clf2_6 (seed 3302)", scale=False,
             zipmap=False, target=17)
    ovr_case("sk3_ovr_tree_multi4_opset13", OneVsRestClassifier(DecisionTreeClassifier(max_depth=3,
                                                                                       random_state=1)),
             *make_clf(4, 6, 3303), 3303,
             "OneVsRestClassifier(DecisionTreeClassifier(max_depth=3)) 4 classes: TreeEnsembleClassifier per class "
             "(one class-1 weight), LpNormalization; ZipMap. Data: clf4_6 (seed 3303)", scale=False, target=13)
    Xm, Ym = make_multilabel_classification(n_samples=400, n_features=6, n_classes=3, random_state=3304)
    ovr_case("sk3_ovr_logreg_multilabel", OneVsRestClassifier(LogisticRegression(max_iter=1000)), Xm.astype(float),
             Ym, 3304, "Pipeline(StandardScaler, OneVsRestClassifier(LogisticRegression)) multilabel (3 labels): "
             "probabilities = Concat of P(label); label = Sub(0.5) -> Sign -> Cast(int64) -> Clip(int64 0) -> "
             "Reshape(-1, 3). Data: make_multilabel_classification 6 features (seed 3304)", zipmap=False)
    ovo_case("sk3_ovo_logreg_multi4", OneVsOneClassifier(LogisticRegression(max_iter=1000)), *make_clf(4, 7, 3305),
             3305, "Pipeline(StandardScaler, OneVsOneClassifier(LogisticRegression)) 4 classes (6 pair models with "
             "raw_scores: LinearClassifier NONE), Shape/Gather/Concat score shape, Reshape, Slice, the "
             "_ovr_decision_function graph, ArgMax label (class index, [N, 1]). 'sklearn' holds decision_function. "
             "Data: clf4_7 (seed 3305)")
    ovo_case("sk3_ovo_tree_multi3_opset17", OneVsOneClassifier(DecisionTreeClassifier(max_depth=3, random_state=2)),
             iris.data, iris.target, 3306,
             "OneVsOneClassifier(DecisionTreeClassifier(max_depth=3)) 3 classes: pair trees with zipmap=False, "
             "confidences = P(second class of the pair). 'sklearn' holds decision_function. Data: iris (seed 3306)",
             scale=False, target=17)
    m, X = ovr_linearsvc_error("sk3_err_ovr_linearsvc_no_proba_column", 3307)
    write_error_case("sk3_err_ovr_linearsvc_no_proba_column", m, {"X": X},
                     "OneVsRestClassifier(LinearSVC) 3 classes as skl2onnx converts it: each binary LinearSVC gives a "
                     "single score column (LinearClassifier -> ArrayFeatureExtractor(1)), Slice(1:2) on it leaves "
                     "[N, 0], and ArgMax over an empty axis fails")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
