//! `/v1/auth/*`, `/v1/me` and `/v1/me/active-organization`.

use crate::auth::{clear_cookie, delete_session, session_cookie, CurrentUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::{session_token, AppJson, ClientIp};
use crate::service::{active_organization, password_reset as reset, users};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::CookieJar;
use orgkit_core::wire::{
    ActiveOrganization, ErrorBody, PasswordForgotRequest, PasswordResetRequest, Session,
    SignInRequest, SignUpRequest, TokenRequest, User,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(sign_in))
        .routes(routes!(sign_out))
        .routes(routes!(verify_email))
        .routes(routes!(password_forgot))
        .routes(routes!(password_reset))
        .routes(routes!(me))
        .routes(routes!(set_active_organization))
}

/// The session cookie is Secure when the public URL is https.
fn secure(state: &AppState) -> bool {
    state.public_url.starts_with("https://")
}

fn with_cookie(state: &AppState, status: StatusCode, session: Session) -> impl IntoResponse {
    let jar = CookieJar::new().add(session_cookie(&session.token, secure(state)));
    (status, jar, Json(session))
}

/// Creates an account, signs it in and emails a verification link.
#[utoipa::path(post, path = "/v1/auth/sign-up", tag = "auth", request_body = SignUpRequest,
    responses((status = 201, body = Session, description = "Signed up and signed in; also sets the HttpOnly session cookie"),
        (status = 400, body = ErrorBody, description = "validation_failed: the address, name or password breaks a rule"),
        (status = 409, body = ErrorBody, description = "email_taken"),
        (status = 429, body = ErrorBody, description = "rate_limited: per client address, and per address mailed")))]
pub async fn sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(req): AppJson<SignUpRequest>,
) -> ApiResult<impl IntoResponse> {
    let session = users::sign_up(&state, req, &ip).await?;
    Ok(with_cookie(&state, StatusCode::CREATED, session))
}

/// Signs in with an email address and a password.
#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "auth", request_body = SignInRequest,
    responses((status = 200, body = Session, description = "Signed in; also sets the HttpOnly session cookie"),
        (status = 401, body = ErrorBody, description = "invalid_credentials (also for a malformed address)"),
        (status = 429, body = ErrorBody, description = "rate_limited: per account and per client address")))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(req): AppJson<SignInRequest>,
) -> ApiResult<impl IntoResponse> {
    let session = users::sign_in(&state, req, &ip).await?;
    Ok(with_cookie(&state, StatusCode::OK, session))
}

/// Ends the current session and clears the cookie.
#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Signed out; also clears the session cookie")))]
pub async fn sign_out(
    State(state): State<AppState>,
    _me: CurrentUser,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    let (token, _) = session_token(&headers).ok_or_else(ApiError::unauthenticated)?;
    delete_session(&state.db, &token).await?;
    let jar = CookieJar::new().add(clear_cookie(secure(&state)));
    Ok((StatusCode::NO_CONTENT, jar))
}

/// Verifies an email address with the emailed token.
#[utoipa::path(post, path = "/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = User), (status = 404, body = ErrorBody, description = "not_found: no such link"),
        (status = 409, body = ErrorBody, description = "verification_token_used or verification_token_expired")))]
pub async fn verify_email(
    State(state): State<AppState>,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<User>> {
    Ok(Json(users::verify_email(&state, &req.token).await?))
}

/// Mails a link to set or reset the password, if an account has this address. The answer is
/// the same whether it does or not.
#[utoipa::path(post, path = "/v1/auth/password/forgot", tag = "auth", request_body = PasswordForgotRequest,
    responses((status = 202, description = "Accepted: if an account has this address, a password-reset link (valid 30 minutes) is mailed to it"),
        (status = 400, body = ErrorBody, description = "validation_failed: the address is malformed"),
        (status = 429, body = ErrorBody, description = "rate_limited: per address and per client address")))]
pub async fn password_forgot(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(req): AppJson<PasswordForgotRequest>,
) -> ApiResult<StatusCode> {
    reset::forgot(&state, req, &ip).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with the mailed token, ends the account's other sessions and signs in.
#[utoipa::path(post, path = "/v1/auth/password/reset", tag = "auth", request_body = PasswordResetRequest,
    responses((status = 200, body = Session, description = "Password set, address verified, other sessions ended; signed in (also sets the HttpOnly session cookie)"),
        (status = 400, body = ErrorBody, description = "validation_failed: the password breaks a rule"),
        (status = 403, body = ErrorBody, description = "sso_required: the address's domain signs in through SSO"),
        (status = 404, body = ErrorBody, description = "not_found: no such link"),
        (status = 409, body = ErrorBody, description = "verification_token_used or verification_token_expired")))]
pub async fn password_reset(
    State(state): State<AppState>,
    AppJson(req): AppJson<PasswordResetRequest>,
) -> ApiResult<impl IntoResponse> {
    let session = reset::reset(&state, req).await?;
    Ok(with_cookie(&state, StatusCode::OK, session))
}

/// The signed-in user, with `lastActiveOrganizationId`: where a new tab starts.
#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = User)))]
pub async fn me(me: CurrentUser) -> Json<User> {
    Json(me.user)
}

/// Remembers the organization a new tab of mine starts in (`null` forgets it): a preference of
/// mine, so no organization audit event. `/v1/me` answers it while I am an active member.
#[utoipa::path(put, path = "/v1/me/active-organization", tag = "auth", request_body = ActiveOrganization,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ActiveOrganization, description = "Stored; the answer repeats it"),
        (status = 400, body = ErrorBody, description = "validation_failed: organizationId is missing or not an organization id"),
        (status = 403, body = ErrorBody, description = "membership_suspended: I am suspended in it; forbidden: an API key acts only under its organization's path"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization, or I am not a member")))]
pub async fn set_active_organization(
    State(state): State<AppState>,
    me: CurrentUser,
    AppJson(req): AppJson<ActiveOrganization>,
) -> ApiResult<Json<ActiveOrganization>> {
    if let Some(org_id) = &req.organization_id {
        if !orgkit_core::OrganizationId::is_well_formed(org_id.as_str()) {
            return Err(ApiError::validation(
                "organizationId is not an organization id.",
            ));
        }
    }
    let set = active_organization::set(&state, &me, req.organization_id).await?;
    Ok(Json(set))
}
