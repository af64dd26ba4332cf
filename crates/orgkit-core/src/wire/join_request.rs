//! The join requests' JSON bodies.

use super::PublicUserData;
use crate::ids::{JoinRequestId, OrganizationId};
use crate::join_request::{JoinRequestSource, JoinRequestStatus};
use crate::role::Role;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A request to join an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JoinRequest {
    pub id: JoinRequestId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub organization_slug: String,
    /// The requester.
    pub public_user_data: PublicUserData,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub source: JoinRequestSource,
    /// The role proposed (an invite link's) or, once accepted, the role granted; `null` means
    /// the organization's default role.
    #[serde(default)]
    pub role: Option<Role>,
    pub status: JoinRequestStatus,
    pub created_at: Timestamp,
    /// When it was accepted, rejected or withdrawn.
    #[serde(default)]
    pub decided_at: Option<Timestamp>,
}

/// `POST /v1/join-requests`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateJoinRequestRequest {
    /// The organization's slug or id.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^([a-z0-9]+(-[a-z0-9]+)*|org_[A-Za-z0-9]{1,64})$",
            max_length = 68
        )
    )]
    pub organization: String,
    /// An optional message to the organization's admins: at most 500 characters once trimmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub message: Option<String>,
}

/// `POST /v1/organizations/{orgId}/join-requests/{id}/accept`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptJoinRequestRequest {
    /// The role to grant; by default the role proposed, else the default role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Role"))]
    pub role: Option<Role>,
}
