// The invitations card of an organization page (admins only): the invite form, which takes one
// address or a list, sends by email or answers each invitation's link to share (shown once), and
// reports each address's outcome; and the pending invitations with "Resend" and "Revoke".
import {
  h, mount, toast, showError, errorText, busy, avatar, roleOptions, defaultRole, roleBadge, fmtDate, fmtDateTime, field,
} from "../ui.js";
import { state } from "../context.js";
import { orgListPart } from "../live.js";

/** The link of an invitation sent with `delivery: "none"`, to copy: the server shows it once. */
function shareableLink(url, address) {
  const input = h("input", { class: "link-input", readonly: true, value: url, "data-testid": "invite-link", "aria-label": `Invitation link for ${address}` });
  const copy = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "copy-invite-link", onclick: async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(url);
      toast("success", "Link copied", "It is shown only this once.");
    } catch {
      toast("info", "Copy the selected link", "Your browser did not allow copying.");
    }
  } }, "Copy");
  return h("span", { class: "link-share" }, input, copy);
}

/** One line of the invite results: "✓ a@b — invitation sent.", the link to share, or the reason it failed. */
function resultItem(r) {
  const ok = !r.error;
  const link = ok && r.invitation && r.invitation.acceptUrl;
  return h("li", { class: ok ? "ok" : "bad", "data-testid": "invite-result", "data-status": ok ? "sent" : "failed", role: ok ? null : "alert" },
    h("span", { class: "mark", "aria-hidden": "true" }, ok ? "✓" : "✕"),
    h("span", {}, r.emailAddress ? h("strong", {}, r.emailAddress) : null, r.emailAddress ? " — " : null,
      ok ? (link ? "share this link with them; it is shown only once: " : "invitation sent.") : errorText(r.error),
      link ? shareableLink(link, r.emailAddress) : null));
}

/** Sends the invitations: a list in one request, a single address as one invitation. */
async function invite(org, raw, role, delivery) {
  if (/[,;\n]/.test(raw)) return org.inviteMembers({ emailAddresses: raw, role, delivery });
  try {
    const invitation = await org.inviteMember({ emailAddress: raw, role, delivery });
    return [{ emailAddress: raw, invitation }];
  } catch (err) {
    return [{ emailAddress: raw, error: err }];
  }
}

/**
 * The card (`section`) for `org`; `load` shows the pending invitations, kept by the SDK's store
 * for the active organization (the page made `org` active): sending, resending and revoking
 * redraw the list, with no refetch here.
 */
export function invitationsCard(org) {
  const pendingBox = h("div", { "data-testid": "pending-invitations" });

  async function load() {
    mount(pendingBox, await orgListPart(org, "invitations", 100, "the pending invitations",
      () => h("div", { class: "empty", "data-testid": "no-pending" }, h("strong", {}, "No pending invitations"), "Invitations you send appear here until they're accepted."),
      pendingList));
  }

  function pendingList(list) {
    return [
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, "Email"), h("th", {}, "Role"), h("th", {}, "Expires"), h("th", { class: "actions" }, ""))),
        h("tbody", {}, list.data.map(pendingRow)))),
      list.hasNextPage
        ? h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "more-invitations", onclick: (e) => busy(e.currentTarget, () => list.fetchNext(), "Couldn't load more invitations") },
          `Show more (${list.count - list.data.length} left)`)
        : null,
    ];
  }

  function pendingRow(inv) {
    // A row button: runs `run` and says `done` (title, text); the store redraws the list.
    const action = ({ label, testid, danger = false, run, done, failed }) => h("button", {
      class: `btn ${danger ? "btn-danger-outline" : "btn-secondary"} btn-sm`, type: "button", "data-testid": testid,
      "aria-label": `${label} invitation to ${inv.emailAddress}`,
      onclick: (e) => busy(e.currentTarget, async () => {
        await run();
        toast("success", ...done);
      }, failed),
    }, label);
    return h("tr", { "data-testid": "invitation-row", "data-email": inv.emailAddress },
      h("td", {}, h("div", { class: "person" }, avatar(inv.emailAddress, { small: true }),
        h("div", { class: "person-text" }, h("span", {}, inv.emailAddress), h("small", {}, `Sent ${fmtDateTime(inv.createdAt)}`)))),
      h("td", {}, roleBadge(inv.role)),
      h("td", { class: "muted small" }, fmtDate(inv.expiresAt)),
      h("td", { class: "actions" }, h("div", { class: "row", style: "justify-content:flex-end" },
        action({
          label: "Resend", testid: "resend-invitation", run: () => inv.resend(),
          done: ["Invitation resent", `We emailed ${inv.emailAddress} again.`], failed: "Couldn't resend the invitation",
        }),
        action({
          label: "Revoke", testid: "revoke-invitation", danger: true, run: () => inv.revoke(),
          done: ["Invitation revoked", `${inv.emailAddress} can no longer use that link.`], failed: "Couldn't revoke the invitation",
        }))));
  }

  function inviteForm() {
    const emails = h("input", {
      id: "invite-emails", name: "emails", autocomplete: "off", spellcheck: "false",
      placeholder: "grace@example.com, alan@example.com",
    });
    const role = h("select", { id: "invite-role", name: "role" }, roleOptions(defaultRole()));
    const delivery = h("select", { id: "invite-delivery", name: "delivery" },
      h("option", { value: "email", selected: true }, "Email"),
      h("option", { value: "none" }, "A link I share"));
    const submit = h("button", { class: "btn", type: "submit", "data-testid": "invite-submit" }, "Send invitations");
    const results = h("ul", { class: "results", "data-testid": "invite-results", "aria-live": "polite" });
    const form = h("form", { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      const raw = emails.value.trim();
      if (!raw) {
        mount(results, resultItem({ emailAddress: "", error: { code: "validation_failed", message: "Enter at least one email address." } }));
        emails.focus();
        return;
      }
      submit.disabled = true;
      let outcome;
      try {
        outcome = await invite(org, raw, role.value, delivery.value);
      } catch (err) {
        showError("Couldn't send the invitations", err);
        return;
      } finally {
        submit.disabled = false;
      }
      mount(results, outcome.map(resultItem));
      const failed = outcome.filter((o) => o.error);
      const sent = outcome.length - failed.length;
      if (sent && delivery.value === "none") toast("success", sent === 1 ? "Invitation created" : `${sent} invitations created`, "Copy the links below: they are shown only once.");
      else if (sent) toast("success", sent === 1 ? "Invitation sent" : `${sent} invitations sent`, state.dev ? "Open the dev mailbox to see the email." : null);
      if (failed.length) {
        showError(failed.length === 1 ? "1 invitation was not sent" : `${failed.length} invitations were not sent`,
          failed.length === 1 ? failed[0].error : { message: "See the results below the form." });
        emails.value = failed.map((f) => f.emailAddress).join(", ");
      } else {
        emails.value = "";
      }
    } },
      h("div", { class: "inline-form four" },
        field("Email addresses", emails),
        field("Role", role),
        field("Send by", delivery),
        submit),
      h("p", { class: "muted small", style: "margin-top:.4rem" }, "One address, or several separated by commas. With “A link I share”, no email is sent: you get each person's link, once."),
      results);
    return form;
  }

  const section = h("section", { class: "card", "data-testid": "invitations-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invitations"),
      h("p", {}, "Invite people by email. They join when they open the link.",
        state.dev ? [" ", h("a", { href: "/#/mailbox", "data-testid": "org-mailbox-link" }, "Open the dev mailbox")] : null))),
    inviteForm(),
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Pending"),
    pendingBox);

  return { section, load };
}
