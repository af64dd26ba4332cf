//! `/v1/organizations/{id}/roles` and `/role-settings`: the organization's role catalog, its
//! custom roles and its creator and default roles.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath};
use crate::service::roles;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateRoleRequest, ErrorBody, RoleCatalogBody, RoleInfo, RoleSettingsRequest, UpdateRoleRequest,
};
use orgkit_core::OrganizationId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
        .routes(routes!(set_settings))
}

/// The organization's roles (built-ins first), every permission a role may hold (system and
/// app ones), and its creator and default roles. Any member may read it.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/roles", tag = "roles",
    params(("org_id" = OrganizationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RoleCatalogBody), (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<RoleCatalogBody>> {
    Ok(Json(roles::catalog(&state, &me, &org_id).await?))
}

/// Creates a custom role `org:<slug>` from permissions of the catalog (`org:roles:manage`);
/// none of them beyond my own, at most 20 custom roles.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/roles", tag = "roles",
    params(("org_id" = OrganizationId, Path)), request_body = CreateRoleRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = RoleInfo),
        (status = 400, body = ErrorBody, description = "validation_failed: the key, name or description"),
        (status = 403, body = ErrorBody, description = "forbidden: my roles may not manage roles; permission_escalation (with missingPermissions)"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "unknown_permission, role_key_taken, role_limit_reached")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateRoleRequest>,
) -> ApiResult<(StatusCode, Json<RoleInfo>)> {
    let role = roles::create(&state, &me, &org_id, &req).await?;
    Ok((StatusCode::CREATED, Json(role)))
}

/// Changes a custom role's name, description or whole permission set. Its current and new
/// permissions must be within mine, and the organization keeps an admin.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/roles/{key}", tag = "roles",
    params(("org_id" = OrganizationId, Path), ("key" = String, Path, description = "The role's key, `org:<slug>`")),
    request_body = UpdateRoleRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RoleInfo),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or description"),
        (status = 403, body = ErrorBody, description = "forbidden; permission_escalation (with missingPermissions)"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or role"),
        (status = 409, body = ErrorBody, description = "built_in_role, unknown_permission, last_admin")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, key)): AppPath<(OrganizationId, String)>,
    AppJson(req): AppJson<UpdateRoleRequest>,
) -> ApiResult<Json<RoleInfo>> {
    Ok(Json(roles::update(&state, &me, &org_id, &key, &req).await?))
}

/// Deletes a custom role nothing uses: held by no member, neither the creator nor the default
/// role, given by no pending invitation or request, live invite link or SSO connection.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/roles/{key}", tag = "roles",
    params(("org_id" = OrganizationId, Path), ("key" = String, Path, description = "The role's key, `org:<slug>`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "forbidden; permission_escalation (with missingPermissions)"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or role"),
        (status = 409, body = ErrorBody, description = "built_in_role, role_in_use")))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, key)): AppPath<(OrganizationId, String)>,
) -> ApiResult<StatusCode> {
    roles::delete(&state, &me, &org_id, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the creator role (what an ownership transfer gives the new owner; it must hold
/// memberships manage and read, and delete) and the default role (what invitations, links,
/// domains and SSO give when none is named). Neither beyond my permissions.
#[utoipa::path(put, path = "/v1/organizations/{org_id}/role-settings", tag = "roles",
    params(("org_id" = OrganizationId, Path)), request_body = RoleSettingsRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RoleCatalogBody),
        (status = 403, body = ErrorBody, description = "forbidden; permission_escalation (with missingPermissions)"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "creator_role_insufficient"),
        (status = 422, body = ErrorBody, description = "unknown_role")))]
pub async fn set_settings(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<RoleSettingsRequest>,
) -> ApiResult<Json<RoleCatalogBody>> {
    Ok(Json(roles::set_settings(&state, &me, &org_id, &req).await?))
}
