"""gen_shape writes the shape_* and control_* cases: default-domain shape
manipulation and control flow (If, Scan, Loop), one model per operator and
schema version with edge values, and models onnxruntime refuses.

    NODE_PATH=/path/to/node_modules /usr/bin/python3 gen_shape.py

Values onnxruntime-node cannot take from a JSON request (int64 beyond 2^53)
live in initializers.
"""
import numpy as np
from onnx import helper, numpy_helper, TensorProto

from casegen import make_model, write_case, write_error_case

F, D, I64, I32, B, S = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.INT32, TensorProto.BOOL, TensorProto.STRING
TYPE = {np.dtype(np.float32): F, np.dtype(np.float64): D, np.dtype(np.int64): I64, np.dtype(np.int32): I32, np.dtype(np.bool_): B}
N = helper.make_node


def ttype(arr):
    arr = np.asarray(arr)
    return S if arr.dtype.kind in "OUS" else TYPE[arr.dtype]


def const(name, arr):
    arr = np.asarray(arr)
    if arr.dtype.kind in "US":
        arr = arr.astype(object)
    return numpy_helper.from_array(arr, name)


def vi(name, elem, shape=None):
    return helper.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, consts=None, opset=15):
    """model builds a graph: inputs maps names to request arrays, outputs
    to element types, consts to initializer arrays."""
    consts = consts or {}
    gin = [vi(k, ttype(v), [None] * np.asarray(v).ndim) for k, v in inputs.items()]
    gout = [vi(k, t) for k, t in outputs.items()]
    m = make_model(nodes, gin, gout, [const(k, v) for k, v in consts.items()], opsets={"": opset}, name="shape")
    if opset > 17:
        m.ir_version = 10 if opset >= 21 else 9
    return m


def case(name, nodes, inputs, outputs, consts=None, opset=15, description="", exact=False):
    m = model(nodes, inputs, outputs, consts, opset)
    # onnxruntime checks the models itself; onnx 1.12's checker wants output
    # shapes these models leave open and does not know opsets above 17.
    # exact: within half a float32 unit in the last place, the most the
    # JSON decimals of a float32 can be off by; one unit apart fails.
    tol = {"tol_abs": 0, "tol_rel": 6e-8} if exact else {}
    write_case(name, m, inputs, description=description, check=False, **tol)


def error_case(name, nodes, inputs, outputs, consts=None, opset=15, description=""):
    write_error_case(name, model(nodes, inputs, outputs, consts, opset), inputs, description=description)


x23 = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
x234 = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
words = np.array([["a", "bb", ""], ["dd", "e", "ff"]], dtype=object)
i64 = lambda *v: np.array(v, dtype=np.int64)

# Reshape, Flatten, Squeeze, Unsqueeze
case("shape_reshape_v5", [N("Reshape", ["x", "s"], ["y"])], {"x": x234}, {"y": F}, {"s": i64(0, -1)}, opset=5,
     description="Reshape-5: 0 copies a dimension, -1 infers one")
case("shape_reshape_v13_fed", [N("Reshape", ["x", "s"], ["y"])], {"x": x234, "s": i64(4, 0, -1)}, {"y": F}, opset=13,
     description="Reshape-13 with the shape fed in the request")
case("shape_reshape_v14_allowzero", [N("Reshape", ["x", "s"], ["y"], allowzero=1)], {"x": np.zeros((0, 3), np.float32)}, {"y": F},
     {"s": i64(3, 0)}, opset=14, description="Reshape-14 allowzero=1 keeps a literal 0 (empty batch)")
case("shape_reshape_v1", [N("Reshape", ["x"], ["y"], shape=[3, -1])], {"x": x23}, {"y": F}, opset=4,
     description="Reshape-1: shape attribute")
case("shape_reshape_v21_strings", [N("Reshape", ["x", "s"], ["y"])], {"x": words}, {"y": S}, {"s": i64(-1)}, opset=21,
     description="Reshape-21 of strings to 1-D")
case("shape_flatten_v13", [N("Flatten", ["x"], ["y"], axis=-1)], {"x": x234}, {"y": F}, opset=13,
     description="Flatten-13 negative axis")
case("shape_flatten_v9_strings", [N("Flatten", ["x"], ["y"], axis=0)], {"x": words}, {"y": S}, opset=9,
     description="Flatten-9 axis 0 on strings")
case("shape_squeeze_v11", [N("Squeeze", ["x"], ["y"], axes=[0, -2])], {"x": x23.reshape(1, 2, 1, 3)}, {"y": F}, opset=11,
     description="Squeeze-11 axes attribute with a negative axis")
case("shape_squeeze_v13", [N("Squeeze", ["x"], ["y"])], {"x": x23.reshape(1, 2, 1, 3)}, {"y": F}, opset=13,
     description="Squeeze-13 without axes drops every unit axis")
case("shape_squeeze_v13_axes", [N("Squeeze", ["x", "a"], ["y"])], {"x": np.zeros((0, 1, 3), np.float32)}, {"y": F}, {"a": i64(1)}, opset=13,
     description="Squeeze-13 axes input on an empty batch")
case("shape_unsqueeze_v11", [N("Unsqueeze", ["x"], ["y"], axes=[0, -1])], {"x": x23}, {"y": F}, opset=11,
     description="Unsqueeze-11 axes attribute, negative axes count in the output rank")
case("shape_unsqueeze_v13", [N("Unsqueeze", ["x", "a"], ["y"])], {"x": np.array([True, False])}, {"y": B}, {"a": i64(1, 0)}, opset=13,
     description="Unsqueeze-13 unsorted axes on bools")
error_case("shape_reshape_bad_size", [N("Reshape", ["x", "s"], ["y"])], {"x": x23, "s": i64(4, 2)}, {"y": F},
           description="Reshape to a shape of another size")
error_case("shape_squeeze_non_unit", [N("Squeeze", ["x", "a"], ["y"])], {"x": x23}, {"y": F}, {"a": i64(0)}, opset=13,
           description="Squeeze of an axis whose size is not 1")

# Transpose, Shape, Size
case("shape_transpose_perm", [N("Transpose", ["x"], ["y"], perm=[2, 0, 1])], {"x": x234}, {"y": F}, opset=13,
     description="Transpose-13 3-D permutation")
case("shape_transpose_default", [N("Transpose", ["x"], ["y"])], {"x": words}, {"y": S}, opset=1,
     description="Transpose-1 default (reverse) on strings")
case("shape_shape_v15", [N("Shape", ["x"], ["a"], start=1), N("Shape", ["x"], ["b"], start=-10, end=-1), N("Size", ["x"], ["c"])],
     {"x": x234}, {"a": I64, "b": I64, "c": I64}, opset=15, description="Shape-15 start/end with clamping; Size")
case("shape_shape_v1", [N("Shape", ["x"], ["a"]), N("Size", ["x"], ["b"])], {"x": np.zeros((0, 3), np.float32)}, {"a": I64, "b": I64}, opset=1,
     description="Shape-1 and Size-1 of an empty batch")

# Concat, Split
case("shape_concat_v11", [N("Concat", ["a", "b", "c"], ["y"], axis=-1)],
     {"a": x23, "b": np.zeros((2, 0), np.float32), "c": x23[:, :1]}, {"y": F}, opset=11,
     description="Concat-11 negative axis with an empty input")
case("shape_concat_v4_strings", [N("Concat", ["a", "b"], ["y"], axis=0)], {"a": words, "b": words[:1]}, {"y": S}, opset=4,
     description="Concat-4 of strings")
case("shape_concat_v13_empty_batch", [N("Concat", ["a", "b"], ["y"], axis=1)],
     {"a": np.zeros((0, 2), np.float32), "b": np.zeros((0, 1), np.float32)}, {"y": F}, opset=13,
     description="Concat-13 of empty batches")
case("shape_split_v2", [N("Split", ["x"], ["a", "b"], axis=1, split=[1, 2])], {"x": x23}, {"a": F, "b": F}, opset=2,
     description="Split-2 split attribute")
case("shape_split_v11", [N("Split", ["x"], ["a", "b", "c"], axis=-1)], {"x": x23}, {"a": F, "b": F, "c": F}, opset=11,
     description="Split-11 equal pieces, negative axis")
case("shape_split_v13", [N("Split", ["x", "s"], ["a", "b"], axis=2)], {"x": x234}, {"a": F, "b": F}, {"s": i64(3, 1)}, opset=13,
     description="Split-13 split input")
case("shape_split_v18", [N("Split", ["x"], ["a", "b", "c"], num_outputs=3)], {"x": np.arange(7, dtype=np.int32)}, {"a": I32, "b": I32, "c": I32},
     opset=18, description="Split-18 num_outputs with a smaller last piece")
error_case("shape_split_uneven", [N("Split", ["x"], ["a", "b"], axis=1)], {"x": x23}, {"a": F, "b": F}, opset=13,
           description="Split into equal pieces of a dimension they do not divide")

# Slice
big, small = np.iinfo(np.int64).max, np.iinfo(np.int64).min
x10 = np.arange(10, dtype=np.float32)
case("shape_slice_v1", [N("Slice", ["x"], ["y"], starts=[1, -100], ends=[100, -1], axes=[0, -1])], {"x": x234}, {"y": F}, opset=9,
     description="Slice-1 attributes, clamped starts and ends, negative axis")
case("shape_slice_v10_steps", [N("Slice", ["x", "s", "e", "a", "t"], ["y"])], {"x": x234}, {"y": F},
     {"s": i64(-1, 20), "e": i64(small, 0), "a": i64(2, 1), "t": i64(-1, -2)}, opset=10,
     description="Slice-10 negative steps, INT64_MIN end, start past the end")
case("shape_slice_v11_extremes", [N("Slice", ["x", "s0", "e0", "a", "t0"], ["y0"]), N("Slice", ["x", "s1", "e1", "a", "t1"], ["y1"]),
                                  N("Slice", ["x", "s2", "e2", "a", "t2"], ["y2"])], {"x": x10}, {"y0": F, "y1": F, "y2": F},
     {"s0": i64(small), "e0": i64(big), "s1": i64(0), "e1": i64(10), "t1": i64(big), "s2": i64(9), "e2": i64(0), "t2": i64(small),
      "a": i64(0), "t0": i64(3)}, opset=11, description="Slice-11 INT64 extremes as start, end and step")
case("shape_slice_v13_int32", [N("Slice", ["x", "s", "e", "", "t"], ["y"])], {"x": words}, {"y": S},
     {"s": np.array([1, 2], np.int32), "e": np.array([-3, -2**31], np.int32), "t": np.array([-1, -1], np.int32)}, opset=13,
     description="Slice-13 int32 parameters, axes omitted, strings")
case("shape_slice_v13_fed", [N("Slice", ["x", "s", "e", "a"], ["y"])], {"x": np.zeros((0, 4), np.float32), "s": i64(1), "e": i64(3), "a": i64(-1)},
     {"y": F}, opset=13, description="Slice-13 parameters fed, empty batch")
error_case("shape_slice_zero_step", [N("Slice", ["x", "s", "e", "a", "t"], ["y"])], {"x": x10, "t": i64(0)}, {"y": F},
           {"s": i64(0), "e": i64(5), "a": i64(0)}, opset=13, description="Slice step 0")

# Gather, GatherElements, GatherND, Compress, NonZero, OneHot
case("shape_gather_v13", [N("Gather", ["x", "i"], ["y"], axis=1)], {"x": x234, "i": np.array([[-1, 0], [2, -3]], np.int64)}, {"y": F}, opset=13,
     description="Gather-13 2-D negative indices on axis 1")
# onnxruntime 1.30 gathers only the first string of each block of several
# (rows of a 2-D string tensor) and leaves the others empty; the engine
# copies whole blocks, so the string case gathers single elements.
case("shape_gather_v1_strings", [N("Gather", ["x", "i"], ["y"], axis=1)], {"x": words, "i": np.array(1, np.int32)}, {"y": S}, opset=1,
     description="Gather-1 scalar int32 index into strings along the last axis")
error_case("shape_gather_out_of_range", [N("Gather", ["x", "i"], ["y"])], {"x": x23, "i": i64(2)}, {"y": F}, opset=13,
           description="Gather index past the end")
case("shape_gatherelements_v13", [N("GatherElements", ["x", "i"], ["y"], axis=-1)],
     {"x": x23, "i": np.array([[2, -1, 0, 1], [-3, 0, 0, 2]], np.int64)}, {"y": F}, opset=13,
     description="GatherElements-13 negative indices, more indices than data along the axis")
case("shape_gatherelements_v11", [N("GatherElements", ["x", "i"], ["y"])], {"x": words, "i": np.array([[1, 0, 1]], np.int32)}, {"y": S}, opset=11,
     description="GatherElements-11 int32 indices on strings")
case("shape_gathernd_v11", [N("GatherND", ["x", "i"], ["y"])], {"x": x234, "i": np.array([[1, -1], [0, 0]], np.int64)}, {"y": F}, opset=11,
     description="GatherND-11 pairs of indices")
case("shape_gathernd_v12_batch", [N("GatherND", ["x", "i"], ["y"], batch_dims=1)], {"x": x234, "i": np.array([[[2, 3]], [[0, 1]]], np.int64)},
     {"y": F}, opset=12, description="GatherND-12 batch_dims=1")
case("shape_gathernd_v13_batch_multiple", [N("GatherND", ["x", "i"], ["y"], batch_dims=1)], {"x": x234, "i": np.array([[0], [1], [2], [0]], np.int64)},
     {"y": F}, opset=13, description="GatherND-13 an index batch twice the data batch")
case("shape_compress", [N("Compress", ["x", "c"], ["a"], axis=1), N("Compress", ["x", "c"], ["b"])],
     {"x": x23, "c": np.array([True, False, True, True])}, {"a": F, "b": F}, opset=11,
     description="Compress-11 along an axis with a longer condition, and flattened")
case("shape_nonzero", [N("NonZero", ["x"], ["y"]), N("NonZero", ["b"], ["z"])],
     {"x": np.array([[0, 1.5, np.nan], [-0.0, 0, 2]], np.float32), "b": np.array([[False, True]])}, {"y": I64, "z": I64}, opset=13,
     description="NonZero-13 with NaN (non-zero) and -0 (zero); bools")
case("shape_onehot_v11", [N("OneHot", ["i", "d", "v"], ["y"], axis=0)],
     {"i": np.array([[0, -1], [3, -4]], np.int64)}, {"y": F}, {"d": i64(3), "v": np.array([-1, 5], np.float32)}, opset=11,
     description="OneHot-11 negative and out-of-range indices, axis 0")
case("shape_onehot_v9_strings", [N("OneHot", ["i", "d", "v"], ["y"])],
     {"i": np.array([0, 2, 1], np.int64)}, {"y": S}, {"d": np.array([3], np.int64), "v": np.array(["off", "on"], dtype=object)}, opset=9,
     description="OneHot-9 string values, depth of shape [1]")
case("shape_onehot_float_indices", [N("OneHot", ["i", "d", "v"], ["y"])],
     {"i": np.array([0.7, 1, -1, -0.5], np.float32)}, {"y": I64}, {"d": i64(3), "v": i64(0, 1)}, opset=11,
     description="OneHot float indices: only integral values select a position")

# Expand, Tile, Pad, Trilu
case("shape_expand", [N("Expand", ["x", "s"], ["y"])], {"x": x23[:, :1], "s": i64(2, 1, 4)}, {"y": F}, opset=13,
     description="Expand-13 both ways")
case("shape_expand_v8_strings", [N("Expand", ["x", "s"], ["y"])], {"x": np.array(["a", "b"], dtype=object)}, {"y": S}, {"s": i64(3, 1)}, opset=8,
     description="Expand-8 strings")
case("shape_tile", [N("Tile", ["x", "r"], ["y"])], {"x": x23, "r": i64(2, 3)}, {"y": F}, opset=13, description="Tile-13")
case("shape_tile_v6_strings", [N("Tile", ["x", "r"], ["y"])], {"x": words}, {"y": S}, {"r": i64(1, 0)}, opset=6,
     description="Tile-6 of strings by zero")
case("shape_pad_v2", [N("Pad", ["x"], ["y"], pads=[1, -1, 0, 2], value=1.5)], {"x": x23}, {"y": F}, opset=2,
     description="Pad-2 attributes with a crop")
case("shape_pad_v2_edge", [N("Pad", ["x"], ["y"], pads=[2, 1, 1, 2], mode="edge")], {"x": x23.astype(np.float64)}, {"y": D}, opset=2,
     description="Pad-2 edge mode, float64")
case("shape_pad_v11_reflect", [N("Pad", ["x", "p"], ["y"], mode="reflect")], {"x": x234, "p": i64(0, 1, -1, 1, 1, 2)}, {"y": F}, opset=11,
     description="Pad-11 reflect after a crop")
case("shape_pad_v13_bool", [N("Pad", ["x", "p", "v"], ["y"])], {"x": np.array([[True, False]])}, {"y": B}, {"p": i64(1, 1, 0, 0), "v": np.array(True)},
     opset=13, description="Pad-13 bools with a value")
case("shape_pad_v18_axes", [N("Pad", ["x", "p", "", "a"], ["y"], mode="edge")], {"x": x234}, {"y": F},
     {"p": i64(1, 0, 2, 1), "a": i64(-1, 0)}, opset=18, description="Pad-18 axes input")
case("shape_pad_v19_wrap", [N("Pad", ["x", "p"], ["y"], mode="wrap")], {"x": x23}, {"y": F}, {"p": i64(2, 3, 1, 5)}, opset=19,
     description="Pad-19 wrap mode, a whole period before and more after")
case("shape_pad_v21_empty", [N("Pad", ["x", "p", "v"], ["y"])], {"x": np.zeros((0, 2), np.int32)}, {"y": I32}, {"p": i64(1, 1, 0, 1), "v": np.array(7, np.int32)},
     opset=21, description="Pad-21 constant on an empty batch")
error_case("shape_pad_reflect_too_far", [N("Pad", ["x", "p"], ["y"], mode="reflect")], {"x": x23}, {"y": F}, {"p": i64(2, 0, 0, 0)}, opset=13,
           description="Pad reflect further than the axis allows")
case("shape_trilu", [N("Trilu", ["x", "k"], ["u"]), N("Trilu", ["x"], ["l"], upper=0)],
     {"x": np.arange(24, dtype=np.int64).reshape(2, 3, 4), "k": np.array(-1, np.int64)}, {"u": I64, "l": I64}, opset=14,
     description="Trilu-14 upper with k=-1 and lower, batched")

# ConstantOfShape, Range, EyeLike, Unique
case("shape_constantofshape", [N("ConstantOfShape", ["s"], ["y"], value=helper.make_tensor("v", I32, [1], [7])), N("ConstantOfShape", ["e"], ["z"])],
     {"s": i64(2, 3), "e": np.zeros(0, np.int64)}, {"y": I32, "z": F}, opset=9,
     description="ConstantOfShape-9 int32 value; empty shape makes a float scalar")
case("shape_constantofshape_v21_bool", [N("ConstantOfShape", ["s"], ["y"], value=helper.make_tensor("v", B, [1], [True]))],
     {"s": i64(2, 0)}, {"y": B}, opset=21, description="ConstantOfShape-21 bool, zero dimension")
case("shape_range", [N("Range", ["a", "b", "c"], ["y"]), N("Range", ["d", "e", "f"], ["z"])],
     {"a": np.array(0.5, np.float32), "b": np.array(3.3, np.float32), "c": np.array(0.1, np.float32),
      "d": np.array(10, np.int64), "e": np.array(-2, np.int64), "f": np.array(-3, np.int64)}, {"y": F, "z": I64}, opset=11,
     description="Range-11 float32 accumulating rounding; int64 downwards")
case("shape_eyelike", [N("EyeLike", ["x"], ["y"], k=1), N("EyeLike", ["x"], ["z"], dtype=I64, k=-1)], {"x": np.zeros((3, 4), np.float32)}, {"y": F, "z": I64},
     opset=9, description="EyeLike-9 with k and dtype")
case("shape_unique", [N("Unique", ["x"], ["y", "i", "inv", "c"]), N("Unique", ["x"], ["y2", "i2", "inv2", "c2"], sorted=0)],
     {"x": np.array([2, 1, 1, 3, 4, 3, -0.0, 0], np.float32)}, {"y": F, "i": I64, "inv": I64, "c": I64, "y2": F, "i2": I64, "inv2": I64, "c2": I64},
     opset=11, description="Unique-11 sorted and unsorted, signed zeros")
case("shape_unique_axis", [N("Unique", ["x"], ["y", "i", "inv", "c"], axis=-1)],
     {"x": np.array([[1, 0, 1, 0], [1, 0, 1, 2], [2, 3, 2, 2]], np.int64)}, {"y": I64, "i": I64, "inv": I64, "c": I64}, opset=11,
     description="Unique-11 along the last axis")
case("shape_unique_strings", [N("Unique", ["x"], ["y", "i", "inv", "c"])], {"x": np.array(["b", "a", "", "b"], dtype=object)},
     {"y": S, "i": I64, "inv": I64, "c": I64}, opset=11, description="Unique-11 strings")

# A chain as skl2onnx writes them: Shape, Gather, Unsqueeze, Concat, Reshape.
case("shape_dynamic_reshape", [
    N("Shape", ["x"], ["sh"]),
    N("Gather", ["sh", "zero"], ["n"]),
    N("Unsqueeze", ["n", "ax"], ["n1"]),
    N("Concat", ["n1", "minus1"], ["target"], axis=0),
    N("Reshape", ["x", "target"], ["y"]),
], {"x": x234}, {"y": F}, {"zero": np.array(0, np.int64), "ax": i64(0), "minus1": i64(-1)}, opset=13,
    description="Reshape to [N, -1] with N read from the input's shape")


# Control flow.
def graph(nodes, inputs, outputs, consts=None):
    return helper.make_graph(nodes, "body", inputs, outputs, [const(k, v) for k, v in (consts or {}).items()])


then_b = graph([N("Transpose", ["x"], ["t"], perm=[1, 0])], [], [vi("t", F, [3, 2])])
else_b = graph([N("Concat", ["x", "w"], ["e"], axis=0)], [], [vi("e", F, [3, 3])])
for c in (True, False):
    case(f"control_if_{str(c).lower()}", [N("If", ["c"], ["y"], then_branch=then_b, else_branch=else_b)],
         {"c": np.array(c), "x": x23, "w": np.ones((1, 3), np.float32)}, {"y": F}, opset=13,
         description=f"If-13 taking the {'then' if c else 'else'} branch; the branches read outer-scope values x and w")
inner = graph([N("If", ["c2"], ["r"], then_branch=graph([N("Reshape", ["x", "s"], ["t"])], [], [vi("t", F, [6])], {"s": i64(-1)}),
                else_branch=graph([N("Slice", ["x", "a", "b"], ["e"])], [], [vi("e", F, [None, 3])], {"a": i64(1), "b": i64(2)}))],
              [], [vi("r", F, None)])
case("control_if_nested", [N("If", ["c"], ["y"], then_branch=inner, else_branch=graph([N("Transpose", ["x"], ["t"])], [], [vi("t", F, None)]))],
     {"c": np.array([True]), "c2": np.array([False]), "x": x23}, {"y": F}, opset=16,
     description="If-16 inside an If branch, both reading the outermost inputs")
case("control_if_v1_strings", [N("If", ["c"], ["y"], then_branch=graph([N("Transpose", ["s"], ["t"])], [], [vi("t", S, [3, 2])]),
                                 else_branch=graph([N("Transpose", ["s"], ["st"]), N("Gather", ["st", "i"], ["e"], axis=1)], [], [vi("e", S, [3, 2])],
                                                   {"i": i64(1, 0)}))],
     {"c": np.array(False), "s": words}, {"y": S}, opset=9, description="If-1 on strings")
error_case("control_if_two_conditions", [N("If", ["c"], ["y"], then_branch=then_b, else_branch=then_b)],
           {"c": np.array([True, False]), "x": x23}, {"y": F}, opset=13, description="If with a condition of two elements")

# Scan: the state is replaced by each slice; the scan output is state and slice.
scan_body = graph([N("Transpose", ["x"], ["s_out"]), N("Concat", ["s", "x"], ["o"], axis=0)],
                  [vi("s", F, [2]), vi("x", F, [2])], [vi("s_out", F, [2]), vi("o", F, [4])])
xs = np.arange(8, dtype=np.float32).reshape(4, 2) - 3
s0 = np.array([9, -9], np.float32)
case("control_scan_v9", [N("Scan", ["s0", "xs"], ["sf", "os"], body=scan_body, num_scan_inputs=1)],
     {"s0": s0, "xs": xs}, {"sf": F, "os": F}, opset=9, description="Scan-9 one state, one scan input")
case("control_scan_v11_directions", [N("Scan", ["s0", "xs"], ["sf", "os"], body=scan_body, num_scan_inputs=1,
                                       scan_input_directions=[1], scan_output_directions=[1])],
     {"s0": s0, "xs": xs}, {"sf": F, "os": F}, opset=11, description="Scan-11 reversed input and output")
case("control_scan_v16_axes", [N("Scan", ["s0", "xs"], ["sf", "os"], body=scan_body, num_scan_inputs=1,
                                  scan_input_axes=[-1], scan_output_axes=[1], scan_output_directions=[1])],
     {"s0": s0, "xs": xs.T.copy()}, {"sf": F, "os": F}, opset=16, description="Scan-16 scan input axis -1, output axis 1 reversed")
outer_body = graph([N("Transpose", ["s"], ["s_out"]), N("Concat", ["x", "extra"], ["o"], axis=0)],
                   [vi("s", F, [2]), vi("x", F, [2])], [vi("s_out", F, [2]), vi("o", F, [3])])
case("control_scan_outer", [N("Scan", ["s0", "xs"], ["sf", "os"], body=outer_body, num_scan_inputs=1)],
     {"s0": s0, "xs": xs, "extra": np.array([0.5], np.float32)}, {"sf": F, "os": F}, opset=15,
     description="Scan-11 body reading an outer-scope value")
two_body = graph([N("Concat", ["a", "b"], ["o"], axis=0)], [vi("a", I64, [1]), vi("b", I64, [1])], [vi("o", I64, [2])])
case("control_scan_two_inputs", [N("Scan", ["xa", "xb"], ["os"], body=two_body, num_scan_inputs=2, scan_input_axes=[0, 1])],
     {"xa": np.array([[1], [2], [3]], np.int64), "xb": np.array([[4, 5, 6]], np.int64)}, {"os": I64}, opset=21,
     description="Scan-21 two scan inputs along different axes, no state")
error_case("control_scan_no_positions", [N("Scan", ["s0", "xs"], ["sf", "os"], body=scan_body, num_scan_inputs=1)],
           {"s0": s0, "xs": np.zeros((0, 2), np.float32)}, {"sf": F, "os": F}, opset=11, description="Scan over a sequence of length 0")
error_case("control_scan_lengths_differ", [N("Scan", ["xa", "xb"], ["os"], body=two_body, num_scan_inputs=2)],
           {"xa": np.array([[1], [2], [3]], np.int64), "xb": np.array([[4], [5]], np.int64)}, {"os": I64}, opset=11,
           description="Scan inputs of different lengths")

# Loop: the condition comes from a table; v rotates; the scan output is [i].
loop_body = graph([
    N("Gather", ["table", "i"], ["c_out"]),
    N("Concat", ["v", "v"], ["vc"], axis=0),
    N("Slice", ["vc", "one", "three"], ["v_out"]),
    N("Unsqueeze", ["i", "zero"], ["sc"]),
], [vi("i", I64, []), vi("c", B, []), vi("v", F, [2])], [vi("c_out", B, []), vi("v_out", F, [2]), vi("sc", I64, [1])],
    {"table": np.array([True, True, True, False, True]), "one": i64(1), "three": i64(3), "zero": i64(0)})
loop_body11 = graph([
    N("Gather", ["table", "i"], ["c_out"]),
    N("Concat", ["v", "v"], ["vc"], axis=0),
    N("Slice", ["vc", "one", "three"], ["v_out"]),
    N("Unsqueeze", ["i"], ["sc"], axes=[0]),
], [vi("i", I64, []), vi("c", B, []), vi("v", F, [2])], [vi("c_out", B, []), vi("v_out", F, [2]), vi("sc", I64, [1])],
    {"table": np.array([True, True, True, False, True]), "one": i64(1), "three": i64(3)})
v0 = np.array([1.5, -2], np.float32)
case("control_loop_trips", [N("Loop", ["m", "", "v0"], ["vf", "scs"], body=loop_body)],
     {"m": np.array(3, np.int64), "v0": v0}, {"vf": F, "scs": I64}, opset=13, description="Loop-13 trip count, no condition")
case("control_loop_cond", [N("Loop", ["", "c", "v0"], ["vf", "scs"], body=loop_body)],
     {"c": np.array(True), "v0": v0}, {"vf": F, "scs": I64}, opset=16, description="Loop-16 while the body's condition holds")
case("control_loop_both", [N("Loop", ["m", "c", "v0"], ["vf", "scs"], body=loop_body11)],
     {"m": np.array(2, np.int64), "c": np.array(True), "v0": v0}, {"vf": F, "scs": I64}, opset=11,
     description="Loop-11 trip count and condition, the count ending first")
case("control_loop_none", [N("Loop", ["m", "c", "v0"], ["vf", "scs"], body=loop_body)],
     {"m": np.array(5, np.int64), "c": np.array(False), "v0": v0}, {"vf": F, "scs": I64}, opset=13,
     description="Loop-13 with a false condition: no iteration, the declared scan shape")


# The squared-distance Scan of skl2onnx's KNeighbors converters (the engine
# computes it without running the body). Training rows and queries mix
# magnitudes so that the order of the float operations shows, and the
# cases compare exactly: onnxruntime sums the squares along the row in
# order (a first square of 2^24 absorbs the ones after it, where lane-wise
# sums would keep them).
def knn_body(elem, opset, reversed_sub=False):
    rss = N("ReduceSumSquare", ["diff"], ["reduced"], axes=[1], keepdims=0)
    consts = None
    if opset >= 18:
        rss = N("ReduceSumSquare", ["diff", "axes"], ["reduced"], keepdims=0)
        consts = {"axes": i64(1)}
    sub = ["next", "next_in"] if reversed_sub else ["next_in", "next"]
    return graph([N("Identity", ["next_in"], ["next_out"]), N("Sub", sub, ["diff"]), rss, N("Identity", ["reduced"], ["scan_out"])],
                 [vi("next_in", elem, [None, 4]), vi("next", elem, [4])], [vi("next_out", elem, [None, 4]), vi("scan_out", elem, [None])], consts)


rng = np.random.default_rng(7)
knn_train = (rng.normal(size=(30, 4)) * np.array([1e3, 1, 1e-3, 10])).astype(np.float32)
knn_queries = (rng.normal(size=(9, 4)) * np.array([1e3, 1, 1e-3, 10])).astype(np.float32)
knn_queries[2] = knn_train[5]  # a zero distance
knn_train[7] = [4096, 1, 1, 1]
knn_queries[3] = [0, 0, 0, 0]  # its squared distance to row 7 is 2^24 in order, 2^24+2 lane-wise
for name, elem, dt, opset, rev in (("control_scan_knn", F, np.float32, 15, False), ("control_scan_knn_opset18", F, np.float32, 18, True),
                                   ("control_scan_knn_fp64", D, np.float64, 13, False)):
    case(name, [N("Scan", ["X", "train"], ["final", "dists"], body=knn_body(elem, opset, rev), num_scan_inputs=1)],
         {"X": knn_queries.astype(dt)}, {"final": elem, "dists": elem}, {"train": knn_train.astype(dt)}, opset=opset,
         description=f"Scan-{opset} squared distances as skl2onnx's KNN converters write them ({np.dtype(dt).name})", exact=True)
case("control_scan_knn_one_row", [N("Scan", ["X", "train"], ["final", "dists"], body=knn_body(F, 17), num_scan_inputs=1)],
     {"X": knn_queries[:1]}, {"final": F, "dists": F}, {"train": knn_train}, opset=17,
     description="Scan-16 squared distances for one query row", exact=True)
