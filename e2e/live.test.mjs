// End-to-end test of the demo's home page and organization page on the SDK's reactive store
// (www/live.js, www/home.js, www/organization/page.js and members.js): what another person changes
// shows up at the next revalidation (here: the window gains focus), and what this page changes
// redraws it, all without reloading the page and without a refetch of its own.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { RUN, launch, waitForOrgPage, newPerson, shot, toastSays, signUp, createOrg, followMail, memberRow, roleOf, myRole, eventually } from "./helpers.mjs";

const ADMIN = { name: "Ada Admin", email: `ada.live.${RUN}@example.com`, password: "analytical-1843" };
const MAYA = { name: "Maya Member", email: `maya.live.${RUN}@example.com`, password: "maya-angelou-1969" };
const BEA = { name: "Bea Newcomer", email: `bea.live.${RUN}@example.com`, password: "bea-arthur-1922" };
const ORG_NAME = `Live Co ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
const people = {};

/** Marks the page; `stillSamePage` is false once it has been reloaded or navigated away. */
const markPage = (page) => page.evaluate(() => { window.__sameDocument = true; });
const stillSamePage = (page) => page.evaluate(() => window.__sameDocument === true);
/** What a person does when they come back to the tab: the window gains focus. */
const refocus = (page) => page.evaluate(() => window.dispatchEvent(new Event("focus")));

/** Counts the page's reads of an organization's member list and of the organization itself (a page drawn again). */
function countReads(page) {
  const reads = { members: 0, organization: 0 };
  page.on("request", (req) => {
    if (req.method() !== "GET") return;
    const path = new URL(req.url()).pathname;
    if (/^\/v1\/organizations\/[^/]+\/memberships$/.test(path)) reads.members++;
    if (/^\/v1\/organizations\/[^/]+$/.test(path)) reads.organization++;
  });
  return reads;
}

describe("the home page and the organization page follow the store", () => {
  before(async () => {
    browser = await launch();
    for (const who of ["admin", "maya", "bea"]) people[who] = await newPerson(browser);
  });
  after(async () => {
    await browser?.close();
    for (const [who, p] of Object.entries(people)) assert.deepEqual(p.problems, [], `${who}'s page logged problems`);
  });

  it("Maya signs up and verifies her address; her home page has no organization and no invitation", STEP, async () => {
    const page = people.maya.page;
    await signUp(page, MAYA);
    await followMail(page, MAYA.email);
    await page.waitForURL(/\/verify-email\?token=/);
    await page.getByTestId("verify-ok").getByRole("button", { name: "Continue" }).click();
    await page.getByTestId("no-orgs").waitFor();
    assert.equal(await page.getByTestId("my-invitations").count(), 0);
  });

  it("an admin elsewhere invites her; the invitation appears when her window regains focus", STEP, async () => {
    const admin = people.admin.page;
    await signUp(admin, ADMIN);
    await createOrg(admin, ORG_NAME);
    await admin.getByLabel("Email addresses").fill(MAYA.email);
    await admin.getByTestId("invite-submit").click();
    await toastSays(admin, "success", /invitation sent/i);

    const page = people.maya.page;
    await markPage(page);
    await refocus(page);
    const mine = page.getByTestId("my-invitation").filter({ hasText: ORG_NAME });
    await mine.waitFor();
    assert.ok(await stillSamePage(page), "the invitation came without a reload");
    await shot(page, "live-01-invitation-on-focus");
  });

  it("the admin withdraws it and sends it again; her list follows both changes", STEP, async () => {
    const admin = people.admin.page;
    const row = admin.getByTestId("invitation-row").filter({ hasText: MAYA.email });
    await row.getByTestId("revoke-invitation").click();
    await toastSays(admin, "success", /revoked/i);

    const page = people.maya.page;
    await refocus(page);
    await page.getByTestId("my-invitations").waitFor({ state: "detached" });

    await admin.getByLabel("Email addresses").fill(MAYA.email);
    await admin.getByTestId("invite-submit").click();
    await toastSays(admin, "success", /invitation sent/i);
    await refocus(page);
    await page.getByTestId("my-invitation").filter({ hasText: ORG_NAME }).waitFor();
    assert.ok(await stillSamePage(page), "both changes came without a reload");
  });

  it("Maya accepts; the admin's members card gains her row on focus, the rows already there untouched", STEP, async () => {
    const admin = people.admin.page;
    await markPage(admin);
    // A mark on the admin's own row: a row drawn again would be a new element without it.
    await memberRow(admin, ADMIN.email).evaluate((row) => { row.__kept = true; });
    const page = people.maya.page;
    await page.getByTestId("my-invitation").filter({ hasText: ORG_NAME }).getByTestId("accept-my-invitation").click();
    await page.getByTestId("org-page").waitFor();

    await refocus(admin);
    await memberRow(admin, MAYA.email).waitFor();
    assert.equal(await roleOf(admin, MAYA.email), "basic_member");
    assert.equal(await memberRow(admin, ADMIN.email).evaluate((row) => row.__kept === true), true, "the unchanged row was not drawn again");
    assert.equal(await admin.getByTestId("members-card").getByText("2 members").count(), 1);
    assert.ok(await stillSamePage(admin), "the new member came without a reload");
  });

  it("back home, the organization is in Maya's list", STEP, async () => {
    const page = people.maya.page;
    await page.getByRole("link", { name: "Organizations", exact: true }).click();
    await page.getByTestId("org-item").filter({ hasText: ORG_NAME }).waitFor();
    assert.equal(await page.getByTestId("my-invitations").count(), 0, "the accepted invitation left her list");
    await shot(page, "live-02-joined");
  });

  it("the admin renames the organization; her list shows the new name on focus", STEP, async () => {
    const admin = people.admin.page;
    const settings = admin.getByTestId("settings-card");
    await settings.getByLabel("Name").fill(`${ORG_NAME} Renamed`);
    await settings.getByTestId("save-settings").click();
    await toastSays(admin, "success", "Organization updated");

    const page = people.maya.page;
    await markPage(page);
    await refocus(page);
    await page.getByTestId("org-item").filter({ hasText: `${ORG_NAME} Renamed` }).waitFor();
    assert.ok(await stillSamePage(page), "the new name came without a reload");
    await shot(page, "live-03-renamed");
  });

  it("Maya opens the organization: a member's page, without admin controls", STEP, async () => {
    const page = people.maya.page;
    await page.getByTestId("org-item").filter({ hasText: ORG_NAME }).getByRole("link").click();
    await memberRow(page, ADMIN.email).waitFor();
    assert.equal(await myRole(page), "basic_member");
    assert.equal(await page.getByTestId("org-name").innerText(), `${ORG_NAME} Renamed`);
    assert.equal(await page.getByTestId("role-select").count(), 0);
    assert.equal(await page.getByTestId("remove-member").count(), 0);
    await page.getByTestId("invite-locked").waitFor();
  });

  it("the admin makes her an admin: the admin's page redraws from the store, with no refetch of its own", STEP, async () => {
    const admin = people.admin.page;
    await markPage(admin);
    const reads = countReads(admin);
    await memberRow(admin, MAYA.email).getByTestId("role-select").selectOption("admin");
    await toastSays(admin, "success", `${MAYA.name} is now an admin`);
    await eventually(async () => assert.equal(await roleOf(admin, MAYA.email), "admin"));
    // One read of the members: the store's, after the change it saw; the page asked for nothing.
    assert.deepEqual(reads, { members: 1, organization: 0 });
    assert.ok(await stillSamePage(admin));
  });

  it("at Maya's next focus her page shows her new role and gains the admin controls, without a reload", STEP, async () => {
    const page = people.maya.page;
    await markPage(page);
    await refocus(page);
    await page.locator('[data-testid="my-role"][data-role="admin"]').waitFor();
    await page.getByTestId("invitations-card").waitFor();
    assert.equal(await page.getByTestId("invite-locked").count(), 0);
    assert.equal(await roleOf(page, MAYA.email), "admin");
    // The role selects of both rows, and Remove on the admin's row (not on her own).
    assert.equal(await page.getByTestId("role-select").count(), 2);
    assert.equal(await memberRow(page, ADMIN.email).getByTestId("remove-member").count(), 1);
    assert.ok(await stillSamePage(page), "the new role came without a reload");
    await shot(page, "live-04-promoted-on-focus");
  });

  it("the admin adds a member and removes her: Maya's members card follows both at her next focus", STEP, async () => {
    const admin = people.admin.page;
    await admin.getByLabel("Email addresses").fill(BEA.email);
    await admin.getByTestId("invite-submit").click();
    await toastSays(admin, "success", /invitation sent/i);
    const bea = people.bea.page;
    await followMail(bea, BEA.email);
    await bea.waitForURL(/\/accept\?token=/);
    await bea.getByLabel("Your name").fill(BEA.name);
    await bea.getByLabel("Password").fill(BEA.password);
    await bea.getByTestId("auth-submit").click();
    await waitForOrgPage(bea);

    const page = people.maya.page;
    await refocus(page);
    await memberRow(page, BEA.email).waitFor();
    assert.equal(await memberRow(page, BEA.email).getByTestId("remove-member").count(), 1, "an admin's row controls");
    assert.equal(await page.getByTestId("members-card").getByText("3 members").count(), 1);

    // The admin's page sees her join at its own next focus, like anyone else's.
    await refocus(admin);
    await memberRow(admin, BEA.email).getByTestId("remove-member").click();
    await admin.getByTestId("confirm-ok").click();
    await toastSays(admin, "success", "Member removed");
    await refocus(page);
    await memberRow(page, BEA.email).waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("members-card").getByText("2 members").count(), 1);
    assert.ok(await stillSamePage(page), "both changes came without a reload");
  });

  it("the admin demotes her: at her next focus her page drops the admin controls", STEP, async () => {
    const admin = people.admin.page;
    await memberRow(admin, MAYA.email).getByTestId("role-select").selectOption("basic_member");
    await toastSays(admin, "success", `${MAYA.name} is now a member`);

    const page = people.maya.page;
    await refocus(page);
    await page.locator('[data-testid="my-role"][data-role="basic_member"]').waitFor();
    await page.getByTestId("invite-locked").waitFor();
    assert.equal(await roleOf(page, MAYA.email), "basic_member");
    assert.equal(await page.getByTestId("role-select").count(), 0);
    assert.equal(await page.getByTestId("remove-member").count(), 0);
    assert.equal(await page.getByTestId("invitations-card").count(), 0);
    assert.ok(await stillSamePage(page), "the demotion came without a reload");
    await shot(page, "live-05-demoted-on-focus");
  });

  it("the admin removes her: the row leaves the admin's page, and Maya's page says so at her next focus", STEP, async () => {
    const admin = people.admin.page;
    const reads = countReads(admin);
    await memberRow(admin, MAYA.email).getByTestId("remove-member").click();
    await admin.getByTestId("confirm-ok").click();
    await toastSays(admin, "success", "Member removed");
    await memberRow(admin, MAYA.email).waitFor({ state: "detached" });
    assert.deepEqual(reads, { members: 1, organization: 0 });
    assert.equal(await admin.getByTestId("members-card").getByText("1 member").count(), 1);

    const page = people.maya.page;
    await refocus(page);
    await page.getByTestId("not-member").waitFor();
    assert.ok(await stillSamePage(page), "the removal came without a reload");
    await shot(page, "live-06-removed-on-focus");
  });
});
