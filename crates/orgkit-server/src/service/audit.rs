//! Reading an organization's audit log, newest first, and the retention sweep.

use super::{finish_page, page_request};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::token::id_floor;
use orgkit_core::audit::{check_filter, AuditFilter};
use orgkit_core::policy::Action;
use orgkit_core::wire::{AuditActor, AuditEvent, Page};
use orgkit_core::{ApiKeyId, AuditEventId, OrganizationId, Timestamp, UserId};

/// An audit event as stored.
#[derive(Debug, sqlx::FromRow)]
struct EventRow {
    #[sqlx(try_from = "String")]
    id: AuditEventId,
    #[sqlx(try_from = "String")]
    org_id: OrganizationId,
    #[sqlx(try_from = "String")]
    actor_id: UserId,
    action: String,
    subject: String,
    detail: String,
    ip: Option<String>,
    user_agent: Option<String>,
    #[sqlx(try_from = "i64")]
    created_at: Timestamp,
    api_key_id: Option<String>,
}

impl EventRow {
    fn into_wire(self) -> AuditEvent {
        AuditEvent {
            id: self.id,
            organization_id: self.org_id,
            actor: AuditActor::User { id: self.actor_id },
            action: self.action,
            subject: self.subject,
            detail: self.detail,
            ip_address: self.ip,
            user_agent: self.user_agent,
            created_at: self.created_at,
            api_key_id: self.api_key_id.map(ApiKeyId),
        }
    }
}

/// One page of the organization's audit events, newest first, for holders of
/// `org:audit:read`. The cursor is the last event's id; each filter walks its own
/// `(org_id, filter, id)` index, and the time range becomes an id range (ids are
/// time-ordered), so a page costs the same at any log size.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    filter: AuditFilter<'_>,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<AuditEvent>> {
    let (limit, after) = page_request(limit, after, AuditEventId::is_well_formed)?;
    let filter = check_filter(filter)?;
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadAuditLog)?;
    let mut conditions = vec!["org_id = $1".to_owned()];
    let mut binds: Vec<String> = vec![org_id.as_str().to_owned()];
    let mut add = |condition: &str, value: String| {
        binds.push(value);
        conditions.push(format!("{condition} ${}", binds.len()));
    };
    if let Some(actor) = filter.actor {
        add("actor_id =", actor.to_owned());
    }
    if let Some(action) = filter.action {
        add("action =", action.to_owned());
    }
    if let Some(subject) = filter.subject {
        add("subject =", subject.to_owned());
    }
    if let Some(from) = filter.from {
        add("id >=", id_floor(AuditEventId::PREFIX, from));
    }
    if let Some(to) = filter.to {
        add("id <", id_floor(AuditEventId::PREFIX, to));
    }
    if !after.is_empty() {
        add("id <", after.to_owned());
    }
    let sql = format!(
        "SELECT id, org_id, actor_id, action, subject, detail, ip, user_agent, created_at, \
           api_key_id FROM audit_events WHERE {} ORDER BY id DESC LIMIT {}",
        conditions.join(" AND "),
        i64::from(limit) + 1
    );
    let mut query = sqlx::query_as(&sql);
    for value in &binds {
        query = query.bind(value.as_str());
    }
    let rows: Vec<EventRow> = query.fetch_all(&state.db.pool).await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        EventRow::into_wire,
    ))
}

/// Deletes the events older than the retention period at `now`; answers how many went.
pub async fn sweep(state: &AppState, now: Timestamp) -> ApiResult<u64> {
    let retention_ms = i64::from(state.config.audit_retention_days).saturating_mul(86_400_000);
    let cutoff = now.plus_millis(retention_ms.saturating_neg());
    let done = sqlx::query("DELETE FROM audit_events WHERE created_at < $1")
        .bind(cutoff.millis())
        .execute(&state.db.pool)
        .await?;
    Ok(done.rows_affected())
}
