//! Extractors that answer malformed input with the project's error body, and the session
//! extractor with its CSRF check.

use crate::auth::{user_for_session, CurrentUser, SESSION_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use serde::de::DeserializeOwned;

/// `Json<T>` whose rejection is `400 validation_failed` in the project's shape.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let message = match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "Send a JSON body with Content-Type: application/json.".to_owned()
        }
        JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_owned(),
        JsonRejection::JsonDataError(e) => format!("The body does not fit: {}", e.body_text()),
        other => other.body_text(),
    };
    ApiError::validation(message)
}

/// `Query<T>` with the project's error body.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| AppQuery(q.0))
            .map_err(|e: QueryRejection| ApiError::validation(e.body_text()))
    }
}

/// `Path<T>` with the project's error body.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| AppPath(p.0))
            .map_err(|e: PathRejection| ApiError::validation(e.body_text()))
    }
}

/// Where a request's session token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Bearer,
    Cookie,
}

/// The session token of a request: `Authorization: Bearer` first, then the cookie.
#[must_use]
pub fn session_token(headers: &HeaderMap) -> Option<(String, TokenSource)> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(token) = value.strip_prefix("Bearer ") {
            return Some((token.trim().to_owned(), TokenSource::Bearer));
        }
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| (value.to_owned(), TokenSource::Cookie))
}

/// A cookie-authenticated unsafe request must come from an allowed `Origin`: a page on another
/// site cannot make the browser act with the cookie. Bearer tokens are never sent by the
/// browser on its own, so they need no check.
pub fn check_csrf(parts: &Parts, state: &AppState, source: TokenSource) -> Result<(), ApiError> {
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || source == TokenSource::Bearer {
        return Ok(());
    }
    match parts.headers.get(header::ORIGIN) {
        Some(origin) if state.origin_allowed(origin) => Ok(()),
        _ => Err(ApiError::new(
            orgkit_core::ErrorCode::Forbidden,
            "Cross-site request refused: this origin may not act with the session cookie.",
        )),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (token, source) =
            session_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let user = user_for_session(&state.db, &token)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        check_csrf(parts, state, source)?;
        Ok(CurrentUser { user })
    }
}

/// The client's address, for rate limits.
#[must_use]
pub fn client_ip(parts_extensions: &axum::http::Extensions) -> String {
    parts_extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The client's address as an extractor.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(&parts.extensions)))
    }
}
