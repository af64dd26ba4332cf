//! The organization's side: the list of requests, accepting and rejecting (each mails the
//! requester the decision).

use super::{audit, begin_org_write, finish_page, page_request, AuditEntry};
use super::{decide, read, request_not_found, RequestRow, REQUEST_COLUMNS, REQUEST_FROM};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::mail::Email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::service::memberships::wire_json;
use crate::service::rows::{MemberRow, MEMBER_COLUMNS};
use crate::state::AppState;
use crate::token::{new_id, now};
use crate::webhooks::{self, emit};
use orgkit_core::join_request::{self as rules, JoinRequestStatus};
use orgkit_core::policy::Action;
use orgkit_core::wire::{JoinRequest, Membership, Page};
use orgkit_core::{ErrorCode, EventType, JoinRequestId, MembershipId, OrganizationId};

/// The email telling the requester of the decision.
fn decision_email(to: &str, org: &str, accepted: bool) -> Email {
    let (subject, body) = if accepted {
        (
            format!("You are now a member of {org}"),
            format!("Your request to join {org} was accepted.\n"),
        )
    } else {
        (
            format!("Your request to join {org}"),
            format!("Your request to join {org} was not accepted.\n"),
        )
    };
    Email {
        to: to.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// One page of an organization's requests: pending first, newest first within each group,
/// keyset-paged over the index `(org_id, pending, id)`.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    status: Option<JoinRequestStatus>,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<JoinRequest>> {
    let (limit, after) = page_request(limit, after, rules::is_list_cursor)?;
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ListJoinRequests)?;
    // Row comparisons over the index's columns bound the walk on both sides, so the index
    // seeks to the cursor and a page costs the same at any depth: below the cursor (the first
    // page starts above every row, at pending 2) and, for a status, within its block (pending
    // rows are those at or above `(1, '')`).
    let (mut below_pending, mut below_id) = if after.is_empty() {
        (2_i64, "")
    } else {
        (i64::from(after.starts_with('1')), &after[1..])
    };
    let (from_pending, status_filter) = match status {
        None => (0_i64, ""),
        Some(JoinRequestStatus::Pending) => (1, ""),
        Some(_) => {
            if below_pending >= 1 {
                (below_pending, below_id) = (1, "");
            }
            (0, " AND r.status = $5")
        }
    };
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE r.org_id = $1 \
         AND (r.pending, r.id) < ($2, $3) AND (r.pending, r.id) >= ($4, ''){status_filter} \
         ORDER BY r.pending DESC, r.id DESC LIMIT {}",
        limit + 1
    );
    let mut query = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(below_pending)
        .bind(below_id)
        .bind(from_pending);
    if let Some(s) = status.filter(|s| *s != JoinRequestStatus::Pending) {
        query = query.bind(s.as_str());
    }
    let rows: Vec<RequestRow> = query.fetch_all(&state.db.pool).await?;
    // `finish_page` takes the cursor from an id accessor; ours carries the pending flag too.
    let cursors: Vec<String> = rows.iter().map(RequestRow::cursor).collect();
    let mut page = finish_page(rows, limit, |r| r.id.as_str(), RequestRow::into_wire);
    if page.next_cursor.is_some() {
        page.next_cursor = cursors.get(limit as usize - 1).cloned();
    }
    Ok(page)
}

/// A request of `org_id`, read under the organization's lock.
async fn read_in_org(
    tx: &mut Tx,
    org_id: &OrganizationId,
    id: &JoinRequestId,
) -> ApiResult<RequestRow> {
    read(&mut **tx, id)
        .await?
        .filter(|r| &r.org_id == org_id)
        .ok_or_else(request_not_found)
}

/// Counts the decision email to the requester (`Limit::mail_to`).
async fn limit_mail_to(state: &AppState, address: &str) -> ApiResult<()> {
    let limit = Limit::mail_to(address, state.config.mail_to_address_limit_per_minute);
    state.limiter.check_all(&[limit], now().millis()).await
}

/// Accepts a pending request with `role` (default: the one proposed, else the default role):
/// the requester becomes a member, in one transaction.
pub async fn accept(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &JoinRequestId,
    role: Option<&str>,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = read_in_org(&mut tx, org_id, id).await?;
    let default_role = crate::service::roles::default_role(&mut tx, org_id).await?;
    let granted = rules::accept_role(role, row.role.as_deref(), &default_role).to_owned();
    let member: Option<(String,)> =
        sqlx::query_as("SELECT id FROM memberships WHERE org_id = $1 AND user_id = $2")
            .bind(org_id.as_str())
            .bind(row.user_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let action = Action::AcceptJoinRequest {
        status: row.status(),
        role: &granted,
        already_member: member.is_some(),
    };
    locked.access.check(me, action)?;
    crate::service::limits::check_join(state, &mut tx, org_id, &row.user_id).await?;
    limit_mail_to(state, &row.email).await?;
    let at = now();
    sqlx::query(
        "INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id(MembershipId::PREFIX))
    .bind(org_id.as_str())
    .bind(row.user_id.as_str())
    .bind(&granted)
    .bind(at.millis())
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ApiError::new(ErrorCode::AlreadyMember, "This person is already a member.")
        } else {
            e.into()
        }
    })?;
    decide(
        &mut tx,
        id,
        JoinRequestStatus::Accepted,
        Some(&granted),
        me.id(),
        at,
    )
    .await?;
    let detail = format!("{} as {granted}", row.email);
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "join_request.accepted",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.user_id = $2"
    );
    let membership: MemberRow = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(row.user_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let membership = membership.into_wire(None);
    enqueue_mail(
        &mut tx,
        &decision_email(&row.email, &locked.name, true),
        Some(org_id.as_str()),
    )
    .await?;
    let queued = emit(
        &mut tx,
        org_id,
        EventType::MembershipCreated,
        wire_json(&membership)?,
        at,
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    state.queue.wake();
    Ok(membership)
}

/// Rejects a pending request.
pub async fn reject(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &JoinRequestId,
) -> ApiResult<JoinRequest> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = read_in_org(&mut tx, org_id, id).await?;
    let action = Action::RejectJoinRequest {
        status: row.status(),
    };
    locked.access.check(me, action)?;
    limit_mail_to(state, &row.email).await?;
    let at = now();
    decide(&mut tx, id, JoinRequestStatus::Rejected, None, me.id(), at).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "join_request.rejected",
        subject: id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    enqueue_mail(
        &mut tx,
        &decision_email(&row.email, &locked.name, false),
        Some(org_id.as_str()),
    )
    .await?;
    let row = read_in_org(&mut tx, org_id, id).await?;
    tx.commit().await?;
    state.queue.wake();
    Ok(row.into_wire())
}
