// The SDK in Chromium, measured (issue 12): the time to `init()` (fetching and compiling the
// .wasm), cold in a fresh browser context and warm in the same one, and the rate of a local
// permission check (`org.can`, the rule book in WebAssembly, no request). A benchmark, not a
// test: it prints medians and asserts nothing about time. Run: scripts/e2e.sh --bench e2e/bench/sdk.mjs
import { BASE, launch, RUN } from "../helpers.mjs";

const ROUNDS = 9;
const CHECKS = 200_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Loads the SDK in `page` and returns the milliseconds `import` plus `init()` took. */
async function timeInit(page, bust) {
  return page.evaluate(async (bust) => {
    const t0 = performance.now();
    const sdk = await import(`/pkg/orgkit.js?${bust}`);
    await sdk.default();
    return performance.now() - t0;
  }, bust);
}

const browser = await launch();
try {
  const cold = [];
  const warm = [];
  for (let i = 0; i < ROUNDS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Any same-origin document will do; the package manifest is small and is not the demo.
    await page.goto(`${BASE}/pkg/package.json`);
    cold.push(await timeInit(page, `cold${i}`));
    await page.reload();
    warm.push(await timeInit(page, `warm${i}`));
    await context.close();
  }
  console.log(`init(), cold context: median ${median(cold).toFixed(1)} ms over ${ROUNDS} (min ${Math.min(...cold).toFixed(1)})`);
  console.log(`init(), warm (HTTP and code cache): median ${median(warm).toFixed(1)} ms over ${ROUNDS} (min ${Math.min(...warm).toFixed(1)})`);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/pkg/package.json`);
  const rates = await page.evaluate(async ({ run, checks, rounds }) => {
    const sdk = await import("/pkg/orgkit.js");
    await sdk.default();
    const kit = new sdk.OrgKit({});
    await kit.signUp({ emailAddress: `bench-${run}@example.com`, password: "correct horse battery staple", name: "Bench" });
    const org = await kit.createOrganization({ name: `Bench ${run}` });
    const out = [];
    for (let r = 0; r < rounds; r++) {
      let yes = 0;
      const t0 = performance.now();
      for (let i = 0; i < checks; i++) if (org.can(i % 2 ? "org:memberships:manage" : "org:billing:read")) yes++;
      const ms = performance.now() - t0;
      if (yes !== checks) throw new Error(`an admin lacked a permission (${yes}/${checks})`);
      out.push(checks / (ms / 1000));
    }
    return out;
  }, { run: RUN, checks: CHECKS, rounds: ROUNDS });
  console.log(`org.can(), local: median ${Math.round(median(rates)).toLocaleString("en-US")} checks/s over ${ROUNDS} rounds of ${CHECKS.toLocaleString("en-US")}`);
  await context.close();
} finally {
  await browser.close();
}
