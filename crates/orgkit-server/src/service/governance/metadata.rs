//! Reading and merging metadata on `/v1`: `publicMetadata` (members read it; those who manage
//! the organization, or its members, write it) and `privateMetadata` (only they read it).
//! Writes go through `service::instance::metadata`, the Clerk API's, under the same rules.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::instance::metadata::{self as write, MetadataChange, Stored};
use crate::state::AppState;
use orgkit_core::policy::Action;
use orgkit_core::{OrganizationId, Permission, UserId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Metadata as a reader sees it: `privateMetadata` only for those who may write it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetadataBody {
    #[schema(value_type = Object)]
    pub public_metadata: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub private_metadata: Option<Value>,
}

/// `PATCH …/metadata`: each given object is deep-merged into the stored one, and keys set to
/// `null` are removed (Clerk's merge).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMetadataRequest {
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub public_metadata: Option<Value>,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub private_metadata: Option<Value>,
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::Object(serde_json::Map::new()))
}

fn body(public: &str, private: Option<&str>) -> MetadataBody {
    MetadataBody {
        public_metadata: parse(public),
        private_metadata: private.map(parse),
    }
}

/// Checks each given field with the rule book (an object of at most 8 KiB) before any lock.
fn change_of(req: UpdateMetadataRequest) -> ApiResult<MetadataChange> {
    for value in [&req.public_metadata, &req.private_metadata]
        .into_iter()
        .flatten()
    {
        let text = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))?;
        orgkit_core::metadata::check(&text)?;
    }
    Ok(MetadataChange {
        public: req.public_metadata,
        private: req.private_metadata,
        merge: true,
    })
}

/// An organization's metadata, as I may see it.
pub async fn read_organization(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<MetadataBody> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let (public, private): (String, String) =
        sqlx::query_as("SELECT public_metadata, private_metadata FROM organizations WHERE id = $1")
            .bind(org_id.as_str())
            .fetch_one(&state.db.pool)
            .await?;
    let admin = access.held(me).contains(Permission::ProfileManage);
    Ok(body(&public, admin.then_some(private.as_str())))
}

/// Merges into an organization's metadata (`org:profile:manage`); answers both fields.
pub async fn update_organization(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: UpdateMetadataRequest,
) -> ApiResult<MetadataBody> {
    let Stored { public, private } =
        write::organization(state, me, org_id, &change_of(req)?).await?;
    Ok(body(&public, Some(&private)))
}

/// A member's metadata, as I may see it: the public part needs `org:memberships:read` (or
/// being that member), the private part `org:memberships:manage`.
pub async fn read_membership(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<MetadataBody> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    if user_id != me.id() {
        access.check(me, Action::ListMembers)?;
    } else {
        access.check(me, Action::ReadOrganization)?;
    }
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT public_metadata, private_metadata FROM memberships \
         WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    let (public, private) = row.ok_or_else(|| ApiError::not_found("Membership"))?;
    let admin = access.held(me).contains(Permission::MembershipsManage);
    Ok(body(&public, admin.then_some(private.as_str())))
}

/// Merges into a member's metadata (`org:memberships:manage`); answers both fields.
pub async fn update_membership(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    req: UpdateMetadataRequest,
) -> ApiResult<MetadataBody> {
    let Stored { public, private } =
        write::membership(state, me, org_id, user_id, &change_of(req)?).await?;
    Ok(body(&public, Some(&private)))
}
