//! `/v1/organizations/{org_id}/groups`: groups of members and service accounts, and their
//! members.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::groups::{self, admin, members};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateGroupRequest, ErrorBody, Group, GroupMember, GroupMemberRequest, Page, UpdateGroupRequest,
};
use orgkit_core::workspace::PrincipalKind;
use orgkit_core::{GroupId, OrganizationId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(list_members))
        .routes(routes!(put_member, remove_member))
}

/// What a group holds: people and service accounts (not groups).
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupMemberKind {
    User,
    ServiceAccount,
}

impl From<GroupMemberKind> for PrincipalKind {
    fn from(kind: GroupMemberKind) -> Self {
        match kind {
            GroupMemberKind::User => PrincipalKind::User,
            GroupMemberKind::ServiceAccount => PrincipalKind::ServiceAccount,
        }
    }
}

/// The organization's groups, by id, with their member counts and my role in each (any
/// member).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/groups", tag = "groups",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(grp_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<Group>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<Group>>> {
    let page = groups::list(&state, &me, &org_id, q.limit, q.after.as_deref()).await?;
    Ok(Json(page))
}

/// Creates a group (`org:groups:manage`); names are unique in the organization.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/groups", tag = "groups",
    params(("org_id" = OrganizationId, Path)), request_body = CreateGroupRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = Group),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or description"),
        (status = 403, body = ErrorBody, description = "forbidden: my roles may not manage groups"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "group_name_taken")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateGroupRequest>,
) -> ApiResult<(StatusCode, Json<Group>)> {
    let group = admin::create(&state, &me, &org_id, &req).await?;
    Ok((StatusCode::CREATED, Json(group)))
}

/// One group (any member).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/groups/{grp_id}", tag = "groups",
    params(("org_id" = OrganizationId, Path), ("grp_id" = GroupId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Group),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or group")))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, grp_id)): AppPath<(OrganizationId, GroupId)>,
) -> ApiResult<Json<Group>> {
    Ok(Json(groups::get(&state, &me, &org_id, &grp_id).await?))
}

/// Renames a group or changes its description (`org:groups:manage`).
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/groups/{grp_id}", tag = "groups",
    params(("org_id" = OrganizationId, Path), ("grp_id" = GroupId, Path)),
    request_body = UpdateGroupRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Group),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or description"),
        (status = 403, body = ErrorBody, description = "forbidden: my roles may not manage groups"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "group_name_taken")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, grp_id)): AppPath<(OrganizationId, GroupId)>,
    AppJson(req): AppJson<UpdateGroupRequest>,
) -> ApiResult<Json<Group>> {
    Ok(Json(
        admin::update(&state, &me, &org_id, &grp_id, &req).await?,
    ))
}

/// Deletes a group with its grants and members (`org:groups:manage`).
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/groups/{grp_id}", tag = "groups",
    params(("org_id" = OrganizationId, Path), ("grp_id" = GroupId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "forbidden: my roles may not manage groups"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, grp_id)): AppPath<(OrganizationId, GroupId)>,
) -> ApiResult<StatusCode> {
    admin::delete(&state, &me, &org_id, &grp_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A group's members, by row id (any member of the organization).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/groups/{grp_id}/members", tag = "groups",
    params(("org_id" = OrganizationId, Path), ("grp_id" = GroupId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(grm_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<GroupMember>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list_members(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, grp_id)): AppPath<(OrganizationId, GroupId)>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<GroupMember>>> {
    let after = q.after.as_deref();
    let page = groups::list_members(&state, &me, &org_id, &grp_id, q.limit, after).await?;
    Ok(Json(page))
}

/// Puts a member or a service account in the group, or changes its role there
/// (`org:groups:manage` or the group's manager).
#[utoipa::path(put, path = "/v1/organizations/{org_id}/groups/{grp_id}/members/{kind}/{principal_id}", tag = "groups",
    params(("org_id" = OrganizationId, Path), ("grp_id" = GroupId, Path),
        ("kind" = inline(GroupMemberKind), Path), ("principal_id" = String, Path, description = "A user or service account id")),
    request_body = GroupMemberRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = GroupMember),
        (status = 403, body = ErrorBody, description = "forbidden: neither an admin nor the group's manager"),
        (status = 404, body = ErrorBody, description = "not_found: no such group or service account"),
        (status = 409, body = ErrorBody, description = "not_a_member")))]
pub async fn put_member(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, grp_id, kind, principal_id)): AppPath<(
        OrganizationId,
        GroupId,
        GroupMemberKind,
        String,
    )>,
    AppJson(req): AppJson<GroupMemberRequest>,
) -> ApiResult<Json<GroupMember>> {
    let (kind, role) = (kind.into(), req.role);
    let member = members::put(&state, &me, &org_id, &grp_id, kind, &principal_id, role).await?;
    Ok(Json(member))
}

/// Takes a member or a service account out of the group (`org:groups:manage` or the group's
/// manager).
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/groups/{grp_id}/members/{kind}/{principal_id}", tag = "groups",
    params(("org_id" = OrganizationId, Path), ("grp_id" = GroupId, Path),
        ("kind" = inline(GroupMemberKind), Path), ("principal_id" = String, Path, description = "A user or service account id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Removed"),
        (status = 403, body = ErrorBody, description = "forbidden: neither an admin nor the group's manager"),
        (status = 404, body = ErrorBody, description = "not_found: no such group or group member")))]
pub async fn remove_member(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, grp_id, kind, principal_id)): AppPath<(
        OrganizationId,
        GroupId,
        GroupMemberKind,
        String,
    )>,
) -> ApiResult<StatusCode> {
    members::remove(&state, &me, &org_id, &grp_id, kind.into(), &principal_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
