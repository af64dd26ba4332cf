// The SDK's reactive store (issue 12): the snapshot the app and the React binding read, the lists
// it keeps, revalidation, and cross-tab sign-out. It drives the SDK through its public API (the
// `kit` it is given), as an app would. Which lists a write touches is decided in Rust
// (`src/store/touched.rs`), which calls `touched` after every successful write.

// The bits of `touched`, the same as `src/store/touched.rs`.
const SESSION = 1, ORGANIZATION = 2;
const BITS = { memberships: 4, invitations: 8, joinRequests: 16, domains: 32, userMemberships: 64, userInvitations: 128 };
// The lists that belong to the active organization.
const OF_ORG = 4 | 8 | 16 | 32;
// Lists the server pages by cursor; the others come whole and are paged here (`after` is an offset).
const CURSOR = { memberships: "getMembershipsPage", joinRequests: "getJoinRequests" };
const WHOLE = {
  invitations: (org) => org.getPendingInvitations(),
  domains: (org) => org.getDomains(),
  userMemberships: (_, kit) => kit.getOrganizationMemberships(),
  userInvitations: (_, kit) => kit.getUserInvitations(),
};
const CHANNEL = "orgkit";

/** Tells the other tabs of this origin that `user`'s session ended (`null`: whoever was signed in). */
function announceSignOut(user) {
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ signedOut: user });
    channel.close();
  }
}

export class Store {
  constructor(kit) {
    this.kit = kit;
    this.listeners = new Set();
    this.lists = new Map();
    this.state = { status: "loading", error: null, user: null, organization: null, membership: null, permissions: [] };
    this.snap = null;
    // This tab's choice; `undefined` until setActive, then the server's last active one is not used.
    this.active = undefined;
    this.loading = null;
    this.inflight = null;
    // `session` changes when who is signed in changes, `epoch` when the active organization does:
    // an answer that comes back after either changed is dropped.
    this.session = 0;
    this.epoch = 0;
    this.onFocus = true;
    this.timer = null;
    if (typeof BroadcastChannel === "function") {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = (e) => {
        const ended = e.data?.signedOut;
        // Another person's client in this origin (one page may hold several) keeps its session.
        if (ended !== undefined && (ended === null || ended === this.state.user?.id)) {
          kit.__fromStore("out");
          this.signedOut(false);
        }
      };
    }
  }

  getSnapshot() {
    if (!this.snap) {
      const snap = { ...this.state };
      for (const [key, list] of this.lists) snap[key] = list.view ??= this.view(list);
      this.snap = Object.freeze(snap);
    }
    return this.snap;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    this.load().catch(() => {});
    return () => this.listeners.delete(listener);
  }

  emit() {
    this.snap = null;
    for (const listener of [...this.listeners]) listener();
  }

  set(fields) {
    Object.assign(this.state, fields);
    this.emit();
  }

  load() {
    if (!this.loading) {
      this.loading = this.refresh().then(() => Promise.all([...this.lists.values()].map((l) => this.first(l)))).then(() => {});
      if (typeof addEventListener === "function") {
        const wake = () => {
          if (this.onFocus && (typeof document === "undefined" || document.visibilityState === "visible")) this.revalidate().catch(() => {});
        };
        addEventListener("focus", wake);
        addEventListener("visibilitychange", wake);
      }
    }
    return this.loading;
  }

  /** Reads who I am, then opens the active organization: this tab's choice, else the server's last one. */
  async refresh() {
    const session = this.session, epoch = this.epoch;
    try {
      const user = await this.kit.getUser();
      if (session !== this.session) return;
      const fields = { user, status: "ready", error: null };
      // A newer setActive opens its own organization.
      if (epoch !== this.epoch) return this.set(fields);
      let id = this.active !== undefined ? this.active : (user?.lastActiveOrganizationId ?? null);
      if (!user) id = null;
      if (this.active === undefined) this.kit.__fromStore("active", id);
      await this.open(id, fields, epoch);
    } catch (error) {
      if (session === this.session) this.set({ status: "error", error });
    }
  }

  /** Makes `id` the active organization (with `fields` of the snapshot) and reloads its lists when it changed. */
  async open(id, fields, epoch = this.epoch) {
    let membership = null;
    if (id) {
      const mine = await this.kit.getOrganizationMemberships();
      membership = mine.find((m) => m.organization.id === id) ?? null;
    }
    if (epoch !== this.epoch) return;
    const organization = membership ? membership.organization : null;
    const changed = (this.state.organization?.id ?? null) !== (organization?.id ?? null);
    Object.assign(this.state, fields, { organization, membership, permissions: organization ? organization.permissions : [] });
    if (changed) {
      for (const list of this.lists.values()) if (BITS[list.key] & OF_ORG) this.reset(list);
    }
    this.emit();
    if (changed) await Promise.all([...this.lists.values()].filter((l) => BITS[l.key] & OF_ORG).map((l) => this.fill(l)));
  }

  setActive(id, persisted) {
    this.active = id;
    const epoch = ++this.epoch;
    const opened = this.loading ? this.loading.then(() => this.open(id, {}, epoch)) : Promise.resolve();
    return Promise.all([persisted, opened]).then(() => {});
  }

  keep(options) {
    const held = [];
    for (const key of Object.keys(BITS)) {
      const o = options[key];
      if (!o) continue;
      let list = this.lists.get(key);
      if (!list) {
        list = { key, refs: 0, size: o.pageSize ?? 10, view: null };
        this.reset(list);
        this.lists.set(key, list);
        if (this.loading) this.loading.then(() => this.first(list));
      }
      list.refs++;
      held.push(list);
    }
    if (held.length) this.emit();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const list of held) {
        if (--list.refs === 0 && this.lists.get(list.key) === list) {
          this.lists.delete(list.key);
          list.gen++;
        }
      }
      this.emit();
    };
  }

  reset(list) {
    Object.assign(list, { data: [], next: null, total: null, pages: 0, isLoading: true, isFetching: false, error: null, gen: (list.gen ?? 0) + 1 });
  }

  /** One page of `list` from `after` (a cursor, or an offset for whole lists): [items, next, total]. */
  async page(list, after) {
    const org = this.state.organization;
    if (!this.state.user || (BITS[list.key] & OF_ORG && !org)) return [[], null, 0];
    const method = CURSOR[list.key];
    if (method) {
      const page = await org[method]({ limit: list.size, after: after ?? undefined });
      return [page.data, page.nextCursor ?? null, null];
    }
    const all = await WHOLE[list.key](org, this.kit);
    const from = Number(after ?? 0), to = from + list.size;
    return [all.slice(from, to), to < all.length ? String(to) : null, all.length];
  }

  /** Loads `list` unless it has been loaded or is loading. */
  first(list) {
    return list.isLoading && !list.isFetching ? this.fill(list) : undefined;
  }

  /** Loads `list` from its first page through as many pages as it shows (at least one). */
  async fill(list) {
    const gen = ++list.gen;
    const pages = Math.max(1, list.pages);
    this.change(list, { isFetching: true });
    try {
      let data = [], after = null, total = null, n = 0;
      do {
        const [items, next, all] = await this.page(list, after);
        data = data.concat(items);
        after = next;
        total = all;
        n++;
      } while (after && n < pages);
      if (gen === list.gen) this.change(list, { data, next: after, total, pages: n, isLoading: false, isFetching: false, error: null });
    } catch (error) {
      if (gen === list.gen) this.change(list, { isLoading: false, isFetching: false, error });
    }
  }

  async fetchNext(list) {
    if (!list.next || list.isFetching) return;
    const gen = list.gen;
    this.change(list, { isFetching: true });
    try {
      const [items, next, total] = await this.page(list, list.next);
      if (gen === list.gen) this.change(list, { data: list.data.concat(items), next, total, pages: list.pages + 1, isFetching: false, error: null });
    } catch (error) {
      if (gen === list.gen) this.change(list, { isFetching: false, error });
    }
  }

  change(list, fields) {
    Object.assign(list, fields);
    list.view = null;
    if (this.lists.get(list.key) === list) this.emit();
  }

  view(list) {
    return Object.freeze({
      data: Object.freeze(list.data.slice()),
      count: list.total ?? list.data.length,
      hasNextPage: list.next !== null,
      isLoading: list.isLoading,
      isFetching: list.isFetching,
      error: list.error,
      fetchNext: () => this.fetchNext(list),
      revalidate: () => this.fill(list),
    });
  }

  /** Everything kept, now: who I am and my organization, then every kept list. */
  revalidate() {
    if (!this.loading) return this.load();
    return (this.inflight ??= (async () => {
      await this.refresh();
      await Promise.all([...this.lists.values()].map((l) => this.fill(l)));
    })().finally(() => {
      this.inflight = null;
    }));
  }

  setRevalidation({ onFocus, intervalMs } = {}) {
    if (onFocus !== undefined) this.onFocus = onFocus;
    if (intervalMs !== undefined) {
      clearInterval(this.timer);
      this.timer = intervalMs ? setInterval(() => this.revalidate().catch(() => {}), intervalMs) : null;
    }
  }

  has(permission) {
    return this.state.organization ? this.state.organization.can(permission) : false;
  }

  /** After a successful write: `bits` say what it touched, in organization `org` when it names one. */
  touched(bits, org) {
    if (!this.loading) return;
    if (bits & SESSION) {
      this.session++;
      this.epoch++;
      this.active = undefined;
      this.refresh().then(() => Promise.all([...this.lists.values()].map((l) => this.fill(l))));
      return;
    }
    const mine = org === undefined || org === (this.state.organization?.id ?? null);
    if (!mine) bits &= ~(ORGANIZATION | OF_ORG);
    if (bits & ORGANIZATION) this.open(this.state.organization?.id ?? null, {}).catch(() => {});
    for (const list of this.lists.values()) if (bits & BITS[list.key]) this.fill(list);
  }

  /** The session ended (here, with `user` its id when known, or in another tab when `broadcast` is false): nobody is signed in. */
  signedOut(broadcast, user) {
    if (broadcast) announceSignOut(user ?? null);
    this.session++;
    this.epoch++;
    this.active = undefined;
    for (const list of this.lists.values()) this.change(list, { data: [], next: null, total: null, pages: 0, isLoading: false, error: null, gen: list.gen + 1 });
    if (this.loading) this.set({ status: "ready", error: null, user: null, organization: null, membership: null, permissions: [] });
  }
}
