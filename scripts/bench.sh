#!/usr/bin/env bash
# Builds the release server and the load driver, then prints the benchmark tables of
# BENCHMARKS.md for SQLite and PostgreSQL (server pinned to CPU 0, driver to CPU 1).
#   scripts/bench.sh                      both databases, 3 runs each
#   scripts/bench.sh --database sqlite    extra flags go to orgkit-bench (see --help)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p orgkit-server -p orgkit-bench
if [ $# -gt 0 ]; then
  exec target/release/orgkit-bench --pin "$@"
fi
target/release/orgkit-bench --pin --database sqlite
target/release/orgkit-bench --pin --database postgres
