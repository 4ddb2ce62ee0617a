"""gen_sk_errors writes sk_err_* cases: malformed variants of the ML-domain
graphs the converters write, which onnxruntime refuses (at load or at run);
the engine must refuse them too. Candidates onnxruntime accepts are
reported and skipped."""
import sys

import numpy as np
from onnx import TensorProto

from skcommon import Builder, float_input, tinfo, write_error_case, write_case

X = np.array([[0.5, 1.0, -2.0], [3.0, 0.0, 1.0]], dtype=np.float32)


def tree_reg(**over):
    a = dict(n_targets=1, nodes_treeids=[0, 0, 0], nodes_nodeids=[0, 1, 2], nodes_featureids=[1, 0, 0],
             nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"], nodes_values=[0.5, 0.0, 0.0], nodes_truenodeids=[1, 0, 0],
             nodes_falsenodeids=[2, 0, 0], nodes_missing_value_tracks_true=[0, 0, 0], nodes_hitrates=[1.0, 1.0, 1.0],
             target_treeids=[0, 0], target_nodeids=[1, 2], target_ids=[0, 0], target_weights=[1.5, -2.0],
             post_transform="NONE")
    a.update(over)
    b = Builder(15)
    b.node("TreeEnsembleRegressor", "X", "variable", domain="ai.onnx.ml", version=1, **a)
    return b.model([float_input(3)], [tinfo("variable", TensorProto.FLOAT, [None, 1])], "err")


def lin_clf(**over):
    a = dict(coefficients=[0.1, 0.2, 0.3, -0.1, -0.2, -0.3], intercepts=[0.5, -0.5], classlabels_ints=[0, 1],
             post_transform="NONE")
    a.update(over)
    b = Builder(15)
    b.node("LinearClassifier", "X", ["label", "probabilities"], domain="ai.onnx.ml", version=1, **a)
    return b.model([float_input(3)], [tinfo("label", TensorProto.INT64, [None]),
                                      tinfo("probabilities", TensorProto.FLOAT, [None, 2])], "err")


def svm_clf(**over):
    a = dict(kernel_type="RBF", kernel_params=[0.5, 0.0, 3.0], support_vectors=[0.0, 1.0, 0.0, 1.0, 0.0, 1.0],
             coefficients=[1.0, -1.0], rho=[0.1], vectors_per_class=[1, 1], classlabels_ints=[0, 1],
             post_transform="NONE")
    a.update(over)
    b = Builder(15)
    b.node("SVMClassifier", "X", ["label", "probabilities"], domain="ai.onnx.ml", version=1, **a)
    return b.model([float_input(3)], [tinfo("label", TensorProto.INT64, [None]),
                                      tinfo("probabilities", TensorProto.FLOAT, [None, 2])], "err")


def afe(index):
    b = Builder(15)
    b.node("ArrayFeatureExtractor", ["X", b.init("ind", np.array(index, dtype=np.int64))], "variable",
           domain="ai.onnx.ml", version=1)
    return b.model([float_input(3)], [tinfo("variable", TensorProto.FLOAT, [None, None])], "err")


CASES = [
    ("sk_err_tree_child_out_of_range", tree_reg(nodes_falsenodeids=[7, 0, 0]),
     "TreeEnsembleRegressor whose root's false child (node 7) does not exist in the tree"),
    ("sk_err_tree_attr_length_mismatch", tree_reg(nodes_values=[0.5, 0.0]),
     "TreeEnsembleRegressor with nodes_values shorter than the other nodes_* arrays"),
    ("sk_err_tree_feature_out_of_range", tree_reg(nodes_featureids=[5, 0, 0]),
     "TreeEnsembleRegressor splitting on feature 5 of a 3-column input (refused when run)"),
    ("sk_err_tree_bad_mode", tree_reg(nodes_modes=["BRANCH_LEQQ", "LEAF", "LEAF"]),
     "TreeEnsembleRegressor with an unknown node mode 'BRANCH_LEQQ'"),
    ("sk_err_linclf_coef_shape", lin_clf(coefficients=[0.1, 0.2, 0.3, -0.1, -0.2]),
     "LinearClassifier with 5 coefficients for 2 classes x 3 features"),
    ("sk_err_svm_vectors_per_class", svm_clf(vectors_per_class=[1, 2]),
     "SVMClassifier whose vectors_per_class sum (3) differs from the 2 support vectors"),
    ("sk_err_afe_index_out_of_range", afe([0, 3]),
     "ArrayFeatureExtractor selecting column 3 of a 3-column input (refused when run)"),
]


def main():
    # onnxruntime 1.30 accepts a leaf without a target weight (it contributes nothing): a regular case
    write_case("sk_tree_leaf_without_weight", tree_reg(target_treeids=[0], target_nodeids=[1], target_ids=[0],
                                                       target_weights=[1.5]), {"X": X},
               description="TreeEnsembleRegressor with a leaf (node 2) that has no target weight: onnxruntime 1.30 "
                           "accepts it and the leaf adds nothing: row 0 (x1 = 1 > 0.5) reaches node 2 and gives 0, row 1 reaches "
                           "node 1 and gives 1.5")
    for name, model, desc in CASES:
        try:
            write_error_case(name, model, {"X": X}, description=desc)
        except RuntimeError as e:
            print(f"skipped {name}: {e}", file=sys.stderr)


if __name__ == "__main__":
    main()
