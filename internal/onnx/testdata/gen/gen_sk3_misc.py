"""gen_sk3_misc writes sk3_misc_* cases: estimators and hyper-parameters the
earlier passes did not cover, and input forms (double pipelines that cast,
int64 inputs, fixed batch dimensions), as skl2onnx (1.14 and later) writes
them.

  * Trees (decision_tree.py, random_forest.py, gradient_boosting.py; see
    gen_sk_trees.py): single ExtraTreeClassifier / ExtraTreeRegressor,
    DecisionTreeClassifier(max_leaf_nodes) (best-first node order),
    RandomForestClassifier(class_weight='balanced', min_samples_leaf=40),
    GradientBoostingClassifier(subsample, max_features);
    HistGradientBoostingClassifier(categorical_features): the converter
    (add_tree_to_attribute_pairs_hist_gradient_boosting) ignores
    is_categorical and writes those nodes as BRANCH_LEQ on num_threshold, so
    onnxruntime and scikit-learn disagree where a categorical split decides.
  * LogisticRegression(fit_intercept=False): intercepts 0. LinearSVC(
    fit_intercept=False): intercept_ is the float 0.0 and the converter writes
    [0.0] * n_classes ([0.0] then [-0.0, 0.0] for two classes).
  * SVC(class_weight, break_ties=True) 4 classes: the label still comes from
    SVMClassifier's votes (break_ties is not converted), so rows whose votes
    tie differ from scikit-learn (argmax of the OvR decision).
  * MLPRegressor with 2 outputs: the converter ends with Reshape(-1, 1), so
    the output is [2N, 1] (row-major targets), not [N, 2].
  * Ridge with 2 targets on DOUBLE input: MatMul + Add + Reshape(-1, 2).
  * Double pipelines: StandardScaler on double input (Sub, Div in double) ->
    CastTransformer(float32) (skl2onnx.sklapi: Cast(float)) ->
    DecisionTreeRegressor (float TreeEnsembleRegressor).
  * GradientBoostingRegressor on an INT64 input: Cast(float) before the
    TreeEnsembleRegressor.
  * Fixed batch dimensions: the input declared [1, F] (one row) and [10, F].
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_iris, load_wine, load_breast_cancer, load_diabetes
from sklearn.ensemble import (RandomForestClassifier, GradientBoostingClassifier, GradientBoostingRegressor,
                              HistGradientBoostingClassifier)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC, SVC
from sklearn.tree import ExtraTreeClassifier, ExtraTreeRegressor, DecisionTreeClassifier, DecisionTreeRegressor

from skcommon import (Builder, float_input, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges,
                      run_case, make_clf, make_reg)
import skparts
import gen_sk_trees
import gen_sk_svm
import gen_sk_linear
from gen_sk_nb_mlp import mlp_forward
from gen_sk_trees import TreeAttrs, rounding_rows

ML = "ai.onnx.ml"


def linear_noint_case(name, clf, X, y, seed, what, target=15):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    clf.fit(sc.transform(Xtr), ytr)
    K = len(clf.classes_)
    if np.ndim(clf.intercept_) == 0:
        # the converter's [0.0] * n_classes (or [0.0] for two classes)
        clf.intercept_ = np.zeros(K if K != 2 else 1)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    post = skparts.linear_classifier(b, v, clf, "label", "probabilities")
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    d = clf.decision_function(Z)
    ties = d if d.ndim == 2 else np.stack([-d, d], axis=1)
    if hasattr(clf, "predict_proba"):
        outs = classifier_tail(b, "label", "probabilities", clf.classes_)
        sk, key, lo, so = {"label": clf.predict(Z), "probabilities": clf.predict_proba(Z)}, "probabilities", \
            "output_label", "output_probability"
    else:
        n = K if K > 2 else 1
        outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, n])]
        sk, key, lo, so = {"label": clf.predict(Z), "decision_function": d.reshape(len(d), -1)}, \
            "decision_function", "label", "probabilities"
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    desc = f"{what} (post_transform {post}). target_opset {target}. {describe_edges(50, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lo, score_out=so, score_key=key, tie_scores=ties)


def mlp_multi_case(name, mlp, X, Y, seed, what, target=15):
    Xtr, Xte, ytr, yte = split(X, Y, seed)
    sc = StandardScaler().fit(Xtr)
    mlp.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("variable")
    v = skparts.scaler(b, "X", sc)
    yp = mlp_forward(b, v, mlp)
    b.node("Reshape", [yp, b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))], "variable", version=5)
    m = b.model([float_input(X.shape[1])], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    pred = mlp.predict(sc.transform(Xreq.astype(np.float64)))  # [N, 2]; the graph's [2N, 1] holds it row-major
    desc = f"{what}. target_opset {target}. {describe_edges(50, ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


def double_cast_tree_case(name, seed, what, target=15):
    diab = load_diabetes()
    Xtr, Xte, ytr, yte = split(diab.data, diab.target, seed)
    sc = StandardScaler().fit(Xtr)
    Ztr = sc.transform(Xtr).astype(np.float32)
    dt = DecisionTreeRegressor(max_depth=5, random_state=0).fit(Ztr, ytr)
    b = Builder(target)
    b.reserve("variable")
    s = b.node("Sub", ["X", b.init("Su_Subcst", sc.mean_)], b.var("Su_C0"), version="target")
    d = b.node("Div", [s, b.init("Di_Divcst", sc.scale_)], b.var("variable"), version="target")
    c = b.node("Cast", d, b.var("output"), to=TensorProto.FLOAT, version=9, name="Cast")
    ta = skparts.tree_regressor(b, c, dt, "variable")
    m = b.model([float_input(10, elem=TensorProto.DOUBLE)], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    edges, ew = edge_rows(Xtr)
    # rows whose scaled value lands exactly on a float32 threshold
    thr = []
    for t, f in ta.splits[:3]:
        r = np.median(Xtr, axis=0)
        r[f] = float(np.float32(t)) * sc.scale_[f] + sc.mean_[f]
        thr.append(r)
        ew.append(f"feature {f} scaled to about float32(threshold {t!r})")
    Xreq = np.vstack([Xte[:50], edges, np.array(thr)])
    Zf = sc.transform(Xreq).astype(np.float32)
    pred = dt.predict(Zf).reshape(-1, 1)
    desc = (f"{what}. target_opset {target}. {describe_edges(50, ew)}")
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction",
                    extra={"float32_threshold_rounding_rows": rounding_rows(ta.splits, Zf)})


def int64_gbr_case(name, seed, what, target=15):
    rng = np.random.RandomState(seed)
    X = np.column_stack([rng.randint(0, 50, 600), rng.randint(-20, 20, 600), rng.randint(0, 5, 600),
                         rng.randint(1000, 5000, 600)]).astype(np.int64)
    y = 0.3 * X[:, 0] - 0.5 * np.abs(X[:, 1]) + 4 * (X[:, 2] == 3) + 0.002 * X[:, 3] + rng.normal(0, 1, 600)
    Xtr, Xte, ytr, yte = split(X, y, seed)
    gbr = GradientBoostingRegressor(n_estimators=20, max_depth=3, random_state=0).fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("variable")
    c = b.node("Cast", "X", b.var("cast_input"), to=TensorProto.FLOAT, version=9, name="Cast")
    ta = TreeAttrs(False)
    for i in range(gbr.n_estimators_):
        ta.add_tree(gbr.estimators_[i][0].tree_, i, gbr.learning_rate, 0, False)
    attrs = ta.attrs()
    attrs.update(n_targets=1, post_transform="NONE",
                 base_values=f32list(gbr._raw_predict_init(np.zeros((1, 4))).ravel()))
    b.node("TreeEnsembleRegressor", c, "variable", domain=ML, version=1, **attrs)
    m = b.model([float_input(4, elem=TensorProto.INT64)], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    edge = np.array([[0, 0, 0, 0], [49, 19, 4, 4999], [0, -20, 0, 1000], [100, 100, 9, 100000], [-5, -50, -1, -1]],
                    dtype=np.int64)
    Xreq = np.vstack([Xte[:50], edge])
    pred = gbr.predict(Xreq.astype(np.float64)).reshape(-1, 1)
    ew = ["all zeros", "training maxima", "training minima", "beyond the maxima", "negative values"]
    desc = f"{what}. target_opset {target}. {describe_edges(50, ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


def fixed_batch_case(name, batch, seed, what, target=15):
    iris = load_iris()
    Xtr, Xte, ytr, yte = split(iris.data, iris.target, seed)
    sc = StandardScaler().fit(Xtr)
    clf = LogisticRegression(max_iter=1000).fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    skparts.linear_classifier(b, v, clf, "label", "probabilities")
    outs = classifier_tail(b, "label", "probabilities", clf.classes_)
    from onnx import helper
    outs[0] = tinfo("output_label", TensorProto.INT64, [batch])
    m = b.model([helper.make_tensor_value_info("X", TensorProto.FLOAT, [batch, 4])], outs, name)
    Xreq = Xte[:batch].astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = clf.predict_proba(Z)
    desc = f"{what}. target_opset {target}. Data: iris (seed {seed}), the first {batch} held-out rows"
    return run_case(name, m, {"X": Xreq}, {"label": clf.predict(Z), "probabilities": proba}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities")


def main():
    iris = load_iris()
    wine = load_wine()
    bc = load_breast_cancer()
    diab = load_diabetes()
    gen_sk_trees.clf_case("sk3_misc_extra_tree_clf_single", ExtraTreeClassifier(max_depth=6, random_state=3),
                          wine.data, wine.target, 3501, "ExtraTreeClassifier(max_depth=6), a single extremely "
                          "randomized tree, 3 classes, string labels. Data: wine_str (seed 3501)",
                          str_labels=["barolo", "grignolino", "barbera"], target=14)
    gen_sk_trees.reg_case("sk3_misc_extra_tree_reg_single", ExtraTreeRegressor(max_depth=8, random_state=4),
                          diab.data, diab.target, 3502, "ExtraTreeRegressor(max_depth=8), a single tree. Data: "
                          "diabetes (seed 3502)", target=16)
    gen_sk_trees.clf_case("sk3_misc_dt_max_leaf_nodes", DecisionTreeClassifier(max_leaf_nodes=12, random_state=0),
                          *make_clf(4, 6, 3503), 3503, "DecisionTreeClassifier(max_leaf_nodes=12): best-first "
                          "growth, so node ids follow expansion order, not depth-first. 4 classes. Data: clf4_6 "
                          "(seed 3503)")
    gen_sk_trees.clf_case("sk3_misc_rf_class_weight_shallow", RandomForestClassifier(
        n_estimators=6, class_weight="balanced", min_samples_leaf=40, random_state=5), bc.data, bc.target, 3504,
        "RandomForestClassifier(6 trees, class_weight='balanced', min_samples_leaf=40): shallow trees whose leaf "
        "values are weighted class fractions. Data: breast_cancer (seed 3504)")
    gen_sk_trees.clf_case("sk3_misc_gbc_subsample_maxfeat", GradientBoostingClassifier(
        n_estimators=10, max_depth=2, subsample=0.7, max_features=0.5, learning_rate=0.2, random_state=6),
        wine.data, wine.target, 3505, "GradientBoostingClassifier(10 x 3 trees, subsample=0.7, max_features=0.5) "
        "3 classes, SOFTMAX. Data: wine (seed 3505)", target=13)
    rng = np.random.RandomState(3506)
    Xc, yc = make_clf(2, 4, 3506)
    cat = rng.randint(0, 6, len(Xc))
    yc = np.where(np.isin(cat, [1, 4]) & (rng.rand(len(Xc)) < 0.7), 1 - yc, yc)
    Xc = np.column_stack([Xc, cat]).astype(np.float64)
    gen_sk_trees.clf_case("sk3_misc_hgb_categorical_ignored", HistGradientBoostingClassifier(
        max_iter=8, max_depth=3, categorical_features=[False, False, False, False, True], random_state=0),
        Xc, yc, 3506, "HistGradientBoostingClassifier(max_iter=8, categorical_features=[column 4]) binary: the "
        "converter does not read is_categorical and writes categorical nodes as BRANCH_LEQ on num_threshold, so "
        "the graph (onnxruntime, the reference) and scikit-learn disagree on rows a categorical split decides. "
        "Data: clf2_4 + a 6-level categorical column (seed 3506)")
    linear_noint_case("sk3_misc_logreg_no_intercept_multi", LogisticRegression(fit_intercept=False, max_iter=1000),
                      wine.data, wine.target, 3507, "Pipeline(StandardScaler, LogisticRegression(fit_intercept=False))"
                      " 3 classes: intercepts [0, 0, 0], SOFTMAX + Normalizer. Data: wine")
    linear_noint_case("sk3_misc_linearsvc_no_intercept_multi", LinearSVC(fit_intercept=False, C=0.3, max_iter=5000),
                      *make_clf(4, 6, 3508), 3508, "Pipeline(StandardScaler, LinearSVC(fit_intercept=False)) "
                      "4 classes: intercept_ is 0.0, the converter writes [0.0] * 4; scores = decision_function. "
                      "Data: clf4_6", target=17)
    linear_noint_case("sk3_misc_linearsvc_no_intercept_binary", LinearSVC(fit_intercept=False, C=0.3, max_iter=5000),
                      bc.data, bc.target, 3509, "Pipeline(StandardScaler, LinearSVC(fit_intercept=False)) binary: "
                      "intercepts [-0.0, 0.0], ArrayFeatureExtractor(scores, 1). Data: breast_cancer")
    Xs4, ys4 = make_clf(4, 5, 3510)
    gen_sk_svm.svc_case("sk3_misc_svc_class_weight_break_ties", SVC(kernel="rbf", C=1.0, break_ties=True,
                                                                    class_weight={0: 1.0, 1: 3.0, 2: 0.5, 3: 2.0}),
                        Xs4, ys4, 3510, "Pipeline(StandardScaler, SVC(rbf, class_weight {0: 1, 1: 3, 2: 0.5, 3: 2}, "
                        "break_ties=True)) 4 classes, OvR tail: break_ties is not converted, the label comes from the "
                        "votes. Data: clf4_5 (seed 3510)")
    from sklearn.datasets import make_regression
    Xm, Ym = make_regression(n_samples=500, n_features=5, n_targets=2, noise=2.0, random_state=3511)
    mlp_multi_case("sk3_misc_mlp_reg_2outputs", MLPRegressor(hidden_layer_sizes=(12,), max_iter=2000, random_state=0),
                   Xm, Ym, 3511, "Pipeline(StandardScaler, MLPRegressor((12,), relu)) with 2 outputs: MatMul/Add/Relu "
                   "then the converter's Reshape(-1, 1), so 'variable' is [2N, 1] (targets of a row adjacent). "
                   "Data: make_regression 5 features, 2 targets")
    gen_sk_linear.lin_reg_case("sk3_misc_ridge_2targets_fp64", Ridge(alpha=2.0), Xm, Ym, 3512,
                               "Ridge(alpha=2) with 2 targets on DOUBLE input: MatMul + Add + Reshape(-1, 2), all "
                               "double. Data: make_regression 5 features, 2 targets", double=True, target=17)
    double_cast_tree_case("sk3_misc_double_scaler_cast_tree", 3513,
                          "Pipeline(StandardScaler, CastTransformer(float32), DecisionTreeRegressor(max_depth=5)) on "
                          "DOUBLE input: Sub and Div in double, Cast(float), then the float TreeEnsembleRegressor "
                          "(the tree was fitted on float32-cast scaled data). Data: diabetes (seed 3513)")
    int64_gbr_case("sk3_misc_int64_input_gbr", 3514,
                   "GradientBoostingRegressor(20 trees, max_depth=3) on an INT64 input (Int64TensorType): Cast(float) "
                   "then TreeEnsembleRegressor. Data: synthetic integer columns (seed 3514)")
    fixed_batch_case("sk3_misc_fixed_batch_1", 1, 3515,
                     "Pipeline(StandardScaler, LogisticRegression) 3 classes, input declared [1, 4] (a fixed batch of "
                     "one) and output_label [1]; ZipMap")
    fixed_batch_case("sk3_misc_fixed_batch_10", 10, 3516,
                     "Pipeline(StandardScaler, LogisticRegression) 3 classes, input declared [10, 4] and output_label "
                     "[10]; ZipMap", target=13)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
