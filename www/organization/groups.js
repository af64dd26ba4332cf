// The Groups tab: the organization's groups (every member sees them) with their member counts and
// my role in each; holders of org:groups:manage create, rename and delete groups; they and a
// group's managers add people and service accounts to it as members or managers, change their
// group role and remove them. Granting a group a workspace role gives it to all its members.
import { h, mount, toast, showError, confirmDialog, busy, field, formError, submitting, fmtDate } from "../ui.js";
import { GROUP_ROLES, groupRoleLabel, kindLabel, options, principalCell, allRows, memberChoices, remembered } from "./principals.js";

/** The group open in the panel, per organization. */
const selected = remembered("group");

/** The principal fields of a group member call. */
const who = (kind, id) => (kind === "user" ? { userId: id } : { serviceAccountId: id });

/** The tab's content for `org`. */
export async function groupsTab(org) {
  const manageAll = org.can("org:groups:manage");
  const list = h("div", { "data-testid": "group-list" });
  const panel = h("div", { "data-testid": "group-panel-slot" });

  async function load() {
    let groups;
    try {
      groups = await allRows((p) => org.getGroups(p));
    } catch (err) {
      showError("Couldn't load the groups", err);
      return;
    }
    if (!groups.length) {
      mount(list, h("div", { class: "empty", "data-testid": "no-groups" }, h("strong", {}, "No groups yet"),
        manageAll ? "Create one to give several people the same workspace access at once." : "Admins create groups."));
    } else {
      mount(list, h("div", { class: "table-wrap" }, h("table", { "data-testid": "groups-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Group"), h("th", {}, "Members"), h("th", {}, "My role"), h("th", {}, "Created"),
          h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")))),
        h("tbody", {}, groups.map(groupRow)))));
    }
    const open = groups.find((g) => g.id === selected.get(org.id));
    mount(panel, open ? await groupPanel(open) : null);
    panel.hidden = !open;
  }

  function groupRow(group) {
    const isOpen = selected.get(org.id) === group.id;
    return h("tr", { "data-testid": "group-row", "data-id": group.id, "data-name": group.name, class: isOpen ? "selected" : null },
      h("td", {}, h("strong", { "data-testid": "group-name" }, group.name),
        group.description ? h("div", { class: "muted small" }, group.description) : null),
      h("td", { "data-testid": "group-member-count" }, String(group.memberCount)),
      h("td", {}, group.myRole ? h("span", { class: `badge${group.myRole === "manager" ? " badge-admin" : ""}` }, groupRoleLabel(group.myRole)) : h("span", { class: "muted" }, "—")),
      h("td", { class: "small muted" }, fmtDate(group.createdAt)),
      h("td", { class: "actions" }, h("button", {
        class: `btn ${isOpen ? "btn-secondary" : "btn-ghost"} btn-sm`, type: "button", "data-testid": "open-group",
        "aria-label": `Open ${group.name}`, "aria-pressed": String(isOpen),
        onclick: (e) => busy(e.currentTarget, async () => {
          selected.set(org.id, group.id);
          await load();
          panel.scrollIntoView({ block: "nearest" });
        }, "Couldn't open the group"),
      }, isOpen ? "Opened" : "Open")));
  }

  async function groupPanel(group) {
    const canMembers = manageAll || group.myRole === "manager";
    const [members, people, accounts] = await Promise.all([
      allRows((p) => group.getMembers(p)).catch((err) => { showError("Couldn't load the group's members", err); return []; }),
      canMembers ? memberChoices(org).catch(() => []) : [],
      canMembers && org.can("org:memberships:read") ? allRows((p) => org.getServiceAccounts(p)).catch(() => []) : [],
    ]);
    const choices = {
      user: people.map((m) => [m.id, `${m.name} (${m.email})`]),
      service_account: accounts.map((a) => [a.id, a.name]),
    };

    function memberRow(m) {
      const p = m.principal;
      const role = h("select", { "aria-label": `Group role of ${p.name}`, "data-testid": "group-member-role", disabled: !canMembers }, options(GROUP_ROLES, m.role));
      role.addEventListener("change", async () => {
        const done = await busy(role, async () => {
          await group.addMember({ ...who(p.type, p.id), role: role.value });
          toast("success", "Group role changed", `${p.name} is now a ${groupRoleLabel(role.value).toLowerCase()} of ${group.name}.`);
          await load();
          return true;
        }, "Couldn't change the group role");
        if (!done) role.value = m.role;
      });
      return h("tr", { "data-testid": "group-member-row", "data-kind": p.type, "data-principal-id": p.id, "data-role": m.role },
        h("td", {}, principalCell(p)),
        h("td", {}, role),
        h("td", { class: "small muted" }, fmtDate(m.createdAt)),
        h("td", { class: "actions" }, h("button", {
          class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "remove-group-member", "aria-label": `Remove ${p.name} from ${group.name}`,
          disabled: !canMembers,
          onclick: (e) => busy(e.currentTarget, async () => {
            const ok = await confirmDialog({ title: "Remove from the group?", confirmLabel: "Remove",
              message: `${p.name} leaves ${group.name} and loses the workspace access the group gives.` });
            if (!ok) return;
            await group.removeMember(who(p.type, p.id));
            toast("success", "Removed from the group", `${p.name} is no longer in ${group.name}.`);
            await load();
          }, "Couldn't remove the member"),
        }, "Remove")));
    }

    function addForm() {
      const err = formError();
      const kind = h("select", { id: "group-add-kind", "data-testid": "group-add-kind" },
        Object.keys(choices).filter((k) => k === "user" || choices[k].length).map((k) => h("option", { value: k }, kindLabel(k))));
      const pick = h("select", { id: "group-add-principal", "data-testid": "group-add-principal" });
      const fill = () => pick.replaceChildren(...choices[kind.value].map(([value, text]) => h("option", { value }, text)));
      kind.addEventListener("change", fill);
      fill();
      const role = h("select", { id: "group-add-role", "data-testid": "group-add-role" }, options(GROUP_ROLES, "member"));
      const submit = h("button", { class: "btn", type: "submit", "data-testid": "group-add-submit" }, "Add to group");
      return h("form", { novalidate: true, style: "margin-top:1rem", "data-testid": "group-add-form", onsubmit: (event) => {
        event.preventDefault();
        return submitting(err, submit, async () => {
          const text = pick.selectedOptions[0]?.textContent ?? "";
          await group.addMember({ ...who(kind.value, pick.value), role: role.value });
          toast("success", "Added to the group", `${text} is now a ${groupRoleLabel(role.value).toLowerCase()} of ${group.name}.`);
          await load();
        });
      } },
        h("div", { class: "inline-form grant-grid" }, field("Add", kind), field("Who", pick), field("Group role", role), submit),
        h("div", { style: "margin-top:.75rem" }, err));
    }

    function renameForm() {
      const err = formError();
      const name = h("input", { id: "group-rename", autocomplete: "off", value: group.name, "data-testid": "group-rename" });
      const description = h("input", { id: "group-redescribe", autocomplete: "off", value: group.description ?? "", "data-testid": "group-redescribe" });
      const save = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "group-save" }, "Save");
      return h("form", { novalidate: true, style: "margin-top:1.25rem", onsubmit: (event) => {
        event.preventDefault();
        return submitting(err, save, async () => {
          await group.update({ name: name.value, description: description.value });
          toast("success", "Group saved", `${name.value.trim()} is saved.`);
          await load();
        });
      } },
        h("h3", { style: "margin-bottom:.6rem" }, "Name and description"),
        h("div", { class: "inline-form ws-form" }, field("Group name", name), field("Description", description), save),
        h("div", { style: "margin-top:.75rem" }, err));
    }

    const destroy = manageAll ? h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "delete-group", onclick: (e) => busy(e.currentTarget, async () => {
      const ok = await confirmDialog({ title: "Delete this group?", confirmLabel: "Delete group",
        message: `${group.name} is deleted with its memberships and its workspace grants: its members lose the access it gave.` });
      if (!ok) return;
      await group.destroy();
      selected.delete(org.id);
      toast("success", "Group deleted", `${group.name} is gone.`);
      await load();
    }, "Couldn't delete the group") }, "Delete group") : null;

    return h("section", { class: "card", "data-testid": "group-panel", "data-id": group.id },
      h("div", { class: "card-head wrap" },
        h("div", {}, h("h2", { "data-testid": "group-panel-name" }, group.name),
          h("p", {}, group.description || (canMembers ? "Add people and service accounts below." : "Only admins and the group's managers change its members."))),
        h("div", { class: "row", style: "flex-wrap:nowrap" }, destroy,
          h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "close-group", onclick: (e) => busy(e.currentTarget, () => { selected.delete(org.id); return load(); }) }, "Close"))),
      h("h3", { style: "margin-bottom:.6rem" }, "Members"),
      members.length
        ? h("div", { class: "table-wrap" }, h("table", { "data-testid": "group-members-table" },
          h("thead", {}, h("tr", {}, h("th", {}, "Member"), h("th", {}, "Group role"), h("th", {}, "Added"), h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")))),
          h("tbody", {}, members.map(memberRow))))
        : h("div", { class: "empty", "data-testid": "no-group-members" }, h("strong", {}, "No members yet"), "Members get every workspace role the group is given."),
      canMembers ? addForm() : null,
      manageAll ? renameForm() : null);
  }

  function createForm() {
    const err = formError();
    const name = h("input", { id: "group-name", autocomplete: "off", placeholder: "Developers", "data-testid": "group-name-input", disabled: !manageAll });
    const description = h("input", { id: "group-description", autocomplete: "off", placeholder: "Optional", "data-testid": "group-description-input", disabled: !manageAll });
    const create = h("button", { class: "btn", type: "submit", "data-testid": "create-group", disabled: !manageAll,
      title: manageAll ? null : "Creating groups needs org:groups:manage, which your roles don't hold." }, "Create group");
    return h("form", { novalidate: true, "data-testid": "group-form", onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, create, async () => {
        const group = await org.createGroup({ name: name.value, description: description.value });
        toast("success", "Group created", `${group.name} is ready: add its members below.`);
        name.value = "";
        description.value = "";
        selected.set(org.id, group.id);
        await load();
      });
    } },
      h("div", { class: "inline-form ws-form" }, field("Group name", name), field("Description", description), create),
      manageAll ? null : h("p", { class: "muted small", style: "margin-top:.5rem", "data-testid": "group-create-locked" },
        "Creating groups needs the org:groups:manage permission, which your roles don't hold."),
      h("div", { style: "margin-top:.75rem" }, err));
  }

  const section = h("section", { class: "card", "data-testid": "groups-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Groups"),
      h("p", {}, "A group's members, people and service accounts, share every workspace role the group is given."))),
    createForm(),
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Groups"),
    list);
  await load();
  return h("div", { class: "stack" }, section, panel);
}
