#!/usr/bin/env bash
# Runs the SDK's browser tests (tests/browser.rs) in headless Debian Chromium against a real
# orgkit-server on a free loopback port, with a fresh SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."

# The test page's port, known before the run (the server's --allowed-origin names it), is taken
# below the kernel's ephemeral range. The runner starts chromedriver on a port the kernel picks
# from that range, and it once picked the page's port, freed again after this probe: chromedriver
# then answered the page's requests and no test ran (the runner waited for its timeout; CI failed
# that way).
free_port() {
  python3 - <<'PY'
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for port in random.sample(range(20000, min(low, 32768)), 200):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port below the ephemeral range")
PY
}
page_port=$(free_port)
work=$(mktemp -d)
cargo build -q -p orgkit-server
# Webhooks on: a fresh --secret-key for this run, in the environment rather than on the command line;
# --webhook-allow-private so that endpoints may point back at this server (tests/browser.rs).
# --dns-server 127.0.0.1:9 (nothing listens there): TXT lookups fail at once, never leaving the machine.
# --app-permission: an app permission of the app under test, for `org.can()`.
ORGKIT_SECRET_KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
target/debug/orgkit-server --dev --webhook-allow-private --sso-allow-private --dns-server 127.0.0.1:9 --listen 127.0.0.1:0 --database-url "sqlite://$work/browser.db" \
  --allowed-origin "http://127.0.0.1:$page_port" --password-hashing fast \
  --sign-in-limit-per-minute 1000 --invite-limit-per-minute 1000 \
  --sign-up-limit-per-minute 1000 --mail-to-address-limit-per-minute 1000 \
  --app-permission org:invoices:create \
  >"$work/server.out" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
# Up to 60 s: a loaded machine starts a debug build slowly.
for _ in $(seq 600); do
  grep -q 'listening on' "$work/server.out" 2>/dev/null && break
  kill -0 $server 2>/dev/null || break
  sleep 0.1
done
url=$(sed -n 's/.*listening on //p' "$work/server.out")
[ -n "$url" ] || { echo "the server did not start"; cat "$work/server.log"; exit 1; }
echo "orgkit-server for the browser tests: $url (test page on port $page_port)"

export ORGKIT_TEST_SERVER="$url" WASM_BINDGEN_TEST_ADDRESS="127.0.0.1:$page_port"
# The runner's defaults (5 s for chromedriver to bind its port, 20 s for the whole run) are too
# short on a loaded machine: CI once failed this stage with no test result at all.
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} WASM_BINDGEN_TEST_TIMEOUT=300
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT=120
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# Why runs hung with no test run ("Loading scripts...", the page's last module requests pending
# until the timeout): the runner's page server is tiny_http, which hands each connection to a
# thread of its pool for the connection's whole life. Its pool starts with four idle threads, and
# when several connections arrive before the woken threads count themselves busy, it queues the
# extra ones instead of starting threads for them: with Chrome's six keep-alive connections,
# the fifth and sixth wait behind four that never close (six connections opened at once to the
# runner's server got four answers, in 5 trials of 5). `hold_page_server` takes the idle threads
# first with eight idle connections, held for the run, so the pool starts a thread of its own for
# each of the browser's connections (six of six answered, in 10 trials of 10).
hold_page_server() {
  python3 - "$page_port" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
held = []
deadline = time.monotonic() + 1800  # the runner starts after the test build, which can be slow
while time.monotonic() < deadline and len(held) < 8:
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        held.append(s)
        time.sleep(0.05)  # one at a time, so each finds the pool's count of idle threads current
    except OSError:
        s.close()
        time.sleep(0.02)
time.sleep(3600)
PY
  holder=$!
}
holder=""
trap 'kill $server $holder 2>/dev/null || true; rm -rf "$work"' EXIT
# A run in which no test ran (the hang above, or a driver that did not start) is tried again, up
# to three attempts; a run in which the tests ran is never repeated, whatever its result.
for attempt in 1 2 3; do
  rc=0
  hold_page_server
  cargo test --target wasm32-unknown-unknown -p orgkit --test browser -- "$@" 2>&1 | tee "$work/run.log" || rc=$?
  kill "$holder" 2>/dev/null || true
  if grep -q 'test result:' "$work/run.log"; then
    exit "$rc"
  fi
  echo "browser tests: no test ran (attempt $attempt of 3: the runner hung or its driver did not start)"
done
exit 1
