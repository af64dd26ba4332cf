// The roster card of an organization page: everyone in one list ordered by address (members,
// pending invitations, requests to join), with status chips (All / Joined / Invited /
// Requested, each shown only to those whose permissions let them see it), a search box (the
// start of a name or address), "Show more", and for admins checkboxes on members with
// "Remove selected", whose per-member outcome is listed under the table.
import { h, mount, toast, showError, confirmDialog, busy, avatar, roleBadge, fmtDate, errorText } from "../ui.js";
import { state } from "../context.js";

const PAGE = 25;
const CHIPS = [
  ["all", "All", null],
  ["joined", "Joined", "org:memberships:read"],
  ["invited", "Invited", "org:invitations:manage"],
  ["requested", "Requested", "org:requests:manage"],
];
const BADGE = { joined: "badge-ok", invited: "badge-pending", requested: "badge-admin" };

/**
 * The card (`section`) for `org`; `load` fills it. A bulk removal goes through the SDK, whose
 * store updates the members card; this card reads its own list again.
 */
export function rosterCard(org) {
  const isAdmin = org.can("org:memberships:manage");
  const chips = CHIPS.filter(([, , perm]) => !perm || org.can(perm));
  let status = "all";
  let query = "";
  let cursor = null;
  const selected = new Set();

  const section = h("section", { class: "card", "data-testid": "roster-card" });
  const tbody = h("tbody", {});
  const results = h("ul", { class: "list roster-results", "data-testid": "bulk-results", hidden: true });
  const count = h("p", { "data-testid": "roster-count" }, "");
  const more = h("button", { class: "btn btn-secondary btn-sm", type: "button", hidden: true, "data-testid": "roster-more",
    onclick: (e) => busy(e.currentTarget, () => fetchPage(false), "Couldn't load more people") }, "Show more");
  const removeSelected = h("button", { class: "btn btn-danger-outline btn-sm", type: "button", disabled: true, "data-testid": "remove-selected",
    onclick: (e) => removeMany(e.currentTarget) }, "Remove selected");
  const search = h("input", { type: "search", placeholder: "Search by name or email", "aria-label": "Search people", "data-testid": "roster-search", autocomplete: "off" });
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { query = search.value.trim(); load(); }, 200);
  });
  const chipBar = h("div", { class: "chips", role: "group", "aria-label": "Show" },
    chips.map(([key, label]) => h("button", { type: "button", class: "chip", "data-testid": `chip-${key}`, "aria-pressed": String(key === status),
      onclick: (e) => {
        status = key;
        for (const b of chipBar.children) b.setAttribute("aria-pressed", String(b === e.currentTarget));
        load();
      } }, label)));

  function syncSelection() {
    removeSelected.disabled = selected.size === 0;
    removeSelected.textContent = selected.size ? `Remove selected (${selected.size})` : "Remove selected";
  }

  function row(p) {
    const display = p.name || p.emailAddress;
    const isMe = p.userId && p.userId === state.user.id;
    const box = isAdmin && p.status === "joined" && !isMe
      ? h("input", { type: "checkbox", "aria-label": `Select ${display}`, "data-testid": "roster-select", checked: selected.has(p.userId),
        onchange: (e) => { e.target.checked ? selected.add(p.userId) : selected.delete(p.userId); syncSelection(); } })
      : null;
    const when = p.status === "invited" ? `expires ${fmtDate(p.expiresAt)}` : fmtDate(p.createdAt);
    return h("tr", { "data-testid": "roster-row", "data-status": p.status, "data-email": p.emailAddress, "data-user-id": p.userId ?? "" },
      isAdmin ? h("td", { class: "check" }, box) : null,
      h("td", {}, h("div", { class: "person" }, avatar(display, { small: true }),
        h("div", { class: "person-text" },
          h("span", {}, h("strong", {}, display), " ", isMe ? h("span", { class: "badge badge-you" }, "You") : null),
          h("small", {}, p.emailAddress)))),
      h("td", {}, h("span", { class: `badge ${BADGE[p.status]}`, "data-testid": "roster-status" }, p.status)),
      h("td", {}, roleBadge(p.role)),
      h("td", { class: "muted small" }, when));
  }

  async function fetchPage(first) {
    const params = { limit: PAGE };
    if (status !== "all") params.status = [status];
    if (query) params.query = query;
    if (!first && cursor) params.after = cursor;
    const page = await org.getRoster(params);
    if (first) tbody.replaceChildren();
    for (const p of page.data) tbody.append(row(p));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    const n = tbody.children.length;
    count.textContent = n === 0 ? "Nobody matches." : `${n}${cursor ? "+" : ""} ${n === 1 && !cursor ? "person" : "people"}`;
  }

  async function load() {
    try {
      await fetchPage(true);
    } catch (err) {
      showError("Couldn't load the roster", err);
    }
  }

  async function removeMany(button) {
    const ids = [...selected];
    const ok = await confirmDialog({
      title: `Remove ${ids.length} member${ids.length === 1 ? "" : "s"}?`,
      message: `They will lose access to ${org.name}. An organization always keeps at least one admin.`,
      confirmLabel: "Remove",
    });
    if (!ok) return;
    await busy(button, async () => {
      const emails = new Map([...tbody.querySelectorAll("tr")].map((tr) => [tr.dataset.userId, tr.dataset.email]));
      const { data } = await org.removeMembers(ids);
      const removed = data.filter((r) => r.removed).length;
      results.replaceChildren(...data.map((r) => h("li", { "data-testid": "bulk-result", "data-removed": String(r.removed) },
        h("span", { class: `badge ${r.removed ? "badge-ok" : "badge-bad"}` }, r.removed ? "removed" : r.error.code),
        h("span", {}, emails.get(r.memberId) ?? r.memberId),
        r.removed ? null : h("span", { class: "muted small" }, errorText(r.error)))));
      results.hidden = false;
      selected.clear();
      syncSelection();
      toast(removed === data.length ? "success" : "error", "Bulk removal",
        `${removed} of ${data.length} removed.`);
      await load();
    }, "Couldn't remove the members");
    // `busy` enables the button again; with nothing selected it stays off.
    syncSelection();
  }

  mount(section,
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "People"), count),
      isAdmin ? removeSelected : null),
    h("div", { class: "row roster-tools" }, chipBar, search),
    h("div", { class: "table-wrap" }, h("table", { "data-testid": "roster-table" },
      h("thead", {}, h("tr", {}, isAdmin ? h("th", { class: "check" }, h("span", { class: "visually-hidden" }, "Select")) : null,
        h("th", {}, "Person"), h("th", {}, "Status"), h("th", {}, "Role"), h("th", {}, "Since"))),
      tbody)),
    h("div", { class: "row", style: "margin-top:.75rem;justify-content:center" }, more),
    results);

  return { section, load };
}
