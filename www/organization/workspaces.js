// The Workspaces tab: the workspaces I can reach, with my role in each and where it comes from
// (a direct grant, a group, the organization's workspace managers, my personal workspace), the
// form that creates a shared one (holders of org:workspaces:manage), "My personal workspace", and
// the selected workspace's panel (workspace_panel.js).
import { h, mount, toast, showError, busy, field, formError, submitting, slugPrefix, fmtDate } from "../ui.js";
import { wsRoleLabel, viaLabel, rows, remembered } from "./principals.js";
import { workspacePanel } from "./workspace_panel.js";

const PAGE = 50;
/** The workspace open in the panel, per organization, so a refresh keeps it open. */
const selected = remembered("workspace");

/** The tab's content for `org`. */
export async function workspacesTab(org) {
  const canCreate = org.can("org:workspaces:manage");
  const list = h("div", { "data-testid": "workspace-list" });
  const panel = h("div", { "data-testid": "workspace-panel-slot" });
  let after = null;

  async function load() {
    let page;
    try {
      page = await org.getWorkspaces({ limit: PAGE });
    } catch (err) {
      showError("Couldn't load the workspaces", err);
      return;
    }
    after = page?.nextCursor ?? null;
    const items = rows(page);
    if (!items.length) {
      mount(list, h("div", { class: "empty", "data-testid": "no-workspaces" }, h("strong", {}, "No workspaces yet"),
        canCreate ? "Create one above, or open your personal workspace." : "Open your personal workspace, or ask an admin to give you access to one."));
    } else {
      const tbody = h("tbody", {}, items.map(workspaceRow));
      mount(list, h("div", { class: "table-wrap" }, h("table", { "data-testid": "workspaces-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Workspace"), h("th", {}, "My role"), h("th", {}, "Access"), h("th", {}, "Created"),
          h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")))),
        tbody)), more(tbody));
    }
    const open = items.find((w) => w.id === selected.get(org.id));
    if (open) await show(open);
    else mount(panel);
    panel.hidden = !open;
  }

  function more(tbody) {
    if (!after) return null;
    return h("div", { class: "row", style: "margin-top:.75rem;justify-content:center" },
      h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "workspaces-more", onclick: (e) => {
        const button = e.currentTarget;
        return busy(button, async () => {
          const page = await org.getWorkspaces({ limit: PAGE, after });
          after = page?.nextCursor ?? null;
          tbody.append(...rows(page).map(workspaceRow));
          if (!after) button.remove();
        }, "Couldn't load more workspaces");
      } }, "Show more workspaces"));
  }

  function workspaceRow(ws) {
    const isOpen = selected.get(org.id) === ws.id;
    return h("tr", { "data-testid": "workspace-row", "data-id": ws.id, "data-slug": ws.slug, "data-role": ws.myRole ?? "", "data-via": ws.myAccessVia ?? "", class: isOpen ? "selected" : null },
      h("td", {},
        h("strong", { "data-testid": "workspace-name" }, ws.name), " ",
        ws.personal ? h("span", { class: "badge", "data-testid": "personal-badge" }, "Personal") : null, " ",
        ws.archived ? h("span", { class: "badge badge-suspended", "data-testid": "archived-badge" }, "Archived") : null,
        h("br"), h("code", { class: "muted small" }, `/${ws.slug}`)),
      h("td", {}, ws.myRole ? h("span", { class: `badge${ws.myRole === "ws:manager" ? " badge-admin" : ""}`, "data-testid": "workspace-my-role" }, wsRoleLabel(ws.myRole)) : h("span", { class: "muted" }, "None")),
      h("td", { class: "small", "data-testid": "workspace-via" }, ws.myAccessVia ? viaLabel(ws.myAccessVia) : ""),
      h("td", { class: "small muted" }, fmtDate(ws.createdAt)),
      h("td", { class: "actions" }, h("button", {
        class: `btn ${isOpen ? "btn-secondary" : "btn-ghost"} btn-sm`, type: "button", "data-testid": "open-workspace",
        "aria-label": `Open ${ws.name}`, "aria-pressed": String(isOpen),
        onclick: (e) => busy(e.currentTarget, async () => {
          selected.set(org.id, ws.id);
          await load();
          panel.scrollIntoView({ block: "nearest" });
        }, "Couldn't open the workspace"),
      }, isOpen ? "Opened" : "Open")));
  }

  async function show(ws) {
    const card = await workspacePanel(org, ws, { onChanged: load, onClose: () => { selected.delete(org.id); return load(); } });
    mount(panel, card);
  }

  function createForm() {
    const err = formError();
    const name = h("input", { id: "workspace-name", name: "name", autocomplete: "off", placeholder: "Production", "data-testid": "workspace-name-input", disabled: !canCreate });
    const slug = h("input", { id: "workspace-slug", name: "slug", autocomplete: "off", spellcheck: "false", placeholder: "made from the name", "data-testid": "workspace-slug-input", disabled: !canCreate });
    const create = h("button", { class: "btn", type: "submit", "data-testid": "create-workspace", disabled: !canCreate,
      title: canCreate ? null : "Creating workspaces needs org:workspaces:manage, which your roles don't hold." }, "Create workspace");
    return h("form", { novalidate: true, "data-testid": "workspace-form", onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, create, async () => {
        const params = { name: name.value };
        if (slug.value.trim()) params.slug = slug.value.trim();
        const ws = await org.createWorkspace(params);
        toast("success", "Workspace created", `${ws.name} (/${ws.slug}) is ready. Give people or groups access below.`);
        name.value = "";
        slug.value = "";
        selected.set(org.id, ws.id);
        await load();
      });
    } },
      h("div", { class: "inline-form ws-form" },
        field("Workspace name", name),
        field("Slug (optional)", slug, null, slugPrefix),
        create),
      canCreate ? null : h("p", { class: "muted small", style: "margin-top:.5rem", "data-testid": "workspace-create-locked" },
        "Creating shared workspaces needs the org:workspaces:manage permission, which your roles don't hold."),
      h("div", { style: "margin-top:.75rem" }, err));
  }

  const personal = h("button", { class: "btn btn-secondary", type: "button", "data-testid": "personal-workspace", onclick: (e) => busy(e.currentTarget, async () => {
    const ws = await org.getPersonalWorkspace();
    selected.set(org.id, ws.id);
    toast("success", "Your personal workspace", `${ws.name} is yours alone: you manage it, and it can't be shared.`);
    await load();
    panel.scrollIntoView({ block: "nearest" });
  }, "Couldn't open your personal workspace") }, "My personal workspace");

  const section = h("section", { class: "card", "data-testid": "workspaces-card" },
    h("div", { class: "card-head wrap" },
      h("div", {}, h("h2", {}, "Workspaces"),
        h("p", {}, "Workspaces group the organization's work. People reach one by a grant, through a group, or as organization admins.")),
      personal),
    createForm(),
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Workspaces you can reach"),
    list);
  await load();
  return h("div", { class: "stack" }, section, panel);
}
