// The domains card of an organization page (holders of org:domains:manage): add a domain, and
// per domain its verification state, affiliation (send a code to an address at the domain, then
// enter it), ownership (the TXT record to publish, then Verify), the enrollment mode with the
// option to delete what the domain left pending, and Delete; the list is the store's `domains`.
import { h, mount, toast, showError, confirmDialog, busy, field, formError, setFormError, submitting } from "../ui.js";
import { orgListPart, keyed } from "../live.js";

const MODES = {
  manual_invitation: "Manual invitation: admins invite people",
  automatic_invitation: "Automatic invitation: everyone verified at the domain is invited",
  automatic_suggestion: "Automatic suggestion: everyone verified at the domain may ask to join",
};

/**
 * The card (`section`) for `org`; `load` shows the domains as the SDK's store keeps them for the
 * active organization: adding, verifying, changing the mode and deleting redraw the list, with no
 * refetch here.
 */
export function domainsCard(org) {
  const list = h("div", { "data-testid": "domain-list" });
  /** The items drawn, by domain id (`keyed`), so a typed address or code stays typed. */
  const drawn = new Map();

  async function load() {
    mount(list, await orgListPart(org, "domains", 10, "the domains", () => h("div", { class: "empty", "data-testid": "no-domains" }, h("strong", {}, "No domains yet"),
      "Add your company's email domain so that colleagues can join without an invitation each."), (domains) =>
      h("ul", { class: "list" }, domains.data.map((domain) => keyed(drawn, domain.id,
        JSON.stringify([domain.name, domain.verified, domain.affiliationVerifiedAt, domain.affiliationEmailAddress,
          domain.ownershipVerifiedAt, domain.enrollmentMode, domain.pendingInvitations]),
        () => domainItem(domain))))));
  }

  function domainItem(domain) {
    const state = domain.verified
      ? h("span", { class: "badge badge-ok", "data-testid": "domain-verified" }, "Verified")
      : h("span", { class: "badge", "data-testid": "domain-unverified" }, "Unverified");
    const how = [
      domain.affiliationVerifiedAt ? `affiliation through ${domain.affiliationEmailAddress}` : null,
      domain.ownershipVerifiedAt ? "DNS ownership" : null,
    ].filter(Boolean).join(" and ");

    // Affiliation: an address at the domain, a code, then the code.
    const err = formError();
    const email = h("input", { id: `aff-email-${domain.id}`, type: "email", autocomplete: "off", placeholder: `you@${domain.name}`, "data-testid": "affiliation-email" });
    const send = h("button", { class: "btn btn-secondary btn-sm", type: "submit", "data-testid": "affiliation-send" }, "Send code");
    const code = h("input", { id: `aff-code-${domain.id}`, inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, placeholder: "123456", "data-testid": "affiliation-code" });
    const check = h("button", { class: "btn btn-sm", type: "button", "data-testid": "affiliation-verify", onclick: () => submitting(err, check, async () => {
      await domain.attemptAffiliationVerification({ code: code.value.trim() });
      toast("success", "Domain verified", `${domain.name} is now verified for this organization.`);
    }) }, "Verify code");
    const affiliation = domain.verified ? null : h("form", { novalidate: true, class: "stack-sm", onsubmit: (event) => {
      event.preventDefault();
      return submitting(err, send, async () => {
        const answer = await domain.prepareAffiliationVerification({ emailAddress: email.value.trim() });
        if (answer.verified) {
          toast("success", "Domain verified", "Your own verified address is at this domain.");
        } else {
          toast("info", "Code sent", `Enter the 6-digit code sent to ${email.value.trim()}.`);
          code.focus();
        }
      });
    } },
      h("p", { class: "muted small" }, "Prove affiliation: we email a 6-digit code to an address at the domain."),
      h("div", { class: "inline-form" }, field("Address at the domain", email), send),
      h("div", { class: "inline-form" }, field("Code", code), check),
      err);

    // Ownership: the TXT record.
    const ownership = domain.ownershipVerifiedAt ? null : h("div", { class: "stack-sm", "data-testid": "ownership" },
      h("p", { class: "muted small" }, "Or prove ownership: publish this TXT record, then verify."),
      h("p", { class: "mono small domain-record" }, h("span", { "data-testid": "ownership-name" }, domain.ownershipRecordName), "  TXT  ",
        h("span", { "data-testid": "ownership-value" }, domain.ownershipRecordValue)),
      h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "ownership-verify",
        onclick: (e) => busy(e.currentTarget, async () => {
          await domain.verifyOwnership();
          toast("success", "Ownership verified", `${domain.name} is now verified for this organization.`);
        }, "Couldn't verify ownership") }, "Verify DNS record"));

    // Enrollment mode.
    const select = h("select", { id: `mode-${domain.id}`, "data-testid": "enrollment-mode", disabled: !domain.verified },
      Object.entries(MODES).map(([value, label]) => h("option", { value, selected: value === domain.enrollmentMode }, label)));
    const deletePending = h("input", { type: "checkbox", "data-testid": "delete-pending" });
    const save = h("button", { class: "btn btn-sm", type: "button", "data-testid": "enrollment-save", disabled: !domain.verified,
      onclick: (e) => busy(e.currentTarget, async () => {
        const updated = await domain.updateEnrollmentMode({ enrollmentMode: select.value, deletePending: deletePending.checked });
        const invited = updated.pendingInvitations;
        toast("success", "Enrollment mode saved", select.value === "automatic_invitation" ? `${invited} pending invitation(s) from this domain.` : MODES[select.value]);
      }, "Couldn't change the enrollment mode") }, "Save");

    const remove = h("button", { class: "btn btn-danger btn-sm", type: "button", "data-testid": "domain-delete",
      onclick: async (e) => {
        const ok = await confirmDialog({ title: `Delete ${domain.name}?`, message: "People at this domain will no longer be invited or suggested. Invitations it already created stay.", confirmLabel: "Delete domain" });
        if (ok) await busy(e.currentTarget, async () => { await domain.delete(); toast("success", "Domain deleted", domain.name); }, "Couldn't delete the domain");
      } }, "Delete");

    return h("li", { class: "stack-sm domain-item", "data-testid": "domain", "data-domain": domain.name },
      h("div", { class: "row-split" },
        h("div", {}, h("strong", { class: "mono" }, domain.name), " ", state,
          how ? h("p", { class: "muted small" }, "Verified by ", how) : null,
          domain.pendingInvitations ? h("p", { class: "muted small", "data-testid": "domain-pending" }, `${domain.pendingInvitations} pending invitation(s) from this domain`) : null),
        remove),
      affiliation,
      ownership,
      h("div", { class: "inline-form mode" }, field("Enrollment", select, domain.verified ? null : "Verify the domain to choose an automatic mode"),
        h("label", { class: "check" }, deletePending, h("span", {}, "Delete pending invitations and requests")), save));
  }

  function addForm() {
    const err = formError();
    const name = h("input", { id: "domain-name", name: "name", autocomplete: "off", spellcheck: "false", placeholder: "acme.com", "data-testid": "domain-name" });
    const add = h("button", { class: "btn", type: "submit", "data-testid": "domain-add" }, "Add domain");
    return h("form", { novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      setFormError(err, null);
      return submitting(err, add, async () => {
        const created = await org.addDomain({ name: name.value });
        toast("success", "Domain added", `Verify ${created.name} to let people join through it.`);
        name.value = "";
      });
    } },
      h("div", { class: "inline-form" }, field("Email domain", name, "Consumer providers such as gmail.com cannot be added"), add),
      h("div", { style: "margin-top:.75rem" }, err));
  }

  const section = h("section", { class: "card", "data-testid": "domains-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Domains"),
      h("p", {}, "People with a verified address at a verified domain can be invited automatically, or see this organization as a suggestion."))),
    addForm(),
    h("h3", { style: "margin:1.25rem 0 .6rem" }, "Your domains"),
    list);

  return { section, load };
}

/**
 * The home page's suggestions: organizations whose verified domain is my verified address's, in
 * automatic suggestion mode, each with "Ask to join" (a request the admins decide). `null` when
 * there are none.
 */
export async function suggestionsCard(kit) {
  let suggestions;
  try {
    suggestions = await kit.getUserSuggestions();
  } catch (err) {
    showError("Couldn't load your suggestions", err);
    return null;
  }
  if (!suggestions.length) return null;
  return h("section", { class: "card", "data-testid": "my-suggestions" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Suggested for you"),
      h("p", {}, "Organizations that verified your email domain."))),
    h("ul", { class: "list" }, suggestions.map((s) => h("li", { "data-testid": "my-suggestion" },
      h("div", { class: "grow" }, h("div", { class: "org-name" }, s.organizationName),
        h("div", { class: "muted small" }, `Everyone at ${s.domainName} may ask to join`)),
      h("button", { class: "btn btn-sm", type: "button", "data-testid": "ask-to-join", onclick: (e) => busy(e.currentTarget, async () => {
        await s.accept();
        toast("success", "Request sent", `An admin of ${s.organizationName} will decide.`);
        e.target.closest("li")?.replaceChildren(h("div", { class: "grow muted" }, `Requested to join ${s.organizationName}`));
      }, "Couldn't ask to join") }, "Ask to join")))));
}
