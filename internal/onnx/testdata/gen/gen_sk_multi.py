"""gen_sk_multi writes sk_multi_* cases: multi-output models as skl2onnx
(1.14 and later) converts them (operator_converters/multioutput.py,
random_forest.py + decision_tree.py predict(), multilayer_perceptron.py).

  * MultiOutputRegressor (algebra API): each sub-estimator's graph ->
    Reshape(-1, 1) -> Concat(axis 1).
  * MultiOutputClassifier (algebra API, zipmap forced off on the
    sub-estimators): labels Reshape(-1, 1) -> Concat(axis 1) (int64 [N, n]);
    probabilities Identity -> SequenceConstruct: the output is a sequence of
    tensors. onnxruntime-node cannot return sequences, so the expected file
    checks 'label' and records the sequence's tensors (onnxruntime's values
    of SequenceConstruct's inputs) under "sequence_outputs".
  * RandomForestClassifier with several outputs (random_forest.py, multi
    output branch): per tree a TreeEnsembleClassifier whose classes are the
    node ids (every leaf votes 1 for its own id; thresholds only rounded to
    float32, not adjusted) gives the leaf id; Reshape(1, -1) ->
    ArrayFeatureExtractor(tree values [n_outputs, C, nodes]) -> Transpose(0, 2,
    1) -> / ReduceSum(axes [2]) -> Reshape(1, n_outputs, -1, C); Concat(axis 0)
    -> ReduceMean(axes [0]) = probabilities [n_outputs, N, C]; labels per output
    Transpose(1, 2, 0) -> ArrayFeatureExtractor(k) -> ArgMax(axis 1) ->
    Reshape(1, -1) -> ArrayFeatureExtractor(classes_k) -> Reshape(-1, 1),
    Concat(axis 1). zipmap=False (the probabilities are 3-D).
  * MLPClassifier on a multilabel-indicator target: Sigmoid outputs are the
    probabilities; labels Binarizer(threshold 0.5) -> Cast(int64) [N, L];
    ZipMap over the L columns.
"""
import json
import os

import numpy as np
from onnx import TensorProto, helper
from sklearn.datasets import load_diabetes, load_wine, make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.multioutput import MultiOutputClassifier, MultiOutputRegressor
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

from skcommon import Builder, float_input, tinfo, classifier_tail, split, edge_rows, describe_edges, run_case, OUT
import skparts
from gen_sk_nb_mlp import mlp_forward

ML = "ai.onnx.ml"
T = "target"


def reshape(b, x, shape, out=None, name="Re"):
    s = b.init(name + "_Reshapecst", np.array(shape, dtype=np.int64))
    attrs = {"allowzero": 0} if b.target >= 14 else {}
    return b.node("Reshape", [x, s], out or b.var(name + "_reshaped0"), version=T, name=name + "_Reshape", **attrs)


def multi_regressor_case(name, model, X, Y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, Y, seed)
    model.fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("variable")
    parts = []
    for sub in model.estimators_:
        out = b.var("variable")
        skparts.regressor(b, "X", sub, out)
        parts.append(reshape(b, out, [-1, 1]))
    b.node("Concat", parts, "variable", axis=1, version=T, name="Co_Concat")
    outs = [tinfo("variable", TensorProto.FLOAT, [None, len(model.estimators_)])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    pred = model.predict(Xreq.astype(np.float64))
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


def multi_classifier_case(name, model, X, Y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, Y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    n = len(model.estimators_)
    elem_names = [f"sequence_element_{i}" for i in range(n)]

    def build(sequence):
        # onnxruntime-node cannot return the sequence: the expected outputs come from a copy of the graph that
        # returns the sequence's tensors instead of SequenceConstruct's result
        b = Builder(target)
        b.reserve("label", "probabilities", "variable", *elem_names)
        v = skparts.scaler(b, "X", sc)
        labs, probs = [], []
        for sub in model.estimators_:
            lab, pr = b.var("label"), b.var("probabilities")
            skparts.linear_classifier(b, v, sub, lab, pr)
            labs.append(reshape(b, lab, [-1, 1]))
            probs.append(b.node("Identity", pr, b.var("Id_output0"), version=T, name="Id_Identity"))
        b.node("Concat", labs, "label", axis=1, version=T, name="Co_Concat")
        outs = [tinfo("label", TensorProto.INT64, [None, n])]
        if sequence:
            b.node("SequenceConstruct", probs, "probabilities", version=T, name="Se_SequenceConstruct")
            outs.append(helper.make_tensor_sequence_value_info("probabilities", TensorProto.FLOAT, None))
        else:
            for p, e in zip(probs, elem_names):
                b.node("Identity", p, e, name="Id_" + e)
                outs.append(tinfo(e, TensorProto.FLOAT, [None, None]))
        skparts.finalize(b, outs)
        return b.model([float_input(X.shape[1])], outs, name)

    full, stripped = build(True), build(False)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = model.predict_proba(Z)
    keep = np.ones(len(Z), dtype=bool)
    for p in proba:
        s = np.sort(p, axis=1)
        keep &= (s[:, -1] - s[:, -2]) > 1e-5
    Xreq, Z = Xreq[keep], Z[keep]
    desc = (f"{what}. target_opset {target}. {describe_edges(int(keep[:min(n_rows, len(Xte))].sum()), ew)} "
            f"onnxruntime-node cannot return the 'probabilities' sequence: 'outputs' checks 'label' and "
            f"'sequence_outputs' holds the sequence's tensors, from a copy of the graph that returns "
            f"SequenceConstruct's inputs.")
    exp = run_case(name, stripped, {"X": Xreq}, {"label": model.predict(Z)}, desc, label_out="label")[0]
    exp["sequence_outputs"] = {"probabilities": [o for o in exp["outputs"] if o["name"] in elem_names]}
    exp["outputs"] = [o for o in exp["outputs"] if o["name"] not in elem_names]
    exp["sklearn"]["probabilities"] = [p[keep].tolist() for p in proba]
    sk_max = max(float(np.abs(np.array(o["data"]).reshape(o["shape"]) - p[keep]).max())
                 for o, p in zip(exp["sequence_outputs"]["probabilities"], proba))
    exp["tolerance"]["ort_vs_sklearn_max_abs_sequence"] = sk_max
    exp["opsets"] = {o.domain: o.version for o in full.opset_import}
    exp["ops"] = sorted({(nd.op_type, nd.domain) for nd in full.graph.node})
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(full.SerializeToString())
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f)
    print(f"{name}: sequence probabilities max|ort-sklearn| {sk_max:.3g}")
    return exp


def rf_multilabel_case(name, model, X, Y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, Y, seed)
    model.fit(Xtr, ytr)
    n_out = model.n_outputs_
    C = max(len(c) for c in model.classes_)
    b = Builder(target)
    b.reserve("label", "probabilities")
    parts = []
    for est in model.estimators_:
        tr = est.tree_
        value = tr.value.transpose(1, 2, 0)
        vals = b.init("values", value.astype(np.float32))
        a = {k: [] for k in ["nodes_nodeids", "nodes_treeids", "nodes_featureids", "nodes_modes", "nodes_truenodeids",
                             "nodes_falsenodeids", "nodes_missing_value_tracks_true", "nodes_hitrates",
                             "nodes_values", "class_ids", "class_weights", "class_treeids", "class_nodeids"]}
        for i in range(tr.node_count):
            if tr.children_left[i] > i and tr.children_right[i] > i:
                feat, th, le, ri, mode = tr.feature[i], tr.threshold[i], tr.children_left[i], tr.children_right[i], \
                    "BRANCH_LEQ"
            else:
                feat, th, le, ri, mode = 0, 0.0, 0, 0, "LEAF"
            a["nodes_nodeids"].append(i); a["nodes_treeids"].append(0); a["nodes_featureids"].append(int(feat))
            a["nodes_modes"].append(mode); a["nodes_truenodeids"].append(int(le))
            a["nodes_falsenodeids"].append(int(ri)); a["nodes_missing_value_tracks_true"].append(0)
            a["nodes_hitrates"].append(1.0); a["nodes_values"].append(float(np.float32(th)))
            if mode == "LEAF":
                a["class_ids"].append(i); a["class_weights"].append(1.0); a["class_treeids"].append(0)
                a["class_nodeids"].append(i)
        idx, _ = b.node("TreeEnsembleClassifier", "X", [b.var("indices"), b.var("dummy_proba")], domain=ML, version=1,
                        post_transform="NONE", classlabels_int64s=list(range(tr.node_count)), **a)
        ri_ = b.node("Reshape", [idx, b.init("shape_tensor", np.array([1, -1], dtype=np.int64))],
                     b.var("reshaped_indices"), version=5)
        ov = b.node("ArrayFeatureExtractor", [vals, ri_], b.var("out_indices"), domain=ML, version=1)
        po = b.node("Transpose", ov, b.var("proba_output"), perm=[0, 2, 1])
        sm = b.node("ReduceSum", [po, b.init("ReduceSum_reducesum", np.array([2], dtype=np.int64))],
                    b.var("sum_proba"), keepdims=1, version=13)
        pr = b.node("Div", [po, sm], b.var("proba_result"), version=7)
        parts.append(b.node("Reshape", [pr, b.init("shape_tensor", np.array([1, n_out, -1, C], dtype=np.int64))],
                            b.var("reshaped_est_proba"), version=5))
    cp = b.node("Concat", parts, b.var("concatenated_proba"), axis=0, version=11)
    if target >= 18:
        b.node("ReduceMean", [cp, b.init("axis", np.array([0], dtype=np.int64))], "probabilities", keepdims=0)
    else:
        b.node("ReduceMean", cp, "probabilities", axes=[0], keepdims=0)
    tp = b.node("Transpose", "probabilities", b.var("transposed_result"), perm=[1, 2, 0])
    preds = []
    for k in range(n_out):
        kk = b.init("k_column", np.int64(k))
        cl = b.init("classes", model.classes_[k].astype(np.int64))
        ok = b.node("ArrayFeatureExtractor", [tp, kk], b.var("out_k_column"), domain=ML, version=1)
        am = b.node("ArgMax", ok, b.var("argmax_output"), axis=1)
        rr = b.node("Reshape", [am, b.init("shape_tensor", np.array([1, -1], dtype=np.int64))],
                    b.var("reshaped_result"), version=5)
        pd_ = b.node("ArrayFeatureExtractor", [cl, rr], b.var("preds"), domain=ML, version=1)
        preds.append(b.node("Reshape", [pd_, b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))],
                            b.var("reshaped_preds"), version=5))
    b.node("Concat", preds, "label", axis=1, version=11)
    outs = [tinfo("label", TensorProto.INT64, [None, n_out]), tinfo("probabilities", TensorProto.FLOAT, [n_out, None, C])]
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = Xreq.astype(np.float64)
    proba = np.stack(model.predict_proba(Z))
    ties = np.zeros(len(Z), dtype=bool)
    for p in proba:
        s = np.sort(p, axis=1)
        ties |= (s[:, -1] - s[:, -2]) <= 1e-5
    Xreq, Z, proba = Xreq[~ties], Z[~ties], proba[:, ~ties]
    desc = (f"{what}. target_opset {target}. {describe_edges(int((~ties)[:min(n_rows, len(Xte))].sum()), ew)} "
            f"Rows where an output's two class probabilities tie were left out.")
    exp = run_case(name, m, {"X": Xreq}, {"label": model.predict(Z)}, desc, label_out="label")[0]
    o = {x["name"]: x for x in exp["outputs"]}["probabilities"]
    got = np.array(o["data"]).reshape(o["shape"])
    exp["sklearn"]["probabilities"] = proba.tolist()
    exp["tolerance"]["ort_vs_sklearn_max_abs"] = float(np.abs(got - proba).max())
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f)
    print(f"{name}: probabilities [n_outputs, N, C] max|ort-sklearn| {np.abs(got - proba).max():.3g}")
    return exp


def mlp_multilabel_case(name, mlp, X, Y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, Y, seed)
    sc = StandardScaler().fit(Xtr)
    mlp.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    yp = mlp_forward(b, v, mlp)
    b.node("Identity", yp, "probabilities")
    bo = b.node("Binarizer", yp, b.var("binariser_output"), domain=ML, version=1, threshold=0.5)
    b.node("Cast", bo, "label", to=TensorProto.INT64, version=9)
    outs = classifier_tail(b, "label", "probabilities", mlp.classes_)
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = mlp.predict_proba(Z)
    keep = (np.abs(proba - 0.5) > 1e-5).all(axis=1)
    Xreq, Z = Xreq[keep], Z[keep]
    desc = (f"{what}. target_opset {target}. {describe_edges(int(keep[:min(n_rows, len(Xte))].sum()), ew)} "
            f"Rows with a probability within 1e-5 of 0.5 were left out.")
    return run_case(name, m, {"X": Xreq}, {"label": mlp.predict(Z), "probabilities": mlp.predict_proba(Z)}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities")


def main():
    diab = load_diabetes()
    wine = load_wine()
    rng = np.random.RandomState(1101)
    Y2 = np.stack([diab.target, diab.target * 0.3 + rng.normal(scale=10, size=len(diab.target))
                   + 50 * diab.data[:, 2]], axis=1)
    multi_regressor_case("sk_multi_output_regressor_tree", MultiOutputRegressor(
        DecisionTreeRegressor(max_depth=4, random_state=0)), diab.data, Y2, 1101,
        "MultiOutputRegressor(DecisionTreeRegressor(max_depth=4)) with 2 targets: one TreeEnsembleRegressor per "
        "target, Reshape(-1, 1), Concat(axis 1). Data: diabetes with a second synthetic target (seed 1101)")
    Y3 = np.stack([diab.target, diab.data[:, 0] * 100 - diab.data[:, 3] * 50, diab.target ** 0.5], axis=1)
    multi_regressor_case("sk_multi_output_regressor_ridge_opset18", MultiOutputRegressor(Ridge(alpha=0.5)),
                         diab.data, Y3, 1102, "MultiOutputRegressor(Ridge(alpha=0.5)) with 3 targets at target_opset "
                         "18: LinearRegressor per target, Reshape(-1, 1) (allowzero 0), Concat. Data: diabetes with "
                         "synthetic targets (seed 1102)", target=18)
    yw = np.stack([wine.target, (wine.data[:, 0] > 13).astype(int)], axis=1)
    multi_classifier_case("sk_multi_output_classifier_seq", MultiOutputClassifier(LogisticRegression(max_iter=1000)),
                          wine.data, yw, 1103,
                          "MultiOutputClassifier(LogisticRegression) with a 3-class and a binary output: "
                          "LinearClassifier + Normalizer per output, labels Reshape(-1, 1) + Concat (int64 [N, 2]), "
                          "probabilities SequenceConstruct of the per-output tensors. Data: wine with a second "
                          "binary target alcohol > 13 (seed 1103)")
    Xm, Ym = make_multilabel_classification(n_samples=300, n_features=6, n_classes=2, n_labels=1,
                                            random_state=1104)
    rf_multilabel_case("sk_multi_rf_multilabel_nozipmap", RandomForestClassifier(n_estimators=3, max_depth=4,
                                                                                 random_state=0),
                       Xm.astype(np.float64), Ym, 1104,
                       "RandomForestClassifier(3 trees, max_depth=4) on a 2-column multilabel target (2 outputs x 2 "
                       "classes), zipmap=False: leaf-id TreeEnsembleClassifier per tree, ArrayFeatureExtractor of "
                       "the tree values, Transpose, ReduceSum/Div, Reshape, Concat, ReduceMean -> probabilities "
                       "[2, N, 2]; labels [N, 2]. Data: make_multilabel_classification 6 features (seed 1104)")
    Xl, Yl = make_multilabel_classification(n_samples=400, n_features=8, n_classes=3, n_labels=2,
                                            random_state=1105)
    mlp_multilabel_case("sk_multi_mlp_multilabel", MLPClassifier(hidden_layer_sizes=(12,), max_iter=800,
                                                                 random_state=0),
                        Xl.astype(np.float64), Yl, 1105,
                        "Pipeline(StandardScaler, MLPClassifier((12,), relu)) on a 3-label indicator target: Sigmoid "
                        "probabilities, labels Binarizer(0.5) + Cast(int64) [N, 3], ZipMap over the 3 labels. "
                        "Data: make_multilabel_classification 8 features (seed 1105)")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
