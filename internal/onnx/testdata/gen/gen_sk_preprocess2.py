"""gen_sk_preprocess2 writes sk_pre2_* cases: transformers as skl2onnx (1.14
and later) converts them, beyond gen_sk_preprocess.py.

  * KBinsDiscretizer (k_bins_discretiser.py): per column
    ArrayFeatureExtractor(X, i) -> Cast(float) -> Less(column, inner bin edges
    as a float tensor) -> Cast(float) -> Concat(., a column of ones made by
    Mul(column, 0) + 1, axis 1) -> ArgMax(axis 1) = bin index; 'onehot-dense'
    -> OneHotEncoder(cats_int64s 0..n-1) -> Reshape(-1, n); 'ordinal' ->
    Cast(float). Concat(axis 1). Same rule as scikit-learn's searchsorted(side
    'right'), but against float32-rounded edges: a value equal to
    float32(edge) < edge lands in the upper bin in the graph, the lower one in
    scikit-learn (onnxruntime is the reference).
  * OneHotEncoder, newer converter (one_hot_encoder.py on main): per column
    Gather(X, [i], axis 1) (single matrix input), Cast(int64) for integer
    input, OneHotEncoder(zeros = handle_unknown == 'ignore'), drop ->
    Gather(keep indices, axis -1); infrequent categories (only when each
    column is its own graph input) -> categories ordered frequent then
    infrequent, Split(axis -1, sizes as an input) -> ReduceSum(axes [-1],
    keepdims 1) of the infrequent part -> Concat(axis -1); Concat(axis -1) of
    the columns, Reshape(-1, n) (Cast(int64) first when dtype is integer).
  * SimpleImputer on strings (imputer_op.py): per column
    LabelEncoder(constant [0] -> fill string), ArrayFeatureExtractor(X, [i]),
    LabelEncoder(missing string -> 1, default 0) -> Cast(bool) ->
    Where(mask, fill, column) (Where on strings), Concat(axis 1).
  * OrdinalEncoder on float columns with NaN (ordinal_encoder.py):
    ArrayFeatureExtractor -> LabelEncoder v2 keys_floats (NaN last) ->
    values 0..n-2 and encoded_missing_value, default_int64 = unknown_value
    -> Reshape(-1, 1), Concat, Cast(float). onnxruntime's LabelEncoder v2
    never matches a NaN key (NaN != NaN), so NaN inputs get default_int64
    (-1), not encoded_missing_value (-2) as in scikit-learn.
  * FunctionTransformer() -> Identity.
  * ColumnTransformer on one graph input per column (as the corpus's
    coltrans_mixed_inputs.onnx, skl2onnx 1.14): Concat of the float inputs ->
    Binarizer; OneHotEncoder per string input (no column extraction),
    Concat(axis 2), Reshape; Concat(axis 1); LogisticRegression.
  * Double input: RobustScaler / StandardScaler -> Sub + Div (algebra API,
    double constants); MinMaxScaler -> Cast(double) + Mul + Add;
    StandardScaler with option div='div_cast' on float input -> Cast(double)
    + Sub + Div + Cast(float).
"""
import numpy as np
from onnx import TensorProto, helper
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_wine, load_diabetes
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (KBinsDiscretizer, OneHotEncoder, OrdinalEncoder, FunctionTransformer,
                                   Binarizer, RobustScaler, MinMaxScaler, StandardScaler)

from skcommon import Builder, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges, run_case
import skparts

ML = "ai.onnx.ml"


def finish(name, b, inputs, feeds, expected, what, target, out_elem=TensorProto.FLOAT, n_out=None, tol_abs=1e-5,
           tol_rel=1e-6, reason=None, out_name="variable"):
    outs = [tinfo(out_name, out_elem, [None, n_out])]
    skparts.finalize(b, outs)
    m = b.model(inputs, outs, name)
    return run_case(name, m, feeds, {"transform": expected}, f"{what}. target_opset {target}.",
                    score_out=out_name, score_key="transform", tol_abs=tol_abs, tol_rel=tol_rel, tol_reason=reason)


# ---------------------------------------------------------------- KBinsDiscretizer
def kbins_case(name, kb, target, what, seed):
    wine = load_wine()
    X = wine.data[:, [0, 1, 4, 9, 12]]
    Xtr, Xte, _, _ = split(X, wine.target, seed)
    kb.fit(Xtr)
    b = Builder(target)
    b.reserve("variable")
    outs = []
    last = None
    for i, edges in enumerate(kb.bin_edges_):
        item = edges[1:-1] if len(edges) > 2 else [np.finfo(np.float32).max]
        ci = b.init("column_index", np.int64(i))
        rc = b.init("range_column", np.asarray(item, dtype=np.float32))
        col = b.node("ArrayFeatureExtractor", ["X", ci], b.var("column"), domain=ML, version=1)
        cc = b.node("Cast", col, b.var("cast_column"), to=TensorProto.FLOAT, version=9)
        ls = b.node("Less", [cc, rc], b.var("less_result"))
        cr = b.node("Cast", ls, b.var("cast_result"), to=TensorProto.FLOAT, version=9)
        if last is None:
            one = b.init("one_float", np.ones(1, dtype=np.float32))
            zero = b.init("zero_float", np.zeros(1, dtype=np.float32))
            zc = b.node("Mul", [cc, zero], b.var("zero_column"), version=7)
            last = b.node("Add", [zc, one], b.var("last_column"), version=7)
        ca = b.node("Concat", [cr, last], b.var("concatenated_array"), axis=1, version=11)
        am = b.node("ArgMax", ca, b.var("argmax_output"), axis=1)
        out = b.var(f"digitised_output_{i}")
        if kb.encode == "onehot-dense":
            oh = b.node("OneHotEncoder", am, b.var("onehot_result"), domain=ML, version=1,
                        cats_int64s=list(range(kb.n_bins_[i])))
            sh = b.init("shape_tensor", np.array([-1, kb.n_bins_[i]], dtype=np.int64))
            b.node("Reshape", [oh, sh], out, version=5)
        else:
            b.node("Cast", am, out, to=TensorProto.FLOAT, version=9)
        outs.append(out)
    b.node("Concat", outs, "variable", axis=1, version=11)
    edges, ew = edge_rows(Xtr)
    # rows on bin edges: float32(edge) and the float32 just below it, for the first edges of two columns
    med = np.median(Xtr, axis=0).astype(np.float32)
    er, erw = [], []
    for c in (0, 2):
        for e in kb.bin_edges_[c][1:3]:
            w = np.float32(e)
            for v, lab in ((w, f"column {c} = float32(bin edge {e!r})"),
                           (np.nextafter(w, np.float32(-np.inf)), "the float32 just below it")):
                r = med.copy(); r[c] = v; er.append(r); erw.append(lab)
    Xreq = np.vstack([Xte[:45], edges, er]).astype(np.float32)
    n_out = int(sum(kb.n_bins_)) if kb.encode == "onehot-dense" else len(kb.n_bins_)
    return finish(name, b, [tinfo("X", TensorProto.FLOAT, [None, X.shape[1]])], {"X": Xreq},
                  kb.transform(Xreq.astype(np.float64)), what + f". Data: wine columns [0, 1, 4, 9, 12] (seed {seed}). "
                  + describe_edges(45, ew + erw) + " Rows on a bin edge whose float32 rounding is below the float64 edge land in "
                  "the upper bin in the graph (Less against float32 edges) and in the lower one in scikit-learn; "
                  "onnxruntime is the reference", target, n_out=n_out)


# ---------------------------------------------------------------- OneHotEncoder (newer form)
def categorical_frame(seed, n=90):
    rng = np.random.RandomState(seed)
    cities = np.array(["paris", "lyon", "nice", "lille", "brest", "dijon", "metz"])
    pc = np.array([0.3, 0.25, 0.2, 0.1, 0.07, 0.05, 0.03])
    plans = np.array(["basic", "plus", "premium", "gold"])
    pp = np.array([0.45, 0.35, 0.15, 0.05])
    S = np.stack([cities[rng.choice(7, n, p=pc)], plans[rng.choice(4, n, p=pp)]], axis=1).astype(object)
    return S


def ohe_newer(b, inputs, ohe, int_input=False):
    """inputs: list of (graph input name, column index in it or None when the
    input is the column)."""
    result = []
    total = 0
    for index, cats in enumerate(ohe.categories_):
        name, col = inputs[index]
        filtered = ohe._compute_transformed_categories(index)
        n_cats = None
        if ohe._infrequent_enabled and "infrequent_sklearn" in filtered:
            n_cats = len(filtered) - 1
            cats = np.hstack([filtered[:-1], [c for c in cats if c not in filtered]])
        if col is not None:
            idx = b.init(name + str(col), np.array([col], dtype=np.int64))
            name = b.node("Gather", [name, idx], b.var(name + str(col)), axis=1)
        attrs = {"zeros": 1 if ohe.handle_unknown == "ignore" else 0}
        if int_input:
            attrs["cats_int64s"] = [int(c) for c in cats]
            name = b.node("Cast", name, b.var(name + "cast"), to=TensorProto.INT64, version=9)
        else:
            attrs["cats_strings"] = [str(c) for c in cats]
        out = b.node("OneHotEncoder", name, b.var(name + "out"), domain=ML, version=1, **attrs)
        ncat = len(cats)
        if getattr(ohe, "drop_idx_", None) is not None and ohe.drop_idx_[index] is not None:
            keep = np.delete(np.arange(len(cats)), ohe.drop_idx_[index])
            ki = b.init("indices_to_keep", keep.astype(np.int64))
            out = b.node("Gather", [out, ki], b.var("extracted_outputs"), axis=-1)
            ncat = len(keep)
        elif n_cats is not None:
            sp = b.init("split_name", np.array([n_cats, len(cats) - n_cats], dtype=np.int64))
            s1, s2 = b.node("Split", [out, sp], [b.var("split1"), b.var("split2")], axis=-1)
            ax = b.init("axis_name", np.array([-1], dtype=np.int64))
            red = b.node("ReduceSum", [s2, ax], b.var("red_name"), keepdims=1)
            out = b.node("Concat", [s1, red], b.var("conc_name"), axis=-1)
            ncat = n_cats + 1
        result.append(out)
        total += ncat
    if len(result) == 1:
        cr = result[0]
    else:
        cr = b.node("Concat", result, b.var("concat_result"), axis=-1, version=11)
    if np.issubdtype(ohe.dtype, np.signedinteger):
        cr = b.node("Cast", cr, b.var("cast"), to=TensorProto.INT64, version=9)
    sh = b.init("shape_tensor", np.array([-1, total], dtype=np.int64))
    b.node("Reshape", [cr, sh], "variable", version=5)
    return total


def ohe_cases():
    S = categorical_frame(601)
    Str, Ste = S[:70], S[70:]
    # drop='first', handle_unknown='ignore', one matrix input
    ohe = OneHotEncoder(drop="first", handle_unknown="ignore", sparse_output=False).fit(Str)
    b = Builder(15)
    b.reserve("variable")
    n = ohe_newer(b, [("X", 0), ("X", 1)], ohe)
    req = np.vstack([Ste, [["paris", "basic"], ["rome", "plus"], ["lyon", "diamond"], ["", ""]]]).astype(str)
    finish("sk_pre2_onehot_drop_first", b, [tinfo("X", TensorProto.STRING, [None, 2])], {"X": req},
           ohe.transform(req.astype(object)), "OneHotEncoder(drop='first', handle_unknown='ignore') on 2 string "
           "columns, newer converter form: Gather(X, [i], axis 1) + OneHotEncoder(zeros=1) + Gather(kept columns, "
           "axis -1) per column, Concat(axis -1), Reshape. Last rows: the dropped categories (all zeros), unseen "
           "'rome' / 'diamond' / empty strings (all zeros)", 15, n_out=n)
    # drop='if_binary' on int64 input, integer output
    rng = np.random.RandomState(602)
    Xi = np.stack([rng.randint(0, 2, 80), rng.choice([3, 7, 11], 80), rng.randint(1, 5, 80)], axis=1).astype(np.int64)
    ohe = OneHotEncoder(drop="if_binary", sparse_output=False, dtype=np.int64).fit(Xi[:60])
    b = Builder(17)
    b.reserve("variable")
    n = ohe_newer(b, [("X", 0), ("X", 1), ("X", 2)], ohe, int_input=True)
    req = Xi[60:]
    finish("sk_pre2_onehot_if_binary_int64", b, [tinfo("X", TensorProto.INT64, [None, 3])], {"X": req},
           ohe.transform(req), "OneHotEncoder(drop='if_binary', dtype=int64) on 3 int64 columns (one binary): "
           "Gather + Cast(int64) + OneHotEncoder(cats_int64s, zeros=0), Gather(axis -1) for the binary column, "
           "Concat, Cast(int64), Reshape: an INT64 output", 17, out_elem=TensorProto.INT64, n_out=n)
    # infrequent categories: one graph input per column
    for name, kw, target in [("sk_pre2_onehot_min_frequency", dict(min_frequency=6), 15),
                             ("sk_pre2_onehot_max_categories_opset18", dict(max_categories=3), 18)]:
        ohe = OneHotEncoder(handle_unknown="infrequent_if_exist", sparse_output=False, **kw).fit(Str)
        b = Builder(target)
        b.reserve("variable")
        n = ohe_newer(b, [("city", None), ("plan", None)], ohe)
        req = np.vstack([Ste, [["metz", "gold"], ["dijon", "premium"], ["brest", "basic"]]]).astype(str)
        feeds = {"city": req[:, :1], "plan": req[:, 1:]}
        finish(name, b, [tinfo("city", TensorProto.STRING, [None, 1]), tinfo("plan", TensorProto.STRING, [None, 1])],
               feeds, ohe.transform(req.astype(object)),
               f"OneHotEncoder(handle_unknown='infrequent_if_exist', {', '.join(f'{k}={v}' for k, v in kw.items())})"
               " on two string inputs [N, 1] (infrequent categories are only converted when each column is its own "
               "input): OneHotEncoder over frequent-then-infrequent categories (zeros=0: the request holds no unseen "
               "category), Split(axis -1, split input) + ReduceSum(axes [-1]) of the infrequent block + Concat(axis "
               "-1), Concat, Reshape. Last rows: rare cities and plans", target, n_out=n)


# ---------------------------------------------------------------- string imputer, ordinal with NaN
def imputer_ordinal_cases():
    S = categorical_frame(603, n=80)
    rng = np.random.RandomState(603)
    S[rng.rand(*S.shape) < 0.15] = ""
    Str, Ste = S[:60], S[60:]
    for name, imp, target, what in [
        ("sk_pre2_imputer_str_most_frequent", SimpleImputer(strategy="most_frequent", missing_values=""), 15,
         "SimpleImputer(strategy='most_frequent', missing_values='') on 2 string columns"),
        ("sk_pre2_imputer_str_constant", SimpleImputer(strategy="constant", missing_values="",
                                                       fill_value="unknown"), 17,
         "SimpleImputer(strategy='constant', fill_value='unknown', missing_values='') on 2 string columns")]:
        imp.fit(Str)
        b = Builder(target, ml_target=2)
        b.reserve("variable")
        zero = b.init("zero", np.array([0], dtype=np.int64))
        names = []
        for i in range(imp.statistics_.size):
            fill = imp.statistics_[i] if imp.fill_value is None else imp.fill_value
            fv = b.node("LabelEncoder", zero, b.var("fillvalue"), domain=ML, version=2, keys_int64s=[0],
                        values_strings=[str(imp.statistics_[i])], default_string=str(fill))
            ii = b.init(f"i{i}", np.array([i], dtype=np.int64))
            col = b.node("ArrayFeatureExtractor", ["X", ii], b.var(f"impi{i}"), domain=ML, version=1)
            cond = b.node("LabelEncoder", col, b.var(f"impc{i}"), domain=ML, version=2,
                          keys_strings=[str(imp.missing_values)], values_int64s=[1], default_int64=0)
            cb = b.node("Cast", cond, b.var(f"impc{i}"), to=TensorProto.BOOL)
            names.append(b.node("Where", [cb, fv, col], b.var(f"nomiss{i}")))
        b.node("Concat", names, "variable", axis=1, version=11)
        req = np.vstack([Ste, [["", ""], ["rome", ""]]]).astype(str)
        outs = [tinfo("variable", TensorProto.STRING, [None, 2])]
        skparts.finalize(b, outs)
        m = b.model([tinfo("X", TensorProto.STRING, [None, 2])], outs, name)
        got = imp.transform(req.astype(object))
        run_case(name, m, {"X": req}, {"label": got.astype(str)},
                 f"{what}: per column LabelEncoder(constant input -> fill value), ArrayFeatureExtractor, "
                 f"LabelEncoder(missing -> 1) + Cast(bool), Where on strings, Concat. Last rows: all missing, an "
                 f"unseen city. target_opset {target}.", label_out="variable")
    # OrdinalEncoder on float columns with NaN categories
    rng = np.random.RandomState(604)
    X = np.stack([rng.choice([1.0, 2.0, 3.5, 7.0], 90), rng.choice([0.0, 10.0, 20.0], 90)], axis=1)
    X[rng.rand(*X.shape) < 0.12] = np.nan
    oe = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2).fit(X[:70])
    b = Builder(15, ml_target=2)
    b.reserve("variable")
    res = []
    for i, cats in enumerate(oe.categories_):
        idx = b.init("index", np.int64(i))
        col = b.node("ArrayFeatureExtractor", ["X", idx], b.var("feature_column"), domain=ML, version=1)
        vals = list(range(len(cats)))
        if isinstance(cats[-1], float) and np.isnan(cats[-1]):
            vals = list(range(len(cats) - 1)) + [int(oe.encoded_missing_value)]
        le = b.node("LabelEncoder", col, b.var("label_encoder"), domain=ML, version=2,
                    keys_floats=[float(c) for c in np.asarray(cats, dtype=np.float32)], values_int64s=vals,
                    default_int64=int(oe.unknown_value))
        sh = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
        res.append(b.node("Reshape", [le, sh], b.var("ordinal_output"), version=5))
    cr = b.node("Concat", res, b.var("concat_result"), axis=1, version=11)
    b.node("Cast", cr, "variable", to=TensorProto.FLOAT, version=9)
    req = np.vstack([X[70:], [[np.nan, np.nan], [5.0, 10.0], [3.5, -1.0]]]).astype(np.float32)
    finish("sk_pre2_ordinal_float_nan", b, [tinfo("X", TensorProto.FLOAT, [None, 2])], {"X": req},
           oe.transform(req.astype(np.float64)),
           "OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1, encoded_missing_value=-2) on 2 float "
           "columns trained with NaN: LabelEncoder v2 with keys_floats ending in NaN mapped to -2, default_int64 -1. "
           "NaN (null) in the request; last rows: all NaN, unseen values. onnxruntime's LabelEncoder v2 never matches the "
           "NaN key (NaN != NaN): NaN inputs get default_int64 -1 where scikit-learn gives encoded_missing_value -2 "
           "(the rows listed as outliers); onnxruntime is the reference", 15, n_out=2)


# ---------------------------------------------------------------- FunctionTransformer, ColumnTransformer
def misc_cases():
    rng = np.random.RandomState(605)
    X = (rng.normal(size=(40, 3)) * [1, 10, 100]).astype(np.float32)
    b = Builder(15)
    b.node("Identity", "X", "variable")
    finish("sk_pre2_function_transformer", b, [tinfo("X", TensorProto.FLOAT, [None, 3])], {"X": X},
           FunctionTransformer().fit(X).transform(X.astype(np.float64)),
           "FunctionTransformer() (func=None): a single Identity from the input to the output", 15, n_out=3)
    # ColumnTransformer with one input per column: Binarizer on two float columns, OneHotEncoder on strings
    n = 140
    age = rng.uniform(18, 80, n).round(0)
    income = rng.lognormal(10.5, 0.5, n).round(0)
    city = np.array(["paris", "lyon", "nice", "lille"])[rng.randint(0, 4, n)]
    plan = np.array(["basic", "plus", "premium"])[rng.randint(0, 3, n)]
    y = np.where((age > 45) ^ (income > 40000) ^ (plan == "premium"), "churn", "stay")
    import pandas as pd
    df = pd.DataFrame({"age": age, "income": income, "city": city, "plan": plan})
    ct = ColumnTransformer([("bin", Binarizer(threshold=40.0), ["age", "income"]),
                            ("oh", OneHotEncoder(handle_unknown="ignore"), ["city", "plan"])])
    pipe = Pipeline([("ct", ct), ("lr", LogisticRegression(max_iter=1000))]).fit(df[:100], y[:100])
    binz = pipe.named_steps["ct"].named_transformers_["bin"]
    oh = pipe.named_steps["ct"].named_transformers_["oh"]
    b = Builder(15)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    mc = b.node("Concat", ["age", "income"], b.var("merged_columns"), axis=1)
    v1 = b.node("Binarizer", mc, b.var("variable"), domain=ML, version=1, threshold=float(binz.threshold))
    ohs = []
    for col, cats in zip(["city", "plan"], oh.categories_):
        ohs.append(b.node("OneHotEncoder", col, b.var(col + "out"), domain=ML, version=1,
                          cats_strings=[str(c) for c in cats], zeros=1))
    cr = b.node("Concat", ohs, b.var("concat_result"), axis=2, version=11)
    k = sum(len(c) for c in oh.categories_)
    v2 = b.node("Reshape", [cr, b.init("shape_tensor", np.array([-1, k], dtype=np.int64))], b.var("variable"),
                version=5)
    tc = b.node("Concat", [v1, v2], b.var("transformed_column"), axis=1, version=11)
    skparts.linear_classifier(b, tc, pipe.named_steps["lr"], "label", "probabilities")
    outs = classifier_tail(b, "label", "probabilities", pipe.classes_)
    skparts.finalize(b, outs)
    inputs = [tinfo("age", TensorProto.FLOAT, [None, 1]), tinfo("income", TensorProto.FLOAT, [None, 1]),
              tinfo("city", TensorProto.STRING, [None, 1]), tinfo("plan", TensorProto.STRING, [None, 1])]
    m = b.model(inputs, outs, "sk_pre2_coltrans_binarizer_mixed")
    te = df[100:].copy()
    extra = pd.DataFrame({"age": [40.0, 40.0001, 0.0], "income": [40.0, 1e7, 0.0], "city": ["rome", "paris", ""],
                          "plan": ["plus", "gold", "basic"]})
    te = pd.concat([te, extra], ignore_index=True)
    feeds = {"age": te[["age"]].to_numpy(np.float32), "income": te[["income"]].to_numpy(np.float32),
             "city": te[["city"]].to_numpy(str), "plan": te[["plan"]].to_numpy(str)}
    proba = pipe.predict_proba(te)
    run_case("sk_pre2_coltrans_binarizer_mixed", m, feeds, {"label": pipe.predict(te), "probabilities": proba},
             "Pipeline(ColumnTransformer(Binarizer(threshold=40) on age and income, OneHotEncoder(handle_unknown="
             "'ignore') on city and plan), LogisticRegression) binary, string labels; one graph input per column "
             "(the corpus's coltrans_mixed_inputs layout): Concat(age, income) -> Binarizer, OneHotEncoder per string "
             "input, Concat(axis 2), Reshape, Concat(axis 1). Last rows: age exactly at the threshold (0), just "
             "above, unseen categories, zeros. target_opset 15.", label_out="output_label",
             score_out="output_probability", score_key="probabilities", tie_scores=proba)


# ---------------------------------------------------------------- double input scalers
def double_scaler_cases():
    diab = load_diabetes()
    Xtr, Xte, _, _ = split(diab.data * 100, diab.target, 606)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges])
    for name, tr, target in [("sk_pre2_robust_fp64", RobustScaler(quantile_range=(20, 80)), 15),
                             ("sk_pre2_standard_nomean_fp64", StandardScaler(with_mean=False), 17)]:
        tr.fit(Xtr)
        b = Builder(target)
        off = tr.center_ if isinstance(tr, RobustScaler) else np.zeros(Xtr.shape[1])
        s = b.node("Sub", ["X", b.init("Su_Subcst", off.astype(np.float64))], b.var("Su_C0"), version="target",
                   name="Su_Sub")
        b.node("Div", [s, b.init("Di_Divcst", tr.scale_.astype(np.float64))], "variable", version="target",
               name="Di_Div")
        finish(name, b, [tinfo("X", TensorProto.DOUBLE, [None, 10])], {"X": Xreq}, tr.transform(Xreq),
               f"{type(tr).__name__}({'quantile_range=(20, 80)' if isinstance(tr, RobustScaler) else 'with_mean=False'})"
               f" on double input: Sub(offset) + Div(scale) with double constants (the Scaler op is float only). "
               f"Data: diabetes x 100 (seed 606). " + describe_edges(50, ew), target, out_elem=TensorProto.DOUBLE,
               n_out=10, tol_abs=1e-9, tol_rel=1e-12)
    mm = MinMaxScaler(feature_range=(0, 10)).fit(Xtr)
    b = Builder(15)
    c = b.node("Cast", "X", b.var("Ca_output0"), to=TensorProto.DOUBLE, version="target", name="Ca_Cast")
    mu = b.node("Mul", [c, b.init("Mu_Mulcst", mm.scale_.astype(np.float64))], b.var("Mu_C0"), version="target",
                name="Mu_Mul")
    b.node("Add", [mu, b.init("Ad_Addcst", mm.min_.astype(np.float64))], "variable", version="target",
           name="Ad_Add")
    finish("sk_pre2_minmax_fp64", b, [tinfo("X", TensorProto.DOUBLE, [None, 10])], {"X": Xreq}, mm.transform(Xreq),
           "MinMaxScaler(feature_range=(0, 10)) on double input: Cast(double) + Mul + Add with double constants. "
           "Data: diabetes x 100 (seed 606). " + describe_edges(50, ew), 15, out_elem=TensorProto.DOUBLE, n_out=10,
           tol_abs=1e-9, tol_rel=1e-12)
    sc = StandardScaler().fit(Xtr)
    b = Builder(15)
    c = b.node("Cast", "X", b.var("Ca_output0"), to=TensorProto.DOUBLE, version="target", name="Ca_Cast")
    s = b.node("Sub", [c, b.init("Su_Subcst", sc.mean_.astype(np.float64))], b.var("Su_C0"), version="target",
               name="Su_Sub")
    d = b.node("Div", [s, b.init("Di_Divcst", sc.scale_.astype(np.float64))], b.var("Di_C0"), version="target",
               name="Di_Div")
    b.node("Cast", d, "variable", to=TensorProto.FLOAT, version="target", name="Ca_Cast1")
    Xf = Xreq.astype(np.float32)
    finish("sk_pre2_standard_div_cast", b, [tinfo("X", TensorProto.FLOAT, [None, 10])], {"X": Xf},
           sc.transform(Xf.astype(np.float64)), "StandardScaler with converter option div='div_cast' on float "
           "input: Cast(double) + Sub + Div in double + Cast(float). Data: diabetes x 100 (seed 606). "
           + describe_edges(50, ew), 15, n_out=10)


def main():
    kbins_case("sk_pre2_kbins_onehot_uniform", KBinsDiscretizer(n_bins=4, encode="onehot-dense",
                                                                 strategy="uniform"), 15,
               "KBinsDiscretizer(n_bins=4, encode='onehot-dense', strategy='uniform'): Less against the inner edges, "
               "ArgMax over [mask, ones], OneHotEncoder(cats_int64s) + Reshape per column", 607)
    kbins_case("sk_pre2_kbins_ordinal_quantile", KBinsDiscretizer(n_bins=5, encode="ordinal",
                                                                   strategy="quantile"), 13,
               "KBinsDiscretizer(n_bins=5, encode='ordinal', strategy='quantile'): ArgMax -> Cast(float) per column",
               608)
    kbins_case("sk_pre2_kbins_onehot_kmeans_opset18", KBinsDiscretizer(n_bins=3, encode="onehot-dense",
                                                                        strategy="kmeans"), 18,
               "KBinsDiscretizer(n_bins=3, encode='onehot-dense', strategy='kmeans') at target_opset 18", 609)
    ohe_cases()
    imputer_ordinal_cases()
    misc_cases()
    double_scaler_cases()


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
