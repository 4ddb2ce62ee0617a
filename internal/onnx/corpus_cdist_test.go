package onnx_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCorpusCDistExact checks that every case whose model has a
// com.microsoft CDist node gives onnxruntime's floating-point outputs bit
// for bit; it logs, per case, how many values it compared.
func TestCorpusCDistExact(t *testing.T) {
	cases, values := 0, 0
	for _, base := range corpusCases(t) {
		if _, err := os.Stat(base + ".error.json"); err == nil {
			continue
		}
		if !usesOps(t, base+".onnx", "com.microsoft", "CDist") {
			continue
		}
		cases++
		t.Run(filepath.Base(base), func(t *testing.T) {
			exact, total, maxDiff := exactValues(t, base)
			values += total
			t.Logf("%d of %d values exact, largest difference %.3g", exact, total, maxDiff)
			if exact < total {
				t.Errorf("%d of %d values differ from onnxruntime's (by up to %.3g); want all equal", total-exact, total, maxDiff)
			}
		})
	}
	if cases == 0 {
		t.Fatal("no case has a CDist node")
	}
	t.Logf("%d cases, %d values", cases, values)
}
