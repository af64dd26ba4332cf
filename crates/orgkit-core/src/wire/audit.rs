//! The audit log's JSON bodies.

use crate::ids::{ApiKeyId, AuditEventId, OrganizationId, UserId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who made a change. Today always a user; API keys and service accounts join as more kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditActor {
    /// A signed-in user.
    User { id: UserId },
}

/// One change to an organization: who did what, to what, when and from where. It never holds
/// a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Time-ordered: newer events have greater ids.
    pub id: AuditEventId,
    pub organization_id: OrganizationId,
    pub actor: AuditActor,
    /// What happened, for example `membership.role_changed`.
    pub action: String,
    /// The id of what it happened to (a user, an invitation, the organization).
    pub subject: String,
    /// A short human-readable detail: an address, a role change, a name.
    pub detail: String,
    /// The client address the change came from, when known.
    pub ip_address: Option<String>,
    /// The client's `User-Agent`, when it sent one.
    pub user_agent: Option<String>,
    pub created_at: Timestamp,
    /// The API key the change was made with, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<ApiKeyId>,
}
