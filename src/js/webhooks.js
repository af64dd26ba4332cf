// An organization's webhook endpoints (holders of `org:webhooks:manage`: create, list, change
// and delete them, rotate a secret, send a test message, read the delivery attempts, resend a
// message) and its audit log, newest first (`org:audit:read`): plain data, no class. See
// `common.js` for how a method asks the rule book and sends.

import { bad, instant, opt, optional, orgPath, params, put, rule, send, seg } from "./common.js";

/** `/webhooks[/{id}]{rest}`, once I may manage webhooks here and `id` is an endpoint id. */
function webhooksPath(org, id, rest) {
  org.__rule("authorize", "webhooks");
  if (id === undefined) return orgPath(org, "/webhooks" + rest);
  if (!rule("shape", "webhook_endpoint", id)) throw bad("The webhook endpoint id is not valid.");
  return orgPath(org, "/webhooks/" + seg(id) + rest);
}

/** The body of a creation (`url` and `eventTypes` required) or of a change (every field
 * optional, and `enabled`), after the rule book's checks: my permission, the URL (as the most
 * permissive server takes it: the SDK cannot know `--dev` or `--webhook-allow-private`), the
 * event types and the description. */
function endpointBody(org, p, usage, create) {
  params(p, usage);
  const url = opt(p, "url", usage);
  const description = opt(p, "description", usage);
  const names = rule("strings", p, "eventTypes", usage);
  const enabled = create ? undefined : p.enabled;
  if ((create && (url === undefined || names === undefined)) || !(enabled === undefined || typeof enabled === "boolean")) {
    throw bad(usage);
  }
  org.__rule("authorize", "webhooks");
  if (url !== undefined) rule("url", url);
  if (names !== undefined) rule("eventTypes", names);
  if (description !== undefined) rule("webhookDescription", description);
  return { url, eventTypes: names && p.eventTypes, description, enabled };
}

const AUDIT_USAGE = "getAuditEvents takes { actor?, action?, subject?, from?, to?, limit?, after? }.";

/** Each is `(org, ...args)`. */
const ORGANIZATION = {
  getWebhookEndpoints(org, p) {
    const query = rule("page", p, "getWebhookEndpoints takes { limit?, after? }.", "webhook_endpoint");
    return send(org, "GET", webhooksPath(org, undefined, query));
  },
  createWebhookEndpoint(org, p) {
    const body = endpointBody(org, p, "createWebhookEndpoint needs { url, eventTypes, description? }.", true);
    return send(org, "POST", webhooksPath(org, undefined, ""), body);
  },
  updateWebhookEndpoint(org, id, p) {
    const usage = "updateWebhookEndpoint takes { url?, eventTypes?, description?, enabled? }.";
    const body = endpointBody(org, p, usage, false);
    return send(org, "PATCH", webhooksPath(org, id, ""), body);
  },
  deleteWebhookEndpoint(org, id) {
    return send(org, "DELETE", webhooksPath(org, id, ""));
  },
  rotateWebhookSecret(org, id) {
    return send(org, "POST", webhooksPath(org, id, "/rotate-secret"));
  },
  sendTestWebhook(org, id) {
    return send(org, "POST", webhooksPath(org, id, "/test"));
  },
  getWebhookAttempts(org, id, p) {
    const query = rule("page", p, "getWebhookAttempts takes { limit?, after? }.", "webhook_attempt");
    return send(org, "GET", webhooksPath(org, id, "/attempts" + query));
  },
  resendWebhook(org, id, messageId) {
    const path = webhooksPath(org, id, "/resend");
    if (!rule("shape", "webhook_message", messageId)) throw bad("The message id is not valid.");
    return send(org, "POST", path, { messageId });
  },
  getAuditEvents(org, p) {
    // An empty cursor is the first page, as for members.
    const page = rule("page", p, AUDIT_USAGE, "audit_event");
    const q = optional(p, AUDIT_USAGE);
    const [actor, action, subject] = ["actor", "action", "subject"].map((k) => opt(q, k, AUDIT_USAGE));
    const from = instant(q, "from", AUDIT_USAGE);
    const to = instant(q, "to", AUDIT_USAGE);
    org.__rule("authorize", "audit");
    const filter = rule("auditFilter", actor, action, subject, [from, to]);
    return send(org, "GET", orgPath(org, "/audit-events" + page + filter));
  },
};

/** Puts these methods on `Organization`. */
export function install(kit, org) {
  put(org, ORGANIZATION);
}
