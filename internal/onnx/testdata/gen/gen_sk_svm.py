"""gen_sk_svm writes sk_svm_* cases: support vector machines as skl2onnx 1.14
(operator_converters/support_vector_machines.py, ovr_decision_function.py,
linear_regressor.py for LinearSVR, scaler_op.py) converts them.

What the converter writes, reproduced here:
  * SVC / NuSVC -> SVMClassifier (ai.onnx.ml 1): support_vectors,
    coefficients = dual_coef_ raveled (libsvm layout [C-1, n_sv]), rho =
    intercept_, vectors_per_class = n_support_, kernel_type = kernel.upper(),
    kernel_params = [_gamma, coef0, degree], post_transform NONE, prob_a /
    prob_b = probA_ / probB_ when probability=True. For two classes the
    coefficients and rho are negated. Its score output (SVM02) goes through
    Cast(float) (op_version 9).
  * probability=True: ZipMap (output_label / output_probability).
    probability=False: no ZipMap (outputs label / probabilities); with more
    than two classes and decision_function_shape='ovr' the converter appends
    sklearn's _ovr_decision_function as core ops: Less(score, 0) -> Cast ->
    Identity, Neg(score) -> Identity, per pair ArrayFeatureExtractor +
    Neg (op_version 6) + Add(1), Sum (op_version 8) per class, Concat,
    Abs, Add, Mul(3), Div, Add. With 'ovo' the pairwise scores are the output.
  * SVR / NuSVR -> SVMRegressor (n_supports, NONE) -> Cast -> variable.
  * OneClassSVM -> SVMRegressor -> Cast -> scores; Sign (op_version 9) ->
    Cast(int64) -> label.
  * LinearSVR -> LinearRegressor (coefficients, intercepts).
  * StandardScaler in a pipeline -> Scaler(offset=mean_, scale=1/scale_).
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, load_diabetes
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, NuSVC, SVR, NuSVR, LinearSVR, OneClassSVM

from skcommon import (Builder, float_input, tinfo, classifier_tail, f32list, labels_attr, split, edge_rows,
                      describe_edges, run_case, make_clf, make_reg, tie_rows)


def scaler(b, inp, sc):
    return b.node("Scaler", inp, b.var("variable"), domain="ai.onnx.ml", version=1,
                  offset=f32list(sc.mean_), scale=f32list(1.0 / sc.scale_))


def svc_nodes(b, inp, clf):
    """svc_nodes adds SVMClassifier (+ Cast, + the OvR tail); returns
    (label, scores, zipmap)."""
    n_classes = len(clf.classes_)
    coef = clf.dual_coef_.ravel()
    rho = clf.intercept_
    if n_classes == 2:
        coef, rho = -coef, -rho
    kind, labels = labels_attr(clf.classes_)
    attrs = dict(kernel_type=clf.kernel.upper(),
                 kernel_params=[float(clf._gamma), float(clf.coef0), float(clf.degree)],
                 support_vectors=f32list(clf.support_vectors_), coefficients=f32list(coef), rho=f32list(rho),
                 post_transform="NONE", vectors_per_class=[int(v) for v in clf.n_support_])
    attrs["classlabels_" + kind] = labels
    proba = len(clf.probA_) > 0
    if proba:
        attrs["prob_a"] = f32list(clf.probA_)
        attrs["prob_b"] = f32list(clf.probB_)
    ovr = not proba and clf.decision_function_shape == "ovr" and n_classes > 2
    b.reserve("label", "probabilities")
    svm_out = b.var("SVM02")
    b.node("SVMClassifier", inp, ["label", svm_out], domain="ai.onnx.ml", version=1, name="SVMc", **attrs)
    scores = b.var("before_ovr") if ovr else "probabilities"
    b.node("Cast", svm_out, scores, to=TensorProto.FLOAT, version=9, name="Cast")
    if ovr:
        cst0 = b.init("cst0", np.float32(0))
        neg_mask = b.node("Less", [scores, cst0], b.var("negative"), version=9, name="Less")
        ineg = b.node("Cast", neg_mask, b.var("inegative"), to=TensorProto.FLOAT, version=9, name="Cast")
        negs = b.node("Neg", scores, b.var("neg"), name="Neg")
        pred = b.node("Identity", ineg, b.var("prob_sign"), name="Identity")
        conf = b.node("Identity", negs, b.var("prob_sign"), name="Identity")
        cst3 = b.init("cst3", np.float32(3))
        cst1 = b.init("cst1", np.float32(1))
        sumc = [b.var(f"svcsumc_{i}") for i in range(n_classes)]
        vote = [b.var(f"svcvote_{i}") for i in range(n_classes)]
        sadd = {s: [] for s in sumc}
        vadd = {v: [] for v in vote}
        k = 0
        for i in range(n_classes):
            for j in range(i + 1, n_classes):
                ind = b.init(f"Cind_{k}", np.int64(k))
                ext = b.node("ArrayFeatureExtractor", [conf, ind], b.var(f"Csvc_{k}"), domain="ai.onnx.ml", version=1)
                sadd[sumc[j]].append(ext)
                sadd[sumc[i]].append(b.node("Neg", ext, b.var(f"Cneg_{k}"), version=6))
                ext = b.node("ArrayFeatureExtractor", [pred, ind], b.var(f"Vsvcv_{k}"), domain="ai.onnx.ml", version=1)
                vadd[vote[j]].append(ext)
                neg = b.node("Neg", ext, b.var(f"Vnegv_{k}"), version=6)
                vadd[vote[i]].append(b.node("Add", [neg, cst1], b.var(f"Vnegv1_{k}"), version=7,
                                            name=f"AddCl_{i}_{j}"))
                k += 1
        for s, v in list(sadd.items()) + list(vadd.items()):
            b.node("Sum", v, s, version=8)
        conc = b.node("Concat", sumc, b.var("Csvcconc"), axis=1, version=11)
        conc_vote = b.node("Concat", vote, b.var("Vsvcconcv"), axis=1, version=11)
        cabs = b.node("Abs", conc, b.var("Cabs"), version=6)
        cabs1 = b.node("Add", [cabs, cst1], b.var("Cconc_abs1"), version=7, name="AddF0")
        cabs3 = b.node("Mul", [cabs1, cst3], b.var("Cconc_abs3"), version=7)
        final = b.node("Div", [conc, cabs3], b.var("Csvcfinal"), version=7)
        ovr_out = b.node("Add", [conc_vote, final], b.var("ovr_output"), version=7, name="AddF1")
        b.node("Identity", ovr_out, "probabilities", name="Identity")
    return "label", "probabilities", proba


def svc_case(name, clf, X, y, seed, what, target=15, scale=True, n_rows=60, str_labels=None):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    sc = StandardScaler().fit(Xtr) if scale else None
    Ztr = sc.transform(Xtr) if scale else Xtr
    clf.fit(Ztr, ytr)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64)) if scale else Xreq.astype(np.float64)
    # rows whose pairwise libsvm decisions are near 0 or whose class scores tie are not well defined
    if len(clf.classes_) > 2:
        orig = clf.decision_function_shape
        ovo = clf.set_params(decision_function_shape="ovo").decision_function(Z)
        clf.set_params(decision_function_shape=orig)
    else:
        ovo = clf.decision_function(Z).reshape(-1, 1)
    keep = np.abs(ovo).min(axis=1) > 1e-4
    b = Builder(target)
    inp = "X"
    if scale:
        inp = scaler(b, "X", sc)
    label, scores, proba = svc_nodes(b, inp, clf)
    kind, _ = labels_attr(clf.classes_)
    if proba:
        outs = classifier_tail(b, label, scores, clf.classes_)
        lab_out, score_out = "output_label", "output_probability"
    else:
        lt = TensorProto.STRING if kind == "strings" else TensorProto.INT64
        n_sc = len(clf.classes_) if (clf.decision_function_shape == "ovr" or len(clf.classes_) == 2) else \
            len(clf.classes_) * (len(clf.classes_) - 1) // 2
        outs = [tinfo("label", lt, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, n_sc])]
        lab_out, score_out = "label", "probabilities"
    m = b.model([float_input(X.shape[1])], outs, name)
    sk = {"label": clf.predict(Z)}
    if proba:
        sk["probabilities"] = clf.predict_proba(Z)
        key, ties = "probabilities", sk["probabilities"]
    else:
        d = clf.decision_function(Z)
        sk["decision_function"] = d
        key = "decision_function"
        ties = d if d.ndim == 2 else None
        if d.ndim == 1:
            # skl2onnx's binary SVC without probabilities: the graph's second column holds -decision_function
            # (the converter negates the coefficients and onnxruntime expands the single score to [-s, s])
            sk["decision_function"] = np.stack([d, -d], axis=1)
    if ties is not None:
        keep &= ~tie_rows(ties)
    sk = {k: v[keep] for k, v in sk.items()}
    Xreq = Xreq[keep]
    n_te = int(keep[:min(n_rows, len(Xte))].sum())
    desc = (f"{what}. target_opset {target}. {describe_edges(n_te, [w for w, k in zip(ew, keep[-len(ew):]) if k])}"
            f" Rows whose pairwise SVM decision is within 1e-4 of 0 were left out.")
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=lab_out, score_out=score_out, score_key=key)


def svr_case(name, reg, X, y, seed, what, target=15, kind="svr", n_rows=60):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    reg.fit(sc.transform(Xtr), ytr) if kind != "ocsvm" else reg.fit(sc.transform(Xtr))
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    b = Builder(target)
    b.reserve("variable", "label", "scores")
    inp = scaler(b, "X", sc)
    if kind == "linear":
        b.node("LinearRegressor", inp, "variable", domain="ai.onnx.ml", version=1,
               coefficients=f32list(reg.coef_), intercepts=f32list(np.ravel(reg.intercept_)))
        outs = [tinfo("variable", TensorProto.FLOAT, [None, 1])]
        sk = {"prediction": reg.predict(Z).reshape(-1, 1)}
        score_out, key = "variable", "prediction"
    else:
        attrs = dict(kernel_type=reg.kernel.upper(),
                     kernel_params=[float(np.float32(v)) for v in (reg._gamma, reg.coef0, reg.degree)],
                     support_vectors=f32list(reg.support_vectors_), coefficients=f32list(reg.dual_coef_.ravel()),
                     rho=f32list(reg.intercept_), post_transform="NONE", n_supports=int(len(reg.support_)))
        if kind == "ocsvm":
            o = b.node("SVMRegressor", inp, b.var("SVMO1"), domain="ai.onnx.ml", version=1, name="SVM", **attrs)
            b.node("Cast", o, "scores", to=TensorProto.FLOAT, version=9, name="Cast")
            p = b.node("Sign", "scores", b.var("float_prediction"), version=9, name="Sign")
            b.node("Cast", p, "label", to=TensorProto.INT64, version=9, name="Cast")
            outs = [tinfo("label", TensorProto.INT64, [None, 1]), tinfo("scores", TensorProto.FLOAT, [None, 1])]
            d = reg.decision_function(Z)
            keep = np.abs(d) > 1e-4
            Xreq, Z, d = Xreq[keep], Z[keep], d[keep]
            sk = {"label": reg.predict(Z).reshape(-1, 1), "decision_function": d.reshape(-1, 1)}
            score_out, key = "scores", "decision_function"
        else:
            o = b.node("SVMRegressor", inp, b.var("SVM03"), domain="ai.onnx.ml", version=1, name="SVM", **attrs)
            b.node("Cast", o, "variable", to=TensorProto.FLOAT, version=9, name="Cast")
            outs = [tinfo("variable", TensorProto.FLOAT, [None, 1])]
            sk = {"prediction": reg.predict(Z).reshape(-1, 1)}
            score_out, key = "variable", "prediction"
    m = b.model([float_input(X.shape[1])], outs, name)
    n_te = len(Xreq) - len(ew)
    desc = f"{what}. target_opset {target}. {describe_edges(n_te, ew)}"
    label_out = "label" if kind == "ocsvm" else None
    return run_case(name, m, {"X": Xreq}, sk, desc, label_out=label_out, score_out=score_out, score_key=key,
                    tol_rel=2e-6, tol_reason="float32 kernel sums over many support vectors")


def main():
    bc = load_breast_cancer()
    iris = load_iris()
    wine = load_wine()
    diab = load_diabetes()
    Xc3, yc3 = make_clf(3, 6, 41)
    Xc4, yc4 = make_clf(4, 5, 42)
    svc_case("sk_svm_svc_linear_binary_proba", SVC(kernel="linear", C=0.5, probability=True, random_state=0),
             bc.data, bc.target, 101,
             "Pipeline(StandardScaler, SVC(linear, C=0.5, probability=True)) binary. Data: breast_cancer (seed 101)")
    svc_case("sk_svm_svc_poly_binary", SVC(kernel="poly", degree=3, coef0=1.0, C=2.0),
             bc.data, bc.target, 102,
             "Pipeline(StandardScaler, SVC(poly degree 3, coef0=1, C=2)) binary, no probability: no ZipMap, "
             "outputs label + probabilities (= [-s, s] of the negated libsvm score)")
    svc_case("sk_svm_svc_sigmoid_binary_proba", SVC(kernel="sigmoid", gamma=0.01, coef0=0.5, probability=True,
                                                     random_state=1),
             bc.data, bc.target, 103,
             "Pipeline(StandardScaler, SVC(sigmoid, gamma=0.01, coef0=0.5, probability=True)) binary. "
             "Data: breast_cancer (seed 103)")
    svc_case("sk_svm_svc_rbf_multi_ovr", SVC(kernel="rbf", C=3.0), wine.data, wine.target, 104,
             "Pipeline(StandardScaler, SVC(rbf, C=3)) 3 classes, no probability, decision_function_shape='ovr': "
             "SVMClassifier pairwise scores + skl2onnx's OvR decision-function core ops. Data: wine (seed 104)",
             target=15)
    svc_case("sk_svm_svc_poly_multi_ovr4", SVC(kernel="poly", degree=2, coef0=0.5), Xc4, yc4, 105,
             "Pipeline(StandardScaler, SVC(poly degree 2, coef0=0.5)) 4 classes, no probability, ovr "
             "decision function as core ops. Data: clf4_5 (seed 105)", target=17, n_rows=50)
    svc_case("sk_svm_svc_linear_multi_ovo", SVC(kernel="linear", decision_function_shape="ovo", C=0.3),
             iris.data, iris.target, 106,
             "Pipeline(StandardScaler, SVC(linear, C=0.3, decision_function_shape='ovo')) 3 classes, no "
             "probability: probabilities = the 3 pairwise libsvm scores. Data: iris (seed 106)", target=13)
    svc_case("sk_svm_svc_rbf_multi_proba_str", SVC(kernel="rbf", gamma=0.2, probability=True, random_state=3),
             iris.data, iris.target, 107,
             "Pipeline(StandardScaler, SVC(rbf, gamma=0.2, probability=True)) 3 classes, string labels "
             "(classlabels_strings, Identity on the label). Data: iris_str (seed 107)",
             str_labels=["setosa", "versicolor", "virginica"])
    svc_case("sk_svm_svc_sigmoid_multi_proba", SVC(kernel="sigmoid", gamma=0.05, coef0=-0.5, probability=True,
                                                    random_state=4),
             Xc3, yc3, 108,
             "Pipeline(StandardScaler, SVC(sigmoid, gamma=0.05, coef0=-0.5, probability=True)) 3 classes "
             "(Wu-Lin-Weng pairwise coupling in onnxruntime). Data: clf3_6 (seed 108)", n_rows=50)
    svc_case("sk_svm_nusvc_rbf_binary_proba", NuSVC(nu=0.3, probability=True, random_state=5),
             bc.data, bc.target, 109,
             "Pipeline(StandardScaler, NuSVC(nu=0.3, rbf, probability=True)) binary. Data: breast_cancer (seed 109)")
    svc_case("sk_svm_nusvc_poly_multi_ovr", NuSVC(nu=0.2, kernel="poly", degree=2), wine.data, wine.target, 110,
             "Pipeline(StandardScaler, NuSVC(nu=0.2, poly degree 2)) 3 classes, no probability, ovr decision "
             "function as core ops. Data: wine (seed 110)", target=16)
    svr_case("sk_svm_svr_poly", SVR(kernel="poly", degree=2, C=20.0, coef0=1.0), diab.data, diab.target, 111,
             "Pipeline(StandardScaler, SVR(poly degree 2, coef0=1, C=20)). Data: diabetes (seed 111)")
    svr_case("sk_svm_svr_linear", SVR(kernel="linear", C=5.0, epsilon=2.0), diab.data, diab.target, 112,
             "Pipeline(StandardScaler, SVR(linear, C=5, epsilon=2)). Data: diabetes (seed 112)")
    Xr, yr = make_reg(5, 113)
    svr_case("sk_svm_nusvr_rbf", NuSVR(nu=0.4, C=30.0), Xr, yr, 113,
             "Pipeline(StandardScaler, NuSVR(nu=0.4, C=30, rbf)). Data: reg_5 (seed 113)", target=17)
    svr_case("sk_svm_svr_sigmoid", SVR(kernel="sigmoid", gamma=0.05, coef0=0.1, C=50.0), diab.data, diab.target,
             114, "Pipeline(StandardScaler, SVR(sigmoid, gamma=0.05, coef0=0.1, C=50)). Data: diabetes (seed 114)")
    svr_case("sk_svm_linearsvr", LinearSVR(C=2.0, epsilon=0.5, max_iter=20000, random_state=0), Xr, yr, 115,
             "Pipeline(StandardScaler, LinearSVR(C=2, epsilon=0.5)) -> LinearRegressor. Data: reg_5 (seed 115)",
             kind="linear", target=13)
    svr_case("sk_svm_oneclass_rbf", OneClassSVM(nu=0.1, gamma=0.1), wine.data, wine.target, 116,
             "Pipeline(StandardScaler, OneClassSVM(nu=0.1, gamma=0.1)): SVMRegressor -> Cast -> scores, "
             "Sign -> Cast(int64) -> label (+1 inlier / -1 outlier). Data: wine (seed 116). Rows whose score is "
             "within 1e-4 of 0 were left out", kind="ocsvm")


if __name__ == "__main__":
    main()
