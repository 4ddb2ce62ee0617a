package onnx

// controlOps holds the kernels for Scan and If.
var controlOps = map[opKey]opSpec{}
