// The Service accounts & API keys tab: the organization's service accounts (holders of
// org:memberships:read see them), each with its organization role; holders of
// org:service_accounts:manage create one with a role they could grant and delete one; a selected
// account's API keys, with the create-key form (its secret shown once) and Revoke. Then
// "My API keys" and, for holders of org:api_keys:manage, the API key policy (api_keys.js).
import { h, mount, toast, showError, confirmDialog, busy, field, formError, submitting, fmtDate, roleCatalog, roleLabel, roleBadge, defaultRole } from "../ui.js";
import { allRows, remembered } from "./principals.js";
import { readPolicy, policyPart, mayCreateKey, keyLock, secretBox, keyForm, keysTable, myKeysCard, policyCard } from "./api_keys.js";

/** The service account open in the panel, per organization. */
const selected = remembered("service-account");

/** The roles of the catalog I could grant (the rule book's escalation guard, `org.canGrant`). */
const grantableRoles = (org) => roleCatalog().data.filter((r) => org.canGrant(r.key));

/** The tab's content for `org`. */
export async function serviceAccountsTab(org) {
  let policy = "admins";
  try {
    policy = await readPolicy(org);
  } catch (err) {
    showError("Couldn't read the API key policy", err);
  }
  const cards = [];
  if (org.can("org:memberships:read")) cards.push(await accountsCard(org, policy));
  cards.push(await myKeysCard(org, policy));
  if (org.can("org:api_keys:manage")) cards.push(policyCard(org, policy));
  return h("div", { class: "stack" }, cards);
}

async function accountsCard(org, policy) {
  const manage = org.can("org:service_accounts:manage");
  // A service account's keys are read with org:api_keys:manage or org:service_accounts:manage.
  const seeKeys = manage || org.can("org:api_keys:manage");
  const list = h("div", { "data-testid": "service-account-list" });
  const panel = h("div", { "data-testid": "service-account-panel-slot" });

  async function load() {
    let accounts;
    try {
      accounts = await allRows((p) => org.getServiceAccounts(p));
    } catch (err) {
      showError("Couldn't load the service accounts", err);
      return;
    }
    mount(list, accounts.length
      ? h("div", { class: "table-wrap" }, h("table", { "data-testid": "service-accounts-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Service account"), h("th", {}, "Role"), h("th", {}, "Created"), h("th", { class: "actions" }, h("span", { class: "visually-hidden" }, "Actions")))),
        h("tbody", {}, accounts.map(accountRow))))
      : h("div", { class: "empty", "data-testid": "no-service-accounts" }, h("strong", {}, "No service accounts yet"),
        "A service account is a member that is a program: it has a role and API keys, and no password."));
    const open = seeKeys ? accounts.find((a) => a.id === selected.get(org.id)) : null;
    mount(panel, open ? await accountPanel(open) : null);
    panel.hidden = !open;
  }

  function accountRow(account) {
    const isOpen = selected.get(org.id) === account.id;
    return h("tr", { "data-testid": "service-account-row", "data-id": account.id, "data-name": account.name, class: isOpen ? "selected" : null },
      h("td", {}, h("strong", { "data-testid": "service-account-name" }, account.name),
        account.description ? h("div", { class: "muted small" }, account.description) : null),
      h("td", { "data-testid": "service-account-role", "data-role": account.role }, roleBadge(account.role)),
      h("td", { class: "small muted" }, fmtDate(account.createdAt)),
      h("td", { class: "actions" }, h("div", { class: "row", style: "gap:.4rem;justify-content:flex-end;flex-wrap:nowrap" },
        h("button", { class: `btn ${isOpen ? "btn-secondary" : "btn-ghost"} btn-sm`, type: "button", "data-testid": "open-service-account",
          "aria-label": `API keys of ${account.name}`, "aria-pressed": String(isOpen), disabled: !seeKeys,
          title: seeKeys ? null : "A service account's keys need org:service_accounts:manage or org:api_keys:manage.",
          onclick: (e) => busy(e.currentTarget, async () => {
            selected.set(org.id, account.id);
            await load();
            panel.scrollIntoView({ block: "nearest" });
          }, "Couldn't open the service account") }, "API keys"),
        h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "delete-service-account", "aria-label": `Delete ${account.name}`,
          disabled: !manage, title: manage ? null : "Deleting service accounts needs org:service_accounts:manage.",
          onclick: (e) => busy(e.currentTarget, async () => {
            const ok = await confirmDialog({ title: "Delete this service account?", confirmLabel: "Delete service account",
              message: `${account.name} is deleted: its API keys are revoked at once, and its workspace grants and group memberships go with it.` });
            if (!ok) return;
            await account.destroy();
            if (selected.get(org.id) === account.id) selected.delete(org.id);
            toast("success", "Service account deleted", `${account.name}'s keys no longer work.`);
            await load();
          }, "Couldn't delete the service account") }, "Delete"))));
  }

  async function accountPanel(account) {
    const box = secretBox();
    const keys = h("div", { "data-testid": "service-account-keys" });
    const role = roleCatalog().data.find((r) => r.key === account.role);
    const mayRevoke = org.can("org:api_keys:manage") || org.can("org:service_accounts:manage");
    async function loadKeys() {
      try {
        mount(keys, keysTable(await allRows((p) => account.getApiKeys(p)), { mayRevoke: () => mayRevoke, onChanged: loadKeys }));
      } catch (err) {
        showError("Couldn't load the service account's keys", err);
      }
    }
    const [form] = await Promise.all([
      policyPart(org, policy, (now) => keyForm({
        org, box, testid: "service-account-key-form",
        create: (params) => account.createApiKey(params),
        lock: mayCreateKey(org, now, true) ? null : keyLock(now, true),
        ownerHolds: (p) => !!role?.permissions.includes(p),
        onCreated: loadKeys,
      })),
      loadKeys(),
    ]);
    return h("section", { class: "card", "data-testid": "service-account-panel", "data-id": account.id },
      h("div", { class: "card-head wrap" },
        h("div", {}, h("h2", {}, `API keys of ${account.name}`),
          h("p", {}, `Its keys act as ${roleLabel(account.role).toLowerCase()}, or with fewer permissions if limited.`)),
        h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-testid": "close-service-account", onclick: (e) => busy(e.currentTarget, () => { selected.delete(org.id); return load(); }) }, "Close")),
      form,
      box,
      h("h3", { style: "margin:1.25rem 0 .6rem" }, "Keys"),
      keys);
  }

  function createForm() {
    const err = formError();
    const roles = grantableRoles(org);
    const name = h("input", { id: "service-account-name", autocomplete: "off", placeholder: "Deploy bot", "data-testid": "service-account-name-input", disabled: !manage });
    const description = h("input", { id: "service-account-description", autocomplete: "off", placeholder: "Optional", "data-testid": "service-account-description-input", disabled: !manage });
    const role = h("select", { id: "service-account-role", "data-testid": "service-account-role-select", disabled: !manage },
      roles.map((r) => h("option", { value: r.key, selected: r.key === defaultRole() }, r.name)));
    const create = h("button", { class: "btn", type: "submit", "data-testid": "create-service-account", disabled: !manage || !roles.length }, "Create service account");
    return h("form", { novalidate: true, "data-testid": "service-account-form", onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, create, async () => {
        const account = await org.createServiceAccount({ name: name.value, description: description.value, role: role.value });
        toast("success", "Service account created", `${account.name} acts as ${roleLabel(account.role).toLowerCase()}. Create its API key below.`);
        name.value = "";
        description.value = "";
        selected.set(org.id, account.id);
        await load();
      });
    } },
      h("div", { class: "inline-form sa-grid" }, field("Name", name), field("Description", description), field("Organization role", role), create),
      manage ? null : h("p", { class: "muted small", style: "margin-top:.5rem", "data-testid": "service-account-create-locked" },
        "Creating service accounts needs the org:service_accounts:manage permission, which your roles don't hold."),
      h("div", { style: "margin-top:.75rem" }, err));
  }

  await load();
  return h("div", { class: "stack" },
    h("section", { class: "card", "data-testid": "service-accounts-card" },
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Service accounts"),
        h("p", {}, "Programs that act in this organization with a role of their own, through API keys. You can give one only a role whose permissions you hold."))),
      createForm(),
      h("h3", { style: "margin:1.25rem 0 .6rem" }, "Service accounts"),
      list),
    panel);
}
