//! An organization's SSO connections (`org:sso:manage`): create, list, read, change, delete,
//! and test discovery. "Require SSO" is a field of `PATCH /v1/organizations/{org_id}`.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::sso;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateSsoConnectionRequest, ErrorBody, Page, SsoConnection, SsoConnectionTest,
    UpdateSsoConnectionRequest,
};
use orgkit_core::{OrganizationId, SsoConnectionId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get, update, delete))
        .routes(routes!(test))
}

/// Creates an OIDC connection, as a draft. Its client secret is sealed with the server's key
/// and never answered; its domains must be the organization's, verified by DNS, used by no
/// other connection and enrolling nobody automatically.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/sso-connections", tag = "sso-connections",
    params(("org_id" = OrganizationId, Path)), request_body = CreateSsoConnectionRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = SsoConnection),
        (status = 400, body = ErrorBody, description = "validation_failed: a field breaks a rule of the rule book"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage SSO or not grant the JIT role, or a plain-http issuer"),
        (status = 404, body = ErrorBody, description = "not_found: the organization or a domain"),
        (status = 409, body = ErrorBody, description = "sso_not_configured (no --secret-key), domain_not_verified (ownership not proved by DNS) or sso_domain_conflict (another connection's domain, or one enrolling automatically)"),
        (status = 422, body = ErrorBody, description = "unknown_role: the JIT role")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateSsoConnectionRequest>,
) -> ApiResult<(StatusCode, Json<SsoConnection>)> {
    let created = sso::create(&state, &me, &org_id, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One page of the organization's SSO connections, oldest first.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/sso-connections", tag = "sso-connections",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(sso_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<SsoConnection>), (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage SSO"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<SsoConnection>>> {
    Ok(Json(
        sso::list(&state, &me, &org_id, q.limit, q.after.as_deref()).await?,
    ))
}

/// One SSO connection.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/sso-connections/{id}", tag = "sso-connections",
    params(("org_id" = OrganizationId, Path), ("id" = SsoConnectionId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = SsoConnection),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage SSO"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, SsoConnectionId)>,
) -> ApiResult<Json<SsoConnection>> {
    Ok(Json(sso::get(&state, &me, &org_id, &id).await?))
}

/// Changes a connection: settings, domains, client secret, or state (`active` needs a
/// domain; an active connection keeps its issuer and client id).
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/sso-connections/{id}", tag = "sso-connections",
    params(("org_id" = OrganizationId, Path), ("id" = SsoConnectionId, Path)), request_body = UpdateSsoConnectionRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = SsoConnection),
        (status = 400, body = ErrorBody, description = "validation_failed: a field breaks a rule of the rule book"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage SSO or not grant the JIT role, or a plain-http issuer"),
        (status = 404, body = ErrorBody, description = "not_found: the organization, the connection or a domain"),
        (status = 409, body = ErrorBody, description = "sso_connection_in_use (an active connection's issuer or client id, back to draft, or the last active one while SSO is required), sso_connection_inactive (deactivating a draft), domain_not_verified or sso_domain_conflict"),
        (status = 422, body = ErrorBody, description = "unknown_role: the JIT role")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, SsoConnectionId)>,
    AppJson(req): AppJson<UpdateSsoConnectionRequest>,
) -> ApiResult<Json<SsoConnection>> {
    Ok(Json(sso::update(&state, &me, &org_id, &id, req).await?))
}

/// Deletes a connection that is not active.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/sso-connections/{id}", tag = "sso-connections",
    params(("org_id" = OrganizationId, Path), ("id" = SsoConnectionId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage SSO"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "sso_connection_in_use: deactivate it first")))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, SsoConnectionId)>,
) -> ApiResult<StatusCode> {
    sso::delete(&state, &me, &org_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tests a connection: runs OIDC discovery at its issuer (no redirects followed, 10 seconds
/// at most) and reports what it found, or why it failed. Changes nothing.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/sso-connections/{id}/test", tag = "sso-connections",
    params(("org_id" = OrganizationId, Path), ("id" = SsoConnectionId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = SsoConnectionTest),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage SSO"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn test(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, SsoConnectionId)>,
) -> ApiResult<Json<SsoConnectionTest>> {
    Ok(Json(sso::test(&state, &me, &org_id, &id).await?))
}
