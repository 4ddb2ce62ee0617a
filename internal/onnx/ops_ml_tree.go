package onnx

// mlTreeOps holds the kernels for tree ensembles.
var mlTreeOps = map[opKey]opSpec{}
