// End-to-end test of SSO sign-in in the demo app, with a real OpenID Connect provider
// (oidc-provider, tests/oidc/provider.mjs) and a DNS server (e2e/dns.mjs) started by this test:
// an admin sets up an
// organization whose verified domain an active SSO connection serves; a person opens the SSO
// join link, passes the provider's (scripted) login, lands in the organization as a member and
// sees it in the demo. A failed sign-in comes back to the sign-in page with its reason.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { BASE, RUN, launch, newPerson, shot, signUp, createOrg, myRole, memberRow } from "./helpers.mjs";
import { startDns } from "./dns.mjs";

const ADMIN = { name: "Ida Admin", email: `ida.${RUN}@example.com`, password: "sso-admin-password" };
const DOMAIN = `acme-${RUN}.test`;
const SAM = `sam@${DOMAIN}`;
const ORG_NAME = `Acme SSO ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
let dns;
let provider;
let issuer;
const people = {};
let org;

/** Starts the test identity provider; answers its issuer URL. */
async function startProvider() {
  provider = spawn(process.execPath, [
    new URL("../tests/oidc/provider.mjs", import.meta.url).pathname,
    "--client-id", "orgkit-e2e", "--client-secret", `secret-${RUN}`,
    "--redirect-prefix", `${BASE}/v1/sso/callback/`,
  ], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: provider.stdout }).once("line", resolve);
    provider.once("exit", (code) => reject(new Error(`oidc-provider exited (${code})`)));
  });
  assert.match(line, /^http:\/\/127\.0\.0\.1:\d+$/);
  return line;
}

/** Calls the API from the admin's page, with their session cookie. */
async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const response = await fetch(path, {
      method, credentials: "include",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }, { method, path, body });
}

describe("SSO sign-in through the join link", () => {
  before(async () => {
    [dns, issuer] = await Promise.all([startDns(), startProvider()]);
    browser = await launch();
    people.admin = await newPerson(browser);
    people.sam = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    provider?.kill();
    await dns?.close();
    for (const person of Object.values(people)) assert.deepEqual(person.problems, []);
  });

  it("an admin connects the organization to its identity provider", STEP, async () => {
    const page = people.admin.page;
    await signUp(page, ADMIN);
    await createOrg(page, ORG_NAME);
    const id = decodeURIComponent(new URL(page.url()).hash.split("/")[2]);
    const read = await api(page, "GET", `/v1/organizations/${id}`);
    org = { id, slug: read.body.slug };
    const domain = await api(page, "POST", `/v1/organizations/${id}/domains`, { name: DOMAIN });
    assert.equal(domain.status, 201, JSON.stringify(domain.body));
    // Ownership is proven by a DNS TXT record, which the test's DNS server publishes.
    dns.txt(domain.body.ownershipRecordName, domain.body.ownershipRecordValue);
    const owned = await api(page, "POST", `/v1/organizations/${id}/domains/${domain.body.id}/verify-ownership`);
    assert.equal(owned.status, 200, JSON.stringify(owned.body));
    const created = await api(page, "POST", `/v1/organizations/${id}/sso-connections`, {
      name: "Acme IdP", issuer, clientId: "orgkit-e2e", clientSecret: `secret-${RUN}`, domainIds: [domain.body.id],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const active = await api(page, "PATCH", `/v1/organizations/${id}/sso-connections/${created.body.id}`, { state: "active" });
    assert.equal(active.status, 200, JSON.stringify(active.body));
  });

  it("a person opens the SSO join link, signs in at the provider and lands in the organization", STEP, async () => {
    const page = people.sam.page;
    await page.goto(`${BASE}/sso/${org.slug}`);
    await page.getByTestId("sso-join").waitFor();
    assert.match(await page.getByTestId("sso-join").innerText(), new RegExp(`/${org.slug}`));
    await page.getByTestId("sso-email").fill(SAM);
    await shot(page, "sso-01-join-link");
    await page.getByTestId("sso-submit").click();
    // The provider logs in the hinted user and sends the browser back through the callback.
    await page.getByTestId("org-page").waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).hash, `#/org/${encodeURIComponent(org.id)}`);
    assert.equal(await myRole(page), "basic_member");
    assert.match(await page.getByTestId("user-email").innerText(), new RegExp(SAM));
    await memberRow(page, SAM).waitFor();
    await shot(page, "sso-02-landed-in-org");
  });

  it("the admin sees the new member, marked as joined by SSO", STEP, async () => {
    const page = people.admin.page;
    await page.reload();
    const row = memberRow(page, SAM);
    await row.waitFor();
    assert.match(await row.getByTestId("member-source").innerText(), /SSO/);
    await shot(page, "sso-03-admin-sees-sso-member");
  });

  it("removing an SSO member warns that SSO adds them again, and it does", STEP, async () => {
    const page = people.admin.page;
    await memberRow(page, SAM).getByTestId("remove-member").click();
    const message = page.locator("#confirm-message");
    await message.waitFor();
    assert.match(await message.innerText(), /added again at their next SSO sign-in/);
    await shot(page, "sso-04-remove-sso-member");
    await page.locator("#confirm-ok").click();
    await memberRow(page, SAM).waitFor({ state: "detached" });
    // Sam signs in through the join link again and is a member again.
    const sam = people.sam.page;
    await sam.goto(`${BASE}/sso/${org.slug}`);
    await sam.getByTestId("sso-join").waitFor();
    assert.match(await sam.getByTestId("sso-join").innerText(), /not a member/);
    await sam.getByTestId("sso-email").fill(SAM);
    await sam.getByTestId("sso-submit").click();
    await sam.getByTestId("org-page").waitFor({ timeout: 20_000 });
    assert.equal(await myRole(sam), "basic_member");
  });

  it("a failed SSO sign-in comes back to the sign-in page and says why", STEP, async () => {
    const { page } = await newPerson(browser);
    await page.goto(`${BASE}/v1/sso/callback/sso_00000000000000000000000000?state=unknown&code=x`);
    await page.getByTestId("sso-error").waitFor();
    assert.match(await page.getByTestId("sso-error").innerText(), /already used or is unknown/);
    await page.getByTestId("tab-sso").click();
    await page.getByTestId("sso-form").waitFor();
    await shot(page, "sso-05-sso-error");
  });
});
