//! `/v1/auth/*` and `/v1/me`.

use crate::auth::{clear_cookie, delete_session, session_cookie, CurrentUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::{session_token, AppJson, ClientIp};
use crate::service::users;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use orgkit_core::wire::{ErrorBody, Session, SignInRequest, SignUpRequest, TokenRequest, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/sign-up", post(sign_up))
        .route("/v1/auth/sign-in", post(sign_in))
        .route("/v1/auth/sign-out", post(sign_out))
        .route("/v1/auth/verify-email", post(verify_email))
        .route("/v1/me", get(me))
}

fn with_cookie(state: &AppState, status: StatusCode, session: Session) -> impl IntoResponse {
    let secure = state.public_url.starts_with("https://");
    let cookie = session_cookie(&session.token, secure);
    (
        status,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        Json(session),
    )
}

/// Creates an account, signs it in and emails a verification link.
#[utoipa::path(post, path = "/v1/auth/sign-up", tag = "auth", request_body = SignUpRequest,
    responses((status = 201, body = Session, description = "Signed up and signed in; also sets the HttpOnly session cookie"),
        (status = 400, body = ErrorBody, description = "validation_failed"), (status = 409, body = ErrorBody, description = "email_taken")))]
pub async fn sign_up(
    State(state): State<AppState>,
    AppJson(req): AppJson<SignUpRequest>,
) -> ApiResult<impl IntoResponse> {
    let session = users::sign_up(&state, req).await?;
    Ok(with_cookie(&state, StatusCode::CREATED, session))
}

/// Signs in with an email address and a password.
#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "auth", request_body = SignInRequest,
    responses((status = 200, body = Session), (status = 400, body = ErrorBody, description = "validation_failed"),
        (status = 401, body = ErrorBody, description = "invalid_credentials"), (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(req): AppJson<SignInRequest>,
) -> ApiResult<impl IntoResponse> {
    let session = users::sign_in(&state, req, &ip).await?;
    Ok(with_cookie(&state, StatusCode::OK, session))
}

/// Ends the current session and clears the cookie.
#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "auth",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody, description = "unauthenticated"),
        (status = 403, body = ErrorBody, description = "forbidden (cross-site cookie request)")))]
pub async fn sign_out(
    State(state): State<AppState>,
    _me: CurrentUser,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    let (token, _) = session_token(&headers).ok_or_else(ApiError::unauthenticated)?;
    delete_session(&state.db, &token).await?;
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, clear_cookie())]),
    ))
}

/// Verifies an email address with the emailed token.
#[utoipa::path(post, path = "/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = User), (status = 400, body = ErrorBody, description = "validation_failed (expired)"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "invitation_not_pending (already used)")))]
pub async fn verify_email(
    State(state): State<AppState>,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<User>> {
    Ok(Json(users::verify_email(&state, &req.token).await?))
}

/// The signed-in user.
#[utoipa::path(get, path = "/v1/me", tag = "auth",
    responses((status = 200, body = User), (status = 401, body = ErrorBody, description = "unauthenticated")))]
pub async fn me(me: CurrentUser) -> Json<User> {
    Json(me.user)
}
