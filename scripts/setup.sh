#!/usr/bin/env bash
# Installs everything the demo and the tests need. Idempotent: a second run takes seconds.
#   scripts/setup.sh            everything (browser tests included)
#   scripts/setup.sh --demo     only what the demo needs (no Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1
[ "${1:-}" = "--demo" ] && want_browser=0

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "Rust target wasm32-unknown-unknown, rustfmt and clippy"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

if [ "$want_browser" = 1 ]; then
  step "Debian chromium and chromium-driver"
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver
  fi
  chromium --version
fi

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, to the patch.
step "wasm-bindgen-cli pinned to Cargo.lock"
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ -z "$wb_version" ]; then
  echo "Cargo.lock has no wasm-bindgen entry" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb_version" ]; then
  # Not --locked: its lockfile wants a crate version this registry lacks (see TOOLCHAIN notes).
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi
wasm-bindgen --version

step "wasm-pack"
command -v wasm-pack >/dev/null || cargo install wasm-pack --version 0.15.1 --locked
wasm-pack --version

if [ "$want_browser" = 1 ]; then
  # The server's SMTP tests run a real SMTP server (STARTTLS, implicit TLS, AUTH): aiosmtpd,
  # from PyPI, pinned.
  step "aiosmtpd (PyPI), pinned"
  aiosmtpd_version=1.4.6
  if [ "$(python3 -m pip show aiosmtpd 2>/dev/null | sed -n 's/^Version: //p')" != "$aiosmtpd_version" ]; then
    python3 -m pip install --quiet "aiosmtpd==$aiosmtpd_version"
  fi
fi

if [ "$want_browser" = 1 ]; then
  # Schemathesis fuzzes the live server against its OpenAPI document (scripts/schemathesis.sh).
  step "schemathesis (PyPI), pinned"
  schemathesis_version=4.32.5
  if [ "$(python3 -m pip show schemathesis 2>/dev/null | sed -n 's/^Version: //p')" != "$schemathesis_version" ]; then
    python3 -m pip install --quiet "schemathesis==$schemathesis_version"
  fi
  python3 -m schemathesis.cli --version
fi

# npm packages: typescript (type test, React binding), playwright-core (e2e), react, react-dom and
# esbuild (the React example) and binaryen's wasm-opt. Debian's
# binaryen is too old for Rust's output, so ours comes first on PATH.
step "npm packages"
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.orgkit-lock-stamp; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.orgkit-lock-stamp
fi
echo "wasm-opt: $(node_modules/.bin/wasm-opt --version)"
