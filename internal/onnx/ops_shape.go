package onnx

// shapeOps holds the kernels for shape manipulation.
var shapeOps = map[opKey]opSpec{}
