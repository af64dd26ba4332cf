#!/usr/bin/env bash
# The TypeScript type test: usage written the Clerk way type-checks against pkg/orgkit.d.ts,
# wrong usages do not (@ts-expect-error), and the public API has no `any`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
tsc -p types-test
echo "tsc: types-test/usage.ts type-checks against pkg/orgkit.d.ts"
node types-test/no-any.mjs
