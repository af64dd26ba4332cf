// The members card of an organization page: members 50 at a time ("Show more members") with every
// role each holds and, for admins, a select of the primary role, a "Roles" panel that gives
// several (one checkbox per role of the catalog), and the "Remove" button on each row.
import {
  h, mount, toast, showError, confirmDialog, busy, avatar,
  roleOptions, roleKeys, roleLabel, roleWithArticle, roleBadge, fmtDate,
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

  /** Gives `m` the roles `roles` (the first primary): one role through `updateRole`, several through `updateMember`. */
  function setRoles(m, roles) {
    const userId = m.publicUserData.userId;
    return roles.length === 1 ? org.updateRole({ userId, role: roles[0] }) : org.updateMember({ userId, roles });
  }

  function roleSelect(m, display, isMe) {
    const select = h("select", {
      "aria-label": `Change role of ${display}`, "data-testid": "role-select",
    }, roleOptions(m.role));
    select.value = m.role;
    select.addEventListener("change", async () => {
      const previous = m.role;
      const next = select.value;
      select.disabled = true;
      try {
        // The select changes the primary role; the others stay.
        await setRoles(m, [next, ...m.roles.slice(1).filter((r) => r !== next)]);
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

  /** The "Roles" panel: a checkbox per role of the catalog; saving gives every checked one, the primary kept first. */
  function rolesPanel(m, display, isMe) {
    const boxes = roleKeys().map((key) => h("input", {
      type: "checkbox", value: key, checked: m.roles.includes(key), "data-testid": "member-role-option", "aria-label": `${roleLabel(key)} for ${display}`,
    }));
    const save = h("button", { class: "btn btn-sm", type: "button", "data-testid": "save-member-roles", onclick: (e) => busy(e.currentTarget, async () => {
      const checked = boxes.filter((b) => b.checked).map((b) => b.value);
      const roles = [...m.roles.filter((r) => checked.includes(r)), ...checked.filter((r) => !m.roles.includes(r))];
      await setRoles(m, roles);
      toast("success", "Roles changed", `${display} now holds ${roles.map(roleLabel).join(", ")}.`);
      if (isMe) return refresh();
      await load();
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
    const others = m.roles.slice(1).map(roleBadge);
    const roleCell = isAdmin
      ? h("div", { class: "row", style: "gap:.35rem" }, roleSelect(m, display, isMe), others, rolesPanel(m, display, isMe))
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
      isAdmin ? h("td", { class: "actions" }, isMe ? null : h("div", { class: "row", style: "gap:.4rem;justify-content:flex-end" },
        suspendButton(m, display), removeButton(person, display, m.source === "sso"))) : null);
  }

  return { section, load };
}
