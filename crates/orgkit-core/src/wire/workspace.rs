//! Workspaces, groups and service accounts on the wire:
//! `/v1/organizations/{id}/workspaces`, `/groups` and `/service-accounts`.

use crate::ids::{GroupId, OrganizationId, ServiceAccountId, UserId, WorkspaceId};
use crate::time::Timestamp;
#[cfg(feature = "openapi")]
use crate::wire::schema::{Description, ShortName, Slug};
use crate::workspace::{AccessVia, GroupRole, PrincipalKind, WorkspaceRole};
use serde::{Deserialize, Serialize};

/// A workspace, with the caller's effective role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: WorkspaceId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub slug: String,
    /// A member's own workspace, created on first use; it takes no grants.
    pub personal: bool,
    /// Archived: its data stays, it takes no new grants, and only managers reach it.
    pub archived: bool,
    pub created_at: Timestamp,
    /// The caller's effective role (`None`: only possible for an instance key).
    pub my_role: Option<WorkspaceRole>,
    /// Where that role comes from.
    pub my_access_via: Option<AccessVia>,
}

/// `POST /v1/organizations/{id}/workspaces`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateWorkspaceRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = ShortName))]
    pub name: String,
    /// Suggested from the name when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Slug>))]
    pub slug: Option<String>,
}

/// `PATCH /v1/organizations/{id}/workspaces/{ws}` (absent: unchanged).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateWorkspaceRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ShortName>))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Slug>))]
    pub slug: Option<String>,
}

/// Someone or something a role is granted to, with a name to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    #[serde(rename = "type")]
    pub kind: PrincipalKind,
    pub id: String,
    /// A person's name (or address), a group's or a service account's name.
    pub name: String,
}

/// One grant of a workspace role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceGrant {
    pub workspace_id: WorkspaceId,
    pub principal: Principal,
    pub role: WorkspaceRole,
    pub created_at: Timestamp,
}

/// `PUT /v1/organizations/{id}/workspaces/{ws}/principals/{kind}/{principal}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrantRequest {
    pub role: WorkspaceRole,
}

/// A person's effective access to a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EffectiveAccessBody {
    pub user_id: UserId,
    /// `None`: no access.
    pub role: Option<WorkspaceRole>,
    pub via: Option<AccessVia>,
}

/// A group of members and service accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: GroupId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: String,
    pub member_count: i64,
    pub created_at: Timestamp,
    /// The caller's role in the group, when they are in it.
    pub my_role: Option<GroupRole>,
}

/// `POST /v1/organizations/{id}/groups`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateGroupRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = ShortName))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Description>))]
    pub description: Option<String>,
}

/// `PATCH /v1/organizations/{id}/groups/{grp}` (absent: unchanged).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateGroupRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ShortName>))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Description>))]
    pub description: Option<String>,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GroupMember {
    pub group_id: GroupId,
    pub principal: Principal,
    pub role: GroupRole,
    pub created_at: Timestamp,
}

/// `PUT /v1/organizations/{id}/groups/{grp}/members/{kind}/{principal}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupMemberRequest {
    pub role: GroupRole,
}

/// A machine principal of one organization, acting through its API keys with its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    pub id: ServiceAccountId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: String,
    /// Its organization role: a key of the organization's role catalog.
    pub role: String,
    pub created_at: Timestamp,
    pub created_by: String,
}

/// `POST /v1/organizations/{id}/service-accounts`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateServiceAccountRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::wire::schema::ShortName))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::wire::schema::Description>))]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub description: Option<String>,
    #[cfg_attr(feature = "ts", tsify(type = "Role"))]
    pub role: String,
}

/// `PATCH /v1/organizations/{id}/service-accounts/{sa}` (absent: unchanged).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateServiceAccountRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::wire::schema::ShortName>))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::wire::schema::Description>))]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional, type = "Role"))]
    pub role: Option<String>,
}
