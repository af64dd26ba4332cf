// The React binding's hooks against a fake store (packages/react/test/hooks.tsx) in Chromium: no
// server. The cases are bundled here with esbuild, in React's development build (for `act`), run
// in a blank page, and each becomes a test of its own.
import { it } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { launchChromium } from "./helpers.mjs";

const ROOT = new URL("../", import.meta.url).pathname;

const bundle = await build({
  entryPoints: [`${ROOT}packages/react/test/hooks.tsx`],
  bundle: true, write: false, format: "esm", target: "es2022", jsx: "automatic",
  define: { "process.env.NODE_ENV": '"development"' }, logLevel: "warning",
});
const browser = await launchChromium();
let results;
const problems = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (err) => problems.push(err.message));
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ type: "module", content: bundle.outputFiles[0].text });
  await page.waitForFunction(() => window.orgkitHookResults !== undefined, null, { timeout: 30_000 });
  results = await page.evaluate(() => window.orgkitHookResults);
} finally {
  await browser.close();
}

it("the hook cases ran, and the page threw nothing", () => {
  assert.ok(results.length >= 7, `${results.length} cases`);
  assert.deepEqual(problems, []);
});
for (const { name, ok, error } of results) {
  it(name, () => assert.ok(ok, error));
}
