"""gen_sk_neighbors writes sk_knn_* cases: k-nearest-neighbour models as
skl2onnx converts them (operator_converters/k_neighbours.py, algebra API,
optim=None), mirroring the corpus's knn_clf.onnx structure:

  Scan(X, training points) whose body is Identity(next_in), Sub(next_in,
  next), ReduceSumSquare(axes=[1], keepdims 0), Identity -> Transpose ->
  Sqrt -> TopK(k, largest=0, sorted=1) -> Flatten(indices) ->
  ArrayFeatureExtractor(training labels) -> Reshape([-1, k]).
  Classifier: per class Cast(Equal(labels, c)) (x weights) -> ReduceSum(axes
  [1]); Concat; probabilities = Div(., ReduceSum(.)); label = ArgMax ->
  ArrayFeatureExtractor(classes) -> Cast -> Reshape(-1).
  weights='distance': w = Reciprocal(Max(distances, 1e-6)) multiplies the
  class masks; regressor: ReduceSum(labels x w) / ReduceSum(w), uniform:
  ReduceMean(labels, axes [1]).
The Scan body is built with the target opset, so the model's default-domain
opset equals the target. The weights='distance' form follows the algebra of
skl2onnx's _convert_nearest_neighbors (Max(d, 1e-6) -> Reciprocal); the
regressors' exact node layout in 1.14 was not available, the semantics are.
"""
import numpy as np
from onnx import TensorProto, helper
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

from skcommon import Builder, float_input, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges, run_case


def scan_body(F, target):
    inits = []
    if target >= 18:
        # from opset 18 on, ReduceSumSquare takes axes as an input (an initializer of the body)
        inits.append(helper.make_tensor("cdistdf_2_ReduceSumSquarecst", TensorProto.INT64, [1], [1]))
        rss = helper.make_node("ReduceSumSquare", ["cdistdf_2_C0", "cdistdf_2_ReduceSumSquarecst"],
                               ["cdistdf_2_reduced0"], keepdims=0, name="cdistdf_2_ReduceSumSquare")
    else:
        rss = helper.make_node("ReduceSumSquare", ["cdistdf_2_C0"], ["cdistdf_2_reduced0"], axes=[1], keepdims=0,
                               name="cdistdf_2_ReduceSumSquare")
    nodes = [helper.make_node("Identity", ["next_in"], ["next_out"], name="cdistd_2_Identity"),
             helper.make_node("Sub", ["next_in", "next"], ["cdistdf_2_C0"], name="cdistdf_2_Sub"),
             rss,
             helper.make_node("Identity", ["cdistdf_2_reduced0"], ["scan_out"], name="cdistdf_2_Identity")]
    return helper.make_graph(nodes, "OnnxIdentity", [tinfo("next_in", TensorProto.FLOAT, [None, F]),
                                                      tinfo("next", TensorProto.FLOAT, [None])],
                             [tinfo("next_out", TensorProto.FLOAT, [None, None]),
                              tinfo("scan_out", TensorProto.FLOAT, [None])], inits)


def neighbours(b, inp, model, F, labels):
    pts = b.init("Sc_Scancst", model._fit_X.astype(np.float32))
    _, sc1 = b.node("Scan", [inp, pts], [b.var("UU002UU"), b.var("UU003UU")], num_scan_inputs=1,
                    body=scan_body(F, b.target), version="target", name="Sc_Scan")
    tr = b.node("Transpose", sc1, b.var("Tr_transposed0"), perm=[1, 0], name="Tr_Transpose")
    sq = b.node("Sqrt", tr, b.var("Sq_Y0"), name="Sq_Sqrt")
    k = b.init("To_TopKcst", np.array([model.n_neighbors], dtype=np.int64))
    vals, idx = b.node("TopK", [sq, k], [b.var("To_Values0"), b.var("To_Indices1")], largest=0, sorted=1,
                       name="To_TopK")
    fl = b.node("Flatten", idx, b.var("knny_output0"), name="knny_Flatten")
    lab = b.init("knny_ArrayFeatureExtractorcst", labels)
    ex = b.node("ArrayFeatureExtractor", [lab, fl], b.var("knny_Z0"), domain="ai.onnx.ml", version=1,
                name="knny_ArrayFeatureExtractor")
    rs = b.init("knny_Reshapecst", np.array([-1, model.n_neighbors], dtype=np.int64))
    rl = b.node("Reshape", [ex, rs], b.var("knny_reshaped0"), name="knny_Reshape")
    wei = None
    if model.weights == "distance":
        eps = b.init("Ma_Maxcst", np.array([1e-6], dtype=np.float32))
        mx = b.node("Max", [vals, eps], b.var("Ma_max0"), name="Ma_Max")
        wei = b.node("Reciprocal", mx, b.var("Re_Y0"), name="Re_Reciprocal")
    return rl, wei


def knn_clf_case(name, model, X, y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
               scale=f32list(1.0 / sc.scale_))
    labels = np.searchsorted(model.classes_, model.classes_[model._y]).astype(np.int64)
    rl, wei = neighbours(b, v, model, X.shape[1], labels)
    ax = b.init("bprob_ReduceSumcst", np.array([1], dtype=np.int64))
    conc = []
    for c in range(len(model.classes_)):
        cst = ax if c == 1 else b.init("bprob_Equalcst", np.array([c], dtype=np.int64))
        eq = b.node("Equal", [rl, cst], b.var("bprob_C0"), name="bprob_Equal")
        m = b.node("Cast", eq, b.var("bprob_output0"), to=TensorProto.FLOAT, name="bprob_Cast")
        if wei is not None:
            m = b.node("Mul", [m, wei], b.var("bprob_C01"), name="bprob_Mul")
        conc.append(b.node("ReduceSum", [m, ax], b.var("bprob_reduced0"), keepdims=1, name="bprob_ReduceSum"))
    allt = b.node("Concat", conc, b.var("bprob_concat_result0"), axis=1, name="bprob_Concat")
    am = b.node("ArgMax", allt, b.var("blab_reduced0"), axis=1, keepdims=0, name="blab_ArgMax")
    cls = b.init("blab_ArrayFeatureExtractorcst", model.classes_.astype(np.int64))
    lab = b.node("ArrayFeatureExtractor", [cls, am], b.var("blab_Z0"), domain="ai.onnx.ml", version=1,
                 name="blab_ArrayFeatureExtractor")
    lc = b.node("Cast", lab, b.var("blab_output0"), to=TensorProto.INT64, name="blab_Cast")
    r1 = b.init("blab_Reshapecst", np.array([-1], dtype=np.int64))
    b.node("Reshape", [lc, r1], "label", name="blab_Reshape")
    s = b.node("ReduceSum", [allt, ax], b.var("bprob_reduced04"), keepdims=1, name="bprob_ReduceSum")
    b.node("Div", [allt, s], "probabilities", name="bprob_Div")
    outs = classifier_tail(b, "label", "probabilities", model.classes_)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = model.predict_proba(Z)
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"label": model.predict(Z), "probabilities": proba}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def knn_reg_case(name, model, X, y, seed, what, target=15, n_rows=50):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(target)
    b.reserve("variable")
    v = b.node("Scaler", "X", b.var("variable"), domain="ai.onnx.ml", version=1, offset=f32list(sc.mean_),
               scale=f32list(1.0 / sc.scale_))
    rl, wei = neighbours(b, v, model, X.shape[1], model._y.astype(np.float32))
    if wei is None:
        if target >= 18:
            ax = b.init("Re_ReduceMeancst", np.array([1], dtype=np.int64))
            b.node("ReduceMean", [rl, ax], "variable", keepdims=0, name="Re_ReduceMean")
        else:
            b.node("ReduceMean", rl, "variable", axes=[1], keepdims=0, name="Re_ReduceMean")
    else:
        ax = b.init("Re_ReduceSumcst", np.array([1], dtype=np.int64))
        w = b.node("Mul", [rl, wei], b.var("Mu_C0"), name="Mu_Mul")
        s = b.node("ReduceSum", [w, ax], b.var("Re_reduced0"), keepdims=0, name="Re_ReduceSum")
        n = b.node("ReduceSum", [wei, ax], b.var("Re_reduced01"), keepdims=0, name="Re_ReduceSum1")
        b.node("Div", [s, n], "variable", name="Di_Div")
    m = b.model([float_input(X.shape[1])], [tinfo("variable", TensorProto.FLOAT, [None])], name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:n_rows], edges]).astype(np.float32)
    pred = model.predict(sc.transform(Xreq.astype(np.float64)))
    desc = f"{what}. target_opset {target}. {describe_edges(min(n_rows, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": pred}, desc, score_out="variable", score_key="prediction")


def main():
    bc = load_breast_cancer()
    knn_clf_case("sk_knn_clf_distance_binary", KNeighborsClassifier(n_neighbors=7, weights="distance"),
                 bc.data[:, :8], bc.target, 701,
                 "Pipeline(StandardScaler, KNeighborsClassifier(7, weights='distance')) binary on 8 features: "
                 "Scan distances, TopK, Reciprocal(Max(d, 1e-6)) weights. Data: breast_cancer[:, :8] (seed 701)")
    rng = np.random.RandomState(702)
    X3 = rng.normal(size=(300, 4)) * [1, 2, 3, 0.5]
    y3 = (X3[:, 0] + X3[:, 1] > 0).astype(int) + (X3[:, 2] > 1).astype(int) * 2
    knn_clf_case("sk_knn_clf_uniform_k3_multi", KNeighborsClassifier(n_neighbors=3), X3, y3, 702,
                 "Pipeline(StandardScaler, KNeighborsClassifier(3, uniform)) 4 classes on 4 gaussian features "
                 "(seed 702)", target=17)
    diab = load_diabetes()
    knn_reg_case("sk_knn_reg_uniform", KNeighborsRegressor(n_neighbors=5), diab.data, diab.target, 703,
                 "Pipeline(StandardScaler, KNeighborsRegressor(5, uniform)): ReduceMean of the neighbours' targets "
                 "(output shape [N]). Data: diabetes (seed 703)")
    knn_reg_case("sk_knn_reg_distance_opset18", KNeighborsRegressor(n_neighbors=4, weights="distance"), diab.data,
                 diab.target, 704, "Pipeline(StandardScaler, KNeighborsRegressor(4, weights='distance')) at "
                 "target_opset 18: ReduceSum(targets x w) / ReduceSum(w). Data: diabetes (seed 704)", target=18)


if __name__ == "__main__":
    main()
