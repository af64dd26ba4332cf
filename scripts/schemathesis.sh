#!/usr/bin/env bash
# Runs Schemathesis (installed by scripts/setup.sh) against a live server: every check, the
# stateful phase included, signed in as a fresh user, on a temporary SQLite database. The
# document at /v1/openapi.json is the contract: any answer it does not promise is a failure.
# Ends with a cargo-style line, "test result: ok. N passed; M failed", one test per operation.
#   scripts/schemathesis.sh [--max-examples N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."

max_examples=30
seed=20240601
while [ $# -gt 0 ]; do
  case $1 in
    --max-examples) max_examples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

cargo build -p orgkit-server --color never
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  return 0
}
trap cleanup EXIT

# The sign-in limit is raised: the fuzzer signs in far more than 10 times a minute from one
# address, and a 429 there would only hide the answers behind it.
target/debug/orgkit-server --dev --dns-server 127.0.0.1:9 --password-hashing fast --listen 127.0.0.1:0 \
  --database-url "sqlite://$work/orgkit.db" --www-dir "$work/www" --pkg-dir "$work/pkg" \
  --sign-in-limit-per-minute 100000 --invite-limit-per-minute 100000 \
  --sign-up-limit-per-minute 100000 --mail-to-address-limit-per-minute 100000 \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=
for _ in $(seq 100); do
  url=$(sed -n 's/^orgkit-server listening on //p' "$work/server.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start:"; cat "$work/server.err"; exit 1; }
echo "server at $url"

token=$(python3 tests/schemathesis/sign_up.py "$url")

# Sign-out is left out so that the session lives through the run.
set +e
SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$PWD/tests/schemathesis" PYTHONDONTWRITEBYTECODE=1 \
  python3 -m schemathesis.cli run "$url/v1/openapi.json" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "$max_examples" \
  --seed "$seed" \
  --workers 2 \
  --generation-database none \
  --exclude-path /v1/auth/sign-out \
  --header "Authorization: Bearer $token" \
  --request-timeout 10 \
  --no-color \
  --report junit --report-junit-path "$work/junit.xml"
rc=$?
set -e

# One test per operation (and one for the stateful phase), from the JUnit report.
python3 - "$work/junit.xml" "$rc" <<'EOF'
import sys
import xml.etree.ElementTree as ET

rc = int(sys.argv[2])
try:
    cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
except (OSError, ET.ParseError):
    cases = []
failed = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
passed = len(cases) - failed
if rc != 0 and failed == 0:
    failed = 1
print(f"test result: {'ok' if failed == 0 else 'FAILED'}. {passed} passed; {failed} failed")
EOF
if grep -q "internal error" "$work/server.err"; then
  echo "the server logged internal errors:"
  grep "internal error" "$work/server.err" | head -20
  rc=1
fi
exit "$rc"
