// End-to-end test of the demo app (www/) as two people in two browser contexts, against a live
// orgkit-server started by scripts/e2e.sh (base URL in ORGKIT_E2E_BASE_URL) with the real SDK.
//
//   ORGKIT_E2E_BASE_URL=http://127.0.0.1:PORT node --test e2e/
//
// The steps depend on each other and run in order; screenshots go to target/e2e-screenshots/.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import {
  BASE, RUN, launch, newPerson, shot, eventually, toastSays,
  memberRow, roleOf, myRole, waitForOrgPage,
} from "./helpers.mjs";

const ADMIN = { name: "Ada Lovelace", email: `ada.${RUN}@example.com`, password: "analytical-engine-1843" };
const INVITEE = { name: "Grace Hopper", email: `grace.${RUN}@example.com`, password: "cobol-compiler-1959" };
const THIRD = `carol.${RUN}@example.com`;
const ORG_NAME = `Acme Rockets ${RUN}`;
const STEP = { timeout: 60_000 };
const { Webhook } = createRequire(import.meta.url)("standardwebhooks");

/**
 * A webhook receiver on this machine (scripts/e2e.sh runs the server with
 * --webhook-allow-private): it answers 200 "ok" and keeps what it received.
 */
function startReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
    resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/hooks/orgkit` })));
}

let browser;
let receiver;
/** One browser context (its own cookies) per person. */
const people = {};

describe("the demo, as an admin and an invitee", () => {
  before(async () => {
    browser = await launch();
    receiver = await startReceiver();
    people.admin = await newPerson(browser);
    people.invitee = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    receiver?.server.close();
  });

  it("the admin signs up", STEP, async () => {
    const page = people.admin.page;
    await page.goto(`${BASE}/`);
    await page.getByTestId("auth-card").waitFor();
    await shot(page, "01-signed-out");
    await page.getByTestId("tab-signup").click();
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email address").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("welcome").filter({ hasText: `Welcome, ${ADMIN.name}` }).waitFor();
    assert.equal(await page.getByTestId("user-email").innerText(), ADMIN.email);
    await page.getByTestId("verify-notice").waitFor();
  });

  it("the admin verifies the email address through the dev mailbox link", STEP, async () => {
    const page = people.admin.page;
    await page.getByTestId("nav-mailbox").click();
    await page.getByLabel("Recipient").fill(ADMIN.email);
    await page.getByTestId("mailbox-refresh").click();
    const mail = page.locator(`[data-testid="mail-message"][data-to="${ADMIN.email}"]`).first();
    await mail.waitFor();
    await mail.getByTestId("mail-link").click();
    await page.waitForURL(/\/verify-email\?token=/);
    const ok = page.getByTestId("verify-ok");
    await ok.waitFor();
    assert.match(await ok.innerText(), /verified/i);
    await ok.getByRole("button", { name: "Continue" }).click();
    await page.getByTestId("welcome").waitFor();
    assert.equal(await page.getByTestId("verify-notice").count(), 0, "the notice goes once the address is verified");
  });

  it("the admin creates an organization, with the slug suggested while typing", STEP, async () => {
    const page = people.admin.page;
    await page.getByLabel("Organization name").pressSequentially(ORG_NAME, { delay: 5 });
    await eventually(async () => assert.equal(await page.getByLabel("URL slug").inputValue(), `acme-rockets-${RUN}`));
    await shot(page, "02-dashboard-create-org");
    await page.getByTestId("create-org").click();
    await waitForOrgPage(page);
    await toastSays(page, "success", "Organization created");
    assert.equal(await page.getByTestId("org-name").innerText(), ORG_NAME);
    assert.equal(await myRole(page), "admin");
    assert.equal(await roleOf(page, ADMIN.email), "admin");
  });

  it("the admin invites the second person, and sees the invitation pending", STEP, async () => {
    const page = people.admin.page;
    await page.getByLabel("Email addresses").fill(INVITEE.email);
    await page.getByTestId("invite-submit").click();
    const result = page.getByTestId("invite-result").first();
    await result.waitFor();
    assert.equal(await result.getAttribute("data-status"), "sent");
    assert.match(await result.innerText(), /invitation sent/i);
    await toastSays(page, "success", "Invitation sent");
    await page.locator(`[data-testid="invitation-row"][data-email="${INVITEE.email}"]`).waitFor();
  });

  it("a bad address in a list is refused in words, the others are invited; resend and revoke work", STEP, async () => {
    const page = people.admin.page;
    await page.getByLabel("Email addresses").fill(`${THIRD}, not-an-email`);
    await page.getByTestId("invite-submit").click();
    const failed = page.locator('[data-testid="invite-result"][data-status="failed"]');
    await failed.waitFor();
    assert.match(await failed.innerText(), /not-an-email.*(email|address)/i);
    assert.equal(await page.locator('[data-testid="invite-result"][data-status="sent"]').count(), 1);
    assert.match(await toastSays(page, "error", /not sent/), /not a valid email/i);
    await toastSays(page, "success", "Invitation sent");
    await page.locator(`[data-testid="invitation-row"][data-email="${THIRD}"]`).waitFor();
    await shot(page, "03-invitations");

    // Revoke Carol's invitation; resend Grace's (the newest mail then carries a fresh link).
    await page.getByRole("button", { name: `Revoke invitation to ${THIRD}` }).click();
    await toastSays(page, "success", "Invitation revoked");
    await eventually(async () => assert.equal(await page.locator(`[data-testid="invitation-row"][data-email="${THIRD}"]`).count(), 0));
    await page.getByRole("button", { name: `Resend invitation to ${INVITEE.email}` }).click();
    await toastSays(page, "success", "Invitation resent");
    await page.locator(`[data-testid="invitation-row"][data-email="${INVITEE.email}"]`).waitFor();
  });

  it("the admin invites with a link to share: no email, the link shown once, and it opens the invitation", STEP, async () => {
    const page = people.admin.page;
    const LINKED = `dora.${RUN}@example.com`;
    await page.getByLabel("Email addresses").fill(LINKED);
    await page.getByLabel("Send by").selectOption("none");
    await page.getByTestId("invite-submit").click();
    const link = page.getByTestId("invite-link");
    await link.waitFor();
    const url = await link.inputValue();
    assert.match(url, /\/accept\?token=[A-Za-z0-9_-]{43}$/);
    await toastSays(page, "success", "Invitation created");
    await page.locator(`[data-testid="invitation-row"][data-email="${LINKED}"]`).waitFor();
    await shot(page, "03b-invite-link");
    await page.getByLabel("Send by").selectOption("email");

    // Whoever has the link sees the invitation; no email went to the address.
    const other = people.invitee.page;
    await other.goto(url);
    await other.getByTestId("accept-card").waitFor();
    assert.equal(await other.getByTestId("invited-email").innerText(), LINKED);
    await other.goto(`${BASE}/#/mailbox`);
    await other.getByLabel("Recipient").fill(LINKED);
    await other.getByTestId("mailbox-refresh").click();
    await other.getByTestId("mailbox-empty").waitFor();

    await page.getByRole("button", { name: `Revoke invitation to ${LINKED}` }).click();
    await toastSays(page, "success", "Invitation revoked");
    await eventually(async () => assert.equal(await page.locator(`[data-testid="invitation-row"][data-email="${LINKED}"]`).count(), 0));
  });

  it("the invitee opens the accept link from the dev mailbox, signs up with the address filled in and lands in the organization", STEP, async () => {
    const page = people.invitee.page;
    await page.goto(`${BASE}/#/mailbox`);
    await page.getByLabel("Recipient").fill(INVITEE.email);
    await page.getByTestId("mailbox-refresh").click();
    const mail = page.locator(`[data-testid="mail-message"][data-to="${INVITEE.email}"]`).first();
    await mail.waitFor();
    await shot(page, "04-dev-mailbox");
    await mail.getByTestId("mail-link").click();
    await page.waitForURL(/\/accept\?token=/);
    await page.getByTestId("accept-card").waitFor();
    assert.equal(await page.getByTestId("accept-title").innerText(), `Join ${ORG_NAME}`);
    assert.equal(await page.getByTestId("invited-email").innerText(), INVITEE.email);
    const email = page.getByLabel("Email address");
    assert.equal(await email.inputValue(), INVITEE.email, "the invited address is filled in");
    assert.equal(await email.getAttribute("readonly"), "");
    await shot(page, "05-accept-sign-up");
    await page.getByLabel("Your name").fill(INVITEE.name);
    await page.getByLabel("Password").fill(INVITEE.password);
    await page.getByTestId("auth-submit").click();
    await waitForOrgPage(page);
    assert.equal(await page.getByTestId("org-name").innerText(), ORG_NAME);
    assert.equal(await myRole(page), "basic_member");
    assert.equal(await page.getByTestId("role-select").count(), 0, "a basic member gets no role controls");
    assert.equal(await page.getByTestId("invitations-card").count(), 0);
    await toastSays(page, "success", `Welcome to ${ORG_NAME}`);
    await shot(page, "06-invitee-in-org");
  });

  it("the admin reloads and sees the new member", STEP, async () => {
    const page = people.admin.page;
    await page.reload();
    await waitForOrgPage(page);
    await memberRow(page, INVITEE.email).waitFor();
    assert.equal(await roleOf(page, INVITEE.email), "basic_member");
    assert.equal(await page.locator(`[data-testid="invitation-row"][data-email="${INVITEE.email}"]`).count(), 0, "no longer pending");
  });

  it("the admin makes the member an admin and back; the member sees each change", STEP, async () => {
    const admin = people.admin.page;
    const invitee = people.invitee.page;
    await memberRow(admin, INVITEE.email).getByRole("combobox", { name: `Change role of ${INVITEE.name}` }).selectOption("admin");
    await toastSays(admin, "success", `${INVITEE.name} is now an admin`);
    await eventually(async () => assert.equal(await roleOf(admin, INVITEE.email), "admin"));
    await shot(admin, "07-member-promoted");
    await invitee.reload();
    await waitForOrgPage(invitee);
    assert.equal(await myRole(invitee), "admin");
    assert.equal(await invitee.getByTestId("role-select").count(), 2, "an admin gets the role controls");

    await memberRow(admin, INVITEE.email).getByTestId("role-select").selectOption("basic_member");
    await toastSays(admin, "success", `${INVITEE.name} is now a member`);
    await eventually(async () => assert.equal(await roleOf(admin, INVITEE.email), "basic_member"));
    await invitee.reload();
    await waitForOrgPage(invitee);
    assert.equal(await myRole(invitee), "basic_member");
  });

  it("the last admin demoting themselves is refused, in words", STEP, async () => {
    const page = people.admin.page;
    const select = memberRow(page, ADMIN.email).getByTestId("role-select");
    await select.selectOption("basic_member");
    const text = await toastSays(page, "error", "Couldn't change the role", { keep: true });
    assert.match(text, /at least one admin/i);
    await eventually(async () => assert.equal(await select.inputValue(), "admin", "the select goes back"));
    assert.equal(await roleOf(page, ADMIN.email), "admin");
    await shot(page, "08-last-admin-error");
    await page.getByTestId("toast-error").getByRole("button", { name: "Dismiss notification" }).click();
  });

  it("the admin sees every change in the Activity card, newest first, and filters it; a member has none", STEP, async () => {
    const admin = people.admin.page;
    await admin.reload();
    await waitForOrgPage(admin);
    const items = admin.getByTestId("activity-item");
    await items.first().waitFor();
    const actions = () => items.evaluateAll((els) => els.map((el) => el.dataset.action));
    assert.deepEqual((await actions()).slice(0, 3), ["membership.role_changed", "membership.role_changed", "invitation.accepted"]);
    assert.match(await items.first().innerText(), /You changed a role: admin -> basic_member/);
    assert.ok((await actions()).includes("organization.created") || await admin.getByTestId("activity-more").isVisible());
    await admin.getByTestId("activity-filter").selectOption("invitation.accepted");
    await eventually(async () => assert.deepEqual(await actions(), ["invitation.accepted"]));
    assert.match(await items.first().innerText(), new RegExp(INVITEE.name));
    await shot(admin, "08b-activity");
    const invitee = people.invitee.page;
    await invitee.reload();
    await waitForOrgPage(invitee);
    assert.equal(await invitee.getByTestId("activity-card").count(), 0, "basic members cannot read the audit log");
  });

  it("the admin adds a webhook endpoint, sees its secret once, sends a test event and sees the attempt", STEP, async () => {
    const page = people.admin.page;
    const card = page.getByTestId("webhooks-card");
    await card.waitFor();
    await page.getByLabel("Endpoint URL").fill(receiver.url);
    await page.getByLabel("Description", { exact: true }).fill("Acme's backend");
    await card.getByLabel("Member joined").check();
    await card.getByLabel("Member removed or left").check();
    await card.getByTestId("webhook-add").click();
    await toastSays(page, "success", "Endpoint added");
    const secretInput = card.getByTestId("webhook-secret");
    const secret = await secretInput.inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const endpoint = card.locator(`[data-testid="webhook-endpoint"][data-url="${receiver.url}"]`);
    await endpoint.waitFor();
    assert.equal(await endpoint.getByTestId("webhook-status").getAttribute("data-enabled"), "true");
    assert.match(await endpoint.innerText(), /Member joined · Member removed or left/);

    // A test event: the receiver gets it signed with the secret just shown, and the attempt shows.
    await endpoint.getByTestId("webhook-test").click();
    await toastSays(page, "success", "Test event sent");
    const attempt = endpoint.getByTestId("webhook-attempt").first();
    await attempt.waitFor();
    assert.equal(await attempt.getAttribute("data-status"), "200");
    assert.equal(await endpoint.getByTestId("webhook-attempts-toggle").innerText(), "Hide attempts");
    assert.equal(await attempt.getByTestId("webhook-attempt-body").innerText(), "ok");
    assert.match(await attempt.innerText(), /Test event/);
    assert.equal(receiver.received.length, 1);
    const delivered = new Webhook(secret).verify(receiver.received[0].body, receiver.received[0].headers);
    assert.equal(delivered.type, "webhook.test");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "08c-webhooks");

    // Resend: the same message once more, a second attempt.
    await attempt.getByTestId("webhook-resend").click();
    await toastSays(page, "success", "Message resent");
    await eventually(async () => assert.equal(await endpoint.getByTestId("webhook-attempt").count(), 2));
    assert.equal(receiver.received[1].headers["webhook-id"], receiver.received[0].headers["webhook-id"]);

    // Rotate: a new secret, shown once, in place of the first.
    await endpoint.getByTestId("webhook-rotate").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Secret rotated");
    await eventually(async () => assert.notEqual(await secretInput.inputValue(), secret));
    assert.match(await secretInput.inputValue(), /^whsec_/);
    await card.getByTestId("webhook-secret-done").click();
    assert.equal(await secretInput.count(), 0);

    // Disable and enable again.
    await endpoint.getByTestId("webhook-disable").click();
    await toastSays(page, "success", "Endpoint disabled");
    await eventually(async () => assert.equal(await endpoint.getByTestId("webhook-status").innerText(), "Disabled: turned off"));
    await endpoint.getByTestId("webhook-enable").click();
    await toastSays(page, "success", "Endpoint enabled");
    await eventually(async () => assert.equal(await endpoint.getByTestId("webhook-status").getAttribute("data-enabled"), "true"));

    // Shown once: after a reload no secret is anywhere on the page.
    await page.reload();
    await waitForOrgPage(page);
    await endpoint.waitFor();
    assert.equal(await page.getByTestId("webhook-secret").count(), 0);
    assert.ok(!(await page.content()).includes(secret.slice(6)), "the secret is gone");

    // Delete, after confirming.
    await endpoint.getByTestId("webhook-delete").click();
    await page.getByTestId("confirm-ok").click();
    await toastSays(page, "success", "Endpoint deleted");
    await card.getByTestId("no-webhooks").waitFor();
  });

  it("a member sees no webhooks card", STEP, async () => {
    const invitee = people.invitee.page;
    await invitee.reload();
    await waitForOrgPage(invitee);
    assert.equal(await invitee.getByTestId("webhooks-card").count(), 0, "basic members cannot manage webhooks");
  });

  it("the admin removes the member; both sides see the result", STEP, async () => {
    const admin = people.admin.page;
    const invitee = people.invitee.page;
    await memberRow(admin, INVITEE.email).getByRole("button", { name: `Remove ${INVITEE.name}` }).click();
    await admin.getByRole("dialog").waitFor();
    await shot(admin, "09-remove-confirm");
    await admin.getByTestId("confirm-ok").click();
    await toastSays(admin, "success", "Member removed");
    await eventually(async () => assert.equal(await memberRow(admin, INVITEE.email).count(), 0));
    await shot(admin, "10-member-removed");

    await invitee.reload();
    const gone = invitee.getByTestId("not-member");
    await gone.waitFor();
    assert.match(await gone.innerText(), /not a member/i);
    await shot(invitee, "11-invitee-removed");
    await gone.getByRole("button", { name: "Go to your organizations" }).click();
    await invitee.getByTestId("no-orgs").waitFor();
  });

  it("the admin invites the removed member again; signed in, she sees it and accepts with one click", STEP, async () => {
    const admin = people.admin.page;
    const invitee = people.invitee.page;
    await admin.getByLabel("Email addresses").fill(INVITEE.email);
    await admin.getByTestId("invite-submit").click();
    await toastSays(admin, "success", "Invitation sent");

    await invitee.reload();
    const mine = invitee.getByTestId("my-invitation").filter({ hasText: ORG_NAME });
    await mine.waitFor();
    await shot(invitee, "12-invitee-dashboard-invitation");
    await invitee.goto(`${BASE}/#/mailbox`);
    await invitee.getByLabel("Recipient").fill(INVITEE.email);
    await invitee.getByTestId("mailbox-refresh").click();
    await invitee.locator(`[data-testid="mail-message"][data-to="${INVITEE.email}"]`).first().getByTestId("mail-link").click();
    await invitee.waitForURL(/\/accept\?token=/);
    await invitee.getByTestId("accept-invitation").click();
    await waitForOrgPage(invitee);
    assert.equal(await invitee.getByTestId("org-name").innerText(), ORG_NAME);
    assert.equal(await myRole(invitee), "basic_member");

    await admin.reload();
    await waitForOrgPage(admin);
    await memberRow(admin, INVITEE.email).waitFor();
  });

  it("the owner deletes the organization after typing its slug; the member sees it is gone", STEP, async () => {
    const page = people.admin.page;
    await page.getByTestId("delete-org").click();
    const ok = page.getByTestId("confirm-ok");
    assert.equal(await ok.isDisabled(), true, "disabled until the slug is typed");
    await page.getByTestId("confirm-typed").fill(ORG_NAME);
    assert.equal(await ok.isDisabled(), true, "the name is not the slug");
    const slug = (await page.getByTestId("org-slug").innerText()).replace(/^\//, "");
    await page.getByTestId("confirm-typed").fill(slug);
    await ok.click();
    await toastSays(page, "success", "Organization deleted");
    await page.getByTestId("no-orgs").waitFor();

    const invitee = people.invitee.page;
    await invitee.reload();
    await invitee.getByTestId("not-member").waitFor();
  });

  it("a wrong password is refused in words; signing out and in again works", STEP, async () => {
    const page = people.admin.page;
    await page.getByTestId("sign-out").click();
    await page.getByTestId("auth-card").waitFor();
    await page.getByLabel("Email address").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByTestId("auth-submit").click();
    const error = page.getByTestId("form-error");
    await error.waitFor();
    assert.equal(await error.innerText(), "The email address or password is incorrect.");
    await shot(page, "13-sign-in-error");
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("welcome").filter({ hasText: ADMIN.name }).waitFor();
  });

  it("nothing was left in the console", async () => {
    for (const [who, { problems }] of Object.entries(people)) {
      assert.deepEqual(problems, [], `${who}'s page logged errors`);
    }
  });
});
