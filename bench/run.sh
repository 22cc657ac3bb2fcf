#!/usr/bin/env bash
# Runs the side-by-side benchmarks of iameval and its peers on the workload
# and prints the medians and ratios. Usage: [BENCHTIME=300ms] ./run.sh [count]   (default 6)
set -euo pipefail
cd "$(dirname "$0")"
count="${1:-6}"
benchtime="${BENCHTIME:-300ms}"
out="$(mktemp)"
go test -run TestDecisions ./
go test -run '^$' -bench . -benchmem -count "$count" -benchtime "$benchtime" ./ | tee "$out"
go run ./ratios < "$out"
