// Shared helpers of the e2e tests: the browser, one context per person, screenshots, waiting.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const BASE = (process.env.ORGKIT_E2E_BASE_URL ?? "").replace(/\/$/, "");
export const SHOTS = new URL("../target/e2e-screenshots/", import.meta.url).pathname;
/** A per-run suffix, so a rerun against the same server never collides. */
export const RUN = Math.random().toString(36).slice(2, 8);

export async function launch() {
  assert.ok(BASE, "ORGKIT_E2E_BASE_URL is not set; run scripts/e2e.sh");
  return launchChromium();
}

/** Headless Debian Chromium, for a test that starts its own server. */
export async function launchChromium() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A new person: a browser context with its own cookies, a page, and what the page logged. */
export async function newPerson(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    // The browser itself logs every 4xx answer as "Failed to load resource"; the app must not
    // log anything else as an error.
    if (msg.type() === "error" && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems };
}

export async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true, animations: "disabled" });
}

/** Retries `check` until it passes or `timeout` ms have gone by. */
export async function eventually(check, timeout = 10_000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Waits for a toast of a kind that says `pattern`, returns its text and dismisses it. */
export async function toastSays(page, kind, pattern, { keep = false } = {}) {
  const toast = page.getByTestId(`toast-${kind}`).filter({ hasText: pattern }).last();
  await toast.waitFor();
  const text = (await toast.innerText()).replace(/\s+/g, " ").replace(/ ×$/, "").trim();
  if (!keep) await toast.getByRole("button", { name: "Dismiss notification" }).click();
  return text;
}

/** Opens the newest mail to `email` in the dev mailbox and follows its link. */
export async function followMail(page, email) {
  await page.goto(`${BASE}/#/mailbox`);
  await page.getByLabel("Recipient").fill(email);
  await page.getByTestId("mailbox-refresh").click();
  const mail = page.locator(`[data-testid="mail-message"][data-to="${email}"]`).first();
  await mail.waitFor();
  await mail.getByTestId("mail-link").click();
}

/** Signs up a new person from the home page. */
export async function signUp(page, { name, email, password }) {
  await page.goto(`${BASE}/`);
  await page.getByTestId("tab-signup").click();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByTestId("auth-submit").click();
  await page.getByTestId("welcome").filter({ hasText: `Welcome, ${name}` }).waitFor();
}

export const memberRow = (page, email) => page.locator(`[data-testid="member-row"][data-email="${email}"]`);
export const roleOf = (page, email) => memberRow(page, email).getByTestId("member-role").getAttribute("data-role");
export const myRole = (page) => page.getByTestId("my-role").getAttribute("data-role");

export async function waitForOrgPage(page) {
  await page.getByTestId("org-page").waitFor();
  await page.getByTestId("members-table").waitFor();
}

/** Creates an organization from the dashboard and waits for its page. */
export async function createOrg(page, name) {
  if (!await page.getByTestId("create-org-card").isVisible()) await page.goto(`${BASE}/#/`);
  await page.getByLabel("Organization name").fill(name);
  await page.getByTestId("create-org").click();
  await waitForOrgPage(page);
}
