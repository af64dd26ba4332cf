#!/usr/bin/env bash
# The lint gates of the test command: formatting, and clippy with warnings denied on the native
# target (the whole workspace) and on wasm32 (the SDK and the rule book it compiles). The rule
# book's clock ban lives in crates/orgkit-core/clippy.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "cargo fmt --check"
cargo fmt --all --check
echo "cargo clippy (native, workspace, all targets)"
cargo clippy --workspace --all-targets --color never -- -D warnings
echo "cargo clippy (wasm32-unknown-unknown: orgkit, orgkit-core)"
cargo clippy --target wasm32-unknown-unknown -p orgkit -p orgkit-core --all-targets --color never -- -D warnings
echo "lint: clean"
