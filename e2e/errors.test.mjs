// End-to-end: the demo shows refusals and broken links to the person in words, and an invitee
// who already has an account (or is signed in as somebody else) still gets in.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  BASE, RUN, launch, newPerson, shot, eventually, toastSays, signUp, createOrg, myRole, waitForOrgPage,
} from "./helpers.mjs";

const OWNER = { name: "Eve Owner", email: `eve.${RUN}@example.com`, password: "correct-horse-battery" };
const OTHER = { name: "Dan Existing", email: `dan.${RUN}@example.com`, password: "staple-staple-staple" };
const ORG_NAME = `Globex ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
const people = {};

describe("errors in words, and invitees with an account", () => {
  before(async () => {
    browser = await launch();
    people.owner = await newPerson(browser);
    people.other = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it("a broken or incomplete invitation link says so", STEP, async () => {
    const page = people.owner.page;
    await page.goto(`${BASE}/accept?token=not-a-real-token`);
    const card = page.getByTestId("accept-error");
    await card.waitFor();
    assert.match(await card.innerText(), /isn't valid/);
    assert.match(await card.innerText(), /couldn't find this invitation/i);
    await shot(page, "20-accept-bad-token");
    await page.goto(`${BASE}/accept`);
    await page.getByTestId("accept-error").filter({ hasText: "incomplete" }).waitFor();
  });

  it("a broken verification link says so", STEP, async () => {
    const page = people.owner.page;
    await page.goto(`${BASE}/verify-email?token=not-a-real-token`);
    const card = page.getByTestId("verify-error");
    await card.waitFor();
    assert.match(await card.innerText(), /couldn't verify your email address/i);
  });

  it("the package exports OrgKitError, and local and server refusals are both one", STEP, async () => {
    const page = people.owner.page;
    const seen = await page.evaluate(async () => {
      const sdk = await import("/pkg/orgkit.js");
      await sdk.default();
      const kit = new sdk.OrgKit();
      const local = await kit.verifyEmail("").catch((e) => e);
      const server = await kit.verifyEmail("A".repeat(43)).catch((e) => e);
      const is = (e) => [e instanceof sdk.OrgKitError, e instanceof Error, e.name, e.code, e.status];
      return { local: is(local), server: is(server) };
    });
    assert.deepEqual(seen.local, [true, true, "OrgKitError", "not_found", 0]);
    assert.deepEqual(seen.server, [true, true, "OrgKitError", "not_found", 404]);
  });

  it("an empty organization name and a taken slug are refused in words", STEP, async () => {
    const page = people.owner.page;
    await signUp(page, OWNER);
    await page.getByTestId("create-org").click();
    const error = page.getByTestId("form-error");
    await error.waitFor();
    assert.match(await error.innerText(), /name/i);
    await createOrg(page, ORG_NAME);
    await page.goto(`${BASE}/#/`);
    await page.getByLabel("Organization name").fill(`Another ${RUN}`);
    await page.getByLabel("URL slug").fill(`globex-${RUN}`);
    await page.getByTestId("create-org").click();
    await page.getByTestId("form-error").filter({ hasText: "already uses that URL slug" }).waitFor();
    await shot(page, "21-slug-taken");
    await page.getByLabel("URL slug").fill(`another-${RUN}`);
    await page.getByTestId("create-org").click();
    await waitForOrgPage(page);
    await page.goto(`${BASE}/#/`);
  });

  it("a second organization with the same name is no conflict: the suggested slug is not sent, the server picks the next free one", STEP, async () => {
    const page = people.owner.page;
    const name = `Acme ${RUN}`;
    await createOrg(page, name);
    assert.equal(await page.getByTestId("org-slug").innerText(), `/acme-${RUN}`);
    await page.goto(`${BASE}/#/`);
    await page.getByLabel("Organization name").fill(name);
    assert.equal(await page.getByLabel("URL slug").inputValue(), `acme-${RUN}`, "the taken slug is still suggested");
    await page.getByTestId("create-org").click();
    await waitForOrgPage(page);
    assert.equal(await page.getByTestId("org-name").innerText(), name);
    assert.equal(await page.getByTestId("org-slug").innerText(), `/acme-${RUN}-2`);
    await page.goto(`${BASE}/#/`);
    await eventually(async () => assert.equal(await page.getByTestId("org-item").filter({ hasText: name }).count(), 2));
  });

  it("an admin renames the organization; a taken slug there is refused in words", STEP, async () => {
    const page = people.owner.page;
    await page.getByTestId("org-item").filter({ hasText: ORG_NAME }).getByRole("link").click();
    await waitForOrgPage(page);
    const settings = page.getByTestId("settings-card");
    await settings.getByLabel("URL slug").fill(`another-${RUN}`);
    await settings.getByTestId("save-settings").click();
    await settings.getByTestId("form-error").filter({ hasText: "already uses that URL slug" }).waitFor();
    await settings.getByLabel("URL slug").fill(`globex-${RUN}`);
    await settings.getByLabel("Name").fill(`${ORG_NAME} Labs`);
    await settings.getByTestId("save-settings").click();
    await toastSays(page, "success", "Organization updated");
    await page.getByTestId("org-name").filter({ hasText: `${ORG_NAME} Labs` }).waitFor();
    await settings.getByLabel("Name").fill(ORG_NAME);
    await settings.getByTestId("save-settings").click();
    await toastSays(page, "success", "Organization updated");
    await page.getByTestId("org-name").filter({ hasText: new RegExp(`^${ORG_NAME}$`) }).waitFor();
  });

  it("the last admin cannot leave, and is told why", STEP, async () => {
    const page = people.owner.page;
    await page.getByTestId("leave-org").click();
    await page.getByTestId("confirm-ok").click();
    const text = await toastSays(page, "error", "Couldn't leave", { keep: true });
    assert.match(text, /at least one admin/i);
    await page.getByTestId("org-page").waitFor();
  });

  it("signed in as someone else, the invitee is told, signs out, and signs in with the invited address", STEP, async () => {
    // Dan already has an account (made in his own browser).
    await signUp(people.other.page, OTHER);

    const page = people.owner.page;
    await page.getByLabel("Email addresses").fill(OTHER.email);
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByTestId("invite-submit").click();
    await toastSays(page, "success", "Invitation sent");

    // Eve opens Dan's link on her own machine.
    await page.goto(`${BASE}/#/mailbox`);
    await page.getByLabel("Recipient").fill(OTHER.email);
    await page.getByTestId("mailbox-refresh").click();
    await page.locator(`[data-testid="mail-message"][data-to="${OTHER.email}"]`).first().getByTestId("mail-link").click();
    const card = page.getByTestId("accept-card");
    await card.waitFor();
    // Whose invitation it is, the SDK decides with the rule book, at Accept, with no request sent.
    let acceptRequests = 0;
    const count = (request) => { if (request.url().includes("/v1/invitations/accept")) acceptRequests += 1; };
    page.on("request", count);
    await card.getByTestId("accept-invitation").click();
    await card.getByTestId("wrong-account").waitFor();
    page.off("request", count);
    assert.equal(acceptRequests, 0, "the SDK refused another address's invitation locally");
    assert.match(await card.innerText(), new RegExp(`signed in as ${OWNER.email.replace(/\./g, "\\.")}`));
    await shot(page, "22-accept-wrong-account");
    await page.getByRole("button", { name: "Sign out and continue" }).click();

    await page.getByTestId("tab-signin").click();
    assert.equal(await page.getByLabel("Email address").inputValue(), OTHER.email, "the invited address is filled in");
    await page.getByLabel("Password").fill(OTHER.password);
    await page.getByTestId("auth-submit").click();
    await waitForOrgPage(page);
    assert.equal(await page.getByTestId("org-name").innerText(), ORG_NAME);
    assert.equal(await myRole(page), "admin");
    assert.equal(await page.getByTestId("user-email").innerText(), OTHER.email);
  });

  it("with another admin present, an admin can leave", STEP, async () => {
    const page = people.owner.page; // now signed in as Dan
    await page.getByTestId("leave-org").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "You left the organization");
    await page.getByTestId("no-orgs").waitFor();
  });

  it("nothing was left in the console", () => {
    for (const [who, { problems }] of Object.entries(people)) {
      assert.deepEqual(problems, [], `${who}'s page logged errors`);
    }
  });
});
