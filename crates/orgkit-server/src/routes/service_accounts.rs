//! `/v1/organizations/{id}/service-accounts`: machine principals acting through API keys.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::service_accounts;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateServiceAccountRequest, ErrorBody, Page, ServiceAccount, UpdateServiceAccountRequest,
};
use orgkit_core::{OrganizationId, ServiceAccountId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}

/// Creates a service account with an organization role (`org:service_accounts:manage`; a
/// role I could grant).
#[utoipa::path(post, path = "/v1/organizations/{org_id}/service-accounts", tag = "service_accounts",
    params(("org_id" = OrganizationId, Path)), request_body = CreateServiceAccountRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = ServiceAccount),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or description"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden; permission_escalation (with missingPermissions); membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 422, body = ErrorBody, description = "unknown_role")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateServiceAccountRequest>,
) -> ApiResult<(StatusCode, Json<ServiceAccount>)> {
    let account = service_accounts::create(&state, &me, &org_id, req).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// One page of the organization's service accounts, oldest first (`org:memberships:read`).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/service-accounts", tag = "service_accounts",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(sa_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<ServiceAccount>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<ServiceAccount>>> {
    let page = service_accounts::list(&state, &me, &org_id, q.limit, q.after.as_deref()).await?;
    Ok(Json(page))
}

/// Changes a service account's name, description or role (the old and new roles both within
/// my permissions).
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/service-accounts/{sa_id}", tag = "service_accounts",
    params(("org_id" = OrganizationId, Path), ("sa_id" = ServiceAccountId, Path)),
    request_body = UpdateServiceAccountRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ServiceAccount),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or description"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden; permission_escalation (with missingPermissions); membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or service account"),
        (status = 422, body = ErrorBody, description = "unknown_role")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, ServiceAccountId)>,
    AppJson(req): AppJson<UpdateServiceAccountRequest>,
) -> ApiResult<Json<ServiceAccount>> {
    Ok(Json(
        service_accounts::update(&state, &me, &org_id, &id, req).await?,
    ))
}

/// Deletes a service account: its workspace grants and group memberships go, its API keys are
/// revoked, in one transaction.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/service-accounts/{sa_id}", tag = "service_accounts",
    params(("org_id" = OrganizationId, Path), ("sa_id" = ServiceAccountId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or service account")))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, ServiceAccountId)>,
) -> ApiResult<StatusCode> {
    service_accounts::delete(&state, &me, &org_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
