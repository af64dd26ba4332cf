//! Queuing an event for an organization's endpoints, inside the transaction of the change.

use crate::db::{p, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::queue::DELIVERY_PREFIX;
use crate::token::new_id_at;
use orgkit_core::wire::WebhookPayload;
use orgkit_core::{EventType, OrganizationId, Timestamp, WebhookMessageId};

/// How many messages a transaction queued; pass it to [`super::wake`] after the commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct Queued(pub u64);

impl std::ops::Add for Queued {
    type Output = Queued;
    fn add(self, other: Queued) -> Queued {
        Queued(self.0 + other.0)
    }
}

/// The message body: `{"type", "timestamp", "data"}`.
pub(crate) fn payload(
    event_type: EventType,
    data: serde_json::Value,
    at: Timestamp,
) -> ApiResult<String> {
    let body = WebhookPayload {
        event_type,
        timestamp: at.to_rfc3339(),
        data,
    };
    serde_json::to_string(&body).map_err(|e| ApiError::Internal(e.into()))
}

/// Queues `event_type` with `data` (the API's wire object of what changed) for every enabled
/// endpoint of `org_id` subscribed to it: one `deliveries` row each, all sharing one message
/// id, in one statement, so an organization without endpoints pays one indexed read.
pub async fn emit<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    event_type: EventType,
    data: serde_json::Value,
    now: Timestamp,
) -> ApiResult<Queued> {
    insert(tx, org_id, event_type, data, now, false).await
}

/// [`emit`] for a message that holds a live secret (an invitation's token): the queue erases
/// its body once delivered (outside `--dev`).
pub async fn emit_secret<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    event_type: EventType,
    data: serde_json::Value,
    now: Timestamp,
) -> ApiResult<Queued> {
    insert(tx, org_id, event_type, data, now, true).await
}

/// Whether an enabled endpoint of `org_id` receives `event_type`.
pub async fn subscribed<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    event_type: EventType,
) -> ApiResult<bool> {
    Ok(subscriber_count(tx, org_id, event_type).await? > 0)
}

async fn insert<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    event_type: EventType,
    data: serde_json::Value,
    now: Timestamp,
    secret: bool,
) -> ApiResult<Queued> {
    let endpoints = subscriber_count(tx, org_id, event_type).await?;
    if endpoints == 0 {
        return Ok(Queued(0));
    }
    let message_id = new_id_at(WebhookMessageId::PREFIX, now);
    let body = payload(event_type, data, now)?;
    // Each row's id: `dlv_`, the message's time-ordered part, then the endpoint id's.
    let id_head = format!(
        "{DELIVERY_PREFIX}{}",
        &message_id[WebhookMessageId::PREFIX.len()..]
    );
    tx.write(
        "INSERT INTO deliveries (id, kind, org_id, target, topic, message_id, payload, secret, \
           status, attempts, next_attempt_at, leased_until, created_at) \
         SELECT $1 || substr(id, 5), 'webhook', org_id, id, $3, $4, $5, $8, 'pending', 0, $6, 0, $6 \
         FROM webhook_endpoints \
         WHERE org_id = $2 AND enabled = 1 AND (' ' || event_types || ' ') LIKE ('% ' || $7 || ' %')",
        &[
            p(id_head),
            p(org_id.as_str()),
            p(event_type.as_str()),
            p(&message_id),
            p(body),
            p(now.millis()),
            p(event_type.as_str()),
            p(i64::from(secret)),
        ],
    )
    .await?;
    Ok(Queued(endpoints))
}

/// How many enabled endpoints of `org_id` receive `event_type`, read before the insert so the
/// insert's row count is known without running it (a PostgreSQL replay records it). Both
/// statements build their `LIKE` pattern in SQL: SQLite plans a `LIKE` by its bound pattern's
/// value, so binding the pattern itself re-prepared the statement at every call.
async fn subscriber_count<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    event_type: EventType,
) -> ApiResult<u64> {
    let row = tx
        .fetch_optional(
            "SELECT COUNT(*) AS n FROM webhook_endpoints \
             WHERE org_id = $1 AND enabled = 1 AND (' ' || event_types || ' ') LIKE ('% ' || $2 || ' %')",
            &[p(org_id.as_str()), p(event_type.as_str())],
        )
        .await?;
    let n = row.map(|r| r.int("n")).transpose()?.unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}
