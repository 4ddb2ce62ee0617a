package onnx

// nnOps holds the kernels for MatMul, Gemm, Softmax and activations.
var nnOps = map[opKey]opSpec{}
