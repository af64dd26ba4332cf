// Unit tests of the SDK's store snippet (src/js/store.js) in Node, without wasm or a server: a
// fake client answers what the store asks. Snapshot identity across changes, unsubscribing,
// reference-counted lists, paging, invalidation bits, setActive, and sign-out from another tab.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../src/js/store.js";

// The bits of src/store/touched.rs.
const ORGANIZATION = 2, MEMBERSHIPS = 4, INVITATIONS = 8;

/** A fake `OrgKit`: one user, organizations by id with members, and a log of calls. */
function fakeKit({ lastActive = "org_a" } = {}) {
  const calls = [];
  const members = { org_a: ["m1", "m2", "m3"], org_b: ["b1"] };
  const invitations = { org_a: ["i1"], org_b: [] };
  const org = (id) => ({
    id,
    name: `Org ${id}`,
    permissions: ["org:memberships:read"],
    can: (p) => p === "org:memberships:read",
    async getMembershipsPage({ limit, after }) {
      calls.push(`members ${id} ${after ?? ""}`);
      const from = Number(after ?? 0);
      const data = members[id].slice(from, from + limit).map((m) => ({ id: m }));
      return { data, nextCursor: from + limit < members[id].length ? String(from + limit) : null };
    },
    async getPendingInvitations() {
      calls.push(`invitations ${id}`);
      return invitations[id].map((i) => ({ id: i }));
    },
  });
  const kit = {
    calls,
    members,
    invitations,
    fromStore: [],
    user: { id: "usr_1", emailAddress: "ada@example.com", lastActiveOrganizationId: lastActive },
    async getUser() {
      calls.push("me");
      return kit.user;
    },
    async getOrganizationMemberships() {
      calls.push("my memberships");
      return kit.user ? Object.keys(members).map((id) => ({ organization: org(id) })) : [];
    },
    async getUserInvitations() {
      return [];
    },
    __fromStore(what, id) {
      kit.fromStore.push([what, id]);
    },
  };
  return kit;
}

/** Resolves once every promise queued so far has settled. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("the store", () => {
  it("loads the server's last active organization and keeps the snapshot's identity until a change", async () => {
    const kit = fakeKit();
    const store = new Store(kit);
    const loading = store.getSnapshot();
    assert.equal(loading.status, "loading");
    assert.equal(store.getSnapshot(), loading, "the same object while nothing changes");
    let told = 0;
    const unsubscribe = store.subscribe(() => told++);
    await store.load();
    const ready = store.getSnapshot();
    assert.notEqual(ready, loading);
    assert.ok(Object.isFrozen(ready));
    assert.equal(ready.status, "ready");
    assert.equal(ready.user.id, "usr_1");
    assert.equal(ready.organization.id, "org_a");
    assert.deepEqual(ready.permissions, ["org:memberships:read"]);
    assert.ok(store.has("org:memberships:read"));
    assert.ok(!store.has("org:memberships:manage"));
    assert.deepEqual(kit.fromStore, [["active", "org_a"]], "getToken's active organization follows");
    assert.equal(store.getSnapshot(), ready);
    assert.ok(told > 0);

    unsubscribe();
    const before = told;
    const release = store.keep({ memberships: true });
    await settle();
    assert.equal(told, before, "an unsubscribed listener is not called");
    assert.notEqual(store.getSnapshot(), ready);
    assert.equal(ready.memberships, undefined, "an old snapshot never changes");
    release();
    release();
    assert.equal(store.getSnapshot().memberships, undefined);
    store.channel.close();
  });

  it("pages kept lists, counts keepers, and revalidates what a write touched", async () => {
    const kit = fakeKit();
    const store = new Store(kit);
    await store.load();
    const one = store.keep({ memberships: { pageSize: 2 } });
    const two = store.keep({ memberships: true, invitations: true });
    await settle();
    let s = store.getSnapshot();
    assert.deepEqual(s.memberships.data.map((m) => m.id), ["m1", "m2"]);
    assert.equal(s.memberships.hasNextPage, true);
    assert.equal(s.memberships.count, 2, "no total from a cursor list: what is loaded");
    assert.equal(s.invitations.count, 1, "a whole list: its total");
    const invitationsView = s.invitations;
    await s.memberships.fetchNext();
    s = store.getSnapshot();
    assert.deepEqual(s.memberships.data.map((m) => m.id), ["m1", "m2", "m3"]);
    assert.equal(s.memberships.hasNextPage, false);
    assert.equal(s.invitations, invitationsView, "an unchanged list keeps its object");

    // Another write's bits: only the touched lists of the active organization are read again.
    kit.members.org_a.push("m4");
    kit.invitations.org_a.push("i2");
    kit.calls.length = 0;
    store.touched(INVITATIONS, "org_b");
    await settle();
    assert.deepEqual(kit.calls, [], "another organization's write");
    store.touched(INVITATIONS, "org_a");
    await settle();
    assert.deepEqual(kit.calls, ["invitations org_a"]);
    assert.equal(store.getSnapshot().invitations.count, 2);
    kit.calls.length = 0;
    store.touched(MEMBERSHIPS | ORGANIZATION, "org_a");
    await settle();
    await settle();
    assert.deepEqual(kit.calls.sort(), ["members org_a ", "members org_a 2", "my memberships"], "through the pages shown");
    assert.equal(store.getSnapshot().memberships.data.length, 4);

    one();
    assert.ok(store.getSnapshot().memberships, "still kept by the other keeper");
    two();
    assert.equal(store.getSnapshot().memberships, undefined);
    store.channel.close();
  });

  it("switches this tab's organization and empties on sign-out in another tab", async () => {
    const kit = fakeKit();
    const store = new Store(kit);
    store.keep({ invitations: true });
    await store.load();
    assert.equal(store.getSnapshot().invitations.count, 1);
    let persisted = false;
    await store.setActive("org_b", Promise.resolve().then(() => { persisted = true; }));
    assert.ok(persisted);
    let s = store.getSnapshot();
    assert.equal(s.organization.id, "org_b");
    assert.equal(s.invitations.count, 0, "the list follows the organization");
    await store.setActive(null, Promise.resolve());
    assert.equal(store.getSnapshot().organization, null);
    const forbidden = Object.assign(new Error("no"), { code: "forbidden" });
    await assert.rejects(store.setActive(null, Promise.reject(forbidden)), /no/);

    // Another person's sign-out in this origin changes nothing; mine empties the snapshot.
    store.channel.onmessage({ data: { signedOut: "usr_other" } });
    assert.equal(store.getSnapshot().user.id, "usr_1");
    store.channel.onmessage({ data: { signedOut: "usr_1" } });
    s = store.getSnapshot();
    assert.equal(s.status, "ready");
    assert.equal(s.user, null);
    assert.equal(s.invitations.count, 0);
    assert.deepEqual(kit.fromStore.at(-1), ["out", undefined]);
    store.channel.close();
  });
});
