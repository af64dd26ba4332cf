#!/usr/bin/env bash
# Issue 14's paired benchmark: orgkit and Better Auth 1.7.25's organization plugin, one after
# the other, on the same seven operations, from the same Rust driver, with the same pinning
# (server on CPU 0, driver on CPU 1), both on SQLite (WAL, synchronous NORMAL). Prints both
# tables with the driver's own CPU use per phase, then the ratio table (orgkit ÷ Better Auth).
#   scripts/bench-paired.sh                          3 runs of every phase
#   scripts/bench-paired.sh --runs 1 --seconds 4     extra flags go to orgkit-bench (see --help)
# Each phase first runs 2 s unmeasured (`--warmup-seconds 2`) unless the flags name another.
# Setup is part of the command: `npm ci` in bench/better-auth (pinned by its package-lock.json;
# better-sqlite3 builds from source with node-gyp when its prebuilt binary cannot be fetched,
# a few minutes the first time), then the release server and driver.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=bench/better-auth
# Install again only when the lock file changed since the last install (or nothing is there).
if [ ! -f "$dir/node_modules/.package-lock.json" ] \
  || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] \
  || [ ! -d "$dir/node_modules/better-sqlite3/build/Release" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund)
fi
cargo build --release -p orgkit-server -p orgkit-bench
warmup=(--warmup-seconds 2)
for arg in "$@"; do
  case "$arg" in --warmup-seconds|--warmup-seconds=*) warmup=() ;; esac
done
exec target/release/orgkit-bench --scenario paired --pin "${warmup[@]}" "$@"
