"""gen_sk4_default writes sk4_def_* cases: common estimators as skl2onnx
1.17-1.20 convert them with the default target opset, and the forms those
releases changed for the default call (checked in skl2onnx's source:
__init__.py, proto/__init__.py, common/_topology.py, common/_container.py,
convert.py and the operator converters on main).

Model header and opsets:
  * convert_sklearn(target_opset=None) takes get_latest_tested_opset_version()
    = min(__max_supported_opset__, onnx.defs.onnx_opset_version()):
    __max_supported_opset__ is 19 in skl2onnx 1.16 and 21 from 1.17 (#1098),
    so with onnx >= 1.16 the target is 21.
  * ir_version follows the target opset (OPSET_TO_IR_VERSION[min(target,
    onnx's opset)]), not the opsets actually imported: 21 -> ir_version 10
    even when the model only imports ai.onnx 9.
  * each domain's opset import is still the max op_version over the nodes
    added (removed Identity nodes included); the default domain is imported
    at the target when no node uses it. Since 1.18 (#1109) to_onnx() with an
    explicit target_opset overwrites the default-domain import with the
    target (convert_sklearn does not).
  * ai.onnx.ml: with an integer target, nodes added without op_version take
    the newest ML schema the installed onnx knows, but _update_domain_version
    refuses ML versions above get_default_opset_for_domain (3 when the main
    opset >= 18), so the converters pin versions: tree ensembles stay
    TreeEnsembleClassifier/Regressor op_version 1 (no *_as_tensor, no
    TreeEnsemble v5 - issue #1160 is open), LabelEncoder stays 2; the other
    ML operators have version 1 only.
  * the apply_* helpers keep fixed versions (Cast 9, Reshape 5, Concat 11,
    Add/Sub/Mul/Div 7, ...; unchanged when 1.19.1 copied them from
    onnxconverter-common, #1179); nodes added without op_version resolve to
    the newest schema <= 21 (Identity 21, Shape 21, ReduceProd 18 with axes
    as an input, Cast 21 in imputer_op.py's string branch, Where 16, ArgMax 13,
    Relu 14, Softmax 13), and algebra-API converters (k-NN) put op_version 21
    on every node (Scan 21, Flatten 21, Transpose 21, Equal 19, Cast 21).

Converter forms that changed:
  * LogisticRegression (linear_classifier.py since 1.17, scikit-learn 1.5
    support #1095): a binary model keeps multi_class 0 (the 'auto' /
    'deprecated' multi_class attribute only maps to 2 for > 2 classes), so
    LinearClassifier(multi_class=0, post_transform LOGISTIC) on [-w, w] writes
    the probabilities directly, without the Normalizer(L1) 1.14 added.
  * OneHotEncoder (1.18, #1110): no Concat when a single column is encoded.
  * PolynomialFeatures on an INT64 input: Cast(float) after each column
    extraction, Concat, Cast(int64) -> an INT64 output.
"""
import numpy as np
from onnx import TensorProto, helper
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_wine, load_iris, load_diabetes
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler, PolynomialFeatures, OneHotEncoder

import skcommon
from skcommon import (Builder, float_input, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges,
                      run_case, make_clf, make_reg)
import skparts
import gen_sk_trees
import gen_sk_nb_mlp
import gen_sk_neighbors
from gen_sk_preprocess2 import ohe_newer, categorical_frame

ML = "ai.onnx.ml"
DEFAULT = ("skl2onnx 1.17-1.20 default target_opset (21 with onnx >= 1.16): ir_version 10, opset imports from the "
           "nodes' op_versions")


POLY_REASON = ("squared and cross terms of the large edge rows reach ~1e8 in float32, where the Scaler and "
               "LinearRegressor sums cancel large terms; tolerance by the corpus's rule")


def force_main_opset(m, target):
    """force_main_opset does what to_onnx() does since skl2onnx 1.18: the
    default-domain import becomes the requested target."""
    for o in m.opset_import:
        if o.domain == "":
            o.version = target


def logreg_binary(name, to_onnx=None, str_labels=False, zipmap=True):
    bc = load_breast_cancer()
    Xtr, Xte, ytr, yte = split(bc.data, bc.target, 901)
    if str_labels:
        ytr = np.array(["malignant", "benign"])[ytr]
    sc = StandardScaler().fit(Xtr)
    lr = LogisticRegression(C=0.5, max_iter=2000).fit(sc.transform(Xtr), ytr)
    b = Builder(21)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    skparts.linear_classifier(b, v, lr, "label", "probabilities", newer=True)
    if zipmap:
        outs = classifier_tail(b, "label", "probabilities", lr.classes_)
        lab, sco = "output_label", "output_probability"
    else:
        outs = [tinfo("label", TensorProto.STRING if str_labels else TensorProto.INT64, [None]),
                tinfo("probabilities", TensorProto.FLOAT, [None, 2])]
        lab, sco = "label", "probabilities"
    m = b.model([float_input(30)], outs, name)
    if to_onnx:
        force_main_opset(m, to_onnx)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:55], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = lr.predict_proba(Z)
    how = (f"to_onnx(target_opset={to_onnx}) (skl2onnx >= 1.18 forces the default-domain import to the target, so "
           f"the label Cast (op_version 9) runs under opset {to_onnx})" if to_onnx else DEFAULT)
    desc = (f"Pipeline(StandardScaler, LogisticRegression(C=0.5)) binary{', string labels' if str_labels else ''}"
            f"{', zipmap=False' if not zipmap else ''}, newer linear_classifier.py form: LinearClassifier("
            f"multi_class=0, LOGISTIC) on [-w, w] gives [sigmoid(-z), sigmoid(z)] with no Normalizer. {how}. Data: "
            f"breast_cancer (seed 901). {describe_edges(55, ew)}")
    return run_case(name, m, {"X": Xreq}, {"label": lr.predict(Z), "probabilities": proba}, desc, label_out=lab,
                    score_out=sco, score_key="probabilities", tie_scores=proba)


def logreg_multi_str(name):
    wine = load_wine()
    Xtr, Xte, ytr, yte = split(wine.data, wine.target, 902)
    ytr = np.array(["barolo", "grignolino", "barbera"])[ytr]
    sc = StandardScaler().fit(Xtr)
    lr = LogisticRegression(C=0.3, max_iter=2000).fit(sc.transform(Xtr), ytr)
    b = Builder(21)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    skparts.linear_classifier(b, v, lr, "label", "probabilities", newer=True)
    outs = classifier_tail(b, "label", "probabilities", lr.classes_)
    m = b.model([float_input(13)], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:55], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = lr.predict_proba(Z)
    desc = (f"Pipeline(StandardScaler, LogisticRegression(C=0.3)) 3 classes, string labels: LinearClassifier("
            f"multi_class=1, SOFTMAX) + Normalizer(L1), Identity (op_version 21) on the label, ZipMap. {DEFAULT} "
            f"(the Identity makes it ai.onnx 21). Data: wine_str (seed 902). {describe_edges(55, ew)}")
    return run_case(name, m, {"X": Xreq}, {"label": lr.predict(Z), "probabilities": proba}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def poly_ridge(name):
    X, y = make_reg(4, 903)
    Xtr, Xte, ytr, yte = split(X, y, 903)
    pipe = Pipeline([("poly", PolynomialFeatures(2)), ("sc", StandardScaler()), ("ridge", Ridge(alpha=2.0))])
    pipe.fit(Xtr, ytr)
    poly, sc, ridge = pipe.named_steps["poly"], pipe.named_steps["sc"], pipe.named_steps["ridge"]
    b = Builder(21)
    b.reserve("variable")
    cols, last = [], None
    for p in poly.powers_:
        if p.sum() == 0:
            cols.append(None)
            continue
        idx = [i for i, k in enumerate(p) for _ in range(k)]
        c = b.init("comb", np.array(idx, dtype=np.int64))
        col = b.node("ArrayFeatureExtractor", ["X", c], b.var("col"), domain=ML, version=1)
        ax = b.init("axis", np.array([1], dtype=np.int64))
        last = b.node("ReduceProd", [col, ax], b.var("prod"))
        cols.append(last)
    shp = b.node("Shape", last, b.var("shape"))
    unit = b.node("ConstantOfShape", shp, b.var("unit"), version=9,
                  value=helper.make_tensor("ONE", TensorProto.FLOAT, [1], [1.0]))
    cols = [unit if c is None else c for c in cols]
    pv = b.node("Concat", cols, b.var("variable"), axis=1, version=11)
    sv = skparts.scaler(b, pv, sc)
    skparts.linear_regressor(b, sv, ridge, "variable")
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 1])]
    skparts.finalize(b, outs)
    m = b.model([float_input(4)], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    pred = pipe.predict(Xreq.astype(np.float64)).reshape(-1, 1)
    desc = (f"Pipeline(PolynomialFeatures(2), StandardScaler, Ridge(alpha=2)): per output column "
            f"ArrayFeatureExtractor + ReduceProd (op_version 18, axes an input), the bias column Shape (op_version 21) "
            f"+ ConstantOfShape(1.0) (op_version 9), Concat, Scaler, LinearRegressor. {DEFAULT}. Data: reg_4 "
            f"(seed 903). {describe_edges(50, ew)}")
    exp = run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")[0]
    return skparts.corpus_tolerance(name, exp, "variable", "prediction", POLY_REASON)


def poly_int64(name):
    rng = np.random.RandomState(904)
    X = rng.randint(-6, 7, size=(60, 3)).astype(np.int64)
    X = np.vstack([X, [[0, 0, 0], [100, -100, 50], [-1, 1, -1]]]).astype(np.int64)
    poly = PolynomialFeatures(degree=2, interaction_only=False).fit(X[:40])
    b = Builder(21)
    b.reserve("variable")
    cols, last = [], None
    for p in poly.powers_:
        if p.sum() == 0:
            cols.append(None)
            continue
        idx = [i for i, k in enumerate(p) for _ in range(k)]
        c = b.init("comb", np.array(idx, dtype=np.int64))
        col = b.node("ArrayFeatureExtractor", ["X", c], b.var("col"), domain=ML, version=1)
        fc = b.node("Cast", col, b.var("col"), to=TensorProto.FLOAT, version=9)
        ax = b.init("axis", np.array([1], dtype=np.int64))
        last = b.node("ReduceProd", [fc, ax], b.var("prod"))
        cols.append(last)
    shp = b.node("Shape", last, b.var("shape"))
    unit = b.node("ConstantOfShape", shp, b.var("unit"), version=9,
                  value=helper.make_tensor("ONE", TensorProto.FLOAT, [1], [1.0]))
    cols = [unit if c is None else c for c in cols]
    cr = b.node("Concat", cols, b.var("concat_result"), axis=1, version=11)
    b.node("Cast", cr, "variable", to=TensorProto.INT64, version=9)
    n = len(poly.powers_)
    outs = [tinfo("variable", TensorProto.INT64, [None, n])]
    skparts.finalize(b, outs)
    m = b.model([tinfo("X", TensorProto.INT64, [None, 3])], outs, name)
    want = poly.transform(X.astype(np.float64))
    return run_case(name, m, {"X": X}, {"transform": want},
                    f"PolynomialFeatures(2) on an INT64 input (polynomial_features.py): ArrayFeatureExtractor -> "
                    f"Cast(float) -> ReduceProd(axes input) per column, Shape + ConstantOfShape(1.0) bias, Concat, "
                    f"Cast(int64): the output is INT64 (scikit-learn returns float64; the values are exact integers). "
                    f"{DEFAULT}. Data: integers in [-6, 6] (seed 904); last rows: zeros, [100, -100, 50], "
                    f"[-1, 1, -1]", score_out="variable", score_key="transform")


def coltrans_frame(name):
    rng = np.random.RandomState(905)
    n = 160
    age = rng.uniform(18, 80, n).round(0)
    income = rng.lognormal(10.5, 0.5, n).round(0)
    city = np.array(["paris", "lyon", "nice", "lille", "metz"])[rng.choice(5, n, p=[0.35, 0.25, 0.2, 0.15, 0.05])]
    logit = 0.04 * (age - 45) - 0.00003 * (income - 40000) + np.where(city == "nice", 1.0, 0.0) - 0.3
    y = (rng.rand(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    import pandas as pd
    df = pd.DataFrame({"age": age, "income": income, "city": city})
    ct = ColumnTransformer([("num", StandardScaler(), ["age", "income"]),
                            ("cat", OneHotEncoder(handle_unknown="ignore"), ["city"])])
    pipe = Pipeline([("ct", ct), ("lr", LogisticRegression(C=1.0, max_iter=2000))]).fit(df[:110], y[:110])
    sc = pipe.named_steps["ct"].named_transformers_["num"]
    oh = pipe.named_steps["ct"].named_transformers_["cat"]
    lr = pipe.named_steps["lr"]
    b = Builder(21)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    mc = b.node("Concat", ["age", "income"], b.var("merged_columns"), axis=1, version=11)
    v1 = skparts.scaler(b, mc, sc)
    k = ohe_newer(b, [("city", None)], oh)  # writes 'variable' (no Concat for one column)
    tc = b.node("Concat", [v1, "variable"], b.var("transformed_column"), axis=1, version=11)
    skparts.linear_classifier(b, tc, lr, "label", "probabilities", newer=True)
    outs = classifier_tail(b, "label", "probabilities", lr.classes_)
    skparts.finalize(b, outs)
    inputs = [tinfo("age", TensorProto.FLOAT, [None, 1]), tinfo("income", TensorProto.FLOAT, [None, 1]),
              tinfo("city", TensorProto.STRING, [None, 1])]
    m = b.model(inputs, outs, name)
    te = df[110:].copy()
    extra = pd.DataFrame({"age": [0.0, 120.0, 45.0, 30.0], "income": [0.0, 1e6, 40000.0, 25000.0],
                          "city": ["paris", "metz", "rome", ""]})
    req = pd.concat([te, extra], ignore_index=True)
    feeds = {"age": req[["age"]].to_numpy(np.float32), "income": req[["income"]].to_numpy(np.float32),
             "city": req[["city"]].to_numpy(str)}
    Zdf = pd.DataFrame({"age": feeds["age"][:, 0].astype(np.float64), "income": feeds["income"][:, 0].astype(
        np.float64), "city": feeds["city"][:, 0].astype(object)})
    proba = pipe.predict_proba(Zdf)
    desc = (f"Pipeline(ColumnTransformer([StandardScaler on age+income, OneHotEncoder(handle_unknown='ignore') on "
            f"city]), LogisticRegression) binary on one graph input per column: Concat(age, income) -> Scaler; "
            f"city [N, 1] -> OneHotEncoder(zeros=1) -> Reshape(-1, {k}) with no Concat (one encoded column, skl2onnx "
            f">= 1.18); Concat(axis 1); LinearClassifier(multi_class 0, LOGISTIC) without Normalizer; Cast + ZipMap. "
            f"{DEFAULT}. Data: synthetic customers (seed 905); last 4 rows: zeros, extremes with the rare city, an "
            f"unseen city 'rome', an empty city")
    return run_case(name, m, feeds, {"label": pipe.predict(Zdf), "probabilities": proba}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def imputer_str(name):
    S = categorical_frame(906, n=80)
    rng = np.random.RandomState(906)
    S[rng.rand(*S.shape) < 0.15] = ""
    Str, Ste = S[:60], S[60:]
    imp = SimpleImputer(strategy="most_frequent", missing_values="").fit(Str)
    b = Builder(21, ml_target=2)
    b.reserve("variable")
    zero = b.init("zero", np.array([0], dtype=np.int64))
    names = []
    for i in range(imp.statistics_.size):
        fv = b.node("LabelEncoder", zero, b.var("fillvalue"), domain=ML, version=2, keys_int64s=[0],
                    values_strings=[str(imp.statistics_[i])], default_string=str(imp.statistics_[i]))
        ii = b.init(f"i{i}", np.array([i], dtype=np.int64))
        col = b.node("ArrayFeatureExtractor", ["X", ii], b.var(f"impi{i}"), domain=ML, version=1)
        cond = b.node("LabelEncoder", col, b.var(f"impc{i}"), domain=ML, version=2, keys_strings=[""],
                      values_int64s=[1], default_int64=0)
        cb = b.node("Cast", cond, b.var(f"impc{i}"), to=TensorProto.BOOL)
        names.append(b.node("Where", [cb, fv, col], b.var(f"nomiss{i}")))
    b.node("Concat", names, "variable", axis=1, version=11)
    outs = [tinfo("variable", TensorProto.STRING, [None, 2])]
    skparts.finalize(b, outs)
    m = b.model([tinfo("X", TensorProto.STRING, [None, 2])], outs, name)
    req = np.vstack([Ste, [["", ""], ["rome", ""], ["", "gold"]]]).astype(str)
    got = imp.transform(req.astype(object))
    return run_case(name, m, {"X": req}, {"label": got.astype(str)},
                    f"SimpleImputer(strategy='most_frequent', missing_values='') on 2 string columns "
                    f"(imputer_op.py): per column LabelEncoder v2 (constant [0] -> fill string), "
                    f"ArrayFeatureExtractor, LabelEncoder v2 (missing -> 1, default 0), Cast(bool) added without "
                    f"op_version (Cast 21 at the default target), Where (16), Concat. {DEFAULT}. Data: synthetic "
                    f"cities/plans with 15% empty strings (seed 906); last rows: all missing, an unseen city",
                    label_out="variable")


def main():
    skcommon.Builder.producer_version = "1.19.1"
    logreg_binary("sk4_def_logreg_binary")
    logreg_binary("sk4_def_logreg_binary_to_onnx21", to_onnx=21)
    logreg_binary("sk4_def_logreg_binary_str_nozipmap", str_labels=True, zipmap=False)
    logreg_multi_str("sk4_def_logreg_multi_str")
    bc = load_breast_cancer()
    gen_sk_trees.clf_case("sk4_def_rf_binary", RandomForestClassifier(n_estimators=12, max_depth=5, random_state=9),
                          bc.data, bc.target, 907,
                          "RandomForestClassifier(12 trees, max_depth=5) binary: TreeEnsembleClassifier op_version 1 "
                          "(newer converters still pin version 1), Cast 9 + ZipMap. " + DEFAULT + " (ai.onnx 9, "
                          "ai.onnx.ml 1, ir_version 10). Data: breast_cancer (seed 907)", target=21)
    Xr, yr = make_reg(5, 908)
    gen_sk_trees.reg_case("sk4_def_hgb_reg_nan", HistGradientBoostingRegressor(max_iter=25, max_depth=4,
                                                                               random_state=0),
                          gen_sk_trees.with_nan(Xr, 0.1, 8), yr, 908,
                          "HistGradientBoostingRegressor(max_iter=25, max_depth=4) trained with 10% NaN: "
                          "TreeEnsembleRegressor op_version 1 alone, so the default domain is imported at the target "
                          "21. " + DEFAULT + ". Data: reg_5 with NaN (seed 908)",
                          nan=gen_sk_trees.nan_rows_fn([0, 2]), target=21)
    wine = load_wine()
    gen_sk_nb_mlp.mlp_clf_case("sk4_def_mlp_clf_multi",
                               MLPClassifier((12, 6), activation="relu", max_iter=800, random_state=0),
                               wine.data, wine.target, 909,
                               "Pipeline(StandardScaler, MLPClassifier((12, 6), relu)) 3 classes: Relu (14), Softmax "
                               "(13), ArgMax (13) added without op_version, apply_identity's Identity (21) to "
                               "probabilities. " + DEFAULT + " (ai.onnx 21). Data: wine (seed 909)", target=21)
    diab = load_diabetes()
    gen_sk_nb_mlp.mlp_reg_case("sk4_def_mlp_reg", MLPRegressor((16,), activation="tanh", max_iter=2000,
                                                               learning_rate_init=0.01, random_state=0),
                               diab.data, diab.target, 910,
                               "Pipeline(StandardScaler, MLPRegressor((16,), tanh)): the output layer's Identity "
                               "(op_version 21) is removed but still counts in the import, so Cast 9 / Reshape 5 run "
                               "under opset 21. " + DEFAULT + ". Data: diabetes (seed 910)", target=21)
    iris = load_iris()
    gen_sk_neighbors.knn_clf_case("sk4_def_knn_clf", KNeighborsClassifier(n_neighbors=5), iris.data, iris.target, 911,
                                  "Pipeline(StandardScaler, KNeighborsClassifier(5)) 3 classes, algebra API at "
                                  "op_version 21: Scan 21 whose body has ReduceSumSquare 18 (axes input), Transpose, "
                                  "Flatten, Reshape, Identity 21, Equal 19, Cast 21. " + DEFAULT +
                                  ". Data: iris (seed 911)", target=21)
    poly_ridge("sk4_def_poly_ridge")
    poly_int64("sk4_def_poly_int64")
    coltrans_frame("sk4_def_coltrans_frame")
    imputer_str("sk4_def_imputer_str")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
