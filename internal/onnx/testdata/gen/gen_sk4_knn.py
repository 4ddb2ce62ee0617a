"""gen_sk4_knn writes sk4_knn_* cases: k-nearest-neighbour models in the
forms nearest_neighbours.py and algebra/complex_functions.py write on
skl2onnx main (algebra API, every node op_version = the target, here the
default 21), where they differ from the sk_knn_* cases.

  * weights='distance': onnx_nearest_neighbors_indices_k returns, for
    opset >= 11, (TopK indices, Mul(TopK values, [-1])), so the distances
    reach _convert_nearest_neighbors negated; Max(-d, [1e-6]) is 1e-6 and
    Reciprocal gives the weight 1e6 to every neighbour: the graph votes /
    averages uniformly where scikit-learn weights by 1/d. This is what every
    release from 1.14 to 1.20 writes (pull request #1212, which removes the
    Mul, is open); the sk_knn_*_distance cases follow the corrected algebra.
    Classifier: per class Cast(Equal(labels, c)) x weights -> ReduceSum(axes
    [1], keepdims 1), Concat, Div(ReduceSum) = probabilities, ArgMax(keepdims
    0) -> ArrayFeatureExtractor(classes) -> Cast(int64) -> Reshape(-1).
    Regressor: Cast(ArrayFeatureExtractor(float64 targets)) to float,
    Mul(weights), ReduceSum(axes [1], keepdims 0), the weights' ReduceSum
    Reshape'd to Shape(sum), Div, Reshape(-1, 1).
  * metric='cosine' (1.16, #1050): distances 1 - MatMul(X, T) / MatMul(
    Sqrt(ReduceSumSquare(X, axes [1])), Sqrt(ReduceSumSquare(T, axes [0])))
    with T = Transpose(training points) (a constant), no Scan.
"""
import numpy as np
from onnx import TensorProto
from sklearn.datasets import load_wine, load_diabetes, load_iris
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

import skcommon
from skcommon import Builder, float_input, tinfo, classifier_tail, f32list, split, edge_rows, describe_edges, run_case
from gen_sk_neighbors import scan_body

ML = "ai.onnx.ml"
T = "target"
DEFAULT = "default target_opset 21 (ir_version 10)"


def distances(b, inp, model, F):
    pts = model._fit_X.astype(np.float32)
    if model.effective_metric_ == "cosine":
        tr = b.node("Transpose", b.init("Tr_Transposecst", pts), b.var("Tr_transposed0"), perm=[1, 0], version=T)
        scal = b.node("MatMul", [inp, tr], b.var("Ma_Y0"), version=T)
        a1 = b.init("Re_ReduceSumSquarecst", np.array([1], dtype=np.int64))
        na = b.node("Sqrt", b.node("ReduceSumSquare", [inp, a1], b.var("Re_reduced0"), keepdims=1, version=T),
                    b.var("Sq_Y0"), version=T)
        a0 = b.init("Re_ReduceSumSquarecst", np.array([0], dtype=np.int64))
        nb = b.node("Sqrt", b.node("ReduceSumSquare", [tr, a0], b.var("Re_reduced0"), keepdims=1, version=T),
                    b.var("Sq_Y0"), version=T)
        den = b.node("MatMul", [na, nb], b.var("Ma_Y0"), version=T)
        div = b.node("Div", [scal, den], b.var("Di_C0"), version=T)
        return b.node("Sub", [b.init("Su_Subcst", np.array([1], dtype=np.float32)), div], b.var("Su_C0"), version=T)
    ptsn = b.init("Sc_Scancst", pts)
    _, sc1 = b.node("Scan", [inp, ptsn], [b.var("UU002UU"), b.var("UU003UU")], num_scan_inputs=1,
                    body=scan_body(F, b.target), version=T, name="Sc_Scan")
    tr = b.node("Transpose", sc1, b.var("Tr_transposed0"), perm=[1, 0], version=T)
    return b.node("Sqrt", tr, b.var("Sq_Y0"), version=T)


def neighbours(b, inp, model, F, labels):
    d = distances(b, inp, model, F)
    k = b.init("To_TopKcst", np.array([model.n_neighbors], dtype=np.int64))
    vals, idx = b.node("TopK", [d, k], [b.var("To_Values0"), b.var("To_Indices1")], largest=0, sorted=1,
                       version=11)
    wei = None
    if model.weights == "distance":
        neg = b.node("Mul", [vals, b.init("Mu_Mulcst", np.array([-1], dtype=np.float32))], b.var("Mu_C0"),
                     version=T)
        mx = b.node("Max", [neg, b.init("Ma_Maxcst", np.array([1e-6], dtype=np.float32))], b.var("Ma_max0"),
                    version=T)
        wei = b.node("Reciprocal", mx, b.var("wei_Y0"), version=T)
    fl = b.node("Flatten", idx, b.var("knny_output0"), version=T)
    lab = b.init("knny_ArrayFeatureExtractorcst", labels)
    ex = b.node("ArrayFeatureExtractor", [lab, fl], b.var("knny_Z0"), domain=ML, version=1)
    rs = b.init("knny_Reshapecst", np.array([-1, model.n_neighbors], dtype=np.int64))
    return b.node("Reshape", [ex, rs], b.var("knny_reshaped0"), version=T), wei


def clf_case(name, model, X, y, seed, what):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(21)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = b.node("Scaler", "X", b.var("variable"), domain=ML, version=1, offset=f32list(sc.mean_),
               scale=f32list(1.0 / sc.scale_))
    labels = np.searchsorted(model.classes_, model.classes_[model._y]).astype(np.int64)
    rl, wei = neighbours(b, v, model, X.shape[1], labels)
    ax = b.init("bprob_ReduceSumcst", np.array([1], dtype=np.int64))
    conc = []
    for c in range(len(model.classes_)):
        eq = b.node("Equal", [rl, b.init("bprob_Equalcst", np.array([c], dtype=np.int64))], b.var("bprob_C0"),
                    version=T)
        m = b.node("Cast", eq, b.var("bprob_output0"), to=TensorProto.FLOAT, version=T)
        if wei is not None:
            m = b.node("Mul", [m, wei], b.var("bprob_C01"), version=T)
        conc.append(b.node("ReduceSum", [m, ax], b.var("bprob_reduced0"), keepdims=1, version=T))
    allt = b.node("Concat", conc, b.var("bprob_concat_result0"), axis=1, version=T)
    am = b.node("ArgMax", allt, b.var("blab_reduced0"), axis=1, keepdims=0, version=T)
    cls = b.init("blab_ArrayFeatureExtractorcst", model.classes_.astype(np.int64))
    lab = b.node("ArrayFeatureExtractor", [cls, am], b.var("blab_Z0"), domain=ML, version=1)
    lc = b.node("Cast", lab, b.var("blab_output0"), to=TensorProto.INT64, version=T)
    b.node("Reshape", [lc, b.init("blab_Reshapecst", np.array([-1], dtype=np.int64))], "label", version=T)
    s = b.node("ReduceSum", [allt, ax], b.var("bprob_reduced04"), keepdims=1, version=T)
    b.node("Div", [allt, s], "probabilities", version=T)
    outs = classifier_tail(b, "label", "probabilities", model.classes_)
    m = b.model([float_input(X.shape[1])], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = model.predict_proba(Z)
    desc = f"{what}. {DEFAULT}. {describe_edges(min(50, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"label": model.predict(Z), "probabilities": proba}, desc,
                    label_out="output_label", score_out="output_probability", score_key="probabilities",
                    tie_scores=proba)


def reg_case(name, model, X, y, seed, what):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    b = Builder(21)
    b.reserve("variable")
    v = b.node("Scaler", "X", b.var("variable"), domain=ML, version=1, offset=f32list(sc.mean_),
               scale=f32list(1.0 / sc.scale_))
    rl, wei = neighbours(b, v, model, X.shape[1], model._y.astype(np.float64))
    rc = b.node("Cast", rl, b.var("Ca_output0"), to=TensorProto.FLOAT, version=T)
    ax = b.init("Re_ReduceSumcst", np.array([1], dtype=np.int64))
    w = b.node("Mul", [rc, wei], b.var("Mu_C0"), version=T)
    res = b.node("ReduceSum", [w, ax], b.var("final_reduced0"), keepdims=0, version=T)
    norm = b.node("ReduceSum", [wei, ax], b.var("norm_reduced0"), keepdims=0, version=T)
    shp = b.node("Shape", res, b.var("Sh_shape0"), version=T)
    normr = b.node("Reshape", [norm, shp], b.var("normr_reshaped0"), version=T)
    dv = b.node("Div", [res, normr], b.var("Di_C0"), version=T)
    b.node("Reshape", [dv, b.init("Re_Reshapecst", np.array([-1, 1], dtype=np.int64))], "variable", version=T)
    m = b.model([float_input(X.shape[1])], [tinfo("variable", TensorProto.FLOAT, [None, 1])], name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    desc = f"{what}. {DEFAULT}. {describe_edges(min(50, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"prediction": model.predict(Z).reshape(-1, 1)}, desc,
                    score_out="variable", score_key="prediction")


def main():
    skcommon.Builder.producer_version = "1.19.1"
    wine = load_wine()
    clf_case("sk4_knn_clf_distance", KNeighborsClassifier(n_neighbors=5, weights="distance"), wine.data,
             wine.target, 951,
             "Pipeline(StandardScaler, KNeighborsClassifier(5, weights='distance')) 3 classes as skl2onnx writes it: "
             "Scan distances, TopK, Mul(values, -1) -> Max(., 1e-6) -> Reciprocal: every weight is 1e6, so the "
             "probabilities are the uniform vote fractions where scikit-learn weights by 1/d (label and probability "
             "mismatch rows; onnxruntime is the reference). Data: wine (seed 951)")
    diab = load_diabetes()
    reg_case("sk4_knn_reg_distance", KNeighborsRegressor(n_neighbors=4, weights="distance"), diab.data,
             diab.target, 952,
             "Pipeline(StandardScaler, KNeighborsRegressor(4, weights='distance')) as skl2onnx writes it: "
             "Mul(TopK values, -1) -> Max(., 1e-6) -> Reciprocal (all 1e6), Cast of the float64 targets, "
             "Mul, ReduceSum / Reshape(ReduceSum(weights), Shape) -> the plain mean of the 4 neighbours' targets, "
             "where scikit-learn weights by 1/d (outlier rows; onnxruntime is the reference). Data: diabetes "
             "(seed 952)")
    iris = load_iris()
    clf_case("sk4_knn_clf_cosine", KNeighborsClassifier(n_neighbors=5, metric="cosine"), iris.data, iris.target,
             953,
             "Pipeline(StandardScaler, KNeighborsClassifier(5, metric='cosine')) 3 classes (cosine distance, "
             "skl2onnx >= 1.16): 1 - MatMul(X, Transpose(T)) / MatMul(Sqrt(ReduceSumSquare(X, axes [1])), "
             "Sqrt(ReduceSumSquare(Transpose(T), axes [0]))), TopK, uniform vote. Data: iris (seed 953)")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
