"""gen_lpnorm records onnxruntime 1.30's LpNormalization (what skl2onnx uses
to normalise OneVsRestClassifier probabilities): p 1 and 2, each axis,
float and double, with all-zero rows, negative values, huge and tiny
magnitudes, infinities and NaN."""
import numpy as np
from onnx import helper, TensorProto
from casegen import make_model, write_case

X = np.array([
    [1.0, 2.0, 3.0],
    [0.0, 0.0, 0.0],
    [-1.0, 0.5, -0.25],
    [3e38, 3e38, 1.0],
    [1e-40, 2e-40, 0.0],
    [np.inf, 1.0, 2.0],
    [np.nan, 0.0, 0.0],
    [0.1, 0.2, 0.7],
], dtype=np.float64)

for p in (1, 2):
    for axis in (1, 0, -1):
        for dt, tp, tag in ((np.float32, TensorProto.FLOAT, "f32"), (np.float64, TensorProto.DOUBLE, "f64")):
            x = X.astype(dt)
            if dt == np.float32:
                x = x.copy()
            else:
                x[3] = [1e300, 1e300, 1.0]
            node = helper.make_node("LpNormalization", ["X"], ["Y"], axis=axis, p=p)
            name = f"core_lpnorm_p{p}_axis{axis}_{tag}".replace("-", "m")
            m = make_model([node], [helper.make_tensor_value_info("X", tp, [None, 3])],
                           [helper.make_tensor_value_info("Y", tp, [None, 3])], opsets={"": 13}, name=name)
            # JSON has no infinity: keep the infinite row out of the request,
            # and test it in Go.
            write_case(name, m, {"X": np.delete(x, 5, axis=0)},
                       tol_abs=1e-5 if dt == np.float32 else 1e-9, tol_rel=1e-6 if dt == np.float32 else 1e-12,
                       description=f"LpNormalization p={p} axis={axis} {tag}: zero row, negatives, huge and tiny values, NaN")
