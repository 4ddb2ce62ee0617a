"""gen_sk_preprocess writes sk_pre_* cases: transformers as skl2onnx 1.14
converts them. Outputs are the transformed matrix ('variable'), compared
with scikit-learn's transform.

Forms reproduced (operator_converters/scaler_op.py, normaliser.py,
binariser.py, polynomial_features.py, ordinal_encoder.py,
label_encoder.py, one_hot_encoder.py, imputer_op.py, decomposition.py,
feature_selection.py, concat_op.py, _parse.py column selection):
  * StandardScaler(with_mean=False) / RobustScaler / MaxAbsScaler -> Scaler
    (offset 0 when not centring, scale = 1/scale_).
  * MinMaxScaler -> Cast + Mul(scale_) + Add(min_) (+ Clip(min, max) with
    clip=True), algebra API names.
  * Normalizer -> Normalizer(norm L1 / L2 / MAX). Binarizer -> Binarizer.
  * PolynomialFeatures -> per output column ArrayFeatureExtractor(X,
    indices) + ReduceProd(axes [1]; an input at opset >= 18), the bias
    column from Shape + ConstantOfShape(1.0), Concat(axis 1).
  * OrdinalEncoder -> per column ArrayFeatureExtractor + LabelEncoder v2
    (keys -> 0..n-1, unknown -> default_int64 -1) + Reshape(-1, 1), Concat,
    Cast(float).
  * LabelEncoder -> LabelEncoder v2 (keys_strings -> values_int64s).
  * OneHotEncoder (string columns) -> per column ArrayFeatureExtractor +
    OneHotEncoder(cats_strings, zeros=1 for handle_unknown='ignore'), Concat
    (axis 2), Reshape(-1, n).
  * SimpleImputer (float) -> Imputer(imputed_value_floats = statistics_,
    replaced_value_float NaN).
  * PCA -> Sub(mean_) + MatMul(components_.T, / sqrt(explained_variance_)
    when whiten). TruncatedSVD -> MatMul(components_.T).
  * FeatureUnion -> Concat(axis 1) of the parts. ColumnTransformer on one
    matrix input -> ArrayFeatureExtractor(X, column indices) per
    transformer ('passthrough' passes the selection on, 'drop' adds
    nothing), Concat.
  * VarianceThreshold / SelectKBest -> ArrayFeatureExtractor(X, support).
"""
import itertools

import numpy as np
from onnx import TensorProto, helper
from sklearn.datasets import load_diabetes, load_wine
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_selection import SelectKBest, VarianceThreshold, f_regression
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (StandardScaler, RobustScaler, MaxAbsScaler, MinMaxScaler, Normalizer, Binarizer,
                                   PolynomialFeatures, OrdinalEncoder, LabelEncoder, OneHotEncoder)

from skcommon import Builder, float_input, tinfo, f32list, split, edge_rows, describe_edges, run_case


def finish(name, b, n_features, Xreq, expected, what, target, n_out, in_elem=TensorProto.FLOAT, out_elem=None,
           in_name="X", in_shape=None, tol_abs=1e-5, tol_rel=1e-6, reason=None, out_name="variable"):
    out_elem = out_elem or TensorProto.FLOAT
    inp = tinfo(in_name, in_elem, in_shape or [None, n_features])
    m = b.model([inp], [tinfo(out_name, out_elem, [None, n_out] if n_out else [None])], name)
    return run_case(name, m, {in_name: Xreq}, {"transform": expected}, f"{what}. target_opset {target}.",
                    score_out=out_name, score_key="transform", tol_abs=tol_abs, tol_rel=tol_rel, tol_reason=reason)


def data():
    wine = load_wine()
    Xtr, Xte, _, _ = split(wine.data, wine.target, 501)
    edges, ew = edge_rows(Xtr)
    return Xtr, np.vstack([Xte[:50], edges]).astype(np.float32), ew


def scaler_cases():
    Xtr, Xreq, ew = data()
    Z = Xreq.astype(np.float64)
    for name, tr, what in [
        ("sk_pre_standard_nomean", StandardScaler(with_mean=False), "StandardScaler(with_mean=False): Scaler offset 0"),
        ("sk_pre_robust", RobustScaler(quantile_range=(10, 90)), "RobustScaler(quantile_range=(10, 90)): Scaler"),
        ("sk_pre_maxabs", MaxAbsScaler(), "MaxAbsScaler: Scaler offset 0, scale 1/max|x|"),
    ]:
        tr.fit(Xtr)
        C = Xtr.shape[1]
        if isinstance(tr, StandardScaler):
            off, sc = [0.0] * C, 1.0 / tr.scale_
        elif isinstance(tr, RobustScaler):
            off, sc = tr.center_, 1.0 / tr.scale_
        else:
            off, sc = [0.0] * C, 1.0 / tr.scale_
        b = Builder(15)
        b.node("Scaler", "X", "variable", domain="ai.onnx.ml", version=1, offset=f32list(off), scale=f32list(sc))
        finish(name, b, C, Xreq, tr.transform(Z), f"{what}. Data: wine (seed 501). " + describe_edges(50, ew), 15, C)
    for clip, target in [(False, 15), (True, 17)]:
        tr = MinMaxScaler(feature_range=(-1, 2), clip=clip).fit(Xtr)
        b = Builder(target)
        c = b.node("Cast", "X", b.var("Ca_output0"), to=TensorProto.FLOAT, name="Ca_Cast")
        mu = b.init("Mu_Mulcst", tr.scale_.astype(np.float32))
        ad = b.init("Ad_Addcst", tr.min_.astype(np.float32))
        m = b.node("Mul", [c, mu], b.var("Mu_C0"), name="Mu_Mul")
        if clip:
            a = b.node("Add", [m, ad], b.var("Ad_C0"), name="Ad_Add")
            lo = b.init("Cl_Clipcst", np.array(-1, dtype=np.float32))
            hi = b.init("Cl_Clipcst1", np.array(2, dtype=np.float32))
            b.node("Clip", [a, lo, hi], "variable", name="Cl_Clip")
        else:
            b.node("Add", [m, ad], "variable", name="Ad_Add")
        finish(f"sk_pre_minmax{'_clip' if clip else ''}", b, Xtr.shape[1], Xreq, tr.transform(Z),
               f"MinMaxScaler(feature_range=(-1, 2), clip={clip}): Cast + Mul + Add{' + Clip' if clip else ''}. "
               f"Data: wine (seed 501). " + describe_edges(50, ew), target, Xtr.shape[1])


def normalizer_cases():
    rng = np.random.RandomState(502)
    X = rng.normal(size=(50, 5)) * [1, 3, 0.5, 2, 10] + [0.5, -1, 0, 2, 3]
    X = np.vstack([X, np.zeros(5), -np.abs(X[0]), [1e-6, 2e-6, 0, 0, 1e-6]]).astype(np.float32)
    Z = X.astype(np.float64)
    for norm in ["l1", "l2", "max"]:
        tr = Normalizer(norm=norm)
        b = Builder(15)
        b.node("Normalizer", "X", "variable", domain="ai.onnx.ml", version=1, norm=norm.upper())
        what = (f"Normalizer(norm='{norm}') -> Normalizer(norm={norm.upper()}). Data: 50 gaussian rows with "
                f"mixed signs, then an all-zero row (divisor 0: copied unchanged), an all-negative row and a tiny row")
        if norm == "max":
            what += (". onnxruntime's MAX divides by the signed row maximum, scikit-learn by max|x|: rows whose "
                     "maximum is not the largest magnitude differ from scikit-learn; onnxruntime is the reference")
        finish(f"sk_pre_normalizer_{norm}", b, 5, X, tr.transform(Z), what, 15, 5)
    b = Builder(15)
    b.node("Binarizer", "X", "variable", domain="ai.onnx.ml", version=1, threshold=0.75)
    finish("sk_pre_binarizer", b, 5, X, Binarizer(threshold=0.75).transform(Z),
           "Binarizer(threshold=0.75) -> Binarizer. Data: as sk_pre_normalizer_*", 15, 5)


def poly_case(name, tr, target, what):
    rng = np.random.RandomState(503)
    X = (rng.normal(size=(50, 4)) * [1, 2, 0.5, 3]).astype(np.float32)
    X = np.vstack([X, np.zeros(4), [10, -10, 5, -5]]).astype(np.float32)
    tr.fit(X.astype(np.float64))
    b = Builder(target)
    cols = []
    bias = False
    for p in tr.powers_:
        if p.sum() == 0:
            bias = True
            cols.append(None)
            continue
        idx = [i for i, k in enumerate(p) for _ in range(k)]
        c = b.init("comb", np.array(idx, dtype=np.int64))
        col = b.node("ArrayFeatureExtractor", ["X", c], b.var("col"), domain="ai.onnx.ml", version=1)
        if target >= 18:
            ax = b.init("axis", np.array([1], dtype=np.int64))
            cols.append(b.node("ReduceProd", [col, ax], b.var("prod"), version="target"))
        else:
            cols.append(b.node("ReduceProd", col, b.var("prod"), axes=[1], version="target"))
    if bias:
        shp = b.node("Shape", cols[-1], b.var("shape"), version="target")
        unit = b.node("ConstantOfShape", shp, b.var("unit"), version="target",
                      value=helper.make_tensor("value", TensorProto.FLOAT, [1], [1.0]))
        cols[0] = unit
    b.node("Concat", cols, "variable", axis=1, version="target")
    n = len(tr.powers_)
    finish(name, b, 4, X, tr.transform(X.astype(np.float64)), what + ". Data: 50 gaussian rows, 4 features, then "
           "an all-zero row and a large row", target, n)


def encoder_cases():
    rng = np.random.RandomState(504)
    cities = np.array(["paris", "lyon", "nice", "lille", "brest"])
    plans = np.array(["basic", "plus", "premium"])
    n = 80
    S = np.stack([cities[rng.randint(0, 5, n)], plans[rng.randint(0, 3, n)]], axis=1).astype(object)
    Str, Ste = S[:60], S[60:]
    req = np.vstack([Ste, [["paris", "gold"], ["berlin", "basic"], ["", "plus"]]]).astype(object)
    # OrdinalEncoder with unknown -> -1 (matches LabelEncoder's default_int64)
    oe = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(Str)
    b = Builder(15, ml_target=2)
    outs = []
    for i, cats in enumerate(oe.categories_):
        idx = b.init("index", np.int64(i))
        col = b.node("ArrayFeatureExtractor", ["X", idx], b.var("feature_column"), domain="ai.onnx.ml", version=1)
        le = b.node("LabelEncoder", col, b.var("label_encoder"), domain="ai.onnx.ml", version=2,
                    keys_strings=[str(c) for c in cats], values_int64s=list(range(len(cats))))
        s = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
        outs.append(b.node("Reshape", [le, s], b.var("ordinal_output"), version=5))
    cr = b.node("Concat", outs, b.var("concat_result"), axis=1, version=11)
    b.node("Cast", cr, "variable", to=TensorProto.FLOAT, version=9)
    finish("sk_pre_ordinal_unknown", b, 2, req.astype(str), oe.transform(req),
           "OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1) on 2 string columns: "
           "ArrayFeatureExtractor + LabelEncoder v2 per column (unknown -> default_int64 -1), Concat, Cast. "
           "Last rows: unseen plan 'gold', unseen city 'berlin', empty string", 15, 2, in_elem=TensorProto.STRING)
    # OneHotEncoder(handle_unknown='ignore')
    oh = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(Str)
    b = Builder(15)
    outs = []
    for i, cats in enumerate(oh.categories_):
        idx = b.init("index", np.int64(i))
        col = b.node("ArrayFeatureExtractor", ["X", idx], b.var("extracted_feature_columns"), domain="ai.onnx.ml",
                     version=1)
        outs.append(b.node("OneHotEncoder", col, b.var("one_hot_encoder_output"), domain="ai.onnx.ml", version=1,
                           cats_strings=[str(c) for c in cats], zeros=1))
    cr = b.node("Concat", outs, b.var("concat_result"), axis=2, version=11)
    ncat = sum(len(c) for c in oh.categories_)
    s = b.init("shape_tensor", np.array([-1, ncat], dtype=np.int64))
    b.node("Reshape", [cr, s], "variable", version=5)
    finish("sk_pre_onehot_ignore", b, 2, req.astype(str), oh.transform(req),
           "OneHotEncoder(handle_unknown='ignore') on 2 string columns: ArrayFeatureExtractor + OneHotEncoder"
           "(zeros=1) per column, Concat(axis 2), Reshape. Last rows: unseen categories give all-zero blocks",
           15, ncat, in_elem=TensorProto.STRING)
    # LabelEncoder
    le = LabelEncoder().fit(Str[:, 0])
    b = Builder(15, ml_target=2)
    b.node("LabelEncoder", "X", "variable", domain="ai.onnx.ml", version=2,
           keys_strings=[str(c) for c in le.classes_], values_int64s=list(range(len(le.classes_))))
    yreq = Ste[:, 0].astype(str)
    finish("sk_pre_labelencoder", b, 1, yreq, le.transform(yreq), "LabelEncoder on city names -> LabelEncoder v2 "
           "(keys_strings -> values_int64s), 1-D string input and output", 15, None, in_elem=TensorProto.STRING,
           in_shape=[None], out_elem=TensorProto.INT64)


def imputer_cases():
    diab = load_diabetes()
    rng = np.random.RandomState(505)
    X = diab.data.copy()
    X[rng.rand(*X.shape) < 0.15] = np.nan
    Xtr, Xte = X[:300], X[300:350]
    req = np.vstack([Xte, np.full(10, np.nan), np.zeros(10)]).astype(np.float32)
    for strat, extra in [("median", {}), ("most_frequent", {}), ("constant", {"fill_value": -7.5})]:
        tr = SimpleImputer(strategy=strat, **extra).fit(np.round(Xtr, 3) if strat == "most_frequent" else Xtr)
        b = Builder(15)
        b.node("Imputer", "X", "variable", domain="ai.onnx.ml", version=1,
               imputed_value_floats=f32list(tr.statistics_), replaced_value_float=float("nan"))
        finish(f"sk_pre_imputer_{strat}", b, 10, req, tr.transform(req.astype(np.float64)),
               f"SimpleImputer(strategy='{strat}'{', fill_value=-7.5' if extra else ''}) -> Imputer. 15% NaN "
               f"(null) in the request, then an all-NaN row and an all-zero row. Data: diabetes with NaN (seed 505)",
               15, 10)


def decomposition_cases():
    Xtr, Xreq, ew = data()
    Z = Xreq.astype(np.float64)
    sc = StandardScaler().fit(Xtr)
    for name, tr, target in [("sk_pre_pca_whiten", PCA(n_components=5, whiten=True), 15),
                             ("sk_pre_truncated_svd", TruncatedSVD(n_components=4, random_state=0), 13)]:
        tr.fit(sc.transform(Xtr))
        b = Builder(target)
        b.reserve("variable")
        v = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
                   scale=f32list(1.0 / sc.scale_))
        M = tr.components_.T
        if isinstance(tr, PCA):
            if tr.whiten:
                M = M / np.sqrt(tr.explained_variance_)
            tm = b.init("transform_matrix", M.astype(np.float32))
            mean = b.init("mean", tr.mean_.astype(np.float32))
            s = b.node("Sub", [v, mean], b.var("sub_result"))
            b.node("MatMul", [s, tm], "variable")
            what = "Pipeline(StandardScaler, PCA(5, whiten=True)): Sub(mean) + MatMul(components / sqrt(variance))"
        else:
            tm = b.init("transform_matrix", M.astype(np.float32))
            b.node("MatMul", [v, tm], "variable")
            what = "Pipeline(StandardScaler, TruncatedSVD(4)): MatMul(components.T)"
        finish(name, b, Xtr.shape[1], Xreq, tr.transform(sc.transform(Z)),
               f"{what}. Data: wine (seed 501). " + describe_edges(50, ew), target, tr.n_components)


def union_coltrans_cases():
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import FeatureUnion
    Xtr, Xreq, ew = data()
    Z = Xreq.astype(np.float64)
    # FeatureUnion(StandardScaler, MinMaxScaler)
    fu = FeatureUnion([("std", StandardScaler()), ("mm", MinMaxScaler())]).fit(Xtr)
    std, mm = fu.transformer_list[0][1], fu.transformer_list[1][1]
    b = Builder(15)
    b.reserve("variable")
    v1 = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(std.mean_),
                scale=f32list(1.0 / std.scale_))
    c = b.node("Cast", "X", b.var("Ca_output0"), to=TensorProto.FLOAT, name="Ca_Cast")
    mul = b.node("Mul", [c, b.init("Mu_Mulcst", mm.scale_.astype(np.float32))], b.var("Mu_C0"), name="Mu_Mul")
    v2 = b.node("Add", [mul, b.init("Ad_Addcst", mm.min_.astype(np.float32))], b.var("variable"), name="Ad_Add")
    b.node("Concat", [v1, v2], "variable", axis=1, version=11)
    finish("sk_pre_feature_union", b, 13, Xreq, fu.transform(Z), "FeatureUnion(StandardScaler, MinMaxScaler): "
           "Scaler and Cast/Mul/Add branches, Concat(axis 1). Data: wine (seed 501). " + describe_edges(50, ew),
           15, 26)
    # ColumnTransformer: scale [0, 1, 2], passthrough [5, 7], drop the rest
    ct = ColumnTransformer([("sc", StandardScaler(), [0, 1, 2]), ("keep", "passthrough", [5, 7])],
                           remainder="drop").fit(Xtr)
    sc = ct.named_transformers_["sc"]
    b = Builder(15)
    b.reserve("variable")
    i1 = b.init("column_indices", np.array([0, 1, 2], dtype=np.int64))
    f1 = b.node("ArrayFeatureExtractor", ["X", i1], b.var("X03"), domain="ai.onnx.ml", version=1)
    s1 = b.node("Scaler", f1, b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
                scale=f32list(1.0 / sc.scale_))
    i2 = b.init("column_indices", np.array([5, 7], dtype=np.int64))
    f2 = b.node("ArrayFeatureExtractor", ["X", i2], b.var("X04"), domain="ai.onnx.ml", version=1)
    b.node("Concat", [s1, f2], "variable", axis=1, version=11)
    finish("sk_pre_coltrans_passthrough_drop", b, 13, Xreq, ct.transform(Z),
           "ColumnTransformer([StandardScaler on columns 0-2, 'passthrough' on 5 and 7], remainder='drop') on one "
           "matrix input: ArrayFeatureExtractor column selection, Scaler, Concat. Data: wine (seed 501). "
           + describe_edges(50, ew), 15, 5)
    # VarianceThreshold and SelectKBest -> ArrayFeatureExtractor
    vt = VarianceThreshold(threshold=1.0).fit(Xtr)
    b = Builder(15)
    b.node("ArrayFeatureExtractor", ["X", b.init("ind", np.flatnonzero(vt.get_support()).astype(np.int64))],
           "variable", domain="ai.onnx.ml", version=1)
    finish("sk_pre_variance_threshold", b, 13, Xreq, vt.transform(Z), "VarianceThreshold(1.0): "
           "ArrayFeatureExtractor(X, support indices). Data: wine (seed 501)", 15, int(vt.get_support().sum()))
    diab = load_diabetes()
    kb = SelectKBest(f_regression, k=4).fit(diab.data[:300], diab.target[:300])
    b = Builder(15)
    b.node("ArrayFeatureExtractor", ["X", b.init("ind", np.flatnonzero(kb.get_support()).astype(np.int64))],
           "variable", domain="ai.onnx.ml", version=1)
    Xd = diab.data[300:350].astype(np.float32)
    finish("sk_pre_selectkbest", b, 10, Xd, kb.transform(Xd.astype(np.float64)), "SelectKBest(f_regression, k=4): "
           "ArrayFeatureExtractor(X, support indices). Data: diabetes", 15, 4)


def main():
    scaler_cases()
    normalizer_cases()
    poly_case("sk_pre_poly3_interaction", PolynomialFeatures(degree=3, interaction_only=True), 15,
              "PolynomialFeatures(degree=3, interaction_only=True): ArrayFeatureExtractor + ReduceProd(axes attr) "
              "per term, Shape + ConstantOfShape bias, Concat")
    poly_case("sk_pre_poly2_opset18", PolynomialFeatures(degree=2), 18,
              "PolynomialFeatures(degree=2) at target_opset 18: ReduceProd takes axes as an input")
    encoder_cases()
    imputer_cases()
    decomposition_cases()
    union_coltrans_cases()


if __name__ == "__main__":
    main()
