// End-to-end test of verified email domains in the demo app: an admin adds acme-<run>.test,
// verifies affiliation with the code from the dev mailbox and turns on automatic invitation; a
// new person signs up at that domain, verifies their address, sees the invitation and joins.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, RUN, launch, newPerson, shot, toastSays, signUp, createOrg } from "./helpers.mjs";

const DOMAIN = `acme-${RUN}.test`;
const ADMIN = { name: "Dora Admin", email: `dora.${RUN}@example.com`, password: "domains-admin-1" };
const NEWBIE = { name: "Nina Newcomer", email: `nina@${DOMAIN}`, password: "domains-newbie-1" };
const ORG_NAME = `Acme Domains ${RUN}`;
const STEP = { timeout: 60_000 };

/** Opens the newest mail to `to` in the dev mailbox. */
async function newestMail(page, to) {
  await page.goto(`${BASE}/#/mailbox`);
  await page.getByLabel("Recipient").fill(to);
  await page.getByTestId("mailbox-refresh").click();
  const mail = page.locator(`[data-testid="mail-message"][data-to="${to}"]`).first();
  await mail.waitFor();
  return mail;
}

/** Verifies `email` through the link in the dev mailbox. */
async function verifyEmail(page, email) {
  const mail = await newestMail(page, email);
  await mail.getByTestId("mail-link").click();
  await page.getByTestId("verify-ok").waitFor();
  await page.getByTestId("verify-ok").getByRole("button", { name: "Continue" }).click();
  await page.getByTestId("welcome").waitFor();
}

let browser;
const people = {};
let orgUrl;

describe("verified email domains", () => {
  before(async () => {
    browser = await launch();
    people.admin = await newPerson(browser);
    people.newbie = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it("the admin signs up, verifies the address and creates an organization", STEP, async () => {
    const page = people.admin.page;
    await signUp(page, ADMIN);
    await verifyEmail(page, ADMIN.email);
    await createOrg(page, ORG_NAME);
    orgUrl = page.url();
    await page.getByTestId("domains-card").waitFor();
    await page.getByTestId("no-domains").waitFor();
  });

  it("the admin adds the domain; a consumer provider is refused", STEP, async () => {
    const page = people.admin.page;
    const card = page.getByTestId("domains-card");
    await card.getByLabel("Email domain").fill("gmail.com");
    await card.getByTestId("domain-add").click();
    await card.getByTestId("form-error").filter({ hasText: /open to anyone/i }).waitFor();
    await card.getByLabel("Email domain").fill(DOMAIN.toUpperCase());
    await card.getByTestId("domain-add").click();
    await toastSays(page, "success", "Domain added");
    const item = page.locator(`[data-testid="domain"][data-domain="${DOMAIN}"]`);
    await item.getByTestId("domain-unverified").waitFor();
    assert.equal(await item.getByTestId("ownership-name").innerText(), `_orgkit-challenge.${DOMAIN}`);
    assert.match(await item.getByTestId("ownership-value").innerText(), /^orgkit-domain-verification=/);
    await shot(page, "domains-01-added");
  });

  it("the admin verifies affiliation with the code from the dev mailbox", STEP, async () => {
    const page = people.admin.page;
    const item = () => page.locator(`[data-testid="domain"][data-domain="${DOMAIN}"]`);
    const address = `it@${DOMAIN}`;
    await item().getByTestId("affiliation-email").fill(address);
    await item().getByTestId("affiliation-send").click();
    await toastSays(page, "info", "Code sent");
    const mail = await newestMail(page, address);
    const code = (await mail.innerText()).match(/\b\d{6}\b/)?.[0];
    assert.ok(code, "a 6-digit code in the email");
    await shot(page, "domains-02-code-in-mailbox");
    await page.goto(orgUrl);
    await item().getByTestId("affiliation-code").fill(code);
    await item().getByTestId("affiliation-verify").click();
    await toastSays(page, "success", "Domain verified");
    await item().getByTestId("domain-verified").waitFor();
  });

  it("the admin turns on automatic invitation", STEP, async () => {
    const page = people.admin.page;
    const item = page.locator(`[data-testid="domain"][data-domain="${DOMAIN}"]`);
    await item.getByTestId("enrollment-mode").selectOption("automatic_invitation");
    await item.getByTestId("enrollment-save").click();
    await toastSays(page, "success", "Enrollment mode saved");
    assert.equal(await item.getByTestId("enrollment-mode").inputValue(), "automatic_invitation");
    await shot(page, "domains-03-verified-automatic");
  });

  it("a new person at the domain signs up, verifies, sees the invitation and joins", STEP, async () => {
    const page = people.newbie.page;
    await signUp(page, NEWBIE);
    await verifyEmail(page, NEWBIE.email);
    const invitation = page.getByTestId("my-invitation").filter({ hasText: ORG_NAME });
    await invitation.waitFor();
    await shot(page, "domains-04-invited");
    await invitation.getByRole("button", { name: "Accept" }).click();
    await toastSays(page, "success", "Invitation accepted");
    await page.getByTestId("org-page").waitFor();
    assert.equal(await page.getByTestId("org-name").innerText(), ORG_NAME);
    await shot(page, "domains-05-joined");
    for (const who of Object.values(people)) assert.deepEqual(who.problems, []);
  });
});
