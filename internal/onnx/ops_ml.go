package onnx

// mlOps holds the kernels for ai.onnx.ml preprocessing operators and ZipMap.
var mlOps = map[opKey]opSpec{
	{"ai.onnx.ml", "ArrayFeatureExtractor"}: {since: []int{1}, build: buildArrayFeatureExtractor},
	{"ai.onnx.ml", "Binarizer"}:             {since: []int{1}, build: buildBinarizer},
	{"ai.onnx.ml", "CategoryMapper"}:        {since: []int{1}, build: buildCategoryMapper},
	{"ai.onnx.ml", "FeatureVectorizer"}:     {since: []int{1}, build: buildFeatureVectorizer},
	{"ai.onnx.ml", "Imputer"}:               {since: []int{1}, build: buildImputer},
	{"ai.onnx.ml", "LabelEncoder"}:          {since: []int{1, 2, 4}, build: buildLabelEncoder},
	{"ai.onnx.ml", "Normalizer"}:            {since: []int{1}, build: buildNormalizer},
	{"ai.onnx.ml", "OneHotEncoder"}:         {since: []int{1}, build: buildOneHotEncoder},
	{"ai.onnx.ml", "Scaler"}:                {since: []int{1}, build: buildScaler},
	{"ai.onnx.ml", "ZipMap"}:                {since: []int{1}, build: buildZipMap},
}
