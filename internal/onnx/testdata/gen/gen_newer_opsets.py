"""gen_newer_opsets writes op26_* cases: committed cases re-stamped to
import ai.onnx opset 26, the newest onnxruntime 1.30 loads, with
onnxruntime's outputs at that opset as the expected ones.

skl2onnx 1.21 supports target opsets up to 25 and imports, for the default
domain, the newest version any node resolved to, so its exports import
opsets above 21. Between opsets 21 and 26 ONNX changed the operators the
engine runs only by adding element types (bfloat16, float4, 2-bit
integers, float8e8m0) and, for Cast, an attribute that only applies to
float8e8m0; onnxruntime 1.30 gives the same outputs, bit for bit, at
opsets 21 to 26 for every committed case that is not an error case
(`--check` re-stamps each to every opset from 21 to 26 and compares: the
only differences are in values onnxruntime leaves uninitialized, in the
PROBIT quirk cases, and in the schema versions its error messages name).
These cases pin that.

Taken: every case that is not an error case and imports ai.onnx 18 or
newer, and every scikit-learn case (sk*), whose model onnxruntime still
loads and runs once re-stamped (older graphs can be invalid at opset 26,
e.g. a ReduceMean with an axes attribute).

    NODE_PATH=/path/to/node_modules /usr/bin/python3 gen_newer_opsets.py [--check]
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx

import casegen

OPSET = 26
DTYPES = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64, "INT32": np.int32, "BOOL": np.bool_}


def request_inputs(path):
    inputs = {}
    for t in json.load(open(path))["inputs"]:
        if t["datatype"] == "BYTES":
            arr = np.array(t["data"], dtype=object)
        else:
            arr = np.array([np.nan if v is None else v for v in t["data"]], dtype=DTYPES[t["datatype"]])
        inputs[t["name"]] = arr.reshape(t["shape"])
    return inputs


def check():
    """check runs every non-error case at opsets 21 to 26 in onnxruntime
    and prints those whose outputs differ from opset 21's."""
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for path in sorted(glob.glob(os.path.join(casegen.OUT, "*.onnx"))):
            name = os.path.basename(path)[:-5]
            base = os.path.join(casegen.OUT, name)
            if name.startswith("op") or os.path.exists(base + ".error.json"):
                continue
            model = onnx.load(path)
            imports = {o.domain or "ai.onnx": o for o in model.opset_import}
            if "ai.onnx" not in imports:
                continue
            for v in range(21, OPSET + 1):
                imports["ai.onnx"].version = v
                onnx.save(model, os.path.join(tmp, "%s_%d.onnx" % (name, v)))
            cases.append([name, base + ".request.json"])
        listing = os.path.join(tmp, "cases.json")
        json.dump(cases, open(listing, "w"))
        here = os.path.dirname(os.path.abspath(__file__))
        subprocess.run(["node", os.path.join(here, "ort_opset_equivalence.js"), listing, tmp] +
                       [str(v) for v in range(21, OPSET + 1)], check=True)


def main():
    prefix = "op%d_" % OPSET
    written = skipped = 0
    for path in sorted(glob.glob(os.path.join(casegen.OUT, "*.onnx"))):
        name = os.path.basename(path)[:-5]
        base = os.path.join(casegen.OUT, name)
        if name.startswith("op") or os.path.exists(base + ".error.json"):
            continue
        model = onnx.load(path)
        imports = {o.domain or "ai.onnx": o for o in model.opset_import}
        main_import = imports.get("ai.onnx")
        if main_import is None or not (main_import.version >= 18 or name.startswith("sk")):
            continue
        main_import.domain = ""
        main_import.version = OPSET
        want = json.load(open(base + ".expected.json"))
        tol = want.get("tolerance", {"abs": 1e-5, "rel": 1e-6})
        try:
            casegen.write_case(prefix + name, model, request_inputs(base + ".request.json"), tol["abs"], tol["rel"],
                               description="%s, re-stamped to import ai.onnx %d. %s" % (name, OPSET, want.get("description", "")),
                               check=False)
            written += 1
        except RuntimeError as e:
            for ext in (".onnx", ".request.json"):
                if os.path.exists(os.path.join(casegen.OUT, prefix + name + ext)):
                    os.unlink(os.path.join(casegen.OUT, prefix + name + ext))
            print("skipped", name, str(e).splitlines()[0][:200], file=sys.stderr)
            skipped += 1
    print("wrote %d cases, skipped %d" % (written, skipped), file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check()
    else:
        main()
