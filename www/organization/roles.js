// The Roles card of an organization page: the organization's roles (built-ins marked) with their
// permissions, for every member; for holders of org:roles:manage, creating and editing a custom
// role with one checkbox per permission of the catalog (disabled where I lack the permission: no
// one grants what they do not hold), deleting one, and the creator and default role selectors.
import { h, mount, toast, confirmDialog, busy, field, formError, submitting, roleOptions, loadRoles, roleCatalog } from "../ui.js";
import { redrawParts } from "../live.js";

/** "org:billing:manage" → "billing: manage", for a checkbox label. */
const permissionLabel = (key) => key.replace(/^org:/, "").replace(":", ": ");

/** The card (`section`) for `org`; `load` fills it from the catalog, fetched again. */
export function rolesCard(org) {
  const manage = org.can("org:roles:manage");
  const section = h("section", { class: "card", "data-testid": "roles-card" });

  /** Fetches the catalog again and shows it. */
  async function load() {
    render(await loadRoles(org));
  }

  function render(catalog) {
    mount(section,
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Roles"),
        h("p", {}, manage
          ? "Each role is a set of permissions. You can grant only permissions you hold yourself."
          : "Each role is a set of permissions. Changing them needs org:roles:manage."))),
      h("div", { class: "table-wrap" }, h("table", { "data-testid": "roles-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Role"), h("th", {}, "Permissions"), manage ? h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")) : null)),
        h("tbody", {}, catalog.data.map((role) => roleRow(role, catalog))))),
      manage ? roleForm(catalog, null) : null,
      manage ? settingsForm(catalog) : null);
  }

  function roleRow(role, catalog) {
    const actions = manage && !role.builtIn
      ? h("div", { class: "row", style: "gap:.4rem;justify-content:flex-end;flex-wrap:nowrap" },
        h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "edit-role", "aria-label": `Edit ${role.name}`,
          onclick: () => {
            const form = roleForm(catalog, role);
            section.querySelector("[data-testid=role-form]")?.replaceWith(form);
            form.querySelector("input[name=name]").focus();
          } }, "Edit"),
        h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "delete-role", "aria-label": `Delete ${role.name}`,
          onclick: async (e) => {
            const button = e.currentTarget;
            const ok = await confirmDialog({ title: "Delete role?", message: `${role.name} (${role.key}) will no longer exist. Members must not hold it.`, confirmLabel: "Delete role" });
            if (!ok) return;
            await busy(button, async () => {
              await role.destroy();
              toast("success", "Role deleted", `${role.name} is gone.`);
              await load();
              redrawParts();
            }, "Couldn't delete the role");
          } }, "Delete"))
      : null;
    return h("tr", { "data-testid": "role-row", "data-key": role.key },
      h("td", {}, h("strong", {}, role.name), " ", role.builtIn ? h("span", { class: "badge", "data-testid": "built-in-badge" }, "Built-in") : null,
        h("br"), h("code", { class: "muted small" }, role.key), role.description ? h("div", { class: "muted small" }, role.description) : null),
      h("td", { class: "small", "data-testid": "role-permissions" }, role.permissions.length ? role.permissions.join(", ") : h("span", { class: "muted" }, "None")),
      manage ? h("td", { class: "actions" }, actions) : null);
  }

  /** The create form, or the edit form of `role`: one checkbox per permission of the catalog. */
  function roleForm(catalog, role) {
    const err = formError();
    const key = h("input", { id: "role-key", name: "key", autocomplete: "off", spellcheck: "false", placeholder: "billing", "data-testid": "role-key", value: role ? role.key.replace(/^org:/, "") : "", readonly: !!role });
    const name = h("input", { id: "role-name", name: "name", autocomplete: "off", placeholder: "Billing manager", "data-testid": "role-name", value: role?.name ?? "" });
    const description = h("input", { id: "role-description", name: "description", autocomplete: "off", "data-testid": "role-description", value: role?.description ?? "" });
    const boxes = catalog.permissions.map((p) => {
      const held = org.can(p);
      return h("label", { class: `check-row${held ? "" : " muted"}`, title: held ? null : "You don't hold this permission, so you can't grant it." },
        h("input", { type: "checkbox", value: p, checked: !!role?.permissions.includes(p), disabled: !held, "data-testid": "role-permission", "data-permission": p }),
        " ", permissionLabel(p));
    });
    const submit = h("button", { class: "btn", type: "submit", "data-testid": "role-submit" }, role ? "Save role" : "Create role");
    const cancel = role ? h("button", { class: "btn btn-secondary", type: "button", onclick: () => load() }, "Cancel") : null;
    return h("form", { class: "stack-sm", "data-testid": "role-form", novalidate: true, style: "margin-top:1rem", onsubmit: (event) => {
      event.preventDefault();
      const permissions = boxes.map((b) => b.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
      return submitting(err, submit, async () => {
        if (role) {
          await role.update({ name: name.value, description: description.value, permissions });
          toast("success", "Role saved", `${name.value.trim()} holds ${permissions.length} permission${permissions.length === 1 ? "" : "s"}.`);
        } else {
          const made = await org.createRole({ key: `org:${key.value.trim()}`, name: name.value, description: description.value, permissions });
          toast("success", "Role created", `${made.name} (${made.key}) can now be given to members.`);
        }
        // The catalog again, and the parts of the page that name roles (the members card's
        // role pickers) drawn from it. If my own permissions changed with the role, the store
        // sees it and the page is drawn for them (page.js).
        await load();
        redrawParts();
      });
    } },
      h("h3", {}, role ? `Edit ${role.name}` : "New role"),
      h("div", { class: "billing-grid" },
        field("Role key", key, "org:<key>: a-z, 0-9, _ and -.", (c) => h("div", { class: "input-prefix" }, h("span", { "aria-hidden": "true" }, "org:"), c)),
        field("Role name", name), field("Role description", description)),
      h("fieldset", { class: "permission-grid", "data-testid": "role-permissions-fieldset" }, h("legend", {}, "Permissions"), boxes),
      err,
      h("div", { class: "row" }, submit, cancel));
  }

  function settingsForm(catalog) {
    const err = formError();
    const creator = h("select", { id: "creator-role", "data-testid": "creator-role" }, roleOptions(catalog.creatorRole));
    const fallback = h("select", { id: "default-role", "data-testid": "default-role" }, roleOptions(catalog.defaultRole));
    const save = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "save-role-settings" }, "Save role settings");
    return h("form", { class: "stack-sm", novalidate: true, style: "margin-top:1.25rem", onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, save, async () => {
        await org.updateRoleSettings({ creatorRole: creator.value, defaultRole: fallback.value });
        toast("success", "Role settings saved", "");
        await load();
        redrawParts();
      });
    } },
      h("h3", {}, "Role settings"),
      h("div", { class: "billing-grid" },
        field("Creator role", creator, "Given to a new owner when ownership is transferred."),
        field("Default role", fallback, "Given by invitations, invite links, domains and SSO unless another is chosen.")),
      err, h("div", { class: "row" }, save));
  }

  return { section, load, render: () => render(roleCatalog()) };
}
