#!/usr/bin/env bash
# Builds the React binding (packages/react: TypeScript with the repository's pinned tsc into
# packages/react/dist/), type-checks its example and its hook tests against the SDK's pkg/orgkit.d.ts, checks both for
# `any`, and bundles the example with esbuild into target/react-example/ (index.html, bundle.js and
# the SDK's orgkit_bg.wasm beside it). Prints the binding's size, gzipped.
# Needs the SDK built into pkg/ (scripts/sdk-build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

if [ ! -f pkg/orgkit.js ] || [ ! -f pkg/orgkit_bg.wasm ]; then
  echo "react-build: pkg/ is missing; build the SDK first (scripts/sdk-build.sh)" >&2
  exit 1
fi
if [ ! -x node_modules/.bin/esbuild ] || [ ! -d node_modules/react-dom ]; then
  npm ci --no-audit --no-fund
fi

rm -rf packages/react/dist
tsc -p packages/react
echo "tsc: packages/react/src built into packages/react/dist/"
tsc -p packages/react/example
tsc -p packages/react/test
echo "tsc: packages/react/example and packages/react/test type-check against pkg/orgkit.d.ts"
node types-test/no-any-react.mjs

out=target/react-example
rm -rf "$out"
mkdir -p "$out"
# The example imports the built binding (dist/) and the SDK's pkg/orgkit.js; the SDK fetches
# orgkit_bg.wasm next to the bundle (import.meta.url).
esbuild packages/react/example/main.tsx --bundle --format=esm --target=es2022 --minify --sourcemap \
  --define:process.env.NODE_ENV='"production"' --jsx=automatic \
  --alias:@orgkit/react=./packages/react/dist/index.js --alias:orgkit=./pkg/orgkit.js \
  --outfile="$out/bundle.js" --log-level=warning
cp packages/react/example/index.html "$out/index.html"
cp pkg/orgkit_bg.wasm "$out/orgkit_bg.wasm"
echo "esbuild: the example bundled into $out/ ($(wc -c <"$out/bundle.js") bytes of JS)"

# The binding's size: its dist/ bundled and minified on its own (react and orgkit left out), gzipped.
binding=$(esbuild packages/react/dist/index.js --bundle --format=esm --minify --external:react --external:orgkit --log-level=warning | gzip -9 | wc -c)
raw=$(cat packages/react/dist/*.js | gzip -9 | wc -c)
echo "@orgkit/react: $binding bytes gzipped (minified bundle of dist/, react and orgkit external); dist/*.js as built: $raw bytes gzipped"
