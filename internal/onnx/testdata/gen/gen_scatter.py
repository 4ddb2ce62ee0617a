"""gen_scatter writes the shape_scatter_* cases: ScatterND and
ScatterElements at each schema version (11, 13, 16 with reduction none,
add and mul, 18 with max and min), every element type, repeated indices,
NaN, and inputs onnxruntime refuses.

    NODE_PATH=/path/to/node_modules /usr/bin/python3 gen_scatter.py

onnx 1.12 knows opsets up to 17: the opset 18 models are built by hand and
not checked (onnxruntime checks them itself).
"""
import numpy as np
from onnx import helper, numpy_helper, TensorProto

from casegen import make_model, write_case, write_error_case

F, D, I64, I32, B, S = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.INT32, TensorProto.BOOL, TensorProto.STRING
TYPE = {np.dtype(np.float32): F, np.dtype(np.float64): D, np.dtype(np.int64): I64, np.dtype(np.int32): I32, np.dtype(np.bool_): B}
N = helper.make_node
NAN = np.nan


def ttype(arr):
    arr = np.asarray(arr)
    return S if arr.dtype.kind in "OUS" else TYPE[arr.dtype]


def model(op, inputs, consts, opset, attrs):
    """model builds a graph of one node of op reading inputs (fed) and
    consts (initializers), in the order data, indices, updates."""
    names = ["data", "indices", "updates"]
    gin = [helper.make_tensor_value_info(k, ttype(v), [None] * np.asarray(v).ndim) for k, v in inputs.items()]
    inits = [numpy_helper.from_array(np.asarray(v, dtype=object) if np.asarray(v).dtype.kind in "US" else np.asarray(v), k)
             for k, v in consts.items()]
    data = inputs.get("data", consts.get("data"))
    gout = [helper.make_tensor_value_info("y", ttype(data), None)]
    m = make_model([N(op, names, ["y"], **attrs)], gin, gout, inits, opsets={"": opset}, name="scatter")
    if opset > 17:
        m.ir_version = 9
    return m


def case(name, op, opset, inputs, consts=None, description="", **attrs):
    consts = consts or {}
    write_case(name, model(op, inputs, consts, opset, attrs), inputs, description=description, check=False,
               tol_abs=0, tol_rel=6e-8)


def error_case(name, op, opset, inputs, consts=None, description="", **attrs):
    consts = consts or {}
    write_error_case(name, model(op, inputs, consts, opset, attrs), inputs, description=description)


f32 = lambda *v: np.array(v, dtype=np.float32)
i64 = lambda *v: np.array(v, dtype=np.int64)
x23 = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
rows = i64([1], [1])
upd23 = f32([10, 20, 30], [1, 2, 3])
words = np.array(["a", "bb", ""], dtype=object)

# ScatterND
case("shape_scatter_nd_v11_rows", "ScatterND", 11, {"data": x23, "indices": i64([-1]), "updates": f32([7, 8, 9])},
     description="ScatterND-11: a row addressed with a negative index")
case("shape_scatter_nd_v13_tuples", "ScatterND", 13,
     {"data": np.arange(8, dtype=np.int64).reshape(2, 2, 2), "indices": i64([0, 1, -1], [1, 0, 0], [0, 1, 1]),
      "updates": i64(70, 80, 90)},
     description="ScatterND-13: int64 elements addressed by full tuples, one repeated (the last wins)")
case("shape_scatter_nd_v16_none_repeated", "ScatterND", 16, {"data": x23, "indices": rows, "updates": upd23},
     description="ScatterND-16 reduction none (the default): a repeated row, the last update wins")
case("shape_scatter_nd_v16_add", "ScatterND", 16, {"data": x23, "indices": rows, "updates": upd23}, reduction="add",
     description="ScatterND-16 add, a repeated row")
case("shape_scatter_nd_v16_mul_int32", "ScatterND", 16,
     {"data": np.array([[2, 3], [4, 5]], np.int32), "indices": i64([0, 1], [0, 1], [1, 0]), "updates": np.array([7, -1, 3], np.int32)},
     reduction="mul", description="ScatterND-16 mul of int32 elements, one repeated")
case("shape_scatter_nd_v16_max", "ScatterND", 16, {"data": x23, "indices": rows, "updates": upd23}, reduction="max",
     description="ScatterND-16 with reduction max, which the schema adds in 18 and onnxruntime's kernel applies from 16")
case("shape_scatter_nd_v16_unknown_reduction", "ScatterND", 16, {"data": x23, "indices": rows, "updates": upd23}, reduction="sum",
     description="ScatterND-16 with reduction 'sum', which onnxruntime applies as none")
case("shape_scatter_nd_v18_max_nan", "ScatterND", 18,
     {"data": f32(NAN, 1, 2, 3), "indices": i64([0], [1], [3], [3]), "updates": f32(5, NAN, 4, 1)}, reduction="max",
     description="ScatterND-18 max with NaN in data and in updates")
case("shape_scatter_nd_v18_min_f64", "ScatterND", 18,
     {"data": np.array([[1.5, -2], [3, NAN]]), "indices": i64([1], [0], [1]), "updates": np.array([[0, 9], [2, -3], [-1, 5]], np.float64)},
     reduction="min", description="ScatterND-18 min of float64 rows, NaN in data")
case("shape_scatter_nd_v16_strings_add", "ScatterND", 16,
     {"data": words, "indices": i64([0], [2], [0]), "updates": np.array(["x", "y", "z"], dtype=object)}, reduction="add",
     description="ScatterND-16 add of strings: onnxruntime concatenates them")
case("shape_scatter_nd_v16_bool", "ScatterND", 16,
     {"data": np.array([True, False, False]), "indices": i64([1], [2], [1]), "updates": np.array([True, False, False])},
     reduction="add", description="ScatterND-16 add of bools: or")
case("shape_scatter_nd_v16_bool_mul", "ScatterND", 16,
     {"data": np.array([True, True, False]), "indices": i64([0], [1], [0]), "updates": np.array([True, False, False])},
     reduction="mul", description="ScatterND-16 mul of bools: and")
case("shape_scatter_nd_v16_empty_tuples", "ScatterND", 16,
     {"data": x23, "indices": np.zeros((2, 0), np.int64), "updates": np.stack([np.ones((2, 3), np.float32), 2 * np.ones((2, 3), np.float32)])},
     description="ScatterND-16 with tuples of no index: each update replaces the whole tensor")
case("shape_scatter_nd_v16_empty_batch", "ScatterND", 16,
     {"data": np.zeros((0, 3), np.float32), "indices": np.zeros((0, 1), np.int64), "updates": np.zeros((0, 3), np.float32)},
     description="ScatterND-16 on an empty batch")
case("shape_scatter_nd_v16_const_indices", "ScatterND", 16, {"data": x23, "updates": upd23}, consts={"indices": i64([0], [-1])},
     reduction="add", description="ScatterND-16 add with constant indices")
error_case("shape_scatter_nd_err_out_of_range", "ScatterND", 16, {"data": x23, "indices": i64([2]), "updates": f32([1, 2, 3])},
           description="ScatterND index past the end of its dimension")
error_case("shape_scatter_nd_err_string_mul", "ScatterND", 16,
           {"data": words, "indices": i64([0]), "updates": np.array(["x"], dtype=object)}, reduction="mul",
           description="ScatterND mul of strings, which onnxruntime does not implement")
error_case("shape_scatter_nd_err_bool_max", "ScatterND", 18,
           {"data": np.array([True]), "indices": i64([0]), "updates": np.array([False])}, reduction="max",
           description="ScatterND max of bools, which onnxruntime does not implement")
error_case("shape_scatter_nd_err_updates_shape", "ScatterND", 16, {"data": x23, "indices": rows, "updates": f32([1, 2], [3, 4])},
           description="ScatterND updates whose shape is not indices.shape[:-1] + data.shape[k:]")
error_case("shape_scatter_nd_err_int32_indices", "ScatterND", 16,
           {"data": x23, "indices": np.array([[1]], np.int32), "updates": f32([1, 2, 3])},
           description="ScatterND with int32 indices, which its schema does not allow")
error_case("shape_scatter_nd_err_reduction_v13", "ScatterND", 13, {"data": x23, "indices": rows, "updates": upd23}, reduction="add",
           description="ScatterND-13 has no reduction attribute")

# ScatterElements
case("shape_scatter_el_v11_axis0", "ScatterElements", 11,
     {"data": np.zeros((3, 3), np.float32), "indices": i64([1, 0, 2], [0, 2, 1]), "updates": f32([1, 1.1, 1.2], [2, 2.1, 2.2])},
     description="ScatterElements-11 along axis 0 (the default)")
case("shape_scatter_el_v13_axis_neg_int32", "ScatterElements", 13,
     {"data": x23, "indices": np.array([[-1, 0], [1, -3]], np.int32), "updates": f32([7, 8], [9, 10])}, axis=-1,
     description="ScatterElements-13, axis -1, int32 indices, negative ones")
case("shape_scatter_el_v16_none_repeated", "ScatterElements", 16,
     {"data": x23, "indices": i64([1, 1, 0], [1, 0, 0], [1, 1, 1]), "updates": f32([1, 2, 3], [4, 5, 6], [7, 8, 9])},
     description="ScatterElements-16 with more indices than data along the axis, repeated (the last wins)")
case("shape_scatter_el_v16_add", "ScatterElements", 16,
     {"data": x23, "indices": i64([1], [0], [1]), "updates": f32([5], [6], [7])}, reduction="add",
     description="ScatterElements-16 add, a column of indices longer than data's, repeated")
case("shape_scatter_el_v16_mul_int64", "ScatterElements", 16,
     {"data": i64([2, 3, 4], [6, 7, 8]), "indices": i64([2, 2, 0], [1, 1, 1]), "updates": i64([5, -1, 10], [3, 3, 3])}, axis=1,
     reduction="mul", description="ScatterElements-16 mul of int64 elements along axis 1")
case("shape_scatter_el_v18_max_nan", "ScatterElements", 18,
     {"data": f32(NAN, 1, 2), "indices": i64(0, 1, 2, 2), "updates": f32(5, NAN, 1, 3)}, reduction="max",
     description="ScatterElements-18 max with NaN in data and in updates")
case("shape_scatter_el_v18_min_f64", "ScatterElements", 18,
     {"data": np.array([1.0, 2, 3]), "indices": i64(2, 2, 0), "updates": np.array([5.0, 0, 4])}, reduction="min",
     description="ScatterElements-18 min of float64 elements")
case("shape_scatter_el_v16_strings", "ScatterElements", 16,
     {"data": words, "indices": i64(0, 0, 2), "updates": np.array(["x", "y", "z"], dtype=object)}, reduction="add",
     description="ScatterElements-16 add of strings: onnxruntime concatenates them")
case("shape_scatter_el_v16_bool", "ScatterElements", 16,
     {"data": np.array([[False, True]]), "indices": i64([1, 1]), "updates": np.array([[True, False]])}, axis=1,
     description="ScatterElements-16 of bools, a repeated index")
case("shape_scatter_el_v16_const", "ScatterElements", 16, {"data": x23, "updates": f32([7, 8])}, consts={"indices": i64([2, 0])},
     axis=1, description="ScatterElements-16 with constant indices, fewer than data along the other axis")
error_case("shape_scatter_el_err_out_of_range", "ScatterElements", 16, {"data": x23, "indices": i64([0, 3]), "updates": f32([1, 2])},
           axis=1, description="ScatterElements index past the end of the axis")
error_case("shape_scatter_el_err_wider", "ScatterElements", 16,
           {"data": x23, "indices": i64([0, 0, 0, 0]), "updates": f32([1, 2, 3, 4])},
           description="ScatterElements indices wider than data on an axis other than the scattered one")
error_case("shape_scatter_el_err_string_max", "ScatterElements", 18,
           {"data": words, "indices": i64(0), "updates": np.array(["x"], dtype=object)}, reduction="max",
           description="ScatterElements max of strings, which onnxruntime does not implement")
