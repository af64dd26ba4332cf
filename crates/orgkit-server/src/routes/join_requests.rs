//! Join requests: asking to join, my requests, and an organization's requests.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::join_requests;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    AcceptJoinRequestRequest, CreateJoinRequestRequest, ErrorBody, JoinRequest, List, Membership,
    Page,
};
use orgkit_core::{JoinRequestId, JoinRequestStatus, OrganizationId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file))
        .routes(routes!(mine))
        .routes(routes!(withdraw))
        .routes(routes!(list))
        .routes(routes!(accept))
        .routes(routes!(reject))
}

/// Asks to join an organization (by slug or id) that allows requests; its admins are emailed.
#[utoipa::path(post, path = "/v1/join-requests", tag = "join_requests", request_body = CreateJoinRequestRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = JoinRequest), (status = 400, body = ErrorBody, description = "validation_failed: the message is longer than 500 characters"),
        (status = 403, body = ErrorBody, description = "join_requests_disabled (the organization takes no requests) or email_not_verified"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization"),
        (status = 409, body = ErrorBody, description = "already_member or already_requested"),
        (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn file(
    State(state): State<AppState>,
    me: CurrentUser,
    AppJson(req): AppJson<CreateJoinRequestRequest>,
) -> ApiResult<(StatusCode, Json<JoinRequest>)> {
    let request =
        join_requests::file(&state, &me, &req.organization, req.message.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// My requests to join, newest first.
#[utoipa::path(get, path = "/v1/me/join-requests", tag = "join_requests", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = List<JoinRequest>)))]
pub async fn mine(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<List<JoinRequest>>> {
    Ok(Json(List {
        data: join_requests::mine(&state, &me).await?,
    }))
}

/// Withdraws my pending request.
#[utoipa::path(post, path = "/v1/me/join-requests/{id}/withdraw", tag = "join_requests", params(("id" = JoinRequestId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = JoinRequest), (status = 404, body = ErrorBody, description = "not_found (also another person's request)"),
        (status = 409, body = ErrorBody, description = "join_request_not_pending")))]
pub async fn withdraw(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(id): AppPath<JoinRequestId>,
) -> ApiResult<Json<JoinRequest>> {
    Ok(Json(join_requests::withdraw(&state, &me, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestStatusQuery {
    /// Only requests with this status (default: all, pending first).
    #[param(value_type = Option<JoinRequestStatus>)]
    pub status: Option<String>,
}

/// One page of an organization's requests: pending first, newest first within each group.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/join-requests", tag = "join_requests",
    params(("org_id" = OrganizationId, Path), RequestStatusQuery, PageQuery,
        ("after" = Option<String>, Query, pattern = "^([01]jrq_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<JoinRequest>), (status = 400, body = ErrorBody, description = "validation_failed: status, limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage requests"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(s): AppQuery<RequestStatusQuery>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<JoinRequest>>> {
    let status = s
        .status
        .as_deref()
        .map(|raw| {
            JoinRequestStatus::parse(raw)
                .ok_or_else(|| ApiError::validation("Unknown join request status."))
        })
        .transpose()?;
    Ok(Json(
        join_requests::list(&state, &me, &org_id, status, q.limit, q.after.as_deref()).await?,
    ))
}

/// Accepts a pending request: the requester becomes a member with the role given (by default
/// the role proposed, else the default role), and is emailed.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/join-requests/{id}/accept", tag = "join_requests",
    params(("org_id" = OrganizationId, Path), ("id" = JoinRequestId, Path)), request_body = AcceptJoinRequestRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership), (status = 403, body = ErrorBody, description = "forbidden: my role may not manage requests, or grant this role"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "join_request_not_pending or already_member"),
        (status = 422, body = ErrorBody, description = "unknown_role"), (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn accept(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, JoinRequestId)>,
    AppJson(req): AppJson<AcceptJoinRequestRequest>,
) -> ApiResult<Json<Membership>> {
    let role = req.role.as_ref().map(|r| r.as_str());
    Ok(Json(
        join_requests::accept(&state, &me, &org_id, &id, role).await?,
    ))
}

/// Rejects a pending request; the requester is emailed.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/join-requests/{id}/reject", tag = "join_requests",
    params(("org_id" = OrganizationId, Path), ("id" = JoinRequestId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = JoinRequest), (status = 403, body = ErrorBody, description = "forbidden: my role may not manage requests"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "join_request_not_pending"),
        (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn reject(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, JoinRequestId)>,
) -> ApiResult<Json<JoinRequest>> {
    Ok(Json(
        join_requests::reject(&state, &me, &org_id, &id).await?,
    ))
}
