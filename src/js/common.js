// What the SDK's JS families (`workspaces.js`, `webhooks.js`, `domains.js`, `sso.js`, `links.js`,
// `join_requests.js`, `governance.js`) share: the rule book, reading parameters, sending, and
// putting methods on the Rust classes. A family's method reads its parameters, asks the rule book
// (`rule`: `src/rules.rs`; or its organization's `__rule` for what needs my permissions there)
// and sends one request through its owner's `__send`, the SDK's one send path (`send.rs`, the
// store's invalidation included). Nothing in JS decides a rule. A refusal throws inside the
// method and rejects its Promise, with no request.

import { OrgKitError } from "./error.js";

let R;
/** Takes the rule book, and frees the `OrgKit` and `Organization` the families were installed
 * from (`src/rules.rs`'s `install_once`, after each family's `install`). */
export function init(rules, kit, org) {
  R = rules;
  kit.free();
  org.free();
}
/** Asks the rule book (`src/rules.rs`'s `rule`): answers the rule's value or throws its refusal. */
export const rule = (name, a, b, c, d) => R.rule(name, a, b, c, d);

/** The owner of an instance: the `Organization` (or `OrgKit`) it came from. */
export const OWNER = Symbol("owner");
/** The answers' timestamps, turned into `Date`s. */
const DATES = [
  "createdAt",
  "updatedAt",
  "expiresAt",
  "lastUsedAt",
  "revokedAt",
  "previousSecretExpiresAt",
  "affiliationVerifiedAt",
  "ownershipVerifiedAt",
  "decidedAt",
];
export const bad = (usage) => new OrgKitError("validation_failed", 0, usage);
export const seg = encodeURIComponent;

/** Checks that parameters are an object. */
export function params(p, usage) {
  if (typeof p !== "object" || p === null) throw bad(usage);
}
/** Optional parameters: `{}` when absent (undefined or null), else checked to be an object. */
export function optional(p, usage) {
  if (p === undefined || p === null) return {};
  params(p, usage);
  return p;
}
/** A required string parameter. */
export function str(p, key, usage) {
  const v = p[key];
  if (typeof v !== "string") throw bad(usage);
  return v;
}
/** An optional string parameter (`undefined` when absent or null). */
export function opt(p, key, usage) {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw bad(usage);
  return v;
}
/** An optional instant parameter, a `Date` or milliseconds: `undefined` when absent. */
export function instant(p, key, usage) {
  const t = p[key];
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : typeof t === "number" ? t : NaN;
  if (!Number.isFinite(ms)) throw bad(usage);
  return ms;
}
/** An answer's timestamps as `Date`s; `null` stays `null`. */
function dated(d) {
  for (const k of DATES) if (typeof d[k] === "number") d[k] = new Date(d[k]);
  return d;
}
/** An instance of `C` holding the answer's fields as own properties. */
export function make(C, owner, d) {
  const x = Object.assign(Object.create(C.prototype), dated(d));
  x[OWNER] = owner;
  return x;
}
/** Sends through `owner`, and makes each item of a page (or the answer) with `C`; plain data
 * (its timestamps as `Date`s) without. */
export function send(owner, method, path, body, C) {
  return owner.__send(method, path, body).then((a) => {
    if (a === undefined) return a;
    const one = (d) => (C ? make(C, owner, d) : dated(d));
    if (Array.isArray(a.data)) a.data = a.data.map(one);
    else a = one(a);
    return a;
  });
}
/** `/v1/organizations/{id}{rest}` of an organization. */
export const orgPath = (org, rest) => "/v1/organizations/" + seg(org.id) + rest;

/** `f` called with `this` first; what it throws rejects its Promise instead. */
const guarded = (f) =>
  function (...a) {
    try {
      return f(this, ...a);
    } catch (e) {
      return Promise.reject(e);
    }
  };
/** Every public method of `C` rejects with what it throws. */
export function guard(C) {
  for (const k of Object.getOwnPropertyNames(C.prototype)) {
    if (k === "constructor" || k[0] === "_") continue;
    const f = C.prototype[k];
    C.prototype[k] = guarded((self, ...a) => f.apply(self, a));
  }
}
/** Puts each method of `table`, `(owner, ...args)`, on the prototype of `target`, not
 * enumerable, as a class's own methods are. */
export function put(target, table) {
  const proto = Object.getPrototypeOf(target);
  for (const [name, f] of Object.entries(table)) {
    Object.defineProperty(proto, name, { value: guarded(f), writable: true, configurable: true });
  }
}
