"""gen_sk_newer writes sk_new_* cases: the forms newer converter releases
and options produce, beyond what skl2onnx 1.14 writes by default.

  * target_opset 21 (ir_version 10): Identity / Cast / Reshape resolve to
    their opset 19-21 schemas (same semantics); SVC OvR tail, GaussianNB and
    a double-input linear regression at opset 21.
  * ai.onnx.ml 3 tree attributes for double input: nodes_values_as_tensor /
    target_weights_as_tensor / class_weights_as_tensor / base_values_as_tensor
    (double TENSOR attributes; skl2onnx's random_forest.py keeps double
    attributes when op_version >= 3). Double thresholds are adjusted like
    sklearn_threshold's float64 branch: w = the largest double that rounds to
    the largest float32 <= t, so x <= w <=> (float)x <= t.
  * TreeEnsemble (ai.onnx.ml 5): the same forests rewritten in the v5
    encoding (interior nodes only, leaf_* arrays, uint8 nodes_modes tensor,
    nodes_splits tensor of the input type, tree_roots, aggregate_function /
    post_transform as ints), no base values.
  * LabelEncoder (ai.onnx.ml 4): keys_tensor / values_tensor / default_tensor
    (float keys including NaN, which matches NaN in v4).
  * XGBoost-style (onnxmltools) and LightGBM-style trees built from
    hand-written boosters: BRANCH_LT (XGBoost, x < t) or BRANCH_LEQ
    (LightGBM), missing values routed with nodes_missing_value_tracks_true,
    base_score in base_values, multi:softprob with SOFTMAX and class ids
    tree % n_classes. Each is checked against a direct numpy evaluation.
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_diabetes, load_iris, load_wine
from sklearn.ensemble import RandomForestRegressor, RandomForestClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import SVC

from skcommon import Builder, float_input, tinfo, classifier_tail, labels_attr, split, run_case, edge_rows
import gen_sk_svm
import gen_sk_nb_mlp
import gen_sk_linear
from sklearn.linear_model import LinearRegression


def double_threshold(t):
    f = np.float32(t)
    if float(f) > t:
        f = np.nextafter(f, np.float32(-np.inf))
    up = np.nextafter(f, np.float32(np.inf))
    m = (float(f) + float(up)) / 2.0  # exact in double
    if np.float32(m) == f:
        return m
    return float(np.nextafter(m, -np.inf))


def forest_nodes(forest, classifier):
    """forest_nodes lists (tree, node, feature, threshold, left, right, leaf value vector)."""
    out = []
    n = len(forest.estimators_)
    for t, est in enumerate(forest.estimators_):
        tr = est.tree_
        for i in range(tr.node_count):
            leaf = tr.children_left[i] == -1
            v = tr.value[i].ravel().astype(np.float64)
            if classifier:
                v = v / v.sum()
            out.append((t, i, int(tr.feature[i]) if not leaf else 0, float(tr.threshold[i]) if not leaf else 0.0,
                        int(tr.children_left[i]), int(tr.children_right[i]), leaf, v / n))
    return out


def v3_tree_attrs(nodes, classifier):
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_truenodeids",
                         "nodes_falsenodeids", "nodes_missing_value_tracks_true"]}
    vals, wt, wtree, wnode, wid = [], [], [], [], []
    for t, i, f, thr, l, r, leaf, v in nodes:
        a["nodes_treeids"].append(t); a["nodes_nodeids"].append(i); a["nodes_featureids"].append(f)
        a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
        a["nodes_truenodeids"].append(0 if leaf else l); a["nodes_falsenodeids"].append(0 if leaf else r)
        a["nodes_missing_value_tracks_true"].append(0)
        vals.append(0.0 if leaf else double_threshold(thr))
        if leaf:
            vv = v[1:] if (classifier and len(v) == 2) else v
            for j, w in enumerate(vv):
                wtree.append(t); wnode.append(i); wid.append(j); wt.append(float(w))
    p = "class_" if classifier else "target_"
    a[p + "treeids"], a[p + "nodeids"], a[p + "ids"] = wtree, wnode, wid
    a["nodes_values_as_tensor"] = numpy_helper.from_array(np.array(vals, dtype=np.float64), "nodes_values")
    a[p + "weights_as_tensor"] = numpy_helper.from_array(np.array(wt, dtype=np.float64), p + "weights")
    return a


def v5_tree_attrs(nodes, n_targets, split_dtype):
    """v5_tree_attrs rewrites v1-style nodes into TreeEnsemble's encoding."""
    by_tree = {}
    for nd in nodes:
        by_tree.setdefault(nd[0], []).append(nd)
    feat, splits, modes, tids, fids, tleaf, fleaf, roots, miss = [], [], [], [], [], [], [], [], []
    leaf_t, leaf_w = [], []
    for t in sorted(by_tree):
        tn = {nd[1]: nd for nd in by_tree[t]}
        interior = [i for i in sorted(tn) if not tn[i][6]]
        leaves = [i for i in sorted(tn) if tn[i][6]]
        base_int = len(feat)
        pos = {i: base_int + k for k, i in enumerate(interior)}
        leaf_pos = {}
        for i in leaves:
            leaf_pos[i] = []
        # each leaf contributes one entry per target
        leaf_index = {}
        for i in leaves:
            leaf_index[i] = len(leaf_t)
            v = tn[i][7]
            vv = v[1:] if (n_targets == 1 and len(v) == 2) else v
            assert len(vv) == n_targets or n_targets == 1
            # TreeEnsemble v5 has one target id per leaf: emit one leaf per target value
            for j, w in enumerate(vv):
                leaf_t.append(j); leaf_w.append(float(w))
        if not interior:
            raise ValueError("single-leaf trees are not used here")
        roots.append(pos[interior[0]])
        for i in interior:
            _, _, f, thr, l, r, _, _ = tn[i]
            feat.append(f); splits.append(np.float32(thr) if split_dtype == np.float32 else double_threshold(thr))
            modes.append(0)
            miss.append(0)
            for child, ids, lf in [(l, tids, tleaf), (r, fids, fleaf)]:
                if tn[child][6]:
                    if len(tn[child][7][1:] if (n_targets == 1 and len(tn[child][7]) == 2) else tn[child][7]) != 1:
                        raise ValueError("multi-target leaves need one leaf per target")
                    ids.append(leaf_index[child]); lf.append(1)
                else:
                    ids.append(pos[child]); lf.append(0)
    if split_dtype == np.float32:
        splits = [float(np.float32(s)) for s in splits]
    return dict(
        nodes_featureids=feat, nodes_modes=numpy_helper.from_array(np.array(modes, dtype=np.uint8), "nodes_modes"),
        nodes_splits=numpy_helper.from_array(np.array(splits, dtype=split_dtype), "nodes_splits"),
        nodes_truenodeids=tids, nodes_trueleafs=tleaf, nodes_falsenodeids=fids, nodes_falseleafs=fleaf,
        nodes_missing_value_tracks_true=miss, tree_roots=roots, leaf_targetids=leaf_t,
        leaf_weights=numpy_helper.from_array(np.array(leaf_w, dtype=split_dtype), "leaf_weights"),
        n_targets=n_targets, aggregate_function=1, post_transform=0)


def rf_double_v3(name):
    diab = load_diabetes()
    Xtr, Xte, ytr, yte = split(diab.data, diab.target, 601)
    rf = RandomForestRegressor(n_estimators=4, max_depth=4, random_state=0).fit(Xtr, ytr)
    nodes = forest_nodes(rf, False)
    b = Builder(17, ml_target=3)
    attrs = v3_tree_attrs(nodes, False)
    b.node("TreeEnsembleRegressor", "X", "variable", domain="ai.onnx.ml", version=3, n_targets=1,
           post_transform="NONE", **attrs)
    m = b.model([float_input(10, elem=TensorProto.DOUBLE)], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    # rows: test rows, and for three splits: x on the double switch point and the next double above it
    rows = [Xte[:45]]
    base = np.median(Xtr, axis=0)
    for t, i, f, thr, l, r, leaf, v in nodes[:6]:
        if leaf:
            continue
        w = double_threshold(thr)
        for x in (w, np.nextafter(w, np.inf), float(np.float32(thr))):
            rr = base.copy(); rr[f] = x; rows.append(rr[None])
    X = np.vstack(rows)
    pred = rf.predict(X).reshape(-1, 1)
    return run_case(name, m, {"X": X}, {"prediction": pred},
                    "RandomForestRegressor(4 trees, max_depth=4) with DOUBLE input, TreeEnsembleRegressor "
                    "ai.onnx.ml 3 with nodes_values_as_tensor / target_weights_as_tensor (double); thresholds are "
                    "the largest double that rounds to the largest float32 <= t, so double comparisons reproduce "
                    "scikit-learn's float32 comparisons. Output FLOAT. Last rows: a feature exactly on a switch "
                    "point, the next double, and float32(t). Data: diabetes (seed 601). target_opset {'': 17, "
                    "'ai.onnx.ml': 3}", score_out="variable", score_key="prediction")


def rf_clf_double_v3(name):
    iris = load_iris()
    Xtr, Xte, ytr, yte = split(iris.data, iris.target, 602)
    rf = RandomForestClassifier(n_estimators=3, max_depth=3, random_state=1).fit(Xtr, ytr)
    nodes = forest_nodes(rf, True)
    b = Builder(17, ml_target=3)
    attrs = v3_tree_attrs(nodes, True)
    b.reserve("label", "probabilities")
    b.node("TreeEnsembleClassifier", "X", ["label", "probabilities"], domain="ai.onnx.ml", version=3,
           classlabels_int64s=[0, 1, 2], post_transform="NONE", **attrs)
    outs = classifier_tail(b, "label", "probabilities", rf.classes_)
    m = b.model([float_input(4, elem=TensorProto.DOUBLE)], outs, name)
    X = Xte[:50]
    proba = rf.predict_proba(X)
    return run_case(name, m, {"X": X}, {"label": rf.predict(X), "probabilities": proba},
                    "RandomForestClassifier(3 trees, max_depth=3) 3 classes with DOUBLE input: "
                    "TreeEnsembleClassifier ai.onnx.ml 3 with nodes_values_as_tensor / class_weights_as_tensor, "
                    "ZipMap. Data: iris (seed 602). target_opset {'': 17, 'ai.onnx.ml': 3}",
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def rf_v5(name, double):
    diab = load_diabetes()
    Xtr, Xte, ytr, yte = split(diab.data, diab.target, 603)
    rf = RandomForestRegressor(n_estimators=4, max_depth=4, random_state=2).fit(Xtr, ytr)
    nodes = forest_nodes(rf, False)
    dt = np.float64 if double else np.float32
    b = Builder(21, ml_target=5)
    b.node("TreeEnsemble", "X", "variable", domain="ai.onnx.ml", version=5, **v5_tree_attrs(nodes, 1, dt))
    el = TensorProto.DOUBLE if double else TensorProto.FLOAT
    m = b.model([float_input(10, elem=el)], [tinfo("variable", el, [None, 1])], name)
    edges, ew = edge_rows(Xtr)
    X = np.vstack([Xte[:45], edges]).astype(dt)
    pred = rf.predict(X.astype(np.float64)).reshape(-1, 1)
    return run_case(name, m, {"X": X}, {"prediction": pred},
                    f"RandomForestRegressor(4 trees, max_depth=4) as TreeEnsemble (ai.onnx.ml 5): interior nodes "
                    f"only, leaf_targetids/leaf_weights, nodes_modes uint8 tensor (0 = LEQ), nodes_splits "
                    f"{'double' if double else 'float'}, tree_roots, aggregate_function 1 (SUM), post_transform 0; "
                    f"{'DOUBLE' if double else 'FLOAT'} input and output. Data: diabetes (seed 603). target_opset "
                    f"{{'': 21, 'ai.onnx.ml': 5}}, ir_version 10", score_out="variable", score_key="prediction",
                    tol_abs=1e-9 if double else 1e-5, tol_rel=1e-12 if double else 1e-6)


def label_encoder_v4(name):
    b = Builder(21, ml_target=4)
    keys = np.array([0.5, 1.5, np.nan, -2.0, 3.25], dtype=np.float32)
    vals = np.array(["half", "one-half", "missing", "minus-two", "three"], dtype=object)
    b.node("LabelEncoder", "X", "Y", domain="ai.onnx.ml", version=4,
           keys_tensor=numpy_helper.from_array(keys, "keys_tensor"),
           values_tensor=helper.make_tensor("values_tensor", TensorProto.STRING, [5], [v.encode() for v in vals]),
           default_tensor=helper.make_tensor("default_tensor", TensorProto.STRING, [1], [b"other"]))
    m = b.model([tinfo("X", TensorProto.FLOAT, [None])], [tinfo("Y", TensorProto.STRING, [None])], name)
    X = np.array([0.5, 1.5, np.nan, -2.0, 3.25, 0.0, -0.0, 7.0, 1.5000001, np.nan], dtype=np.float32)
    exp = ["half", "one-half", "missing", "minus-two", "three", "other", "other", "other", "other", "missing"]
    return run_case(name, m, {"X": X}, {"label": np.array(exp)},
                    "LabelEncoder ai.onnx.ml 4: float keys_tensor (NaN among the keys matches NaN inputs in v4), "
                    "string values_tensor, default_tensor 'other'. target_opset {'': 21, 'ai.onnx.ml': 4}",
                    label_out="Y")


def label_encoder_v4_int(name):
    b = Builder(21, ml_target=4)
    b.node("LabelEncoder", "X", "Y", domain="ai.onnx.ml", version=4,
           keys_strings=["red", "green", "blue"], values_int64s=[10, 20, 30], default_int64=-5)
    m = b.model([tinfo("X", TensorProto.STRING, [None, 1])], [tinfo("Y", TensorProto.INT64, [None, 1])], name)
    X = np.array([["red"], ["blue"], ["green"], ["purple"], [""], ["RED"]], dtype=object)
    return run_case(name, m, {"X": X}, {"label": np.array([[10], [30], [20], [-5], [-5], [-5]])},
                    "LabelEncoder ai.onnx.ml 4 with the list attributes (keys_strings -> values_int64s, "
                    "default_int64 -5), 2-D input. target_opset {'': 21, 'ai.onnx.ml': 4}", label_out="Y")


# ---- hand-written boosters --------------------------------------------------------------------------
# A tree is a list of nodes (id, feature, threshold, yes, no, missing, leaf_value); leaf nodes have feature None.
XGB_TREES = [
    [(0, 0, 0.5, 1, 2, 1, None), (1, 1, -1.25, 3, 4, 4, None), (2, None, None, None, None, None, 0.42),
     (3, None, None, None, None, None, -0.31), (4, None, None, None, None, None, 0.08)],
    [(0, 2, 3.0, 1, 2, 2, None), (1, None, None, None, None, None, -0.17), (2, 0, 2.75, 3, 4, 3, None),
     (3, None, None, None, None, None, 0.21), (4, None, None, None, None, None, 0.36)],
    [(0, 1, 0.0, 1, 2, 1, None), (1, None, None, None, None, None, 0.05), (2, 2, -0.5, 3, 4, 4, None),
     (3, None, None, None, None, None, -0.26), (4, None, None, None, None, None, 0.12)],
    [(0, 0, -1.0, 1, 2, 2, None), (1, None, None, None, None, None, -0.09), (2, None, None, None, None, None, 0.14)],
    [(0, 2, 1.5, 1, 2, 1, None), (1, 1, 2.0, 3, 4, 3, None), (2, None, None, None, None, None, 0.3),
     (3, None, None, None, None, None, -0.2), (4, None, None, None, None, None, 0.01)],
    [(0, 1, -0.75, 1, 2, 2, None), (1, None, None, None, None, None, 0.19), (2, None, None, None, None, None, -0.07)],
]


def booster_attrs(trees, mode, classifier, n_classes=1):
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true"]}
    p = "class_" if classifier else "target_"
    for k in ["treeids", "nodeids", "ids", "weights"]:
        a[p + k] = []
    for t, tree in enumerate(trees):
        for nid, f, thr, yes, no, miss, val in tree:
            a["nodes_treeids"].append(t); a["nodes_nodeids"].append(nid)
            if f is None:
                a["nodes_featureids"].append(0); a["nodes_modes"].append("LEAF"); a["nodes_values"].append(0.0)
                a["nodes_truenodeids"].append(0); a["nodes_falsenodeids"].append(0)
                a["nodes_missing_value_tracks_true"].append(0)
                a[p + "treeids"].append(t); a[p + "nodeids"].append(nid)
                a[p + "ids"].append(t % n_classes); a[p + "weights"].append(float(val))
            else:
                a["nodes_featureids"].append(f); a["nodes_modes"].append(mode); a["nodes_values"].append(float(thr))
                a["nodes_truenodeids"].append(yes); a["nodes_falsenodeids"].append(no)
                a["nodes_missing_value_tracks_true"].append(1 if miss == yes else 0)
    return a


def eval_booster(trees, X, lt, n_classes=1):
    out = np.zeros((len(X), n_classes), dtype=np.float64)
    Xf = X.astype(np.float32)
    for t, tree in enumerate(trees):
        nd = {n[0]: n for n in tree}
        for r in range(len(X)):
            n = nd[0]
            while n[1] is not None:
                x = Xf[r, n[1]]
                thr = np.float32(n[2])
                if np.isnan(x):
                    nxt = n[5]
                else:
                    nxt = n[3] if ((x < thr) if lt else (x <= thr)) else n[4]
                n = nd[nxt]
            out[r, t % n_classes] += n[6]
    return out


def booster_rows(seed):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(40, 3)) * [1.5, 2, 2.5]
    thr_rows = []
    for tree in XGB_TREES:
        for nid, f, thr, *_ in tree:
            if f is not None:
                r = np.zeros(3); r[f] = thr; thr_rows.append(r)
    nan_rows = np.array([[np.nan, 0, 0], [0, np.nan, 0], [0, 0, np.nan], [np.nan, np.nan, np.nan]])
    return np.vstack([X, thr_rows, nan_rows]).astype(np.float32)


def xgb_reg(name):
    X = booster_rows(611)
    b = Builder(15)
    b.node("TreeEnsembleRegressor", "X", "variable", domain="ai.onnx.ml", version=1, n_targets=1,
           base_values=[0.5], post_transform="NONE", **booster_attrs(XGB_TREES, "BRANCH_LT", False))
    m = b.model([float_input(3)], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name, default_domain=False)
    m.producer_name, m.producer_version = "OnnxMLTools", "1.13.0"
    ref = eval_booster(XGB_TREES, X, True) + 0.5
    return run_case(name, m, {"X": X}, {"prediction": ref},
                    "XGBoost-style regressor (onnxmltools form) from a hand-written 6-tree booster, reg:squarederror "
                    "with base_score 0.5 in base_values: BRANCH_LT (x < t), missing values follow the 'missing' child "
                    "(nodes_missing_value_tracks_true = 1 when it is the yes child). Rows: 40 gaussian rows, one row "
                    "exactly on each split threshold (goes to the 'no' child), NaN rows. 'sklearn' holds a direct "
                    "numpy evaluation of the booster", score_out="variable", score_key="prediction")


def xgb_multi(name):
    X = booster_rows(612)
    b = Builder(15)
    b.reserve("label", "probabilities")
    b.node("TreeEnsembleClassifier", "X", ["label", "probabilities"], domain="ai.onnx.ml", version=1,
           classlabels_int64s=[0, 1, 2], base_values=[0.5, 0.5, 0.5], post_transform="SOFTMAX",
           **booster_attrs(XGB_TREES, "BRANCH_LT", True, n_classes=3))
    m = b.model([float_input(3)], [tinfo("label", TensorProto.INT64, [None]),
                                   tinfo("probabilities", TensorProto.FLOAT, [None, 3])], name,
                default_domain=False)
    m.producer_name, m.producer_version = "OnnxMLTools", "1.13.0"
    raw = eval_booster(XGB_TREES, X, True, 3) + 0.5
    e = np.exp(raw - raw.max(axis=1, keepdims=True))
    proba = e / e.sum(axis=1, keepdims=True)
    return run_case(name, m, {"X": X}, {"label": raw.argmax(axis=1), "probabilities": proba},
                    "XGBoost-style multi:softprob classifier (onnxmltools form, no ZipMap) from the same hand-written "
                    "6 trees read as 2 rounds x 3 classes (class id = tree % 3), base_values [0.5]*3, SOFTMAX, "
                    "BRANCH_LT with missing-value routing. 'sklearn' holds a direct numpy evaluation",
                    label_out="label", score_out="probabilities", score_key="probabilities", tie_scores=raw)


def lgbm_reg(name):
    X = booster_rows(613)
    b = Builder(15)
    b.node("TreeEnsembleRegressor", "X", "variable", domain="ai.onnx.ml", version=1, n_targets=1,
           post_transform="NONE", **booster_attrs(XGB_TREES, "BRANCH_LEQ", False))
    m = b.model([float_input(3)], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name, default_domain=False)
    m.producer_name, m.producer_version = "OnnxMLTools", "1.13.0"
    ref = eval_booster(XGB_TREES, X, False)
    return run_case(name, m, {"X": X}, {"prediction": ref},
                    "LightGBM-style regressor (onnxmltools form): BRANCH_LEQ (x <= t), no base_values, NaN follows "
                    "the default child through nodes_missing_value_tracks_true; rows on each threshold go to the "
                    "'yes' child here. 'sklearn' holds a direct numpy evaluation", score_out="variable",
                    score_key="prediction")


def opset21_cases():
    iris = load_iris()
    wine = load_wine()
    gen_sk_svm.svc_case("sk_new_svc_ovr_opset21", SVC(kernel="rbf", C=2.0), wine.data, wine.target, 621,
                        "Pipeline(StandardScaler, SVC(rbf, C=2)) 3 classes, no probability, OvR tail at target_opset "
                        "21 (Identity/Cast resolve to their opset-21 schemas). Data: wine (seed 621)", target=21)
    Xtr, Xte, ytr, yte = split(iris.data, iris.target, 622)
    gen_sk_nb_mlp.nb_case("sk_new_gaussiannb_opset21", GaussianNB(), Xtr, ytr, Xte[:50],
                          "GaussianNB 3 classes at target_opset 21 (ReduceLogSumExp axes input, Reshape 21). "
                          "Data: iris (seed 622)", target=21)
    diab = load_diabetes()
    gen_sk_linear.lin_reg_case("sk_new_linreg_fp64_opset21", LinearRegression(), diab.data, diab.target, 623,
                               "LinearRegression, double input at target_opset 21: MatMul + Add + Reshape(v21). "
                               "Data: diabetes (seed 623)", double=True, target=21)


def main():
    rf_double_v3("sk_new_rf_reg_double_mlv3")
    rf_clf_double_v3("sk_new_rf_clf_double_mlv3")
    rf_v5("sk_new_treeensemble_v5_float", False)
    rf_v5("sk_new_treeensemble_v5_double", True)
    label_encoder_v4("sk_new_labelencoder_v4_tensor")
    label_encoder_v4_int("sk_new_labelencoder_v4_lists")
    xgb_reg("sk_new_xgb_style_reg")
    xgb_multi("sk_new_xgb_style_softprob")
    lgbm_reg("sk_new_lgbm_style_reg")
    opset21_cases()


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
