//! `/v1/organizations/{org_id}/webhooks`: an organization's webhook endpoints, their delivery
//! attempts, test messages and resends (all need `org:webhooks:manage`).

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::state::AppState;
use crate::webhooks::{self, endpoints};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateWebhookEndpointRequest, ErrorBody, Page, ResendWebhookRequest,
    UpdateWebhookEndpointRequest, WebhookAttempt, WebhookEndpoint, WebhookEndpointWithSecret,
    WebhookMessageQueued,
};
use orgkit_core::{OrganizationId, WebhookEndpointId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get, update, delete))
        .routes(routes!(rotate_secret))
        .routes(routes!(send_test))
        .routes(routes!(attempts))
        .routes(routes!(resend))
}

/// Creates a webhook endpoint. The answer carries its signing secret, shown only this once.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/webhooks", tag = "webhooks",
    params(("org_id" = OrganizationId, Path)), request_body = CreateWebhookEndpointRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = WebhookEndpointWithSecret),
        (status = 400, body = ErrorBody, description = "validation_failed: no event type, webhook.test, or a description too long; webhook_url_invalid: not https, credentials, malformed or too long"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks; webhook_url_forbidden: the URL is a private, loopback or reserved address"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "webhook_limit_reached: 20 endpoints already; webhooks_not_configured: the server has no --secret-key"),
        (status = 422, body = ErrorBody, description = "unknown_event_type")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateWebhookEndpointRequest>,
) -> ApiResult<(StatusCode, Json<WebhookEndpointWithSecret>)> {
    let created = endpoints::create(&state, &me, &org_id, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One page of the organization's webhook endpoints, oldest first.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/webhooks", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(whe_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<WebhookEndpoint>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<WebhookEndpoint>>> {
    Ok(Json(
        endpoints::list(&state, &me, &org_id, q.limit, q.after.as_deref()).await?,
    ))
}

/// One webhook endpoint.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/webhooks/{id}", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = WebhookEndpoint),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
) -> ApiResult<Json<WebhookEndpoint>> {
    Ok(Json(endpoints::get(&state, &me, &org_id, &id).await?))
}

/// Changes a webhook endpoint: its URL, event types, description, or whether it is enabled.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/webhooks/{id}", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path)),
    request_body = UpdateWebhookEndpointRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = WebhookEndpoint),
        (status = 400, body = ErrorBody, description = "validation_failed: no event type, webhook.test, or a description too long; webhook_url_invalid: not https, credentials, malformed or too long"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks; webhook_url_forbidden: the URL is a private, loopback or reserved address"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 422, body = ErrorBody, description = "unknown_event_type")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
    AppJson(req): AppJson<UpdateWebhookEndpointRequest>,
) -> ApiResult<Json<WebhookEndpoint>> {
    Ok(Json(
        endpoints::update(&state, &me, &org_id, &id, req).await?,
    ))
}

/// Deletes a webhook endpoint with its delivery attempts; its queued messages are dropped.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/webhooks/{id}", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
) -> ApiResult<StatusCode> {
    endpoints::delete(&state, &me, &org_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a webhook endpoint a new signing secret, shown only this once. The replaced secret
/// keeps signing beside it for 24 hours (two signatures in `webhook-signature`).
#[utoipa::path(post, path = "/v1/organizations/{org_id}/webhooks/{id}/rotate-secret", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = WebhookEndpointWithSecret),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "webhooks_not_configured: the server has no --secret-key")))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
) -> ApiResult<Json<WebhookEndpointWithSecret>> {
    Ok(Json(
        endpoints::rotate_secret(&state, &me, &org_id, &id).await?,
    ))
}

/// Queues a `webhook.test` message for this endpoint, whatever it subscribes to.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/webhooks/{id}/test", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 202, body = WebhookMessageQueued),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "webhook_endpoint_disabled")))]
pub async fn send_test(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
) -> ApiResult<(StatusCode, Json<WebhookMessageQueued>)> {
    let (queued, count) = endpoints::send_test(&state, &me, &org_id, &id).await?;
    webhooks::wake(&state, count);
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

/// One page of this endpoint's delivery attempts, newest first.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/webhooks/{id}/attempts", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(wha_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<WebhookAttempt>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn attempts(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<WebhookAttempt>>> {
    Ok(Json(
        endpoints::attempts(&state, &me, &org_id, &id, q.limit, q.after.as_deref()).await?,
    ))
}

/// Queues a message this endpoint was sent before once more, with the same `webhook-id` and
/// body.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/webhooks/{id}/resend", tag = "webhooks",
    params(("org_id" = OrganizationId, Path), ("id" = WebhookEndpointId, Path)),
    request_body = ResendWebhookRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 202, body = WebhookMessageQueued),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage webhooks"),
        (status = 404, body = ErrorBody, description = "not_found: no such endpoint, or no such message sent to it"),
        (status = 409, body = ErrorBody, description = "webhook_endpoint_disabled")))]
pub async fn resend(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, WebhookEndpointId)>,
    AppJson(req): AppJson<ResendWebhookRequest>,
) -> ApiResult<(StatusCode, Json<WebhookMessageQueued>)> {
    let (queued, count) = endpoints::resend(&state, &me, &org_id, &id, &req.message_id).await?;
    webhooks::wake(&state, count);
    Ok((StatusCode::ACCEPTED, Json(queued)))
}
