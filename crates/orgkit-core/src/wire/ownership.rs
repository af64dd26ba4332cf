//! Owners' JSON bodies: transferring ownership.

use crate::ids::UserId;
use crate::role::Role;
use serde::{Deserialize, Serialize};

/// `POST /v1/organizations/{orgId}/transfer-ownership`: the member who becomes the owner (and
/// an admin), and the role the old owner keeps (default `admin`).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransferOwnershipRequest {
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub user_id: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Role"))]
    pub keep_role: Option<Role>,
}
