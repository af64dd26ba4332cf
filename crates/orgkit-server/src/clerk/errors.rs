//! Errors in Clerk's shape: `{"errors": [{"code", "message", "long_message", "meta"}],
//! "clerk_trace_id"}`, with Clerk's codes and statuses (`orgkit_core::clerk::ClerkCode`). A
//! refusal of orgkit's rule book keeps its meaning; its own code stays in `meta.orgkit_code`.

use crate::error::{detail, ApiError, UNAVAILABLE_RETRY_AFTER_SECS};
use crate::token::new_id;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use orgkit_core::clerk::{ClerkCode, ClerkError};
use serde_json::json;

/// Every Clerk handler's error.
#[derive(Debug)]
pub struct ClerkApiError {
    pub error: ClerkError,
    /// orgkit's code, when the refusal came from the rule book.
    pub orgkit_code: Option<&'static str>,
    pub retry_after_secs: Option<u64>,
}

pub type ClerkResult<T> = Result<T, ClerkApiError>;

impl From<ClerkError> for ClerkApiError {
    fn from(error: ClerkError) -> Self {
        ClerkApiError {
            error,
            orgkit_code: None,
            retry_after_secs: None,
        }
    }
}

impl From<ApiError> for ClerkApiError {
    fn from(e: ApiError) -> Self {
        match &e {
            ApiError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(error = format!("{cause:#}"), "database unavailable");
            }
            _ => {}
        }
        let retry_after_secs = match &e {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        let wire = detail(&e);
        let code = ClerkCode::of(wire.code);
        let message = if code == ClerkCode::LastAdmin {
            "An organization must keep at least one admin: promote another member first, or delete the organization.".to_owned()
        } else {
            wire.message
        };
        ClerkApiError {
            error: ClerkError::new(code, message),
            orgkit_code: Some(wire.code.as_str()),
            retry_after_secs,
        }
    }
}

impl From<sqlx::Error> for ClerkApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::from(e).into()
    }
}

impl ClerkApiError {
    /// `clerk_key_invalid`: no key, an unknown key or a revoked key.
    #[must_use]
    pub fn key_invalid() -> Self {
        ClerkError::new(
            ClerkCode::KeyInvalid,
            "The secret key is missing, unknown or revoked. Send Authorization: Bearer <key>.",
        )
        .into()
    }
}

impl IntoResponse for ClerkApiError {
    fn into_response(self) -> Response {
        let code = self.error.code;
        let mut meta = serde_json::Map::new();
        if let Some(param) = &self.error.param {
            meta.insert("param_name".to_owned(), json!(param));
        }
        if let Some(orgkit) = self.orgkit_code {
            meta.insert("orgkit_code".to_owned(), json!(orgkit));
        }
        let body = json!({
            "errors": [{
                "code": code.as_str(),
                "message": self.error.message,
                "long_message": self.error.message,
                "meta": meta,
            }],
            "clerk_trace_id": new_id("trace_"),
        });
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = super::wire::json_response(status, &body);
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
