// End-to-end test of the demo's home page on the SDK's reactive store (www/live.js, www/home.js):
// what another person changes shows up at the next revalidation (here: the window gains focus),
// and what this page changes redraws it, all without reloading the page.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { RUN, launch, newPerson, shot, toastSays, signUp, createOrg, followMail } from "./helpers.mjs";

const ADMIN = { name: "Ada Admin", email: `ada.live.${RUN}@example.com`, password: "analytical-1843" };
const MAYA = { name: "Maya Member", email: `maya.live.${RUN}@example.com`, password: "maya-angelou-1969" };
const ORG_NAME = `Live Co ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
const people = {};

/** Marks the page; `stillSamePage` is false once it has been reloaded or navigated away. */
const markPage = (page) => page.evaluate(() => { window.__sameDocument = true; });
const stillSamePage = (page) => page.evaluate(() => window.__sameDocument === true);
/** What a person does when they come back to the tab: the window gains focus. */
const refocus = (page) => page.evaluate(() => window.dispatchEvent(new Event("focus")));

describe("the home page follows the store", () => {
  before(async () => {
    browser = await launch();
    for (const who of ["admin", "maya"]) people[who] = await newPerson(browser);
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

  it("Maya accepts; back home, the organization is in her list", STEP, async () => {
    const page = people.maya.page;
    await page.getByTestId("my-invitation").filter({ hasText: ORG_NAME }).getByTestId("accept-my-invitation").click();
    await page.getByTestId("org-page").waitFor();
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
});
