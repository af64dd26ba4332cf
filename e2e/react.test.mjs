// The React example (packages/react/example, built by scripts/react-build.sh into
// target/react-example/) in Chromium, as three people in three browser contexts, against its own
// orgkit-server (--www-dir target/react-example, a temporary SQLite database, --dev). A change one
// person makes shows on another's page without a reload, at the store's next revalidation
// (`?revalidate=1000` sets a one-second interval). Screenshots go to target/e2e-screenshots/react-*.png.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN, launchChromium, newPerson, shot, eventually } from "./helpers.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const EXAMPLE = join(ROOT, "target/react-example");
const STEP = { timeout: 60_000 };
const ADA = { name: "Ada Lovelace", email: `ada.react.${RUN}@example.com`, password: "analytical-engine-1843" };
const GRACE = { name: "Grace Hopper", email: `grace.react.${RUN}@example.com`, password: "cobol-compiler-1959" };
const BOB = { name: "Bob Kahn", email: `bob.react.${RUN}@example.com`, password: "tcp-ip-protocols-1974" };
const CAROL = `carol.react.${RUN}@example.com`;
const ORG = `Acme React ${RUN}`;
/** The example's query: revalidate every second (the least the store takes), members two to a page (so "Load more" shows). */
const QUERY = "revalidate=1000&pageSize=2";

/** Starts orgkit-server serving the example; resolves to `{ url, stop }`. */
async function startServer() {
  const bin = process.env.ORGKIT_SERVER_BIN ?? join(ROOT, "target/debug/orgkit-server");
  assert.ok(existsSync(bin), `${bin} is missing; run: cargo build -p orgkit-server`);
  assert.ok(existsSync(join(EXAMPLE, "bundle.js")), "target/react-example/ is missing; run scripts/react-build.sh");
  const dir = mkdtempSync(join(tmpdir(), "orgkit-react-e2e-"));
  const child = spawn(bin, ["--dev", "--listen", "127.0.0.1:0", "--database-url", `sqlite://${dir}/react.db`,
    "--www-dir", EXAMPLE, "--pkg-dir", join(ROOT, "pkg"), "--password-hashing", "fast",
    "--sign-up-limit-per-minute", "1000", "--mail-to-address-limit-per-minute", "1000"],
  { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.pipe(createWriteStream(join(ROOT, "target/react-e2e-server.log")));
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s: ${out}`)), 60_000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /orgkit-server listening on (http:\S+)/.exec(out);
      if (match) { clearTimeout(timer); resolve(match[1].replace(/\/$/, "")); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${out}`)); });
  }).catch((err) => { stop(); throw err; });
  return { url, stop };
}

/** The link of the newest email to `to`, from the dev mailbox. */
async function mailLink(base, to) {
  return eventually(async () => {
    const res = await fetch(`${base}/v1/dev/mailbox?to=${encodeURIComponent(to)}`);
    assert.equal(res.status, 200);
    const { data } = await res.json();
    assert.ok(data[0]?.link, `no email with a link to ${to} yet`);
    return data[0].link;
  });
}

const row = (page, email) => page.locator(`[data-testid="member-row"][data-email="${email}"]`);
const invitationRow = (page, email) => page.locator(`[data-testid="invitation-row"][data-email="${email}"]`);

/** Marks the page, so that a later check proves it was never reloaded. */
const mark = (page) => page.evaluate(() => { window.orgkitNoReload = true; });
const assertNotReloaded = async (page) => assert.equal(await page.evaluate(() => window.orgkitNoReload), true, "the page was not reloaded");

let server;
let browser;
const people = {};

describe("the React example, as three people in three browser contexts", () => {
  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    for (const who of ["ada", "grace", "bob"]) people[who] = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  it("Ada signs up and creates an organization, which becomes active", STEP, async () => {
    const page = people.ada.page;
    await page.goto(`${server.url}/?${QUERY}`);
    await page.getByTestId("auth-card").waitFor();
    await page.getByTestId("tab-signup").click();
    await page.getByLabel("Your name").fill(ADA.name);
    await page.getByLabel("Email address").fill(ADA.email);
    await page.getByLabel("Password").fill(ADA.password);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("no-organizations").waitFor();
    await page.getByLabel("Organization name").fill(ORG);
    await page.getByTestId("create-org").click();
    await page.getByTestId("org-name").filter({ hasText: ORG }).waitFor();
    assert.equal(await page.getByTestId("my-role").getAttribute("data-role"), "admin");
    await page.getByTestId("can-manage").waitFor();
    await row(page, ADA.email).waitFor();
    await page.locator('[data-testid="org-item"]').filter({ hasText: ORG }).waitFor();
    await mark(page);
    await shot(page, "react-01-ada-org");
  });

  it("Ada invites Grace and Bob; each invitation shows at once", STEP, async () => {
    const page = people.ada.page;
    for (const who of [GRACE, BOB]) {
      await page.getByLabel("Email address to invite").fill(who.email);
      await page.getByTestId("invite-submit").click();
      await invitationRow(page, who.email).waitFor();
    }
    await shot(page, "react-02-ada-invited");
  });

  for (const who of [GRACE, BOB]) {
    it(`${who.name} opens the emailed link, signs up, accepts and lands in the organization, without the manage controls`, STEP, async () => {
      const page = people[who === GRACE ? "grace" : "bob"].page;
      const link = new URL(await mailLink(server.url, who.email));
      assert.equal(link.pathname, "/accept");
      await page.goto(`${server.url}/accept${link.search}&${QUERY}`);
      await page.getByTestId("tab-signup").click();
      await page.getByLabel("Your name").fill(who.name);
      await page.getByLabel("Email address").fill(who.email);
      await page.getByLabel("Password").fill(who.password);
      await page.getByTestId("auth-submit").click();
      await page.getByTestId("accept").click();
      await page.getByTestId("org-name").filter({ hasText: ORG }).waitFor();
      assert.equal(await page.getByTestId("my-role").getAttribute("data-role"), "basic_member");
      await row(page, ADA.email).waitFor();
      assert.equal(await page.getByTestId("can-manage").count(), 0, "useHas: a basic member does not manage members");
      assert.equal(await page.getByTestId("role-select").count(), 0);
      assert.equal(await page.getByTestId("invitations").count(), 0);
      await mark(page);
      await shot(page, `react-03-${who === GRACE ? "grace" : "bob"}-joined`);
    });
  }

  it("Ada's page shows the new members without a reload, two to a page with Load more", STEP, async () => {
    const page = people.ada.page;
    await eventually(async () => assert.equal(await invitationRow(page, GRACE.email).count() + await invitationRow(page, BOB.email).count(), 0, "the accepted invitations leave the pending list"));
    await eventually(async () => assert.equal(await page.getByTestId("member-row").count(), 2));
    await page.getByTestId("members-more").click();
    await row(page, BOB.email).waitFor();
    await row(page, GRACE.email).waitFor();
    assert.equal(await page.getByTestId("member-row").count(), 3);
    await eventually(async () => assert.equal(await page.getByTestId("members-more").count(), 0, "no next page"));
    await assertNotReloaded(page);
    await shot(page, "react-04-ada-sees-members");
  });

  it("Ada makes Grace an admin: Grace's page gains the manage controls without a reload (useHas)", STEP, async () => {
    const ada = people.ada.page;
    const grace = people.grace.page;
    await ada.getByLabel(`Change role of ${GRACE.name}`).selectOption("admin");
    await eventually(async () => assert.equal(await row(ada, GRACE.email).getAttribute("data-role"), "admin"));
    await grace.getByTestId("can-manage").waitFor();
    await grace.getByTestId("invitations").waitFor();
    await eventually(async () => assert.equal(await grace.getByTestId("my-role").getAttribute("data-role"), "admin"));
    assert.ok(await grace.getByTestId("role-select").count() >= 1);
    await assertNotReloaded(grace);
    await shot(grace, "react-05-grace-promoted");
  });

  it("Grace invites Carol: Ada's page lists the invitation without a reload", STEP, async () => {
    const grace = people.grace.page;
    await grace.getByLabel("Email address to invite").fill(CAROL);
    await grace.getByTestId("invite-submit").click();
    await invitationRow(grace, CAROL).waitFor();
    await invitationRow(people.ada.page, CAROL).waitFor();
    await assertNotReloaded(people.ada.page);
    await shot(people.ada.page, "react-06-ada-sees-invitation");
  });

  it("Grace makes Bob an admin: Ada's page shows the new role without a reload", STEP, async () => {
    const grace = people.grace.page;
    if (await row(grace, BOB.email).count() === 0) await grace.getByTestId("members-more").click();
    await grace.getByLabel(`Change role of ${BOB.name}`).selectOption("admin");
    await eventually(async () => assert.equal(await row(people.ada.page, BOB.email).getAttribute("data-role"), "admin"));
    await eventually(async () => assert.equal(await people.bob.page.getByTestId("my-role").getAttribute("data-role"), "admin"));
    await assertNotReloaded(people.ada.page);
    await shot(people.ada.page, "react-07-ada-sees-role");
  });

  it("Grace removes Bob: Ada's page drops the row, and Bob's loses the organization, without a reload", STEP, async () => {
    const grace = people.grace.page;
    await grace.getByRole("button", { name: `Remove ${BOB.name}` }).click();
    await eventually(async () => assert.equal(await row(grace, BOB.email).count(), 0));
    await eventually(async () => assert.equal(await row(people.ada.page, BOB.email).count(), 0));
    assert.equal(await people.ada.page.getByTestId("member-row").count(), 2);
    const bob = people.bob.page;
    await eventually(async () => assert.equal(await bob.locator('[data-testid="org-item"]').filter({ hasText: ORG }).count(), 0));
    await eventually(async () => assert.equal(await bob.getByTestId("org-page").count(), 0, "Bob's page no longer shows the organization"));
    for (const who of ["ada", "bob"]) await assertNotReloaded(people[who].page);
    await shot(people.ada.page, "react-08-ada-after-removal");
    await shot(bob, "react-08-bob-removed");
  });

  it("Ada creates a second organization, which becomes active with its own lists, and switches back (setActive)", STEP, async () => {
    const page = people.ada.page;
    const other = `Beta React ${RUN}`;
    await page.getByLabel("Organization name").fill(other);
    await page.getByTestId("create-org").click();
    await page.getByTestId("org-name").filter({ hasText: other }).waitFor();
    await eventually(async () => assert.equal(await page.getByTestId("member-row").count(), 1));
    await row(page, ADA.email).waitFor();
    assert.equal(await page.getByTestId("invitation-row").count(), 0, "the first organization's invitations are gone");
    await page.locator('[data-testid="org-item"][data-active="true"]').filter({ hasText: other }).waitFor();
    await shot(page, "react-09-ada-second-org");
    await page.getByRole("button", { name: `Open ${ORG}` }).click();
    await page.getByTestId("org-name").filter({ hasText: ORG }).waitFor();
    await invitationRow(page, CAROL).waitFor();
    await row(page, GRACE.email).waitFor();
    await page.locator('[data-testid="org-item"][data-active="true"]').filter({ hasText: ORG }).waitFor();
    await assertNotReloaded(page);
  });

  it("Ada signs out in one tab: her other tab shows the sign-in form without a reload (useUser)", STEP, async () => {
    const page = people.ada.page;
    const tab = await people.ada.context.newPage();
    tab.on("pageerror", (err) => people.ada.problems.push(`second tab: ${err.message}`));
    await tab.goto(`${server.url}/?${QUERY}`);
    await tab.getByTestId("user-email").filter({ hasText: ADA.email }).waitFor();
    await mark(tab);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByTestId("auth-card").waitFor();
    await tab.getByTestId("auth-card").waitFor();
    await assertNotReloaded(tab);
    await shot(tab, "react-10-ada-other-tab-signed-out");
    await tab.close();
  });

  it("no page logged an error", STEP, async () => {
    for (const who of Object.keys(people)) assert.deepEqual(people[who].problems, [], `${who}'s page`);
  });
});
