//! Webhooks (the Standard Webhooks specification): the event type catalog, the checks of an
//! endpoint (its URL, event types and description), the address policy that keeps the server
//! from calling into its own network, and what an endpoint's answer means.
//!
//! Event types use Clerk's names. orgkit adds, in the same style, `organizationInvitation.delivery`
//! (an invitation for the app to deliver itself) and `webhook.test` (the test message an admin
//! sends to one endpoint; it cannot be subscribed to).

use crate::error::{DomainError, ErrorCode};
use serde::{Deserialize, Serialize};

/// The longest endpoint URL, in bytes (URLs are ASCII).
pub const MAX_URL_CHARS: usize = 2048;
/// The longest endpoint description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 512;
/// The most webhook endpoints one organization may have: every event is queued once per
/// subscribed endpoint.
pub const MAX_ENDPOINTS_PER_ORGANIZATION: usize = 20;
/// How long a rotated-out secret keeps signing alongside the new one: 24 hours.
pub const SECRET_ROTATION_OVERLAP_MS: i64 = 24 * 60 * 60 * 1000;
/// How many bytes of an endpoint's answer a delivery attempt keeps.
pub const MAX_RESPONSE_BYTES: usize = 1024;

/// What happened, as sent in a webhook's `type` field.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[non_exhaustive]
pub enum EventType {
    /// An organization was created. In the catalog for parity with Clerk; an organization's
    /// own endpoints are created after it, so they never receive it.
    #[serde(rename = "organization.created")]
    OrganizationCreated,
    /// An organization was renamed or got a new slug.
    #[serde(rename = "organization.updated")]
    OrganizationUpdated,
    /// An organization was deleted. Its endpoints still receive this last message.
    #[serde(rename = "organization.deleted")]
    OrganizationDeleted,
    /// Someone joined (by accepting an invitation).
    #[serde(rename = "organizationMembership.created")]
    MembershipCreated,
    /// A member got another role.
    #[serde(rename = "organizationMembership.updated")]
    MembershipUpdated,
    /// A member was removed, or left.
    #[serde(rename = "organizationMembership.deleted")]
    MembershipDeleted,
    /// An address was invited.
    #[serde(rename = "organizationInvitation.created")]
    InvitationCreated,
    /// An invitation was accepted.
    #[serde(rename = "organizationInvitation.accepted")]
    InvitationAccepted,
    /// An invitation was revoked.
    #[serde(rename = "organizationInvitation.revoked")]
    InvitationRevoked,
    /// orgkit's own: an invitation made with `delivery: "webhook"`, with its accept URL and
    /// token, for the app to send its own way (SMS, chat). The queue erases the message once
    /// delivered (outside `--dev`), and it is never resent.
    #[serde(rename = "organizationInvitation.delivery")]
    InvitationDelivery,
    /// orgkit's own: the test message sent to one endpoint on request. Not subscribable.
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl EventType {
    /// Every event type, in catalog order.
    pub const ALL: [EventType; 11] = [
        EventType::OrganizationCreated,
        EventType::OrganizationUpdated,
        EventType::OrganizationDeleted,
        EventType::MembershipCreated,
        EventType::MembershipUpdated,
        EventType::MembershipDeleted,
        EventType::InvitationCreated,
        EventType::InvitationAccepted,
        EventType::InvitationRevoked,
        EventType::InvitationDelivery,
        EventType::WebhookTest,
    ];

    /// The wire form, for example `"organizationMembership.updated"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::OrganizationCreated => "organization.created",
            EventType::OrganizationUpdated => "organization.updated",
            EventType::OrganizationDeleted => "organization.deleted",
            EventType::MembershipCreated => "organizationMembership.created",
            EventType::MembershipUpdated => "organizationMembership.updated",
            EventType::MembershipDeleted => "organizationMembership.deleted",
            EventType::InvitationCreated => "organizationInvitation.created",
            EventType::InvitationAccepted => "organizationInvitation.accepted",
            EventType::InvitationRevoked => "organizationInvitation.revoked",
            EventType::InvitationDelivery => "organizationInvitation.delivery",
            EventType::WebhookTest => "webhook.test",
        }
    }

    /// Parses the wire form; unknown names give `None`.
    #[must_use]
    pub fn parse(raw: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == raw)
    }

    /// Whether an endpoint may subscribe to it (every type but `webhook.test`).
    #[must_use]
    pub const fn is_subscribable(self) -> bool {
        !matches!(self, EventType::WebhookTest)
    }
}

/// Why an endpoint receives nothing.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DisabledReason {
    /// An admin turned it off.
    Manual,
    /// It answered `410 Gone`: the receiver asked to stop.
    Gone,
    /// Its organization was deleted; the messages queued before that still go out.
    OrganizationDeleted,
}

impl DisabledReason {
    pub const ALL: [DisabledReason; 3] = [
        DisabledReason::Manual,
        DisabledReason::Gone,
        DisabledReason::OrganizationDeleted,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            DisabledReason::Manual => "manual",
            DisabledReason::Gone => "gone",
            DisabledReason::OrganizationDeleted => "organization_deleted",
        }
    }

    #[must_use]
    pub fn parse(raw: &str) -> Option<DisabledReason> {
        DisabledReason::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// What an endpoint's HTTP status means for a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// A 2xx: delivered.
    Delivered,
    /// `410 Gone`: the endpoint is disabled and the message is dead.
    Gone,
    /// Anything else, redirects included (they are never followed): try again later.
    Retry,
}

/// Only a 2xx is success; 410 disables the endpoint; everything else is retried.
#[must_use]
pub const fn answer_outcome(status: u16) -> AnswerOutcome {
    match status {
        200..=299 => AnswerOutcome::Delivered,
        410 => AnswerOutcome::Gone,
        _ => AnswerOutcome::Retry,
    }
}

/// Checks the event types an endpoint subscribes to: at least one, each in the catalog and
/// subscribable. Answers them without repeats, in catalog order.
pub fn event_types(raw: &[String]) -> Result<Vec<EventType>, DomainError> {
    if raw.is_empty() {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "Subscribe to at least one event type.",
        ));
    }
    let mut wanted = [false; EventType::ALL.len()];
    for name in raw {
        let index = EventType::ALL
            .iter()
            .position(|e| e.as_str() == name.as_str())
            .ok_or(DomainError::new(
                ErrorCode::UnknownEventType,
                "That event type is not in the catalog.",
            ))?;
        if !EventType::ALL[index].is_subscribable() {
            return Err(DomainError::new(
                ErrorCode::ValidationFailed,
                "webhook.test is sent only on request, to one endpoint; it cannot be subscribed to.",
            ));
        }
        wanted[index] = true;
    }
    Ok(EventType::ALL
        .into_iter()
        .zip(wanted)
        .filter_map(|(e, w)| w.then_some(e))
        .collect())
}

/// Checks a description, then trims it: at most [`MAX_DESCRIPTION_CHARS`], no control
/// characters, counted and checked before trimming (as the OpenAPI schema states them). Empty
/// is fine.
pub fn description(raw: &str) -> Result<String, DomainError> {
    let text = raw;
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The description must be at most 512 characters.",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The description must not contain control characters.",
        ));
    }
    Ok(text.trim().to_owned())
}

/// Whether one more endpoint fits in an organization that has `existing`.
pub fn check_endpoint_count(existing: u64) -> Result<(), DomainError> {
    if existing >= MAX_ENDPOINTS_PER_ORGANIZATION as u64 {
        Err(DomainError::new(
            ErrorCode::WebhookLimitReached,
            "An organization can have at most 20 webhook endpoints.",
        ))
    } else {
        Ok(())
    }
}

mod address;
pub(crate) mod ip;
mod url;

pub use address::{check_address, classify, is_localhost_name, AddressClass};
pub use url::{check_endpoint_url, endpoint_url, CheckedUrl, EndpointUrl, UrlHost, UrlPolicy};
#[cfg(test)]
mod tests;
