//! The one mapping from failures to HTTP answers: `{"error": {"code", "message"}}` with the
//! status `ErrorCode::http_status` gives. A 500 logs its cause and says nothing internal.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use orgkit_core::wire::{ErrorBody, ErrorDetail};
use orgkit_core::{DomainError, ErrorCode};

/// Every handler's error type.
#[derive(Debug)]
pub enum ApiError {
    /// A refusal the caller can act on.
    Refused { code: ErrorCode, message: String },
    /// Too many attempts; retry after this many seconds.
    RateLimited { retry_after_secs: u64 },
    /// A failure of ours; logged, never shown.
    Internal(anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(ErrorCode::NotFound, format!("{what} not found."))
    }

    pub fn unauthenticated() -> Self {
        ApiError::new(ErrorCode::Unauthenticated, "Sign in first.")
    }

    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::ValidationFailed, message)
    }

    /// The code this error answers with.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Refused { code, .. } => *code,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::new(e.code, e.message)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e)
    }
}

/// The wire form of an error, also used for the per-address results of a bulk invitation.
#[must_use]
pub fn detail(error: &ApiError) -> ErrorDetail {
    let message = match error {
        ApiError::Refused { message, .. } => message.clone(),
        ApiError::RateLimited { .. } => "Too many attempts. Try again later.".to_owned(),
        ApiError::Internal(_) => "Internal error.".to_owned(),
    };
    ErrorDetail {
        code: error.code(),
        message,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let code = self.code();
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (
            status,
            Json(ErrorBody {
                error: detail(&self),
            }),
        )
            .into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body");
        serde_json::from_slice(&bytes).expect("json")
    }

    #[tokio::test]
    async fn refusals_carry_their_code_status_and_message() {
        let response =
            ApiError::from(DomainError::new(ErrorCode::LastAdmin, "keep one")).into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let json = body(response).await;
        assert_eq!(json["error"]["code"], "last_admin");
        assert_eq!(json["error"]["message"], "keep one");
    }

    #[tokio::test]
    async fn internal_errors_say_nothing_internal() {
        let response =
            ApiError::Internal(anyhow::anyhow!("password=hunter2 at db.rs:12")).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let text = body(response).await.to_string();
        assert!(text.contains("\"internal\""));
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[tokio::test]
    async fn rate_limits_say_when_to_retry() {
        let response = ApiError::RateLimited {
            retry_after_secs: 42,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "42");
        assert_eq!(body(response).await["error"]["code"], "rate_limited");
    }
}
