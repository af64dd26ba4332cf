//! `/v1/organizations` and `/v1/me/memberships`.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::service::organizations;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use orgkit_core::wire::{
    CreateOrganizationRequest, ErrorBody, List, Membership, Organization, PermissionCheck,
    UpdateOrganizationRequest,
};
use orgkit_core::OrganizationId;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/organizations", post(create))
        .route(
            "/v1/organizations/{org_id}",
            get(read).patch(update).delete(destroy),
        )
        .route(
            "/v1/organizations/{org_id}/permissions/check",
            get(check_permission),
        )
        .route("/v1/me/memberships", get(my_memberships))
}

/// Creates an organization; the creator becomes its admin.
#[utoipa::path(post, path = "/v1/organizations", tag = "organizations", request_body = CreateOrganizationRequest,
    responses((status = 201, body = Organization), (status = 400, body = ErrorBody, description = "validation_failed"),
        (status = 401, body = ErrorBody, description = "unauthenticated"), (status = 409, body = ErrorBody, description = "slug_taken")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppJson(req): AppJson<CreateOrganizationRequest>,
) -> ApiResult<(StatusCode, Json<Organization>)> {
    Ok((
        StatusCode::CREATED,
        Json(organizations::create(&state, &me, req).await?),
    ))
}

/// An organization, with my role and permissions in it.
#[utoipa::path(get, path = "/v1/organizations/{org_id}", tag = "organizations", params(("org_id" = String, Path)),
    responses((status = 200, body = Organization), (status = 401, body = ErrorBody, description = "unauthenticated"),
        (status = 404, body = ErrorBody, description = "not_found (also for non-members)")))]
pub async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(organizations::get(&state, &me, &org_id).await?))
}

/// Renames an organization or changes its slug.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}", tag = "organizations", params(("org_id" = String, Path)),
    request_body = UpdateOrganizationRequest,
    responses((status = 200, body = Organization), (status = 400, body = ErrorBody, description = "validation_failed"),
        (status = 401, body = ErrorBody, description = "unauthenticated"), (status = 403, body = ErrorBody, description = "forbidden"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "slug_taken")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<UpdateOrganizationRequest>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(
        organizations::update(&state, &me, &org_id, req).await?,
    ))
}

/// Deletes an organization with its memberships and invitations.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}", tag = "organizations", params(("org_id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody, description = "unauthenticated"),
        (status = 403, body = ErrorBody, description = "forbidden"), (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<StatusCode> {
    organizations::delete(&state, &me, &org_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PermissionQuery {
    /// A permission such as `org:memberships:manage`.
    pub permission: String,
}

/// Whether I hold a permission in an organization.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/permissions/check", tag = "organizations",
    params(("org_id" = String, Path), PermissionQuery),
    responses((status = 200, body = PermissionCheck), (status = 400, body = ErrorBody, description = "validation_failed"),
        (status = 401, body = ErrorBody, description = "unauthenticated"), (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn check_permission(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PermissionQuery>,
) -> ApiResult<Json<PermissionCheck>> {
    let allowed = organizations::has_permission(&state, &me, &org_id, &q.permission).await?;
    Ok(Json(PermissionCheck {
        permission: q.permission,
        allowed,
    }))
}

/// My memberships, each with its organization.
#[utoipa::path(get, path = "/v1/me/memberships", tag = "organizations",
    responses((status = 200, body = List<Membership>), (status = 401, body = ErrorBody, description = "unauthenticated")))]
pub async fn my_memberships(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<List<Membership>>> {
    Ok(Json(List {
        data: organizations::my_memberships(&state, &me).await?,
    }))
}
