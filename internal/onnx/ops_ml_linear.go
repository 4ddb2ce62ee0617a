package onnx

// mlLinearOps holds the kernels for LinearClassifier, LinearRegressor, SVMClassifier, SVMRegressor.
var mlLinearOps = map[opKey]opSpec{}
