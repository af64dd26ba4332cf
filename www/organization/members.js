// The members card of an organization page: members 50 at a time ("Show more members") and, for
// admins, a role select and a "Remove" button on each row.
import {
  h, mount, toast, showError, confirmDialog, busy, avatar,
  ROLES, roleLabel, roleWithArticle, roleBadge, fmtDate,
} from "../ui.js";
import { state } from "../context.js";
import { refresh } from "../router.js";

const PAGE = 50;

function memberCount(n, moreExist) {
  return `${n}${moreExist ? "+" : ""} member${n === 1 && !moreExist ? "" : "s"}`;
}

/**
 * The card (`section`, empty until `load` fills it) for `org`. `load` reloads it after a change,
 * and records each loaded member's name in `names` (user id → name) for the activity card.
 */
export function membersCard(org, names = new Map()) {
  const isAdmin = org.can("org:memberships:manage");
  const section = h("section", { class: "card", "data-testid": "members-card" });

  async function load() {
    let page;
    try {
      page = await org.getMembershipsPage({ limit: PAGE });
    } catch (err) {
      if (err?.code === "not_found" || err?.code === "forbidden") return refresh();
      showError("Couldn't load the members", err);
      return;
    }
    const rows = [...page.data];
    const tbody = h("tbody", {});
    const table = h("table", { "data-testid": "members-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Member"), h("th", {}, "Role"), h("th", {}, "Joined"), isAdmin ? h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")) : null)),
      tbody);
    const addRows = (list) => {
      for (const m of list) {
        names.set(m.publicUserData.userId, m.publicUserData.name || m.publicUserData.identifier);
        tbody.append(memberRow(m));
      }
    };
    addRows(rows);
    let cursor = page.nextCursor;
    const more = h("button", { class: "btn btn-secondary btn-sm", type: "button", hidden: !cursor, onclick: (e) => busy(e.currentTarget, async () => {
      const next = await org.getMembershipsPage({ limit: PAGE, after: cursor });
      rows.push(...next.data);
      addRows(next.data);
      cursor = next.nextCursor;
      more.hidden = !cursor;
      count.textContent = memberCount(rows.length, !!cursor);
    }, "Couldn't load more members") }, "Show more members");
    const count = h("p", {}, memberCount(rows.length, !!cursor));
    mount(section,
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Members"), count)),
      h("div", { class: "table-wrap" }, table),
      h("div", { class: "row", style: "margin-top:.75rem;justify-content:center" }, more));
  }

  function roleSelect(m, display, isMe) {
    const options = ROLES.includes(m.role) ? ROLES : [...ROLES, m.role];
    const select = h("select", {
      "aria-label": `Change role of ${display}`, "data-testid": "role-select",
    }, options.map((r) => h("option", { value: r, selected: r === m.role }, roleLabel(r))));
    select.value = m.role;
    select.addEventListener("change", async () => {
      const previous = m.role;
      const next = select.value;
      select.disabled = true;
      try {
        await org.updateRole({ userId: m.publicUserData.userId, role: next });
        toast("success", "Role changed", `${display} is now ${roleWithArticle(next)}.`);
        if (isMe) return refresh();
        await load();
      } catch (err) {
        select.value = previous;
        showError("Couldn't change the role", err);
      } finally {
        if (select.isConnected) select.disabled = false;
      }
    });
    return select;
  }

  function removeButton(person, display, viaSso) {
    return h("button", {
      class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "remove-member",
      "aria-label": `Remove ${display}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        const ok = await confirmDialog({
          title: "Remove member?",
          message: viaSso
            ? `${display} (${person.identifier}) will lose access to ${org.name}. They joined through single sign-on, so they will be added again at their next SSO sign-in: to keep them out, remove them from your identity provider or turn off just-in-time membership.`
            : `${display} (${person.identifier}) will lose access to ${org.name}.`,
          confirmLabel: "Remove member",
        });
        if (!ok) return;
        await busy(button, async () => {
          await org.removeMember(person.userId);
          toast("success", "Member removed", `${display} is no longer a member of ${org.name}.`);
          await load();
        }, "Couldn't remove the member");
      },
    }, "Remove");
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
            message: `${display} keeps their role but loses all access to ${org.name} until you reactivate them.`,
            confirmLabel: "Suspend member",
          });
          if (!ok) return;
        }
        await busy(button, async () => {
          await (suspended ? m.reactivate() : m.suspend());
          toast("success", suspended ? "Member reactivated" : "Member suspended",
            suspended ? `${display} has their access back.` : `${display} has no access until reactivated.`);
          await load();
        }, suspended ? "Couldn't reactivate the member" : "Couldn't suspend the member");
      },
    }, suspended ? "Reactivate" : "Suspend");
  }

  function memberRow(m) {
    const person = m.publicUserData;
    const isMe = person.userId === state.user.id;
    const display = person.name || person.identifier;
    const roleCell = isAdmin ? roleSelect(m, display, isMe) : roleBadge(m.role);
    return h("tr", { "data-testid": "member-row", "data-email": person.identifier, "data-user-id": person.userId, "data-suspended": String(m.suspended) },
      h("td", {}, h("div", { class: "person" }, avatar(display, { small: true }),
        h("div", { class: "person-text" },
          h("span", {}, h("strong", {}, display), " ", isMe ? h("span", { class: "badge badge-you" }, "You") : null,
            m.source === "sso" ? h("span", { class: "badge", "data-testid": "member-source", title: "Joined through single sign-on" }, "SSO") : null,
            m.isOwner ? h("span", { class: "badge badge-owner", "data-testid": "owner-badge" }, "Owner") : null,
            m.suspended ? h("span", { class: "badge badge-suspended", "data-testid": "suspended-badge" }, "Suspended") : null),
          h("small", {}, person.identifier)))),
      h("td", { "data-testid": "member-role", "data-role": m.role }, roleCell),
      h("td", { class: "muted small" }, fmtDate(m.createdAt)),
      isAdmin ? h("td", { class: "actions" }, isMe ? null : h("div", { class: "row", style: "gap:.4rem;justify-content:flex-end" },
        suspendButton(m, display), removeButton(person, display, m.source === "sso"))) : null);
  }

  return { section, load };
}
