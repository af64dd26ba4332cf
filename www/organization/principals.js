// What the Workspaces, Groups and Service accounts tabs share: the words for workspace and group
// roles, for where an access comes from and for each kind of principal, a principal's badge, the
// rows of a page answer, and the organization's members, groups and service accounts for selects.
import { h, avatar } from "../ui.js";

/** Workspace roles (wire form, label), lowest first. */
export const WS_ROLES = [["ws:member", "Member"], ["ws:manager", "Manager"]];
/** Group roles (wire form, label). */
export const GROUP_ROLES = [["member", "Member"], ["manager", "Manager"]];
const label = (pairs, key) => pairs.find(([k]) => k === key)?.[1] ?? String(key ?? "");
export const wsRoleLabel = (role) => label(WS_ROLES, role);
export const groupRoleLabel = (role) => label(GROUP_ROLES, role);

/** Where an effective workspace role comes from, in words. */
const VIA = {
  direct: "direct grant",
  group: "via group",
  organization: "organization admin",
  personal: "personal workspace",
};
export const viaLabel = (via) => VIA[via] ?? String(via ?? "");

/** Each kind of principal, in words. */
const KINDS = { user: "Person", group: "Group", service_account: "Service account" };
export const kindLabel = (kind) => KINDS[kind] ?? String(kind);

/** The `<option>`s of a role select from `pairs`, with `selected` chosen. */
export const options = (pairs, selected) => pairs.map(([value, text]) => h("option", { value, selected: value === selected }, text));

/** A principal with its avatar, name and kind. */
export function principalCell(principal) {
  return h("div", { class: "person" },
    avatar(principal.name || principal.id, { small: true, square: principal.type !== "user" }),
    h("div", { class: "person-text" },
      h("strong", { "data-testid": "principal-name" }, principal.name || principal.id),
      h("small", {}, kindLabel(principal.type))));
}

/**
 * The item open in a tab's panel, per organization, kept in this browser tab's sessionStorage so a
 * reload keeps it open: `get(orgId)`, `set(orgId, id)`, `delete(orgId)`.
 */
export function remembered(name) {
  const key = (orgId) => `orgkit-demo:${name}:${orgId}`;
  return {
    get: (orgId) => sessionStorage.getItem(key(orgId)),
    set: (orgId, id) => sessionStorage.setItem(key(orgId), id),
    delete: (orgId) => sessionStorage.removeItem(key(orgId)),
  };
}

/** The rows of a list answer: a page (`{ data, nextCursor }`) or an array. */
export const rows = (answer) => (Array.isArray(answer) ? answer : answer?.data ?? []);

/** Every page of a paged list method: `fetch({ limit, after })` until no cursor is left (at most 10 pages). */
export async function allRows(fetch) {
  const all = [];
  let after = null;
  for (let i = 0; i < 10; i += 1) {
    const answer = await fetch(after ? { limit: 100, after } : { limit: 100 });
    all.push(...rows(answer));
    after = Array.isArray(answer) ? null : answer?.nextCursor;
    if (!after) break;
  }
  return all;
}

/** The organization's members as `{ id, name, email }`, by name. */
export async function memberChoices(org) {
  const members = await org.getMemberships();
  return members.map((m) => ({ id: m.publicUserData.userId, name: m.publicUserData.name || m.publicUserData.identifier, email: m.publicUserData.identifier }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
