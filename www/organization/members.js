// The members card of an organization page, drawn from the SDK's store (the kept `memberships`
// list, 50 at a time, "Show more members" its `fetchNext`): every role each member holds and, for
// those whose permissions allow it (the snapshot's `kit.has`), a select of the primary role, a
// "Roles" panel that gives several (one checkbox per role of the catalog), and the "Suspend" and
// "Remove" buttons on each row. Every change goes through the SDK, which updates the list: the
// card refetches nothing itself, and what other admins change shows at the store's next
// revalidation.
import {
  h, mount, toast, confirmDialog, busy, avatar, errorText,
  roleOptions, roleKeys, roleLabel, roleWithArticle, roleBadge, fmtDate,
} from "../ui.js";
import { kit, state } from "../context.js";
import { live } from "../live.js";

const PAGE = 50;

function memberCount(n, moreExist) {
  return `${n}${moreExist ? "+" : ""} member${n === 1 && !moreExist ? "" : "s"}`;
}

/** What a member's row shows: the row is drawn again only when this changes. */
function rowKey(m, manage) {
  const p = m.publicUserData;
  return JSON.stringify([manage, p.name, p.identifier, m.roles, m.roles.map(roleLabel), roleKeys(), m.source, m.isOwner, m.suspended, +m.createdAt]);
}

/**
 * The card (`section`, empty until `load` fills it) for `org`, which the page made the store's
 * active organization. Records each member's name in `names` (user id → name), for the
 * activity card.
 */
export function membersCard(org, names = new Map()) {
  const section = h("section", { class: "card", "data-testid": "members-card" });
  /** The rows drawn, by membership id: `{ key, row }`. */
  const drawn = new Map();
  /** The latest membership of each id: a row's buttons act on the member as the store last read them. */
  const latest = new Map();
  let frame = null;

  async function load() {
    const part = await live({ memberships: { pageSize: PAGE } }, draw, { ready: (snap) => snap.organization?.id === org.id });
    mount(section, part);
  }

  /** The card's content for `snap`: the same node while nothing it shows changed. */
  function draw(snap) {
    const list = snap.organization?.id === org.id ? snap.memberships : null;
    if (!list || list.isLoading) return frame?.root ?? h("p", { class: "muted small" }, "Loading…");
    if (list.error && !list.data.length) return h("p", { class: "muted small", role: "alert" }, `Couldn't load the members: ${errorText(list.error)}`);
    const manage = kit.has("org:memberships:manage");
    if (frame?.manage !== manage) frame = cardFrame(manage);
    latest.clear();
    const rows = list.data.map((m) => {
      const person = m.publicUserData;
      names.set(person.userId, person.name || person.identifier);
      latest.set(m.id, m);
      const key = rowKey(m, manage);
      let seen = drawn.get(m.id);
      if (seen?.key !== key) drawn.set(m.id, seen = { key, row: memberRow(m, manage) });
      return seen.row;
    });
    for (const id of [...drawn.keys()]) if (!latest.has(id)) drawn.delete(id);
    // Rows already in place stay where they are (a select keeps its focus).
    rows.forEach((row, i) => {
      if (frame.tbody.children[i] !== row) frame.tbody.insertBefore(row, frame.tbody.children[i] ?? null);
    });
    while (frame.tbody.children.length > rows.length) frame.tbody.lastElementChild.remove();
    frame.count.textContent = memberCount(rows.length, list.hasNextPage);
    frame.more.hidden = !list.hasNextPage;
    frame.error.hidden = !list.error;
    frame.error.textContent = list.error ? `Couldn't load more members: ${errorText(list.error)}` : "";
    frame.list = list;
    return frame.root;
  }

  /** The card's frame: head, table and "Show more members", filled by `draw`. */
  function cardFrame(manage) {
    const f = { manage, list: null };
    f.tbody = h("tbody", {});
    f.count = h("p", {});
    f.error = h("p", { class: "muted small", role: "alert", hidden: true });
    f.more = h("button", {
      class: "btn btn-secondary btn-sm", type: "button", hidden: true, "data-testid": "more-members",
      onclick: (e) => busy(e.currentTarget, () => f.list?.fetchNext(), "Couldn't load more members"),
    }, "Show more members");
    f.root = h("div", {},
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Members"), f.count)),
      h("div", { class: "table-wrap" }, h("table", { "data-testid": "members-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Member"), h("th", {}, "Role"), h("th", {}, "Joined"),
          manage ? h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")) : null)),
        f.tbody)),
      f.error,
      h("div", { class: "row", style: "margin-top:.75rem;justify-content:center" }, f.more));
    return f;
  }

  /** The member `m` as the store last read them (their organization is the store's). */
  const current = (m) => latest.get(m.id) ?? m;
  /** The organization's name as the store last read it (another admin may have renamed it). */
  const orgName = () => {
    const mine = kit.getSnapshot().organization;
    return mine?.id === org.id ? mine.name : org.name;
  };

  /** Gives `m` the roles `roles` (the first primary): one role through `updateRole`, several through `updateMember`. */
  function setRoles(m, roles) {
    const userId = m.publicUserData.userId;
    const at = current(m).organization;
    return roles.length === 1 ? at.updateRole({ userId, role: roles[0] }) : at.updateMember({ userId, roles });
  }

  function roleSelect(m, display) {
    const select = h("select", {
      "aria-label": `Change role of ${display}`, "data-testid": "role-select",
    }, roleOptions(m.role));
    select.value = m.role;
    select.addEventListener("change", async () => {
      const previous = m.role;
      const next = select.value;
      select.disabled = true;
      // The select changes the primary role; the others stay.
      const done = await busy(null, async () => {
        await setRoles(m, [next, ...current(m).roles.slice(1).filter((r) => r !== next)]);
        toast("success", "Role changed", `${display} is now ${roleWithArticle(next)}.`);
        return true;
      }, "Couldn't change the role");
      if (!done) select.value = previous;
      if (select.isConnected) select.disabled = false;
    });
    return select;
  }

  function removeButton(m, display) {
    const person = m.publicUserData;
    const viaSso = m.source === "sso";
    return h("button", {
      class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "remove-member",
      "aria-label": `Remove ${display}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        const ok = await confirmDialog({
          title: "Remove member?",
          message: viaSso
            ? `${display} (${person.identifier}) will lose access to ${orgName()}. They joined through single sign-on, so they will be added again at their next SSO sign-in: to keep them out, remove them from your identity provider or turn off just-in-time membership.`
            : `${display} (${person.identifier}) will lose access to ${orgName()}.`,
          confirmLabel: "Remove member",
        });
        if (!ok) return;
        await busy(button, async () => {
          await current(m).organization.removeMember(person.userId);
          toast("success", "Member removed", `${display} is no longer a member of ${orgName()}.`);
        }, "Couldn't remove the member");
      },
    }, "Remove");
  }

  /** The "Roles" panel: a checkbox per role of the catalog; saving gives every checked one, the primary kept first. */
  function rolesPanel(m, display) {
    const boxes = roleKeys().map((key) => h("input", {
      type: "checkbox", value: key, checked: m.roles.includes(key), "data-testid": "member-role-option", "aria-label": `${roleLabel(key)} for ${display}`,
    }));
    const save = h("button", { class: "btn btn-sm", type: "button", "data-testid": "save-member-roles", onclick: (e) => busy(e.currentTarget, async () => {
      const checked = boxes.filter((b) => b.checked).map((b) => b.value);
      const held = current(m).roles;
      const roles = [...held.filter((r) => checked.includes(r)), ...checked.filter((r) => !held.includes(r))];
      await setRoles(m, roles);
      toast("success", "Roles changed", `${display} now holds ${roles.map(roleLabel).join(", ")}.`);
    }, "Couldn't change the roles") }, "Save roles");
    return h("details", { class: "roles-panel", "data-testid": "member-roles-panel" },
      h("summary", { "aria-label": `Roles of ${display}` }, "Roles"),
      h("div", { class: "stack-sm" }, boxes.map((box, i) => h("label", { class: "check-row" }, box, " ", roleLabel(roleKeys()[i]))), save));
  }

  /** Suspend or Reactivate: the member keeps their role either way. */
  function suspendButton(m, display) {
    const suspended = m.suspended;
    return h("button", {
      class: "btn btn-secondary btn-sm", type: "button", "data-testid": suspended ? "reactivate-member" : "suspend-member",
      "aria-label": `${suspended ? "Reactivate" : "Suspend"} ${display}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        if (!suspended) {
          const ok = await confirmDialog({
            title: "Suspend member?",
            message: `${display} keeps their role but loses all access to ${orgName()} until you reactivate them.`,
            confirmLabel: "Suspend member",
          });
          if (!ok) return;
        }
        await busy(button, async () => {
          const now = current(m);
          await (suspended ? now.reactivate() : now.suspend());
          toast("success", suspended ? "Member reactivated" : "Member suspended",
            suspended ? `${display} has their access back.` : `${display} has no access until reactivated.`);
        }, suspended ? "Couldn't reactivate the member" : "Couldn't suspend the member");
      },
    }, suspended ? "Reactivate" : "Suspend");
  }

  function memberRow(m, manage) {
    const person = m.publicUserData;
    const isMe = person.userId === state.user.id;
    const display = person.name || person.identifier;
    const others = m.roles.slice(1).map(roleBadge);
    const roleCell = manage
      ? h("div", { class: "row", style: "gap:.35rem" }, roleSelect(m, display), others, rolesPanel(m, display))
      : h("div", { class: "row", style: "gap:.35rem" }, m.roles.map(roleBadge));
    return h("tr", { "data-testid": "member-row", "data-email": person.identifier, "data-user-id": person.userId, "data-suspended": String(m.suspended) },
      h("td", {}, h("div", { class: "person" }, avatar(display, { small: true }),
        h("div", { class: "person-text" },
          h("span", {}, h("strong", {}, display), " ", isMe ? h("span", { class: "badge badge-you" }, "You") : null,
            m.source === "sso" ? h("span", { class: "badge", "data-testid": "member-source", title: "Joined through single sign-on" }, "SSO") : null,
            m.isOwner ? h("span", { class: "badge badge-owner", "data-testid": "owner-badge" }, "Owner") : null,
            m.suspended ? h("span", { class: "badge badge-suspended", "data-testid": "suspended-badge" }, "Suspended") : null),
          h("small", {}, person.identifier)))),
      h("td", { "data-testid": "member-role", "data-role": m.role, "data-roles": m.roles.join(" ") }, roleCell),
      h("td", { class: "muted small" }, fmtDate(m.createdAt)),
      manage ? h("td", { class: "actions" }, isMe ? null : h("div", { class: "row", style: "gap:.4rem;justify-content:flex-end" },
        suspendButton(m, display), removeButton(m, display))) : null);
  }

  return { section, load };
}
