// The signed-in home page: my organizations, the invitations sent to my address, the "verify your
// email" notice, and the card that creates an organization.
import {
  h, toast, showError, busy, avatar, roleLabel, roleBadge, fmtDate,
  field, slugPrefix, formError, submitting, errorText,
} from "./ui.js";
import { sdk, kit, state } from "./context.js";
import { go } from "./router.js";
import { live } from "./live.js";
import { joinRequestsCard } from "./ask.js";
import { suggestionsCard } from "./organization/domains.js";

export async function dashboardView() {
  const user = state.user;
  const joining = joinRequestsCard();
  // My organizations and the invitations sent to me come from the SDK's store, which keeps them
  // current: creating an organization, accepting, declining or dismissing redraws them.
  const [organizations, invitations, suggestions] = await Promise.all([
    live({ userMemberships: { pageSize: 100 } }, (snap) => organizationsCard(snap.userMemberships)),
    user.emailVerified
      ? live({ userInvitations: { pageSize: 100 } }, (snap) => myInvitationsCard(snap.userInvitations))
      : Promise.resolve(null),
    user.emailVerified ? suggestionsCard(kit) : Promise.resolve(null),
    joining.load(),
  ]);

  const notices = [];
  if (!user.emailVerified) {
    notices.push(h("div", { class: "notice notice-warn", role: "status", "data-testid": "verify-notice" },
      h("div", { class: "grow" },
        h("p", {}, h("strong", {}, "Please verify your email address. "), `We sent a link to ${user.emailAddress}.`),
        state.dev ? h("p", {}, "Running in dev mode: the email is in the ", h("a", { href: "/#/mailbox" }, "dev mailbox"), ".") : null)));
  }

  return h("div", { class: "stack" },
    h("div", { class: "page-head" },
      h("div", {}, h("h1", { "data-testid": "welcome" }, `Welcome, ${user.name}`),
        h("p", { class: "sub" }, "Your organizations, and a place to start a new one."))),
    notices,
    h("div", { class: "grid-2" },
      h("div", { class: "stack" },
        organizations,
        invitations,
        suggestions,
        joining.section),
      createOrgCard()));
}

/** My organizations (the store's `userMemberships`), each a link to its page, with my role. */
function organizationsCard(list) {
  if (list.error) return h("section", { class: "card" }, h("p", { class: "muted" }, `Couldn't load your organizations: ${errorText(list.error)}`));
  const memberships = list.data;
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
  return h("section", { class: "card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Your organizations"),
      h("p", {}, list.count === 1 ? "1 organization" : `${list.count} organizations`))),
    orgList);
}

/**
 * The invitations sent to my address (the store's `userInvitations`): a pending one with "Accept"
 * and "Decline", an expired one with "Dismiss". Each answer leaves the list when the store
 * redraws it; nothing here removes rows by hand.
 */
function myInvitationsCard(list) {
  if (list.error) {
    showError("Couldn't load your invitations", list.error);
    return null;
  }
  if (!list.data.length) return null;
  const rows = list.data.map((inv) => {
    const expired = inv.status === "expired";
    return h("li", { "data-testid": "my-invitation", "data-status": inv.status },
      avatar(inv.organizationName, { square: true }),
      h("div", { class: "grow" }, h("div", { class: "org-name" }, inv.organizationName),
        h("div", { class: "muted small" }, expired
          ? `As ${roleLabel(inv.role)} · expired ${fmtDate(inv.expiresAt)}`
          : `As ${roleLabel(inv.role)} · expires ${fmtDate(inv.expiresAt)}`)),
      expired
        ? h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "dismiss-invitation", onclick: (e) => busy(e.currentTarget, async () => {
          await inv.dismiss();
          toast("success", "Invitation dismissed", `The expired invitation to ${inv.organizationName} is gone from your list.`);
        }, "Couldn't dismiss the invitation") }, "Dismiss")
        : h("div", { class: "row", style: "gap:.4rem" },
          h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "decline-invitation", onclick: (e) => busy(e.currentTarget, async () => {
            await inv.decline();
            toast("success", "Invitation declined", `You declined to join ${inv.organizationName}.`);
          }, "Couldn't decline the invitation") }, "Decline"),
          h("button", { class: "btn btn-sm", type: "button", "data-testid": "accept-my-invitation", onclick: (e) => busy(e.currentTarget, async () => {
            const membership = await inv.accept();
            toast("success", "Invitation accepted", `You joined ${membership.organization.name}.`);
            go(`#/org/${encodeURIComponent(membership.organization.id)}`);
          }, "Couldn't accept the invitation") }, "Accept")));
  });
  return h("section", { class: "card", "data-testid": "my-invitations" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invitations for you"), h("p", {}, "Organizations that invited your address."))),
    h("ul", { class: "list" }, rows));
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
