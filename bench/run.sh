#!/usr/bin/env bash
# Runs the side-by-side benchmarks of iameval and its peers on the workload
# and prints the medians and ratios. Usage: ./run.sh [count]   (default 6)
set -euo pipefail
cd "$(dirname "$0")"
count="${1:-6}"
out="$(mktemp)"
go test -run TestDecisions ./
go test -run '^$' -bench . -benchmem -count "$count" ./ | tee "$out"
go run ./ratios < "$out"
