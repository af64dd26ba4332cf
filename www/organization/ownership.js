// The Ownership card of an organization page, for its owners: "Transfer ownership" (the new
// owner among the active members, the role I keep, a confirmation) and the creator protection
// switch. Transferring makes the other member an owner and an admin; I stay with the role I pick.
import { h, mount, toast, showError, confirmDialog, busy, field, roleOptions, roleLabel, roleWithArticle, roleCatalog } from "../ui.js";
import { state } from "../context.js";

/** The card (`section`) for `org`; `load` fills it with the members who can receive it. */
export function ownershipCard(org) {
  const section = h("section", { class: "card", "data-testid": "ownership-card" });

  function protectionSwitch() {
    const box = h("input", { type: "checkbox", id: "creator-protection", "data-testid": "creator-protection", checked: org.creatorProtection });
    box.addEventListener("change", async () => {
      box.disabled = true;
      try {
        await org.update({ creatorProtection: box.checked });
        toast("success", box.checked ? "The creator is protected" : "Creator protection is off",
          box.checked ? "The creator can neither leave nor be removed until they transfer ownership." : "The creator is a member like any other.");
      } catch (err) {
        box.checked = !box.checked;
        showError("Couldn't change the setting", err);
      } finally {
        box.disabled = false;
      }
    });
    return h("label", { class: "check", style: "font-size:.95rem;font-weight:600;margin-top:1rem" }, box, "Protect the creator until ownership is transferred");
  }

  async function load() {
    let members;
    try {
      members = await org.getMemberships();
    } catch (err) {
      showError("Couldn't load the members", err);
      return;
    }
    const others = members.filter((m) => m.publicUserData.userId !== state.user.id && !m.suspended);
    const to = h("select", { id: "transfer-to", "data-testid": "transfer-to", required: true },
      h("option", { value: "" }, others.length ? "Choose a member" : "No other active member"),
      others.map((m) => h("option", { value: m.publicUserData.userId }, `${m.publicUserData.name || m.publicUserData.identifier} (${m.publicUserData.identifier})`)));
    const keep = h("select", { id: "transfer-keep", "data-testid": "transfer-keep" },
      roleOptions(org.role));
    const submit = h("button", { class: "btn btn-danger-outline", type: "submit", "data-testid": "transfer-ownership", disabled: !others.length }, "Transfer ownership");
    const form = h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      const target = others.find((m) => m.publicUserData.userId === to.value);
      if (!target) {
        toast("info", "Choose a member", "Pick who becomes the owner.");
        return;
      }
      const who = target.publicUserData.name || target.publicUserData.identifier;
      const ok = await confirmDialog({
        title: `Make ${who} the owner?`,
        message: `${who} becomes the owner and ${roleWithArticle(roleCatalog().creatorRole)} of ${org.name}. You stay as ${roleLabel(keep.value)} and can no longer delete it or change its owners.`,
        confirmLabel: "Transfer ownership",
      });
      if (!ok) return;
      await busy(submit, async () => {
        await org.transferOwnership({ userId: target.publicUserData.userId, keepRole: keep.value });
        // No longer an owner: the page, which follows my standing in the store, is drawn again.
        toast("success", "Ownership transferred", `${who} now owns ${org.name}.`);
      }, "Couldn't transfer ownership");
    } },
      h("div", { class: "inline-form" }, field("New owner", to), field("Role you keep", keep), submit));
    mount(section,
      h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Ownership"),
        h("p", {}, "Owners change or remove owners, transfer ownership and delete the organization. An organization always keeps an owner."))),
      form,
      protectionSwitch());
  }

  return { section, load };
}
