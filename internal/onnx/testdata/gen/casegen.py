"""casegen writes engine test cases in the corpus format (../corpus/MANIFEST.md):
NAME.onnx, NAME.request.json and NAME.expected.json, where the expected
outputs are onnxruntime's (onnxruntime-node 1.30.0), the engine's reference.

Run generators with Debian's interpreter, which has onnx and numpy:
    NODE_PATH=/path/to/node_modules /usr/bin/python3 gen_xxx.py
onnxruntime-node is installed with (see the README's "Testing" section):
    npm pack onnxruntime-node@1.30.0 && npm install --ignore-scripts ./onnxruntime-node-1.30.0.tgz
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "cases")

DATATYPE = {
    np.dtype(np.float32): "FP32", np.dtype(np.float64): "FP64", np.dtype(np.int64): "INT64",
    np.dtype(np.int32): "INT32", np.dtype(np.bool_): "BOOL",
}


def _flat(arr):
    arr = np.asarray(arr)
    if arr.dtype.kind in "OUS":
        return "BYTES", [str(v) for v in arr.reshape(-1)]
    dt = DATATYPE[arr.dtype]
    out = []
    for v in arr.reshape(-1).tolist():
        if isinstance(v, float) and not np.isfinite(v):
            if np.isnan(v):
                out.append(None)  # null means NaN (a missing value)
                continue
            raise ValueError("infinite values cannot be sent in JSON")
        out.append(v)
    return dt, out


def make_model(nodes, inputs, outputs, initializers=(), opsets=None, name="case", ir_version=8):
    """make_model builds a model; opsets maps domain ('' or 'ai.onnx.ml') to version."""
    opsets = opsets or {"": 15, "ai.onnx.ml": 1}
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets.items()],
                              producer_name="tabserve-casegen")
    model.ir_version = ir_version
    return model


def write_case(name, model, inputs, tol_abs=1e-5, tol_rel=1e-6, description="", check=True):
    """write_case saves model, a request holding inputs (dict name -> numpy
    array, in graph-input order) and onnxruntime's outputs as the expected
    ones. ZipMap outputs are replaced, for onnxruntime only, by the ZipMap's
    input tensor, and get the ZipMap's class labels as "classes"."""
    os.makedirs(OUT, exist_ok=True)
    if check:
        onnx.checker.check_model(model)
    base = os.path.join(OUT, name)
    with open(base + ".onnx", "wb") as f:
        f.write(model.SerializeToString())
    req = {"inputs": []}
    for gi in model.graph.input:
        if gi.name not in inputs:
            continue
        arr = np.asarray(inputs[gi.name])
        dt, data = _flat(arr)
        req["inputs"].append({"name": gi.name, "shape": list(arr.shape), "datatype": dt, "data": data})
    with open(base + ".request.json", "w") as f:
        json.dump(req, f)
    ort_model, classes = _without_zipmap(model)
    with tempfile.NamedTemporaryFile(suffix=".onnx", delete=False) as f:
        f.write(ort_model.SerializeToString())
        tmp = f.name
    try:
        res = subprocess.run(["node", os.path.join(HERE, "ort_expected.js"), tmp, base + ".request.json", json.dumps(classes)],
                             capture_output=True, text=True)
    finally:
        os.unlink(tmp)
    if res.returncode != 0:
        raise RuntimeError(f"{name}: onnxruntime failed: {res.stderr.strip()}")
    expected = json.loads(res.stdout)
    expected["tolerance"] = {"abs": tol_abs, "rel": tol_rel}
    expected["description"] = description
    expected["ops"] = sorted({(n.op_type, n.domain) for n in _all_nodes(model.graph)})
    expected["opsets"] = {o.domain: o.version for o in model.opset_import}
    with open(base + ".expected.json", "w") as f:
        json.dump(expected, f)
    print("wrote", name, file=sys.stderr)
    return expected


def write_error_case(name, model, inputs, description=""):
    """write_error_case saves a model and request that onnxruntime refuses
    (at load or at run); the engine must refuse them too. NAME.error.json
    holds onnxruntime's message."""
    os.makedirs(OUT, exist_ok=True)
    base = os.path.join(OUT, name)
    with open(base + ".onnx", "wb") as f:
        f.write(model.SerializeToString())
    req = {"inputs": []}
    for gi in model.graph.input:
        if gi.name in inputs:
            arr = np.asarray(inputs[gi.name])
            dt, data = _flat(arr)
            req["inputs"].append({"name": gi.name, "shape": list(arr.shape), "datatype": dt, "data": data})
    with open(base + ".request.json", "w") as f:
        json.dump(req, f)
    res = subprocess.run(["node", os.path.join(HERE, "ort_expected.js"), base + ".onnx", base + ".request.json"],
                         capture_output=True, text=True)
    if res.returncode == 0:
        raise RuntimeError(f"{name}: onnxruntime accepted it")
    msg = res.stderr.strip()
    if not msg and res.returncode < 0:
        msg = f"onnxruntime-node died on signal {-res.returncode} without a message"
    with open(base + ".error.json", "w") as f:
        json.dump({"onnxruntime_error": msg, "description": description}, f)
    print("wrote error case", name, file=sys.stderr)


def _all_nodes(g):
    for n in g.node:
        yield n
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from _all_nodes(a.g)


def _without_zipmap(model):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    classes = {}
    outs = {o.name for o in m.graph.output}
    for n in list(m.graph.node):
        if n.op_type == "ZipMap" and n.output[0] in outs:
            labels = None
            for a in n.attribute:
                if a.name == "classlabels_int64s":
                    labels = list(a.ints)
                elif a.name == "classlabels_strings":
                    labels = [s.decode() for s in a.strings]
            classes[n.output[0]] = labels
            m.graph.node.remove(n)
            m.graph.node.append(helper.make_node("Identity", [n.input[0]], [n.output[0]]))
            for o in m.graph.output:
                if o.name == n.output[0]:
                    o.CopyFrom(helper.make_tensor_value_info(o.name, TensorProto.FLOAT, None))
    if "" not in {o.domain for o in m.opset_import} and classes:
        m.opset_import.append(helper.make_opsetid("", 13))
    return m, classes
