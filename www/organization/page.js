// The organization page (#/org/<id>[/<tab>]): the header with my roles and the tab bar (tabs.js: the
// Overview, Workspaces, Groups, and Service accounts & API keys tabs), then on the Overview tab the members card, the roles
// card (roles.js; the role catalog is loaded first, every card's role names and selects read it), the
// invitations card, the activity card, the webhooks card (members.js, invitations.js, activity.js,
// webhooks.js), the domains and SSO cards (domains.js, sso.js), the backend token card (token.js), the logo, member limit and metadata card and the billing card (governance.js), the settings and the danger zone (settings.js), each shown only to those whose
// permissions allow it: my permissions as the SDK's store has them, and the page is drawn again
// when they change.
import { h, avatar, roleBadge, messageCard, loadRoles } from "../ui.js";
import { kit, state } from "../context.js";
import { renderNav, homeButton, render } from "../router.js";
import { orgPart, settled, watch } from "../live.js";
import { signedOutView } from "../auth.js";
import { membersCard } from "./members.js";
import { invitationsCard } from "./invitations.js";
import { settingsCard, dangerZone } from "./settings.js";
import { activityCard } from "./activity.js";
import { webhooksCard } from "./webhooks.js";
import { requestsCard, joinRequestsToggle } from "./requests.js";
import { linksCard } from "./links.js";
import { domainsCard } from "./domains.js";
import { rosterCard } from "./roster.js";
import { ssoCard } from "./sso.js";
import { tokenCard } from "./token.js";
import { ownershipCard } from "./ownership.js";
import { brandingCard, billingCard } from "./governance.js";
import { rolesCard } from "./roles.js";
import { tabBar, tabView } from "./tabs.js";

/** For members who may not invite: the invite control, disabled, saying which permission it needs. */
function inviteLocked() {
  return h("section", { class: "card", "data-testid": "invite-locked" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Invitations"),
      h("p", {}, "Inviting people needs the org:invitations:manage permission, which your roles don't hold."))),
    h("button", { class: "btn", type: "button", disabled: true, "data-testid": "invite-submit", title: "Your roles don't hold org:invitations:manage" }, "Send invitations"));
}

export async function orgView(id, tab = "overview") {
  let org;
  try {
    org = await kit.getOrganization(id);
  } catch (err) {
    if (err?.code === "unauthenticated") {
      state.user = null;
      renderNav();
      return signedOutView("Your session has ended. Sign in again to see this organization.");
    }
    if (err?.code === "membership_suspended") {
      return messageCard({
        icon: "‖", tone: "bad", testid: "suspended",
        title: "Your membership is suspended",
        text: "An admin suspended your membership: you keep your role, but have no access until they reactivate you.",
        action: homeButton(),
      });
    }
    if (err?.code === "not_found" || err?.code === "forbidden") {
      return messageCard({
        icon: "∅", tone: "bad", testid: "not-member",
        title: "You're not a member of this organization",
        text: "It may have been deleted, or an admin removed you. Ask an admin for a new invitation if you need access.",
        action: homeButton(),
      });
    }
    throw err;
  }

  // The organization on screen is this tab's active one: getToken() speaks for it, and the
  // server remembers it for the next tab. Not awaited: the page needs no answer from it.
  kit.setActive({ organization: org.id }).catch((err) => console.warn("setActive:", err.code));
  // The role catalog first: the cards build their role selects and labels from it. Then what I
  // may do here as the store has it: the header and the members card follow the store, and the
  // page is drawn again when my roles, permissions, ownership or suspension change (another
  // admin changed them; the store sees it at its next revalidation) or I am no longer a member.
  const [, snap] = await Promise.all([loadRoles(org), settled((s) => s.organization?.id === org.id)]);
  const me = snap.organization?.id === org.id ? snap.organization : org;
  const standing = (s) => (s.organization?.id === org.id ? access(s.organization, s.membership) : "not a member");
  watch(standing(snap), (s) => (s.status === "ready" && s.user ? standing(s) : undefined), () => render());
  const head = await header(org);
  if (tab !== "overview") {
    return h("div", { class: "stack", "data-testid": "org-page", "data-org-id": org.id, "data-tab": tab },
      head, tabBar(org, tab), await tabView(org, tab));
  }
  const names = new Map();
  const roles = rolesCard(org);
  roles.render();
  const members = membersCard(org, names);
  const invitations = me.can("org:invitations:manage") ? invitationsCard(org) : null;
  const locked = invitations ? null : inviteLocked();
  const activity = me.can("org:audit:read") ? activityCard(org, names) : null;
  const webhooks = me.can("org:webhooks:manage") ? webhooksCard(org) : null;
  const requests = me.can("org:requests:manage") ? requestsCard(org) : null;
  const links = me.can("org:links:manage") ? linksCard(org) : null;
  const domains = me.can("org:domains:manage") ? domainsCard(org) : null;
  const sso = me.can("org:sso:manage") ? ssoCard(org) : null;
  const roster = rosterCard(org);
  const token = tokenCard(org);
  const ownership = me.isOwner ? ownershipCard(org) : null;
  const branding = brandingCard(org);
  const billing = me.can("org:billing:read") ? billingCard(org) : null;
  await Promise.all([ownership?.load(), token.load(), members.load(), invitations?.load(), webhooks?.load(), requests?.load(), links?.load(), domains?.load(), sso?.load(), roster.load(), branding.load(), billing?.load()]);
  await activity?.load();

  return h("div", { class: "stack", "data-testid": "org-page", "data-org-id": org.id, "data-tab": "overview" },
    head,
    tabBar(org, "overview"),
    members.section,
    roles.section,
    roster.section,
    invitations?.section,
    locked,
    links?.section,
    requests?.section,
    activity?.section,
    webhooks?.section,
    domains?.section,
    sso?.section,
    token.section,
    ownership?.section,
    branding.section,
    billing?.section,
    me.can("org:profile:manage") ? settingsCard(org) : null,
    me.can("org:requests:manage") ? joinRequestsToggle(org) : null,
    dangerZone(org, me.isOwner && me.can("org:profile:delete")));
}

/** My standing in organization `o` with my `membership` in it: the page is drawn again when it changes. */
function access(o, membership) {
  return JSON.stringify([o.roles, [...o.permissions].sort(), o.isOwner, membership?.suspended ?? false]);
}

/**
 * The page's head, drawn from the store's organization: back link, logo or initials, name,
 * slug, my roles and the owner badge; drawn again only when one of them changes.
 */
function header(org) {
  return orgPart(org, (o) => JSON.stringify([o.name, o.slug, o.hasImage, o.imageUrl, o.roles, o.isOwner]), headerContent);
}

function headerContent(org) {
  return h("div", {},
    h("a", { class: "back", href: "/#/" }, "← All organizations"),
    h("div", { class: "page-head" },
      h("div", { class: "row", style: "gap:.9rem;flex-wrap:nowrap" },
        org.hasImage ? h("img", { class: "org-logo-head", src: org.imageUrl, alt: "", "data-testid": "org-header-logo" }) : avatar(org.name, { square: true }),
        h("div", {},
          h("h1", { "data-testid": "org-name" }, org.name),
          h("p", { class: "sub row" }, h("span", { "data-testid": "org-slug" }, `/${org.slug}`), h("span", { "aria-hidden": "true" }, "·"),
            h("span", {}, org.roles.length > 1 ? "Your roles: " : "Your role: "),
            h("span", { class: "row", style: "gap:.3rem", "data-testid": "my-role", "data-role": org.role, "data-roles": org.roles.join(" ") }, org.roles.map(roleBadge)),
            org.isOwner ? h("span", { class: "badge badge-owner", "data-testid": "my-owner-badge" }, "Owner") : null)))));
}
