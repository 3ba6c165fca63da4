#!/usr/bin/env bash
# Runs the benchmarks (tests/Benchmarks). Usage:
#   build/bench.sh            all suites
#   build/bench.sh --smoke    a very short run of each, to check they work
#   build/bench.sh <suite>    one suite: see 'build/bench.sh --list'
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet run -c Release --project tests/Benchmarks -- "$@"
