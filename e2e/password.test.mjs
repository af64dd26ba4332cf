// End-to-end test of setting a password through a mailed link in the demo app: a person who
// forgot theirs asks for a link on the sign-in card, opens it from the dev mailbox, chooses a
// new password, is signed in, and later signs in with it (the old one no longer works).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, RUN, launch, newPerson, shot, signUp, toastSays } from "./helpers.mjs";

const PERSON = { name: "Fay Forgetful", email: `fay.${RUN}@example.com`, password: "first-password-1" };
const NEW_PASSWORD = "second-password-2";
const STEP = { timeout: 60_000 };

let browser;
let person;

describe("forgot password → mailed link → new password → signed in", () => {
  before(async () => {
    browser = await launch();
    person = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    assert.deepEqual(person.problems, []);
  });

  it("a signed-out person asks for a link from the sign-in card", STEP, async () => {
    const page = person.page;
    await signUp(page, PERSON);
    await page.getByTestId("sign-out").click();
    await page.getByTestId("auth-card").waitFor();
    await page.getByTestId("forgot-link").click();
    await page.getByTestId("forgot-form").waitFor();
    await page.getByLabel("Email address").fill(PERSON.email);
    await shot(page, "password-01-forgot-form");
    await page.getByTestId("forgot-submit").click();
    const sent = page.getByTestId("forgot-sent");
    await sent.waitFor();
    assert.match(await sent.innerText(), new RegExp(`If an account uses ${PERSON.email.replace(".", "\\.")}`));
    await shot(page, "password-02-forgot-sent");
  });

  it("the link from the mail sets a new password and signs in", STEP, async () => {
    const page = person.page;
    await page.goto(`${BASE}/#/mailbox`);
    await page.getByLabel("Recipient").fill(PERSON.email);
    await page.getByTestId("mailbox-refresh").click();
    const mail = page.locator(`[data-testid="mail-message"][data-to="${PERSON.email}"]`).filter({ hasText: "Set your password" }).first();
    await mail.waitFor();
    const link = await mail.getByTestId("mail-link").getAttribute("href");
    assert.match(link, new RegExp(`^${BASE}/reset-password\\?token=[A-Za-z0-9_-]{43}$`));
    await page.goto(link);
    await page.getByTestId("reset-card").waitFor();
    await page.getByLabel("New password").fill("short");
    await page.getByTestId("reset-submit").click();
    await page.getByTestId("form-error").filter({ hasText: /8 to 256 characters/ }).waitFor();
    assert.match(await page.getByTestId("form-error").innerText(), /8 to 256 characters/);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await shot(page, "password-03-reset-form");
    await page.getByTestId("reset-submit").click();
    await toastSays(page, "success", "Password set");
    await page.getByTestId("welcome").filter({ hasText: `Welcome, ${PERSON.name}` }).waitFor();
    assert.equal(await page.getByTestId("user-email").innerText(), PERSON.email);
    await shot(page, "password-04-signed-in");

    // The link works once.
    await page.goto(link);
    await page.getByLabel("New password").fill("third-password-3");
    await page.getByTestId("reset-submit").click();
    await page.getByTestId("form-error").filter({ hasText: /already used/ }).waitFor();
    assert.match(await page.getByTestId("form-error").innerText(), /already used/);
  });

  it("the new password signs in; the old one does not", STEP, async () => {
    const page = person.page;
    await page.goto(`${BASE}/`);
    await page.getByTestId("sign-out").click();
    await page.getByTestId("auth-card").waitFor();
    await page.getByLabel("Email address").fill(PERSON.email);
    await page.getByLabel("Password").fill(PERSON.password);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("form-error").filter({ hasText: /email address or password is incorrect/ }).waitFor();
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("welcome").filter({ hasText: `Welcome, ${PERSON.name}` }).waitFor();
  });
});
