// End-to-end test of the SSO card (the admin side of single sign-on) in the demo app, against
// the real test identity provider (tests/oidc/provider.mjs) and a DNS server on 127.0.0.1
// (e2e/dns.mjs): an admin proves ownership of a domain by DNS, sees the SSO join link, adds a
// connection, tests it, activates it, requires SSO, and takes it all down again.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { BASE, RUN, SHOTS, launch, newPerson, toastSays, signUp, createOrg } from "./helpers.mjs";
import { startDns } from "./dns.mjs";

const DOMAIN = `sso-${RUN}.test`;
const ADMIN = { name: "Sam Admin", email: `sam.${RUN}@example.com`, password: "sso-admin-pass-1" };
const ORG_NAME = `SSO Corp ${RUN}`;
const STEP = { timeout: 60_000 };

/** Starts the test identity provider; answers its issuer, client and process. */
async function startProvider() {
  const client = { id: `orgkit-e2e-${RUN}`, secret: `secret-${RUN}-${RUN}` };
  const child = spawn(process.execPath, ["tests/oidc/provider.mjs", "--client-id", client.id,
    "--client-secret", client.secret, "--redirect-prefix", `${BASE}/v1/sso/callback/`],
  { stdio: ["pipe", "pipe", "inherit"] });
  const [issuer] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((line) => [line.value?.trim()]),
    new Promise((_, reject) => setTimeout(() => reject(new Error("oidc-provider did not start")), 20_000)),
  ]);
  assert.match(issuer ?? "", /^http:\/\/127\.0\.0\.1:\d+/);
  return { issuer, client, child };
}

/** A screenshot of the SSO card alone (the page is long). */
async function cardShot(page, name) {
  const card = page.getByTestId("sso-card");
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: `${SHOTS}${name}.png`, animations: "disabled", style: ".topbar, .toasts { visibility: hidden; }" });
}

let browser;
let admin;
let dns;
let idp;
const connection = () => admin.page.locator('[data-testid="sso-connection"]');

describe("SSO connections", () => {
  before(async () => {
    [dns, idp] = await Promise.all([startDns(), startProvider()]);
    browser = await launch();
    admin = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    await dns?.close();
    idp?.child.kill();
  });

  it("the admin creates an organization and sees the SSO card with its join link", STEP, async () => {
    const page = admin.page;
    await signUp(page, ADMIN);
    await createOrg(page, ORG_NAME);
    const card = page.getByTestId("sso-card");
    await card.getByTestId("no-sso-connections").waitFor();
    await card.getByTestId("sso-no-owned-domains").waitFor();
    await cardShot(page, "sso-card-empty");
    const slug = (await page.getByTestId("org-slug").innerText()).replace(/^\//, "");
    assert.equal(await card.getByTestId("sso-join-url").inputValue(), `${BASE}/sso/${slug}`);
    await card.getByTestId("copy-sso-join-url").click();
    // Headless Chromium may refuse the clipboard: the demo then says to copy the selection.
    await page.locator('[data-testid="toast-success"], [data-testid="toast-info"]')
      .filter({ hasText: /Join link copied|Copy the selected link/ }).first().waitFor();
    // Requiring SSO needs an active connection. A click, not check(): the demo unticks the box
    // when the server refuses, which may happen before Playwright looks at it again.
    await card.getByTestId("require-sso").click();
    assert.match(await toastSays(page, "error", "Couldn't change the setting"), /Activate an SSO connection/);
    assert.equal(await card.getByTestId("require-sso").isChecked(), false);
  });

  it("the admin proves the domain's ownership by DNS", STEP, async () => {
    const page = admin.page;
    const domains = page.getByTestId("domains-card");
    await domains.getByLabel("Email domain").fill(DOMAIN);
    await domains.getByTestId("domain-add").click();
    await toastSays(page, "success", "Domain added");
    const item = page.locator(`[data-testid="domain"][data-domain="${DOMAIN}"]`);
    dns.txt(await item.getByTestId("ownership-name").innerText(), await item.getByTestId("ownership-value").innerText());
    await item.getByTestId("ownership-verify").click();
    await item.getByTestId("domain-verified").waitFor();
    await page.reload();
    await page.getByTestId("sso-card").getByTestId("sso-domain-choice").waitFor();
  });

  it("the admin adds a connection, tests it against the provider and activates it", STEP, async () => {
    const page = admin.page;
    const card = page.getByTestId("sso-card");
    await card.getByLabel("Name").fill("Test IdP");
    await card.getByLabel("Issuer or discovery URL").fill("ftp://nowhere");
    await card.getByLabel("Client ID").fill(idp.client.id);
    await card.getByLabel("Client secret").fill(idp.client.secret);
    await card.getByTestId("sso-create").click();
    await card.getByTestId("form-error").filter({ hasText: /issuer/i }).waitFor();
    await card.getByLabel("Issuer or discovery URL").fill(`${idp.issuer}/.well-known/openid-configuration`);
    await card.locator(`[data-testid="sso-domain-choice"][data-name="${DOMAIN}"]`).check();
    await card.getByTestId("sso-create").click();
    await toastSays(page, "success", "SSO connection added");
    await connection().filter({ hasText: "Test IdP" }).waitFor();
    assert.equal(await connection().getAttribute("data-state"), "draft");
    assert.match(await connection().getByTestId("sso-domains").innerText(), new RegExp(DOMAIN.replace(/\./g, "\\.")));
    assert.match(await connection().getByTestId("sso-callback-url").innerText(), /\/v1\/sso\/callback\/sso_/);
    assert.equal(await card.getByLabel("Client secret").inputValue(), "", "the secret is not kept in the form");
    assert.doesNotMatch(await card.innerText(), new RegExp(idp.client.secret), "the secret is never shown");

    await connection().getByTestId("sso-test").click();
    const result = connection().getByTestId("sso-test-result");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-ok"), "true");
    assert.match(await result.innerText(), /Discovery succeeded/);
    assert.match(await result.innerText(), /RS256/);
    await cardShot(page, "sso-connection-tested");

    await connection().getByTestId("sso-activate").click();
    await toastSays(page, "success", "Connection active");
    await page.locator('[data-testid="sso-connection"][data-state="active"]').waitFor();
  });

  it("the admin requires SSO; the last active connection then stays", STEP, async () => {
    const page = admin.page;
    const card = page.getByTestId("sso-card");
    await card.getByTestId("require-sso").check();
    await toastSays(page, "success", "SSO is required");
    await page.reload();
    assert.equal(await page.getByTestId("sso-card").getByTestId("require-sso").isChecked(), true);
    await cardShot(page, "sso-card-required");
    await connection().getByTestId("sso-deactivate").click();
    assert.match(await toastSays(page, "error", "Couldn't deactivate"), /requires SSO/);
    await card.getByTestId("require-sso").uncheck();
    await toastSays(page, "success", "SSO is no longer required");
  });

  it("the admin deactivates and deletes the connection", STEP, async () => {
    const page = admin.page;
    await connection().getByTestId("sso-deactivate").click();
    await toastSays(page, "success", "Connection deactivated");
    await page.locator('[data-testid="sso-connection"][data-state="inactive"]').waitFor();
    await connection().getByTestId("sso-delete").click();
    await page.locator("#confirm-ok").click();
    await toastSays(page, "success", "Connection deleted");
    await page.getByTestId("no-sso-connections").waitFor();
    assert.deepEqual(admin.problems, []);
  });
});
