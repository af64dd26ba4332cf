//! `/v1/organizations` and `/v1/me/memberships`.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::service::organizations;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateOrganizationRequest, ErrorBody, List, Membership, Organization, PermissionCheck,
    UpdateOrganizationRequest,
};
use orgkit_core::{OrganizationId, Permission};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(read, update, destroy))
        .routes(routes!(check_permission))
        .routes(routes!(my_memberships))
}

/// Creates an organization; the creator becomes its admin.
#[utoipa::path(post, path = "/v1/organizations", tag = "organizations", request_body = CreateOrganizationRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = Organization), (status = 400, body = ErrorBody, description = "validation_failed: the name or slug breaks a rule"),
        (status = 409, body = ErrorBody, description = "slug_taken")))]
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
#[utoipa::path(get, path = "/v1/organizations/{org_id}", tag = "organizations", params(("org_id" = OrganizationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Organization), (status = 404, body = ErrorBody, description = "not_found (also for non-members)")))]
pub async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(organizations::get(&state, &me, &org_id).await?))
}

/// Renames an organization or changes its slug.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}", tag = "organizations", params(("org_id" = OrganizationId, Path)),
    request_body = UpdateOrganizationRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Organization), (status = 400, body = ErrorBody, description = "validation_failed: the name or slug breaks a rule"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage the profile, the join-request setting or SSO"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "slug_taken, or sso_connection_inactive: requiring SSO needs an active connection")))]
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

/// The confirmation a deletion takes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// The organization's slug, repeated: without it (or with another) the deletion is refused
    /// with `confirmation_mismatch`.
    pub confirm: Option<String>,
}

/// Deletes an organization with its memberships and invitations: an owner only, who repeats
/// its slug as `confirm`.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}", tag = "organizations", params(("org_id" = OrganizationId, Path), DeleteQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody, description = "forbidden: my role may not delete it; owner_required; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "confirmation_mismatch: `confirm` missing or not the slug")))]
pub async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<DeleteQuery>,
) -> ApiResult<StatusCode> {
    let confirm = organizations::DeleteConfirmation::Slug(q.confirm.as_deref());
    organizations::delete(&state, &me, &org_id, confirm).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PermissionQuery {
    /// A permission such as `org:memberships:manage`.
    #[param(value_type = Permission)]
    pub permission: String,
}

/// Whether I hold a permission in an organization.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/permissions/check", tag = "organizations",
    params(("org_id" = OrganizationId, Path), PermissionQuery), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = PermissionCheck), (status = 400, body = ErrorBody, description = "validation_failed: unknown permission"),
        (status = 404, body = ErrorBody, description = "not_found")))]
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
#[utoipa::path(get, path = "/v1/me/memberships", tag = "organizations", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = List<Membership>)))]
pub async fn my_memberships(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<List<Membership>>> {
    Ok(Json(List {
        data: organizations::my_memberships(&state, &me).await?,
    }))
}
