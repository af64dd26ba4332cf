// The selected workspace's panel on the Workspaces tab: who has access (people, groups and service
// accounts with their workspace role; managers only), granting a person, a group or a service
// account a role, changing or removing a grant, archiving and restoring, and a member's effective
// access with where it comes from. Buttons the SDK would refuse are disabled, from the Workspace
// object's own fields (myRole, archived, personal).
import { h, toast, showError, confirmDialog, busy, field, formError, submitting, fmtDate } from "../ui.js";
import { state } from "../context.js";
import { WS_ROLES, wsRoleLabel, viaLabel, kindLabel, options, principalCell, allRows, memberChoices } from "./principals.js";

/** Grants `kind`/`id` the workspace role `role` (or changes its role). */
function grant(ws, kind, id, role) {
  if (kind === "user") return ws.addMember({ userId: id, role });
  if (kind === "group") return ws.addGroup({ groupId: id, role });
  return ws.addServiceAccount({ serviceAccountId: id, role });
}

/** Takes `principal`'s grant away. */
const revoke = (ws, principal) => ws.removePrincipal({ type: principal.type, id: principal.id });

/** Why a grant would be refused, in words, or null when I may grant. */
function grantLock(ws) {
  if (ws.myRole !== "ws:manager") return "Only the workspace's managers change who has access.";
  if (ws.personal) return "A personal workspace belongs to one person and can't be shared.";
  if (ws.archived) return "This workspace is archived: restore it before giving anyone access.";
  return null;
}

/** The panel (a card) for `ws`; `onChanged` reloads the tab, `onClose` closes the panel. */
export async function workspacePanel(org, ws, { onChanged, onClose }) {
  const manager = ws.myRole === "ws:manager";
  const lock = grantLock(ws);
  const [members, groups, accounts, grants] = await Promise.all([
    memberChoices(org).catch(() => []),
    allRows((p) => org.getGroups(p)).catch(() => []),
    org.can("org:memberships:read") ? allRows((p) => org.getServiceAccounts(p)).catch(() => []) : [],
    manager ? allRows((p) => ws.getMembers(p)).catch((err) => { showError("Couldn't load who has access", err); return []; }) : [],
  ]);
  const choices = {
    user: members.map((m) => [m.id, `${m.name} (${m.email})`]),
    group: groups.map((g) => [g.id, g.name]),
    service_account: accounts.map((a) => [a.id, a.name]),
  };

  const archive = h("button", {
    class: `btn ${ws.archived ? "btn-secondary" : "btn-danger-outline"} btn-sm`, type: "button",
    "data-testid": ws.archived ? "unarchive-workspace" : "archive-workspace", disabled: !manager || ws.personal,
    title: manager ? null : "Only the workspace's managers archive it.",
    onclick: (e) => busy(e.currentTarget, async () => {
      if (ws.archived) {
        await ws.unarchive();
        toast("success", "Workspace restored", `${ws.name} is in use again.`);
      } else {
        const ok = await confirmDialog({ title: "Archive this workspace?", confirmLabel: "Archive workspace",
          message: `${ws.name} is kept, but only its managers still reach it, and no one new gets access until it is restored.` });
        if (!ok) return;
        await ws.archive();
        toast("success", "Workspace archived", `Only ${ws.name}'s managers reach it now.`);
      }
      await onChanged();
    }, ws.archived ? "Couldn't restore the workspace" : "Couldn't archive the workspace"),
  }, ws.archived ? "Restore" : "Archive");

  return h("section", { class: "card", "data-testid": "workspace-panel", "data-id": ws.id },
    h("div", { class: "card-head wrap" },
      h("div", {},
        h("h2", { "data-testid": "workspace-panel-name" }, ws.name, " ",
          ws.personal ? h("span", { class: "badge" }, "Personal") : null, " ",
          ws.archived ? h("span", { class: "badge badge-suspended" }, "Archived") : null),
        h("p", {}, h("code", {}, `/${ws.slug}`), ` · created ${fmtDate(ws.createdAt)} · you are `,
          h("strong", { "data-testid": "workspace-panel-role" }, ws.myRole ? wsRoleLabel(ws.myRole).toLowerCase() : "not a member"),
          ws.myAccessVia ? ` (${viaLabel(ws.myAccessVia)})` : "")),
      h("div", { class: "row", style: "flex-wrap:nowrap" }, ws.personal ? null : archive,
        h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "close-workspace", onclick: (e) => busy(e.currentTarget, onClose) }, "Close"))),
    h("h3", { style: "margin-bottom:.6rem" }, "Who has access"),
    manager ? grantsTable() : h("p", { class: "muted small", "data-testid": "grants-hidden" }, "Only the workspace's managers see who has access."),
    // A personal workspace is shared with no one: no grant form at all.
    ws.personal ? null : grantForm(),
    accessForm());

  function grantsTable() {
    if (!grants.length) {
      return h("div", { class: "empty", "data-testid": "no-grants" }, h("strong", {}, "No grants yet"),
        ws.personal ? "A personal workspace is its owner's alone and can't be shared." : "Organization admins manage every workspace; give others access below.");
    }
    return h("div", { class: "table-wrap" }, h("table", { "data-testid": "grants-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Principal"), h("th", {}, "Role"), h("th", {}, "Since"), h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")))),
      h("tbody", {}, grants.map(grantRow))));
  }

  function grantRow(g) {
    const p = g.principal;
    const role = h("select", { "aria-label": `Workspace role of ${p.name}`, "data-testid": "grant-role", disabled: !!lock }, options(WS_ROLES, g.role));
    role.addEventListener("change", async () => {
      const done = await busy(role, async () => {
        await grant(ws, p.type, p.id, role.value);
        toast("success", "Role changed", `${p.name} is now a workspace ${wsRoleLabel(role.value).toLowerCase()}.`);
        await onChanged();
        return true;
      }, "Couldn't change the role");
      if (!done) role.value = g.role;
    });
    return h("tr", { "data-testid": "grant-row", "data-kind": p.type, "data-principal-id": p.id, "data-role": g.role },
      h("td", {}, principalCell(p)),
      h("td", {}, role),
      h("td", { class: "small muted" }, fmtDate(g.createdAt)),
      h("td", { class: "actions" }, h("button", {
        class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "remove-grant", "aria-label": `Remove ${p.name}'s access`,
        disabled: !manager,
        onclick: (e) => busy(e.currentTarget, async () => {
          const ok = await confirmDialog({ title: "Remove this access?", confirmLabel: "Remove access",
            message: `${kindLabel(p.type)} ${p.name} loses this grant to ${ws.name}. Access through a group or as an admin stays.` });
          if (!ok) return;
          await revoke(ws, p);
          toast("success", "Access removed", `${p.name} no longer has this grant.`);
          await onChanged();
        }, "Couldn't remove the access"),
      }, "Remove")));
  }

  function grantForm() {
    const err = formError();
    const kind = h("select", { id: "grant-kind", "data-testid": "grant-kind", disabled: !!lock },
      Object.keys(choices).filter((k) => k !== "service_account" || choices.service_account.length)
        .map((k) => h("option", { value: k }, kindLabel(k))));
    const who = h("select", { id: "grant-principal", "data-testid": "grant-principal", disabled: !!lock });
    const fill = () => {
      who.replaceChildren(...choices[kind.value].map(([value, text]) => h("option", { value }, text)));
      if (!choices[kind.value].length) who.append(h("option", { value: "", disabled: true, selected: true }, `No ${kindLabel(kind.value).toLowerCase()}s yet`));
    };
    kind.addEventListener("change", fill);
    fill();
    const role = h("select", { id: "grant-role-new", "data-testid": "grant-role-new", disabled: !!lock }, options(WS_ROLES, "ws:member"));
    const submit = h("button", { class: "btn", type: "submit", "data-testid": "grant-submit", disabled: !!lock, title: lock }, "Give access");
    return h("form", { novalidate: true, style: "margin-top:1rem", "data-testid": "grant-form", onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, submit, async () => {
        const text = who.selectedOptions[0]?.textContent ?? "";
        await grant(ws, kind.value, who.value, role.value);
        toast("success", "Access given", `${text} is now a workspace ${wsRoleLabel(role.value).toLowerCase()}.`);
        await onChanged();
      });
    } },
      h("div", { class: "inline-form grant-grid" },
        field("Give access to", kind), field("Who", who), field("Workspace role", role), submit),
      lock ? h("p", { class: "muted small", style: "margin-top:.5rem", "data-testid": "grant-locked" }, lock) : null,
      h("div", { style: "margin-top:.75rem" }, err));
  }

  function accessForm() {
    const me = state.user?.id;
    const pick = manager ? members : members.filter((m) => m.id === me);
    const who = h("select", { id: "access-user", "data-testid": "access-user", disabled: !manager },
      pick.map((m) => h("option", { value: m.id, selected: m.id === me }, `${m.name} (${m.email})`)));
    const result = h("p", { class: "small", "data-testid": "access-result", "aria-live": "polite" });
    const check = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "access-check", disabled: !pick.length }, "Show effective access");
    return h("form", { novalidate: true, style: "margin-top:1.25rem", onsubmit: (event) => {
      event.preventDefault();
      return busy(check, async () => {
        const access = await ws.getAccess(who.value);
        const name = who.selectedOptions[0]?.textContent ?? "";
        result.dataset.role = access.role ?? "";
        result.dataset.via = access.via ?? "";
        result.replaceChildren(access.role
          ? h("span", {}, h("strong", {}, name), " is a workspace ", h("strong", {}, wsRoleLabel(access.role).toLowerCase()), ` (${viaLabel(access.via)}).`)
          : h("span", {}, h("strong", {}, name), " has no access to this workspace."));
      }, "Couldn't read the access");
    } },
      h("h3", { style: "margin-bottom:.6rem" }, "Effective access"),
      h("p", { class: "muted small", style: "margin-bottom:.6rem" }, manager
        ? "The role a member ends up with, from their own grant, their groups, or being an organization admin."
        : "Your own role here, and where it comes from. Managers can check anyone's."),
      h("div", { class: "inline-form access-grid" }, field("Member", who), check),
      result);
  }
}
