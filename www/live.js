// Parts of a page drawn from the SDK's reactive store (kit.keep / kit.subscribe / kit.getSnapshot):
// the store keeps the lists, every write through the SDK updates what it touched, and the part
// redraws itself. No page refetches by hand after a mutation.
import { h, mount, errorText } from "./ui.js";
import { kit } from "./context.js";

/** What the page on screen holds from the store: released when the router draws another page. */
let held = [];

/** The redraws of the parts on screen, for `redrawParts`. */
const parts = new Set();

/**
 * Draws every part again from the current snapshot: for what parts read besides the snapshot,
 * the role catalog (ui.js's `roleCatalog`), once the roles card changed it.
 */
export function redrawParts() {
  for (const redraw of parts) redraw(true);
}

/** Releases every list and subscription of the page that is leaving (router.js calls it). */
export function releaseLive() {
  for (const release of held.splice(0)) release();
}

/**
 * A part of the page kept in step with the store: `keep` names the lists it needs (as for
 * kit.keep), and `draw(snapshot)` returns its content, called again on every change of the
 * snapshot; a `draw` that returns the very node it returned last leaves the part as it is.
 * Resolves once every kept list has had its first load and `ready(snapshot)` holds (for
 * example: the store's active organization is the page's), so the page appears whole.
 */
export async function live(keep, draw, { ready = () => true, ...attrs } = {}) {
  // `display: contents`: the part adds no box of its own, so an empty part leaves no gap.
  const part = h("div", { style: "display:contents", ...attrs });
  const releaseKept = kit.keep(keep);
  let last = null;
  let content;
  let shown = false;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    parts.delete(redraw);
    unsubscribe();
    releaseKept();
  };
  const redraw = (force = false) => {
    // A part that was on screen and is no longer (its page was replaced) lets its lists go.
    if (part.isConnected) shown = true;
    else if (shown) return release();
    const snap = kit.getSnapshot();
    if (snap === last && !force) return;
    last = snap;
    const next = draw(snap);
    if (next === content) return;
    content = next;
    mount(part, next);
  };
  const unsubscribe = kit.subscribe(() => redraw());
  parts.add(redraw);
  held.push(release);
  await loaded(Object.keys(keep), ready);
  redraw();
  return part;
}

/**
 * A part drawn from the store's list `name` (for example `joinRequests`) of organization `org`,
 * which the page made the active one: `draw(list)` draws its rows; before it has any, the part
 * says it is loading, that the list failed (`what`: "the requests"), or shows `empty()`.
 */
export function orgListPart(org, name, pageSize, what, empty, draw) {
  return live({ [name]: { pageSize } }, (snap) => {
    const list = snap.organization?.id === org.id ? snap[name] : null;
    if (!list || list.isLoading) return h("p", { class: "muted small" }, "Loading…");
    if (list.error && !list.data.length) return h("p", { class: "muted small", role: "alert" }, `Couldn't load ${what}: ${errorText(list.error)}`);
    return list.data.length ? draw(list) : empty();
  }, { ready: (snap) => snap.organization?.id === org.id });
}

/**
 * A part drawn from organization `org` as the store has it (the page's own `org` until the store
 * opened it): `draw(o)` is called again only when `keyOf(o)`, what the part shows, changed.
 */
export function orgPart(org, keyOf, draw) {
  let shown;
  let node = null;
  return live({}, (snap) => {
    const o = snap.organization?.id === org.id ? snap.organization : org;
    const key = keyOf(o);
    if (node === null || key !== shown) {
      shown = key;
      node = draw(o);
    }
    return node;
  }, { ready: (snap) => snap.organization?.id === org.id });
}

/**
 * The node of item `id`, made again by `make()` only when its `key` (what it shows) changed:
 * `drawn` is the part's own map, so a row keeps what was typed or picked in it meanwhile.
 */
export function keyed(drawn, id, key, make) {
  let seen = drawn.get(id);
  if (seen?.key !== key) drawn.set(id, seen = { key, node: make() });
  return seen.node;
}

/**
 * Calls `changed()` once, the first time `key(snapshot)` is neither `undefined` (not known yet)
 * nor `base`: for example when another admin changed my roles in the organization on screen.
 * Released with the page, like the parts of `live`.
 */
export function watch(base, key, changed) {
  let done = false;
  const stop = () => {
    done = true;
    unsubscribe();
  };
  const unsubscribe = kit.subscribe(() => {
    if (done) return;
    const now = key(kit.getSnapshot());
    if (now === undefined || now === base) return;
    stop();
    changed();
  });
  held.push(stop);
}

/** Resolves to the snapshot once `ready(snapshot)` holds, or once the store failed to load. */
export async function settled(ready) {
  await loaded([], ready);
  return kit.getSnapshot();
}

/** Waits until `ready` holds and each named list has finished its first load (or failed). */
function loaded(keys, ready) {
  const done = () => {
    const snap = kit.getSnapshot();
    if (snap.status === "error") return true;
    return snap.status === "ready" && ready(snap) && keys.every((key) => snap[key] && !snap[key].isLoading);
  };
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = kit.subscribe(() => {
      if (done()) {
        unsubscribe();
        resolve();
      }
    });
  });
}
