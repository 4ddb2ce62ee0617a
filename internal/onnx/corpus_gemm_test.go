package onnx_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tabserve/tabserve/internal/oip"
	"github.com/tabserve/tabserve/internal/onnx/onnxpb"
)

// usesOps reports whether the model at path has a node (in any subgraph)
// of one of the given operators of domain ("" for ai.onnx).
func usesOps(t *testing.T, path, domain string, ops ...string) bool {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m onnxpb.ModelProto
	if err := proto.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var walk func(g *onnxpb.GraphProto) bool
	walk = func(g *onnxpb.GraphProto) bool {
		for _, n := range g.GetNode() {
			if d := n.GetDomain(); d == domain || (domain == "" && d == "ai.onnx") {
				for _, op := range ops {
					if n.GetOpType() == op {
						return true
					}
				}
			}
			for _, a := range n.GetAttribute() {
				if a.GetG() != nil && walk(a.GetG()) {
					return true
				}
				for _, sg := range a.GetGraphs() {
					if walk(sg) {
						return true
					}
				}
			}
		}
		return false
	}
	return walk(m.GetGraph())
}

// gemmInexact lists the cases with MatMul or Gemm whose outputs differ
// from onnxruntime's in the last bits, with the operator where they first
// do: another operator's float32 or float64 approximation, not the
// products, which match bit for bit.
var gemmInexact = map[string]string{
	"logreg_multinomial_fp64":             "Softmax (float64)",
	"mlp_clf_relu":                        "Softmax",
	"pca_logreg_digits":                   "LinearClassifier's softmax",
	"sk_lin2_qda_binary_opset18":          "Log",
	"sk_lin2_qda_multi":                   "Log",
	"sk_lin_logreg_multinomial_fp64_op18": "Softmax (float64)",
	"sk_lin_logreg_ovr_fp64_op13":         "Sigmoid (float64)",
	"sk_lin_poisson":                      "Exp",
	"sk_mlp_clf_identity_multi":           "Softmax",
	"sk_mlp_clf_tanh_multi":               "Softmax",
	"sk_nb2_gpr_rbf":                      "Exp",
	"sk_nb2_gpr_rbf_normalize_y_opset17":  "Exp",
	"sk_nb_bernoulli_binarize":            "Log",
	"sk_nb_bernoulli_nobinarize":          "Log",
	"sk_nb_complement":                    "Exp",
	"sk_nb_multinomial":                   "Exp",
	"sk_nb_multinomial_opset18":           "Exp",
	"sk3_mix_bgmm_diag_dirichlet":         "Exp",
	"sk3_mix_bgmm_full_opset18":           "Exp",
	"sk3_mix_bgmm_spherical_opset17":      "Exp",
	"sk3_mix_gmm_diag_opset18":            "Exp",
	"sk3_mix_gmm_full":                    "Exp",
	"sk3_mix_gmm_spherical_opset13":       "Exp",
	"sk3_mix_gmm_tied_fp64":               "Exp (float64)",
	"sk4_def_mlp_clf_multi":               "Softmax",
	"sk4_tr_gamma":                        "Exp",
	"sk4_tr_tweedie_log":                  "Exp",
}

// TestCorpusGemmExact checks that every case whose model multiplies
// matrices (MatMul, Gemm) gives onnxruntime's floating-point outputs bit
// for bit, but those listed in gemmInexact; it logs, per case, how many
// outputs match exactly and the largest difference.
func TestCorpusGemmExact(t *testing.T) {
	seen := map[string]bool{}
	for _, base := range corpusCases(t) {
		if _, err := os.Stat(base + ".error.json"); err == nil {
			continue
		}
		if !usesOps(t, base+".onnx", "", "MatMul", "Gemm") {
			continue
		}
		name := filepath.Base(base)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			exact, total, maxDiff := exactValues(t, base)
			t.Logf("%d of %d values exact, largest difference %.3g", exact, total, maxDiff)
			// A case re-stamped to a newer opset (gen_newer_opsets.py)
			// shares its original's entry.
			reason, listed := gemmInexact[strings.TrimPrefix(name, "op26_")]
			switch {
			case !listed && exact < total:
				t.Errorf("%d of %d values differ from onnxruntime's (by up to %.3g); want all equal", total-exact, total, maxDiff)
			case listed && exact == total:
				t.Errorf("all %d values equal onnxruntime's; remove the case from gemmInexact (%s)", total, reason)
			}
		})
	}
	for name := range gemmInexact {
		if !seen[name] {
			t.Errorf("gemmInexact lists %s, which is not a case with MatMul or Gemm", name)
		}
	}
}

// exactValues runs the case at base and counts its floating-point output
// values equal to onnxruntime's (NaN equal to NaN), returning the largest
// difference of the others.
func exactValues(t *testing.T, base string) (exact, total int, maxDiff float64) {
	t.Helper()
	var want expectedFile
	raw, err := os.ReadFile(base + ".expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	m, outs := runCase(t, base)
	for _, w := range want.Outputs {
		if w.Datatype != "FP32" && w.Datatype != "FP64" {
			continue
		}
		for i, o := range m.Outputs() {
			if o.Name != w.Name {
				continue
			}
			got := decodeFlat(t, oip.AppendData(nil, oip.NewOutput(w.Name, outs[i]).Tensor))
			if len(got) != len(w.Data) {
				t.Fatalf("%s: %d values; want %d", w.Name, len(got), len(w.Data))
			}
			for j := range got {
				g, e := number(t, got[j]), number(t, w.Data[j])
				if w.Datatype == "FP32" {
					g, e = float64(float32(g)), float64(float32(e))
				}
				total++
				if g == e || (math.IsNaN(g) && math.IsNaN(e)) {
					exact++
					continue
				}
				maxDiff = max(maxDiff, math.Abs(g-e))
			}
		}
	}
	return exact, total, maxDiff
}

// number decodes a JSON number, null standing for NaN.
func number(t *testing.T, raw json.RawMessage) float64 {
	t.Helper()
	var v *float64
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	if v == nil {
		return math.NaN()
	}
	return *v
}
