// End-to-end test of join requests in the demo: an admin turns "Allow requests to join" on,
// another person asks to join from the home page, the admin accepts from the Requests card, and
// the person sees the organization. Screenshots go to target/e2e-screenshots/jr-*.png.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, RUN, launch, newPerson, shot, toastSays, signUp, waitForOrgPage } from "./helpers.mjs";

const ADMIN = { name: "Ada Gatekeeper", email: `ada.jr.${RUN}@example.com`, password: "analytical-engine-1843" };
const ASKER = { name: "Grace Asker", email: `grace.jr.${RUN}@example.com`, password: "cobol-compiler-1959" };
const ORG_NAME = `Open Rockets ${RUN}`;
const STEP = { timeout: 60_000 };

/** Signs up and verifies the address through the dev mailbox link. */
async function verifiedSignUp(page, person) {
  await signUp(page, person);
  await page.getByTestId("nav-mailbox").click();
  await page.getByLabel("Recipient").fill(person.email);
  await page.getByTestId("mailbox-refresh").click();
  const mail = page.locator(`[data-testid="mail-message"][data-to="${person.email}"]`).first();
  await mail.waitFor();
  await mail.getByTestId("mail-link").click();
  const ok = page.getByTestId("verify-ok");
  await ok.waitFor();
  await ok.getByRole("button", { name: "Continue" }).click();
  await page.getByTestId("welcome").waitFor();
}

let browser;
const people = {};
let slug;
let orgId;

describe("join requests in the demo", () => {
  before(async () => {
    browser = await launch();
    people.admin = await newPerson(browser);
    people.asker = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it("the admin creates an organization and turns requests to join on", STEP, async () => {
    const page = people.admin.page;
    await verifiedSignUp(page, ADMIN);
    await page.getByLabel("Organization name").fill(ORG_NAME);
    await page.getByTestId("create-org").click();
    await waitForOrgPage(page);
    orgId = await page.getByTestId("org-page").getAttribute("data-org-id");
    slug = (await page.getByTestId("org-slug").innerText()).replace(/^\//, "");
    await page.getByTestId("no-join-requests").waitFor();
    const toggle = page.getByTestId("allow-join-requests");
    assert.equal(await toggle.isChecked(), false, "off by default");
    await toggle.check();
    await toastSays(page, "success", "Requests to join are on");
    await page.reload();
    await waitForOrgPage(page);
    assert.equal(await page.getByTestId("allow-join-requests").isChecked(), true, "the setting was saved");
    await page.getByTestId("join-requests-setting").scrollIntoViewIfNeeded();
    await shot(page, "jr-01-setting-on");
  });

  it("another person asks to join from the home page", STEP, async () => {
    const page = people.asker.page;
    await verifiedSignUp(page, ASKER);
    await page.getByLabel("Organization slug").fill(slug);
    await page.getByLabel("Message (optional)").fill("Hi! I build rocket engines.");
    await page.getByTestId("ask-to-join").click();
    await toastSays(page, "success", "Request sent");
    const mine = page.getByTestId("my-join-request");
    await mine.first().waitFor();
    assert.equal(await mine.first().getAttribute("data-status"), "pending");
    assert.match(await mine.first().innerText(), new RegExp(ORG_NAME));
    await shot(page, "jr-02-asked");
    // Asking again is refused by the server, shown in the form.
    await page.getByLabel("Organization slug").fill(slug);
    await page.getByTestId("ask-to-join").click();
    await page.getByText(/already asked/i).first().waitFor();
  });

  it("the admin is emailed, sees the request first and accepts it", STEP, async () => {
    const page = people.admin.page;
    await page.goto(`${BASE}/#/mailbox`);
    await page.getByLabel("Recipient").fill(ADMIN.email);
    await page.getByTestId("mailbox-refresh").click();
    await page.locator(`[data-testid="mail-message"][data-to="${ADMIN.email}"]`).filter({ hasText: "asks to join" }).first().waitFor();
    await page.goto(`${BASE}/#/org/${encodeURIComponent(orgId)}`);
    await waitForOrgPage(page);
    const row = page.locator(`[data-testid="join-request-row"][data-email="${ASKER.email}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-status"), "pending");
    assert.match(await row.innerText(), /rocket engines/);
    await page.getByTestId("join-requests-card").scrollIntoViewIfNeeded();
    await shot(page, "jr-03-requests-card");
    await row.getByTestId("join-request-role").selectOption("basic_member");
    await row.getByTestId("accept-join-request").click();
    await toastSays(page, "success", "Request accepted");
    await page.locator(`[data-testid="join-request-row"][data-email="${ASKER.email}"][data-status="accepted"]`).waitFor();
    await page.locator(`[data-testid="member-row"][data-email="${ASKER.email}"]`).waitFor();
    await shot(page, "jr-04-accepted");
  });

  it("the person now sees the organization", STEP, async () => {
    const page = people.asker.page;
    await page.goto(`${BASE}/`);
    const item = page.locator(`[data-testid="org-item"][data-org-id="${orgId}"]`);
    await item.waitFor();
    assert.equal(await page.getByTestId("my-join-request").first().getAttribute("data-status"), "accepted");
    await shot(page, "jr-05-joined");
    await item.getByRole("link").click();
    await waitForOrgPage(page);
    assert.equal(await page.getByTestId("my-role").getAttribute("data-role"), "basic_member");
    assert.equal(await page.getByTestId("join-requests-card").count(), 0, "members without org:requests:manage see no Requests card");
    assert.deepEqual([...people.admin.problems, ...people.asker.problems], []);
  });
});
