//! Invite links' JSON bodies: a link (its token and URL only in the answer that made it), the
//! options of a new one, what a token previews, and what accepting one did.

use crate::ids::{InviteLinkId, JoinRequestId, OrganizationId, UserId};
use crate::link::InviteLinkStatus;
use crate::role::Role;
use crate::time::Timestamp;
use crate::wire::Membership;
use serde::{Deserialize, Deserializer, Serialize};

/// A whole JSON number, also when written with a fraction of zero (`5.0`), as JSON Schema's
/// `integer` allows; `null` or absent is `None`.
fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let raw: Option<f64> = Option::deserialize(d)?;
    match raw {
        Some(n) if n.fract() != 0.0 || !n.is_finite() => {
            Err(serde::de::Error::custom("expected a whole number"))
        }
        n => Ok(n),
    }
}

fn whole_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    // Past the year 9999 (the schema's maximum) is refused by the rule book.
    Ok(whole(d)?.map(|n| Timestamp(n.clamp(i64::MIN as f64, i64::MAX as f64) as i64)))
}

fn whole_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match whole(d)? {
        Some(n) if n < 0.0 => Err(serde::de::Error::custom("expected a positive number")),
        n => Ok(n.map(|n| n.min(f64::from(u32::MAX)) as u32)),
    }
}

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
    /// The role a person joins with; absent: the organization's default role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// When it stops working (milliseconds since the epoch, in the future); absent: never.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole_timestamp"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<i64>, minimum = 0, maximum = 253_402_300_799_999_i64)
    )]
    pub expires_at: Option<Timestamp>,
    /// How many times it may be used, 1 to 10000; absent: unlimited.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole_count"
    )]
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
