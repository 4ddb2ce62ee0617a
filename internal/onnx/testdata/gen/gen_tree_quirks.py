"""gen_tree_quirks records how onnxruntime 1.30 finishes binary and
multiclass tree-classifier scores (labels, binary expansion, base values,
post transforms) on one-stump models, so the engine matches it exactly.

Each model is a single stump on feature 0 (x <= 0.5 goes to leaf 1, else
leaf 2); the request has x = 0 and x = 1. Class labels are 3 and 5 (or
3, 5, 7), so that a literal 0/1 label (an onnxruntime quirk) shows."""
import numpy as np
from onnx import helper, TensorProto
from casegen import make_model, write_case


def stump(name, weights, post="NONE", base=None, labels=(3, 5), regressor=False, n_targets=1):
    """weights: list of (leaf node id 1 or 2, class id, weight)."""
    attrs = dict(
        nodes_treeids=[0, 0, 0], nodes_nodeids=[0, 1, 2], nodes_featureids=[0, 0, 0],
        nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"], nodes_values=[0.5, 0.0, 0.0],
        nodes_truenodeids=[1, 0, 0], nodes_falsenodeids=[2, 0, 0], nodes_hitrates=[1.0, 1.0, 1.0],
        nodes_missing_value_tracks_true=[0, 0, 0], post_transform=post,
    )
    prefix = "target" if regressor else "class"
    attrs[prefix + "_treeids"] = [0] * len(weights)
    attrs[prefix + "_nodeids"] = [w[0] for w in weights]
    attrs[prefix + "_ids"] = [w[1] for w in weights]
    attrs[prefix + "_weights"] = [float(w[2]) for w in weights]
    if base is not None:
        attrs["base_values"] = [float(b) for b in base]
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 1])
    if regressor:
        attrs["n_targets"] = n_targets
        node = helper.make_node("TreeEnsembleRegressor", ["X"], ["Y"], domain="ai.onnx.ml", **attrs)
        outs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, n_targets])]
    else:
        attrs["classlabels_int64s"] = list(labels)
        node = helper.make_node("TreeEnsembleClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml", **attrs)
        outs = [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(labels)])]
    m = make_model([node], [x], outs, opsets={"": 15, "ai.onnx.ml": 1}, name=name)
    write_case(name, m, {"X": np.array([[0.0], [1.0]], dtype=np.float32)},
               description=f"one stump: weights {weights}, post_transform {post}, base_values {base}, labels {labels}")


POS = [(1, 0, 0.3), (2, 0, 0.8)]
MIXED = [(1, 0, -0.3), (2, 0, 0.8)]
for post in ["NONE", "LOGISTIC", "SOFTMAX", "PROBIT", "SOFTMAX_ZERO"]:
    tag = post.lower()
    stump(f"tree_quirk_pos_{tag}", POS, post)
    stump(f"tree_quirk_pos_{tag}_base1", POS, post, base=[0.1])
    stump(f"tree_quirk_mixed_{tag}", MIXED, post)
    stump(f"tree_quirk_mixed_{tag}_base1", MIXED, post, base=[0.1])
    stump(f"tree_quirk_mixed_{tag}_base2", MIXED, post, base=[0.1, 0.2])
    # Both class ids receive weights: not onnxruntime's binary case.
    stump(f"tree_quirk_twocols_{tag}", [(1, 0, 0.3), (1, 1, 0.7), (2, 0, -0.6), (2, 1, 0.4)], post)
    stump(f"tree_quirk_twocols_{tag}_base2", [(1, 0, 0.3), (1, 1, 0.7), (2, 0, -0.6), (2, 1, 0.4)], post, base=[0.1, 0.2])
    # Class 1 only.
    stump(f"tree_quirk_class1_{tag}", [(1, 1, 0.3), (2, 1, 0.8)], post)
    # Three classes, class 2 never scored.
    stump(f"tree_quirk_multi_{tag}", [(1, 0, 0.3), (1, 1, 0.7), (2, 0, -0.6), (2, 1, -0.9)], post, labels=(3, 5, 7))
    stump(f"tree_quirk_multi_{tag}_base", [(1, 0, 0.3), (1, 1, 0.7), (2, 0, -0.6), (2, 1, -0.9)], post, base=[0.0, 0.1, 0.2], labels=(3, 5, 7))
    # Regressors: one target, and two targets where target 1 is scored on one leaf only.
    stump(f"tree_quirk_reg_{tag}", [(1, 0, 0.3), (2, 0, 0.8)], post, base=[0.1], regressor=True)
    stump(f"tree_quirk_reg2_{tag}", [(1, 0, 0.3), (1, 1, 0.6), (2, 0, 0.8)], post, base=[0.1, 0.2], regressor=True, n_targets=2)
