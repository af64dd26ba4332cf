//! `POST /v1/session/token` (a short-lived signed token for the app's backend) and
//! `GET /v1/.well-known/jwks.json` (the keys that verify it).

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{session_token, AppJson};
use crate::session_tokens;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::Json;
use orgkit_core::wire::{ErrorBody, Jwks, SessionToken, SessionTokenRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(token))
        .routes(routes!(jwks))
}

/// How long verifiers and caches may keep the key set, in seconds. A new key signs at once
/// after a rotation; verifiers such as jose's `createRemoteJWKSet` fetch again on an unknown
/// `kid`.
const JWKS_MAX_AGE_SECONDS: u32 = 60;

/// A session token (ES256, 60 s) for the app's backend: my user and session ids and, with
/// `organizationId`, that organization's id, slug, my role, permissions and membership version.
#[utoipa::path(post, path = "/v1/session/token", tag = "session", request_body = SessionTokenRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = SessionToken),
        (status = 404, body = ErrorBody, description = "not_found: no such organization, or I am not a member"),
        (status = 409, body = ErrorBody, description = "session_tokens_not_configured: the server has no --secret-key for its signing keys")))]
pub async fn token(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    AppJson(req): AppJson<SessionTokenRequest>,
) -> ApiResult<Json<SessionToken>> {
    let (secret, _) = session_token(&headers).ok_or_else(ApiError::unauthenticated)?;
    if let Some(org_id) = &req.organization_id {
        if !orgkit_core::OrganizationId::is_well_formed(org_id.as_str()) {
            return Err(ApiError::validation(
                "organizationId is not an organization id.",
            ));
        }
    }
    let token = session_tokens::issue(&state, &me, &secret, req.organization_id.as_ref()).await?;
    Ok(Json(token))
}

/// The public keys (JWKS) that verify session tokens: the active key, and retired keys until
/// the tokens they signed have expired.
#[utoipa::path(get, path = "/v1/.well-known/jwks.json", tag = "session",
    responses((status = 200, body = Jwks, description = "The key set; cacheable for 60 s")))]
pub async fn jwks(State(state): State<AppState>) -> ApiResult<impl IntoResponse> {
    let keys = session_tokens::jwks(&state).await?;
    let cache = format!("public, max-age={JWKS_MAX_AGE_SECONDS}");
    Ok(([(header::CACHE_CONTROL, cache)], Json(keys)))
}
