"""skcommon holds what the gen_sk_*.py generators share: a small graph
builder that names tensors and nodes and computes opset imports the way
skl2onnx does, data sets with edge rows, and run_case, which writes a case
with casegen.write_case, compares onnxruntime's outputs with scikit-learn's
own results and records that comparison in NAME.expected.json.

How skl2onnx (1.14 and later) fills the model header, reproduced here:
  * every node carries an op_version: the one a converter passes (the
    onnxconverter-common style apply_* helpers pass fixed ones, e.g. Cast 9,
    Add/Sub/Mul/Div 7, Concat 11, ArgMax 12, MatMul 9, Reshape 5), the
    target opset for nodes made with the algebra API (Onnx* classes), or the
    newest schema version <= target when the converter passes none;
  * each domain's opset import is the max op_version over its nodes;
  * ir_version follows the *target* opset (13 -> 7, 15..18 -> 8, 19..20 -> 9, 21 -> 10).
"""
import json
import math
import os
import sys
from collections import defaultdict

import numpy as np
import onnx
import onnx.defs
from onnx import helper, numpy_helper, TensorProto

from casegen import write_case, write_error_case, OUT  # noqa: F401

# Schema versions of the default domain from onnx 1.12 (opset <= 17), plus the
# changes of opsets 18..21.
_HIST = defaultdict(set)
for _s in onnx.defs.get_all_schemas_with_history():
    _HIST[(_s.domain, _s.name)].add(_s.since_version)
for _op in ["ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin",
            "ReduceProd", "ReduceSumSquare", "Split", "Pad", "Resize", "ScatterElements", "ScatterND"]:
    _HIST[("", _op)].add(18)
for _op in ["AveragePool", "Cast", "CastLike", "Constant", "Equal", "Identity", "If", "Loop", "Pad", "Reshape",
            "Resize", "Scan", "Shape", "Size"]:
    _HIST[("", _op)].add(19)
for _op in ["ConstantOfShape", "IsInf", "IsNaN", "ReduceMax", "ReduceMin"]:
    _HIST[("", _op)].add(20)
for _op in ["Cast", "CastLike", "Constant", "ConstantOfShape", "Flatten", "Identity", "If", "Loop", "Pad",
            "Reshape", "Scan", "Shape", "Size", "Squeeze", "Transpose", "Unsqueeze"]:
    _HIST[("", _op)].add(21)
_HIST[("ai.onnx.ml", "LabelEncoder")].add(4)
_HIST[("ai.onnx.ml", "TreeEnsemble")].add(5)

IR_FOR_OPSET = {9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10}


def schema_version(domain, op, opset):
    vs = [v for v in _HIST[(domain, op)] if v <= opset]
    if not vs:
        raise ValueError(f"{domain}:{op} has no schema at opset {opset}")
    return max(vs)


class Builder:
    """Builder collects nodes and initializers with skl2onnx-like unique
    names (base, base1, base2, ...; variables and operators have separate
    name spaces) and op versions. producer_version is what the model
    header records (the release whose converter output is reproduced)."""

    producer_version = "1.14.0"

    def __init__(self, target=15, ml_target=1):
        self.target = target
        self.ml_target = ml_target
        self.nodes = []
        self.inits = []
        self._node_versions = {}
        self._vars = set()
        self._ops = set()

    def _uniq(self, pool, base):
        if base not in pool:
            pool.add(base)
            return base
        i = 1
        while f"{base}{i}" in pool:
            i += 1
        pool.add(f"{base}{i}")
        return f"{base}{i}"

    def var(self, base):
        return self._uniq(self._vars, base)

    def opname(self, base):
        return self._uniq(self._ops, base)

    def reserve(self, *names):
        for n in names:
            self._vars.add(n)

    def init(self, base, value, dtype=None, shape=None):
        """init adds an initializer named after base; value is array-like
        (dtype decides the tensor type unless given)."""
        name = self.var(base)
        arr = np.array(value, dtype=dtype) if dtype is not None else np.asarray(value)
        if shape is not None:
            arr = arr.reshape(shape)
        if arr.dtype.kind in "OUS":
            t = helper.make_tensor(name, TensorProto.STRING, arr.shape, [str(s).encode() for s in arr.reshape(-1)])
        else:
            t = numpy_helper.from_array(arr, name)
        self.inits.append(t)
        return name

    def node(self, op, inputs, outputs=None, domain="", version=None, name=None, **attrs):
        """node adds a node; outputs is a list of names, a base name or None
        (op name lower-cased); version None means the newest schema <= the
        domain's target. Returns the output name (or list when several)."""
        target = self.target if domain == "" else self.ml_target
        if version is None:
            version = schema_version(domain, op, target)
        if version == "target":
            version = target
        if outputs is None:
            outputs = [self.var(op.lower() + "_output")]
        elif isinstance(outputs, str):
            outputs = [outputs]
        inputs = [inputs] if isinstance(inputs, str) else list(inputs)
        n = helper.make_node(op, inputs, outputs, name=self.opname(name or op), domain=domain,
                             **{k: v for k, v in attrs.items() if v is not None})
        self.nodes.append(n)
        self._node_versions[id(n)] = (domain, version)
        return outputs[0] if len(outputs) == 1 else outputs

    def remove_identities(self, graph_outputs):
        """remove_identities drops Identity nodes whose output is not a graph
        output and rewires their consumers, as skl2onnx's final
        onnx_remove_node_identity pass does."""
        keep = []
        rename = {}
        for n in self.nodes:
            if n.op_type == "Identity" and n.domain == "" and n.output[0] not in graph_outputs:
                rename[n.output[0]] = n.input[0]
                continue
            keep.append(n)

        def res(x):
            while x in rename:
                x = rename[x]
            return x
        for n in keep:
            for i, x in enumerate(n.input):
                n.input[i] = res(x)
        self.nodes = keep

    def model(self, inputs, outputs, name, ir_version=None, remove_identity=True, default_domain=True):
        if remove_identity:
            self.remove_identities({o.name for o in outputs})
        # the opset imports count every node the converters added, removed identities included
        versions = defaultdict(int)
        for domain, v in self._node_versions.values():
            versions[domain] = max(versions[domain], v)
        if default_domain and "" not in versions:
            # skl2onnx imports the default domain at the target opset even when no node uses it
            versions[""] = self.target
        opsets = dict(versions)
        g = helper.make_graph(self.nodes, name, inputs, outputs, self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets.items()],
                              producer_name="skl2onnx", producer_version=self.producer_version, domain="ai.onnx")
        m.ir_version = ir_version or IR_FOR_OPSET[self.target]
        m.model_version = 0
        return m


# ---------------------------------------------------------------- tensors
def tinfo(name, elem, dims):
    return helper.make_tensor_value_info(name, elem, dims)


def float_input(n_features, name="X", elem=TensorProto.FLOAT):
    return tinfo(name, elem, [None, n_features])


def zipmap_output(name="output_probability", string_labels=False):
    key = TensorProto.STRING if string_labels else TensorProto.INT64
    vi = onnx.ValueInfoProto()
    vi.name = name
    mt = vi.type.sequence_type.elem_type.map_type
    mt.key_type = key
    mt.value_type.tensor_type.elem_type = TensorProto.FLOAT
    return vi


def f32(a):
    return np.asarray(a, dtype=np.float32)


def f32list(a):
    """f32list returns float32-rounded Python floats (attribute FLOATS)."""
    return [float(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def labels_attr(classes, prefix="classlabels"):
    """labels_attr maps sklearn classes to classlabels_ints / _int64s / _strings."""
    classes = np.asarray(classes)
    if classes.dtype.kind in "OUS":
        return "strings", [str(c) for c in classes]
    return "ints", [int(c) for c in classes]


def classifier_tail(b, label_in, proba_in, classes, zipmap=True, label_cast=True):
    """classifier_tail appends what skl2onnx puts after a classifier: the
    label Cast (int64 labels) or Identity (string labels) to output_label and
    a ZipMap to output_probability. Returns the graph outputs."""
    kind, labels = labels_attr(classes)
    if not zipmap:
        return None
    if kind == "strings":
        b.node("Identity", label_in, "output_label", name="Identity")
    else:
        b.node("Cast", label_in, "output_label", to=TensorProto.INT64, version=9, name="Cast")
    zattr = {"classlabels_strings": labels} if kind == "strings" else {"classlabels_int64s": labels}
    b.node("ZipMap", proba_in, "output_probability", domain="ai.onnx.ml", version=1, name="ZipMap", **zattr)
    lab_t = TensorProto.STRING if kind == "strings" else TensorProto.INT64
    return [tinfo("output_label", lab_t, [None]), zipmap_output(string_labels=(kind == "strings"))]


# ---------------------------------------------------------------- data
def split(X, y, seed, frac=0.4):
    rng = np.random.RandomState(seed)
    idx = rng.permutation(len(X))
    n_test = int(len(X) * frac)
    te, tr = idx[:n_test], idx[n_test:]
    return X[tr], X[te], y[tr], y[te]


def make_clf(n_classes, n_features, seed, n=900, informative=None, scale=True):
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=n, n_features=n_features, n_informative=informative or min(n_features, 4),
                               n_redundant=0, n_classes=n_classes, n_clusters_per_class=1, random_state=seed)
    if scale:
        rng = np.random.RandomState(seed + 1000)
        X = X * rng.uniform(0.5, 20, n_features) + rng.uniform(-10, 100, n_features)
    return X, y


def make_reg(n_features, seed, n=900, n_targets=1):
    from sklearn.datasets import make_regression
    X, y = make_regression(n_samples=n, n_features=n_features, n_informative=min(n_features, 4), noise=5.0,
                           n_targets=n_targets, random_state=seed)
    rng = np.random.RandomState(seed + 1000)
    X = X * rng.uniform(0.5, 10, n_features) + rng.uniform(-5, 50, n_features)
    y = y + 0.05 * (X[:, 0] - X[:, 0].mean()) ** 2 if n_targets == 1 else y
    return X, y


def edge_rows(Xtr, kinds=("zeros", "big", "tiny", "max", "min")):
    """edge_rows returns rows and their descriptions (the corpus's set)."""
    rows, what = [], []
    base = np.median(Xtr, axis=0)
    for k in kinds:
        if k == "zeros":
            rows.append(np.zeros(Xtr.shape[1])); what.append("all zeros")
        elif k == "big":
            rows.append(base * 1e3); what.append("median row x 1e3 (large magnitude)")
        elif k == "tiny":
            rows.append(base * 1e-6); what.append("median row x 1e-6 (tiny magnitude)")
        elif k == "neg":
            r = base.copy(); r[0] = -1e4; rows.append(r); what.append("feature 0 very negative")
        elif k == "max":
            rows.append(Xtr.max(axis=0)); what.append("training column maxima")
        elif k == "min":
            rows.append(Xtr.min(axis=0)); what.append("training column minima")
    return np.array(rows), what


def tree_threshold_rows(Xtr, thresholds, features, n=2):
    """tree_threshold_rows builds rows exactly on float32(threshold) and on
    the next float32 above it for the first n splits."""
    rows, what = [], []
    base = np.median(Xtr, axis=0).astype(np.float32)
    for t, f in list(zip(thresholds, features))[:n]:
        w = np.float32(t)
        r = base.copy(); r[f] = w
        rows.append(r); what.append(f"feature {f} = float32(threshold {t!r})")
        r = base.copy(); r[f] = np.nextafter(w, np.float32(np.inf))
        rows.append(r); what.append(f"feature {f} = next float32 above it")
    return np.array(rows, dtype=np.float64), what


def describe_edges(start, what):
    return "Edge rows (index: what) - " + "; ".join(f"{start + i}: {w}" for i, w in enumerate(what)) + "."


# ---------------------------------------------------------------- cases
def _outs(expected):
    return {o["name"]: o for o in expected["outputs"]}


def tie_rows(scores, tol=1e-5):
    s = np.sort(np.asarray(scores, dtype=np.float64), axis=1)
    if s.shape[1] < 2:
        return np.zeros(len(s), dtype=bool)
    return (s[:, -1] - s[:, -2]) <= tol


def _nan_to_none(v):
    """_nan_to_none replaces NaN by None (JSON null) in nested lists."""
    if isinstance(v, list):
        return [_nan_to_none(x) for x in v]
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _round_up(v):
    if v <= 0:
        return v
    e = math.floor(math.log10(v))
    m = math.ceil(v / 10 ** e - 1e-9)
    return m * 10 ** e


def run_case(name, model, feeds, sk, description, tol_abs=1e-5, tol_rel=1e-6, tol_reason=None,
             label_out=None, score_out=None, score_key=None, check=True, tie_scores=None, edge_from=None,
             extra=None):
    """run_case writes a case and compares onnxruntime with scikit-learn.

    feeds: graph input name -> array; sk: scikit-learn results (label,
    probabilities / decision_function / prediction / transform); label_out
    and score_out name the graph outputs compared with sk["label"] and
    sk[score_key]. Rows whose two best scores (sklearn's tie_scores, then
    onnxruntime's score_out) tie within 1e-5 are dropped before writing.
    Returns the expected dict."""
    feeds = {k: np.asarray(v) for k, v in feeds.items()}
    ops = {o.domain: o.version for o in model.opset_import}
    if ops.get("", 0) > 17 or ops.get("ai.onnx.ml", 0) > 3 or model.ir_version > 8:
        check = False  # onnx 1.12's checker knows opsets up to 17 / ai.onnx.ml 3
    sk = {k: np.asarray(v) for k, v in sk.items()}
    n = len(next(iter(feeds.values())))
    keep = np.ones(n, dtype=bool)
    if tie_scores is not None:
        keep &= ~tie_rows(tie_scores)
    dropped = []
    for _ in range(3):
        f2 = {k: v[keep] for k, v in feeds.items()}
        exp = write_case(name, model, f2, tol_abs=tol_abs, tol_rel=tol_rel, description=description, check=check)
        if label_out is None or score_out is None:
            break
        ort_scores = np.array(_outs(exp)[score_out]["data"], dtype=np.float64).reshape(_outs(exp)[score_out]["shape"])
        if ort_scores.ndim == 2 and ort_scores.shape[1] > 1:
            t = tie_rows(ort_scores)
            if t.any():
                idx = np.flatnonzero(keep)[t]
                keep[idx] = False
                continue
        break
    dropped = [int(i) for i in np.flatnonzero(~keep)]
    # comparison
    outs = _outs(exp)
    skb = {k: _nan_to_none(v[keep].tolist()) for k, v in sk.items()}
    stats = {}
    mismatch = []
    if label_out is not None and "label" in sk:
        got = outs[label_out]["data"]
        want = sk["label"][keep].reshape(-1).tolist()
        mismatch = [i for i, (g, w) in enumerate(zip(got, want)) if (str(g) if isinstance(g, str) else g) != (
            str(w) if isinstance(g, str) else w)]
    max_all = max_agree = 0.0
    outliers = []
    if score_out is not None and score_key is not None:
        got = np.array([np.nan if v is None else v for v in outs[score_out]["data"]], dtype=np.float64)
        want = sk[score_key][keep].astype(np.float64)
        got = got.reshape(want.shape) if got.size == want.size else got.reshape(len(want), -1)
        if got.shape != want.shape:
            raise RuntimeError(f"{name}: onnxruntime {score_out} shape {got.shape} vs sklearn {want.shape}")
        d = np.abs(got - want)
        d = np.where(np.isnan(got) & np.isnan(want), 0.0, d)
        rowmax = d.reshape(len(want), -1).max(axis=1) if d.size else np.zeros(0)
        max_all = float(rowmax.max()) if len(rowmax) else 0.0
        agree = np.ones(len(want), dtype=bool)
        agree[mismatch] = False
        max_agree = float(rowmax[agree].max()) if agree.any() else 0.0
        lim = np.maximum(1e-3, 1e-4 * np.abs(want)).reshape(len(want), -1).max(axis=1)
        outliers = [int(i) for i in np.flatnonzero(rowmax > lim)]
    exp["sklearn"] = skb
    exp["tolerance"] = {
        "abs": tol_abs, "rel": tol_rel,
        "ort_vs_sklearn_max_abs": max_all, "ort_vs_sklearn_max_abs_agreeing_rows": max_agree,
        "ort_vs_sklearn_label_mismatch_rows": mismatch, "ort_vs_sklearn_outlier_rows": outliers,
    }
    if tol_reason:
        exp["tolerance"]["reason"] = tol_reason
    if dropped:
        exp["description"] += f" Rows left out because their two best class scores tie within 1e-5: {len(dropped)}."
    if extra:
        exp["tolerance"].update(extra)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f)
    msg = f"{name}: rows {int(keep.sum())}, max|ort-sklearn| {max_all:.3g} (agreeing rows {max_agree:.3g})"
    if mismatch:
        msg += f", label mismatch rows {mismatch}"
    if outliers:
        msg += f", outlier rows {outliers}"
    print(msg, file=sys.stderr)
    return exp, mismatch, max_agree, keep
