#!/usr/bin/env bash
# Builds the SDK into pkg/ (the npm package "orgkit") with wasm-pack, shrinks it with wasm-opt
# from npm's binaryen (never Debian's, which breaks Rust's output), prints its size, and fails
# when the gzipped .wasm plus JS glue passes the budget (ORGKIT_SIZE_BUDGET bytes:
# the joining paths of issue 7 took it from 60.0 to 83.3 KiB, SSO of issue 11 to 89.8 KiB,
# governance of issue 15 to 101.7 KiB, owners and suspension of issue 15 added 2,822 B, and
# roles merged on top of both took it to 110,478 B; the roles server's rule book 110,546 B, and
# the SDK's custom roles of issue 15 (the catalog, OrgRole, role settings, multi-role members:
# 14 exports and one shared future) 9,937 B more, to 120,483 B; the rule book of issue 8 took it
# to 120,680 B and the SDK's workspaces, groups, service accounts and API keys (four classes, 32
# exports and one shared future) 9,356 B more, to 130,036 B; the reactive store of issue 12
# (src/js/store.js, now counted with the glue, and its nine OrgKit methods) 6,896 B more, to
# 136,934 B; the local refusals of issue 12 (every id, token, cursor and list item checked, the
# OrgKitError class) 764 B more, to 137,698 B; issue 12's one send path (every export a thin
# synchronous method over src/send.rs's one future, 137,727 B measured before it) brings it down
# to 124,316 B; org.canGrant (the escalation guard as a local check, so the demo keeps no copy
# of it) 168 B more, to 124,484 B, and the budget is that plus 44 B).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
budget=${ORGKIT_SIZE_BUDGET:-124528}

wasm-pack build --target web --profile wasm-release --out-dir pkg --out-name orgkit . >/dev/null 2>target/wasm-pack.log || {
  cat target/wasm-pack.log
  exit 1
}
# OrgKitError is a JS class (src/js/error.js, a wasm-bindgen snippet): the package exports it
# from its snippet, which the published files must include.
shopt -s nullglob
errors=(pkg/snippets/*/src/js/error.js)
shopt -u nullglob
if [ "${#errors[@]}" -ne 1 ]; then
  echo "expected exactly one pkg/snippets/*/src/js/error.js, found ${#errors[@]}" >&2
  exit 1
fi
echo "export { OrgKitError } from \"./${errors[0]#pkg/}\";" >>pkg/orgkit.js
node -e '
  const fs = require("fs");
  const pkg = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  if (!pkg.files.some((f) => f.replace(/\/$/, "") === "snippets")) pkg.files.push("snippets/");
  fs.writeFileSync("pkg/package.json", JSON.stringify(pkg, null, 2) + "\n");
'
wasm=pkg/orgkit_bg.wasm
# -Os, not -Oz: its output is larger raw but smaller gzipped, which is what is shipped and
# budgeted. The name and producers sections are dropped.
wasm-opt -Os --strip-debug --strip-producers \
  --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
# The glue's JSDoc blocks (a quarter of it gzipped) go: orgkit.d.ts keeps every doc comment and
# type for editors, and the `/* @ts-self-types */` line stays.
awk '/^[ \t]*\/\*\*/ { doc = 1 } doc { if ($0 ~ /\*\/[ \t]*$/) doc = 0; next } { print }' \
  pkg/orgkit.js >pkg/orgkit.js.min
mv pkg/orgkit.js.min pkg/orgkit.js

# The JS snippets the glue imports (src/js/store.js, the reactive store) ship without their
# comment lines, and count in the budget.
snippets=$(find pkg/snippets -name '*.js' 2>/dev/null | sort)
for f in $snippets; do
  awk '/^[ \t]*\/\*\*/ { doc = 1 } doc { if ($0 ~ /\*\/[ \t]*$/) doc = 0; next } /^[ \t]*\/\// { next } { print }' \
    "$f" >"$f.min"
  mv "$f.min" "$f"
done

gz() { gzip -9 -c "$1" | wc -c; }
raw_wasm=$(wc -c <"$wasm"); gz_wasm=$(gz "$wasm")
raw_js=$(wc -c <pkg/orgkit.js); gz_js=$(gz pkg/orgkit.js)
gz_snippets=0
for f in $snippets; do gz_snippets=$((gz_snippets + $(gz "$f"))); done
total=$((gz_wasm + gz_js + gz_snippets))
printf 'SDK size: orgkit_bg.wasm %d bytes (%d gzipped), orgkit.js %d bytes (%d gzipped), snippets %d gzipped\n' \
  "$raw_wasm" "$gz_wasm" "$raw_js" "$gz_js" "$gz_snippets"
printf 'SDK size: %d bytes gzipped in all; budget %d bytes\n' "$total" "$budget"
if [ "$total" -gt "$budget" ]; then
  echo "SDK size budget exceeded by $((total - budget)) bytes"
  exit 1
fi
