"""gen_sk_trees writes sk_tree_* cases: tree models as skl2onnx 1.14
converts them (operator_converters/decision_tree.py, random_forest.py,
gradient_boosting.py, common/tree_ensemble.py).

What the converters write, reproduced here:
  * TreeEnsembleClassifier / TreeEnsembleRegressor, ai.onnx.ml 1, all float
    attributes FLOATS (float32). Nodes listed per tree in sklearn's node
    order (ids 0..n-1), modes BRANCH_LEQ / LEAF, leaves with featureid 0,
    value 0, children 0; nodes_hitrates 1.0; missing_value_tracks_true 0
    (HistGradientBoosting: missing_go_to_left).
  * Thresholds of DecisionTree / RandomForest / ExtraTrees / GradientBoosting
    are adjusted like skl2onnx's sklearn_threshold: the float32 w with
    (float)x <= t  <=>  (float)x <= w (w = float32(t), or the float32 just
    below it when float32(t) > t). HistGradientBoosting thresholds are only
    rounded.
  * Classifier leaves: class fractions x (1 / n_trees) (DT, RF, ET); raw leaf
    values x learning_rate (GB); raw values (HGB). Two classes keep only the
    class-1 weight (class_ids 0). GB: base_values = _raw_predict_init (zeros
    for init='zero'), post_transform LOGISTIC (binary) / SOFTMAX. HGB:
    base_values = _baseline_prediction. Regressors: n_targets = n_outputs_,
    weights value x (1/n_trees) (RF) or x learning_rate (GB, base_values = the
    init prediction).
  * Classifiers end with Cast(label -> output_label) or Identity (string
    labels) and ZipMap.
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, load_diabetes
from sklearn.ensemble import (RandomForestClassifier, RandomForestRegressor, ExtraTreesRegressor,
                              GradientBoostingClassifier, GradientBoostingRegressor,
                              HistGradientBoostingClassifier, HistGradientBoostingRegressor, ExtraTreesClassifier)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skcommon import (Builder, float_input, tinfo, classifier_tail, labels_attr, split, edge_rows, describe_edges,
                      run_case, make_clf, make_reg, tree_threshold_rows)


def sklearn_threshold(t):
    """sklearn_threshold returns the float32 w with (float)x <= t <=> (float)x <= w."""
    f = np.float32(t)
    if float(f) <= t:
        return f
    return np.nextafter(f, np.float32(-np.inf))


class TreeAttrs:
    def __init__(self, classifier):
        self.clf = classifier
        self.a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                                  "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                                  "nodes_hitrates"]}
        p = "class_" if classifier else "target_"
        self.p = p
        for k in ["treeids", "nodeids", "ids", "weights"]:
            self.a[p + k] = []
        self.splits = []  # (threshold as double, feature) of every split, for edge rows

    def _node(self, tree_id, i, feat, mode, value, left, right, missing):
        a = self.a
        a["nodes_treeids"].append(tree_id); a["nodes_nodeids"].append(i)
        a["nodes_featureids"].append(int(feat)); a["nodes_modes"].append(mode)
        a["nodes_values"].append(float(value)); a["nodes_truenodeids"].append(int(left))
        a["nodes_falsenodeids"].append(int(right)); a["nodes_missing_value_tracks_true"].append(int(missing))
        a["nodes_hitrates"].append(1.0)

    def _leaf(self, tree_id, i, weights, tree_weight, bias, counts):
        w = np.asarray(weights, dtype=np.float64).ravel()
        factor = tree_weight
        if counts:
            s = w.sum()
            factor /= s if s != 0 else 1.0
        w = w * factor
        if len(w) == 2 and self.clf:
            w = w[1:]
        for j, v in enumerate(w):
            self.a[self.p + "treeids"].append(tree_id); self.a[self.p + "nodeids"].append(i)
            self.a[self.p + "ids"].append(j + bias); self.a[self.p + "weights"].append(float(v))

    def add_tree(self, tree, tree_id, tree_weight, bias, counts):
        for i in range(tree.node_count):
            if tree.children_left[i] > i or tree.children_right[i] > i:
                t = float(tree.threshold[i])
                self.splits.append((t, int(tree.feature[i])))
                self._node(tree_id, i, tree.feature[i], "BRANCH_LEQ", sklearn_threshold(t),
                           tree.children_left[i], tree.children_right[i], 0)
            else:
                self._node(tree_id, i, 0, "LEAF", 0.0, 0, 0, 0)
                self._leaf(tree_id, i, tree.value[i], tree_weight, bias, counts)

    def add_hgb_tree(self, pred, tree_id, bias):
        for i, nd in enumerate(pred.nodes):
            if nd["is_leaf"]:
                self._node(tree_id, i, 0, "LEAF", 0.0, 0, 0, 0)
                self._leaf(tree_id, i, [nd["value"]], 1.0, bias, False)
            else:
                t = float(nd["num_threshold"])
                self.splits.append((t, int(nd["feature_idx"])))
                self._node(tree_id, i, nd["feature_idx"], "BRANCH_LEQ", np.float32(t), nd["left"], nd["right"],
                           nd["missing_go_to_left"])

    def attrs(self):
        out = dict(self.a)
        for k in ["nodes_values", "nodes_hitrates", self.p + "weights"]:
            out[k] = [float(v) for v in np.asarray(out[k], dtype=np.float32)]
        return out


def rounding_rows(splits, X):
    """rounding_rows lists rows where some split decides differently with the
    float64 threshold and the plain float32-rounded one."""
    rows = set()
    Xf = X.astype(np.float32).astype(np.float64)
    for t, f in splits:
        a = Xf[:, f] <= t
        bb = Xf[:, f] <= float(np.float32(t))
        rows.update(np.flatnonzero(a != bb).tolist())
    return sorted(rows)


def build_clf(name, model, ta, target, n_features, post="NONE", base=None):
    b = Builder(target)
    kind, labels = labels_attr(model.classes_)
    attrs = ta.attrs()
    attrs["classlabels_" + ("strings" if kind == "strings" else "int64s")] = labels
    attrs["post_transform"] = post
    if base is not None:
        attrs["base_values"] = [float(v) for v in np.asarray(base, dtype=np.float32).ravel()]
    b.reserve("label", "probabilities")
    b.node("TreeEnsembleClassifier", "X", ["label", "probabilities"], domain="ai.onnx.ml", version=1, **attrs)
    outs = classifier_tail(b, "label", "probabilities", model.classes_)
    return b.model([float_input(n_features)], outs, name)


def build_reg(name, ta, target, n_features, n_targets=1, base=None):
    b = Builder(target)
    attrs = ta.attrs()
    attrs["n_targets"] = n_targets
    attrs["post_transform"] = "NONE"
    if base is not None:
        attrs["base_values"] = [float(v) for v in np.asarray(base, dtype=np.float32).ravel()]
    b.node("TreeEnsembleRegressor", "X", "variable", domain="ai.onnx.ml", version=1, **attrs)
    return b.model([float_input(n_features)], [tinfo("variable", TensorProto.FLOAT, [None, n_targets])], name)


def request_rows(Xtr, Xte, splits, n_rows, nan_rows=None, seed=0):
    edges, ew = edge_rows(Xtr)
    thr, tw = tree_threshold_rows(Xtr, [s[0] for s in splits], [s[1] for s in splits], n=3)
    parts = [Xte[:n_rows], edges, thr]
    what = ew + tw
    if nan_rows is not None:
        parts.append(nan_rows[0]); what += nan_rows[1]
    X = np.vstack(parts).astype(np.float32)
    return X, what, min(n_rows, len(Xte))


def clf_case(name, model, X, y, seed, what, target=15, n_rows=55, str_labels=None, nan=None):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    model.fit(Xtr, ytr)
    ta = TreeAttrs(True)
    post, base = "NONE", None
    if isinstance(model, (HistGradientBoostingClassifier,)):
        k = model.n_trees_per_iteration_
        for it, preds in enumerate(model._predictors):
            for c, p in enumerate(preds):
                ta.add_hgb_tree(p, it * k + c if k > 1 else it, c)
        base = np.ravel(model._baseline_prediction)
        post = "LOGISTIC" if k == 1 else "SOFTMAX"
    elif isinstance(model, GradientBoostingClassifier):
        K = model.estimators_.shape[1]
        for i in range(model.n_estimators_):
            for c in range(K):
                ta.add_tree(model.estimators_[i][c].tree_, i * K + c if K > 1 else i, model.learning_rate, c, False)
        if model.init == "zero":
            base = np.zeros(K)
        else:
            base = model._raw_predict_init(np.zeros((1, X.shape[1]))).ravel()
        post = "LOGISTIC" if K == 1 else "SOFTMAX"
    elif hasattr(model, "estimators_"):
        n = len(model.estimators_)
        for t, est in enumerate(model.estimators_):
            ta.add_tree(est.tree_, t, 1.0 / n, 0, True)
    else:
        ta.add_tree(model.tree_, 0, 1.0, 0, True)
    nan_rows = None
    if nan is not None:
        nan_rows = nan(Xtr)
    Xreq, ew, n_te = request_rows(Xtr, Xte, ta.splits, n_rows, nan_rows)
    m = build_clf(name, model, ta, target, X.shape[1], post, base)
    Z = Xreq.astype(np.float64)
    proba = model.predict_proba(Z)
    sk = {"label": model.predict(Z), "probabilities": proba}
    rr = rounding_rows(ta.splits, Xreq)
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="output_label", score_out="output_probability",
                    score_key="probabilities", tie_scores=proba, extra={"float32_threshold_rounding_rows": rr})


def reg_case(name, model, X, y, seed, what, target=15, n_rows=55, nan=None, tol_rel=1e-6, reason=None):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    model.fit(Xtr, ytr)
    ta = TreeAttrs(False)
    base = None
    n_targets = 1 if ytr.ndim == 1 else ytr.shape[1]
    if isinstance(model, HistGradientBoostingRegressor):
        for it, preds in enumerate(model._predictors):
            ta.add_hgb_tree(preds[0], it, 0)
        base = np.ravel(model._baseline_prediction)
    elif isinstance(model, GradientBoostingRegressor):
        for i in range(model.n_estimators_):
            ta.add_tree(model.estimators_[i][0].tree_, i, model.learning_rate, 0, False)
        base = model._raw_predict_init(np.zeros((1, X.shape[1]))).ravel()
    elif hasattr(model, "estimators_"):
        n = len(model.estimators_)
        for t, est in enumerate(model.estimators_):
            ta.add_tree(est.tree_, t, 1.0 / n, 0, False)
    else:
        ta.add_tree(model.tree_, 0, 1.0, 0, False)
    nan_rows = nan(Xtr) if nan is not None else None
    Xreq, ew, n_te = request_rows(Xtr, Xte, ta.splits, n_rows, nan_rows)
    m = build_reg(name, ta, target, X.shape[1], n_targets, base)
    pred = model.predict(Xreq.astype(np.float64)).reshape(len(Xreq), -1)
    rr = rounding_rows(ta.splits, Xreq)
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction",
                    tol_rel=tol_rel, tol_reason=reason, extra={"float32_threshold_rounding_rows": rr})


def with_nan(Xtr, frac, seed):
    rng = np.random.RandomState(seed)
    X = Xtr.copy()
    X[rng.rand(*X.shape) < frac] = np.nan
    return X


def nan_rows_fn(cols):
    def f(Xtr):
        base = np.nanmedian(Xtr, axis=0)
        rows, what = [], []
        for c in cols:
            r = base.copy(); r[c] = np.nan; rows.append(r); what.append(f"feature {c} missing (NaN)")
        r = np.full_like(base, np.nan); rows.append(r); what.append("all features missing (NaN)")
        return np.array(rows), what
    return f


def main():
    bc = load_breast_cancer()
    iris = load_iris()
    wine = load_wine()
    diab = load_diabetes()
    clf_case("sk_tree_dt_binary_strlabels", DecisionTreeClassifier(max_depth=4, random_state=0),
             bc.data, bc.target, 201, "DecisionTreeClassifier(max_depth=4) binary, string labels "
             "(classlabels_strings, one class-1 weight per leaf, Identity on the label). Data: breast_cancer_str "
             "(seed 201)", str_labels=["malignant", "benign"])
    clf_case("sk_tree_rf_multi_strlabels", RandomForestClassifier(n_estimators=8, max_depth=5, random_state=1),
             iris.data, iris.target, 202, "RandomForestClassifier(8 trees, max_depth=5) 3 classes, string labels, "
             "ZipMap. Data: iris_str (seed 202)", str_labels=["setosa", "versicolor", "virginica"], target=17)
    clf_case("sk_tree_rf_depth_none", RandomForestClassifier(n_estimators=4, max_depth=None, random_state=2),
             wine.data[:, :6], wine.target, 203, "RandomForestClassifier(4 trees, max_depth=None: pure leaves) "
             "3 classes on 6 wine features. Data: wine[:, :6] (seed 203)", n_rows=40)
    clf_case("sk_tree_et_binary", ExtraTreesClassifier(n_estimators=6, max_depth=5, random_state=3),
             bc.data, bc.target, 204, "ExtraTreesClassifier(6 trees, max_depth=5) binary (single class-1 weight, "
             "probabilities [1-s, s], label s > 0.5). Data: breast_cancer (seed 204)")
    Xh, yh = make_clf(2, 6, 205)
    clf_case("sk_tree_hgb_binary_nan", HistGradientBoostingClassifier(max_iter=15, max_depth=3, random_state=0),
             with_nan(Xh, 0.1, 5), yh, 205, "HistGradientBoostingClassifier(max_iter=15, max_depth=3) binary "
             "trained with 10% NaN: base_values = [baseline log-odds], LOGISTIC, "
             "nodes_missing_value_tracks_true = missing_go_to_left; NaN in the request. Data: clf2_6 with NaN "
             "(seed 205)", nan=nan_rows_fn([0, 2, 4]))
    Xh3, yh3 = make_clf(3, 5, 206)
    clf_case("sk_tree_hgb_multi_nan", HistGradientBoostingClassifier(max_iter=8, max_depth=3, random_state=0),
             with_nan(Xh3, 0.08, 6), yh3, 206, "HistGradientBoostingClassifier(max_iter=8, max_depth=3) 3 classes "
             "trained with 8% NaN (tree id = iteration*3 + class, SOFTMAX); NaN in the request. Data: clf3_5 with "
             "NaN (seed 206)", nan=nan_rows_fn([1, 3]), target=16)
    clf_case("sk_tree_gbc_init_zero", GradientBoostingClassifier(n_estimators=12, max_depth=2, init="zero",
                                                                  random_state=0),
             bc.data, bc.target, 207, "GradientBoostingClassifier(12 trees, max_depth=2, init='zero') binary: "
             "base_values [0], LOGISTIC. Data: breast_cancer (seed 207)")
    clf_case("sk_tree_gbc_multi_init_zero", GradientBoostingClassifier(n_estimators=6, max_depth=2, init="zero",
                                                                        learning_rate=0.3, random_state=0),
             wine.data, wine.target, 208, "GradientBoostingClassifier(6 rounds x 3 classes, max_depth=2, "
             "init='zero', lr 0.3) 3 classes: base_values [0, 0, 0], SOFTMAX. Data: wine (seed 208)")
    # A tiny boosted model whose leaf values are all >= 0. ONNX-NOTES (pitfall, ORT issue #27533) says older
    # onnxruntime releases then skip the sigmoid and use a 0.5 label threshold; onnxruntime 1.30 applies the
    # LOGISTIC transform ([sigmoid(-s), sigmoid(s)], label s > 0) and agrees with scikit-learn.
    rng = np.random.RandomState(209)
    Xp = rng.normal(size=(400, 3))
    yp = (rng.rand(400) < np.where(Xp[:, 0] > 0, 0.95, 0.7)).astype(int)
    gb = GradientBoostingClassifier(n_estimators=2, max_depth=1, init="zero", learning_rate=0.5, random_state=0)
    clf_case("sk_tree_gbc_all_positive_leaves", gb, Xp, yp, 209,
             "GradientBoostingClassifier(2 stumps, init='zero', lr 0.5) binary on data where class 1 dominates "
             "every leaf, so every class weight is >= 0 (base_values [0], LOGISTIC). onnxruntime 1.30 still applies "
             "the sigmoid ([sigmoid(-s), sigmoid(s)], label s > 0), unlike the 'all weights positive' path of older "
             "releases (no sigmoid, threshold 0.5). Data: synthetic 3 features (seed 209)", n_rows=40)
    reg_case("sk_tree_et_reg", ExtraTreesRegressor(n_estimators=6, max_depth=6, random_state=4), diab.data,
             diab.target, 210, "ExtraTreesRegressor(6 trees, max_depth=6). Data: diabetes (seed 210)")
    Xr, yr = make_reg(5, 211)
    reg_case("sk_tree_hgb_reg_nan", HistGradientBoostingRegressor(max_iter=20, max_depth=4, random_state=0),
             with_nan(Xr, 0.1, 7), yr, 211, "HistGradientBoostingRegressor(max_iter=20, max_depth=4) trained with "
             "10% NaN (missing_go_to_left -> nodes_missing_value_tracks_true); NaN in the request. "
             "Data: reg_5 with NaN (seed 211)", nan=nan_rows_fn([0, 1, 3]), target=17)
    from sklearn.datasets import make_regression
    Xm, ym = make_regression(n_samples=400, n_features=4, n_targets=2, noise=3.0, random_state=212)
    reg_case("sk_tree_rf_reg_multioutput", RandomForestRegressor(n_estimators=5, max_depth=5, random_state=5), Xm,
             ym, 212, "RandomForestRegressor(5 trees, max_depth=5) with 2 targets: n_targets 2, two weights per "
             "leaf (target_ids 0 and 1). Data: make_regression 4 features, 2 targets (seed 212)")
    reg_case("sk_tree_dt_reg_deep", DecisionTreeRegressor(max_depth=None, min_samples_leaf=3, random_state=0),
             diab.data[:200], diab.target[:200], 213, "DecisionTreeRegressor(max_depth=None, min_samples_leaf=3) "
             "on 120 training rows. Data: diabetes[:200] (seed 213)", n_rows=50)
    reg_case("sk_tree_gbr_huber", GradientBoostingRegressor(n_estimators=25, max_depth=3, loss="huber",
                                                            random_state=0),
             diab.data, diab.target, 214, "GradientBoostingRegressor(25 trees, max_depth=3, loss='huber'): "
             "base_values = init median, weights x learning_rate. Data: diabetes (seed 214)")


if __name__ == "__main__":
    main()
