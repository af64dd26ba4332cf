//! The one mapping from failures to HTTP answers: `{"error": {"code", "message"}}` with the
//! status `ErrorCode::http_status` gives. A 500 logs its cause and says nothing internal.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use orgkit_core::wire::{ErrorBody, ErrorDetail, SsoRequiredDetail};
use orgkit_core::{DomainError, ErrorCode};

/// Every handler's error type.
#[derive(Debug)]
pub enum ApiError {
    /// A refusal the caller can act on.
    Refused { code: ErrorCode, message: String },
    /// `sso_required`: password sign-in refused; the detail says where to sign in instead.
    SsoRequired(Box<SsoRequiredDetail>),
    /// `permission_escalation`: the escalation guard's refusal, with the permission keys the
    /// actor lacks.
    Escalation {
        message: String,
        missing: Vec<String>,
    },
    /// `unauthenticated` for an API key that does not authenticate, with the reason
    /// (`api_key_unknown`, `api_key_revoked`, `api_key_expired`) in the detail.
    KeyRefused(orgkit_core::api_key::KeyRefusal),
    /// Too many attempts; retry after this many seconds.
    RateLimited { retry_after_secs: u64 },
    /// A failure of ours; logged, never shown.
    Internal(anyhow::Error),
    /// The database is briefly unreachable (a restart, a dropped connection, a full pool);
    /// logged, answered `503 unavailable` with `Retry-After`, so the caller retries.
    Unavailable(anyhow::Error),
}

/// The `Retry-After` of an `unavailable` answer, in seconds: a database restart or failover
/// usually takes about this long.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 1;

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
            ApiError::SsoRequired(_) => ErrorCode::SsoRequired,
            ApiError::Escalation { .. } => ErrorCode::PermissionEscalation,
            ApiError::KeyRefused(_) => ErrorCode::Unauthenticated,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
        }
    }

    /// Whether the failure is the server's rather than the request's: the whole operation
    /// must stop and roll back.
    #[must_use]
    pub fn is_server_side(&self) -> bool {
        matches!(self, ApiError::Internal(_) | ApiError::Unavailable(_))
    }
}

/// Whether a database error means "unreachable for now" rather than a bug: the connection
/// could not be made or was cut, the pool is exhausted or closed, or the server is shutting
/// down, starting up or out of connections.
#[must_use]
pub fn is_outage(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // PostgreSQL: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash
            // shutdown, cannot connect now), 53300 (too many connections). SQLite: 5, 6 and
            // their extended codes (busy, locked) once the busy timeout has passed.
            code.starts_with("08")
                || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
                // Only a connection attempt meets 55000 in our SQL: "database is not
                // currently accepting connections".
                || code == "55000"
                || matches!(&*code, "5" | "6" | "261" | "262" | "517")
        }),
        _ => false,
    }
}

impl From<DomainError> for ApiError {
    /// An escalation's missing permissions are named by the built-in catalog here; a refusal
    /// judged with an organization's catalog goes through [`ApiError::judged`].
    fn from(e: DomainError) -> Self {
        ApiError::judged(&orgkit_core::RoleCatalog::built_in(), e)
    }
}

impl ApiError {
    /// A refusal by the rule book that judged with `catalog`, which names the permissions an
    /// escalation lacks.
    #[must_use]
    pub fn judged(catalog: &orgkit_core::RoleCatalog, e: DomainError) -> Self {
        if e.code == ErrorCode::PermissionEscalation {
            return ApiError::Escalation {
                message: e.message.to_owned(),
                missing: catalog.names(e.missing),
            };
        }
        ApiError::new(e.code, e.message)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if is_outage(&e) {
            ApiError::Unavailable(e.into())
        } else {
            ApiError::Internal(e.into())
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<sqlx::Error>() {
            Ok(db) => db.into(),
            Err(other) => ApiError::Internal(other),
        }
    }
}

/// The wire form of an error, also used for the per-address results of a bulk invitation.
#[must_use]
pub fn detail(error: &ApiError) -> ErrorDetail {
    let message = match error {
        ApiError::Refused { message, .. } | ApiError::Escalation { message, .. } => message.clone(),
        ApiError::SsoRequired(_) => orgkit_core::sso::sign_in::SSO_REQUIRED_MESSAGE.to_owned(),
        ApiError::KeyRefused(refusal) => refusal.message().to_owned(),
        ApiError::RateLimited { .. } => "Too many attempts. Try again later.".to_owned(),
        ApiError::Internal(_) => "Internal error.".to_owned(),
        ApiError::Unavailable(_) => {
            "The service is briefly unavailable. Try again in a moment.".to_owned()
        }
    };
    let sso = match error {
        ApiError::SsoRequired(detail) => Some((**detail).clone()),
        _ => None,
    };
    let missing_permissions = match error {
        ApiError::Escalation { missing, .. } => missing.clone(),
        _ => Vec::new(),
    };
    ErrorDetail {
        code: error.code(),
        message,
        sso,
        missing_permissions,
        reason: match error {
            ApiError::KeyRefused(refusal) => Some(refusal.reason().to_owned()),
            _ => None,
        },
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(error = format!("{cause:#}"), "database unavailable");
            }
            _ => {}
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
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } => Some(retry_after_secs),
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
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
        assert!(json["error"].get("missingPermissions").is_none());
    }

    #[tokio::test]
    async fn escalation_refusals_list_the_missing_permissions() {
        let app = orgkit_core::PermissionCatalog::new(&["org:invoices:create"]).expect("valid");
        let catalog = orgkit_core::RoleCatalog::with_permissions(app);
        let refusal = DomainError {
            missing: orgkit_core::PermissionSet::of(&[orgkit_core::Permission::AuditRead])
                .union(orgkit_core::PermissionSet::app(0)),
            ..DomainError::new(ErrorCode::PermissionEscalation, "not yours to grant")
        };
        let response = ApiError::judged(&catalog, refusal).into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let json = body(response).await;
        assert_eq!(json["error"]["code"], "permission_escalation");
        assert_eq!(
            json["error"]["missingPermissions"],
            serde_json::json!(["org:audit:read", "org:invoices:create"])
        );
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
    async fn database_outages_are_unavailable_and_say_when_to_retry() {
        for cause in [sqlx::Error::PoolTimedOut, sqlx::Error::PoolClosed] {
            let response = ApiError::from(cause).into_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.headers()[header::RETRY_AFTER], "1");
            assert_eq!(body(response).await["error"]["code"], "unavailable");
        }
        let wrapped = ApiError::from(anyhow::Error::from(sqlx::Error::PoolClosed));
        assert_eq!(wrapped.code(), ErrorCode::Unavailable);
        let bug = ApiError::from(sqlx::Error::RowNotFound);
        assert_eq!(bug.code(), ErrorCode::Internal);
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
