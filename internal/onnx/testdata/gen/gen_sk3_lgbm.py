"""gen_sk3_lgbm writes sk3_lgbm_* cases: LightGBM models as onnxmltools 1.13
converts them (onnxmltools/convert/lightgbm/operator_converters/LightGbm.py,
_parse.py; onnxconverter-common's container, optimizer and make_model_ex).

lightgbm is not installed, so each booster is written by hand in the form of
Booster.dump_model(): the trees of a HistGradientBoosting model fitted on the
case's data are re-expressed as LightGBM trees ("<=" splits on the fitted
double thresholds, leaf values already scaled by the learning rate, the
init score folded into the first iteration's leaves as boost_from_average
does, or a constant first tree). Categorical splits are "==" with
threshold "c1||c2||..." (the categories that go left). Each feature gets
missing_type "NaN" when it had NaN in training (default_left = where NaN
went), "None" otherwise (default_left true), or "Zero" for zero_as_missing.
The booster is evaluated directly in numpy as LightGBM's Tree::Predict does
(double): numerical: NaN -> 0 unless missing_type NaN; missing_type Zero and
|x| <= 1e-35, or NaN and missing_type NaN -> default_left; otherwise x <= t
goes left; categorical: NaN or int(x) < 0 -> right, int(x) in the set ->
left. That evaluation is what 'sklearn' holds (sigmoid / softmax / exp of
the sums for binary / multiclass / poisson).

What the converter writes, reproduced here:
  * modify_tree_for_rule_in_set: a "==" node with "a||b||c" keeps a, and its
    right child becomes a shallow copy testing "b||c" (and so on), so every
    link of the chain shares the original left subtree; node ids come from a
    per-tree pool keyed by the Python object, so the shared subtree gets one
    id and several parents (modes BRANCH_EQ, thresholds float).
  * node ids: root 0, then both children of a node get the next free ids
    when the node is visited (depth first, left first); nodes_* sorted by
    (tree, node id); class weights in visiting order; nodes_hitrates 1.0;
    nodes_missing_value_tracks_true = default_left, except 0 when
    missing_type is None and the threshold is negative; leaves featureid 0,
    value 0, children 0; tree weight 1 (leaf values already shrunk).
  * binary: class_ids 0, post_transform LOGISTIC; multiclass: class id =
    tree % n_classes, SOFTMAX; no base_values; node name 'LgbmClassifier',
    outputs label_tensor / probability_tensor, then Cast(int64) (or Identity
    for string labels) to 'label' and ZipMap to 'probabilities', or, with
    zipmap=False, Mul(probability_tensor, 1) (an unnamed node, initializer
    'one' of shape []).
  * regression: TreeEnsembleRegressor 'LgbmRegressor' (n_targets 1, NONE);
    poisson appends Exp; with split=k the trees are cut into groups of k,
    each its own TreeEnsembleRegressor (tree ids kept, node name
    'LgbmRegressor<i>') -> Cast(double) -> Sum -> Cast(float).
  * Identity nodes between converters are removed by the optimizer; the
    opset imports follow make_model_ex (the default domain's first
    op_version below 8 is raised to 8), ir_version from that opset
    (8 -> 3, 9 -> 4); producer OnnxMLTools 1.13.0.
"""
import numpy as np
from onnx import TensorProto, helper

from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from skcommon import tinfo, split, run_case, make_clf, make_reg, describe_edges, zipmap_output
from gen_sk3_xgb import hgb_nodes, occ_model, with_nan, F32

ML = "ai.onnx.ml"


# ---------------------------------------------------------------- boosters
def lgbm_tree(nodes, nan_feats, leaf_shift=0.0, zero_missing=False, tree_index=0):
    """lgbm_tree writes a HistGradientBoosting tree as a dump_model() tree."""
    counter = {"split": 0, "leaf": 0}

    def build(i):
        nd = nodes[i]
        if nd["leaf"]:
            counter["leaf"] += 1
            return {"leaf_index": counter["leaf"] - 1, "leaf_value": nd["value"] + leaf_shift, "leaf_weight": 1.0,
                    "leaf_count": 1}
        counter["split"] += 1
        d = {"split_index": counter["split"] - 1, "split_feature": nd["feature"], "split_gain": 1.0}
        if nd["categorical"]:
            d["threshold"] = "||".join(str(c) for c in nd["cats"])
            d["decision_type"] = "=="
            d["default_left"] = False
            d["missing_type"] = "NaN" if nd["feature"] in nan_feats else "None"
        else:
            d["threshold"] = nd["threshold"]
            d["decision_type"] = "<="
            if zero_missing:
                d["default_left"], d["missing_type"] = nd["missing_left"], "Zero"
            elif nd["feature"] in nan_feats:
                d["default_left"], d["missing_type"] = nd["missing_left"], "NaN"
            else:
                d["default_left"], d["missing_type"] = True, "None"
        d.update({"internal_value": 0.0, "internal_weight": 1.0, "internal_count": 1})
        d["left_child"] = build(nd["left"])
        d["right_child"] = build(nd["right"])
        return d
    ts = build(0)
    return {"tree_index": tree_index, "num_leaves": counter["leaf"], "num_cat": 0, "shrinkage": 1.0,
            "tree_structure": ts}


def lgbm_predict_raw(trees, X, n_groups=1):
    """lgbm_predict_raw sums the leaves as Tree::Predict does (double)."""
    X = np.asarray(X, dtype=np.float64)
    out = np.zeros((len(X), n_groups))
    for t, tree in enumerate(trees):
        for r in range(len(X)):
            nd = tree["tree_structure"]
            while "leaf_value" not in nd:
                x = X[r, nd["split_feature"]]
                if nd["decision_type"] == "==":
                    cats = [int(c) for c in str(nd["threshold"]).split("||")]
                    left = (not np.isnan(x)) and int(x) >= 0 and int(x) in cats
                else:
                    mt = nd["missing_type"]
                    if np.isnan(x) and mt != "NaN":
                        x = 0.0
                    if (mt == "Zero" and abs(x) <= 1e-35) or (mt == "NaN" and np.isnan(x)):
                        left = nd["default_left"]
                    else:
                        left = x <= nd["threshold"]
                nd = nd["left_child"] if left else nd["right_child"]
            out[r, t % n_groups] += nd["leaf_value"]
    return out


def lgbm_splits(trees):
    out = []

    def walk(nd):
        if "leaf_value" in nd:
            return
        if nd["decision_type"] == "<=":
            out.append((nd["threshold"], nd["split_feature"]))
        walk(nd["left_child"]); walk(nd["right_child"])
    for t in trees:
        walk(t["tree_structure"])
    return out


# ---------------------------------------------------------------- the onnxmltools 1.13 converter
def modify_tree_for_rule_in_set(node):
    """modify_tree_for_rule_in_set unfolds '==' nodes on 'a||b' into chains
    of shallow copies (shared left children)."""
    if "decision_type" not in node:
        return
    if node["decision_type"] == "==" and isinstance(node["threshold"], str) and "||" in node["threshold"]:
        th = node["threshold"]
        pos = th.find("||")
        rest = th[pos + 2:]
        node["threshold"] = float(th[:pos])
        new_node = node.copy()
        node["right_child"] = new_node
        new_node["threshold"] = rest if "||" in rest else float(rest)
    for k in ("left_child", "right_child"):
        if k in node:
            modify_tree_for_rule_in_set(node[k])


def _translate(c):
    return {"<=": "BRANCH_LEQ", "<": "BRANCH_LT", ">=": "BRANCH_GTE", ">": "BRANCH_GT", "==": "BRANCH_EQ",
            "!=": "BRANCH_NEQ"}[c]


def _parse(tree_id, class_id, ts, a):
    pool = set()
    pyid = {}

    def new_id():
        i = 0
        while i in pool:
            i += 1
        pool.add(i)
        return i

    def parse_node(node, node_id):
        if "left_child" in node and "right_child" in node:
            ids = []
            for k in ("left_child", "right_child"):
                child = node[k]
                if id(child) in pyid:
                    ids.append((pyid[id(child)], False))
                else:
                    cid = new_id()
                    pyid[id(child)] = cid
                    ids.append((cid, True))
            a["nodes_treeids"].append(tree_id); a["nodes_nodeids"].append(node_id)
            a["nodes_featureids"].append(node["split_feature"]); a["nodes_modes"].append(_translate(node["decision_type"]))
            a["nodes_values"].append(float(node["threshold"]) if isinstance(node["threshold"], str)
                                     else node["threshold"])
            a["nodes_truenodeids"].append(ids[0][0]); a["nodes_falsenodeids"].append(ids[1][0])
            if node["default_left"]:
                a["nodes_missing_value_tracks_true"].append(
                    0 if node["missing_type"] == "None" and float(node["threshold"]) < 0.0 else 1)
            else:
                a["nodes_missing_value_tracks_true"].append(0)
            a["nodes_hitrates"].append(1.0)
            if ids[0][1]:
                parse_node(node["left_child"], ids[0][0])
            if ids[1][1]:
                parse_node(node["right_child"], ids[1][0])
        else:
            a["nodes_treeids"].append(tree_id); a["nodes_nodeids"].append(node_id)
            a["nodes_featureids"].append(0); a["nodes_modes"].append("LEAF"); a["nodes_values"].append(0.0)
            a["nodes_truenodeids"].append(0); a["nodes_falsenodeids"].append(0)
            a["nodes_missing_value_tracks_true"].append(0); a["nodes_hitrates"].append(1.0)
            a["class_treeids"].append(tree_id); a["class_nodeids"].append(node_id)
            a["class_ids"].append(class_id); a["class_weights"].append(float(node["leaf_value"]) * 1.0)
    root = new_id()
    pyid[id(ts)] = root
    parse_node(ts, root)


def lgbm_attrs(trees, n_classes, post):
    import copy
    trees = copy.deepcopy(trees)
    a = {"post_transform": "NONE"}
    for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
              "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true", "nodes_hitrates",
              "class_treeids", "class_nodeids", "class_ids", "class_weights"]:
        a[k] = []
    for t in trees:
        modify_tree_for_rule_in_set(t["tree_structure"])
    a["post_transform"] = post
    for i, t in enumerate(trees):
        _parse(i, i % n_classes, t["tree_structure"], a)
    # sort nodes_* by (tree, node id)
    order = sorted(range(len(a["nodes_treeids"])), key=lambda j: (a["nodes_treeids"][j], a["nodes_nodeids"][j]))
    for k in list(a):
        if k.startswith("nodes_"):
            a[k] = [a[k][j] for j in order]
    a["nodes_values"] = [float(v) for v in a["nodes_values"]]
    return a


def classifier_model(name, trees, n_classes_obj, classes, n_features, zipmap=True, input_name="X"):
    post = "LOGISTIC" if n_classes_obj == 1 else "SOFTMAX"
    a = lgbm_attrs(trees, n_classes_obj, post)
    strings = isinstance(classes[0], str)
    if strings:
        a["classlabels_strings"] = [str(c) for c in classes]
    else:
        a["classlabels_int64s"] = [int(c) for c in classes]
    nodes = [helper.make_node("TreeEnsembleClassifier", [input_name], ["label_tensor", "probability_tensor"],
                              name="LgbmClassifier", domain=ML, **a)]
    pairs = [(ML, 1), ("", 1), ("", 1)]  # the two Identity nodes the optimizer removes
    if strings:
        nodes.append(helper.make_node("Identity", ["label_tensor"], ["label"], name="Identity"))
        pairs.append(("", 1))
    else:
        nodes.append(helper.make_node("Cast", ["label_tensor"], ["label"], name="Cast", to=TensorProto.INT64))
        pairs.append(("", 9))
    inits = []
    lt = TensorProto.STRING if strings else TensorProto.INT64
    if zipmap:
        zk = {"classlabels_strings": [str(c) for c in classes]} if strings else {
            "classlabels_int64s": [int(c) for c in classes]}
        nodes.append(helper.make_node("ZipMap", ["probability_tensor"], ["probabilities"], name="ZipMap", domain=ML,
                                      **zk))
        pairs.append((ML, 1))
        outs = [tinfo("label", lt, [None]), zipmap_output("probabilities", strings)]
    else:
        nodes.append(helper.make_node("Mul", ["probability_tensor", "one"], ["probabilities"]))
        inits.append(helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]))
        pairs.append(("", 1))
        outs = [tinfo("label", lt, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, len(classes)])]
    return occ_model(name, nodes, [tinfo(input_name, TensorProto.FLOAT, [None, n_features])], outs, inits, pairs)


def regressor_model(name, trees, n_features, poisson=False, split_size=None):
    a = lgbm_attrs(trees, 1, "NONE")
    a["n_targets"] = 1
    for k in ["class_treeids", "class_nodeids", "class_ids", "class_weights"]:
        a["target" + k[5:]] = a.pop(k)
    pairs = [(ML, 1), ("", 1)]
    nodes = []
    out = "output" if poisson else "variable"
    if split_size is None:
        nodes.append(helper.make_node("TreeEnsembleRegressor", ["X"], [out], name="LgbmRegressor", domain=ML, **a))
    else:
        ids = sorted(set(a["nodes_treeids"]))
        casts = []
        for g, start in enumerate(range(0, len(ids), split_size)):
            sub = set(ids[start:start + split_size])
            jn = [j for j, v in enumerate(a["nodes_treeids"]) if v in sub]
            jt = [j for j, v in enumerate(a["target_treeids"]) if v in sub]
            ats = {}
            for k, v in a.items():
                if k.startswith("nodes_"):
                    ats[k] = [v[j] for j in jn]
                elif k.startswith("target_"):
                    ats[k] = [v[j] for j in jt]
                else:
                    ats[k] = v
            nodes.append(helper.make_node("TreeEnsembleRegressor", ["X"], ["tree%d" % g], name="LgbmRegressor%d" % g,
                                          domain=ML, **ats))
            nodes.append(helper.make_node("Cast", ["tree%d" % g], ["dtree%d" % g], name="dtree%d" % g,
                                          to=TensorProto.DOUBLE))
            casts.append("dtree%d" % g)
        nodes.append(helper.make_node("Sum", casts, ["ftrees"], name="sumtree%d" % len(casts)))
        nodes.append(helper.make_node("Cast", ["ftrees"], [out], name="dtree%d1" % (len(casts) - 1),
                                      to=TensorProto.FLOAT))
        pairs += [("", 1)] * 3
    if poisson:
        nodes.append(helper.make_node("Exp", ["output"], ["variable"], name="Exp"))
    return occ_model(name, nodes, [tinfo("X", TensorProto.FLOAT, [None, n_features])],
                     [tinfo("variable", TensorProto.FLOAT, [None, 1])], [], pairs)


# ---------------------------------------------------------------- requests
def request(Xtr, Xte, splits, n_rows, nan_cols=(), extra=None, n_thr=3):
    """request: test rows, edge rows, rows on float32(threshold) and the next
    float32 above, NaN rows, extra rows."""
    base = np.nanmedian(Xtr, axis=0)
    rows, what = [], []
    for w, r in [("all zeros", np.zeros_like(base)), ("median row x 1e3 (large magnitude)", base * 1e3),
                 ("median row x 1e-6 (tiny magnitude)", base * 1e-6), ("training column maxima", np.nanmax(Xtr, 0)),
                 ("training column minima", np.nanmin(Xtr, 0))]:
        rows.append(r); what.append(w)
    for t, f in splits[:n_thr]:
        w = F32(t)
        r = base.copy(); r[f] = w
        rows.append(r); what.append(f"feature {f} = float32(threshold {t!r})")
        r = base.copy(); r[f] = np.nextafter(w, F32(np.inf))
        rows.append(r); what.append(f"feature {f} = the next float32 above it")
    for c in nan_cols:
        r = base.copy(); r[c] = np.nan
        rows.append(r); what.append(f"feature {c} missing (NaN)")
    if nan_cols:
        rows.append(np.full_like(base, np.nan)); what.append("all features missing (NaN)")
    if extra is not None:
        rows += list(extra[0]); what += extra[1]
    n_te = min(n_rows, len(Xte))
    return np.vstack([Xte[:n_te], np.array(rows)]).astype(F32), what, n_te


def rounding_rows(splits, X):
    """rounding_rows lists rows where a split decides differently with the
    double threshold (LightGBM) and its float32 rounding (the graph)."""
    rows = set()
    Xd = np.asarray(X, dtype=F32).astype(np.float64)
    for t, f in splits:
        a = Xd[:, f] <= t
        b = Xd[:, f] <= float(F32(t))
        rows.update(np.flatnonzero((a != b) & ~np.isnan(Xd[:, f])).tolist())
    return sorted(rows)


# ---------------------------------------------------------------- cases
def binary_case(name, seed, what, zipmap=True, categorical=False, str_labels=None):
    rng = np.random.RandomState(seed)
    X, y = make_clf(2, 5, seed)
    cat_mask = None
    if categorical:
        # two integer categorical columns whose categories shift the class balance
        c1 = rng.randint(0, 7, len(X)); c2 = rng.randint(0, 4, len(X))
        flip = (np.isin(c1, [1, 4, 5]) & (rng.rand(len(X)) < 0.6)) | ((c2 == 2) & (rng.rand(len(X)) < 0.4))
        y = np.where(flip, 1 - y, y)
        X = np.column_stack([X[:, :3], c1, c2]).astype(np.float64)
        cat_mask = [False, False, False, True, True]
    X = with_nan(X, 0.08, seed)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    hgb = HistGradientBoostingClassifier(max_iter=10, max_depth=3, learning_rate=0.3, random_state=0,
                                         categorical_features=cat_mask).fit(Xtr, ytr)
    nan_feats = set(np.flatnonzero(np.isnan(Xtr).any(axis=0)).tolist())
    b0 = float(hgb._baseline_prediction.ravel()[0])
    trees = [lgbm_tree(hgb_nodes(p[0]), nan_feats, b0 if i == 0 else 0.0, tree_index=i)
             for i, p in enumerate(hgb._predictors)]
    classes = list(str_labels) if str_labels else [0, 1]
    m = classifier_model(name, trees, 1, classes, X.shape[1], zipmap=zipmap)
    extra = None
    if categorical:
        base = np.nanmedian(Xtr, axis=0)
        ex, wl = [], []
        for v, w in [(1, "category 1"), (4, "category 4"), (6, "category 6"), (9, "unseen category 9"),
                     (-1, "negative category -1"),
                     (4.6, "non-integer 4.6 (LightGBM truncates to 4; BRANCH_EQ compares 4.6 == c)"),
                     (np.nan, "NaN category")]:
            r = base.copy(); r[3] = v; ex.append(r); wl.append(f"column 3 = {w}")
        extra = (ex, wl)
    Xreq, ew, n_te = request(Xtr, Xte, lgbm_splits(trees), 40, sorted(nan_feats)[:2], extra)
    raw = lgbm_predict_raw(trees, Xreq)[:, 0]
    p = 1 / (1 + np.exp(-raw))
    proba = np.stack([1 - p, p], axis=1)
    lab = np.array(classes)[(p > 0.5).astype(int)]
    sk = {"label": lab, "probabilities": proba}
    lo, so = "label", "probabilities"
    desc = f"{what}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lo, score_out=so, score_key="probabilities",
                    tie_scores=np.stack([-raw, raw], axis=1), check=m.ir_version >= 4,
                    extra={"float32_threshold_rounding_rows": rounding_rows(lgbm_splits(trees), Xreq)})


def multi_case(name, seed, what, n_classes=3, best_iteration=None, rounds=8, zipmap=False):
    X, y = make_clf(n_classes, 6, seed)
    X = with_nan(X, 0.05, seed)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    hgb = HistGradientBoostingClassifier(max_iter=rounds, max_depth=3, learning_rate=0.3, random_state=0).fit(Xtr, ytr)
    nan_feats = set(np.flatnonzero(np.isnan(Xtr).any(axis=0)).tolist())
    base = np.ravel(hgb._baseline_prediction)
    trees = [lgbm_tree(hgb_nodes(p), nan_feats, base[c] if it == 0 else 0.0, tree_index=it * n_classes + c)
             for it, preds in enumerate(hgb._predictors) for c, p in enumerate(preds)]
    if best_iteration is not None:
        trees = trees[:best_iteration * n_classes]  # dump_model(num_iteration=best_iteration)
    m = classifier_model(name, trees, n_classes, list(range(n_classes)), X.shape[1], zipmap=zipmap)
    Xreq, ew, n_te = request(Xtr, Xte, lgbm_splits(trees), 40, sorted(nan_feats)[:2])
    raw = lgbm_predict_raw(trees, Xreq, n_classes)
    e = np.exp(raw - raw.max(axis=1, keepdims=True))
    proba = e / e.sum(axis=1, keepdims=True)
    sk = {"label": raw.argmax(axis=1), "probabilities": proba}
    desc = f"{what}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="label", score_out="probabilities",
                    score_key="probabilities", tie_scores=raw,
                    extra={"float32_threshold_rounding_rows": rounding_rows(lgbm_splits(trees), Xreq)})


def reg_case(name, seed, what, mode="nan", split_size=None, poisson=False, rounds=12, constant_first=False):
    X, y = make_reg(4, seed)
    rng = np.random.RandomState(seed)
    if mode == "none":
        X = X - X.mean(axis=0)  # centred columns: negative thresholds
    if poisson:
        y = rng.poisson(np.exp(0.5 + 0.4 * (y - y.mean()) / y.std())).astype(np.float64)
    Xfit = X.copy()
    if mode == "nan":
        X = with_nan(X, 0.08, seed)
        Xfit = X
    elif mode == "zero":
        # sparse-like columns: exact zeros, treated as missing (zero_as_missing=True)
        X[rng.rand(*X.shape) < 0.15] = 0.0
        Xfit = np.where(X == 0.0, np.nan, X)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    Xftr = split(Xfit, y, seed)[0]
    hgb = HistGradientBoostingRegressor(max_iter=rounds, max_depth=3, learning_rate=0.2, random_state=0,
                                        loss="poisson" if poisson else "squared_error").fit(Xftr, ytr)
    nan_feats = set(np.flatnonzero(np.isnan(Xftr).any(axis=0)).tolist()) if mode == "nan" else set()
    b0 = float(hgb._baseline_prediction.ravel()[0])
    trees = []
    if constant_first:
        trees.append({"tree_index": 0, "num_leaves": 1, "num_cat": 0, "shrinkage": 1.0,
                      "tree_structure": {"leaf_value": b0}})
    for i, p in enumerate(hgb._predictors):
        shift = b0 if (i == 0 and not constant_first) else 0.0
        trees.append(lgbm_tree(hgb_nodes(p[0]), nan_feats, shift, zero_missing=(mode == "zero"),
                               tree_index=len(trees)))
    m = regressor_model(name, trees, X.shape[1], poisson=poisson, split_size=split_size)
    extra = None
    if mode in ("zero", "none"):
        base = np.median(Xtr, axis=0)
        ex, ew0 = [], []
        for f in range(X.shape[1]):
            r = base.copy(); r[f] = 0.0; ex.append(r); ew0.append(f"feature {f} exactly 0")
            r = base.copy(); r[f] = 1e-36; ex.append(r); ew0.append(f"feature {f} = 1e-36 (LightGBM IsZero)")
        extra = (ex, ew0)
    nan_cols = sorted(nan_feats)[:2] if mode == "nan" else ([0, 2] if mode in ("none", "zero") else [])
    Xreq, ew, n_te = request(Xtr, Xte, lgbm_splits(trees), 40, nan_cols, extra)
    raw = lgbm_predict_raw(trees, Xreq)
    pred = np.exp(raw) if poisson else raw
    desc = f"{what}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction",
                    check=False, extra={"float32_threshold_rounding_rows": rounding_rows(lgbm_splits(trees), Xreq)})


def main():
    binary_case("sk3_lgbm_binary_nan_zipmap", 3101,
                "LGBMClassifier(binary, 10 trees of depth <= 3) trained with 8% NaN (missing_type NaN, "
                "default_left -> nodes_missing_value_tracks_true), init score folded into the first tree; "
                "TreeEnsembleClassifier LOGISTIC -> Cast(int64) 'label' and ZipMap 'probabilities'. 'sklearn' holds "
                "the booster's direct numpy evaluation (LightGBM's double thresholds; rows on float32(threshold) "
                "may split differently, see float32_threshold_rounding_rows)")
    multi_case("sk3_lgbm_multi3_nozipmap_num_iteration", 3102,
               "LGBMClassifier(multiclass, 3 classes, 8 rounds) with early stopping at best_iteration 5: "
               "dump_model(num_iteration=5) keeps 15 trees, as predict does; SOFTMAX, class id = tree % 3; "
               "zipmap=False: Mul(probability_tensor, one) (unnamed node, scalar initializer). 'sklearn' holds the "
               "direct numpy evaluation", best_iteration=5)
    reg_case("sk3_lgbm_reg_constant_tree_missing_none", 3103,
             "LGBMRegressor(regression, 12 trees) whose first tree is a constant tree (a single leaf holding the "
             "init score), trained without NaN on centred columns: every split has missing_type None and "
             "default_left true, so nodes_missing_value_tracks_true is 1 for thresholds >= 0 and 0 for negative "
             "ones (LightGBM sends NaN to 0.0 and compares). Rows with NaN, exact zeros and 1e-36. 'sklearn' holds "
             "the direct numpy evaluation", mode="none", constant_first=True)
    reg_case("sk3_lgbm_reg_zero_as_missing", 3104,
             "LGBMRegressor(zero_as_missing=True, 12 trees): missing_type Zero on every split; the converter sets "
             "nodes_missing_value_tracks_true = default_left, which routes NaN as LightGBM does, but LightGBM also "
             "sends exact zeros (|x| <= 1e-35) to the default child while the graph compares them with the "
             "threshold, so rows with zeros can differ from LightGBM ('sklearn'); onnxruntime is the reference",
             mode="zero")
    binary_case("sk3_lgbm_binary_categorical_str", 3105,
                "LGBMClassifier(binary, 10 trees) with 2 categorical columns (3: 7 categories, 4: 4 categories) and "
                "string labels: '==' splits on 'a||b||c' unfolded into chains of BRANCH_EQ nodes sharing their "
                "left subtree (several parents per node); classlabels_strings, Identity 'label', ZipMap with string "
                "keys; NaN in training. Edge rows on column 3: listed, unseen, negative, non-integer (LightGBM "
                "truncates, BRANCH_EQ does not) and NaN categories. 'sklearn' holds the direct numpy evaluation",
                categorical=True, str_labels=["no", "yes"])
    reg_case("sk3_lgbm_reg_split_sum", 3106,
             "LGBMRegressor(regression, 14 trees) converted with split=4: four TreeEnsembleRegressor nodes (trees "
             "0-3, 4-7, 8-11, 12-13, tree ids kept) -> Cast(double) -> Sum -> Cast(float); NaN routed by "
             "missing_type NaN. 'sklearn' holds the direct numpy evaluation", split_size=4, rounds=14)
    reg_case("sk3_lgbm_reg_poisson", 3107,
             "LGBMRegressor(poisson, 10 trees): TreeEnsembleRegressor -> Exp; NaN in training and request. "
             "'sklearn' holds exp of the direct numpy evaluation", poisson=True, rounds=10)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
