#!/usr/bin/env bash
# Issue 14's paired benchmark: orgkit and Better Auth 1.7.25's organization plugin, one after
# the other, on the same seven operations, from the same Rust driver, with the same pinning
# (server on CPU 0, driver on CPU 1), both on the same database: SQLite (WAL, synchronous
# NORMAL; Better Auth through better-sqlite3) by default, or PostgreSQL (Better Auth through
# node-postgres, a pool of 10) with `--database postgres`. Prints both tables with the driver's
# own CPU use per phase, then the ratio table (orgkit ÷ Better Auth).
#   scripts/bench-paired.sh                          3 runs of every phase, on SQLite
#   scripts/bench-paired.sh --database postgres      the same on PostgreSQL: each target and run
#       gets a fresh database (orgkit_paired_N, orgkit_paired_ba_N) in the server at
#       --postgres-url (default postgres://postgres@127.0.0.1:5432/test, or
#       $ORGKIT_BENCH_POSTGRES_URL), dropped afterwards
#   scripts/bench-paired.sh --runs 1 --seconds 4     extra flags go to orgkit-bench (see --help)
# Each phase first runs 2 s unmeasured (`--warmup-seconds 2`) unless the flags name another.
# Setup is part of the command: `npm ci` in bench/better-auth (pinned by its package-lock.json;
# better-sqlite3 builds from source with node-gyp when its prebuilt binary cannot be fetched,
# a few minutes the first time), then the release server and driver (in $CARGO_TARGET_DIR when
# set, else target/).
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
bin="${CARGO_TARGET_DIR:-target}/release"
warmup=(--warmup-seconds 2)
server=(--server-bin "$bin/orgkit-server")
for arg in "$@"; do
  case "$arg" in
    --warmup-seconds|--warmup-seconds=*) warmup=() ;;
    --server-bin|--server-bin=*) server=() ;;
  esac
done
exec "$bin/orgkit-bench" --scenario paired --pin "${server[@]}" "${warmup[@]}" "$@"
