// End-to-end test of the governance cards of the demo: an admin uploads a logo (a GIF is
// refused in words), sets the member limit, saves public and private metadata, and fills the
// billing profile, where a card number is refused before anything is sent.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { RUN, SHOTS, launch, newPerson, shot, eventually, signUp, createOrg, toastSays, waitForOrgPage } from "./helpers.mjs";

const ADMIN = { name: "Gina Gov", email: `gina.${RUN}@example.com`, password: "governance-password" };
const STEP = { timeout: 60_000 };
// A 16×16 indigo PNG.
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61000000194944415478da63f0777bfa9f12cc306ac0a801a3060c170300bfcc791f791016c20000000049454e44ae426082", "hex");

let browser;
let admin;

describe("governance in the demo", () => {
  before(async () => {
    browser = await launch();
    admin = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    assert.deepEqual(admin.problems, []);
  });

  it("the admin uploads a logo; a GIF is refused in words", STEP, async () => {
    const page = admin.page;
    await signUp(page, ADMIN);
    await createOrg(page, `Governed ${RUN}`);
    const card = page.getByTestId("branding-card");
    await card.getByTestId("org-logo-empty").waitFor();
    await card.getByTestId("logo-file").setInputFiles({ name: "logo.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a\x01\x00\x01\x00\x80\x00\x00") });
    await card.getByTestId("logo-upload").click();
    await eventually(async () => assert.match(await card.getByTestId("form-error").first().innerText(), /PNG, JPEG or WebP/));
    // The page is not drawn again: the card and the head follow the store's organization.
    await page.getByTestId("org-page").evaluate((el) => { el.dataset.marker = "kept"; });
    await card.getByTestId("logo-file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
    await card.getByTestId("logo-upload").click();
    await toastSays(page, "success", /Logo updated/);
    await page.getByTestId("org-header-logo").waitFor();
    await eventually(async () => assert.equal(await card.getByTestId("org-logo").evaluate((img) => img.complete && img.naturalWidth), 16, "the served logo is the uploaded image"));
    const first = await page.getByTestId("org-header-logo").getAttribute("src");
    assert.match(first, /\/logo\?v=[0-9a-f]{16}$/);
    assert.equal(await card.getByTestId("org-logo").getAttribute("src"), first);
    assert.equal(await card.getByTestId("logo-delete").isVisible(), true);
    // Another image: another URL, in the card and the head.
    const other = Buffer.concat([PNG, Buffer.from([0])]);
    await card.getByTestId("logo-file").setInputFiles({ name: "logo2.png", mimeType: "image/png", buffer: other });
    await card.getByTestId("logo-upload").click();
    await toastSays(page, "success", /logo2\.png is the new logo/);
    await eventually(async () => assert.notEqual(await page.getByTestId("org-header-logo").getAttribute("src"), first));
    await eventually(async () => assert.notEqual(await card.getByTestId("org-logo").getAttribute("src"), first));
    assert.equal(await page.getByTestId("org-page").getAttribute("data-marker"), "kept", "no page redraw");
    await page.getByTestId("branding-card").scrollIntoViewIfNeeded();
    await shot(page, "governance-01-logo");
    await page.getByTestId("branding-card").screenshot({ path: `${SHOTS}governance-01-logo-card.png` });
    // Removed: the card and the head drop it, still without a redraw of the page.
    await card.getByTestId("logo-delete").click();
    await toastSays(page, "success", /Logo removed/);
    await card.getByTestId("org-logo-empty").waitFor();
    await eventually(async () => assert.equal(await page.getByTestId("org-header-logo").count(), 0));
    assert.equal(await card.getByTestId("logo-delete").isVisible(), false);
    assert.equal(await page.getByTestId("org-page").getAttribute("data-marker"), "kept", "no page redraw");
  });

  it("the admin sets the member limit and merges metadata", STEP, async () => {
    const page = admin.page;
    const card = page.getByTestId("branding-card");
    await card.getByTestId("member-limit").fill("25");
    await card.getByTestId("save-member-limit").click();
    await toastSays(page, "success", /At most 25 members/);
    await card.getByTestId("public-metadata").fill('{"plan": "pro", "region": "eu"}');
    await card.getByTestId("private-metadata").fill('{"crm": "acct_42"}');
    await card.getByTestId("save-metadata").click();
    await toastSays(page, "success", /Metadata saved/);
    // Removing a key in the editor sends it as null: the merge removes it.
    await card.getByTestId("public-metadata").fill('{"plan": "pro"}');
    await card.getByTestId("save-metadata").click();
    await toastSays(page, "success", /Metadata saved/);
    await page.reload();
    await waitForOrgPage(page);
    const again = page.getByTestId("branding-card");
    await eventually(async () => assert.deepEqual(JSON.parse(await again.getByTestId("public-metadata").inputValue()), { plan: "pro" }));
    assert.deepEqual(JSON.parse(await again.getByTestId("private-metadata").inputValue()), { crm: "acct_42" });
    assert.equal(await again.getByTestId("member-limit").inputValue(), "25");
    await again.scrollIntoViewIfNeeded();
    await shot(page, "governance-02-metadata");
    await again.screenshot({ path: `${SHOTS}governance-02-metadata-card.png` });
  });

  it("the admin fills the billing profile; a card number is refused", STEP, async () => {
    const page = admin.page;
    const card = page.getByTestId("billing-card");
    await card.getByLabel("Legal name").fill("Governed SAS");
    await card.getByLabel("Billing email").fill(`billing.${RUN}@example.com`);
    await card.getByLabel("Address line 1").fill("1 rue de la Paix");
    await card.getByLabel("City").fill("Paris");
    await card.getByLabel("Postal code").fill("75002");
    await card.getByLabel("Country (ISO code)").fill("FR");
    await card.getByLabel("Tax id type").fill("eu_vat");
    await card.getByLabel("Tax id", { exact: true }).fill("FR12345678901");
    await card.getByLabel("Payment provider").fill("stripe");
    await card.getByLabel("Payment method reference").fill("4242 4242 4242 4242");
    await card.getByLabel("Card brand").fill("visa");
    await card.getByLabel("Last 4 digits").fill("4242");
    await card.getByLabel("Expiry (MM/YYYY)").fill("12/2030");
    await card.getByTestId("save-billing").click();
    await eventually(async () => assert.match(await card.getByTestId("form-error").innerText(), /Card numbers are never accepted/));
    await card.scrollIntoViewIfNeeded();
    await shot(page, "governance-03-card-refused");
    await card.screenshot({ path: `${SHOTS}governance-03-card-refused-card.png` });
    await card.getByLabel("Payment method reference").fill("pm_1NvGoverned");
    await card.getByTestId("save-billing").click();
    await toastSays(page, "success", /Billing profile saved/);
    await eventually(async () => assert.match(await card.getByTestId("billing-updated").innerText(), /Last saved/));
    await page.reload();
    await waitForOrgPage(page);
    const again = page.getByTestId("billing-card");
    await eventually(async () => assert.equal(await again.getByLabel("Legal name").inputValue(), "Governed SAS"));
    assert.equal(await again.getByLabel("Payment method reference").inputValue(), "pm_1NvGoverned");
    await again.scrollIntoViewIfNeeded();
    await shot(page, "governance-04-billing");
    await again.screenshot({ path: `${SHOTS}governance-04-billing-card.png` });
  });
});
