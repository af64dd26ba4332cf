// The settings of an organization page: the name and slug form (for those who may edit the
// profile) and the danger zone, "Leave organization" and, for those who may, "Delete organization".
import { h, toast, confirmDialog, busy, field, slugPrefix, formError, setFormError, submitting } from "../ui.js";
import { go } from "../router.js";

/** The form that renames the organization or changes its slug; sends only what changed. */
export function settingsCard(org) {
  const err = formError();
  const name = h("input", { id: "settings-name", name: "name", required: true, value: org.name, autocomplete: "off" });
  const slug = h("input", { id: "settings-slug", name: "slug", required: true, value: org.slug, autocomplete: "off", spellcheck: "false" });
  const save = h("button", { class: "btn btn-secondary", type: "submit", "data-testid": "save-settings" }, "Save changes");
  const form = h("form", { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    setFormError(err, null);
    const changes = {};
    if (name.value.trim() !== org.name) changes.name = name.value.trim();
    if (slug.value.trim() !== org.slug) changes.slug = slug.value.trim();
    if (!Object.keys(changes).length) {
      toast("info", "Nothing to save", "The name and slug are unchanged.");
      return;
    }
    await submitting(err, save, async () => {
      const updated = await org.update(changes);
      // The page's head follows the store's organization, which this update refreshed.
      toast("success", "Organization updated", `Saved ${updated.name} (/${updated.slug}).`);
    });
  } },
    h("div", { class: "inline-form settings-form" },
      field("Name", name),
      field("URL slug", slug, null, slugPrefix),
      save),
    h("div", { style: "margin-top:.75rem" }, err));
  return h("section", { class: "card", "data-testid": "settings-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Settings"), h("p", {}, "The organization's name and URL slug."))),
    form);
}

/**
 * A button that asks first (`confirm()`, for confirmDialog), then runs `run`, says `done()` and
 * goes home; `confirm` and `done` are read at the click, so a renamed organization is named right.
 */
function confirmedButton({ label, testid, danger = false, confirm, run, done, failed }) {
  return h("button", { class: danger ? "btn btn-danger" : "btn btn-secondary", type: "button", "data-testid": testid, onclick: async (e) => {
    const button = e.currentTarget;
    if (!await confirmDialog(confirm())) return;
    await busy(button, async () => {
      const said = done();
      await run();
      toast("success", ...said);
      go("#/");
    }, failed);
  } }, label);
}

const dangerRow = (title, text, button) => h("div", { class: "row-split" },
  h("div", {}, h("strong", {}, title), h("p", { class: "muted small" }, text)),
  button);

/** "Leave or delete": leaving for everyone, deleting (after typing the slug, which the API
 * takes as its confirmation) when `canDelete` (owners). */
export function dangerZone(org, canDelete) {
  const leave = confirmedButton({
    label: "Leave organization", testid: "leave-org",
    confirm: () => ({ title: `Leave ${org.name}?`, message: "You'll lose access until someone invites you again.", confirmLabel: "Leave organization" }),
    run: () => org.leave(),
    done: () => ["You left the organization", `You're no longer a member of ${org.name}.`],
    failed: "Couldn't leave the organization",
  });
  const destroy = canDelete ? confirmedButton({
    label: "Delete organization", testid: "delete-org", danger: true,
    confirm: () => ({
      title: `Delete ${org.name}?`,
      message: "This deletes the organization, its memberships and its invitations. It cannot be undone.",
      confirmLabel: "Delete organization",
      typeToConfirm: org.slug,
    }),
    run: () => org.destroy({ confirm: org.slug }),
    done: () => ["Organization deleted", `${org.name} is gone.`],
    failed: "Couldn't delete the organization",
  }) : null;
  return h("section", { class: "card danger-zone", "data-testid": "danger-zone" },
    h("div", { class: "card-head", style: "margin-bottom:.25rem" }, h("div", {}, h("h2", {}, "Leave or delete"))),
    dangerRow("Leave this organization", "The last admin has to hand over the role first, and the last owner ownership.", leave),
    destroy ? dangerRow("Delete this organization", "Removes everyone and every invitation, for good.", destroy) : null);
}
