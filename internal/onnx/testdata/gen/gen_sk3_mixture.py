"""gen_sk3_mixture writes sk3_mix_* cases: GaussianMixture and
BayesianGaussianMixture as skl2onnx (1.14 and later) converts them
(operator_converters/gaussian_mixture.py, shape_calculators/mixture.py).

The converter uses the algebra API, so every node carries op_version = the
target opset and the model imports the default domain at the target:
  * _estimate_log_gaussian_prob, per covariance type:
    full: per component Gemm(X, prec_chol_c, -mu_c . prec_chol_c, alpha 1,
    beta 1) -> ReduceSumSquare(axes [1], keepdims 1), then Concat(axis 1);
    tied: the same with the shared precisions_cholesky_;
    diag: Add(Add(sum(mu^2 prec), Gemm(X, (mu prec)^T, 0, alpha -2,
    beta 0)), Gemm(Mul(X, X), prec^T, 0, alpha 1, beta 0));
    spherical: Add(sum(mu^2) prec, Add(Gemm(X, mu^T prec, 0, alpha -2,
    beta 0), Gemm(ReduceSumSquare(X, axes [1]), prec[None, :], 0, alpha 1,
    beta 1)));
    then Add(F log(2 pi), .) -> Mul(-0.5) -> Add(log_det) (a length-1 array
    for tied).
  * BayesianGaussianMixture adds the constant 0.5 (log_lambda - F /
    mean_precision_) - 0.5 F log(degrees_of_freedom_) (per component).
  * weighted = Add(log_gauss, _estimate_log_weights()); label =
    ArgMax(axis 1) (keepdims 1: int64 [N, 1], the declared shape);
    probabilities = Exp(Sub(weighted, ReduceLogSumExp(weighted, axes [1]))).
  * ReduceSumSquare / ReduceLogSumExp take axes as an attribute below opset
    18 and as an int64 input from 18 (the *Api18 helpers).
  * Double input gives an all-double graph (initializers float64).
"""
import numpy as np
from onnx import TensorProto
from scipy.special import digamma
from sklearn.datasets import load_iris, load_wine
from sklearn.mixture import GaussianMixture, BayesianGaussianMixture
from sklearn.mixture._gaussian_mixture import _compute_log_det_cholesky

from skcommon import Builder, float_input, tinfo, split, edge_rows, describe_edges, run_case, make_clf


def reduce_node(b, op, x, axes, out=None):
    """reduce_node adds ReduceSumSquare / ReduceLogSumExp with axes as an
    attribute (< 18) or an input (>= 18), keepdims 1."""
    out = out or b.var(op.lower() + "_output")
    if b.target >= 18:
        ax = b.init("axes", np.array(axes, dtype=np.int64))
        return b.node(op, [x, ax], out, version="target")
    return b.node(op, x, out, axes=axes, version="target")


def log_gaussian(b, X, gm, dt):
    K, F = gm.means_.shape
    means, pc, ct = gm.means_, gm.precisions_cholesky_, gm.covariance_type
    log_det = _compute_log_det_cholesky(pc, ct, F)
    T = "target"
    if ct in ("full", "tied"):
        ys = []
        for c in range(K):
            p = pc[c] if ct == "full" else pc
            cst = -np.dot(means[c], p)
            y = b.node("Gemm", [X, b.init("Ge_Gemmcst", p.astype(dt)), b.init("Ge_Gemmcst", cst.astype(dt))],
                       b.var("Ge_Y0"), alpha=1.0, beta=1.0, version=T)
            ys.append(reduce_node(b, "ReduceSumSquare", y, [1]))
        log_prob = b.node("Concat", ys, b.var("Co_concat_result0"), axis=1, version=T)
    elif ct == "diag":
        prec = pc ** 2
        mp = np.sum(means ** 2 * prec, 1)
        zeros = np.zeros((K,), dtype=dt)
        xmp = b.node("Gemm", [X, b.init("Ge_Gemmcst", (means * prec).T.astype(dt)), b.init("Ge_Gemmcst", zeros)],
                     b.var("Ge_Y0"), alpha=-2.0, beta=0.0, version=T)
        xx = b.node("Mul", [X, X], b.var("Mu_C0"), version=T)
        term = b.node("Gemm", [xx, b.init("Ge_Gemmcst", prec.T.astype(dt)), b.init("Ge_Gemmcst", zeros)],
                      b.var("Ge_Y0"), alpha=1.0, beta=0.0, version=T)
        a1 = b.node("Add", [b.init("Ad_Addcst", mp.astype(dt)), xmp], b.var("Ad_C0"), version=T)
        log_prob = b.node("Add", [a1, term], b.var("Ad_C0"), version=T)
    else:  # spherical
        prec = pc ** 2
        zeros = np.zeros((K,), dtype=dt)
        normx = reduce_node(b, "ReduceSumSquare", X, [1])
        outer = b.node("Gemm", [normx, b.init("Ge_Gemmcst", prec[np.newaxis, :].astype(dt)),
                                b.init("Ge_Gemmcst", zeros)], b.var("Ge_Y0"), alpha=1.0, beta=1.0, version=T)
        xmp = b.node("Gemm", [X, b.init("Ge_Gemmcst", (means.T * prec).astype(dt)), b.init("Ge_Gemmcst", zeros)],
                     b.var("Ge_Y0"), alpha=-2.0, beta=0.0, version=T)
        mp = np.sum(means ** 2, 1) * prec
        inner = b.node("Add", [xmp, outer], b.var("Ad_C0"), version=T)
        log_prob = b.node("Add", [b.init("Ad_Addcst", mp.astype(dt)), inner], b.var("Ad_C0"), version=T)
    cst = np.array([F * np.log(2 * np.pi)]).astype(dt)
    add = b.node("Add", [b.init("Ad_Addcst", cst), log_prob], b.var("Ad_C0"), version=T)
    mul = b.node("Mul", [add, b.init("Mu_Mulcst", np.array([-0.5], dtype=dt))], b.var("Mu_C0"), version=T)
    if np.ndim(log_det) == 0:
        log_det = np.array([log_det])
    return b.node("Add", [mul, b.init("Ad_Addcst", np.asarray(log_det).astype(dt))], b.var("Ad_C0"), version=T)


def mixture_graph(b, X, gm, dt):
    F = gm.means_.shape[1]
    lg = log_gaussian(b, X, gm, dt)
    if isinstance(gm, BayesianGaussianMixture):
        log_lambda = F * np.log(2.0) + np.sum(digamma(0.5 * (gm.degrees_of_freedom_ - np.arange(0, F)[:, np.newaxis])),
                                              0)
        cst = 0.5 * (log_lambda - F / gm.mean_precision_) - 0.5 * F * np.log(gm.degrees_of_freedom_)
        cst = np.asarray(cst, dtype=dt).reshape(-1)
        lg = b.node("Add", [lg, b.init("Ad_Addcst", cst)], b.var("Ad_C0"), version="target")
    w = b.node("Add", [lg, b.init("Ad_Addcst", gm._estimate_log_weights().astype(dt))], b.var("Ad_C0"),
               version="target")
    b.node("ArgMax", w, "label", axis=1, version="target")
    lpn = reduce_node(b, "ReduceLogSumExp", w, [1])
    lr = b.node("Sub", [w, lpn], b.var("Su_C0"), version="target")
    b.node("Exp", lr, "probabilities", version="target")


def mixture_case(name, gm, X, seed, what, target=15, double=False, n_rows=50):
    Xtr, Xte, _, _ = split(X, np.zeros(len(X)), seed)
    gm.fit(Xtr)
    dt = np.float64 if double else np.float32
    el = TensorProto.DOUBLE if double else TensorProto.FLOAT
    b = Builder(target)
    b.reserve("label", "probabilities")
    mixture_graph(b, "X", gm, dt)
    K = gm.means_.shape[0]
    outs = [tinfo("label", TensorProto.INT64, [None, 1]), tinfo("probabilities", el, [None, K])]
    m = b.model([float_input(X.shape[1], elem=el)], outs, name)
    edges, ew = edge_rows(Xtr, kinds=("zeros", "tiny", "max", "min"))
    # the component means themselves and midpoints between two of them
    mids = [gm.means_[0], gm.means_[1], (gm.means_[0] + gm.means_[1]) / 2 + 0.01]
    ew = ew + ["component 0 mean", "component 1 mean", "near the midpoint of components 0 and 1"]
    Xreq = np.vstack([Xte[:n_rows], edges, np.array(mids)]).astype(dt)
    Z = Xreq.astype(np.float64)
    proba = gm.predict_proba(Z)
    sk = {"label": gm.predict(Z), "probabilities": proba}
    n_te = min(n_rows, len(Xte))
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="label", score_out="probabilities",
                    score_key="probabilities", tie_scores=proba, tol_abs=1e-9 if double else 1e-5,
                    tol_rel=1e-12 if double else 1e-6)


def main():
    iris = load_iris()
    wine = load_wine()
    Xc, _ = make_clf(3, 5, 3201, scale=False)
    mixture_case("sk3_mix_gmm_full", GaussianMixture(n_components=3, covariance_type="full", random_state=0),
                 iris.data, 3201, "GaussianMixture(3 components, covariance_type='full'): per component Gemm + "
                 "ReduceSumSquare(axes attribute), Concat, ArgMax label [N, 1], ReduceLogSumExp, Exp. Data: iris "
                 "(seed 3201)")
    mixture_case("sk3_mix_gmm_diag_opset18", GaussianMixture(n_components=4, covariance_type="diag", random_state=1),
                 Xc, 3202, "GaussianMixture(4 components, covariance_type='diag'): Gemm(alpha -2, beta 0) on X and "
                 "on Mul(X, X); ReduceLogSumExp with axes as an input (opset 18). Data: make_classification 5 "
                 "features (seed 3202)", target=18)
    mixture_case("sk3_mix_gmm_spherical_opset13", GaussianMixture(n_components=3, covariance_type="spherical",
                                                                  random_state=2),
                 wine.data[:, :6], 3203, "GaussianMixture(3 components, covariance_type='spherical'): "
                 "ReduceSumSquare(X) -> Gemm(alpha 1, beta 1) outer product. Data: wine[:, :6] (seed 3203)", target=13)
    mixture_case("sk3_mix_gmm_tied_fp64", GaussianMixture(n_components=3, covariance_type="tied", random_state=3),
                 iris.data, 3204, "GaussianMixture(3 components, covariance_type='tied') with DOUBLE input: an "
                 "all-double graph (double Gemm, ReduceSumSquare, ReduceLogSumExp, Exp), log_det a length-1 array. "
                 "Data: iris (seed 3204)", target=17, double=True)
    mixture_case("sk3_mix_bgmm_full_opset18", BayesianGaussianMixture(n_components=4, covariance_type="full",
                                                                      max_iter=300, random_state=4),
                 Xc, 3205, "BayesianGaussianMixture(4 components, 'full', dirichlet_process prior): adds the "
                 "0.5 (log_lambda - F / mean_precision_) - 0.5 F log(dof) constant per component; "
                 "ReduceSumSquare / ReduceLogSumExp with axes inputs (opset 18). Data: make_classification 5 "
                 "features (seed 3205)", target=18)
    mixture_case("sk3_mix_bgmm_diag_dirichlet", BayesianGaussianMixture(
        n_components=3, covariance_type="diag", weight_concentration_prior_type="dirichlet_distribution",
        max_iter=300, random_state=5), wine.data[:, :5], 3206,
        "BayesianGaussianMixture(3 components, 'diag', dirichlet_distribution prior). Data: wine[:, :5] (seed 3206)")
    mixture_case("sk3_mix_bgmm_spherical_opset17", BayesianGaussianMixture(
        n_components=3, covariance_type="spherical", max_iter=300, random_state=6), iris.data, 3207,
        "BayesianGaussianMixture(3 components, 'spherical'). Data: iris (seed 3207)", target=17)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
