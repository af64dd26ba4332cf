// End-to-end test of the backend token card in the demo app: a person with two organizations
// sees the claims of the token getToken() gives for the organization on screen (this tab's
// active one), and they follow as the person switches between the two.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { RUN, BASE, launch, newPerson, shot, eventually, signUp, createOrg, waitForOrgPage } from "./helpers.mjs";

const OWNER = { name: "Tess Token", email: `tess.${RUN}@example.com`, password: "token-owner-password" };
const STEP = { timeout: 60_000 };

let browser;
let person;
const orgs = {};

async function tokenOrg(page) {
  const card = page.getByTestId("token-card");
  await card.getByTestId("token-org").waitFor();
  return card.getByTestId("token-org").innerText();
}

describe("the backend token card", () => {
  before(async () => {
    browser = await launch();
    person = await newPerson(browser);
  });

  after(async () => {
    await browser?.close();
    assert.deepEqual(person.problems, []);
  });

  it("shows the claims of the active organization's token", STEP, async () => {
    const page = person.page;
    await signUp(page, OWNER);
    await createOrg(page, `Token Alpha ${RUN}`);
    orgs.alpha = await page.getByTestId("org-page").getAttribute("data-org-id");
    const card = page.getByTestId("token-card");
    assert.equal(await tokenOrg(page), orgs.alpha);
    assert.equal(await card.getByTestId("token-role").innerText(), "org:admin");
    assert.equal(await card.getByTestId("token-version").innerText(), "1");
    assert.match(await card.getByTestId("token-slug").innerText(), /^token-alpha-/);
    const permissions = await card.getByTestId("token-permissions").innerText();
    assert.match(permissions, /org:memberships:manage/);
    assert.match(permissions, /org:sso:manage/);
    assert.match(await card.getByTestId("token-sub").innerText(), /^user_/);
    assert.match(await card.getByTestId("token-jwt").innerText(), /^\d{3} bytes: eyJ/);
    await card.scrollIntoViewIfNeeded();
    await shot(page, "tokens-01-alpha-claims");
  });

  it("switching organizations switches the claims; refresh keeps them", STEP, async () => {
    const page = person.page;
    await createOrg(page, `Token Beta ${RUN}`);
    orgs.beta = await page.getByTestId("org-page").getAttribute("data-org-id");
    assert.notEqual(orgs.beta, orgs.alpha);
    await eventually(async () => assert.equal(await tokenOrg(page), orgs.beta));
    await page.goto(`${BASE}/#/org/${orgs.alpha}`);
    await waitForOrgPage(page);
    await eventually(async () => assert.equal(await tokenOrg(page), orgs.alpha));
    const card = page.getByTestId("token-card");
    await card.getByTestId("token-refresh").click();
    await eventually(async () => assert.equal(await tokenOrg(page), orgs.alpha));
    await card.scrollIntoViewIfNeeded();
    await shot(page, "tokens-02-back-to-alpha");
  });
});
