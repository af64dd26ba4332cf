//! Webhooks' TypeScript declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const WEBHOOK_TS_SECTION: &'static str = WEBHOOK_TYPES;

/// Webhook endpoints' and messages' declarations.
#[allow(dead_code)] // read by the custom section above, which rustc does not see
pub(crate) const WEBHOOK_TYPES: &str = r#"
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
