// API keys on the Service accounts & API keys tab: a key list (name, last four characters, scope,
// created, last used, expiry, revoked with its reason) with Revoke and a reason, the form that
// creates a key (name, optional expiry, an optional subset of permissions) whose secret shows ONCE
// with Copy, "My API keys" (my own keys, when the organization's policy lets me have one) and the
// policy select for holders of org:api_keys:manage.
import { h, mount, toast, showError, busy, field, formError, submitting, fmtDateTime } from "../ui.js";
import { state } from "../context.js";
import { orgPart } from "../live.js";
import { allRows } from "./principals.js";

/** Who may create keys, in words. */
export const POLICIES = [
  ["nobody", "Nobody: API keys are turned off"],
  ["admins", "Admins only (holders of org:api_keys:manage)"],
  ["members", "Every member, for their own keys"],
];
const EXPIRIES = [["", "Never"], ["7", "7 days"], ["30", "30 days"], ["90", "90 days"], ["365", "1 year"]];

/** The organization's API key policy: `nobody`, `admins` or `members` (asked when the organization did not say). */
export async function readPolicy(org) {
  if (org.apiKeyPolicy) return org.apiKeyPolicy;
  const answer = await org.getApiKeyPolicy();
  return typeof answer === "string" ? answer : answer?.policy ?? "admins";
}

/**
 * A part drawn by `draw(policy)`, and again whenever the store's organization says another API
 * key policy (after `setApiKeyPolicy`, here or in another tab once the store revalidates).
 */
export function policyPart(org, initial, draw) {
  const policyOf = (o) => o.apiKeyPolicy ?? initial;
  return orgPart(org, policyOf, (o) => draw(policyOf(o)));
}

/** Whether I may create a key under `policy`: my own, or (with `forAccount`) a service account's. */
export function mayCreateKey(org, policy, forAccount = false) {
  if (policy === "nobody") return false;
  if (policy === "admins" && !org.can("org:api_keys:manage")) return false;
  return !forAccount || org.can("org:service_accounts:manage");
}

/** Why a key creation is refused, in words. */
export function keyLock(policy, forAccount) {
  if (policy === "nobody") return "API keys are turned off in this organization.";
  if (policy === "admins") return forAccount
    ? "A service account's key needs org:api_keys:manage and org:service_accounts:manage."
    : "Only admins (holders of org:api_keys:manage) create API keys in this organization.";
  return "A service account's key needs org:service_accounts:manage.";
}

/** The box that shows a new key's secret once, with Copy; "Done" forgets it. */
export function secretBox() {
  const box = h("div", { "data-testid": "api-key-secret-box", "aria-live": "polite", hidden: true });
  box.show = (created) => {
    const secret = created.secret;
    const input = h("input", { class: "link-input", readonly: true, value: secret, "data-testid": "api-key-secret", "aria-label": `Secret of the API key ${created.apiKey.name}` });
    const copy = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "copy-api-key", onclick: async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(secret);
        toast("success", "Key copied", "Store it in your app's secrets now.");
      } catch {
        toast("info", "Copy the selected key", "Your browser did not allow copying.");
      }
    } }, "Copy");
    const done = h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "api-key-secret-done", onclick: () => { mount(box); box.hidden = true; } }, "Done");
    mount(box, h("div", { class: "notice notice-warn secret-notice key-secret", role: "alert" }, h("div", { class: "grow" },
      h("p", {}, h("strong", {}, "New API key: "), created.apiKey.name),
      h("p", { "data-testid": "api-key-secret-warning" }, h("strong", {}, "Copy this key now. It will not be shown again.")),
      h("span", { class: "link-share" }, input, copy, done),
      h("p", { class: "small" }, "Send it as ", h("code", {}, "Authorization: Bearer ok_…"), "; it acts only in this organization."))));
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  };
  return box;
}

/** "org:billing:manage" → "billing: manage". */
const permissionLabel = (key) => key.replace(/^org:/, "").replace(":", ": ");

/**
 * The create form: `create(params)` makes the key and answers `{ apiKey, secret }`; `ownerHolds`
 * tells which of my permissions the key's owner holds (a service account: its role's).
 */
export function keyForm({ org, create, box, lock, ownerHolds = () => true, onCreated, testid = "api-key-form" }) {
  const err = formError();
  const name = h("input", { id: `${testid}-name`, autocomplete: "off", placeholder: "CI deploys", "data-testid": "api-key-name", disabled: !!lock });
  const expiry = h("select", { id: `${testid}-expiry`, "data-testid": "api-key-expiry", disabled: !!lock }, EXPIRIES.map(([days, text]) => h("option", { value: days }, text)));
  const limit = h("input", { type: "checkbox", "data-testid": "api-key-limit", disabled: !!lock });
  const boxes = org.permissions.map((p) => {
    const held = ownerHolds(p);
    return h("label", { class: `check-row${held ? "" : " muted"}`, title: held ? null : "The key's owner doesn't hold this permission." },
      h("input", { type: "checkbox", value: p, disabled: !held, "data-testid": "api-key-permission", "data-permission": p }), " ", permissionLabel(p));
  });
  const grid = h("fieldset", { class: "permission-grid", hidden: true, "data-testid": "api-key-permissions" }, h("legend", {}, "The key may only"), boxes);
  limit.addEventListener("change", () => { grid.hidden = !limit.checked; });
  const submit = h("button", { class: "btn", type: "submit", "data-testid": "api-key-create", disabled: !!lock, title: lock }, "Create key");
  return h("form", { novalidate: true, class: "stack-sm", "data-testid": testid, onsubmit: (event) => {
    event.preventDefault();
    return submitting(err, submit, async () => {
      const params = { name: name.value };
      if (expiry.value) params.expiresAt = new Date(Date.now() + Number(expiry.value) * 86_400_000);
      if (limit.checked) params.permissions = boxes.map((b) => b.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
      const created = await create(params);
      box.show(created);
      toast("success", "API key created", "Copy its secret now: it is shown only once.");
      name.value = "";
      await onCreated();
    });
  } },
    h("div", { class: "inline-form key-grid" }, field("Key name", name), field("Expires", expiry), submit),
    h("label", { class: "check-row" }, limit, " Limit this key to some of the owner's permissions"),
    grid,
    lock ? h("p", { class: "muted small", "data-testid": "api-key-locked" }, lock) : null,
    err);
}

/** A key's status badge: active, expired or revoked (with the reason in its title). */
function status(key) {
  if (key.revokedAt) return h("span", { class: "badge badge-bad", "data-testid": "api-key-status", "data-status": "revoked", title: `Revoked ${fmtDateTime(key.revokedAt)}` }, "Revoked");
  if (key.expiresAt && new Date(key.expiresAt) <= new Date()) return h("span", { class: "badge badge-bad", "data-testid": "api-key-status", "data-status": "expired" }, "Expired");
  return h("span", { class: "badge badge-ok", "data-testid": "api-key-status", "data-status": "active" }, "Active");
}

/** The keys table; `mayRevoke(key)` says whether I may revoke it; `onChanged` reloads. */
export function keysTable(keys, { mayRevoke, onChanged, showOwner = false }) {
  if (!keys.length) return h("div", { class: "empty", "data-testid": "no-api-keys" }, h("strong", {}, "No keys yet"), "A key lets a program call the API as its owner.");
  return h("div", { class: "table-wrap" }, h("table", { class: "keys-table", "data-testid": "api-keys-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Key"), showOwner ? h("th", {}, "Owner") : null, h("th", {}, "Created"), h("th", {}, "Last used"), h("th", {}, "Expires"), h("th", {}, "Status"),
      h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")))),
    h("tbody", {}, keys.map((key) => h("tr", { "data-testid": "api-key-row", "data-id": key.id, "data-last4": key.last4 },
      h("td", {}, h("strong", {}, key.name), h("br"), h("code", { class: "muted small", "data-testid": "api-key-last4" }, `ok_…${key.last4}`),
        h("div", { class: "muted small" }, key.permissions ? `Only: ${key.permissions.join(", ") || "nothing"}` : "All of its owner's permissions"),
        key.revokedAt ? h("div", { class: "muted small" }, `Revoked ${fmtDateTime(key.revokedAt)}`) : null,
        key.revokeReason ? h("div", { class: "muted small", "data-testid": "api-key-revoke-reason" }, `Reason: ${key.revokeReason}`) : null),
      showOwner ? h("td", { class: "small" }, key.owner?.name ?? "") : null,
      h("td", { class: "small" }, fmtDateTime(key.createdAt)),
      h("td", { class: "small", "data-testid": "api-key-last-used" }, key.lastUsedAt ? fmtDateTime(key.lastUsedAt) : h("span", { class: "muted" }, "Never")),
      h("td", { class: "small" }, key.expiresAt ? fmtDateTime(key.expiresAt) : h("span", { class: "muted" }, "Never")),
      h("td", {}, status(key)),
      h("td", { class: "actions" }, key.revokedAt ? null : revokeControl(key, mayRevoke(key), onChanged)))))));
}

/** "Revoke…": a reason and the confirming button, folded until asked for. */
function revokeControl(key, allowed, onChanged) {
  const reason = h("input", { autocomplete: "off", placeholder: "Reason (optional)", "aria-label": `Reason for revoking ${key.name}`, "data-testid": "api-key-revoke-reason-input" });
  const confirm = h("button", { class: "btn btn-danger btn-sm", type: "button", "data-testid": "api-key-revoke-confirm", onclick: (e) => busy(e.currentTarget, async () => {
    await key.revoke({ reason: reason.value.trim() || undefined });
    toast("success", "Key revoked", `${key.name} (…${key.last4}) stops working at once.`);
    await onChanged();
  }, "Couldn't revoke the key") }, "Revoke key");
  return h("details", { class: "revoke-panel", "data-testid": "api-key-revoke" },
    h("summary", { class: `btn btn-danger-outline btn-sm${allowed ? "" : " disabled"}`, "aria-disabled": allowed ? null : "true",
      onclick: (e) => { if (!allowed) e.preventDefault(); }, title: allowed ? null : "Revoking others' keys needs org:api_keys:manage." }, "Revoke…"),
    h("div", { class: "row revoke-form" }, reason, confirm));
}

/**
 * "My API keys": my own keys and, when the policy lets me, the form that creates one; holders of
 * org:api_keys:manage may show everyone's keys instead, and revoke any.
 */
export async function myKeysCard(org, policy) {
  const box = secretBox();
  const list = h("div", { "data-testid": "my-api-keys" });
  const me = state.user?.id;
  const manager = org.can("org:api_keys:manage");
  const everyone = h("input", { type: "checkbox", "data-testid": "show-all-api-keys", onchange: () => load() });
  const heading = h("h3", {}, "Your keys");
  async function load() {
    try {
      const keys = await allRows((p) => org.getApiKeys(p));
      const all = manager && everyone.checked;
      heading.textContent = all ? "Every key in this organization" : "Your keys";
      const shown = all ? keys : keys.filter((k) => k.owner?.type === "user" && k.owner?.id === me);
      mount(list, keysTable(shown, { mayRevoke: () => true, onChanged: load, showOwner: all }));
    } catch (err) {
      showError("Couldn't load the API keys", err);
    }
  }
  const [form] = await Promise.all([
    policyPart(org, policy, (now) => keyForm({ org, create: (params) => org.createApiKey(params), box,
      lock: mayCreateKey(org, now) ? null : keyLock(now, false), onCreated: load, testid: "my-api-key-form" })),
    load(),
  ]);
  return h("section", { class: "card", "data-testid": "my-api-keys-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "My API keys"),
      h("p", {}, "Keys that act as you in this organization, with your permissions (or fewer). They stop if you leave."))),
    form,
    box,
    h("div", { class: "row-split keys-head" }, heading,
      manager ? h("label", { class: "check-row" }, everyone, " Show everyone's keys") : null),
    list);
}

/** The API key policy select (holders of org:api_keys:manage). */
export function policyCard(org, policy) {
  const err = formError();
  const select = h("select", { id: "api-key-policy", "data-testid": "api-key-policy" }, POLICIES.map(([value, text]) => h("option", { value, selected: value === policy }, text)));
  const save = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "save-api-key-policy" }, "Save policy");
  return h("section", { class: "card", "data-testid": "api-key-policy-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "API key policy"),
      h("p", {}, "Who may create API keys here. Existing keys keep working until revoked."))),
    h("form", { novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, save, async () => {
        // Who may create keys changed: the key forms follow the store's organization, which
        // this write refreshed.
        await org.setApiKeyPolicy(select.value);
        toast("success", "Policy saved", POLICIES.find(([v]) => v === select.value)?.[1] ?? select.value);
      });
    } }, h("div", { class: "inline-form policy-grid" }, field("Who may create keys", select), save), h("div", { style: "margin-top:.75rem" }, err)));
}
