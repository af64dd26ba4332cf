#!/usr/bin/env bash
# Sets up everything and runs every test: the lint gates (fmt, clippy native and wasm32), the
# rule book, the SDK store's snippet (tests/store/, node:test), the server on SQLite (and on PostgreSQL when ORGKIT_TEST_POSTGRES_URL is set; its
# webhook tests also run tests/webhooks/verify.mjs, the npm standardwebhooks package, on a real
# delivery),
# Schemathesis against the live server's OpenAPI document, the SDK's size budget, the browser
# tests against a live server, the TypeScript type test, the React binding's build (and its
# example's bundle) and the end-to-end tests of the demo and of the React example.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || { echo "set-up failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH" CHROMEDRIVER=/usr/bin/chromedriver

logs=target/test-logs
mkdir -p "$logs"
passed=0
failed=0
failed_stages=()

# Adds the counts a stage's runner printed: cargo and wasm-bindgen-test ("test result: ... N
# passed; M failed") and node's test runner ("# pass N" / "ℹ pass N").
count() {
  awk '
    /test result: .* [0-9]+ passed/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^(# |ℹ )pass [0-9]+/ { p += $3 }
    /^(# |ℹ )fail [0-9]+/ { f += $3 }
    END { print p + 0, f + 0 }
  ' "$1"
}

# stage NAME COUNTS-FROM-RUNNER COMMAND...: runs a stage, keeps its log, adds up its tests.
# A stage whose runner reports no count counts as one check, passed or failed by exit code.
stage() {
  local name=$1 log="$logs/$1.log"
  shift
  printf '\n==> %s\n' "$name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  read -r p f < <(count "$log")
  if [ $((p + f)) -eq 0 ]; then
    if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
  elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$rc" -eq 0 ] || failed_stages+=("$name")
  printf '==> %s: %s passed, %s failed (exit %s)\n' "$name" "$p" "$f" "$rc"
}

if [ -n "${ORGKIT_TEST_POSTGRES_URL:-}" ]; then
  echo "PostgreSQL suite: ON (ORGKIT_TEST_POSTGRES_URL is set)"
else
  echo "PostgreSQL suite: OFF — ORGKIT_TEST_POSTGRES_URL is not set, so only SQLite is tested"
fi

stage lint scripts/lint.sh
stage native cargo test --workspace --color never
stage store-js node --test --test-reporter=tap tests/store/
stage schemathesis scripts/schemathesis.sh
stage sdk-size scripts/sdk-build.sh
stage browser scripts/sdk-test.sh
stage types scripts/type-test.sh
stage react scripts/react-build.sh
stage e2e scripts/e2e.sh

echo
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failed_stages[@]} -eq 0 ]
