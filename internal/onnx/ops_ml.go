package onnx

// mlOps holds the kernels for ai.onnx.ml preprocessing operators and ZipMap.
var mlOps = map[opKey]opSpec{
	{"ai.onnx.ml", "Scaler"}: {since: []int{1}, build: buildScaler},
	{"ai.onnx.ml", "ZipMap"}: {since: []int{1}, build: buildZipMap},
}
