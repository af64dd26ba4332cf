// The signed-in home page: my organizations, the invitations sent to my address, the "verify your
// email" notice, and the card that creates an organization.
import {
  h, toast, showError, busy, avatar, roleLabel, roleBadge, fmtDate,
  field, slugPrefix, formError, submitting,
} from "./ui.js";
import { sdk, kit, state } from "./context.js";
import { go } from "./router.js";
import { joinRequestsCard } from "./ask.js";
import { suggestionsCard } from "./organization/domains.js";

export async function dashboardView() {
  const user = state.user;
  const joining = joinRequestsCard();
  const [memberships, invitations, suggestions] = await Promise.all([
    kit.getOrganizationMemberships(),
    user.emailVerified ? kit.getUserInvitations().catch((err) => ({ error: err })) : Promise.resolve([]),
    user.emailVerified ? suggestionsCard(kit) : Promise.resolve(null),
    joining.load(),
  ]);

  const orgList = memberships.length
    ? h("ul", { class: "list", "data-testid": "org-list" }, memberships.map((m) => {
        const org = m.organization;
        return h("li", { "data-testid": "org-item", "data-org-id": org.id },
          h("a", { class: "org-link", href: `/#/org/${encodeURIComponent(org.id)}` },
            avatar(org.name, { square: true }),
            h("span", { class: "grow" },
              h("span", { class: "org-name truncate", style: "display:block" }, org.name),
              h("span", { class: "muted small" }, `/${org.slug}`)),
            roleBadge(m.role)));
      }))
    : h("div", { class: "empty", "data-testid": "no-orgs" }, h("strong", {}, "No organizations yet"), "Create one, or accept an invitation to join one.");

  const notices = [];
  if (!user.emailVerified) {
    notices.push(h("div", { class: "notice notice-warn", role: "status", "data-testid": "verify-notice" },
      h("div", { class: "grow" },
        h("p", {}, h("strong", {}, "Please verify your email address. "), `We sent a link to ${user.emailAddress}.`),
        state.dev ? h("p", {}, "Running in dev mode: the email is in the ", h("a", { href: "/#/mailbox" }, "dev mailbox"), ".") : null)));
  }

  let invitationCard = null;
  if (Array.isArray(invitations) && invitations.length) {
    invitationCard = myInvitationsCard(invitations);
  } else if (invitations?.error) {
    showError("Couldn't load your invitations", invitations.error);
  }

  return h("div", { class: "stack" },
    h("div", { class: "page-head" },
      h("div", {}, h("h1", { "data-testid": "welcome" }, `Welcome, ${user.name}`),
        h("p", { class: "sub" }, "Your organizations, and a place to start a new one."))),
    notices,
    h("div", { class: "grid-2" },
      h("div", { class: "stack" },
        h("section", { class: "card" },
          h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Your organizations"),
            h("p", {}, memberships.length === 1 ? "1 organization" : `${memberships.length} organizations`))),
          orgList),
        invitationCard,
        suggestions,
        joining.section),
      createOrgCard()));
}

/**
 * The invitations sent to my address: a pending one with "Accept" and "Decline", an expired one
 * with "Dismiss" (it leaves the list).
 */
function myInvitationsCard(invitations) {
  const list = h("ul", { class: "list" });
  const gone = (li, title, text) => {
    li.remove();
    toast("success", title, text);
    if (!list.children.length) list.append(h("li", { class: "muted small" }, "No invitations left."));
  };
  for (const inv of invitations) {
    const expired = inv.status === "expired";
    const li = h("li", { "data-testid": "my-invitation", "data-status": inv.status },
      avatar(inv.organizationName, { square: true }),
      h("div", { class: "grow" }, h("div", { class: "org-name" }, inv.organizationName),
        h("div", { class: "muted small" }, expired
          ? `As ${roleLabel(inv.role)} · expired ${fmtDate(inv.expiresAt)}`
          : `As ${roleLabel(inv.role)} · expires ${fmtDate(inv.expiresAt)}`)),
      expired
        ? h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "dismiss-invitation", onclick: (e) => busy(e.currentTarget, async () => {
          await inv.dismiss();
          gone(li, "Invitation dismissed", `The expired invitation to ${inv.organizationName} is gone from your list.`);
        }, "Couldn't dismiss the invitation") }, "Dismiss")
        : h("div", { class: "row", style: "gap:.4rem" },
          h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "decline-invitation", onclick: (e) => busy(e.currentTarget, async () => {
            await inv.decline();
            gone(li, "Invitation declined", `You declined to join ${inv.organizationName}.`);
          }, "Couldn't decline the invitation") }, "Decline"),
          h("button", { class: "btn btn-sm", type: "button", "data-testid": "accept-my-invitation", onclick: (e) => busy(e.currentTarget, async () => {
            const membership = await inv.accept();
            toast("success", "Invitation accepted", `You joined ${membership.organization.name}.`);
            go(`#/org/${encodeURIComponent(membership.organization.id)}`);
          }, "Couldn't accept the invitation") }, "Accept")));
    list.append(li);
  }
  return h("section", { class: "card", "data-testid": "my-invitations" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invitations for you"), h("p", {}, "Organizations that invited your address."))),
    list);
}

/**
 * The form that creates an organization. The slug field shows a suggestion while the name is
 * typed, but a slug is sent only when the person typed one: otherwise the server picks the first
 * free slug from the name (acme, acme-2, …), so a second "Acme" is no conflict.
 */
function createOrgCard() {
  const err = formError();
  const name = h("input", { id: "org-name", name: "name", required: true, placeholder: "Acme Corp", autocomplete: "organization" });
  const slug = h("input", { id: "org-slug", name: "slug", placeholder: "acme-corp", autocomplete: "off", spellcheck: "false" });
  let slugEdited = false;
  const suggest = typeof sdk.suggestSlug === "function" ? sdk.suggestSlug : null;
  name.addEventListener("input", () => {
    if (!slugEdited && suggest) slug.value = name.value.trim() ? suggest(name.value) : "";
  });
  slug.addEventListener("input", () => { slugEdited = slug.value !== ""; });
  const submit = h("button", { class: "btn btn-block", type: "submit", "data-testid": "create-org" }, "Create organization");
  const form = h("form", { class: "form", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    await submitting(err, submit, async () => {
      const params = { name: name.value.trim() };
      if (slugEdited && slug.value.trim()) params.slug = slug.value.trim();
      const org = await kit.createOrganization(params);
      toast("success", "Organization created", `${org.name} is ready. Invite your team.`);
      go(`#/org/${encodeURIComponent(org.id)}`);
    });
  } },
    field("Organization name", name),
    field("URL slug", slug,
      suggest
        ? "Suggested from the name as you type (if taken, the server adds -2, -3…); type your own to choose it."
        : "Leave empty and the server picks one from the name.",
      slugPrefix),
    err,
    submit);
  return h("section", { class: "card", "data-testid": "create-org-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Create an organization"), h("p", {}, "You'll be its first admin."))),
    form);
}
