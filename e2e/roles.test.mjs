// End-to-end test of custom roles in the demo (www/organization/roles.js, members.js): an admin makes
// a "Billing manager" role (billing read and manage, members read) with the permission checkboxes,
// gives it to a member beside her role, and that member edits the billing profile but cannot
// invite (the invite control is disabled), against the server scripts/e2e.sh starts.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, RUN, SHOTS, launch, newPerson, shot, eventually, toastSays, signUp, createOrg, waitForOrgPage, memberRow, myRole } from "./helpers.mjs";

const ADA = { name: "Ada Admin", email: `ada.roles.${RUN}@example.com`, password: "roles-admin-pass" };
const BEA = { name: "Bea Billing", email: `bea.roles.${RUN}@example.com`, password: "roles-billing-pass" };
const ORG_NAME = `Roles Co ${RUN}`;
const STEP = { timeout: 60_000 };
const BILLING = ["org:billing:read", "org:billing:manage", "org:memberships:read"];

let browser;
const people = {};

describe("custom roles in the demo", () => {
  before(async () => {
    browser = await launch();
    for (const who of ["ada", "bea"]) people[who] = await newPerson(browser);
  });
  after(async () => {
    await browser?.close();
    for (const [who, p] of Object.entries(people)) assert.deepEqual(p.problems, [], `${who}'s page logged problems`);
  });

  it("the roles card lists the built-in roles from the catalog", STEP, async () => {
    const page = people.ada.page;
    await signUp(page, ADA);
    await createOrg(page, ORG_NAME);
    const card = page.getByTestId("roles-card");
    await card.getByTestId("roles-table").waitFor();
    const keys = await card.getByTestId("role-row").evaluateAll((rows) => rows.map((r) => r.dataset.key));
    assert.deepEqual(keys, ["admin", "basic_member"]);
    assert.equal(await card.getByTestId("built-in-badge").count(), 2);
    assert.equal(await card.getByTestId("edit-role").count(), 0, "built-ins cannot be edited");
    const boxes = card.getByTestId("role-permission");
    assert.ok(await boxes.count() >= 14, "one checkbox per permission of the catalog");
    assert.equal(await card.locator('[data-testid="role-permission"]:disabled').count(), 0, "an admin holds every permission");
  });

  it("the admin creates a Billing manager role with the checkboxes", STEP, async () => {
    const page = people.ada.page;
    const card = page.getByTestId("roles-card");
    await card.getByLabel("Role key").fill("billing");
    await card.getByLabel("Role name").fill("Billing manager");
    await card.getByLabel("Role description").fill("Keeps the billing profile up to date.");
    for (const p of BILLING) await card.locator(`[data-testid="role-permission"][data-permission="${p}"]`).check();
    await card.scrollIntoViewIfNeeded();
    await shot(page, "roles-01-create-form");
    await card.getByTestId("role-submit").click();
    await toastSays(page, "success", "Role created");
    await waitForOrgPage(page);
    const row = page.locator('[data-testid="role-row"][data-key="org:billing"]');
    await row.waitFor();
    // In catalog order: members before billing.
    assert.equal(await row.getByTestId("role-permissions").innerText(), "org:memberships:read, org:billing:read, org:billing:manage");
    await page.getByTestId("roles-card").scrollIntoViewIfNeeded();
    await shot(page, "roles-02-roles-card");
    await page.getByTestId("roles-card").screenshot({ path: `${SHOTS}roles-02-roles-card-only.png` });
  });

  it("a member joins and the admin gives her the Billing manager role", STEP, async () => {
    const page = people.ada.page;
    await page.getByLabel("Email addresses").fill(BEA.email);
    await page.getByTestId("invite-submit").click();
    await toastSays(page, "success", /invitation sent/i);

    const bea = people.bea.page;
    await bea.goto(`${BASE}/#/mailbox`);
    await bea.getByLabel("Recipient").fill(BEA.email);
    await bea.getByTestId("mailbox-refresh").click();
    const mail = bea.locator(`[data-testid="mail-message"][data-to="${BEA.email}"]`).first();
    await mail.waitFor();
    await mail.getByTestId("mail-link").click();
    await bea.waitForURL(/\/accept\?token=/);
    await bea.getByLabel("Your name").fill(BEA.name);
    await bea.getByLabel("Password").fill(BEA.password);
    await bea.getByTestId("auth-submit").click();
    await waitForOrgPage(bea);
    assert.equal(await myRole(bea), "basic_member");

    await page.reload();
    await waitForOrgPage(page);
    const row = memberRow(page, BEA.email);
    await row.getByTestId("member-roles-panel").locator("summary").click();
    const option = (key) => row.locator(`[data-testid="member-role-option"][value="${key}"]`);
    await option("org:billing").check();
    assert.equal(await option("basic_member").isChecked(), true, "she keeps her role");
    await row.scrollIntoViewIfNeeded();
    await shot(page, "roles-03-member-roles-panel");
    await page.getByTestId("members-card").screenshot({ path: `${SHOTS}roles-03-members-card-only.png` });
    await row.getByTestId("save-member-roles").click();
    await toastSays(page, "success", "Roles changed");
    await eventually(async () => assert.equal(
      await memberRow(page, BEA.email).getByTestId("member-role").getAttribute("data-roles"), "basic_member org:billing"));
    await page.getByTestId("members-card").scrollIntoViewIfNeeded();
    await shot(page, "roles-04-member-with-two-roles");
  });

  it("the billing manager edits the billing profile but cannot invite", STEP, async () => {
    const bea = people.bea.page;
    await bea.reload();
    await waitForOrgPage(bea);
    assert.equal(await bea.getByTestId("my-role").getAttribute("data-roles"), "basic_member org:billing");
    assert.equal(await bea.getByTestId("invitations-card").count(), 0, "no invitations card");
    const invite = bea.getByTestId("invite-locked").getByTestId("invite-submit");
    assert.equal(await invite.isDisabled(), true, "the invite control is disabled");
    // Her roles card lists the roles, and she changes none of them.
    assert.equal(await bea.getByTestId("roles-card").getByTestId("role-form").count(), 0);

    const card = bea.getByTestId("billing-card");
    await card.getByLabel("Legal name").fill("Roles Co SAS");
    await card.getByLabel("City").fill("Lyon");
    await card.getByLabel("Address line 1").fill("2 place Bellecour");
    await card.getByLabel("Postal code").fill("69002");
    await card.getByLabel("Country (ISO code)").fill("FR");
    await card.getByTestId("save-billing").click();
    await toastSays(bea, "success", "Billing profile saved");
    await card.scrollIntoViewIfNeeded();
    await shot(bea, "roles-05-billing-manager-billing");
    await bea.getByTestId("invite-locked").scrollIntoViewIfNeeded();
    await shot(bea, "roles-06-billing-manager-cannot-invite");
    await bea.getByTestId("invite-locked").screenshot({ path: `${SHOTS}roles-06-invite-locked-only.png` });

    const ada = people.ada.page;
    await ada.reload();
    await waitForOrgPage(ada);
    await eventually(async () => assert.equal(await ada.getByTestId("billing-legal-name").inputValue(), "Roles Co SAS"));
  });

  it("a role with a permission the editor lacks shows that checkbox disabled", STEP, async () => {
    // The admin gives the billing manager org:roles:manage through a second custom role; she then
    // sees only her own permissions enabled in the role form.
    const page = people.ada.page;
    const card = page.getByTestId("roles-card");
    await card.getByLabel("Role key").fill("role_keeper");
    await card.getByLabel("Role name").fill("Role keeper");
    await card.locator('[data-testid="role-permission"][data-permission="org:roles:manage"]').check();
    await card.getByTestId("role-submit").click();
    await toastSays(page, "success", "Role created");
    await waitForOrgPage(page);
    const row = memberRow(page, BEA.email);
    await row.getByTestId("member-roles-panel").locator("summary").click();
    await row.locator('[data-testid="member-role-option"][value="org:role_keeper"]').check();
    await row.getByTestId("save-member-roles").click();
    await toastSays(page, "success", "Roles changed");

    const bea = people.bea.page;
    await bea.reload();
    await waitForOrgPage(bea);
    const form = bea.getByTestId("roles-card").getByTestId("role-form");
    await form.waitFor();
    const box = (p) => form.locator(`[data-testid="role-permission"][data-permission="${p}"]`);
    assert.equal(await box("org:billing:manage").isDisabled(), false, "she holds it");
    assert.equal(await box("org:invitations:manage").isDisabled(), true, "she lacks it");
    assert.equal(await box("org:profile:delete").isDisabled(), true, "she lacks it");
    await form.scrollIntoViewIfNeeded();
    await shot(bea, "roles-07-escalation-disabled");
    await form.screenshot({ path: `${SHOTS}roles-07-role-form-only.png` });
  });
});
