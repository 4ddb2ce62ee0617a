package onnx

// msOps holds the kernels of onnxruntime's own com.microsoft domain that
// converters emit for tabular models. onnxruntime 1.30 loads that domain
// at opset 1 only (see maxOpset).
var msOps = map[opKey]opSpec{
	{"com.microsoft", "CDist"}: {since: []int{1}, build: buildCDist},
}
