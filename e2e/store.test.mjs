// End-to-end test of the SDK's reactive store in Chromium, with no app around it: each page
// loads /pkg/orgkit.js itself and keeps its client as `window.kit` (the session is the cookie,
// shared by the pages of one browser context). Two contexts: a change made by one shows in the
// other at its next revalidation, on demand or on its interval. Tabs of one context: a new one
// starts in the organization last made active; signing out in one signs out the other, and the
// active organization of each stays its own.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { RUN, BASE, launch, newPerson, eventually } from "./helpers.mjs";

const STEP = { timeout: 60_000 };
const PASSWORD = "store-e2e-password";

let browser;
const people = [];

/** A page of the server's origin with the SDK loaded as `window.kit`. */
async function sdkPage(page) {
  await page.goto(`${BASE}/pkg/package.json`);
  await page.evaluate(async () => {
    const sdk = await import("/pkg/orgkit.js");
    await sdk.default();
    window.kit = new sdk.OrgKit();
  });
  return page;
}

/** What a page's snapshot says, as plain data. */
function look(page) {
  return page.evaluate(() => {
    const s = window.kit.getSnapshot();
    const list = (l) => (l ? { count: l.count, emails: l.data.map((m) => m.publicUserData?.identifier ?? m.emailAddress) } : null);
    return {
      status: s.status,
      user: s.user?.emailAddress ?? null,
      org: s.organization?.id ?? null,
      orgName: s.organization?.name ?? null,
      manages: window.kit.has("org:memberships:manage"),
      memberships: list(s.memberships),
      invitations: list(s.invitations),
    };
  });
}

async function person(name) {
  const p = await newPerson(browser);
  people.push(p);
  await sdkPage(p.page);
  const email = `${name.toLowerCase()}.store.${RUN}@example.com`;
  await p.page.evaluate(({ email, name, password }) => window.kit.signUp({ emailAddress: email, name, password }), {
    email,
    name,
    password: PASSWORD,
  });
  return { ...p, email };
}

async function createOrg(page, name) {
  return page.evaluate(async (name) => (await window.kit.createOrganization({ name })).id, name);
}

describe("the SDK's reactive store", () => {
  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    for (const p of people) assert.deepEqual(p.problems, []);
  });

  it("shows a change made in another browser context after revalidation", STEP, async () => {
    const alice = await person("Alice");
    const bob = await person("Bob");
    const org = await createOrg(alice.page, `Store Shared ${RUN}`);
    await alice.page.evaluate(async (org) => {
      await window.kit.setActive({ organization: org });
      window.kit.keep({ memberships: true, invitations: true });
      await window.kit.load();
    }, org);
    await eventually(async () => assert.deepEqual((await look(alice.page)).memberships?.count, 1));
    const start = await look(alice.page);
    assert.equal(start.user, alice.email);
    assert.equal(start.org, org);
    assert.equal(start.manages, true);

    // Alice's own invitation shows with no refetch by hand.
    await alice.page.evaluate(async ({ org, email }) => {
      const o = await window.kit.getOrganization(org);
      await o.inviteMember({ emailAddress: email, role: "basic_member" });
    }, { org, email: bob.email });
    await eventually(async () => assert.equal((await look(alice.page)).invitations?.count, 1));

    // Bob accepts in his own context: Alice's page shows it at her next revalidation.
    await bob.page.evaluate(async (email) => {
      const mail = await window.kit.getDevMailbox(email);
      const link = mail.map((m) => m.link).find((l) => l?.includes("/accept"));
      await window.kit.acceptInvitation(new URL(link).searchParams.get("token"));
    }, bob.email);
    assert.equal((await look(alice.page)).memberships.count, 1, "not before a revalidation");
    await alice.page.evaluate(() => window.kit.revalidate());
    const after = await look(alice.page);
    assert.equal(after.memberships.count, 2);
    assert.equal(after.invitations.count, 0);

    // On an interval: Bob leaves, and Alice's page follows without being asked.
    await alice.page.evaluate(() => window.kit.setRevalidation({ intervalMs: 1000 }));
    await bob.page.evaluate(async (org) => (await window.kit.getOrganization(org)).leave(), org);
    await eventually(async () => assert.equal((await look(alice.page)).memberships.count, 1));
    await alice.page.evaluate(() => window.kit.setRevalidation({ intervalMs: null }));
  });

  it("starts a new tab in the organization last made active, never the newest one", STEP, async () => {
    const erin = await person("Erin");
    const older = await createOrg(erin.page, `Store Older ${RUN}`);
    const newer = await createOrg(erin.page, `Store Newer ${RUN}`);
    await erin.page.evaluate((org) => window.kit.setActive({ organization: org }), older);
    const tab = await sdkPage(await erin.context.newPage());
    await tab.evaluate(() => window.kit.load());
    const started = await look(tab);
    assert.equal(started.org, older);
    assert.notEqual(started.org, newer);
    assert.equal(await tab.evaluate(() => window.kit.activeOrganizationId), older, "getToken's too");
    await erin.page.evaluate(() => window.kit.setActive({ organization: null }));
    const another = await sdkPage(await erin.context.newPage());
    await another.evaluate(() => window.kit.load());
    assert.equal((await look(another)).org, null);
  });

  it("signs every tab out when one signs out, and keeps each tab's organization its own", STEP, async () => {
    const carol = await person("Carol");
    const first = carol.page;
    const second = await sdkPage(await carol.context.newPage());
    const one = await createOrg(first, `Store One ${RUN}`);
    const two = await createOrg(first, `Store Two ${RUN}`);

    // Two tabs, two organizations: each keeps its own through changes made in the other.
    await first.evaluate(async (org) => {
      window.kit.keep({ invitations: true });
      await window.kit.load();
      await window.kit.setActive({ organization: org });
    }, one);
    await second.evaluate(async (org) => {
      window.kit.keep({ invitations: true });
      await window.kit.load();
      await window.kit.setActive({ organization: org });
    }, two);
    await first.evaluate(async (org) => {
      const o = await window.kit.getOrganization(org);
      await o.inviteMember({ emailAddress: "dan.store@example.com", role: "basic_member" });
      await o.update({ name: "Store One renamed" });
    }, one);
    await eventually(async () => {
      const mine = await look(first);
      assert.equal(mine.invitations?.count, 1);
      assert.equal(mine.orgName, "Store One renamed");
    });
    await second.evaluate(() => window.kit.revalidate());
    const otherTab = await look(second);
    assert.equal(otherTab.org, two, "the second tab stays in its organization");
    assert.equal(otherTab.invitations.count, 0, "and sees none of the first one's invitations");
    assert.equal((await look(first)).org, one);

    // Signing out in the first tab signs the second out: no user, still ready.
    assert.equal((await look(second)).user, carol.email);
    await first.evaluate(() => window.kit.signOut());
    await eventually(async () => {
      const signedOut = await look(second);
      assert.equal(signedOut.user, null);
      assert.equal(signedOut.org, null);
      assert.equal(signedOut.status, "ready");
      assert.equal(signedOut.invitations.count, 0);
    });
    assert.equal(await second.evaluate(() => window.kit.getUser()), null);
  });
});
