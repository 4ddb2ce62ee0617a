"""gen_sk3_xgb writes sk3_xgb_* cases: XGBoost models as onnxmltools 1.13
converts them (onnxmltools/convert/xgboost/operator_converters/XGBoost.py and
common.py, written out through onnxconverter-common's container and
make_model_ex).

xgboost is not installed, so each booster is written by hand in the form of
Booster.get_dump(dump_format='json', with_stats=True): the trees of a
HistGradientBoosting model fitted on the case's data are re-expressed as
XGBoost trees (node ids allocated breadth first as XGBoost's depthwise
grower does, children listed [yes, no], features named f<i>, split_condition
the float32 s with x < s <=> x <= threshold, leaf values float32, 'missing'
= the yes child when NaN went left). The booster is then evaluated directly
in numpy as xgboost's CPU predictor does (float32 margins: base margin, plus
the leaf of each tree, NaN follows 'missing', otherwise x < split_condition
goes to 'yes'), and that evaluation is what 'sklearn' holds.

What the converter writes, reproduced here:
  * one TreeEnsembleClassifier / TreeEnsembleRegressor, ai.onnx.ml 1 (the
    container's default op_version), node name = the op type; node ids
    renumbered per tree in depth-first preorder of the dump (remap);
    modes BRANCH_LT; nodes_values = float(split_condition);
    nodes_missing_value_tracks_true = (missing == yes); leaves LEAF with
    featureid 0, value 0, children 0 and one weight (class id 0 or tree %
    n_classes); no nodes_hitrates.
  * regressor: base_values [base_score], post_transform NONE, n_targets 1;
    count:poisson drops base_values and appends Exp and Mul(base_score)
    (nodes without names, op_version 1).
  * classifier: binary (binary:logistic, reg:logistic) -> post_transform
    LOGISTIC, class_ids 0, base_values [-log(1/float32(base_score) - 1)] only
    when base_score != 0.5; multi:softprob -> SOFTMAX, base_values
    [base_score] * n_classes, class_ids = tree id % n_classes; multi:softmax
    -> NONE; binary:hinge -> NONE, base_values [base_score], then
    Greater(scores, 0) and Where(., 1, 0). Outputs 'label' (int64) and
    'probabilities' (no ZipMap).
  * best_ntree_limit (early stopping): the regressor keeps the first
    best_ntree_limit trees, the classifier the first best_ntree_limit x
    n_classes trees; xgboost's predict uses the same iteration range.
  * model header: opset imports = the max op_version per domain over the
    nodes added, a default-domain version below 8 raised to 8 (so the models
    with Exp / Mul / Greater / Where import opset 8), ir_version from that
    opset (8 -> 3) or from the target opset 15 (-> 8) when no default-domain
    node exists; producer OnnxMLTools 1.13.0, domain onnxconverter-common.
"""
import json

import numpy as np
from onnx import TensorProto, helper
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from skcommon import tinfo, split, run_case, make_clf, make_reg, describe_edges, write_error_case

ML = "ai.onnx.ml"
IR_FOR_OPSET_OCC = {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3, 8: 3, 9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7, 15: 8}
F32 = np.float32


# ---------------------------------------------------------------- boosters from HistGradientBoosting trees
def hgb_nodes(pred):
    """hgb_nodes returns a HistGradientBoosting predictor's nodes as dicts."""
    out = []
    for nd in pred.nodes:
        if nd["is_leaf"]:
            out.append({"leaf": True, "value": float(nd["value"])})
        else:
            d = {"leaf": False, "feature": int(nd["feature_idx"]), "threshold": float(nd["num_threshold"]),
                 "left": int(nd["left"]), "right": int(nd["right"]), "missing_left": bool(nd["missing_go_to_left"]),
                 "categorical": bool(nd["is_categorical"])}
            if d["categorical"]:
                bits = pred.raw_left_cat_bitsets[int(nd["bitset_idx"])]
                d["cats"] = [c for c in range(32 * len(bits)) if (int(bits[c // 32]) >> (c % 32)) & 1]
            out.append(d)
    return out


def next_f32_above(t):
    """next_f32_above returns the smallest float32 s > t, so x < s <=> x <= t for float32 x."""
    f = F32(t)
    if float(f) <= t:
        f = np.nextafter(f, F32(np.inf))
    return f


def xgb_dump(nodes, feature_map=None, extra_leaf_shift=0.0):
    """xgb_dump writes a tree in get_dump(dump_format='json', with_stats=True)
    form: breadth-first node ids, children [yes, no]."""
    fm = feature_map or {}
    order = [0]
    ids = {0: 0}
    k = 0
    while k < len(order):
        i = order[k]
        k += 1
        if not nodes[i]["leaf"]:
            for c in (nodes[i]["left"], nodes[i]["right"]):
                ids[c] = len(order)
                order.append(c)

    def build(i, depth):
        nd = nodes[i]
        if nd["leaf"]:
            return {"nodeid": ids[i], "leaf": float(F32(nd["value"] + extra_leaf_shift)), "cover": 1.0}
        yes, no = ids[nd["left"]], ids[nd["right"]]
        return {"nodeid": ids[i], "depth": depth, "split": "f%d" % fm.get(nd["feature"], nd["feature"]),
                "split_condition": float(next_f32_above(nd["threshold"])), "yes": yes, "no": no,
                "missing": yes if nd["missing_left"] else no, "gain": 1.0, "cover": 1.0,
                "children": [build(nd["left"], depth + 1), build(nd["right"], depth + 1)]}
    return json.loads(json.dumps(build(0, 0)))


def xgb_eval(js_trees, X, n_groups=1, base_margin=0.0):
    """xgb_eval returns float32 margins [n, n_groups] as xgboost's CPU
    predictor computes them (tree i adds to group i % n_groups)."""
    Xf = np.asarray(X, dtype=F32)
    out = np.full((len(Xf), n_groups), F32(base_margin), dtype=F32)
    for t, tree in enumerate(js_trees):
        for r in range(len(Xf)):
            nd = tree
            while "leaf" not in nd:
                x = Xf[r, int(nd["split"][1:])]
                if np.isnan(x):
                    nxt = nd["missing"]
                else:
                    nxt = nd["yes"] if x < F32(nd["split_condition"]) else nd["no"]
                nd = next(c for c in nd["children"] if c["nodeid"] == nxt)
            out[r, t % n_groups] = F32(out[r, t % n_groups] + F32(nd["leaf"]))
    return out


def sigmoid32(x):
    x = np.asarray(x, dtype=F32)
    return (F32(1) / (F32(1) + np.exp(-x))).astype(F32)


def xgb_splits(js_trees):
    """xgb_splits lists (split_condition, feature) of every split node."""
    out = []

    def walk(nd):
        if "leaf" in nd:
            return
        out.append((nd["split_condition"], int(nd["split"][1:])))
        for c in nd["children"]:
            walk(c)
    for t in js_trees:
        walk(t)
    return out


# ---------------------------------------------------------------- the onnxmltools 1.13 converter
def _remap(js, remap=None):
    remap = {} if remap is None else remap
    remap[js["nodeid"]] = len(remap)
    for ch in js.get("children", []):
        _remap(ch, remap)
    return remap


def _fill(a, classifier, tree_id, js, remap):
    p = "class_" if classifier else "target_"
    if "children" in js:
        a["nodes_treeids"].append(tree_id); a["nodes_nodeids"].append(remap[js["nodeid"]])
        a["nodes_featureids"].append(int(js["split"][1:])); a["nodes_modes"].append("BRANCH_LT")
        a["nodes_values"].append(float(js["split_condition"]))
        a["nodes_truenodeids"].append(remap[js["yes"]]); a["nodes_falsenodeids"].append(remap[js["no"]])
        a["nodes_missing_value_tracks_true"].append(int(js.get("missing", -1) == js["yes"]))
        for ch in js["children"]:
            _fill(a, classifier, tree_id, ch, remap)
    else:
        a["nodes_treeids"].append(tree_id); a["nodes_nodeids"].append(remap[js["nodeid"]])
        a["nodes_featureids"].append(0); a["nodes_modes"].append("LEAF"); a["nodes_values"].append(0.0)
        a["nodes_truenodeids"].append(0); a["nodes_falsenodeids"].append(0)
        a["nodes_missing_value_tracks_true"].append(0)
        a[p + "treeids"].append(tree_id); a[p + "nodeids"].append(remap[js["nodeid"]])
        a[p + "ids"].append(0); a[p + "weights"].append(float(js["leaf"]))


def tree_attrs(js_trees, classifier):
    keys = ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
            "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true"]
    p = "class_" if classifier else "target_"
    a = {k: [] for k in keys + [p + "treeids", p + "nodeids", p + "ids", p + "weights"]}
    for t, js in enumerate(js_trees):
        _fill(a, classifier, t, js, _remap(js))
    return a


def occ_model(name, nodes, inputs, outputs, inits=(), pairs=(("ai.onnx.ml", 1),), target=15):
    """occ_model writes the model header as onnxconverter-common's
    make_model_ex does (see the module doc)."""
    versions = {}
    for d, v in pairs:
        if d not in versions and d == "" and v < 8 <= target:
            v = 8
        versions[d] = max(versions.get(d, 0), v)
    g = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid(d, v) for d, v in versions.items()])
    m.ir_version = IR_FOR_OPSET_OCC[versions.get("", target)]
    m.producer_name, m.producer_version = "OnnxMLTools", "1.13.0"
    m.domain, m.model_version = "onnxconverter-common", 0
    return m


def convert_regressor(name, js_trees, objective, base_score, n_features, best_ntree_limit=None, input_name="X"):
    if best_ntree_limit and best_ntree_limit < len(js_trees):
        js_trees = js_trees[:best_ntree_limit]
    a = tree_attrs(js_trees, False)
    a["post_transform"] = "NONE"
    a["n_targets"] = 1
    a["base_values"] = [float(base_score)]
    inits, pairs = [], [(ML, 1)]
    if objective == "count:poisson":
        del a["base_values"]
        nodes = [helper.make_node("TreeEnsembleRegressor", [input_name], ["tree"], name="TreeEnsembleRegressor",
                                  domain=ML, **a),
                 helper.make_node("Exp", ["tree"], ["exp"]),
                 helper.make_node("Mul", ["exp", "poisson"], ["variable"])]
        inits.append(helper.make_tensor("poisson", TensorProto.FLOAT, [1], [base_score]))
        pairs += [("", 1), ("", 1)]
    else:
        nodes = [helper.make_node("TreeEnsembleRegressor", [input_name], ["variable"], name="TreeEnsembleRegressor",
                                  domain=ML, **a)]
    return occ_model(name, nodes, [tinfo(input_name, TensorProto.FLOAT, [None, n_features])],
                     [tinfo("variable", TensorProto.FLOAT, [None, 1])], inits, pairs)


def convert_classifier(name, js_trees, objective, base_score, n_features, classes, n_estimators, num_class=None,
                       best_ntree_limit=None, input_name="X"):
    a = tree_attrs(js_trees, True)
    if num_class is not None:
        ncl = num_class
        n_estimators = len(js_trees) // ncl
    else:
        ncl = (max(a["class_treeids"]) + 1) // n_estimators
    limit = best_ntree_limit or len(js_trees)
    if ncl > 0:
        limit *= ncl
    if 0 < limit < len(js_trees):
        js_trees = js_trees[:limit]
        a = tree_attrs(js_trees, True)
    if ncl <= 1:
        if objective != "binary:hinge":
            a["post_transform"] = "LOGISTIC"
            a["class_ids"] = [0 for _ in a["class_treeids"]]
            if js_trees[0].get("leaf", None) == 0:
                a["base_values"] = [base_score]
            elif base_score != 0.5:
                a["base_values"] = [float(-np.log(1 / F32(base_score) - 1.0))]
        else:
            a["base_values"] = [base_score]
    else:
        a["post_transform"] = "SOFTMAX"
        a["base_values"] = [base_score for _ in range(ncl)]
        a["class_ids"] = [v % ncl for v in a["class_treeids"]]
    a["classlabels_int64s"] = [int(c) for c in classes]
    outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, len(classes)])]
    inits, pairs = [], [(ML, 1)]
    if objective == "binary:hinge":
        a["post_transform"] = "NONE"
        nodes = [helper.make_node("TreeEnsembleClassifier", [input_name], ["label", "output_prob"],
                                  name="TreeEnsembleClassifier", domain=ML, **a),
                 helper.make_node("Greater", ["output_prob", "zero"], ["output_prob1"]),
                 helper.make_node("Where", ["output_prob1", "one", "zero"], ["probabilities"])]
        inits += [helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0]),
                  helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])]
        pairs += [("", 1), ("", 1)]
    else:
        if objective == "multi:softmax":
            a["post_transform"] = "NONE"
        nodes = [helper.make_node("TreeEnsembleClassifier", [input_name], ["label", "probabilities"],
                                  name="TreeEnsembleClassifier", domain=ML, **a)]
    return occ_model(name, nodes, [tinfo(input_name, TensorProto.FLOAT, [None, n_features])], outs, inits, pairs)


# ---------------------------------------------------------------- requests
def request(Xtr, Xte, splits, n_rows, nan_cols=(), n_thr=3):
    """request: test rows, edge rows, rows on split_condition (goes 'no')
    and on the float32 just below it (goes 'yes'), NaN rows."""
    base = np.nanmedian(Xtr, axis=0)
    rows, what = [], []
    for w, r in [("all zeros", np.zeros_like(base)), ("median row x 1e3 (large magnitude)", base * 1e3),
                 ("median row x 1e-6 (tiny magnitude)", base * 1e-6), ("training column maxima", np.nanmax(Xtr, 0)),
                 ("training column minima", np.nanmin(Xtr, 0))]:
        rows.append(r); what.append(w)
    for s, f in splits[:n_thr]:
        r = base.astype(F32).astype(np.float64); r[f] = s
        rows.append(r); what.append(f"feature {f} = split_condition {s!r} (x < s is false: 'no' child)")
        r = r.copy(); r[f] = float(np.nextafter(F32(s), F32(-np.inf)))
        rows.append(r); what.append(f"feature {f} = the float32 just below it ('yes' child)")
    for c in nan_cols:
        r = base.copy(); r[c] = np.nan
        rows.append(r); what.append(f"feature {c} missing (NaN)")
    if nan_cols:
        rows.append(np.full_like(base, np.nan)); what.append("all features missing (NaN)")
    n_te = min(n_rows, len(Xte))
    return np.vstack([Xte[:n_te], np.array(rows)]).astype(F32), what, n_te


def with_nan(X, frac, seed):
    rng = np.random.RandomState(seed)
    X = X.copy()
    X[rng.rand(*X.shape) < frac] = np.nan
    return X


def widen(X, width, cols, seed):
    """widen places X's columns at positions cols of a width-column matrix
    whose other columns are noise the booster never splits on."""
    rng = np.random.RandomState(seed)
    out = rng.normal(size=(len(X), width)) * 3.0
    out[:, cols] = X
    return out


# ---------------------------------------------------------------- cases
def binary_case(name, seed, what, objective="binary:logistic", base_from_prior=True, width=None, cols=None,
                single_leaf_at=None, nan_frac=0.1, input_name="X", check=True):
    X, y = make_clf(2, 5, seed)
    X = with_nan(X, nan_frac, seed) if nan_frac else X
    Xtr, Xte, ytr, yte = split(X, y, seed)
    hgb = HistGradientBoostingClassifier(max_iter=12, max_depth=3, learning_rate=0.3, random_state=0).fit(Xtr, ytr)
    fm = {}
    if width is not None:
        fm = {i: c for i, c in enumerate(cols)}
        Xtr, Xte = widen(Xtr, width, cols, seed), widen(Xte, width, cols, seed + 1)
    base_score = float(F32(1 / (1 + np.exp(-hgb._baseline_prediction.ravel()[0])))) if base_from_prior else 0.5
    js = [xgb_dump(hgb_nodes(p[0]), fm) for p in hgb._predictors]
    if single_leaf_at is not None:
        js.insert(single_leaf_at, {"nodeid": 0, "leaf": 0.0371093750, "cover": 480.0})
    n_est = len(js)
    m = convert_classifier(name, js, objective, base_score, Xtr.shape[1], [0, 1], n_est, input_name=input_name)
    nan_cols = sorted({f for _, f in xgb_splits(js)})[:3] if nan_frac else []
    Xreq, ew, n_te = request(Xtr, Xte, xgb_splits(js), 40, nan_cols)
    if objective == "binary:hinge":
        margin = xgb_eval(js, Xreq, 1, F32(base_score))[:, 0]
        p = (margin > 0).astype(np.float64)
    else:
        bm = F32(-np.log(F32(1) / F32(base_score) - F32(1)))
        margin = xgb_eval(js, Xreq, 1, bm)[:, 0]
        p = sigmoid32(margin).astype(np.float64)
    proba = np.stack([1 - p, p], axis=1)
    sk = {"label": (p > 0.5).astype(np.int64), "probabilities": proba}
    ties = np.stack([-margin, margin], axis=1)
    desc = f"{what.format(base_score=base_score)}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {input_name: Xreq}, sk, desc, label_out="label", score_out="probabilities",
                    score_key="probabilities", tie_scores=ties, check=check)


def multi_case(name, seed, what, objective="multi:softprob", n_classes=4, best_iteration=None, rounds=8):
    X, y = make_clf(n_classes, 6, seed)
    X = with_nan(X, 0.05, seed)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    hgb = HistGradientBoostingClassifier(max_iter=rounds, max_depth=3, learning_rate=0.3, random_state=0).fit(Xtr, ytr)
    js = [xgb_dump(hgb_nodes(p), {}) for preds in hgb._predictors for p in preds]
    limit = best_iteration + 1 if best_iteration is not None else None
    m = convert_classifier(name, js, objective, 0.5, Xtr.shape[1], list(range(n_classes)), rounds,
                           num_class=n_classes, best_ntree_limit=limit)
    used = js[:limit * n_classes] if limit else js
    Xreq, ew, n_te = request(Xtr, Xte, xgb_splits(used), 40, sorted({f for _, f in xgb_splits(used)})[:2])
    raw = xgb_eval(used, Xreq, n_classes, F32(0.5)).astype(np.float64)
    e = np.exp(raw - raw.max(axis=1, keepdims=True))
    proba = e / e.sum(axis=1, keepdims=True)
    if objective == "multi:softmax":
        sk, key = {"label": raw.argmax(axis=1), "margins": raw}, "margins"
    else:
        sk, key = {"label": raw.argmax(axis=1), "probabilities": proba}, "probabilities"
    desc = f"{what}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="label", score_out="probabilities", score_key=key,
                    tie_scores=raw)


def reg_case(name, seed, what, objective="reg:squarederror", best_ntree_limit=None, single_leaf_at=None,
             width=None, cols=None):
    X, y = make_reg(4, seed)
    if objective == "count:poisson":
        y = np.random.RandomState(seed).poisson(np.exp(0.5 + 0.4 * (y - y.mean()) / y.std())).astype(np.float64)
    X = with_nan(X, 0.08, seed)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    loss = "poisson" if objective == "count:poisson" else "squared_error"
    hgb = HistGradientBoostingRegressor(max_iter=15, max_depth=3, learning_rate=0.2, loss=loss,
                                        random_state=0).fit(Xtr, ytr)
    fm = {}
    if width is not None:
        fm = {i: c for i, c in enumerate(cols)}
        Xtr, Xte = widen(Xtr, width, cols, seed), widen(Xte, width, cols, seed + 1)
    b0 = float(hgb._baseline_prediction.ravel()[0])
    base_score = float(F32(np.exp(b0))) if objective == "count:poisson" else float(F32(b0))
    js = [xgb_dump(hgb_nodes(p[0]), fm) for p in hgb._predictors]
    if single_leaf_at is not None:
        js.insert(single_leaf_at, {"nodeid": 0, "leaf": -0.734375, "cover": 540.0})
    m = convert_regressor(name, js, objective, base_score, Xtr.shape[1], best_ntree_limit)
    used = js[:best_ntree_limit] if best_ntree_limit else js
    Xreq, ew, n_te = request(Xtr, Xte, xgb_splits(used), 40, sorted({f for _, f in xgb_splits(used)})[:2])
    if objective == "count:poisson":
        margin = xgb_eval(used, Xreq, 1, F32(np.log(F32(base_score))))
        pred = np.exp(margin.astype(np.float64))
    else:
        pred = xgb_eval(used, Xreq, 1, F32(base_score)).astype(np.float64)
    desc = f"{what}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction",
                    check=objective != "count:poisson")


def main():
    binary_case("sk3_xgb_binary_nan_base_score", 3001,
                "XGBClassifier(binary:logistic, 12 trees of depth <= 3) trained with 10% NaN, base_score = "
                "float32(prior) = {base_score} != 0.5, so base_values = [-log(1/float32(base_score) - 1)]; tree 5 is a single "
                "leaf (depth 0); the 5 used features sit at columns 0, 2, 3, 5, 7 of an 8-column input (features 1, "
                "4, 6 never split on). 'sklearn' holds the booster's direct numpy evaluation (xgboost's predict_proba "
                "[1-p, p])", width=8, cols=[0, 2, 3, 5, 7], single_leaf_at=5)
    multi_case("sk3_xgb_multi4_softprob_best_ntree_limit", 3002,
               "XGBClassifier(multi:softprob, 4 classes, 8 rounds x 4 trees) trained with 5% NaN and early stopping "
               "at best_iteration 4: best_ntree_limit 5, so the converter keeps the first 5 x 4 = 20 trees "
               "(xgboost's predict uses the same range); SOFTMAX, base_values [0.5]*4, class id = tree % 4. "
               "'sklearn' holds the direct numpy evaluation", best_iteration=4)
    multi_case("sk3_xgb_multi3_softmax_raw", 3003,
               "XGBClassifier(multi:softmax, 3 classes, 6 rounds): post_transform NONE, so 'probabilities' holds "
               "the raw margins (base 0.5 per class); label = argmax. 'sklearn' holds the direct numpy evaluation "
               "(label and margins)", objective="multi:softmax", n_classes=3, rounds=6)
    reg_case("sk3_xgb_reg_base_score_best_ntree_limit", 3004,
             "XGBRegressor(reg:squarederror, 16 trees) with base_score = mean target (base_values [base_score]), "
             "tree 3 a single leaf, features at columns 1, 2, 4, 6 of a 7-column input, early stopping with "
             "best_ntree_limit 11: the converter keeps the first 11 trees. NaN follows 'missing'. 'sklearn' holds "
             "the direct numpy evaluation", best_ntree_limit=11, single_leaf_at=3, width=7, cols=[1, 2, 4, 6])
    binary_case("sk3_xgb_clf_reg_logistic", 3005,
                "XGBClassifier(objective='reg:logistic', base_score 0.5): converted like binary:logistic (LOGISTIC, "
                "class_ids 0) and, base_score being 0.5, without base_values; no NaN. Input named 'input'. "
                "'sklearn' holds the direct numpy evaluation", objective="reg:logistic", base_from_prior=False,
                nan_frac=0.0, input_name="input")
    reg_case("sk3_xgb_reg_poisson", 3006,
             "XGBRegressor(count:poisson, 15 trees): TreeEnsembleRegressor without base_values -> Exp -> "
             "Mul(base_score) (unnamed nodes, op_version 1, so the model imports opset 8 and ir_version 3). "
             "'sklearn' holds exp(margin) of the direct numpy evaluation", objective="count:poisson")
    hinge_error_case("sk3_err_xgb_hinge_where_opset8", 3007)


def hinge_error_case(name, seed):
    """hinge_error_case writes XGBClassifier(binary:hinge) as onnxmltools
    1.13 converts it: Greater and Where are added with the container's
    default op_version 1, so the model imports the default domain at opset 8,
    where Where (since opset 9) does not exist; onnxruntime refuses it."""
    X, y = make_clf(2, 5, seed)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    hgb = HistGradientBoostingClassifier(max_iter=6, max_depth=2, random_state=0).fit(Xtr, ytr)
    js = [xgb_dump(hgb_nodes(p[0])) for p in hgb._predictors]
    m = convert_classifier(name, js, "binary:hinge", 0.5, Xtr.shape[1], [0, 1], len(js))
    write_error_case(name, m, {"X": Xte[:5].astype(F32)},
                     "XGBClassifier(binary:hinge) as onnxmltools 1.13 converts it: TreeEnsembleClassifier (NONE, "
                     "base_values [0.5]) -> Greater(scores, 0) -> Where(., 1, 0); Greater and Where carry op_version "
                     "1, so the default domain is imported at opset 8 and Where (since opset 9) has no schema; "
                     "onnxruntime 1.30 refuses the model at load")

if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
