"""gen_sk4_encoders writes sk4_enc_* cases: categorical encoders in the
forms newer skl2onnx releases write (ordinal_encoder.py, target_encoder.py
on main), at the default target opset 21 (ir_version 10).

  * OrdinalEncoder (multi-column support 1.16 #1044; encoded_missing_value
    and unknown_value 1.18 #1132): per column, a graph input of width 1 is
    used as is, a wider one gives ArrayFeatureExtractor(X, scalar index);
    DOUBLE columns Cast(float), INT16/INT32 Cast(int64); LabelEncoder
    (op_version 2) with keys_floats / keys_int64s / keys_strings (str() of
    each category, so a NaN category of an object column becomes the key
    'nan'), values 0..n-1 except that, when the categories end with NaN and
    encoded_missing_value is not NaN, the last value is encoded_missing_value;
    default_int64 = unknown_value with handle_unknown='use_encoded_value'
    (left at -1 otherwise); Reshape(-1, 1); Concat(axis 1); Cast(float).
  * TargetEncoder (1.19, #1137; scikit-learn >= 1.3, binary or continuous
    targets only): the same per-column layout with LabelEncoder keys ->
    values_floats = encodings_[i], default_float = target_mean_ (unknown
    categories), Reshape(-1, 1), Concat(axis 1), Cast(float). scikit-learn
    1.2.1 has no TargetEncoder, so the fitted attributes are computed here as
    scikit-learn's fit does for smooth='auto' (per category the shrinkage
    lambda = n var(y) / (n var(y) + var_cat) between the category mean and
    the target mean; target_mean_ = mean(y), binary targets as 0/1); the
    'sklearn' block holds transform()'s lookup of those encodings.
"""
import numpy as np
import pandas as pd
from onnx import TensorProto
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OrdinalEncoder

import skcommon
from skcommon import Builder, tinfo, classifier_tail, run_case
import skparts

ML = "ai.onnx.ml"
DEFAULT = "default target_opset 21 (ir_version 10)"


def encoder_columns(b, columns, keys_of, values_of, defaults):
    """encoder_columns adds the per-column part the ordinal and target
    encoder converters share; columns lists (graph input, column index or
    None, element type). Returns the Concat output."""
    res = []
    for i, (name, col, elem) in enumerate(columns):
        if col is not None:
            idx = b.init("index", np.int64(col))
            name = b.node("ArrayFeatureExtractor", [name, idx], b.var("feature_column"), domain=ML, version=1)
        if elem == TensorProto.DOUBLE:
            name = b.node("Cast", name, b.var("casted_feature_column"), to=TensorProto.FLOAT, version=9)
            elem = TensorProto.FLOAT
        attrs = {}
        keys = keys_of(i)
        if elem == TensorProto.FLOAT:
            attrs["keys_floats"] = [float(k) for k in np.asarray(keys, dtype=np.float32)]
        elif elem == TensorProto.INT64:
            attrs["keys_int64s"] = [int(k) for k in keys]
        else:
            attrs["keys_strings"] = [str(k) for k in keys]
        attrs.update(values_of(i))
        attrs.update(defaults)
        le = b.node("LabelEncoder", name, b.var("label_encoder"), domain=ML, version=2, **attrs)
        sh = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
        res.append(b.node("Reshape", [le, sh], b.var("ordinal_output"), version=5))
    return b.node("Concat", res, b.var("concat_result"), axis=1, version=11)


def ordinal_values(oe):
    def values_of(i):
        cats = oe.categories_[i]
        vals = list(range(len(cats)))
        if (not np.isnan(oe.encoded_missing_value) and isinstance(cats[-1], float) and np.isnan(cats[-1])):
            vals = list(range(len(cats) - 1)) + [int(oe.encoded_missing_value)]
        return {"values_int64s": vals}
    return values_of


def ordinal_strings(name):
    rng = np.random.RandomState(921)
    n = 90
    col = np.array(["red", "green", "blue", "teal"], dtype=object)[rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])]
    sz = np.array(["S", "M", "L", "XL"], dtype=object)[rng.choice(4, n, p=[0.2, 0.4, 0.3, 0.1])]
    S = np.stack([col, sz], axis=1)
    S[rng.rand(*S.shape) < 0.12] = np.nan
    oe = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2).fit(S[:70])
    b = Builder(21, ml_target=2)
    b.reserve("variable")
    cr = encoder_columns(b, [("X", 0, TensorProto.STRING), ("X", 1, TensorProto.STRING)],
                         lambda i: oe.categories_[i], ordinal_values(oe), {"default_int64": int(oe.unknown_value)})
    b.node("Cast", cr, "variable", to=TensorProto.FLOAT, version=9)
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 2])]
    skparts.finalize(b, outs)
    m = b.model([tinfo("X", TensorProto.STRING, [None, 2])], outs, name)
    req = np.vstack([S[70:], [[np.nan, np.nan], ["purple", "XXL"], ["red", np.nan], ["", "S"]]]).astype(object)
    sk_in = req.copy()
    feed = np.array([["nan" if (isinstance(v, float) and np.isnan(v)) else v for v in r] for r in req], dtype=str)
    want = oe.transform(sk_in)
    return run_case(name, m, {"X": feed}, {"transform": want},
                    "OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1, encoded_missing_value=-2) "
                    "on 2 object columns trained with np.nan (skl2onnx >= 1.18): ArrayFeatureExtractor(X, scalar "
                    "index), LabelEncoder v2 keys_strings ending in 'nan' (str of the NaN category) -> values 0..n-2 "
                    "and -2, default_int64 -1, Reshape(-1, 1), Concat, Cast(float). A string tensor cannot hold NaN: "
                    "the request sends the string 'nan' where scikit-learn saw np.nan, which the graph encodes -2 "
                    "(encoded_missing_value). scikit-learn 1.2.1's transform of a multi-row object array sends "
                    "np.nan to unknown_value -1 instead (scikit-learn issue #28462), hence the outlier rows; "
                    f"onnxruntime is the reference. {DEFAULT}. Data: synthetic colours/sizes with 12% missing (seed "
                    "921); last rows: all missing, unseen 'purple'/'XXL', one missing, an empty string",
                    score_out="variable", score_key="transform")


def ordinal_frame(name):
    rng = np.random.RandomState(922)
    n = 100
    df = pd.DataFrame({
        "color": np.array(["red", "green", "blue"], dtype=object)[rng.choice(3, n)],
        "rooms": rng.choice([1, 2, 3, 5], n).astype(np.int64),
        "grade": rng.choice([1.5, 2.5, 4.0], n).astype(np.float64)})
    df.loc[rng.rand(n) < 0.1, "grade"] = np.nan
    oe = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=9, encoded_missing_value=7)
    oe.fit(df[:75])
    b = Builder(21, ml_target=2)
    b.reserve("variable")
    cr = encoder_columns(b, [("color", None, TensorProto.STRING), ("rooms", None, TensorProto.INT64),
                             ("grade", None, TensorProto.DOUBLE)],
                         lambda i: oe.categories_[i], ordinal_values(oe), {"default_int64": int(oe.unknown_value)})
    b.node("Cast", cr, "variable", to=TensorProto.FLOAT, version=9)
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 3])]
    skparts.finalize(b, outs)
    inputs = [tinfo("color", TensorProto.STRING, [None, 1]), tinfo("rooms", TensorProto.INT64, [None, 1]),
              tinfo("grade", TensorProto.DOUBLE, [None, 1])]
    m = b.model(inputs, outs, name)
    extra = pd.DataFrame({"color": ["pink", "red", "blue"], "rooms": [4, 0, 5], "grade": [np.nan, 3.0, 1.5]})
    req = pd.concat([df[75:], extra], ignore_index=True)
    feeds = {"color": req[["color"]].to_numpy(str), "rooms": req[["rooms"]].to_numpy(np.int64),
             "grade": req[["grade"]].to_numpy(np.float64)}
    want = oe.transform(req)
    return run_case(name, m, feeds, {"transform": want},
                    "OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=9, encoded_missing_value=7) on "
                    "a data frame converted with one input per column (string, INT64, DOUBLE; skl2onnx >= 1.16 "
                    "multi-column support): no column extraction for width-1 inputs, Cast(float) of the DOUBLE "
                    "column, LabelEncoder v2 keys_strings / keys_int64s / keys_floats (the float keys end with NaN "
                    "-> 7), default_int64 9, Reshape, Concat, Cast(float). onnxruntime's LabelEncoder v2 never "
                    "matches the NaN key, so a missing grade gives 9 (unknown) where scikit-learn gives 7; "
                    f"onnxruntime is the reference. {DEFAULT}. Data: synthetic frame (seed 922); last rows: unseen "
                    "colour 'pink' with a missing grade, unseen rooms 0 and grade 3.0, known values",
                    score_out="variable", score_key="transform")


# ---------------------------------------------------------------- TargetEncoder
def target_encoding(col, y):
    """target_encoding returns scikit-learn's categories_, encodings_ for one
    column with smooth='auto' (population variances)."""
    cats = np.unique(col)
    y_mean = y.mean()
    y_var = y.var()
    enc = []
    for c in cats:
        yc = y[col == c]
        n = len(yc)
        mc = yc.mean()
        vc = yc.var()
        lam = y_var * n / (y_var * n + vc) if (y_var * n + vc) > 0 else 1.0
        enc.append(lam * mc + (1 - lam) * y_mean)
    return cats, np.array(enc)


def target_strings(name):
    rng = np.random.RandomState(923)
    n = 200
    city = np.array(["paris", "lyon", "nice", "lille", "brest"], dtype=object)[rng.choice(5, n,
                                                                                         p=[.35, .25, .2, .15, .05])]
    kind = np.array(["flat", "house", "loft"], dtype=object)[rng.choice(3, n, p=[.6, .3, .1])]
    base = {"paris": 9.0, "lyon": 6.0, "nice": 7.5, "lille": 4.0, "brest": 3.0}
    y = np.array([base[c] for c in city]) + np.where(kind == "house", 2.0, 0.0) + rng.normal(0, 1.5, n)
    S = np.stack([city, kind], axis=1)
    ytr = y[:150]
    fitted = [target_encoding(S[:150, j], ytr) for j in range(2)]
    target_mean = ytr.mean()
    b = Builder(21, ml_target=2)
    b.reserve("variable")
    cr = encoder_columns(b, [("X", 0, TensorProto.STRING), ("X", 1, TensorProto.STRING)],
                         lambda i: fitted[i][0], lambda i: {"values_floats": [float(v) for v in fitted[i][1]]},
                         {"default_float": float(target_mean)})
    b.node("Cast", cr, "variable", to=TensorProto.FLOAT, version=9)
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 2])]
    skparts.finalize(b, outs)
    m = b.model([tinfo("X", TensorProto.STRING, [None, 2])], outs, name)
    req = np.vstack([S[150:], [["rome", "flat"], ["brest", "castle"], ["", ""]]]).astype(str)
    want = np.stack([[dict(zip(fitted[j][0], fitted[j][1])).get(v, target_mean) for v in req[:, j]]
                     for j in range(2)], axis=1)
    return run_case(name, m, {"X": req}, {"transform": want},
                    "TargetEncoder(smooth='auto', target_type='continuous') on 2 string columns (skl2onnx 1.19): "
                    "ArrayFeatureExtractor(X, scalar index), LabelEncoder v2 keys_strings -> values_floats "
                    "(encodings_), default_float = target_mean_ for unseen categories, Reshape(-1, 1), Concat, "
                    "Cast(float). scikit-learn 1.2.1 has no TargetEncoder: encodings_ / target_mean_ are computed "
                    "with scikit-learn's smooth='auto' formula and 'sklearn' holds transform()'s lookup. "
                    f"{DEFAULT}. Data: synthetic cities/kinds with a continuous target (seed 923); last rows: unseen "
                    "'rome', unseen 'castle', empty strings", score_out="variable", score_key="transform")


def target_binary_logreg(name):
    rng = np.random.RandomState(924)
    n = 260
    shop = rng.choice([3, 7, 11, 19, 23, 42], n, p=[.3, .25, .2, .1, .1, .05]).astype(np.int64)
    band = rng.choice([0.5, 1.5, 2.5], n).astype(np.float32)
    p = {3: 0.2, 7: 0.5, 11: 0.7, 19: 0.35, 23: 0.85, 42: 0.6}
    yb = (rng.rand(n) < np.array([p[s] for s in shop]) * np.where(band > 2, 1.2, 0.9)).astype(np.int64)
    ytr = yb[:200].astype(np.float64)
    fitted = [target_encoding(shop[:200], ytr), target_encoding(band[:200].astype(np.float64), ytr)]
    target_mean = ytr.mean()
    Ztr = np.stack([[dict(zip(fitted[j][0], fitted[j][1]))[v] for v in col]
                    for j, col in enumerate([shop[:200], band[:200].astype(np.float64)])], axis=1)
    lr = LogisticRegression(C=1.0).fit(Ztr, yb[:200])
    b = Builder(21, ml_target=2)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    cr = encoder_columns(b, [("shop", None, TensorProto.INT64), ("band", None, TensorProto.FLOAT)],
                         lambda i: fitted[i][0], lambda i: {"values_floats": [float(v) for v in fitted[i][1]]},
                         {"default_float": float(target_mean)})
    v = b.node("Cast", cr, b.var("variable"), to=TensorProto.FLOAT, version=9)
    skparts.linear_classifier(b, v, lr, "label", "probabilities", newer=True)
    outs = classifier_tail(b, "label", "probabilities", lr.classes_)
    skparts.finalize(b, outs)
    inputs = [tinfo("shop", TensorProto.INT64, [None, 1]), tinfo("band", TensorProto.FLOAT, [None, 1])]
    m = b.model(inputs, outs, name)
    rs = np.concatenate([shop[200:], [5, 42, 3]]).astype(np.int64)
    rb = np.concatenate([band[200:], [1.5, 9.0, 0.5]]).astype(np.float32)
    Z = np.stack([[dict(zip(fitted[0][0], fitted[0][1])).get(v, target_mean) for v in rs],
                  [dict(zip(fitted[1][0], fitted[1][1])).get(float(v), target_mean) for v in rb]], axis=1)
    proba = lr.predict_proba(Z)
    return run_case(name, m, {"shop": rs.reshape(-1, 1), "band": rb.reshape(-1, 1)},
                    {"label": lr.predict(Z), "probabilities": proba},
                    "Pipeline(TargetEncoder(smooth='auto'), LogisticRegression) on a binary target, one input per "
                    "column (INT64 shop ids, FLOAT bands): LabelEncoder v2 keys_int64s / keys_floats -> "
                    "values_floats, default_float = target_mean_, Reshape, Concat, Cast(float), then the newer "
                    "binary LinearClassifier (multi_class 0, LOGISTIC, no Normalizer), Cast + ZipMap. TargetEncoder "
                    "is emulated from scikit-learn's smooth='auto' formula (scikit-learn 1.2.1 lacks it). "
                    f"{DEFAULT}. Data: synthetic shops (seed 924); last rows: unseen shop 5, unseen band 9.0, known",
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def main():
    skcommon.Builder.producer_version = "1.19.1"
    ordinal_strings("sk4_enc_ordinal_str_missing")
    ordinal_frame("sk4_enc_ordinal_frame_mixed")
    target_strings("sk4_enc_target_continuous_str")
    target_binary_logreg("sk4_enc_target_binary_logreg")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
