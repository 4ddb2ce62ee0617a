// Package models embeds the default model, the loan approval classifier,
// and its manifest, so that the binary serves it with no files beside it.
package models

import "embed"

// FS holds the embedded models and their manifests.
//
//go:embed loan_approval_v1.onnx loan_approval_v1.yaml
var FS embed.FS

// Default is the path in FS of the default model's manifest; the manifest
// names its ONNX file.
const Default = "loan_approval_v1.yaml"
