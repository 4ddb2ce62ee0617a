package onnx

// coreOps holds the kernels for elementwise arithmetic, comparison, logic, Cast, Identity, Constant.
var coreOps = map[opKey]opSpec{}
