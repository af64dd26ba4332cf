// The hooks against a fake store, in a browser page (e2e/react-hooks.test.mjs bundles this file
// with esbuild in React's development build, for `act`, and reads `window.orgkitHookResults`).
// Each case throws on failure.
import { act, StrictMode } from "react";
import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import type { Root } from "react-dom/client";
import type { AppPermission, CreateOrganizationParams, Organization, OrganizationMembership, Permission } from "orgkit";
import { OrgKitProvider, useHas, useOrganization, useOrganizationList, useUser } from "../src/index.ts";
import type { KeepOptions, OrgKitStore, PaginatedList, Snapshot, UseOrganizationParams } from "../src/index.ts";

declare global {
  interface Window {
    orgkitHookResults?: { name: string; ok: boolean; error?: string }[];
  }
}
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

const ORG = { id: "org_1", name: "Acme" } as unknown as Organization;
const MEMBERSHIP = { id: "mem_1", role: "admin" } as unknown as OrganizationMembership;

/** A list as the store would keep it. */
function list<T>(data: T[]): PaginatedList<T> {
  return Object.freeze({
    data, count: data.length, hasNextPage: false, isLoading: false, isFetching: false, error: null,
    fetchNext: () => Promise.resolve(), revalidate: () => Promise.resolve(),
  });
}

/** A store whose snapshot the case sets; it logs keep, release and setActive calls. */
class FakeStore implements OrgKitStore {
  snapshot: Snapshot = Object.freeze({ status: "loading", error: null, user: null, organization: null, membership: null, permissions: [] });
  listeners = new Set<() => void>();
  log: string[] = [];

  getSnapshot(): Snapshot { return this.snapshot; }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
  keep(lists: KeepOptions): () => void {
    const key = JSON.stringify(lists);
    this.log.push(`keep ${key}`);
    return () => { this.log.push(`release ${key}`); };
  }
  setActive(p: { organization: string | null }): Promise<void> {
    this.log.push(`setActive ${String(p.organization)}`);
    return Promise.resolve();
  }
  has(permission: Permission | AppPermission): boolean { return this.snapshot.permissions.includes(permission); }
  createOrganization(p: CreateOrganizationParams): Promise<Organization> {
    this.log.push(`create ${p.name}`);
    return Promise.resolve(ORG);
  }
  /** Sets a new snapshot and tells the listeners, inside act. */
  async set(change: Partial<Snapshot>): Promise<void> {
    await act(async () => {
      this.snapshot = Object.freeze({ ...this.snapshot, ...change });
      for (const listener of [...this.listeners]) listener();
    });
  }
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
function same(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: ${a} !== ${e}`);
}

/** Renders `node` under a provider of `kit`, inside act. */
async function mount(kit: OrgKitStore, node: ReactNode): Promise<{ root: Root; render: (node: ReactNode) => Promise<void> }> {
  const root = createRoot(document.body.appendChild(document.createElement("div")));
  const render = (next: ReactNode) => act(async () => { root.render(<StrictMode><OrgKitProvider kit={kit}>{next}</OrgKitProvider></StrictMode>); });
  await render(node);
  return { root, render };
}

const cases: [string, () => Promise<void>][] = [];
const test = (name: string, run: () => Promise<void>) => { cases.push([name, run]); };

test("useOrganization: Clerk's shape, nothing until loaded, then the active organization", async () => {
  const kit = new FakeStore();
  let seen: ReturnType<typeof useOrganization> | null = null;
  const Probe = () => { seen = useOrganization(); return null; };
  await mount(kit, <Probe />);
  same(seen, { isLoaded: false, memberships: undefined, invitations: undefined, membershipRequests: undefined, domains: undefined }, "while loading");
  await kit.set({ status: "ready", organization: ORG, membership: MEMBERSHIP });
  const loaded = seen as ReturnType<typeof useOrganization> | null;
  expect(loaded?.isLoaded === true && loaded.organization === ORG && loaded.membership === MEMBERSHIP, "the organization once ready");
  same(kit.log, [], "no list asked, nothing kept");
});

test("useOrganization keeps the lists asked for once, whatever the renders, and releases on change and unmount", async () => {
  const kit = new FakeStore();
  const Probe = ({ params }: { params: UseOrganizationParams }) => { useOrganization(params); return null; };
  const { root, render } = await mount(kit, <Probe params={{ memberships: { pageSize: 5 }, invitations: { status: ["pending"] } }} />);
  await render(<Probe params={{ memberships: { pageSize: 5 }, invitations: { status: ["pending"] } }} />);
  await kit.set({ status: "ready" });
  const first = 'keep {"memberships":{"pageSize":5},"invitations":{"status":["pending"]}}';
  // StrictMode runs each effect twice on mount: keep, release, keep.
  same(kit.log, [first, first.replace("keep", "release"), first], "kept once for equal params (StrictMode's double run aside)");
  kit.log = [];
  await render(<Probe params={{ memberships: { infinite: true, keepPreviousData: true }, membershipRequests: true, domains: { pageSize: 3 } }} />);
  same(kit.log, [first.replace("keep", "release"), 'keep {"memberships":true,"joinRequests":true,"domains":{"pageSize":3}}'], "params changed: released, then kept anew");
  kit.log = [];
  await act(async () => { root.unmount(); });
  same(kit.log, ['release {"memberships":true,"joinRequests":true,"domains":{"pageSize":3}}'], "released on unmount");
});

test("useOrganization answers the store's lists, and undefined for lists not asked", async () => {
  const kit = new FakeStore();
  let seen: ReturnType<typeof useOrganization> | null = null;
  const Probe = () => { seen = useOrganization({ memberships: true, invitations: false }); return null; };
  await mount(kit, <Probe />);
  const members = list([MEMBERSHIP]);
  await kit.set({ status: "ready", organization: ORG, memberships: members, invitations: list([]), joinRequests: list([]) });
  const got = seen as ReturnType<typeof useOrganization> | null;
  expect(got?.memberships === members, "memberships is the store's list, the same object");
  expect(got !== null && got.invitations === undefined && got.membershipRequests === undefined && got.domains === undefined, "lists not asked are undefined");
});

test("useHas re-renders only when the answer changes", async () => {
  const kit = new FakeStore();
  const renders: boolean[] = [];
  const Probe = () => { renders.push(useHas("org:memberships:manage")); return null; };
  await mount(kit, <Probe />);
  const before = renders.length;
  await kit.set({ status: "ready", permissions: ["org:memberships:read"] });
  await kit.set({ user: null, error: null });
  same(renders.length, before, "snapshots that keep the answer render nothing");
  await kit.set({ permissions: ["org:memberships:read", "org:memberships:manage"] });
  expect(renders.length > before && renders[renders.length - 1] === true, "granted: renders true");
  const granted = renders.length;
  await kit.set({ organization: ORG });
  same(renders.length, granted, "still granted: no render");
  await kit.set({ permissions: [] });
  expect(renders[renders.length - 1] === false, "taken away: renders false");
});

test("useOrganizationList: setActive takes an organization, an id or null; createOrganization goes to the kit; lists kept", async () => {
  const kit = new FakeStore();
  let seen: ReturnType<typeof useOrganizationList> | null = null;
  const Probe = () => { seen = useOrganizationList({ userMemberships: { pageSize: 20 }, userInvitations: true }); return null; };
  await mount(kit, <Probe />);
  const got = () => {
    if (seen === null) throw new Error("not rendered");
    return seen;
  };
  expect(!got().isLoaded, "not loaded while loading");
  const mine = list([MEMBERSHIP]);
  await kit.set({ status: "ready", userMemberships: mine });
  expect(got().isLoaded && got().userMemberships === mine && got().userInvitations === undefined, "the store's lists once ready");
  kit.log = [];
  await got().setActive({ organization: ORG });
  await got().setActive({ organization: "org_2" });
  await got().setActive({ organization: null });
  const made = await got().createOrganization({ name: "New" });
  same(kit.log, ["setActive org_1", "setActive org_2", "setActive null", "create New"], "calls reach the kit");
  expect(made === ORG, "createOrganization answers the kit's organization");
});

test("useUser: loading, signed out, signed in", async () => {
  const kit = new FakeStore();
  let seen: ReturnType<typeof useUser> | null = null;
  const Probe = () => { seen = useUser(); return null; };
  await mount(kit, <Probe />);
  same(seen, { isLoaded: false }, "loading");
  await kit.set({ status: "ready" });
  same(seen, { isLoaded: true, isSignedIn: false, user: null }, "signed out");
  await kit.set({ user: { id: "user_1", emailAddress: "a@x.io", name: "A", emailVerified: true, createdAt: new Date(0), lastActiveOrganizationId: null } });
  same(seen, { isLoaded: true, isSignedIn: true, user: { id: "user_1", emailAddress: "a@x.io", name: "A", emailVerified: true, createdAt: new Date(0), lastActiveOrganizationId: null } }, "signed in");
});

test("a hook outside <OrgKitProvider> throws a message naming it", async () => {
  const Probe = () => { useHas("org:memberships:read"); return null; };
  let message = "";
  const note = (err: unknown) => { message ||= err instanceof Error ? err.message : String(err); };
  const root = createRoot(document.body.appendChild(document.createElement("div")), { onUncaughtError: note });
  try {
    await act(async () => { root.render(<Probe />); });
  } catch (err) {
    note(err);
  }
  expect(message.includes("<OrgKitProvider"), `the error names the provider: ${message}`);
});

async function main() {
  const results: { name: string; ok: boolean; error?: string }[] = [];
  for (const [name, run] of cases) {
    try {
      await run();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err) });
    }
  }
  window.orgkitHookResults = results;
}
void main();
