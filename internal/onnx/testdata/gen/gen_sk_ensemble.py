"""gen_sk_ensemble writes sk_ens_* cases: meta-estimators as skl2onnx (1.14
and later) converts them, built from their sub-estimators' graphs
(skparts.py) the way operator_converters/ada_boost.py, bagging.py,
voting_classifier.py, voting_regressor.py, stacking.py and
isolation_forest.py wire them.

  * AdaBoostClassifier: per estimator, SAMME.R -> Clip(p, min=float32(eps64))
    (Clip 12, min an input) -> Log -> ReduceSum(axis 1 input, keepdims 1) ->
    Reshape(-1, 1) -> Mul(1/K) -> Sub -> Mul(K-1); SAMME -> ArgMax(p) ->
    Equal(classes_ind [1, K]) -> Where(., ones, zeros) (ConstantOfShape of
    Shape(first estimator's p)) -> Mul(weight) (zeros, not -1/(K-1): the
    fitted model is scikit-learn 1.2). Then Sum -> Div(sum of estimator
    weights) -> Mul(1/(K-1)) -> Exp -> ReduceSum -> Reshape(-1, 1) ->
    Cast(int32) -> Equal(0) -> Cast -> Add -> Div = probabilities; label =
    ArgMax -> ArrayFeatureExtractor(classes int32 | string) -> Reshape(-1)
    (-> Cast(int64)).
  * AdaBoostRegressor: the estimators' predictions Concat(axis 1) -> Mul(-1)
    -> TopK(k = n_estimators) -> ArrayFeatureExtractor(estimator_weights_,
    sorted indices) -> Reshape(-1, E) -> CumSum(axis int32 1) ->
    ArrayFeatureExtractor(cdf, E-1) x 0.5 -> Less -> Cast -> ArgMin(axis 1) ->
    GatherElements(sorted indices) -> GatherElements(predictions) (the
    weighted median).
  * Bagging: when an estimator sees a subset of the features, Gather(X,
    indices, axis=1) (name GatherBG); each output Reshape(1, -1, K) -> Concat
    (axis 0) -> ReduceMean(axes [0], keepdims 0) (axes an input at opset 18);
    classifier labels ArgMax -> ArrayFeatureExtractor -> Cast -> Reshape ->
    Cast. Sub-trees carry the encoded labels 0..K-1.
  * VotingClassifier: soft -> Mul(proba, w_i / sum w) summed (Sum); hard ->
    ArgMax -> Equal(classes_ind) -> Where(ones, zeros) (ConstantOfShape 9) ->
    Mul(w) -> Sum: the 'probabilities' output holds the weighted vote
    fractions (scikit-learn has no predict_proba for hard voting).
    VotingRegressor -> Mul(w) -> Flatten -> Sum.
  * Stacking: each estimator's scores -> Cast(float) ('_castio'), for two
    classes with only predict_proba ArrayFeatureExtractor(scores, 1), then
    (passthrough: X) Concat(axis 1) -> final estimator -> Cast; label via
    ArgMax -> ArrayFeatureExtractor(stack_classes) -> Reshape -> Cast.
  * IsolationForest (algebra API, op_version = target): per tree Gather(X,
    features) -> TreeEnsembleRegressor v1 whose leaf weights are the leaf
    node ids -> Cast(int64) -> LabelEncoder (keys_int64s -> values_floats;
    node sample counts and path lengths) -> Reshape(-1, 1) -> the
    _average_path_length arithmetic (Equal/Greater 2, Mul, Add, Max, Log,
    Div) -> depth; Sum -> Div(n_estimators x c(max_samples)) -> Neg -> Pow(2,
    .) -> Neg -> Add(-offset_) = scores; label = Cast(Less(scores, 0)) x -2
    + 1. The LabelEncoder nodes carry op_version = the ai.onnx.ml target (3),
    so the model imports ai.onnx.ml 3 (LabelEncoder resolves to schema 2).
"""
import numpy as np
from onnx import TensorProto, helper
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, load_diabetes
from sklearn.ensemble import (AdaBoostClassifier, AdaBoostRegressor, BaggingClassifier, BaggingRegressor,
                              VotingClassifier, VotingRegressor, StackingClassifier, StackingRegressor,
                              IsolationForest, RandomForestClassifier, RandomForestRegressor)
from sklearn.ensemble._iforest import _average_path_length
from sklearn.linear_model import LogisticRegression, LinearRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skcommon import (Builder, float_input, tinfo, classifier_tail, labels_attr, split, edge_rows, describe_edges,
                      run_case, make_clf, make_reg)
import skparts
from gen_sk_trees import rounding_rows

ML = "ai.onnx.ml"


def label_tail(b, scores, classes, label="label", cast_float=False):
    """label_tail: ArgMax -> ArrayFeatureExtractor(classes) -> Reshape(-1)
    (-> Cast int64); cast_float adds _finalize_converter_classes's Cast to
    float before the Reshape."""
    kind, _ = labels_attr(classes)
    am = b.node("ArgMax", scores, b.var("argmax_output"), axis=1)
    return class_lookup(b, am, classes, label, cast_float)


def class_lookup(b, am, classes, label, cast_float=False, pre_cast=False):
    kind, _ = labels_attr(classes)
    cls = b.init("classes", classes.astype(np.int32) if kind == "ints" else classes.astype(str))
    afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"), domain=ML, version=1)
    sh = b.init("shape_tensor", np.array([-1], dtype=np.int64))
    if kind != "ints":
        return b.node("Reshape", [afe, sh], label, version=5)
    if pre_cast:  # bagging: Cast(int64) -> Reshape -> Cast(int64)
        c = b.node("Cast", afe, b.var("cast_result"), to=TensorProto.INT64, version=9)
        r = b.node("Reshape", [c, sh], b.var("reshaped_result"), version=5)
        return b.node("Cast", r, label, to=TensorProto.INT64, version=9)
    if cast_float:
        afe = b.node("Cast", afe, b.var("cast2_result"), to=TensorProto.FLOAT, version=9)
    r = b.node("Reshape", [afe, sh], b.var("reshaped_result"), version=5)
    return b.node("Cast", r, label, to=TensorProto.INT64, version=9)


def clf_outputs(b, classes, zipmap):
    if zipmap:
        return classifier_tail(b, "label", "probabilities", classes)
    kind, _ = labels_attr(classes)
    lt = TensorProto.STRING if kind == "strings" else TensorProto.INT64
    return [tinfo("label", lt, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, len(classes)])]


def request(Xtr, Xte, n_rows, extra=None):
    edges, ew = edge_rows(Xtr)
    parts = [Xte[:n_rows], edges]
    if extra is not None:
        parts.append(extra[0])
        ew = ew + extra[1]
    return np.vstack(parts).astype(np.float32), ew, min(n_rows, len(Xte))


def finish_clf(name, b, model, Xreq, n_te, ew, what, target, zipmap=True, proba=None, extra=None):
    outs = clf_outputs(b, model.classes_, zipmap)
    skparts.finalize(b, outs)
    m = b.model([float_input(Xreq.shape[1])], outs, name)
    Z = Xreq.astype(np.float64)
    if proba is None:
        proba = model.predict_proba(Z)
    sk = {"label": model.predict(Z), "probabilities": proba}
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    lab, sc = ("output_label", "output_probability") if zipmap else ("label", "probabilities")
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lab, score_out=sc, score_key="probabilities",
                    tie_scores=proba, extra=extra)


def finish_reg(name, b, model, Xreq, n_te, ew, what, target, out="variable", tol_rel=1e-6, reason=None, extra=None,
               ml=None):
    outs = [tinfo(out, TensorProto.FLOAT, [None, 1])]
    skparts.finalize(b, outs)
    m = b.model([float_input(Xreq.shape[1])], outs, name)
    pred = model.predict(Xreq.astype(np.float64)).reshape(-1, 1)
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out=out, score_key="prediction",
                    tol_rel=tol_rel, tol_reason=reason, extra=extra)


# ---------------------------------------------------------------- AdaBoost
def adaboost_clf_graph(b, model):
    classes = model.classes_
    K = len(classes)
    probs = []
    classes_ind = zero = one = None
    splits = []
    for i, est in enumerate(model.estimators_):
        lab, pr = b.var(f"elab_name_{i}"), b.var(f"eprob_name_{i}")
        ta = skparts.tree_classifier(b, "X", est, lab, pr)
        splits += ta.splits
        if model.algorithm == "SAMME.R":
            inv = b.init("inverted_n_classes", np.float32(1.0 / K))
            km1 = b.init("n_classes_minus_one", np.float32(K - 1))
            cmin = b.init("clip_min", np.float32(np.finfo(np.float64).eps))
            cl = b.node("Clip", [pr, cmin], b.var("clipped_proba"), version=12 if b.target >= 12 else 11,
                        name="ClipAda")
            lg = b.node("Log", cl, b.var("log_proba"))
            ax = b.init("axis", np.array([1], dtype=np.int64))
            rs = b.node("ReduceSum", [lg, ax], b.var("reduced_proba"))
            sh = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
            rr = b.node("Reshape", [rs, sh], b.var("reshaped_result"), version=5)
            pm = b.node("Mul", [rr, inv], b.var("prod_result"), version=7)
            sb = b.node("Sub", [lg, pm], b.var("sub_result"), version=7)
            probs.append(b.node("Mul", [sb, km1], b.var("samme_proba"), version=7))
        else:
            if classes_ind is None:
                classes_ind = b.init("classes_ind3", np.arange(K, dtype=np.int64).reshape(1, K))
            if zero is None:
                shp = b.node("Shape", pr, b.var("shape"))
                zero = b.node("ConstantOfShape", shp, b.var("zero"), name="CoSA",
                              value=helper.make_tensor("value", TensorProto.FLOAT, [1], [0.0]))
                one = b.node("ConstantOfShape", shp, b.var("one"), name="CoSB",
                             value=helper.make_tensor("value", TensorProto.FLOAT, [1], [1.0]))
            w = b.init("weight", np.float32(model.estimator_weights_[i]))
            am = b.node("ArgMax", pr, b.var("argmax_output"), axis=1)
            eq = b.node("Equal", [am, classes_ind], b.var("equal"))
            mx = b.node("Where", [eq, one, zero], b.var("probsmax"))
            probs.append(b.node("Mul", [mx, w], b.var("samme_proba"), version=7))
    ews = b.init("est_weights_sum", np.float32(model.estimator_weights_.sum()))
    mop = b.init("mul_operand", np.float32(1.0 / (K - 1)))
    zs = b.init("zero_scalar", np.int32(0))
    s = b.node("Sum", probs, b.var("summation_prob"))
    d = b.node("Div", [s, ews], b.var("div_result"), version=7)
    eo = b.node("Mul", [d, mop], b.var("exp_operand"), version=7)
    ex = b.node("Exp", eo, b.var("exp_result"), version=6)
    ax = b.init("axis", np.array([1], dtype=np.int64))
    rs = b.node("ReduceSum", [ex, ax], b.var("reduced_exp_result"))
    sh = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
    nm = b.node("Reshape", [rs, sh], b.var("normaliser"), version=5)
    ci = b.node("Cast", nm, b.var("cast_normaliser"), to=TensorProto.INT32, version=9)
    eq = b.node("Equal", [ci, zs], b.var("comparison_result"))
    co = b.node("Cast", eq, b.var("cast_output"), to=TensorProto.FLOAT, version=9)
    zf = b.node("Add", [nm, co], b.var("zero_filtered_normaliser"), version=7)
    b.node("Div", [ex, zf], "probabilities", version=7)
    am = b.node("ArgMax", "probabilities", b.var("argmax_output"), axis=1)
    class_lookup(b, am, classes, "label")
    return splits


def adaboost_clf_case(name, model, X, y, seed, what, target=15, n_rows=50, str_labels=None, zipmap=True):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    model.fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    splits = adaboost_clf_graph(b, model)
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_clf(name, b, model, Xreq, n_te, ew, what, target, zipmap=zipmap,
                      extra={"float32_threshold_rounding_rows": rounding_rows(splits, Xreq)})


def adaboost_reg_case(name, model, X, y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    model.fit(Xtr, ytr)
    E = len(model.estimators_)
    b = Builder(target)
    b.reserve("variable")
    neg = b.init("negate", np.float32(-1))
    ew_ = b.init("estimators_weights", model.estimator_weights_.astype(np.float32))
    half = b.init("half_scalar", np.float32(0.5))
    last = b.init("last_index", np.int64(E - 1))
    labels = []
    splits = []
    for i, est in enumerate(model.estimators_):
        out = b.var(f"est_label_{i}")
        splits += skparts.tree_regressor(b, "X", est, out).splits
        labels.append(out)
    conc = b.node("Concat", labels, b.var("concatenated_labels"), axis=1, version=11)
    nl = b.node("Mul", [conc, neg], b.var("negated_labels"), version=7)
    k = b.init("k_value", np.array([E], dtype=np.int64))
    _, si = b.node("TopK", [nl, k], [b.var("sorted_values"), b.var("sorted_indices")], version=11)
    afe = b.node("ArrayFeatureExtractor", [ew_, si], b.var("array_feat_extractor_output"), domain=ML, version=1)
    sh = b.init("shape_tensor", np.array([-1, E], dtype=np.int64))
    rw = b.node("Reshape", [afe, sh], b.var("reshaped_weights"), version=5)
    axn = b.init("axis_name", np.int32(1))
    cdf = b.node("CumSum", [rw, axn], b.var("weights_cdf"), version=11)
    mv = b.node("ArrayFeatureExtractor", [cdf, last], b.var("median_value"), domain=ML, version=1)
    cv = b.node("Mul", [mv, half], b.var("comp_value"), version=7)
    le = b.node("Less", [cdf, cv], b.var("median_or_above"))
    cr = b.node("Cast", le, b.var("cast_result"), to=TensorProto.FLOAT, version=9)
    mi = b.node("ArgMin", cr, b.var("median_idx"), axis=1)
    me = b.node("GatherElements", [si, mi], b.var("median_estimators"), axis=1, version=11, name="GatElsA")
    b.node("GatherElements", [conc, me], "variable", axis=1, version=11, name="GatElsB")
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_reg(name, b, model, Xreq, n_te, ew, what, target,
                      extra={"float32_threshold_rounding_rows": rounding_rows(splits, Xreq)})


# ---------------------------------------------------------------- Bagging
def bagging_inputs(b, model, i):
    feats = model.estimators_features_[i]
    n = model.n_features_in_
    if len(feats) == n and list(feats) == list(range(n)):
        return "X"
    idx = b.init(f"index_name_{i}", np.asarray(feats, dtype=np.int64))
    return b.node("Gather", ["X", idx], b.var(f"fsel_{i}"), axis=1, name="GatherBG")


def bagging_clf_case(name, model, X, y, seed, what, target=15, n_rows=50, str_labels=None, zipmap=True):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    model.fit(Xtr, ytr)
    K = len(model.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    parts = []
    splits = []
    for i, est in enumerate(model.estimators_):
        assert len(est.classes_) == K
        inp = bagging_inputs(b, model, i)
        lab, pr = b.var(f"label_{i}"), b.var(f"proba_{i}")
        skparts.tree_classifier(b, inp, est, lab, pr, classes=np.arange(K))
        sh = b.init("shape_tensor", np.array([1, -1, K], dtype=np.int64))
        parts.append(b.node("Reshape", [pr, sh], b.var("reshaped_proba"), version=5))
    mp = b.node("Concat", parts, b.var("merged_proba"), axis=0, version=11)
    if target >= 18:
        ax = b.init("axis", np.array([0], dtype=np.int64))
        b.node("ReduceMean", [mp, ax], "probabilities", keepdims=0)
    else:
        b.node("ReduceMean", mp, "probabilities", axes=[0], keepdims=0)
    am = b.node("ArgMax", "probabilities", b.var("argmax_output"), axis=1)
    class_lookup(b, am, model.classes_, "label", pre_cast=True)
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_clf(name, b, model, Xreq, n_te, ew, what, target, zipmap=zipmap)


def bagging_reg_case(name, model, X, y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    model.fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("variable")
    parts = []
    for i, est in enumerate(model.estimators_):
        inp = bagging_inputs(b, model, i)
        out = b.var(f"variable_{i}")
        skparts.regressor(b, inp, est, out)
        sh = b.init("shape_tensor", np.array([1, -1, 1], dtype=np.int64))
        parts.append(b.node("Reshape", [out, sh], b.var("reshaped_proba"), version=5))
    mp = b.node("Concat", parts, b.var("merged_proba"), axis=0, version=11)
    if target >= 18:
        ax = b.init("axis", np.array([0], dtype=np.int64))
        b.node("ReduceMean", [mp, ax], "variable", keepdims=0)
    else:
        b.node("ReduceMean", mp, "variable", axes=[0], keepdims=0)
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_reg(name, b, model, Xreq, n_te, ew, what, target)


# ---------------------------------------------------------------- Voting
def voting_clf_case(name, model, X, y, seed, what, target=15, n_rows=50, str_labels=None, zipmap=True):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    model.fit(Xtr, ytr)
    K = len(model.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    ci = b.init("classes_ind", np.arange(K, dtype=np.int64).reshape(1, K))
    probs = []
    one = zero = None
    wts = np.asarray(model.weights, dtype=np.float64) if model.weights is not None else None
    for i, est in enumerate(model.estimators_):
        lab, pr = b.var(f"label_{i}"), b.var(f"voting_proba_{i}")
        skparts.classifier(b, "X", est, lab, pr)
        if model.voting == "hard":
            if one is None:
                shp = b.node("Shape", pr, b.var("shape"))
                zero = b.node("ConstantOfShape", shp, b.var("zero"), name="CoSA", version=9,
                              value=helper.make_tensor("value", TensorProto.FLOAT, [1], [0.0]))
                one = b.node("ConstantOfShape", shp, b.var("one"), name="CoSB", version=9,
                             value=helper.make_tensor("value", TensorProto.FLOAT, [1], [1.0]))
            am = b.node("ArgMax", pr, b.var("argmax_output"), axis=1)
            eq = b.node("Equal", [am, ci], b.var("equal"))
            pr = b.node("Where", [eq, one, zero], b.var("probsmax"))
        val = wts[i] / wts.sum() if wts is not None else 1.0 / len(model.estimators_)
        w = b.init(f"w{i}", np.array([val], dtype=np.float32))
        probs.append(b.node("Mul", [pr, w], b.var("wprob_name"), version=7))
    b.node("Sum", probs, "probabilities")
    am = b.node("ArgMax", "probabilities", b.var("label_name"), axis=1)
    class_lookup(b, am, model.classes_, "label", cast_float=True)
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    Z = Xreq.astype(np.float64)
    if model.voting == "hard":
        w = wts if wts is not None else np.ones(len(model.estimators_))
        votes = np.zeros((len(Z), K))
        for wi, est in zip(w, model.estimators_):
            votes[np.arange(len(Z)), est.predict(Z).astype(int)] += wi / w.sum()
        proba = votes
    else:
        proba = model.predict_proba(Z)
    return finish_clf(name, b, model, Xreq, n_te, ew, what, target, zipmap=zipmap, proba=proba)


def voting_reg_case(name, model, X, y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    model.fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("variable")
    wts = np.asarray(model.weights, dtype=np.float64) if model.weights is not None else None
    flats = []
    for i, est in enumerate(model.estimators_):
        out = b.var(f"var_{i}")
        skparts.regressor(b, "X", est, out)
        val = wts[i] / wts.sum() if wts is not None else 1.0 / len(model.estimators_)
        w = b.init(f"w{i}", np.array([val], dtype=np.float32))
        m = b.node("Mul", [out, w], b.var(f"wvar_{i}"), version=7)
        flats.append(b.node("Flatten", m, b.var(f"fvar_{i}")))
    b.node("Sum", flats, "variable")
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_reg(name, b, model, Xreq, n_te, ew, what, target)


# ---------------------------------------------------------------- Stacking
def stacking_clf_case(name, model, X, y, seed, what, target=15, n_rows=50, str_labels=None, zipmap=True):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    model.fit(Xtr, ytr)
    K = len(model.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    kind, _ = labels_attr(model.classes_)
    sc = b.init("stack_classes", model.classes_.astype(np.int32) if kind == "ints" else model.classes_.astype(str))
    preds = []
    for est, meth in zip(model.estimators_, model.stack_method_):
        assert meth == "predict_proba"
        lab, pr = b.var("sv_label"), b.var("sv_prob_tensor")
        skparts.classifier(b, "X", est, lab, pr)
        preds.append(b.node("Cast", pr, b.var(pr + "_castio"), to=TensorProto.FLOAT, version=9))
    if K == 2:
        col = b.init("stack_tr_column_index", np.int64(1))
        preds = [b.node("ArrayFeatureExtractor", [p, col], b.var(f"stack_tr_prob{i}"), domain=ML, version=1,
                        name="SV_AFE") for i, p in enumerate(preds)]
    if model.passthrough:
        preds.append("X")
    mt = b.node("Concat", preds, b.var("stack_tra_merged_prob_tensor"), axis=1, version=11)
    mp = b.node("Identity", mt, b.var("stack_merge_proba"))
    lab, pr = b.var("sv_label"), b.var("sv_prob_tensor")
    skparts.classifier(b, mp, model.final_estimator_, lab, pr)
    prob = b.node("Cast", pr, b.var(pr + "_castio"), to=TensorProto.FLOAT, version=9)
    b.node("Identity", prob, "probabilities", name="Identity_OpProb")
    am = b.node("ArgMax", prob, b.var("stack_argmax_output"), axis=1, name="AFE_ArgMax")
    afe = b.node("ArrayFeatureExtractor", [sc, am], b.var("stack_result"), domain=ML, version=1, name="SC_AFE_Stack")
    sh = b.init("shape_tensor", np.array([-1], dtype=np.int64))
    if kind == "ints":
        r = b.node("Reshape", [afe, sh], b.var("stack_reshaped_result"), version=5)
        b.node("Cast", r, "label", to=TensorProto.INT64, version=9)
    else:
        b.node("Reshape", [afe, sh], "label", version=5)
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_clf(name, b, model, Xreq, n_te, ew, what, target, zipmap=zipmap)


def stacking_reg_case(name, model, X, y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    model.fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("variable")
    preds = []
    for est in model.estimators_:
        out = b.var("sv_variable")
        skparts.regressor(b, "X", est, out)
        preds.append(b.node("Cast", out, b.var(out + "_castio"), to=TensorProto.FLOAT, version=9))
    if model.passthrough:
        preds.append("X")
    mt = b.node("Concat", preds, b.var("stack_tr_reg_merged_probability_tensor"), axis=1, version=11)
    mp = b.node("Identity", mt, b.var("merged_stacked_proba"))
    out = b.var("sv_variable")
    skparts.regressor(b, mp, model.final_estimator_, out)
    c = b.node("Cast", out, b.var(out + "_castio"), to=TensorProto.FLOAT, version=9)
    b.node("Identity", c, "variable")
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    return finish_reg(name, b, model, Xreq, n_te, ew, what, target)


# ---------------------------------------------------------------- IsolationForest
def _paths(tree):
    """leaf -> (number of nodes on its path, n_node_samples of the leaf)."""
    out = {}
    stack = [(0, 1)]
    while stack:
        i, d = stack.pop()
        if tree.children_left[i] == -1:
            out[i] = (d, tree.n_node_samples[i])
        else:
            stack.append((tree.children_left[i], d + 1))
            stack.append((tree.children_right[i], d + 1))
    return dict(sorted(out.items()))


def isolation_forest_case(name, model, X, seed, what, target=15, ml_target=3, n_rows=50):
    rng = np.random.RandomState(seed)
    idx = rng.permutation(len(X))
    Xtr, Xte = X[idx[: int(len(X) * 0.6)]], X[idx[int(len(X) * 0.6):]]
    model.fit(Xtr)
    b = Builder(target, ml_target=ml_target)
    b.reserve("label", "scores")
    F32 = np.float32
    scores = []
    splits = []
    for i, (tree, feats) in enumerate(zip(model.estimators_, model.estimators_features_)):
        fi = b.init("Ga_Gathercst", np.asarray(feats, dtype=np.int64))
        g = b.node("Gather", ["X", fi], b.var("Ga_output0"), axis=1, version="target", name="Ga_Gather")
        ta = skparts.TreeAttrs(False)
        ta.add_tree(tree.tree_, 0, 1.0, 0, False)
        splits += [(t, int(feats[f])) for t, f in ta.splits]
        attrs = ta.attrs()
        attrs["target_weights"] = [float(v) for v in attrs["target_nodeids"]]
        leave = b.node("TreeEnsembleRegressor", g, b.var("TrTreeEnsembleRegressor_1_output0"), domain=ML, version=1,
                       n_targets=1, post_transform="NONE", name="TrTreeEnsembleRegressor_1", **attrs)
        paths = _paths(tree.tree_)
        keys = [int(k) for k in paths]
        per = {}
        for what_, pos in (("node_sample", 1), ("path_length", 0)):
            c = b.node("Cast", leave, b.var(f"{what_}{i}_Ca_output0"), to=TensorProto.INT64, version="target",
                       name=f"{what_}{i}_Ca_Cast")
            le = b.node("LabelEncoder", c, b.var(f"{what_}{i}_La_Y0"), domain=ML, version="target",
                        keys_int64s=keys, values_floats=[float(v[pos]) for v in paths.values()],
                        name=f"{what_}{i}_La_LabelEncoder")
            sh = b.init(f"{what_}{i}_Re_Reshapecst", np.array([-1, 1], dtype=np.int64))
            per[what_] = b.node("Reshape", [le, sh], b.var(f"{what_}{i}_Re_reshaped0"), version="target",
                                name=f"{what_}{i}_Re_Reshape")
        ns, pl = per["node_sample"], per["path_length"]
        two = b.init(f"eq2_{i}_Eq_Equalcst", np.array([2], dtype=F32))
        eq2 = b.node("Cast", b.node("Equal", [ns, two], b.var(f"eq2_{i}_Eq_C0"), version="target"),
                     b.var(f"eq2_{i}_Ca_output0"), to=TensorProto.FLOAT, version="target")
        gt2 = b.node("Cast", b.node("Greater", [ns, two], b.var(f"plus2_{i}_Gr_C0"), version="target"),
                     b.var(f"plus2_{i}_Ca_output0"), to=TensorProto.FLOAT, version="target")
        eqp2ps = b.node("Mul", [gt2, ns], b.var(f"eqp2ps{i}_C0"), version="target")
        m1 = b.init("Ad_Addcst", np.array([-1], dtype=F32))
        eqp2ps_1 = b.node("Add", [eqp2ps, m1], b.var("Ad_C0"), version="target")
        one = b.init("Ma_Maxcst", np.array([1], dtype=F32))
        eqp2p_m1 = b.node("Max", [eqp2ps_1, one], b.var(f"eqp2p_m1_{i}_max0"), version="target")
        lg = b.node("Log", eqp2p_m1, b.var("Lo_output0"), version="target")
        eg = b.init("Ad_Addcst", np.array([np.euler_gamma], dtype=F32))
        lge = b.node("Add", [lg, eg], b.var("Ad_C0"), version="target")
        two_ = b.init("Mu_Mulcst", np.array([2], dtype=F32))
        eqp_log = b.node("Mul", [lge, two_], b.var(f"eqp_log{i}_C0"), version="target")
        zero = b.init("Ma_Maxcst", np.array([0], dtype=F32))
        eqp2p_m0 = b.node("Max", [eqp2ps_1, zero], b.var(f"eqp2p_m1_{i}_max0"), version="target")
        den = b.node("Max", [eqp2ps, one], b.var("Ma_max0"), version="target")
        dv = b.node("Div", [eqp2p_m0, den], b.var("Di_C0"), version="target")
        mtwo = b.init("Mu_Mulcst", np.array([-2], dtype=F32))
        eqp_ns = b.node("Mul", [dv, mtwo], b.var(f"eqp_ns{i}_C0"), version="target")
        s = b.node("Add", [eqp_log, eqp_ns], b.var("Ad_C0"), version="target")
        avlog = b.node("Mul", [s, gt2], b.var(f"avlog{i}_C0"), version="target")
        avpl = b.node("Add", [eq2, avlog], b.var(f"avpl{i}_C0"), version="target")
        d = b.node("Add", [pl, avpl], b.var("Ad_C0"), version="target")
        scores.append(b.node("Add", [d, m1], b.var(f"depth{i}_C0"), version="target"))
    cst = len(model.estimators_) * _average_path_length([model.max_samples_])
    sm = b.node("Sum", scores, b.var("Su_sum0"), version="target")
    depths = b.node("Div", [sm, b.init("Di_Divcst", np.array(cst, dtype=F32).reshape(1))], b.var("Di_C0"),
                    version="target")
    nd = b.node("Neg", depths, b.var("Ne_Y0"), version="target")
    pw = b.node("Pow", [b.init("Po_Powcst", np.array([2], dtype=F32)), nd], b.var("Po_Z0"), version="target")
    ss = b.node("Neg", pw, b.var("Ne_Y0"), version="target")
    b.node("Add", [ss, b.init("dec_Addcst", np.array([-model.offset_], dtype=F32))], "scores", version="target")
    less = b.node("Less", ["scores", b.init("Le_Lesscst", np.array([0], dtype=F32))], b.var("Le_C0"),
                  version="target")
    cl = b.node("Cast", less, b.var("Ca_output0"), to=TensorProto.INT64, version="target")
    mu = b.node("Mul", [cl, b.init("predict_Mulcst", np.array([-2], dtype=np.int64))], b.var("predict_C0"),
                version="target")
    b.node("Add", [mu, b.init("predict_Addcst", np.array([1], dtype=np.int64))], "label", version="target")
    outs = [tinfo("label", TensorProto.INT64, [None, 1]), tinfo("scores", TensorProto.FLOAT, [None, 1])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    Xreq, ew, n_te = request(Xtr, Xte, n_rows)
    Z = Xreq.astype(np.float64)
    dec = model.decision_function(Z)
    keep = np.abs(dec) > 1e-5
    Xreq, Z = Xreq[keep], Z[keep]
    n_te = int(keep[:n_te].sum())
    ew = [w for w, k in zip(ew, keep[-len(ew):]) if k]
    sk = {"label": model.predict(Z).reshape(-1, 1), "scores": model.decision_function(Z).reshape(-1, 1)}
    desc = (f"{what}. target_opset {{'': {target}, 'ai.onnx.ml': {ml_target}}}. {describe_edges(n_te, ew)} Rows "
            f"whose decision_function is within 1e-5 of 0 were left out.")
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="label", score_out="scores", score_key="scores",
                    extra={"float32_threshold_rounding_rows": rounding_rows(splits, Xreq)})


def main():
    bc = load_breast_cancer()
    iris = load_iris()
    wine = load_wine()
    diab = load_diabetes()
    wine_std = StandardScaler().fit_transform(wine.data)
    adaboost_clf_case("sk_ens_adaboost_sammer_multi", AdaBoostClassifier(
        DecisionTreeClassifier(max_depth=2), n_estimators=8, random_state=0), wine.data, wine.target, 801,
        "AdaBoostClassifier(DecisionTree(max_depth=2), 8 estimators, algorithm='SAMME.R') 3 classes: per-estimator "
        "Clip/Log/ReduceSum/Sub/Mul, then Sum/Div/Exp/ReduceSum normalisation. Data: wine (seed 801)")
    adaboost_clf_case("sk_ens_adaboost_samme_binary", AdaBoostClassifier(
        n_estimators=12, algorithm="SAMME", random_state=1), bc.data, bc.target, 802,
        "AdaBoostClassifier(stumps, 12 estimators, algorithm='SAMME') binary: ArgMax/Equal/Where(ConstantOfShape) "
        "votes x estimator weight. Data: breast_cancer (seed 802)", target=13)
    adaboost_clf_case("sk_ens_adaboost_samme_multi_str", AdaBoostClassifier(
        DecisionTreeClassifier(max_depth=2), n_estimators=6, algorithm="SAMME", learning_rate=0.7, random_state=2),
        iris.data, iris.target, 803, "AdaBoostClassifier(DecisionTree(max_depth=2), 6 estimators, SAMME, "
        "learning_rate 0.7) 3 classes, string labels (classes initializer of strings, label = Reshape of the "
        "ArrayFeatureExtractor result). Data: iris_str (seed 803)", str_labels=["setosa", "versicolor", "virginica"],
        target=17)
    adaboost_clf_case("sk_ens_adaboost_sammer_binary_nozipmap", AdaBoostClassifier(
        n_estimators=10, random_state=3, learning_rate=0.5), bc.data, bc.target, 804,
        "AdaBoostClassifier(stumps, 10 estimators, SAMME.R, learning_rate 0.5) binary, zipmap=False. "
        "Data: breast_cancer (seed 804)", zipmap=False)
    adaboost_reg_case("sk_ens_adaboost_reg", AdaBoostRegressor(
        DecisionTreeRegressor(max_depth=3), n_estimators=10, random_state=0), diab.data, diab.target, 805,
        "AdaBoostRegressor(DecisionTree(max_depth=3), 10 estimators): weighted median via Mul(-1)/TopK/"
        "ArrayFeatureExtractor/CumSum/Less/ArgMin/GatherElements. Data: diabetes (seed 805)")
    Xr, yr = make_reg(5, 806)
    adaboost_reg_case("sk_ens_adaboost_reg_square_opset17", AdaBoostRegressor(
        DecisionTreeRegressor(max_depth=4), n_estimators=7, loss="square", random_state=1), Xr, yr, 806,
        "AdaBoostRegressor(DecisionTree(max_depth=4), 7 estimators, loss='square'). Data: reg_5 (seed 806)",
        target=17)
    bagging_clf_case("sk_ens_bagging_clf_maxfeat", BaggingClassifier(
        DecisionTreeClassifier(max_depth=4), n_estimators=6, max_features=0.6, random_state=0), wine.data,
        wine.target, 807, "BaggingClassifier(DecisionTree(max_depth=4), 6 estimators, max_features=0.6): Gather(X, "
        "feature subset, axis=1) per estimator, Reshape(1, -1, 3) / Concat(axis 0) / ReduceMean(axes [0]). "
        "Data: wine (seed 807)")
    bagging_clf_case("sk_ens_bagging_clf_binary_opset18", BaggingClassifier(
        DecisionTreeClassifier(max_depth=3), n_estimators=5, max_samples=0.7, random_state=1), bc.data, bc.target,
        808, "BaggingClassifier(DecisionTree(max_depth=3), 5 estimators, max_samples=0.7, all features) binary at "
        "target_opset 18: ReduceMean takes axes as an input. Data: breast_cancer (seed 808)", target=18)
    bagging_clf_case("sk_ens_bagging_clf_str_bootfeat", BaggingClassifier(
        DecisionTreeClassifier(max_depth=3), n_estimators=4, max_features=3, bootstrap_features=True,
        random_state=2), iris.data, iris.target, 809, "BaggingClassifier(DecisionTree(max_depth=3), 4 estimators, "
        "max_features=3, bootstrap_features=True: repeated feature indices in Gather) 3 classes, string labels. "
        "Data: iris_str (seed 809)", str_labels=["setosa", "versicolor", "virginica"], zipmap=False)
    bagging_reg_case("sk_ens_bagging_reg_maxfeat", BaggingRegressor(
        DecisionTreeRegressor(max_depth=5), n_estimators=6, max_features=0.7, random_state=0), diab.data,
        diab.target, 810, "BaggingRegressor(DecisionTree(max_depth=5), 6 estimators, max_features=0.7): Gather, "
        "Reshape(1, -1, 1), Concat(axis 0), ReduceMean(axes [0]). Data: diabetes (seed 810)")
    bagging_reg_case("sk_ens_bagging_reg_linear_opset18", BaggingRegressor(
        LinearRegression(), n_estimators=4, max_samples=0.5, random_state=1), diab.data, diab.target, 811,
        "BaggingRegressor(LinearRegression, 4 estimators, max_samples=0.5) at target_opset 18: LinearRegressor "
        "per estimator, ReduceMean with axes input. Data: diabetes (seed 811)", target=18)
    voting_clf_case("sk_ens_voting_hard_weights", VotingClassifier([
        ("lr", make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
        ("dt", DecisionTreeClassifier(max_depth=3, random_state=0)), ("nb", GaussianNB())],
        voting="hard", weights=[2, 1, 1.5]), wine.data, wine.target, 812,
        "VotingClassifier(hard, weights [2, 1, 1.5]: Pipeline(StandardScaler, LogisticRegression), "
        "DecisionTree(max_depth=3), GaussianNB) 3 classes: ArgMax/Equal/Where(ConstantOfShape 9) per estimator, "
        "Mul(weight), Sum; 'probabilities' are the weighted vote fractions (sklearn column: the same computed "
        "from the estimators' predictions). Data: wine (seed 812)")
    voting_clf_case("sk_ens_voting_hard_str_nozipmap", VotingClassifier([
        ("lr", LogisticRegression(max_iter=1000)), ("dt", DecisionTreeClassifier(max_depth=2, random_state=0)),
        ("rf", RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0))], voting="hard"),
        StandardScaler().fit_transform(iris.data), iris.target, 813,
        "VotingClassifier(hard, equal weights: LogisticRegression, DecisionTree(depth 2), RandomForest(4 trees)) 3 "
        "classes, string labels, zipmap=False (sub-estimators see encoded labels). "
        "Data: iris_str standardised (seed 813)", str_labels=["setosa", "versicolor", "virginica"],
        zipmap=False)
    voting_clf_case("sk_ens_voting_soft_weights_binary", VotingClassifier([
        ("lr", make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=1000))),
        ("rf", RandomForestClassifier(n_estimators=5, max_depth=4, random_state=1)), ("nb", GaussianNB())],
        voting="soft", weights=[1, 3, 0.5]), bc.data, bc.target, 814,
        "VotingClassifier(soft, weights [1, 3, 0.5]: scaled LogisticRegression, RandomForest(5), GaussianNB) "
        "binary. Data: breast_cancer (seed 814)", target=17)
    voting_reg_case("sk_ens_voting_reg", VotingRegressor([
        ("lr", LinearRegression()), ("dt", DecisionTreeRegressor(max_depth=4, random_state=0)),
        ("rf", RandomForestRegressor(n_estimators=5, max_depth=4, random_state=0))], weights=[1, 1, 2]),
        diab.data, diab.target, 815, "VotingRegressor(LinearRegression, DecisionTree(depth 4), RandomForest(5), "
        "weights [1, 1, 2]): Mul(weight) -> Flatten -> Sum. Data: diabetes (seed 815)")
    stacking_clf_case("sk_ens_stacking_clf_multi", StackingClassifier([
        ("lr", LogisticRegression(max_iter=1000)), ("dt", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ("nb", GaussianNB())], cv=3), wine_std, wine.target, 816,
        "StackingClassifier(LogisticRegression, DecisionTree(depth 3), GaussianNB; final LogisticRegression, "
        "cv=3) 3 classes: Cast of each estimator's probabilities, Concat(axis 1), final LinearClassifier + "
        "Normalizer. Data: wine standardised (seed 816)")
    stacking_clf_case("sk_ens_stacking_clf_binary_passthrough", StackingClassifier([
        ("rf", RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0)), ("nb", GaussianNB())],
        final_estimator=LogisticRegression(C=0.3, max_iter=2000), passthrough=True, cv=3),
        StandardScaler().fit_transform(bc.data[:, :10]), bc.target, 817,
        "StackingClassifier(RandomForest(4), GaussianNB; final LogisticRegression(C=0.3), passthrough=True) "
        "binary: ArrayFeatureExtractor(probabilities, 1) per estimator, Concat with X. Data: breast_cancer[:, :10] "
        "standardised (seed 817)", str_labels=["malignant", "benign"])
    stacking_reg_case("sk_ens_stacking_reg", StackingRegressor([
        ("ridge", Ridge(alpha=1.0)), ("dt", DecisionTreeRegressor(max_depth=4, random_state=0))],
        final_estimator=LinearRegression(), cv=3), diab.data, diab.target, 818,
        "StackingRegressor(Ridge, DecisionTree(depth 4); final LinearRegression, cv=3): Cast + Concat(axis 1) + "
        "LinearRegressor. Data: diabetes (seed 818)")
    Xi, _ = make_clf(2, 5, 819)
    isolation_forest_case("sk_ens_isolation_forest", IsolationForest(n_estimators=6, max_samples=64,
                                                                     random_state=0), Xi, 819,
                          "IsolationForest(6 trees, max_samples=64): Gather + TreeEnsembleRegressor (leaf ids) + "
                          "LabelEncoder path lengths and leaf sizes + _average_path_length arithmetic; outputs "
                          "label (+1 / -1) and scores (decision_function). Data: clf2_5 features (seed 819)")
    isolation_forest_case("sk_ens_isolation_forest_contamination_opset17", IsolationForest(
        n_estimators=4, max_samples=40, contamination=0.1, random_state=1), load_diabetes().data, 820,
        "IsolationForest(4 trees, max_samples=40, contamination=0.1: offset_ from the training scores). "
        "Data: diabetes features (seed 820)", target=17)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
