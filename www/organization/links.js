// The invite links card of an organization page (holders of org:links:manage): the form that
// creates a link (role, expiry, most uses, requires approval), its URL shown once with Copy, and
// the links with their status and uses, each with Reset (a new URL, shown once) and Revoke.
import {
  h, mount, toast, showError, confirmDialog, busy, fmtDateTime, field, formError, setFormError, submitting,
  roleOptions, defaultRole, roleLabel,
} from "../ui.js";

const PAGE = 20;
const STATUS_LABELS = { active: "Active", revoked: "Revoked", expired: "Expired", exhausted: "Used up" };
const EXPIRIES = [["", "Never"], ["1", "1 day"], ["7", "7 days"], ["30", "30 days"]];

/** The card (`section`) for `org`; `load` fills and refreshes the list of links. */
export function linksCard(org) {
  const list = h("div", { "data-testid": "invite-links" });
  const urlBox = h("div", { "data-testid": "invite-link-box", "aria-live": "polite", hidden: true });
  let after = null;

  /** Shows a link's URL once, with Copy; "Done" forgets it. */
  function showUrl(link, title) {
    const input = h("input", { class: "link-input", readonly: true, value: link.url, "data-testid": "invite-link-url", "aria-label": "Invite link URL" });
    const copy = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "copy-invite-link", onclick: async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(link.url);
        toast("success", "Link copied", "Share it with the people you want in.");
      } catch {
        toast("info", "Copy the selected link", "Your browser did not allow copying.");
      }
    } }, "Copy");
    const done = h("button", { class: "btn btn-ghost btn-sm", type: "button", onclick: () => { mount(urlBox); urlBox.hidden = true; } }, "Done");
    mount(urlBox, h("div", { class: "notice notice-warn secret-notice" }, h("div", { class: "grow" },
      h("p", {}, h("strong", {}, title), ` — joins as ${roleLabel(link.role).toLowerCase()}${link.requiresApproval ? ", after an admin approves" : ""}.`),
      h("p", {}, "Shown only this once: anyone with it can use it. Reset it to make a new one."),
      h("span", { class: "link-share" }, input, copy, done))));
    urlBox.hidden = false;
    urlBox.scrollIntoView({ block: "nearest" });
  }

  async function load() {
    let page;
    try {
      page = await org.getInviteLinks({ limit: PAGE, after: null });
    } catch (err) {
      showError("Couldn't load the invite links", err);
      return;
    }
    after = page.nextCursor;
    if (!page.data.length) {
      mount(list, h("div", { class: "empty", "data-testid": "no-invite-links" }, h("strong", {}, "No invite links yet"),
        "Create one to let people join without inviting each address."));
      return;
    }
    const items = page.data.map(linkItem);
    mount(list, h("ul", { class: "list" }, items), more());
  }

  function more() {
    if (!after) return null;
    return h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "invite-links-more", onclick: (e) => {
      const button = e.currentTarget;
      return busy(button, async () => {
        const page = await org.getInviteLinks({ limit: PAGE, after });
        after = page.nextCursor;
        list.querySelector("ul").append(...page.data.map(linkItem));
        if (!after) button.remove();
      }, "Couldn't load more links");
    } }, "Load more");
  }

  function linkItem(link) {
    const uses = link.maxUses === null ? `${link.uses} uses` : `${link.uses} of ${link.maxUses} uses`;
    const expiry = link.expiresAt ? `expires ${fmtDateTime(link.expiresAt)}` : "never expires";
    const tone = link.status === "active" ? "badge-ok" : "badge-bad";
    const live = link.status !== "revoked";
    return h("li", { "data-testid": "invite-link", "data-id": link.id, "data-status": link.status },
      h("div", { class: "grow" },
        h("div", { class: "row" },
          h("strong", {}, `Joins as ${roleLabel(link.role).toLowerCase()}`),
          h("span", { class: `badge ${tone}`, "data-testid": "invite-link-status" }, STATUS_LABELS[link.status] ?? link.status),
          link.requiresApproval ? h("span", { class: "badge" }, "Needs approval") : null),
        h("p", { class: "muted small", "data-testid": "invite-link-uses" }, `${uses} · ${expiry} · created ${fmtDateTime(link.createdAt)}`)),
      live ? h("div", { class: "row" },
        h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "invite-link-reset", onclick: (e) => busy(e.currentTarget, async () => {
          const ok = await confirmDialog({
            title: "Reset this link?", confirmLabel: "Reset link", danger: false,
            message: "The current URL stops working at once; a new one with the same options replaces it.",
          });
          if (!ok) return;
          const fresh = await link.reset();
          showUrl(fresh, "New invite link");
          toast("success", "Link reset", "The old URL no longer works.");
          await load();
        }, "Couldn't reset the link") }, "Reset"),
        h("button", { class: "btn btn-danger-outline btn-sm", type: "button", "data-testid": "invite-link-revoke", onclick: (e) => busy(e.currentTarget, async () => {
          const ok = await confirmDialog({ title: "Revoke this link?", message: "Its URL stops working at once. People who joined stay members.", confirmLabel: "Revoke link" });
          if (!ok) return;
          await link.revoke();
          toast("success", "Link revoked", "Its URL no longer works.");
          await load();
        }, "Couldn't revoke the link") }, "Revoke")) : null);
  }

  function createForm() {
    const err = formError();
    const role = h("select", { id: "link-role", name: "role", "data-testid": "invite-link-role" },
      roleOptions(defaultRole()));
    const expiry = h("select", { id: "link-expiry", name: "expiry", "data-testid": "invite-link-expiry" },
      EXPIRIES.map(([days, label]) => h("option", { value: days }, label)));
    const maxUses = h("input", { id: "link-max-uses", name: "maxUses", type: "number", min: "1", max: "10000", placeholder: "Unlimited", "data-testid": "invite-link-max-uses" });
    const approval = h("input", { type: "checkbox", name: "requiresApproval", "data-testid": "invite-link-approval" });
    const create = h("button", { class: "btn", type: "submit", "data-testid": "invite-link-create" }, "Create link");
    return h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      setFormError(err, null);
      await submitting(err, create, async () => {
        const params = { role: role.value, requiresApproval: approval.checked };
        if (expiry.value) params.expiresAt = new Date(Date.now() + Number(expiry.value) * 86_400_000);
        if (maxUses.value !== "") params.maxUses = Number(maxUses.value);
        const link = await org.createInviteLink(params);
        showUrl(link, "Invite link");
        toast("success", "Invite link created", "Copy it now: it is shown only once.");
        maxUses.value = "";
        approval.checked = false;
        await load();
      });
    } },
      h("div", { class: "inline-form" },
        field("Joins as", role),
        field("Link expires", expiry),
        field("Most uses", maxUses)),
      h("label", { class: "check" }, approval, h("span", {}, "Requires approval: people ask to join, an admin decides")),
      h("div", { class: "row", style: "margin-top:.75rem" }, create),
      h("div", { style: "margin-top:.75rem" }, err));
  }

  const section = h("section", { class: "card", "data-testid": "invite-links-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invite link"),
      h("p", {}, "One link many people can use to join. Limit its uses, let it expire, or require approval."))),
    createForm(),
    urlBox,
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Links"),
    list);

  return { section, load };
}
