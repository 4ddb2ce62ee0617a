#!/usr/bin/env bash
# engine.sh times the ONNX engine against onnxruntime on the loan model,
# side by side in one run, both pinned to one core: one row per call and
# 1,000 rows per call, through the engine's public RunInto (the whole
# graph: Scaler, TreeEnsembleClassifier, Cast, ZipMap) and through
# onnxruntime-node 1.30.0 (single intra-op thread; ../shared/bench/ort_bench.js,
# which runs the ZipMap-less copy of the model, as onnxruntime-node cannot
# return ZipMap's maps).
#
# usage: bench/engine.sh [CPU]   (from the repository; CPU defaults to 1)
# Needs ../shared (beside the repository), node and npm; it installs
# onnxruntime-node into $ORTJS (default: a cache folder) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=${1:-1}
shared=$(cd .. && pwd)/shared
[ -d "$shared/bench" ] || { echo "engine.sh: $shared/bench not found (it lives beside the repository)" >&2; exit 1; }
ORTJS=${ORTJS:-${XDG_CACHE_HOME:-$HOME/.cache}/tabserve-ortjs}
if [ ! -d "$ORTJS/node_modules/onnxruntime-node" ]; then
	mkdir -p "$ORTJS"
	(cd "$ORTJS" && npm init -y >/dev/null && npm pack onnxruntime-node@1.30.0 >/dev/null &&
		npm install --ignore-scripts ./onnxruntime-node-1.30.0.tgz >/dev/null)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/onnx.test" ./internal/onnx
(cd internal/onnx && taskset -c "$cpu" "$tmp/onnx.test" -test.run '^$' -test.bench BenchmarkLoanModel \
	-test.count 10 -test.benchmem) | tee "$tmp/go.txt" | grep '^Benchmark' >&2
(cd .. && NODE_PATH="$ORTJS/node_modules" ONNX_PATH=shared/models/loan_approval_v1.nozipmap.onnx \
	taskset -c "$cpu" node shared/bench/ort_bench.js) > "$tmp/ort.json"
python3 - "$tmp/go.txt" "$tmp/ort.json" <<'PY'
import json, re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"BenchmarkLoanModel/rows=(\d+)\S*\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) ns/row", line)
    if m:
        rows.setdefault(m.group(1), []).append(float(m.group(2)) / 1000)
ort = json.load(open(sys.argv[2]))["by_intra_op_threads"]["1"]["us_per_row"]
print("| rows per call | tabserve engine, µs/row (median of 10) | onnxruntime 1.30 (node, 1 thread), µs/row | speed-up |")
print("|---|---|---|---|")
for n, key in (("1", "b1"), ("1000", "b1000")):
    go = statistics.median(rows[n])
    print(f"| {int(n):,} | {go:.2f} | {ort[key]:.2f} | {ort[key] / go:.1f}× |")
PY
