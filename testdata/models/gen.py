"""Writes the small ONNX models the server and manifest tests use.

They use only ZipMap, so they load whatever else the engine supports:
  toy.onnx       float_input float32[N,2] -> ZipMap(int64 classes 0, 1)
                 -> output_probability; the inputs are the probabilities.
  toy_str.onnx   float_input float32[N,3] -> ZipMap(classes "a", "b", "c").
  toy5.onnx      float_input float32[N,5] -> ZipMap(int64 classes 0..4): the
                 loan model's input with five classes.
  toy_label.onnx as toy.onnx, plus an int64[N,1] input "label" passed
                 through as the graph output "output_label".
  toy_types.onnx as toy_str.onnx with int64 classes 0, 1, 2, plus inputs the
                 graph ignores: "text" string[N,2] and "count" int32[N,1],
                 so a manifest can have features of every type.

Run with /usr/bin/python3 (onnx 1.12): python3 gen.py
"""
import onnx
from onnx import TensorProto, helper


def zipmap_model(name, n_features, labels_attr, with_label=False, extra_inputs=()):
    inputs = [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, n_features])]
    inputs += [helper.make_tensor_value_info(n, t, [None, k]) for n, t, k in extra_inputs]
    outputs = []
    if with_label:
        inputs.append(helper.make_tensor_value_info("label", TensorProto.INT64, [None, 1]))
        outputs.append(helper.make_tensor_value_info("label", TensorProto.INT64, [None, 1]))
    key = TensorProto.INT64 if "classlabels_int64s" in labels_attr else TensorProto.STRING
    seq = onnx.TypeProto()
    seq.sequence_type.elem_type.map_type.key_type = key
    seq.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    outputs.append(helper.make_value_info("output_probability", seq))
    node = helper.make_node("ZipMap", ["float_input"], ["output_probability"], domain="ai.onnx.ml", **labels_attr)
    graph = helper.make_graph([node], name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 1)],
                              producer_name="tabserve-testdata")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, name + ".onnx")


zipmap_model("toy", 2, {"classlabels_int64s": [0, 1]})
zipmap_model("toy5", 5, {"classlabels_int64s": [0, 1, 2, 3, 4]})
zipmap_model("toy_str", 3, {"classlabels_strings": ["a", "b", "c"]})
zipmap_model("toy_label", 2, {"classlabels_int64s": [0, 1]}, with_label=True)
zipmap_model("toy_types", 3, {"classlabels_int64s": [0, 1, 2]},
             extra_inputs=[("text", TensorProto.STRING, 2), ("count", TensorProto.INT32, 1)])
