//! Webhooks' JSON bodies: endpoints, their one-time secrets, delivery attempts, and the
//! envelope every message is sent in.

use crate::ids::{OrganizationId, WebhookAttemptId, WebhookEndpointId, WebhookMessageId};
use crate::time::Timestamp;
use crate::webhook::{DisabledReason, EventType};
use serde::{Deserialize, Serialize};

/// A webhook endpoint of an organization. It never holds a secret: the secret is answered
/// once, by creation and by rotation ([`WebhookEndpointWithSecret`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    pub id: WebhookEndpointId,
    pub organization_id: OrganizationId,
    pub url: String,
    /// The event types it receives, in catalog order.
    pub event_types: Vec<EventType>,
    pub description: String,
    pub enabled: bool,
    /// Why it is disabled; `null` while enabled.
    pub disabled_reason: Option<DisabledReason>,
    /// Until then the secret replaced by the last rotation still signs every message,
    /// alongside the new one; `null` when there is none.
    pub previous_secret_expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An endpoint with its signing secret: the answer of creation and of rotation, the only
/// times the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// `whsec_` and the base64 of 32 random bytes, as the Standard Webhooks libraries take it.
    /// Shown once: store it now.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^whsec_[A-Za-z0-9+/]{43}=$"))]
    pub secret: String,
}

/// `POST /v1/organizations/{orgId}/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateWebhookEndpointRequest {
    /// `https://…`; plain `http` only to a loopback host on a `--dev` server.
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub url: String,
    /// At least one event type of the catalog (`webhook.test` excepted).
    pub event_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub description: Option<String>,
}

/// `PATCH /v1/organizations/{orgId}/webhooks/{id}`: the fields to change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateWebhookEndpointRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub description: Option<String>,
    /// `false` disables it (reason `manual`); `true` enables it again, whatever the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `POST /v1/organizations/{orgId}/webhooks/{id}/resend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResendWebhookRequest {
    /// A message this endpoint was sent before (its `webhook-id`).
    pub message_id: WebhookMessageId,
}

/// A message queued for an endpoint: the answer of a test and of a resend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookMessageQueued {
    /// The `webhook-id` it is sent with.
    pub message_id: WebhookMessageId,
    pub event_type: EventType,
}

/// One attempt to deliver a message to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttempt {
    /// Time-ordered: newer attempts have greater ids.
    pub id: WebhookAttemptId,
    pub endpoint_id: WebhookEndpointId,
    pub message_id: WebhookMessageId,
    pub event_type: EventType,
    /// Whether the endpoint answered 2xx.
    pub succeeded: bool,
    /// The endpoint's HTTP status; `null` when it did not answer (refused address, connection
    /// failure, timeout).
    pub status_code: Option<u16>,
    pub duration_ms: i64,
    /// The first KiB of the endpoint's answer, as text.
    pub response_body: Option<String>,
    /// Why no answer came, or why it was not accepted.
    pub error: Option<String>,
    pub created_at: Timestamp,
}

/// The body of every webhook message, as the Standard Webhooks specification shapes it.
/// `data` is the API's own wire object of what changed: an `Organization` (without the
/// caller's `role` and `permissions`), a `Membership`, an `Invitation`; for
/// `organization.deleted`, `{"id", "deleted": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookPayload<T> {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the event happened, RFC 3339 in UTC.
    pub timestamp: String,
    pub data: T,
}
