#!/usr/bin/env bash
# Builds the release server and the load driver, then prints the benchmark tables of
# BENCHMARKS.md for SQLite and PostgreSQL (server pinned to CPU 0, driver to CPU 1).
#   scripts/bench.sh                      both databases, 3 runs each
#   scripts/bench.sh --database sqlite    extra flags go to orgkit-bench (see --help)
#   scripts/bench.sh --scenario mail --database sqlite
#       bulk invitations of 50 addresses mailed to a local aiosmtpd (scripts/setup.sh installs
#       it): request times and delivery throughput; --server-bin for another build,
#       --smtp-quick-ack to take out lettre's 40 ms Nagle stall per message
#   scripts/bench.sh --scenario invite --database sqlite   the plan's invite phase alone
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p orgkit-server -p orgkit-bench
if [ $# -gt 0 ]; then
  exec target/release/orgkit-bench --pin "$@"
fi
target/release/orgkit-bench --pin --database sqlite
target/release/orgkit-bench --pin --database postgres
