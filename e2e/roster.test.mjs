// End-to-end test of the roster card (www/organization/roster.js) and of declining an
// invitation from the dashboard (www/home.js), against the server scripts/e2e.sh starts.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, RUN, launch, newPerson, shot, toastSays, signUp, createOrg, waitForOrgPage, followMail } from "./helpers.mjs";

const ADMIN = { name: "Rosa Parks", email: `rosa.${RUN}@example.com`, password: "montgomery-1955" };
const BOB = { name: "Bob Marley", email: `bob.${RUN}@example.com`, password: "one-love-1977" };
const CAROL = { name: "Carol Shaw", email: `carol.${RUN}@example.com`, password: "river-raid-1982" };
const DAN = { name: "Dan Bricklin", email: `dan.${RUN}@example.com`, password: "visicalc-1979" };
const ERIN = `erin.${RUN}@example.com`;
const ORG_NAME = `Roster Co ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
const people = {};
let orgId;

const rows = (page) => page.getByTestId("roster-row");
async function rosterEmails(page) {
  return rows(page).evaluateAll((trs) => trs.map((tr) => `${tr.dataset.status}:${tr.dataset.email}`));
}

describe("the roster, bulk removal and declining", () => {
  before(async () => {
    browser = await launch();
    for (const who of ["admin", "bob", "carol", "dan"]) people[who] = await newPerson(browser);
  });
  after(async () => {
    await browser?.close();
    for (const [who, p] of Object.entries(people)) assert.deepEqual(p.problems, [], `${who}'s page logged problems`);
  });

  it("the admin creates an organization and invites four addresses", STEP, async () => {
    const page = people.admin.page;
    await signUp(page, ADMIN);
    await createOrg(page, ORG_NAME);
    orgId = await page.getByTestId("org-page").getAttribute("data-org-id");
    await page.getByLabel("Email addresses").fill([BOB.email, CAROL.email, DAN.email, ERIN].join(", "));
    await page.getByTestId("invite-submit").click();
    await toastSays(page, "success", /invitations? sent/i);
  });

  it("two invitees join from their emailed links", STEP, async () => {
    for (const [who, person] of [["bob", BOB], ["carol", CAROL]]) {
      const page = people[who].page;
      await followMail(page, person.email);
      await page.waitForURL(/\/accept\?token=/);
      await page.getByLabel("Your name").fill(person.name);
      await page.getByLabel("Password").fill(person.password);
      await page.getByTestId("auth-submit").click();
      await waitForOrgPage(page);
    }
  });

  it("the third verifies the address and declines from the dashboard", STEP, async () => {
    const page = people.dan.page;
    await signUp(page, DAN);
    await followMail(page, DAN.email);
    await page.waitForURL(/\/verify-email\?token=/);
    await page.getByTestId("verify-ok").getByRole("button", { name: "Continue" }).click();
    const mine = page.getByTestId("my-invitation").filter({ hasText: ORG_NAME });
    await mine.waitFor();
    await mine.getByTestId("decline-invitation").waitFor();
    await shot(page, "roster-01-decline-offered");
    await mine.getByTestId("decline-invitation").click();
    await toastSays(page, "success", "Invitation declined", { keep: true });
    // The store refetches the invitations the decline touched, and the row leaves without a reload.
    await mine.waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("my-invitation").filter({ hasText: ORG_NAME }).count(), 0);
    await shot(page, "roster-02-declined");
  });

  it("the admin sees everyone in one list, filters by status and searches", STEP, async () => {
    const page = people.admin.page;
    await page.reload();
    await waitForOrgPage(page);
    await page.getByTestId("roster-table").waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length === 4);
    assert.deepEqual(await rosterEmails(page),
      [`joined:${BOB.email}`, `joined:${CAROL.email}`, `invited:${ERIN}`, `joined:${ADMIN.email}`]);
    await page.getByTestId("roster-card").scrollIntoViewIfNeeded();
    await shot(page, "roster-03-all");

    await page.getByTestId("chip-invited").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length === 1);
    assert.deepEqual(await rosterEmails(page), [`invited:${ERIN}`]);
    await page.getByTestId("chip-all").click();
    // Wait for the whole list again before searching, or the search's wait below could pass on
    // the one invited row still shown, before "All" answers.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length === 4);
    await page.getByTestId("roster-search").fill("CAROL");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length === 1);
    assert.deepEqual(await rosterEmails(page), [`joined:${CAROL.email}`]);
    await shot(page, "roster-04-search");
    await page.getByTestId("roster-search").fill("");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length === 4);
  });

  it("the admin removes two members at once; one had already left, and the answer says so", STEP, async () => {
    const page = people.admin.page;
    for (const email of [BOB.email, CAROL.email]) {
      await page.locator(`[data-testid="roster-row"][data-email="${email}"]`).getByTestId("roster-select").check();
    }
    assert.equal(await page.getByTestId("remove-selected").innerText(), "Remove selected (2)");
    // Meanwhile Bob leaves on his own.
    const left = await people.bob.page.evaluate(async (org) =>
      (await fetch(`/v1/organizations/${org}/memberships/me`, { method: "DELETE" })).status, orgId);
    assert.equal(left, 204);
    await page.getByTestId("remove-selected").click();
    await page.getByRole("button", { name: "Remove", exact: true }).click();
    await toastSays(page, "error", "1 of 2 removed", { keep: true });
    const results = page.getByTestId("bulk-result");
    await results.first().waitFor();
    const outcome = await results.evaluateAll((lis) => lis.map((li) => li.innerText.replace(/\s+/g, " ").trim()));
    assert.equal(outcome.length, 2);
    assert.match(outcome.find((o) => o.includes(BOB.email)), /not_found/);
    assert.match(outcome.find((o) => o.includes(CAROL.email)), /removed/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="roster-row"]').length === 2);
    // The members card follows the SDK's store, which the removal updated: only the admin is left.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="member-row"]').length === 1);
    assert.equal(await page.locator(`[data-testid="member-row"][data-email="${ADMIN.email}"]`).count(), 1);
    await page.getByTestId("roster-card").scrollIntoViewIfNeeded();
    await shot(page, "roster-05-bulk-removed");
  });
});
