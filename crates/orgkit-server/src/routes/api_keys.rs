//! `/v1/organizations/{id}/api-keys` and `/api-key-policy`: API keys, shown once at creation,
//! and who may create them.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::api_keys;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    ApiKey, ApiKeyPolicyBody, CreateApiKeyRequest, CreatedApiKey, ErrorBody, Page,
    RevokeApiKeyRequest,
};
use orgkit_core::{ApiKeyId, OrganizationId, ServiceAccountId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
        .routes(routes!(policy, set_policy))
}

/// Creates an API key for me, or for a service account (`serviceAccountId`), as the
/// organization's policy allows; `permissions` limits it to some of its owner's. The answer
/// holds the secret, `ok_` and 64 hex digits, shown this once.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/api-keys", tag = "api_keys",
    params(("org_id" = OrganizationId, Path)), request_body = CreateApiKeyRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = CreatedApiKey),
        (status = 400, body = ErrorBody, description = "validation_failed: the name, description or expiry"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "api_keys_disabled; forbidden; permission_escalation (with missingPermissions); membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or service account"),
        (status = 409, body = ErrorBody, description = "unknown_permission")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateApiKeyRequest>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    let created = api_keys::create(&state, &me, &org_id, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct KeyOwnerQuery {
    /// Only this service account's keys.
    #[param(value_type = Option<String>, pattern = "^sa_[A-Za-z0-9]{1,64}$")]
    pub service_account_id: Option<ServiceAccountId>,
}

/// One page of API keys, oldest first, never their secrets: mine; everyone's with
/// `org:api_keys:manage`; with `serviceAccountId`, that account's (`org:api_keys:manage` or
/// `org:service_accounts:manage`).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/api-keys", tag = "api_keys",
    params(("org_id" = OrganizationId, Path), KeyOwnerQuery, PageQuery,
        ("after" = Option<String>, Query, pattern = "^(ak_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<ApiKey>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden: another service account's keys; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(owner): AppQuery<KeyOwnerQuery>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<ApiKey>>> {
    let sa = owner.service_account_id.as_ref();
    let page = api_keys::list(&state, &me, &org_id, sa, q.limit, q.after.as_deref()).await?;
    Ok(Json(page))
}

/// Revokes a key at once: my own, or anyone's with `org:api_keys:manage` (a service
/// account's also with `org:service_accounts:manage`). Revoking a revoked key changes
/// nothing and answers it.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/api-keys/{key_id}/revoke", tag = "api_keys",
    params(("org_id" = OrganizationId, Path), ("key_id" = ApiKeyId, Path)),
    request_body = RevokeApiKeyRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ApiKey),
        (status = 400, body = ErrorBody, description = "validation_failed: the reason"),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or key")))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, key_id)): AppPath<(OrganizationId, ApiKeyId)>,
    AppJson(req): AppJson<RevokeApiKeyRequest>,
) -> ApiResult<Json<ApiKey>> {
    Ok(Json(
        api_keys::revoke(&state, &me, &org_id, &key_id, req).await?,
    ))
}

/// Who may create API keys: `nobody`, `admins` (holders of `org:api_keys:manage`, the
/// default) or `members`. Any member may read it.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/api-key-policy", tag = "api_keys",
    params(("org_id" = OrganizationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ApiKeyPolicyBody),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn policy(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<ApiKeyPolicyBody>> {
    Ok(Json(api_keys::policy(&state, &me, &org_id).await?))
}

/// Sets who may create API keys (`org:api_keys:manage`); existing keys stay.
#[utoipa::path(put, path = "/v1/organizations/{org_id}/api-key-policy", tag = "api_keys",
    params(("org_id" = OrganizationId, Path)), request_body = ApiKeyPolicyBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ApiKeyPolicyBody),
        (status = 401, body = ErrorBody, description = "unauthenticated (with `reason` for an API key)"),
        (status = 403, body = ErrorBody, description = "forbidden; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn set_policy(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(body): AppJson<ApiKeyPolicyBody>,
) -> ApiResult<Json<ApiKeyPolicyBody>> {
    Ok(Json(
        api_keys::set_policy(&state, &me, &org_id, body).await?,
    ))
}
