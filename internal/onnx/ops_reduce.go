package onnx

// reduceOps holds the kernels for reductions, ArgMax/ArgMin, CumSum, TopK.
var reduceOps = map[opKey]opSpec{}
