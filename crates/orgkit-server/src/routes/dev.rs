//! `GET /v1/dev/mailbox`: the emails in the delivery queue, sent or not, readable only when the
//! server runs with `--dev` (which also keeps their bodies after delivery).

use crate::error::{ApiError, ApiResult};
use crate::extract::AppQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use orgkit_core::wire::{ErrorBody, List, MailboxMessage};
use orgkit_core::{ErrorCode, Timestamp};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mailbox))
}

/// The most messages one mailbox read answers.
const MAX_MAILBOX_LIMIT: u32 = 1000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailboxQuery {
    /// Only messages to this address.
    pub to: Option<String>,
    /// At most this many messages, newest first: 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// The newest emails the server sent (dev mode only).
#[utoipa::path(get, path = "/v1/dev/mailbox", tag = "dev", params(MailboxQuery),
    responses((status = 200, body = List<MailboxMessage>), (status = 400, body = ErrorBody, description = "validation_failed: limit out of bounds"),
        (status = 404, body = ErrorBody, description = "not_found (not in --dev mode)")))]
pub async fn mailbox(
    State(state): State<AppState>,
    AppQuery(q): AppQuery<MailboxQuery>,
) -> ApiResult<Json<List<MailboxMessage>>> {
    if !state.config.dev {
        return Err(ApiError::new(ErrorCode::NotFound, "No such route."));
    }
    let to =
        q.to.as_deref()
            .map(|t| t.trim().to_ascii_lowercase())
            .unwrap_or_default();
    let limit = match q.limit.unwrap_or(100) {
        n @ 1..=MAX_MAILBOX_LIMIT => i64::from(n),
        _ => return Err(ApiError::validation("The mailbox limit must be 1 to 1000.")),
    };
    let rows: Vec<(String, String, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, target, topic, COALESCE(payload, ''), link, created_at FROM deliveries \
         WHERE kind = 'mail' AND ($1 = '' OR target = $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(&to)
    .bind(limit)
    .fetch_all(&state.db.pool)
    .await?;
    let data = rows
        .into_iter()
        .map(|(id, to, subject, body, link, created_at)| MailboxMessage {
            id,
            to,
            subject,
            body,
            link,
            created_at: Timestamp(created_at),
        })
        .collect();
    Ok(Json(List { data }))
}
