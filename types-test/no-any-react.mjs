// The React binding (packages/react: its source, its example and its built declarations) must not
// use `any`: every `any` keyword in a type position, found with the TypeScript parser, fails.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const root = new URL("../packages/react/", import.meta.url).pathname;
const dirs = ["src", "example", "dist"].map((d) => join(root, d)).filter((d) => existsSync(d));
const files = dirs.flatMap((dir) => readdirSync(dir, { recursive: true })
  .map((name) => join(dir, String(name)))
  .filter((path) => /\.(ts|tsx)$/.test(path)));

const offenders = [];
for (const path of files) {
  const text = readFileSync(path, "utf8");
  const kind = path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      offenders.push(`${path}:${line + 1}: ${text.split("\n")[line].trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (files.length === 0) {
  console.error("no-any-react: no TypeScript files found under packages/react/");
  process.exit(1);
}
if (offenders.length > 0) {
  console.error("`any` in packages/react:\n" + offenders.join("\n"));
  process.exit(1);
}
console.log(`packages/react: no \`any\` in ${files.length} TypeScript files`);
