#!/usr/bin/env bash
# Sets up what the demo needs, builds the SDK into pkg/, and runs the server with the demo app
# on SQLite (orgkit.db) and the dev mailbox on. Extra arguments go to orgkit-server, for example
#   scripts/demo.sh --listen 127.0.0.1:3000
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --demo
export PATH="$PWD/node_modules/.bin:$PATH"
scripts/sdk-build.sh
cargo build --release -p orgkit-server
echo
echo "Starting the demo. Open the URL printed below; the dev mailbox is on (--dev)."
exec target/release/orgkit-server --dev --database-url "${ORGKIT_DATABASE_URL:-sqlite://orgkit.db}" \
  --www-dir www --pkg-dir pkg "$@"
