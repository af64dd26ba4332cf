//! The requester's side: filing a request, my requests, withdrawing one.

use super::{audit, AuditEntry};
use super::{
    decide, file_pending, org_of, read, request_not_found, JoinRequestSource, NewJoinRequest,
    RequestRow, REQUEST_COLUMNS, REQUEST_FROM,
};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::Limit;
use crate::state::AppState;
use crate::token::now;
use orgkit_core::join_request::{self as rules, FileFacts, JoinRequestStatus};
use orgkit_core::wire::JoinRequest;
use orgkit_core::{JoinRequestId, OrganizationId};

/// The organization named by a slug or an id, with its setting.
async fn find_org(state: &AppState, key: &str) -> ApiResult<(OrganizationId, bool)> {
    let column = if OrganizationId::is_well_formed(key) {
        "id"
    } else {
        "slug"
    };
    let sql = format!("SELECT id, allow_join_requests FROM organizations WHERE {column} = $1");
    let row: Option<(String, i64)> = sqlx::query_as(&sql)
        .bind(key.trim())
        .fetch_optional(&state.db.pool)
        .await?;
    let (id, allow) = row.ok_or_else(|| ApiError::not_found("Organization"))?;
    Ok((OrganizationId(id), allow != 0))
}

/// Counts one request filed by me (each mails the organization's admins): at most the
/// per-address mail limit a minute.
async fn limit_filing(state: &AppState, me: &CurrentUser) -> ApiResult<()> {
    let limit = Limit {
        keys: vec![format!("join_request:{}", me.id())],
        cost: 1,
        limit: state.config.mail_to_address_limit_per_minute,
    };
    state.limiter.check_all(&[limit], now().millis()).await
}

/// Asks to join the organization `organization` (a slug or an id).
pub async fn file(
    state: &AppState,
    me: &CurrentUser,
    organization: &str,
    message: Option<&str>,
) -> ApiResult<JoinRequest> {
    let message = rules::message(message)?;
    let (org_id, allows) = find_org(state, organization).await?;
    // A closed organization answers before anything is counted or locked.
    if !allows {
        rules::check_file(FileFacts {
            allows_requests: false,
            email_verified: me.user.email_verified,
            already_member: false,
            already_requested: false,
        })?;
    }
    let mut tx = state.db.begin_write().await?;
    let locked = state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    let facts: (i64, Option<String>) = sqlx::query_as(
        "SELECT o.allow_join_requests, (SELECT r.id FROM join_requests r WHERE r.org_id = o.id \
         AND r.user_id = $2 AND r.status = 'pending') FROM organizations o WHERE o.id = $1",
    )
    .bind(org_id.as_str())
    .bind(me.id().as_str())
    .fetch_one(&mut *tx)
    .await?;
    rules::check_file(FileFacts {
        allows_requests: facts.0 != 0,
        email_verified: me.user.email_verified,
        already_member: locked.my_role.is_some(),
        already_requested: facts.1.is_some(),
    })?;
    limit_filing(state, me).await?;
    let id = file_pending(
        state,
        &mut tx,
        NewJoinRequest {
            org_id: &org_id,
            user_id: me.id(),
            message: message.as_deref(),
            source: JoinRequestSource::Request,
            role: None,
            at: now(),
        },
    )
    .await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "join_request.filed",
        subject: id.as_str(),
        detail: &me.user.email_address,
    };
    audit(&mut tx, event).await?;
    let row = read(&mut *tx, &id).await?.ok_or_else(request_not_found)?;
    tx.commit().await?;
    state.queue.wake();
    Ok(row.into_wire())
}

/// My join requests, newest first (the latest 100).
pub async fn mine(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<JoinRequest>> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 100"
    );
    let rows: Vec<RequestRow> = sqlx::query_as(&sql)
        .bind(me.id().as_str())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.into_iter().map(RequestRow::into_wire).collect())
}

/// Withdraws my pending request.
pub async fn withdraw(
    state: &AppState,
    me: &CurrentUser,
    id: &JoinRequestId,
) -> ApiResult<JoinRequest> {
    let org_id = org_of(state, id).await?;
    let mut tx = state.db.begin_write().await?;
    state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?;
    let row = read(&mut *tx, id).await?.ok_or_else(request_not_found)?;
    rules::check_withdraw(me.id(), &row.user_id, row.status())?;
    let at = now();
    decide(&mut tx, id, JoinRequestStatus::Withdrawn, None, me.id(), at).await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "join_request.withdrawn",
        subject: id.as_str(),
        detail: &me.user.email_address,
    };
    audit(&mut tx, event).await?;
    let row = read(&mut *tx, id).await?.ok_or_else(request_not_found)?;
    tx.commit().await?;
    Ok(row.into_wire())
}
