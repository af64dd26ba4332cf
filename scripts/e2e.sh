#!/usr/bin/env bash
# The end-to-end test of the demo app (e2e/, Playwright through playwright-core and Debian
# Chromium) against a fresh orgkit-server on a free port, a temporary SQLite database and --dev.
# Needs the SDK built into pkg/ (scripts/sdk-build.sh) and the server binary
# (cargo build -p orgkit-server; ORGKIT_SERVER_BIN picks another one). Screenshots go to
# target/e2e-screenshots/, the server's log to target/e2e-server.log. Exits with the tests' code.
# Arguments, when given, name the test files to run (default: all of e2e/). `--bench FILE` runs
# FILE with plain node instead (a benchmark against the same server, e.g. e2e/bench/sdk.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."

server_bin=${ORGKIT_SERVER_BIN:-target/debug/orgkit-server}
if [ ! -x "$server_bin" ] && [ -z "${ORGKIT_SERVER_BIN:-}" ]; then
  echo "e2e: building orgkit-server (target/debug/orgkit-server is missing)"
  cargo build -p orgkit-server --color never || exit 1
fi
if [ ! -x "$server_bin" ]; then
  echo "e2e: $server_bin is missing; run: cargo build -p orgkit-server" >&2
  exit 1
fi
if [ ! -f pkg/orgkit.js ] || [ ! -f pkg/orgkit_bg.wasm ]; then
  echo "e2e: pkg/ is missing; build the SDK first (scripts/sdk-build.sh)" >&2
  exit 1
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund || exit 1
fi

tmp=$(mktemp -d)
log=target/e2e-server.log
mkdir -p target
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# DNS: the e2e tests that need TXT records start their own server on this port (e2e/dns.mjs);
# until then nothing listens there and lookups fail at once.
dns_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ORGKIT_E2E_DNS_PORT=$dns_port

: >"$tmp/stdout" # exists before the server writes to it, so the first read below finds it
# Webhooks on: a fresh --secret-key for this run, in the environment rather than on the command line;
# --webhook-allow-private so that the test's receiver on this machine may be an endpoint.
ORGKIT_SECRET_KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
NO_COLOR=1 "$server_bin" --dev --webhook-allow-private --sso-allow-private --dns-server 127.0.0.1:$dns_port --listen 127.0.0.1:0 --database-url "sqlite://$tmp/e2e.db" \
  --www-dir www --pkg-dir pkg --password-hashing fast \
  --sign-up-limit-per-minute 1000 --mail-to-address-limit-per-minute 1000 >"$tmp/stdout" 2>"$log" &
server_pid=$!

url=""
for _ in $(seq 1 600); do
  url=$(sed -n 's/^orgkit-server listening on \(http:[^[:space:]]*\).*/\1/p' "$tmp/stdout" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "e2e: the server did not start; its log:" >&2
  cat "$tmp/stdout" "$log" >&2
  exit 1
fi
echo "e2e: orgkit-server at $url (log: $log)"

if [ "${1:-}" = "--bench" ]; then
  ORGKIT_E2E_BASE_URL="$url" node "$2"
else
  ORGKIT_E2E_BASE_URL="$url" node --test --test-reporter=tap "${@:-e2e/}"
fi
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "e2e: failed (exit $rc); the server log's last lines:" >&2
  tail -n 40 "$log" >&2
fi
exit "$rc"
