#!/usr/bin/env bash
# Sets up what the demo needs, builds the SDK into pkg/, and runs the server with the demo app
# on SQLite (orgkit.db) and the dev mailbox on. Extra arguments go to orgkit-server, for example
#   scripts/demo.sh --listen 127.0.0.1:3000
#   scripts/demo.sh --webhook-allow-private     # webhooks to receivers on this machine too
# Webhook secrets are sealed with ORGKIT_SECRET_KEY; without it, the demo makes one once and
# keeps it in .orgkit-secret-key (not committed), so the secrets in orgkit.db stay readable.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --demo
export PATH="$PWD/node_modules/.bin:$PATH"
scripts/sdk-build.sh
cargo build --release -p orgkit-server
if [ -z "${ORGKIT_SECRET_KEY:-}" ]; then
  if [ ! -s .orgkit-secret-key ]; then
    (umask 077 && python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' >.orgkit-secret-key)
  fi
  ORGKIT_SECRET_KEY=$(cat .orgkit-secret-key)
  export ORGKIT_SECRET_KEY
fi
echo
echo "Starting the demo. Open the URL printed below; the dev mailbox is on (--dev)."
exec target/release/orgkit-server --dev --database-url "${ORGKIT_DATABASE_URL:-sqlite://orgkit.db}" \
  --www-dir www --pkg-dir pkg "$@"
