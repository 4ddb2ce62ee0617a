"""gen_smoke writes a tiny case that checks the generator itself."""
import numpy as np
from onnx import helper, TensorProto
from casegen import make_model, write_case

x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 3])
y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 3])
m = make_model([helper.make_node("Identity", ["X"], ["Y"])], [x], [y], name="smoke_identity")
write_case("smoke_identity", m, {"X": np.array([[1, 2.5, np.nan], [0, -1, 3]], dtype=np.float32)}, description="Identity; NaN as null")
