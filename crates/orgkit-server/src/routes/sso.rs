//! `/v1/sso/*`: starting an SSO sign-in and the provider's callback. (The SSO join link,
//! `/sso/{orgSlug}`, is a page of the demo: see `static_files`.)

use crate::auth::{session_cookie, ClientInfo, MAX_USER_AGENT_CHARS};
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery, ClientIp};
use crate::service::sso::sign_in;
use crate::service::sso::sign_in_callback::{self, CallbackQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::CookieJar;
use orgkit_core::wire::{ErrorBody, SsoStartRequest, SsoStartResponse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(callback))
}

/// Starts signing in through SSO: picks the connection by email domain, organization slug or
/// connection id and answers the identity provider's URL to send the browser to.
#[utoipa::path(post, path = "/v1/sso/start", tag = "sso", request_body = SsoStartRequest,
    responses((status = 200, body = SsoStartResponse, description = "Navigate the browser to redirectUrl"),
        (status = 403, body = ErrorBody, description = "sso_return_url_forbidden: returnTo is not a path here or an allowed origin"),
        (status = 404, body = ErrorBody, description = "sso_connection_not_found: no active connection for that address, organization or id (also for malformed values, or several connections and no email)"),
        (status = 409, body = ErrorBody, description = "sso_connection_inactive: the connection named by id is a draft or inactive; sso_not_configured: no --secret-key"),
        (status = 429, body = ErrorBody, description = "rate_limited: per client address"),
        (status = 502, body = ErrorBody, description = "sso_provider_error: discovery at the provider failed")))]
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(req): AppJson<SsoStartRequest>,
) -> ApiResult<Json<SsoStartResponse>> {
    Ok(Json(sign_in::start(&state, req, &ip).await?))
}

/// The identity provider's redirect after sign-in. On success: the session cookie (as
/// password sign-in sets it) and `303` to the allow-listed return URL. On failure: `303` to the
/// demo's sign-in page with `?ssoError=<code>` for a browser (`Accept: text/html`), the error
/// as JSON for other callers. Nothing is written unless the sign-in succeeds (the state is used
/// up either way).
#[utoipa::path(get, path = "/v1/sso/callback/{connection}", tag = "sso",
    params(("connection" = String, Path, description = "The SSO connection id", max_length = 64), CallbackQuery),
    responses((status = 303, description = "Signed in (sets the HttpOnly session cookie), or a browser sent to ?ssoError=<code>"),
        (status = 401, body = ErrorBody, description = "sso_token_invalid: the ID token fails verification (signature, issuer, audience, nonce, expiry) or has no email"),
        (status = 403, body = ErrorBody, description = "sso_email_outside_domains, email_not_verified (by the provider), sso_jit_disabled"),
        (status = 404, body = ErrorBody, description = "sso_connection_not_found"),
        (status = 409, body = ErrorBody, description = "sso_state_invalid (unknown or used), sso_state_expired, sso_connection_inactive, sso_not_configured"),
        (status = 502, body = ErrorBody, description = "sso_provider_error: the provider refused or failed")))]
pub async fn callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppPath(connection): AppPath<String>,
    AppQuery(query): AppQuery<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(MAX_USER_AGENT_CHARS).collect());
    let client = ClientInfo { ip, user_agent };
    match sign_in_callback::callback(&state, &connection, query, client).await {
        Ok(done) => {
            let secure = state.public_url.starts_with("https://");
            let jar = CookieJar::new().add(session_cookie(&done.token, secure));
            let location = absolute(&state, &done.return_to);
            (StatusCode::SEE_OTHER, jar, [(header::LOCATION, location)]).into_response()
        }
        Err(error) if wants_html(&headers) && !error.is_server_side() => {
            let location = format!("{}/?ssoError={}", state.public_url, error.code().as_str());
            (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// A return URL as a `Location`: paths under the public URL, allow-listed URLs as they are.
fn absolute(state: &AppState, return_to: &str) -> String {
    if return_to.starts_with('/') {
        format!("{}{return_to}", state.public_url)
    } else {
        return_to.to_owned()
    }
}

/// Whether the caller is a browser navigating (it accepts HTML).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}
