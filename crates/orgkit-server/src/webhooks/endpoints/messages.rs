//! Messages to one endpoint: a test message, a resend, and the delivery attempts.

use super::*;

/// Loads an endpoint for a new message to it: it must be enabled.
async fn load_enabled(
    tx: &mut Tx,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
) -> ApiResult<EndpointRow> {
    let row = load(&mut **tx, org_id, id).await?;
    if row.enabled != 1 {
        return Err(ApiError::new(
            ErrorCode::WebhookEndpointDisabled,
            "This webhook endpoint is disabled; enable it first.",
        ));
    }
    Ok(row)
}

/// Inserts one `deliveries` row for one endpoint.
async fn queue_one(
    tx: &mut Tx,
    row: &EndpointRow,
    event_type: &str,
    message_id: &str,
    body: &str,
    at: Timestamp,
) -> ApiResult<Queued> {
    sqlx::query(
        "INSERT INTO deliveries (id, kind, org_id, target, topic, message_id, payload, secret, \
           status, attempts, next_attempt_at, leased_until, created_at) \
         VALUES ($1, 'webhook', $2, $3, $4, $5, $6, 0, 'pending', 0, $7, 0, $7)",
    )
    .bind(new_id_at(crate::queue::DELIVERY_PREFIX, at))
    .bind(row.org_id.as_str())
    .bind(row.id.as_str())
    .bind(event_type)
    .bind(message_id)
    .bind(body)
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(Queued(1))
}

/// Queues a `webhook.test` message for one endpoint, whatever it subscribes to.
pub async fn send_test(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
) -> ApiResult<(WebhookMessageQueued, Queued)> {
    let mut tx = begin_manage(state, me, org_id).await?;
    let row = load_enabled(&mut tx, org_id, id).await?;
    let at = now();
    let message_id = WebhookMessageId(new_id_at(WebhookMessageId::PREFIX, at));
    let event_type = EventType::WebhookTest;
    let data = json!({"endpointId": id, "organizationId": org_id});
    let body = payload(event_type, data, at)?;
    let queued = queue_one(
        &mut tx,
        &row,
        event_type.as_str(),
        message_id.as_str(),
        &body,
        at,
    )
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "webhook.tested",
        subject: id.as_str(),
        detail: message_id.as_str(),
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    let answer = WebhookMessageQueued {
        message_id,
        event_type,
    };
    Ok((answer, queued))
}

/// Queues a message this endpoint was sent before once more: same `webhook-id`, same body
/// (receivers deduplicate on the id), signed afresh when it goes.
pub async fn resend(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
    message_id: &WebhookMessageId,
) -> ApiResult<(WebhookMessageQueued, Queued)> {
    if !WebhookMessageId::is_well_formed(message_id.as_str()) {
        return Err(ApiError::validation("The message id is not valid."));
    }
    let mut tx = begin_manage(state, me, org_id).await?;
    let row = load_enabled(&mut tx, org_id, id).await?;
    let sent: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT topic, payload FROM deliveries \
         WHERE message_id = $1 AND kind = 'webhook' AND target = $2 AND payload IS NOT NULL \
         ORDER BY id LIMIT 1",
    )
    .bind(message_id.as_str())
    .bind(id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let (topic, body) = match sent {
        Some((topic, Some(body))) => (topic, body),
        _ => return Err(ApiError::not_found("Webhook message")),
    };
    // A message that carried an invitation's token is never sent twice.
    let event_type = EventType::parse(&topic)
        .filter(|t| *t != EventType::InvitationDelivery)
        .ok_or_else(|| ApiError::not_found("Webhook message"))?;
    let queued = queue_one(&mut tx, &row, &topic, message_id.as_str(), &body, now()).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "webhook.resent",
        subject: id.as_str(),
        detail: message_id.as_str(),
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    let answer = WebhookMessageQueued {
        message_id: message_id.clone(),
        event_type,
    };
    Ok((answer, queued))
}

/// An attempt as stored.
#[derive(Debug, sqlx::FromRow)]
struct AttemptRow {
    #[sqlx(try_from = "String")]
    id: WebhookAttemptId,
    #[sqlx(try_from = "String")]
    endpoint_id: WebhookEndpointId,
    #[sqlx(try_from = "String")]
    message_id: WebhookMessageId,
    event_type: String,
    status_code: Option<i64>,
    duration_ms: i64,
    response: Option<String>,
    error: Option<String>,
    #[sqlx(try_from = "i64")]
    created_at: Timestamp,
}

impl AttemptRow {
    fn into_wire(self) -> WebhookAttempt {
        let status_code = self.status_code.and_then(|s| u16::try_from(s).ok());
        WebhookAttempt {
            id: self.id,
            endpoint_id: self.endpoint_id,
            message_id: self.message_id,
            event_type: EventType::parse(&self.event_type).unwrap_or(EventType::WebhookTest),
            succeeded: status_code
                .is_some_and(|s| webhook::answer_outcome(s) == webhook::AnswerOutcome::Delivered),
            status_code,
            duration_ms: self.duration_ms,
            response_body: self.response,
            error: self.error,
            created_at: self.created_at,
        }
    }
}

/// One page of an endpoint's delivery attempts, newest first.
pub async fn attempts(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<WebhookAttempt>> {
    let (limit, after) = page_request(limit, after, WebhookAttemptId::is_well_formed)?;
    check_read(state, me, org_id).await?;
    load(&state.db.pool, org_id, id).await?;
    let before = if after.is_empty() {
        "AND $2 = $2"
    } else {
        "AND id < $2"
    };
    let sql = format!(
        "SELECT id, endpoint_id, message_id, event_type, status_code, duration_ms, response, \
           error, created_at FROM webhook_attempts WHERE endpoint_id = $1 {before} \
         ORDER BY id DESC LIMIT $3"
    );
    let rows: Vec<AttemptRow> = sqlx::query_as(&sql)
        .bind(id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        AttemptRow::into_wire,
    ))
}
