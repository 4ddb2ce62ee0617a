"""gen_sk_nb_mlp writes sk_nb_* and sk_mlp_* cases: naive Bayes and MLP
models as skl2onnx 1.14 converts them (operator_converters/naive_bayes.py,
multilayer_perceptron.py).

Naive Bayes (joint log likelihood jll, then the common tail):
  * Multinomial: MatMul(X, feature_log_prob_.T) + class_log_prior.
    Complement: MatMul only (no prior when there are >= 2 classes).
  * Bernoulli: Greater(X, binarize) -> Cast -> Add(zeros) when binarize is
    set; Exp(flp) -> Sub(1.000000001, .) -> Log = neg_prob; ReduceSum(neg_prob,
    axes=[0] as input); MatMul(X, flp - neg_prob) + sum + prior.
  * Gaussian: Reshape(X, [-1,1,F]) - theta, Pow 2, / var, ReduceSum(axis 2),
    * 0.5, sigma_sum_log - ., + log prior.
  * Categorical: per feature ArrayFeatureExtractor(X, i) -> Cast(int64) ->
    ArrayFeatureExtractor(feature_log_prob_[i], idx) -> Transpose; Sum;
    + class_log_prior.
  * tail: ArgMax(jll, axis 1) -> ArrayFeatureExtractor(classes int32) ->
    Cast(float) -> Reshape(-1) -> Cast(int64) -> label; probabilities =
    Exp(jll - Reshape(ReduceLogSumExp(jll, axes=[1], keepdims 0), [-1, 1]))
    (axes an input at opset >= 18).
MLP: Cast(X) -> (MatMul + Add + activation) per layer; the last layer uses
out_activation_ (Softmax without axis, or Sigmoid for binary followed by
Sub(1, p) and Concat); labels via ArgMax -> ArrayFeatureExtractor(classes
int32) -> Reshape(-1) -> Cast(int64). Regressor: Reshape([-1, 1]). Identity
activations disappear with skl2onnx's identity-removal pass.
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, load_diabetes, load_digits
from sklearn.naive_bayes import BernoulliNB, MultinomialNB, ComplementNB, CategoricalNB, GaussianNB
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from skcommon import (Builder, float_input, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges,
                      run_case, make_clf, make_reg)


def nb_graph(b, inp, nb):
    F32 = np.float32
    classes = nb.classes_
    kind = type(nb).__name__
    if kind not in ("GaussianNB", "CategoricalNB"):
        flp = b.init("feature_log_prob", nb.feature_log_prob_.T.astype(F32))
        prior = b.init("class_log_prior", nb.class_log_prior_.astype(F32).reshape(1, -1))
    sum_result = b.var("sum_result")
    if kind == "BernoulliNB":
        one = b.init("constant", F32(1.000000001))
        x = inp
        if nb.binarize is not None:
            thr = b.init("threshold", np.array([nb.binarize], dtype=F32))
            zeros = b.init("zero_tensor", np.zeros((1, nb.feature_count_.shape[1]), dtype=F32))
            cond = b.node("Greater", [inp, thr], b.var("condition"), version=9)
            cv = b.node("Cast", cond, b.var("cast_values"), to=TensorProto.FLOAT, version=9)
            x = b.node("Add", [zeros, cv], b.var("binarised_input"), version=7)
        e = b.node("Exp", flp, b.var("exp_result"), version=6)
        sub = b.node("Sub", [one, e], b.var("sub_result"), version=7)
        neg = b.node("Log", sub, b.var("neg_prob"), version=6)
        ax = b.init("axis", np.array([0], dtype=np.int64))
        sneg = b.node("ReduceSum", [neg, ax], b.var("sum_neg_prob"), version=13)
        diff = b.node("Sub", [flp, neg], b.var("difference_matrix"), version=7)
        dot = b.node("MatMul", [x, diff], b.var("dot_prod"))
        part = b.node("Add", [dot, sneg], b.var("partial_sum_result"), version=7)
        b.node("Add", [part, prior], sum_result, version=7)
    elif kind == "GaussianNB":
        F = nb.theta_.shape[1]
        theta = b.init("theta", nb.theta_.reshape(1, -1, F).astype(F32))
        sigma = b.init("sigma", nb.var_.reshape(1, -1, F).astype(F32))
        jointi = b.init("jointi", np.log(nb.class_prior_).reshape(1, -1).astype(F32))
        ssl = b.init("sigma_sum_log", (-0.5 * np.sum(np.log(2.0 * np.pi * nb.var_), axis=1)).reshape(1, -1).astype(F32))
        expo = b.init("exponent", F32(2))
        half = b.init("prod_operand", F32(0.5))
        shp = b.init("shape_tensor", np.array([-1, 1, F], dtype=np.int64))
        r = b.node("Reshape", [inp, shp], b.var("reshaped_input"), version=5)
        s = b.node("Sub", [r, theta], b.var("subtracted_input"), version=7)
        p = b.node("Pow", [s, expo], b.var("pow_result"), version=12)
        d = b.node("Div", [p, sigma], b.var("div_result"), version=7)
        ax = b.init("axis", np.array([2], dtype=np.int64))
        rs = b.node("ReduceSum", [d, ax], b.var("reduced_sum"), keepdims=0, version=13)
        mu = b.node("Mul", [rs, half], b.var("mul_result"), version=7)
        pl = b.node("Sub", [ssl, mu], b.var("part_log_likelihood"), version=7)
        b.node("Add", [jointi, pl], sum_result, version=7)
    elif kind == "CategoricalNB":
        prior = b.init("class_log_prior", nb.class_log_prior_.astype(F32))
        jll = []
        for i in range(nb.n_features_in_):
            fi = b.init("feature_index", np.int64(i))
            fl = b.init("feature_log_proba", nb.feature_log_prob_[i].astype(F32))
            ind = b.node("ArrayFeatureExtractor", [inp, fi], b.var("indices"), domain="ai.onnx.ml", version=1)
            ci = b.node("Cast", ind, b.var("cast_indices"), to=TensorProto.INT64, version=9)
            j = b.node("ArrayFeatureExtractor", [fl, ci], b.var("jll"), domain="ai.onnx.ml", version=1)
            jll.append(b.node("Transpose", j, b.var("transposed_jll"), perm=[1, 0]))
        sj = b.node("Sum", jll, b.var("summation_jll"))
        b.node("Add", [sj, prior], sum_result, version=7)
    else:
        if kind == "MultinomialNB" or len(classes) == 1:
            mm = b.node("MatMul", [inp, flp], b.var("matmul_result"))
            b.node("Add", [mm, prior], sum_result, version=7)
        else:
            b.node("MatMul", [inp, flp], sum_result)
    # tail
    cls = b.init("classes", classes.astype(np.int32))
    am = b.node("ArgMax", sum_result, b.var("argmax_output"), axis=1)
    if b.target >= 18:
        ax = b.init("axis", np.array([1], dtype=np.int64))
        lse = b.node("ReduceLogSumExp", [sum_result, ax], b.var("reduce_log_sum_exp_result"), keepdims=0)
    else:
        lse = b.node("ReduceLogSumExp", sum_result, b.var("reduce_log_sum_exp_result"), axes=[1], keepdims=0)
    s1 = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
    rl = b.node("Reshape", [lse, s1], b.var("reshaped_log_prob"), version=5)
    lp = b.node("Sub", [sum_result, rl], b.var("log_prob"), version=7)
    b.node("Exp", lp, "probabilities", version=6)
    afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"), domain="ai.onnx.ml",
                 version=1)
    c2 = b.node("Cast", afe, b.var("cast2_result"), to=TensorProto.FLOAT, version=9)
    s2 = b.init("shape_tensor", np.array([-1], dtype=np.int64))
    rr = b.node("Reshape", [c2, s2], b.var("reshaped_result"), version=5)
    b.node("Cast", rr, "label", to=TensorProto.INT64, version=9)
    return "label", "probabilities"


def nb_case(name, nb, Xtr, ytr, Xreq, what, target=15, n_te=None, ew=(), tol_abs=1e-5, reason=None):
    nb.fit(Xtr, ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability")
    lab, prob = nb_graph(b, "X", nb)
    outs = classifier_tail(b, lab, prob, nb.classes_)
    m = b.model([float_input(Xtr.shape[1])], outs, name)
    Xreq = Xreq.astype(np.float32)
    Z = Xreq.astype(np.float64)
    proba = nb.predict_proba(Z)
    sk = {"label": nb.predict(Z), "probabilities": proba}
    desc = f"{what}. target_opset {target}." + (" " + describe_edges(n_te, ew) if ew else "")
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="output_label", score_out="output_probability",
                    score_key="probabilities", tie_scores=np.log(np.maximum(proba, 1e-300)), tol_abs=tol_abs,
                    tol_reason=reason)


def mlp_clf_case(name, mlp, X, y, seed, what, target=15, n_rows=55):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    mlp.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
               scale=f32list(1.0 / sc.scale_))
    yp = mlp_forward(b, v, mlp)
    classes = mlp.classes_
    if len(classes) == 2:
        one = b.init("unity", np.float32(1))
        neg = b.node("Sub", [one, yp], b.var("negative_class_proba"), version=7)
        b.node("Concat", [neg, yp], "probabilities", axis=1, version=11)
    else:
        b.node("Identity", yp, "probabilities")
    cls = b.init("classes", classes.astype(np.int32))
    am = b.node("ArgMax", "probabilities", b.var("argmax_output"), axis=1)
    afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"), domain="ai.onnx.ml",
                 version=1)
    s = b.init("shape_tensor", np.array([-1], dtype=np.int64))
    rr = b.node("Reshape", [afe, s], b.var("reshaped_result"), version=5)
    b.node("Cast", rr, "label", to=TensorProto.INT64, version=9)
    outs = classifier_tail(b, "label", "probabilities", classes)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = mlp.predict_proba(Z)
    sk = {"label": mlp.predict(Z), "probabilities": proba}
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out="output_label", score_out="output_probability",
                    score_key="probabilities", tie_scores=proba)


ACT = {"identity": "Identity", "tanh": "Tanh", "logistic": "Sigmoid", "relu": "Relu", "softmax": "Softmax"}


def mlp_forward(b, inp, mlp):
    x = b.node("Cast", inp, b.var("cast_input"), to=TensorProto.FLOAT, version=9)
    out = b.var("out_activations_result")
    for i in range(mlp.n_layers_ - 1):
        w = b.init("coefficient", mlp.coefs_[i].astype(np.float32))
        c = b.init("intercepts", mlp.intercepts_[i].astype(np.float32).reshape(1, -1))
        mm = b.node("MatMul", [x, w], b.var("mul_result"))
        add = b.node("Add", [mm, c], b.var("add_result"), version=7)
        if i + 1 != mlp.n_layers_ - 1:
            x = b.node(ACT[mlp.activation], add, b.var("next_activations"), name=ACT[mlp.activation])
    b.node(ACT[mlp.out_activation_], add, out, name=ACT[mlp.activation])
    return out


def mlp_reg_case(name, mlp, X, y, seed, what, target=15, n_rows=55):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    mlp.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("variable")
    v = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
               scale=f32list(1.0 / sc.scale_))
    yp = mlp_forward(b, v, mlp)
    s = b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))
    b.node("Reshape", [yp, s], "variable", version=5)
    m = b.model([float_input(X.shape[1])], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    pred = mlp.predict(sc.transform(Xreq.astype(np.float64))).reshape(-1, 1)
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


COUNT_REASON = ("probabilities are exp of differences of float32 log-likelihoods of magnitude ~100 (counts x log "
                "probabilities); float32 summation order alone moves them by ~1e-5")


def main():
    rng = np.random.RandomState(301)
    # count data for the discrete naive Bayes models
    n, F = 260, 12
    y = rng.randint(0, 3, n)
    lam = rng.uniform(0.5, 4, (3, F))
    Xc = rng.poisson(lam[y]).astype(np.float64)
    Xtr, Xte, ytr, yte = split(Xc, y, 301)
    extra = np.array([np.zeros(F), np.full(F, 30.0), Xtr.max(axis=0)])
    ew = ["all zeros", "all counts 30 (beyond training range)", "training column maxima"]
    Xreq = np.vstack([Xte[:50], extra])
    nb_case("sk_nb_multinomial", MultinomialNB(alpha=0.5), Xtr, ytr, Xreq,
            "MultinomialNB(alpha=0.5) 3 classes on Poisson count data (12 features)", target=15, n_te=50, ew=ew, tol_abs=5e-5, reason=COUNT_REASON)
    nb_case("sk_nb_complement", ComplementNB(alpha=1.0), Xtr, ytr, Xreq,
            "ComplementNB(alpha=1) 3 classes on count data: jll = MatMul only", target=13, n_te=50, ew=ew, tol_abs=5e-5, reason=COUNT_REASON)
    nb_case("sk_nb_multinomial_opset18", MultinomialNB(alpha=1.0, fit_prior=False), Xtr, ytr, Xreq,
            "MultinomialNB(fit_prior=False) 3 classes on count data; target_opset 18: ReduceLogSumExp takes axes "
            "as an input", target=18, n_te=50, ew=ew, tol_abs=5e-5, reason=COUNT_REASON)
    ybin = (ytr > 0).astype(int)
    nb_case("sk_nb_bernoulli_binarize", BernoulliNB(alpha=1.0, binarize=1.5), Xtr, ybin, Xreq,
            "BernoulliNB(binarize=1.5) binary on count data: Greater -> Cast -> Add binarisation, "
            "log(1.000000001 - exp(flp)) terms", target=15, n_te=50, ew=ew)
    Xb = (Xtr > 2).astype(np.float64)
    Xbreq = np.vstack([(Xte[:50] > 2).astype(np.float64), np.zeros(F), np.ones(F)])
    nb_case("sk_nb_bernoulli_nobinarize", BernoulliNB(alpha=0.7, binarize=None), Xb, ytr, Xbreq,
            "BernoulliNB(alpha=0.7, binarize=None) 3 classes on 0/1 data (no binarisation nodes)", target=14,
            n_te=50, ew=["all zeros", "all ones"])
    Xcat = rng.randint(0, 4, (300, 5)).astype(np.float64)
    ycat = ((Xcat[:, 0] + Xcat[:, 1] + rng.randint(0, 3, 300)) % 3).astype(int)
    Xctr, Xcte, yctr, ycte = split(Xcat, ycat, 302)
    Xcreq = np.vstack([Xcte[:50], np.zeros(5), np.full(5, 3.0)])
    nb_case("sk_nb_categorical", CategoricalNB(alpha=1.0), Xctr, yctr, Xcreq,
            "CategoricalNB 3 classes, 5 features with categories 0..3 (per-feature ArrayFeatureExtractor lookups, "
            "Sum)", target=15, n_te=50, ew=["all categories 0", "all categories 3"])
    bc = load_breast_cancer()
    Xtr2, Xte2, ytr2, yte2 = split(bc.data, bc.target, 303)
    e2, ew2 = edge_rows(Xtr2)
    nb_case("sk_nb_gaussian_binary", GaussianNB(var_smoothing=1e-8), Xtr2, ytr2, np.vstack([Xte2[:50], e2]),
            "GaussianNB binary. Data: breast_cancer (seed 303)", target=17, n_te=50, ew=ew2)

    iris = load_iris()
    wine = load_wine()
    bcX, bcy = bc.data, bc.target
    mlp_clf_case("sk_mlp_clf_tanh_multi", MLPClassifier((12,), activation="tanh", max_iter=600, random_state=0),
                 wine.data, wine.target, 311, "Pipeline(StandardScaler, MLPClassifier((12,), tanh)) 3 classes. "
                 "Data: wine (seed 311)")
    mlp_clf_case("sk_mlp_clf_logistic_binary", MLPClassifier((10, 6), activation="logistic", max_iter=800,
                                                            random_state=1),
                 bcX, bcy, 312, "Pipeline(StandardScaler, MLPClassifier((10, 6), logistic)) binary: Sigmoid output, "
                 "Sub(1, p) + Concat. Data: breast_cancer (seed 312)", target=13)
    mlp_clf_case("sk_mlp_clf_identity_multi", MLPClassifier((8,), activation="identity", max_iter=600,
                                                           random_state=2),
                 iris.data, iris.target, 313, "Pipeline(StandardScaler, MLPClassifier((8,), identity)) 3 classes "
                 "(the hidden Identity is removed by skl2onnx). Data: iris (seed 313)", target=17)
    Xm, ym = make_clf(2, 7, 314)
    mlp_clf_case("sk_mlp_clf_relu_binary", MLPClassifier((16, 8), activation="relu", max_iter=600, random_state=3),
                 Xm, ym, 314, "Pipeline(StandardScaler, MLPClassifier((16, 8), relu)) binary. Data: clf2_7 "
                 "(seed 314)", target=15)
    diab = load_diabetes()
    mlp_reg_case("sk_mlp_reg_tanh", MLPRegressor((16,), activation="tanh", max_iter=2000, learning_rate_init=0.01,
                                                  random_state=4),
                 diab.data, diab.target, 315, "Pipeline(StandardScaler, MLPRegressor((16,), tanh)). Data: diabetes "
                 "(seed 315)")
    Xr, yr = make_reg(4, 316)
    mlp_reg_case("sk_mlp_reg_logistic_2layers", MLPRegressor((8, 8), activation="logistic", max_iter=2000,
                                                              learning_rate_init=0.01, random_state=5),
                 Xr, yr, 316, "Pipeline(StandardScaler, MLPRegressor((8, 8), logistic)). Data: reg_4 (seed 316)",
                 target=16)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
