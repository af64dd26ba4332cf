// The activity card of an organization page (holders of org:audit:read): the audit log,
// newest first, filtered by kind of change, with "Load more" following the cursor.
import { h, mount, showError, busy, fmtDateTime, field } from "../ui.js";
import { state } from "../context.js";

/** Each action: its name in the filter, and what it reads as after the actor's name. */
const ACTIONS = {
  "organization.created": ["Organization created", "created the organization"],
  "organization.updated": ["Profile changed", "changed the organization's profile"],
  "invitation.created": ["Invitations sent", "invited"],
  "invitation.resent": ["Invitations resent", "resent the invitation to"],
  "invitation.revoked": ["Invitations revoked", "revoked the invitation to"],
  "invitation.accepted": ["Invitations accepted", "accepted the invitation for"],
  "invitation.declined": ["Invitations declined", "declined the invitation for"],
  "invitation.dismissed": ["Expired invitations dismissed", "dismissed the expired invitation for"],
  "membership.role_changed": ["Role changes", "changed a role:"],
  "membership.removed": ["Members removed", "removed a member:"],
  "membership.left": ["Members who left", "left the organization"],
  "webhook.created": ["Webhook endpoints added", "added the webhook endpoint"],
  "webhook.updated": ["Webhook endpoints changed", "changed the webhook endpoint"],
  "webhook.deleted": ["Webhook endpoints deleted", "deleted the webhook endpoint"],
  "webhook.secret_rotated": ["Webhook secrets rotated", "rotated the signing secret of"],
  "webhook.tested": ["Webhook tests", "sent a test event:"],
  "webhook.resent": ["Webhook messages resent", "resent a webhook message:"],
  "invite_link.created": ["Invite links created", "created an invite link:"],
  "invite_link.reset": ["Invite links reset", "reset an invite link,"],
  "invite_link.revoked": ["Invite links revoked", "revoked an invite link:"],
  "invite_link.accepted": ["Joined by invite link", "used an invite link:"],
  "domain.created": ["Domains added", "added the domain"],
  "domain.deleted": ["Domains deleted", "deleted the domain"],
  "domain.affiliation_code_sent": ["Domain codes sent", "sent a domain verification code to"],
  "domain.affiliation_verified": ["Domains verified by affiliation", "verified a domain through"],
  "domain.ownership_verified": ["Domains verified by DNS", "verified through DNS the domain"],
  "domain.enrollment_mode_changed": ["Enrollment modes changed", "changed a domain's enrollment mode:"],
  "invitation.created_by_domain": ["Invitations by domain", "was invited by a verified domain:"],
  "organization.join_requests_changed": ["Requests to join turned on or off", "changed who may ask to join:"],
  "join_request.filed": ["Requests to join", "asked to join:"],
  "join_request.withdrawn": ["Requests withdrawn", "withdrew a request to join"],
  "join_request.accepted": ["Requests accepted", "accepted a request to join:"],
  "join_request.rejected": ["Requests rejected", "rejected a request to join:"],
  "ownership.transferred": ["Ownership transferred", "transferred ownership:"],
  "ownership.given_up": ["Ownership given up", "gave up ownership, keeping the role"],
  "membership.owner_granted": ["Owners made", "made an owner:"],
  "membership.owner_revoked": ["Owners unmade", "took the owner flag from"],
  "membership.suspended": ["Members suspended", "suspended a member:"],
  "membership.reactivated": ["Members reactivated", "reactivated a member:"],
  "organization.creator_protection_changed": ["Creator protection", "changed the creator protection:"],
};

const PAGE = 10;

/** "You" for me, else the actor's member name when the page knows it, else their id. */
function actorLabel(actor, names) {
  if (actor.id === state.user?.id) return "You";
  return names.get(actor.id) ?? actor.id;
}

/** The card (`section`) for `org`; `load` fills it. `names` maps user ids to member names. */
export function activityCard(org, names = new Map()) {
  const list = h("ol", { class: "activity", "data-testid": "activity-list" });
  const more = h("button", { class: "btn btn-secondary btn-sm", type: "button", "data-testid": "activity-more", hidden: true }, "Load more");
  const kind = h("select", { id: "activity-kind", "data-testid": "activity-filter" },
    h("option", { value: "" }, "Every change"),
    Object.entries(ACTIONS).map(([a, [label]]) => h("option", { value: a }, label)));
  let cursor = null;

  function item(e) {
    return h("li", { "data-testid": "activity-item", "data-action": e.action },
      h("div", {}, h("strong", {}, actorLabel(e.actor, names)), " ", ACTIONS[e.action]?.[1] ?? e.action, " ",
        e.detail && e.action !== "organization.created" ? h("span", { class: "detail" }, e.detail) : null),
      h("small", { class: "muted" }, fmtDateTime(e.createdAt), e.ipAddress ? ` · ${e.ipAddress}` : ""));
  }

  async function fetchPage(after) {
    const page = await org.getAuditEvents({ action: kind.value || undefined, limit: PAGE, after: after ?? undefined });
    cursor = page.nextCursor;
    more.hidden = !cursor;
    return page.data.map(item);
  }

  async function load() {
    try {
      const items = await fetchPage(null);
      mount(list, items.length ? items : h("li", { class: "empty", "data-testid": "activity-empty" }, "No changes of this kind yet."));
    } catch (err) {
      showError("Couldn't load the activity", err);
    }
  }

  more.onclick = (e) => busy(e.currentTarget, async () => list.append(...(await fetchPage(cursor))), "Couldn't load more activity");
  kind.onchange = () => load();

  const section = h("section", { class: "card", "data-testid": "activity-card" },
    h("div", { class: "card-head" }, h("div", {}, h("h2", {}, "Activity"),
      h("p", {}, "Every change to this organization: who made it, when and from where."))),
    h("div", { class: "activity-filter" }, field("Show", kind)),
    list,
    more);
  return { section, load };
}
