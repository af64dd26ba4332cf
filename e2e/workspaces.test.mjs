// End-to-end test of the Workspaces, Groups and Service accounts & API keys tabs of the demo
// (www/organization/tabs.js, workspaces.js, workspace_panel.js, groups.js, service_accounts.js,
// api_keys.js): an admin creates a workspace and a group, puts a member in the group and grants
// the group ws:member; the member sees the workspace "via group" and cannot create one; the admin
// creates a service account and an API key whose secret shows once (Copy puts it on the
// clipboard; gone after a reload), then revokes it with a reason; the admin grants the member and
// the service account directly and reads the member's effective access; against the server
// scripts/e2e.sh starts.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, RUN, SHOTS, launch, newPerson, shot, eventually, toastSays, signUp, createOrg, waitForOrgPage } from "./helpers.mjs";

const ADA = { name: "Ada Admin", email: `ada.ws.${RUN}@example.com`, password: "workspaces-admin-pass" };
const BEA = { name: "Bea Builder", email: `bea.ws.${RUN}@example.com`, password: "workspaces-member-pass" };
const ORG_NAME = `Workspaces Co ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
let orgId;
let beaId;
const people = {};

/** Opens tab `tab` of the organization page (afresh) and waits for `card`. */
async function openTab(page, tab, card) {
  const url = `${BASE}/#/org/${orgId}/${tab}`;
  // The same address again changes no route: reload to read the lists afresh.
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.locator(`[data-testid="org-page"][data-tab="${tab}"]`).waitFor();
  await page.getByTestId(card).waitFor();
}

/** Dismisses the toasts and scrolls to the top first, so neither covers a full-page screenshot. */
async function topShot(page, name) {
  for (const button of await page.getByRole("button", { name: "Dismiss notification" }).all()) await button.click().catch(() => {});
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

const workspaceRow = (page, slug) => page.locator(`[data-testid="workspace-row"][data-slug="${slug}"]`);

/** Opens the workspace `slug` in the panel (unless it is open already) and answers the panel. */
async function openWorkspace(page, slug) {
  const row = workspaceRow(page, slug);
  await row.waitFor();
  const id = await row.getAttribute("data-id");
  const open = row.getByTestId("open-workspace");
  if (await open.getAttribute("aria-pressed") !== "true") await open.click();
  const panel = page.locator(`[data-testid="workspace-panel"][data-id="${id}"]`);
  await panel.waitFor();
  return panel;
}

describe("workspaces, groups, service accounts and API keys in the demo", () => {
  before(async () => {
    browser = await launch();
    for (const who of ["ada", "bea"]) people[who] = await newPerson(browser);
  });
  after(async () => {
    await browser?.close();
    for (const [who, p] of Object.entries(people)) assert.deepEqual(p.problems, [], `${who}'s page logged problems`);
  });

  it("the admin creates a shared workspace from the Workspaces tab", STEP, async () => {
    const page = people.ada.page;
    await signUp(page, ADA);
    await createOrg(page, ORG_NAME);
    orgId = await page.getByTestId("org-page").getAttribute("data-org-id");
    assert.equal(await page.getByTestId("org-tab-overview").getAttribute("aria-current"), "page");
    await page.getByTestId("org-tab-workspaces").click();
    await page.getByTestId("workspaces-card").waitFor();
    assert.equal(await page.getByTestId("org-tab-workspaces").getAttribute("aria-current"), "page");

    await page.getByLabel("Workspace name").fill("Production");
    await page.getByLabel("Slug (optional)").fill(`prod-${RUN}`);
    await page.getByTestId("create-workspace").click();
    await toastSays(page, "success", "Workspace created");
    const row = workspaceRow(page, `prod-${RUN}`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-role"), "ws:manager");
    assert.equal(await row.getAttribute("data-via"), "organization");
    assert.equal(await row.getByTestId("workspace-via").innerText(), "organization admin");
    await page.getByTestId("workspace-panel").waitFor();
    await topShot(page, "workspaces-01-created");
  });

  it("a member joins; the admin makes a group and puts her in it", STEP, async () => {
    const page = people.ada.page;
    await page.goto(`${BASE}/#/org/${orgId}`);
    await waitForOrgPage(page);
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

    await openTab(page, "groups", "groups-card");
    await page.getByLabel("Group name").fill("Developers");
    await page.getByLabel("Description").fill("Everyone who ships code.");
    await page.getByTestId("create-group").click();
    await toastSays(page, "success", "Group created");
    const panel = page.getByTestId("group-panel");
    await panel.waitFor();
    assert.equal(await panel.getByTestId("group-panel-name").innerText(), "Developers");

    await panel.getByTestId("group-add-kind").selectOption("user");
    const option = panel.getByTestId("group-add-principal").locator("option", { hasText: BEA.email });
    beaId = await option.getAttribute("value");
    assert.match(beaId, /^user_/);
    await panel.getByTestId("group-add-principal").selectOption(beaId);
    await panel.getByTestId("group-add-role").selectOption("member");
    await panel.getByTestId("group-add-submit").click();
    await toastSays(page, "success", "Added to the group");
    const member = page.locator(`[data-testid="group-member-row"][data-principal-id="${beaId}"]`);
    await member.waitFor();
    assert.equal(await member.getAttribute("data-role"), "member");
    assert.equal(await page.locator('[data-testid="group-row"][data-name="Developers"]').getByTestId("group-member-count").innerText(), "1");
    await topShot(page, "workspaces-02-group-with-member");
  });

  it("the admin grants the group ws:member and sees the member's access via the group", STEP, async () => {
    const page = people.ada.page;
    await openTab(page, "workspaces", "workspaces-card");
    const panel = await openWorkspace(page, `prod-${RUN}`);
    await panel.getByTestId("grant-kind").selectOption("group");
    await panel.getByTestId("grant-principal").selectOption({ label: "Developers" });
    await panel.getByTestId("grant-role-new").selectOption("ws:member");
    await panel.getByTestId("grant-submit").click();
    await toastSays(page, "success", "Access given");
    const grant = page.locator('[data-testid="grant-row"][data-kind="group"]');
    await grant.waitFor();
    assert.equal(await grant.getAttribute("data-role"), "ws:member");
    assert.equal(await grant.getByTestId("principal-name").innerText(), "Developers");

    const access = page.getByTestId("workspace-panel");
    await access.getByTestId("access-user").selectOption(beaId);
    await access.getByTestId("access-check").click();
    const result = access.getByTestId("access-result");
    await eventually(async () => assert.equal(await result.getAttribute("data-via"), "group"));
    assert.equal(await result.getAttribute("data-role"), "ws:member");
    assert.match(await result.innerText(), /^Bea Builder \(bea\.ws\.[^)]*\) is a workspace member \(via group\)\.$/);
    await topShot(page, "workspaces-03-granted-group");
    await access.screenshot({ path: `${SHOTS}workspaces-03-panel-only.png` });
  });

  it("the member sees the workspace via the group and cannot create one", STEP, async () => {
    const bea = people.bea.page;
    await openTab(bea, "workspaces", "workspaces-card");
    const row = workspaceRow(bea, `prod-${RUN}`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-role"), "ws:member");
    assert.equal(await row.getAttribute("data-via"), "group");
    assert.equal(await row.getByTestId("workspace-via").innerText(), "via group");
    assert.equal(await bea.getByTestId("create-workspace").isDisabled(), true, "she lacks org:workspaces:manage");
    await bea.getByTestId("workspace-create-locked").waitFor();
    const panel = await openWorkspace(bea, `prod-${RUN}`);
    assert.equal(await panel.getByTestId("grant-submit").isDisabled(), true, "a workspace member grants nothing");
    assert.equal(await panel.getByTestId("archive-workspace").isDisabled(), true, "a workspace member archives nothing");
    await panel.getByTestId("grants-hidden").waitFor();
    await topShot(bea, "workspaces-04-member-via-group");

    // Her groups tab: she sees the group, and may not change it.
    await openTab(bea, "groups", "groups-card");
    assert.equal(await bea.getByTestId("create-group").isDisabled(), true);
    await bea.locator('[data-testid="group-row"][data-name="Developers"]').waitFor();
  });

  it("the admin creates a service account and a key, whose secret shows once, then revokes it", STEP, async () => {
    const page = people.ada.page;
    await openTab(page, "service-accounts", "service-accounts-card");
    await page.getByLabel("Name", { exact: true }).fill("Deploy bot");
    await page.getByTestId("service-account-role-select").selectOption("basic_member");
    await page.getByTestId("create-service-account").click();
    await toastSays(page, "success", "Service account created");
    const account = page.locator('[data-testid="service-account-row"][data-name="Deploy bot"]');
    await account.waitFor();
    assert.equal(await account.getByTestId("service-account-role").getAttribute("data-role"), "basic_member");
    const panel = page.getByTestId("service-account-panel");
    await panel.waitFor();

    const form = panel.getByTestId("service-account-key-form");
    await form.getByTestId("api-key-name").fill("CI deploys");
    await form.getByTestId("api-key-expiry").selectOption("30");
    await form.getByTestId("api-key-create").click();
    await toastSays(page, "success", "API key created");
    const box = panel.getByTestId("api-key-secret-box");
    await box.waitFor();
    const secret = await box.getByTestId("api-key-secret").inputValue();
    assert.match(secret, /^ok_[0-9a-f]{64}$/);
    assert.equal(await box.getByTestId("api-key-secret-warning").innerText(), "Copy this key now. It will not be shown again.");
    // Copy puts the secret on the clipboard and says so.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(BASE).origin });
    await box.getByTestId("copy-api-key").click();
    await toastSays(page, "success", "Key copied");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, "the clipboard holds the secret");
    const key = panel.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`);
    await key.waitFor();
    assert.equal(await key.getByTestId("api-key-status").getAttribute("data-status"), "active");
    assert.equal(await key.getByTestId("api-key-last4").innerText(), `ok_…${secret.slice(-4)}`);
    await topShot(page, "workspaces-05-key-secret-once");
    await panel.screenshot({ path: `${SHOTS}workspaces-05-secret-box-only.png` });

    // A reload shows the key, never its secret again.
    await page.reload();
    await page.locator('[data-testid="org-page"][data-tab="service-accounts"]').waitFor();
    const again = page.getByTestId("service-account-panel");
    await again.waitFor();
    await again.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`).waitFor();
    assert.equal(await page.getByTestId("api-key-secret").count(), 0, "the secret is gone after a reload");
    assert.equal(await page.locator('[data-testid="api-key-secret-box"]:visible').count(), 0);
    assert.equal(await page.getByText(secret).count(), 0);

    const row = again.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`);
    await row.getByTestId("api-key-revoke").locator("summary").click();
    await row.getByTestId("api-key-revoke-reason-input").fill("Rotated after the demo");
    await row.getByTestId("api-key-revoke-confirm").click();
    await toastSays(page, "success", "Key revoked");
    const revoked = page.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`);
    await eventually(async () => assert.equal(await revoked.getByTestId("api-key-status").getAttribute("data-status"), "revoked"));
    assert.equal(await revoked.getByTestId("api-key-revoke-reason").innerText(), "Reason: Rotated after the demo");
    assert.equal(await revoked.getByTestId("api-key-revoke").count(), 0, "a revoked key has no Revoke");
    await topShot(page, "workspaces-06-key-revoked");
  });

  it("under the default policy a member may not create her own key; the admin sees the policy select", STEP, async () => {
    const page = people.ada.page;
    await page.getByTestId("api-key-policy-card").waitFor();
    assert.equal(await page.getByTestId("api-key-policy").inputValue(), "admins");

    const bea = people.bea.page;
    await openTab(bea, "service-accounts", "my-api-keys-card");
    assert.equal(await bea.getByTestId("api-key-policy-card").count(), 0, "she may not set the policy");
    assert.equal(await bea.getByTestId("create-service-account").isDisabled(), true, "she lacks org:service_accounts:manage");
    assert.equal(await bea.locator('[data-testid="service-account-row"][data-name="Deploy bot"]').getByTestId("open-service-account").isDisabled(), true,
      "she may not read a service account's keys");
    const card = bea.getByTestId("my-api-keys-card");
    assert.equal(await card.getByTestId("api-key-create").isDisabled(), true, "the policy is admins");
    await card.getByTestId("api-key-locked").waitFor();
    await topShot(bea, "workspaces-07-member-keys-locked");
  });

  it("with the policy at members, the member creates her own key; the admin sees it among everyone's", STEP, async () => {
    const page = people.ada.page;
    // Turned off, the admin's own key form locks on the same page: it follows the store's
    // organization, which the policy write refreshed (no page redraw).
    await page.getByTestId("org-page").evaluate((el) => { el.dataset.marker = "kept"; });
    const own = page.getByTestId("my-api-keys-card");
    assert.equal(await own.getByTestId("api-key-create").isDisabled(), false);
    await page.getByTestId("api-key-policy").selectOption("nobody");
    await page.getByTestId("save-api-key-policy").click();
    await toastSays(page, "success", "Policy saved");
    await own.getByTestId("api-key-locked").waitFor();
    assert.equal(await own.getByTestId("api-key-create").isDisabled(), true, "the policy is nobody");
    assert.equal(await page.getByTestId("org-page").getAttribute("data-marker"), "kept", "no page redraw");
    await page.getByTestId("api-key-policy").selectOption("members");
    await page.getByTestId("save-api-key-policy").click();
    await toastSays(page, "success", "Policy saved");
    await eventually(async () => assert.equal(await own.getByTestId("api-key-create").isDisabled(), false, "the policy is members"));

    const bea = people.bea.page;
    await openTab(bea, "service-accounts", "my-api-keys-card");
    const card = bea.getByTestId("my-api-keys-card");
    assert.equal(await card.getByTestId("api-key-create").isDisabled(), false);
    await card.getByTestId("api-key-name").fill("Bea's reports");
    await card.getByTestId("api-key-limit").check();
    const scope = card.getByTestId("api-key-permissions");
    assert.equal(await scope.locator('[data-testid="api-key-permission"][data-permission="org:memberships:read"]').isDisabled(), false, "she holds it");
    await scope.locator('[data-testid="api-key-permission"][data-permission="org:memberships:read"]').check();
    await card.getByTestId("api-key-create").click();
    await toastSays(bea, "success", "API key created");
    const secret = await card.getByTestId("api-key-secret").inputValue();
    assert.match(secret, /^ok_[0-9a-f]{64}$/);
    const row = card.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Only: org:memberships:read/);
    await topShot(bea, "workspaces-08-member-own-key");

    await openTab(page, "service-accounts", "my-api-keys-card");
    const mine = page.getByTestId("my-api-keys-card");
    assert.equal(await mine.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`).count(), 0, "not among the admin's own keys");
    await mine.getByTestId("show-all-api-keys").check();
    await mine.locator(`[data-testid="api-key-row"][data-last4="${secret.slice(-4)}"]`).waitFor();
    await mine.screenshot({ path: `${SHOTS}workspaces-09-everyones-keys-only.png` });
  });

  it("the admin grants a person and the service account directly, and sees the person's effective access", STEP, async () => {
    const page = people.ada.page;
    await openTab(page, "workspaces", "workspaces-card");
    let panel = await openWorkspace(page, `prod-${RUN}`);
    // The person: a direct ws:manager grant outranks her group's ws:member.
    await panel.getByTestId("grant-kind").selectOption("user");
    await panel.getByTestId("grant-principal").selectOption(beaId);
    await panel.getByTestId("grant-role-new").selectOption("ws:manager");
    await panel.getByTestId("grant-submit").click();
    await toastSays(page, "success", "Access given");
    panel = await openWorkspace(page, `prod-${RUN}`);
    const person = panel.locator(`[data-testid="grant-row"][data-kind="user"][data-principal-id="${beaId}"]`);
    await person.waitFor();
    assert.equal(await person.getAttribute("data-role"), "ws:manager");
    // The service account.
    await panel.getByTestId("grant-kind").selectOption("service_account");
    await panel.getByTestId("grant-principal").selectOption({ label: "Deploy bot" });
    await panel.getByTestId("grant-role-new").selectOption("ws:member");
    await panel.getByTestId("grant-submit").click();
    await toastSays(page, "success", "Access given");
    panel = await openWorkspace(page, `prod-${RUN}`);
    const robot = panel.locator('[data-testid="grant-row"][data-kind="service_account"]');
    await robot.waitFor();
    assert.equal(await robot.getAttribute("data-role"), "ws:member");
    assert.equal(await robot.getByTestId("principal-name").innerText(), "Deploy bot");
    assert.match(await robot.getAttribute("data-principal-id"), /^sa_/);

    await panel.getByTestId("access-user").selectOption(beaId);
    await panel.getByTestId("access-check").click();
    const result = panel.getByTestId("access-result");
    await eventually(async () => assert.equal(await result.getAttribute("data-via"), "direct"));
    assert.equal(await result.getAttribute("data-role"), "ws:manager");
    assert.match(await result.innerText(), /is a workspace manager \(direct grant\)\.$/);
    await topShot(page, "workspaces-09b-granted-person-and-service-account");
    await panel.screenshot({ path: `${SHOTS}workspaces-09b-panel-only.png` });

    // Both direct grants removed: her access comes from the group again.
    for (const kind of ["user", "service_account"]) {
      panel = await openWorkspace(page, `prod-${RUN}`);
      await panel.locator(`[data-testid="grant-row"][data-kind="${kind}"]`).getByTestId("remove-grant").click();
      await page.getByTestId("confirm-ok").click();
      await toastSays(page, "success", "Access removed");
      await eventually(async () => assert.equal(await page.locator(`[data-testid="grant-row"][data-kind="${kind}"]`).count(), 0));
    }
    panel = await openWorkspace(page, `prod-${RUN}`);
    await panel.getByTestId("access-user").selectOption(beaId);
    await panel.getByTestId("access-check").click();
    const after = panel.getByTestId("access-result");
    await eventually(async () => assert.equal(await after.getAttribute("data-via"), "group"));
    assert.equal(await after.getAttribute("data-role"), "ws:member");
  });

  it("archiving the workspace takes it from the member; restoring gives it back", STEP, async () => {
    const page = people.ada.page;
    await openTab(page, "workspaces", "workspaces-card");
    const panel = await openWorkspace(page, `prod-${RUN}`);
    await panel.getByTestId("archive-workspace").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Workspace archived");
    await workspaceRow(page, `prod-${RUN}`).getByTestId("archived-badge").waitFor();
    assert.equal(await page.getByTestId("workspace-panel").getByTestId("grant-submit").isDisabled(), true, "an archived workspace takes no grant");
    await topShot(page, "workspaces-10-archived");

    const bea = people.bea.page;
    await openTab(bea, "workspaces", "workspaces-card");
    assert.equal(await workspaceRow(bea, `prod-${RUN}`).count(), 0, "a workspace member no longer reaches an archived workspace");

    await page.getByTestId("workspace-panel").getByTestId("unarchive-workspace").click();
    await toastSays(page, "success", "Workspace restored");
    await openTab(bea, "workspaces", "workspaces-card");
    await workspaceRow(bea, `prod-${RUN}`).waitFor();
    assert.equal(await workspaceRow(bea, `prod-${RUN}`).getAttribute("data-via"), "group");
  });

  it("the admin opens her personal workspace, removes the grant and the member, renames and deletes the group, deletes the service account", STEP, async () => {
    const page = people.ada.page;
    await openTab(page, "workspaces", "workspaces-card");
    await page.getByTestId("personal-workspace").click();
    await toastSays(page, "success", "Your personal workspace");
    const personal = page.locator('[data-testid="workspace-row"][data-via="personal"]');
    await personal.waitFor();
    assert.equal(await personal.getAttribute("data-role"), "ws:manager");
    await personal.getByTestId("personal-badge").waitFor();
    const mine = page.locator(`[data-testid="workspace-panel"][data-id="${await personal.getAttribute("data-id")}"]`);
    await mine.waitFor();
    assert.equal(await mine.getByTestId("grant-form").count(), 0, "a personal workspace is shared with no one");
    await topShot(page, "workspaces-11-personal");

    const panel = await openWorkspace(page, `prod-${RUN}`);
    await panel.locator('[data-testid="grant-row"][data-kind="group"]').getByTestId("remove-grant").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Access removed");
    await panel.getByTestId("no-grants").waitFor();

    await openTab(page, "groups", "groups-card");
    const group = page.locator('[data-testid="group-row"][data-name="Developers"]');
    if (await group.getByTestId("open-group").getAttribute("aria-pressed") !== "true") await group.getByTestId("open-group").click();
    const groupPanel = page.getByTestId("group-panel");
    await groupPanel.locator(`[data-testid="group-member-row"][data-principal-id="${beaId}"]`).getByTestId("remove-group-member").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Removed from the group");
    await groupPanel.getByTestId("no-group-members").waitFor();
    await groupPanel.getByTestId("group-rename").fill("Platform");
    await groupPanel.getByTestId("group-save").click();
    await toastSays(page, "success", "Group saved");
    await page.locator('[data-testid="group-row"][data-name="Platform"]').waitFor();
    await page.getByTestId("group-panel").getByTestId("delete-group").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Group deleted");
    await page.getByTestId("no-groups").waitFor();

    await openTab(page, "service-accounts", "service-accounts-card");
    await page.locator('[data-testid="service-account-row"][data-name="Deploy bot"]').getByTestId("delete-service-account").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Service account deleted");
    await page.getByTestId("no-service-accounts").waitFor();
    assert.equal(await page.getByTestId("service-account-panel").count(), 0);
  });
});
