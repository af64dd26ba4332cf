//! Webhooks' TypeScript declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const WEBHOOK_TS_SECTION: &'static str = WEBHOOK_TYPES;

/// Webhook endpoints' and messages' declarations.
#[allow(dead_code)] // read by the custom section above, which rustc does not see
pub(crate) const WEBHOOK_TYPES: &str = r#"

/** The organization's webhook and audit log methods (written in JS, `src/js/webhooks.js`; declaration merging with the class). */
export interface Organization {
  /**
   * One page of the organization's webhook endpoints, oldest first: `{ data, nextCursor }` (needs `org:webhooks:manage`). Endpoints never carry their secret.
   *
   * @example
   * ```js
   * const { data, nextCursor } = await org.getWebhookEndpoints({ limit: 20 });
   * ```
   */
  getWebhookEndpoints(p?: PageParams): Promise<WebhookEndpointsPage>;
  /**
   * Creates a webhook endpoint: an `https` URL (plain `http` only to a loopback host on a `--dev` server) and the event types it receives. The answer carries its signing secret (`whsec_…`), shown only this once: store it now.
   *
   * @example
   * ```js
   * const { id, secret } = await org.createWebhookEndpoint({
   *   url: "https://example.com/webhooks/orgkit",
   *   eventTypes: ["organizationMembership.created", "organizationMembership.deleted"],
   * });
   * ```
   */
  createWebhookEndpoint(p: CreateWebhookEndpointParams): Promise<WebhookEndpointWithSecret>;
  /** Changes a webhook endpoint: its URL, event types or description, or `enabled` (`false` disables it; `true` enables it again, whatever disabled it). */
  updateWebhookEndpoint(id: string, p: UpdateWebhookEndpointParams): Promise<WebhookEndpoint>;
  /** Deletes a webhook endpoint with its delivery attempts; what was queued for it is dropped. */
  deleteWebhookEndpoint(id: string): Promise<void>;
  /** Gives a webhook endpoint a new signing secret, shown only this once. The replaced secret keeps signing beside it for 24 hours (`previousSecretExpiresAt`), so receivers can switch. */
  rotateWebhookSecret(id: string): Promise<WebhookEndpointWithSecret>;
  /** Queues a `webhook.test` message for this endpoint, whatever it subscribes to; its attempts then show in `getWebhookAttempts`. */
  sendTestWebhook(id: string): Promise<WebhookMessageQueued>;
  /** One page of an endpoint's delivery attempts, newest first: `{ data, nextCursor }`. */
  getWebhookAttempts(id: string, p?: PageParams): Promise<WebhookAttemptsPage>;
  /** Queues a message this endpoint was sent before once more, with the same `webhook-id` (`messageId`, from an attempt) and body. */
  resendWebhook(id: string, messageId: string): Promise<WebhookMessageQueued>;
  /**
   * One page of the organization's audit events, newest first (needs `org:audit:read`): `{ data, nextCursor }`. Every filter is optional: `actor` (a user id), `action` (such as `"membership.role_changed"`), `subject`, and `from` / `to` (a `Date` or milliseconds).
   *
   * @example
   * ```js
   * const { data, nextCursor } = await org.getAuditEvents({ action: "membership.removed" });
   * ```
   */
  getAuditEvents(p?: AuditEventsParams): Promise<AuditEventsPage>;
}
/** What happened, as a webhook message's `type` says it (Clerk's names, and orgkit's own
 * `organizationInvitation.delivery` and `webhook.test`). */
export type WebhookEventType = EventType;

/** The event types an endpoint can subscribe to: every one but those sent only on request. */
export type SubscribableWebhookEventType = Exclude<WebhookEventType, "webhook.test">;

/** Why an endpoint receives nothing: an admin turned it off, it answered `410 Gone`, or its
 * organization was deleted. */
export type WebhookDisabledReason = DisabledReason;

/** A webhook endpoint of an organization. It never carries its secret. */
export interface WebhookEndpoint {
  id: string;
  organizationId: string;
  url: string;
  /** The event types it receives, in catalog order. */
  eventTypes: SubscribableWebhookEventType[];
  description: string;
  enabled: boolean;
  /** Why it is disabled; `null` while enabled. */
  disabledReason: WebhookDisabledReason | null;
  /** Until then the secret replaced by the last rotation signs beside the new one. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint with its signing secret: the answer of creation and of rotation, the only
 * times the secret is shown. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  /** `whsec_…`, as the Standard Webhooks libraries take it. Shown once: store it now. */
  secret: string;
}

/** One page of webhook endpoints, oldest first. */
export interface WebhookEndpointsPage {
  data: WebhookEndpoint[];
  /** Pass as `after` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

export interface CreateWebhookEndpointParams {
  /** `https://…`; plain `http` only to a loopback host on a `--dev` server. */
  url: string;
  /** At least one. */
  eventTypes: SubscribableWebhookEventType[];
  description?: string;
}

export interface UpdateWebhookEndpointParams {
  url?: string;
  eventTypes?: SubscribableWebhookEventType[];
  description?: string;
  /** `false` disables it; `true` enables it again, whatever disabled it. */
  enabled?: boolean;
}

/** A message queued for an endpoint: the answer of a test and of a resend. */
export interface WebhookMessageQueued {
  /** The `webhook-id` it is sent with. */
  messageId: string;
  eventType: WebhookEventType;
}

/** One attempt to deliver a message to an endpoint. */
export interface WebhookAttempt {
  id: string;
  endpointId: string;
  /** The message's `webhook-id`: pass it to `resendWebhook`. */
  messageId: string;
  eventType: WebhookEventType;
  /** Whether the endpoint answered 2xx. */
  succeeded: boolean;
  /** The endpoint's HTTP status; `null` when it did not answer. */
  statusCode: number | null;
  durationMs: number;
  /** The first KiB of the endpoint's answer. */
  responseBody: string | null;
  /** Why no answer came, or why it was not accepted. */
  error: string | null;
  createdAt: Date;
}

/** One page of delivery attempts, newest first. */
export interface WebhookAttemptsPage {
  data: WebhookAttempt[];
  /** Pass as `after` for the next (older) page; `null` on the last page. */
  nextCursor: string | null;
}
"#;
