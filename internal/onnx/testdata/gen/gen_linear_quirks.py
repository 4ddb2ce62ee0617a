"""gen_linear_quirks records how onnxruntime 1.30 expands a LinearClassifier
with a single coefficient row and two labels (the binary one-score case)
under each post transform."""
import numpy as np
from onnx import helper, TensorProto
from casegen import make_model, write_case

for post in ["NONE", "LOGISTIC", "SOFTMAX", "PROBIT", "SOFTMAX_ZERO"]:
    node = helper.make_node("LinearClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml",
                            coefficients=[0.5, -0.25], intercepts=[0.1], classlabels_ints=[3, 5], post_transform=post)
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 2])
    outs = [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])]
    name = f"linear_quirk_onerow_{post.lower()}"
    m = make_model([node], [x], outs, opsets={"": 15, "ai.onnx.ml": 1}, name=name)
    write_case(name, m, {"X": np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 2.0], [0.2, 0.8]], dtype=np.float32)},
               description=f"LinearClassifier, one coefficient row, two labels, post_transform {post}")
