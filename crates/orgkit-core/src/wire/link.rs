//! Invite links' JSON bodies: a link (its token and URL only in the answer that made it), the
//! options of a new one, what a token previews, and what accepting one did.

use crate::ids::{InviteLinkId, JoinRequestId, OrganizationId, UserId};
use crate::link::InviteLinkStatus;
use crate::role::Role;
use crate::time::Timestamp;
use crate::wire::Membership;
use serde::{Deserialize, Serialize};

/// A reusable invite link of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteLink {
    pub id: InviteLinkId,
    pub organization_id: OrganizationId,
    /// The role a person joins with.
    pub role: Role,
    /// The status now: `active`, `revoked`, `expired` or `exhausted`.
    pub status: InviteLinkStatus,
    /// Accepting files a join request for an admin to decide instead of joining.
    pub requires_approval: bool,
    /// `null`: unlimited.
    pub max_uses: Option<u32>,
    /// Joins, and join requests filed through it.
    pub uses: u32,
    /// `null`: never.
    pub expires_at: Option<Timestamp>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    /// The secret token: only in the answer that created the link (or reset it), never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// `{publicUrl}/join?token=…`: shown as `token` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `POST /v1/organizations/{orgId}/invite-links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateInviteLinkRequest {
    pub role: Role,
    /// When it stops working (milliseconds since the epoch, in the future); absent: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<i64>, minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub expires_at: Option<Timestamp>,
    /// How many times it may be used, 1 to 10000; absent: unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000))]
    pub max_uses: Option<u32>,
    /// Accepting files a join request instead of joining (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_approval: Option<bool>,
}

/// What `POST /v1/invite-links/preview` tells about a link before anyone signs in: nothing
/// about the organization's members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteLinkPreview {
    pub organization_name: String,
    pub organization_slug: String,
    pub role: Role,
    pub status: InviteLinkStatus,
    pub requires_approval: bool,
}

/// The join request an invite link that requires approval filed (the requests' own routes
/// answer it in full).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkJoinRequest {
    pub id: JoinRequestId,
    pub organization_id: OrganizationId,
    /// `pending`.
    pub status: String,
    pub created_at: Timestamp,
}

/// What `POST /v1/invite-links/accept` did: `membership` when I joined, `joinRequest` when the
/// link requires approval and my request waits for an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteLinkAcceptance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<Membership>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_request: Option<LinkJoinRequest>,
}
