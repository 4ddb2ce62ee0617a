"""gen_sk4_transform writes sk4_tr_* cases: transformers and regressors
whose converters are new or changed in skl2onnx 1.17-1.19, at the default
target opset 21 (ir_version 10).

  * QuantileTransformer(output_distribution='uniform') (quantile_transformer.py,
    1.19.1 #1164; algebra API, every node op_version 21): X_clean =
    Where(Not(IsNaN(X)), X, X); per direction a branch-free binary search over
    the per-feature quantiles padded to 2^k + 1 rows (k = bit_length(
    n_quantiles)) and flattened feature by feature: index = Flatten(Add(Mul(
    Cast(X, int64), 0), feature offsets), axis 0), step = Flatten(Add(Mul(
    index, 0), [2^(k-1)])), then k times Add, Gather(quantiles, axis 0),
    GreaterOrEqual(Flatten(X, axis 0), q), Where, Cast(Div(step, 2), int64);
    the bracketing quantiles / references Gather'ed at index and index + 1,
    slope = Div(dr, dq) -> Where(Or(LessOrEqual(dq, 0), IsNaN(slope)), 0,
    slope), Where(GreaterOrEqual(x, q_high), r_high, Where(LessOrEqual(x,
    q_low), r_low, r_low + slope (x - q_low))); the second direction runs on
    Neg(X) with the negated reversed quantiles; Mul(Sub(i1, i2), 0.5); Equal(X,
    quantiles_[-1]) -> 1 and Equal(X, quantiles_[0]) -> Mul(., 0) through
    Where on Flatten(axis 0)ed masks; Reshape(Shape(X)). NaN stays NaN (the
    Cast of a NaN to int64 is multiplied by 0).
  * PoissonRegressor / GammaRegressor / TweedieRegressor (linear_regressor.py,
    gamma_regressor.py; intercept type fixed in 1.17 #1070): MatMul(X, coef_
    1-D) + Add([intercept_]) -> Exp for the log link (Poisson, Gamma, Tweedie
    power > 0 with link 'auto'/'log') or Identity (removed) for the identity
    link (Tweedie power 0) -> Reshape(-1, 1).
  * SimpleImputer(keep_empty_features=True) (scikit-learn >= 1.2; imputer_op.py):
    statistics_ is 0 for a column empty at fit time, so the Imputer writes 0
    there (with keep_empty_features=False scikit-learn drops the column while
    the converter keeps it with a NaN fill value).
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_diabetes
from sklearn.impute import SimpleImputer
from sklearn.linear_model import GammaRegressor, TweedieRegressor
from sklearn.preprocessing import QuantileTransformer

import skcommon
from skcommon import Builder, float_input, tinfo, split, edge_rows, describe_edges, run_case
import skparts

ML = "ai.onnx.ml"
DEFAULT = "default target_opset 21 (ir_version 10)"


def _pad(a, target_size, n_quantiles):
    pad = target_size - n_quantiles + 1
    return np.concatenate([np.repeat(a[0:1], pad, axis=0), a], axis=0)


def quantile_graph(b, X, qt, dt):
    """quantile_graph adds quantile_transformer.py's nodes (algebra API,
    op_version = target) and returns the output name."""
    T = "target"
    q = qt.quantiles_.astype(dt)
    r = qt.references_.astype(dt)
    nq, F = q.shape
    size = 1 << nq.bit_length()
    q_pad = _pad(q, size, nq)
    r_pad = _pad(r, size, nq)
    qn_pad = _pad(-q[::-1, :], size, nq)
    rn_pad = _pad(-r[::-1], size, nq)
    qi = b.init("quantiles", q_pad.T.flatten())
    ri = b.init("references", np.tile(r_pad, F))
    qni = b.init("quantiles_neg_rev", qn_pad.T.flatten())
    rni = b.init("references_neg_rev", np.tile(rn_pad, F))
    zero64 = b.init("Mu_Mulcst", np.array(0, dtype=np.int64))
    isnan = b.node("IsNaN", X, b.var("Is_Y0"), version=T)
    fin = b.node("Not", isnan, b.var("No_Y0"), version=T)
    xc = b.node("Where", [fin, X, X], b.var("Wh_output0"), version=T)

    def interpolation(xin, qinit, rinit):
        flat = b.node("Flatten", xin, b.var("Fl_output0"), axis=0, version=T)
        ci = b.node("Cast", xin, b.var("Ca_output0"), to=TensorProto.INT64, version=T)
        ci = b.node("Mul", [ci, zero64], b.var("Mu_C0"), version=T)
        offs = b.init("Ad_Addcst", np.array([i * (size + 1) for i in range(F)], dtype=np.int64))
        ci = b.node("Add", [ci, offs], b.var("Ad_C0"), version=T)
        ci = b.node("Flatten", ci, b.var("Fl_output0"), axis=0, version=T)
        st = b.node("Mul", [ci, zero64], b.var("Mu_C0"), version=T)
        half = b.init("Ad_Addcst", np.array([size // 2], dtype=np.int64))
        st = b.node("Add", [st, half], b.var("Ad_C0"), version=T)
        st = b.node("Flatten", st, b.var("Fl_output0"), version=T)
        two = b.init("Di_Divcst", np.array(2, dtype=np.int64))
        for _ in range(size.bit_length() - 1):
            tmp = b.node("Add", [ci, st], b.var("Ad_C0"), version=T)
            qc = b.node("Gather", [qinit, tmp], b.var("Ga_output0"), axis=0, version=T)
            mask = b.node("GreaterOrEqual", [flat, qc], b.var("Gr_C0"), version=T)
            ci = b.node("Where", [mask, tmp, ci], b.var("Wh_output0"), version=T)
            dv = b.node("Div", [st, two], b.var("Di_C0"), version=T)
            st = b.node("Cast", dv, b.var("Ca_output0"), to=TensorProto.INT64, version=T)
        one = b.init("Ad_Addcst", np.array(1, dtype=np.int64))
        ip1 = b.node("Add", [ci, one], b.var("Ad_C0"), version=T)
        q_low = b.node("Gather", [qinit, ci], b.var("Ga_output0"), axis=0, version=T)
        q_high = b.node("Gather", [qinit, ip1], b.var("Ga_output0"), axis=0, version=T)
        r_low = b.node("Gather", [rinit, ci], b.var("Ga_output0"), axis=0, version=T)
        r_high = b.node("Gather", [rinit, ip1], b.var("Ga_output0"), axis=0, version=T)
        m_low = b.node("LessOrEqual", [flat, q_low], b.var("Le_C0"), version=T)
        m_high = b.node("GreaterOrEqual", [flat, q_high], b.var("Gr_C0"), version=T)
        dq = b.node("Sub", [q_high, q_low], b.var("Su_C0"), version=T)
        dr = b.node("Sub", [r_high, r_low], b.var("Su_C0"), version=T)
        slope = b.node("Div", [dr, dq], b.var("Di_C0"), version=T)
        zf = b.init("Le_LessOrEqualcst", np.array(0, dtype=dt))
        inv = b.node("Or", [b.node("LessOrEqual", [dq, zf], b.var("Le_C0"), version=T),
                            b.node("IsNaN", slope, b.var("Is_Y0"), version=T)], b.var("Or_C0"), version=T)
        slope = b.node("Where", [inv, zf, slope], b.var("Wh_output0"), version=T)
        normal = b.node("Add", [r_low, b.node("Mul", [slope, b.node("Sub", [flat, q_low], b.var("Su_C0"), version=T)],
                                              b.var("Mu_C0"), version=T)], b.var("Ad_C0"), version=T)
        inner = b.node("Where", [m_low, r_low, normal], b.var("Wh_output0"), version=T)
        return b.node("Where", [m_high, r_high, inner], b.var("Wh_output0"), version=T)

    i1 = interpolation(xc, qi, ri)
    xn = b.node("Neg", xc, b.var("Ne_Y0"), version=T)
    i2 = interpolation(xn, qni, rni)
    half_f = b.init("Mu_Mulcst", np.array(0.5, dtype=dt))
    fi = b.node("Mul", [b.node("Sub", [i1, i2], b.var("Su_C0"), version=T), half_f], b.var("Mu_C0"), version=T)
    shape = b.node("Shape", xc, b.var("Sh_shape0"), version=T)
    mn = b.init("Eq_Equalcst", q[0, :])
    mx = b.init("Eq_Equalcst", q[-1, :])
    min_mask = b.node("Flatten", b.node("Equal", [xc, mn], b.var("Eq_C0"), version=T), b.var("Fl_output0"), axis=0,
                      version=T)
    max_mask = b.node("Flatten", b.node("Equal", [xc, mx], b.var("Eq_C0"), version=T), b.var("Fl_output0"), axis=0,
                      version=T)
    one_f = b.init("Wh_Wherecst", np.array(1.0, dtype=dt))
    zero_f = b.init("Mu_Mulcst", np.array(0.0, dtype=dt))
    inner = b.node("Where", [min_mask, b.node("Mul", [fi, zero_f], b.var("Mu_C0"), version=T), fi],
                   b.var("Wh_output0"), version=T)
    final = b.node("Where", [max_mask, one_f, inner], b.var("Wh_output0"), version=T)
    return b.node("Reshape", [final, shape], "variable", version=T)


def quantile_case(name, n_quantiles, double, seed):
    rng = np.random.RandomState(seed)
    n, F = 400, 3
    X = np.stack([rng.normal(10, 3, n), rng.exponential(2.0, n), rng.choice([0.0, 1.0, 2.0, 5.0], n)], axis=1)
    X = X.astype(np.float32).astype(np.float64)  # values the float graph sees exactly
    Xtr, Xte = X[:300], X[300:]
    qt = QuantileTransformer(n_quantiles=n_quantiles, output_distribution="uniform").fit(Xtr)
    dt = np.float64 if double else np.float32
    b = Builder(21)
    b.reserve("variable")
    quantile_graph(b, "X", qt, dt)
    elem = TensorProto.DOUBLE if double else TensorProto.FLOAT
    outs = [tinfo("variable", elem, [None, F])]
    skparts.finalize(b, outs)
    m = b.model([float_input(F, elem=elem)], outs, name)
    edges, ew = edge_rows(Xtr, kinds=("zeros", "big", "tiny", "neg", "max", "min"))
    qrow = np.array([qt.quantiles_[nq, :] for nq in (1, n_quantiles // 2)])
    nan_rows = np.array([[np.nan, 1.0, 2.0], [np.nan, np.nan, np.nan]])
    Xreq = np.vstack([Xte[:45], edges, qrow, nan_rows]).astype(dt)
    what = ew + ["every feature on its second quantile", "every feature on its middle quantile",
                 "feature 0 missing (NaN)", "all features missing (NaN)"]
    want = qt.transform(Xreq.astype(np.float64))
    desc = (f"QuantileTransformer(n_quantiles={n_quantiles}, output_distribution='uniform') on 3 features "
            f"({'DOUBLE' if double else 'FLOAT'} input), skl2onnx 1.19.1 converter: binary search over the quantiles "
            f"padded to {1 << n_quantiles.bit_length()} + 1 rows with Gather / GreaterOrEqual / Where, linear "
            f"interpolation in both directions, bounds through Equal. {DEFAULT}. Data: normal, exponential and a "
            f"4-valued feature (repeated quantiles), seed {seed}. {describe_edges(45, what)}")
    exp = run_case(name, m, {"X": Xreq}, {"transform": want}, desc, score_out="variable", score_key="transform",
                   tol_abs=1e-9 if double else 1e-5, tol_rel=1e-12 if double else 1e-6)[0]
    if not double:
        skparts.corpus_tolerance(name, exp, "variable", "transform",
                                 "float32 interpolation between float32-rounded quantiles; tolerance by the "
                                 "corpus's rule")
    return exp


def glm_case(name, reg, link, seed, what):
    diab = load_diabetes()
    X = diab.data * 10
    y = diab.target / 25.0 + 0.5
    Xtr, Xte, ytr, yte = split(X, y, seed)
    reg.fit(Xtr, ytr)
    b = Builder(21)
    b.reserve("variable")
    cm = b.init("Ma_MatMulcst", reg.coef_.astype(np.float32))
    ic = b.init("Ad_Addcst", np.array([reg.intercept_], dtype=np.float32))
    sh = b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))
    mm = b.node("MatMul", ["X", cm], b.var("Ma_Y0"), version="target")
    eta = b.node("Add", [mm, ic], b.var("Ad_C0"), version="target")
    y_ = b.node("Exp" if link == "log" else "Identity", eta, b.var("Ex_output0" if link == "log" else "Id_output0"),
                version="target")
    b.node("Reshape", [y_, sh], "variable", version="target")
    m = b.model([float_input(X.shape[1])], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    edges, ew = edge_rows(Xtr, kinds=("zeros", "tiny", "max", "min"))
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    pred = reg.predict(Xreq.astype(np.float64)).reshape(-1, 1)
    desc = f"{what}. {DEFAULT}. Data: diabetes x 10, target / 25 + 0.5 (seed {seed}). {describe_edges(50, ew)}"
    exp = run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")[0]
    skparts.corpus_tolerance(name, exp, "variable", "prediction", "float32 MatMul and Exp against scikit-learn's "
                             "float64; tolerance by the corpus's rule")
    return exp


def imputer_keep_empty(name):
    rng = np.random.RandomState(931)
    X = (rng.normal(size=(120, 5)) * [1, 5, 1, 20, 2] + [0, 10, -3, 100, 1]).astype(np.float32).astype(np.float64)
    X[rng.rand(*X.shape) < 0.15] = np.nan
    X[:, 2] = np.nan  # empty at fit time
    Xtr, Xte = X[:90], X[90:]
    imp = SimpleImputer(strategy="median", keep_empty_features=True).fit(Xtr)
    b = Builder(21)
    b.node("Imputer", "X", "variable", domain=ML, version=1,
           imputed_value_floats=[float(v) for v in imp.statistics_.astype(np.float32)],
           replaced_value_float=float("nan"))
    m = b.model([float_input(5)], [tinfo("variable", TensorProto.FLOAT, [None, 5])], name)
    Xte = Xte.copy()
    Xte[::3, 2] = rng.normal(size=len(Xte[::3]))  # column 2 observed at predict time in some rows
    Xreq = np.vstack([Xte, np.full((1, 5), np.nan), np.zeros((1, 5))]).astype(np.float32)
    want = imp.transform(Xreq.astype(np.float64))
    return run_case(name, m, {"X": Xreq}, {"transform": want},
                    "SimpleImputer(strategy='median', keep_empty_features=True) with column 2 all NaN at fit time: "
                    "statistics_[2] = 0, Imputer(imputed_value_floats=statistics_, replaced_value_float=NaN) keeps "
                    f"the column and fills it with 0. {DEFAULT}. Data: 5 gaussian features with 15% NaN (seed 931); "
                    "column 2 observed in every third request row; last rows: all NaN, zeros",
                    score_out="variable", score_key="transform")


def main():
    skcommon.Builder.producer_version = "1.19.1"
    quantile_case("sk4_tr_quantile_uniform", 50, False, 932)
    quantile_case("sk4_tr_quantile_uniform_fp64", 33, True, 933)
    glm_case("sk4_tr_tweedie_log", TweedieRegressor(power=1.5, link="log", alpha=0.05, max_iter=1000), "log", 934,
             "TweedieRegressor(power=1.5, link='log', alpha=0.05): MatMul(X, coef_ [F]) -> [N], Add([intercept_]), "
             "Exp, Reshape(-1, 1), algebra API at op_version 21")
    glm_case("sk4_tr_gamma", GammaRegressor(alpha=0.1, max_iter=1000), "log", 935,
             "GammaRegressor(alpha=0.1) (gamma_regressor.py): MatMul(X, coef_ [F]), Add([intercept_]), Exp, "
             "Reshape(-1, 1), algebra API at op_version 21")
    glm_case("sk4_tr_tweedie_identity", TweedieRegressor(power=0.0, link="identity", alpha=0.1), "identity", 936,
             "TweedieRegressor(power=0, link='identity') (normal distribution, identity link): MatMul + Add, an "
             "Identity (op_version 21) the identity-removal pass drops, Reshape(-1, 1)")
    imputer_keep_empty("sk4_tr_imputer_keep_empty")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
