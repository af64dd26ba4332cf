// End-to-end test of invite links in the demo app: an admin creates a link on the org page, a
// third person opens it, signs up, verifies the address through the dev mailbox and joins; the
// admin sees the use counted, resets the link (the old URL stops working) and revokes it.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  BASE, RUN, launch, newPerson, shot, eventually, toastSays, signUp, createOrg, waitForOrgPage, myRole, memberRow,
} from "./helpers.mjs";

const ADMIN = { name: "Linda Admin", email: `linda.${RUN}@example.com`, password: "link-admin-password" };
const JOINER = { name: "Jo Joiner", email: `jo.${RUN}@example.com`, password: "joiner-password-1" };
const ASKER = { name: "Ash Asker", email: `ash.${RUN}@example.com`, password: "asker-password-1" };
const ORG_NAME = `Link Lovers ${RUN}`;
const STEP = { timeout: 60_000 };

let browser;
const people = {};
let firstUrl;

describe("invite links, as an admin and a person who joins by link", () => {
  before(async () => {
    browser = await launch();
    people.admin = await newPerson(browser);
    people.joiner = await newPerson(browser);
    people.asker = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    for (const person of Object.values(people)) assert.deepEqual(person.problems, []);
  });

  it("the admin creates an invite link with at most 5 uses and sees its URL once", STEP, async () => {
    const page = people.admin.page;
    await signUp(page, ADMIN);
    await createOrg(page, ORG_NAME);
    const card = page.getByTestId("invite-links-card");
    await card.getByTestId("no-invite-links").waitFor();
    await card.getByTestId("invite-link-max-uses").fill("5");
    await card.getByTestId("invite-link-create").click();
    await toastSays(page, "success", "Invite link created");
    firstUrl = await card.getByTestId("invite-link-url").inputValue();
    assert.match(firstUrl, new RegExp(`^${BASE}/join\\?token=[A-Za-z0-9_-]{43}$`));
    const row = card.getByTestId("invite-link");
    await eventually(async () => assert.equal(await row.count(), 1));
    assert.equal(await row.getAttribute("data-status"), "active");
    assert.match(await row.getByTestId("invite-link-uses").innerText(), /0 of 5 uses/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "links-01-admin-created-link");
  });

  it("a third person opens the link, signs up, verifies the address and joins", STEP, async () => {
    const page = people.joiner.page;
    await page.goto(firstUrl);
    await page.getByTestId("join-card").waitFor();
    assert.equal(await page.getByTestId("join-title").innerText(), `Join ${ORG_NAME}`);
    assert.match(await page.getByTestId("join-org").innerText(), new RegExp(ORG_NAME));
    await shot(page, "links-02-join-signed-out");
    await page.getByLabel("Your name").fill(JOINER.name);
    await page.getByLabel("Email address").fill(JOINER.email);
    await page.getByLabel("Password").fill(JOINER.password);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("join-verify-first").waitFor();
    await shot(page, "links-03-verify-first");

    await page.goto(`${BASE}/#/mailbox`);
    await page.getByLabel("Recipient").fill(JOINER.email);
    await page.getByTestId("mailbox-refresh").click();
    const mail = page.locator(`[data-testid="mail-message"][data-to="${JOINER.email}"]`).first();
    await mail.waitFor();
    await mail.getByTestId("mail-link").click();
    await page.getByTestId("verify-ok").waitFor();

    await page.goto(firstUrl);
    const join = page.getByTestId("join-accept");
    await join.waitFor();
    await shot(page, "links-04-join-ready");
    await join.click();
    const done = page.getByTestId("join-done");
    await done.waitFor();
    assert.match(await done.innerText(), new RegExp(`You joined ${ORG_NAME}`));
    await toastSays(page, "success", `Welcome to ${ORG_NAME}`);
    await shot(page, "links-05-joined");
    await done.getByTestId("join-open-org").click();
    await waitForOrgPage(page);
    assert.equal(await myRole(page), "basic_member");
    assert.equal(await page.getByTestId("invite-links-card").count(), 0, "a basic member manages no links");
  });

  it("the admin sees the use counted, resets the link and revokes the new one", STEP, async () => {
    const page = people.admin.page;
    await page.reload();
    await waitForOrgPage(page);
    await memberRow(page, JOINER.email).waitFor();
    const card = page.getByTestId("invite-links-card");
    const row = card.getByTestId("invite-link").first();
    await eventually(async () => assert.match(await row.getByTestId("invite-link-uses").innerText(), /1 of 5 uses/));

    await row.getByTestId("invite-link-reset").click();
    await page.locator("#confirm-ok").click();
    await toastSays(page, "success", "Link reset");
    const secondUrl = await card.getByTestId("invite-link-url").inputValue();
    assert.notEqual(secondUrl, firstUrl);
    await eventually(async () => assert.deepEqual(
      await card.getByTestId("invite-link").evaluateAll((rows) => rows.map((r) => r.dataset.status)),
      ["revoked", "active"],
    ));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "links-06-admin-reset");

    const fresh = card.locator('[data-testid="invite-link"][data-status="active"]');
    await fresh.getByTestId("invite-link-revoke").click();
    await page.locator("#confirm-ok").click();
    await toastSays(page, "success", "Link revoked");
    await eventually(async () => assert.equal(await card.locator('[data-testid="invite-link"][data-status="active"]').count(), 0));

    // The old URL now says so.
    const other = people.joiner.page;
    await other.goto(firstUrl);
    const refused = other.getByTestId("join-error");
    await refused.waitFor();
    assert.match(await refused.innerText(), /revoked/);
    await shot(other, "links-07-revoked-link");
  });

  it("a link that requires approval files a request instead", STEP, async () => {
    const page = people.admin.page;
    const card = page.getByTestId("invite-links-card");
    await card.getByTestId("invite-link-approval").check();
    await card.getByTestId("invite-link-create").click();
    await toastSays(page, "success", "Invite link created");
    const url = await card.getByTestId("invite-link-url").inputValue();

    const asker = people.asker.page;
    await signUp(asker, ASKER);
    await asker.goto(`${BASE}/#/mailbox`);
    await asker.getByLabel("Recipient").fill(ASKER.email);
    await asker.getByTestId("mailbox-refresh").click();
    const mail = asker.locator(`[data-testid="mail-message"][data-to="${ASKER.email}"]`).first();
    await mail.waitFor();
    await mail.getByTestId("mail-link").click();
    await asker.getByTestId("verify-ok").waitFor();
    await asker.goto(url);
    const ask = asker.getByTestId("join-accept");
    await ask.waitFor();
    assert.equal(await ask.innerText(), "Ask to join");
    await ask.click();
    const sent = asker.getByTestId("join-requested");
    await sent.waitFor();
    assert.match(await sent.innerText(), /Your request was sent/);
    await shot(asker, "links-08-request-sent");
  });
});
