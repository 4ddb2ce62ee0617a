"""gen_sk3_transform writes sk3_tr_* cases: transformers and regressors
skl2onnx (1.14 and later) converts with the algebra API (every default-domain
node carries op_version = the target opset), beyond the earlier passes.

  * PowerTransformer (power_transformer.py): ones = Div(X, X), zeros =
    Sub(X, X) (so a 0 input gives NaN there, replaced later), masks
    Less(X, zeros) -> Cast(float) and Not(.) -> Cast(float); yeo-johnson:
    Pow(X + 1, lambda) - 1 / lambda, Log(X + 1), Pow(1 - X, 2 - lambda),
    -Log(1 - X), each branch Imputer(replaced inf -> 0) / Imputer(replaced
    NaN -> 0) (ai.onnx.ml Imputer) and Mul by the lambda / sign masks;
    box-cox: Pow(X, lambda), Log(X); standardize -> Scaler(offset mean,
    scale 1/std), otherwise Identity.
  * PLSRegression (cross_decomposition.py, scikit-learn 1.2: no
    set_predict_request): Sub(X, x_mean) -> Div(x_std) -> MatMul(coef_
    [F, T]) -> Add(y_mean).
  * SplineTransformer (spline_transformer.py, newer skl2onnx): Cast(X), per
    feature Gather(X, scalar f, axis 1) -> Reshape(-1) -> Reshape(-1, 1),
    degree-0 indicators Not(Less(x, t_left)) And Less(x, t_right) -> Cast,
    de Boor recursion with Gather(B, indices, axis 1), Sub/Div/Mul/Add;
    'constant' -> Where(Less(x, xmin), f(xmin), Where(Not(LessOrEqual(x,
    xmax)), f(xmax), B)); 'linear' -> the same with linear extrapolations;
    'periodic' -> x mapped with Sub/Div/Floor/Mul/Add, first and last
    'degree' columns added (Gather, Add, Concat); Concat of the features,
    Gather(keep) when include_bias=False, Identity.
  * RandomTreesEmbedding (random_trees_embedding.py, dense output): per tree
    the ExtraTreeRegressor converted with decision_leaf (its
    TreeEnsembleRegressor, unused, and a second one whose leaf weights are
    the node ids -> Cast(int64)) -> Reshape(-1, 1), Concat, then the
    OneHotEncoder converter on the int64 leaf ids (Gather per column,
    OneHotEncoder cats_int64s, Concat, Reshape), Identity.
  * SelectFromModel inside a pipeline: ArrayFeatureExtractor(X, support)
    feeding the final estimator.
"""
import numpy as np
from onnx import TensorProto, helper
from sklearn.cross_decomposition import PLSRegression
from sklearn.datasets import load_diabetes, load_wine
from sklearn.ensemble import RandomTreesEmbedding
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import Lasso, Ridge
from sklearn.preprocessing import PowerTransformer, SplineTransformer

from skcommon import Builder, float_input, tinfo, f32list, split, edge_rows, describe_edges, run_case, make_reg
import skparts
from gen_sk_trees import TreeAttrs
from gen_sk_preprocess2 import ohe_newer

ML = "ai.onnx.ml"
T = "target"


def finish(name, b, n_features, Xreq, expected, what, target, n_out, in_elem=TensorProto.FLOAT,
           out_elem=TensorProto.FLOAT, tol_abs=1e-5, tol_rel=1e-6, reason=None, out_name="variable", check=True):
    outs = [tinfo(out_name, out_elem, [None, n_out])]
    skparts.finalize(b, outs)
    m = b.model([float_input(n_features, elem=in_elem)], outs, name)
    exp = run_case(name, m, {"X": Xreq}, {"transform": expected}, f"{what}. target_opset {target}.",
                   score_out=out_name, score_key="transform", tol_abs=tol_abs, tol_rel=tol_rel, tol_reason=reason,
                   check=check)[0]
    if np.isnan(expected).any():
        nan_safe(name, exp, out_name)
    return exp


def nan_safe(name, exp, out):
    """nan_safe rewrites a case whose scikit-learn values hold NaN: NaN is
    written as null, the comparison ignores rows where exactly one side is
    NaN and lists them as ort_vs_sklearn_nan_mismatch_rows."""
    import json
    import os
    from skcommon import OUT
    o = {x["name"]: x for x in exp["outputs"]}[out]
    got = np.array([np.nan if v is None else v for v in o["data"]], dtype=np.float64)
    want = np.asarray(exp["sklearn"]["transform"], dtype=np.float64)
    got = got.reshape(want.shape)
    one = np.isnan(got) != np.isnan(want)
    d = np.where(np.isnan(got) | np.isnan(want), 0.0, np.abs(got - want))
    t = exp["tolerance"]
    t["ort_vs_sklearn_max_abs"] = t["ort_vs_sklearn_max_abs_agreeing_rows"] = float(d.max())
    t["ort_vs_sklearn_nan_mismatch_rows"] = [int(i) for i in np.flatnonzero(one.any(axis=1))]
    lim = np.maximum(1e-3, 1e-4 * np.abs(np.nan_to_num(want)))
    t["ort_vs_sklearn_outlier_rows"] = [int(i) for i in np.flatnonzero((d > lim).any(axis=1) | one.any(axis=1))]
    exp["sklearn"]["transform"] = [[None if np.isnan(v) else float(v) for v in row] for row in want]
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f)
    print(f"{name}: NaN on one side only in rows {t['ort_vs_sklearn_nan_mismatch_rows']}, elsewhere max|ort-sklearn| "
          f"{d.max():.3g}")


# ---------------------------------------------------------------- PowerTransformer
def power_graph(b, pt, dt=np.float32):
    lam = pt.lambdas_.astype(dt)
    X = "X"
    ones = b.node("Div", [X, X], b.var("Di_C0"), version=T)
    zeros = b.node("Sub", [X, X], b.var("Su_C0"), version=T)
    less = b.node("Less", [X, zeros], b.var("Le_C0"), version=T)
    less_mask = b.node("Cast", less, b.var("Ca_output0"), to=TensorProto.FLOAT, version=T)
    gr = b.node("Not", less, b.var("No_Y0"), version=T)
    gr_mask = b.node("Cast", gr, b.var("Ca_output0"), to=TensorProto.FLOAT, version=T)

    def cst(base, v):
        return b.init(base, np.asarray(v, dtype=dt))

    def imputer(x, replaced):
        return b.node("Imputer", x, b.var("Im_Y0"), domain=ML, version=1, imputed_value_floats=[0.0],
                      replaced_value_float=replaced)
    nz, z = (lam != 0).astype(np.float32), (lam == 0).astype(np.float32)
    if pt.method == "yeo-johnson":
        y0 = b.node("Add", [X, ones], b.var("Ad_C0"), version=T)
        y1 = b.node("Sub", [ones, X], b.var("Su_C0"), version=T)
        a = b.node("Pow", [y0, cst("Po_Powcst", lam)], b.var("Po_Z0"), version=T)
        a = b.node("Sub", [a, ones], b.var("Su_C0"), version=T)
        a = b.node("Div", [a, cst("Di_Divcst", lam)], b.var("Di_C0"), version=T)
        a = imputer(a, float("inf"))
        a = b.node("Mul", [a, cst("Mu_Mulcst", nz)], b.var("Mu_C0"), version=T)
        c = b.node("Log", y0, b.var("Lo_output0"), version=T)
        c = b.node("Mul", [c, cst("Mu_Mulcst", z)], b.var("Mu_C0"), version=T)
        ygr = b.node("Add", [a, c], b.var("Ad_C0"), version=T)
        ygr = imputer(ygr, float("nan"))
        ygr = b.node("Mul", [ygr, gr_mask], b.var("Mu_C0"), version=T)
        d = b.node("Pow", [y1, cst("Po_Powcst", 2 - lam)], b.var("Po_Z0"), version=T)
        d = b.node("Sub", [ones, d], b.var("Su_C0"), version=T)
        d = b.node("Div", [d, cst("Di_Divcst", (2 - lam).astype(dt))], b.var("Di_C0"), version=T)
        d = imputer(d, float("inf"))
        d = b.node("Mul", [d, cst("Mu_Mulcst", (lam != 2).astype(np.float32))], b.var("Mu_C0"), version=T)
        e = b.node("Log", y1, b.var("Lo_output0"), version=T)
        e = b.node("Neg", e, b.var("Ne_Y0"), version=T)
        e = b.node("Mul", [e, cst("Mu_Mulcst", (lam == 2).astype(np.float32))], b.var("Mu_C0"), version=T)
        yle = b.node("Add", [d, e], b.var("Ad_C0"), version=T)
        yle = imputer(yle, float("nan"))
        yle = b.node("Mul", [yle, less_mask], b.var("Mu_C0"), version=T)
        y = b.node("Add", [ygr, yle], b.var("pref_Ad_C0"), version=T)
    else:
        a = b.node("Pow", [X, cst("Po_Powcst", lam)], b.var("Po_Z0"), version=T)
        a = b.node("Sub", [a, ones], b.var("Su_C0"), version=T)
        a = b.node("Div", [a, cst("Di_Divcst", lam)], b.var("Di_C0"), version=T)
        a = imputer(a, float("inf"))
        a = b.node("Mul", [a, cst("Mu_Mulcst", nz)], b.var("Mu_C0"), version=T)
        c = b.node("Log", X, b.var("Lo_output0"), version=T)
        c = imputer(c, float("nan"))
        c = b.node("Mul", [c, cst("Mu_Mulcst", z)], b.var("Mu_C0"), version=T)
        y = b.node("Add", [a, c], b.var("pref_Ad_C0"), version=T)
    if pt.standardize:
        sc = pt._scaler
        b.node("Scaler", y, "variable", domain=ML, version=1, offset=f32list(sc.mean_), scale=f32list(1 / sc.scale_))
    else:
        b.node("Identity", y, "variable", version=T)


def power_case(name, pt, X, seed, what, target=15, extra_rows=None):
    Xtr, Xte, _, _ = split(X, np.zeros(len(X)), seed)
    pt.fit(Xtr)
    b = Builder(target)
    b.reserve("variable")
    power_graph(b, pt)
    kinds = ("zeros", "tiny", "max", "min") if pt.method == "yeo-johnson" else ("tiny", "max", "min")
    edges, ew = edge_rows(Xtr, kinds=kinds)
    parts, ws = [Xte[:50], edges], list(ew)
    if extra_rows is not None:
        parts.append(extra_rows[0]); ws += extra_rows[1]
    Xreq = np.vstack(parts).astype(np.float32)
    with np.errstate(all="ignore"):
        if pt.method == "box-cox":
            # scikit-learn refuses non-positive rows: its formula (scipy's boxcox, then the scaler) for them
            from scipy.special import boxcox
            Z = Xreq.astype(np.float64)
            expected = np.column_stack([boxcox(Z[:, j], pt.lambdas_[j]) for j in range(Z.shape[1])])
            if pt.standardize:
                expected = pt._scaler.transform(expected)
            pos = (Z > 0).all(axis=1)
            assert np.allclose(expected[pos], pt.transform(Z[pos]))
        else:
            expected = pt.transform(Xreq.astype(np.float64))
    desc = f"{what}. {describe_edges(min(50, len(Xte)), ws)}"
    return finish(name, b, X.shape[1], Xreq, expected, desc, target, X.shape[1])


# ---------------------------------------------------------------- PLSRegression
def pls_case(name, pls, X, Y, seed, what, target=15, double=False):
    Xtr, Xte, ytr, yte = split(X, Y, seed)
    pls.fit(Xtr, ytr)
    dt = np.float64 if double else np.float32
    b = Builder(target)
    b.reserve("variable")
    s = b.node("Sub", ["X", b.init("Su_Subcst", pls._x_mean.astype(dt))], b.var("Su_C0"), version=T)
    d = b.node("Div", [s, b.init("Di_Divcst", pls._x_std.astype(dt))], b.var("Di_C0"), version=T)
    mm = b.node("MatMul", [d, b.init("Ma_MatMulcst", pls.coef_.astype(dt))], b.var("Ma_Y0"), version=T)
    b.node("Add", [mm, b.init("Ad_Addcst", pls._y_mean.astype(dt))], "variable", version=T)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(dt)
    pred = pls.predict(Xreq.astype(np.float64)).reshape(len(Xreq), -1)
    el = TensorProto.DOUBLE if double else TensorProto.FLOAT
    desc = f"{what}. {describe_edges(min(50, len(Xte)), ew)}"
    return finish(name, b, X.shape[1], Xreq, pred, desc, target, pred.shape[1], in_elem=el, out_elem=el,
                  tol_abs=1e-9 if double else 1e-5, tol_rel=1e-12 if double else 1e-6)


# ---------------------------------------------------------------- SplineTransformer
def bspline_design(b, x_col, t, k, dt, extrapolate_boundary):
    m = len(t)
    el = TensorProto.DOUBLE if dt == np.float64 else TensorProto.FLOAT
    x = b.node("Reshape", [x_col, b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))], b.var("Re_reshaped0"),
               version=T)
    tl = t[:-1].reshape(1, -1).astype(dt)
    tr = t[1:].reshape(1, -1).astype(dt)
    geq = b.node("Not", b.node("Less", [x, b.init("Le_Lesscst", tl)], b.var("Le_C0"), version=T), b.var("No_Y0"),
                 version=T)
    lt = b.node("Less", [x, b.init("Le_Lesscst", tr)], b.var("Le_C0"), version=T)
    B = b.node("Cast", b.node("And", [geq, lt], b.var("An_C0"), version=T), b.var("Ca_output0"), to=el, version=T)
    if extrapolate_boundary:
        xmin = t[k].reshape(1, 1).astype(dt)
        xmax = t[-k - 1].reshape(1, 1).astype(dt)
        bl = np.zeros((1, m - 1), dtype=dt); bl[0, k] = 1
        br = np.zeros((1, m - 1), dtype=dt); br[0, m - k - 2] = 1
        below = b.node("Less", [x, b.init("Le_Lesscst", xmin)], b.var("Le_C0"), version=T)
        above = b.node("Not", b.node("LessOrEqual", [x, b.init("Le_LessOrEqualcst", xmax)], b.var("Le_C0"),
                                     version=T), b.var("No_Y0"), version=T)
        inner = b.node("Where", [above, b.init("Wh_Wherecst", br), B], b.var("Wh_output0"), version=T)
        B = b.node("Where", [below, b.init("Wh_Wherecst", bl), inner], b.var("Wh_output0"), version=T)
    for j in range(1, k + 1):
        n = m - j - 1
        ta_a = t[:n].reshape(1, -1).astype(dt)
        ta_b = t[j:j + n].reshape(1, -1).astype(dt)
        da = (ta_b - ta_a).astype(dt)
        alpha = b.node("Mul", [b.node("Div", [b.node("Sub", [x, b.init("Su_Subcst", ta_a)], b.var("Su_C0"), version=T),
                                              b.init("Di_Divcst", np.where(da != 0, da, dt(1)).astype(dt))],
                                      b.var("Di_C0"), version=T),
                               b.init("Mu_Mulcst", (da != 0).astype(dt))], b.var("Mu_C0"), version=T)
        tb_a = t[1:1 + n].reshape(1, -1).astype(dt)
        tb_b = t[j + 1:j + 1 + n].reshape(1, -1).astype(dt)
        db = (tb_b - tb_a).astype(dt)
        beta = b.node("Mul", [b.node("Div", [b.node("Sub", [b.init("Su_Subcst", tb_b), x], b.var("Su_C0"), version=T),
                                             b.init("Di_Divcst", np.where(db != 0, db, dt(1)).astype(dt))],
                                     b.var("Di_C0"), version=T),
                              b.init("Mu_Mulcst", (db != 0).astype(dt))], b.var("Mu_C0"), version=T)
        bl = b.node("Gather", [B, b.init("Ga_Gathercst", np.arange(n, dtype=np.int64))], b.var("Ga_output0"), axis=1,
                    version=T)
        brr = b.node("Gather", [B, b.init("Ga_Gathercst", np.arange(1, n + 1, dtype=np.int64))], b.var("Ga_output0"),
                     axis=1, version=T)
        B = b.node("Add", [b.node("Mul", [alpha, bl], b.var("Mu_C0"), version=T),
                           b.node("Mul", [beta, brr], b.var("Mu_C0"), version=T)], b.var("Ad_C0"), version=T)
    return B


def spline_graph(b, st, dt=np.float32):
    el = TensorProto.DOUBLE if dt == np.float64 else TensorProto.FLOAT
    X = b.node("Cast", "X", b.var("Ca_output0"), to=el, version=T)
    n_splines = st.bsplines_[0].c.shape[1]
    deg = st.degree
    feats = []
    for f in range(st.n_features_in_):
        spl = st.bsplines_[f]
        t = spl.t.astype(dt)
        k = spl.k
        m = len(t)
        xmin64, xmax64 = spl.t[k], spl.t[-k - 1]
        xmin, xmax = dt(xmin64), dt(xmax64)
        col = b.node("Gather", [X, b.init("Ga_Gathercst", np.array(f, dtype=np.int64))], b.var("Ga_output0"), axis=1,
                     version=T)
        xc = b.node("Reshape", [col, b.init("Re_Reshapecst", np.array([-1], dtype=np.int64))], b.var("Re_reshaped0"),
                    version=T)
        if st.extrapolation == "periodic":
            period = dt(t[m - k - 1] - t[k])
            xs = b.node("Sub", [xc, b.init("Su_Subcst", np.array([xmin], dtype=dt))], b.var("Su_C0"), version=T)
            xd = b.node("Div", [xs, b.init("Di_Divcst", np.array([period], dtype=dt))], b.var("Di_C0"), version=T)
            xf = b.node("Floor", xd, b.var("Fl_Y0"), version=T)
            xm = b.node("Sub", [xs, b.node("Mul", [b.init("Mu_Mulcst", np.array([period], dtype=dt)), xf],
                                           b.var("Mu_C0"), version=T)], b.var("Su_C0"), version=T)
            xc = b.node("Add", [b.init("Ad_Addcst", np.array([xmin], dtype=dt)), xm], b.var("Ad_C0"), version=T)
            xc = b.node("Reshape", [xc, b.init("Re_Reshapecst", np.array([-1], dtype=np.int64))],
                        b.var("Re_reshaped0"), version=T)
        B = bspline_design(b, xc, t, k, dt, st.extrapolation == "continue")
        if st.extrapolation == "periodic" and deg > 0:
            nb = n_splines + deg
            first = b.node("Gather", [B, b.init("Ga_Gathercst", np.arange(deg, dtype=np.int64))], b.var("Ga_output0"),
                           axis=1, version=T)
            last = b.node("Gather", [B, b.init("Ga_Gathercst", np.arange(nb - deg, nb, dtype=np.int64))],
                          b.var("Ga_output0"), axis=1, version=T)
            fa = b.node("Add", [first, last], b.var("Ad_C0"), version=T)
            mid = b.node("Gather", [B, b.init("Ga_Gathercst", np.arange(deg, nb - deg, dtype=np.int64))],
                         b.var("Ga_output0"), axis=1, version=T)
            B = b.node("Concat", [fa, mid], b.var("Co_concat_result0"), axis=1, version=T)
        elif st.extrapolation in ("constant", "linear"):
            x2 = b.node("Reshape", [xc, b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))],
                        b.var("Re_reshaped0"), version=T)
            below = b.node("Less", [x2, b.init("Le_Lesscst", np.array([[xmin]], dtype=dt))], b.var("Le_C0"), version=T)
            above = b.node("Not", b.node("LessOrEqual", [x2, b.init("Le_LessOrEqualcst", np.array([[xmax]], dtype=dt))],
                                         b.var("Le_C0"), version=T), b.var("No_Y0"), version=T)
            fmin = spl(xmin64).astype(dt)
            fmax = spl(xmax64).astype(dt)
            if st.extrapolation == "constant":
                lo_v, hi_v = b.init("Wh_Wherecst", fmin.reshape(1, -1)), b.init("Wh_Wherecst", fmax.reshape(1, -1))
            else:
                fpmin = spl(xmin64, nu=1).astype(dt)
                fpmax = spl(xmax64, nu=1).astype(dt)
                d = deg if deg > 1 else deg + 1
                fmin_m = np.zeros(n_splines, dtype=dt); fmin_m[:d] = fmin[:d]
                fpmin_m = np.zeros(n_splines, dtype=dt); fpmin_m[:d] = fpmin[:d]
                fmax_m = np.zeros(n_splines, dtype=dt); fmax_m[n_splines - d:] = fmax[n_splines - d:]
                fpmax_m = np.zeros(n_splines, dtype=dt); fpmax_m[n_splines - d:] = fpmax[n_splines - d:]
                dxb = b.node("Sub", [x2, b.init("Su_Subcst", np.array([[xmin]], dtype=dt))], b.var("Su_C0"), version=T)
                lo_v = b.node("Add", [b.init("Ad_Addcst", fmin_m.reshape(1, -1)),
                                      b.node("Mul", [dxb, b.init("Mu_Mulcst", fpmin_m.reshape(1, -1))], b.var("Mu_C0"),
                                             version=T)], b.var("Ad_C0"), version=T)
                dxa = b.node("Sub", [x2, b.init("Su_Subcst", np.array([[xmax]], dtype=dt))], b.var("Su_C0"), version=T)
                hi_v = b.node("Add", [b.init("Ad_Addcst", fmax_m.reshape(1, -1)),
                                      b.node("Mul", [dxa, b.init("Mu_Mulcst", fpmax_m.reshape(1, -1))], b.var("Mu_C0"),
                                             version=T)], b.var("Ad_C0"), version=T)
            inner = b.node("Where", [above, hi_v, B], b.var("Wh_output0"), version=T)
            B = b.node("Where", [below, lo_v, inner], b.var("Wh_output0"), version=T)
        feats.append(B)
    res = feats[0] if len(feats) == 1 else b.node("Concat", feats, b.var("Co_concat_result0"), axis=1, version=T)
    total = st.n_features_in_ * n_splines
    if not st.include_bias:
        keep = np.array([j for j in range(total) if (j + 1) % n_splines != 0], dtype=np.int64)
        res = b.node("Gather", [res, b.init("Ga_Gathercst", keep)], b.var("Ga_output0"), axis=1, version=T)
        total = len(keep)
    b.node("Identity", res, "variable", version=T)
    return total


def spline_case(name, st, X, seed, what, target=17, double=False):
    Xtr, Xte, _, _ = split(X, np.zeros(len(X)), seed)
    st.fit(Xtr)
    dt = np.float64 if double else np.float32
    b = Builder(target)
    b.reserve("variable")
    n_out = spline_graph(b, st, dt)
    lo, hi = Xtr.min(axis=0), Xtr.max(axis=0)
    span = hi - lo
    rows = [lo, hi, lo - 0.3 * span, hi + 0.45 * span, (lo + hi) / 2]
    ws = ["training minima (first knot)", "training maxima (last knot)", "below the first knot",
          "above the last knot", "middle of the range"]
    # values exactly on interior knots
    r = (lo + hi) / 2
    for f in range(X.shape[1]):
        rr = r.copy(); rr[f] = st.bsplines_[f].t[st.degree + 1]; rows.append(rr)
        ws.append(f"feature {f} on its first interior knot")
    Xreq = np.vstack([Xte[:45], np.array(rows)]).astype(dt)
    expected = st.transform(Xreq.astype(np.float64))
    el = TensorProto.DOUBLE if double else TensorProto.FLOAT
    desc = f"{what}. {describe_edges(min(45, len(Xte)), ws)}"
    return finish(name, b, X.shape[1], Xreq, expected, desc, target, n_out, in_elem=el, out_elem=el,
                  tol_abs=1e-9 if double else 1e-5, tol_rel=1e-12 if double else 1e-6, check=target <= 17)


# ---------------------------------------------------------------- RandomTreesEmbedding
def rte_case(name, rte, X, seed, what, target=15):
    Xtr, Xte, _, _ = split(X, np.zeros(len(X)), seed)
    rte.fit(Xtr)
    b = Builder(target)
    b.reserve("variable")
    leaves = []
    for i, est in enumerate(rte.estimators_):
        ta = TreeAttrs(False)
        ta.add_tree(est.tree_, 0, 1.0, 0, False)
        attrs = ta.attrs()
        attrs.update(n_targets=1, post_transform="NONE")
        b.node("TreeEnsembleRegressor", "X", b.var("variable"), domain=ML, version=1, **attrs)
        la = dict(attrs)
        la["target_weights"] = [float(v) for v in attrs["target_nodeids"]]
        dpath = b.node("TreeEnsembleRegressor", "X", b.var("dpath"), domain=ML, version=1, **la)
        lid = b.node("Cast", dpath, b.var("dpatho"), to=TensorProto.INT64, version=9, name="TreePathType")
        leaves.append(b.node("Reshape", [lid, b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))],
                             b.var("Re_reshaped0"), version=T))
    merged = b.node("Concat", leaves, b.var("Co_concat_result0"), axis=1, version=T)
    n_out = ohe_newer(b, [(merged, i) for i in range(len(leaves))], rte.one_hot_encoder_, int_input=True)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    expected = rte.transform(Xreq.astype(np.float64))
    desc = f"{what}. {describe_edges(min(50, len(Xte)), ew)}"
    return finish(name, b, X.shape[1], Xreq, expected, desc, target, n_out)


# ---------------------------------------------------------------- SelectFromModel pipeline
def select_case(name, seed, what, target=15):
    diab = load_diabetes()
    Xtr, Xte, ytr, yte = split(diab.data, diab.target, seed)
    sel = SelectFromModel(Lasso(alpha=0.3), threshold="median").fit(Xtr, ytr)
    ridge = Ridge(alpha=0.5).fit(sel.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("variable")
    idx = b.init("ind", np.flatnonzero(sel.get_support()).astype(np.int64))
    v = b.node("ArrayFeatureExtractor", ["X", idx], b.var("variable"), domain=ML, version=1)
    skparts.linear_regressor(b, v, ridge, "variable")
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    pred = ridge.predict(sel.transform(Xreq.astype(np.float64))).reshape(-1, 1)
    desc = f"{what}. {describe_edges(50, ew)}"
    return finish(name, b, 10, Xreq, pred, desc, target, 1)


def main():
    wine = load_wine()
    diab = load_diabetes()
    rng = np.random.RandomState(3401)
    Xs = np.column_stack([rng.normal(0, 2, 400), rng.exponential(2.0, 400) - 0.5, rng.normal(5, 1, 400),
                          -rng.exponential(1.0, 400)])
    power_case("sk3_tr_power_yeojohnson", PowerTransformer(method="yeo-johnson"), Xs, 3401,
               "PowerTransformer(yeo-johnson, standardize) on 4 columns with positive, negative and mixed values: "
               "Div(X, X) / Sub(X, X) constants, Less/Not/Cast masks, Pow, Log, Neg, Imputer(inf -> 0, NaN -> 0), "
               "Scaler. Data: synthetic (seed 3401)",
               extra_rows=(np.array([[0.0, 0.0, 0.0, 0.0], [-1.0, 2.0, -3.0, -0.5], [1e-7, -1e-7, 1e-7, -1e-7]]),
                           ["all exact zeros (0/0 = NaN in the ones tensor, imputed)", "mixed signs",
                            "tiny values of both signs"]))
    power_case("sk3_tr_power_yeojohnson_nostd_opset13", PowerTransformer(method="yeo-johnson", standardize=False),
               wine.data[:, :5] - wine.data[:, :5].mean(axis=0), 3402,
               "PowerTransformer(yeo-johnson, standardize=False) ending in Identity, on 5 centred wine columns. "
               "Data: wine[:, :5] centred (seed 3402)", target=13,
               extra_rows=(np.array([[0.0, 1.0, -1.0, 2.0, -2.0]]), ["zeros and +-1, +-2"]))
    power_case("sk3_tr_power_boxcox_opset17", PowerTransformer(method="box-cox"), wine.data[:, 5:10], 3403,
               "PowerTransformer(box-cox, standardize) on positive columns: Pow(X, lambda), Log(X), Imputer, "
               "Scaler. Edge rows: an exact zero gives NaN in the graph (ones = 0/0, Log(0) = -inf x mask 0) "
               "while scikit-learn gives -1/lambda; a negative value gives NaN in both. Data: wine[:, 5:10] "
               "(seed 3403)", target=17,
               extra_rows=(np.array([[0.0, 1.0, 1.0, 1.0, 1.0], [1.0, -0.5, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0]]),
                           ["feature 0 exactly 0", "feature 1 negative", "all ones"]))
    Xr, Yr = make_reg(6, 3404, n_targets=2)
    pls_case("sk3_tr_pls_2targets", PLSRegression(n_components=3), Xr, Yr, 3404,
             "PLSRegression(3 components) with 2 targets: Sub(x_mean) -> Div(x_std) -> MatMul(coef_ [6, 2]) -> "
             "Add(y_mean). Data: make_regression 6 features, 2 targets (seed 3404)")
    pls_case("sk3_tr_pls_fp64_opset18", PLSRegression(n_components=2, scale=False), diab.data, diab.target, 3405,
             "PLSRegression(2 components, scale=False) with DOUBLE input: an all-double Sub/Div/MatMul/Add graph. "
             "Data: diabetes (seed 3405)", target=18, double=True)
    Xsp = np.column_stack([rng.uniform(-3, 5, 300), rng.normal(10, 4, 300), rng.uniform(0, 1, 300)])
    spline_case("sk3_tr_spline_constant", SplineTransformer(n_knots=5, degree=3, extrapolation="constant"), Xsp,
                3406, "SplineTransformer(5 knots, degree 3, extrapolation='constant'): Gather(scalar index), Reshape, "
                "Less/Not/And/Cast indicators, de Boor recursion (Gather column ranges, Sub/Div/Mul/Add), "
                "Where(Less / Not(LessOrEqual)) boundary values, Concat, Identity (newer skl2onnx). Data: synthetic "
                "3 columns (seed 3406)")
    spline_case("sk3_tr_spline_linear_nobias_opset15", SplineTransformer(n_knots=4, degree=2, extrapolation="linear",
                                                                         include_bias=False, knots="quantile"),
                Xsp[:, :2], 3407, "SplineTransformer(4 quantile knots, degree 2, extrapolation='linear', "
                "include_bias=False): linear extrapolation beyond the boundary knots, Gather(keep) drops the last "
                "spline of each feature. Data: synthetic 2 columns (seed 3407)", target=15)
    spline_case("sk3_tr_spline_periodic_fp64_opset18", SplineTransformer(n_knots=6, degree=3,
                                                                          extrapolation="periodic"),
                Xsp[:, [0, 2]], 3408, "SplineTransformer(6 knots, degree 3, extrapolation='periodic') with DOUBLE "
                "input: x mapped into the period with Sub/Div/Floor/Mul/Add, first and last 3 columns folded "
                "(Gather, Add, Concat). Data: synthetic 2 columns (seed 3408)", target=18, double=True)
    rte_case("sk3_tr_random_trees_embedding", RandomTreesEmbedding(n_estimators=4, max_depth=3, sparse_output=False,
                                                                   random_state=0),
             wine.data[:, :6], 3409, "RandomTreesEmbedding(4 trees, max_depth 3, sparse_output=False): per tree an "
             "unused TreeEnsembleRegressor and a leaf-id TreeEnsembleRegressor -> Cast(int64) -> Reshape, Concat, "
             "OneHotEncoder (cats_int64s) per column, Concat, Reshape. Data: wine[:, :6] (seed 3409)")
    select_case("sk3_tr_select_from_model_ridge", 3410,
                "Pipeline(SelectFromModel(Lasso(0.3), threshold='median'), Ridge): ArrayFeatureExtractor(X, "
                "support) -> LinearRegressor. Data: diabetes (seed 3410)")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
