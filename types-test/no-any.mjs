// The public part of pkg/orgkit.d.ts (everything before wasm-bindgen's loader types) must not
// use `any`: every value an app touches has a real type.
import { readFileSync } from "node:fs";

const dts = readFileSync(new URL("../pkg/orgkit.d.ts", import.meta.url), "utf8");
const end = dts.indexOf("export type InitInput");
const publicPart = end === -1 ? dts : dts.slice(0, end);
// Comments may say "any member"; only the declarations are checked.
const code = publicPart.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
const offenders = code.split("\n").filter((line) => /\bany\b/.test(line));
if (offenders.length > 0) {
  console.error("`any` in the public API of pkg/orgkit.d.ts:\n" + offenders.join("\n"));
  process.exit(1);
}
console.log(`pkg/orgkit.d.ts: no \`any\` in ${publicPart.split("\n").length} lines of public API`);
