"""gen_sk3_options writes sk3_opt_* cases: converter options, target opsets
and input forms skl2onnx (1.14 and later) users choose.

  * zipmap=False on more classifier families: the ZipMap and the label
    Cast / Identity it comes with are not written, so the graph outputs are
    the converter's own 'label' and 'probabilities'. These cases are derived
    from earlier sk_* cases (same fitted models, same requests, same
    scikit-learn results) by dropping those two nodes; the default-domain
    import is recomputed (the target opset when no default-domain node is
    left, as skl2onnx imports it anyway).
  * output_class_labels=True (with zipmap=False) on tree classifiers: a third
    output 'class_labels' = Identity(int64 initializer), or for string
    classes LabelEncoder v2 (keys_int64s -> values_strings) on a constant ->
    Identity.
  * decision_path / decision_leaf (decision_tree.py, random_forest.py):
    DecisionTreeClassifier decision_path -> a TreeEnsembleRegressor whose
    leaf weights are the leaf node ids -> LabelEncoder v2 (keys_floats ->
    values_strings: the path as a '0'/'1' string per node) -> Reshape(-1, 1);
    RandomForestClassifier decision_leaf -> per tree a TreeEnsembleRegressor
    of leaf ids -> Cast(int64), Concat(axis 1).
  * Old and new target opsets, where schemas differ: KNeighborsClassifier at
    opset 9 (TopK-1 with k as an attribute on Mul(distances, -1), Scan-9,
    ReduceSum-1 with axes attributes, ArgMax-1) and 10 (TopK-10, k an input);
    GaussianNB at opset 11 (ReduceSum / ReduceLogSumExp axes attributes,
    Pow-7); MinMaxScaler(clip=True) at opset 10 (Clip-6, min/max attributes);
    opsets 19 and 20 (Identity-19, Cast-19, ir_version 9).
  * sklearn LabelEncoder on int64 labels: LabelEncoder v2 keys_int64s ->
    values_int64s.
  * One input per column (DataFrame): ColumnTransformer(PolynomialFeatures(2)
    on the two float columns (Concat, ArrayFeatureExtractor, ReduceProd),
    OneHotEncoder on two string columns and one int64 column (Cast(int64),
    OneHotEncoder per input, Concat(axis 2), Reshape)) ->
    GradientBoostingClassifier with string labels, zipmap=False.
"""
import json
import os
import re

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_iris, load_wine, load_breast_cancer
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler, PolynomialFeatures, OneHotEncoder, LabelEncoder
from sklearn.tree import DecisionTreeClassifier
from sklearn.linear_model import LogisticRegression

from skcommon import (Builder, float_input, tinfo, labels_attr, f32list, split, edge_rows, describe_edges, run_case,
                      make_clf, schema_version, IR_FOR_OPSET, OUT)
import skparts
from gen_sk_trees import TreeAttrs
import gen_sk_trees
import gen_sk_linear2

ML = "ai.onnx.ml"


# ---------------------------------------------------------------- zipmap=False derived from earlier cases
def strip_zipmap(src, name, extra_desc):
    """strip_zipmap rebuilds an earlier case without its ZipMap (and the
    label Cast / Identity), with the same request and scikit-learn block."""
    base = os.path.join(OUT, src)
    m = onnx.load(base + ".onnx")
    exp = json.load(open(base + ".expected.json"))
    req = json.load(open(base + ".request.json"))
    g = m.graph
    zm = [n for n in g.node if n.op_type == "ZipMap"][0]
    lab_node = [n for n in g.node if "output_label" in n.output][0]
    proba, label = zm.input[0], lab_node.input[0]
    kind = [a for a in zm.attribute if a.name.startswith("classlabels")][0]
    strings = kind.name.endswith("strings")
    K = len(kind.strings) if strings else len(kind.ints)
    keep = [n for n in g.node if n is not zm and n is not lab_node]
    del g.node[:]
    g.node.extend(keep)
    del g.output[:]
    g.output.extend([tinfo(label, TensorProto.STRING if strings else TensorProto.INT64, [None]),
                     tinfo(proba, TensorProto.FLOAT, [None, K])])
    g.name = name
    target = int(re.search(r"target_opset (\d+)", exp["description"]).group(1))
    if not any(n.domain in ("", "ai.onnx") for n in keep):
        for o in m.opset_import:
            if o.domain == "":
                o.version = target
    feeds = {}
    for inp in req["inputs"]:
        el = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64}.get(inp["datatype"])
        arr = np.array([np.nan if v is None else v for v in inp["data"]], dtype=el) if el else \
            np.array(inp["data"], dtype=object)
        feeds[inp["name"]] = arr.reshape(inp["shape"])
    sk = {k: np.asarray(v) for k, v in exp["sklearn"].items()}
    key = "probabilities" if "probabilities" in sk else [k for k in sk if k != "label"][0]
    desc = exp["description"].split(" Edge rows")[0] + f". {extra_desc} (zipmap=False: no ZipMap, no label " \
        f"Cast/Identity; outputs '{label}' and '{proba}'). Requests and scikit-learn results as in {src}."
    return run_case(name, m, feeds, sk, desc, label_out=label, score_out=proba, score_key=key)


# ---------------------------------------------------------------- output_class_labels / decision_path / leaf
def class_labels_out(b, classes):
    kind, _ = labels_attr(classes)
    if kind == "ints":
        c = b.init("class_labels_cst", np.asarray(classes, dtype=np.int64))
        b.node("Identity", c, "class_labels")
        return tinfo("class_labels", TensorProto.INT64, [len(classes)])
    c = b.init("class_labels_cst", np.arange(len(classes), dtype=np.int64))
    le = b.node("LabelEncoder", c, b.var("class_labels_le"), domain=ML, version=2, default_string="0",
                keys_int64s=list(range(len(classes))), values_strings=[str(x) for x in classes], name="class_labels_le")
    b.node("Identity", le, "class_labels")
    return tinfo("class_labels", TensorProto.STRING, [len(classes)])


def _paths(tree):
    """_paths returns leaf index -> '0'/'1' string of the nodes on its path
    (decision_tree.py's _build_labels_path)."""
    out = {}

    def rec(i, cur):
        cur = cur | {i}
        if tree.children_left[i] == -1:
            out[i] = "".join("1" if j in cur else "0" for j in range(tree.node_count))
        else:
            rec(tree.children_left[i], cur)
            rec(tree.children_right[i], cur)
    rec(0, frozenset())
    return out


def leaf_regressor_attrs(tree, counts):
    """leaf_regressor_attrs: _append_decision_output's regressor, made from
    the classifier attributes of the tree: one target weight (the leaf's
    node id, target id 0) per class weight, so a leaf with K > 2 class
    weights sums K x its id."""
    ta = TreeAttrs(True)
    ta.add_tree(tree, 0, 1.0, 0, counts)
    a = ta.attrs()
    a["target_ids"] = [0 for _ in a["class_ids"]]
    a["target_weights"] = [float(v) for v in a["class_nodeids"]]
    a["target_nodeids"] = a["class_nodeids"]
    a["target_treeids"] = a["class_treeids"]
    for k in [k for k in a if k.startswith("class")]:
        del a[k]
    a.update(n_targets=1, post_transform="NONE")
    return a


def tree_options_case(name, model, X, y, seed, what, option, target=15, str_labels=None):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    if str_labels is not None:
        ytr = np.array(str_labels)[ytr]
    model.fit(Xtr, ytr)
    b = Builder(target, ml_target=2 if option in ("decision_path", "class_labels_str") else 1)
    b.reserve("label", "probabilities", "class_labels", "decision_path", "decision_leaf")
    ta = skparts.tree_classifier(b, "X", model, "label", "probabilities")
    kind, _ = labels_attr(model.classes_)
    outs = [tinfo("label", TensorProto.STRING if kind == "strings" else TensorProto.INT64, [None]),
            tinfo("probabilities", TensorProto.FLOAT, [None, len(model.classes_)])]
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    Z = Xreq.astype(np.float64)
    proba = model.predict_proba(Z)
    sk = {"label": model.predict(Z), "probabilities": proba}
    if option.startswith("class_labels"):
        outs.append(class_labels_out(b, model.classes_))
    elif option == "decision_path":
        tree = model.tree_
        dp = b.node("TreeEnsembleRegressor", "X", b.var("dpath"), domain=ML, version=1, name="TreeEnsembleRegressor",
                    **leaf_regressor_attrs(tree, True))
        paths = _paths(tree)
        keys = sorted(paths)
        sp = b.node("LabelEncoder", dp, b.var("spath"), domain=ML, version=2, default_string="0",
                    keys_floats=[float(k) for k in keys], values_strings=[paths[k] for k in keys], name="TreePath")
        b.node("Reshape", [sp, b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))], "decision_path", version=5,
               name="TreePathShape")
        outs.append(tinfo("decision_path", TensorProto.STRING, [None, 1]))
        dpm = model.decision_path(Z).toarray()
        sk["decision_path"] = np.array(["".join(str(int(v)) for v in row) for row in dpm]).reshape(-1, 1)
    elif option == "decision_leaf":
        leaves = []
        for i, est in enumerate(model.estimators_):
            dp = b.node("TreeEnsembleRegressor", "X", b.var("dpath"), domain=ML, version=1,
                        name=f"TreeEnsembleClassifier_{i}", **leaf_regressor_attrs(est.tree_, False))
            leaves.append(b.node("Cast", dp, b.var("dpatho"), to=TensorProto.INT64, version=9, name="TreePathType"))
        b.node("Concat", leaves, "decision_leaf", axis=1, version=11, name="concat")
        outs.append(tinfo("decision_leaf", TensorProto.INT64, [None, len(leaves)]))
        sk["decision_leaf"] = model.apply(Z)
    skparts.finalize(b, outs)
    m = b.model([float_input(X.shape[1])], outs, name)
    desc = f"{what}. target_opset {target}. {describe_edges(min(50, len(Xte)), ew)}"
    exp = run_case(name, m, {"X": Xreq}, sk, desc, label_out="label", score_out="probabilities",
                   score_key="probabilities", tie_scores=proba,
                   extra={"float32_threshold_rounding_rows": gen_sk_trees.rounding_rows(ta.splits, Xreq)})[0]
    extra_out = {"decision_path": "decision_path", "decision_leaf": "decision_leaf"}.get(option)
    if extra_out:
        got = {o["name"]: o for o in exp["outputs"]}[extra_out]["data"]
        want = np.asarray(exp["sklearn"][extra_out]).reshape(-1).tolist()
        bad = [i for i, (g, w) in enumerate(zip(got, want)) if str(g) != str(w)]
        exp["tolerance"][f"ort_vs_sklearn_{extra_out}_mismatch_values"] = bad
        with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
            json.dump(exp, f)
        print(f"{name}: {extra_out} values differing from scikit-learn: {bad}")
    return exp


# ---------------------------------------------------------------- old opsets
def knn_old_case(name, model, X, y, seed, what, target):
    """KNeighborsClassifier (uniform) at opset 9 / 10."""
    Xtr, Xte, ytr, yte = split(X, y, seed)
    sc = StandardScaler().fit(Xtr)
    model.fit(sc.transform(Xtr), ytr)
    F = X.shape[1]
    b = Builder(target)
    b.reserve("label", "probabilities", "output_label", "output_probability", "variable")
    v = skparts.scaler(b, "X", sc)
    body = helper.make_graph(
        [helper.make_node("Identity", ["next_in"], ["next_out"], name="cdistd_2_Identity"),
         helper.make_node("Sub", ["next_in", "next"], ["cdistdf_2_C0"], name="cdistdf_2_Sub"),
         helper.make_node("ReduceSumSquare", ["cdistdf_2_C0"], ["cdistdf_2_reduced0"], axes=[1], keepdims=0,
                          name="cdistdf_2_ReduceSumSquare"),
         helper.make_node("Identity", ["cdistdf_2_reduced0"], ["scan_out"], name="cdistdf_2_Identity")],
        "OnnxIdentity", [tinfo("next_in", TensorProto.FLOAT, [None, F]), tinfo("next", TensorProto.FLOAT, [None])],
        [tinfo("next_out", TensorProto.FLOAT, [None, None]), tinfo("scan_out", TensorProto.FLOAT, [None])])
    pts = b.init("Sc_Scancst", model._fit_X.astype(np.float32))
    _, s1 = b.node("Scan", [v, pts], [b.var("UU002UU"), b.var("UU003UU")], num_scan_inputs=1, body=body,
                   version="target", name="Sc_Scan")
    tr = b.node("Transpose", s1, b.var("Tr_transposed0"), perm=[1, 0], name="Tr_Transpose", version="target")
    sq = b.node("Sqrt", tr, b.var("Sq_Y0"), name="Sq_Sqrt", version="target")
    neg = b.node("Mul", [sq, b.init("Mu_Mulcst", np.array([-1], dtype=np.float32))], b.var("Mu_C0"), name="Mu_Mul",
                 version="target")
    k = model.n_neighbors
    if target < 10:
        _, idx = b.node("TopK", neg, [b.var("To_Values0"), b.var("To_Indices1")], k=k, name="To_TopK", version=1)
    else:
        _, idx = b.node("TopK", [neg, b.init("To_TopKcst", np.array([k], dtype=np.int64))],
                        [b.var("To_Values0"), b.var("To_Indices1")], name="To_TopK", version=10)
    fl = b.node("Flatten", idx, b.var("knny_output0"), name="knny_Flatten", version="target")
    labels = np.searchsorted(model.classes_, model.classes_[model._y]).astype(np.int64)
    ex = b.node("ArrayFeatureExtractor", [b.init("knny_ArrayFeatureExtractorcst", labels), fl], b.var("knny_Z0"),
                domain=ML, version=1, name="knny_ArrayFeatureExtractor")
    rl = b.node("Reshape", [ex, b.init("knny_Reshapecst", np.array([-1, k], dtype=np.int64))], b.var("knny_reshaped0"),
                name="knny_Reshape", version="target")
    conc = []
    for c in range(len(model.classes_)):
        eq = b.node("Equal", [rl, b.init("bprob_Equalcst", np.array([c], dtype=np.int64))], b.var("bprob_C0"),
                    name="bprob_Equal", version="target")
        mm = b.node("Cast", eq, b.var("bprob_output0"), to=TensorProto.FLOAT, name="bprob_Cast", version="target")
        conc.append(b.node("ReduceSum", mm, b.var("bprob_reduced0"), axes=[1], keepdims=1, name="bprob_ReduceSum",
                           version="target"))
    allt = b.node("Concat", conc, b.var("bprob_concat_result0"), axis=1, name="bprob_Concat", version="target")
    am = b.node("ArgMax", allt, b.var("blab_reduced0"), axis=1, keepdims=0, name="blab_ArgMax", version="target")
    lab = b.node("ArrayFeatureExtractor", [b.init("blab_ArrayFeatureExtractorcst", model.classes_.astype(np.int64)),
                                           am], b.var("blab_Z0"), domain=ML, version=1, name="blab_ArrayFeatureExtractor")
    lc = b.node("Cast", lab, b.var("blab_output0"), to=TensorProto.INT64, name="blab_Cast", version="target")
    b.node("Reshape", [lc, b.init("blab_Reshapecst", np.array([-1], dtype=np.int64))], "label", name="blab_Reshape",
           version="target")
    s = b.node("ReduceSum", allt, b.var("bprob_reduced04"), axes=[1], keepdims=1, name="bprob_ReduceSum",
               version="target")
    b.node("Div", [allt, s], "probabilities", name="bprob_Div", version="target")
    outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("probabilities", TensorProto.FLOAT,
                                                               [None, len(model.classes_)])]
    m = b.model([float_input(F)], outs, name)
    edges, ew = edge_rows(Xtr)
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    Z = sc.transform(Xreq.astype(np.float64))
    proba = model.predict_proba(Z)
    desc = f"{what}. target_opset {target}. {describe_edges(min(50, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"label": model.predict(Z), "probabilities": proba}, desc,
                    label_out="label", score_out="probabilities", score_key="probabilities", tie_scores=proba)


def gnb_old_case(name, nb, X, y, seed, what, target=11):
    Xtr, Xte, ytr, yte = split(X, y, seed)
    nb.fit(Xtr, ytr)
    F32 = np.float32
    F = X.shape[1]
    b = Builder(target)
    b.reserve("label", "probabilities")
    theta = b.init("theta", nb.theta_.reshape(1, -1, F).astype(F32))
    sigma = b.init("sigma", nb.var_.reshape(1, -1, F).astype(F32))
    jointi = b.init("jointi", np.log(nb.class_prior_).reshape(1, -1).astype(F32))
    ssl = b.init("sigma_sum_log", (-0.5 * np.sum(np.log(2.0 * np.pi * nb.var_), axis=1)).reshape(1, -1).astype(F32))
    expo = b.init("exponent", F32(2))
    half = b.init("prod_operand", F32(0.5))
    r = b.node("Reshape", ["X", b.init("shape_tensor", np.array([-1, 1, F], dtype=np.int64))], b.var("reshaped_input"),
               version=5)
    s = b.node("Sub", [r, theta], b.var("subtracted_input"), version=7)
    p = b.node("Pow", [s, expo], b.var("pow_result"), version=schema_version("", "Pow", target))
    d = b.node("Div", [p, sigma], b.var("div_result"), version=7)
    rs = b.node("ReduceSum", d, b.var("reduced_sum"), axes=[2], keepdims=0, version=schema_version("", "ReduceSum",
                                                                                                   target))
    mu = b.node("Mul", [rs, half], b.var("mul_result"), version=7)
    pl = b.node("Sub", [ssl, mu], b.var("part_log_likelihood"), version=7)
    jll = b.node("Add", [jointi, pl], b.var("sum_result"), version=7)
    am = b.node("ArgMax", jll, b.var("argmax_output"), axis=1)
    lse = b.node("ReduceLogSumExp", jll, b.var("reduce_log_sum_exp_result"), axes=[1], keepdims=0)
    rl = b.node("Reshape", [lse, b.init("shape_tensor", np.array([-1, 1], dtype=np.int64))],
                b.var("reshaped_log_prob"), version=5)
    lp = b.node("Sub", [jll, rl], b.var("log_prob"), version=7)
    b.node("Exp", lp, "probabilities", version=6)
    cls = b.init("classes", nb.classes_.astype(np.int32))
    afe = b.node("ArrayFeatureExtractor", [cls, am], b.var("array_feature_extractor_result"), domain=ML, version=1)
    c2 = b.node("Cast", afe, b.var("cast2_result"), to=TensorProto.FLOAT, version=9)
    rr = b.node("Reshape", [c2, b.init("shape_tensor", np.array([-1], dtype=np.int64))], b.var("reshaped_result"),
                version=5)
    b.node("Cast", rr, "label", to=TensorProto.INT64, version=9)
    outs = [tinfo("label", TensorProto.INT64, [None]), tinfo("probabilities", TensorProto.FLOAT,
                                                               [None, len(nb.classes_)])]
    m = b.model([float_input(F)], outs, name)
    edges, ew = edge_rows(Xtr, kinds=("zeros", "tiny", "max", "min"))
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    Z = Xreq.astype(np.float64)
    proba = nb.predict_proba(Z)
    desc = f"{what}. target_opset {target}. {describe_edges(min(50, len(Xte)), ew)}"
    return run_case(name, m, {"X": Xreq}, {"label": nb.predict(Z), "probabilities": proba}, desc,
                    label_out="label", score_out="probabilities", score_key="probabilities", tie_scores=proba)


def minmax_clip_old_case(name, seed, what, target=10):
    wine = load_wine()
    Xtr, Xte, _, _ = split(wine.data, wine.target, seed)
    tr = MinMaxScaler(feature_range=(-1, 2), clip=True).fit(Xtr)
    b = Builder(target)
    c = b.node("Cast", "X", b.var("Ca_output0"), to=TensorProto.FLOAT, name="Ca_Cast", version="target")
    m = b.node("Mul", [c, b.init("Mu_Mulcst", tr.scale_.astype(np.float32))], b.var("Mu_C0"), name="Mu_Mul",
               version="target")
    a = b.node("Add", [m, b.init("Ad_Addcst", tr.min_.astype(np.float32))], b.var("Ad_C0"), name="Ad_Add",
               version="target")
    b.node("Clip", a, "variable", min=-1.0, max=2.0, name="Cl_Clip", version="target")
    edges, ew = edge_rows(Xtr, kinds=("zeros", "big", "max", "min", "neg"))
    Xreq = np.vstack([Xte[:50], edges]).astype(np.float32)
    outs = [tinfo("variable", TensorProto.FLOAT, [None, 13])]
    mm = b.model([float_input(13)], outs, name)
    desc = f"{what}. target_opset {target}. {describe_edges(50, ew)}"
    return run_case(name, mm, {"X": Xreq}, {"transform": tr.transform(Xreq.astype(np.float64))}, desc,
                    score_out="variable", score_key="transform")


def int_label_encoder_case(name, seed, what, target=15):
    rng = np.random.RandomState(seed)
    codes = np.array([3, 17, 42, 105, 7, 2024])
    le = LabelEncoder().fit(codes[rng.randint(0, 6, 60)])
    b = Builder(target, ml_target=2)
    b.node("LabelEncoder", "X", "variable", domain=ML, version=2, keys_int64s=[int(c) for c in le.classes_],
           values_int64s=list(range(len(le.classes_))))
    m = b.model([tinfo("X", TensorProto.INT64, [None])], [tinfo("variable", TensorProto.INT64, [None])], name)
    X = np.concatenate([codes[rng.randint(0, 6, 20)], [99, -1, 0]]).astype(np.int64)
    want = np.array([le.transform([v])[0] if v in le.classes_ else -1 for v in X])
    return run_case(name, m, {"X": X}, {"label": want}, f"{what}. target_opset {target}. The last 3 values are "
                    "unseen (99, -1, 0): default_int64 -1 (scikit-learn raises on them; 'sklearn' holds -1)",
                    label_out="variable")


# ---------------------------------------------------------------- DataFrame with poly + one-hot
def frame(seed, n=300):
    rng = np.random.RandomState(seed)
    age = rng.uniform(18, 80, n)
    income = rng.lognormal(10.5, 0.5, n)
    rooms = rng.randint(1, 7, n)
    city = np.array(["paris", "lyon", "nice", "lille", "brest"])[rng.choice(5, n, p=[0.35, 0.25, 0.2, 0.12, 0.08])]
    plan = np.array(["basic", "plus", "premium"])[rng.choice(3, n, p=[0.5, 0.35, 0.15])]
    z = 0.04 * (age - 45) - 0.00002 * (income - 40000) + 0.3 * (rooms > 4) + 0.8 * (plan == "premium") \
        - 0.5 * (city == "nice") + rng.normal(0, 0.7, n)
    y = np.where(z > 0, "churn", "stay")
    return age, income, rooms, city, plan, y


def coltrans_poly_case(name, seed, what, target=15):
    age, income, rooms, city, plan, y = frame(seed)
    import pandas as pd
    df = pd.DataFrame({"age": age, "income": income, "rooms": rooms, "city": city, "plan": plan})
    idx = np.random.RandomState(seed).permutation(len(df))
    tr, te = idx[120:], idx[:120]
    ct = ColumnTransformer([("poly", PolynomialFeatures(2, include_bias=False), ["age", "income"]),
                            ("ohe", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                             ["city", "plan", "rooms"])])
    pipe = Pipeline([("ct", ct), ("gb", GradientBoostingClassifier(n_estimators=15, max_depth=2, random_state=0))])
    pipe.fit(df.iloc[tr], y[tr])
    poly = pipe.named_steps["ct"].named_transformers_["poly"]
    ohe = pipe.named_steps["ct"].named_transformers_["ohe"]
    gb = pipe.named_steps["gb"]
    b = Builder(target)
    b.reserve("label", "probabilities", "variable")
    rc = b.node("Cast", "rooms", b.var("roomscast"), to=TensorProto.INT64, version=9)
    merged = b.node("Concat", ["age", "income"], b.var("merged_columns"), axis=1, version=11)
    cols = []
    for p in poly.powers_:
        idx_ = [i for i, k in enumerate(p) for _ in range(k)]
        col = b.node("ArrayFeatureExtractor", [merged, b.init("comb", np.array(idx_, dtype=np.int64))], b.var("col"),
                     domain=ML, version=1)
        cols.append(b.node("ReduceProd", col, b.var("prod"), axes=[1], version="target"))
    pv = b.node("Concat", cols, b.var("variable"), axis=1, version="target")
    outs = []
    for inp, cats in zip(["city", "plan", rc], ohe.categories_):
        if cats.dtype.kind in "OUS":
            outs.append(b.node("OneHotEncoder", inp, b.var(inp + "out"), domain=ML, version=1,
                               cats_strings=[str(c) for c in cats], zeros=1))
        else:
            outs.append(b.node("OneHotEncoder", inp, b.var("roomsout"), domain=ML, version=1,
                               cats_int64s=[int(c) for c in cats], zeros=1))
    cr = b.node("Concat", outs, b.var("concat_result"), axis=2, version=11)
    ncat = sum(len(c) for c in ohe.categories_)
    ov = b.node("Reshape", [cr, b.init("shape_tensor", np.array([-1, ncat], dtype=np.int64))], b.var("variable"),
                version=5)
    tc = b.node("Concat", [pv, ov], b.var("transformed_column"), axis=1, version=11)
    ta = TreeAttrs(True)
    for i in range(gb.n_estimators_):
        ta.add_tree(gb.estimators_[i][0].tree_, i, gb.learning_rate, 0, False)
    attrs = ta.attrs()
    attrs.update(classlabels_strings=[str(c) for c in gb.classes_], post_transform="LOGISTIC")
    attrs["base_values"] = f32list(gb._raw_predict_init(np.zeros((1, gb.n_features_in_))).ravel())
    b.node("TreeEnsembleClassifier", tc, ["label", "probabilities"], domain=ML, version=1, **attrs)
    gouts = [tinfo("label", TensorProto.STRING, [None]), tinfo("probabilities", TensorProto.FLOAT, [None, 2])]
    skparts.finalize(b, gouts)
    m = b.model([tinfo("age", TensorProto.FLOAT, [None, 1]), tinfo("income", TensorProto.FLOAT, [None, 1]),
                 tinfo("rooms", TensorProto.INT64, [None, 1]), tinfo("city", TensorProto.STRING, [None, 1]),
                 tinfo("plan", TensorProto.STRING, [None, 1])], gouts, name)
    req = df.iloc[te[:50]].copy()
    extra = pd.DataFrame({"age": [0.0, 18.0, 120.0, 45.0], "income": [0.0, 1e7, 5000.0, 40000.0],
                          "rooms": [0, 6, 9, 3], "city": ["berlin", "paris", "", "nice"],
                          "plan": ["gold", "premium", "basic", ""]})
    req = pd.concat([req, extra], ignore_index=True)
    req["age"] = req["age"].astype(np.float32).astype(np.float64)
    req["income"] = req["income"].astype(np.float32).astype(np.float64)
    proba = pipe.predict_proba(req)
    feeds = {"age": req["age"].values.astype(np.float32).reshape(-1, 1),
             "income": req["income"].values.astype(np.float32).reshape(-1, 1),
             "rooms": req["rooms"].values.astype(np.int64).reshape(-1, 1),
             "city": req["city"].values.astype(object).reshape(-1, 1),
             "plan": req["plan"].values.astype(object).reshape(-1, 1)}
    desc = (f"{what}. target_opset {target}. The last 4 rows: zeros with unseen city 'berlin' and plan 'gold'; "
            "training extremes; out-of-range age / rooms 9 with empty city; an empty plan")
    return run_case(name, m, feeds, {"label": pipe.predict(req), "probabilities": proba}, desc, label_out="label",
                    score_out="probabilities", score_key="probabilities", tie_scores=proba,
                    extra={"float32_threshold_rounding_rows": []})


def main():
    for src, name, extra in [
        ("sk_tree_hgb_binary_nan", "sk3_opt_nozipmap_hgb_binary_nan", "zipmap=False"),
        ("sk_svm_svc_rbf_multi_proba_str", "sk3_opt_nozipmap_svc_proba_str", "zipmap=False"),
        ("sk_mlp_clf_relu_binary", "sk3_opt_nozipmap_mlp_binary", "zipmap=False"),
        ("sk_nb_gaussian_binary", "sk3_opt_nozipmap_gaussiannb_binary", "zipmap=False"),
        ("sk_knn_clf_uniform_k3_multi", "sk3_opt_nozipmap_knn_multi", "zipmap=False"),
        ("sk_lin2_calibrated_sigmoid_linearsvc_multi", "sk3_opt_nozipmap_calibrated_multi", "zipmap=False"),
        ("sk_ens_adaboost_samme_multi_str", "sk3_opt_nozipmap_adaboost_samme_str", "zipmap=False"),
        ("sk_tree_gbc_multi_init_zero", "sk3_opt_nozipmap_gbc_multi", "zipmap=False"),
    ]:
        strip_zipmap(src, name, extra)
    iris = load_iris()
    wine = load_wine()
    bc = load_breast_cancer()
    tree_options_case("sk3_opt_rf_output_class_labels_str", RandomForestClassifier(n_estimators=5, max_depth=4,
                                                                                   random_state=0),
                      iris.data, iris.target, 3601, "RandomForestClassifier(5 trees) 3 classes, string labels, "
                      "zipmap=False, output_class_labels=True: class_labels = Identity(LabelEncoder v2 keys_int64s -> "
                      "values_strings on a constant). Data: iris_str (seed 3601)", "class_labels_str",
                      str_labels=["setosa", "versicolor", "virginica"])
    tree_options_case("sk3_opt_dt_output_class_labels_int_opset18",
                      DecisionTreeClassifier(max_depth=4, random_state=1), wine.data, wine.target, 3602,
                      "DecisionTreeClassifier(max_depth=4) 3 classes, zipmap=False, output_class_labels=True: "
                      "class_labels = Identity(int64 initializer). Data: wine (seed 3602)", "class_labels_int",
                      target=18)
    tree_options_case("sk3_opt_dt_decision_path", DecisionTreeClassifier(max_depth=3, random_state=2), bc.data,
                      bc.target, 3603, "DecisionTreeClassifier(max_depth=3) binary, zipmap=False, decision_path=True: a "
                      "TreeEnsembleRegressor whose leaf weights are the leaf ids -> LabelEncoder v2 (keys_floats -> "
                      "values_strings: the 0/1 path of each leaf) -> Reshape(-1, 1); 'sklearn' holds decision_path() "
                      "as strings. Data: breast_cancer (seed 3603)", "decision_path")
    tree_options_case("sk3_opt_dt_decision_path_multi", DecisionTreeClassifier(max_depth=3, random_state=5),
                      iris.data, iris.target, 3613, "DecisionTreeClassifier(max_depth=3) 3 classes, zipmap=False, "
                      "decision_path=True: the leaf-id TreeEnsembleRegressor carries 3 weights per leaf (one per class "
                      "weight, all target 0, all the leaf id); onnxruntime (n_targets 1) uses the first, so the "
                      "LabelEncoder finds the leaf's path; a sum (3 x id) would miss the keys and give the default "
                      "'0'. 'sklearn' holds decision_path() as strings. Data: iris (seed 3613)", "decision_path")
    tree_options_case("sk3_opt_rf_decision_leaf", RandomForestClassifier(n_estimators=3, max_depth=4, random_state=3),
                      wine.data, wine.target, 3604, "RandomForestClassifier(3 trees) 3 classes, zipmap=False, "
                      "decision_leaf=True: per tree a TreeEnsembleRegressor of leaf ids -> Cast(int64), Concat(axis 1). "
                      "The regressor is made from the classifier attributes, so each leaf carries 3 target weights "
                      "(its id, target 0), one per class; onnxruntime's TreeEnsembleRegressor with n_targets 1 keeps "
                      "only the first weight of a leaf (value_or_unique_weight), which gives the leaf id as "
                      "scikit-learn's apply() ('sklearn') does; summing the weights would give 3 x the id. "
                      "Data: wine (seed 3604)", "decision_leaf", target=17)
    knn_old_case("sk3_opt_knn_opset9", KNeighborsClassifier(n_neighbors=4), wine.data, wine.target, 3605,
                 "Pipeline(StandardScaler, KNeighborsClassifier(4, uniform)) at opset 9: Scan-9, TopK-1 (k attribute) on "
                 "Mul(distances, -1), ReduceSum-1 / ReduceSumSquare-1 with axes attributes, ArgMax-1, zipmap=False. "
                 "Data: wine (seed 3605)", target=9)
    knn_old_case("sk3_opt_knn_opset10", KNeighborsClassifier(n_neighbors=5), iris.data, iris.target, 3606,
                 "Pipeline(StandardScaler, KNeighborsClassifier(5, uniform)) at opset 10: TopK-10 (k an input) on "
                 "Mul(distances, -1), zipmap=False. Data: iris (seed 3606)", target=10)
    gnb_old_case("sk3_opt_gaussiannb_opset11", GaussianNB(), wine.data, wine.target, 3607,
                 "GaussianNB 3 classes at opset 11: ReduceSum (axes attribute), ReduceLogSumExp-11, Pow-7, zipmap=False. "
                 "Data: wine (seed 3607)", target=11)
    minmax_clip_old_case("sk3_opt_minmax_clip_opset10", 3608,
                         "MinMaxScaler(feature_range=(-1, 2), clip=True) at opset 10: Cast, Mul, Add, Clip-6 with min "
                         "and max attributes. Data: wine (seed 3608)")
    Xl, yl = make_clf(3, 5, 3609)
    gen_sk_linear2.linclf_case("sk3_opt_logreg_str_opset20", LogisticRegression(max_iter=1000), Xl, yl, 3609,
                               "Pipeline(StandardScaler, LogisticRegression) 3 classes, string labels, at opset 20 "
                               "(Identity-19, ir_version 9). Data: clf3_5 (seed 3609)", target=20,
                               str_labels=["low", "mid", "high"])
    gen_sk_trees.clf_case("sk3_opt_dt_opset19", DecisionTreeClassifier(max_depth=4, random_state=4), bc.data,
                          bc.target, 3610, "DecisionTreeClassifier(max_depth=4) binary at opset 19 (Cast-19 on the "
                          "label, ir_version 9). Data: breast_cancer (seed 3610)", target=19)
    int_label_encoder_case("sk3_opt_labelencoder_int64", 3611,
                           "LabelEncoder on int64 codes: LabelEncoder v2 keys_int64s -> values_int64s, 1-D int64 input")
    coltrans_poly_case("sk3_opt_frame_poly_onehot_gbc", 3612,
                       "Pipeline(ColumnTransformer(PolynomialFeatures(2, no bias) on age and income, "
                       "OneHotEncoder(ignore) on city, plan and the int64 rooms), GradientBoostingClassifier(15, depth 2)) "
                       "binary with string labels, zipmap=False, one graph input per column (FP32, INT64, BYTES). Data: "
                       "synthetic customers frame (seed 3612)")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
