//! The roster's and bulk removal's JSON bodies.

use super::ErrorDetail;
use crate::ids::UserId;
use crate::role::Role;
use crate::roster::RosterStatus;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One person on an organization's roster: a member, a pending invitation or a pending request
/// to join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RosterEntry {
    pub status: RosterStatus,
    /// The membership (`mem_`), invitation (`inv_`) or join request (`jrq_`).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^(mem|inv|jrq)_[A-Za-z0-9]{1,64}$")
    )]
    pub id: String,
    /// The person's user id (joined and requested; an invited address may have no account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// The person's name (joined and requested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub email_address: String,
    /// The role held, invited with, or proposed.
    pub role: Role,
    pub created_at: Timestamp,
    /// When the invitation expires (invited only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

/// `POST /v1/organizations/{org_id}/memberships/bulk-remove`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkRemoveRequest {
    /// 1 to 100 members' user ids (mine too: I leave); a repeated id is answered `not_found`.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub member_ids: Vec<UserId>,
}

/// The answer for one member of a bulk removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkRemoveResult {
    pub member_id: UserId,
    pub removed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// The answer to a bulk removal: one result per member, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRemoveResponse {
    pub data: Vec<BulkRemoveResult>,
}
