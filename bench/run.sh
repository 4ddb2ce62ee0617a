#!/bin/sh
# Reruns every figure of BENCHMARKS.md: builds tabserve, measures it and its
# peers, and writes bench/results/ and BENCHMARKS.md's generated section.
# Flags go to peerbench (bench/run.sh -h lists them). Not run in CI.
set -eu
cd "$(dirname "$0")"
command -v go >/dev/null 2>&1 || PATH=/usr/local/go/bin:$PATH
exec go run ./cmd/peerbench "$@"
